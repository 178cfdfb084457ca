"""Scale: long lists split into numbered pages, no page growing with the content, the
synthetic national content, and the plain-Markdown export (see docs/performance.md)."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pytest
import yaml

from support import MINIMAL, ROOT, copy_project, publisher, run
from publisher.content import load_content
from publisher.pageweight import collapse
from publisher.site import paging, urls

sys.path.insert(0, str(ROOT / "benchmarks"))
import synthetic  # noqa: E402

#: The issue's limit: no HTML page grows with the content beyond this.
PAGE_LIMIT = 60 * 1024


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- numbered pages


def test_page_one_keeps_the_lists_address_and_later_pages_are_numbered():
    assert urls.paged("recommendations/index.md", 1) == "recommendations/index.md"
    assert urls.paged("recommendations/index.md", 2) == "recommendations/page-2.md"
    assert urls.paged("themes/workforce.md", 3) == "themes/workforce/page-3.md"
    assert urls.paged("as-at/2024-03-31/changes.md", 2) == "as-at/2024-03-31/changes/page-2.md"
    assert urls.canonical(urls.paged("updates/index.md", 12)) == "updates/page-12/"


def test_paginate_splits_a_list_and_says_where_each_page_sits():
    pages = paging.paginate("updates/index.md", list(range(120)), 50)
    assert [len(items) for _, items, _ in pages] == [50, 50, 20]
    src, items, place = pages[1]
    assert src == "updates/page-2.md" and items[0] == 50
    assert (place.number, place.count, place.total, place.first, place.last) == (2, 3, 120, 51, 100)
    assert place.previous == "updates/index.md" and place.next == "updates/page-3.md"
    only = paging.paginate("updates/index.md", [], 50)
    assert len(only) == 1 and not only[0][2].paginated


def test_the_page_links_show_the_ends_and_the_neighbours():
    place = paging.paginate("x/index.md", list(range(1000)), 10)[49][2]
    assert place.window() == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert paging.paginate("x/index.md", list(range(30)), 10)[0][2].window() == [1, 2, 3]


# --------------------------------------------------------------------------- synthetic content


def test_the_synthetic_content_is_valid_and_the_same_for_the_same_seed(tmp_path):
    counts = synthetic.generate(tmp_path / "a", 80, seed=3)
    synthetic.generate(tmp_path / "b", 80, seed=3)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    content = load_content(tmp_path / "a")
    assert len(content.recommendations) == counts["recommendations"] == 80
    assert len(content.updates) == counts["updates"] >= 2 * 80
    # Realistic links: themes, lineage across inspections, findings, sources on every update.
    assert any(r.follows for r in content.recommendations.values())
    assert any(u.findings for u in content.updates.values())
    assert all(u.sources for u in content.updates.values())
    assert len(content.themes) > 5 and len({r.themes[0] for r in content.recommendations.values()}) > 5
    synthetic.generate(tmp_path / "c", 80, seed=4)
    assert _tree(tmp_path / "a") != _tree(tmp_path / "c")


# --------------------------------------------------------------------------- a national site


@pytest.mark.slow
def test_no_page_of_a_national_site_grows_beyond_60_kb(national_site):
    sizes = {p.relative_to(national_site).as_posix(): p.stat().st_size for p in national_site.rglob("*.html")}
    assert len(sizes) > 1000
    too_big = {page: size for page, size in sizes.items() if size > PAGE_LIMIT}
    assert too_big == {}


@pytest.mark.slow
def test_long_lists_are_numbered_pages_that_link_to_each_other(national_site):
    explorer = (national_site / "recommendations" / "index.html").read_text()
    assert 'href="page-2/"' in explorer and "1 to 16 of 300 recommendations, page 1 of 19." in explorer
    last = (national_site / "recommendations" / "page-19" / "index.html").read_text()
    assert "289 to 300 of 300 recommendations, page 19 of 19." in last
    assert 'aria-current="page"' in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert last.count("<tr id=") == 12
    for listing in ("updates", "sources"):
        assert (national_site / listing / "page-2" / "index.html").is_file(), listing
    # The timeline lists inspections and reports in their own right, not the progress
    # reports (government publications): 300 recommendations come from fewer than 50.
    timeline = (national_site / "inspections" / "index.html").read_text()
    inspections = [p.parent.name for p in (national_site / "inspections").glob("*/index.html")]
    assert all(f'href="{name}/"' in timeline for name in inspections)
    assert "Government publication" not in timeline
    assert list(national_site.glob("themes/*/page-2/index.html"))
    # Numbered pages repeat the items' own pages, so the search leaves them out.
    assert '"search": {"exclude": true}' not in last  # front matter is not in the HTML...
    from support import search_text

    assert "/recommendations/page-2/" not in search_text(national_site)  # ...but its effect is


@pytest.mark.slow
def test_a_national_site_summarises_what_would_not_fit(national_site):
    home = (national_site / "index.html").read_text()
    assert re.search(r"The 6 most recent of \d+ inspections", home)
    assert "Where the recommendations of each year" in home and "Year of inspection" in home
    position = next(national_site.glob("as-at/20*/index.html")).read_text()
    assert "Recommendations by theme and status at" in position
    assert re.search(r"The 5 most recent of \d+ status changes", (national_site / "themes" / "workforce-stability" / "index.html").read_text())


# --------------------------------------------------------------------------- export-markdown


def _article(html: str) -> str:
    return html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


@pytest.mark.slow
def test_the_markdown_export_builds_with_plain_mkdocs_into_the_same_pages(tmp_path):
    project = copy_project(tmp_path / "project", MINIMAL)
    assert publisher("build", cwd=project).returncode == 0
    export = tmp_path / "export"
    result = publisher("export-markdown", str(export), cwd=project)
    assert result.returncode == 0, result.stderr
    settings = yaml.safe_load((export / "mkdocs.yml").read_text())
    assert "hooks" not in settings and settings["docs_dir"] == "docs" and settings["theme"]["custom_dir"] == "overrides"
    assert (export / "docs" / "recommendations" / "2019-example-r1.md").is_file()
    assert (export / "docs" / "data" / "recommendations.csv").is_file()
    assert not (export / "overrides" / "generated").exists()
    plain = run(sys.executable, "-m", "mkdocs", "build", "--strict", cwd=export)
    assert plain.returncode == 0, plain.stderr
    for page in ("recommendations/2023-example-afi-1", "inspections/2023-example", "", "updates"):
        ours = (project / "site" / page / "index.html").read_text()
        theirs = (export / "site" / page / "index.html").read_text()
        # The same page, but for the templates' indentation, which only the hooks remove.
        assert _article(collapse(theirs)) == _article(ours), page
    # Exporting again replaces the earlier export; a folder holding something else is refused.
    assert publisher("export-markdown", str(export), cwd=project).returncode == 0
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    refused = publisher("export-markdown", str(tmp_path / "other"), cwd=project)
    assert refused.returncode == 2 and "not empty" in refused.stderr
    assert (tmp_path / "other" / "notes.txt").read_text() == "mine"


# --------------------------------------------------------------------------- the benchmark

#: A bound far above what the benchmark measures at this size (1.9 to 2.0 times plain MkDocs
#: at 40 recommendations, where Pagefind and the link check's fixed cost weigh most; see
#: docs/performance.md): it fails only on a gross regression, such as every page held twice
#: again, never on the machine being busy (memory, not time).
MEMORY_RATIO_LIMIT = 4.0


@pytest.mark.slow
def test_the_scale_benchmark_prints_every_figure_and_memory_stays_near_plain_mkdocs(tmp_path):
    """The benchmark (run at a small size in CI as well) prints its figures; none is timed
    here, and memory is held to a loose bound."""
    result = run(
        sys.executable, str(ROOT / "benchmarks" / "build_scale.py"), "--recommendations", "40", "--saves", "1",
        "--workdir", str(tmp_path / "bench"), cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    print(result.stdout)
    figures = dict(part.split("=", 1) for part in result.stdout.strip().splitlines()[-1].split())
    assert set(figures) == {"ratio", "mem_ratio", "preview_s", "pages", "largest_page_kb", "search_kb"}
    assert all(float(value) > 0 for value in figures.values())
    assert float(figures["mem_ratio"]) < MEMORY_RATIO_LIMIT, result.stdout
