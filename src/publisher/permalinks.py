"""Permanent addresses: the register of every address ever published, and redirects.

Scrutiny panels cite a tracker in reports to their parliament, so an address, once
published, must keep leading somewhere. Two files keep that promise:

- `permalinks.txt` (beside mkdocs.yml): every address the site has published, one per
  line, sorted. `publisher register` adds new ones; nobody removes one.
- `content/redirects.yml`: for an item that was renamed or merged, where its old address
  now leads. Authors edit it; it is checked like all content, with file and line.

A build fails when a registered address is neither published nor redirected. New
addresses never fail a build: they are only reported, until `publisher register` adds
them.

Addresses are in the register's form (see `model.redirect.normalise`): the path from the
site's root, a page ending in '/', an anchor after '#': `/` (the home page),
`/recommendations/x/`, `/inspections/y/#y-f01`, `/data/recommendations.csv`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import citation, citeformats
from .content import Content, validate
from .examples import example_ids, is_example_address
from .model.redirect import Redirect
from .problems import ContentError, Problem, did_you_mean, display_path
from .reader import load_yaml, read_text
from .site import urls
from .site.permanence import Moved

#: The register's file name, beside mkdocs.yml.
REGISTER = "permalinks.txt"
#: The redirects file's name, in the content folder.
REDIRECTS = "redirects.yml"

_HEADER = """\
# Every address this site has published, relative to the site's address: one per line,
# sorted. A citation may point at any of them, so each must keep leading somewhere: the
# build fails if one is neither published nor redirected in content/redirects.yml.
# Maintained by `publisher register`, which adds new addresses. Never remove a line.
"""


# --------------------------------------------------------------------------- what the site publishes


def published(content: Content, page_sources: Iterable[str], data_files: Iterable[str]) -> set[str]:
    """Every permanent address a build publishes: its pages, the anchors of findings and
    recommendations on inspection pages, the open-data files, and beside every citable
    page its citation files (RIS, BibTeX, CSL-JSON: a reference manager keeps their
    addresses too). Item feeds are among the page sources already."""
    page_sources = list(page_sources)
    addresses = {address(src) for src in page_sources}
    for src in page_sources:
        if citation.kind_of(src) is not None:
            folder = address(src)
            addresses.update(folder + download.name for download in citeformats.DOWNLOADS)
    for inspection in content.inspections.values():
        page = urls.inspection(inspection.id)
        addresses.update(address(page, urls.finding_anchor(f.id)) for f in inspection.findings)
        addresses.update(address(page, urls.recommendation_anchor(r.id)) for r in inspection.recommendations)
    addresses.update("/" + urls.data_file(name) for name in data_files)
    return addresses


#: The files beside a citable page (its citation files and feed): where a page moves, the
#: redirect writes them again at its old address (`site.permanence.redirect_pages`).
BESIDE_PAGES = frozenset({*(d.name for d in citeformats.DOWNLOADS), citeformats.FEED})


def address(src: str, anchor: str | None = None) -> str:
    """A page's (or an anchor's) address in the register's form: `/recommendations/x/`."""
    return "/" + urls.canonical(src, anchor)


def handwritten_pages(pages_dir: Path) -> list[str]:
    """The Markdown pages authors write in `content/pages/` (MkDocs' docs_dir), as sources."""
    if not pages_dir.is_dir():
        return []
    # Hidden files and folders inside it are not pages (wherever the project itself is).
    pages = (p.relative_to(pages_dir) for p in pages_dir.rglob("*.md"))
    return sorted(p.as_posix() for p in pages if not any(part.startswith(".") for part in p.parts))


# --------------------------------------------------------------------------- the register


@dataclass
class Register:
    path: Path
    #: Each registered address and the line it is on.
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    @property
    def addresses(self) -> set[str]:
        return set(self.lines)


def read_register(path: Path) -> Register:
    register = Register(path)
    if not path.is_file():
        return register
    shown = display_path(path)
    for number, line in enumerate(read_text(path, shown).split("\n"), start=1):
        text = line.strip()
        if text and not text.startswith("#"):
            register.lines.setdefault(text, number)
    return register


