"""No third parties: nothing in the built site makes a visitor's browser contact another host.

A script, stylesheet, font, image or frame from another host tells that host who read
which page. This finds every such asset in the built HTML and CSS, so a theme update or
a template change that adds one (a CDN font, a tracker pixel, an embedded video) fails
the build. Ordinary links that a reader chooses to follow (to a cited source) are fine:
they load nothing until clicked.

Written by hand for the same reason as `linkcheck`: plain attribute scanning of
machine-made HTML is fast at 10,000 pages, where a full HTML parser costs minutes.
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath

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

_TAG = re.compile(r"<(%s|link)\b([^>]*)>" % "|".join(_LOADED), re.S | re.I)
_STYLE_ATTR = re.compile(r"""<([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*?\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.S | re.I)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_STYLE_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])([^"')\s]+)""", re.I)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


def _external(url: str) -> bool:
    """Whether loading `url` contacts another host (data: and relative URLs do not)."""
    url = url.strip()
    return bool(_EXTERNAL.match(url)) or url.lower().startswith(("http:", "https:", "ftp:"))


def _attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(next(g for g in m.groups()[1:] if g is not None)) for m in _ATTR.finditer(text)}


def page_assets(text: str) -> list[str]:
    """Every external URL a page makes the browser load, as '<tag attribute=url>'."""
    found = []
    for match in _TAG.finditer(text):
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


def external_assets(site: Path, seen=None) -> list[str]:
    """Every asset in the built site that would load from another host, as 'file: what'.

    `seen` (`linkcheck.PageFindings`): pages already scanned during the build, which
    need not be read again."""
    from .linkcheck import page_findings

    site = Path(site)
    found = [(rel, asset) for rel, assets in page_findings(site, seen).assets.items() for asset in assets]
    for path in site.rglob("*.css"):
        rel = path.relative_to(site).as_posix()
        found += [(rel, asset) for asset in stylesheet_assets(path.read_text(encoding="utf-8", errors="replace"))]
    # In the site's own order (folder by folder), each file's assets as they come.
    found.sort(key=lambda item: PurePosixPath(item[0]).parts)
    return [f"{rel}: {asset}" for rel, asset in found]
