"""`publisher import updates FILE.csv`: progress updates from a spreadsheet.

Two layouts are read, by their column headings (in any order, any case):

- the site's own open-data `updates.csv` (`update_rows.COLUMNS`), so a published CSV
  imports back as the same updates;
- a spreadsheet written by hand with the columns `date, recommendation, status,
  evidence, source, title, summary` (and optionally `findings`, `date_note`,
  `publish_on`, `draft`, `body` and `id`). Without a `body`, the summary becomes the text.

Every row is checked before anything is written, by the same rules as `publisher check`;
if any row is wrong, nothing is written and each mistake is reported as
`FILE:LINE: row N, column 'X': what is wrong (how to fix it)`. A row that matches an
update already in `content/updates/` is left alone, so importing the same file twice, or
the open-data CSV over the content it came from, changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import update_rows
from .content import Content, load_content
from .model import Update
from .model.base import ID_PATTERN
from .problems import ContentError, Problem, did_you_mean, display_path
from .reader import decode_text
from .update_files import FieldProblem, check_update, file_text, update_id, write_atomically

#: A spreadsheet of updates can be far larger than one content file.
MAX_CSV_BYTES = 50_000_000

#: Headings a spreadsheet may use for a field: the open-data name, and the singular a
#: person writes when a row usually holds one value.
ALIASES = {
    "recommendation": "recommendations",
    "source": "sources",
    "finding": "findings",
}
#: Columns the importer reads, by field name: the open-data columns (`url` is derived
#: from the id, so it is accepted and ignored), and `draft` for a sheet of drafts.
FIELDS = [c for c in update_rows.COLUMNS if c != "url"] + ["draft"]
IGNORED = {"url"}
#: Columns every row needs (the rest are optional).
REQUIRED = ["date", "title", "recommendations", "status", "evidence", "sources"]
LIST_FIELDS = {"recommendations", "sources", "findings"}

#: A date a spreadsheet has reformatted as 31/03/2024 (or 31.03.2024).
_SPREADSHEET_DAY = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\s*$")


@dataclass(frozen=True)
class Row:
    """One spreadsheet row turned into an update, with where it came from."""

    number: int  # the spreadsheet's row number: the headings are row 1
    line: int  # the line of the CSV file the row starts on
    update_id: str
    update: Update
    body: str


@dataclass
class Outcome:
    """What an import did (or, with `dry_run`, would do), by update file."""

    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False


class _Table:
    """The CSV's headings mapped to fields, with the problems found in them."""

    def __init__(self, path: str, header: list[str]):
        self.path = path
        self.columns: dict[int, str] = {}  # cell position -> field
        self.heading: dict[str, str] = {}  # field -> the heading as written
        self.problems: list[Problem] = []
        known = FIELDS + list(ALIASES) + list(IGNORED)
        for position, raw in enumerate(header):
            heading = raw.strip()
            name = re.sub(r"[\s-]+", "_", heading.lower())
            if not name:
                continue
            if name in IGNORED:
                continue
            field_name = ALIASES.get(name, name)
            if field_name not in FIELDS:
                self.problems.append(Problem(path, 1, f"row 1: unknown column '{heading}'", f"{did_you_mean(name, known)}; the columns are: {', '.join(REQUIRED)}, and optionally findings, summary, date_note, publish_on, draft, body, id"))
                continue
            if field_name in self.heading:
                self.problems.append(Problem(path, 1, f"row 1: columns '{self.heading[field_name]}' and '{heading}' both give the {field_name}", "keep one of them"))
                continue
            self.columns[position] = field_name
            self.heading[field_name] = heading
        for name in REQUIRED:
            if name not in self.heading:
                singular = next((a for a, f in ALIASES.items() if f == name), name)
                self.problems.append(Problem(path, 1, f"row 1: there is no '{singular}' column", f"add a column headed '{singular}'"))
        if "body" not in self.heading and "summary" not in self.heading:
            self.problems.append(Problem(path, 1, "row 1: there is no 'summary' column", "add a column headed 'summary': one sentence saying what the evidence shows"))

    def column(self, field_name: str) -> str:
        return self.heading.get(field_name, field_name)


