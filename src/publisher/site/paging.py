"""Long lists split into numbered pages, so no page grows with the size of the record.

A national tracker has ten thousand recommendations and thirty thousand updates; a page
listing all of them would be megabytes. Every list that grows with the content is either
split here into pages of a fixed size, at stable numbered addresses (`recommendations/`,
`recommendations/page-2/`, ...; `themes/x/`, `themes/x/page-2/`), or capped where the full
list is on another page. Page 1 keeps the list's own address, so a small site (a few
hundred recommendations) has exactly the pages it had.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, TypeVar

from . import urls

T = TypeVar("T")

#: Rows of a recommendations table on one page. A row is about 0.9 KB of HTML; the theme's
#: header, navigation and footer, the page's citation metadata and its cite block about
#: 30 KB; so a list page with a chart and its status changes stays under 60 KB.
ROWS = 16
#: Entries of a plain list on one page (an update, a source, an inspection).
ENTRIES = 50
#: Status changes listed on an inspection, theme, plan or source page; each
#: recommendation's own page has its full history.
HISTORY = 10
#: Choices in a filter before it is left out (each inspection's page lists its own).
CHOICES = 20
#: Rows of a chart drawn one per inspection before it is drawn one per year instead.
CHART_ROWS = 12


@dataclass(frozen=True)
class Paging:
    """Where one page sits in a numbered list of pages."""

    number: int
    #: The source path of every page, in order (page 1 is the list's own page).
    srcs: tuple[str, ...]
    #: How many items the whole list has, and the (1-based) first and last on this page.
    total: int
    first: int
    last: int

    @property
    def count(self) -> int:
        return len(self.srcs)

    @property
    def paginated(self) -> bool:
        return self.count > 1

    @property
    def previous(self) -> str | None:
        return self.srcs[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.srcs[self.number] if self.number < self.count else None

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and those near this one; None marks a gap."""
        wanted = {1, self.count, *range(self.number - around, self.number + around + 1)}
        shown: list[int | None] = []
        for n in sorted(n for n in wanted if 1 <= n <= self.count):
            if shown and shown[-1] is not None and n > shown[-1] + 1:
                shown.append(None)
            shown.append(n)
        return shown


def paginate(src: str, items: Sequence[T], size: int) -> list[tuple[str, list[T], Paging]]:
    """`items` in pages of `size`: (page src, the page's items, its place). An empty list
    still has its one page."""
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]
    srcs = tuple(urls.paged(src, n) for n in range(1, len(chunks) + 1))
    pages = []
    for index, chunk in enumerate(chunks):
        first = index * size + 1 if chunk else 0
        pages.append((srcs[index], chunk, Paging(index + 1, srcs, len(items), first, first + len(chunk) - 1 if chunk else 0)))
    return pages
