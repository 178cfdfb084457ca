"""Loading and validating the whole `content/` folder.

    content/
      sources.yml            a list of sources (and/or sources/<topic>.yml, lists too)
      themes.yml             a list of themes
      inspections/<id>.yml   one inspection each, with its findings and recommendations
      plans/<id>.yml         one plan each
      updates/<id>.md        one progress update each: YAML front matter, then Markdown
      pages/                 hand-written pages (the MkDocs docs_dir)

`load_content` reads every file, validates every record against the model, then checks
every cross-reference. It collects all problems and raises one `ContentError`, so an author
sees every mistake at once, each as `path:line: what is wrong (how to fix it)`.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, ValidationError

from .model import Finding, Inspection, Plan, Recommendation, Source, Theme, Update
from .model.update import PLACEHOLDER_MARK
from .model.base import ID_PATTERN, Citation
from .markup import MarkupProblem, check_markdown
from .problems import ContentError, Problem, closest, did_you_mean, display_path
from .reader import Document, load_yaml, read_text, split_front_matter
from .record import claim_problems, tally


@dataclass(frozen=True)
class Located:
    """Where a record was written: for error messages and for `publisher check` warnings."""

    path: str
    line: int


@dataclass
class Content:
    """Every validated record, indexed by id. Nothing here is derived; see `progress`."""

    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    inspections: dict[str, Inspection] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    #: Every update, drafts and embargoed ones included; `progress.visible_updates` selects.
    updates: dict[str, Update] = field(default_factory=dict)
    #: The Markdown narrative of each update, by update id.
    bodies: dict[str, str] = field(default_factory=dict)
    recommendations: dict[str, Recommendation] = field(default_factory=dict)
    findings: dict[str, Finding] = field(default_factory=dict)
    #: The inspection each recommendation and finding belongs to.
    inspection_of: dict[str, str] = field(default_factory=dict)
    #: Where each record is written, keyed by "kind:id".
    where: dict[str, Located] = field(default_factory=dict)


# --------------------------------------------------------------------------- validation


def _unwrap(annotation: Any) -> Any:
    """The model class inside Annotated[...], list[...] or X | None, if there is one."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, tuple):
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            models = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
            return models[0] if models else None
        else:
            return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that the location `loc` (minus its last part) points into."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        current = _unwrap(info.annotation) if info else None
    return current


def _describe(model: type[BaseModel], name: str) -> str:
    info = model.model_fields.get(name)
    return (info.description or "") if info else ""


def validate(model: type[BaseModel], data: Any, doc: Document, base: tuple = ()) -> tuple[Any, list[Problem]]:
    """Validate `data` as `model`, translating pydantic's errors into authors' problems."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        refused = doc.lines.refused
        errors = [
            error for error in exc.errors(include_url=False)
            if not any((base + tuple(error["loc"]))[:n] in refused for n in range(1, len(base) + len(error["loc"]) + 1))
        ]
        return None, [_problem(model, error, doc, base) for error in errors]


def validate_by_field(model: type[BaseModel], data: Any, doc: Document) -> tuple[Any, list[tuple[str, Problem]]]:
    """Like `validate`, naming the top-level field each problem is about (for rows and flags)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        fields = [next((str(p) for p in e["loc"] if isinstance(p, str)), "") for e in errors]
        return None, [(name, _problem(model, e, doc, ())) for name, e in zip(fields, errors)]


