"""Reading built HTML pages: links, anchors, inline scripts, external assets, and what the
checks after a build gather from each page.

The checks on a built site (`linkcheck`, `headers`, `privacy`) each need something from
every page; the reading is here, in one module that imports none of them, so each check
uses it and none needs another. It is written by hand because the libraries that parse
HTML (BeautifulSoup, html5lib) cost minutes at 10,000 pages; the site's HTML is
machine-made, so plain attribute scanning is reliable.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

# --------------------------------------------------------------------------- links and anchors

_LINKING_TAG = re.compile(r"<(a|link|script|img|source|area)\b[^>]*>", re.I)
_LINK_ATTR = re.compile(r"""\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_ID = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
#: A link with a scheme (`https:`, `mailto:`): not a page of this site.
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _ids(text: str) -> set[str]:
    return {html.unescape(a or b) for a, b in _ID.findall(text)}


def _links(text: str) -> list[str]:
    links = []
    for tag in _LINKING_TAG.finditer(text):
        for _, a, b in _LINK_ATTR.findall(tag.group()):
            links.append(html.unescape(a or b))
    return links


def scan(text: str) -> tuple[set[str], list[str]]:
    """A page's anchors and its internal links (as written)."""
    # Interned: the header, navigation and footer repeat the same links on every page,
    # and a national site has tens of thousands of pages.
    links = [sys.intern(link) for link in _links(text) if link and not _SCHEME.match(link) and not link.startswith("//")]
    return {sys.intern(i) for i in _ids(text)}, links


# --------------------------------------------------------------------------- inline scripts

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SRC = re.compile(r"""\ssrc\s*=""", re.I)
_TYPE = re.compile(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
#: Script types a browser runs or processes (HTML's JavaScript MIME types, modules, import
#: maps and speculation rules), which the policy governs. Any other type (`application/json`,
#: `application/ld+json`: schema.org metadata) is a data block, which is never run.
_EXECUTABLE = {
    "", "module", "importmap", "speculationrules",
    "application/ecmascript", "application/javascript", "application/x-ecmascript", "application/x-javascript",
    "text/ecmascript", "text/javascript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
    "text/javascript1.3", "text/javascript1.4", "text/javascript1.5", "text/jscript", "text/livescript",
    "text/x-ecmascript", "text/x-javascript",
}
#: What must never be in a data block: HTML parsers change state at these inside a script
#: element, so text after them could end the element and be read as markup (a script).
_UNSAFE_IN_DATA = re.compile(r"<!--|<script|</script", re.I)


def inline_script_elements(text: str) -> Iterator[tuple[str, str]]:
    """(attributes, text) of each `<script>` element written out in `text` (not loaded
    from a file with `src`): in a page, or in a template that writes one."""
    for attributes, body in _SCRIPT.findall(text):
        if not _SRC.search(attributes):
            yield attributes, body


def inline_scripts(page: str) -> list[str]:
    """The text of every inline script a browser would run in this page's HTML.

    A JSON data block (`application/ld+json`, the metadata in every item page's head) is
    not run, so the policy needs no hash for it, and none is given: the policy stays as
    strict. It is accepted only as well-formed JSON with nothing in it that could end the
    element early (`data_block_is_safe`); any other is returned with the scripts, so the
    build fails on it as on a script no template writes, naming the page.
    """
    found = []
    for attributes, body in inline_script_elements(page):
        kind = _TYPE.search(attributes)
        kind_value = html.unescape(next((g for g in kind.groups() if g is not None), "")) if kind else ""
        essence = kind_value.split(";", 1)[0].strip().lower()
        if essence in _EXECUTABLE or (essence.endswith("json") and not data_block_is_safe(body)):
            found.append(body)
    return found


def data_block_is_safe(body: str) -> bool:
    """Whether a JSON data block's text is well-formed JSON that cannot end its <script>
    element early (templates write it with Jinja's `tojson`, which escapes <, > and &)."""
    if _UNSAFE_IN_DATA.search(body):
        return False
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- external assets

#: Elements whose URL attributes a browser loads as soon as the page is shown.
_LOADED = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "form": ("action",),  # not loaded on sight, but what a visitor types would go there
}
#: `<link rel=...>` values that make the browser fetch or connect on sight.
_LOADING_RELS = {
    "stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon", "manifest", "preload",
    "prefetch", "preconnect", "dns-prefetch", "modulepreload", "prerender",
}

_LOADING_TAG = re.compile(r"<(%s|link)\b([^>]*)>" % "|".join(_LOADED), re.S | re.I)
_STYLE_ATTR = re.compile(r"""<([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*?\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.S | re.I)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_STYLE_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])([^"')\s]+)""", re.I)
#: A URL with a host (`//cdn.example/x`, `https://cdn.example/x`).
_OTHER_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


