"""The public website in Chromium: accessibility, search, the explorer, keyboard, privacy."""

from __future__ import annotations

import json
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from publisher.site import paging

from support import search_for

pytestmark = pytest.mark.browser

#: One page of every type the site has.
PAGE_TYPES = {
    "home": "",
    "inspection timeline": "inspections/",
    "inspection": "inspections/2023-jcc/",
    "recommendations explorer": "recommendations/",
    "recommendation": "recommendations/2023-jcc-afi-4/",
    "themes": "themes/",
    "theme": "themes/workforce-stability/",
    "plan": "plan/",
    "other plan": "plans/service-improvement-plan/",
    "updates": "updates/",
    "update": "updates/2023-12-08-jcc-workforce-still-unstable/",
    "sources": "sources/",
    "source": "sources/jcc-2023-summary-report/",
    "about": "about/",
    "statuses": "about/statuses/",
    "content guide": "about/content-guide/",
    "accessibility": "accessibility/",
    "privacy": "privacy/",
    "licence": "licence/",
    "publishing guide": "about/publishing/",
    "past positions": "as-at/",
    "past position": "as-at/2024-03-31/",
    "what changed": "as-at/2024-03-31/changes/",
    "open data": "data/",
    "citing": "cite/",
    "not found": "no-such-page/",
}

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE = Axe()


def _violations(page) -> list[str]:
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
    ]


def _open(new_page, site_url, path, **options):
    page = new_page(**options)
    if path == "no-such-page/":
        page.goto(site_url + "404.html", wait_until="networkidle")
    else:
        response = page.goto(site_url + path, wait_until="networkidle")
        assert response.ok, path
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_no_accessibility_violations_on_any_page_type(kind, scheme, site_url, new_page):
    page = _open(new_page, site_url, PAGE_TYPES[kind], color_scheme=scheme)
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
    assert _violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_no_violations_and_no_sideways_scrolling_at_320_pixels(kind, scheme, site_url, new_page):
    page = _open(new_page, site_url, PAGE_TYPES[kind], width=320, height=640, color_scheme=scheme)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # the chart's figures too
    assert _violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{kind} scrolls sideways by {overflow}px at 320px"


# ------------------------------------------------------------------ on a phone

#: Everything on the page that is wider than the screen, or reaches past either side of
#: it: boxes in the page's header, content and footer (the closed drawer and search panel
#: wait off-screen by design; visually hidden text is clipped to nothing), and any table
#: that would scroll sideways inside its box. Code examples may scroll inside their box.
_TOO_WIDE = r"""() => {
    const width = document.documentElement.clientWidth;
    const clipped = e => { for (let a = e; a; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.clipPath === 'inset(50%)' || s.clip === 'rect(0px, 0px, 0px, 0px)') return true; } return false; };
    const name = e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
    const found = [];
    for (const e of document.querySelectorAll('.md-header *, .md-tabs *, .md-content *, .md-footer *')) {
        if (e.closest('.md-search, .md-sidebar') || !e.checkVisibility()) continue;
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if ((r.right > width + 0.5 || r.left < -0.5) && !clipped(e)) found.push(`${name(e)} spans ${Math.round(r.left)} to ${Math.round(r.right)}`);
    }
    for (const e of document.querySelectorAll('table, .pub-table-wrap, .md-typeset__scrollwrap')) {
        if (e.checkVisibility() && e.scrollWidth > e.clientWidth + 1) found.push(`${name(e)} scrolls sideways: ${e.scrollWidth} in ${e.clientWidth}`);
    }
    return found;
}"""


@pytest.mark.parametrize("width", [320, 390, 412])
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_nothing_is_wider_than_a_phone(kind, width, site_url, new_page):
    page = _open(new_page, site_url, PAGE_TYPES[kind], width=width, height=800)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate(_TOO_WIDE) == [], f"{kind} at {width}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


#: Every data table of the page as the reader sees it: for each row shown, whether it is
#: drawn as a card (a flex box, not a table row), and each cell's label, drawn before it,
#: and its place on the screen. Tables of two short columns (pub-table--narrow) stay tables.
_CARDS = """() => [...document.querySelectorAll('table.pub-table:not(.pub-table--narrow)')]
    .filter(t => t.checkVisibility()).map(t => ({
        headings: [...t.tHead.rows[0].cells].map(c => c.textContent.trim()),
        headingsBox: [t.tHead.getBoundingClientRect().width, t.tHead.getBoundingClientRect().height],
        rows: [...t.querySelectorAll('tbody tr, tfoot tr')].filter(r => r.checkVisibility()).map(r => ({
            display: getComputedStyle(r).display,
            cells: [...r.cells].map(c => ({
                label: c.dataset.label ?? null,
                rowHeader: c.tagName === 'TH' && c.scope === 'row',
                drawn: getComputedStyle(c, '::before').content,
                key: c.classList.contains('pub-key'),
                top: c.getBoundingClientRect().top,
                left: c.getBoundingClientRect().left,
            })),
        })),
    }))"""

