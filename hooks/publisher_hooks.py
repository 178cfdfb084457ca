"""MkDocs hooks: the thin adapter between MkDocs and the publisher core.

MkDocs calls these functions by name (see `hooks:` in mkdocs.yml). They only translate:
MkDocs config in, `publisher.site.GeneratedFile`s out. Everything else (reading and
validating content, deriving statuses, laying out pages) happens in `src/publisher`.
"""

from __future__ import annotations

import logging
from html import unescape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from publisher import linkcheck, manifest, permalinks, search_index, settings
from publisher.exports import Licence
from publisher.problems import ContentError
from publisher.progress import derive
from publisher.site import Extras, SiteInfo, Urls, build_site

_generated: list = []
#: The search index being built beside the pages (publisher.search_index), and the link
#: check scanning them as they are written (publisher.linkcheck.Collector).
_search: list = []
_links: list = []
log = logging.getLogger("publisher")


#: Lets search run from file://; vendored so the offline plugin does not load it from unpkg.com.
IFRAME_WORKER_SHIM = "assets/javascripts/vendor/iframe-worker-shim.js"


@event_priority(50)  # before Material's offline plugin, which adds the shim from a CDN if none is listed
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    project = Path(config.config_file_path).parent
    try:
        options = settings.from_environment()
        # The preview also shows an update whose text is still being written.
        content, redirects = permalinks.load(project / "content", unfinished_ok=options.preview, today=options.today)
    except ContentError as error:
        raise PluginError("The content has problems; nothing was built.\n" + error.report()) from None
    except settings.SettingsError as error:
        raise PluginError(str(error)) from None
    if options.offline:
        # What Material's offline plugin would do, done first so the links made below agree.
        config.use_directory_urls = False
        polyfills = config.extra.setdefault("polyfills", [])
        if IFRAME_WORKER_SHIM not in polyfills:
            polyfills.append(IFRAME_WORKER_SHIM)
    progress = derive(content, options.today, options.preview)
    permanence, page_of_url = permalinks.assess(
        content, progress, register_path=project / permalinks.REGISTER, pages_dir=Path(config.docs_dir),
        written=redirects, preview=options.preview,
    )
    if permanence.problems:
        raise PluginError(
            "A published address would stop working; nothing was built.\n" + ContentError(permanence.problems).report()
        )
    if permanence.unregistered and (project / permalinks.REGISTER).is_file():
        log.info(
            "%d new permanent address(es) not yet in %s; run `publisher register` to add them",
            len(permanence.unregistered), permalinks.REGISTER,
        )
    licence = config.extra.get("licence")
    if licence is not None and not (isinstance(licence, dict) and {"name", "title", "url"} <= set(licence)):
        raise PluginError("mkdocs.yml: extra.licence needs a name, a title and a url (or remove it)")
    info = SiteInfo(
        name=config.site_name,
        url=(config.site_url or "").rstrip("/") + "/",
        publisher=config.extra.get("publisher", config.site_name),
        contact=config.extra.get("contact_email") or "",
    )
    try:
        _generated[:] = build_site(
            content,
            progress,
            templates=Path(config.theme.custom_dir) / "generated",
            info=info,
            urls=Urls(config.use_directory_urls),
            preview=options.preview,
            extras=Extras(
                moved=permanence.moved,
                description=config.site_description or "",
                licence=Licence(licence["name"], licence["title"], licence["url"]) if licence else None,
            ),
            page_of_url=page_of_url,
        )
    except ContentError as error:  # a page would claim more than the record holds (publisher.record)
        raise PluginError("A page would say more than the content holds; nothing was built.\n" + error.report()) from None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # MkDocs copies a theme's non-HTML files as static assets; the page templates in
    # site_overrides/generated/ (such as the Atom feed's) are not assets.
    templates = Path(config.theme.custom_dir) / "generated"
    for template in [f for f in files if f.abs_src_path and Path(f.abs_src_path).is_relative_to(templates)]:
        files.remove(template)
    for generated in _generated:
        if files.get_file_from_path(generated.src_uri) is not None:
            raise PluginError(
                f"content/pages/{generated.src_uri} clashes with a page the site generates; rename or remove it"
            )
        inclusion = InclusionLevel.UNDEFINED if generated.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, generated.src_uri, content=generated.content, inclusion=inclusion))
    return files


def _material_search(config: MkDocsConfig) -> bool:
    """True in the offline copy, which searches with Material's plugin instead of Pagefind."""
    plugin = config.plugins.get("material/search")
    return bool(plugin and plugin.config.enabled)


def on_pre_build(config: MkDocsConfig) -> None:
    on_build_error(None)  # a previous build (mkdocs serve) that failed part-way
    if not _material_search(config):
        try:
            _search.append(search_index.Indexer(Path(config.site_dir)))
        except search_index.SearchIndexError as error:
            raise PluginError(str(error)) from None
    _links.append(linkcheck.Collector())


@event_priority(-100)  # last, so the checks see the page exactly as it is written
def on_post_page(output: str, page, config: MkDocsConfig) -> str:
    if _links:
        _links[0].add(page.file.dest_uri, output)
    return output


def on_page_content(html: str, page, config: MkDocsConfig, files: Files) -> str:
    if _search and not search_index.excluded(page.meta):
        # A page's title is HTML (the theme writes it into the page as it is), so `&amp;`
        # and `&#x27;` must become text before the index stores it.
        _search[0].add(html, page.url, unescape(page.meta.get("title") or page.title or ""))
    return html


def on_env(env, config: MkDocsConfig, files: Files):
    if _search:  # every page's content is in: index it while MkDocs writes the pages
        try:
            _search[0].start()
        except search_index.SearchIndexError as error:
            raise PluginError(str(error)) from None
    return env


def on_build_error(error: Exception | None) -> None:
    while _search:
        _search.pop().close()
    while _links:
        _links.pop().close()


def on_post_build(config: MkDocsConfig) -> None:
    if _search:  # not in the offline copy, which Material's search plugin indexes
        try:
            _search.pop().write(Path(config.site_dir))
        except search_index.SearchIndexError as error:
            raise PluginError(str(error)) from None
    # Last, so it lists every file the build wrote.
    manifest.write(Path(config.site_dir))
    if _links:  # the report waits for `publisher build` (engine), which decides what to do
        _links.pop().finish(Path(config.site_dir))
