"""Scale benchmark: `publisher build` against plain MkDocs on the same pages.

    python benchmarks/build_scale.py --recommendations 10000

In one run, on synthetic content (benchmarks/synthetic.py, about three updates per
recommendation): times `publisher check`; builds (a) the site with `publisher build`;
exports it with `publisher export-markdown` and builds (b) the export with plain
`mkdocs build` (same theme and settings, no hooks); measures the pages; then runs
`publisher serve` and times the preview's refresh after saving an update. It prints a
table, and last a line
`ratio=<a/b> mem_ratio=<a/b> preview_s=<s> pages=<n> largest_page_kb=<k> search_kb=<s>`.

- ratio: wall time of (a) over (b). (a) includes everything the publisher adds: loading
  and checking the content, deriving, rendering the pages' Markdown, the link check, the
  search index and the manifest. (b) is MkDocs rendering the same Markdown.
- peak memory: the most memory (a)'s processes held at once: the build, its forked
  renderer and converter, its link-check process and Pagefind (sampled, summed), or the
  largest single process as wait4 reports it, whichever is larger; likewise for (b).
  mem_ratio is (a) over (b); the table says what each process held at (a)'s peak.
- preview_s: with `publisher serve` running on the same content, the longest of three
  saves (a recent published update retitled, a new draft update, that draft's text
  edited), each from the file's write to the moment the server returns the page showing
  it. The server holds requests while it refreshes, so that is when a browser would show it.
  The numbered pages of long lists come after (`engine.Preview`): the table gives the time
  until they are written too, and each save waits for them before the next.
  The table also gives the CPU time the server spent on each save: on a machine other
  work keeps busy, the wall time says more about the machine than the preview.
- load: every timed step's table line gives the mean 1-minute load average while it ran;
  a figure measured at a load above the number of cores is the machine's, not the build's.
- search_kb: what a visitor's browser downloads for a first search (the search script and
  every Pagefind file it fetches for the query and the first page of results), measured in
  Chromium; without Chromium, estimated from the files it would fetch.

Figures, never pass/fail: the targets are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402

TODAY = "2026-11-25"
QUERY = "workforce"


@dataclass
class Ran:
    """One command's run."""

    seconds: float  # wall time
    #: The peak resident memory of its process tree, in bytes: the largest single process
    #: (wait4) or the sampled sum, whichever is larger.
    peak: int
    #: What each process held at the sampled peak (name -> bytes).
    held: dict[str, int]
    #: The system's load while it ran (the mean of the 1-minute load average): on a shared
    #: machine a wall time means little without it.
    load: float


def run(command: list[str], cwd: Path) -> Ran:
    """Run a command and measure it (`Ran`). Exits if it fails."""
    import tempfile

    env = {**os.environ, "PUBLISHER_TODAY": TODAY, "SOURCE_DATE_EPOCH": "1795564800", "PUBLISHER_ALLOW_EXAMPLE_URL": "1"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        sampler = _TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        sampled = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-4000:]}")
    # wait4 gives the largest single process; the sampled sum also counts the forked
    # renderer, the link-check process and Pagefind running beside the build.
    return Ran(elapsed, max(usage.ru_maxrss * 1024, sampled), sampler.at_peak, sampler.load())


