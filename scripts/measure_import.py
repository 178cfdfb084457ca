"""Measure `publisher import updates` on a large spreadsheet; prints figures, asserts nothing.

    .venv/bin/python scripts/measure_import.py [ROWS]

Makes a copy of the real content, a CSV of ROWS updates (default 1,000) spread over the
real recommendations, then times checking every row, a dry run and the real import, and
reports the peak memory of the process. A quarter's spreadsheet is tens of rows; this
shows the headroom.
"""

from __future__ import annotations

import csv
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from publisher.content import load_content  # noqa: E402
from publisher.importer import import_updates, read_rows  # noqa: E402


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        content_dir = Path(scratch) / "content"
        shutil.copytree(ROOT / "content", content_dir, ignore=shutil.ignore_patterns("pages"))
        content = load_content(content_dir)
        recommendations = sorted(content.recommendations)
        source = sorted(content.sources)[0]
        sheet = Path(scratch) / "updates.csv"
        with sheet.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["date", "recommendation", "status", "evidence", "source", "title", "summary"])
            for number in range(rows):
                day = date(2025, 1, 1) + timedelta(days=number % 700)
                writer.writerow([
                    day.isoformat(), recommendations[number % len(recommendations)], "in-progress", "self-reported",
                    source, f"Quarterly progress statement number {number}",
                    "The service says work continues; this is its own account and has not been checked.",
                ])
        size = sheet.stat().st_size

        started = time.perf_counter()
        checked = read_rows(sheet, content)
        check_seconds = time.perf_counter() - started

        started = time.perf_counter()
        import_updates(sheet, content_dir, dry_run=True)
        dry_seconds = time.perf_counter() - started

        started = time.perf_counter()
        outcome = import_updates(sheet, content_dir)
        import_seconds = time.perf_counter() - started

        started = time.perf_counter()
        again = import_updates(sheet, content_dir)
        again_seconds = time.perf_counter() - started

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows: {rows:,} ({size / 1024:,.0f} KiB of CSV)")
    print(f"check every row:          {check_seconds:6.2f} s  ({len(checked):,} rows, {check_seconds / rows * 1000:.2f} ms a row)")
    print(f"dry run (rows + folder):  {dry_seconds:6.2f} s")
    print(f"import (write {len(outcome.created):,} files): {import_seconds:6.2f} s")
    print(f"import again (unchanged): {again_seconds:6.2f} s  ({len(again.unchanged):,} unchanged)")
    print(f"peak memory (process):    {peak_mib:6.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
