"""The site's search index: Pagefind, built from each page's content, in parts.

Material's own search loads one index whole: about 2 KB per page, so 12 MB at 5,000 pages
and far more for a national tracker. Pagefind (a Rust binary shipped in the `pagefind-bin`
wheel; nothing is downloaded) writes a chunked static index instead, and the search box
(`site_overrides/assets/javascripts/search.js`) fetches only the chunks a query needs.

The hooks hand each page's content to `Indexer` as soon as MkDocs has converted its
Markdown (`on_page_content`), and it is appended, as one line, to a file of its part's
pages in a scratch folder (one file per process writing pages: the build and the children
converting pages beside it). Pagefind's service (`publisher.pagefind_service`) is then
given each part's pages, in the order of their addresses, through a pipe:
- in `publisher build`, once the build's own process has ended (`publisher.engine`): the
  build's memory and Pagefind's are never held at the same time;
- otherwise (`mkdocs build`, the preview), while MkDocs renders and writes the pages, on
  the machine's other core.
Its output moves into the site as `pagefind/`.

**Parts.** Pagefind holds every page's words until it has written the whole index, and
about four times as much while it builds it (measured with Pagefind 1.5.2: 181 MB once it
had read 9,644 of a national tracker's pages, 728 MB at its peak; 3.8 GB for the 45,000
pages of 10,000 recommendations, 1.6 times the rest of the build). So the index is made
in parts, one Pagefind run after another, each holding only its own pages:
- part 0: the pages carrying the explorer's filters (`data-pagefind-filter`, the
  recommendations), kept together so a filter search (`explorer.js`) is answered, and
  sorted, by one part;
- parts 1 to n: every other page, by a hash of its address, about `PAGES_PER_PART` to a
  part, and two parts at least from `SPLIT_FROM` pages (n is fixed from the number of
  pages before any is indexed).
The first part that has pages is at `pagefind/` with Pagefind's script; the others are at
`pagefind/parts/<n>/`, listed in `pagefind/parts.json`, and the search box merges them with
Pagefind's own `mergeIndex`. A preview indexes again only the parts an edit changed.

What is indexed: every page not marked `search: exclude` (so not redirects, past positions
or numbered list pages), under its page title, without the "Cite this page" block
or the headings' "¶" links. (`main.html` marks the same content with `data-pagefind-body`,
so running Pagefind on a built copy, such as a plain MkDocs build of
`publisher export-markdown`, gives the same pages in one index.)
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import shutil
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Iterator

from .pagefind_service import Service, ServiceError

#: The index's folder, from the site root (search.js loads `<root>pagefind/pagefind.js`).
FOLDER = "pagefind"
#: The list of the other parts, in FOLDER (search.js merges each).
PARTS_FILE = "parts.json"
#: About how many pages go to one part: Pagefind's peak for a part of this size is about
#: 700 MB, well under the build's own at that size of site.
PAGES_PER_PART = 10_000
#: From this many pages, the pages without filters are in two parts at least: Pagefind's
#: service reads one index's pages on one core, and `publisher build` makes two parts at
#: once (at 1,000 recommendations, 5,067 pages, on a quiet machine, the index took 4.2 to
#: 4.3 s in three parts against 5.7 to 5.8 s in two). A smaller site keeps one: each part is one more
#: download for a first search.
SPLIT_FROM = 2_000
#: The part holding the pages with filters (see "Parts" above).
FILTERED = 0
#: Parts of a page that are not its content: the "¶" heading links and "Cite this page".
_IGNORED = (".headerlink", "#cite-this-page", ".pub-cite")
#: How each part's index is made (Pagefind's options, as its service takes them).
_CONFIG = {"exclude_selectors": list(_IGNORED), "force_language": "en"}
#: The ending of a file of a part's pages (see `_append`).
_RECORDS = ".pages"
#: What a part other than the first needs: Pagefind's script and its WebAssembly come from
#: the first (a merged index loads neither).
_PART_FILES = ("pagefind-entry.json", "fragment", "index", "filter")


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


def other_parts(pages: int) -> int:
    """How many parts the pages without filters are divided into, for a site of `pages`:
    two at least from `SPLIT_FROM` pages, so `publisher build` indexes them on two cores.
    (It depends on the pages alone, never on the machine: the same site, the same index.)"""
    return max(2 if pages >= SPLIT_FROM else 1, -(-pages // PAGES_PER_PART))


def part_of(url: str, content_html: str, others: int) -> int:
    """The part a page is indexed in (see "Parts" above). The hash is CRC-32, not
    Python's `hash`, which changes from one run to the next."""
    if "data-pagefind-filter" in content_html:
        return FILTERED
    return _spread(url, others)


