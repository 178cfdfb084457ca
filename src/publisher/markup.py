"""Markdown in content fields: what is allowed, and how it becomes safe HTML.

The policy (documented for authors on the site's content guide):

1. Text fields and update bodies are Markdown. **Raw HTML is refused** when the content is
   checked, with the file and line, because a pasted `<script>` or `onerror=` is always a
   mistake in a public record and an author can always say the same thing in Markdown.
2. Links may only point to `https://`, `http://` or `mailto:` addresses; images are refused
   (an image from another host would leak visitors to it; the site loads nothing from
   elsewhere).
3. As a second line of defence the rendered HTML of every field is passed through nh3
   (the Ammonia sanitiser) with the allowlist below, so nothing that slipped past the
   checks can reach a visitor's browser.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

#: Tags and attributes that may appear in the HTML of a content field.
ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "q", "abbr", "sub", "sup",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])|!--|![A-Za-z]|\?)")
_INLINE_LINK = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]*)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^>\s]*)>")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class MarkupProblem(ValueError):
    """Raised for refused markup; `line` is the line within the text (1-based)."""

    def __init__(self, message: str, fix: str, line: int = 1):
        super().__init__(f"{message} ({fix})")
        self.message, self.fix, self.line = message, fix, line


def _blank_code(text: str) -> str:
    """Blank out code spans and fences (keeping newlines) so examples in code are allowed."""

    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group())

    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def check_markdown(text: str) -> None:
    """Raise MarkupProblem for raw HTML, images or unsafe links in a Markdown field."""
    scan = _blank_code(text)
    tag = _TAG.search(scan)
    if tag:
        rest = text[tag.start() :].split("\n", 1)[0]
        end = rest.find(">")
        found = rest[: end + 1] if 0 <= end < 60 else rest[:40] + "..."
        raise MarkupProblem(
            f"raw HTML ('{found}') is not allowed in content",
            "write it in Markdown instead, for example **bold** or [a link](https://example.org); "
            "to show a '<' on its own, put a space after it",
            _line_of(scan, tag.start()),
        )
    targets = [(m.group(2), m.start(), m.group(1) == "!") for m in _INLINE_LINK.finditer(scan)]
    targets += [(m.group(1), m.start(), False) for m in _REFERENCE.finditer(scan)]
    targets += [(m.group(1), m.start(), False) for m in _AUTOLINK.finditer(scan)]
    for target, index, is_image in targets:
        line = _line_of(scan, index)
        if is_image:
            raise MarkupProblem(
                "images are not allowed in content fields",
                "link to the document instead: [title](https://...)",
                line,
            )
        cleaned = re.sub(r"[\s\x00-\x1f]", "", html.unescape(target))
        scheme = _SCHEME.match(cleaned)
        if scheme is None or scheme.group(1).lower() not in ALLOWED_SCHEMES:
            raise MarkupProblem(
                f"the link '{target[:60]}' is not allowed",
                "links must be full addresses starting https://, http:// or mailto:",
                line,
            )


def check_plain(text: str) -> None:
    """Titles and short labels are plain text: no HTML, and no line breaks."""
    if "\n" in text.strip():
        raise MarkupProblem("this field must be a single line", "join the lines, or shorten the text")
    tag = _TAG.search(text)
    if tag:
        raise MarkupProblem("HTML is not allowed in this field", "write plain text")


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")


def sanitise(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )


@lru_cache(maxsize=65536)
def to_html(text: str | None) -> Markup:
    """A Markdown field as sanitised HTML (block level: paragraphs, lists, tables)."""
    if not text:
        return Markup("")
    converter = _converter()
    converter.reset()
    return Markup(sanitise(converter.convert(text)))


@lru_cache(maxsize=65536)
def to_inline_html(text: str | None) -> Markup:
    """A one-paragraph Markdown field as sanitised HTML without the surrounding <p>."""
    rendered = str(to_html(text))
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return Markup(rendered)


def to_plain(text: str | None) -> str:
    """Markdown reduced to plain text, for descriptions, feeds and CSV summaries."""
    if not text:
        return ""
    stripped = re.sub(r"<[^>]+>", "", str(to_html(text)))
    return re.sub(r"\s+", " ", html.unescape(stripped)).strip()
