"""Checking every internal link and anchor in a built site.

MkDocs validates links written in Markdown, but most links on this site are in HTML
(tables, templates, the theme), which MkDocs does not look at. This reads the rendered
HTML instead. It is written by hand because the plugins that do this (e.g.
mkdocs-htmlproofer-plugin) parse every page with BeautifulSoup, which at 10,000 pages
costs minutes; the site's HTML is machine-made, so plain attribute scanning is reliable.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

_TAG = re.compile(r"<(a|link|script|img|source|area)\b[^>]*>", re.I)
_ATTR = re.compile(r"""\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_ID = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _ids(text: str) -> set[str]:
    return {html.unescape(a or b) for a, b in _ID.findall(text)}


def _links(text: str) -> list[str]:
    links = []
    for tag in _TAG.finditer(text):
        for _, a, b in _ATTR.findall(tag.group()):
            links.append(html.unescape(a or b))
    return links


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


def check_site(site: Path) -> list[str]:
    """Every broken internal link or anchor, one line per missing target naming the pages
    that link to it (a broken link in a template would otherwise repeat on every page)."""
    site = Path(site)
    known = _Site(site)
    ids: dict[str, set[str]] = {}
    wanted: list[tuple[str, str, str, str]] = []  # (page, link as written, target, anchor)
    missing: dict[str, list[str]] = {}  # what is missing -> pages linking to it
    # One pass reading each page once; anchors are checked after every page's ids are known.
    for rel in sorted(f for f in known.files if f.endswith(".html")):
        text = (site / rel).read_text(encoding="utf-8", errors="replace")
        ids[rel] = _ids(text)
        folder = posixpath.dirname(rel)
        for link in _links(text):
            if not link or _EXTERNAL.match(link) or link.startswith("//"):
                continue
            path, fragment = _resolve(folder, link)
            if not path:  # "#anchor" on the page itself
                path = "/" + rel
            target = known.target(path)
            if target is None:
                missing.setdefault(f"{path.lstrip('/')} (no such page or file)", []).append(f"{rel} ({link})")
            elif fragment and target.endswith(".html"):
                wanted.append((rel, link, target, unquote(fragment)))
    for rel, link, target, anchor in wanted:
        if anchor not in ids.get(target, ()):
            missing.setdefault(f"{target}#{anchor} (no such anchor on that page)", []).append(f"{rel} ({link})")
    report = []
    for what, pages in sorted(missing.items()):
        pages = sorted(set(pages))
        shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        report.append(f"broken link to {what}: from {shown}")
    return report
