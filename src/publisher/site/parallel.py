"""Rendering a large site's pages on two cores.

MkDocs renders on one core, and the generated pages' Markdown must all exist before it
starts, so rendering them is time the build waits for. On a large site the work is split
in two: the process forks, and the parent and the child each walk the same (deterministic)
list of pages, rendering every other one (`Renderer.shard`); the child hands its pages back
through a pipe and the parent puts them in their places. A small site (a few hundred pages)
renders in one process, exactly as before. Where `os.fork` is missing (Windows), always one.
"""

from __future__ import annotations

import gc
import os
import pickle
from contextlib import contextmanager
from typing import Callable, Iterator

from .render import Later, Renderer, Unchanged

#: Below this many recommendations and updates, forking costs more than it saves.
FROM_ITEMS = 1000


def worthwhile(items: int) -> bool:
    return items >= FROM_ITEMS and two_cores()


def two_cores() -> bool:
    """Whether work can be forked onto a second core here (not on Windows, nor one core)."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


@contextmanager
def shared_with_a_fork() -> Iterator[None]:
    """While a forked child works: the objects made so far are shared with it until either
    process writes to them; frozen, the garbage collectors leave them alone instead of
    copying their pages. A freeze already in place (a preview's, `engine._Heap`) stays."""
    was_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not was_frozen:
            gc.unfreeze()


def render_in_two(renderer: Renderer, produce: Callable[[], list]) -> list:
    """`produce()` (a list of (src, text, in_nav)) with its pages rendered by two processes."""
    with shared_with_a_fork():
        return _render_in_two(renderer, produce)


def _render_in_two(renderer: Renderer, produce: Callable[[], list]) -> list:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render the odd pages, send them, and leave at once
        status = 1
        try:
            os.close(read_fd)
            renderer.shard = (1, 2)
            produce()
            # With a preview session's tracker, what each page rests on goes back too.
            records = renderer.tracker.rendered_now if renderer.tracker is not None else {}
            with os.fdopen(write_fd, "wb") as out:
                pickle.dump((renderer.rendered, records), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)  # never return into the parent's code (MkDocs, the hooks)
    os.close(write_fd)
    try:
        renderer.shard = (0, 2)
        produced = produce()
    finally:
        with os.fdopen(read_fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        renderer.shard = (0, 1)
    if status != 0 or not data:
        raise RuntimeError("rendering the pages in a second process failed (the same pages rendered alone would show why)")
    theirs, records = pickle.loads(data)
    if renderer.tracker is not None:
        renderer.tracker.adopt(records)
    tracked = renderer.tracker is not None
    return [(src, _placed(text, theirs, tracked), in_nav) for src, text, in_nav in produced]


def _placed(text: str, theirs: dict[int, str], tracked: bool) -> str:
    """A page's text: its own, or the other worker's (`Later`). With a preview's tracker,
    a page the other worker found unchanged did not come back: it is `Unchanged`."""
    if isinstance(text, Later) and not isinstance(text, Unchanged):
        if tracked and text.number not in theirs:
            return Unchanged(text.number)
        made = theirs[text.number]
        return made if text.part is None else made[text.part][1]  # (name, text) of a page's files
    return text
