"""The communications team's job, end to end, on a copy of the real content: start an
update, check it, build, and find it on the site; drafts and embargoed updates only in the
preview; a spreadsheet of updates; slippage and freshness as the public sees them.

"""

import json
import re
import sys
from pathlib import Path

import pytest

from support import MINIMAL, TODAY, copy_project, publisher, run, search_text
from publisher.model.update import BODY_PLACEHOLDER

pytestmark = pytest.mark.slow

NEW_TITLE = "Service reports a recruitment campaign under way"
DRAFT_TITLE = "Zebra draft about missing from home"
EMBARGOED_TITLE = "Quokka embargoed statement on permanence"
EMBARGO_DAY = "2026-12-01"  # after the tests' fixed "today", 2026-11-25


def _text(site: Path, page: str) -> str:
    """The visible text of a page's article, whitespace collapsed."""
    html = (site / page / "index.html").read_text()
    body = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _everywhere(site: Path, needle: str) -> list[str]:
    """Every built file (pages, search index, sitemap, feeds, data) that contains `needle`."""
    return [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and needle in p.read_text(errors="ignore")]


def _new(project: Path, *args: str):
    return publisher("new", "update", *args, cwd=project)


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    """The real content, with one finished update, one draft and one embargoed update,
    built as the public site and as the preview."""
    project = copy_project(tmp_path_factory.mktemp("flow"))
    made = _new(project, "--title", NEW_TITLE, "--recommendation", "2023-jcc-afi-4", "--status", "partly-met",
                "--source", "jcc-2023-summary-report (Improvement plan)", "--date", "2026-11-20")
    assert made.returncode == 0, made.stderr
    new_file = project / "content" / "updates" / "2026-11-20-service-reports-a-recruitment-campaign-under-way.md"
    assert f"Wrote content/updates/{new_file.name}" in made.stdout

    unfinished = publisher("check", cwd=project)
    assert unfinished.returncode == 1 and "the text is still the placeholder" in unfinished.stderr
    new_file.write_text(new_file.read_text().replace(BODY_PLACEHOLDER, "The service says it has started a recruitment campaign."))
    finished = publisher("check", cwd=project)
    assert finished.returncode == 0, finished.stderr

    draft = _new(project, "--title", DRAFT_TITLE, "--recommendation", "2023-jcc-afi-6", "--status", "met",
                 "--source", "jcc-2023-summary-report (Improvement plan)", "--date", "2026-11-21", "--draft")
    embargoed = _new(project, "--title", EMBARGOED_TITLE, "--recommendation", "2023-jcc-afi-5", "--status", "met",
                     "--source", "jcc-2023-summary-report (Improvement plan)", "--date", "2026-11-22", "--publish-on", EMBARGO_DAY)
    assert draft.returncode == 0 and embargoed.returncode == 0
    embargoed_file = project / "content" / "updates" / "2026-11-22-quokka-embargoed-statement-on-permanence.md"
    embargoed_file.write_text(embargoed_file.read_text().replace(BODY_PLACEHOLDER, "A statement held until its day."))
    check = publisher("check", cwd=project)
    assert check.returncode == 0, check.stderr
    assert "2026-11-21-zebra-draft-about-missing-from-home.md: not on the public site yet (draft)" in check.stdout
    assert f"2026-11-22-quokka-embargoed-statement-on-permanence.md: not on the public site yet (embargoed until {EMBARGO_DAY})" in check.stdout

    built = publisher("build", "--site-dir", str(project / "public"), cwd=project)
    assert built.returncode == 0, built.stderr
    preview = run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "preview"), cwd=project, env={"PUBLISHER_PREVIEW": "1"})
    assert preview.returncode == 0, preview.stderr
    return project


