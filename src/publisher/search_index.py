"""The site's search index: Pagefind, built beside the pages while MkDocs renders them.

Material's own search loads one index whole: about 2 KB per page, so 12 MB at 5,000 pages
and far more for a national tracker. Pagefind (a Rust binary shipped in the `pagefind-bin`
wheel; nothing is downloaded) writes a chunked static index instead, and the search box
(`site_overrides/assets/javascripts/search.js`) fetches only the chunks a query needs.

Indexing the finished site costs about 1.5 ms a page on one core, after the build. So the
hooks hand each page's content to `Indexer` as soon as MkDocs has converted its Markdown
(`on_page_content`), as a small HTML file at the page's own path in a scratch folder; once
every page is converted (`on_env`) Pagefind indexes that folder on the machine's other core
while MkDocs renders and writes the pages; at the end (`on_post_build`) its output moves
into the site as `pagefind/`.

What is indexed: every page not marked `search: exclude` (so not redirects, past positions
or numbered list pages), under its page title, without the "Cite this page" block
(`data-pagefind-ignore`) or the headings' "¶" links. Recommendation pages carry the
explorer's filters (`data-pagefind-filter`), which `explorer.js` queries on a large site.
(`main.html` marks the same content with `data-pagefind-body`, so running Pagefind on a
built copy, such as a plain MkDocs build of `publisher export-markdown`, gives the same
index.)
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

#: The index's folder, from the site root (search.js loads `<root>pagefind/pagefind.js`).
FOLDER = "pagefind"
#: Parts of a page that are not its content: the "¶" heading links.
_IGNORED = ".headerlink"


class SearchIndexError(RuntimeError):
    pass


def _executable() -> str:
    import pagefind_bin

    try:
        return str(pagefind_bin.get_executable())
    except FileNotFoundError as error:
        raise SearchIndexError(f"the Pagefind binary is missing ({error}); reinstall the project: pip install -e .") from None


def excluded(meta: dict) -> bool:
    """Whether a page's front matter keeps it out of search (`search: {exclude: true}`)."""
    search = meta.get("search") if isinstance(meta, dict) else None
    return isinstance(search, dict) and bool(search.get("exclude"))


class Indexer:
    """A search index for the site being built into `site_dir`: `add` each page, `start`
    once all are added, then `write` (or `close` to abandon it)."""

    def __init__(self, site_dir: Path):
        self._executable = _executable()
        parent = Path(site_dir).resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        # Beside the site, so the finished index moves in with a rename.
        self._scratch = Path(tempfile.mkdtemp(prefix=".publisher-search-", dir=parent))
        self._pages = self._scratch / "pages"
        self._output = self._scratch / "index"
        self._process: subprocess.Popen | None = None

    def add(self, content_html: str, url: str, title: str) -> None:
        """A page's content (its converted Markdown) at `url`, relative to the site root."""
        path = self._pages / (url + "index.html" if url == "" or url.endswith("/") else url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><div data-pagefind-body>'
            f'<span hidden data-pagefind-meta="title[data-title]" data-title="{html.escape(title)}"></span>'
            f"{content_html}</div></body></html>",
            encoding="utf-8",
        )

    def start(self) -> None:
        """Index every page added so far, in the background."""
        self._pages.mkdir(parents=True, exist_ok=True)
        command = [
            self._executable, "--site", str(self._pages), "--output-path", str(self._output),
            "--exclude-selectors", _IGNORED, "--force-language", "en", "--silent",
        ]
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def write(self, site: Path) -> Path:
        """Wait for the index and move it into `<site>/pagefind/`."""
        try:
            if self._process is None:
                self.start()
            output, _ = self._process.communicate()
            if self._process.returncode != 0:
                raise SearchIndexError(f"Pagefind could not index the site: {output.decode('utf-8', 'replace').strip()}")
            target = Path(site) / FOLDER
            if target.exists():
                shutil.rmtree(target)
            self._output.rename(target)
            return target
        finally:
            self.close()

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        shutil.rmtree(self._scratch, ignore_errors=True)
