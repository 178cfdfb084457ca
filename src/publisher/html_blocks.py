"""Finding a page's raw HTML blocks for Python-Markdown without parsing every tag in Python.

A generated page is mostly HTML its templates wrote (tables, facts, citations), with a
little Markdown between. Before converting a page, Python-Markdown's `md_in_html`
extension feeds the whole page to an `html.parser` subclass, only to find where each block
of raw HTML starts and ends and set it aside. That parser handles each tag in Python, and
it was two thirds of the Markdown conversion: of a build at 1,000 recommendations, about 20 s
of CPU time that plain MkDocs spends too, and which the publisher's pages need not.

`extract` is the same extractor written for the HTML the templates write: one regular
expression finds the tags, and the rules below are the extractor's (markdown.htmlparser
`HTMLExtractor` with `md_in_html`'s `HTMLExtractorExtra`, Python-Markdown 3.11), followed
step by step for that HTML. It returns exactly what the extractor would, down to the order
of the stashed blocks, or None for a page with anything it does not follow: a comment, a
processing instruction, a `markdown` attribute, `<script>` or `<style>`, `<hr>`, a `<` or
`&` that is not a whole tag or reference, an attribute written loosely, a reference or
empty tag in the text straight after a block's end tag, a block never closed. Such a page
goes through Python-Markdown's own extractor, as before. So does every page under a
Python-Markdown other than the one these rules were taken from (`FOLLOWS`): its extractor
may have other rules. Hand-written because no library does this: it is a shortcut
through one step of Python-Markdown, and it stays exact only by declining everything else.
`tests/test_html_blocks.py` checks it against the extractor on every page of the bundled
site and of the tricky-text fixture, and on random documents.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: A tag in the strict form the templates write: a name, then attributes each a name with an
#: optional quoted or plain value. html.parser reads such a tag the same way.
_ATTRIBUTE = r"""\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TOKEN = re.compile(
    r"<(?P<close>/)?(?P<name>[a-zA-Z][-a-zA-Z0-9:_.]*)"
    r"(?(close)\s*|(?P<attributes>(?:" + _ATTRIBUTE + r")*)\s*(?P<empty>/)?)>"
    r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][-.a-zA-Z0-9]*);"
    # Any other "<", and an "&" html.parser would read as the start of a reference. An "&"
    # before anything else (a space, or Markdown's "\\#") is text to it, as here.
    r"|(?P<stray><|&(?=[a-zA-Z#]|\Z))"
)
#: Elements the extractor reads differently (an empty block; text content in this Python's
#: html.parser, which later versions give to more elements), never followed here.
_DECLINED = frozenset(
    {"hr", "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
    | set(getattr(HTMLParser, "CDATA_CONTENT_ELEMENTS", ()))
    | set(getattr(HTMLParser, "RCDATA_CONTENT_ELEMENTS", ()))
)
#: As markdown.htmlparser.blank_line_re: a blank line right after a block's end tag.
_BLANK_LINE = re.compile(r"([ ]*\n){2}")


def extract(source: str, md) -> list[str] | None:
    """The extractor's `cleandoc` for `source`, storing the raw blocks in `md.htmlStash` in
    the extractor's order; None (and nothing stored) where the extractor must read it."""
    if "markdown" in source and re.search(r"<[^>]*\smarkdown\b", source):
        return None
    is_block_level = md.is_block_level
    doc: list[str] = []  # the page, its raw blocks marked (`_Block`) to be stashed at the end
    block: list[str] | None = None  # the raw block being read
    stack: list[str] = []  # its open elements
    # The extractor's "tail": a block ended with more on its line. Until a newline, a
    # block-level tag starts a new block wherever it stands.
    tail = False
    done = 0  # how far `source` has been taken
    for token in _TOKEN.finditer(source):
        if token.group("stray"):
            return None
        start, end = token.span()
        text = source[done:start]  # the text before: as it is, in or out of a block
        if tail and "\n" in text:
            tail = False
        (block if block is not None else doc).append(text)
        done = end
        whole = token.group()
        tag = token.group("name")
        if tag is None:  # a character or entity reference: as it is
            if block is None and tail:
                return None  # the extractor keeps it for the next block
            (block if block is not None else doc).append(whole)
            continue
        tag = tag.lower()
        if tag in _DECLINED:
            return None
        if token.group("close"):
            if block is None:  # an end tag outside a block is text
                tail = tail and "\n" not in whole
                doc.append(whole)
                continue
            block.append(whole)
            if tag in stack:
                while stack and stack.pop() != tag:
                    pass
            if not stack:  # the block ends
                if _BLANK_LINE.match(source, end):
                    block.append("\n")
                else:
                    tail = True
                doc.append(_Block("".join(block)))
                doc.append("\n\n")
                block = None
            continue
        if token.group("empty"):  # <tag/>: kept as it is, in a block or in the text
            if block is None and (tail or is_block_level(tag) and _at_line_start(source, start)):
                return None  # kept for the next block, or a block of its own: not followed here
            (block if block is not None else doc).append(whole)
            continue
        if is_block_level(tag) and (tail or block is None and _at_line_start(source, start)):
            doc.append("\n")  # a new block (within one, in its "tail", the extractor says so too)
            if block is None:
                block, stack = [], []
            block.append(whole)
            stack.append(tag)
        elif block is not None:
            stack.append(tag)
            block.append(whole)
        else:  # an inline element, or a block-level one within a line: text
            tail = tail and "\n" not in whole
            doc.append(whole)
    if block is not None:
        return None  # a block never closed
    doc.append(source[done:])
    # Stashed only now, once the whole page is known to be followed: a page left to the
    # extractor must find the stash empty.
    stash = md.htmlStash.store
    return [stash(str(item)) if isinstance(item, _Block) else item for item in doc]


class _Block(str):
    """A raw block in the page being set apart, to be stashed in its place."""


def _at_line_start(source: str, at: int) -> bool:
    """As HTMLExtractor.at_line_start: at most three spaces before it on its line."""
    line = source.rfind("\n", 0, at) + 1
    return at - line <= 3 and not source[line:at].strip()


#: The Python-Markdown whose extractor `extract` follows (major, minor).
FOLLOWS = (3, 11)


def follows_this_markdown() -> bool:
    import markdown

    return tuple(markdown.__version_info__[:2]) == FOLLOWS


def install() -> None:
    """Have `md_in_html` use `extract` for the pages it follows (once per process), under
    the Python-Markdown it was written for."""
    if not follows_this_markdown():
        return
    from markdown.extensions import md_in_html

    preprocessor = md_in_html.HtmlBlockPreprocessor
    if getattr(preprocessor.run, "fast", False):
        return
    slow = preprocessor.run

    def run(self, lines: list[str]) -> list[str]:
        doc = extract("\n".join(lines), self.md)
        if doc is None:
            return slow(self, lines)
        return "".join(doc).split("\n")

    run.fast = True
    preprocessor.run = run
