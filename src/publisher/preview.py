"""The preview's refresh (`publisher serve`): after an edit, only the pages it changed are
made again, so saving an update shows on a national tracker in seconds, not minutes.

A `Session` makes the site once in full (`first`: the hooks ask for the active session, so
the first build is an ordinary build through MkDocs) and keeps what it made: the content,
its two derivations (with drafts, and the public one), what each page rests on
(`site.tracking.Tracker`) and a digest of each page's Markdown. After an edit, `refresh`:

1. reads the content again, parsing again only the files whose text changed (`_Parsing`);
   every check of a full load still runs, so a mistake is reported as path:line as ever;
2. derives again and compares every item with the last state (`tracking.changed_keys`);
3. renders again only the pages that rest on a changed item or whose own context changed
   (a shifted list, a new neighbour); the past positions and the open data only if the
   public record changed (a draft's edit never changes them). Most pages are not even
   looked at: an item page (a recommendation, an update, their feeds) none of whose items
   changed, and a numbered list page whose list did not move, is kept as it was without
   gathering its context (`site.tracking.Tracker.keep`), unless the edit changed what
   places items among others (an inspection, a recommendation, a theme, a plan);
4. checks the permanent addresses against the pages as they now are (the last answer, if
   no page, anchor, redirect or registered address came or went);
5. returns the pages whose Markdown differs, those added and those gone, for the engine to
   convert and write (`engine.serve`); every other page is served as it was. In a refresh
   that keeps the item pages, the numbered pages of long lists that need rendering are
   left until after it returns (`Refresh.later`; `finish` renders them and gives those
   that changed), as the engine leaves their conversion.

A refresh's result is the same site a full build of the same content gives, byte for byte
(tests/test_preview.py edits, adds and deletes items and compares). A preview's pages give
`site.PREVIEW_VERSION` as their data version: the real one, a hash of all the published
content, changes with every edit and is on every item page, so showing it would mean
rebuilding every page on every save; it is the published site's to give.
"""

from __future__ import annotations

import copy
import hashlib
import os
import time
from datetime import date
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from . import exports, generate, permalinks, record
from .content import Content
from .progress import Progress, derive, effective_day, is_public
from .settings import Settings
from .site import PREVIEW_VERSION, Extras, GeneratedFile, Reuse, as_at, open_data, tracking
from .site import urls as paths
from .site.render import Deferred, Unchanged

_active: "Session | None" = None


def start(options: Settings) -> "Session":
    """Make `Session(options)` the active session of this process (`publisher serve`)."""
    global _active
    _active = Session(options)
    return _active


def active() -> "Session | None":
    return _active


def activate(session: "Session") -> None:
    """Make an existing session the active one again (the hooks serve the active one)."""
    global _active
    _active = session


def stop() -> None:
    global _active
    _active = None


@dataclass
class Refresh:
    """What one refresh changed."""

    #: Generated pages and files whose text is new or differs from the last build's.
    written: list[GeneratedFile] = field(default_factory=list)
    #: The source paths of generated pages and files that are gone.
    removed: list[str] = field(default_factory=list)
    #: Every generated page and file, in the order a full build makes them.
    order: list[str] = field(default_factory=list)
    #: Pages rendered from their templates (most turn out unchanged).
    rendered: int = 0
    #: Item pages kept as they were without even gathering their context: nothing they
    #: are made from changed (`site.tracking.Tracker.keep`).
    kept: int = 0
    #: Seconds spent, by step (for the log and the benchmark).
    timings: dict[str, float] = field(default_factory=dict)
    #: Numbered list pages left to render after the refresh returns (`render.Deferred`):
    #: `Session.finish` renders them and gives those that changed, before the next refresh.
    later: list[GeneratedFile] = field(default_factory=list)


