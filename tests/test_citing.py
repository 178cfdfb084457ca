"""Citing: the "Cite this page" block, anchors, item histories and past positions."""

import html
import re
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import pytest

from support import MINIMAL, copy_project, publisher, search_text
from publisher.content import load_content
from publisher.progress import derive
from publisher.site import as_at

pytestmark = pytest.mark.slow

SITE_URL = "https://jersey-childrens-social-care.example/"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("citing-project"), MINIMAL)
    result = publisher("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def _article(page: Path) -> str:
    return page.read_text().split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _cite_block(page: Path) -> str:
    return _article(page).split('<div class="pub-cite" data-search-exclude>', 1)[1].split("</div>", 1)[0]


ITEM_FOLDERS = ["inspections", "recommendations", "themes", "updates", "sources", "plans"]


def test_every_item_page_has_a_cite_block(built_site):
    for folder in ITEM_FOLDERS:
        # Item pages, not the numbered pages of a long list (recommendations/page-2/).
        pages = [p for p in (built_site / folder).glob("*/index.html") if not p.parent.name.startswith("page-")]
        assert pages, folder
        for page in pages:
            assert 'id="cite-this-page"' in page.read_text(), page
    assert 'id="cite-this-page"' in (built_site / "plan" / "index.html").read_text()


def test_each_citation_block_url_resolves_to_its_page(built_site):
    checked = 0
    for page in sorted(built_site.rglob("index.html")):
        text = page.read_text()
        if "pub-cite__url" not in text:
            continue
        match = re.search(r'<a class="pub-cite__url" href="([^"]*)">([^<]*)</a>', text)
        href, shown = html.unescape(match.group(1)), html.unescape(match.group(2))
        own = page.parent.relative_to(built_site).as_posix()
        own = "" if own == "." else own + "/"
        # The address shown is the page's own permanent address, on the public site...
        assert shown == SITE_URL + own, page
        assert f'<link rel="canonical" href="{shown}">' in text
        # ...and the link resolves, in this copy, to the page itself.
        target = urljoin("/" + own, href)
        assert target == "/" + own, (page, href)
        assert (built_site / target.lstrip("/") / "index.html").resolve() == page.resolve()
        # The ready citation carries the same address.
        citation = _text(_cite_block(page).split('class="pub-cite__text">', 1)[1].split("</p>", 1)[0])
        assert citation.endswith(shown), citation
        checked += 1
    assert checked > 50


def test_the_cite_block_gives_title_publisher_last_change_from_the_data_and_data_version(fixture_site):
    block = _text(_cite_block(fixture_site / "recommendations" / "2023-example-afi-1" / "index.html"))
    assert "Title Recommendation: A stable workforce (4 to 8 December 2023)" in block
    assert "Publisher Jersey children's social care tracker" in block
    # The latest event in its record: the due date revised in November 2024 (not the build date).
    assert "Last changed November 2024" in block
    version = re.search(r"Data version ([0-9a-f]{12})", block).group(1)
    assert (
        f"Jersey children's social care tracker, \u201cRecommendation: A stable workforce (4 to 8 December 2023)\u201d, "
        f"last changed November 2024, data version {version}. {SITE_URL}recommendations/2023-example-afi-1/"
    ) in block
    update = _text(_cite_block(fixture_site / "updates" / "2023-12-08-response" / "index.html"))
    assert "Last changed 8 December 2023" in update


def test_the_data_version_ignores_drafts_but_follows_published_content(tmp_path):
    def version(project):
        assert publisher("build", cwd=project).returncode == 0
        return re.search(r"Data version ([0-9a-f]{12})", _text(_cite_block(project / "site" / "themes" / "workforce" / "index.html"))).group(1)

    project = copy_project(tmp_path / "project", MINIMAL)
    first = version(project)
    draft = project / "content" / "updates" / "2024-06-30-draft.md"
    draft.write_text(draft.read_text() + "\nMore draft text.\n")
    assert version(project) == first
    themes = project / "content" / "themes.yml"
    themes.write_text(themes.read_text().replace("Care leavers", "Young people leaving care"))
    assert version(project) != first


def test_the_cite_page_explains_how_and_is_in_the_navigation(built_site):
    text = _text(_article(built_site / "cite" / "index.html"))
    for words in ("Cite a page", "Data version", "Cite a past position", "manifest.sha256", "sha256sum -c"):
        assert words in text
    assert 'href="cite/"' in (built_site / "index.html").read_text() or 'href="./cite/"' in (built_site / "index.html").read_text()


def test_recommendations_and_findings_have_copyable_anchors_on_their_inspection_page(fixture_site):
    page = (fixture_site / "inspections" / "2023-example" / "index.html").read_text()
    row = page.split('<tr id="2023-example-afi-1"', 1)[1].split("</tr>", 1)[0]
    assert '<a class="pub-anchor" href="#2023-example-afi-1"' in row
    assert 'id="2023-example-f01"' in page and 'href="#2023-example-f01"' in page


def test_inspection_and_theme_pages_list_each_status_change_with_evidence_and_source(fixture_site):
    history = _article(fixture_site / "inspections" / "2019-example" / "index.html").split('id="status-changes"', 1)[1]
    text = _text(history.split("</table>", 1)[0])
    assert "8 December 2023 Stabilise the workforce Not met Independent inspection Inspectors find the workforce still unstable" in text
    assert "Inspection report 2023" in text or "report" in text.lower()
    theme = _text(_article(fixture_site / "themes" / "workforce" / "index.html").split('id="status-changes"', 1)[1])
    assert "Not met" in theme and "In progress" in theme
    assert "A draft not yet published" not in theme


def test_quarter_ends_start_after_the_first_update_and_stop_before_today():
    assert as_at.quarter_ends(date(2013, 10, 31), date(2014, 7, 1)) == [date(2013, 12, 31), date(2014, 3, 31), date(2014, 6, 30)]
    assert as_at.quarter_ends(date(2014, 3, 31), date(2014, 3, 31)) == []
    assert as_at.previous_quarter_end(date(2024, 3, 31)) == date(2023, 12, 31)
    assert as_at.previous_quarter_end(date(2024, 9, 30)) == date(2024, 6, 30)


def test_a_past_position_counts_only_evidence_dated_by_then():
    content = load_content(MINIMAL)
    today = date(2026, 11, 25)
    before = as_at.position(content, today, date(2023, 9, 30))
    after = as_at.position(content, today, date(2023, 12, 31))
    assert {s.id for s in before.standings} == {"2019-example-r1", "2019-example-r2"}  # 2023's not yet published
    assert all(s.status.value == "no-evidence" for s in before.standings)
    statuses = {s.id: s.status.value for s in after.standings}
    assert statuses == {"2019-example-r1": "not-met", "2019-example-r2": "met", "2023-example-afi-1": "in-progress"}
    quarter = as_at.quarter(before, after)
    assert {m.after.id for m in quarter.moved} == {"2019-example-r1", "2019-example-r2"}
    assert [m.after.id for m in quarter.made] == ["2023-example-afi-1"]
    # The draft dated June 2024 never counts.
    assert as_at.position(content, today, date(2024, 6, 30)).progress.standings["2023-example-afi-1"].status.value == "in-progress"
    assert as_at.first_evidence(derive(content, today)) == date(2023, 12, 8)


def test_as_at_pages_exist_for_each_quarter_with_what_changed(fixture_site):
    days = sorted(p.name for p in (fixture_site / "as-at").iterdir() if p.is_dir())
    assert days[0] == "2023-12-31" and days[-1] == "2026-09-30" and len(days) == 12
    position = _text(_article(fixture_site / "as-at" / "2023-12-31" / "index.html"))
    assert "Position at 31 December 2023" in position and "Cite this page" in position
    changes = _text(_article(fixture_site / "as-at" / "2023-12-31" / "changes" / "index.html"))
    assert "2 status changes, 1 new recommendation" in changes
    assert "Stabilise the workforce Improvement required 1, 2019 No published evidence None published Not met Independent inspection" in changes
    quiet = _text(_article(fixture_site / "as-at" / "2024-03-31" / "changes" / "index.html"))
    assert "No recommendation changed status in this quarter" in quiet
    index = _text(_article(fixture_site / "as-at" / "index.html"))
    assert "31 December 2023" in index and "30 September 2026" in index
    # Past positions are kept out of the site search, so searches find the current pages.
    assert "as-at/2023-12-31" not in search_text(fixture_site)


def test_a_source_page_lists_the_status_changes_resting_on_it(fixture_site):
    text = _text(_article(fixture_site / "sources" / "report-2023" / "index.html").split('id="status-changes"', 1)[1])
    assert "Stabilise the workforce Not met Independent inspection" in text
    assert "Better support for care leavers Met" in text