def _problem(model: type[BaseModel], error: dict, doc: Document, base: tuple) -> Problem:
    loc = tuple(part for part in error["loc"] if isinstance(part, int) or not str(part).startswith(("function-", "list[")))
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    where = _model_at(model, loc)
    line = doc.line(base + loc, within=int(ctx.get("line", 1)))
    if kind == "missing":
        hint = _describe(where, name) if where else ""
        return Problem(doc.path, doc.line(base + loc[:-1]), f"missing required field '{name}'", f"add '{name}:'" + (f" - {hint}" if hint else ""))
    if kind == "extra_forbidden":
        known = [info.alias or field for field, info in where.model_fields.items()] if where else []
        return Problem(doc.path, line, f"unknown field '{name}'", did_you_mean(name, known))
    if kind == "enum":
        expected = ctx.get("expected", "").replace("'", "").replace(" or ", ", ").split(", ")
        close = closest(str(value), expected)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return Problem(doc.path, line, f"'{value}' is not a valid {name}", f"{hint}use one of: {', '.join(expected)}")
    if kind in ("bool_type", "bool_parsing"):
        return Problem(doc.path, line, f"'{name}' must be true or false, not {value!r}", "write true or false")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return Problem(doc.path, line, f"'{name}' must be a whole number, not {value!r}", "write digits only, e.g. 14")
    if kind == "greater_than_equal":
        return Problem(doc.path, line, f"'{name}' cannot be negative", "write 0 or more")
    if kind == "list_type":
        items = [part.strip() for part in re.split(r"[,;]", value) if part.strip()] if isinstance(value, str) else []
        if len(items) > 1:  # a list written as text: `recommendations: a, b`
            shown_items = ", ".join(f"'- {item}'" for item in items[:3])
            return Problem(doc.path, line, f"'{name}' is written as one piece of text, but it is a list", f"write each on its own line under '{name}:', starting with '- ': {shown_items}")
        return Problem(doc.path, line, f"'{name}' must be a list", "write each item on its own line, starting with '- '")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Problem(doc.path, line, f"'{name or 'this'}' must be a group of fields, not {type(value).__name__ if value is not None else 'empty'}", "indent its fields under it, one per line")
    if kind == "too_short":
        return Problem(doc.path, line, f"'{name}' needs at least one item", "add one, starting with '- '")
    if "message" in ctx:  # our own field types (see model.base) carry message and fix
        return Problem(doc.path, line, (f"'{name}': " if name else "") + ctx["message"], ctx.get("fix", ""))
    return Problem(doc.path, line, f"'{name}': {error['msg']}", "")


# --------------------------------------------------------------------------- loading


