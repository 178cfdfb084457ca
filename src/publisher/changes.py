"""Which content files the author has changed since the last commit, from git.

`publisher check` prints in full the warnings about files the author is working on, and
only counts the long-standing ones; git knows which files those are. Without git, or
outside a repository, every warning is printed (None).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def changed_since_last_commit(project: Path, base: str | None = None) -> set[str] | None:
    """Paths (relative to `project`, as problems show them) that are modified, added or
    untracked; with `base` (a pull request's target, e.g. origin/main), also those changed
    since the commit the branch shares with it. None when git cannot say."""
    if shutil.which("git") is None:
        return None
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=project, capture_output=True, text=True, timeout=20,
        )
        if top.returncode != 0:
            return None
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "-z", "--", "."],
            cwd=project, capture_output=True, text=True, timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if status.returncode != 0:
        return None
    root = Path(top.stdout.strip())
    changed = set()
    if base:
        try:
            diff = subprocess.run(
                ["git", "diff", "--name-only", "--diff-filter=d", "-z", f"{base}...HEAD", "--", "."],
                cwd=project, capture_output=True, text=True, timeout=20,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if diff.returncode != 0:
            return None
        for path in filter(None, diff.stdout.split("\0")):
            try:
                changed.add((root / path).resolve().relative_to(project.resolve()).as_posix())
            except ValueError:
                continue
    entries = iter(status.stdout.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":  # a rename is followed by its old name, which is gone
            next(entries, None)
        if "D" in code:
            continue
        try:
            changed.add((root / path).resolve().relative_to(project.resolve()).as_posix())
        except ValueError:
            continue
    return changed
