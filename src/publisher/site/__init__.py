"""The generated site: every page made from the content, as in-memory files.

`build_site` returns `GeneratedFile`s; the MkDocs hooks hand them to MkDocs with
`File.generated`, so nothing is ever written into `content/`. A preview session
(`publisher.preview`) calls it again after each edit with a `site.tracking.Tracker`, and
what it can `Reuse`, so only the pages the edit changed are rendered again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from .. import citation, exports, record
from ..content import Content
from ..problems import ContentError
from ..progress import Progress, derive
from . import as_at, parallel, permanence
from . import urls as paths
from .pages import SiteInfo, pager, pages, shared_context
from .render import Later, Renderer, Unchanged
from .urls import Urls

__all__ = ["GeneratedFile", "PREVIEW_VERSION", "Reuse", "SiteInfo", "Urls", "build_site", "page_sources", "render_deferred"]

#: The data version the preview shows. The real one (a hash of every published content
#: file) changes with any edit and is on every item page, so a preview showing it would
#: have to rebuild every page on every save; the version is the public site's to give.
PREVIEW_VERSION = "preview"


@dataclass(frozen=True)
class GeneratedFile:
    src_uri: str
    content: str | bytes
    #: Listed in the site navigation (the few section pages); item pages never are.
    in_nav: bool = False


@dataclass(frozen=True)
class Reuse:
    """What a preview refresh keeps from its last build instead of making it again, because
    the public record (which they show) has not changed."""

    #: The open-data files.
    data_files: list | None = None
    #: True: the past positions (`as-at/`) are left out, their pages being what they were.
    past: bool = False
    #: The past positions of the last build, those before `kept.since` to be kept as they
    #: were (`as_at.Kept`); filled with this build's.
    kept: as_at.Kept | None = None
    #: Files made in earlier passes, by what they were made from (the citation files by
    #: their citation, the items' feeds by their entries): the preview keeps this from one
    #: refresh to the next, so what an edit did not change is not made again. A build has
    #: none: it makes each file once, and keeping them all would cost memory.
    memo: dict | None = None


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
    templates: Sequence[Path],
    info: SiteInfo,
    urls: Urls,
    preview: bool = False,
    extras: Extras | None = None,
    page_of_url: dict[str, str] | None = None,
    public: Progress | None = None,
    tracker=None,
    reuse: Reuse | None = None,
    version: str | None = None,
) -> list[GeneratedFile]:
    """Every generated page and data file. A page a `tracker` found unchanged comes back
    with `Unchanged` as its content (its Markdown is what it was). `public` is the public
    derivation if at hand (in preview, `progress` includes drafts). `version`: the data
    version to show (by default the content's, or `PREVIEW_VERSION` in preview)."""
    extras, reuse = extras or Extras(), reuse or Reuse()
    public = public or _public(content, progress, preview)
    if version is None:
        version = PREVIEW_VERSION if preview else citation.data_version(content.root, public.updates)
    renderer = Renderer(templates, urls, {"info": info, "preview": preview, "today": progress.today})
    renderer.memo = reuse.memo
    citing = permanence.Citing(
        content, progress, site_url=info.url, publisher=info.publisher, version=version,
        moved=extras.moved, link=urls, page_of_url=page_of_url or {},
        files_made=None if reuse.memo is None else reuse.memo.setdefault("citation files", {}),
        remembered=None if reuse.memo is None else reuse.memo.setdefault("citing", {}),
    )
    renderer.env.globals.update(citing.globals())
    shared = shared_context(content, progress)
    if tracker is not None:
        tracker.install(renderer.env.globals)
        renderer.tracker = tracker
    page = pager(renderer, shared)
    files = reuse.data_files if reuse.data_files is not None else open_data(content, public, info, extras, version)

    def produce() -> list[tuple[str, str, bool]]:
        return [
            *pages(content, progress, renderer, info),
            *([] if reuse.past else as_at.pages(content, public, progress.today, page, reuse.kept)),
            *permanence.cite_page(content, progress, citing, page),
            *permanence.data_page(
                content, public, citing, files, name=info.name, description=extras.description, licence=extras.licence, page=page,
            ),
            *permanence.redirect_pages(citing, extras.moved, page),
        ]

    # A preview's refresh that keeps the item pages (`Tracker.settled`) renders in one
    # process: a second would walk the same 50,000 pages to render a handful, and forking,
    # freezing and handing back cost more than it saves.
    settled = tracker is not None and tracker.settled
    if parallel.worthwhile(len(content.recommendations) + len(public.updates)) and not settled:
        produced = parallel.render_in_two(renderer, produce)
    else:
        produced = produce()
    generated = [GeneratedFile(src, text, in_nav) for src, text, in_nav in produced]
    # A deferred page is checked when it is rendered (`render_deferred`).
    _refuse_claims_of_completeness(content, [f for f in generated if not isinstance(f.content, Later)])
    generated += [GeneratedFile(paths.data_file(f.name), f.content) for f in files]
    _forget_caches()
    return generated


def render_deferred(content: Content, files: Sequence[GeneratedFile]) -> list[GeneratedFile]:
    """The pages a preview's refresh left to render after it returned (`render.Deferred`),
    rendered now, before the next refresh, and checked as `build_site` checks every page;
    a page found unchanged comes back with `Unchanged` as its content."""
    made = [GeneratedFile(f.src_uri, f.content.make(), f.in_nav) for f in files]
    _refuse_claims_of_completeness(content, [f for f in made if not isinstance(f.content, Unchanged)])
    _forget_caches()  # what rendering them cached again
    return made


def open_data(content: Content, public: Progress, info: SiteInfo, extras: Extras, version: str, memo: dict | None = None) -> list:
    """The open-data files (`publisher.exports`), from the public derivation. `memo`: a
    preview's rows written before (`exports.to_csv`)."""
    return exports.data_files(
        content, public, base_url=info.url, title=f"{info.name}: open data", description=extras.description,
        publisher=info.publisher, licence=extras.licence, version=version, package=exports.package_name(info.name), memo=memo,
    )


def _forget_caches() -> None:
    """Let go of what this build cached (sorted theme lists, past positions): they hold the
    whole derivation, which MkDocs no longer needs while it renders the pages."""
    import importlib

    module = importlib.import_module(".pages", __name__)  # `pages` here is its function
    module._sorted_themes.clear()
    module.forget_titles()
    as_at.forget()


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
