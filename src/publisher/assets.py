"""The site's own CSS and JavaScript, minified and published under content-hashed names.

Material publishes its own files as `main.<hash>.min.css` and `bundle.<hash>.min.js`: the
name changes whenever the content does, so a host can let browsers keep them for a year
(`Cache-Control: immutable`, see `publisher.headers.immutable_paths`) and an update to
the site is never shown with last month's stylesheet. The project's own stylesheets and
scripts (`assets/stylesheets/*.css` and `assets/javascripts/*.js` of the package's theme,
`publisher/theme/`, or of a site's own overrides; third-party files under `vendor/` keep
their names) get the same treatment here:

- each is minified (rcssmin, rjsmin: comments and spaces only, nothing renamed);
- it is published as `<name>.<first 8 hex digits of its SHA-256>.<ext>`, in place of
  `<name>.<ext>` (which is not published at all, so nothing can link to a stale copy);
- the explorer's script is published with the search box's script before it, as one
  file (`COMBINED`), so the explorer's pages load one script instead of two;
- `extra_css` and `extra_javascript` are pointed at the new names, and the theme's
  templates find any other one (the theme's main.html writes each script only on the
  pages that use it) in `config.extra["hashed_assets"]`, by its plain path;
- `manifest.sha256` lists the new names like every other file.

The same content gives the same names in any build, so builds stay reproducible.

The MkDocs hook (`publisher.hooks`, `on_files`) calls `fingerprint(files, config)`.
This module imports nothing from MkDocs (a test enforces it for the whole core): it works
on any collection of files that has MkDocs' `File` interface (`src_uri`, `abs_src_path`,
`content_bytes`, `dest_uri`).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

from . import THEME

#: Where the project's own files are, in the theme's folder and in the built site.
FOLDERS = ("assets/stylesheets/", "assets/javascripts/")
#: Vendored third-party files keep the names their projects gave them.
KEPT = ("assets/javascripts/vendor/",)
SUFFIXES = (".css", ".js")
HASH_LENGTH = 8
#: The key of `config.extra` that maps each plain path to its published (hashed) path.
EXTRA_KEY = "hashed_assets"
#: Scripts published as one file: the explorer's pages also need the search box's script,
#: and on a slow connection one request costs less than two (each carries its headers).
#: The published `explorer.<hash>.js` is search.js then explorer.js; `search.<hash>.js`
#: is still published for every other page.
COMBINED = {"assets/javascripts/explorer.js": ("assets/javascripts/search.js", "assets/javascripts/explorer.js")}

#: A published name that carries a content hash, the project's (`publisher.1a2b3c4d.css`)
#: or Material's (`main.57a0d79d.min.css`, `bundle.a5f9d56c.min.js`): such a file never
#: changes under its name, so it may be cached for ever.
HASHED_NAME = re.compile(r"\.[0-9a-f]{8}(?:\.min)?\.(?:css|js)$")


def is_own(src_uri: str) -> bool:
    """True for a stylesheet or script of the project's own (not Material's, not vendored)."""
    return src_uri.startswith(FOLDERS) and not src_uri.startswith(KEPT) and src_uri.endswith(SUFFIXES)


def minify(src_uri: str, text: str) -> str:
    """The file's text minified: comments and white space removed, nothing renamed."""
    if src_uri.endswith(".css"):
        import rcssmin

        return rcssmin.cssmin(text).strip() + "\n"
    import rjsmin

    return rjsmin.jsmin(text).strip() + "\n"


def hashed_name(src_uri: str, content: bytes) -> str:
    """`assets/stylesheets/publisher.css` -> `assets/stylesheets/publisher.<hash>.css`."""
    path = PurePosixPath(src_uri)
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def combine(parts: list[bytes]) -> bytes:
    """Scripts as one file, each ending its last statement (they are self-contained)."""
    return b";\n".join(part.rstrip().rstrip(b";") for part in parts) + b";\n"


def _theme_file(file: Any, folders: list[Path]) -> bool:
    """The file comes from the package's theme or the site's overrides (`folders`,
    resolved), not Material's."""
    if not getattr(file, "abs_src_path", None):
        return False
    path = Path(file.abs_src_path).resolve()
    return any(path.is_relative_to(folder) for folder in folders)


def fingerprint(files: Iterable[Any], config: Any) -> dict[str, str]:
    """Minify and rename the project's own CSS and JS among `files` (MkDocs `Files`), and
    point the configuration at the new names. Returns {plain path: published path}.

    `config` is MkDocs' configuration: `theme.custom_dir`, `extra_css` (paths),
    `extra_javascript` (paths, or values with a `path`) and `extra` are read and updated.
    """
    custom = getattr(config.theme, "custom_dir", None)
    folders = [THEME] + ([Path(custom).resolve()] if custom else [])
    published: dict[str, str] = {}
    own = {file.src_uri: file for file in files if is_own(file.src_uri) and _theme_file(file, folders)}
    minified = {uri: minify(uri, file.content_bytes.decode("utf-8")).encode("utf-8") for uri, file in own.items()}
    for uri, file in own.items():
        parts = COMBINED.get(uri, (uri,))
        if not all(part in minified for part in parts):
            parts = (uri,)
        content = combine([minified[part] for part in parts]) if len(parts) > 1 else minified[uri]
        name = hashed_name(uri, content)
        file.content_bytes = content
        file.dest_uri = name
        for derived in ("url", "abs_dest_path"):  # cached from the old name, if already read
            file.__dict__.pop(derived, None)
        published[uri] = name
    config.extra_css[:] = [published.get(path, path) for path in config.extra_css]
    for index, script in enumerate(config.extra_javascript):
        if isinstance(script, str):
            config.extra_javascript[index] = published.get(script, script)
        elif script.path in published:
            script.path = published[script.path]
    config.extra[EXTRA_KEY] = dict(published)
    return published
