"""What each generated page rests on, so a preview refresh renders only the pages an edit
changed (see `publisher.preview`).

A page's Markdown is a function of two things:

- what its template is given: the page's own context (the items it shows, its place in a
  list, its title and description) and what the template globals (`cite`, `changes_on`,
  `moved_here`) return for it;
- what its template looks up in the objects every page shares: a source's title
  (`content.sources[...]`), another recommendation's standing (`standings[...]`), whether
  an update is a draft (`progress.unpublished`).

`Tracker` records both for every page it sees rendered: a *signature* of the first, in
which every item (a recommendation, a standing, a source...) stands as its key, such as
`("standing", "2023-x-r1")`; and the *keys* of every item the page rests on, those in
its context, in what the globals returned and those its template looked up (through
`_Lookups` views of the shared objects). On a refresh a page is rendered again only if
its signature differs from the last one, or if one of its keys names an item that changed
(`changed_keys`, which compares items by value). Every other page's Markdown is what it was.

Anything the tracker cannot describe (a value of a type it does not know) makes the page
`volatile`: rendered on every refresh. Wrong in that direction costs time, never a stale page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
from contextlib import contextmanager
from datetime import date
from enum import Enum
from typing import Any, Callable, Iterable, Iterator, Mapping

from markupsafe import Markup
from pydantic import BaseModel

from ..content import Content
from ..model import Finding, Inspection, Plan, Recommendation, Source, Theme, Update
from ..progress import Progress, Standing

#: What every page is given and the tracker sees through `_Lookups` (or, for the modules
#: and constants, never changes within a preview session).
SHARED = frozenset({"content", "progress", "standings", "record", "vocabulary", "Status", "EvidenceKind", "urls", "limits"})

#: Items by type: the kind in their keys.
_KINDS: dict[type, str] = {
    Standing: "standing", Recommendation: "recommendation", Inspection: "inspection", Finding: "finding",
    Source: "source", Theme: "theme", Plan: "plan",
}

#: The content's tables, by attribute, with the kind of their items' keys.
_TABLES = {
    "sources": "source", "themes": "theme", "inspections": "inspection", "plans": "plan", "updates": "update",
    "bodies": "body", "recommendations": "recommendation", "findings": "finding", "inspection_of": "inspection_of",
}

#: Every item of a kind (a template iterated over a table, or asked its length).
EVERY = "*"
#: Whether a kind has any item at all (a template asked `{% if table %}`): changes only
#: when the table becomes empty or stops being empty, so a page that shows a notice while
#: there are drafts is not rendered again for every draft added.
ANY = "?"
#: A key no refresh ever leaves unchanged: the page is rendered every time.
VOLATILE = ("volatile", EVERY)
#: Changes that can move an item among the others (its place in the lists, its related
#: recommendations, its inspection's date): while any is in a pass, every item page's
#: context is gathered and signed (`Tracker.keep`).
_PLACING = frozenset(
    (kind, EVERY) for kind in ("recommendation", "inspection", "theme", "plan", "finding", "inspection_of", "record")
)


class Untrackable(TypeError):
    """A value the tracker cannot describe: its page is rendered on every refresh."""


@dataclasses.dataclass(frozen=True)
class PageRecord:
    """What one page rested on when it was last rendered."""

    #: A digest of the page's own context and of what the template globals returned.
    signature: bytes
    #: The keys of every item the page showed or looked up.
    keys: frozenset
    #: The template globals it called, with their arguments: (name, args), to ask again.
    calls: tuple


# --------------------------------------------------------------------------- signatures


class _Signer:
    """Turns a page's context into plain, comparable values, replacing items by their keys
    and collecting those keys. `memo` (one per pass) remembers long lists by identity: many
    pages are given the same one (every page of the explorer, all inspections)."""

    def __init__(self, update_ids: Mapping[int, str], memo: dict):
        self.update_ids, self.memo = update_ids, memo
        self.keys: list = []

    def __call__(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PLAIN:  # most values: checked by their exact type, the fastest way
            if kind is bytes and len(value) > 256:  # a data file: its digest says as much
                return ("bytes", hashlib.blake2b(value, digest_size=16).digest())
            return value
        if kind is list or kind is tuple:
            if len(value) < _REMEMBERED:
                return tuple([self(item) for item in value])
            return self._remembered(value)
        key = self.key(value)
        if key is not None:
            self.keys.append(key)
            return key
        if isinstance(value, Enum):  # before str: the vocabularies are str enums
            return (kind.__name__, value.value)
        if isinstance(value, (str, int, float, date)):
            return value
        if isinstance(value, (list, tuple)):
            return tuple([self(item) for item in value])
        if isinstance(value, dict):
            return ("dict", tuple([(self(k), self(v)) for k, v in value.items()]))
        if isinstance(value, (Progress, Content)):
            # A whole derivation (a past position's): too much to describe page by page.
            raise Untrackable("a whole content or derivation")
        names = _fields(kind)
        if names is not None:
            return (kind.__name__, tuple([self(getattr(value, name)) for name in names]))
        if callable(value) and hasattr(value, "__qualname__"):
            return ("function", getattr(value, "__module__", ""), value.__qualname__)
        raise Untrackable(f"cannot describe a {kind.__name__} in a page's context")

    def _remembered(self, value) -> Any:
        known = self.memo.get(id(value))
        if known is not None and known[2] is value:
            self.keys.extend(known[1])
            return known[0]
        start = len(self.keys)
        token = tuple([self(item) for item in value])
        self.memo[id(value)] = (token, tuple(self.keys[start:]), value)  # the value kept alive
        return token

    def key(self, value: Any) -> tuple | None:
        kind = _KINDS.get(type(value))
        if kind is not None:
            return (kind, value.id)
        if type(value) is Update:
            update_id = self.update_ids.get(id(value))
            if update_id is None:
                raise Untrackable("an update that is not in the content")
            return ("update", update_id)
        return None


#: Lists at least this long are remembered by identity within a pass.
_REMEMBERED = 16
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _fields(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass or pydantic model (looked up once per type); None if neither."""
    if kind not in _FIELD_NAMES:
        if dataclasses.is_dataclass(kind):
            _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
        elif issubclass(kind, BaseModel):
            _FIELD_NAMES[kind] = tuple(kind.model_fields)
        else:
            _FIELD_NAMES[kind] = None
    return _FIELD_NAMES[kind]


