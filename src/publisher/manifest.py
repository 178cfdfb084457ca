"""The site's manifest: the SHA-256 of every file, so a copy can be checked.

`manifest.sha256` at the site root is in the format `sha256sum` reads, so anyone holding
a copy of the site can run `sha256sum -c manifest.sha256` in its folder. With the same
content and SOURCE_DATE_EPOCH, every build gives the same files, hence the same manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Iterator

NAME = "manifest.sha256"


def _digest(path: Path | str) -> str:
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def _digests(paths: list[str]) -> list[str]:
    return [_digest(path) for path in paths]


def _files(site: Path) -> list[tuple[str, str]]:
    """Every file under `site` as (its path from the site, with /; its path on disk),
    sorted by the first. `os.walk` rather than `Path.rglob`: a national site has 200,000
    files, and rglob's Path objects cost ten seconds of the build to make."""
    found = []
    root = str(site)
    for folder, _, names in os.walk(root):
        prefix = os.path.relpath(folder, root).replace(os.sep, "/") + "/"
        prefix = "" if prefix == "./" else prefix
        found.extend((prefix + name, os.path.join(folder, name)) for name in names)
    found.sort()
    return found


def lines(site: Path, leave_out: str | None = None) -> list[str]:
    """`<sha256>  <path>` for every file but the manifest (and those in the top folder
    `leave_out`), sorted by path."""
    from concurrent.futures import ThreadPoolExecutor

    left_out = f"{leave_out}/" if leave_out is not None else None
    files = [(name, path) for name, path in _files(Path(site)) if name != NAME and not (left_out and name.startswith(left_out))]
    # Threads: hashing and reading release the GIL, and a national site is gigabytes. Each
    # is given a few hundred files at a time: handing them over one by one cost the build's
    # main thread more than the hashing.
    paths = [path for _, path in files]
    batches = [paths[i : i + _BATCH] for i in range(0, len(paths), _BATCH)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        digests = [digest for batch in pool.map(_digests, batches) for digest in batch]
    return [f"{digest}  {name}" for digest, (name, _) in zip(digests, files)]


#: Files a thread hashes at a time.
_BATCH = 256


def write(site: Path, leave_out: str | None = None) -> Path:
    target = Path(site) / NAME
    target.write_text("".join(line + "\n" for line in lines(site, leave_out)), encoding="utf-8", newline="\n")
    return target


# `publisher build` writes the manifest itself once its build process has ended, while the
# search index is made (engine.build); a build run any other way (`mkdocs build`) writes
# it at its end (the hooks' on_post_build).
_afterwards: list[bool] = []


@contextlib.contextmanager
def written_afterwards() -> Iterator[None]:
    """While this block runs, a build leaves the manifest to its caller (`deferred`)."""
    _afterwards.append(True)
    try:
        yield
    finally:
        _afterwards.pop()


def deferred() -> bool:
    return bool(_afterwards)


def reserve(site: Path) -> None:
    """An empty file where the manifest will be, for a build that writes it afterwards:
    the cite page links to it, and the link check runs before. The caller writes over it
    before the site is published (a failed build's folder is thrown away whole)."""
    (Path(site) / NAME).write_bytes(b"")


def add(site: Path, names: list[str]) -> Path:
    """Add files written after the manifest (`_headers`) to it, without hashing the rest
    of the site again (gigabytes for a national tracker)."""
    site = Path(site)
    target = site / NAME
    entries = {line.split("  ", 1)[1]: line for line in target.read_text(encoding="utf-8").splitlines() if line}
    for name in names:
        entries[name] = f"{_digest(site / name)}  {name}"
    target.write_text("".join(entries[name] + "\n" for name in sorted(entries)), encoding="utf-8", newline="\n")
    return target