CARD_PAGES = ["home", "recommendations explorer", "recommendation", "inspection", "plan", "open data", "sources",
              "past positions", "past position", "what changed", "content guide", "theme", "source", "inspection timeline"]


@pytest.mark.parametrize("width", [320, 390, 412])
@pytest.mark.parametrize("kind", CARD_PAGES)
def test_on_a_phone_every_table_row_is_a_card_with_each_cell_labelled(kind, width, site_url, new_page):
    page = _open(new_page, site_url, PAGE_TYPES[kind], width=width, height=800)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    tables = page.evaluate(_CARDS)
    assert tables, f"no data table on the {kind} page"
    for table in tables:
        # The column headings are there for screen readers, and take no room.
        assert max(table["headingsBox"]) <= 1, table["headings"]
        for row in table["rows"]:
            assert row["display"] == "flex", (kind, table["headings"])
            for heading, cell in zip(table["headings"], row["cells"]):
                if cell["rowHeader"] and cell["label"] is None:  # a row's own name, such as "In all"
                    continue
                # Drawn on screen as "Status: " (from the cell's data-label, or for the longest
                # tables by column in publisher.css), and left out of what a screen reader reads.
                assert cell["label"] in (heading, None)
                assert cell["drawn"] == f'"{heading}: " / ""', (kind, heading, cell["drawn"])
            # The status and the due date lead the card.
            keys = [c for c in row["cells"] if c["key"]]
            others = [c for c in row["cells"] if not c["key"]]
            if keys:
                assert max(c["top"] for c in keys) <= min(c["top"] for c in others), (kind, table["headings"])


@pytest.mark.parametrize("kind", ["recommendations explorer", "recommendation", "plan", "open data"])
def test_on_a_wide_screen_and_in_print_tables_stay_tables(kind, site_url, new_page):
    page = _open(new_page, site_url, PAGE_TYPES[kind], width=1280)
    for table in page.evaluate(_CARDS):
        assert table["headingsBox"][1] > 10
        assert {row["display"] for row in table["rows"]} == {"table-row"}
        assert {cell["drawn"] for row in table["rows"] for cell in row["cells"]} == {"none"}
    phone = _open(new_page, site_url, PAGE_TYPES[kind], width=390)
    phone.emulate_media(media="print")
    for table in phone.evaluate(_CARDS):
        assert {row["display"] for row in table["rows"]} == {"table-row"}, kind


def test_a_card_is_still_a_table_row_for_a_screen_reader(site_url, new_page):
    """On a phone the rows are drawn as cards, but a screen reader still finds a table with
    its column headings, and hears each cell once, without the label drawn before it."""
    page = _open(new_page, site_url, PAGE_TYPES["recommendations explorer"], width=390)
    table = page.locator("table.pub-recommendations")
    assert page.evaluate("getComputedStyle(document.querySelector('table.pub-recommendations tbody tr')).display") == "flex"
    tree = table.aria_snapshot()
    assert tree.startswith("- table ")
    for heading in ["Recommendation", "Inspection", "Status", "Evidence", "Due"]:
        assert f'- columnheader "{heading}"' in tree
    cells = re.findall(r"""- '?cell "(.*)$""", tree, re.M)  # a line may be quoted whole: - 'cell "..."'
    assert len(cells) == 5 * page.locator("table.pub-recommendations tbody tr").count()
    assert not [c for c in cells if re.match(r"(Recommendation|Inspection|Status|Evidence|Due): ", c)]


def test_on_a_phone_the_filters_hide_cards_they_leave_out(site_url, new_page):
    page = _open(new_page, site_url, "recommendations/?status=met", width=390)
    page.wait_for_function("document.querySelector('.pub-filters__count').textContent.includes('matching')")
    shown = page.locator("table.pub-recommendations tbody tr")
    assert shown.count() > 0
    for row in shown.all():
        assert row.get_attribute("data-status") == "met"
        assert row.evaluate("r => getComputedStyle(r).display") == "flex"


