"""What makes pages citable: the "Cite this page" block, each item's history of status
changes, notes for moved anchors, redirect pages, the /cite/ page and the open-data page.

The block and the history are drawn by one include (`_cite.md`) at the end of each item
template; the functions here are the template globals it calls, so the item templates
stay free of this logic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any, Callable, Iterator, Mapping

from markupsafe import Markup

from .. import citation, citeformats, exports
from ..content import Content
from ..dates import PartialDate
from ..progress import Change, Progress, Standing
from . import urls
from .pages import item_titles
from .render import UNCHANGED_FILE, Later
from .urls import Urls


@dataclass(frozen=True)
class Entry:
    """One row of an item's history: a status change of one of its recommendations."""

    change: Change
    standing: Standing


@dataclass(frozen=True)
class Moved:
    """A checked redirect (`permalinks.check`): `old` now leads to `final` (after following
    any chain). Defined here, where the site uses it (redirect pages, moved-anchor notes),
    because `permalinks` builds on the site's addresses, not the other way round."""

    old: str
    new: str
    final: str
    reason: str
    path: str
    line: int

    @property
    def is_anchor(self) -> bool:
        return "#" in self.old

    @property
    def page(self) -> str:
        """The page the old address was on (itself, for a page)."""
        return self.old.split("#", 1)[0]

    @property
    def anchor(self) -> str | None:
        return self.old.split("#", 1)[1] if self.is_anchor else None


@dataclass(frozen=True)
class MovedNote:
    """An anchor that used to be on this page, and where its item is now."""

    anchor: str
    href: str
    reason: str


#: `cite(page, title)` without a date: the item's own last change (`citation.last_changed`).
_OWN_DATE = object()
#: Sources a page's metadata lists (schema.org `citation`), at most.
SOURCES_LISTED = 3


