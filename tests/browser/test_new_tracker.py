"""A second tracker, made by `publisher init`, in Chromium: accessible in both palettes and
searchable, like the Jersey site (test_site.py), with nothing of Jersey in it."""

from __future__ import annotations


import pytest

from support import new_tracker, publisher, search_for

from .conftest import serve
from .test_site import _violations

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "inspection": "inspections/example-inspection/",
    "recommendation": "recommendations/example-inspection-r1/",
    "explorer": "recommendations/",
    "update": "updates/",
    "source": "sources/example-report/",
    "theme": "themes/example-theme/",
    "plan": "plan/",
    "open data": "data/",
    "about": "about/",
    "content guide": "about/content-guide/",
    "accessibility": "accessibility/",
}


@pytest.fixture(scope="module")
def tracker_url(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("second-tracker")
    project = new_tracker(folder / "midshire")
    site = folder / "site"
    result = publisher("build", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    return serve(site)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_every_page_type_of_a_new_tracker_passes_the_accessibility_checks(kind, scheme, tracker_url, new_page):
    page = new_page(color_scheme=scheme)
    response = page.goto(tracker_url + PAGES[kind], wait_until="networkidle")
    assert response.ok
    assert "jersey" not in page.content().lower()
    assert _violations(page) == []


def test_a_new_tracker_is_searchable(tracker_url, new_page):
    page = new_page()
    page.goto(tracker_url, wait_until="networkidle")
    page.locator("input.md-search__input").click()
    search_for(page, "workforce")
    hrefs = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.getAttribute('href'))")
    assert any("recommendations/example-inspection-r1/" in h for h in hrefs), hrefs
    assert all(h.startswith(tracker_url) for h in hrefs)


def test_a_new_tracker_s_home_page_names_its_body_on_a_phone(tracker_url, new_page):
    page = new_page(width=390)
    page.goto(tracker_url, wait_until="networkidle")
    assert "Midshire County Council promised in response" in page.locator(".pub-lead").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
