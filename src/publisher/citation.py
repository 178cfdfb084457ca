"""Citing the site: which version of the data a page shows, when its item last changed,
and the citation a reader can paste into a report.

Everything here comes from the content, never from the clock: a page built today and the
same page built next year from the same content give the same citation. The data version
is a hash of the published content files, so a panel can say exactly which state of the
record it relied on, and anyone can check a later copy against it.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

from .content import Content
from .dates import PartialDate
from .progress import Progress, Standing
from .site import urls

#: How many hex digits of the data version a citation shows (48 bits: no accidental clash).
SHORT_VERSION = 12

#: What each kind of citable page is called in words (metadata, feeds, the cite block).
KINDS = {
    "recommendation": "Recommendation",
    "inspection": "Inspection",
    "theme": "Theme",
    "plan": "Plan",
    "update": "Progress update",
    "source": "Source",
    "position": "Past position",
    "changes": "Changes in a quarter",
    "data": "Open data",
}
_FOLDERS = {
    "recommendations": "recommendation", "inspections": "inspection", "themes": "theme",
    "updates": "update", "sources": "source", "plans": "plan",
}
_PAGE_N = re.compile(r"page-[0-9]+")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@lru_cache(maxsize=1 << 17)  # asked for every page and address, many times over
def kind_of(src: str) -> str | None:
    """The kind of item a page is about, for the pages that end with "Cite this page"
    (`KINDS`); None for every other page (lists, the home page, the About pages, files).

    The one rule for which pages are citable: the cite block, the metadata in each page's
    head, the citation files beside it and the register of addresses all follow it.
    """
    if src == urls.PLAN:
        return "plan"
    if src == urls.DATA:
        return "data"
    if not src.endswith(".md"):
        return None
    parts = src[:-3].split("/")
    if len(parts) == 2 and parts[0] in _FOLDERS and parts[1] != "index" and not _PAGE_N.fullmatch(parts[1]):
        return _FOLDERS[parts[0]]
    if parts[0] == "as-at" and len(parts) >= 2 and _DAY.fullmatch(parts[1]):
        if len(parts) == 2:
            return "position"
        if parts[2] == "changes" and (len(parts) == 3 or (len(parts) == 4 and _PAGE_N.fullmatch(parts[3]))):
            return "changes"
    return None


def machine_date(value: "PartialDate | date | None") -> str | None:
    """A partial date as one W3C/ISO 8601 date for machines (metadata, feeds, sitemaps,
    `<time datetime>`), never more precise than the source: a day `2024-03-31`; a month,
    or days within one month, `2024-03`; a year, or a span within one year, `2024`. A span
    across years (`2010/11`, `2023-12..2024-04`) gives the year it ends: the item had
    changed by then. None when the date is not stated."""
    if isinstance(value, date):
        return value.isoformat()
    if value is None or not value.known or value.start is None or value.end is None:
        return None
    start, end = value.start, value.end
    if value.precision == "day":
        return start.isoformat()
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year:04d}-{start.month:02d}"
    return f"{end.year:04d}"


def date_parts(value: PartialDate | None) -> list[list[int]] | None:
    """A partial date as CSL `date-parts`, with a span as a range, as precise as the source."""
    if value is None or not value.known or value.start is None or value.end is None:
        return None
    start, end = value.start, value.end
    by_precision = {
        "day": ([start.year, start.month, start.day], None),
        "day-range": ([start.year, start.month, start.day], [end.year, end.month, end.day]),
        "month": ([start.year, start.month], None),
        "month-range": ([start.year, start.month], [end.year, end.month]),
        "year": ([start.year], None),
        "years": ([start.year], [end.year]),
    }
    first, last = by_precision[value.precision]
    return [first] if last is None else [first, last]


def data_version(root: Path, public_updates: Iterable[str]) -> str:
    """A SHA-256 over every content file the public site is built from.

    Drafts and embargoed updates are left out (they change nothing the public sees).
    Paths are taken relative to the content folder and Windows line endings are read as
    Unix ones, so the same content gives the same version in any folder, on any system.
    """
    root = Path(root)
    public = set(public_updates)
    digest = hashlib.sha256()
    files = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        if relative.parts[0] == "updates" and path.suffix == ".md" and path.stem not in public:
            continue
        files.append((relative.as_posix(), path))
    for name, path in sorted(files):
        data = path.read_bytes().replace(b"\r\n", b"\n")
        digest.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def latest(dates: Iterable[PartialDate | None]) -> PartialDate | None:
    """The latest of some partial dates (by the last day each can mean); None if none is known."""
    known = [d for d in dates if d is not None and d.known]
    return max(known, key=lambda d: (d.end, d.start, d.text)) if known else None


def inspection_date(content: Content, inspection_id: str) -> PartialDate:
    """When an inspection's findings and recommendations became public: the report's
    publication if the sources give it, else the inspection itself."""
    inspection = content.inspections[inspection_id]
    return inspection.published if inspection.published.known else inspection.period


def recommendation_changed(content: Content, standing: Standing) -> PartialDate | None:
    """The latest dated event in a recommendation's record: made, re-dated, or moved."""
    rec = standing.recommendation
    return latest(
        [inspection_date(content, standing.inspection_id)]
        + [r.decided for r in rec.revised_due]
        + [change.date for change in standing.history]
    )


