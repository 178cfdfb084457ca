"""Past positions: where every recommendation stood at the end of each quarter, and what
changed in each quarter.

Every update is dated, so the position on any past day is the same derivation with an
earlier date (`progress.derive(..., until=day)`). The site publishes one page per quarter
end since the first update, so a panel can cite "the position at 31 March 2024", and a
page per quarter listing what moved.

The position is what the evidence *dated* on or before that day says, as published now:
an update published later but dated earlier counts. The pages say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, timedelta
from typing import Iterator

from .. import citation
from ..content import Content
from ..dates import PartialDate, long_day
from ..progress import Change, Progress, Standing, count_by_evidence, count_by_status, derive, earlier, effective_day
from . import paging, urls

_QUARTER_END_MONTHS = (3, 6, 9, 12)


def quarter_end_on_or_after(day: date) -> date:
    for month in _QUARTER_END_MONTHS:
        end = _last_day(day.year, month)
        if end >= day:
            return end
    raise AssertionError("unreachable: 31 December ends every year")


def _last_day(year: int, month: int) -> date:
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def previous_quarter_end(day: date) -> date:
    """The quarter end before the quarter that ends on `day` (itself a quarter end)."""
    return date(day.year, day.month - 2, 1) - timedelta(days=1)


def quarter_ends(first: date, today: date) -> list[date]:
    """Every quarter end from the one on or after `first`, up to the last one before `today`
    (a quarter still running has no settled position yet)."""
    days = []
    day = quarter_end_on_or_after(first)
    while day < today:
        days.append(day)
        day = quarter_end_on_or_after(day + timedelta(days=1))
    return days


def published_by(content: Content, standing: Standing, day: date) -> bool:
    """Whether the recommendation had been made public by `day`."""
    return citation.inspection_date(content, standing.inspection_id).end <= day


@dataclass(frozen=True)
class Position:
    """Every recommendation that existed on a quarter end, as it stood then."""

    day: date
    progress: Progress
    standings: list[Standing]

    # Cached: the index of positions and each position's pages ask for these again.
    @cached_property
    def by_status(self):
        return count_by_status(self.standings)

    @cached_property
    def by_evidence(self):
        return count_by_evidence(self.standings)

    @cached_property
    def overdue(self) -> list[Standing]:
        return [s for s in self.standings if s.overdue]

    def by_theme(self) -> list[tuple[object, dict]]:
        """Each theme with its recommendations' statuses then: the summary a large site
        shows instead of a row per recommendation."""
        if "_by_theme" not in self.__dict__:
            self.__dict__["_by_theme"] = self._by_theme()
        return self.__dict__["_by_theme"]

    def _by_theme(self) -> list[tuple[object, dict]]:
        content = self.progress.content
        grouped: dict[str, list[Standing]] = {theme_id: [] for theme_id in content.themes}
        for standing in self.standings:
            for theme_id in standing.recommendation.themes:
                grouped.setdefault(theme_id, []).append(standing)
        return [(content.themes[t], count_by_status(rows)) for t, rows in grouped.items() if t in content.themes]

    @cached_property
    def last_changed(self) -> PartialDate | None:
        """The latest dated event the position rests on."""
        content = self.progress.content
        return citation.latest(
            [citation.inspection_date(content, s.inspection_id) for s in self.standings]
            + [c.date for s in self.standings for c in s.history]
            + [r.decided for s in self.standings for r in s.recommendation.revised_due if r.decided.known and r.decided.end <= self.day]
        )


@dataclass(frozen=True)
class Movement:
    """One recommendation's change over a quarter."""

    before: Standing | None  # None: made public during the quarter
    after: Standing
    #: The updates dated in the quarter that touched it, oldest first.
    changes: tuple[Change, ...]

    # Worked out once each (cached): every page of a quarter's changes asks for them, and a
    # national tracker's quarter has thousands of movements.
    @cached_property
    def status_changed(self) -> bool:
        return self.before is None or self.before.status != self.after.status or self.before.evidence != self.after.evidence

    @cached_property
    def became_overdue(self) -> bool:
        return self.after.overdue and not (self.before and self.before.overdue)


@dataclass(frozen=True)
class Quarter:
    """What changed between the position at `previous.day` and at `position.day`."""

    previous: Position
    position: Position
    movements: list[Movement]

    # Cached: each page of the quarter's changes, and its heading, asks for these lists.
    @cached_property
    def made(self) -> list[Movement]:
        return [m for m in self.movements if m.before is None]

    @cached_property
    def moved(self) -> list[Movement]:
        return [m for m in self.movements if m.before is not None and m.status_changed]

    @cached_property
    def evidence_without_change(self) -> list[Movement]:
        """Updates dated in the quarter that confirmed the status it already had."""
        return [m for m in self.movements if m.before is not None and not m.status_changed and m.changes]

    @cached_property
    def became_overdue(self) -> list[Movement]:
        return [m for m in self.movements if m.became_overdue]


