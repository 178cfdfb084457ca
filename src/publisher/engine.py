"""Running MkDocs: the only module in the package that imports it.

`build` never leaves a half-written site: it builds into a staging folder beside the
target, checks every internal link and anchor in the rendered HTML and that nothing loads
from another host, writes the security headers, and only then swaps the new site in, in a
single atomic rename where the system allows it. A build that fails, or is killed, leaves
the previous site exactly as it was; what a killed build leaves beside it is cleared by
the next one. Two builds of the same folder never run at once (a lock file beside it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import logging
import os
import shutil
import sys
from pathlib import Path

from . import headers, linkcheck, manifest, privacy

log = logging.getLogger("publisher")


def _configure_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    for name in ("mkdocs", "publisher"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING if quiet else logging.INFO)
        logger.propagate = False


def _staging_for(target: Path) -> Path:
    return target.parent / f".{target.name}.building-{os.getpid()}"


def _clear_leftovers(target: Path) -> None:
    """Remove what builds killed part-way left beside the target.

    Only called while holding the build lock, so no other build is using them. If a build
    was killed between the two renames of the fallback swap (no site at `target`, the
    previous one set aside), the previous site is put back first.
    """
    previous = sorted(target.parent.glob(f".{target.name}.previous-*"))
    if previous and not target.exists():
        os.rename(previous[-1], target)
        log.warning("Restored the previous site at %s (a build was stopped while swapping it)", target)
        previous = previous[:-1]
    for leftover in [*target.parent.glob(f".{target.name}.building-*"), *previous]:
        shutil.rmtree(leftover, ignore_errors=True)


class BuildLocked(RuntimeError):
    pass


def _lock(target: Path):
    """Hold an exclusive lock on `.NAME.lock` beside the target for the whole build.

    The kernel releases it when the process ends, however it ends, so a killed build never
    leaves a stale lock. Returns the open lock file (keep it open to keep the lock).
    """
    handle = open(target.parent / f".{target.name}.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        handle.close()
        if error.errno in (errno.EAGAIN, errno.EACCES):
            raise BuildLocked(f"another build of {target} is running; wait for it to finish") from None
        raise
    return handle


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2). False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name or not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(staging: Path, target: Path) -> None:
    """Make `staging` the site at `target`; the old site is removed afterwards."""
    if target.exists():
        if _exchange(staging, target):
            shutil.rmtree(staging)  # now holds the previous site
            return
        previous = target.parent / f".{target.name}.previous-{os.getpid()}"
        os.rename(target, previous)
        os.rename(staging, target)
        shutil.rmtree(previous, ignore_errors=True)
    else:
        os.rename(staging, target)


def load(config_file: Path, **overrides):
    from mkdocs.config import load_config

    return load_config(str(config_file), **overrides)


def build(config_file: Path, site_dir: Path | None = None, *, quiet: bool = False, offline: bool = False) -> int:
    """Build the public site strictly and atomically. Returns the process exit code.

    `offline` builds the copy for a folder or USB stick: file URLs (`page.html`, which a
    browser opens from disk, where `page/` would show a folder) and Material's offline
    plugin, which bundles the search index so search works without a web server.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    _configure_logging(quiet)
    os.environ.pop("PUBLISHER_PREVIEW", None)  # the public build never shows drafts
    if offline:
        os.environ["PUBLISHER_OFFLINE"] = "true"  # the hooks switch to file addresses (`page.html`)
    try:
        config = load(config_file, strict=True)
    except (ConfigurationError, Abort) as error:
        log.error("%s", error)
        return 1
    target = Path(site_dir or config.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        lock = _lock(target)
    except BuildLocked as error:
        log.error("%s", error)
        return 1
    try:
        _clear_leftovers(target)
        staging = _staging_for(target)
        config.site_dir = str(staging)
        try:
            try:
                mkdocs_build(config)
            except PluginError as error:
                log.error("%s", error)
                return 1
            except Abort as error:
                log.error("%s", error.message if hasattr(error, "message") else error)
                return 1
            if not _checks_pass(staging, _theme_templates(config)):
                return 1
            swap_in(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    finally:
        lock.close()
    log.info("Site written to %s", target)
    return 0


def _theme_templates(config) -> list[str]:
    """The text of every template of the theme, its overrides included (for the CSP)."""
    texts = []
    for folder in config.theme.dirs:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix in (".html", ".md") and path.is_file():
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def _checks_pass(staging: Path, templates: list[str]) -> bool:
    """Check the built site and add its headers file; False (with the reasons logged) if
    it must not be published."""
    # Made during the build by the hooks, if they could: the links, and each page's assets
    # and scripts (completed here from the disk, once, for the two checks below).
    broken, seen = linkcheck.report_for(staging)
    seen = linkcheck.page_findings(staging, seen)
    for problem in broken:
        log.error("%s", problem)
    if broken:
        log.error("Aborted: %d broken internal link target(s); the previous site is unchanged.", len(broken))
        return False
    external = privacy.external_assets(staging, seen)
    for asset in external:
        log.error("%s (loads from another host)", asset)
    if external:
        log.error(
            "Aborted: %d asset(s) would load from another host and tell it who reads the site; "
            "serve them from the site itself. The previous site is unchanged.",
            len(external),
        )
        return False
    try:
        headers.write_netlify_file(staging, headers.theme_script_patterns(templates), seen)
    except headers.HeadersError as error:
        log.error("Aborted: %s. The previous site is unchanged.", error)
        return False
    if (staging / manifest.NAME).exists():  # written by the hooks before _headers existed
        manifest.add(staging, [headers.HEADERS_FILE])
    return True


def serve(config_file: Path, dev_addr: str, *, preview: bool = True) -> int:
    """Serve the site with live reload; drafts and embargoed updates shown in preview."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import Abort, ConfigurationError

    _configure_logging(False)
    if preview:
        os.environ["PUBLISHER_PREVIEW"] = "1"
    else:
        os.environ.pop("PUBLISHER_PREVIEW", None)
    try:
        mkdocs_serve(str(config_file), dev_addr=dev_addr, livereload=True)
    except (ConfigurationError, Abort) as error:
        log.error("%s", error)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


class _Block(str):
    """Text written to YAML as a literal block (the export's `not_in_nav` patterns)."""


def export_markdown(config_file: Path, target: Path, *, quiet: bool = False) -> int:
    """Write the public site as plain Markdown, with an `mkdocs.yml` that builds it with
    plain MkDocs and no hooks: the content made portable to another engine, and the
    baseline the scale benchmark compares `publisher build` with.

    The pages are exactly what a build would hand MkDocs (the hooks run as in a build), so
    `mkdocs build` on the export renders the same HTML; only the publisher's own steps
    (link check, manifest, search index) are left to the reader."""
    import yaml
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError
    from mkdocs.structure.files import get_files
    from mkdocs.utils.yaml import yaml_load

    _configure_logging(quiet)
    os.environ.pop("PUBLISHER_PREVIEW", None)  # like the public build: no drafts
    try:
        config = load(config_file, strict=True)
        config = config.plugins.on_config(config)
        files = config.plugins.on_files(get_files(config), config=config)
    except (ConfigurationError, Abort, PluginError) as error:
        log.error("%s", error)
        return 1
    target = Path(target).resolve()
    if target.exists() and not (target / "mkdocs.yml").is_file() and any(target.iterdir()):
        log.error("%s is not empty and holds no exported site; choose an empty or new folder", target)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(target)
    staging = _staging_for(target)
    try:
        docs = staging / "docs"
        generated_folders: set[str] = set()
        for file in files:
            out = docs / file.src_uri
            out.parent.mkdir(parents=True, exist_ok=True)
            if file.generated_by is not None:
                out.write_bytes(file.content_bytes)
                if file.is_documentation_page() and file.inclusion.is_not_in_nav():
                    folder = file.src_uri.split("/", 1)[0] if "/" in file.src_uri else None
                    generated_folders.add(f"/{folder}/**" if folder else f"/{file.src_uri}")
            else:
                shutil.copy2(file.abs_src_path, out)
        overrides = Path(config.theme.custom_dir)
        shutil.copytree(overrides, staging / "overrides", ignore=shutil.ignore_patterns("generated"))
        with open(config_file, encoding="utf-8") as stream:
            settings = yaml_load(stream)  # !ENV values resolved, as in the build
        for key in ("hooks", "watch"):
            settings.pop(key, None)
        settings.update(docs_dir="docs", site_dir="site", site_url=config.site_url or "")
        settings["theme"]["custom_dir"] = "overrides"
        own = [line.strip() for line in (settings.get("not_in_nav") or "").splitlines() if line.strip()]
        settings["not_in_nav"] = _Block("\n".join(own + sorted(generated_folders)) + "\n")
        header = (
            "# Exported by `publisher export-markdown`: the generated site as plain Markdown.\n"
            "# Build it with plain MkDocs and Material (no hooks): `mkdocs build`.\n"
        )
        dumper = type("Dumper", (yaml.SafeDumper,), {})
        dumper.add_representer(_Block, lambda d, text: d.represent_scalar("tag:yaml.org,2002:str", text, style="|"))
        (staging / "mkdocs.yml").write_text(
            header + yaml.dump(settings, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
        )
        swap_in(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    log.info("Exported %d files to %s", len(files), target)
    return 0