def _spread(url: str, others: int) -> int:
    return 1 + zlib.crc32(url.encode("utf-8")) % others


# A build run by `publisher build` indexes its pages after its process has ended: the
# engine names the folder the pages go to (`indexed_afterwards`), and the hooks' Indexer,
# in the build's process, only writes them there.
_afterwards: list[Path] = []


@contextlib.contextmanager
def indexed_afterwards(scratch: Path) -> Iterator["Afterwards"]:
    """For `publisher build`: the build run inside this block writes its pages for the
    index into `scratch` (a new folder on the site's disk) without indexing them;
    `index(site)` indexes them once the build has ended."""
    Path(scratch).mkdir(parents=True)
    later = Afterwards(Path(scratch))
    _afterwards.append(later.scratch)
    try:
        yield later
    finally:
        _afterwards.remove(later.scratch)
        shutil.rmtree(later.scratch, ignore_errors=True)


class Afterwards:
    def __init__(self, scratch: Path):
        self.scratch = scratch

    def index(self, site: Path) -> list[str]:
        """Index the pages the build wrote, into `<site>/pagefind/`; the files written,
        from the site root (for the manifest). Nothing if the build wrote no pages (the
        offline copy, which Material's search plugin indexes)."""
        if not (self.scratch / "pages").is_dir():
            return []
        made = Indexer(site, scratch=self.scratch).write(site)  # which closes it
        return sorted(path.relative_to(site).as_posix() for path in made.rglob("*") if path.is_file())


def _scratch_beside(site_dir: Path) -> Path:
    parent = Path(site_dir).resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    # Beside the site, so the finished index moves in with a rename.
    return Path(tempfile.mkdtemp(prefix=".publisher-search-", dir=parent))


