"""Deriving statuses, history, overdue, slippage, freshness and lineage."""

from datetime import date

import pytest

from publisher.content import load_content
from publisher.dates import PartialDate
from publisher.progress import count_by_evidence, count_by_status, derive, freshness_warnings, held_back, is_overdue
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


# --------------------------------------------------------------------------- slippage


def test_each_change_of_due_date_records_what_it_replaced_and_how_far_it_moved(content):
    rec = content.recommendations["2023-example-afi-1"]
    second = rec.revised_due[0].model_copy(update={"date": PartialDate.parse("2025-09")})
    content.recommendations["2023-example-afi-1"] = rec.model_copy(update={"revised_due": [*rec.revised_due, second]})
    standing = derive(content, date(2025, 3, 1)).standings["2023-example-afi-1"]
    changes = standing.due_changes
    assert [(c.previous.text, c.revision.date.text) for c in changes] == [("2024-12", "2025-06"), ("2025-06", "2025-09")]
    assert [c.moved_days for c in changes] == [181, 92]
    assert standing.slipped and standing.slipped_days == 273


def test_a_due_date_brought_forward_has_not_slipped(content):
    rec = content.recommendations["2023-example-afi-1"]
    earlier = rec.revised_due[0].model_copy(update={"date": PartialDate.parse("2024-09")})
    content.recommendations["2023-example-afi-1"] = rec.model_copy(update={"revised_due": [earlier]})
    standing = derive(content, date(2025, 3, 1)).standings["2023-example-afi-1"]
    assert standing.slipped_days < 0 and not standing.slipped


# --------------------------------------------------------------------------- freshness


def test_a_recommendation_never_updated_is_expected_to_have_an_update_a_quarter_after_its_inspection_reported(content):
    # Before the 2023 updates, 2019-example-r1 has none; its inspection was published in June 2019.
    standing = derive(content, date(2019, 9, 30), until=date(2019, 9, 30)).standings["2019-example-r1"]
    assert standing.last_heard.text == "2019-06" and standing.next_update_due == date(2019, 9, 30)
    assert not standing.stale
    assert derive(content, date(2019, 10, 1), until=date(2019, 10, 1)).standings["2019-example-r1"].stale


def test_a_next_update_date_set_on_the_recommendation_holds_until_a_later_update_arrives(content):
    rec = content.recommendations["2023-example-afi-1"]
    content.recommendations["2023-example-afi-1"] = rec.model_copy(update={"next_update_due": PartialDate.parse("2024-12")})
    assert derive(content, date(2024, 6, 1)).standings["2023-example-afi-1"].next_update_due == date(2024, 12, 31)
    assert not derive(content, date(2024, 12, 31)).standings["2023-example-afi-1"].stale
    assert derive(content, date(2025, 1, 1)).standings["2023-example-afi-1"].stale
    # An update dated after the set date restarts the default quarterly clock.
    later = content.updates["2023-12-08-response"].model_copy(update={"date": PartialDate.parse("2025-02-10")})
    content.updates["2025-02-10-later"] = later
    standing = derive(content, date(2025, 3, 1)).standings["2023-example-afi-1"]
    assert standing.next_update_due == date(2025, 5, 10) and not standing.stale


def test_freshness_warnings_name_the_recommendations_file_and_line(content):
    warnings = freshness_warnings(content, derive(content, date(2026, 1, 1)))
    assert [str(w) for w in warnings] == [
        "content/inspections/2019-example.yml:26: warning: no update on '2019-example-r1' since the update dated "
        "8 December 2023; the next was due by 2024-03-08 (publish an update, or set next_update_due on the "
        "recommendation to when one is expected)",
        "content/inspections/2023-example.yml:26: warning: no update on '2023-example-afi-1' since the update dated "
        "8 December 2023; the next was due by 2024-03-08 (publish an update, or set next_update_due on the "
        "recommendation to when one is expected)",
    ]


# --------------------------------------------------------------------------- drafts and embargoes


def test_in_preview_a_status_resting_on_a_draft_is_provisional_and_the_draft_is_listed(content):
    preview = derive(content, date(2026, 1, 1), preview=True)
    standing = preview.standings["2023-example-afi-1"]
    assert standing.provisional and not standing.latest.public
    assert preview.unpublished == {"2024-06-30-draft": "draft"}
    public = derive(content, date(2026, 1, 1))
    assert not public.standings["2023-example-afi-1"].provisional and public.unpublished == {}
    assert "2024-06-30-draft" not in public.updates


def test_the_updates_held_back_from_the_public_site_are_listed_with_the_reason(content):
    embargoed = content.updates["2023-12-08-response"].model_copy(update={"publish_on": date(2026, 3, 1)})
    content.updates["2023-12-08-response"] = embargoed
    assert held_back(content, date(2026, 2, 28)) == [
        ("content/updates/2023-12-08-response.md", "embargoed until 2026-03-01"),
        ("content/updates/2024-06-30-draft.md", "draft"),
    ]
    assert held_back(content, date(2026, 3, 1)) == [("content/updates/2024-06-30-draft.md", "draft")]