class Session:
    """One preview: the state of the last build, and `refresh` to bring it up to date."""

    def __init__(self, options: Settings):
        self.options = options
        self.site: generate.SiteSettings | None = None
        self.tracker = tracking.Tracker()
        #: The preview's search index (`search_index.Indexer`), kept up to date in the
        #: background; set by the hooks during the first build.
        self.search = None
        self._parsing = _Parsing()
        self._digests: dict[str, bytes] = {}
        self._past: set[str] = set()  # the past-position pages, kept when not made again
        self._kept = as_at.Kept()  # the past positions worked out last
        self._memo: dict = {}  # files made, by what they are made from (`Reuse.memo`)
        self._order: list[str] = []
        self._state: _State | None = None
        self._checked: tuple | None = None  # the last check of addresses: what it was asked, its answer

    # The first build --------------------------------------------------------------------

    def first(self, site: generate.SiteSettings) -> generate.Generated:
        """The whole site, as `generate.generate` makes it, remembering what each page rests on."""
        self.site = site
        with self._parsing.remembered():
            content, redirects = generate.load(site, self.options)
        progress, public = self._derive(content)
        permanence, page_of_url = generate.assess(site, content, progress, redirects, self.options)
        data = self._open_data(content, public)
        self.tracker.begin(content, progress, record.tally(content), changed=None)
        self._kept = as_at.Kept()
        files = generate.render(
            site, content, progress, permanence.moved, page_of_url, self.options,
            public=public, tracker=self.tracker, reuse=Reuse(data_files=data, kept=self._kept, memo=self._memo), version=PREVIEW_VERSION,
        )
        self._past = {f.src_uri for f in files if _is_past(f.src_uri)}
        self._digests = {f.src_uri: _digest(f.content) for f in files}
        self._order = [f.src_uri for f in files]
        self._state = _State(content, redirects, progress, public, record.tally(content), permanence.moved, page_of_url, data)
        # The check of addresses a refresh asks for, answered once now, so the first save
        # after the build reuses it when no page came or went (`_permanence`).
        self._permanence(content, redirects, files, permanence.moved, set())
        unregistered = list(permanence.unregistered) if site.register.is_file() else []
        return generate.Generated(files, unregistered)

    # Refreshing -------------------------------------------------------------------------

    def refresh(self) -> Refresh:
        """Bring the site up to date with the content folder; `generate.Refused` if the
        content now has a problem (the last build stays as it was)."""
        assert self.site is not None and self._state is not None, "refresh() before first()"
        adopted = dict(self.tracker.records)  # what each page of the last build rested on
        try:
            return self._refresh(adopted)
        except BaseException:
            self._forget_unadopted(adopted)
            raise

    def _forget_unadopted(self, adopted: dict) -> None:
        """Forget a pass whose pages were not adopted (a refresh that failed, or the first
        of two): what its pages rested on goes back to the last build's, and the
        citations and lists it remembered are forgotten, so the next pass keeps no page on
        their word (`site.pages.pager`). Else a page that pass rendered, and the next
        renders the same, would be found unchanged, its new text never written."""
        self.tracker.records = dict(adopted)
        for remembered in ("citing", "lists", "updates citing each source"):
            self._memo.pop(remembered, None)

    def _refresh(self, adopted: dict) -> Refresh:
        clock = _Clock()
        site, before = self.site, self._state
        everything = self._new_day()
        with self._parsing.remembered():
            content, redirects = generate.load(site, self.options)
        clock.lap("read the content")
        # The public derivation (past positions, open data) follows only a public change: an
        # edit to a draft leaves it as it was.
        public_changed = everything or self._public_changed(before, content)
        progress = derive(content, self.options.today, self.options.preview)
        public = before.public if not public_changed else derive(content, self.options.today) if self.options.preview else progress
        tally = record.tally(content)
        clock.lap("derive")
        if everything or tally.complete != before.record.complete:
            # A new day moves what is overdue everywhere; a record that became (in)complete
            # may make a claim on any page wrong: render and check every page.
            changed = None
        else:
            changed = tracking.changed_keys(before.content, content, before.progress, progress, before.record, tally)
        public_changed = public_changed or changed is None
        if changed is not None and not changed and redirects == before.redirects:
            return Refresh(timings=clock.laps)  # saved without a change
        data = self._open_data(content, public) if public_changed else before.data
        clock.lap("open data")
        # The past positions: none made again if the public record is unchanged; else those
        # from the earliest quarter an edited update counts in (all, if more than updates changed).
        self._kept.since = self._past_since(before, content) if public_changed and changed is not None else None
        kept_past = self._kept_past(public_changed)
        moved, page_of_url = before.moved, before.page_of_url
        for _ in range(2):  # a second pass only if the redirects' pages or notes moved
            self.tracker.begin(content, progress, tally, changed)
            files = generate.render(
                site, content, progress, moved, page_of_url, self.options,
                public=public, tracker=self.tracker, reuse=Reuse(data_files=data, past=not public_changed, kept=self._kept, memo=self._memo),
                version=PREVIEW_VERSION,
            )
            clock.lap("render")
            permanence, new_page_of_url = self._permanence(content, redirects, files, moved, kept_past)
            clock.lap("check addresses")
            if permanence.moved == moved and _targets(moved, new_page_of_url) == _targets(moved, page_of_url):
                break
            moved, page_of_url = permanence.moved, new_page_of_url
            self._forget_unadopted(adopted)
        page_of_url = new_page_of_url
        for made in self._memo.values():
            if len(made) > 2 * len(files):  # an afternoon of edits: start afresh
                made.clear()
        result = self._compare(files, kept_past)
        result.order = self._order = self._ordered(files, kept_past)
        result.rendered = sum(1 for f in files if f.src_uri.endswith(".md") and not isinstance(f.content, (Unchanged, Deferred)))
        result.timings = clock.laps
        result.kept = self.tracker.kept
        self._state = _State(content, redirects, progress, public, tally, permanence.moved, page_of_url, data)
        return result

    def _new_day(self) -> bool:
        """Whether "today" has moved on since the last build (a preview left running past
        midnight); if so, the session's options follow it."""
        from .settings import from_environment

        today = from_environment(time_zone=self.options.time_zone).today
        if today == self.options.today:
            return False
        self.options = replace(self.options, today=today)
        return True

    def _derive(self, content: Content) -> tuple[Progress, Progress]:
        progress = derive(content, self.options.today, self.options.preview)
        public = derive(content, self.options.today) if self.options.preview else progress
        return progress, public

    def _open_data(self, content: Content, public: Progress) -> list:
        site = self.site
        extras = Extras(description=site.description, licence=site.licence)
        return open_data(content, public, site.info, extras, PREVIEW_VERSION, memo=self._memo.setdefault("open data rows", {}))

    def _public_changed(self, before: "_State", content: Content) -> bool:
        """Whether anything the public sees changed: the past positions and the open data
        show only that. An edit to a draft (or an update still embargoed) changes neither.
        The public derivation is a function of these alone, so it is compared through them."""
        today = self.options.today

        def public_updates(c: Content) -> dict:
            return {i: (u, c.bodies.get(i)) for i, u in c.updates.items() if is_public(u, today)}

        if public_updates(before.content) != public_updates(content):
            return True
        tables = ("sources", "themes", "inspections", "plans", "recommendations", "findings", "inspection_of")
        return any(getattr(before.content, table) != getattr(content, table) for table in tables)

    def _permanence(self, content: Content, redirects, files: list[GeneratedFile], moved, kept_past: set[str]):
        """The permanent-address check of the site as these files make it (the pages listed
        from what was rendered, not listed again)."""
        site = self.site
        redirect_pages = {paths.src_of(m.old.lstrip("/")) for m in moved if not m.is_anchor}
        made = [f.src_uri for f in files if not f.src_uri.startswith(paths.DATA_FOLDER + "/") or f.src_uri.endswith(".md")]
        sources = [src for src in made if src not in redirect_pages] + sorted(kept_past)
        sources += permalinks.handwritten_pages(site.pages_dir)
        register = permalinks.read_register(site.register)
        # The addresses published are made from the pages, the anchors on inspection pages
        # and the data files: if none of these, the register and the redirects changed (an
        # update edited, not added), the check's answer is the last one.
        anchors = [(i.id, [f.id for f in i.findings], [r.id for r in i.recommendations]) for i in content.inspections.values()]
        asked = (frozenset(sources), anchors, redirects, register.lines)  # their order says nothing
        if self._checked is not None and self._checked[0] == asked:
            return self._checked[1]
        produced = permalinks.published(content, sources, exports.file_names())
        permanence = permalinks.check(register, produced, redirects)
        if permanence.problems:
            raise generate.Refused("A published address would stop working", permanence.problems)
        answer = permanence, {permalinks.address(src): src for src in sources}
        self._checked = (asked, answer)
        return answer

    def _ordered(self, files: list[GeneratedFile], kept_past: set[str]) -> list[str]:
        """Every generated source path in build order. Past positions not made again keep
        their place: after the index of positions (older quarters come first), or, with no
        past position made, after the other pages, before the citing page."""
        order = [f.src_uri for f in files]
        made = set(order)
        kept = [src for src in self._order if src in kept_past and src not in made]
        if kept:
            at = order.index(paths.AS_AT) + 1 if paths.AS_AT in order else order.index(paths.CITE) if paths.CITE in order else len(order)
            order[at:at] = kept
        return order

    def finish(self, later: list[GeneratedFile]) -> list[GeneratedFile]:
        """The pages a refresh deferred (`Refresh.later`), rendered and checked now: those
        whose text differs from the last build's. Called once, before the next refresh
        (which would change the state they are rendered from); a problem they have
        comes as `generate.Refused`, as a refresh's would."""
        made = generate.render_later(self._state.content, later)
        return [f for f in made if not isinstance(f.content, Unchanged) and self._changed(f)]

    def _changed(self, f: GeneratedFile) -> bool:
        """Whether a file's text differs from the last build's (remembering it if so)."""
        digest = _digest(f.content)
        if self._digests.get(f.src_uri) == digest:
            return False
        self._digests[f.src_uri] = digest
        return True

    def _compare(self, files: list[GeneratedFile], kept_past: set[str]) -> Refresh:
        """The files whose text differs from the last build's, those left to render
        after the refresh returns (all in the last build: `site.pages.pager` defers only
        those), and those gone."""
        result = Refresh()
        now: set[str] = set(kept_past)
        for f in files:
            now.add(f.src_uri)
            if isinstance(f.content, Deferred):
                result.later.append(f)
            elif not isinstance(f.content, Unchanged) and self._changed(f):
                result.written.append(f)
        self._past = {src for src in now if _is_past(src)}
        result.removed = sorted(set(self._digests) - now)
        for src in result.removed:
            del self._digests[src]
        self.tracker.forget(result.removed)
        return result

    def _kept_past(self, public_changed: bool) -> set[str]:
        """The past-position pages this refresh keeps as they were."""
        if not public_changed:
            return set(self._past)
        since = self._kept.since
        if since is None:
            return set()
        return {src for src in self._past if (day := as_at.day_of(src)) is not None and day < since}

    def _past_since(self, before: "_State", content: Content) -> date | None:
        """The earliest quarter end whose position an edit can change: that of the
        earliest day an edited public update counts from (before or after the edit); None
        (every quarter) if anything but updates changed."""
        for attribute in ("sources", "themes", "inspections", "plans", "recommendations", "findings", "inspection_of"):
            if getattr(before.content, attribute) != getattr(content, attribute):
                return None
        today = self.options.today
        days = []
        for c in (before.content, content):
            other = content if c is before.content else before.content
            for update_id, update in c.updates.items():
                if not is_public(update, today):
                    continue
                mine, theirs = (update, c.bodies.get(update_id)), (other.updates.get(update_id), other.bodies.get(update_id))
                if mine != theirs:
                    days.append(effective_day(update))
        return min(days) if days else None