def _proportional(process) -> int:
    """A process's proportional set size (memory it shares with a forked process counted
    half to each), from Linux's smaps_rollup; its resident set size elsewhere."""
    try:
        with open(f"/proc/{process.pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return process.memory_info().rss


class _TreeMemory:
    """Samples the summed memory of a process and its descendants (psutil; proportional
    set sizes where Linux gives them, so shared pages are not counted twice)."""

    def __init__(self, pid: int):
        import threading

        self.peak, self._stop = 0, threading.Event()
        #: What each process held when the sum was largest (name -> bytes).
        self.at_peak: dict[str, int] = {}
        self._loads: list[float] = []
        try:
            import psutil

            self._root = psutil.Process(pid)
        except Exception:  # psutil missing, or the process already gone
            return
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            self._loads.append(os.getloadavg()[0])
            try:
                tree = [self._root, *self._root.children(recursive=True)]
                held = [(_name(p), _proportional(p)) for p in tree]
            except Exception:  # a process ended between listing and reading it
                continue
            total = sum(size for _, size in held)
            if total > self.peak:
                self.peak, self.at_peak = total, {}
                for name, size in held:
                    self.at_peak[name] = self.at_peak.get(name, 0) + size

    def stop(self) -> int:
        self._stop.set()
        return self.peak

    def load(self) -> float:
        return sum(self._loads) / len(self._loads) if self._loads else os.getloadavg()[0]


def _name(process) -> str:
    """What a process of the build is, for the table."""
    command = " ".join(process.cmdline())
    if "pagefind" in command:
        return "Pagefind"
    if "publisher.linkcheck" in command:
        return "link check"
    if "publisher.filewriter" in command:
        return "file writer"
    if process.ppid() != os.getpid() and "publisher.cli" in command:
        return "MkDocs' build and its forks"  # engine.apart, engine.Converter, site.parallel
    if "publisher.cli" in command:
        return "publisher build (then indexing)"
    return "mkdocs" if "mkdocs" in command else process.name()


def html_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if p.name != "404.html" and "pagefind" not in p.parts]


def first_search_bytes(site: Path) -> tuple[int, str]:
    """Bytes downloaded for a first search, from a real browser; else an estimate."""
    try:
        return _measured(site), "measured in Chromium"
    except Exception as error:  # no Chromium or Playwright here: count the files instead
        return _estimated(site), f"estimated from the files ({type(error).__name__})"


def _measured(site: Path) -> int:
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.func.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    sizes: dict[str, int] = {}
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(base, wait_until="networkidle")

            script = search_script(site)
            script_url = base + script.relative_to(site).as_posix()

            def record(response):
                if "/pagefind/" in response.url or response.url == script_url:
                    sizes[response.url] = len(response.body())

            page.on("response", record)
            # Counted even if the browser had it already (a first search downloads it).
            sizes[script_url] = script.stat().st_size
            page.locator("input.md-search__input").click()
            page.keyboard.type(QUERY)
            page.locator(".md-search-result__item").first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
            page.remove_listener("response", record)  # before closing, so no body is asked for after
            browser.close()
    finally:
        server.shutdown()
    return sum(sizes.values())


def _estimated(site: Path) -> int:
    index = site / "pagefind"
    fixed = ["pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"]
    total = sum((index / name).stat().st_size for name in fixed)
    total += sum(p.stat().st_size for p in index.glob("*.pf_meta"))
    total += max(p.stat().st_size for p in (index / "index").iterdir())  # one index chunk
    fragments = sorted((p.stat().st_size for p in (index / "fragment").iterdir()), reverse=True)
    total += sum(fragments[:10])  # the first page of results, at worst
    return total + search_script(site).stat().st_size


def search_script(site: Path) -> Path:
    """The search box's script as published: under a content-hashed name
    (`search.<8 hex digits>.js`, publisher.assets), or `search.js` in a site built before
    the names were hashed."""
    import re

    folder = site / "assets" / "javascripts"
    hashed = [p for p in folder.glob("search.*.js") if re.fullmatch(r"search\.[0-9a-f]{8}\.js", p.name)]
    if len(hashed) == 1:
        return hashed[0]
    if not hashed and (folder / "search.js").is_file():
        return folder / "search.js"
    raise FileNotFoundError(f"no single search script in {folder}: {sorted(p.name for p in folder.glob('search*.js'))}")


# --------------------------------------------------------------------------- the preview


