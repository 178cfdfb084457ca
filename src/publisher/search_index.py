"""The site's search index: Pagefind, built beside the pages while MkDocs renders them.

Material's own search loads one index whole: about 2 KB per page, so 12 MB at 5,000 pages
and far more for a national tracker. Pagefind (a Rust binary shipped in the `pagefind-bin`
wheel; nothing is downloaded) writes a chunked static index instead, and the search box
(`site_overrides/assets/javascripts/search.js`) fetches only the chunks a query needs.

Indexing the finished site costs about 1.5 ms a page on one core, after the build. So the
hooks hand each page's content to `Indexer` as soon as MkDocs has converted its Markdown
(`on_page_content`), as a small HTML file at the page's own path in a scratch folder; once
every page is converted (`on_env`) Pagefind indexes that folder on the machine's other core
while MkDocs renders and writes the pages; at the end (`on_post_build`) its output moves
into the site as `pagefind/`.

What is indexed: every page not marked `search: exclude` (so not redirects, past positions
or numbered list pages), under its page title, without the "Cite this page" block
or the headings' "¶" links. Recommendation pages carry the
explorer's filters (`data-pagefind-filter`), which `explorer.js` queries on a large site.
(`main.html` marks the same content with `data-pagefind-body`, so running Pagefind on a
built copy, such as a plain MkDocs build of `publisher export-markdown`, gives the same
index.)
"""

from __future__ import annotations

import html
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

#: The index's folder, from the site root (search.js loads `<root>pagefind/pagefind.js`).
FOLDER = "pagefind"
#: Parts of a page that are not its content: the "¶" heading links and "Cite this page".
_IGNORED = ".headerlink, #cite-this-page, .pub-cite"


class SearchIndexError(RuntimeError):
    pass


def _executable() -> str:
    import pagefind_bin

    try:
        return str(pagefind_bin.get_executable())
    except FileNotFoundError as error:
        raise SearchIndexError(f"the Pagefind binary is missing ({error}); reinstall the project: pip install -e .") from None


def excluded(meta: dict) -> bool:
    """Whether a page's front matter keeps it out of search (`search: {exclude: true}`)."""
    search = meta.get("search") if isinstance(meta, dict) else None
    return isinstance(search, dict) and bool(search.get("exclude"))


