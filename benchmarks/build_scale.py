"""Scale benchmark: `publisher build` against plain MkDocs on the same pages.

    python benchmarks/build_scale.py --recommendations 10000

In one run, on synthetic content (benchmarks/synthetic.py, about three updates per
recommendation): times `publisher check`; builds (a) the site with `publisher build`;
exports it with `publisher export-markdown` and builds (b) the export with plain
`mkdocs build` (same theme and settings, no hooks); then measures the pages. It prints a
table, and last a line `ratio=<a/b> pages=<n> largest_page_kb=<k> search_kb=<s>`.

- ratio: wall time of (a) over (b). (a) includes everything the publisher adds: loading
  and checking the content, deriving, rendering the pages' Markdown, the link check, the
  search index and the manifest. (b) is MkDocs rendering the same Markdown.
- peak memory: the most memory (a)'s processes held at once: the build, its forked
  renderer, its link-check process and Pagefind (sampled, summed), or the largest single
  process as wait4 reports it, whichever is larger.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402

TODAY = "2026-11-25"
QUERY = "workforce"


def run(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """Run a command; return its wall time, the peak resident memory of its process tree
    (bytes, from wait4: the largest of the process and the children it waited for) and
    its stderr. Exits if it fails."""
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
    return elapsed, max(usage.ru_maxrss * 1024, sampled), stderr


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
        try:
            import psutil

            self._root = psutil.Process(pid)
        except Exception:  # psutil missing, or the process already gone
            return
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            try:
                tree = [self._root, *self._root.children(recursive=True)]
                self.peak = max(self.peak, sum(_proportional(p) for p in tree))
            except Exception:  # a process ended between listing and reading it
                continue

    def stop(self) -> int:
        self._stop.set()
        return self.peak


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

            def record(response):
                if "/pagefind/" in response.url or response.url.endswith("/search.js"):
                    sizes[response.url] = len(response.body())

            page.on("response", record)
            sizes[base + "assets/javascripts/search.js"] = (site / "assets/javascripts/search.js").stat().st_size
            page.locator("input.md-search__input").click()
            page.keyboard.type(QUERY)
            page.locator(".md-search-result__item").first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
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
    return total + (site / "assets/javascripts/search.js").stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time publisher build against plain MkDocs on synthetic content.")
    parser.add_argument("--recommendations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="where to build (default: a folder under /tmp, removed afterwards)")
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

    check_s, _, _ = run(publisher + ["check"], project)
    a_s, a_rss, _ = run(publisher + ["build", "-q", "--site-dir", str(work / "site-a")], project)
    export_s, _, _ = run(publisher + ["export-markdown", "-q", str(work / "export")], project)
    b_s, b_rss, _ = run([sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(work / "site-b")], work / "export")

    site = work / "site-a"
    pages = html_pages(site)
    largest = max(pages, key=lambda p: p.stat().st_size)
    plain = html_pages(work / "site-b")
    search, how = first_search_bytes(site)
    ratio = a_s / b_s
    rows = [
        ("content", ", ".join(f"{v:,} {k}" for k, v in counts.items())),
        ("publisher check", f"{check_s:.1f} s ({100 * check_s / a_s:.1f}% of the build)"),
        ("(a) publisher build", f"{a_s:.1f} s"),
        ("(b) plain mkdocs build of the export", f"{b_s:.1f} s ({len(plain):,} pages; export took {export_s:.1f} s)"),
        ("ratio a/b", f"{ratio:.3f}"),
        ("peak memory (a)", f"{a_rss / 2**20:,.0f} MB"),
        ("peak memory (b)", f"{b_rss / 2**20:,.0f} MB"),
        ("HTML pages", f"{len(pages):,}"),
        ("pages per second (a)", f"{len(pages) / a_s:.0f}"),
        ("largest HTML page", f"{largest.stat().st_size / 1024:.1f} KB ({largest.relative_to(site).as_posix()})"),
        ("first search", f"{search / 1024:.0f} KB for '{QUERY}' ({how})"),
        ("search index on disk", f"{sum(p.stat().st_size for p in (site / 'pagefind').rglob('*') if p.is_file()) / 2**20:.1f} MB"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    last = f"ratio={ratio:.3f} pages={len(pages)} largest_page_kb={largest.stat().st_size / 1024:.1f} search_kb={search / 1024:.0f}"
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    print(last)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
