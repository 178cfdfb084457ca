"""The figures behind the charts: status by inspection, status over time, a theme across
the years. Each chart is a list of rows of counts by status; the template
`site_overrides/generated/_charts.md` draws them as stacked bars in inline SVG, with the
same figures as a table beside them.

Drawn by hand rather than with a chart library: the charts are a few rectangles each,
must load nothing from elsewhere, must follow the page's light or dark palette, and must
keep their labels as real text that stays readable on a 320-pixel phone screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..content import Content
from ..dates import long_day
from ..progress import Progress, Standing, count_by_status, derive, oldest_first
from ..vocabulary import Status
from . import urls
from .paging import CHART_ROWS


@dataclass(frozen=True)
class Segment:
    status: Status
    count: int
    start: float  # percent of the bar
    width: float  # percent of the bar


@dataclass(frozen=True)
class Row:
    label: str
    src: str | None  # the page the label links to, if any
    counts: dict[Status, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def segments(self, scale: int) -> list[Segment]:
        """Bar segments as percentages of the widest row (`scale`), zero counts left out."""
        segments, start = [], 0.0
        for status, count in self.counts.items():
            if count:
                width = 100 * count / scale
                segments.append(Segment(status, count, round(start, 3), round(width, 3)))
                start += width
        return segments

    @property
    def summary(self) -> str:
        parts = [f"{status.label}: {count}" for status, count in self.counts.items() if count]
        return "; ".join(parts) if parts else "none"


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    rows: list[Row]
    label_heading: str

    @property
    def scale(self) -> int:
        return max((row.total for row in self.rows), default=0) or 1

    @property
    def statuses(self) -> list[Status]:
        """The statuses that appear at least once, in vocabulary order (for the legend)."""
        used = {status for row in self.rows for status, count in row.counts.items() if count}
        return [status for status in Status if status in used]


def _by_year(content: Content, groups: dict[str, list[Standing]]) -> list[Row]:
    """One row per year of inspection, for a chart that would otherwise need a row for
    each of hundreds of inspections."""
    years: dict[int, list[Standing]] = {}
    counted: dict[int, int] = {}
    for inspection_id, standings in groups.items():
        year = content.inspections[inspection_id].period.start.year
        years.setdefault(year, []).extend(standings)
        counted[year] = counted.get(year, 0) + 1
    return [
        Row(f"{year}: {counted[year]} inspection{'s' if counted[year] != 1 else ''}", None, count_by_status(years[year]))
        for year in sorted(years)
    ]


def status_by_inspection(content: Content, progress: Progress) -> Chart:
    inspections = sorted(content.inspections.values(), key=lambda i: (i.period.sort_key, i.id))
    with_recommendations = [i for i in inspections if i.recommendations]
    if len(with_recommendations) > CHART_ROWS:
        rows = _by_year(content, {i.id: progress.of_inspection(i.id) for i in with_recommendations})
        return Chart(
            "status-by-inspection",
            "Where the recommendations of each year's inspections stand now",
            "For the inspections of each year, their recommendations recorded here, by current status.",
            rows,
            "Year of inspection",
        )
    rows = [
        Row(f"{i.period.label}: {i.inspectorate}", urls.inspection(i.id), count_by_status(progress.of_inspection(i.id)))
        for i in with_recommendations
    ]
    return Chart(
        "status-by-inspection",
        "Where each inspection's recommendations stand now",
        "For each inspection, its recommendations recorded here, by current status.",
        rows,
        "Inspection",
    )


def status_over_time(content: Content, progress: Progress, preview: bool = False) -> Chart:
    """The position at the end of each year in which something changed, and today."""
    today = progress.today
    first_year = min(
        [i.period.start.year for i in content.inspections.values() if i.recommendations and i.period.start]
        or [today.year]
    )
    rows: list[Row] = []
    previous: dict | None = None
    for year in range(first_year, today.year):
        day = date(year, 12, 31)
        made = [s for s in derive(content, today, preview, until=day).standings.values() if _made_by(content, s, day)]
        counts = count_by_status(made)
        if counts != previous and made:
            rows.append(Row(f"End of {year}", None, counts))
        previous = counts
    rows.append(Row(f"{long_day(today)} (now)", None, count_by_status(progress.standings.values())))
    return Chart(
        "status-over-time",
        "How the position has changed over time",
        "The status of the recommendations recorded here, at the end of each year in which something changed, and now.",
        rows,
        "Date",
    )


def _made_by(content: Content, standing: Standing, day: date) -> bool:
    """A recommendation counts from the first day its inspection could have made it."""
    period = content.inspections[standing.inspection_id].period
    return period.start is not None and period.start <= day


def theme_across_years(content: Content, progress: Progress, theme_id: str) -> Chart:
    rows: dict[str, list[Standing]] = {}
    for standing in sorted(progress.of_theme(theme_id), key=oldest_first(content)):
        rows.setdefault(standing.inspection_id, []).append(standing)
    theme = content.themes[theme_id]
    if len(rows) > CHART_ROWS:
        return Chart(
            f"theme-{theme_id}",
            f"{theme.title}: each year it was raised, and how it ended",
            "For the inspections of each year that raised this concern, their recommendations about it by current status.",
            _by_year(content, rows),
            "Year of inspection",
        )
    return Chart(
        f"theme-{theme_id}",
        f"{theme.title}: each time it was raised, and how it ended",
        "For each inspection that raised this concern, its recommendations about it by current status.",
        [
            Row(
                f"{content.inspections[i].period.label}: {content.inspections[i].inspectorate}",
                urls.inspection(i),
                count_by_status(standings),
            )
            for i, standings in rows.items()
        ],
        "Inspection",
    )