def position(content: Content, today: date, day: date, public: Progress | None = None) -> Position:
    """The public position at the end of `day` (drafts and embargoed updates never count).
    `public`, the public derivation on `today` if at hand, saves deriving it again."""
    def made_by_then(standing: Standing) -> bool:
        return published_by(content, standing, day)

    if public is not None and public.today == today:
        progress = earlier(public, day, keep=made_by_then)
    else:
        progress = derive(content, today, until=day)
    standings = [s for s in progress.standings.values() if made_by_then(s)]
    return Position(day, progress, standings)


def quarter(previous: Position, current: Position) -> Quarter:
    before = {s.id: s for s in previous.standings}
    movements = []
    for after in current.standings:
        changes = tuple(c for c in after.history if previous.day < c.day <= current.day)
        earlier = before.get(after.id)
        movement = Movement(earlier, after, changes)
        if earlier is None or movement.status_changed or changes or movement.became_overdue:
            movements.append(movement)
    return Quarter(previous, current, movements)


def first_evidence(progress: Progress) -> date | None:
    days = [effective_day(u) for u in progress.updates.values()]
    return min(days) if days else None


#: The last positions worked out, by (content, progress, today): listing the pages (the
#: permanence check) and rendering them need the same ones, and each is a derivation.
_last: dict[tuple[int, int, date], list[Position]] = {}


def positions(content: Content, public: Progress, today: date) -> list[Position]:
    """The position at every quarter end since the first public update, oldest first."""
    key = (id(content), id(public), today)
    if key in _last:
        return _last[key]
    first = first_evidence(public)
    found = [position(content, today, day, public) for day in quarter_ends(first, today)] if first is not None else []
    _last.clear()
    _last[key] = found
    return found


def _days(public: Progress, today: date) -> list[date]:
    first = first_evidence(public)
    return quarter_ends(first, today) if first is not None else []


def day_of(src: str) -> date | None:
    """The quarter end a past-position page is about (`as-at/2024-03-31/changes.md`), or
    None for the index."""
    part = src.split("/")[1].removesuffix(".md") if src.count("/") else ""
    try:
        return date.fromisoformat(part)
    except ValueError:
        return None


def forget() -> None:
    """Drop the positions kept for the build that worked them out (see `site.build_site`)."""
    _last.clear()


@dataclass
class Kept:
    """What a preview keeps of the past positions between refreshes (`publisher.preview`):
    an edit to updates dated from `since` on leaves every position before it as it was, so
    those are neither worked out nor rendered again."""

    quarters: list = field(default_factory=list)
    #: Quarters ending before this day are kept; None: every quarter is made again.
    since: date | None = None


def pages(content: Content, public: Progress, today: date, page, kept: Kept | None = None) -> Iterator[tuple[str, str, bool]]:
    """The past-position pages; `page` renders one (see `site.pages`). With `kept`, the
    quarters before `kept.since` are taken from it, and their pages left out."""
    found = positions(content, public, today) if kept is None else None
    days = [p.day for p in found] if found is not None else _days(public, today)
    reusable = {}
    if kept is not None and kept.since is not None and [q.position.day for q in kept.quarters] == days:
        reusable = {q.position.day: q for q in kept.quarters if q.position.day < kept.since}
    quarters = []
    for index, day in enumerate(days):
        if day in reusable:
            quarters.append(reusable[day])
            continue
        current = found[index] if found is not None else position(content, today, day, public)
        previous = quarters[index - 1].position if index else position(content, today, previous_quarter_end(day), public)
        quarters.append(quarter(previous, current))
    if kept is not None:
        kept.quarters = quarters
    yield page(
        urls.AS_AT, "as-at-index.md", "Past positions: where things stood at the end of each quarter",
        "The status of every recommendation at the end of each quarter, and what changed in each.",
        in_nav=True, quarters=list(reversed(quarters)),
    )
    for index, q in enumerate(quarters):
        if q.position.day in reusable:
            continue  # unchanged: its pages are what they were
        label = long_day(q.position.day)
        last_changed = None if getattr(page, "listing", False) else q.position.last_changed
        neighbours = dict(
            earlier=quarters[index - 1].position.day if index else None,
            later=quarters[index + 1].position.day if index + 1 < len(quarters) else None,
        )
        yield page(
            urls.as_at(q.position.day), "as-at.md", f"Position at {label}",
            f"Where every recommendation stood at {label}, from the evidence dated by then.",
            search_exclude=True, quarter=q, last_changed=last_changed, **neighbours,
        )
        # Every movement of the quarter, in the order the page lists them, a page at a time.
        entries = [
            *(("moved", m) for m in q.moved),
            *(("made", m) for m in q.made),
            *(("overdue", m) for m in q.became_overdue),
            *(("confirmed", m) for m in q.evidence_without_change),
        ]
        title = f"What changed in the quarter to {label}"
        for src, chunk, place in paging.paginate(urls.changes(q.position.day), entries, paging.ROWS):
            yield page(
                src, "as-at-changes.md", title if place.number == 1 else f"{title} (page {place.number} of {place.count})",
                f"Every change in the status of a recommendation between {q.previous.day.isoformat()} and {q.position.day.isoformat()}.",
                search_exclude=True, quarter=q, last_changed=last_changed, paging=place,
                **{kind: [m for k, m in chunk if k == kind] for kind in ("moved", "made", "overdue", "confirmed")},
                **neighbours,
            )
