"""Content problems: what is wrong, where, and how to fix it.

Every mistake in `content/` becomes a `Problem` printed as `path:line: what (fix)`. The
loaders collect problems rather than stopping at the first, and raise one `ContentError`
carrying all of them, so an author sees every mistake in a single run.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    fix: str = ""
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {'warning: ' if self.warning else ''}{self.message}"
        return f"{text} ({self.fix})" if self.fix else text


class ContentError(Exception):
    """Raised with every problem found, never with a Python traceback for the author."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        count = len(self.problems)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found in the content.")
        return "\n".join(lines)


def display_path(path: Path | str, root: Path | None = None) -> str:
    """A path as the author would type it: relative to the project when possible."""
    path = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def closest(value: str, known: Iterable[str]) -> list[str]:
    return difflib.get_close_matches(str(value), sorted(set(known)), n=3, cutoff=0.6)


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """A short hint naming the closest known values, or listing a few of them."""
    known = sorted(set(known))
    close = closest(value, known)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    if not known:
        return "none are defined yet"
    shown = ", ".join(f"'{k}'" for k in known[:8])
    return f"known values: {shown}{', ...' if len(known) > 8 else ''}"