#: Values that stand for themselves in a signature (their repr is their value).
_PLAIN = frozenset({str, int, float, bool, type(None), date, bytes, Markup})


def _digest(value: Any) -> bytes:
    # Signatures hold only plain values (str, int, date, tuples), whose repr is the same
    # for the same values in any process (pickle is not: it writes an object it has seen
    # before as a reference, so equal values can give different bytes).
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).digest()


# --------------------------------------------------------------------------- lookups


class _Lookups(Mapping):
    """A table of the shared objects as a template sees it: each item looked up is recorded
    by its key; iterating or counting records every item of the kind."""

    def __init__(self, table: Mapping, kind: str, keys: set):
        self._table, self._kind, self._keys = table, kind, keys

    def __getitem__(self, key):
        self._keys.add((self._kind, key))
        return self._table[key]

    def get(self, key, default=None):
        self._keys.add((self._kind, key))
        return self._table.get(key, default)

    def __contains__(self, key) -> bool:
        self._keys.add((self._kind, key))
        return key in self._table

    def __iter__(self) -> Iterator:
        self._keys.add((self._kind, EVERY))
        return iter(self._table)

    def __len__(self) -> int:
        self._keys.add((self._kind, EVERY))
        return len(self._table)

    def __bool__(self) -> bool:
        self._keys.add((self._kind, ANY))
        return bool(self._table)


class _View:
    """The content, the progress or the record as a template sees it: their tables become
    `_Lookups`; anything else it reads makes the page volatile, except what `fixed` names."""

    def __init__(self, target: Any, keys: set, tables: Mapping[str, str], fixed: frozenset = frozenset(), views: Mapping[str, Any] = {}):
        self._target, self._keys, self._tables, self._fixed, self._views = target, keys, tables, fixed, views

    def __getattr__(self, name: str):
        value = getattr(self._target, name)
        if name in self._views:
            return self._views[name]
        if name in self._tables:
            return _Lookups(value, self._tables[name], self._keys)
        if name not in self._fixed:
            self._keys.add(VOLATILE)
        return value


# --------------------------------------------------------------------------- the tracker