def test_publishing_flow_scaffold_check_build(flow):
    """scaffold -> check -> build: the update is on its recommendation page and in the lists."""
    site = flow / "public"
    update_id = "2026-11-20-service-reports-a-recruitment-campaign-under-way"
    page = _text(site, f"updates/{update_id}")
    assert NEW_TITLE in page and "The service says it has started a recruitment campaign." in page
    recommendation = _text(site, "recommendations/2023-jcc-afi-4")
    assert "Status: Partly met" in recommendation and f"Based on self-reported evidence: {NEW_TITLE} ( 20 November 2026 )" in recommendation
    assert "Draft" not in recommendation
    assert NEW_TITLE in _text(site, "updates") and NEW_TITLE in _text(site, "")
    assert NEW_TITLE in search_text(site)
    assert f"updates/{update_id}/" in (site / "sitemap.xml").read_text()
    feed = (site / "updates" / "feed.xml").read_text()
    assert f"<title>{NEW_TITLE}</title>" in feed and f"updates/{update_id}/" in feed
    rows = {row["id"]: row for row in json.loads((site / "data" / "updates.json").read_text())}
    assert rows[update_id]["title"] == NEW_TITLE and rows[update_id]["recommendations"] == ["2023-jcc-afi-4"]
    assert rows[update_id]["status"] == "partly-met" and rows[update_id]["url"].endswith(f"/updates/{update_id}/")
    assert f"{update_id}," in (site / "data" / "updates.csv").read_text()
    recommendations = {row["id"]: row for row in json.loads((site / "data" / "recommendations.json").read_text())}
    assert recommendations["2023-jcc-afi-4"]["status"] == "partly-met"


def test_drafts_and_embargoed_updates_are_nowhere_in_the_public_build(flow):
    site = flow / "public"
    for title, update_id in [
        (DRAFT_TITLE, "2026-11-21-zebra-draft-about-missing-from-home"),
        (EMBARGOED_TITLE, "2026-11-22-quokka-embargoed-statement-on-permanence"),
    ]:
        assert not (site / "updates" / update_id).exists()
        assert title not in (site / "updates" / "feed.xml").read_text()
        assert _everywhere(site, title) == [] and _everywhere(site, update_id) == []  # pages, search, sitemap, feed, data
        assert update_id not in (site / "data" / "updates.csv").read_text()
    # The statuses they would set are not shown either.
    assert "Status: In progress" in _text(site, "recommendations/2023-jcc-afi-6")
    assert "Status: In progress" in _text(site, "recommendations/2023-jcc-afi-5")
    # No page carries a draft flag or banner (the publishing guide only describes them).
    pages = [p for p in _everywhere(site, "pub-flag--draft") + _everywhere(site, "pub-banner--draft") if p.endswith(".html")]
    assert pages == []


def test_the_preview_flags_drafts_wherever_they_appear(flow):
    site = flow / "preview"
    draft_page = _text(site, "updates/2026-11-21-zebra-draft-about-missing-from-home")
    assert "Draft - not published. This update is a draft" in draft_page
    embargoed_page = _text(site, "updates/2026-11-22-quokka-embargoed-statement-on-permanence")
    assert "embargoed until 1 December 2026" in embargoed_page

    recommendation = _text(site, "recommendations/2023-jcc-afi-6")
    assert recommendation.startswith(" Draft - not published. In this preview the status below comes from an update the public cannot see yet")
    assert "Status: Met Draft - not published" in recommendation
    assert f"{DRAFT_TITLE} Draft - not published" in recommendation  # its row in the history
    assert "Status: Met Embargoed until 1 December 2026 - not published" in _text(site, "recommendations/2023-jcc-afi-5")

    home = _text(site, "")
    assert "Preview - not the public site. 2 updates that are not published yet (drafts, embargoed or unfinished) are included" in home
    assert f"{DRAFT_TITLE} Draft - not published" in home
    updates = _text(site, "updates")
    assert f"{DRAFT_TITLE} Draft - not published" in updates and f"{EMBARGOED_TITLE} Embargoed until 1 December 2026 - not published" in updates
    # A list's banner says what on that page is not public, not how many drafts the site has.
    assert 'Preview - not the public site. Items marked "not published" below rest on updates that are not published yet' in updates
    lists = [_text(site, path) for path in ("recommendations", "recommendations/page-2", "recommendations/page-3")]
    assert any("- not published" in text for text in lists)
    for text in lists:  # the banner on the pages with a draft's status, and only there
        banner = 'Preview - not the public site. Items marked "not published" below rest on updates' in text
        assert banner == ("- not published" in text)
    assert "Met Draft - not published" in _text(site, "inspections/2023-jcc")  # the inspection's table
    assert any("Met Draft - not published" in _text(site, f"recommendations/page-{n}") for n in (2, 3))  # a numbered page
    assert f"Update: {DRAFT_TITLE} (preview only: not published)" in _text(site, "sources/jcc-2023-summary-report")


def test_an_embargoed_update_appears_from_its_day(flow, tmp_path):
    site = tmp_path / "site"
    result = publisher("build", "--site-dir", str(site), cwd=flow, env={"PUBLISHER_TODAY": EMBARGO_DAY})
    assert result.returncode == 0, result.stderr
    page = _text(site, "updates/2026-11-22-quokka-embargoed-statement-on-permanence")
    assert EMBARGOED_TITLE in page and "not published" not in page
    assert "Status: Met" in _text(site, "recommendations/2023-jcc-afi-5")
    assert not (site / "updates" / "2026-11-21-zebra-draft-about-missing-from-home").exists()