class Citing:
    """The template globals behind `_cite.md`, and the citation of every page as machines
    read it (`head`: the metadata in the page's head; `downloads`: its citation files), for
    one build. Every form is made from the same `citation.Cite`."""

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
        files_made: dict | None = None,
        remembered: dict | None = None,
    ):
        self.content, self.progress = content, progress
        #: Citation files already made, by the citation they were made from (`Reuse.memo`):
        #: making them again was a fifth of a preview's refresh at 1,000 recommendations.
        self._files_made = files_made
        self.site_url, self.publisher = site_url, publisher
        self.version = version
        self.short_version = version[: citation.SHORT_VERSION]
        self.changed = citation.last_changed(content, progress)
        self.link, self.page_of_url = link, page_of_url
        #: The status changes each page lists (`changes_on`), worked out when first asked:
        #: a preview's refresh keeps most pages unread, and sorting every page's history
        #: was a tenth of it at 10,000 recommendations.
        self._history: dict[str, list[Entry] | None] = {}
        self._resting: dict[str, list[Entry]] | None = None
        self.moved_anchors: dict[str, list[Moved]] = {}
        for m in moved:
            if m.is_anchor:
                self.moved_anchors.setdefault(m.page, []).append(m)
        #: The website's name, and the pages whose citation is also given in named styles
        #: (`prepare`, before any page is rendered).
        self.site_name = ""
        self.styled: frozenset[str] = frozenset()
        self.prepared = False
        #: Pages given metadata whose citation files are still to be handed over (`downloads`).
        self._pending: dict[str, citation.Cite] = {}
        #: Each page's citation (by its path) and each item's feed (by its path), once written.
        self._cites: dict[str, citation.Cite] = {}
        self._feeds: dict[str, str] = {}
        #: A preview's memory of the last pass (`Reuse.memo`): its citations, each page's
        #: date and what every page's citation shares (`_shared`), so a page whose item did
        #: not change can be kept as it was (`as_before`). None in a build.
        self._remembered = remembered
        self._before: dict | None = None  # the last pass's, once `prepare` has looked
        self._again: set[str] = set()  # the pages kept, whose citation files are as they were

    def prepare(self, site_name: str, titles: Mapping[str, str]) -> None:
        """Before the pages: the site's name, and the citations in named styles of the pages
        chosen for them (`citeformats.choose_styled`) from their titles (page src -> title),
        rendered at once, in two processes where that is quicker (`citeformats.render_styles`)."""
        if self.prepared:
            return
        self.prepared, self.site_name = True, site_name
        kinds = {src: kind for src in titles if (kind := citation.kind_of(src)) is not None and src in self.changed}
        chosen = citeformats.choose_styled(kinds)
        self.styled = frozenset(chosen)
        citeformats.render_styles(citeformats.csl_item(self._cite(src, titles[src], self.changed[src])) for src in chosen)
        if self._remembered is not None:
            memory, shared = self._remembered, self._shared()
            if memory.get("shared") == shared:
                self._before = {"changed": memory["changed"], "cites": memory["cites"]}
            memory.update(shared=shared, changed=self.changed, cites=memory.get("cites", {}) if self._before else {})

    def _shared(self) -> tuple:
        """What every page's citation and cite block rest on beyond its own item: the
        site's name and address, the version, which pages show named styles, and the
        moved anchors with where they lead now."""
        moved = tuple((page, tuple(m), tuple(self.page_of_url.get(x.final.partition("#")[0]) for x in m)) for page, m in self.moved_anchors.items())
        return (self.site_url, self.publisher, self.version, self.site_name, self.styled, moved)

    def as_before(self, page_src: str) -> bool:
        """In a preview, whether the page's citation is certainly what it was in the last
        pass, given that its item did not change: what all citations share is the same,
        and so is its item's date. Its citation files are then due again, as they were."""
        before = self._before
        if before is None or page_src not in before["cites"]:
            return False
        return before["changed"].get(page_src, _OWN_DATE) == self.changed.get(page_src, _OWN_DATE)

    def again(self, page_src: str) -> None:
        """A page kept as it was (`as_before`): its citation files are due, as they were."""
        self._pending[page_src] = self._before["cites"][page_src]
        self._again.add(page_src)

    def _cite(self, page_src: str, title: str, changed: PartialDate | None) -> citation.Cite:
        return citation.Cite(
            title=title,
            publisher=self.publisher,
            url=self.site_url + urls.canonical(page_src),
            last_changed=changed,
            version=self.short_version,
            kind=citation.kind_of(page_src) or "",
            path=urls.canonical(page_src),
            site=self.site_name,
        )

    def _changes(self, page_src: str) -> list[Entry] | None:
        """The status changes an inspection, theme, plan or source page lists, newest first."""
        content, progress = self.content, self.progress
        item = page_src.removesuffix(".md").partition("/")[2]  # the id, if it is an item's page
        if page_src == urls.inspection(item) and item in content.inspections:
            return _newest_first(Entry(c, s) for s in progress.of_inspection(item) for c in s.history)
        if page_src == urls.theme(item) and item in content.themes:
            return _newest_first(Entry(c, s) for s in progress.of_theme(item) for c in s.history)
        for plan in content.plans.values():
            if page_src == (urls.PLAN if plan.current else urls.plan(plan.id)):
                recs = dict.fromkeys(r for area in plan.key_areas for r in area.recommendations)
                return _newest_first(Entry(c, progress.standings[r]) for r in recs for c in progress.standings[r].history)
        if page_src == urls.source(item) and item in content.sources:
            if self._resting is None:
                # A source's page lists the status changes that rest on it: all found at once.
                self._resting = {source_id: [] for source_id in content.sources}
                for standing in progress.standings.values():
                    for change in standing.history:
                        for source_id in dict.fromkeys(c.source for c in change.update.sources):
                            self._resting[source_id].append(Entry(change, standing))
            return _newest_first(self._resting[item])
        return None

    # The three template globals -------------------------------------------------------

    def cite(self, page_src: str, title: str, changed: Any = _OWN_DATE) -> citation.Cite | None:
        """The citation of a page; None for a page that is not an item or a position
        (`citation.kind_of`). `changed`: the date a past position or the data page gives
        (None: not stated); without it, when the page's item last changed."""
        if citation.kind_of(page_src) is None:
            return None
        if changed is _OWN_DATE:
            if page_src not in self.changed:
                return None  # a redirect page at an item's old address
            changed = self.changed[page_src]
        cite = self._cite(page_src, title, changed)
        if page_src in self.styled:
            cite = replace(cite, styles=citeformats.render_styles([citeformats.csl_item(cite)])[0])
        return cite

    def head(self, page_src: str, title: str, description: str, context: Mapping[str, Any]) -> dict[str, Any] | None:
        """What a citable page's head says about it (`site_overrides/main.html`): the facts of
        its cite block for Highwire (`citation_*`), Dublin Core, OpenGraph and schema.org
        JSON-LD, its feed, and its sitemap date. None for any other page. The page's
        citation files are then due (`downloads`)."""
        cite = self.cite(page_src, title, context["last_changed"]) if "last_changed" in context else self.cite(page_src, title)
        if cite is None:
            return None
        self._pending[page_src] = cite
        if self._remembered is not None:
            self._remembered["cites"][page_src] = cite
        org = {"@type": "Organization", "name": cite.publisher, "url": self.site_url}
        data_url = self.site_url + urls.canonical(urls.DATA)
        dataset = {"@type": "Dataset", "@id": data_url, "name": f"{self.site_name}: open data"}
        # Kept short (it is in every item page's head, and a page must stay under 60 KB):
        # the head's template adds `name`, `url`, `@id`, `author` and `license`.
        json_ld: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "genre": cite.kind_label,
            "inLanguage": "en-GB",
            "publisher": org,
            "version": cite.version,
            ("about" if cite.kind == "data" else "isPartOf"): dataset,
        }
        if description:
            json_ld["description"] = description
        if cite.date:
            json_ld["dateModified"] = cite.date
        sources = self._sources(page_src, cite.kind)
        if sources:
            json_ld["citation"] = sources
        feed = None
        if cite.kind in citeformats.FEED_KINDS:
            feed = {"href": self.link.asset(page_src, cite.path + citeformats.FEED), "title": f"{cite.title}: updates"}
        return {
            "title": cite.title,
            "publisher": cite.publisher,
            "date": cite.date,
            "url": cite.url,
            "version": cite.version,
            "feed": feed,
            "json_ld": json_ld,
        }

    def _sources(self, page_src: str, kind: str) -> list[dict[str, Any]]:
        """The documents an item rests on, with their own addresses (schema.org `citation`)."""
        item_id = page_src.rsplit("/", 1)[-1].removesuffix(".md")
        content = self.content
        cited: list[str] = []
        if kind == "recommendation" and item_id in content.recommendations:
            cited = [c.source for c in content.recommendations[item_id].sources]
        elif kind == "inspection" and item_id in content.inspections:
            cited = [c.source for c in content.inspections[item_id].sources]
        elif kind == "theme" and item_id in content.themes:
            cited = [c.source for c in content.themes[item_id].sources]
        elif kind == "update" and item_id in self.progress.updates:
            cited = [c.source for c in self.progress.updates[item_id].sources]
        elif kind == "source" and item_id in content.sources:
            cited = [item_id]
        elif kind == "plan":
            plan = next((p for p in content.plans.values() if (urls.PLAN if p.current else urls.plan(p.id)) == page_src), None)
            cited = [c.source for c in plan.sources] if plan else []
        documents = []
        for source_id in list(dict.fromkeys(cited))[:SOURCES_LISTED]:
            source = content.sources[source_id]
            document: dict[str, Any] = {
                "@type": "CreativeWork",
                "name": source.title,
                "publisher": {"@type": "Organization", "name": source.publisher},
            }
            if source.url:
                document["url"] = source.url
            published = citation.machine_date(source.date)
            if published:
                document["datePublished"] = published
            documents.append(document)
        return documents

    def downloads(self, share: Callable[[Callable[[], Any]], Any] | None = None) -> Iterator[tuple[str, bytes, bool]]:
        """The citation files (`citeformats.DOWNLOADS`) of every page given metadata since
        the last call, beside each page: (path from the site root, text, False). `share`:
        on a site rendered by two processes (`Renderer.share`), each page's files are made
        by one of them, and the other gives their places (`Later`): at 10,000
        recommendations, 150,000 files, which one process took ten seconds over while the
        other waited."""
        pending, self._pending = self._pending, {}
        for page_src, cite in pending.items():
            self._cites[cite.path] = cite
            if page_src in self._again:  # kept with its page: the same files as before
                for download in citeformats.DOWNLOADS:
                    yield cite.path + download.name, UNCHANGED_FILE, False
                continue
            made = self._files(cite) if share is None else share(partial(self._files, cite))
            if isinstance(made, Later):
                for part, download in enumerate(citeformats.DOWNLOADS):
                    yield cite.path + download.name, Later(made.number, part), False
                continue
            for name, text in made:
                yield cite.path + name, text, False

    def _files(self, cite: citation.Cite) -> list[tuple[str, bytes]]:
        if self._files_made is None:
            return citeformats.files(cite)
        if (made := self._files_made.get(cite)) is None:
            made = self._files_made[cite] = citeformats.files(cite)
        return made

    def keep_feed(self, path: str, text: str) -> None:
        """An item's feed as written (`site.pages.item_feeds`), for `files_beside`."""
        self._feeds[path] = text

    def files_beside(self, folder: str) -> list[tuple[str, str | bytes]]:
        """The citation files and feed written beside the page at `folder` (`x/y/`)."""
        cite = self._cites.get(folder)
        found = self._files(cite) if cite is not None else []
        feed = self._feeds.get(folder + citeformats.FEED)
        return found + ([(citeformats.FEED, feed)] if feed is not None else [])

    def changes_on(self, page_src: str) -> list[Entry] | None:
        """The status changes a page lists: for an inspection, theme or plan, those of its
        recommendations; for a source, those resting on it. None where the page has its
        own (a recommendation) or none applies."""
        if page_src not in self._history:
            self._history[page_src] = self._changes(page_src)
        return self._history[page_src]

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
        # `citing` is for the pager (`site.pages.pager`), which gives each page its head
        # metadata; templates use the three functions.
        return {
            "cite": self.cite, "changes_on": self.changes_on, "moved_here": self.moved_here, "citing": self,
            "citation_files": citeformats.DOWNLOADS, "feed_kinds": citeformats.FEED_KINDS, "feed_file": citeformats.FEED,
            # A date for <time datetime>, as precise as the source and no more (`_macros.md`).
            "machine_date": citation.machine_date,
        }


