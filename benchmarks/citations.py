"""What making the site citable by machines costs a build (issue 17).

    python benchmarks/citations.py                      # the Jersey site
    python benchmarks/citations.py --recommendations 1000   # a synthetic national tracker

Builds the same content with `publisher build` in three ways, each `--runs` times, and
prints the best wall and CPU time of each:

- without: the citation machinery of issue 17 left out (no metadata in the heads, no
  RIS/BibTeX/CSL-JSON files, no item feeds, no named styles); the visible "Cite this
  page" block is still there, as it was before;
- as built: the site as `publisher build` makes it;
- every page styled: as built, with the citation in named styles on every citable page
  (not only the kinds `citeformats.STYLED_KINDS`, up to `STYLED_LIMIT`), to show what
  that choice saves.

Last, a breakdown: the site as built, in one process (no forks), with the CPU time of
each part of the citation work (named styles, head metadata, citation files, item feeds).

The variants are made by replacing functions in the build's own process (a benchmark
only: nothing in the publisher reads a switch for it). Figures, never pass/fail; the
machine is shared, so the load is printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

#: Run before `publisher build` in the build's own process, for each variant.
VARIANTS = {
    "without": """
import importlib
from publisher.site import permanence
pages = importlib.import_module("publisher.site.pages")  # the module, not the function of that name
permanence.Citing.head = lambda self, *a, **k: None
permanence.Citing.downloads = lambda self, wanted=True: iter(())
pages.item_feeds = lambda *a, **k: iter(())
shown = permanence.Citing.globals
permanence.Citing.globals = lambda self: {**shown(self), "citation_files": (), "feed_kinds": frozenset()}
def prepare(self, site_name, titles):
    self.prepared, self.site_name = True, site_name
permanence.Citing.prepare = prepare
""",
    "as built": "",
    "every page styled": """
from publisher import citation, citeformats
citeformats.STYLED_KINDS = tuple(citation.KINDS)
citeformats.STYLED_LIMIT = 10 ** 9
""",
}

#: Run before `publisher build` for the breakdown: everything in one process (no forks,
#: so one clock sees it all), the CPU time of each part of the citation work added up.
INSTRUMENTED = """
import atexit, json, time
from publisher import citeformats
import importlib
from publisher.site import parallel, permanence
pages = importlib.import_module("publisher.site.pages")
parallel.FROM_ITEMS = citeformats.FORK_FROM = 10 ** 9
spent = {}
def timed(name, function, generator=False):
    def plain(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - start
    def lazily(*args, **kwargs):
        items = function(*args, **kwargs)
        while True:
            start = time.process_time()
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - start
            yield item
    return lazily if generator else plain
permanence.Citing.prepare = timed("named styles", permanence.Citing.prepare)
permanence.Citing.head = timed("head metadata", permanence.Citing.head)
permanence.Citing.downloads = timed("citation files", permanence.Citing.downloads, generator=True)
pages.item_feeds = timed("item feeds", pages.item_feeds, generator=True)
atexit.register(lambda: print("SPENT " + json.dumps({**spent, "whole build": time.process_time()})))
"""


def build(project: Path, variant: str, site: Path) -> tuple[float, float, str]:
    """One build: (wall seconds, CPU seconds of the build and every process it started,
    what it printed)."""
    prelude = INSTRUMENTED if variant == "breakdown" else VARIANTS[variant]
    code = prelude + "\nimport sys\nfrom publisher import cli\nsys.exit(cli.main(sys.argv[1:]))\n"
    env = {**os.environ, "PUBLISHER_TODAY": "2026-11-25", "SOURCE_DATE_EPOCH": "1795564800", "PUBLISHER_ALLOW_EXAMPLE_URL": "1"}
    shutil.rmtree(site, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    ran = subprocess.run(
        [sys.executable, "-c", code, "build", "-q", "--site-dir", str(site)], cwd=project, env=env,
        capture_output=True, text=True,
    )
    if ran.returncode != 0:
        raise SystemExit(f"the {variant!r} build failed:\n{ran.stderr[-3000:]}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), ran.stdout


def project_for(recommendations: int | None, folder: Path) -> Path:
    """A copy of the project with the Jersey content, or with synthetic content. Without
    the register of addresses (permalinks.txt): the variant without citation files would
    otherwise be refused for dropping registered addresses."""
    project = folder / "project"
    project.mkdir(parents=True)
    for name in ("mkdocs.yml", "hooks", "site_overrides"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
    if recommendations is None:
        shutil.copytree(ROOT / "content", project / "content")
        return project
    import synthetic

    synthetic.generate(project / "content", recommendations, seed=7)
    shutil.copytree(ROOT / "content" / "pages", project / "content" / "pages", dirs_exist_ok=True)
    return project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recommendations", type=int, help="build synthetic content of this size (default: Jersey's)")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=list(VARIANTS))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="citations-bench-") as tmp:
        folder = Path(tmp)
        project = project_for(args.recommendations, folder)
        site = folder / "site"
        build(project, "as built", site)  # warm the disk cache and count the pages
        pages = sum(1 for _ in site.rglob("index.html"))
        cited = sum(1 for _ in site.rglob("citation.ris"))
        styled = sum(1 for page in site.rglob("index.html") if 'data-style="oscola"' in page.read_text())
        print(f"{'Jersey' if args.recommendations is None else f'{args.recommendations} recommendations'}: "
              f"{pages} pages, {cited} citable, {styled} with named styles as built")
        best: dict[str, tuple[float, float]] = {}
        for _ in range(args.runs):
            for variant in args.variants:  # interleaved, so a busy minute hurts each alike
                wall, cpu, _ = build(project, variant, site)
                old = best.get(variant, (float("inf"), float("inf")))
                best[variant] = (min(old[0], wall), min(old[1], cpu))
        base = best.get("without")
        if best:
            print(f"{'variant':<20} {'wall s':>8} {'cpu s':>8}   (best of {args.runs}; load {os.getloadavg()[0]:.1f})")
        for variant, (wall, cpu) in best.items():
            extra = f"   +{wall - base[0]:.1f} s wall, +{cpu - base[1]:.1f} s cpu" if base and variant != "without" else ""
            print(f"{variant:<20} {wall:>8.1f} {cpu:>8.1f}{extra}")
        # Where the citation work's time goes, as built, in one process (CPU seconds).
        printed = build(project, "breakdown", site)[2]
        spent = json.loads(next(line for line in printed.splitlines() if line.startswith("SPENT "))[6:])
        whole = spent.pop("whole build")
        print(f"as built, in one process: {whole:.1f} s cpu in the build's own process, of which")
        for part, seconds in spent.items():
            print(f"  {part:<16} {seconds:>6.2f} s")
        print(f"  {'all citation work':<16} {sum(spent.values()):>6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