class Indexer:
    """A search index for the site being built into `site_dir`: `expect` the number of
    pages, `add` each page, `start` once all are added, then `write` (or `close` to
    abandon it).

    A preview (`keep=True`) keeps the pages it was given: after an edit it is given the
    pages that changed (`add`, `remove`) and indexes the parts they are in again in the
    background (`update_in_background`), the site meanwhile searching the index it had.
    `scratch`: pages written earlier by a build (`Afterwards`)."""

    def __init__(self, site_dir: Path, *, keep: bool = False, scratch: Path | None = None):
        self.keep = keep
        self._executable = _executable()
        # In a build whose pages are indexed afterwards, the pages go to the folder named
        # for it, and nothing is indexed here.
        self.deferred = scratch is None and not keep and bool(_afterwards)
        self._owns_scratch = scratch is None and not self.deferred
        self._scratch = Path(scratch) if scratch is not None else _afterwards[-1] if self.deferred else _scratch_beside(site_dir)
        self._pages = self._scratch / "pages"
        self._output = self._scratch / "index"
        # Pages written earlier, by a build (`Afterwards`): which parts have pages is read
        # from the folder, not from `_parts`.
        self._from_scratch = scratch is not None
        self._others = 1
        #: Each page's part, by URL (a preview removes and moves pages' files).
        self._parts: dict[str, int] = {}
        #: Parts whose pages changed since they were last put in the site.
        self._dirty: set[int] = set()
        #: Which part is at `pagefind/` in the site (None: none yet).
        self._primary: int | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        #: The Pagefind services under way (two at once when indexing after a build).
        self._services: set[Service] = set()
        # After `publisher build` nothing else runs: the parts are made two at a time, on
        # both cores (each run uses one and a half at most, between its slower steps; its
        # memory, about 700 MB for a full part, is far below the build's that has ended).
        self._at_once = min(2, os.cpu_count() or 1) if scratch is not None else 1
        self._worker: threading.Thread | None = None
        self._pending: set[int] = set()
        self._made: tuple | None = None
        self._errors: list[BaseException] = []
        #: This process's open file of pages, by part (a forked child opens its own).
        self._streams: dict[int, int] = {}
        self._streams_pid = os.getpid()

    def expect(self, pages: int) -> None:
        """The number of pages the site has, before its pages are added: it sets the parts.
        In a preview, a count that changes the parts moves the pages already written to
        their new parts, as a clean build would place them."""
        others = other_parts(pages)
        if others == self._others:
            return
        self._others = others
        moving: dict[int, dict[str, int]] = {}
        for url, part in self._parts.items():
            new = part if part == FILTERED else _spread(url, others)
            if new != part:
                moving.setdefault(part, {})[url] = new
        for part, urls in moving.items():
            for url, (title, content_html) in _read(self._pages / str(part), urls):
                self._append(urls[url], url, (title, content_html))
                self._append(part, url, None)
                self._parts[url] = urls[url]
                self._dirty |= {part, urls[url]}

    def add(self, content_html: str, url: str, title: str, *, written: bool = False) -> None:
        """A page's content (its converted Markdown) at `url`, relative to the site root.
        `written`: by a process converting pages beside the build (`engine.Converter`),
        which wrote it into the same folder; it is only counted in here."""
        part = part_of(url, content_html, self._others)
        moved = self._parts.get(url)
        if moved is not None and moved != part:  # a recommendation's filters came or went
            self.remove(url)
        self._parts[url] = part
        self._dirty.add(part)
        if not written:
            self._append(part, url, (title, content_html))

    def remove(self, url: str) -> None:
        """A page no longer in the site (a preview's refresh)."""
        part = self._parts.pop(url, None)
        if part is not None:
            self._append(part, url, None)
            self._dirty.add(part)

    def _append(self, part: int, url: str, page: tuple[str, str] | None) -> None:
        """One line at the end of this process's file of the part's pages: the time, the
        address and the (title, content), or null for a page removed. In a preview a page
        is written again when it changes: the latest line for an address is the page
        (`time.monotonic_ns` is one clock for every process on the machine)."""
        if os.getpid() != self._streams_pid:  # a child converting pages: its own files
            self._streams, self._streams_pid = {}, os.getpid()
        stream = self._streams.get(part)
        try:
            if stream is None:
                folder = self._pages / str(part)
                folder.mkdir(parents=True, exist_ok=True)
                stream = os.open(folder / f"{os.getpid()}{_RECORDS}", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                self._streams[part] = stream
            line = f"{time.monotonic_ns()}\t{json.dumps(url)}\t{json.dumps(page)}\n".encode("utf-8")
            while line:  # one write in practice; a full disk may write part of it
                line = line[os.write(stream, line):]
        except OSError as error:
            raise SearchIndexError(f"could not write a page for the search index ({error.strerror}): {error.filename or self._pages}") from None

    def _close_streams(self) -> None:
        if os.getpid() == self._streams_pid:
            for stream in self._streams.values():
                os.close(stream)
        self._streams = {}

    # Indexing -------------------------------------------------------------------------

    def start(self, *, yielding: bool = False) -> None:
        """Index every page added so far, in the background (in a deferred build, only
        finish writing them). `yielding`: at a low priority, so the work the index waits on
        (the preview's next refresh) has the cores first."""
        if not self.deferred:
            self._launch(None, yielding=yielding)

    def _present(self) -> list[int]:
        """The parts that have pages (after a build, from its folder: an `Afterwards` has
        no `_parts`, and a build never removes a page)."""
        if not self._from_scratch:
            return sorted(set(self._parts.values()))
        if not self._pages.is_dir():
            return []
        return sorted(
            int(folder.name) for folder in self._pages.iterdir()
            if folder.name.isdigit() and any(f.stat().st_size for f in folder.glob(f"*{_RECORDS}"))
        )

    def _launch(self, site: Path | None, *, yielding: bool) -> None:
        parts = self._present()
        if not parts:
            raise SearchIndexError("there is no page to index")
        primary = parts[0]
        with self._lock:
            if primary != self._primary:  # everything moves: the first part's place changed
                todo = set(parts)
            else:
                todo = (self._dirty | self._pending) & set(parts)
            self._dirty.clear()
            self._pending = set(todo)
        self._stopping.clear()
        self._worker = threading.Thread(
            target=self._work, args=(sorted(todo), parts, primary, site, yielding), name="search-index", daemon=True
        )
        self._worker.start()

    def _work(self, todo: list[int], parts: list[int], primary: int, site: Path | None, yielding: bool) -> None:
        self._made = None
        try:
            # Two at once only on a site of three parts or more: Pagefind's peak grows with a
            # part's pages, and two parts of a site of two would pass the build's own peak
            # (at 1,000 recommendations in two parts, 406 MB against 380; in three, 340 MB).
            if self._at_once > 1 and len(todo) > 2:
                from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

                # The part with the filters last: it is the largest at 1,000 recommendations
                # (185 MB at Pagefind's peak, against 136 for each other part), so it is
                # never made beside two others' peaks.
                last = sorted(todo, key=lambda part: (part == FILTERED, part))
                with ThreadPoolExecutor(self._at_once, thread_name_prefix="search-part") as pool:
                    runs = {part: pool.submit(self._index, part, yielding=yielding) for part in last}
                    wait(runs.values(), return_when=FIRST_EXCEPTION)
                    failed = next((run.exception() for run in runs.values() if run.done() and run.exception()), None)
                    if failed is not None:  # the others are not waited for
                        pool.shutdown(wait=False, cancel_futures=True)
                        self._kill()
                        raise failed
                    made = {part: run.result() for part, run in runs.items()}
            else:
                made = {}
                for part in todo:
                    if self._stopping.is_set():
                        return
                    made[part] = self._index(part, yielding=yielding)
            self._made = (made, parts, primary)
            if site is not None:
                self._place(site)
        except BaseException as error:
            if self._stopping.is_set():  # stopped for a newer update
                return
            if site is not None:  # a preview's update: said at once
                self._warn(error)
            else:  # raised by `write`, or said by `finish_in_background`
                self._errors.append(error)

    def _index(self, part: int, *, yielding: bool) -> Path:
        """One part's index, made by a Pagefind service given the part's pages in the order
        of their addresses (so the same pages give the same index, whichever process wrote
        each and when)."""
        output = self._output / str(part)
        shutil.rmtree(output, ignore_errors=True)
        with self._lock:
            if self._stopping.is_set():
                raise SearchIndexError("stopped")
            try:
                service = Service(self._executable, _CONFIG, env=_pagefind_environment(), nice=10 if yielding else 0)
            except OSError as error:
                raise SearchIndexError(f"Pagefind could not be started: {error}") from None
            self._services.add(service)
        try:
            pages = ((f"/{url}", _document(title, content_html)) for url, (title, content_html) in _read(self._pages / str(part)))
            if not service.add(pages):
                raise SearchIndexError(f"part {part} of the search index has no page")
            service.write(output, leave_out=_unused)
        except (ServiceError, OSError, ValueError) as error:
            raise SearchIndexError(f"Pagefind could not index the site: {error}") from None
        finally:
            service.close()
            with self._lock:
                self._services.discard(service)
        if not self.keep:  # its pages are not needed again: removed while other parts are indexed
            shutil.rmtree(self._pages / str(part), ignore_errors=True)
        return output

    def _place(self, site: Path) -> None:
        """Move the parts just made into the site: the first at `pagefind/`, the others
        at `pagefind/parts/<n>/`. In a preview the site is being served: each folder stays
        until its new one is complete, then the two swap with renames."""
        made, parts, primary = self._made
        root = site / FOLDER
        for part, output in made.items():
            _tidy(output, first=part == primary)
        if primary in made:
            others = root / "parts"
            if others.is_dir() and primary == self._primary:
                others.rename(made[primary] / "parts")  # the parts not made again stay
            _swap_in(made[primary], root)
        for part, output in made.items():
            if part != primary:
                (root / "parts").mkdir(exist_ok=True)
                _swap_in(output, root / "parts" / str(part))
        for gone in (root / "parts").glob("*") if (root / "parts").is_dir() else ():
            if not gone.name.isdigit() or int(gone.name) not in parts or int(gone.name) == primary:
                shutil.rmtree(gone, ignore_errors=True)
        listed = [f"parts/{part}/" for part in parts if part != primary]
        (root / PARTS_FILE).write_text(json.dumps({"parts": listed}) + "\n", encoding="utf-8")
        with self._lock:
            self._pending -= set(made)
            self._primary = primary

    def write(self, site: Path) -> Path | None:
        """Wait for the index and move it into `<site>/pagefind/` (in a deferred build,
        finish writing the pages, and leave them for `Afterwards`)."""
        try:
            if self.deferred:  # the pages stay, in their files, for `Afterwards`
                self._close_streams()
                return None
            if self._worker is None:
                self.start()
            self._worker.join()
            if self._errors:
                raise self._errors[0] if isinstance(self._errors[0], SearchIndexError) else SearchIndexError(str(self._errors[0]))
            self._place(Path(site))
            return Path(site) / FOLDER
        finally:
            if not self.keep:
                self.close()

    # A preview's index ---------------------------------------------------------------

    def finish_in_background(self, site: Path) -> None:
        """Move the index into the site once Pagefind has made it, without waiting."""
        worker = self._worker

        def finish() -> None:
            if worker is not None:
                worker.join()
            if self._errors:
                self._warn(self._errors.pop())
                return
            if self._made is None or self._stopping.is_set():  # stopped for a newer update
                return
            try:
                self._place(Path(site))
            except OSError as error:
                self._warn(error)

        self._worker = threading.Thread(target=finish, name="search-index", daemon=True)
        self._worker.start()

    def update_in_background(self, site: Path) -> None:
        """Index the parts an edit changed (after `add` and `remove`), replacing them in the
        site when done; an update still running is stopped first (the newer pages are what
        count, and the parts it had not yet placed are made again)."""
        self._stop_process()
        # Pagefind uses both cores for seconds: at full priority it slowed the refresh after
        # the next save by a second at 1,000 recommendations.
        try:
            self._launch(Path(site), yielding=True)
        except SearchIndexError as error:
            self._warn(error)

    @staticmethod
    def _warn(error: BaseException) -> None:
        import logging

        logging.getLogger("publisher").warning("The preview's search index was not updated: %s", error)

    def wait(self) -> None:
        """Wait for the index being made in the background (tests, the benchmark)."""
        if self._worker is not None:
            self._worker.join()
        if self._errors:
            self._warn(self._errors.pop())

    def _stop_process(self) -> None:
        self._stopping.set()
        self._kill()
        if self._worker is not None:
            self._worker.join()
        self._errors.clear()
        self._stopping.clear()

    def _kill(self) -> None:
        with self._lock:
            for service in self._services:
                service.kill()

    def close(self) -> None:
        self._close_streams()
        self._stop_process()
        if self._owns_scratch:
            shutil.rmtree(self._scratch, ignore_errors=True)


def _unused(name: str) -> bool:
    """Pagefind's own search interfaces: the site has its own (search.js)."""
    return name.startswith("pagefind-") and ("ui." in name or name == "pagefind-highlight.js")


def _tidy(output: Path, *, first: bool) -> None:
    """Keep what the site loads of a part Pagefind made, in a stable form."""
    if not first:
        for path in output.iterdir():
            if path.name not in _PART_FILES and path.suffix != ".pf_meta":
                path.unlink()
    make_reproducible(output)


def _swap_in(made: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rename(old)
    made.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _pagefind_environment() -> dict[str, str]:
    """Pagefind's environment. Its allocator (jemalloc) keeps an arena per thread by
    default; one arena holds a sixth less at Pagefind's peak, for the same time (measured
    at 5,000 pages: 486 MB against 407 MB), and Pagefind's peak is the build's largest
    single share of memory (docs/performance.md)."""
    return {"_RJEM_MALLOC_CONF": "narenas:1", **os.environ}


def _read(folder: Path, only: dict | None = None) -> Iterator[tuple[str, tuple[str, str]]]:
    """A part's pages as (address, (title, content)), in the order of their addresses: for
    each address its latest line in the part's files (see `Indexer._append`), unless that
    removes it. `only`: just these addresses.

    The files are read twice, the addresses first, so a part of 10,000 pages is never held
    in memory whole. A last line without its end is being written (a preview's next edit,
    which indexes the part again) and is left for then."""
    latest: dict[str, tuple[int, int, int, int]] = {}
    files = sorted(folder.glob(f"*{_RECORDS}")) if folder.is_dir() else []
    for number, path in enumerate(files):
        with open(path, "rb") as stream:
            offset = 0
            for line in stream:
                if not line.endswith(b"\n"):
                    break
                stamp_end = line.index(b"\t")
                url_end = line.index(b"\t", stamp_end + 1)
                url = json.loads(line[stamp_end + 1 : url_end])
                stamp = int(line[:stamp_end])
                if (only is None or url in only) and (url not in latest or latest[url][0] < stamp):
                    latest[url] = (stamp, number, offset + url_end + 1, len(line) - url_end - 2)
                offset += len(line)
    descriptors = [os.open(path, os.O_RDONLY) for path in files]
    try:
        for url in sorted(latest):
            _, number, start, length = latest[url]
            page = json.loads(os.pread(descriptors[number], length, start))
            if page is not None:
                yield url, (page[0], page[1])
    finally:
        for descriptor in descriptors:
            os.close(descriptor)


def _document(title: str, content_html: str) -> str:
    """The page Pagefind is given: its content, under its title."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><div data-pagefind-body>'
        f'<span hidden data-pagefind-meta="title[data-title]" data-title="{html.escape(title)}"></span>'
        f"{content_html}</div></body></html>"
    )


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
