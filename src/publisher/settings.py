"""Build options that come from the environment, shared by the CLI and the MkDocs hooks.

MkDocs hooks cannot take arguments, so `publisher build` and `publisher serve` pass their
options to the hooks through these environment variables (which also work with plain
`mkdocs build` and `mkdocs serve`):

- `PUBLISHER_PREVIEW=1`   show drafts and embargoed updates, with a "Draft" banner;
- `PUBLISHER_TODAY=YYYY-MM-DD`   the date the site is "as at" (default: today in the
  tracker's time zone, `extra.time_zone` in mkdocs.yml, `publisher.tracker`);
- `SOURCE_DATE_EPOCH`    the reproducible-builds convention; also fixes "today";
- `PUBLISHER_OFFLINE=true`   the copy for a folder or USB stick (`publisher build --offline`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from .dates import DateError, parse_day

#: A tracker that names no time zone (`extra.time_zone`) keeps its dates in UTC.
UTC = ZoneInfo("UTC")


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    preview: bool
    today: date
    offline: bool = False
    #: The tracker's time zone (`extra.time_zone`): "today" is today there.
    time_zone: ZoneInfo = UTC


def from_environment(environ: dict[str, str] | None = None, time_zone: ZoneInfo = UTC) -> Settings:
    """The options from the environment; "today" is today in `time_zone`, the tracker's."""
    env = os.environ if environ is None else environ
    preview = env.get("PUBLISHER_PREVIEW", "").strip().lower() in ("1", "true", "yes")
    offline = env.get("PUBLISHER_OFFLINE", "").strip().lower() in ("1", "true", "yes")
    return Settings(preview=preview, today=_today(env, time_zone), offline=offline, time_zone=time_zone)


def _today(env, time_zone: ZoneInfo) -> date:
    if env.get("PUBLISHER_TODAY"):
        try:
            return parse_day(env["PUBLISHER_TODAY"])
        except DateError as error:
            raise SettingsError(f"PUBLISHER_TODAY: {error}") from None
    if env.get("SOURCE_DATE_EPOCH"):
        try:
            stamp = int(env["SOURCE_DATE_EPOCH"])
        except ValueError:
            raise SettingsError("SOURCE_DATE_EPOCH must be a whole number of seconds") from None
        return datetime.fromtimestamp(stamp, timezone.utc).astimezone(time_zone).date()
    return datetime.now(time_zone).date()
