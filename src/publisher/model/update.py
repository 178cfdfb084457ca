"""A progress update: a dated Markdown file that moves one or more recommendations to a
new status, on stated evidence. Updates are the only way a status changes, so every
status on the site has a dated history."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..vocabulary import EvidenceKind, Status
from .base import CitationRef, Day, Id, KnownDate, Model, PlainText

#: What `publisher new update` writes below the front matter for the author to replace.
#: An update still holding it is refused unless it is a draft, so it is never published.
BODY_PLACEHOLDER = (
    "[Write here what happened and what the evidence says, in plain English: who says so, "
    "when, and where in the source. Quote only short phrases, in quotation marks. "
    "Replace this paragraph, brackets and all.]"
)
#: How the placeholder is recognised, even if the author has edited part of it.
PLACEHOLDER_MARK = "[Write here what happened"


class Update(Model):
    """The front matter of `content/updates/<id>.md`; the body below it is the narrative."""

    title: PlainText = Field(description="A headline for the update, in plain English.")
    date: KnownDate = Field(
        description="When the evidence is dated (published or judged), as precisely as the source gives it."
    )
    date_note: PlainText | None = Field(
        None, description="How the date was arrived at, when the source does not state it plainly."
    )
    recommendations: Annotated[list[Id], Field(min_length=1)] = Field(
        description="Ids of the recommendations this update moves."
    )
    status: Status = Field(description="The status they move to.")
    evidence: EvidenceKind = Field(description="What kind of evidence this is.")
    sources: Annotated[list[CitationRef], Field(min_length=1)] = Field(description="Where the evidence is published.")
    findings: list[Id] = Field(default_factory=list, description="Ids of the findings the new status rests on, if any.")
    summary: PlainText | None = Field(None, description="One sentence for lists and the feed; the body's first paragraph if left out.")
    draft: bool = Field(False, description="true while the update is being written: shown only in preview.")
    publish_on: Day | None = Field(None, description="Embargo: the update appears only from this day (YYYY-MM-DD).")
