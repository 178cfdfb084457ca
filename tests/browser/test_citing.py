"""Citing in a real browser: anchors appear on hover and focus, "Cite this page" needs no
JavaScript, and the new pages pass the automated WCAG 2.2 AA checks."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def test_a_recommendation_anchor_shows_on_hover_and_on_keyboard_focus(site_url, new_page):
    page = new_page()
    page.goto(site_url + "inspections/2023-jcc/", wait_until="networkidle")
    anchor = page.locator('tr[id="2023-jcc-afi-4"] a.pub-anchor')
    opacity = lambda: float(anchor.evaluate("a => getComputedStyle(a).opacity"))  # noqa: E731
    assert anchor.get_attribute("href") == "#2023-jcc-afi-4"
    assert opacity() == 0
    # The anchor fades in (a CSS transition): wait until it has, however slow the machine
    # (a fixed pause read it half-way on a busy one).
    shown = "a => getComputedStyle(a).opacity === '1'"
    page.locator('tr[id="2023-jcc-afi-4"]').hover()
    page.wait_for_function(shown, arg=anchor.element_handle(), timeout=5000)
    assert opacity() == 1
    page.mouse.move(0, 0)
    page.wait_for_function("a => getComputedStyle(a).opacity === '0'", arg=anchor.element_handle(), timeout=5000)
    anchor.focus()
    page.wait_for_function(shown, arg=anchor.element_handle(), timeout=5000)
    assert opacity() == 1


def test_anchors_are_always_shown_on_a_touch_screen(site_url, new_page):
    page = new_page(width=375, has_touch=True, is_mobile=True)
    page.goto(site_url + "inspections/2023-jcc/", wait_until="networkidle")
    anchor = page.locator('tr[id="2023-jcc-afi-4"] a.pub-anchor')
    assert float(anchor.evaluate("a => getComputedStyle(a).opacity")) == 1


def test_cite_this_page_works_without_javascript(site_url, new_page):
    page = new_page(java_script_enabled=False, accept_downloads=True)
    page.goto(site_url + "recommendations/2023-jcc-afi-4/")
    block = page.locator("div.pub-cite")
    assert block.is_visible()
    citation = page.locator(".pub-cite__text").first
    assert citation.inner_text().endswith("/recommendations/2023-jcc-afi-4/")
    # One click selects the whole citation, ready to copy; so it does each named style's.
    for style in ["", "oscola", "harvard-cite-them-right", "apa"]:
        text = page.locator(f'.pub-cite__text[data-style="{style}"]') if style else citation
        text.click()
        assert page.evaluate("window.getSelection().toString().trim()") == text.inner_text().strip(), style
    # The citation files are plain links: a download, with no script.
    with page.expect_download() as download:
        page.get_by_role("link", name="RIS", exact=True).click()
    assert download.value.suggested_filename == "citation.ris"
    assert "TY  - ELEC" in Path(download.value.path()).read_text()


@pytest.mark.parametrize("path", ["as-at/", "as-at/2023-12-31/", "as-at/2024-06-30/changes/", "data/", "cite/", "inspections/2023-jcc/", "recommendations/2023-jcc-afi-4/"])
def test_the_citing_pages_pass_the_automated_accessibility_checks(site_url, new_page, path):
    page = new_page()
    page.goto(site_url + path, wait_until="networkidle")
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