class Tracker:
    """Records what each page rests on as it is rendered and, on a refresh, says which
    pages must be rendered again. One per preview session; `begin` starts each pass."""

    def __init__(self) -> None:
        self.records: dict[str, PageRecord] = {}
        #: The records made in this pass (a second rendering process sends its own back).
        self.rendered_now: dict[str, PageRecord] = {}
        self._changed: set = set()
        self._everything = True
        self._settled = False
        self.kept = 0
        self._globals: dict[str, Any] = {}
        self._update_ids: dict[int, str] = {}
        self._memo: dict = {}
        self._content: Content | None = None
        self._progress: Progress | None = None
        self._record: Any = None
        #: While a page renders: the keys it looks up and the globals it calls.
        self._current: tuple[set, list] | None = None

    def begin(self, content: Content, progress: Progress, record: Any, changed: set | None) -> None:
        """Start a pass over the pages of `content` as derived in `progress`; `changed` is
        the keys of the items that differ from the last pass (None: render every page)."""
        self._content, self._progress, self._record = content, progress, record
        self._update_ids = {id(update): update_id for update_id, update in content.updates.items()}
        self._changed = set(changed or ())
        self._everything = changed is None
        # Whether item pages may be kept without gathering their context (`keep`): not if
        # anything that places one item among the others changed (which recommendations,
        # inspections, themes and plans there are, and how they relate).
        self._settled = not self._everything and self._changed.isdisjoint(_PLACING)
        self.kept = 0  # pages kept by `keep` in this pass
        self.rendered_now = {}
        self._memo = {}

    @property
    def settled(self) -> bool:
        """Whether this pass keeps item pages without gathering their context (`keep`):
        nothing that places items among others changed. Such a pass renders a few pages
        and walks past the rest, which a second rendering process only walks again."""
        return self._settled

    def install(self, env_globals: dict) -> None:
        """Record what the template globals that read the build's state return (the
        `permanence.Citing` object and its methods: a page's citation, its history): each
        call becomes part of the page's signature. Plain functions, classes, modules and
        data (`plural`, `machine_date`...) depend on their arguments alone and are left be."""
        for name, value in list(env_globals.items()):
            if isinstance(value, (_Recorded, _RecordedObject)):
                continue  # installed by an earlier pass, on the same environment
            if inspect.ismethod(value) and not inspect.isclass(value.__self__):
                self._globals[name] = value
                env_globals[name] = _Recorded(self, name, value)
            elif _stateful(value):
                self._globals[name] = value
                env_globals[name] = _RecordedObject(self, name, value)

    def _record_call(self, name: str, args: tuple, kwargs: dict, result: Any) -> None:
        if self._current is not None:
            self._current[1].append((name, args, tuple(sorted(kwargs.items())), result))

    def _call_again(self, name: str, args: tuple, kwargs: tuple) -> Any:
        """What a recorded global call returns now."""
        owner, _, attribute = name.partition(".")
        target = self._globals[owner]
        if attribute:
            target = getattr(target, attribute)
            return target(*args, **dict(kwargs)) if callable(target) else target
        return target(*args, **dict(kwargs))

    # Deciding -------------------------------------------------------------------------

    def wanted(self, src: str, meta: Mapping, context: Mapping) -> bool:
        """Whether the page at `src` must be rendered in this pass."""
        if self._everything:
            return True
        previous = self.records.get(src)
        if previous is None or VOLATILE in previous.keys:
            return True
        if not previous.keys.isdisjoint(self._changed):
            return True
        try:
            # What the globals return now, for the same arguments as last time.
            returned = [(name, args, kwargs, self._call_again(name, args, kwargs)) for name, args, kwargs in previous.calls]
            signature, keys = self._sign(meta, context, returned)
        except Untrackable:
            return True
        return signature != previous.signature or not keys.isdisjoint(self._changed)

    def keep(self, src: str, inputs: Callable[[], Iterable]) -> bool:
        """Whether the page at `src` may be kept as it was without even gathering its
        context, which on a national tracker is most of a refresh: `wanted` asks after
        the context is made. `inputs()`: the keys of every item its context and front
        matter are made from (its own, its sources...), which its generator names
        (`site.pages`). Kept only if none of them, and nothing the page rested on last
        time, changed, and nothing that places items among others did."""
        previous = self.records.get(src)
        if previous is None or VOLATILE in previous.keys or not previous.keys.isdisjoint(self._changed):
            return False
        if not self.unaffected(inputs):
            return False
        self.kept += 1
        return True

    def unaffected(self, inputs: Callable[[], Iterable]) -> bool:
        """Whether a file made from the items `inputs()` names is certainly as it was."""
        return self._settled and self._changed.isdisjoint(inputs())

    def _sign(self, meta: Mapping, context: Mapping, returned: list) -> tuple[bytes, set]:
        """The page's signature and the keys of the items in it. `returned`: the calls of
        template globals, each as (name, args, kwargs, what it returned)."""
        signer = _Signer(self._update_ids, self._memo)
        own = [(name, signer(value)) for name, value in context.items() if name not in SHARED]
        # The front matter is plain data (title, description, the head's metadata): its repr
        # says all of it.
        signature = _digest((repr(meta), own, signer(returned)))
        return signature, set(signer.keys)

    # Rendering ------------------------------------------------------------------------

    @contextmanager
    def rendering(self, src: str, meta: Mapping, context: dict):
        """Render one page with the shared objects seen through `_Lookups`; afterwards the
        page's record says what it rested on. Yields the context to render with."""
        looked_up: set = set()
        calls: list = []
        self._current = (looked_up, calls)
        try:
            yield self._viewed(context, looked_up)
        finally:
            self._current = None
        # A template may call a global more than once with the same arguments: once is enough.
        returned = list({(name, args, kwargs): (name, args, kwargs, result) for name, args, kwargs, result in calls}.values())
        try:
            signature, keys = self._sign(meta, context, returned)
        except Untrackable:
            signature, keys = b"", {VOLATILE}
        calls_made = tuple((name, args, kwargs) for name, args, kwargs, _ in returned)
        self.records[src] = self.rendered_now[src] = PageRecord(signature, frozenset(keys | looked_up), calls_made)

    def adopt(self, records: Mapping[str, PageRecord]) -> None:
        """Records made by the other rendering process (see `site.parallel`)."""
        self.records.update(records)
        self.rendered_now.update(records)

    def _viewed(self, context: dict, keys: set) -> dict:
        content = _View(self._content, keys, _TABLES, fixed=frozenset({"root"}))
        progress = _View(
            self._progress, keys,
            {"standings": "standing", "updates": "update", "unpublished": "unpublished"},
            fixed=frozenset({"today"}), views={"content": content},
        )
        viewed = dict(context)
        if "content" in viewed:
            viewed["content"] = content
        if "progress" in viewed:
            viewed["progress"] = progress
        if "standings" in viewed:
            viewed["standings"] = _Lookups(self._progress.standings, "standing", keys)
        if "record" in viewed:
            viewed["record"] = _RecordView(viewed["record"], keys)
        return viewed

    def forget(self, srcs) -> None:
        """Pages no longer in the site."""
        for src in srcs:
            self.records.pop(src, None)