class _Collector:
    """Gathers problems and records while the folder is read."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.content = Content(root=root)
        #: Findings and recommendations, each with the document and place it was written.
        self.parts: Loaded = []
        #: Ids of records that failed validation: references to them are not reported again.
        self.broken_ids: set[str] = set()
        #: Accept updates still holding the `publisher new update` placeholder.
        self.unfinished_ok = False

    def failed(self, data: Any) -> None:
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            self.broken_ids.add(data["id"])

    def shown(self, path: Path) -> str:
        # The folder's own name is worked out once: resolving every one of 30,000 update
        # files' paths would take longer than reading them.
        if not hasattr(self, "_shown_root"):
            self._shown_root = display_path(self.root, self.root.parent)
        try:
            return f"{self._shown_root}/{path.relative_to(self.root).as_posix()}"
        except ValueError:
            return display_path(path, self.root.parent)

    def read_yaml(self, path: Path) -> Document | None:
        shown = self.shown(path)
        try:
            doc = load_yaml(read_text(path, shown), shown)
        except ContentError as error:
            self.problems.extend(error.problems)
            return None
        self.problems.extend(doc.problems)
        return doc

    def add(self, kind: str, table: dict, record: Any, doc: Document, loc: tuple) -> None:
        """Index a record by id, refusing a second record with the same id."""
        key = f"{kind}:{record.id}"
        line = doc.line(loc + ("id",))
        if key in self.content.where:
            first = self.content.where[key]
            self.problems.append(
                Problem(doc.path, line, f"duplicate {kind} id '{record.id}' (already used at {first.path}:{first.line})", "give each a different id")
            )
            return
        self.content.where[key] = Located(doc.path, line)
        table[record.id] = record


#: (record, the document it came from, its location in that document)
Loaded = list[tuple[Any, Document, tuple]]


def _list_file(collector: _Collector, path: Path, model: type[BaseModel], kind: str, table: dict) -> Loaded:
    if not path.exists():
        collector.problems.append(Problem(collector.shown(path), 0, f"the {kind}s file is missing", f"create it with a list of {kind}s"))
        return []
    doc = collector.read_yaml(path)
    if doc is None:
        return []
    if doc.data is None:  # an empty file: usually a save that went wrong; `[]` means none
        collector.problems.append(Problem(doc.path, 1, "the file is empty", f"list the {kind}s here, each starting with '- id: ...', or write [] if there are none yet"))
        return []
    if not isinstance(doc.data, list):
        collector.problems.append(Problem(doc.path, 1, f"this file must be a list of {kind}s", "start each one with '- id: ...'"))
        return []
    loaded = []
    for index, item in enumerate(doc.data):
        record, problems = validate(model, item, doc, (index,))
        collector.problems.extend(problems)
        if record is None:
            collector.failed(item)
        else:
            collector.add(kind, table, record, doc, (index,))
            loaded.append((record, doc, (index,)))
    return loaded


def _sources(collector: _Collector, root: Path) -> Loaded:
    """`sources.yml`, and every list in `sources/`: a long record splits its sources by topic."""
    folder = root / "sources"
    files = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if (root / "sources.yml").exists() or not files:
        files.insert(0, root / "sources.yml")
    loaded: Loaded = []
    for path in files:
        loaded += _list_file(collector, path, Source, "source", collector.content.sources)
    return loaded


def _name(path: Path) -> str:
    return path.name


def _folder(collector: _Collector, folder: Path, model: type[BaseModel], kind: str, table: dict) -> Loaded:
    loaded = []
    # Sorted by name, as Path objects sort in one folder, a tenth of the time at 30,000 files.
    for path in sorted(folder.glob("*.yml"), key=_name) + sorted(folder.glob("*.yaml"), key=_name):
        doc = collector.read_yaml(path)
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            collector.problems.append(Problem(doc.path, 1, f"this file must describe one {kind}", "start it with 'id: ...' and the other fields"))
            continue
        record = _validate_with_parts(collector, model, doc)
        if record is None:
            continue
        if record.id != path.stem:
            collector.problems.append(
                Problem(doc.path, doc.line(("id",)), f"the id '{record.id}' does not match the file name '{path.name}'", f"rename the file to {record.id}{path.suffix} or change the id")
            )
        collector.add(kind, table, record, doc, ())
        loaded.append((record, doc, ()))
    return loaded


#: Lists inside a record that are validated and indexed item by item, so one broken
#: recommendation neither hides the others' mistakes nor their cross-reference checks.
_PARTS = {Inspection: {"findings": (Finding, "finding", "findings"), "recommendations": (Recommendation, "recommendation", "recommendations")}}


def _validate_with_parts(collector: _Collector, model: type[BaseModel], doc: Document) -> Any:
    parts = _PARTS.get(model, {})
    outer = {key: value for key, value in doc.data.items() if key not in parts}
    record, problems = validate(model, outer, doc)
    collector.problems.extend(problems)
    if record is None:
        collector.failed(doc.data)
    owner = doc.data.get("id") if isinstance(doc.data.get("id"), str) else None
    items: dict[str, list] = {}
    for name, (item_model, kind, table_name) in parts.items():
        raw = doc.data.get(name)
        if raw is None:
            continue
        if not isinstance(raw, list):
            collector.problems.append(Problem(doc.path, doc.line((name,)), f"'{name}' must be a list", "write each item on its own line, starting with '- '"))
            continue
        table = getattr(collector.content, table_name)
        items[name] = []
        for index, item in enumerate(raw):
            part, problems = validate(item_model, item, doc, (name, index))
            collector.problems.extend(problems)
            if part is None:
                collector.failed(item)
                continue
            items[name].append(part)
            collector.add(kind, table, part, doc, (name, index))
            collector.parts.append((part, doc, (name, index)))
            if owner:
                collector.content.inspection_of.setdefault(part.id, owner)
    return record.model_copy(update=items) if record is not None else None


def _updates(collector: _Collector, folder: Path) -> Loaded:
    loaded = []
    for path in sorted(folder.glob("*.md"), key=_name):
        shown = collector.shown(path)
        if not ID_PATTERN.match(path.stem):
            collector.problems.append(
                Problem(shown, 1, f"the file name '{path.name}' cannot be used as an update id", "use lower-case letters, digits and hyphens, e.g. 2024-03-31-workforce.md")
            )
            continue
        try:
            parsed = split_front_matter(read_text(path, shown), shown)
        except ContentError as error:
            collector.problems.extend(error.problems)
            continue
        doc = parsed.meta
        collector.problems.extend(doc.problems)
        if not isinstance(doc.data, dict):
            collector.problems.append(Problem(shown, 2, "the front matter must be fields, one per line", "write 'title: ...', 'date: ...' and so on, without '- ' before them"))
            continue
        record, problems = validate(Update, doc.data, doc)
        collector.problems.extend(problems)
        body = parsed.body.strip("\n")
        if body.strip():
            try:
                check_markdown(body)
            except MarkupProblem as problem:
                leading = len(parsed.body) - len(parsed.body.lstrip("\n"))
                collector.problems.append(Problem(shown, parsed.body_line + leading + problem.line - 1, problem.message, problem.fix))
        else:
            collector.problems.append(Problem(shown, parsed.body_line, "the update has no text below its front matter", "write what happened and what the evidence says"))
        if record is not None and not record.draft and not collector.unfinished_ok and PLACEHOLDER_MARK in parsed.body:
            line = parsed.body_line + parsed.body[: parsed.body.index(PLACEHOLDER_MARK)].count("\n")
            collector.problems.append(
                Problem(shown, line, "the text is still the placeholder written by 'publisher new update'", "replace it with what happened and what the evidence says, or add 'draft: true' until it is ready")
            )
        if record is None:
            continue
        key = f"update:{path.stem}"
        collector.content.where[key] = Located(shown, 1)
        collector.content.updates[path.stem] = record
        collector.content.bodies[path.stem] = body
        loaded.append((record, doc, ()))
    return loaded


def _walk(value: Any, loc: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every nested value of a record with its location, for checks that apply everywhere."""
    yield loc, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), loc + (name,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, loc + (index,))


