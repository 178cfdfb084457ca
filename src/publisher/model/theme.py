"""A theme: a concern that comes back across inspections, such as workforce stability."""

from __future__ import annotations

from pydantic import Field

from .base import CitationRef, Id, MarkdownText, Model, PlainText


class Theme(Model):
    id: Id = Field(description="Stable id, used by recommendations and in the theme's URL.")
    title: PlainText = Field(description="A short name a member of the public understands.")
    summary: MarkdownText = Field(description="What the concern is and why it matters, in plain English.")
    sources: list[CitationRef] = Field(default_factory=list, description="Sources for any fact in the summary.")
