"""From a project's content to its generated pages, with no MkDocs in it: what the hooks
run before every build, and a preview session (`publisher.preview`) before its first.

    load the content and its redirects  ->  derive every status  ->  check the permanent
    addresses  ->  render the pages (`publisher.site.build_site`)

`SiteSettings` is what the site's settings (mkdocs.yml) contribute. A build that must not
go ahead raises `Refused`, with every problem as path:line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import THEME, permalinks
from .content import Content
from .exports import Licence
from .problems import ContentError, Problem
from .progress import Progress, derive
from .settings import Settings
from .site import Extras, GeneratedFile, SiteInfo, Urls, build_site, render_deferred


@dataclass(frozen=True)
class SiteSettings:
    """What the generated pages need from the site's settings, in the core's terms."""

    #: The folder holding content/ and the register of permanent addresses.
    project: Path
    #: The hand-written pages (MkDocs' docs_dir).
    pages_dir: Path
    #: The folders of page templates, searched in order: the site's own overrides
    #: (`site_overrides/generated`), then the package's (`publisher/theme/generated`).
    templates: tuple[Path, ...]
    info: SiteInfo
    #: Directory addresses (`page/`); False for the copy that works from a folder (`page.html`).
    directory_urls: bool = True
    description: str = ""
    licence: Licence | None = None

    @property
    def content_dir(self) -> Path:
        return self.project / "content"

    @property
    def register(self) -> Path:
        return self.project / permalinks.REGISTER


def template_folders(custom_dir: Path | None) -> tuple[Path, ...]:
    """The page-template folders a site's theme gives, searched in order: its own
    overrides' `generated/` (if it has one), then the package's."""
    own = Path(custom_dir) / "generated" if custom_dir else None
    return ((own,) if own is not None and own.is_dir() else ()) + (THEME / "generated",)


class Refused(Exception):
    """What stops the pages being made ("The content has problems"), with every problem."""

    def __init__(self, what: str, problems: list[Problem]):
        super().__init__(what)
        self.what, self.problems = what, problems

    def report(self, consequence: str) -> str:
        """The headline with what it means (`consequence`), then each problem as path:line."""
        return f"{self.what}; {consequence}\n{ContentError(self.problems).report()}"


@dataclass
class Generated:
    files: list[GeneratedFile]
    #: Addresses published for the first time (not yet in the register).
    unregistered: list[str]


def load(site: SiteSettings, options: Settings) -> tuple[Content, list]:
    """The content and its redirects; the preview also takes an update whose text is still
    being written (it is marked so)."""
    try:
        return permalinks.load(site.content_dir, unfinished_ok=options.preview, today=options.today)
    except ContentError as error:
        raise Refused("The content has problems", error.problems) from None


def assess(site: SiteSettings, content: Content, progress: Progress, redirects: list, options: Settings):
    """The permanent-address check: (its outcome, each page address with its source)."""
    permanence, page_of_url = permalinks.assess(
        content, progress, register_path=site.register, pages_dir=site.pages_dir,
        written=redirects, preview=options.preview,
    )
    if permanence.problems:
        raise Refused("A published address would stop working", permanence.problems)
    return permanence, page_of_url


def render(site: SiteSettings, content: Content, progress: Progress, moved: list, page_of_url: dict, options: Settings, **build) -> list[GeneratedFile]:
    """The generated pages and data files (`build` goes to `site.build_site`)."""
    try:
        return build_site(
            content, progress, templates=site.templates, info=site.info, urls=Urls(site.directory_urls),
            preview=options.preview, extras=Extras(moved=moved, description=site.description, licence=site.licence),
            page_of_url=page_of_url, **build,
        )
    except ContentError as error:  # a page would claim more than the record holds (publisher.record)
        raise Refused(_SAYS_MORE, error.problems) from None


def render_later(content: Content, deferred: list[GeneratedFile]) -> list[GeneratedFile]:
    """The pages a preview's refresh left to render after it returned, checked as
    `render` checks every page (`site.render_deferred`)."""
    try:
        return render_deferred(content, deferred)
    except ContentError as error:
        raise Refused(_SAYS_MORE, error.problems) from None


_SAYS_MORE = "A page would say more than the content holds"


def generate(site: SiteSettings, options: Settings) -> Generated:
    """Every generated page and data file of the site, or `Refused`."""
    content, redirects = load(site, options)
    progress = derive(content, options.today, options.preview)
    permanence, page_of_url = assess(site, content, progress, redirects, options)
    files = render(site, content, progress, permanence.moved, page_of_url, options)
    unregistered = list(permanence.unregistered) if site.register.is_file() else []
    return Generated(files, unregistered)
