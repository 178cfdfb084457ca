"""A recommendation: what an inspection asked for (also an "area for improvement" or an
"improvement required"). Recommendations are written inside their inspection's file."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from .base import DATE_NOT_STATED, CitationRef, FuzzyDate, Id, KnownDate, MarkdownText, Model, PlainText


def _due(value: Any) -> Any:
    # Shorthand: `due: 2024-12` means a due date with no note.
    return {"date": value} if isinstance(value, (str, int)) else value


class Due(Model):
    """The date the recommendation was to be met by, as the source gives it."""

    date: FuzzyDate = Field(description="The due date, as precisely as the source gives it.")
    note: PlainText | None = Field(
        None, description="How the source states it, e.g. '12 months from the date of inspection'."
    )


class Revision(Model):
    """A later change to the due date. Slippage is public: it needs a reason and a source."""

    date: KnownDate = Field(description="The new due date.")
    reason: MarkdownText = Field(description="Why the date moved, as the source explains it.")
    decided: FuzzyDate = Field(
        default=DATE_NOT_STATED, description="When the change was made or announced."
    )
    source: CitationRef = Field(description="Where the revised date is published.")


class Response(Model):
    """The provider's (the service's own) response. Self-reported, not independent evidence."""

    text: MarkdownText = Field(description="What the provider said it would do, in your own words.")
    source: CitationRef = Field(description="Where the response is published.")


class Recommendation(Model):
    id: Id = Field(description="Stable id across the whole site, e.g. '2023-csc-afi-4'. Part of the permanent URL.")
    label: PlainText = Field(description="How the report numbers it, e.g. 'Area for improvement 4'.")
    title: PlainText = Field(description="A short plain-English title, e.g. 'A stable workforce'.")
    text: MarkdownText = Field(description="What the inspectors asked for, in your own words; mark quoted phrases.")
    themes: Annotated[list[Id], Field(min_length=1)] = Field(
        description="Ids of the themes (from `content/themes.yml`) this recommendation is about."
    )
    standard: PlainText | None = Field(None, description="The standard it is made against, e.g. 'Standard 2'.")
    due: Annotated[Due | None, BeforeValidator(_due)] = Field(
        None, description="When it was due. Leave out if the source gives no due date."
    )
    revised_due: list[Revision] = Field(default_factory=list, description="Each later change to the due date.")
    owner: PlainText | None = Field(None, description="Who is responsible, where a source names them.")
    response: Response | None = Field(None, description="The provider's published response, if any.")
    sources: Annotated[list[CitationRef], Field(min_length=1)] = Field(
        description="The sources that state this recommendation, with the section."
    )
    follows: list[Id] = Field(
        default_factory=list,
        description="Ids of earlier recommendations, from other inspections, that raised the same concern.",
    )
    next_update_due: KnownDate | None = Field(
        None, description="When the next progress update is expected; by default one quarter after the last."
    )
