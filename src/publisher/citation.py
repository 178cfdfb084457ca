"""Citing the site: which version of the data a page shows, when its item last changed,
and the citation a reader can paste into a report.

Everything here comes from the content, never from the clock: a page built today and the
same page built next year from the same content give the same citation. The data version
is a hash of the published content files, so a panel can say exactly which state of the
record it relied on, and anyone can check a later copy against it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .content import Content
from .dates import PartialDate
from .progress import Progress, Standing
from .site import urls

#: How many hex digits of the data version a citation shows (48 bits: no accidental clash).
SHORT_VERSION = 12


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
    """What the "Cite this page" block shows."""

    title: str
    publisher: str
    #: The absolute permanent address.
    url: str
    last_changed: PartialDate | None
    #: The data version, shortened (see SHORT_VERSION).
    version: str

    @property
    def text(self) -> str:
        """A ready citation: publisher, title in quotes, last change, data version, address."""
        changed = self.last_changed.label if self.last_changed and self.last_changed.known else "date not stated"
        return (
            f"{self.publisher}, \u201c{self.title}\u201d, last changed {changed}, "
            f"data version {self.version}. {self.url}"
        )
