"""The search index made in parts (publisher.search_index), and the build run apart from
the process that indexes it (publisher.engine.apart)."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from publisher import engine, search_index

FILTERS = '<span data-pagefind-filter="status:met"></span>'


def _page(n: int, filtered: bool) -> tuple[str, str, str]:
    kind = "recommendations" if filtered else "updates"
    body = f"<h1>Page {n}</h1><p>Word{n} appears here, and so does common.</p>" + (FILTERS if filtered else "")
    return body, f"{kind}/{n}/", f"{kind.title()} {n}"


def _index(site: Path, pages: int, filtered: int) -> Path:
    indexer = search_index.Indexer(site)
    indexer.expect(pages)
    for n in range(pages):
        indexer.add(*_page(n, n < filtered))
    indexer.start()
    return indexer.write(site)


def _urls(part: Path) -> list[str]:
    return [
        json.loads(gzip.decompress(f.read_bytes()).decode("utf-8").removeprefix("pagefind_dcd"))["url"]
        for f in part.glob("fragment/*.pf_fragment")
    ]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_pages_with_filters_share_the_first_part_and_the_others_spread_by_address():
    assert search_index.other_parts(1) == 1
    assert search_index.other_parts(search_index.PAGES_PER_PART) == 1
    assert search_index.other_parts(search_index.PAGES_PER_PART + 1) == 2
    assert search_index.part_of("recommendations/r1/", FILTERS, 5) == search_index.FILTERED
    spread = {search_index.part_of(f"updates/{n}/", "<p>text</p>", 5) for n in range(200)}
    assert spread == {1, 2, 3, 4, 5}
    # The same address always goes to the same part (no per-run hash seed).
    assert search_index.part_of("updates/7/", "", 5) == search_index.part_of("updates/7/", "", 5)


def test_an_index_in_parts_has_every_page_once_and_lists_the_parts_to_merge(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "PAGES_PER_PART", 10)
    root = _index(tmp_path / "site", pages=35, filtered=6)
    listed = json.loads((root / search_index.PARTS_FILE).read_text())["parts"]
    assert listed == ["parts/1/", "parts/2/", "parts/3/", "parts/4/"]
    # The first part is the one the search box loads: Pagefind's script and the pages
    # with filters, so the explorer's filter search is answered by one part.
    assert (root / "pagefind.js").is_file() and (root / "wasm.en.pagefind").is_file()
    assert sorted(_urls(root)) == sorted(f"/recommendations/{n}/" for n in range(6))
    others = [url for part in listed for url in _urls(root / part)]
    assert sorted(others) == sorted(f"/updates/{n}/" for n in range(6, 35))
    # A merged part carries its index only: the first part's script loads it.
    for part in listed:
        assert not (root / part / "pagefind.js").exists() and not list((root / part).glob("wasm.*"))
        assert (root / part / "pagefind-entry.json").is_file()


def test_a_small_site_has_two_parts_and_the_same_pages_give_the_same_index(tmp_path):
    first = _index(tmp_path / "a", pages=12, filtered=3)
    second = _index(tmp_path / "b", pages=12, filtered=3)
    assert json.loads((first / search_index.PARTS_FILE).read_text()) == {"parts": ["parts/1/"]}
    assert _tree(first) == _tree(second)


def test_a_site_without_filtered_pages_starts_with_the_next_part(tmp_path):
    root = _index(tmp_path / "site", pages=5, filtered=0)
    assert json.loads((root / search_index.PARTS_FILE).read_text()) == {"parts": []}
    assert sorted(_urls(root)) == sorted(f"/updates/{n}/" for n in range(5))


def test_a_preview_indexes_again_only_the_parts_an_edit_changed(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "PAGES_PER_PART", 10)
    site = tmp_path / "site"
    indexer = search_index.Indexer(site, keep=True)
    try:
        indexer.expect(30)
        for n in range(30):
            indexer.add(*_page(n, n < 4))
        indexer.start()
        indexer.finish_in_background(site)
        indexer.wait()
        before = {part.name: _tree(part) for part in (site / "pagefind" / "parts").iterdir()}
        body, url, title = _page(29, False)
        edited = search_index.part_of(url, body, 3)
        indexer.add(body.replace("common", "uncommon"), url, title)
        indexer.update_in_background(site)
        indexer.wait()
        after = {part.name: _tree(part) for part in (site / "pagefind" / "parts").iterdir()}
        assert before.keys() == after.keys() == {"1", "2", "3"}
        assert [name for name in sorted(after) if after[name] != before[name]] == [str(edited)]
        assert "uncommon" in str(b"".join(gzip.decompress(v) for k, v in after[str(edited)].items() if k.startswith("fragment/")))
    finally:
        indexer.close()


# --------------------------------------------------------------------------- the build apart


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_work_run_apart_gives_its_exit_code_and_leaves_this_process_as_it_was():
    held: list[bytes] = []

    def work() -> int:
        held.append(b"x" * 10_000_000)  # the child's memory, gone with it
        return 3

    assert engine.apart(work) == 3
    assert held == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_work_that_fails_apart_is_a_failed_build(capfd):
    def work() -> int:
        raise RuntimeError("a bug in a hook")

    assert engine.apart(work) == 1
    assert "RuntimeError: a bug in a hook" in capfd.readouterr().err


# --------------------------------------------------------------------------- the Markdown on two cores


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_pages_converted_by_a_relay_of_children_are_the_pages_mkdocs_converts(tmp_path, monkeypatch):
    """engine.Converter on a small site (it starts at 2,000 pages otherwise), with batches
    of 3 pages so several children convert in turn: the site is the one converted in one
    process, byte for byte."""
    from support import MINIMAL, copy_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564800")
    monkeypatch.setenv("PUBLISHER_ALLOW_EXAMPLE_URL", "1")
    project = copy_project(tmp_path / "project", MINIMAL)
    monkeypatch.chdir(project)
    assert engine.build(project / "mkdocs.yml", tmp_path / "alone", quiet=True) == 0
    monkeypatch.setattr(engine.Converter, "FROM_PAGES", 1)
    monkeypatch.setattr(engine.Converter, "BATCH", 3)
    launches = tmp_path / "launches"  # the build runs in a child process: counted in a file
    launch = engine.Converter._launch

    def counted(self) -> None:
        with open(launches, "a") as out:
            out.write(f"{self._next}\n")
        launch(self)

    monkeypatch.setattr(engine.Converter, "_launch", counted)
    assert engine.build(project / "mkdocs.yml", tmp_path / "relay", quiet=True) == 0
    batches = launches.read_text().split()
    assert len(batches) >= 5 and batches == [str(n) for n in range(len(batches))]  # each once, in turn
    assert _tree(tmp_path / "relay") == _tree(tmp_path / "alone")
