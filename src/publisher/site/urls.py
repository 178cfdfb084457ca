"""Where every item lives: the one place that decides the site's permanent URLs.

URLs are made from ids only (never titles), so a title can be corrected without breaking
a citation. Pages are named by their source path in MkDocs' terms (`recommendations/x.md`);
`href` turns a pair of pages into the relative link MkDocs itself would write, for both
directory URLs (`/recommendations/x/`, the public site) and file URLs
(`recommendations/x.html`, a copy that works from a folder or a USB stick).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

HOME = "index.md"
INSPECTIONS = "inspections/index.md"
RECOMMENDATIONS = "recommendations/index.md"
THEMES = "themes/index.md"
UPDATES = "updates/index.md"
SOURCES = "sources/index.md"
PLAN = "plan/index.md"
#: Citing the site, the open data, and past positions.
CITE = "cite/index.md"
DATA = "data/index.md"
AS_AT = "as-at/index.md"
#: The folder of the open-data files, from the site root.
DATA_FOLDER = "data"


def inspection(inspection_id: str) -> str:
    return f"inspections/{inspection_id}.md"


def recommendation(recommendation_id: str) -> str:
    return f"recommendations/{recommendation_id}.md"


def theme(theme_id: str) -> str:
    return f"themes/{theme_id}.md"


def update(update_id: str) -> str:
    return f"updates/{update_id}.md"


def source(source_id: str) -> str:
    return f"sources/{source_id}.md"


def plan(plan_id: str) -> str:
    return f"plans/{plan_id}.md"


def finding_anchor(finding_id: str) -> str:
    return finding_id


def recommendation_anchor(recommendation_id: str) -> str:
    """A recommendation's row on its inspection's page."""
    return recommendation_id


def as_at(day) -> str:
    """The position on a past day (a quarter end): `as-at/2024-03-31/`."""
    return f"as-at/{day.isoformat()}.md"


def changes(day) -> str:
    """What changed in the quarter ending on `day`: `as-at/2024-03-31/changes/`."""
    return f"as-at/{day.isoformat()}/changes.md"


def paged(src: str, number: int) -> str:
    """Page `number` of a long list whose first page is `src`: `recommendations/page-2/`,
    `themes/x/page-2/`. Page 1 is `src` itself."""
    if number == 1:
        return src
    stem = posixpath.splitext(src)[0]
    folder = posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem
    return f"{folder}/page-{number}.md" if folder else f"page-{number}.md"


_PAGED = re.compile(r"(^|/)page-[0-9]+\.md$")


def is_paged(src: str) -> bool:
    """Whether `src` is page 2 or later of a long list (what `paged` makes)."""
    return _PAGED.search(src) is not None


def data_file(name: str) -> str:
    """An open-data file, as a path from the site root: `data/recommendations.csv`."""
    return f"{DATA_FOLDER}/{name}"


@lru_cache(maxsize=1 << 18)
def canonical(src: str, anchor: str | None = None) -> str:
    """The permanent form of a page's URL, relative to the site root: the directory URL
    (`recommendations/x/`), whatever URL style a particular copy is built with. Cached:
    a national tracker asks for it nearly a million times in a preview's refresh."""
    url = Urls(directory_urls=True).url(src)
    return f"{url}#{anchor}" if anchor else url


def src_of(url: str) -> str | None:
    """The page source a permanent (directory-style) page URL is made from, or None for a
    file such as `data/x.csv`. The inverse of `canonical` for pages."""
    path = url.split("#", 1)[0]
    if path == "":
        return HOME
    if not path.endswith("/"):
        return None
    return f"{path[:-1]}.md"


def _relative(path: str, folder: str) -> str:
    """`posixpath.relpath(path or ".", folder)` for paths within the site root, without
    its cost (it asks the operating system for the working directory on every call)."""
    to = [part for part in path.split("/") if part not in ("", ".")]
    start = [part for part in folder.split("/") if part not in ("", ".")]
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


@dataclass(frozen=True)
class Urls:
    directory_urls: bool = True

    # Cached: a large site makes hundreds of thousands of links between a few thousand
    # pages, and posixpath.relpath is slow. (A frozen dataclass is hashable, so the
    # instance is part of the key.)
    @lru_cache(maxsize=1 << 16)
    def url(self, src: str) -> str:
        """The page's URL relative to the site root, as MkDocs makes it ('' for the home page)."""
        stem, extension = posixpath.splitext(src)
        if extension != ".md":  # a file, not a page (the Atom feed, the data files)
            return src
        if self.directory_urls:
            if posixpath.basename(stem) == "index":
                folder = posixpath.dirname(stem)
                return f"{folder}/" if folder else ""
            return f"{stem}/"
        return f"{stem}.html"

    def _folder(self, src: str) -> str:
        """The folder a page's relative links start from."""
        here = self.url(src)
        return (here.rstrip("/") if here.endswith("/") or not here else posixpath.dirname(here)) or "."

    @lru_cache(maxsize=1 << 18)
    def href(self, from_src: str, to_src: str, anchor: str | None = None) -> str:
        """A relative link from one page to another, or to an anchor on it."""
        here, there = self.url(from_src), self.url(to_src)
        link = ""
        if there != here:
            link = _relative(there.rstrip("/"), self._folder(from_src))
            if not there or there.endswith("/"):
                link += "/"  # a directory URL needs its slash
        if anchor:
            return f"{link}#{anchor}"
        # A link to the page itself: its folder for directory URLs, its file name otherwise.
        return link or ("./" if self.directory_urls else posixpath.basename(here))

    def asset(self, from_src: str, path: str) -> str:
        """A relative link to a file at `path` from the site root (e.g. 'data/recommendations.csv')."""
        return posixpath.relpath(path, self._folder(from_src))
