"""Print how long the checks `publisher build` runs before publishing take (link check,
third-party assets, inline-script hashes), on a built site and on it plus 10,000 pages.

    publisher build --site-dir /tmp/site && python scripts/measure_publish_checks.py /tmp/site
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import material

from publisher import headers, linkcheck, privacy


def main(site: Path, extra: int = 10_000) -> None:
    templates = [p.read_text() for p in (Path(material.__file__).parent / "templates").rglob("*.html")]
    patterns = headers.theme_script_patterns(templates)
    checks = [
        ("links", linkcheck.check_site),
        ("third parties", privacy.external_assets),
        ("script hashes", lambda folder: headers.site_script_hashes(folder, patterns)),
    ]
    with tempfile.TemporaryDirectory() as scratch:
        big = Path(scratch) / "site"
        shutil.copytree(site, big)
        page = next((big / "recommendations").rglob("index.html")).read_text()
        for number in range(extra):
            folder = big / "recommendations" / f"synthetic-{number}"
            folder.mkdir()
            (folder / "index.html").write_text(page)
        for label, folder in ((str(site), site), (f"the same plus {extra:,} pages", big)):
            pages = list(folder.rglob("*.html"))
            megabytes = sum(p.stat().st_size for p in pages) / 1e6
            timings = []
            for name, check in checks:
                start = time.perf_counter()
                check(folder)
                timings.append(f"{name} {time.perf_counter() - start:.2f} s")
            print(f"{label}: {len(pages):,} pages, {megabytes:.0f} MB: " + ", ".join(timings))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "site"))
