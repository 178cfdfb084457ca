"""Helpers shared by the tests: the project's paths, copies of the project, running commands."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
#: The day the tests treat as "today", so overdue and stale items do not drift with the calendar.
TODAY = "2026-11-25"


def copy_project(dest: Path, content: Path | None = None) -> Path:
    """A buildable copy of the project (mkdocs.yml, hooks, templates, content) at `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "hooks", "site_overrides"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    shutil.copytree(content or ROOT / "content", dest / "content")
    if content is None and (ROOT / "permalinks.txt").is_file():  # the register belongs to the real content
        shutil.copy2(ROOT / "permalinks.txt", dest / "permalinks.txt")
    if content is not None:  # fixture content has no hand-written pages: use the project's
        shutil.copytree(ROOT / "content" / "pages", dest / "content" / "pages", dirs_exist_ok=True)
    return dest


def override(project: Path, theme_file: str) -> Path:
    """The project's own copy of one of the package theme's files (`generated/home.md`),
    in its `site_overrides/`, made from the package's if it has none yet: the way a site
    changes a template (MkDocs and the page renderer look there first)."""
    from publisher import THEME

    own = project / "site_overrides" / theme_file
    if not own.exists():
        own.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(THEME / theme_file, own)
    return own


def run(*args: str, cwd: Path, env: dict | None = None, check: bool = False) -> subprocess.CompletedProcess:
    """Run a command with the test's date fixed, capturing text output. The tests build the
    bundled site at its placeholder address, which a real publication may not use."""
    full_env = {**os.environ, "PUBLISHER_TODAY": TODAY, "PUBLISHER_ALLOW_EXAMPLE_URL": "1", **(env or {})}
    return subprocess.run(list(args), cwd=cwd, env=full_env, capture_output=True, text=True, check=check)


def publisher(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return run(sys.executable, "-m", "publisher.cli", *args, cwd=cwd, env=env)


#: The second tracker the tests make with `publisher init`: nothing about Jersey in it.
NEW_TRACKER = {
    "--name": "Midshire children's services",
    "--body": "Midshire County Council",
    "--subject": "Midshire's children's services",
    "--timezone": "Europe/London",
}


def new_tracker(dest: Path, env: dict | None = None) -> Path:
    """A new tracker made by `publisher init` at `dest` (which must not exist yet)."""
    args = [item for pair in NEW_TRACKER.items() for item in pair]
    result = publisher("init", str(dest), *args, cwd=dest.parent, env=env)
    assert result.returncode == 0, result.stderr
    return dest


def search_text(site: Path) -> str:
    """Everything the site search can find: the text of every page in the Pagefind index,
    all its parts (each fragment is a gzipped `pagefind_dcd` header followed by JSON with
    the page's url, title and content), one page a line."""
    import gzip

    fragments = sorted((site / "pagefind").glob("**/fragment/*.pf_fragment"))
    assert fragments, f"no search index in {site}"
    return "\n".join(gzip.decompress(f.read_bytes()).decode("utf-8").removeprefix("pagefind_dcd") for f in fragments)


# --------------------------------------------------------------------------- a running preview


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    """The page at `url`, error pages included (the preview shows problems on them)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8")


def until(url: str, wanted: str, *, gone: bool = False, limit: float = 180) -> str:
    """The page at `url` once it contains `wanted` (or, `gone`, no longer does): a wait for
    the server, never a timing."""
    deadline = time.monotonic() + limit
    while True:
        try:
            page = fetch(url)
            if (wanted in page) != gone:
                return page
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        assert time.monotonic() < deadline, f"{url} never {'lost' if gone else 'showed'} {wanted!r}"
        time.sleep(0.3)


# --------------------------------------------------------------------------- the search box in a browser

_RESULTS_SHOWN = """() => {
  const list = document.querySelector('.md-search-result__list');
  return list && !list.hasAttribute('aria-busy') && list.querySelector('.md-search-result__item') !== null;
}"""


def search_for(page, query: str, timeout: float = 15_000) -> None:
    """Types `query` into the focused search box key by key, as a visitor does (the search
    listens for input events, not fill()), and waits until the results shown are this query's.
    Waiting for a first result is not enough: on a slow machine the results of a prefix
    ("wo") show while the rest is typed; the list is `aria-busy` until the whole query's are in."""
    page.keyboard.type(query)
    page.wait_for_function(_RESULTS_SHOWN, timeout=timeout)