def test_the_explorer_s_filters_move_nothing_when_its_script_starts(site_url, new_page):
    """The filters are drawn from the first paint (not revealed by the script), so the
    table below them does not jump down: no layout shift."""
    page = new_page(width=412, height=900)
    page.add_init_script(
        "window.__shifts = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value; })"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(site_url + PAGE_TYPES["recommendations explorer"], wait_until="networkidle")
    assert page.locator("form.pub-filters").is_visible()
    assert page.evaluate("window.__shifts") < 0.01


_LAYOUT_SHIFTS = (
    "window.__shifts = []; new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput)"
    " window.__shifts.push([e.value, e.sources.map(s => s.node ? s.node.outerHTML.slice(0, 80) : '')]); })"
    ".observe({type: 'layout-shift', buffered: true});"
)


@pytest.mark.parametrize("width", [412, 1280])
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_nothing_moves_once_the_page_has_first_painted(kind, width, site_url, new_page):
    """The header's buttons are all there at the first paint: the palette toggle is set by a
    script at the end of the header, and the search button does not wait for Material's bundle."""
    page = new_page(width=width, height=900)
    page.add_init_script(_LAYOUT_SHIFTS)
    page.goto(site_url + ("404.html" if kind == "not found" else PAGE_TYPES[kind]), wait_until="networkidle")
    assert page.locator("form.pub-palette label:not([hidden])").is_visible()
    assert page.locator("label.md-header__button[for=__search]").is_visible() == (width < 960)
    assert page.evaluate("window.__shifts") == []


def test_the_palette_follows_a_phone_set_to_dark_mode_and_remembers_a_choice(site_url, new_page):
    page = _open(new_page, site_url, PAGE_TYPES["inspection"], width=390, color_scheme="dark")
    scheme = lambda: page.get_attribute("body", "data-md-color-scheme")  # noqa: E731
    toggle = page.locator("form.pub-palette label:not([hidden])")
    assert scheme() == "slate" and toggle.get_attribute("title") == "Switch to light mode"
    assert page.get_attribute("meta[name=color-scheme]", "content") == "dark"
    assert re.fullmatch(r"#[0-9a-f]{6}", page.get_attribute("meta[name=theme-color]", "content"))
    toggle.click()
    assert scheme() == "default" and page.get_attribute("meta[name=color-scheme]", "content") == "light"
    assert page.locator("form.pub-palette label:not([hidden])").get_attribute("title") == "Switch to dark mode"
    page.goto(site_url + PAGE_TYPES["plan"], wait_until="networkidle")
    assert scheme() == "default"  # the choice outlives the phone's setting
    page.focus("form.pub-palette input:checked")
    page.keyboard.press("Enter")
    assert scheme() == "slate"
    page.reload(wait_until="networkidle")
    assert scheme() == "slate"


def test_loading_a_page_does_not_restyle_the_whole_page_for_the_palette(site_url, new_page):
    """Material's palette component marks <body> data-md-color-switching on every load, which
    restyles every element twice (the main part of the inspection page's blocking time on a
    phone); the site's own toggle does that only when the visitor switches."""
    page = new_page(width=412)
    page.add_init_script(
        "window.__switching = 0; new MutationObserver(r => { for (const m of r) if (m.attributeName === 'data-md-color-switching'"
        " && m.target.hasAttribute('data-md-color-switching')) window.__switching++; })"
        ".observe(document, {attributes: true, subtree: true, attributeFilter: ['data-md-color-switching']});"
    )
    page.goto(site_url + PAGE_TYPES["inspection"], wait_until="networkidle")
    assert page.evaluate("window.__switching") == 0
    page.click("form.pub-palette label:not([hidden])")
    page.wait_for_function("window.__switching === 1 && !document.body.hasAttribute('data-md-color-switching')")


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_nothing_is_requested_from_another_host_and_nothing_is_missing(kind, site_url, new_page):
    page = new_page()
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(site_url + (PAGE_TYPES[kind] if kind != "not found" else "404.html"), wait_until="networkidle")
    outside = [url for url in page.requests if not url.startswith(site_url)]
    assert outside == []
    assert failed == []


def test_searching_workforce_lists_the_workforce_recommendations(site_url, new_page):
    page = _open(new_page, site_url, "")
    page.locator("input.md-search__input").click()
    search_for(page, "workforce")
    hrefs = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.getAttribute('href'))")
    assert any("recommendations/2023-jcc-afi-4/" in h for h in hrefs), hrefs
    assert any("recommendations/2019-ofsted-imp-1/" in h for h in hrefs), hrefs


