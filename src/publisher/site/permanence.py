"""What makes pages citable: the "Cite this page" block, each item's history of status
changes, notes for moved anchors, redirect pages, the /cite/ page and the open-data page.

The block and the history are drawn by one include (`_cite.md`) at the end of each item
template; the functions here are the template globals it calls, so the item templates
stay free of this logic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Iterator

from markupsafe import Markup

from .. import citation, exports
from ..content import Content
from ..dates import PartialDate
from ..progress import Change, Progress, Standing
from . import urls
from .urls import Urls

if TYPE_CHECKING:  # permalinks imports this package: only the type is needed here
    from ..permalinks import Moved


@dataclass(frozen=True)
class Entry:
    """One row of an item's history: a status change of one of its recommendations."""

    change: Change
    standing: Standing


@dataclass(frozen=True)
class MovedNote:
    """An anchor that used to be on this page, and where its item is now."""

    anchor: str
    href: str
    reason: str


class Citing:
    """The template globals behind `_cite.md`, for one build."""

    def __init__(
        self,
        content: Content,
        progress: Progress,
        *,
        site_url: str,
        publisher: str,
        version: str,
        moved: list[Moved],
        link: Urls,
        page_of_url: dict[str, str],
    ):
        self.content, self.progress = content, progress
        self.site_url, self.publisher = site_url, publisher
        self.version = version
        self.short_version = version[: citation.SHORT_VERSION]
        self.changed = citation.last_changed(content, progress)
        self.link, self.page_of_url = link, page_of_url
        self.history = self._histories()
        self.moved_anchors: dict[str, list[Moved]] = {}
        for m in moved:
            if m.is_anchor:
                self.moved_anchors.setdefault(m.page, []).append(m)

    def _histories(self) -> dict[str, list[Entry]]:
        """For inspection, theme and plan pages: every status change of their recommendations."""

        def entries(standings) -> list[Entry]:
            rows = [Entry(c, s) for s in standings for c in s.history]
            return sorted(rows, key=lambda e: (e.change.day, e.change.date.sort_key, e.change.update_id, e.standing.id), reverse=True)

        progress = self.progress
        history = {urls.inspection(i): entries(progress.of_inspection(i)) for i in self.content.inspections}
        history.update({urls.theme(t): entries(progress.of_theme(t)) for t in self.content.themes})
        for plan in self.content.plans.values():
            recs = dict.fromkeys(r for area in plan.key_areas for r in area.recommendations)
            history[urls.PLAN if plan.current else urls.plan(plan.id)] = entries(progress.standings[r] for r in recs)
        # A source's page lists the status changes that rest on it.
        resting: dict[str, list[Entry]] = {source_id: [] for source_id in self.content.sources}
        for standing in progress.standings.values():
            for change in standing.history:
                for source_id in dict.fromkeys(c.source for c in change.update.sources):
                    resting[source_id].append(Entry(change, standing))
        for source_id, rows in resting.items():
            history[urls.source(source_id)] = sorted(
                rows, key=lambda e: (e.change.day, e.change.date.sort_key, e.change.update_id, e.standing.id), reverse=True
            )
        return history

    # The three template globals -------------------------------------------------------

    def cite(self, page_src: str, title: str, changed: PartialDate | None = None) -> citation.Cite | None:
        """The citation of a page; None for a page that is not an item or a position."""
        if changed is None:
            if page_src not in self.changed:
                return None
            changed = self.changed[page_src]
        return citation.Cite(
            title=title,
            publisher=self.publisher,
            url=self.site_url + urls.canonical(page_src),
            last_changed=changed,
            version=self.short_version,
        )

    def changes_on(self, page_src: str) -> list[Entry] | None:
        """The status changes a page lists: for an inspection, theme or plan, those of its
        recommendations; for a source, those resting on it. None where the page has its
        own (a recommendation) or none applies."""
        return self.history.get(page_src)

    def moved_here(self, page_src: str) -> list[MovedNote]:
        notes = []
        for m in self.moved_anchors.get("/" + urls.canonical(page_src), []):
            notes.append(MovedNote(m.anchor or "", self.href(page_src, m.final), m.reason))
        return notes

    def href(self, from_src: str, address: str) -> str:
        """A relative link from a page to any published address (`/page/`, `/page/#anchor`
        or `/data/file.csv`, as in the register)."""
        path, _, anchor = address.partition("#")
        if path in self.page_of_url:
            return self.link.href(from_src, self.page_of_url[path], anchor or None)
        return self.link.asset(from_src, path.lstrip("/"))

    def globals(self) -> dict[str, Any]:
        return {"cite": self.cite, "changes_on": self.changes_on, "moved_here": self.moved_here}