def _without_parts(record: Any) -> Any:
    return record.model_copy(update={name: [] for name in _PARTS.get(type(record), {})})


def load_content(root: Path, *, unfinished_ok: bool = False, today: date | None = None) -> Content:
    """Read, validate and cross-check everything under `root`, or raise ContentError.

    `unfinished_ok` accepts updates still holding the placeholder text of `publisher new
    update` (as drafts always are), so one unfinished update does not stop the author
    starting the next; checking and building never set it. With `today`, an update dated
    after it is refused (checking and building pass the site's day).
    """
    root = Path(root).resolve()
    collector = _Collector(root)
    collector.unfinished_ok = unfinished_ok
    content = collector.content
    if not root.is_dir():
        raise ContentError([Problem(display_path(root), 0, "the content folder does not exist", "run from the project folder, or pass --content")])

    sources = _sources(collector, root)
    themes = _list_file(collector, root / "themes.yml", Theme, "theme", content.themes)
    inspections = _folder(collector, root / "inspections", Inspection, "inspection", content.inspections)
    plans = _folder(collector, root / "plans", Plan, "plan", content.plans)
    updates = _updates(collector, root / "updates")

    # Citations inside findings and recommendations are reached through `collector.parts`.
    outer = [(_without_parts(record), doc, loc) for record, doc, loc in inspections]
    records = sources + themes + outer + collector.parts + plans + updates
    _check_references(collector, records, inspections, plans, updates)
    _check_pages(collector, root / "pages")
    if today is not None:
        _check_not_future(collector, updates, today)
    if collector.problems:
        raise ContentError(collector.problems)
    return content


def _check_not_future(collector: _Collector, updates: Loaded, today: date) -> None:
    """An update is dated by its evidence, which cannot be dated after today. Left alone, a
    future date would list the update while its recommendations ignore it until that day;
    an update to be released later is dated by its evidence and held back with publish_on."""
    for update, doc, _ in updates:
        if update.draft or update.date.start is None or update.date.start <= today:
            continue
        collector.problems.append(Problem(
            doc.path, doc.line(("date",)),
            f"the update is dated {update.date.label}, after today ({today.isoformat()})",
            f"date it by its evidence (the day the source was published or judged); to release it later, add 'publish_on: {update.date.start.isoformat()}'",
        ))


def _check_pages(collector: _Collector, folder: Path) -> None:
    """Hand-written pages may not claim a completeness the record lacks ('every recommendation
    they made'); the generated pages are held to the same rule when they are built."""
    record = tally(collector.content)
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        try:
            text = read_text(path, collector.shown(path))
        except ContentError as error:
            collector.problems.extend(error.problems)
            continue
        collector.problems.extend(claim_problems(collector.shown(path), text, record))


_LOCATOR_FIX = "add 'section:' saying where in the document it is (a heading, page or paragraph), and 'quote:' with a few of its words"


