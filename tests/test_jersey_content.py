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



# --------------------------------------------------------------------------- the record, linked and corrected

#: Document-sharing sites that copy documents without their publishers: never a source's
#: address, only where its text was read (`read_at`).
MIRRORS = ("fdocuments", "documents.pub", "studylib", "yumpu", "vdocuments", "pdfslide", "docslib", "scribd", "thewriterstown", "blogspot")
IN_SCOPE = {
    "2010-care-inspectorate", "2013-care-inspectorate-follow-up", "2017-care-inquiry", "2019-care-inquiry-review",
    "2018-ofsted", "2019-ofsted", "2023-jcc",
}


def test_every_source_links_to_its_publishers_own_address_or_says_it_is_not_online(content):
    for source in content.sources.values():
        assert bool(source.url) != bool(source.not_online), source.id
        if source.url:
            assert not any(m in source.url for m in MIRRORS), f"{source.id} cites a mirror: {source.url} (put it in read_at)"
    online = [s for s in content.sources.values() if s.url]
    assert len(online) >= 0.8 * len(content.sources)


def test_every_finding_recommendation_and_update_names_the_place_and_the_words_it_rests_on(content):
    for finding in content.findings.values():
        assert finding.section and finding.quote, finding.id
    cited = [(rec.id, c) for rec in content.recommendations.values() for c in rec.sources]
    cited += [(update_id, c) for update_id, update in content.updates.items() for c in update.sources]
    for owner, citation in cited:
        assert citation.section and citation.quote, (owner, citation.source)


def test_the_inspections_reviews_and_inquiry_in_scope_are_all_recorded(content):
    assert IN_SCOPE <= set(content.inspections)
    assert content.inspections["2017-care-inquiry"].recommendations_made == 8
    assert len(content.inspections["2017-care-inquiry"].recommendations) == 8
    assert {p.id for p in content.plans.values() if "2017-care-inquiry" in p.responds_to} == {"care-inquiry-response"}


def test_the_evidence_kind_matches_the_kind_of_document_it_rests_on(content):
    """An independent judgment rests on the body's own report, or on its words quoted in an
    official publication; one known only from the news is a media report."""
    expected = {
        EvidenceKind.INDEPENDENT_INSPECTION: {"inspection-report", "government-publication"},
        EvidenceKind.INDEPENDENT_REVIEW: {"inquiry-report", "government-publication"},
        EvidenceKind.SCRUTINY: {"scrutiny-report", "parliamentary-record"},
    }
    for update_id, update in content.updates.items():
        kinds = {content.sources[c.source].kind.value for c in update.sources}
        if update.evidence in expected:
            assert kinds & expected[update.evidence], (update_id, kinds)


def test_the_corrections_of_the_fact_check_hold(content):
    sources = content.sources
    assert sources["cpt-2010"].date.text == "2010-11-19"  # March 2010 was the visit
    assert sources["williamson-implementation-plan-2009"].date.text == "2009-02-04"  # R.8/2009
    assert sources["news-ministers-unveil-plan"].publisher == "Jersey Evening Post" and sources["news-ministers-unveil-plan"].date.text == "2018-07-20"
    assert sources["independent-jersey-care-inquiry-report"].date.text == "2017-07-03"
    assert "r-59-2017" in sources["independent-jersey-care-inquiry-report"].url  # R.59/2017, not working notes
    plan = content.plans["2018-improvement-plan"]
    assert not any("20" in f.amount for f in plan.funding)  # the £20m belongs to the Government Plan
    assert "early feedback" in plan.summary
    assert content.updates["2013-10-govje-single-action-plan-done"].date.text == "2012-01-24"
    assert content.updates["2023-12-08-jcc-care-leavers-support-better"].status is Status.PARTLY_MET
    assert "improved focus on education" in content.updates["2023-12-08-jcc-mental-health-and-education-addressed"].title.lower()
    assert "real progress" not in content.bodies["2023-12-08-jcc-system-change-partly-met"]
    assert "reached the top" not in content.bodies["2023-12-08-jcc-workforce-still-unstable"]
    assert "this site's reading" in content.bodies["2023-12-08-jcc-supervision-more-effective"].lower()
    assert content.updates["2023-12-jcc-response-workforce"].status is not Status.IN_PROGRESS
    jcc = content.inspections["2023-jcc"]
    assert jcc.recommendations_called.many == "areas for improvement"
    assert "seven areas for improvement" in jcc.summary and "made 8 recommendations" not in jcc.summary
    assert "two areas" not in content.inspections["2013-care-inspectorate-follow-up"].headline
    assert "Ofsted listed five" not in content.inspections["2019-ofsted"].summary