def read_rows(csv_path: Path, content: Content) -> list[Row]:
    """Read and check every row; raises ContentError naming each bad row and column."""
    shown = display_path(csv_path)
    try:
        data = csv_path.read_bytes()
    except OSError as error:
        raise ContentError([Problem(shown, 0, f"cannot read the file: {error.strerror}")]) from None
    try:
        text = decode_text(data, shown, limit=MAX_CSV_BYTES)
    except ContentError as error:
        raise ContentError([_spreadsheet_hint(p) for p in error.problems]) from None

    records = _records(text)
    if not records:
        raise ContentError([Problem(shown, 1, "the file is empty", "the first row must be the column headings: date, recommendation, status, evidence, source, title, summary")])
    table = _Table(shown, records[0][2])
    if table.problems:
        raise ContentError(table.problems)

    problems: list[Problem] = []
    rows: list[Row] = []
    first_row_of: dict[str, int] = {}
    for number, line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets keep blank rows at the end

        def report(field_name: str | None, message: str, fix: str = "") -> None:
            where = f"row {number}" + (f", column '{table.column(field_name)}'" if field_name else "")
            problems.append(Problem(shown, line, f"{where}: {message}", fix))

        extra = [c for position, c in enumerate(cells) if position >= len(records[0][2]) and c.strip()]
        if extra:
            report(None, f"the row has {len(cells)} cells but there are only {len(records[0][2])} column headings", "remove the extra cells, or add a heading for them")
            continue
        values = {table.columns[p]: cell.strip() for p, cell in enumerate(cells) if p in table.columns}
        data, body = _fields(values)
        record, field_problems = check_update(data, body, content)
        for problem in field_problems:
            message = "the cell is empty" if problem.message.startswith("missing required field") else problem.message
            report(_column_of(problem, table), message, _better_fix(problem, values))
        given_id = values.get("id", "")
        if given_id:
            if not ID_PATTERN.match(given_id) or len(given_id) > 80:
                report("id", f"'{given_id}' cannot be an update id", "use lower-case letters, digits and single hyphens, or leave it empty to have one made from the date and title")
                continue
            new_id = given_id
        elif record is not None:
            new_id = update_id(record.date.text, record.title)
        else:
            continue
        if new_id in first_row_of:
            if given_id:
                report("id", f"the id '{new_id}' is also used by row {first_row_of[new_id]}", "give each row its own id")
            else:
                report("title", f"row {first_row_of[new_id]} has the same date and title, so both would be the file {new_id}.md", "give each update its own title, or add an 'id' column")
            continue
        first_row_of[new_id] = number
        if record is not None:
            rows.append(Row(number, line, new_id, record, body))
    if problems:
        raise ContentError(problems)
    if not rows:
        raise ContentError([Problem(shown, 2, "the file has headings but no rows", "add one row per update below the headings")])
    return rows


def _records(text: str) -> list[tuple[int, int, list[str]]]:
    """(spreadsheet row number, first line, cells) for every record, headings included."""
    delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, line = [], 1
    for number, cells in enumerate(reader, 1):
        records.append((number, line, cells))
        line = reader.line_num + 1
    return records


def _delimiter(header: str) -> str:
    """Comma, semicolon or tab: whichever splits the headings into the most known columns.

    csv.Sniffer guesses from the data too, and the ' ; ' inside list cells misleads it;
    the headings are a surer guide.
    """
    known = set(FIELDS) | set(ALIASES) | IGNORED

    def score(delimiter: str) -> int:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        return sum(re.sub(r"[\s-]+", "_", c.strip().lower()) in known for c in cells)

    return max([",", ";", "\t"], key=score)


def _fields(values: dict[str, str]) -> tuple[dict, str]:
    """A row's cells as front-matter fields, and the body text."""
    data: dict = {}
    for name in FIELDS:
        value = values.get(name, "")
        if name in ("id", "body") or not value:
            continue
        if name in LIST_FIELDS:
            parts = update_rows.split(value)
            data[name] = [update_rows.cell_to_citation(p) for p in parts] if name == "sources" else parts
        else:
            data[name] = value
    body = values.get("body", "")
    if not body:
        # A hand-written sheet has no body: its summary is the text, and the site takes
        # the summary from the text's first paragraph.
        body = data.pop("summary", "")
    return data, body