def test_a_spreadsheet_of_updates_is_published_by_one_command(tmp_path):
    project = copy_project(tmp_path / "project")
    sheet = project / "quarter.csv"
    good = "2026-09-30,2023-jcc-afi-7,in-progress,self-reported,jcc-2023-summary-report (Improvement plan),Health assessments being reviewed,The service says it is reviewing health assessments.\n"
    bad = "2026-09-30,2023-jcc-afi-3,finished,self-reported,jcc-2023-summary-report (Improvement plan),Quality assurance,Text.\n"
    sheet.write_text("date,recommendation,status,evidence,source,title,summary\n" + good + bad)
    refused = publisher("import", "updates", "quarter.csv", cwd=project)
    assert refused.returncode == 1 and "quarter.csv:3: row 3, column 'status': 'finished' is not a valid status" in refused.stderr
    assert not list((project / "content" / "updates").glob("2026-09-30-*"))

    sheet.write_text("date,recommendation,status,evidence,source,title,summary\n" + good)
    assert publisher("import", "updates", "quarter.csv", cwd=project).returncode == 0
    assert publisher("build", "--site-dir", str(project / "site"), cwd=project).returncode == 0
    recommendation = _text(project / "site", "recommendations/2023-jcc-afi-7")
    assert "Status: In progress" in recommendation and "Health assessments being reviewed" in recommendation


# --------------------------------------------------------------------------- slippage and freshness on the site


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("fixture"), MINIMAL)
    result = publisher("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_slippage_shows_the_first_date_each_revision_and_how_far_it_moved(fixture_site):
    page = _text(fixture_site, "recommendations/2023-example-afi-1")
    assert "First due December 2024 (12 months from the date of inspection)" in page
    assert "Due now June 2025 (6 months later than first set)" in page
    assert "June 2025 December 2024 6 months later November 2024 The recruitment campaign was delayed. Minister announces funding" in page


def test_the_home_page_counts_and_lists_slipped_items(fixture_site):
    home = _text(fixture_site, "")
    assert "1 with a due date moved later" in home
    assert "1 recommendation has had its due date moved later." in home
    assert "A stable workforce Area for improvement 1 December 2024 June 2025 Overdue Revised 6 months later In progress" in home


def test_an_item_past_its_next_update_date_says_since_when(fixture_site):
    page = _text(fixture_site, "recommendations/2023-example-afi-1")
    assert ("No update since 8 December 2023. This site looks for a progress update a quarter after the last; "
            "by that reckoning the next was expected by 8 March 2024. No source set that date.") in page
    assert "Next update expected 8 March 2024 No update since 8 December 2023" in page
    assert "No update since 8 December 2023" in _text(fixture_site, "recommendations")
    html = (fixture_site / "recommendations" / "index.html").read_text()
    assert 'id="2023-example-afi-1"' in html and re.search(r'id="2023-example-afi-1"[^>]*data-stale="yes"', html)
    closed = _text(fixture_site, "recommendations/2019-example-r2")
    assert "Next update due" not in closed and "No update since" not in closed


def test_the_search_index_of_the_public_fixture_site_has_no_draft(fixture_site):
    index = search_text(fixture_site)
    assert "A draft not yet published" not in index
    assert "Inspectors find the workforce still unstable" in index  # a published update is there


def test_an_unfinished_update_shows_in_the_preview_but_stops_the_public_build(tmp_path):
    project = copy_project(tmp_path / "project", MINIMAL)
    made = _new(project, "--title", "Half written", "--recommendation", "2019-example-r1", "--status", "in-progress", "--source", "news-2024 (Third paragraph)", "--date", "2026-11-01")
    assert made.returncode == 0, made.stderr
    preview = run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "preview"), cwd=project, env={"PUBLISHER_PREVIEW": "1"})
    assert preview.returncode == 0, preview.stderr
    page = _text(tmp_path / "preview", "updates/2026-11-01-half-written")
    assert "Draft - not published. Its text is still the placeholder" in page
    assert "Status: In progress Text not written - not published" in _text(tmp_path / "preview", "recommendations/2019-example-r1")

    public = publisher("build", cwd=project)
    assert public.returncode == 1 and "content/updates/2026-11-01-half-written.md:12: the text is still the placeholder" in public.stderr
    assert not (project / "site").exists()
