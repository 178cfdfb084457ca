"""The open data: every record as CSV and JSON, described by a Frictionless Data Package.

Scrutiny panels and journalists download these files to check and reuse the figures the
site shows. Each table is one kind of record; each row carries the record's permanent
`url` on the site. The tables are described once (`TABLES`: field, type, meaning), and the
CSV, the JSON and the Table Schemas in `datapackage.json` are all made from that one
description, so they cannot disagree.

Only what the public site shows is exported: never a draft, never an embargoed update,
whatever the build (the preview included).

Formats:
- CSV: UTF-8, comma-separated, RFC 4180 quoting. A cell holding several values separates
  them with " ; " (the format `publisher.update_rows` defines for updates, which the
  spreadsheet import reads back).
- JSON: an array of objects with the same fields; several values are a JSON array, a
  number is a number, true/false are booleans, and an empty cell is null.
- Partial dates are given as the source gives them (`2010/11`, `2013-10`), with the
  earliest and latest day they can mean in `<field>_start` and `<field>_end`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable

from . import update_rows
from .content import Content
from .dates import PartialDate
from .progress import Progress, Standing
from .site import urls
from .vocabulary import EvidenceKind, FindingKind, InspectionKind, SourceKind, Status

#: The table's list-valued cells are joined with this in CSV (and are arrays in JSON).
SEPARATOR = update_rows.SEPARATOR


@dataclass(frozen=True)
class Column:
    name: str
    #: A Table Schema type: string, integer, boolean, date.
    type: str
    description: str
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    #: Several values: " ; "-separated text in CSV, an array in JSON.
    many: bool = False
    #: (table, column) this column refers to, for the Data Package's foreign keys.
    refers_to: tuple[str, str] | None = None
    format: str = "default"


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    #: Builds the rows: (content, public progress, absolute URL maker) -> list of dicts.
    rows: Callable[["Context"], list[dict[str, Any]]] = field(repr=False, compare=False)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Context:
    content: Content
    progress: Progress
    base_url: str  # absolute, ending in '/'

    def url(self, src: str, anchor: str | None = None) -> str:
        return self.base_url + urls.canonical(src, anchor)


# --------------------------------------------------------------------------- cells


def _text(value: Any) -> Any:
    return None if value in (None, "") else value


def _start(value: PartialDate | None) -> date | None:
    return value.start if value is not None else None


def _end(value: PartialDate | None) -> date | None:
    return value.end if value is not None else None


def _partial(prefix: str, value: PartialDate | None) -> dict[str, Any]:
    """A partial date as three fields: as given, earliest day, latest day."""
    known = value is not None and value.known
    return {
        prefix: value.text if value is not None else None,
        f"{prefix}_start": _start(value) if known else None,
        f"{prefix}_end": _end(value) if known else None,
    }


def _partial_columns(prefix: str, what: str) -> tuple[Column, ...]:
    return (
        Column(prefix, "string", f"{what}, as precisely as the source gives it: a day, a span of days, a month, a year, two years such as 2010/11, or 'not stated'."),
        Column(f"{prefix}_start", "date", f"The earliest day `{prefix}` can mean; empty when it is not stated."),
        Column(f"{prefix}_end", "date", f"The latest day `{prefix}` can mean; empty when it is not stated."),
    )


def _citations(citations) -> list[str]:
    return [update_rows.citation_to_cell(c) for c in citations]


_ID = Column("id", "string", "The record's permanent id.", required=True, unique=True)
_URL = Column("url", "string", "The record's permanent address on this site.", required=True, unique=True, format="uri")
_CITATIONS = "Sources, each as its source id, followed by the section in brackets and the passage quoted from it in double quotes, where given."


# --------------------------------------------------------------------------- rows


def _inspections(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    for i in ctx.content.inspections.values():
        rows.append({
            "id": i.id,
            "url": ctx.url(urls.inspection(i.id)),
            "title": i.title,
            "kind": i.kind.value,
            "inspectorate": i.inspectorate,
            "commissioned_by": _text(i.commissioned_by),
            **_partial("period", i.period),
            **_partial("published", i.published),
            "follows": _text(i.follows),
            "summary": i.summary,
            "scope": i.scope,
            "recommendations_made": i.recommendations_made,
            "recommendations_called": i.recommendations_called.many,
            "recommendations_recorded": len(i.recommendations),
            "findings_recorded": len(i.findings),
            "sources": _citations(i.sources),
        })
    return rows


def _findings(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    for finding_id, f in ctx.content.findings.items():
        inspection_id = ctx.content.inspection_of[finding_id]
        rows.append({
            "id": f.id,
            "url": ctx.url(urls.inspection(inspection_id), urls.finding_anchor(f.id)),
            "inspection": inspection_id,
            "kind": f.kind.value,
            "text": f.text,
            "source": f.source,
            "section": _text(f.section),
            "quote": _text(f.quote),
        })
    return rows


def _latest(standing: Standing) -> dict[str, Any]:
    latest = standing.latest
    return {
        "status": standing.status.value,
        "evidence": standing.evidence.value if standing.evidence else None,
        "status_date": latest.date.text if latest else None,
        "status_update": latest.update_id if latest else None,
    }


def _recommendations(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    for rec_id, s in ctx.progress.standings.items():
        rec = s.recommendation
        rows.append({
            "id": rec_id,
            "url": ctx.url(urls.recommendation(rec_id)),
            "inspection": s.inspection_id,
            "label": rec.label,
            "title": rec.title,
            "text": rec.text,
            "themes": list(rec.themes),
            "standard": _text(rec.standard),
            **_partial("due", s.original_due),
            "due_note": _text(rec.due.note if rec.due else None),
            **_partial("due_now", s.due),
            "overdue": s.overdue,
            **_latest(s),
            "next_update_due": s.next_update_due,
            "owner": _text(rec.owner),
            "follows": list(rec.follows),
            "sources": _citations(rec.sources),
        })
    return rows


def _updates(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    ordered = sorted(ctx.progress.updates.items(), key=lambda kv: (kv[1].date.sort_key, kv[0]))
    for update_id, update in ordered:
        cells = update_rows.update_to_row(update_id, update, ctx.content.bodies[update_id], ctx.url(urls.update(update_id)))
        # The same cells as the CSV the spreadsheet import reads; lists kept as lists here.
        row: dict[str, Any] = {name: _text(value) for name, value in cells.items()}
        row["recommendations"] = list(update.recommendations)
        row["sources"] = _citations(update.sources)
        row["findings"] = list(update.findings)
        row["publish_on"] = update.publish_on
        rows.append(row)
    return rows


def _sources(ctx: Context) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "url": ctx.url(urls.source(s.id)),
            "title": s.title,
            "publisher": s.publisher,
            "kind": s.kind.value,
            **_partial("date", s.date),
            "document_url": _text(s.url),
            "not_online": _text(s.not_online),
            "read_at": _text(s.read_at),
            "notes": _text(s.notes),
        }
        for s in ctx.content.sources.values()
    ]


def _themes(ctx: Context) -> list[dict[str, Any]]:
    return [
        {
            "id": t.id,
            "url": ctx.url(urls.theme(t.id)),
            "title": t.title,
            "summary": t.summary,
            "recommendations": [s.id for s in ctx.progress.of_theme(t.id)],
            "sources": _citations(t.sources),
        }
        for t in ctx.content.themes.values()
    ]


def _values(vocabulary) -> tuple[str, ...]:
    return tuple(vocabulary.values())


TABLES: tuple[Table, ...] = (
    Table(
        "inspections", "Inspections",
        "Every inspection, review or inquiry: who carried it out, when, and what it concluded.",
        (
            _ID, _URL,
            Column("title", "string", "The inspection or report's name.", required=True),
            Column("kind", "string", "inspection, follow-up or review.", required=True, enum=_values(InspectionKind)),
            Column("inspectorate", "string", "Who carried it out.", required=True),
            Column("commissioned_by", "string", "Who asked for it, where a source says."),
            *_partial_columns("period", "When it took place"),
            *_partial_columns("published", "When the report was published"),
            Column("follows", "string", "The id of the earlier inspection this one follows up.", refers_to=("inspections", "id")),
            Column("summary", "string", "The overall conclusion (Markdown).", required=True),
            Column("scope", "string", "What was inspected, and against which standards (Markdown).", required=True),
            Column("recommendations_made", "integer", "How many recommendations the report made, where the sources state it; empty where no source gives the number."),
            Column("recommendations_called", "string", "The report's own word for them, e.g. 'areas for improvement'.", required=True),
            Column("recommendations_recorded", "integer", "How many of its recommendations are recorded here (see recommendations): fewer than made where the documents found so far do not state the rest.", required=True),
            Column("findings_recorded", "integer", "How many of its findings are recorded here (see findings).", required=True),
            Column("sources", "string", _CITATIONS, many=True),
        ),
        _inspections,
    ),
    Table(
        "findings", "Findings",
        "What the inspectors found: strengths and concerns, each with its source.",
        (
            _ID, _URL,
            Column("inspection", "string", "The id of the inspection that found it.", required=True, refers_to=("inspections", "id")),
            Column("kind", "string", "strength or concern.", required=True, enum=_values(FindingKind)),
            Column("text", "string", "The finding (Markdown).", required=True),
            Column("source", "string", "The id of the source that reports it.", required=True, refers_to=("sources", "id")),
            Column("section", "string", "Where in the source."),
            Column("quote", "string", "A short passage from the source, word for word, that the finding rests on."),
        ),
        _findings,
    ),
    Table(
        "recommendations", "Recommendations",
        "Every recommendation, with the status the published evidence supports on the day the site was built.",
        (
            _ID, _URL,
            Column("inspection", "string", "The id of the inspection that made it.", required=True, refers_to=("inspections", "id")),
            Column("label", "string", "How the report numbers it.", required=True),
            Column("title", "string", "A short plain-English title.", required=True),
            Column("text", "string", "What the inspectors asked for (Markdown).", required=True),
            Column("themes", "string", "Ids of the themes it is about.", required=True, many=True),
            Column("standard", "string", "The standard it is made against."),
            *_partial_columns("due", "The original due date"),
            Column("due_note", "string", "How the source states the due date."),
            *_partial_columns("due_now", "The due date now in force, after any revisions"),
            Column("overdue", "boolean", "true when the due date has wholly passed and it is neither met nor superseded.", required=True),
            Column("status", "string", "Its status (see the site's 'What the statuses mean').", required=True, enum=_values(Status)),
            Column("evidence", "string", "What kind of evidence the status rests on; empty when there is none.", enum=_values(EvidenceKind)),
            Column("status_date", "string", "The date of the evidence for the status, as precisely as the source gives it."),
            Column("status_update", "string", "The id of the update that set the status.", refers_to=("updates", "id")),
            Column("next_update_due", "date", "When a progress update is next expected; empty once closed."),
            Column("owner", "string", "Who is responsible, where a source names them."),
            Column("follows", "string", "Ids of earlier recommendations that raised the same concern.", many=True),
            Column("sources", "string", _CITATIONS, required=True, many=True),
        ),
        _recommendations,
    ),
    Table(
        "updates", "Progress updates",
        "Every published progress update: the dated evidence that moves recommendations to a new status. "
        "The same columns as the spreadsheet import.",
        (
            _ID, _URL,
            Column("date", "string", "When the evidence is dated, as precisely as the source gives it.", required=True),
            Column("date_note", "string", "How the date was arrived at."),
            Column("title", "string", "The update's headline.", required=True),
            Column("recommendations", "string", "Ids of the recommendations it moves.", required=True, many=True),
            Column("status", "string", "The status they move to.", required=True, enum=_values(Status)),
            Column("evidence", "string", "What kind of evidence it is.", required=True, enum=_values(EvidenceKind)),
            Column("sources", "string", _CITATIONS, required=True, many=True),
            Column("findings", "string", "Ids of the findings the new status rests on.", many=True),
            Column("summary", "string", "One sentence summing it up."),
            Column("publish_on", "date", "The day it was released, where it was embargoed."),
            Column("body", "string", "What the evidence says (Markdown).", required=True),
        ),
        _updates,
    ),
    Table(
        "sources", "Sources",
        "Every document the site cites.",
        (
            _ID, _URL,
            Column("title", "string", "The document's title as published.", required=True),
            Column("publisher", "string", "Who published it.", required=True),
            Column("kind", "string", "What kind of document it is.", required=True, enum=_values(SourceKind)),
            *_partial_columns("date", "When it was published"),
            Column("document_url", "string", "The document's own public address (the publisher's page); empty where it has none.", format="uri"),
            Column("not_online", "string", "Why the document has no public address, where it has none."),
            Column("read_at", "string", "Where the text was read, when that is not the public address (e.g. a copy on another site).", format="uri"),
            Column("notes", "string", "What the document is and covers (Markdown)."),
        ),
        _sources,
    ),
    Table(
        "themes", "Themes",
        "The concerns that recur across inspections.",
        (
            _ID, _URL,
            Column("title", "string", "The theme's name.", required=True),
            Column("summary", "string", "What the concern is (Markdown).", required=True),
            Column("recommendations", "string", "Ids of the recommendations about it.", many=True),
            Column("sources", "string", _CITATIONS, many=True),
        ),
        _themes,
    ),
)



# --------------------------------------------------------------------------- files


def _csv_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.many:
        return SEPARATOR.join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _json_cell(column: Column, value: Any) -> Any:
    if column.many:
        return list(value or [])
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(table: Table, rows: list[dict[str, Any]], memo: dict | None = None) -> bytes:
    """The table as CSV. `memo`: each row's line from earlier calls, by the row (a
    preview's: after an edit most rows are what they were)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.column_names)
    if memo is None:
        for row in rows:
            writer.writerow([_csv_cell(c, row.get(c.name)) for c in table.columns])
        return out.getvalue().encode("utf-8")
    lines = [out.getvalue()]
    for row in rows:
        key = ("csv", table.name, _row_key(row))
        line = memo.get(key)
        if line is None:
            out.seek(0)
            out.truncate()
            writer.writerow([_csv_cell(c, row.get(c.name)) for c in table.columns])
            line = memo[key] = out.getvalue()
        lines.append(line)
    return "".join(lines).encode("utf-8")


