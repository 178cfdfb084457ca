"""The editor's addresses in the preview server: `/admin/` (the page, its script, the
generated configuration) and `/api/v1` (the backend). They are added to `publisher serve`
only (`engine.Route`); `publisher build` never writes any of it into the site.

The backend writes files, so it answers only requests that come from the editor's own
page: JSON (which a page on another site cannot send here without the browser asking
first, and it is never allowed), from this server's own address (a page elsewhere that
made its host name point here, "DNS rebinding", is refused by the Host check).
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from typing import Iterable
from urllib.parse import parse_qs

import yaml

from .. import settings, tracker
from ..content import load_content
from ..problems import ContentError
from ..reader import load_yaml
from ..update_files import free_id, update_id
from .backend import LocalBackend, Refused, existing_update_ids
from .config import Choices, decap_config

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
#: The vendored Decap CMS build (see vendor/README.md), served under /admin/vendor/.
VENDOR = HERE / "vendor"

_TYPES = {".js": "application/javascript; charset=utf-8", ".wasm": "application/wasm", ".html": "text/html; charset=utf-8"}
#: The largest request the backend reads (an update is far smaller; a sources file ~100 KB).
MAX_BODY = 5_000_000


def _respond(start_response, status: str, body: bytes, content_type: str, *, cache: str = "no-store") -> list[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body))), ("Cache-Control", cache),
                            ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer")])
    return [body]


def _json(start_response, status: str, value) -> list[bytes]:
    return _respond(start_response, status, json.dumps(value).encode("utf-8"), "application/json")


class Editor:
    """The editor for the project at `project`, served at `address` (HOST:PORT)."""

    def __init__(self, project: Path, address: str):
        self.project = Path(project).resolve()
        self.backend = LocalBackend(self.project)
        host, _, port = address.rpartition(":")
        self.hosts = {address, f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"}
        self._choices: Choices | None = None
        self._vendored = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()}

    # /admin/ ---------------------------------------------------------------------------

    def admin(self, environ, start_response) -> Iterable[bytes] | None:
        path = environ.get("PATH_INFO", "")
        if path == "/admin":
            start_response("301 Moved Permanently", [("Location", "/admin/"), ("Content-Length", "0")])
            return []
        name = path.removeprefix("/admin/")
        if name in ("", "index.html"):
            return _respond(start_response, "200 OK", (STATIC / "index.html").read_bytes(), _TYPES[".html"])
        if name == "editor.js":
            return _respond(start_response, "200 OK", (STATIC / "editor.js").read_bytes(), _TYPES[".js"])
        if name == "config.yml":
            site_url = f"http://{environ.get('HTTP_HOST') or next(iter(sorted(self.hosts)))}/"
            today = settings.from_environment(time_zone=tracker.zone_of(self.project / "mkdocs.yml")).today
            text = yaml.safe_dump(decap_config(self.choices(), site_url=site_url, today=today), allow_unicode=True, sort_keys=False, width=10_000)
            return _respond(start_response, "200 OK", text.encode("utf-8"), "text/yaml; charset=utf-8")
        if name == "update-id":
            return self.update_id(environ, start_response)
        vendored = name.removeprefix("vendor/")
        if name.startswith("vendor/") and vendored in self._vendored:  # only the files shipped, no path games
            file = VENDOR / vendored
            kind = _TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            # The folder carries the version, so a browser may keep these.
            return _respond(start_response, "200 OK", file.read_bytes(), kind, cache="public, max-age=31536000, immutable")
        return None  # the preview's 404 page

    def update_id(self, environ, start_response) -> list[bytes]:
        """The id a new update gets, exactly as `publisher new update` would name its file."""
        query = parse_qs(environ.get("QUERY_STRING", ""))
        date, title = (query.get(k, [""])[0].strip() for k in ("date", "title"))
        new_id = free_id(update_id(date, title), existing_update_ids(self.project))
        return _json(start_response, "200 OK", {"id": new_id})

    def choices(self) -> Choices:
        """What the forms offer, from the content as it is now; while it has a problem, what
        it offered when it last loaded (or what can be read of it), so the author can still
        open the editor and fix the mistake."""
        files = self._source_files()
        try:
            content = load_content(self.project / "content", unfinished_ok=True)
        except ContentError:
            if self._choices is None or self._choices.source_files != files:
                self._choices = _readable_choices(self.project, files, self._choices)
            return self._choices
        self._choices = Choices.of(content, files)
        return self._choices

    def _source_files(self) -> list[str]:
        content = self.project / "content"
        folder = content / "sources"
        found = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if (content / "sources.yml").is_file():
            found.insert(0, content / "sources.yml")
        return [p.relative_to(self.project).as_posix() for p in found]

    # /api/v1 ---------------------------------------------------------------------------

    def api(self, environ, start_response) -> list[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return _json(start_response, "405 Method Not Allowed", {"error": "POST a JSON {action, params}"})
        host = environ.get("HTTP_HOST", "")
        origin = environ.get("HTTP_ORIGIN")
        if host not in self.hosts or (origin is not None and origin != f"http://{host}"):
            return _json(start_response, "403 Forbidden", {"error": "the editor answers only its own page"})
        if environ.get("CONTENT_TYPE", "").split(";")[0].strip() != "application/json":
            return _json(start_response, "415 Unsupported Media Type", {"error": "send JSON"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            if length > MAX_BODY:
                return _json(start_response, "413 Content Too Large", {"error": "the request is too large"})
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except (ValueError, UnicodeDecodeError):
            return _json(start_response, "400 Bad Request", {"error": "the request is not JSON"})
        if not isinstance(body, dict):
            return _json(start_response, "400 Bad Request", {"error": "send {action, params}"})
        try:
            answer = self.backend.handle(body.get("action"), body.get("params"))
        except LookupError as error:
            return _json(start_response, "422 Unprocessable Entity", {"error": str(error)})
        except Refused as error:
            return _json(start_response, "422 Unprocessable Entity", {"error": str(error)})
        except OSError as error:
            return _json(start_response, "500 Internal Server Error", {"error": f"the file could not be written: {error.strerror}"})
        return _json(start_response, "200 OK", answer)

    def routes(self) -> list:
        from ..engine import Route

        return [Route("/admin/", self.admin), Route("/api/v1", self.api)]


def _readable_choices(project: Path, files: list[str], last: Choices | None) -> Choices:
    """The ids and titles that can be read from files the loader refused, file by file."""
    recommendations, findings, sources = [], [], []

    def items(path: Path, key: str | None = None) -> list:
        try:
            data = load_yaml(path.read_text(encoding="utf-8"), path.name).data
        except (OSError, UnicodeDecodeError, ContentError):
            return []
        data = data.get(key) if key and isinstance(data, dict) else data
        return [i for i in data if isinstance(i, dict) and isinstance(i.get("id"), str)] if isinstance(data, list) else []

    for path in sorted((project / "content" / "inspections").glob("*.y*ml")):
        recommendations += [(i["id"], str(i.get("title", ""))) for i in items(path, "recommendations")]
        findings += [(i["id"], str(i.get("text", ""))) for i in items(path, "findings")]
    for name in files:
        sources += [(i["id"], str(i.get("title", ""))) for i in items(project / name)]
    if last is not None:  # what loaded last time, for anything now unreadable
        recommendations = recommendations or last.recommendations
        findings = findings or last.findings
        sources = sources or last.sources
    return Choices(recommendations, findings, sources, files)


def routes(project: Path, address: str) -> list:
    """The editor's routes for `publisher serve` at `address` (HOST:PORT)."""
    return Editor(project, address).routes()