@pytest.mark.parametrize("how", ["tap the search button on a phone", "press / on a keyboard"])
def test_the_search_box_s_script_loads_when_the_search_is_first_used(how, site_url, new_page):
    """Not part of a page's first load (only the explorer's pages load it with the page);
    opening the search focuses its box at once (so a phone's keyboard opens) and loads it."""
    page = _open(new_page, site_url, PAGE_TYPES["plan"], width=390 if how.startswith("tap") else 1280)
    search_script = re.compile(r"/assets/javascripts/search\.[0-9a-f]{8}\.js$")
    assert not [url for url in page.requests if search_script.search(url)]
    if how.startswith("tap"):
        page.click("label.md-header__button[for=__search]")
    else:
        page.keyboard.press("/")
    assert page.evaluate("document.activeElement.matches('form.pub-search__form input')")
    assert page.evaluate("document.getElementById('__search').checked")
    search_for(page, "workforce")
    assert [url for url in page.requests if search_script.search(url)]
    hrefs = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.getAttribute('href'))")
    assert any("recommendations/2023-jcc-afi-4/" in h for h in hrefs), hrefs


def test_the_explorer_s_script_loads_when_the_filters_are_first_used(site_url, new_page):
    page = _open(new_page, site_url, PAGE_TYPES["recommendations explorer"], width=390)
    script = re.compile(r"/assets/javascripts/(explorer|search)\.[0-9a-f]{8}\.js$")
    assert not [url for url in page.requests if script.search(url)]
    # The count is already what the script will say, so nothing changes when it starts.
    assert page.locator(".pub-filters__count").inner_text().startswith(f"Showing {paging.ROWS} of ")
    page.select_option("select[name=status]", "met")
    page.wait_for_function("document.querySelector('.pub-filters__count').textContent.includes('matching')")
    loaded = [url for url in page.requests if script.search(url)]
    assert len(loaded) == 1 and "/explorer." in loaded[0]  # the search box's script is inside it
    assert all(r.get_attribute("data-status") == "met" for r in page.locator("table.pub-recommendations tbody tr").all())


def test_search_result_titles_say_what_kind_of_thing_each_hit_is(site_url, new_page):
    page = _open(new_page, site_url, "")
    page.locator("input.md-search__input").click()
    search_for(page, "care leavers")
    hits = page.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link",
        "els => els.map(e => [e.getAttribute('href'), e.querySelector('h1').textContent])",
    )
    kinds = {"recommendations": "Recommendation: ", "inspections": "Inspection: ", "updates": "Update: ", "themes": "Theme: ", "sources": "Source: "}
    paths = [(href.removeprefix(site_url).split("?")[0], title) for href, title in hits]
    items = [(path, title) for path, title in paths if path.split("/")[0] in kinds and path.count("/") >= 2]
    assert items, hits
    for path, title in items:
        assert title.startswith(kinds[path.split("/")[0]]), (path, title)
    assert any(title.startswith("Recommendation: ") for _, title in items)


def test_a_search_covers_every_part_of_the_index(site_url, new_page):
    """The index is made in parts (publisher.search_index): the recommendations in one,
    the other pages in another, merged by the search box."""
    page = _open(new_page, site_url, "")
    page.locator("input.md-search__input").click()
    search_for(page, "care leavers")
    urls = page.evaluate(
        """async () => {
            const pf = await window.publisherSearch.pagefind();
            const found = await pf.search("care leavers");
            return (await Promise.all(found.results.map(r => r.data()))).map(p => p.url);
        }"""
    )
    sections = {url.removeprefix(site_url).lstrip("/").split("/")[0] for url in urls}
    assert {"recommendations", "updates", "inspections"} <= sections, sections


def test_search_result_titles_are_plain_text_not_html_entities(site_url, new_page):
    """Titles are HTML in the pages; the results must show "Children's ... & ...", not "&#x27;"."""
    page = _open(new_page, site_url, "")
    page.locator("input.md-search__input").click()
    search_for(page, "summary report independent reviewing")
    titles = page.eval_on_selector_all(".md-search-result__item h1", "els => els.map(e => e.textContent)")
    assert any("Children's Social Care Service & Independent Reviewing Officer" in title for title in titles), titles
    assert not [title for title in titles if "&#" in title or "&amp;" in title]


