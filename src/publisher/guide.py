"""The content guide: the model's fields described for authors, from the model itself.

The site's "Writing content" page is generated from the pydantic field descriptions, so
the documentation cannot drift from what the validator accepts.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from enum import Enum
from types import UnionType

from pydantic import BaseModel

from .model import Document, Due, Finding, Funding, GovernanceBody, Inspection, KeyArea, Plan, Recommendation
from .model import Response, Revision, Source, Theme, Update
from .model.redirect import Address, Redirect
from .model.source import Url
from .model.base import Citation, CitationRef, Day, FuzzyDate, Id, KnownDate, MarkdownText, PlainText

_NAMES = [
    (Id, "id"),
    (PlainText, "text (one line)"),
    (MarkdownText, "Markdown text"),
    (FuzzyDate, "date, or 'not stated'"),
    (KnownDate, "date"),
    (Day, "day (YYYY-MM-DD)"),
    (CitationRef, "citation"),
    (Address, "address on this site"),
    (Url, "web address (https://...)"),
]
_PLURALS = {"text (one line)": "lines of text", "Markdown text": "Markdown texts"}

# Named by their validator functions: pydantic moves a field's own Annotated metadata into
# FieldInfo.metadata, so the annotation object itself is not what the field holds.
_BY_VALIDATOR = {typing.get_args(kind)[1].func: name for kind, name in _NAMES}


def _named(metadata) -> str | None:
    for item in metadata:
        name = _BY_VALIDATOR.get(getattr(item, "func", None))
        if name:
            return name
    return None


@dataclass(frozen=True)
class FieldDoc:
    name: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class RecordDoc:
    name: str
    where: str
    summary: str
    fields: list[FieldDoc]


def describe_type(annotation: typing.Any, metadata: typing.Sequence = ()) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    named = _named(metadata) or (_named(args[1:]) if origin is typing.Annotated else None)
    if named:
        return named
    if origin is typing.Annotated:
        return describe_type(args[0])
    if origin in (typing.Union, UnionType):
        return " or ".join(describe_type(a) for a in args if a is not type(None))
    if origin is list:
        kind = describe_type(args[0])
        if kind.startswith("group of fields"):
            return "list of groups of fields" + kind.removeprefix("group of fields")
        return "list of " + _PLURALS.get(kind, kind + "s")
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of: " + ", ".join(f"`{m.value}`" for m in annotation)
    if annotation is bool:
        return "true or false"
    if annotation is int:
        return "whole number"
    if annotation is str:
        return "text"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"group of fields ({annotation.__name__.lower()})"
    return str(annotation)


def fields_of(model: type[BaseModel]) -> list[FieldDoc]:
    return [
        FieldDoc(info.alias or name, describe_type(info.annotation, info.metadata), info.is_required(), info.description or "")
        for name, info in model.model_fields.items()
    ]


def _doc(model: type[BaseModel], name: str, where: str) -> RecordDoc:
    summary = " ".join((model.__doc__ or "").split())
    return RecordDoc(name, where, summary, fields_of(model))


def settings() -> list[RecordDoc]:
    """The keys of a tracker's mkdocs.yml that are its own (`publisher.tracker`)."""
    from .tracker import Home, Licence, Tracker

    return [
        _doc(Tracker, "The site's facts", "mkdocs.yml, under extra:"),
        _doc(Home, "The home page", "mkdocs.yml, under extra: then home:"),
        _doc(Licence, "The licence", "mkdocs.yml, under extra: then licence: (optional)"),
    ]


def records() -> list[RecordDoc]:
    """Every kind of record an author writes, in the order they are usually written."""
    return [
        _doc(Source, "Source", "content/sources.yml (a list)"),
        _doc(Theme, "Theme", "content/themes.yml (a list)"),
        _doc(Inspection, "Inspection", "content/inspections/<id>.yml (one per file)"),
        _doc(Finding, "Finding", "under `findings:` in an inspection file"),
        _doc(Recommendation, "Recommendation", "under `recommendations:` in an inspection file"),
        _doc(Due, "Due date", "under `due:` in a recommendation (or just `due: 2024-12`)"),
        _doc(Revision, "Revised due date", "under `revised_due:` in a recommendation"),
        _doc(Response, "Provider's response", "under `response:` in a recommendation"),
        _doc(Plan, "Plan", "content/plans/<id>.yml (one per file)"),
        _doc(KeyArea, "Key area", "under `key_areas:` in a plan"),
        _doc(Document, "Plan document", "under `documents:` in a plan"),
        _doc(GovernanceBody, "Governance body", "under `governance:` in a plan"),
        _doc(Funding, "Funding", "under `funding:` in a plan"),
        _doc(Update, "Update", "front matter of content/updates/<id>.md; the Markdown below it is the narrative"),
        _doc(Citation, "Citation", "wherever a source is cited (or just the source id)"),
        _doc(Redirect, "Redirect", "content/redirects.yml (a list), when an item's id changes or two items are merged"),
    ]
