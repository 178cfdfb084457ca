"""An update as a file: checking the fields of a new update, naming it, and writing it.

`publisher new update` (from flags or answers) and `publisher import updates` (from
spreadsheet rows) both end here, so an update is checked by the same rules, named the
same way and written in the same layout whichever way it arrives. The rules are the
loader's own (`content.validate_by_field`, the Markdown policy, the cross-references),
reported per field so the caller can name the flag or the column.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

from .content import Content, validate_by_field
from .markup import MarkupProblem, check_markdown
from .model import Update
from .model.update import PLACEHOLDER_MARK
from .problems import did_you_mean
from .reader import Document, LineMap

#: Longest title part of a generated update id, cut at a word boundary.
SLUG_LENGTH = 60
#: Symbols a transliteration would spell oddly in a file name ('£' becomes 'PS').
_SLUG_REPLACEMENTS = [("£", ""), ("€", ""), ("$", ""), ("&", " and "), ("%", " percent ")]


@dataclass(frozen=True)
class FieldProblem:
    """A mistake in one field of an update, for the caller to place (a flag, a cell)."""

    field: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        return f"{self.message} ({self.fix})" if self.fix else self.message


# --------------------------------------------------------------------------- checking


def check_update(data: dict[str, Any], body: str, content: Content) -> tuple[Update | None, list[FieldProblem]]:
    """Validate a new update's fields and body as the loader would, field by field.

    `data` holds the front-matter fields (absent fields left out); `body` the Markdown text.
    Cross-references are checked against `content` with a did-you-mean for each unknown id.
    """
    doc = Document("", data, LineMap())
    record, errors = validate_by_field(Update, data, doc)
    problems = [FieldProblem(name, _unprefixed(name, p.message), p.fix) for name, p in errors]
    for name, table, kind, where in (
        ("recommendations", content.recommendations, "recommendation", "content/inspections/"),
        ("findings", content.findings, "finding", "content/inspections/"),
    ):
        for value in _ids(data.get(name)):
            if value not in table:
                problems.append(FieldProblem(name, f"unknown {kind} id '{value}'", f"{did_you_mean(value, table)} {kind.capitalize()}s are in {where}"))
    for value in _ids([c.get("source") if isinstance(c, dict) else c for c in _list(data.get("sources"))]):
        if value not in content.sources:
            problems.append(
                FieldProblem("sources", f"unknown source id '{value}'", f"{did_you_mean(value, content.sources)} Sources are in content/sources.yml; add a new document there first")
            )
    if not data.get("draft"):  # as the loader: a reader must find the passage (content._check_locators)
        for cited in _list(data.get("sources")):
            source = cited.get("source") if isinstance(cited, dict) else cited
            if isinstance(source, str) and not (isinstance(cited, dict) and cited.get("section")):
                problems.append(FieldProblem(
                    "sources", f"'{source}' does not say where in the document the evidence is",
                    f"give the place after the id, in brackets: '{source} (a heading, page or paragraph)'",
                ))
    if not body.strip():
        problems.append(FieldProblem("body", "the update has no text", "write what happened and what the evidence says"))
    else:
        try:
            check_markdown(body)
        except MarkupProblem as problem:
            problems.append(FieldProblem("body", f"line {problem.line} of the text: {problem.message}", problem.fix))
        if PLACEHOLDER_MARK in body and not data.get("draft"):
            problems.append(FieldProblem("body", "the text is still the placeholder", "write what happened and what the evidence says"))
    return (record if not problems else None), problems


def _unprefixed(name: str, message: str) -> str:
    """The loader writes "'date': '2024-02-30' is not..."; the caller names the field itself."""
    prefix = f"'{name}': "
    return message[len(prefix):] if message.startswith(prefix) else message


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _ids(value: Any) -> list[str]:
    return [v for v in _list(value) if isinstance(v, str)]


# --------------------------------------------------------------------------- naming


def update_id(date_text: str, title: str) -> str:
    """The id (and file name) of a new update: its date, then its title, e.g.
    '2024-03-31-recruitment-campaign-launched'. Ids are permanent URLs, so they are
    made once, when the file is written, and never from a title edited later."""
    date_part = re.sub(r"[^0-9]+", "-", date_text).strip("-")
    title_part = slugify(title, max_length=SLUG_LENGTH, word_boundary=True, save_order=True, replacements=_SLUG_REPLACEMENTS)
    return "-".join(part for part in (date_part, title_part) if part) or "update"


def free_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... if a file already has that id."""
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}-{number}" in taken:
        number += 1
    return f"{wanted}-{number}"


def existing_ids(content: Content) -> set[str]:
    """Every update id in use, including files that did not validate (their names are taken)."""
    folder = content.root / "updates"
    return set(content.updates) | ({p.stem for p in folder.glob("*.md")} if folder.is_dir() else set())


# --------------------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    """Writes YAML the way authors do: dates unquoted (2024-03-31; the reader keeps them as
    text) and list items indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def front_matter(update: Update) -> dict[str, Any]:
    """The update's fields as an author would write them: defaults left out, and a
    citation with no section written as its bare source id."""
    data = update.model_dump(mode="json", exclude_defaults=True)
    data["sources"] = [c["source"] if set(c) == {"source"} else c for c in data["sources"]]
    return data


def file_text(update: Update, body: str) -> str:
    """The whole file: YAML front matter between '---' lines, then the Markdown body."""
    meta = yaml.dump(front_matter(update), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return f"---\n{meta}---\n{body.strip(chr(10))}\n"


def write_atomically(files: dict[Path, str]) -> None:
    """Write every file or, as far as the file system allows, none: each is written to a
    temporary name first, and only when all are written are they renamed into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            temporary = path.with_name(f".{path.name}.writing-{os.getpid()}")
            staged.append((temporary, path))
            temporary.write_text(text, encoding="utf-8")
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)