class _Recorded:
    """A template global (a bound method) whose calls a page's record keeps."""

    def __init__(self, tracker: Tracker, name: str, function: Callable):
        self._tracker, self._name, self._function = tracker, name, function

    def __call__(self, *args, **kwargs):
        result = self._function(*args, **kwargs)
        self._tracker._record_call(self._name, args, kwargs, result)
        return result


class _RecordedObject:
    """A template global that is an object (`permanence.Citing`): what a template reads
    from it, and what its methods return, are kept in the page's record."""

    def __init__(self, tracker: Tracker, name: str, target: Any):
        self._tracker, self._name, self._target = tracker, name, target

    def __getattr__(self, attribute: str):
        value = getattr(self._target, attribute)
        name = f"{self._name}.{attribute}"
        if callable(value):
            return _Recorded(self._tracker, name, value)
        self._tracker._record_call(name, (), {}, value)
        return value


def _stateful(value: Any) -> bool:
    """Whether a template global is an object whose answers depend on the build (not a
    function, class, module or plain value)."""
    plain = (str, bytes, int, float, bool, type(None), list, tuple, dict, set, frozenset, date, Enum)
    return not (
        isinstance(value, plain) or inspect.isroutine(value) or inspect.isclass(value) or inspect.ismodule(value)
        or dataclasses.is_dataclass(value)
    )


class _RecordView:
    """The record (`publisher.record.tally`): any use of it rests on the whole of it."""

    def __init__(self, record: Any, keys: set):
        self._record, self._keys = record, keys

    def __getattr__(self, name: str):
        self._keys.add(("record", EVERY))
        return getattr(self._record, name)


# --------------------------------------------------------------------------- what changed


def changed_keys(old: Content, new: Content, old_progress: Progress, new_progress: Progress, old_record: Any, new_record: Any) -> set:
    """The keys of every item that differs between two states of the content, compared by
    value; for each kind that changed at all (or changed order), its EVERY key too."""
    changed: set = set()
    for attribute, kind in _TABLES.items():
        changed |= _differences(getattr(old, attribute), getattr(new, attribute), kind)
    changed |= _differences(old_progress.standings, new_progress.standings, "standing")
    changed |= _differences(old_progress.unpublished, new_progress.unpublished, "unpublished")
    if old_record != new_record:
        changed.add(("record", EVERY))
    return changed


_MISSING = object()


def _differences(old: Mapping, new: Mapping, kind: str) -> set:
    found = {
        (kind, key) for key in old.keys() | new.keys()
        if (a := old.get(key, _MISSING)) is not (b := new.get(key, _MISSING)) and a != b
    }
    if found or list(old) != list(new):
        found.add((kind, EVERY))
    if bool(old) != bool(new):
        found.add((kind, ANY))
    return found
