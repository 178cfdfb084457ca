"""Running MkDocs: the only module in the package that imports it.

`build` never leaves a half-written site: it builds into a staging folder beside the
target, checks every internal link and anchor in the rendered HTML and that nothing loads
from another host, writes the security headers, and only then swaps the new site in, in a
single atomic rename where the system allows it. A build that fails, or is killed, leaves
the previous site exactly as it was; what a killed build leaves beside it is cleared by
the next one. Two builds of the same folder never run at once (a lock file beside it).

MkDocs' build and the checks run in a forked process (`apart`); the search index is made
once that process has ended, so its memory and Pagefind's are never held at the same time
(`publisher.search_index`).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import json
import logging
import os
import re
import shutil
import signal
import sys
import threading
from functools import cache, partial
from html import unescape
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from . import THEME, headers, linkcheck, manifest, pagescan, privacy, search_index

log = logging.getLogger("publisher")


def _configure_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    for name in ("mkdocs", "publisher"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING if quiet else logging.INFO)
        logger.propagate = False


def _staging_for(target: Path) -> Path:
    return target.parent / f".{target.name}.building-{os.getpid()}"


def _clear_leftovers(target: Path) -> None:
    """Remove what builds killed part-way left beside the target.

    Only called while holding the build lock, so no other build is using them. If a build
    was killed between the two renames of the fallback swap (no site at `target`, the
    previous one set aside), the previous site is put back first.
    """
    previous = sorted(target.parent.glob(f".{target.name}.previous-*"))
    if previous and not target.exists():
        os.rename(previous[-1], target)
        log.warning("Restored the previous site at %s (a build was stopped while swapping it)", target)
        previous = previous[:-1]
    for leftover in [*target.parent.glob(f".{target.name}.building-*"), *previous]:
        shutil.rmtree(leftover, ignore_errors=True)


class BuildLocked(RuntimeError):
    pass


def _lock(target: Path):
    """Hold an exclusive lock on `.NAME.lock` beside the target for the whole build.

    The kernel releases it when the process ends, however it ends, so a killed build never
    leaves a stale lock. Returns the open lock file (keep it open to keep the lock).
    """
    handle = open(target.parent / f".{target.name}.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        handle.close()
        if error.errno in (errno.EAGAIN, errno.EACCES):
            raise BuildLocked(f"another build of {target} is running; wait for it to finish") from None
        raise
    return handle


_RENAME_EXCHANGE = 2


@cache
def _linux(name: str):
    """A function of Linux's C library; None on another system, or where it lacks it."""
    libc = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    return getattr(ctypes.CDLL(libc, use_errno=True), name, None) if libc else None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2). False where unsupported."""
    renameat2 = _linux("renameat2")
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(staging: Path, target: Path) -> None:
    """Make `staging` the site at `target`; the old site is removed afterwards."""
    if target.exists():
        if _exchange(staging, target):
            shutil.rmtree(staging)  # now holds the previous site
            return
        previous = target.parent / f".{target.name}.previous-{os.getpid()}"
        os.rename(target, previous)
        os.rename(staging, target)
        shutil.rmtree(previous, ignore_errors=True)
    else:
        os.rename(staging, target)


def load(config_file: Path, **overrides):
    from mkdocs.config import load_config

    return load_config(str(config_file), **overrides)


def build(config_file: Path, site_dir: Path | None = None, *, quiet: bool = False, offline: bool = False) -> int:
    """Build the public site strictly and atomically. Returns the process exit code.

    `offline` builds the copy for a folder or USB stick: file URLs (`page.html`, which a
    browser opens from disk, where `page/` would show a folder) and Material's offline
    plugin, which bundles the search index so search works without a web server.
    """
    from mkdocs.exceptions import Abort, ConfigurationError

    _configure_logging(quiet)
    os.environ.pop("PUBLISHER_PREVIEW", None)  # the public build never shows drafts
    if offline:
        os.environ["PUBLISHER_OFFLINE"] = "true"  # the hooks switch to file addresses (`page.html`)
    try:
        config = load(config_file, strict=True)
    except (ConfigurationError, Abort) as error:
        log.error("%s", error)
        return 1
    target = Path(site_dir or config.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        lock = _lock(target)
    except BuildLocked as error:
        log.error("%s", error)
        return 1
    try:
        _clear_leftovers(target)
        staging = _staging_for(target)
        config.site_dir = str(staging)
        try:
            # The search index is made once the build's process has ended, so MkDocs'
            # memory and Pagefind's are never held at once (publisher.search_index).
            with search_index.indexed_afterwards(staging.with_name(f"{staging.name}-search")) as later, manifest.written_afterwards():
                code = apart(partial(_build_and_check, config, staging))
                if code != 0:
                    return code
                made = _index_and_list(later, staging)
                if made is None:
                    return 1
            if made:
                manifest.add(staging, made)
            swap_in(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    finally:
        lock.close()
    log.info("Site written to %s", target)
    return 0


def _index_and_list(later, staging: Path) -> list[str] | None:
    """The search index made (its files, from the site root) and, at the same time, the
    manifest of the rest of the site written: Pagefind works on its own threads, and
    hashing a national site's 200,000 files took the build half a minute on its own. The
    index goes into `pagefind/` only when it is whole, and the manifest leaves that folder
    out (the caller adds the index's files to it). None if the index failed."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        listed = pool.submit(manifest.write, staging, search_index.FOLDER)
        try:
            made = later.index(staging)
        except search_index.SearchIndexError as error:
            log.error("%s", error)
            made = None
        listed.result()
    return made


def _build_and_check(config, staging: Path) -> int:
    """MkDocs' build into `staging`, then the checks that decide whether it is published."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort, PluginError

    try:
        mkdocs_build(config)
    except PluginError as error:
        log.error("%s", error)
        linkcheck.discard(staging)
        return 1
    except Abort as error:
        log.error("%s", error.message if hasattr(error, "message") else error)
        linkcheck.discard(staging)
        return 1
    return 0 if _checks_pass(staging, _theme_templates(config)) else 1


def apart(work: Callable[[], int]) -> int:
    """Run `work` in a forked process and return its exit code: all the memory it used is
    free again when this returns (Python keeps what it once held until its process ends).
    Where there is no fork, in this process."""
    if not hasattr(os, "fork"):
        return work()
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: its output goes where the parent's does
        code = 1
        try:
            _die_with(parent)
            code = work()
        except KeyboardInterrupt:
            code = 130
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    try:
        _, status = os.waitpid(pid, 0)
    except BaseException:  # stopped (Ctrl+C): the child is stopped too before anything is removed
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        raise
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 1


def _die_with(parent: int) -> None:
    """End this process if `parent` ends (Linux's PR_SET_PDEATHSIG): a build stopped with
    SIGKILL must not leave its child writing the staging folder and holding the lock."""
    prctl = _linux("prctl")
    if prctl is not None:
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended before that was set
        os._exit(1)


def _theme_templates(config) -> list[str]:
    """The text of every template of the theme, its overrides included (for the CSP)."""
    texts = []
    for folder in config.theme.dirs:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix in (".html", ".md") and path.is_file():
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def _checks_pass(staging: Path, templates: list[str]) -> bool:
    """Check the built site and add its headers file; False (with the reasons logged) if
    it must not be published."""
    # Made during the build by the hooks, if they could: the links, and each page's assets
    # and scripts (completed here from the disk, once, for the two checks below). The site's
    # pages are listed while the link-check process finishes its report.
    on_disk = pagescan.html_pages(staging)
    broken, seen = linkcheck.report_for(staging)
    seen = pagescan.page_findings(staging, seen, on_disk)
    for problem in broken:
        log.error("%s", problem)
    if broken:
        log.error("Aborted: %d broken internal link target(s); the previous site is unchanged.", len(broken))
        return False
    external = privacy.external_assets(staging, seen)
    for asset in external:
        log.error("%s (loads from another host)", asset)
    if external:
        log.error(
            "Aborted: %d asset(s) would load from another host and tell it who reads the site; "
            "serve them from the site itself. The previous site is unchanged.",
            len(external),
        )
        return False
    try:
        headers.write_netlify_file(staging, headers.theme_script_patterns(templates), seen)
    except headers.HeadersError as error:
        log.error("Aborted: %s. The previous site is unchanged.", error)
        return False
    return True


# --------------------------------------------------------------------------- memory


def release_source(page) -> None:
    """Let go of a generated page's text once MkDocs has read it into the page: otherwise
    every page's Markdown is held twice until the build ends."""
    if page.file.generated_by is not None:
        page.file.content_string = ""


def _front_matter_only(file) -> None:
    """Keep only a generated page's front matter, for a page converted by another process
    (`Converter`): MkDocs still reads the page here for its metadata, and would otherwise
    hold its Markdown until the page is written."""
    from mkdocs.utils.meta import YAML_RE

    if file.generated_by is not None and (found := YAML_RE.match(file.content_string)):
        file.content_string = file.content_string[: found.end()]


def release_page(page) -> None:
    """Let go of a written page's Markdown, HTML and table of contents. MkDocs keeps every
    page's until the build ends, but after its page is written only a page in the
    navigation is read again (its title, on every other page), and the anchor check needs
    only the anchors. A national tracker's 49,000 pages hold gigabytes this way."""
    if page.file.inclusion.is_in_nav():
        return
    page.markdown, page.content = "", None
    page.toc = []
    _Trim.after_page()


class _Trim:
    """Hand freed memory back to the system now and then while pages are written. Freed
    HTML goes back to the C allocator, which keeps it (the process's size does not shrink)
    unless asked to trim; given back, it makes room for the search index being built
    beside the pages."""

    EVERY = 1000
    _pages = 0

    @classmethod
    def after_page(cls) -> None:
        cls._pages += 1
        if cls._pages % cls.EVERY:
            return
        trim = _linux("malloc_trim")
        if trim is not None:
            trim(0)


# --------------------------------------------------------------------------- anchors


def scan_anchors_quickly() -> None:
    """Let MkDocs find the ids in a page's raw HTML with a regular expression instead of
    Python's HTML parser.

    MkDocs 1.6 parses every page's whole Markdown with `html.parser` only to collect the
    ids a link from another page may point at (`_RawHTMLPreprocessor`), and Python-Markdown
    then parses the same HTML again to convert it. The generated pages are mostly HTML: that
    first parse was 9 s of a 83 s build at 1,000 recommendations (5,067 pages); the scan
    below takes 0.75 s and finds exactly the same ids on those pages and on the bundled site's. Where
    they could differ (an id inside an HTML comment or a script) it finds more, never fewer,
    so MkDocs' anchor check can only be more lenient; the publisher's own link check
    (`publisher.linkcheck`) reads every anchor of the built pages after that."""
    from mkdocs.structure import pages

    preprocessor = getattr(pages, "_RawHTMLPreprocessor", None)
    if preprocessor is None or getattr(preprocessor.run, "quick", False):
        return  # another MkDocs, or done already

    def run(self, lines: list[str]) -> list[str]:
        self.present_anchor_ids = anchor_ids("\n".join(lines))
        return lines

    run.quick = True
    preprocessor.run = run


def read_front_matter_quickly() -> None:
    """Let MkDocs read a generated page's front matter as the JSON it is, not as YAML.

    The publisher writes each page's front matter as one line of JSON, which is also YAML
    (`site.render.front_matter`), and MkDocs reads it with a YAML parser: 3 s of a build at
    1,000 recommendations, for 5,000 lines. Where the JSON holds nothing YAML reads
    differently (a float written without a point, a character YAML refuses) it gives the
    same dictionary as YAML; anything else is read by MkDocs as before."""
    from mkdocs.utils import meta

    if getattr(meta.get_data, "quick", False):
        return
    slow = meta.get_data

    def get_data(doc: str):
        if doc.startswith("---\n{") and (found := meta.YAML_RE.match(doc)):
            text = found.group(1)
            if not _NOT_YAML.search(text):
                try:
                    data = json.loads(text)
                except ValueError:
                    data = None
                if isinstance(data, dict) and _plain(data):
                    return doc[found.end() :].lstrip("\n"), data
        return slow(doc)

    get_data.quick = True
    meta.get_data = get_data


#: Characters YAML refuses in a document (PyYAML's reader), or reads as a line break
#: (U+0085, U+2028, U+2029, which the publisher writes escaped), and JSON takes as they are.
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _plain(value) -> bool:
    """Only what JSON and YAML read alike: text, whole numbers, true, false, null, lists
    and mappings of them (JSON's 1e+20 is a string to YAML 1.1)."""
    if isinstance(value, dict):
        return all(_plain(item) for item in value.values())
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return not isinstance(value, float)


_TAG = re.compile(r"<([a-zA-Z][^\s/>]*)([^<>]*)>")
_ID_ATTRIBUTE = re.compile(r"""(?:^|\s)(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)


def anchor_ids(text: str) -> set[str]:
    """The ids of a page's HTML elements, and the names of its `<a name>` anchors."""
    found: set[str] = set()
    for tag, attributes in _TAG.findall(text):
        lowered = attributes.lower()
        if "id" not in lowered and "name" not in lowered:
            continue
        for key, double, single, bare in _ID_ATTRIBUTE.findall(attributes):
            if key.lower() == "id" or tag.lower() == "a":
                found.add(unescape(double or single or bare))
    return found


# --------------------------------------------------------------------------- converting on two cores


class Converter:
    """Converts part of a large site's Markdown pages to HTML in forked processes.

    MkDocs converts every page on one core, and on a national tracker that is half of the
    build. Just before MkDocs starts converting (the hooks' `on_nav`), the build forks: the
    child converts pages exactly as MkDocs would (`Page.render` with the same configuration
    and files), and sends each result back through a pipe as soon as it is made; the parent
    converts the others, and for the child's pages takes its results (`adopt`) instead of
    converting them. What the child's conversion logged (a link MkDocs warns about) is
    logged again in the parent, in the page's turn, so strict mode counts it. If a child
    fails, the parent converts the rest itself.

    A child converts `BATCH` pages and ends; the next batch goes to a new child, forked
    when the last has finished (`tick`, from the hooks, at the parent's next page). A
    forked child's memory grows with every page it converts, by more than the pages
    themselves: writing to objects it shares with the parent (reference counts) copies
    their memory, and its own allocations reuse the free space of the parent's memory,
    copying that too. One child for all the pages came to hold 40% of the build's memory
    (docs/performance.md); a relay of short-lived ones holds a batch's worth.

    **Who converts what.** The parent goes through the pages from the first; each batch is
    the last `BATCH` pages no one has yet taken, so the children work from the end towards
    the parent until the two meet. Each side does as much as its speed allows: the parent
    also runs the hooks on every page, takes the children's results in and hands each page
    to the search index, so with every other page each (as before), the children finished
    first and the parent converted alone for a fifth of the time, on a national tracker.
    """

    #: Below this many pages, forking costs more than it saves.
    FROM_PAGES = 2000
    #: Pages one child converts (a fork of a 2 GB process takes about 50 ms).
    BATCH = 200

    def __init__(self, config, files, pages: list, index: Callable[[object], bool] | None = None):
        """`pages`: the documentation files, in the order MkDocs converts them. `index`:
        called in a child with each page it converted, writes the page for the search index
        there, as the hooks would in the parent (True if it did): the parent took in the
        children's pages faster than its own thread could write them for the index."""
        import threading

        self.config, self.files, self.index = config, files, index
        self._indexed: set[str] = set()
        self._pages = list(pages)
        self._place = {file.src_uri: n for n, file in enumerate(self._pages)}
        #: The parent's place: it has reached the page at this index (`tick`).
        self._front = 0
        #: The pages from this index on are taken by children (launched, or converted).
        self._back = len(self._pages)
        #: How many batches have been given to children.
        self.launched = 0
        self._results: dict[str, tuple] = {}
        self._arrived = threading.Condition()
        self._pid = 0
        self._reader: threading.Thread | None = None
        self._between = True  # no child is converting
        self._status = 0  # how the last child ended
        self._stopped = False
        # The collector leaves the objects made before each fork alone until the last
        # child has ended (`_thaw`), not just for the fork: a full collection in the parent
        # writes to every object it tracks, so a child alive then and the parent each held
        # their own copy of most of the build's memory (at 1,000 recommendations one build
        # peaked at 423 MB, 1.54 times plain MkDocs').
        from .site.parallel import shared_with_a_fork

        self._shared = contextlib.ExitStack()
        self._shared.enter_context(shared_with_a_fork())
        self._launch()

    @classmethod
    def worthwhile(cls, pages: int) -> bool:
        from .site.parallel import two_cores

        return pages >= cls.FROM_PAGES and two_cores()

    def _launch(self) -> None:
        """Give the last pages no one has taken to a new child (only ever from MkDocs' own
        thread, between two pages: the child starts from a parent at rest). None once
        the parent is within a batch of them: it converts those itself."""
        import gc
        import threading

        if not self._reap() or self._stopped or self._back - self.BATCH <= self._front + self.BATCH:
            return
        self._back -= self.BATCH
        batch = self._pages[self._back : self._back + self.BATCH]
        self.launched += 1
        read_fd, write_fd = os.pipe()
        gc.freeze()  # what was made since the last fork too: the fork copies next to nothing
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                self._stopped = True  # the child's own `tick`s start no other
                os.close(read_fd)
                with os.fdopen(write_fd, "wb") as out:
                    self._convert(batch, out)
                status = 0
            finally:
                os._exit(status)  # never return into MkDocs in the child
        os.close(write_fd)
        self._pid = pid
        for file in batch:  # their Markdown is the child's now: the parent reads their front matter
            _front_matter_only(file)
        with self._arrived:
            self._between = False
        self._reader = threading.Thread(target=self._receive, args=(read_fd, pid), name="converted-pages", daemon=True)
        self._reader.start()

    def _reap(self) -> bool:
        """Wait for the last child; False if it failed (the parent converts the rest)."""
        if self._reader is not None:
            self._reader.join()
            self._reader = None
        self._pid = 0
        if self._status != 0:
            self._stopped = True
            return False
        return True

    # The child ---------------------------------------------------------------------------

    def _convert(self, pages: list, out) -> None:
        import pickle

        from mkdocs.structure.pages import Page

        records: list[logging.LogRecord] = []
        # What the conversion logs goes back to the parent, which logs it; not to the terminal.
        logging.getLogger("mkdocs").handlers[:] = [_Capture(records)]
        config, files = self.config, self.files
        for file in pages:
            page = file.page or Page(None, file, config)
            records.clear()
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            Page.render(page, config, files)
            links = {target.src_uri: anchors for target, anchors in (page.links_to_anchors or {}).items()}
            indexed = self.index is not None and self.index(page)
            result = (
                page.content, page.toc, page._title_from_render, page.present_anchor_ids, links,
                [(r.name, r.levelno, r.getMessage()) for r in records], indexed,
            )
            pickle.dump((page.file.src_uri, result), out, protocol=pickle.HIGHEST_PROTOCOL)
            page.markdown = page.content = None  # sent: the child keeps nothing
            page.toc = []

    # The parent --------------------------------------------------------------------------

    def _receive(self, read_fd: int, pid: int) -> None:
        """The child's results as they come, then its end. Waited for here, not in MkDocs'
        thread: a child of a process of gigabytes takes a while to end (its memory
        unmapped), and the parent waiting for each of 120 children was a fifth of its
        time, on a national tracker."""
        import pickle

        with os.fdopen(read_fd, "rb") as pipe:
            while True:
                try:
                    src, result = pickle.load(pipe)
                except EOFError:
                    break
                except Exception:  # a broken message: the parent converts what is missing
                    break
                with self._arrived:
                    self._results[src] = result
                    self._arrived.notify_all()
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 0
        with self._arrived:
            self._status = status
            self._between = True
            self._arrived.notify_all()

    def takes(self, page) -> bool:
        """Whether a child converts `page` (asked when the parent reaches it: no child takes
        a page the parent has reached)."""
        return self._place.get(page.file.src_uri, -1) >= self._back

    def indexed(self, page) -> bool:
        """Whether the child that converted `page` also wrote it for the search index."""
        return page.file.src_uri in self._indexed

    def tick(self, page=None) -> None:
        """Between two pages (the hooks' `on_page_markdown`, `page` the parent's next): the
        next batch to a new child if the last one has finished."""
        if page is not None:
            self._front = max(self._front, self._place.get(page.file.src_uri, self._front))
        if self._between and not self._stopped:
            self._launch()

    def adopt(self, page, config, files) -> None:
        """What `Page.render` would have done to `page`, from a child's result (or, if no
        child could give one, by converting it here)."""
        from mkdocs.structure.pages import Page

        vars(page).pop("render", None)  # set by the hooks for this one conversion
        src = page.file.src_uri
        with self._arrived:
            # Its child is at work on it, or it has ended (without it, if it failed).
            self._arrived.wait_for(lambda: src in self._results or self._between)
            result = self._results.pop(src, None)
        release_source(page)  # the parent has read it for its front matter
        if result is None:
            Page.render(page, config, files)
            return
        content, toc, title, anchors, links, logged, indexed = result
        if indexed:
            self._indexed.add(src)
        page.content, page.toc, page._title_from_render, page.present_anchor_ids = content, toc, title, anchors
        page.links_to_anchors = {files.get_file_from_path(target): found for target, found in links.items()}
        for name, level, message in logged:
            logging.getLogger(name).log(level, "%s", message)

    def finish(self) -> None:
        """Wait for the last child (every page has been converted by now)."""
        self._reap()
        self._thaw()

    def _thaw(self) -> None:
        self._shared.close()  # as before the first fork (a preview's freeze stays)

    def stop(self) -> None:
        """The build failed: stop the child at once, and start no other."""
        self._stopped = True
        if self._pid:
            import signal

            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._reap()
        self._thaw()


class FilesApart:
    """Writes the generated files that are not pages (citation files, feeds, open data) in
    a second process while MkDocs writes the pages.

    MkDocs writes its static files on one core before the first page (`copy_static_files`):
    on a national tracker 150,000 small files, half a minute while the other core sat idle
    (creating a file is the kernel's work: on a slow disk a millisecond each, 13 to 17 s of
    the build at 1,000 recommendations). Here MkDocs' own copying of each is made to do
    nothing; a thread hands their places and bytes, `BATCH` files at a time, through a pipe
    to `python -m publisher.filewriter`, which writes them as MkDocs would
    (`File.copy_file`); the hooks wait for it before the checks that read the site
    (`on_post_build`). A file it could not write is named, and the build fails.

    A new process, not a fork of the build: a forked child shares the build's memory only
    until one of the two writes to it, and the build, writing pages, wrote to so much of it
    that each short-lived child cost 60 to 130 MB at 1,000 recommendations, where plain
    MkDocs' whole build holds 275 MB (docs/performance.md). The thread holds Python's lock
    only to gather and pickle a batch: the pipe's write, where it waits, lets go of it.
    """

    #: Below this many files, a second process costs more than it saves.
    FROM_FILES = 2000
    #: Files handed over at once (about half a megabyte).
    BATCH = 500

    def __init__(self, files: list):
        import subprocess

        for file in files:
            file.copy_file = _written_apart  # MkDocs' `copy_static_files` leaves them to the writer
        self._writer = subprocess.Popen(
            [sys.executable, "-m", "publisher.filewriter"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._sender = threading.Thread(target=self._send, args=(files,), name="files-apart", daemon=True)
        self._sender.start()

    @classmethod
    def worthwhile(cls, files: int) -> bool:
        from .site.parallel import two_cores

        return files >= cls.FROM_FILES and two_cores()

    @classmethod
    def batches(cls, files: list) -> Iterable[list[tuple[str, str, bytes]]]:
        """Each file as (its address in the site, its place on disk, its bytes)."""
        for n in range(0, len(files), cls.BATCH):
            yield [(file.dest_uri, file.abs_dest_path, file.content_bytes) for file in files[n : n + cls.BATCH]]

    def _send(self, files: list) -> None:
        import pickle

        try:
            with self._writer.stdin as pipe:
                for batch in self.batches(files):
                    pipe.write(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # the writer has failed or been stopped: `wait` reports which
            pass

    def wait(self) -> bool:
        """Wait for every file to be written; False, each failure logged, if one was not."""
        self._sender.join()
        said = self._writer.stdout.read().decode("utf-8", "replace")
        self._writer.stdout.close()
        if self._writer.wait() == 0:
            return True
        for line in said.splitlines() or ["the process writing them ended unexpectedly"]:
            log.error("%s", line)
        return False

    def stop(self) -> None:
        """The build failed: stop the writer at once."""
        self._writer.kill()
        self._sender.join()
        self._writer.stdout.close()
        self._writer.wait()


def _written_apart(dirty: bool = False) -> None:
    """A file's copying in MkDocs' process: `FilesApart`'s writer writes it."""


class _Capture(logging.Handler):
    def __init__(self, records: list):
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def serve(config_file: Path, dev_addr: str, *, preview: bool = True, routes: Iterable[Route] = ()) -> int:
    """`publisher serve`: build the site once, serve it with live reload, and after each
    edit rebuild only the pages it changed (`Preview`); drafts and embargoed updates are
    shown unless `preview` is False. `routes` are served beside the site (`Route`)."""
    from mkdocs.exceptions import Abort, ConfigurationError

    from . import settings, tracker

    _configure_logging(False)
    if preview:
        os.environ["PUBLISHER_PREVIEW"] = "1"
    else:
        os.environ.pop("PUBLISHER_PREVIEW", None)
    try:
        host, port = _address(dev_addr)
        options = settings.from_environment(time_zone=tracker.zone_of(config_file))
    except (ValueError, settings.SettingsError) as error:
        log.error("%s", error)
        return 2
    import tempfile

    site_dir = Path(tempfile.mkdtemp(prefix="publisher-preview-"))
    try:
        site = Preview(Path(config_file), site_dir, options, serve_url=f"http://{host}:{port}/")
        site.routes.extend(routes)
        try:
            site.build()
        except (ConfigurationError, Abort) as error:
            log.error("%s", error)
            return 1
        except _Stopped as stopped:  # content problems: keep watching, build once they are fixed
            site.problems = str(stopped)
            log.error("%s", stopped)
        server = _preview_server(site, host, port)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
            site.close()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0


def _address(dev_addr: str) -> tuple[str, int]:
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"--dev-addr must be HOST:PORT, for example 127.0.0.1:8000 (not {dev_addr!r})")
    return host, int(port)


class _Stopped(Exception):
    """A build or refresh stopped by the content (the message says what to fix)."""


class Route(NamedTuple):
    """An extra route of the preview server (`Preview.routes`): the requests for `prefix`
    (for example "/admin/" or "/api/v1"), or any path under it, are answered by `app`, a
    WSGI application (`app(environ, start_response) -> iterable of bytes`). The app may
    return None, without calling start_response, to answer 404 with the preview's error
    page. It is called on the server's
    request thread, not waiting for a refresh in progress (the built site's pages do)."""

    prefix: str
    app: Callable[[dict, Callable], Iterable[bytes] | None]

    def matches(self, path: str) -> bool:
        prefix = self.prefix.rstrip("/")
        return path == prefix or path.startswith(prefix + "/")


class _Heap:
    """Keeps the preview's long-lived objects (MkDocs' pages, the content, the last
    derivation: millions of them on a national tracker) out of the garbage collector's way.

    A refresh makes enough new objects that Python's collector traverses the whole heap.
    After each build and refresh, what is left is frozen (`gc.freeze`), so a collection
    traverses only what was made since: 0.3 to 0.6 s less per refresh at 1,000
    recommendations (each settling takes 0.02 s). A
    frozen object that later becomes garbage in a cycle is not collected until the next
    full collection, every `FULL_EVERY` refreshes."""

    FULL_EVERY = 20

    def __init__(self) -> None:
        self._settled = 0

    @contextlib.contextmanager
    def paused(self):
        """No automatic collection while a refresh works: on a national tracker it makes a
        million objects, and the collector ran a dozen full collections of them in each
        (about 4 of a refresh's 10 to 14 seconds at 10,000 recommendations). Its garbage
        is collected once, by `settle`, when it ends; a refresh that fails leaves it to
        the collector, running again."""
        import gc

        running = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if running:
                gc.enable()

    def settle(self) -> None:
        import gc

        self._settled += 1
        if self._settled % self.FULL_EVERY == 0:
            gc.unfreeze()
        gc.collect()
        gc.freeze()


class Preview:
    """The preview site in `site_dir`: built once in full like `mkdocs build` (the same steps,
    keeping MkDocs' files, navigation and theme), then `refresh`ed page by page.

    A refresh asks the preview session (`publisher.preview.Session`) which generated pages
    changed, converts and writes only those, and deletes pages that are gone; a hand-written
    page that changed is converted again too. The numbered pages of long lists that changed
    are converted after the refresh returns, and in a refresh that keeps the item pages
    rendered then too (`wait` waits for them; `on_later` is told when they are in). A
    change to mkdocs.yml, the hooks or the theme, or a page added to the hand-written
    ones, builds everything again.

    Other parts of the preview (an editor, an API) add their own addresses to `routes`
    (`Route`: a path prefix and a WSGI app); the server asks them before the built site.
    """

    def __init__(self, config_file: Path, site_dir: Path, options, *, serve_url: str):
        self.config_file, self.site_dir, self.options, self.serve_url = config_file, site_dir, options, serve_url
        self.project = config_file.resolve().parent
        self.session = None
        self.config = self.files = self.nav = self.env = None
        self._snapshot: dict[str, tuple[int, int]] = {}
        self._theme: Path | None = None  # the theme's overrides (site_overrides/)
        #: What stopped the last build or refresh (shown on every page until it is fixed).
        self.problems: str | None = None
        #: Extra routes of the preview server (`Route`), asked in order before the live
        #: reload and the built site: a request whose path is a route's prefix, or under
        #: it, goes to that route's WSGI application and nowhere else.
        self.routes: list[Route] = []
        self._heap = _Heap()
        #: Converting the numbered pages of long lists after a refresh has returned
        #: (`_later`); the next refresh or build waits for it. `on_later` is called when
        #: they are written (the server reloads the browsers again).
        self._later: threading.Thread | None = None
        self.on_later: Callable[[], None] | None = None
        self._stale = False  # the numbered pages failed: the next refresh builds everything
        self._later_pages = 0

    # What to watch -------------------------------------------------------------------

    def watched(self) -> list[Path]:
        """The content, mkdocs.yml, the hooks, the site's theme overrides and the package's
        theme (edited in place when the package is installed from its repository)."""
        paths = [self.project / "content", self.config_file.resolve(), self.project / "hooks", THEME]
        if self._theme is not None:
            paths.append(self._theme)
        return [p for p in paths if p.exists()]

    def _scan(self) -> dict[str, tuple[int, int]]:
        """Every watched file's modification time and size."""
        found: dict[str, tuple[int, int]] = {}
        for root in self.watched():
            if root.is_file():
                stat = root.stat()
                found[str(root)] = (stat.st_mtime_ns, stat.st_size)
                continue
            for folder, dirs, names in os.walk(root):
                # Hidden folders (an editor's) and Python's caches (of the hooks) are not sources.
                dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
                for name in names:
                    path = os.path.join(folder, name)
                    try:
                        stat = os.stat(path)
                    except OSError:  # gone between listing and looking
                        continue
                    found[path] = (stat.st_mtime_ns, stat.st_size)
        return found

    # The full build ----------------------------------------------------------------------

    def build(self) -> None:
        """Build everything, as `mkdocs build` does, keeping what the refreshes need."""
        from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
        from mkdocs.exceptions import Abort, PluginError
        from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page
        from mkdocs.utils import CountHandler, clean_directory

        from . import preview

        self.wait()
        self.close()
        self.config = None  # until this build succeeds
        self._stale = False
        self.session = preview.start(self.options)
        config = load(self.config_file, site_dir=str(self.site_dir))
        config.site_url = self.serve_url
        self._theme = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        self._snapshot = self._scan()  # what this build is made from
        inclusion = InclusionLevel.is_in_serve
        counter = CountHandler()
        counter.setLevel(logging.WARNING)
        if config.strict:
            logging.getLogger("mkdocs").addHandler(counter)
        try:
            config.plugins.on_startup(command="serve", dirty=False)
            try:
                config = config.plugins.on_config(config)
            except PluginError as error:  # the content has problems (the hooks say which)
                raise _Stopped(str(error)) from None
            config.plugins.on_pre_build(config=config)
            clean_directory(config.site_dir)
            files = get_files(config)
            env = config.theme.get_env()
            files.add_files_from_theme(env, config)
            files = config.plugins.on_files(files, config=config)
            set_exclusions(files, config)
            nav = get_navigation(files, config)
            nav = config.plugins.on_nav(nav, config=config, files=files)
            for file in files.documentation_pages(inclusion=inclusion):
                if file.page is None and file.inclusion.is_not_in_nav():
                    Page(None, file, config)
                _populate_page(file.page, config, files)
            env = config.plugins.on_env(env, config=config, files=files)
            files.copy_static_files(inclusion=inclusion)
            for template in config.theme.static_templates:
                _build_theme_template(template, env, files, config, nav)
            doc_files = files.documentation_pages(inclusion=inclusion)
            for file in doc_files:
                _build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
            for file in doc_files:
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
            config.plugins.on_post_build(config=config)
            if counts := counter.get_counts():
                raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} in strict mode!")
        except BaseException as error:
            config.plugins.on_build_error(error=error)
            raise
        finally:
            logging.getLogger("mkdocs").removeHandler(counter)
        self.config, self.files, self.nav, self.env = config, files, nav, env
        self._heap.settle()
        log.info("Preview built: %d pages", len(doc_files))

    # Refreshing -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Bring the preview up to date with what changed since the last build or refresh."""
        import time

        from . import generate, preview

        self.wait()  # the last refresh's numbered pages first: they share MkDocs' files
        started = time.perf_counter()
        now = self._scan()
        changed = {path for path in now.keys() | self._snapshot.keys() if now.get(path) != self._snapshot.get(path)}
        if not changed:
            return
        pages_dir = Path(self.config.docs_dir) if self.config is not None else None
        content_dir = self.project / "content"
        hand_written = {p for p in changed if pages_dir is not None and Path(p).is_relative_to(pages_dir)}
        elsewhere = {p for p in changed - hand_written if not Path(p).is_relative_to(content_dir)}
        added_or_removed = {p for p in hand_written if (p in now) != (p in self._snapshot)}
        if self.config is None or elsewhere or added_or_removed or self._stale:
            log.info("Rebuilding everything (%s changed)", _shown(elsewhere or added_or_removed or changed, self.project))
            self.build()
            return
        with self._heap.paused():
            try:
                outcome = self.session.refresh()
            except generate.Refused as refused:
                # The snapshot stays as it was: the next save tries everything since again.
                raise _Stopped(refused.report("the preview shows the last version that built.")) from None
            self._snapshot = now
            preview.activate(self.session)  # the hooks give converted pages to its search index
            written = self._apply(outcome, sorted(hand_written))
        if written is None:  # a navigation title changed: every page shows it
            log.info("Rebuilding everything (a page in the navigation was renamed)")
            self.build()
            return
        self._heap.settle()
        log.info(
            "Refreshed %d page(s) in %.1f s (%d rendered from their templates, %d item pages kept unread; %s changed)%s",
            written, time.perf_counter() - started, outcome.rendered, outcome.kept, _shown(changed, self.project),
            f"; {self._later_pages} numbered list page(s) follow" if self._later is not None else "",
        )

    def _apply(self, outcome, hand_written: list[str]) -> int | None:
        """Convert and write the pages a refresh changed; the number written, or None if the
        navigation changed (the caller builds everything)."""
        from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
        from mkdocs.structure.files import File, Files, InclusionLevel
        from mkdocs.structure.pages import Page

        config, files, nav, env = self.config, self.files, self.nav, self.env
        inclusion = InclusionLevel.is_in_serve
        pages: list = []
        others: list = []
        added = False
        new: set[int] = set()  # the files this refresh adds
        for generated in outcome.written:
            file = files.get_file_from_path(generated.src_uri)
            if file is None:
                if generated.in_nav:
                    return None
                level = InclusionLevel.NOT_IN_NAV
                file = File.generated(config, generated.src_uri, content=generated.content, inclusion=level)
                files.append(file)
                new.add(id(file))
                added = True
            elif file.is_documentation_page():
                file.content_string = generated.content
            else:
                file.content_bytes = generated.content if isinstance(generated.content, bytes) else generated.content.encode("utf-8")
            (pages if file.is_documentation_page() else others).append(file)
        for path in hand_written:
            file = files.get_file_from_path(Path(path).relative_to(config.docs_dir).as_posix())
            if file is not None:
                (pages if file.is_documentation_page() else others).append(file)
        for src in outcome.removed:
            file = files.get_file_from_path(src)
            if file is None:
                continue
            files.remove(file)
            _remove_output(Path(file.abs_dest_path), Path(config.site_dir))
            if self.session.search is not None and file.page is not None:
                self.session.search.remove(file.page.url)
        if added or outcome.removed:
            # The order a full build would have: the hand-written and theme files, then the
            # generated ones in the order they are made (the sitemap lists them so).
            order = {src: n for n, src in enumerate(outcome.order)}
            own = [f for f in files if f.generated_by is None]
            made = sorted((f for f in files if f.generated_by is not None), key=lambda f: order.get(f.src_uri, len(order)))
            self.files = files = Files(own + made)
        if self.session.search is not None:  # as the hooks' on_nav does in a build
            self.session.search.expect(len(files.documentation_pages()))
        # The numbered pages of long lists (`updates/page-7/`) come last, after the refresh
        # has returned: an update added moves every entry of the updates list along one, so
        # on a national tracker it changes 600 of them, twenty seconds of converting, while
        # the page the author saved, the first page of each list and the rest are shown at
        # once. Never in the navigation, and left out of search, so nothing waits for them.
        from .site.urls import is_paged

        now, later = [], []
        for file in pages:
            (later if is_paged(file.src_uri) and id(file) not in new else now).append(file)
        titles = {id(f): f.page.title for f in now if f.page is not None and f.inclusion.is_in_nav()}
        for file in now:
            if file.page is None:
                Page(None, file, config)
            _populate_page(file.page, config, files)
            if id(file) in titles and file.page.title != titles[id(file)]:
                return None
        doc_files = files.documentation_pages(inclusion=inclusion)

        def convert(batch: list, populate: bool = False) -> None:
            for file in batch:
                if populate:
                    _populate_page(file.page, config, files)
                _build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
            for file in batch:
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)

        convert(now)
        for file in others:
            file.copy_file()
        if added or outcome.removed:
            _build_theme_template("sitemap.xml", env, files, config, nav)
        if self.session.search is not None:
            self.session.search.update_in_background(Path(config.site_dir))
        if later or outcome.later:
            self._later_pages = len(later) + len(outcome.later)
            self._later = threading.Thread(target=self._convert_later, args=(convert, files, later, outcome.later), name="numbered pages", daemon=True)
            self._later.start()
        return len(pages) + len(others)

    def _convert_later(self, convert: Callable[..., None], files, pages: list, deferred: list) -> None:
        """Convert the numbered list pages a refresh changed, after rendering those it
        left to render (`preview.Refresh.later`: the session says which of them changed)."""
        import time

        from . import generate

        started = time.perf_counter()
        try:
            for generated in self.session.finish(deferred):
                file = files.get_file_from_path(generated.src_uri)
                file.content_string = generated.content
                pages.append(file)
            convert(pages, populate=True)
        except generate.Refused as refused:
            self.problems = refused.report("the numbered list pages show the last version that built; the next save builds everything.")
            log.error("%s", self.problems)
            self._stale = True
            return
        except Exception:
            log.exception("Converting the numbered list pages failed: the next save builds everything")
            self._stale = True
            return
        log.info("Refreshed the %d numbered list page(s) in %.1f s, after the rest", len(pages), time.perf_counter() - started)
        if self.on_later is not None:
            self.on_later()

    def wait(self) -> None:
        """Wait until the last refresh is written whole: its numbered list pages too."""
        if self._later is not None:
            self._later.join()
            self._later = None

    def close(self) -> None:
        """Stop what the last build left running (the search index's background work)."""
        if self.session is not None and self.session.search is not None:
            self.session.search.close()


def _shown(paths, project: Path) -> str:
    names = sorted(os.path.relpath(p, project) for p in paths)
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _remove_output(path: Path, site: Path) -> None:
    """Delete a page's output and the folders it leaves empty."""
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != site and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _preview_server_class():
    from mkdocs.livereload import LiveReloadServer

    class PreviewServer(LiveReloadServer):
        """MkDocs' live-reload server, refreshing the preview page by page (`Preview.refresh`).

        It watches with the system's file notifications where it can (MkDocs' default polls
        every file twice a second: a core's worth of work on a national tracker's 35,000
        files). While the content has a problem, every page says so at its top, so an author
        sees it in the browser, not only in the terminal."""

        def __init__(self, site: Preview, host: str, port: int):
            super().__init__(builder=self._refresh, host=host, port=port, root=str(site.site_dir))
            self.site = site
            try:
                from watchdog.observers import Observer

                self.observer = Observer()
            except ImportError:  # pragma: no cover - watchdog comes with MkDocs
                pass
            self.error_handler = self._error_page
            site.on_later = self._reload_browsers
            for path in site.watched():
                self.watch(str(path))

        def _reload_browsers(self) -> None:
            """The numbered list pages a refresh wrote after the rest are in: browsers reload
            again, as after a refresh; not while another refresh is under way (its end
            reloads them, and until then requests wait for it)."""
            from mkdocs.livereload import _timestamp

            with self._rebuild_cond, self._epoch_cond:
                if self._visible_epoch == self._wanted_epoch and not self._want_rebuild:
                    self._visible_epoch = self._wanted_epoch = _timestamp()
                    self._epoch_cond.notify_all()

        def _serve_request(self, environ, start_response):
            # The routes added to the preview (`Preview.routes`) come first; then MkDocs'
            # own: the live reload's polling, then the built site's files.
            path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
            for route in self.site.routes:
                if route.matches(path):
                    return route.app(environ, start_response)
            return super()._serve_request(environ, start_response)

        def _refresh(self) -> None:
            try:
                self.site.refresh()
                self.site.problems = None
            except _Stopped as stopped:
                self.site.problems = str(stopped)
                log.error("%s", stopped)

        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            content = super()._inject_js_into_html(content, epoch)
            if self.site.problems:
                start = content.find(b">", content.find(b"<body")) + 1
                content = content[:start] + _problems_banner(self.site.problems) + content[start:]
            return content

        def _error_page(self, code: int) -> bytes | None:
            if self.site.problems:  # nothing built yet: the problems, until they are fixed
                return b'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>Preview</title>' + _problems_banner(self.site.problems)
            page = self.site.site_dir / f"{code}.html"
            return page.read_bytes() if code in (404, 500) and page.is_file() else None

    return PreviewServer


def _problems_banner(problems: str) -> bytes:
    from html import escape

    return (
        '<div role="alert" style="margin:0;padding:1em;background:#fff3cd;color:#000;border-bottom:3px solid #b00;'
        'font:15px/1.4 system-ui,sans-serif;white-space:pre-wrap">'
        f"<strong>Not refreshed.</strong> {escape(problems)}</div>"
    ).encode("utf-8")


def _preview_server(site: Preview, host: str, port: int):
    """The server for `site` (its class is made when first needed: it imports MkDocs)."""
    return _preview_server_class()(site, host, port)


class _Block(str):
    """Text written to YAML as a literal block (the export's `not_in_nav` patterns)."""


def export_markdown(config_file: Path, target: Path, *, quiet: bool = False) -> int:
    """Write the public site as plain Markdown, with an `mkdocs.yml` that builds it with
    plain MkDocs and no hooks: the content made portable to another engine, and the
    baseline the scale benchmark compares `publisher build` with.

    The pages are exactly what a build would hand MkDocs (the hooks run as in a build), so
    `mkdocs build` on the export renders the same HTML; only the publisher's own steps
    (link check, manifest, search index) are left to the reader."""
    import yaml
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError
    from mkdocs.structure.files import get_files
    from mkdocs.utils.yaml import yaml_load

    _configure_logging(quiet)
    os.environ.pop("PUBLISHER_PREVIEW", None)  # like the public build: no drafts
    try:
        config = load(config_file, strict=True)
        config = config.plugins.on_config(config)
        files = config.plugins.on_files(get_files(config), config=config)
    except (ConfigurationError, Abort, PluginError) as error:
        log.error("%s", error)
        return 1
    target = Path(target).resolve()
    if target.exists() and not (target / "mkdocs.yml").is_file() and any(target.iterdir()):
        log.error("%s is not empty and holds no exported site; choose an empty or new folder", target)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(target)
    staging = _staging_for(target)
    try:
        docs = staging / "docs"
        generated_folders: set[str] = set()
        for file in files:
            out = docs / file.src_uri
            out.parent.mkdir(parents=True, exist_ok=True)
            if file.generated_by is not None:
                out.write_bytes(file.content_bytes)
                if file.is_documentation_page() and file.inclusion.is_not_in_nav():
                    folder = file.src_uri.split("/", 1)[0] if "/" in file.src_uri else None
                    generated_folders.add(f"/{folder}/**" if folder else f"/{file.src_uri}")
            else:
                shutil.copy2(file.abs_src_path, out)
        # The package's theme, then the site's own overrides over it, as the build layers them.
        for theme in [THEME] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else []):
            shutil.copytree(theme, staging / "overrides", ignore=shutil.ignore_patterns("generated"), dirs_exist_ok=True)
        with open(config_file, encoding="utf-8") as stream:
            settings = yaml_load(stream)  # !ENV values resolved, as in the build
        for key in ("hooks", "watch"):
            settings.pop(key, None)
        settings.update(docs_dir="docs", site_dir="site", site_url=config.site_url or "")
        settings["theme"]["custom_dir"] = "overrides"
        own = [line.strip() for line in (settings.get("not_in_nav") or "").splitlines() if line.strip()]
        settings["not_in_nav"] = _Block("\n".join(own + sorted(generated_folders)) + "\n")
        header = (
            "# Exported by `publisher export-markdown`: the generated site as plain Markdown.\n"
            "# Build it with plain MkDocs and Material (no hooks): `mkdocs build`.\n"
        )
        dumper = type("Dumper", (yaml.SafeDumper,), {})
        dumper.add_representer(_Block, lambda d, text: d.represent_scalar("tag:yaml.org,2002:str", text, style="|"))
        (staging / "mkdocs.yml").write_text(
            header + yaml.dump(settings, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
        )
        swap_in(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    log.info("Exported %d files to %s", len(files), target)
    return 0
