"""The built Jersey site as a fact-checker reads it: every count says what was made and what
is recorded, every citation leads to the document and the passage, and the site says
whose words and whose dates it gives."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from support import ROOT
from publisher.content import load_content
from publisher.progress import derive
from publisher.record import completeness_claims
from publisher.settings import from_environment

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / "content")


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text()


def _text(page: str) -> str:
    body = page.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_an_inspection_page_says_how_many_were_made_and_how_many_are_recorded(built_site):
    text = _text(_page(built_site, "inspections/2010-care-inspectorate"))
    assert "14 recommendations; 1 of 14 recorded here." in text
    assert "The others are not named in any document this site has found" in text
    jcc = _text(_page(built_site, "inspections/2023-jcc"))
    assert "8 areas for improvement." in jcc and "Areas for improvement" in jcc


def test_the_timeline_tabulates_made_against_recorded_for_every_report(built_site, content):
    page = _page(built_site, "inspections")
    table = page.split('id="record"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td[^>]*><a href=\"([^\"/]+)/\">", table)
    assert set(rows) == set(content.inspections)
    assert re.search(r"2010-care-inspectorate/\">[^\n]*?data-label=\"Made\">14</td><td class=\"pub-num\" data-label=\"Recorded here\">1 <span class=\"pub-muted\">of 14</span>", table, re.S)
    assert "Not stated" in table  # reports that give no total say so


def test_no_page_claims_a_completeness_the_record_lacks(built_site):
    for page in built_site.rglob("*.html"):
        assert not list(completeness_claims(_text_of(page))), page


def _text_of(page: Path) -> str:
    text = page.read_text()
    return _text(text) if '<article class="md-content__inner md-typeset">' in text else ""


def test_the_home_page_counts_what_is_recorded_and_says_what_is_missing(built_site):
    text = _text(_page(built_site, ""))
    assert "recommendations recorded here" in text
    assert "the recommendations they made that the published documents let it state" in text
    assert re.search(r"asked for \d+ in all; \d+ of those are recorded here", text)


def test_every_citation_links_to_the_document_and_to_the_sources_page(built_site, content):
    for rec_id, rec in content.recommendations.items():
        page = _page(built_site, f"recommendations/{rec_id}")
        for citation in rec.sources:
            source = content.sources[citation.source]
            if source.url:
                assert f'<a class="pub-doc" href="{html.escape(source.url)}">' in page, (rec_id, source.id)
            assert f'sources/{source.id}/"' in page


def test_from_any_status_the_passage_it_rests_on_is_two_clicks_away(built_site, content):
    """Status -> its update (one click); the update page quotes each source's passage and
    links to the document (the second click)."""
    progress = derive(content, from_environment().today)
    checked = 0
    for standing in progress.standings.values():
        if not standing.latest:
            continue
        update_id = standing.latest.update_id
        rec_page = _page(built_site, f"recommendations/{standing.id}")
        assert f'updates/{update_id}/"' in rec_page
        update_page = _page(built_site, f"updates/{update_id}")
        for citation in standing.latest.update.sources:
            assert re.sub(r"\s+", " ", citation.quote) in _text(update_page), (update_id, citation.quote)
            source = content.sources[citation.source]
            if source.url:
                assert f'href="{html.escape(source.url)}"' in update_page
        checked += 1
    assert checked >= 20


def test_a_recommendation_known_only_from_a_news_report_says_whose_words_they_are(built_site):
    text = _text(_page(built_site, "recommendations/2019-ofsted-imp-1"))
    assert re.search(r"What was asked for, as .*BBC.* reported it", text)
    assert "These are not the report's own words" in text


def test_a_date_the_site_expects_an_update_by_is_called_its_own(built_site, content):
    progress = derive(content, from_environment().today)
    stale = next(s for s in progress.standings.values() if s.stale and not s.recommendation.next_update_due)
    text = _text(_page(built_site, f"recommendations/{stale.id}"))
    assert "This site's own expectation: an update a quarter after the last. No source set this date." in text
    assert "No source set that date." in text


def test_the_open_data_gives_each_sources_address_or_why_it_has_none(built_site, content):
    import csv

    with (built_site / "data" / "sources.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    for source in content.sources.values():
        row = rows[source.id]
        assert row["document_url"] == (source.url or "") and row["not_online"] == (source.not_online or "")
        assert row["document_url"] or row["not_online"]