@dataclass
class Save:
    """One save timed in the preview."""

    what: str
    seconds: float  # from the write to the server returning the refreshed page
    #: From the write until the numbered pages of long lists were written too: the preview
    #: writes those after the rest (an update added moves every page of the updates list).
    whole: float
    #: The CPU time the server's own process spent meanwhile (its search index, made by
    #: Pagefind in the background, not counted): the refresh is one thread's work, so on
    #: an idle machine its wall time comes near this; on a busy one, far above it.
    cpu: float


def _cpu_seconds(pid: int) -> float:
    try:
        import psutil

        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    except Exception:  # no psutil: the figure is left out (nan)
        return float("nan")


def preview_refresh(project: Path, count: int = 3) -> tuple[float, list[Save]]:
    """Run `publisher serve` on the project: the seconds its first build takes, and for each
    save (see the module's docstring) the seconds from the write to the server returning
    the page with the change."""
    import re
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "PUBLISHER_TODAY": TODAY, "SOURCE_DATE_EPOCH": "1795564800"}
    log = project.parent / "serve.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "publisher.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        start = time.perf_counter()
        _wait_for(base, "</html>", server, log)
        first_s = time.perf_counter() - start
        updates = sorted((project / "content" / "updates").glob("*.md"))
        recent = updates[-max(1, len(updates) // 100)]  # an update near the newest
        draft = recent.with_name(f"{TODAY}-benchmark-draft.md")
        page = lambda path: f"{base}updates/{path.stem}/"  # noqa: E731

        def retitle(path: Path, word: str) -> None:
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"^title: (['\"]?)", lambda m: f"title: {m.group(1)}{word} ", text, count=1, flags=re.M), encoding="utf-8")

        saves = [
            ("a published update retitled", lambda: retitle(recent, "Benchmarked"), page(recent), "Benchmarked"),
            ("a new draft update", lambda: draft.write_text(recent.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8"), page(draft), "Draft"),
            ("the draft's text edited", lambda: draft.write_text(draft.read_text(encoding="utf-8") + "\nA sentence the benchmark added.\n", encoding="utf-8"), page(draft), "A sentence the benchmark added."),
        ]
        timed = []
        for what, save, url, wanted in saves[:count]:
            time.sleep(1.5)  # the server settles after the last refresh (its watcher, the search index)
            logged = log.stat().st_size
            start, cpu = time.perf_counter(), _cpu_seconds(server.pid)
            save()
            _wait_for(url, wanted, server, log)
            seconds = time.perf_counter() - start
            _wait_for_numbered_pages(log, logged, server)
            timed.append(Save(what, seconds, time.perf_counter() - start, _cpu_seconds(server.pid) - cpu))
        return first_s, timed
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


def _wait_for_numbered_pages(log: Path, since: int, server: subprocess.Popen) -> None:
    """If the refresh logged after `since` left numbered list pages to follow, wait until
    the server logs them written (or failed: the next save builds everything)."""
    while server.poll() is None:
        with open(log, "rb") as out:
            out.seek(since)
            text = out.read().decode("utf-8", "replace")
        if "numbered list page(s) follow" not in text or "numbered list page(s) in" in text or "the next save builds everything" in text:
            return
        time.sleep(0.05)


def _wait_for(url: str, wanted: str, server: subprocess.Popen, log: Path) -> None:
    import urllib.error
    import urllib.request

    while True:
        if server.poll() is not None:
            sys.exit(f"publisher serve stopped:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=600) as response:
                if wanted in response.read().decode("utf-8", "replace"):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)


def _progress(line: str) -> None:
    """Each figure as soon as it is measured, on stderr (a run at 10,000 takes an hour on a
    busy machine; the table comes at the end, on stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time publisher build against plain MkDocs on synthetic content.")
    parser.add_argument("--recommendations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="where to build (default: a folder under /tmp, removed afterwards)")
    parser.add_argument("--saves", type=int, default=3, choices=(1, 2, 3), help="how many of the preview's three saves to time (default: all)")
    args = parser.parse_args(argv)

    work = args.workdir or Path(f"/tmp/publisher-scale-{args.recommendations}")
    if work.exists():
        shutil.rmtree(work)
    project = work / "project"
    project.mkdir(parents=True)
    for name in ("mkdocs.yml", "hooks", "site_overrides"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
    counts = synthetic.generate(project / "content", args.recommendations, seed=args.seed)
    shutil.copytree(ROOT / "content" / "pages", project / "content" / "pages", dirs_exist_ok=True)
    publisher = [sys.executable, "-m", "publisher.cli"]

    check_s = run(publisher + ["check"], project).seconds
    _progress(f"publisher check: {check_s:.1f} s")
    a = run(publisher + ["build", "-q", "--site-dir", str(work / "site-a")], project)
    _progress(f"(a) publisher build: {a.seconds:.1f} s, {a.peak / 2**20:,.0f} MB, load {a.load:.1f}")
    export_s = run(publisher + ["export-markdown", "-q", str(work / "export")], project).seconds
    b = run([sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(work / "site-b")], work / "export")
    _progress(f"(b) plain mkdocs build: {b.seconds:.1f} s, {b.peak / 2**20:,.0f} MB, load {b.load:.1f}")
    a_s, a_rss, b_s, b_rss = a.seconds, a.peak, b.seconds, b.peak
    first_s, saves = preview_refresh(project, args.saves)
    _progress(f"preview: first build {first_s:.1f} s, saves " + ", ".join(f"{s.seconds:.1f} s ({s.whole:.1f} s whole)" for s in saves))

    site = work / "site-a"
    pages = html_pages(site)
    largest = max(pages, key=lambda p: p.stat().st_size)
    plain = html_pages(work / "site-b")
    search, how = first_search_bytes(site)
    ratio = a_s / b_s
    mem_ratio = a_rss / b_rss
    preview_s = max(s.seconds for s in saves)
    held = ", ".join(f"{name} {size / 2**20:,.0f} MB" for name, size in sorted(a.held.items(), key=lambda kv: -kv[1]))
    rows = [
        ("content", ", ".join(f"{v:,} {k}" for k, v in counts.items())),
        ("publisher check", f"{check_s:.1f} s ({100 * check_s / a_s:.1f}% of the build)"),
        ("(a) publisher build", f"{a_s:.1f} s (load average {a.load:.1f} on {os.cpu_count()} cores)"),
        ("(b) plain mkdocs build of the export", f"{b_s:.1f} s ({len(plain):,} pages; export took {export_s:.1f} s; load average {b.load:.1f})"),
        ("ratio a/b", f"{ratio:.3f}"),
        ("peak memory (a)", f"{a_rss / 2**20:,.0f} MB ({held or 'one process'})"),
        ("peak memory (b)", f"{b_rss / 2**20:,.0f} MB"),
        ("mem_ratio a/b", f"{mem_ratio:.2f}"),
        ("preview: first build", f"{first_s:.1f} s"),
        *(
            (f"preview: {s.what}", f"{s.seconds:.1f} s from saving to the refreshed page ({s.cpu:.1f} s of CPU; {s.whole:.1f} s until the numbered list pages too)")
            for s in saves
        ),
        ("HTML pages", f"{len(pages):,}"),
        ("pages per second (a)", f"{len(pages) / a_s:.0f}"),
        ("largest HTML page", f"{largest.stat().st_size / 1024:.1f} KB ({largest.relative_to(site).as_posix()})"),
        ("first search", f"{search / 1024:.0f} KB for '{QUERY}' ({how})"),
        ("search index on disk", f"{sum(p.stat().st_size for p in (site / 'pagefind').rglob('*') if p.is_file()) / 2**20:.1f} MB"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    last = (
        f"ratio={ratio:.3f} mem_ratio={mem_ratio:.2f} preview_s={preview_s:.1f} pages={len(pages)} "
        f"largest_page_kb={largest.stat().st_size / 1024:.1f} search_kb={search / 1024:.0f}"
    )
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    print(last)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
