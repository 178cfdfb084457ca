"""Checking every internal link and anchor in a built site.

MkDocs validates links written in Markdown, but most links on this site are in HTML
(tables, templates, the theme), which MkDocs does not look at. This reads the rendered
HTML instead. It is written by hand because the plugins that do this (e.g.
mkdocs-htmlproofer-plugin) parse every page with BeautifulSoup, which at 10,000 pages
costs minutes; the site's HTML is machine-made, so plain attribute scanning is reliable.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

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


def _target_file(site: Path, url_path: str) -> Path | None:
    """The file a site-relative URL path serves, as a static web server would."""
    candidate = site / unquote(url_path).lstrip("/")
    if url_path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_site(site: Path) -> list[str]:
    """Every broken internal link or anchor, one line per missing target naming the pages
    that link to it (a broken link in a template would otherwise repeat on every page)."""
    site = Path(site)
    ids: dict[Path, set[str]] = {}
    wanted: list[tuple[str, str, Path, str]] = []  # (page, link as written, target, anchor)
    missing: dict[str, list[str]] = {}  # what is missing -> pages linking to it
    # One pass reading each page once; anchors are checked after every page's ids are known.
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        ids[page] = _ids(text)
        rel = page.relative_to(site).as_posix()
        for link in _links(text):
            if not link or _EXTERNAL.match(link) or link.startswith("//"):
                continue
            parts = urlsplit(urljoin("/" + rel, link))
            target = _target_file(site, parts.path)
            if target is None:
                missing.setdefault(f"{parts.path.lstrip('/')} (no such page or file)", []).append(f"{rel} ({link})")
            elif parts.fragment and target.suffix == ".html":
                wanted.append((rel, link, target, unquote(parts.fragment)))
    for rel, link, target, anchor in wanted:
        if anchor not in ids.get(target, ()):
            where = target.relative_to(site).as_posix()
            missing.setdefault(f"{where}#{anchor} (no such anchor on that page)", []).append(f"{rel} ({link})")
    report = []
    for what, pages in sorted(missing.items()):
        pages = sorted(set(pages))
        shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        report.append(f"broken link to {what}: from {shown}")
    return report
