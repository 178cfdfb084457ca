"""MkDocs hooks: the thin adapter between MkDocs and the publisher core.

MkDocs calls these functions by name (see `hooks:` in mkdocs.yml). They only translate:
MkDocs config in, `publisher.site.GeneratedFile`s out. Everything else (reading and
validating content, deriving statuses, laying out pages) happens in `src/publisher`.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from publisher import settings
from publisher.content import load_content
from publisher.problems import ContentError
from publisher.progress import derive
from publisher.site import SiteInfo, Urls, build_site

_generated: list = []


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    project = Path(config.config_file_path).parent
    try:
        options = settings.from_environment()
        # The preview also shows an update whose text is still being written.
        content = load_content(project / "content", unfinished_ok=options.preview)
    except ContentError as error:
        raise PluginError("The content has problems; nothing was built.\n" + error.report()) from None
    except settings.SettingsError as error:
        raise PluginError(str(error)) from None
    progress = derive(content, options.today, options.preview)
    info = SiteInfo(
        name=config.site_name,
        url=(config.site_url or "").rstrip("/") + "/",
        publisher=config.extra.get("publisher", config.site_name),
        contact=config.extra.get("contact_email") or "",
    )
    _generated[:] = build_site(
        content,
        progress,
        templates=Path(config.theme.custom_dir) / "generated",
        info=info,
        urls=Urls(config.use_directory_urls),
        preview=options.preview,
    )
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for generated in _generated:
        if files.get_file_from_path(generated.src_uri) is not None:
            raise PluginError(
                f"content/pages/{generated.src_uri} clashes with a page the site generates; rename or remove it"
            )
        inclusion = InclusionLevel.UNDEFINED if generated.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, generated.src_uri, content=generated.content, inclusion=inclusion))
    return files
