"""The generated site: every page made from the content, as in-memory files.

`build_site` returns `GeneratedFile`s; the MkDocs hooks hand them to MkDocs with
`File.generated`, so nothing is ever written into `content/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content import Content
from ..progress import Progress
from .pages import SiteInfo, pages
from .render import Renderer
from .urls import Urls

__all__ = ["GeneratedFile", "SiteInfo", "Urls", "build_site"]


@dataclass(frozen=True)
class GeneratedFile:
    src_uri: str
    content: str | bytes
    #: Listed in the site navigation (the few section pages); item pages never are.
    in_nav: bool = False


def build_site(
    content: Content,
    progress: Progress,
    *,
    templates: Path,
    info: SiteInfo,
    urls: Urls,
    preview: bool = False,
) -> list[GeneratedFile]:
    renderer = Renderer(templates, urls, {"info": info, "preview": preview, "today": progress.today})
    return [GeneratedFile(src, text, in_nav) for src, text, in_nav in pages(content, progress, renderer)]
