"""A large site in Chromium: numbered pages, the explorer's filters through the search
index, and a first search that downloads little (see docs/performance.md)."""

from __future__ import annotations

import pytest

from publisher.site import paging
from support import search_for

from .conftest import serve
from .test_site import _violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def national_url(national_site) -> str:
    return serve(national_site)


def test_filtering_a_paginated_explorer_searches_every_recommendation(national_url, new_page):
    page = new_page()
    page.goto(national_url + "recommendations/", wait_until="networkidle")
    rows = page.locator("table.pub-recommendations tbody tr")
    assert rows.count() == paging.ROWS
    assert page.locator(".pub-filters__count").inner_text().startswith(f"Showing {paging.ROWS} of 300 recommendations on this page.")
    page.select_option("select[name=theme]", "workforce-stability")
    page.wait_for_function("document.querySelector('.pub-filters__count').textContent.includes('matching')")
    count = page.locator(".pub-filters__count").inner_text()
    shown = rows.count()
    assert 0 < shown <= 25 and count.startswith(f"Showing {shown} of ") and count.endswith("matching recommendations (of 300).")
    assert all("workforce-stability" in r.get_attribute("data-themes").split() for r in rows.all())
    assert page.locator(".pub-pages").first.is_hidden()  # the numbered pages are for the whole list
    assert "theme=workforce-stability" in page.url
    href = rows.first.locator("a").first.get_attribute("href")
    assert page.request.get(href).ok
    page.click("form.pub-filters button[type=reset]")
    page.wait_for_function("document.querySelector('.pub-filters__count').textContent.includes('on this page')")
    assert rows.count() == paging.ROWS and page.locator(".pub-pages").first.is_visible()


def test_a_filtered_address_of_a_paginated_explorer_can_be_shared(national_url, new_page):
    page = new_page()
    page.goto(national_url + "recommendations/?status=met&overdue=", wait_until="networkidle")
    page.wait_for_function("document.querySelector('.pub-filters__count').textContent.includes('matching')")
    rows = page.locator("table.pub-recommendations tbody tr")
    assert rows.count() > 0 and all(r.get_attribute("data-status") == "met" for r in rows.all())


def test_a_first_search_downloads_a_few_chunks_not_the_whole_index(national_site, national_url, new_page):
    page = new_page()
    page.goto(national_url, wait_until="networkidle")
    fetched: dict[str, int] = {}
    page.on("response", lambda r: fetched.__setitem__(r.url, len(r.body())) if "/pagefind/" in r.url else None)
    page.locator("input.md-search__input").click()
    search_for(page, "workforce")
    page.wait_for_load_state("networkidle")
    titles = page.eval_on_selector_all(".md-search-result__link h1", "els => els.map(e => e.textContent)")
    assert titles and all(t.split(": ", 1)[0] in {"Recommendation", "Update", "Theme", "Inspection", "Source"} for t in titles), titles
    index_size = sum(p.stat().st_size for p in (national_site / "pagefind").rglob("*") if p.is_file())
    assert sum(fetched.values()) < index_size / 2
    assert page.locator(".md-search-result__item").count() == 10
    page.click(".pub-search__more button")
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 10")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_numbered_page_passes_the_accessibility_checks(scheme, national_url, new_page):
    page = new_page(color_scheme=scheme)
    page.goto(national_url + "recommendations/page-2/", wait_until="networkidle")
    assert _violations(page) == []


def test_numbered_pages_fit_a_phone(national_url, new_page):
    page = new_page(width=320, height=640)
    page.goto(national_url + "updates/page-2/", wait_until="networkidle")
    assert _violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