class Indexer:
    """A search index for the site being built into `site_dir`: `add` each page, `start`
    once all are added, then `write` (or `close` to abandon it).

    A preview (`keep=True`) keeps the pages it was given: after an edit it is given the
    pages that changed (`add`, `remove`) and indexes again in the background
    (`update_in_background`), the site meanwhile searching the index it had."""

    def __init__(self, site_dir: Path, *, keep: bool = False):
        self.keep = keep
        self._background: threading.Thread | None = None
        self._lock = threading.Lock()
        self._executable = _executable()
        parent = Path(site_dir).resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        # Beside the site, so the finished index moves in with a rename.
        self._scratch = Path(tempfile.mkdtemp(prefix=".publisher-search-", dir=parent))
        self._pages = self._scratch / "pages"
        self._output = self._scratch / "index"
        self._process: subprocess.Popen | None = None
        # The files are written by a thread: writing 40,000 of them would otherwise hold up
        # MkDocs for seconds (the thread runs while the build waits on nothing but disk).
        self._queue: queue.Queue = queue.Queue(maxsize=512)
        self._folders: set[Path] = set()
        self._failure: list[BaseException] = []
        self._writer = threading.Thread(target=self._write_pages, name="search-pages", daemon=True)
        self._writer.start()

    def add(self, content_html: str, url: str, title: str) -> None:
        """A page's content (its converted Markdown) at `url`, relative to the site root."""
        item = (_page_file(url), content_html, title)
        if self._writer.is_alive():
            self._queue.put(item)
        else:  # a preview's refresh: a few pages, written at once
            self._write_page(*item)

    def remove(self, url: str) -> None:
        """A page no longer in the site (a preview's refresh)."""
        (self._pages / _page_file(url)).unlink(missing_ok=True)

    def _write_pages(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._failure:
                continue  # keep taking pages so the build is never held up
            try:
                self._write_page(*item)
            except OSError as error:
                self._failure.append(error)

    def _write_page(self, rel: str, content_html: str, title: str) -> None:
        path = self._pages / rel
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        with open(path, "w", encoding="utf-8") as out:
            out.write(
                '<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><div data-pagefind-body>'
                f'<span hidden data-pagefind-meta="title[data-title]" data-title="{html.escape(title)}"></span>'
                f"{content_html}</div></body></html>"
            )

    def start(self, *, yielding: bool = False) -> None:
        """Index every page added so far, in the background. `yielding`: at a low priority,
        so the work the index waits on (the preview's next refresh) has the cores first."""
        if self._writer.is_alive():
            self._queue.put(None)
            self._writer.join()
        if self._failure:
            raise SearchIndexError(f"could not write a page for the search index: {self._failure[0]}")
        self._pages.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self._output, ignore_errors=True)
        command = [
            self._executable, "--site", str(self._pages), "--output-path", str(self._output),
            "--exclude-selectors", _IGNORED, "--force-language", "en", "--silent",
        ]
        nice = (lambda: os.nice(10)) if yielding and hasattr(os, "nice") else None
        self._process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=_pagefind_environment(), preexec_fn=nice,
        )

    def write(self, site: Path) -> Path:
        """Wait for the index and move it into `<site>/pagefind/`."""
        try:
            if self._process is None:
                self.start()
            return self._finish(self._process, Path(site))
        finally:
            if not self.keep:
                self.close()

    def _finish(self, process: subprocess.Popen, site: Path) -> Path:
        output, _ = process.communicate()
        if process.returncode != 0:
            raise SearchIndexError(f"Pagefind could not index the site: {output.decode('utf-8', 'replace').strip()}")
        made = site / f".{FOLDER}-new"
        shutil.rmtree(made, ignore_errors=True)
        self._output.rename(made)
        for unused in made.glob("pagefind-*ui.*"):
            unused.unlink()  # Pagefind's own search interfaces: the site has its own (search.js)
        (made / "pagefind-highlight.js").unlink(missing_ok=True)
        make_reproducible(made)
        # In a preview the site is being served: the old index stays until the new one is
        # complete, then the two swap with renames.
        target, old = site / FOLDER, site / f".{FOLDER}-old"
        if target.exists():
            target.rename(old)
        made.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        return target

    # A preview's index ---------------------------------------------------------------

    def finish_in_background(self, site: Path) -> None:
        """Move the index into the site once Pagefind has made it, without waiting."""
        self._in_background(self._process, Path(site))

    def update_in_background(self, site: Path) -> None:
        """Index the pages again (after `add` and `remove`), replacing the site's index when
        done; an update still running is stopped first (the newer pages are what count)."""
        self._stop_process()
        # Pagefind uses both cores for seconds: at full priority it slowed the refresh after
        # the next save by a second at 1,000 recommendations.
        self.start(yielding=True)
        self._in_background(self._process, Path(site))

    def _in_background(self, process: subprocess.Popen, site: Path) -> None:
        def finish() -> None:
            with self._lock:
                try:
                    self._finish(process, site)
                except (SearchIndexError, OSError) as error:
                    if process.returncode != -9:  # not one stopped for a newer update
                        import logging

                        logging.getLogger("publisher").warning("The preview's search index was not updated: %s", error)

        self._background = threading.Thread(target=finish, name="search-index", daemon=True)
        self._background.start()

    def wait(self) -> None:
        """Wait for the index being made in the background (tests, the benchmark)."""
        if self._background is not None:
            self._background.join()

    def _stop_process(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self.wait()

    def close(self) -> None:
        if self._writer.is_alive():
            self._queue.put(None)
            self._writer.join()
        self._stop_process()
        shutil.rmtree(self._scratch, ignore_errors=True)


def _pagefind_environment() -> dict[str, str]:
    """Pagefind's environment. Its allocator (jemalloc) keeps an arena per thread by
    default; one arena holds a sixth less at Pagefind's peak, for the same time (measured
    at 5,000 pages: 486 MB against 407 MB), and Pagefind's peak is the build's largest
    single share of memory (docs/performance.md)."""
    import os

    return {"_RJEM_MALLOC_CONF": "narenas:1", **os.environ}


def _page_file(url: str) -> str:
    """The file a page's URL is served from, relative to the site root."""
    return url + "index.html" if url == "" or url.endswith("/") else url


# --------------------------------------------------------------------------- reproducible


def make_reproducible(index: Path) -> None:
    """Put Pagefind's filter files in a stable order, so the same site gives the same index.

    Pagefind 1.x writes each filter's values in the order of a Rust hash map, which is
    seeded at random on every run; everything else it writes is stable. The site promises
    byte-identical builds (see `publisher.manifest`), so each filter file is rewritten with
    its values sorted and renamed by the hash of its new content, and the two files that
    name them (the language's `.pf_meta` and `pagefind-entry.json`) are updated to match.
    The format is CBOR in gzip after a `pagefind_dcd` signature; `_cbor` reads and writes
    the small part of CBOR Pagefind uses, because no CBOR library is among the project's
    dependencies for this one use.
    """
    import gzip
    import hashlib
    import json

    def read(path: Path):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(_SIGNATURE), path
        return _cbor.loads(data[len(_SIGNATURE):])

    def written(value) -> bytes:
        return gzip.compress(_SIGNATURE + _cbor.dumps(value), mtime=0)

    renamed: dict[str, str] = {}
    for path in sorted((index / "filter").glob("*.pf_filter")):
        name, values = read(path)
        data = written([name, sorted(values, key=lambda pair: pair[0])])
        language = path.stem.split("_", 1)[0]
        new = f"{language}_{hashlib.sha256(data).hexdigest()[:7]}"
        path.unlink()
        (index / "filter" / f"{new}.pf_filter").write_bytes(data)
        renamed[path.stem] = new
    if not renamed:
        return
    entry_path = index / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, about in entry["languages"].items():
        meta_path = index / f"pagefind.{about['hash']}.pf_meta"
        meta = _rename_filters(read(meta_path), renamed)
        data = written(meta)
        new = f"{language}_{hashlib.sha256(data).hexdigest()[:10]}"
        meta_path.unlink()
        (index / f"pagefind.{new}.pf_meta").write_bytes(data)
        about["hash"] = new
    entry_path.write_text(json.dumps(entry, separators=(",", ":")), encoding="utf-8")


_SIGNATURE = b"pagefind_dcd"


def _rename_filters(value, renamed: dict[str, str]):
    """The meta's list of (filter name, file) pairs, with the new file names, by name."""
    if isinstance(value, list):
        if value and all(isinstance(v, list) and len(v) == 2 and isinstance(v[1], str) and v[1] in renamed for v in value):
            return sorted(([name, renamed[old]] for name, old in value), key=lambda pair: pair[0])
        return [_rename_filters(v, renamed) for v in value]
    return value


class _cbor:
    """Just enough CBOR (RFC 8949) for Pagefind's index: integers, text, byte strings,
    arrays, maps, simple values and floats."""

    @staticmethod
    def loads(data: bytes):
        value, end = _cbor._read(data, 0)
        assert end == len(data), "trailing bytes"
        return value

    @staticmethod
    def _read(data: bytes, at: int):
        import struct

        first = data[at]
        major, info = first >> 5, first & 31
        at += 1
        if major == 7:
            if info == 20:
                return False, at
            if info == 21:
                return True, at
            if info == 22:
                return None, at
            sizes = {25: (2, ">e"), 26: (4, ">f"), 27: (8, ">d")}
            size, fmt = sizes[info]
            return struct.unpack(fmt, data[at : at + size])[0], at + size
        if info < 24:
            arg = info
        else:
            size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
            arg = int.from_bytes(data[at : at + size], "big")
            at += size
        if major == 0:
            return arg, at
        if major == 1:
            return -1 - arg, at
        if major == 2:
            return bytes(data[at : at + arg]), at + arg
        if major == 3:
            return data[at : at + arg].decode("utf-8"), at + arg
        if major == 4:
            items = []
            for _ in range(arg):
                item, at = _cbor._read(data, at)
                items.append(item)
            return items, at
        if major == 5:
            mapping = {}
            for _ in range(arg):
                key, at = _cbor._read(data, at)
                mapping[key], at = _cbor._read(data, at)
            return mapping, at
        raise ValueError(f"unsupported CBOR item (major type {major})")

    @staticmethod
    def _head(major: int, arg: int) -> bytes:
        if arg < 24:
            return bytes([major << 5 | arg])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if arg < 1 << (8 * size):
                return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
        raise ValueError("integer too large")

    @staticmethod
    def dumps(value) -> bytes:
        import struct

        if value is False:
            return b"\xf4"
        if value is True:
            return b"\xf5"
        if value is None:
            return b"\xf6"
        if isinstance(value, int):
            return _cbor._head(0, value) if value >= 0 else _cbor._head(1, -1 - value)
        if isinstance(value, float):
            return b"\xfb" + struct.pack(">d", value)
        if isinstance(value, bytes):
            return _cbor._head(2, len(value)) + value
        if isinstance(value, str):
            encoded = value.encode("utf-8")
            return _cbor._head(3, len(encoded)) + encoded
        if isinstance(value, list):
            return _cbor._head(4, len(value)) + b"".join(_cbor.dumps(v) for v in value)
        if isinstance(value, dict):
            return _cbor._head(5, len(value)) + b"".join(_cbor.dumps(k) + _cbor.dumps(v) for k, v in value.items())
        raise TypeError(f"cannot write {type(value).__name__} as CBOR")
