"""Deriving statuses, history, overdue, slippage, freshness and lineage."""

from datetime import date

import pytest

from publisher.content import load_content
from publisher.dates import PartialDate
from publisher.progress import count_by_evidence, count_by_status, derive, is_overdue
from publisher.vocabulary import EvidenceKind, Status


@pytest.fixture
def content(minimal_content):
    return load_content(minimal_content)


def test_a_recommendation_with_no_updates_has_no_evidence(content):
    # Move the only update on r2 out of the way by looking before it happened.
    standing = derive(content, date(2026, 1, 1), until=date(2023, 12, 1)).standings["2019-example-r2"]
    assert standing.status is Status.NO_EVIDENCE and standing.evidence is None and standing.history == ()


def test_status_and_evidence_come_from_the_latest_update(content):
    standing = derive(content, date(2026, 1, 1)).standings["2019-example-r2"]
    assert standing.status is Status.MET
    assert standing.evidence is EvidenceKind.INDEPENDENT_INSPECTION
    assert [c.update_id for c in standing.history] == ["2023-12-08-care-leavers"]


def test_drafts_count_only_in_preview(content):
    public = derive(content, date(2026, 1, 1)).standings["2023-example-afi-1"]
    preview = derive(content, date(2026, 1, 1), preview=True).standings["2023-example-afi-1"]
    assert public.status is Status.IN_PROGRESS
    assert preview.status is Status.PARTLY_MET


def test_an_embargoed_update_appears_from_its_day(content):
    embargoed = content.updates["2024-06-30-draft"].model_copy(update={"draft": False, "publish_on": date(2026, 3, 1)})
    content.updates["2024-06-30-draft"] = embargoed
    assert derive(content, date(2026, 2, 28)).standings["2023-example-afi-1"].status is Status.IN_PROGRESS
    assert derive(content, date(2026, 3, 1)).standings["2023-example-afi-1"].status is Status.PARTLY_MET


@pytest.mark.parametrize(
    "due, status, today, expected",
    [
        ("2024-12", Status.IN_PROGRESS, date(2024, 12, 31), False),  # not until the month is over
        ("2024-12", Status.IN_PROGRESS, date(2025, 1, 1), True),
        ("2024-12", Status.MET, date(2025, 1, 1), False),
        ("2024-12", Status.SUPERSEDED, date(2025, 1, 1), False),
        ("2024-12", Status.NOT_MET, date(2025, 1, 1), True),
        ("not stated", Status.NO_EVIDENCE, date(2030, 1, 1), False),
    ],
)
def test_overdue_is_derived_from_the_due_date_and_status(due, status, today, expected):
    assert is_overdue(PartialDate.parse(due), status, today) is expected


def test_the_revised_due_date_is_in_force_and_the_slip_is_measured(content):
    standing = derive(content, date(2025, 3, 1)).standings["2023-example-afi-1"]
    assert standing.original_due.label == "December 2024"
    assert standing.due.label == "June 2025"
    assert standing.slipped_days == (date(2025, 6, 30) - date(2024, 12, 31)).days
    assert not standing.overdue  # due June 2025 now
    assert derive(content, date(2025, 7, 1)).standings["2023-example-afi-1"].overdue


def test_the_next_update_is_due_a_quarter_after_the_last(content):
    standing = derive(content, date(2024, 3, 8)).standings["2023-example-afi-1"]
    assert standing.next_update_due == date(2024, 3, 8) and not standing.stale
    assert derive(content, date(2024, 3, 9)).standings["2023-example-afi-1"].stale


def test_closed_items_are_never_stale(content):
    assert not derive(content, date(2030, 1, 1)).standings["2019-example-r2"].stale


def test_an_as_at_view_ignores_evidence_dated_later(content):
    before = derive(content, date(2026, 1, 1), until=date(2023, 12, 7)).standings["2019-example-r1"]
    after = derive(content, date(2026, 1, 1), until=date(2023, 12, 8)).standings["2019-example-r1"]
    assert (before.status, after.status) == (Status.NO_EVIDENCE, Status.NOT_MET)


def test_an_update_dated_to_a_month_counts_from_the_end_of_the_month(content):
    update = content.updates["2023-12-08-workforce-not-met"]
    content.updates["2023-12-08-workforce-not-met"] = update.model_copy(update={"date": PartialDate.parse("2023-12")})
    assert derive(content, date(2026, 1, 1), until=date(2023, 12, 30)).standings["2019-example-r1"].status is Status.NO_EVIDENCE
    assert derive(content, date(2026, 1, 1), until=date(2023, 12, 31)).standings["2019-example-r1"].status is Status.NOT_MET


def test_lineage_runs_both_ways(content):
    standings = derive(content, date(2026, 1, 1)).standings
    assert standings["2023-example-afi-1"].follows == ("2019-example-r1",)
    assert standings["2019-example-r1"].followed_by == ("2023-example-afi-1",)


def test_counts_keep_every_status_and_evidence_kind(content):
    standings = derive(content, date(2026, 1, 1)).standings.values()
    by_status = count_by_status(standings)
    assert list(by_status) == list(Status) and sum(by_status.values()) == 3
    assert by_status[Status.MET] == 1 and by_status[Status.NOT_MET] == 1 and by_status[Status.IN_PROGRESS] == 1
    by_evidence = count_by_evidence(standings)
    assert by_evidence[EvidenceKind.INDEPENDENT_INSPECTION] == 2 and by_evidence[EvidenceKind.SELF_REPORTED] == 1