def to_json(table: Table, rows: list[dict[str, Any]], memo: dict | None = None) -> bytes:
    """The table as a JSON list of records. `memo` as for `to_csv`."""
    records = [{c.name: _json_cell(c, row.get(c.name)) for c in table.columns} for row in rows]
    if memo is None or not records:
        return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    # The list as json.dumps(records, indent=1) writes it: each record as json.dumps writes
    # it alone, one level further in (JSON text has no raw line breaks inside strings).
    texts = []
    for row, record in zip(rows, records):
        key = ("json", table.name, _row_key(row))
        text = memo.get(key)
        if text is None:
            text = memo[key] = " " + json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n ")
        texts.append(text)
    return ("[\n" + ",\n".join(texts) + "\n]\n").encode("utf-8")


def _row_key(row: dict[str, Any]) -> bytes:
    # A row holds plain values (text, numbers, dates, lists of text), whose repr says all.
    return hashlib.blake2b(repr(row).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _schema(table: Table, fmt: str) -> dict[str, Any]:
    fields = []
    for c in table.columns:
        spec: dict[str, Any] = {"name": c.name, "type": c.type, "description": c.description}
        if c.many:
            if fmt == "json":
                spec["type"] = "array"
            else:
                spec["description"] += f' Several values are separated by "{SEPARATOR}".'
        if c.format != "default":
            spec["format"] = c.format
        constraints: dict[str, Any] = {}
        if c.required:
            constraints["required"] = True
        if c.unique:
            constraints["unique"] = True
        if c.enum:
            constraints["enum"] = list(c.enum)
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    schema: dict[str, Any] = {"fields": fields, "primaryKey": ["id"]}
    keys = [
        {"fields": [c.name], "reference": {"resource": _resource_name(ref_table, fmt), "fields": [ref_column]}}
        for c in table.columns
        if c.refers_to
        for ref_table, ref_column in [c.refers_to]
    ]
    if keys:
        schema["foreignKeys"] = keys
    if fmt == "csv":
        schema["missingValues"] = [""]
    return schema


def _resource_name(table_name: str, fmt: str) -> str:
    return table_name if fmt == "csv" else f"{table_name}-json"


@dataclass(frozen=True)
class DataFile:
    #: The file's name inside the site's data folder, e.g. 'recommendations.csv'.
    name: str
    content: bytes
    table: Table | None = None
    rows: int = 0


@dataclass(frozen=True)
class Licence:
    name: str
    title: str
    url: str


def package_name(title: str) -> str:
    """A data package's name (lower case, digits, "-"), from the site's name:
    "Midshire children's services" -> "midshire-childrens-services"."""
    from slugify import slugify

    return slugify(title.replace("'", "").replace("\u2019", "")) or "tracker"


def data_files(
    content: Content,
    progress: Progress,
    *,
    base_url: str,
    title: str,
    description: str,
    publisher: str,
    licence: Licence | None,
    version: str,
    package: str = "",
    memo: dict | None = None,
) -> list[DataFile]:
    """Every open-data file: two per table (CSV, JSON), then `datapackage.json`.

    `progress` must be the public derivation (no drafts, no embargoed updates). `memo`: a
    preview's rows written before (`to_csv`).
    """
    ctx = Context(content, progress, base_url)
    files: list[DataFile] = []
    resources: list[dict[str, Any]] = []
    rows_of = {table.name: table.rows(ctx) for table in TABLES}  # once for both formats
    for fmt in ("csv", "json"):
        for table in TABLES:
            rows = rows_of[table.name]
            data = to_csv(table, rows, memo) if fmt == "csv" else to_json(table, rows, memo)
            name = f"{table.name}.{fmt}"
            files.append(DataFile(name, data, table, len(rows)))
            resource: dict[str, Any] = {
                "name": _resource_name(table.name, fmt),
                "path": name,
                "profile": "tabular-data-resource",
                "title": table.title + (" (JSON)" if fmt == "json" else ""),
                "description": table.description,
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/json",
                "encoding": "utf-8",
                "schema": _schema(table, fmt),
            }
            if fmt == "csv":
                # Size and checksum let a reader verify a download. Frictionless cannot
                # check them on JSON (it parses JSON without counting bytes), and every
                # file's checksum is in the site's manifest.sha256 anyway.
                resource["bytes"] = len(data)
                resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
                resource["dialect"] = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True}
            resources.append(resource)
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": package or package_name(title),
        "title": title,
        "description": description,
        "homepage": base_url + urls.canonical(urls.DATA),
        "version": version,
        "contributors": [{"title": publisher, "role": "publisher"}],
        "resources": resources,
    }
    if licence is not None:
        package["licenses"] = [{"name": licence.name, "title": licence.title, "path": licence.url}]
    files.append(DataFile("datapackage.json", (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")))
    return files


def file_names() -> list[str]:
    """The names of the open-data files, without building them (for the URL register)."""
    return [f"{t.name}.{fmt}" for fmt in ("csv", "json") for t in TABLES] + ["datapackage.json"]


def table_summaries(files: Iterable[DataFile]) -> list[tuple[Table, DataFile, DataFile]]:
    """(table, CSV file, JSON file) for each table, in `TABLES` order, for the data page."""
    by_name = {f.name: f for f in files}
    return [(t, by_name[f"{t.name}.csv"], by_name[f"{t.name}.json"]) for t in TABLES]
