"""A source: a document the site cites. Every fact on the site points at one."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, PlainValidator, model_validator

from ..vocabulary import SourceKind
from .base import FuzzyDate, Id, MarkdownText, Model, PlainText, _fail, _text


#: Characters a web address cannot contain unencoded (RFC 3986); in a pasted address they
#: are a mistake, and quotes or angle brackets could break out of the link they go in.
_NOT_IN_URLS = re.compile(r'[\s"<>\\^`{|}]')


def _url(value: Any) -> str:
    text = _text(value)
    if not text.startswith(("https://", "http://")) or len(text) <= len("https://"):
        raise _fail("url", f"'{text[:60]}' is not a web address", "give the full address, starting https://")
    bad = _NOT_IN_URLS.search(text)
    if bad:
        shown = "a space" if bad.group().isspace() else f"'{bad.group()}'"
        raise _fail(
            "url",
            f"the web address '{text[:60]}' contains {shown}, which cannot be part of an address",
            "copy the address again from the browser's address bar",
        )
    return text


Url = Annotated[str, PlainValidator(_url)]


class Source(Model):
    """A published document: an inspection report, a government page, a news article."""

    id: Id = Field(description="Stable id, used in citations and in the source's URL.")
    title: PlainText = Field(description="The document's title, exactly as published.")
    publisher: PlainText = Field(description="Who published it, e.g. 'the Care Commission' or the newspaper's name.")
    kind: SourceKind = Field(description="What kind of document it is.")
    date: FuzzyDate = Field(description="When it was published, as precisely as it says; 'not stated' if it does not.")
    url: Url | None = Field(
        None, description="Its public address: the publisher's own page (the government's site, the parliament's, the inspectorate's, the newspaper's), not a copy on another site."
    )
    not_online: PlainText | None = Field(
        None, description="Only for a source with no public address: say so, and why (e.g. 'Not published online; listed by title on the government's site')."
    )
    read_at: Url | None = Field(
        None, description="Where the text was read, when that is not the public address (e.g. a copy on a document-sharing site)."
    )
    notes: MarkdownText | None = Field(
        None, description="What the document is and covers, and anything a reader should know about its date."
    )

    @model_validator(mode="after")
    def _findable(self) -> "Source":
        # A reader must be able to open the document, or be told plainly why they cannot.
        if self.url and self.not_online:
            raise _fail("url", "a source has both 'url' and 'not_online'", "keep 'url' if the document is online, otherwise remove it and keep 'not_online'")
        if not self.url and not self.not_online:
            raise _fail(
                "url",
                f"source '{self.id}' gives no address",
                "add 'url:' with the document's public address, or 'not_online:' saying why it has none",
            )
        return self