# --------------------------------------------------------------------------- pages


def redirect_pages(citing: Citing, moved: list[Moved], page) -> Iterator[tuple[str, str, bool]]:
    """A page at each old page address that sends readers on, without JavaScript."""
    for m in moved:
        if m.is_anchor:
            continue
        src = urls.src_of(m.old.lstrip("/"))
        yield page(
            src, "redirect.md", "This page has moved", "", search_exclude=True,
            extra_meta={"template": "moved.html", "redirect": citing.href(src, m.final)},
            moved=m, target=citing.href(src, m.final), target_url=citing.site_url + m.final.lstrip("/"),
        )


def cite_page(content: Content, progress: Progress, citing: Citing, page) -> Iterator[tuple[str, str, bool]]:
    example_standing = next(iter(progress.standings.values()), None)
    example = None
    if example_standing is not None:
        rec = example_standing.recommendation
        inspection = content.inspections[example_standing.inspection_id]
        src = urls.recommendation(rec.id)
        example = (src, citing.cite(src, f"Recommendation: {rec.title} ({inspection.period.label})"))
    yield page(
        urls.CITE, "cite.md", "How to cite this site",
        "How to cite a page, a past position or the data, and how to check a citation later.",
        in_nav=True, example=example, version=citing.version, short_version=citing.short_version,
        site_url=citing.site_url,
    )


def _iso(value: PartialDate | None, today: date) -> str | None:
    return min(value.end, today).isoformat() if value is not None and value.known else None


def data_page(
    content: Content,
    public: Progress,
    citing: Citing,
    files: list[exports.DataFile],
    *,
    name: str,
    description: str,
    licence: exports.Licence | None,
    page,
) -> Iterator[tuple[str, str, bool]]:
    changed = citation.latest(citing.changed.values())
    starts = [d for d in [*(i.period for i in content.inspections.values()), *(s.date for s in content.sources.values())] if d.known]
    data_url = citing.site_url + urls.canonical(urls.DATA)
    dataset: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": f"{name}: open data",
        "description": description,
        "url": data_url,
        "version": citing.short_version,
        "identifier": f"sha256:{citing.version}",
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": citing.publisher},
        "publisher": {"@type": "Organization", "name": citing.publisher},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": f.name,
                "encodingFormat": "text/csv" if f.name.endswith(".csv") else "application/json",
                "contentUrl": citing.site_url + urls.data_file(f.name),
            }
            for f in files
        ],
    }
    if licence is not None:
        dataset["license"] = licence.url
    modified = _iso(changed, public.today)
    if modified:
        dataset["dateModified"] = modified
    if starts:
        first = min(d.start for d in starts)
        dataset["temporalCoverage"] = f"{first.isoformat()}/{public.today.isoformat()}"
    # JSON inside <script>: "</" would end the element early, so it is escaped.
    json_ld = json.dumps(dataset, ensure_ascii=False, indent=1).replace("</", "<\\/")
    yield page(
        urls.DATA, "data.md", "Open data",
        "Every inspection, finding, recommendation, update, source and theme as CSV and JSON, with a Frictionless Data Package.",
        in_nav=True, tables=exports.table_summaries(files), package=next(f for f in files if f.name == "datapackage.json"),
        version=citing.version, short_version=citing.short_version, licence=licence,
        json_ld=Markup(json_ld), last_changed=changed, data_href=urls.data_file,
    )
