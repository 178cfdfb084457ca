"""A new tracker: `publisher init DIR`.

Writes a folder that builds at once: its mkdocs.yml (the tracker's own facts under
`extra:`, `publisher.tracker`), a one-line hooks file, a `content/` with one example of each
kind of record (marked "[Example]", `publisher.examples`), its hand-written pages, a README
with its two commands, and its register of permanent addresses. The files are the templates
in `publisher/starter_files/`, rendered with Jinja (a file's name may hold a value too, as the
example update's date does).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, StrictUndefined

STARTER = Path(__file__).resolve().parent / "starter_files"
#: Files stored under another name in the package (a dotfile is not package data).
RENAMED = {"gitignore": ".gitignore"}
#: The address a new tracker cites until SITE_URL is set: reserved, never a real site.
PLACEHOLDER_URL = "https://tracker.example/"


class InitError(ValueError):
    """Why the tracker cannot be written where asked (the message says what to do)."""


@dataclass(frozen=True)
class NewTracker:
    """What `publisher init` asks for."""

    folder: Path
    name: str
    body: str
    subject: str = ""
    publisher: str = ""
    time_zone: str = "UTC"
    url: str = PLACEHOLDER_URL

    def values(self, today: date) -> dict:
        return {
            "name": self.name,
            "body": self.body,
            "subject": self.subject or self.name,
            "publisher": self.publisher or self.name,
            "timezone": self.time_zone,
            "url": self.url if self.url.endswith("/") else self.url + "/",
            "today": today.isoformat(),
            "year": today.year,
        }


def _environment() -> Environment:
    # `{#id}` is Markdown's heading-anchor syntax, so Jinja comments are `{## ... ##}`.
    env = Environment(
        undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False,
        comment_start_string="{##", comment_end_string="##}",
    )
    # A YAML string of any text: JSON's quoted string is valid YAML and escapes everything.
    env.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    return env


def create(tracker: NewTracker, today: date) -> list[Path]:
    """Write the new tracker's files; returns them. Refuses a folder that is not empty."""
    folder = Path(tracker.folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InitError(f"{folder} already exists and is not empty; choose a new folder")
    try:
        ZoneInfo(tracker.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InitError(f"--timezone: '{tracker.time_zone}' is not a time zone name (e.g. Europe/London)") from None
    if not tracker.name.strip() or not tracker.body.strip():
        raise InitError("--name and --body must not be empty")
    env, values = _environment(), tracker.values(today)
    # Written beside the folder and moved into place whole: a failure leaves nothing behind.
    staging = folder.parent / f".{folder.name}.init-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for template in sorted(p for p in STARTER.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            rel = template.relative_to(STARTER).as_posix()
            rel = RENAMED.get(rel, rel)
            target = staging / env.from_string(rel).render(values)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(env.from_string(template.read_text(encoding="utf-8")).render(values), encoding="utf-8")
        _register(staging, today)
        if folder.exists():
            folder.rmdir()  # empty, as checked above
        staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _register(folder: Path, today: date) -> None:
    """The register of permanent addresses, listing what the new site publishes (its
    examples' addresses are left out: `publisher.examples`)."""
    from . import permalinks
    from .progress import derive

    content, redirects = permalinks.load(folder / "content", today=today)
    register = folder / permalinks.REGISTER
    permanence, _ = permalinks.assess(
        content, derive(content, today), register_path=register, pages_dir=folder / "content" / "pages", written=redirects
    )
    permalinks.write_register(register, set(permanence.unregistered))
