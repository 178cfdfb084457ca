"""An inspection (or a review or inquiry): who looked, when, what they found and asked for.

One file per inspection in `content/inspections/`, holding its findings and its
recommendations so a report can be transcribed in the order it is written.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..vocabulary import FindingKind, InspectionKind
from .base import DATE_NOT_STATED, CitationRef, FuzzyDate, Id, KnownDate, MarkdownText, Model, PlainText
from .recommendation import Recommendation


class Finding(Model):
    """One thing the inspectors found, citable on its own with an anchor."""

    id: Id = Field(description="Stable id across the whole site, e.g. '2023-csc-f01'. Used in the finding's anchor.")
    kind: FindingKind = Field(description="'strength' or 'concern'.")
    text: MarkdownText = Field(description="The finding in your own words; mark quoted phrases as quotations.")
    source: Id = Field(description="The id of the source that reports it.")
    section: PlainText | None = Field(None, description="Where in the source, so a reader can find it.")
    quote: PlainText | None = Field(
        None, description="A short passage from the source, word for word, that the finding rests on."
    )


class Called(Model):
    """What a report calls the things it asks for, in its own words."""

    one: PlainText = Field(description="The singular, e.g. 'area for improvement'.")
    many: PlainText = Field(description="The plural, e.g. 'areas for improvement'.")


RECOMMENDATIONS = Called(one="recommendation", many="recommendations")


class Inspection(Model):
    id: Id = Field(description="Stable id, e.g. '2023-csc'. Part of the permanent URL.")
    title: PlainText = Field(description="The inspection or report's name, in plain English.")
    kind: InspectionKind = Field(description="inspection, follow-up or review.")
    inspectorate: PlainText = Field(description="Who carried it out.")
    commissioned_by: PlainText | None = Field(None, description="Who asked for it, where a source says.")
    period: KnownDate = Field(description="When it took place, as precisely as the sources give it.")
    published: FuzzyDate = Field(
        default=DATE_NOT_STATED, description="When the report was published; 'not stated' if unknown."
    )
    follows: Id | None = Field(None, description="The id of the earlier inspection this one follows up.")
    scope: MarkdownText = Field(description="What was inspected, and against which standards.")
    headline: PlainText | None = Field(
        None, description="One sentence for the home page: the main finding, in plain English, from the cited sources."
    )
    summary: MarkdownText = Field(description="The overall conclusion, in plain English.")
    sources: Annotated[list[CitationRef], Field(min_length=1)] = Field(description="The sources for this inspection.")
    recommendations_made: int | None = Field(
        None,
        ge=0,
        description="How many recommendations the report made, where the sources state it, even if not all are named.",
    )
    recommendations_called: Called = Field(
        default=RECOMMENDATIONS,
        description="The report's own word for what it asked for, if not 'recommendation': "
        "e.g. `{one: area for improvement, many: areas for improvement}`.",
    )
    recommendations_note: MarkdownText | None = Field(
        None, description="Anything a reader should know about the recommendations, e.g. that not all are published."
    )
    findings: list[Finding] = Field(default_factory=list, description="What the inspectors found.")
    recommendations: list[Recommendation] = Field(default_factory=list, description="What they asked for.")
