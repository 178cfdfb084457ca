"""Rendering generated pages from the Jinja templates in the theme's `generated/` folders
(the package's, `publisher/theme/generated/`, after any a site overrides).

Templates produce Markdown (headings, for the table of contents and search) around HTML
blocks (tables, status tags). Content fields arrive already rendered and sanitised by
`publisher.markup`, so templates never see raw author text as HTML.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, Callable, Sequence

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .. import markup
from ..dates import PartialDate, long_day, span_label
from .urls import Urls

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")


def md_escape(text: Any) -> Markup:
    """Plain text made safe to place in Markdown (a heading, a list item) and in HTML."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(str(text)))))


def anchor(text: Any) -> str:
    """The anchor Python-Markdown's table of contents gives a heading of this plain text,
    for a heading whose text is escaped (`md_escape` turns "children's" into
    "children&#39;s", whose own anchor would read `children39s`)."""
    from markdown.extensions.toc import slugify

    return slugify(str(text), "-")


def date_label(value: Any) -> str:
    if value is None:
        return "Date not stated"
    if isinstance(value, PartialDate):
        return value.label
    if isinstance(value, date):
        return long_day(value)
    return str(value)


def iso(value: Any) -> str:
    """A machine-readable date for <time datetime>: the earliest possible day."""
    if isinstance(value, PartialDate):
        return value.start.isoformat() if value.start else ""
    if isinstance(value, date):
        return value.isoformat()
    return ""


def _last_day(value: Any) -> date | None:
    if isinstance(value, PartialDate):
        return value.end
    return value if isinstance(value, date) else None


def moved(before: Any, after: Any) -> str:
    """How far a due date moved: '6 months later', 'about 2 months earlier', 'not moved'."""
    first, last = _last_day(before), _last_day(after)
    if first is None or last is None:
        return ""
    if first == last:
        return "not moved"
    return f"{span_label(first, last)} {'later' if last > first else 'earlier'}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


class Renderer:
    """One Jinja environment per build; one `render` call per generated page."""

    def __init__(self, templates: Sequence[Path], urls: Urls, globals_: dict[str, Any]):
        self.urls = urls
        #: (this worker, how many): render only every how-many'th page (see `site.parallel`).
        self.shard: tuple[int, int] = (0, 1)
        self.calls = 0
        #: The pages this worker rendered, by call number, when sharded.
        self.rendered: dict[int, str] = {}
        #: Set by a preview session (`site.tracking`): renders only the pages a change
        #: affects, and records what each rendered page rests on.
        self.tracker = None
        #: Files made in earlier passes, by what they were made from (a preview's; see
        #: `site.Reuse.memo`), or None.
        self.memo: dict | None = None
        self.preview = bool(globals_.get("preview"))
        self.today = globals_.get("today")
        self.env = _environment(tuple(str(folder) for folder in templates))
        self.env.filters.update(
            md=markup.to_html,
            md_inline=markup.to_inline_html,
            plain=markup.to_plain,
            md_escape=md_escape,
            anchor=anchor,
            date_label=date_label,
            iso=iso,
        )
        self.env.globals.update(globals_, plural=plural, moved=moved)

    def render_plain(self, template: str, **context: Any) -> str:
        """A file that is not a page (the Atom feed): the template's output as it is."""
        return self.env.get_template(template).render(**context)

    def render(self, src: str, template: str, meta: dict[str, Any], **context: Any) -> str:
        """A whole generated page: YAML front matter, then the template's Markdown."""
        return self.share(partial(self._made, self.calls, src, template, meta, context))

    def share(self, make: Callable[[], Any]) -> Any:
        """`make()` in the worker whose turn it is (a page, or a page's citation files:
        every worker walks past each in the same order), `Later` in the others; the
        worker keeps what it made in `rendered`, to hand back."""
        number, (worker, workers) = self.calls, self.shard
        self.calls += 1
        if number % workers != worker:
            return Later(number)
        made = make()
        if workers > 1:
            self.rendered[number] = made
        return made

    def defer(self, src: str, template: str, meta: dict[str, Any], **context: Any) -> str:
        """A page a preview's refresh renders after it has returned (`Deferred`: the
        numbered pages of a long list, `site.pages.pager`); rendered now when the pages
        are shared between processes, whose renders are gathered as they end."""
        if self.shard[1] > 1:
            return self.render(src, template, meta, **context)
        number = self.calls
        self.calls += 1
        return Deferred(number, partial(self._made, number, src, template, meta, context))

    def _made(self, number: int, src: str, template: str, meta: dict[str, Any], context: dict[str, Any]) -> str:
        """The page's Markdown, or `Unchanged` if a preview's tracker finds nothing it
        rests on changed."""
        tracker = self.tracker
        if tracker is not None and not tracker.wanted(src, meta, context):
            return Unchanged(number)
        if tracker is not None:
            with tracker.rendering(src, meta, context) as viewed:
                return self._render(src, template, meta, **viewed)
        return self._render(src, template, meta, **context)

    def unchanged(self) -> "Unchanged":
        """A page a preview keeps as it was without even gathering its context (`keep` in
        `site.pages.pager`): it takes its place in the order as a rendered page would."""
        number = self.calls
        self.calls += 1
        return Unchanged(number)

    def _render(self, src: str, template: str, meta: dict[str, Any], **context: Any) -> str:
        body = self.env.get_template(template).render(
            page_src=src,
            href=partial(self.urls.href, src),
            asset=partial(self.urls.asset, src),
            **context,
        )
        # The theme writes front-matter values into the page unescaped (MkDocs does not
        # autoescape, and treats page titles as HTML), so they are escaped here: a quote in
        # a description would otherwise end its <meta content="..."> attribute.
        meta = {key: html.escape(value) if isinstance(value, str) else value for key, value in meta.items()}
        return f"---\n{front_matter(meta)}\n---\n\n{body}"


