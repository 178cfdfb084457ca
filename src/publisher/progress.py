"""Deriving where each recommendation stands: status, history, due dates, overdue, lineage.

Nothing here is stored in the content. A status is the status of the latest update that
moved the recommendation; "overdue" is computed from the due date and today's date; the
history is the list of updates in date order. Small pure functions, so each rule can be
tested on its own and a past position ("as at 31 March 2024") is the same computation
with an earlier date.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from .content import Content
from .dates import PartialDate, add_months
from .model import Recommendation, Revision, Update
from .model.update import PLACEHOLDER_MARK
from .problems import Problem
from .vocabulary import EvidenceKind, Status

#: How long after the last update the next one is expected, unless the content says.
UPDATE_INTERVAL_MONTHS = 3


@dataclass(frozen=True)
class Change:
    """One entry in a recommendation's history: an update that set its status."""

    update_id: str
    update: Update
    #: False for a draft or embargoed update, which only the preview shows.
    public: bool = True

    @property
    def status(self) -> Status:
        return self.update.status

    @property
    def evidence(self) -> EvidenceKind:
        return self.update.evidence

    @property
    def date(self) -> PartialDate:
        return self.update.date

    @cached_property  # asked for hundreds of thousands of times by past positions
    def day(self) -> date:
        return effective_day(self.update)


@dataclass(frozen=True)
class DueChange:
    """One move of a recommendation's due date, and how far it moved it."""

    revision: Revision
    previous: PartialDate | None
    #: Days later (negative: earlier), last possible day to last possible day.
    moved_days: int | None


@dataclass(frozen=True)
class Standing:
    """A recommendation's derived position on a given day."""

    recommendation: Recommendation
    inspection_id: str
    history: tuple[Change, ...]
    today: date
    follows: tuple[str, ...] = ()
    followed_by: tuple[str, ...] = ()
    #: When its inspection reported: the clock for the first progress update.
    reported: PartialDate | None = None

    @property
    def id(self) -> str:
        return self.recommendation.id

    @property
    def latest(self) -> Change | None:
        return self.history[-1] if self.history else None

    @property
    def status(self) -> Status:
        return self.latest.status if self.latest else Status.NO_EVIDENCE

    @property
    def evidence(self) -> EvidenceKind | None:
        return self.latest.evidence if self.latest else None

    @property
    def provisional(self) -> bool:
        """The status rests on a draft or embargoed update (so only the preview shows it)."""
        return self.latest is not None and not self.latest.public

    @property
    def original_due(self) -> PartialDate | None:
        due = self.recommendation.due
        return due.date if due and due.date.known else None

    @property
    def due(self) -> PartialDate | None:
        """The due date now in force: the last revision, else the original."""
        if self.recommendation.revised_due:
            return self.recommendation.revised_due[-1].date
        return self.original_due

    @property
    def overdue(self) -> bool:
        return is_overdue(self.due, self.status, self.today)

    @property
    def slipped_days(self) -> int | None:
        """How far the due date has moved, in days (latest possible day to latest possible day)."""
        if not self.recommendation.revised_due or self.original_due is None:
            return None
        return (self.due.end - self.original_due.end).days

    @property
    def slipped(self) -> bool:
        """The due date in force is later than the one first set."""
        return bool(self.slipped_days and self.slipped_days > 0)

    @property
    def due_changes(self) -> list[DueChange]:
        """Each revision of the due date with the date it replaced and how far it moved it."""
        changes, previous = [], self.original_due
        for revision in self.recommendation.revised_due:
            moved = (revision.date.end - previous.end).days if previous is not None else None
            changes.append(DueChange(revision, previous, moved))
            previous = revision.date
        return changes

    @property
    def last_heard(self) -> PartialDate | None:
        """The date of the latest update or, before the first, of the inspection's report."""
        if self.latest is not None:
            return self.latest.date
        return self.reported if self.reported is not None and self.reported.known else None

    @property
    def next_update_due(self) -> date | None:
        """When a progress update is next expected; None once the item is closed.

        By default one quarter after the latest update (or, before the first, after the
        inspection reported). A `next_update_due` set on the recommendation replaces the
        default until an update dated after it arrives.
        """
        if self.status.closed:
            return None
        chosen = self.recommendation.next_update_due
        if chosen is not None and (self.latest is None or chosen.end >= self.latest.day):
            return chosen.end
        heard = self.last_heard
        if heard is None:
            return None
        return add_months(self.latest.day if self.latest else heard.end, UPDATE_INTERVAL_MONTHS)

    @property
    def stale(self) -> bool:
        """True when the next update was due before today and none has come."""
        due = self.next_update_due
        return due is not None and due < self.today


