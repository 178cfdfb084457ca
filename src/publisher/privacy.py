"""No third parties: nothing in the built site makes a visitor's browser contact another host.

A script, stylesheet, font, image or frame from another host tells that host who read
which page. This finds every such asset in the built HTML and CSS, so a theme update or
a template change that adds one (a CDN font, a tracker pixel, an embedded video) fails
the build. Ordinary links that a reader chooses to follow (to a cited source) are fine:
they load nothing until clicked.

The pages are read by `pagescan`, by hand for the same reason as `linkcheck`: plain
attribute scanning of machine-made HTML is fast at 10,000 pages, where a full HTML
parser costs minutes.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from .pagescan import PageFindings, files_ending, page_findings, stylesheet_assets


def external_assets(site: Path, seen: PageFindings | None = None) -> list[str]:
    """Every asset in the built site that would load from another host, as 'file: what'
    (`pagescan.page_assets` finds them in a page, `pagescan.stylesheet_assets` in CSS).

    `seen`: pages already scanned during the build, which need not be read again."""
    site = Path(site)
    found = [(rel, asset) for rel, assets in page_findings(site, seen).assets.items() for asset in assets]
    for rel in files_ending(site, ".css"):
        found += [(rel, asset) for asset in stylesheet_assets((site / rel).read_text(encoding="utf-8", errors="replace"))]
    # In the site's own order (folder by folder), each file's assets as they come.
    found.sort(key=lambda item: PurePosixPath(item[0]).parts)
    return [f"{rel}: {asset}" for rel, asset in found]
