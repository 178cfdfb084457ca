"""The generated site: every page made from the content, as in-memory files.

`build_site` returns `GeneratedFile`s; the MkDocs hooks hand them to MkDocs with
`File.generated`, so nothing is ever written into `content/`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import citation, exports, record
from ..content import Content
from ..problems import ContentError
from ..progress import Progress, derive
from . import as_at, parallel, permanence
from . import urls as paths
from .pages import SiteInfo, pager, pages, shared_context
from .render import Renderer
from .urls import Urls

__all__ = ["GeneratedFile", "SiteInfo", "Urls", "build_site", "page_sources"]


@dataclass(frozen=True)
class GeneratedFile:
    src_uri: str
    content: str | bytes
    #: Listed in the site navigation (the few section pages); item pages never are.
    in_nav: bool = False


@dataclass(frozen=True)
class Extras:
    """What the citable-site pages need beyond the content (see `site.permanence`)."""

    #: Checked redirects (`permalinks.check`): redirect pages and moved-anchor notes.
    moved: list = field(default_factory=list)
    description: str = ""
    licence: Any = None


def _public(content: Content, progress: Progress, preview: bool) -> Progress:
    """The derivation the public sees: open data and past positions never show drafts."""
    return derive(content, progress.today) if preview else progress


class _Listing:
    """A renderer that renders nothing: lists the pages without the cost of templates."""

    listing = True

    def __init__(self, today, preview: bool):
        self.today, self.preview, self.urls = today, preview, Urls()

    def render(self, src: str, template: str, meta: dict, **context: Any) -> str:
        return ""

    def render_plain(self, template: str, **context: Any) -> str:
        return ""


def page_sources(content: Content, progress: Progress, *, preview: bool = False) -> list[str]:
    """The source path of every page a build generates (not redirects), without rendering."""
    listing = _Listing(progress.today, preview)
    public = _public(content, progress, preview)
    page = pager(listing, {})
    found = [src for src, _, _ in pages(content, progress, listing)]
    found += [src for src, _, _ in as_at.pages(content, public, progress.today, page)]
    return found + [paths.CITE, paths.DATA]


def build_site(
    content: Content,
    progress: Progress,
    *,
    templates: Path,
    info: SiteInfo,
    urls: Urls,
    preview: bool = False,
    extras: Extras | None = None,
    page_of_url: dict[str, str] | None = None,
) -> list[GeneratedFile]:
    extras = extras or Extras()
    public = _public(content, progress, preview)
    version = citation.data_version(content.root, public.updates)
    renderer = Renderer(templates, urls, {"info": info, "preview": preview, "today": progress.today})
    citing = permanence.Citing(
        content, progress, site_url=info.url, publisher=info.publisher, version=version,
        moved=extras.moved, link=urls, page_of_url=page_of_url or {},
    )
    renderer.env.globals.update(citing.globals())
    page = pager(renderer, shared_context(content, progress))
    files = exports.data_files(
        content, public, base_url=info.url, title=f"{info.name}: open data", description=extras.description,
        publisher=info.publisher, licence=extras.licence, version=version,
    )

    def produce() -> list[tuple[str, str, bool]]:
        return [
            *pages(content, progress, renderer),
            *as_at.pages(content, public, progress.today, page),
            *permanence.cite_page(content, progress, citing, page),
            *permanence.data_page(
                content, public, citing, files, name=info.name, description=extras.description, licence=extras.licence, page=page,
            ),
            *permanence.redirect_pages(citing, extras.moved, page),
        ]

    if parallel.worthwhile(len(content.recommendations) + len(public.updates)):
        produced = parallel.render_in_two(renderer, produce)
    else:
        produced = produce()
    generated = [GeneratedFile(src, text, in_nav) for src, text, in_nav in produced]
    _refuse_claims_of_completeness(content, generated)
    generated += [GeneratedFile(paths.data_file(f.name), f.content) for f in files]
    return generated


def _refuse_claims_of_completeness(content: Content, generated: list[GeneratedFile]) -> None:
    """No generated page may say 'every recommendation they made' while the record is short
    (see `publisher.record`); templates word their counts from the record instead."""
    tally = record.tally(content)
    if tally.complete:
        return
    problems = [
        problem
        for f in generated if isinstance(f.content, str)
        for problem in record.claim_problems(f"{f.src_uri} (a generated page)", f.content, tally)
    ]
    if problems:
        raise ContentError(problems)
