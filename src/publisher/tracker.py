"""What a tracker says about itself: the `extra:` keys of its mkdocs.yml.

Nothing about one place is written into the package's code or templates: the subject a
tracker follows, the body answerable for the recommendations, the home page's heading and
lead, the time zone of its dates, who publishes it, its contact and its licence all come
from here. `publisher init` writes them for a new tracker; the content guide lists them
(`publisher.guide`, from the descriptions below).

They are validated like the content: every mistake is reported as `mkdocs.yml:line`, with
what to write instead. Read without MkDocs (the core never imports it): mkdocs.yml is
composed with PyYAML for the lines, and its `!ENV` values resolved as MkDocs resolves them
(`publisher.site_address`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from .content import validate
from .model.base import PlainText
from .problems import ContentError, Problem, did_you_mean, display_path
from .reader import Document, LineMap
from .site_address import load_config

#: Keys of `extra:` that Material for MkDocs reads or the build adds itself; any other key
#: not in `Tracker` is most likely a misspelling, and is reported as one.
MATERIAL_EXTRA = {
    "generator", "social", "analytics", "consent", "alternate", "version", "tags", "status",
    "homepage", "annotate", "polyfills", "hashed_assets",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Home(_Strict):
    """The first things the home page says, before the figures."""

    heading: PlainText = Field(
        description="The home page's heading: what the site is, in a line "
        "(e.g. 'Midshire children's services: what inspectors found, and what has been done')."
    )
    lead: PlainText = Field(
        description="The home page's first sentence or two: who has reported on what, and since when "
        "(e.g. 'Since 2015, inspectors have reported on how Midshire looks after children in its care.'). "
        "The page goes on to say what the site lists."
    )


class Licence(_Strict):
    """The licence of the site's text and open data, as the data package and the data page name it."""

    name: PlainText = Field(description="The licence's SPDX identifier, e.g. 'CC-BY-4.0'.")
    title: PlainText = Field(description="Its full name, e.g. 'Creative Commons Attribution 4.0 International'.")
    url: PlainText = Field(description="The address of its text.")


class Tracker(BaseModel):
    """What the site says about itself: who publishes it, what it follows, and when its day begins."""

    # Material's own keys share `extra:`; they are checked by name in `read`.
    model_config = ConfigDict(extra="allow", frozen=True)

    publisher: PlainText = Field(
        description="Who publishes the site, as every citation and the open data name it "
        "(e.g. 'Midshire children's services tracker')."
    )
    subject: PlainText = Field(
        description="What the tracker follows, as it reads after 'the inspections of' "
        "(e.g. 'Midshire's children's services'); used in page descriptions."
    )
    body: PlainText = Field(
        description="Who answers for the recommendations, as it reads before 'promised in response' "
        "(e.g. 'Midshire County Council')."
    )
    home: Home = Field(description="The home page's heading and lead (two keys below `home:`).")
    time_zone: PlainText = Field(
        "UTC",
        description="The time zone of the tracker's dates, as an IANA name (e.g. 'Europe/London'): "
        "the site is 'as at' today's date there. Default: UTC.",
    )
    contact_email: Optional[str] = Field(
        None, description="Where readers report problems (the accessibility statement gives it). Leave empty until it is monitored."
    )
    licence: Optional[Licence] = Field(
        None, description="The licence of the text and the open data (three keys: name, title, url)."
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise PydanticCustomError("time_zone", "'{zone}' is not a time zone name; {hint}", {"zone": value, "hint": did_you_mean(value, available_timezones())}) from None
        return value

    @field_validator("contact_email")
    @classmethod
    def _an_address(cls, value: str | None) -> str | None:
        value = (value or "").strip()  # empty (`!ENV [CONTACT_EMAIL, ""]` unset) means none yet
        if value and ("@" not in value or " " in value):
            raise PydanticCustomError("email", "'{value}' is not an email address", {"value": value})
        return value or None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def _line_map(text: str) -> LineMap:
    """The line of every key and list item in mkdocs.yml. Composing builds PyYAML's node
    tree without constructing values, so MkDocs' tags (`!ENV`, `!relative`) do not matter."""
    lines = LineMap()
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines  # MkDocs reports a file it cannot read before anything here runs

    def walk(node: yaml.Node, loc: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = loc + (str(key.value),)
                lines.lines[here] = key.start_mark.line + 1
                walk(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines.lines[loc + (index,)] = item.start_mark.line + 1
                walk(item, loc + (index,))

    if root is not None:
        lines.lines[()] = 1
        walk(root, ())
    return lines


def check(config_file: Path, extra: Any) -> Tracker:
    """`extra` (as MkDocs or `site_address.load_config` resolved it) validated as a
    Tracker; raises ContentError with every problem as `mkdocs.yml:line`."""
    path = Path(config_file)
    shown = display_path(path)
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    doc = Document(shown, {"extra": extra}, _line_map(text))
    if not isinstance(extra, dict):
        raise ContentError([Problem(shown, doc.line(("extra",)), "'extra:' is missing or not a set of keys", "add the keys the content guide lists under 'extra:'")])
    tracker, problems = validate(Tracker, extra, doc, base=("extra",))
    known = set(Tracker.model_fields) | MATERIAL_EXTRA
    for key in extra:
        if key not in known:
            problems.append(Problem(shown, doc.line(("extra", key)), f"unknown key 'extra.{key}'", did_you_mean(str(key), Tracker.model_fields)))
    if problems:
        raise ContentError(problems)
    return tracker


def read(config_file: Path) -> Tracker:
    """The tracker's facts from its mkdocs.yml, read and checked without MkDocs."""
    config = load_config(Path(config_file))
    return check(config_file, config.get("extra") if isinstance(config, dict) else None)


def zone_of(config_file: Path | str) -> ZoneInfo:
    """The tracker's time zone, for commands that only need "today": UTC when mkdocs.yml
    names none or names one this machine does not know (`check` reports that, with its line)."""
    extra = load_config(Path(config_file)).get("extra")
    name = extra.get("time_zone") if isinstance(extra, dict) else None
    try:
        return ZoneInfo(str(name)) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
