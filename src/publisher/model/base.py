"""Field types shared by every part of the content model.

Each type validates what an author writes and, when it is wrong, says what to write
instead. The messages reach authors as `path:line: message (fix)`, so they are phrased for
a communications officer, not a programmer.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, PlainValidator
from pydantic_core import PydanticCustomError

from ..dates import DateError, PartialDate, parse_day
from ..markup import MarkupProblem, check_markdown, check_plain
from ..reader import invisible_character

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Model(BaseModel):
    """Base for every content record: unknown fields are mistakes, records are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _fail(kind: str, message: str, fix: str = "", line: int = 1) -> PydanticCustomError:
    return PydanticCustomError(kind, "{message}", {"message": message, "fix": fix, "line": line})


def _text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        raise _fail("text_type", f"expected text, got {value!r}", "write the text; put it in quotes if it is yes, no, true, false or empty")
    if isinstance(value, (int, float)):
        raise _fail("text_type", f"expected text, got the number {value!r}", "put it in quotes: \"{}\"".format(value))
    if not isinstance(value, str):
        kind = "a list" if isinstance(value, list) else "a group of fields"
        raise _fail("text_type", f"expected text, got {kind}", "write a single piece of text")
    # The file itself is checked when read; this catches YAML escapes such as "\u202e".
    found = invisible_character(value)
    if found:
        index, message, fix = found
        raise _fail("invisible", f"the text contains {message}", fix, value.count("\n", 0, index) + 1)
    return value.strip()


def _id(value: Any) -> str:
    text = _text(value)
    if not ID_PATTERN.match(text) or len(text) > 80:
        suggestion = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "my-id"
        raise _fail(
            "id_format",
            f"'{text}' is not a valid id",
            f"ids use lower-case letters, digits and single hyphens, such as '{suggestion}'",
        )
    return text


def _plain(value: Any) -> str:
    text = _text(value)
    if not text:
        raise _fail("empty", "this field is empty", "write the text, or remove the field if it is optional")
    try:
        check_plain(text)
    except MarkupProblem as problem:
        raise _fail("markup", problem.message, problem.fix) from None
    return text


def _markdown(value: Any) -> str:
    text = _text(value)
    if not text:
        raise _fail("empty", "this field is empty", "write the text, or remove the field if it is optional")
    try:
        check_markdown(text)
    except MarkupProblem as problem:
        raise _fail("markup", problem.message, problem.fix, problem.line) from None
    return text


def _partial_date(value: Any) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except DateError as error:
        raise _fail("date", str(error)) from None


def _known_partial_date(value: Any) -> PartialDate:
    parsed = _partial_date(value)
    if not parsed.known:
        raise _fail("date", "a date is needed here, and 'not stated' cannot be used", "give the date as precisely as the source does, e.g. 2023-10")
    return parsed


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise _fail("date", f"expected a date, got {value!r}", "write it as YYYY-MM-DD, for example 2024-03-31")
    try:
        return parse_day(value)
    except DateError as error:
        raise _fail("date", str(error)) from None


#: A stable identifier: part of the item's permanent URL, so never change one once published.
Id = Annotated[str, PlainValidator(_id)]
#: A single line of plain text (titles, names, labels).
PlainText = Annotated[str, PlainValidator(_plain)]
#: Markdown text; raw HTML, images and unsafe links are refused.
MarkdownText = Annotated[str, PlainValidator(_markdown)]
#: A date as precise as the source gives it, or 'not stated'.
FuzzyDate = Annotated[PartialDate, PlainValidator(_partial_date), PlainSerializer(str, return_type=str)]
#: A date as precise as the source gives it; 'not stated' is not allowed.
KnownDate = Annotated[PartialDate, PlainValidator(_known_partial_date), PlainSerializer(str, return_type=str)]
#: An exact day, YYYY-MM-DD.
Day = Annotated[date, PlainValidator(_day), PlainSerializer(lambda d: d.isoformat(), return_type=str)]


def _citation(value: Any) -> Any:
    # Shorthand: a bare source id means "this source, no particular section".
    return {"source": value} if isinstance(value, str) else value


class Citation(Model):
    """A pointer into a source document: which document, and where in it."""

    source: Id = Field(description="The id of a source in `content/sources.yml` or `content/sources/`.")
    section: PlainText | None = Field(
        None, description="Where in the source: a heading, page or paragraph, so a reader can find it."
    )
    quote: PlainText | None = Field(
        None,
        description="A short passage from the source, word for word (about 40 words at most), that the fact rests on, "
        "so a reader can find it with the browser's search.",
    )


#: A citation written either as `source-id` or as `{source: source-id, section: ...}`.
CitationRef = Annotated[Citation, BeforeValidator(_citation)]

#: The default for optional dates: the source does not give one.
DATE_NOT_STATED = PartialDate.parse("not stated")