@dataclass
class _State:
    """What the last build was made from."""

    content: Content
    redirects: list
    progress: Progress
    public: Progress
    record: object
    moved: list
    page_of_url: dict
    data: list


def _is_past(src: str) -> bool:
    return src.startswith(paths.AS_AT.split("/", 1)[0] + "/")


def _targets(moved, page_of_url: dict) -> dict:
    """Where each redirect's target address now leads (None: to no page)."""
    return {m.final: page_of_url.get(m.final.partition("#")[0]) for m in moved}


def _digest(text: str | bytes) -> bytes:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return hashlib.blake2b(data, digest_size=16).digest()


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.laps[step] = self.laps.get(step, 0.0) + now - self._last
        self._last = now


# --------------------------------------------------------------------------- parsing


class _Parsing:
    """The content's parsing, remembered from one load to the next by the text parsed.

    `content.load_content` reads every file on every load; at 35,000 files parsing them
    (YAML with line numbers, then pydantic) is most of a national tracker's load. Inside
    `remembered()`, the functions it parses with give back what they gave last time for the
    same text, so only edited files are parsed again; a file is read again only if its
    size or times on disk changed; every cross-reference and check still runs on the
    whole content. (`load_content` has no
    cache of its own to pass; these are the module functions it calls by name.)
    """

    _FUNCTIONS = ("read_text", "load_yaml", "split_front_matter", "validate", "check_markdown")

    def __init__(self) -> None:
        self._last: dict = {}
        self._now: dict = {}

    @contextmanager
    def remembered(self):
        from . import content as module

        originals = {name: getattr(module, name) for name in self._FUNCTIONS}
        for name, function in originals.items():
            setattr(module, name, self._remembering(name, function))
        shown = module._Collector.shown  # where a file is, as problems name it: by its path
        module._Collector.shown = lambda collector, path: self._shown(shown, collector, path)
        walk = module._walk  # every value in a record, for the cross-reference checks
        module._walk = self._walking(walk)
        self._now = {}
        try:
            yield
        finally:
            for name, function in originals.items():
                setattr(module, name, function)
            module._Collector.shown = shown
            module._walk = walk
            # Only what this load used is kept: an edited file's old parse is let go.
            self._last, self._now = self._now, {}

    def _walking(self, walk: Callable) -> Callable:
        """`_walk(record, loc)`, remembered for a whole record (itself remembered: the same
        object for the same text); the calls it makes on the record's parts are not."""
        depth = [0]

        def walking(value, loc=()):
            if depth[0]:
                return walk(value, loc)
            key = ("_walk", id(value), loc)
            known = self._now.get(key) or self._last.get(key)
            if known is None or known[2] is not value:
                depth[0] += 1
                try:
                    known = ("value", tuple(walk(value, loc)), value)
                finally:
                    depth[0] -= 1
            self._now[key] = known
            return known[1]

        return walking

    def _shown(self, shown: Callable, collector, path) -> str:
        key = ("shown", str(collector.root), str(path))
        if key not in self._now:
            self._now[key] = self._last[key] if key in self._last else shown(collector, path)
        return self._now[key]

    def _remembering(self, name: str, function: Callable) -> Callable:
        def remembered(*args, **kwargs):
            key, anchor = self._key(name, args, kwargs)
            if key is None:
                return function(*args, **kwargs)
            outcome = self._now.get(key) or self._last.get(key)
            if outcome is None or outcome[2] is not anchor:
                try:
                    outcome = ("value", function(*args, **kwargs), anchor)
                except Exception as error:  # remembered too: the same text has the same mistake
                    outcome = ("error", error, anchor)
            self._now[key] = outcome
            kind, value, _ = outcome
            if kind == "error":
                raise copy.copy(value).with_traceback(None)
            return value

        return remembered

    @staticmethod
    def _key(name: str, args: tuple, kwargs: dict) -> tuple:
        """The key a call is remembered by, and the object it must still be about (the
        document validated, which is itself remembered: the same object for the same text)."""
        if name == "read_text":
            # read_text(path, shown): a file is read again only if it changed on disk (the
            # preview's watcher knows a change by the same signs).
            path, shown = args
            try:
                stat = os.stat(path)
            except OSError:
                return None, None
            return (name, str(path), shown, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino), None
        if name == "validate":
            # validate(model, data, doc, base): the data is checked to be what it was too.
            model, data, doc, *rest = args
            return (name, model, id(doc), repr(rest), repr(sorted(kwargs.items())), repr(data)), doc
        try:
            key = (name, args, tuple(sorted(kwargs.items())))
            hash(key)
            return key, None
        except TypeError:
            return None, None