# --------------------------------------------------------------------------- pages


def _newest_first(entries) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.change.day, e.change.date.sort_key, e.change.update_id, e.standing.id), reverse=True)


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
        # A file cannot redirect: the citation files and the feed that were beside the old
        # page are written there again, as the item's new ones (a reference manager or a
        # feed reader that kept the old address gets the item as it is now).
        old_folder, new_folder = m.old.lstrip("/"), m.final.split("#", 1)[0].lstrip("/")
        for name, text in citing.files_beside(new_folder):
            yield old_folder + name, text, False


def cite_page(content: Content, progress: Progress, citing: Citing, page) -> Iterator[tuple[str, str, bool]]:
    example_standing = next(iter(progress.standings.values()), None)
    example = None
    if example_standing is not None:
        rec = example_standing.recommendation
        src = urls.recommendation(rec.id)
        example = (src, citing.cite(src, item_titles(content, progress)[src]))
    # The kinds whose pages show the named styles in this build, and those that would, but
    # are too many here (`citeformats.STYLED_LIMIT`).
    shown = {citation.kind_of(src) for src in citing.styled}
    present = {citation.kind_of(src) for src in citing.changed}
    styled = [kind for kind in citeformats.STYLED_KINDS if kind in shown]
    too_many = [kind for kind in citeformats.STYLED_KINDS if kind in present and kind not in shown]
    yield page(
        urls.CITE, "cite.md", "How to cite this site",
        "How to cite a page, a past position or the data, and how to check a citation later.",
        in_nav=True, example=example, version=citing.version, short_version=citing.short_version,
        site_url=citing.site_url, styles=citeformats.STYLES, downloads=citeformats.DOWNLOADS,
        styled_kinds=[citation.KINDS[k] for k in styled], too_many=[citation.KINDS[k] for k in too_many],
        unstyled_kinds=[label for kind, label in citation.KINDS.items() if kind not in citeformats.STYLED_KINDS],
    )
    # The citation files of every page made so far (the items and past positions).
    yield from citing.downloads(_share(page))


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
    # JSON inside <script>: no text may end the element early, so <, > and & are written
    # as JSON escapes (as Jinja's tojson writes the JSON-LD in every item page's head).
    json_ld = json.dumps(dataset, ensure_ascii=False, indent=1).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    yield page(
        urls.DATA, "data.md", "Open data",
        "Every inspection, finding, recommendation, update, source and theme as CSV and JSON, with a Frictionless Data Package.",
        in_nav=True, tables=exports.table_summaries(files), package=next(f for f in files if f.name == "datapackage.json"),
        version=citing.version, short_version=citing.short_version, licence=licence,
        json_ld=Markup(json_ld), last_changed=changed, data_href=urls.data_file,
    )
    yield from citing.downloads(_share(page))  # the data page's own citation files


def _share(page):
    """How the citation files are shared between the processes rendering the site
    (`Renderer.share`); None when only listing the pages."""
    return getattr(getattr(page, "renderer", None), "share", None)