def effective_day(update: Update) -> date:
    """The day an update counts from: the last day its date could mean.

    An update dated only "October 2013" is not known to apply before 31 October 2013,
    so a position "as at 30 September 2013" does not include it.
    """
    return update.date.end


def is_overdue(due: PartialDate | None, status: Status, today: date) -> bool:
    """Overdue: the due date has wholly passed and the item is neither met nor superseded."""
    return due is not None and due.known and due.end < today and not status.closed


def is_public(update: Update, today: date) -> bool:
    """Drafts never reach the public site; embargoed updates appear from their day."""
    return not update.draft and (update.publish_on is None or update.publish_on <= today)


def unpublished_reason(update: Update, today: date) -> str | None:
    """Why the public cannot see an update yet ('draft', 'embargoed'), or None if it can."""
    if update.draft:
        return "draft"
    if update.publish_on is not None and update.publish_on > today:
        return "embargoed"
    return None


def visible_updates(content: Content, today: date, preview: bool = False) -> dict[str, Update]:
    """The updates a reader may see: all of them in preview, the public ones otherwise."""
    return {
        update_id: update
        for update_id, update in content.updates.items()
        if preview or is_public(update, today)
    }


def _history_key(change: Change) -> tuple:
    return (change.day, change.update.date.sort_key, change.update_id)


@dataclass
class Progress:
    """Every recommendation's standing on `today`, from the updates a reader may see."""

    content: Content
    today: date
    updates: dict[str, Update]
    standings: dict[str, Standing] = field(default_factory=dict)
    #: Updates shown although the public cannot see them yet (preview only), with the
    #: reason: 'draft', 'embargoed' or 'unfinished' (its text not yet written).
    unpublished: dict[str, str] = field(default_factory=dict)
    _by_theme: dict[str, list[Standing]] = field(default_factory=dict, repr=False)

    def of_inspection(self, inspection_id: str) -> list[Standing]:
        inspection = self.content.inspections[inspection_id]
        return [self.standings[r.id] for r in inspection.recommendations]

    def of_theme(self, theme_id: str) -> list[Standing]:
        if not self._by_theme:
            for standing in self.standings.values():
                for theme in standing.recommendation.themes:
                    self._by_theme.setdefault(theme, []).append(standing)
        return self._by_theme.get(theme_id, [])


def oldest_first(content: Content):
    """A sort key for standings: by when their inspection took place, then by id."""
    return lambda standing: (content.inspections[standing.inspection_id].period.sort_key, standing.id)


def count_by_status(standings) -> dict[Status, int]:
    """How many recommendations have each status, in the vocabulary's order (zeros kept)."""
    counts = {status: 0 for status in Status}
    for standing in standings:
        counts[standing.status] += 1
    return counts


def count_by_evidence(standings) -> dict[EvidenceKind | None, int]:
    """How many rest on each kind of evidence; None counts those with no evidence at all."""
    counts: dict[EvidenceKind | None, int] = {kind: 0 for kind in EvidenceKind}
    counts[None] = 0
    for standing in standings:
        counts[standing.evidence] += 1
    return counts