def _column_of(problem: FieldProblem, table: _Table) -> str | None:
    if problem.field == "body" and "body" not in table.heading:
        return "summary"
    return problem.field if problem.field else None


def _better_fix(problem: FieldProblem, values: dict[str, str]) -> str:
    """Hints for what spreadsheets do to cells."""
    if problem.field in ("date", "publish_on"):
        match = _SPREADSHEET_DAY.match(values.get(problem.field, ""))
        if match:
            return "write the date as YYYY-MM-DD, e.g. 2024-03-31; the spreadsheet may have reformatted it, so format the column as Text"
    if problem.message.startswith("missing required field"):
        return f"fill in the cell{_describe_field(problem.field)}"
    return problem.fix


def _describe_field(name: str) -> str:
    info = Update.model_fields.get(name)
    return f": {info.description[0].lower()}{info.description[1:]}" if info and info.description else ""


def _spreadsheet_hint(problem: Problem) -> Problem:
    if "UTF" in problem.message:
        return Problem(problem.path, problem.line, problem.message, "in the spreadsheet, save the file as 'CSV UTF-8'")
    return problem


# --------------------------------------------------------------------------- writing


def import_updates(csv_path: Path, content_root: Path, *, replace: bool = False, dry_run: bool = False, today=None) -> Outcome:
    """Turn the CSV's rows into update files, all or none.

    Raises ContentError for any problem in the existing content, in any row, or in the
    content as it would be after the import; nothing is written then.
    """
    content = load_content(content_root, unfinished_ok=True)
    rows = read_rows(csv_path, content)
    outcome = Outcome(dry_run=dry_run)
    files: dict[Path, str] = {}
    clashes: list[Problem] = []
    shown_csv = display_path(csv_path)
    folder = content.root / "updates"
    for row in rows:
        target = folder / f"{row.update_id}.md"
        shown = display_path(target, content.root.parent)
        if row.update_id in content.updates:
            if content.updates[row.update_id] == row.update and content.bodies[row.update_id] == row.body.strip("\n"):
                outcome.unchanged.append(shown)
                continue
            if not replace:
                clashes.append(
                    Problem(shown_csv, row.line, f"row {row.number}: {shown} already exists and says something different", "run again with --replace to overwrite it with this row, or give the row a different id or title to add a new update")
                )
                continue
            outcome.replaced.append(shown)
        elif target.exists():
            if not replace:
                clashes.append(Problem(shown_csv, row.line, f"row {row.number}: {shown} already exists", "run again with --replace to overwrite it, or give the row a different id or title"))
                continue
            outcome.replaced.append(shown)
        else:
            outcome.created.append(shown)
        files[target] = file_text(row.update, row.body)
    if clashes:
        raise ContentError(clashes)
    _check_result(content, files, rows, shown_csv, today)
    if files and not dry_run:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(files)
    return outcome


def _check_result(content: Content, files: dict[Path, str], rows: list[Row], shown_csv: str, today=None) -> None:
    """Load the content as it would be after the import, in a scratch copy, and make
    sure every written file reads back as exactly the row it came from.

    The rows were checked field by field already; this catches anything only the whole
    folder shows, and proves the written files round-trip."""
    if not files:
        return
    row_of = {f"{row.update_id}.md": row for row in rows}
    with tempfile.TemporaryDirectory(prefix="publisher-import-") as scratch:
        copy = Path(scratch) / "content"
        shutil.copytree(content.root, copy, ignore=shutil.ignore_patterns("pages"))
        (copy / "updates").mkdir(exist_ok=True)
        for path, text in files.items():
            (copy / "updates" / path.name).write_text(text, encoding="utf-8")
        try:
            after = load_content(copy, unfinished_ok=True, today=today)
        except ContentError as error:
            problems = []
            for problem in error.problems:
                row = row_of.get(Path(problem.path).name)
                where = f"row {row.number}: " if row else ""
                problems.append(Problem(shown_csv, row.line if row else 0, where + problem.message, problem.fix))
            raise ContentError(problems) from None
    for row in rows:
        if f"{row.update_id}.md" in {p.name for p in files}:
            if after.updates.get(row.update_id) != row.update or after.bodies.get(row.update_id) != row.body.strip("\n"):
                raise ContentError([Problem(shown_csv, row.line, f"row {row.number}: the update would not read back as written", "report this as a bug in publisher")])
