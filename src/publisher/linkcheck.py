"""Checking every internal link and anchor in a built site.

MkDocs validates links written in Markdown, but most links on this site are in HTML
(tables, templates, the theme), which MkDocs does not look at. This reads the rendered
HTML instead. It is written by hand because the plugins that do this (e.g.
mkdocs-htmlproofer-plugin) parse every page with BeautifulSoup, which at 10,000 pages
costs minutes; the site's HTML is machine-made, so plain attribute scanning is reliable
(`pagescan` reads the pages).
"""

from __future__ import annotations

import os
import posixpath
import sys
from pathlib import Path
from urllib.parse import unquote

# The page reading is in `pagescan`, shared with the other checks after a build.
from .pagescan import PageFindings, scan


class _Site:
    """Every file and folder of the built site, in memory: a national tracker's site has
    tens of thousands of pages with a hundred links each, too many to ask the disk about."""

    def __init__(self, site: Path):
        self.files: set[str] = set()
        self.folders: set[str] = {""}
        for folder, dirs, names in os.walk(site):
            rel = os.path.relpath(folder, site).replace(os.sep, "/")
            rel = "" if rel == "." else rel
            self.folders.add(rel)
            self.files.update(f"{rel}/{name}" if rel else name for name in names)

    def target(self, url_path: str) -> str | None:
        """The file a site-relative URL path serves, as a static web server would."""
        path = unquote(url_path).lstrip("/")
        if url_path.endswith("/") or path.rstrip("/") in self.folders:
            path = f"{path.rstrip('/')}/index.html".lstrip("/")
        return path if path in self.files else None


def _resolve(folder: str, link: str) -> tuple[str, str]:
    """A link as written on a page in `folder`, as (path from the site root, fragment).
    Equivalent to urljoin for the relative links a static site has, without its cost."""
    link, _, fragment = link.partition("#")
    link = link.split("?", 1)[0]
    if not link:
        return "", fragment
    path = link if link.startswith("/") else posixpath.join("/" + folder, link)
    trailing = path.endswith("/") or link in (".", "..") or link.endswith(("/.", "/.."))
    path = posixpath.normpath(path)
    return (path.rstrip("/") + "/" if trailing else path), fragment


def check_site(site: Path, scanned: dict[str, tuple[set[str], list[str]]] | None = None) -> list[str]:
    """Every broken internal link or anchor, one line per missing target naming the pages
    that link to it (a broken link in a template would otherwise repeat on every page).

    `scanned` holds pages already scanned (by `Collector`), by path from the site root;
    every other HTML file is read from the disk."""
    site = Path(site)
    known = _Site(site)
    scanned = dict(scanned or {})
    for rel in known.files:
        if rel.endswith(".html") and rel not in scanned:
            scanned[rel] = scan((site / rel).read_text(encoding="utf-8", errors="replace"))
    wanted: list[tuple[str, str, str, str]] = []  # (page, link as written, target, anchor)
    missing: dict[str, list[str]] = {}  # what is missing -> pages linking to it
    for rel in sorted(scanned):
        if rel not in known.files:
            continue  # scanned, but not in the site (a page written over, or removed)
        folder = posixpath.dirname(rel)
        for link in scanned[rel][1]:
            path, fragment = _resolve(folder, link)
            if not path:  # "#anchor" on the page itself
                path = "/" + rel
            target = known.target(path)
            if target is None:
                missing.setdefault(f"{path.lstrip('/')} (no such page or file)", []).append(f"{rel} ({link})")
            elif fragment and target.endswith(".html"):
                wanted.append((rel, link, target, unquote(fragment)))
    for rel, link, target, anchor in wanted:
        if anchor not in scanned.get(target, (set(), []))[0]:
            missing.setdefault(f"{target}#{anchor} (no such anchor on that page)", []).append(f"{rel} ({link})")
    report = []
    for what, pages in sorted(missing.items()):
        pages = sorted(set(pages))
        shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        report.append(f"broken link to {what}: from {shown}")
    return report


# --------------------------------------------------------------------------- during the build


#: The link checks of finished sites (`Collector.finish`), by site folder, each still
#: finishing its report in its own process: `report_for` waits for it.
_made: dict[str, "Collector"] = {}


def report_for(site: Path) -> tuple[list[str], PageFindings | None]:
    """The link check of a built site, and what its build saw of each page: those made
    during its build, else the check made now (and nothing seen)."""
    made = _made.pop(str(Path(site).resolve()), None)
    return made.report() if made is not None else (check_site(site), None)


def discard(site: Path) -> None:
    """The build of `site` failed after it was finished (a warning in strict mode): its
    report is not wanted, and the process making it is stopped."""
    made = _made.pop(str(Path(site).resolve()), None)
    if made is not None:
        made.close()


class Collector:
    """Scans each page for links and anchors in a second process while the build goes on.

    Reading back and scanning every page after the build costs about a millisecond a page,
    on one core, while the build waits. The hooks hand each page to `add` as MkDocs writes
    it; a second process (`python -m publisher.linkcheck`, on the machine's other core)
    scans it (and gathers its `PageFindings`); `finish` then only has the links resolved
    against the finished site. The pages go through a pipe, which also holds the build
    back if the scanning falls behind.
    """

    def __init__(self) -> None:
        import subprocess

        self._process = subprocess.Popen(
            [sys.executable, "-m", "publisher.linkcheck"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def add(self, rel: str, text: str) -> None:
        """A page written at `rel` (from the site root, e.g. `updates/x/index.html`)."""
        data = text.encode("utf-8", "surrogatepass")
        self._process.stdin.write(f"page {len(data)} {rel}\n".encode("utf-8") + data)

    def finish(self, site: Path) -> None:
        """The site at `site` is finished: the second process checks its links against it
        now, while the build goes on with its other checks; `report_for(site)` waits for
        the report (on a national tracker the second process takes ten seconds over it)."""
        key = str(Path(site).resolve())
        self._process.stdin.write(f"site {key}\n".encode("utf-8"))
        self._process.stdin.flush()
        self._site = Path(site)
        _made[key] = self

    def report(self) -> tuple[list[str], PageFindings | None]:
        """The finished site's broken links, and what was found on its pages."""
        import json

        output, _ = self._process.communicate()
        if self._process.returncode != 0:
            return check_site(self._site), None  # the scanning process failed: check from the disk
        result = json.loads(output)
        return result["links"], PageFindings.from_json(result["findings"])

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()


def _serve(stream) -> dict:
    """The second process: scan pages from `stream` until given the finished site's
    folder, then check the links against it."""
    scanned: dict[str, tuple[set[str], list[str]]] = {}
    findings = PageFindings()
    while line := stream.readline():
        kind, _, rest = line.decode("utf-8").rstrip("\n").partition(" ")
        if kind == "site":
            return {"links": check_site(Path(rest), scanned), "findings": findings.to_json()}
        size, _, rel = rest.partition(" ")
        text = stream.read(int(size)).decode("utf-8", "replace")
        scanned[rel] = scan(text)
        findings.add(rel, text)
    raise SystemExit("the build stopped before the site was finished")


if __name__ == "__main__":
    import json

    try:
        sys.stdout.write(json.dumps(_serve(sys.stdin.buffer)))
        sys.stdout.flush()
    except BrokenPipeError:  # the build stopped and no longer reads the report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