def derive(content: Content, today: date, preview: bool = False, *, until: date | None = None) -> Progress:
    """Each recommendation's standing on `today`.

    `until` restricts the evidence to updates effective on or before that day, which gives
    the position "as at" a past date; `today` still decides which updates are public.
    """
    updates = visible_updates(content, today, preview)
    as_at = until or today
    unpublished = {i: why for i, u in updates.items() if (why := unpublished_reason(u, today) or _unfinished(content, i))}
    changes: dict[str, list[Change]] = {rec_id: [] for rec_id in content.recommendations}
    for update_id, update in updates.items():
        if effective_day(update) > as_at:
            continue
        for rec_id in update.recommendations:
            changes[rec_id].append(Change(update_id, update, public=update_id not in unpublished))

    followed_by: dict[str, list[str]] = {}
    for rec in content.recommendations.values():
        for earlier in rec.follows:
            followed_by.setdefault(earlier, []).append(rec.id)

    progress = Progress(content, as_at, updates, unpublished=unpublished)
    for rec_id, rec in content.recommendations.items():
        inspection = content.inspections.get(content.inspection_of[rec_id])
        progress.standings[rec_id] = Standing(
            recommendation=rec,
            inspection_id=content.inspection_of[rec_id],
            history=tuple(sorted(changes[rec_id], key=_history_key)),
            today=as_at,
            follows=tuple(rec.follows),
            followed_by=tuple(followed_by.get(rec_id, ())),
            reported=_reported(inspection) if inspection else None,
        )
    return progress


def earlier(progress: Progress, day: date, keep=None) -> Progress:
    """The same derivation as `derive(content, today, until=day)`, from `progress` (the one
    on `today`, same preview): each history is cut at `day`. `keep(standing)`, if given,
    says which recommendations are wanted (the others are left out).

    Past positions need one derivation per quarter end, forty for a decade; deriving each
    from scratch reads every update again, which for a national tracker is most of the
    cost of `publisher check`. A history is in date order, so cutting it is the same."""
    past = Progress(progress.content, day, progress.updates, unpublished=progress.unpublished)
    for rec_id, standing in progress.standings.items():
        if keep is not None and not keep(standing):
            continue
        history = standing.history
        cut = bisect_right([change.day for change in history], day) if history and history[-1].day > day else len(history)
        # Not dataclasses.replace, which looks the fields up again on each of the hundreds
        # of thousands of copies a national tracker's past positions make.
        past.standings[rec_id] = Standing(**{**standing.__dict__, "history": history[:cut], "today": day})
    return past


def _unfinished(content: Content, update_id: str) -> str | None:
    """'unfinished' for an update whose text is still the placeholder: only the preview
    loads one (the check and the build refuse it)."""
    return "unfinished" if PLACEHOLDER_MARK in content.bodies.get(update_id, "") else None


def _reported(inspection) -> PartialDate:
    """When an inspection's findings became known: its report's date, else its own dates."""
    return inspection.published if inspection.published.known else inspection.period


# --------------------------------------------------------------------------- for authors


def freshness_warnings(content: Content, progress: Progress) -> list[Problem]:
    """A warning, at the recommendation's line, for each open item whose update is overdue."""
    warnings = []
    for standing in progress.standings.values():
        if not standing.stale:
            continue
        where = content.where[f"recommendation:{standing.id}"]
        due = standing.next_update_due.isoformat()
        if standing.latest is not None:
            since, which = f"the update dated {standing.latest.date.label}", "the next"
        else:
            since, which = f"its inspection ({standing.reported.label})", "the first"
        warnings.append(
            Problem(
                where.path,
                where.line,
                f"no update on '{standing.id}' since {since}; {which} was due by {due}",
                "publish an update, or set next_update_due on the recommendation to when one is expected",
                warning=True,
            )
        )
    return sorted(warnings)


def held_back(content: Content, today: date) -> list[tuple[str, str]]:
    """Updates the public site leaves out today: (file, 'draft' or 'embargoed until DAY')."""
    held = []
    for update_id, update in content.updates.items():
        why = unpublished_reason(update, today)
        if why == "embargoed":
            why = f"embargoed until {update.publish_on.isoformat()}"
        if why:
            held.append((content.where[f"update:{update_id}"].path, why))
    return sorted(held)
