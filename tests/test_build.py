"""Integration: build real sites into temporary folders and read the HTML."""

import hashlib
import re
import shutil
import sys
from pathlib import Path

import pytest

from support import MINIMAL, ROOT, copy_project, override, publisher, run, search_text
from publisher.content import load_content

pytestmark = pytest.mark.slow


def _tree_hash(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("fixture-project"), MINIMAL)
    result = publisher("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def _text(site: Path, page: str) -> str:
    html = (site / page / "index.html").read_text()
    body = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_every_inspection_and_recommendation_has_a_page(fixture_site):
    for inspection in ("2019-example", "2023-example"):
        assert (fixture_site / "inspections" / inspection / "index.html").is_file()
    for rec in ("2019-example-r1", "2019-example-r2", "2023-example-afi-1"):
        assert (fixture_site / "recommendations" / rec / "index.html").is_file()


def test_a_recommendation_page_shows_status_evidence_due_dates_history_and_lineage(fixture_site):
    text = _text(fixture_site, "recommendations/2023-example-afi-1")
    assert "A stable workforce" in text
    assert "Status: In progress" in text and "Based on self-reported evidence" in text
    assert "December 2024 (12 months from the date of inspection)" in text
    assert "June 2025" in text and "6 months later than first set" in text and "The recruitment campaign was delayed." in text
    assert "The service will recruit permanent staff." in text
    assert "Stabilise the workforce" in text  # the 2019 recommendation it follows
    assert "Overdue" in text  # June 2025 has passed on the test's fixed date


def test_drafts_are_not_in_the_public_build(fixture_site):
    assert not (fixture_site / "updates" / "2024-06-30-draft").exists()
    for page in fixture_site.rglob("*.html"):
        assert "A draft not yet published" not in page.read_text(), page
    assert "A draft not yet published" not in search_text(fixture_site)


def test_findings_have_anchors_that_links_resolve_to(fixture_site):
    html = (fixture_site / "inspections" / "2023-example" / "index.html").read_text()
    assert 'id="2023-example-f01"' in html and 'href="#2023-example-f01"' in html
    update = (fixture_site / "updates" / "2023-12-08-workforce-not-met" / "index.html").read_text()
    assert 'href="../../inspections/2023-example/#2023-example-f01"' in update


def test_generated_pages_are_not_in_the_navigation(fixture_site):
    home = (fixture_site / "index.html").read_text()
    nav = home.split('<nav class="md-nav md-nav--primary', 1)[1].split('<div class="md-content"', 1)[0]
    assert "2023-example-afi-1" not in nav and "Recommendations" in nav


def test_building_changes_nothing_under_content(tmp_path):
    project = copy_project(tmp_path / "project", MINIMAL)
    before = _tree_hash(project / "content")
    assert publisher("build", cwd=project).returncode == 0
    assert _tree_hash(project / "content") == before


def test_plain_mkdocs_build_strict_also_works(tmp_path):
    project = copy_project(tmp_path / "project", MINIMAL)
    result = run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "out"), cwd=project)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "recommendations" / "2019-example-r1" / "index.html").is_file()


def test_a_content_mistake_fails_the_build_and_keeps_the_previous_site(tmp_path):
    project = copy_project(tmp_path / "project", MINIMAL)
    assert publisher("build", cwd=project).returncode == 0
    before = _tree_hash(project / "site")
    themes = project / "content" / "themes.yml"
    themes.write_text(themes.read_text().replace("title: Care leavers", "title: 42"))
    result = publisher("build", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/themes.yml:6: 'title': expected text" in result.stderr
    assert _tree_hash(project / "site") == before
    assert not list(project.glob(".site.building-*"))


def test_a_broken_internal_link_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project", MINIMAL)
    template = override(project, "generated/home.md")
    template.write_text(template.read_text() + '\n<p><a href="{{ href("recommendations/nope.md") }}">x</a></p>\n')
    result = publisher("build", cwd=project)
    assert result.returncode == 1
    assert "broken link to recommendations/nope/ (no such page or file): from index.html (recommendations/nope/)" in result.stderr
    assert not (project / "site").exists()


def test_the_real_content_has_a_page_for_every_inspection_and_recommendation(built_site):
    content = load_content(ROOT / "content")
    assert content.inspections and content.recommendations
    for inspection_id in content.inspections:
        assert (built_site / "inspections" / inspection_id / "index.html").is_file()
    for rec_id in content.recommendations:
        assert (built_site / "recommendations" / rec_id / "index.html").is_file()


def test_page_templates_are_not_published_as_files(fixture_site):
    assert not (fixture_site / "generated").exists()


def test_a_label_and_its_value_are_apart_in_the_text_search_indexes(built_site):
    """Pagefind reads `<dt>Sources</dt><dd>Summary...` as "SourcesSummary": a result's
    excerpt would run the words together. Every term is kept apart from its value."""
    joined = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html") if "</dt><dd>" in p.read_text()]
    assert joined == []


def test_no_update_since_reads_as_english_when_the_last_date_is_a_span(built_site):
    """The 2023 response is dated "December 2023 to April 2024" (the sources give no day):
    the notice names the update that date belongs to instead of "since December ... to ..."."""
    html = (built_site / "recommendations" / "2023-jcc-afi-5" / "index.html").read_text()
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "No update since the update dated December 2023 to April 2024." in page
    assert "No update since December 2023 to April 2024" not in page
