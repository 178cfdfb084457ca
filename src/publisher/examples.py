"""The example content `publisher init` writes, and what keeps it from being published.

A new tracker starts with one example of each kind of record, so that it builds at once and
shows the shape of every file. Each example's title starts with `MARK`. They are not the
record: `publisher check --strict` refuses them (a warning at each one's line), and their
addresses are never added to the register of permanent addresses, so deleting an example
never leaves a registered address without a page.
"""

from __future__ import annotations

from typing import Iterable

from .content import Content
from .problems import Problem

#: How an example's title begins.
MARK = "[Example]"


def _titled(content: Content) -> Iterable[tuple[str, str, str]]:
    """(kind, id, title) of every record with a title."""
    for kind, table in (
        ("source", content.sources), ("theme", content.themes), ("inspection", content.inspections),
        ("recommendation", content.recommendations), ("plan", content.plans), ("update", content.updates),
    ):
        for item_id, item in table.items():
            yield kind, item_id, str(getattr(item, "title", "") or "")


def example_ids(content: Content) -> set[str]:
    """The ids of the records still marked as examples."""
    return {item_id for _, item_id, title in _titled(content) if title.startswith(MARK)}


def warnings(content: Content) -> list[Problem]:
    """A warning at each example still in the content (`publisher check --strict` fails on it)."""
    found = []
    for kind, item_id, title in _titled(content):
        if title.startswith(MARK):
            where = content.where.get(f"{kind}:{item_id}")
            found.append(Problem(
                where.path if where else "content", where.line if where else 0,
                f"the {kind} '{item_id}' is example content from `publisher init`",
                "replace it with the real record (and its id), or delete it",
                warning=True,
            ))
    return sorted(found)


def is_example_address(address: str, ids: set[str]) -> bool:
    """Whether a site address belongs to an example record: one of its path segments (or its
    anchor) is an example's id, as in `/recommendations/<id>/citation.ris`."""
    if not ids:
        return False
    path, _, anchor = address.partition("#")
    parts = [p for p in path.split("/") if p] + ([anchor] if anchor else [])
    return any(part in ids or part.split(".", 1)[0] in ids for part in parts)