def last_changed(content: Content, progress: Progress) -> dict[str, PartialDate | None]:
    """For each item page (by its source path), when its item last changed."""
    changed: dict[str, PartialDate | None] = {}
    by_rec = {rec_id: recommendation_changed(content, s) for rec_id, s in progress.standings.items()}
    for rec_id in by_rec:
        changed[urls.recommendation(rec_id)] = by_rec[rec_id]
    for inspection in content.inspections.values():
        changed[urls.inspection(inspection.id)] = latest(
            [inspection_date(content, inspection.id)] + [by_rec[r.id] for r in inspection.recommendations]
        )
    for theme in content.themes.values():
        changed[urls.theme(theme.id)] = latest(by_rec[s.id] for s in progress.of_theme(theme.id))
    for plan in content.plans.values():
        src = urls.PLAN if plan.current else urls.plan(plan.id)
        changed[src] = latest(
            [plan.announced]
            + [f.date for f in plan.funding]
            + [by_rec[r] for area in plan.key_areas for r in area.recommendations]
        )
    for update_id, update in progress.updates.items():
        changed[urls.update(update_id)] = update.date
    for source in content.sources.values():
        changed[urls.source(source.id)] = source.date
    return changed


@dataclass(frozen=True)
class Cite:
    """What the "Cite this page" block shows, and what every machine-readable form of the
    citation (the metadata in the page's head, the RIS, BibTeX and CSL-JSON files, the
    citations in named styles) is made from: one set of facts."""

    title: str
    publisher: str
    #: The absolute permanent address.
    url: str
    last_changed: PartialDate | None
    #: The data version, shortened (see SHORT_VERSION).
    version: str
    #: The kind of item (`KINDS`); "" for a page that is not one.
    kind: str = ""
    #: The page's permanent path from the site root (`recommendations/x/`): its citation
    #: files and feed are in that folder.
    path: str = ""
    #: The website's name (`site_name` in mkdocs.yml), the "container" the page is in.
    site: str = ""
    #: The citation in named styles (`citeformats.STYLES`): (style id, label, form, HTML).
    #: Empty where the site renders none for this page (`citeformats.choose_styled`).
    styles: tuple = ()

    @property
    def text(self) -> str:
        """A ready citation: publisher, title in quotes, last change, data version, address."""
        changed = self.last_changed.label if self.last_changed and self.last_changed.known else "date not stated"
        return (
            f"{self.publisher}, \u201c{self.title}\u201d, last changed {changed}, "
            f"data version {self.version}. {self.url}"
        )

    @property
    def date(self) -> str | None:
        """The last-changed date for machines (`machine_date`); None if not stated."""
        return machine_date(self.last_changed)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, "Page")

    @property
    def key(self) -> str:
        """A citation key for reference managers: the path, `recommendations:2023-x-r1`."""
        return re.sub(r"[^A-Za-z0-9_.-]+", ":", self.path.strip("/")) or "home"
