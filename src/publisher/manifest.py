"""The site's manifest: the SHA-256 of every file, so a copy can be checked.

`manifest.sha256` at the site root is in the format `sha256sum` reads, so anyone holding
a copy of the site can run `sha256sum -c manifest.sha256` in its folder. With the same
content and SOURCE_DATE_EPOCH, every build gives the same files, hence the same manifest.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

NAME = "manifest.sha256"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lines(site: Path) -> list[str]:
    """`<sha256>  <path>` for every file but the manifest, sorted by path."""
    from concurrent.futures import ThreadPoolExecutor

    site = Path(site)
    files = sorted((p.relative_to(site).as_posix(), p) for p in site.rglob("*") if p.is_file())
    files = [(name, path) for name, path in files if name != NAME]
    # Threads: hashing and reading release the GIL, and a national site is gigabytes.
    with ThreadPoolExecutor(max_workers=4) as pool:
        digests = list(pool.map(_digest, (path for _, path in files), chunksize=64))
    return [f"{digest}  {name}" for digest, (name, _) in zip(digests, files)]


def write(site: Path) -> Path:
    target = Path(site) / NAME
    target.write_text("".join(line + "\n" for line in lines(site)), encoding="utf-8", newline="\n")
    return target


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
