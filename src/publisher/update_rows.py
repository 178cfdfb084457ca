"""An update as one row of a table: the open-data CSV and the spreadsheet import share it.

Communications staff keep progress in spreadsheets; scrutiny panels download the data as
CSV. Both use these columns, so the published `updates.csv` can be imported back and
reproduces the same updates (a round trip).

Cells that hold several values separate them with " ; ". A citation is written as the
source id, then the section in parentheses and the quoted passage in double quotes, both
optional: `jcc-2023-summary-report (Summary of inspection findings) "formidable challenges"`
(a double quote inside the passage is written twice, as in CSV).
"""

from __future__ import annotations

import re

from .model import Update
from .model.base import Citation

#: Column order of the open-data CSV. Import also accepts `recommendation` and `source`
#: (a single value each) for spreadsheets written by hand, and needs no `id` or `url`.
COLUMNS = [
    "id",
    "url",
    "date",
    "date_note",
    "title",
    "recommendations",
    "status",
    "evidence",
    "sources",
    "findings",
    "summary",
    "publish_on",
    "body",
]

SEPARATOR = " ; "
_CITATION = re.compile(r'^\s*([^\s("]+)\s*(?:\((.*?)\))?\s*(?:"((?:[^"]|"")*)")?\s*$', re.S)


def join(values: list[str]) -> str:
    return SEPARATOR.join(values)


def split(cell: str | None) -> list[str]:
    """The values of a cell: split at ';', except inside a quoted passage or parentheses.

    Hand-written rather than `csv` with ';': a section's parentheses hold semicolons too
    ("Summary; Improvement plan"), which no dialect of `csv` can tell apart.
    """
    parts, current, depth, quoted = [], [], 0, False
    for char in cell or "":
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth = max(depth - 1, 0)
        elif char == ";" and not quoted and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def citation_to_cell(citation: Citation) -> str:
    cell = citation.source
    if citation.section:
        cell += f" ({citation.section})"
    if citation.quote:
        cell += ' "' + citation.quote.replace('"', '""') + '"'
    return cell


def cell_to_citation(cell: str) -> dict:
    """'id (section) "quote"' -> {'source': id, 'section': ..., 'quote': ...}; the model validates them."""
    match = _CITATION.match(cell)
    if not match:
        return {"source": cell.strip()}
    source, section, quote = match.groups()
    citation = {"source": source}
    if section and section.strip():
        citation["section"] = section.strip()
    if quote and quote.strip():
        citation["quote"] = quote.replace('""', '"').strip()
    return citation


def update_to_row(update_id: str, update: Update, body: str, url: str = "") -> dict[str, str]:
    """One update as a CSV row (every value a string; empty where absent)."""
    return {
        "id": update_id,
        "url": url,
        "date": update.date.text,
        "date_note": update.date_note or "",
        "title": update.title,
        "recommendations": join(update.recommendations),
        "status": update.status.value,
        "evidence": update.evidence.value,
        "sources": join([citation_to_cell(c) for c in update.sources]),
        "findings": join(update.findings),
        "summary": update.summary or "",
        "publish_on": update.publish_on.isoformat() if update.publish_on else "",
        "body": body,
    }
