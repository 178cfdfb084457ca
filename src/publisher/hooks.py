"""MkDocs hooks: the thin adapter between MkDocs and the publisher core.

MkDocs calls these functions by name, from the file `hooks:` in a site's mkdocs.yml names:
a site's `hooks/publisher_hooks.py` is one line, `from publisher.hooks import *` (written
by `publisher init`), so every tracker runs the same adapter from the installed package.
They only translate: MkDocs config in, `publisher.site.GeneratedFile`s out, and the
package's theme (`publisher.THEME`) added under the site's own overrides. Everything else
(reading and validating content, deriving statuses, laying out pages) happens in the core.
"""

from __future__ import annotations

import logging
from functools import partial
from html import unescape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from . import THEME, engine, generate, html_blocks, linkcheck, manifest, pageweight, permalinks, preview, search_index, settings, tracker
from .exports import Licence
from .problems import ContentError
from .site import SiteInfo

#: What a site's hooks file takes from here (`from publisher.hooks import *`).
__all__ = [
    "on_config", "on_files", "on_pre_build", "on_post_page", "on_page_content", "on_nav",
    "on_page_markdown", "on_env", "on_build_error", "on_post_build",
]

_generated: list = []
#: The search index being built beside the pages (publisher.search_index), and the link
#: check scanning them as they are written (publisher.linkcheck.Collector).
_search: list = []
_links: list = []
#: Converting half the pages' Markdown in a second process (publisher.engine.Converter).
_converter: list = []
#: The generated files that are not pages, and the process writing them beside MkDocs
#: (publisher.engine.FilesApart).
_static: list = []
_apart: list = []
log = logging.getLogger("publisher")


#: Lets search run from file://; vendored so the offline plugin does not load it from unpkg.com.
IFRAME_WORKER_SHIM = "assets/javascripts/vendor/iframe-worker-shim.js"


@event_priority(50)  # before Material's offline plugin, which adds the shim from a CDN if none is listed
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    engine.scan_anchors_quickly()
    engine.read_front_matter_quickly()
    html_blocks.install()
    try:
        facts = tracker.check(Path(config.config_file_path), dict(config.extra))
        options = settings.from_environment(time_zone=facts.zone)
    except ContentError as error:
        raise PluginError(f"mkdocs.yml has problems; nothing was built.\n{error.report()}") from None
    except settings.SettingsError as error:
        raise PluginError(str(error)) from None
    if options.offline:
        # What Material's offline plugin would do, done first so the links made below agree.
        config.use_directory_urls = False
        polyfills = config.extra.setdefault("polyfills", [])
        if IFRAME_WORKER_SHIM not in polyfills:
            polyfills.append(IFRAME_WORKER_SHIM)
    add_package_theme(config)
    site = site_settings(config, facts)
    # A preview session (`publisher serve`) makes the pages itself, so that after an edit it
    # can make again only those the edit changed.
    session = preview.active()
    try:
        made = session.first(site) if session is not None else generate.generate(site, options)
    except generate.Refused as refused:
        raise PluginError(refused.report("nothing was built.")) from None
    if made.unregistered:
        log.info(
            "%d new permanent address(es) not yet in %s; run `publisher register` to add them",
            len(made.unregistered), permalinks.REGISTER,
        )
    _generated[:] = made.files
    return config


def add_package_theme(config: MkDocsConfig) -> None:
    """The package's theme between the site's own overrides (`theme.custom_dir`, first)
    and Material's: MkDocs searches `theme.dirs` in order for templates and static files."""
    dirs = config.theme.dirs
    if str(THEME) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))


def site_settings(config: MkDocsConfig, facts: tracker.Tracker) -> generate.SiteSettings:
    """What the generated pages need from mkdocs.yml (`facts`: its `extra:`, checked)."""
    licence = facts.licence
    return generate.SiteSettings(
        project=Path(config.config_file_path).parent,
        pages_dir=Path(config.docs_dir),
        templates=generate.template_folders(config.theme.custom_dir),
        info=SiteInfo(
            name=config.site_name,
            url=(config.site_url or "").rstrip("/") + "/",
            publisher=facts.publisher,
            contact=facts.contact_email or "",
            subject=facts.subject,
            body=facts.body,
            heading=facts.home.heading,
            lead=facts.home.lead,
        ),
        directory_urls=config.use_directory_urls,
        description=config.site_description or "",
        licence=Licence(licence.name, licence.title, licence.url) if licence else None,
    )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # MkDocs copies a theme's non-HTML files as static assets; the page templates in the
    # theme's generated/ folders (such as the Atom feed's) are not assets.
    templates = generate.template_folders(config.theme.custom_dir)
    for template in [f for f in files if f.abs_src_path and any(Path(f.abs_src_path).is_relative_to(t) for t in templates)]:
        files.remove(template)
    for generated in _generated:
        if files.get_file_from_path(generated.src_uri) is not None:
            raise PluginError(
                f"content/pages/{generated.src_uri} clashes with a page the site generates; rename or remove it"
            )
        inclusion = InclusionLevel.UNDEFINED if generated.in_nav else InclusionLevel.NOT_IN_NAV
        made = File.generated(config, generated.src_uri, content=generated.content, inclusion=inclusion)
        files.append(made)
        if not made.is_documentation_page():
            _static.append(made)
    _generated.clear()  # MkDocs' files hold the pages now
    # Issue 18: the site's own CSS and JS, minified, under content-hashed names that hosts
    # may cache for ever (the logic, and why, in publisher.assets).
    from . import assets

    assets.fingerprint(files, config)
    return files


