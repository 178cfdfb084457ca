"""The address the site is published at, and whether it is still the placeholder.

Every permanent link and citation is built on `site_url`. The bundled mkdocs.yml uses a
reserved documentation domain (`.example`, RFC 2606) until SITE_URL is set, so that a
copy never cites someone else's real site; but a public build that still carries it
would publish citations nobody can follow. `publisher build` refuses it unless told the
build is not for publishing.

Read here without MkDocs (only `engine` imports it): `site_url` is one line of YAML,
possibly `!ENV [SITE_URL, "default"]`, which is resolved as MkDocs resolves it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

#: Reserved for documentation and examples (RFC 2606 and RFC 6761): never a real site.
_PLACEHOLDER = re.compile(
    r"^[a-z][a-z0-9+.-]*://([^/:]+\.)?(example|invalid|localhost|test|example\.(com|net|org))(:\d+)?(/|$)", re.I
)
#: Lets tests and throwaway builds use the placeholder; never set where the site is published.
ALLOW_ENV = "PUBLISHER_ALLOW_EXAMPLE_URL"


class _Loader(yaml.SafeLoader):
    pass


def _env(loader: yaml.SafeLoader, node: yaml.Node):
    # MkDocs' `!ENV VAR` or `!ENV [VAR, OTHER_VAR, default]`: the first variable set wins,
    # else the last item (the default).
    items = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else [
        loader.construct_scalar(n) for n in node.value
    ]
    names, default = (items, None) if len(items) == 1 else (items[:-1], items[-1])
    return next((os.environ[name] for name in names if os.environ.get(name)), default)


_Loader.add_constructor("!ENV", _env)
# mkdocs.yml may use MkDocs' and Material's other tags (!relative, !!python/name: ...);
# they are not needed here, so they read as nothing rather than failing.
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def load_config(config_file: Path) -> dict:
    """mkdocs.yml's settings with `!ENV` values resolved; {} if it cannot be read (MkDocs
    itself then says why)."""
    try:
        data = yaml.load(Path(config_file).read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def configured(config_file: Path) -> str:
    """The site_url the build will use, with SITE_URL applied; '' if none is set."""
    return str(load_config(config_file).get("site_url") or "")


def is_placeholder(url: str) -> bool:
    return not url or bool(_PLACEHOLDER.match(url.strip()))


def allowed_by_environment() -> bool:
    return os.environ.get(ALLOW_ENV, "").strip().lower() in ("1", "true", "yes")
