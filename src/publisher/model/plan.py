"""A plan: the government's own programme in response to inspections.

What a plan promises is the government's account of itself; the site shows it beside,
never in place of, what inspections found.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import DATE_NOT_STATED, CitationRef, FuzzyDate, Id, MarkdownText, Model, PlainText


class KeyArea(Model):
    id: Id = Field(description="Stable id, used as the key area's anchor.")
    title: PlainText = Field(description="The key area's name as the plan gives it.")
    summary: MarkdownText | None = Field(None, description="What the plan says about it.")
    recommendations: list[Id] = Field(
        default_factory=list, description="Ids of the recommendations this key area takes forward, where a source links them."
    )


class Document(Model):
    """A document that belongs to the plan, such as a phase or the board's terms of reference."""

    id: Id = Field(description="Stable id, used as an anchor.")
    title: PlainText = Field(description="The document's title as published.")
    summary: MarkdownText | None = Field(None, description="What it is.")
    source: CitationRef = Field(description="Where the document is listed or published.")


class GovernanceBody(Model):
    """A meeting or board that oversees the plan."""

    id: Id = Field(description="Stable id, used as an anchor.")
    name: PlainText = Field(description="The body's name, e.g. 'Improvement Board'.")
    cadence: PlainText = Field(description="How often it meets, as the source says: 'weekly', 'monthly', 'quarterly'.")
    chair: PlainText | None = Field(None, description="Who chairs it, where a source says.")
    members: list[PlainText] = Field(default_factory=list, description="Who sits on it or attends, as the source lists them.")
    purpose: MarkdownText = Field(description="What it is for.")
    sources: Annotated[list[CitationRef], Field(min_length=1)] = Field(description="Where this is published.")


class Funding(Model):
    amount: PlainText = Field(description="The amount as announced, e.g. '£20m a year'.")
    announced_by: PlainText | None = Field(None, description="Who announced it.")
    date: FuzzyDate = Field(default=DATE_NOT_STATED, description="When it was announced.")
    text: MarkdownText = Field(description="What the funding is for, as the source says.")
    sources: Annotated[list[CitationRef], Field(min_length=1)] = Field(description="Where this is reported.")


class Plan(Model):
    id: Id = Field(description="Stable id, part of the plan's permanent URL.")
    title: PlainText = Field(description="The plan's name.")
    current: bool = Field(False, description="true for the plan the site's 'Plan' page shows; only one may be current.")
    approved_by: PlainText | None = Field(None, description="Who approved it, where a source says.")
    announced: FuzzyDate = Field(default=DATE_NOT_STATED, description="When it was announced or published.")
    cycle: PlainText | None = Field(None, description="Its timescale as the source gives it, e.g. 'three years from 2018'.")
    responds_to: list[Id] = Field(default_factory=list, description="Ids of the inspections it responds to.")
    summary: MarkdownText = Field(description="What the plan is, in plain English.")
    key_areas: list[KeyArea] = Field(default_factory=list, description="The areas the plan is built around.")
    documents: list[Document] = Field(default_factory=list, description="The plan's documents, such as its phases.")
    governance: list[GovernanceBody] = Field(default_factory=list, description="Who oversees delivery, and how often.")
    funding: list[Funding] = Field(default_factory=list, description="Money announced for it.")
    sources: Annotated[list[CitationRef], Field(min_length=1)] = Field(description="The sources for this plan.")