def _environment(templates: tuple[str, ...]) -> Environment:
    """The Jinja environment of the template folders (searched in order: a site's own
    overrides, then the package's): one per process, so a preview's refreshes do not
    compile every template again (Jinja reloads one that was edited)."""
    if templates not in _ENVIRONMENTS:
        _ENVIRONMENTS[templates] = Environment(
            loader=FileSystemLoader(templates),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # `{#id}` is Markdown's heading-anchor syntax, so Jinja comments are `{## ... ##}`.
            comment_start_string="{##",
            comment_end_string="##}",
        )
    return _ENVIRONMENTS[templates]


_ENVIRONMENTS: dict[str, Environment] = {}


class Later(str):
    """A page another worker renders (see `site.parallel`): its place in the order.
    `part`: one of several files another worker made together (a page's citation files),
    its place among them."""

    def __new__(cls, number: int, part: int | None = None):
        made = super().__new__(cls, "")
        made.number, made.part = number, part
        return made


class Unchanged(Later):
    """A page a preview refresh need not render again: what it rests on has not changed
    (see `site.tracking`), so its Markdown is what it was."""


class Deferred(Later):
    """A page a preview's refresh renders after it has returned (`Renderer.defer`): its
    place in the order, and `make()`, which renders it (or gives `Unchanged`) from the
    state of that refresh, so it must be called before the next one begins."""

    def __new__(cls, number: int, make: Callable[[], str]):
        made = super().__new__(cls, number)
        made.make = make
        return made


#: A file (not a page: a feed, citation files) a preview's refresh keeps as it was; one
#: for all, as it has no place in the pages' order (a refresh keeps 150,000 of them).
UNCHANGED_FILE = Unchanged(-1)


#: Characters YAML reads as line breaks even inside a quoted string.
_YAML_BREAKS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def front_matter(meta: dict[str, Any]) -> str:
    """A page's front matter as one line of JSON, which is also YAML (MkDocs reads it as
    YAML): ten times faster to write than `yaml.safe_dump`, which matters at 40,000 pages."""
    return json.dumps(meta, ensure_ascii=False, sort_keys=False).translate(_YAML_BREAKS)