def _material_search(config: MkDocsConfig) -> bool:
    """True in the offline copy, which searches with Material's plugin instead of Pagefind."""
    plugin = config.plugins.get("material/search")
    return bool(plugin and plugin.config.enabled)


def on_pre_build(config: MkDocsConfig) -> None:
    on_build_error(None)  # a previous build (mkdocs serve) that failed part-way
    session = preview.active()
    if not _material_search(config):
        try:
            # A preview keeps its index's pages, to index again after each edit.
            _search.append(search_index.Indexer(Path(config.site_dir), keep=session is not None))
        except search_index.SearchIndexError as error:
            raise PluginError(str(error)) from None
        if session is not None:
            session.search = _search[0]
    if session is None:  # a preview is not published: no link report, no manifest
        _links.append(linkcheck.Collector())


@event_priority(-100)  # last, so the checks see the page exactly as it is written
def on_post_page(output: str, page, config: MkDocsConfig) -> str:
    output = pageweight.collapse(output)  # the templates' indentation, a tenth of a page
    if _links:
        _links[0].add(page.file.dest_uri, output)
    engine.release_page(page)
    return output


def on_page_content(html: str, page, config: MkDocsConfig, files: Files) -> str:
    # During a build, its index; in a preview refreshing a page, the preview's index.
    session = preview.active()
    index = _search[0] if _search else (session.search if session is not None else None)
    if index is None:
        return html
    if not search_index.excluded(page.meta):
        converter = _converter[0] if _converter else None
        written = converter is not None and converter.indexed(page)  # by the child that converted it
        index.add(html, page.url, _search_title(page), written=written)
    else:
        # In a preview, an address whose page is now kept out of search (an update's
        # page replaced by a redirect) leaves the index; in a build it was never in it.
        index.remove(page.url)
    return html


def _search_title(page) -> str:
    # A page's title is HTML (the theme writes it into the page as it is), so `&amp;` and
    # `&#x27;` must become text before the index stores it.
    return unescape(page.meta.get("title") or page.title or "")


def _index_in_child(page) -> bool:
    """In a child process converting pages (`engine.Converter`): the page written for the
    search index there, as `on_page_content` would in the build's process."""
    if search_index.excluded(page.meta):
        return False
    _search[0].add(page.content, page.url, _search_title(page))
    return True


def on_nav(nav, config: MkDocsConfig, files: Files):
    # Last before MkDocs converts the pages: a large site's are converted on two cores.
    pages = files.documentation_pages()
    if _search:  # how many parts the index is made in
        _search[0].expect(len(pages))
    if engine.Converter.worthwhile(len(pages)):
        # The children write their pages for the index too, unless a plugin's
        # `on_page_content` might change a page's HTML before this module's sees it.
        alone = _search and len(config.plugins.events["page_content"]) == 1
        _converter.append(engine.Converter(config, files, pages, index=_index_in_child if alone else None))
    return nav


def on_page_markdown(markdown: str, page, config: MkDocsConfig, files: Files) -> str:
    converter = _converter[0] if _converter else None
    if converter is not None:
        converter.tick(page)
    # MkDocs has read it: the page's Markdown is all it needs (a child converting it was
    # forked before, or will be given only pages after this one).
    engine.release_source(page)
    if converter is not None and converter.takes(page):
        # MkDocs converts the page next: take the second process's conversion instead.
        page.render = partial(converter.adopt, page)
    return markdown


def on_env(env, config: MkDocsConfig, files: Files):
    while _converter:  # every page is converted by now
        _converter.pop().finish()
    # MkDocs writes its static files next: a large site's generated ones are written beside
    # it instead (not in a preview, which writes only what an edit changed).
    static = [file for file in _static if file.inclusion.is_included()]
    _static.clear()
    if preview.active() is None and engine.FilesApart.worthwhile(len(static)):
        _apart.append(engine.FilesApart(static))
    if _search:  # every page's content is in: index it while MkDocs writes the pages
        # (in `publisher build`, once the build has ended: search_index.indexed_afterwards)
        try:
            # A preview's index yields the cores to the refreshes an author is waiting for:
            # on a national tracker Pagefind takes minutes over the first build's pages.
            _search[0].start(yielding=preview.active() is not None)
        except search_index.SearchIndexError as error:
            raise PluginError(str(error)) from None
    return env


def on_build_error(error: Exception | None) -> None:
    _static.clear()
    while _converter:
        _converter.pop().stop()
    while _apart:
        _apart.pop().stop()
    while _search:
        _search.pop().close()
    while _links:
        _links.pop().close()


def on_post_build(config: MkDocsConfig) -> None:
    while _apart:  # the checks below read the whole site
        if not _apart.pop().wait():
            raise PluginError("the citation files, feeds and open data could not be written (the process writing them failed)")
    if preview.active() is not None:
        if _search:  # the preview is served at once; its search follows when ready
            _search.pop().finish_in_background(Path(config.site_dir))
        return
    if _search:  # not in the offline copy, which Material's search plugin indexes
        try:
            _search.pop().write(Path(config.site_dir))
        except search_index.SearchIndexError as error:
            raise PluginError(str(error)) from None
    # Last, so it lists every file the build wrote (`publisher build` writes it after
    # this process, while the search index is made: engine.build).
    if manifest.deferred():
        manifest.reserve(Path(config.site_dir))
    else:
        manifest.write(Path(config.site_dir))
    if _links:  # the report waits for `publisher build` (engine), which decides what to do
        _links.pop().finish(Path(config.site_dir))
        if not manifest.deferred():  # plain `mkdocs build`: no one asks for it
            linkcheck.report_for(Path(config.site_dir))
