"""The record: what the reports made against what is recorded here, and the check that no
page claims a completeness the data does not have."""

from __future__ import annotations

import pytest

from support import copy_project, override, publisher
from publisher.content import load_content
from publisher.problems import ContentError
from publisher.record import completeness_claims, tally


def test_the_tally_counts_made_and_recorded_for_each_inspection(minimal_content):
    record = tally(load_content(minimal_content))
    first, second = record.coverage["2019-example"], record.coverage["2023-example"]
    assert (first.made, first.recorded, first.complete) == (3, 2, False)
    assert (second.made, second.recorded) == (None, 1) and not second.complete
    assert record.recorded == 3 and record.made_where_stated == 3 and record.recorded_where_stated == 2
    assert [c.inspection_id for c in record.short] == ["2019-example"]
    assert [c.inspection_id for c in record.uncounted] == ["2023-example"]
    assert not record.complete


def test_the_record_is_complete_only_when_every_total_is_stated_and_met(minimal_content):
    (minimal_content / "inspections" / "2019-example.yml").write_text(
        (minimal_content / "inspections" / "2019-example.yml").read_text().replace("recommendations_made: 3", "recommendations_made: 2")
    )
    assert not tally(load_content(minimal_content)).complete  # 2023-example gives no total
    path = minimal_content / "inspections" / "2023-example.yml"
    path.write_text(path.read_text().replace("recommendations:\n", "recommendations_made: 1\nrecommendations:\n", 1))
    assert tally(load_content(minimal_content)).complete


@pytest.mark.parametrize("text", [
    "This site lists every recommendation they made.",
    "Every published inspection of Jersey's services since 2003.",
    "It holds all the recommendations the inspectors made.",
    "Every recommendation made to the service, with its status.",
    "Eleven recommendations from every inspection.",
    "every area for improvement the reports asked for",
])
def test_claims_that_the_record_is_whole_are_found(text):
    assert [phrase for _, phrase in completeness_claims(text)]


@pytest.mark.parametrize("text", [
    "The recommendations recorded here, with their status.",
    "Every recommendation has one status.",
    "Where every recommendation stood at the end of each quarter.",
    "Every published update on progress, newest first.",
    "Every inspection, finding, recommendation and source has a permanent address.",
])
def test_claims_about_the_sites_own_items_pass(text):
    assert list(completeness_claims(text)) == []


def test_a_claim_split_by_markup_across_lines_is_found_on_its_line():
    html = "<p>Intro.</p>\n<p>Lists <strong>every\nrecommendation</strong> they made.</p>"
    assert list(completeness_claims(html)) == [(2, "every recommendation they made")]


def test_a_hand_written_page_claiming_completeness_fails_the_check_with_its_line(minimal_content):
    page = minimal_content / "pages" / "about" / "index.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("# About\n\nThis site brings together\nevery recommendation those inspections made.\n")
    with pytest.raises(ContentError) as caught:
        load_content(minimal_content)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("content/pages/about/index.md", 4)
    assert "claims the record is complete, but 2019-example records 2 of 3" in problem.message
    assert "the recommendations recorded here" in problem.fix


def test_a_template_that_would_claim_completeness_fails_the_build_and_leaves_no_site(tmp_path, minimal_content):
    project = copy_project(tmp_path / "project", minimal_content)
    template = override(project, "generated/themes.md")
    template.write_text(template.read_text() + "\n<p>These themes cover every recommendation the inspectors made.</p>\n")
    result = publisher("build", "--site-dir", str(project / "site"), cwd=project)
    assert result.returncode == 1
    assert "themes/index.md (a generated page)" in result.stderr
    assert "'every recommendation the inspectors made' claims the record is complete" in result.stderr
    assert not (project / "site").exists()
