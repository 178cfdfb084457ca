"""Browser-test fixtures: the built site served on 127.0.0.1, and Debian's Chromium.

Playwright drives the system Chromium (`/usr/bin/chromium`, from Debian's `chromium`
package) through `executable_path`; nothing is downloaded. Every request the page makes
is recorded, so tests can assert that nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Callable, Iterator

import pytest

CHROMIUM = os.environ.get("PUBLISHER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static server that can add response headers (e.g. a Content-Security-Policy)."""

    extra_headers: dict[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args) -> None:  # keep test output quiet
        pass


@functools.cache
def _serve(root: str, headers: tuple[tuple[str, str], ...]) -> str:
    handler = type("Handler", (_Handler,), {"extra_headers": dict(headers)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def serve(site: Path, headers: dict[str, str] | None = None) -> str:
    """Serve `site` on 127.0.0.1 (once per folder and headers); returns the base URL."""
    return _serve(str(site), tuple(sorted((headers or {}).items())))


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> str:
    return serve(built_site)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable]:
    """Open a page: `new_page(width=..., color_scheme=...)`; its requests are in `page.requests`."""
    contexts = []

    def open_page(width: int = 1280, height: int = 900, color_scheme: str = "light", **options):
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme, **options)
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        return page

    yield open_page
    for context in contexts:
        context.close()
