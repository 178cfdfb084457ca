"""The bundled Jersey content: complete, sourced and honest about what the sources say."""

import re

import pytest

from support import ROOT
from publisher.content import load_content
from publisher.progress import derive
from publisher.settings import from_environment
from publisher.vocabulary import EvidenceKind, Status

SEEDS_NAMED = {
    "bbc-long-way-to-go", "govje-looked-after-children", "jcc-2023-summary-report",
    "news-ministers-unveil-plan", "govje-improving-outcomes",
}


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / "content")


def test_every_theme_and_inspection_cites_a_source(content):
    assert all(theme.sources for theme in content.themes.values())
    assert all(inspection.sources for inspection in content.inspections.values())


def test_the_five_seed_documents_and_the_earlier_reports_are_sources(content):
    assert SEEDS_NAMED <= set(content.sources)
    earlier = [s for s in content.sources.values() if s.date.known and s.date.start.year <= 2010]
    assert len(earlier) >= 10  # Kathie Bull parts 1-4, Williamson x2, Howard League, scrutiny, Options, CPT


def test_the_2010_inspection_records_fourteen_recommendations_and_names_only_what_the_source_names(content):
    inspection = content.inspections["2010-care-inspectorate"]
    assert inspection.recommendations_made == 14
    assert len(inspection.recommendations) < 14 and inspection.recommendations_note


def test_the_2023_inspection_has_seven_areas_plus_the_iro_area_each_due_in_december_2024(content):
    recs = content.inspections["2023-jcc"].recommendations
    assert len(recs) == 8
    for rec in recs:
        assert rec.standard and re.fullmatch(r"Standard \d+", rec.standard)
        assert rec.due.date.text == "2024-12" and rec.response is not None


def test_every_recommendation_has_a_theme_and_a_status_backed_by_evidence_or_no_evidence(content):
    progress = derive(content, from_environment().today)
    for standing in progress.standings.values():
        assert standing.recommendation.themes
        if standing.status is Status.NO_EVIDENCE:
            assert standing.latest is None
        else:
            assert standing.evidence in EvidenceKind and standing.latest.update.sources