def _external(url: str) -> bool:
    """Whether loading `url` contacts another host (data: and relative URLs do not)."""
    url = url.strip()
    return bool(_OTHER_HOST.match(url)) or url.lower().startswith(("http:", "https:", "ftp:"))


def _attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(next(g for g in m.groups()[1:] if g is not None)) for m in _ATTR.finditer(text)}


def page_assets(text: str) -> list[str]:
    """Every external URL a page makes the browser load, as '<tag attribute=url>'."""
    found = []
    for match in _LOADING_TAG.finditer(text):
        tag, attrs = match.group(1).lower(), _attributes(match.group(2))
        names: tuple[str, ...] = _LOADED.get(tag, ())
        if tag == "link" and _LOADING_RELS & set(attrs.get("rel", "").lower().split()):
            names = ("href", "imagesrcset")
        for name in names:
            value = attrs.get(name, "")
            urls = [u.strip().split(" ")[0] for u in value.split(",")] if "srcset" in name else [value]
            found += [f"<{tag} {name}={url}>" for url in urls if url and _external(url)]
    if "url(" in text or "@import" in text:  # only then can styles load anything
        for match in _STYLE_ATTR.finditer(text):
            style = html.unescape(match.group(2) or match.group(3) or "")
            found += [f"<{match.group(1).lower()} style> url({url})" for url in _STYLE_URL.findall(style) if _external(url)]
        for style in re.findall(r"<style\b[^>]*>(.*?)</style\s*>", text, re.S | re.I):
            found += [f"<style> url({url})" for url in _STYLE_URL.findall(style) if _external(url)]
    return found


def stylesheet_assets(text: str) -> list[str]:
    """Every external URL a stylesheet loads (`url(...)`, `@import`)."""
    return [f"url({url})" for url in _STYLE_URL.findall(text) if _external(url)]


# --------------------------------------------------------------------------- each page, once


@dataclass
class PageFindings:
    """What the checks after the build need from each page besides its links, gathered
    while the page is scanned anyway (by `linkcheck`), so those checks need not read every
    page again: its external assets (`privacy.external_assets`) and inline scripts (the
    CSP hashes, `headers.site_script_hashes`)."""

    #: Every page scanned, by path from the site root.
    pages: set[str] = field(default_factory=set)
    #: Page -> what it loads from another host (only pages that load something).
    assets: dict[str, list[str]] = field(default_factory=dict)
    #: Inline script text -> the pages it is on.
    scripts: dict[str, list[str]] = field(default_factory=dict)
    #: The site these are every page of (`page_findings`), or None.
    complete: Path | None = field(default=None, compare=False)

    def add(self, rel: str, text: str) -> None:
        self.pages.add(rel)
        if assets := page_assets(text):
            self.assets[rel] = assets
        for body in inline_scripts(text):
            self.scripts.setdefault(body, []).append(rel)

    def to_json(self) -> dict:
        return {"pages": sorted(self.pages), "assets": self.assets, "scripts": self.scripts}

    @classmethod
    def from_json(cls, data: dict) -> "PageFindings":
        return cls(set(data["pages"]), data["assets"], data["scripts"])


def html_pages(site: Path) -> set[str]:
    """Every HTML page in `site`, from its root (`updates/x/index.html`)."""
    return set(files_ending(site, ".html"))


def files_ending(site: Path, suffix: str) -> Iterator[str]:
    """Every file in `site` whose name ends with `suffix`, from the site's root, folder by
    folder. `os.walk`, not `Path.rglob`: a national tracker's site has 200,000 files, and
    `rglob` took seconds longer over them."""
    for folder, _, names in os.walk(site):
        rel = os.path.relpath(folder, site).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        yield from (prefix + name for name in names if name.endswith(suffix))


def page_findings(site: Path, seen: PageFindings | None = None, on_disk: set[str] | None = None) -> PageFindings:
    """The findings for every HTML page now in `site`: those `seen` during the build as
    they were written, every other page read from the disk (and pages seen but no longer
    in the site left out). `on_disk`: the site's pages, if listed already (`html_pages`).
    Findings this gave are complete: given as `seen` again, they are the answer."""
    site = Path(site)
    if seen is not None and seen.complete == site:
        return seen
    on_disk = html_pages(site) if on_disk is None else on_disk
    found = PageFindings()
    found.complete = site
    if seen is not None:
        found.pages = seen.pages & on_disk
        found.assets = {rel: assets for rel, assets in seen.assets.items() if rel in on_disk}
        for body, pages in seen.scripts.items():
            if kept := [rel for rel in pages if rel in on_disk]:
                found.scripts[body] = kept
    for rel in sorted(on_disk - found.pages):
        found.add(rel, (site / rel).read_text(encoding="utf-8", errors="replace"))
    return found
