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
from .model.base import Citation, CitationRef, Day, FuzzyDate, Id, KnownDate, MarkdownText, PlainText

_NAMED_TYPES = {
    id(Id): "id",
    id(PlainText): "text (one line)",
    id(MarkdownText): "Markdown text",
    id(FuzzyDate): "date, or 'not stated'",
    id(KnownDate): "date",
    id(Day): "day (YYYY-MM-DD)",
    id(CitationRef): "citation",
    id(Address): "address on this site",
}


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


def describe_type(annotation: typing.Any) -> str:
    if id(annotation) in _NAMED_TYPES:
        return _NAMED_TYPES[id(annotation)]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return describe_type(args[0])
    if origin in (typing.Union, UnionType):
        return " or ".join(describe_type(a) for a in args if a is not type(None))
    if origin is list:
        return f"list of {describe_type(args[0])}s"
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
        FieldDoc(info.alias or name, describe_type(info.annotation), info.is_required(), info.description or "")
        for name, info in model.model_fields.items()
    ]


def _doc(model: type[BaseModel], name: str, where: str) -> RecordDoc:
    summary = " ".join((model.__doc__ or "").split())
    return RecordDoc(name, where, summary, fields_of(model))


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