def _check_locators(collector: _Collector, updates: Loaded) -> None:
    """Findings, recommendations and updates say where in each source a reader finds them,
    so anyone can get from a status to the passage it rests on."""
    for record, doc, base in collector.parts + updates:
        if isinstance(record, Update) and record.draft:  # a draft is finished before it is published
            continue
        if isinstance(record, Finding):
            if not record.section:
                collector.problems.append(Problem(doc.path, doc.line(base + ("source",)), f"finding '{record.id}' does not say where in its source it is", _LOCATOR_FIX))
            continue
        for i, cited in enumerate(record.sources):
            if not cited.section:
                what = f"recommendation '{record.id}'" if isinstance(record, Recommendation) else "this update"
                collector.problems.append(Problem(doc.path, doc.line(base + ("sources", i)), f"{what} cites '{cited.source}' without saying where in it", _LOCATOR_FIX))


def _check_references(collector: _Collector, records: Loaded, inspections: Loaded, plans: Loaded, updates: Loaded) -> None:
    content = collector.content
    problems = collector.problems

    def refer(doc: Document, loc: tuple, value: str, table: dict, kind: str, where: str) -> None:
        if value not in table and value not in collector.broken_ids:
            problems.append(Problem(doc.path, doc.line(loc), f"unknown {kind} id '{value}'", f"{did_you_mean(value, table)} {kind.capitalize()}s are in {where}"))

    # Every citation, wherever it is, must name a known source.
    for record, doc, base in records:
        for loc, value in _walk(record, base):
            if isinstance(value, Citation):
                refer(doc, loc + ("source",), value.source, content.sources, "source", "content/sources.yml or content/sources/")

    _check_locators(collector, updates)

    for inspection, doc, _ in inspections:
        if inspection.follows:
            refer(doc, ("follows",), inspection.follows, content.inspections, "inspection", "content/inspections/")
        recorded = len(inspection.recommendations)
        if inspection.recommendations_made is not None and inspection.recommendations_made < recorded:
            problems.append(
                Problem(doc.path, doc.line(("recommendations_made",)), f"recommendations_made is {inspection.recommendations_made} but {recorded} are written here", "correct the count")
            )

    for part, doc, loc in collector.parts:
        if isinstance(part, Finding):
            refer(doc, loc + ("source",), part.source, content.sources, "source", "content/sources.yml or content/sources/")
            continue
        for j, theme in enumerate(part.themes):
            refer(doc, loc + ("themes", j), theme, content.themes, "theme", "content/themes.yml")
        own = content.inspection_of.get(part.id)
        for j, earlier in enumerate(part.follows):
            where = loc + ("follows", j)
            refer(doc, where, earlier, content.recommendations, "recommendation", "content/inspections/")
            other = content.inspection_of.get(earlier)
            if other is not None and other == own:
                problems.append(Problem(doc.path, doc.line(where), f"'{earlier}' is in the same inspection", "'follows' links to recommendations of earlier inspections"))
            elif other in content.inspections and own in content.inspections and (
                content.inspections[other].period.sort_key > content.inspections[own].period.sort_key
            ):
                problems.append(Problem(doc.path, doc.line(where), f"'{earlier}' was made after this inspection", "'follows' links to recommendations of earlier inspections"))

    current = [(plan, doc) for plan, doc, _ in plans if plan.current]
    for plan, doc in current[1:]:
        problems.append(Problem(doc.path, doc.line(("current",)), f"more than one plan is marked current (also {current[0][0].id})", "set current: true on one plan only"))
    for plan, doc, _ in plans:
        for i, inspection_id in enumerate(plan.responds_to):
            refer(doc, ("responds_to", i), inspection_id, content.inspections, "inspection", "content/inspections/")
        for i, area in enumerate(plan.key_areas):
            for j, rec_id in enumerate(area.recommendations):
                refer(doc, ("key_areas", i, "recommendations", j), rec_id, content.recommendations, "recommendation", "content/inspections/")

    for update, doc, _ in updates:
        for i, rec_id in enumerate(update.recommendations):
            refer(doc, ("recommendations", i), rec_id, content.recommendations, "recommendation", "content/inspections/")
        for i, finding_id in enumerate(update.findings):
            refer(doc, ("findings", i), finding_id, content.findings, "finding", "content/inspections/")
