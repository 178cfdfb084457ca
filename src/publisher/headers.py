"""The HTTP response headers the site must be served with.

The Content-Security-Policy lets the site's own files run and nothing else: no script,
style, font or image from another host, no plugins, no framing by other sites. Material
for MkDocs puts a few small inline scripts in every page (the base URL, the saved colour
palette, before the page paints), so `'self'` alone would break it, and `'unsafe-inline'`
would let any injected script run too. Instead the policy lists the SHA-256 hash of each
distinct inline script in the built HTML, which a browser checks before running it.

Hashing whatever is in the HTML would also bless a script that content had smuggled in,
so only scripts that the theme's own templates write are hashed: each template script
becomes a pattern in which a Jinja expression may stand for a URL or a word but never a
quote, angle bracket or backslash. Any other inline script fails the build.

The headers are written in two forms from the same list, so they cannot drift apart:

- `_headers` in the site root, which Netlify and Cloudflare Pages read on deploy;
- an nginx snippet (`deploy/nginx.conf` in the repository), for self-hosting.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Iterable

from .pagescan import PageFindings, inline_script_elements, page_findings

#: The file Netlify and Cloudflare Pages read, in the root of the published folder.
HEADERS_FILE = "_headers"
#: Cloudflare Pages ignores longer header lines.
MAX_LINE = 2000

_JINJA = re.compile(r"({{.*?}}|{%.*?%}|{#.*?#})", re.S)
#: What one Jinja expression in a theme script may render to: a URL, a path or a word.
_HOLE = r"""[^"'<>\\\n]{0,300}"""


class HeadersError(ValueError):
    """The built site cannot be given a policy (the message says why and what to do)."""


def script_hash(body: str) -> str:
    """The CSP source expression for one inline script: 'sha256-<base64>'."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def theme_script_patterns(templates: Iterable[str]) -> list[re.Pattern[str]]:
    """For each inline script in these Jinja templates, a pattern matching what it renders to."""
    patterns = []
    for text in templates:
        for _, body in inline_script_elements(text):
            parts = _JINJA.split(body)
            regex = "".join(_HOLE if index % 2 else re.escape(part) for index, part in enumerate(parts))
            patterns.append(re.compile(regex, re.S))
    return patterns


def site_script_hashes(site: Path, theme_scripts: list[re.Pattern[str]], seen: PageFindings | None = None) -> list[str]:
    """The hash of every distinct inline script in the built site, sorted.

    `seen`: pages whose scripts were gathered during the build, which need not be read
    again. Raises HeadersError naming each page with an inline script no theme template
    writes.
    """
    hashes: set[str] = set()
    strangers: list[str] = []
    for body, pages in page_findings(site, seen).scripts.items():
        if any(pattern.fullmatch(body) for pattern in theme_scripts):
            hashes.add(script_hash(body))
        else:
            shown = " ".join(body.split())[:60]
            strangers += [f"{rel}: <script>{shown}" for rel in pages]
    if strangers:
        raise HeadersError(
            "inline scripts that no theme template writes, so the policy will not allow them "
            "(content that escaped into the page, or a script to move into a file under "
            "site_overrides/assets and list in extra_javascript):\n  " + "\n  ".join(sorted(strangers))
        )
    return sorted(hashes)


def content_security_policy(hashes: list[str]) -> str:
    directives = [
        ("default-src", ["'self'"]),
        # Pagefind compiles its WebAssembly search engine (pagefind/*.pagefind): that needs
        # 'wasm-unsafe-eval', which allows WebAssembly only, never eval() of JavaScript.
        ("script-src", ["'self'", "'wasm-unsafe-eval'", *hashes]),
        # Material sets styles only through the DOM (element.style), which CSP allows; its
        # HTML has no style attributes or <style> elements, so no 'unsafe-inline' is needed.
        ("style-src", ["'self'"]),
        # Material's icons in CSS are data: SVGs (mask-image); they load from nowhere.
        ("img-src", ["'self'", "data:"]),
        ("font-src", ["'self'"]),
        ("connect-src", ["'self'"]),
        ("worker-src", ["'self'"]),  # Material's search (the offline copy) runs in a worker
        ("manifest-src", ["'self'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
        ("frame-ancestors", ["'none'"]),
    ]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives)


def security_headers(hashes: list[str]) -> list[tuple[str, str]]:
    """Every header the site is served with, in order."""
    return [
        ("Content-Security-Policy", content_security_policy(hashes)),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),  # for browsers that predate frame-ancestors
        # Outbound links to sources carry no trace of which page a visitor read.
        ("Referrer-Policy", "no-referrer"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        # Browsers ignore this over plain HTTP; on HTTPS it keeps visitors there.
        ("Strict-Transport-Security", "max-age=31536000"),
    ]


def netlify_file(headers: list[tuple[str, str]]) -> str:
    """The `_headers` file (Netlify and Cloudflare Pages format): every path, every header."""
    lines = [
        "# Security headers for every page, in the Netlify and Cloudflare Pages format.",
        "# Written by `publisher build` from the built HTML; do not edit (rebuild instead).",
        "/*",
        *(f"  {name}: {value}" for name, value in headers),
    ]
    for line in lines:
        if len(line) > MAX_LINE:
            raise HeadersError(
                f"the {line.split(':', 1)[0].strip()} header is {len(line):,} characters long, over the "
                f"{MAX_LINE:,} that Cloudflare Pages reads (too many distinct inline scripts: move scripts into files)"
            )
    return "\n".join(lines) + "\n"


def nginx_snippet(headers: list[tuple[str, str]]) -> str:
    """The same headers as nginx `add_header` lines, to `include` in a server block."""
    lines = [
        "# Security headers for the site, for nginx. Generated from the built site's _headers by",
        "# `publisher headers --format nginx`; do not edit by hand (a test checks it matches a build).",
        "#",
        "# Include it in the server block that serves the built site:",
        "#     include /etc/nginx/snippets/publisher-headers.conf;",
        "# nginx drops inherited add_header lines in a location block that has its own",
        "# add_header, so include it in such location blocks too.",
    ]
    for name, value in headers:
        if any(ch in value for ch in '"\\$'):  # never: the values above are fixed or base64
            raise HeadersError(f"the {name} header cannot be written for nginx: {value!r}")
        lines.append(f'add_header {name} "{value}" always;')
    lines += nginx_cache_lines(headers)
    return "\n".join(lines) + "\n"


def for_site(site: Path, theme_scripts: list[re.Pattern[str]], seen=None) -> list[tuple[str, str]]:
    """The headers a built site needs (its theme's inline scripts decide the hashes)."""
    return security_headers(site_script_hashes(site, theme_scripts, seen))


def write_netlify_file(site: Path, theme_scripts: list[re.Pattern[str]], seen=None) -> Path:
    """Write `_headers` into the site root; returns its path."""
    target = Path(site) / HEADERS_FILE
    text = netlify_file(for_site(site, theme_scripts, seen)) + netlify_cache_rules(immutable_paths(site))
    target.write_text(text, encoding="utf-8")
    return target


def read_netlify_file(text: str) -> list[tuple[str, str]]:
    """The headers for `/*` in a `_headers` file (for `publisher headers` and tests)."""
    headers: list[tuple[str, str]] = []
    in_all = False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            in_all = line.strip() == "/*"
            continue
        if in_all:
            name, value = line.strip().split(":", 1)
            headers.append((name.strip(), value.strip()))
    return headers


# ---------------------------------------------------------------------- caching
#
# A file whose name carries a hash of its content (Material's `main.<hash>.min.css`,
# `bundle.<hash>.min.js`, and the project's own CSS and JS, renamed by publisher.assets)
# never changes under its name, so browsers may keep it for a year without asking again.
# Everything else (the pages above all, but also the search index and the open data) must
# show an update at once: browsers may keep it, but ask the server before each use (a
# cheap "not modified" when nothing changed).
#
# In `_headers` the rule for the hashed files names each one: a second rule for `/*` would
# not do, because Netlify and Cloudflare Pages combine the values of a header that several
# matching rules set. Both hosts already send `public, max-age=0, must-revalidate` where no
# rule sets Cache-Control, which is what the pages need. nginx sends nothing of the kind by
# default, so its snippet says both.

#: For a file whose name changes with its content.
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"


def immutable_paths(site: Path) -> list[str]:
    """The address (from the site root, `/assets/...`) of every file in the built site whose
    name carries a hash of its content, sorted."""
    from .assets import HASHED_NAME

    root = Path(site)
    assets = root / "assets"
    if not assets.is_dir():
        return []
    return sorted(
        "/" + path.relative_to(root).as_posix()
        for path in assets.rglob("*")
        if path.is_file() and HASHED_NAME.search(path.name)
    )


def netlify_cache_rules(paths: list[str]) -> str:
    """The `_headers` rules that let browsers keep each content-hashed file for a year."""
    if not paths:
        return ""
    lines = [
        "",
        "# Files whose names carry a hash of their content: kept for a year, never asked for again.",
        "# The pages get the host's default (public, max-age=0, must-revalidate): always checked.",
    ]
    for path in paths:
        lines += [path, f"  Cache-Control: {CACHE_IMMUTABLE}"]
    return "\n".join(lines) + "\n"


def read_immutable_paths(text: str) -> list[str]:
    """The paths a `_headers` file gives the immutable Cache-Control (for tests and tools)."""
    found, path = [], None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            path = line.strip()
        elif path and line.strip() == f"Cache-Control: {CACHE_IMMUTABLE}":
            found.append(path)
    return found


#: nginx: a content-hashed CSS or JS file anywhere under an `assets/` folder (so it also
#: matches a site published under a sub-path). The same names as publisher.assets.HASHED_NAME.
NGINX_HASHED_LOCATION = r'"/assets/.+\.[0-9a-f]{8}(\.min)?\.(css|js)$"'


def nginx_cache_lines(headers: list[tuple[str, str]]) -> list[str]:
    """The caching part of the nginx snippet.

    `expires epoch` (`Cache-Control: no-cache`) for everything, then a location for the
    content-hashed files. A location with an `add_header` of its own inherits none from the
    server block, so it repeats the security headers."""
    lines = [
        "",
        "# Caching. Pages, the search index and the data files: browsers ask before each use",
        "# (Cache-Control: no-cache), so an update shows at once.",
        "expires epoch;",
        "# Files whose names carry a hash of their content never change under their name: a",
        "# year, never asked for again.",
        f"location ~ {NGINX_HASHED_LOCATION} {{",
        "    expires off;",
        f'    add_header Cache-Control "{CACHE_IMMUTABLE}" always;',
    ]
    lines += [f'    add_header {name} "{value}" always;' for name, value in headers]
    lines.append("}")
    return lines
