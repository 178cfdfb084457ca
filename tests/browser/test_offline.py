"""The copy for a folder or USB stick (`publisher build --offline`) works from disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import copy_project, publisher, search_for

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def usb_copy(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("usb-project"))
    target = tmp_path_factory.mktemp("usb-stick") / "jersey-site"
    result = publisher("build", "--offline", "--site-dir", str(target), cwd=project)
    assert result.returncode == 0, result.stderr
    return target


def test_pages_open_and_link_to_each_other_from_disk(usb_copy, new_page):
    page = new_page()
    page.goto((usb_copy / "index.html").as_uri())
    assert "Jersey children's social care" in page.title()
    page.get_by_role("link", name="Recommendations", exact=True).first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/recommendations/index.html")
    page.locator("table.pub-recommendations a", has_text="A Commissioner for Children").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/recommendations/2017-care-inquiry-rec-1.html")
    assert "A Commissioner for Children" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Accessibility").click()
    page.wait_for_load_state()
    assert page.url.endswith("/accessibility.html") and "Accessibility statement" in page.locator("h1").inner_text()
    assert all(url.startswith("file://") for url in page.requests), [u for u in page.requests if not u.startswith("file://")]


def test_search_works_without_a_web_server(usb_copy, new_page):
    page = new_page()
    page.goto((usb_copy / "index.html").as_uri())
    page.locator("input.md-search__input").click()
    search_for(page, "workforce")
    hrefs = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.getAttribute('href'))")
    assert any("recommendations/2023-jcc-afi-4.html" in h for h in hrefs), hrefs