def write_register(path: Path, addresses: Iterable[str]) -> None:
    body = "".join(f"{address}\n" for address in sorted(set(addresses)))
    path.write_text(_HEADER + body, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------- redirects


@dataclass(frozen=True)
class _Written:
    redirect: Redirect
    path: str
    line: int
    #: The line of its `to:`.
    to_line: int


def load_redirects(content_root: Path) -> list[_Written]:
    """Read `content/redirects.yml` (a missing file means no redirects), or raise ContentError."""
    path = Path(content_root) / REDIRECTS
    if not path.exists():
        return []
    shown = display_path(path, Path(content_root).resolve().parent)
    doc = load_yaml(read_text(path, shown), shown)
    problems = list(doc.problems)
    written: list[_Written] = []
    if doc.data is None:
        data = []
    elif not isinstance(doc.data, list):
        raise ContentError(problems + [Problem(shown, 1, "this file must be a list of redirects", "start each one with '- from: ...', then 'to:' and 'reason:'")])
    else:
        data = doc.data
    for index, item in enumerate(data):
        record, found = validate(Redirect, item, doc, (index,))
        problems += found
        if record is not None:
            written.append(_Written(record, shown, doc.line((index, "from")), doc.line((index, "to"))))
    if problems:
        raise ContentError(problems)
    return written


def load(content_dir: Path, *, unfinished_ok: bool = False, today=None) -> tuple[Content, list[_Written]]:
    """The content and its redirects, with the problems of both reported together.
    (`unfinished_ok`: see `content.load_content`.)"""
    from .content import load_content

    problems: list[Problem] = []
    content = written = None
    try:
        content = load_content(content_dir, unfinished_ok=unfinished_ok, today=today)
    except ContentError as error:
        problems += error.problems
    try:
        written = load_redirects(content_dir)
    except ContentError as error:
        problems += error.problems
    if problems:
        raise ContentError(problems)
    return content, written


def check_redirects(written: list[_Written], produced: set[str]) -> tuple[list[Moved], list[Problem]]:
    """Each redirect must start at an address no longer published and end at one that is."""
    problems: list[Problem] = []
    first: dict[str, _Written] = {}
    for w in written:
        old = w.redirect.old
        if old in first:
            problems.append(Problem(w.path, w.line, f"'{old}' is redirected twice (also on line {first[old].line})", "keep one redirect for it"))
            continue
        first[old] = w

    def follow(address: str) -> tuple[str | None, str]:
        seen = [address]
        while address in first and address not in produced:
            address = first[address].redirect.new
            if address in seen:
                return None, " -> ".join(seen + [address])
            seen.append(address)
        return address, ""

    pages_redirected = {old for old in first if "#" not in old}
    moved: list[Moved] = []
    for old, w in first.items():
        new = w.redirect.new
        if old in produced:
            problems.append(Problem(w.path, w.line, f"'{old}' is still published, so it cannot be redirected", "remove this redirect, or remove or rename the item first"))
            continue
        if "#" not in old and urls.src_of(old[1:]) is None:
            problems.append(Problem(w.path, w.line, f"'{old}' is a file, and only pages and anchors can be redirected", "remove this redirect"))
            continue
        if "#" in old:
            page = old.split("#", 1)[0]
            if page in pages_redirected:
                problems.append(Problem(w.path, w.line, f"the page '{page}' is itself redirected, which takes this anchor's readers there too", "remove this redirect"))
                continue
            if page not in produced:
                problems.append(Problem(w.path, w.line, f"the page '{page}' is not published, so an anchor on it cannot be redirected", "redirect the page instead: from: " + page))
                continue
        final, loop = follow(new)
        if final is None:
            problems.append(Problem(w.path, w.line, f"these redirects go round in a circle: {loop}", "point one of them at an address the site publishes"))
            continue
        if final not in produced:
            hint = did_you_mean(final, produced)
            problems.append(Problem(w.path, w.to_line, f"'{new}' is not an address this site publishes", f"{hint} Every published address is listed in {REGISTER}"))
            continue
        moved.append(Moved(old, new, final, w.redirect.reason, w.path, w.line))
    return moved, problems


# --------------------------------------------------------------------------- the check


@dataclass
class Permanence:
    """The outcome of checking the register and the redirects against a build."""

    moved: list[Moved]
    problems: list[Problem]
    #: Published addresses not yet in the register (never a failure: `publisher register`).
    unregistered: list[str]
    #: Every address the build publishes.
    produced: set[str] = field(default_factory=set)


def check(register: Register, produced: set[str], written: list[_Written]) -> Permanence:
    moved, problems = check_redirects(written, produced)
    redirected = {m.old for m in moved}
    pages_redirected = {m.old for m in moved if not m.is_anchor}
    shown = display_path(register.path)
    page_moves = {m.old: m for m in moved if not m.is_anchor}
    for registered, line in sorted(register.lines.items(), key=lambda kv: kv[1]):
        if registered in produced or registered in redirected:
            continue
        page, _, anchor = registered.partition("#")
        if anchor and page in pages_redirected:
            continue  # readers of an anchor on a moved page are taken to the page's new home
        beside = registered.rsplit("/", 1)[0] + "/"
        if not anchor and beside in pages_redirected and registered.rsplit("/", 1)[1] in BESIDE_PAGES:
            continue  # a moved page's citation files and feed are written again at its old address
        # A recommendation's row on its inspection page follows the recommendation's own
        # redirect, so renaming one needs a single redirect, not two.
        follows = page_moves.get(address(urls.recommendation(anchor))) if anchor else None
        if follows is not None and page in produced:
            moved.append(Moved(registered, follows.new, follows.final, follows.reason, follows.path, follows.line))
            continue
        problems.append(
            Problem(
                shown,
                line,
                f"'{registered}' was published but no longer is, so citations of it would break",
                f"if the item was renamed or merged, add to content/{REDIRECTS}: '- from: {registered}', "
                "'to: <its new address>' and 'reason: ...'; if it was removed by mistake, restore it",
            )
        )
    unregistered = sorted(produced - register.addresses) if register.exists else sorted(produced)
    return Permanence(moved, problems, unregistered, produced)


def raise_for(permanence: Permanence) -> None:
    if permanence.problems:
        raise ContentError(permanence.problems)


def assess(
    content: Content,
    progress,
    *,
    register_path: Path,
    pages_dir: Path,
    written: list[_Written],
    preview: bool = False,
) -> tuple[Permanence, dict[str, str]]:
    """Check a build's addresses against the register and the redirects.

    Returns the outcome and, for linking, each published page address with its source.
    """
    from . import exports
    from .site import page_sources

    sources = page_sources(content, progress, preview=preview) + handwritten_pages(pages_dir)
    produced = published(content, sources, exports.file_names())
    page_of_url = {address(src): src for src in sources}
    outcome = check(read_register(register_path), produced, written)
    # A new tracker's example content (`publisher init`) is never registered: its addresses
    # are meant to go when the examples are replaced.
    examples = example_ids(content)
    outcome.unregistered = [a for a in outcome.unregistered if not is_example_address(a, examples)]
    return outcome, page_of_url
