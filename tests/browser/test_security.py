"""The built site in Chromium: under its own Content-Security-Policy nothing is blocked,
and nothing it does contacts a host other than 127.0.0.1.

The policy is the one `publisher build` wrote into `_headers`, served as real response
headers. The pages are used as a visitor would: several kinds of page, the search (which
compiles Pagefind's WebAssembly and fetches index chunks) and the light/dark palette toggle.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from publisher.headers import HEADERS_FILE, read_netlify_file
from support import search_for

from .conftest import serve

pytestmark = pytest.mark.browser

#: Pages of every kind the site has, as a visitor reaches them.
PAGES = ["", "inspections/", "recommendations/", "themes/", "plan/", "updates/", "sources/", "about/statuses/"]

#: Runs before any page script, outside the page's policy: records every violation.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="session")
def served_headers(built_site) -> dict[str, str]:
    headers = dict(read_netlify_file((built_site / HEADERS_FILE).read_text()))
    assert "Content-Security-Policy" in headers
    return headers


@pytest.fixture(scope="session")
def csp_site_url(built_site, served_headers) -> str:
    return serve(built_site, headers=served_headers)


def _open(new_page):
    page = new_page()
    page.console_errors = []
    page.page_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.page_errors.append(str(e)))
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def _search(page, query: str) -> None:
    page.click("input.md-search__input")  # in the header at desktop width
    page.fill("input.md-search__input", "")
    search_for(page, query)
    page.keyboard.press("Escape")  # close the search, as a visitor would


def _toggle_palette(page) -> str:
    page.click('form.pub-palette label:not([hidden])')
    return page.get_attribute("body", "data-md-color-scheme")


def _a_recommendation(built_site) -> str:
    first = sorted(p for p in (built_site / "recommendations").iterdir() if p.is_dir())[0]
    return f"recommendations/{first.name}/"


def test_the_site_runs_under_its_content_security_policy_without_a_violation(csp_site_url, served_headers, built_site, new_page):
    page = _open(new_page)
    response = page.goto(csp_site_url, wait_until="networkidle")
    assert response.headers["content-security-policy"] == served_headers["Content-Security-Policy"]

    _search(page, "workforce")
    assert _toggle_palette(page) == "slate"
    assert _toggle_palette(page) == "default"
    for path in [*PAGES[1:], "404.html", _a_recommendation(built_site)]:
        page.goto(csp_site_url + path, wait_until="networkidle")
    _search(page, "overdue")
    assert _toggle_palette(page) == "slate"
    page.reload(wait_until="networkidle")  # the saved palette is applied by an inline script
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"

    violations = page.evaluate("window.__violations")
    assert violations == [], violations
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
    assert page.page_errors == []


def test_the_policy_does_block_a_script_it_does_not_list(csp_site_url, new_page):
    """The control for the test above: an injected inline script is refused and reported."""
    page = _open(new_page)
    page.goto(csp_site_url, wait_until="networkidle")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.append(s); }"
    )
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__ran === undefined")
    assert "script-src" in page.evaluate("window.__violations")[0]


def test_nothing_is_requested_from_a_host_other_than_127_0_0_1(site_url, built_site, new_page):
    """Served without the policy, so a request to another host is attempted, seen and stopped."""
    page = new_page()
    elsewhere: list[str] = []
    seen: list[str] = []

    def route(route):
        url = route.request.url
        seen.append(url)
        if urlsplit(url).hostname != "127.0.0.1":
            elsewhere.append(url)
            route.abort()
        else:
            route.continue_()

    page.context.route("**/*", route)
    for path in [*PAGES, _a_recommendation(built_site)]:
        page.goto(site_url + path, wait_until="networkidle")
    _search(page, "workforce")
    _toggle_palette(page)
    page.wait_for_load_state("networkidle")

    # Pagefind fetches its entry file, its WebAssembly engine and only the index chunks a query needs.
    assert any("/pagefind/" in url and ".pf_" in url for url in seen), "no search index chunk was ever fetched"
    assert elsewhere == []


def test_tricky_text_in_every_field_runs_nothing_in_the_browser(tricky_site, new_page):
    """The complete fixture with tricky-but-valid text everywhere (tests/hostile.py), under
    its own policy: no dialog opens, nothing is blocked, and searching for the payloads
    (whose excerpts the search box writes into the page as HTML) runs nothing either."""
    url = serve(tricky_site, headers=dict(read_netlify_file((tricky_site / HEADERS_FILE).read_text())))
    page = _open(new_page)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pages = sorted(p.relative_to(tricky_site).parent.as_posix() for p in tricky_site.rglob("index.html"))
    for path in pages:
        page.goto(url + ("" if path == "." else path + "/"), wait_until="networkidle")
        page.hover("h1")  # onmouseover payloads, had any become attributes
    # Words that sit beside the payloads, so the results show them (search splits on spaces).
    _search(page, "raw")
    _search(page, "src=x")

    assert len(pages) > 15
    assert dialogs == []
    assert page.evaluate("window.__violations") == []
    assert page.page_errors == []