def test_filtering_the_explorer_narrows_the_rows(site_url, new_page):
    """The Jersey record is longer than one page of the explorer, so a filter searches every
    recommendation (through the search index), not only the rows on the page."""
    page = _open(new_page, site_url, "recommendations/")
    rows = page.locator("table.pub-recommendations tbody tr:not([hidden])")
    assert rows.count() == paging.ROWS
    total = int(page.locator("form.pub-filters").get_attribute("data-total"))
    assert total > paging.ROWS
    page.select_option("select[name=theme]", "workforce-stability")
    page.wait_for_function("document.querySelector('.pub-filters__count').textContent.includes('matching')")
    shown = rows.count()
    assert 0 < shown < total
    assert all("workforce-stability" in r.get_attribute("data-themes").split() for r in rows.all())
    assert page.locator(".pub-filters__count").inner_text().endswith(f"matching recommendations (of {total}).")
    assert "theme=workforce-stability" in page.url
    page.check("input[name=overdue]")
    page.wait_for_function(
        "[...document.querySelectorAll('table.pub-recommendations tbody tr:not([hidden])')]"
        ".every(r => r.dataset.overdue === 'yes' && r.dataset.themes.split(' ').includes('workforce-stability'))"
    )
    assert "overdue" in page.url
    page.click("form.pub-filters button[type=reset]")
    page.wait_for_function("document.querySelector('.pub-filters__count').textContent.includes('on this page')")
    assert rows.count() == paging.ROWS


def test_a_filtered_explorer_address_can_be_shared(site_url, new_page):
    page = _open(new_page, site_url, "recommendations/?status=met")
    visible = page.locator("table.pub-recommendations tbody tr:not([hidden])")
    assert visible.count() > 0 and all(r.get_attribute("data-status") == "met" for r in visible.all())


def test_the_explorer_table_is_complete_without_javascript(site_url, new_page):
    page = _open(new_page, site_url, "recommendations/", java_script_enabled=False)
    assert page.locator("table.pub-recommendations tbody tr").count() >= 16
    assert not page.locator("form.pub-filters").is_visible()  # nothing to use without scripts


@pytest.mark.parametrize("kind", ["home", "recommendations explorer", "recommendation", "inspection", "theme"])
def test_every_control_is_reachable_by_keyboard_and_shows_focus(kind, site_url, new_page):
    page = _open(new_page, site_url, PAGE_TYPES[kind])
    # Number every control a keyboard user should be able to reach: visible, enabled, and
    # for a group of radio buttons only the checked one (the others are reached by arrows).
    expected = page.evaluate(
        """() => {
            const all = document.querySelectorAll('a[href], button, input, select, summary, [tabindex]:not([tabindex="-1"])');
            let n = 0;
            for (const e of all) {
                if (e.disabled || e.closest('[hidden], [inert]')) continue;
                if (e.matches('input[type=radio]:not(:checked)')) continue;
                const label = e.matches('input.md-option') ? e.nextElementSibling : e;
                if (!label.checkVisibility({visibilityProperty: true, opacityProperty: !e.matches('input.md-option')})) continue;
                e.dataset.kb = String(n++);
            }
            return [n, all.length];
        }"""
    )
    expected, presses = expected
    assert expected > 10
    reached = set()
    for _ in range(presses + 30):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; if (!e || e === document.body) return null;
                // A visually hidden input (Material's palette toggle) shows focus on its label.
                const shownOn = (e.matches('input.md-option') && e.nextElementSibling) || e;
                const s = getComputedStyle(shownOn);
                const shown = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
                return [e.dataset.kb ?? null, e.outerHTML.slice(0, 100), shown]; }"""
        )
        if info is None:
            continue
        index, html, shown = info
        assert shown, f"no visible focus indicator on {html}"
        if index is not None:
            reached.add(int(index))
    missing = sorted(set(range(expected)) - reached)
    described = page.evaluate("ids => ids.map(i => document.querySelector(`[data-kb='${i}']`).outerHTML.slice(0, 100))", missing)
    assert missing == [], f"not reachable by Tab: {described[:5]}"


def test_the_feed_is_valid_atom_listing_public_updates(built_site):
    import xml.etree.ElementTree as ET

    feed = ET.parse(built_site / "updates" / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == len(list((built_site / "updates").glob("*/index.html")))
    assert all(e.find("a:link", ns).get("href").startswith("https://") for e in entries)


@pytest.mark.parametrize("kind", ["recommendation", "inspection"])
def test_pages_print_on_a4_with_their_address_and_without_the_site_furniture(kind, site_url, new_page):
    page = _open(new_page, site_url, PAGE_TYPES[kind])
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.md-header', '.md-tabs', '.md-sidebar--primary', '.md-footer']
             .map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)"""
    )
    assert set(hidden) == {"none"}
    printed_from = page.locator(".pub-print-only")
    assert printed_from.is_visible()
    assert printed_from.inner_text() == f"Printed from https://jersey-childrens-social-care.example/{PAGE_TYPES[kind]}"
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
