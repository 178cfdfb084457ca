"""The search index made in parts (publisher.search_index), and the build run apart from
the process that indexes it (publisher.engine.apart)."""

from __future__ import annotations

import gc
import gzip
import json
import os
import re
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
    assert search_index.other_parts(search_index.SPLIT_FROM - 1) == 1
    # From SPLIT_FROM pages, two parts at least, indexed at once on two cores.
    assert search_index.other_parts(search_index.SPLIT_FROM) == 2
    assert search_index.other_parts(search_index.PAGES_PER_PART) == 2
    assert search_index.other_parts(2 * search_index.PAGES_PER_PART + 1) == 3
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


def test_the_same_pages_in_any_order_and_with_earlier_versions_give_the_same_index(tmp_path, monkeypatch):
    """Pagefind numbers pages in the order it is given them: they go in the order of their
    addresses, so neither the order MkDocs converts them in nor the process that wrote each
    changes the index. In a preview, a page's latest version is the one indexed, a removed
    page is gone, and pages moved to a new part (the site grew) are where a clean build
    puts them."""
    monkeypatch.setattr(search_index, "PAGES_PER_PART", 10)
    clean = _index(tmp_path / "clean", pages=25, filtered=4)
    site = tmp_path / "edited"
    indexer = search_index.Indexer(site, keep=True)
    try:
        indexer.expect(18)  # two other parts, then three once the site has 25 pages
        for n in reversed(range(18)):
            indexer.add(*_page(n, n < 4))
        body, url, title = _page(7, False)
        indexer.add(body.replace("common", "rare"), url, title)  # an earlier version
        indexer.add(*_page(40, False))  # a page removed again
        indexer.remove("updates/40/")
        indexer.expect(25)
        for n in range(18, 25):
            indexer.add(*_page(n, n < 4))
        indexer.add(body, url, title)
        indexer.start()
        indexer.finish_in_background(site)
        indexer.wait()
    finally:
        indexer.close()
    assert _tree(site / search_index.FOLDER) == _tree(clean)
    moved = [n for n in range(4, 18) if search_index._spread(f"updates/{n}/", 2) != search_index._spread(f"updates/{n}/", 3)]
    assert moved, "no page changed part: the test would not test moving"


def test_a_page_that_cannot_be_written_for_the_index_names_the_place(tmp_path):
    site = tmp_path / "site"
    with search_index.indexed_afterwards(tmp_path / "scratch") as later:
        (later.scratch / "pages").write_text("a file where the pages' folder goes")
        indexer = search_index.Indexer(site)
        indexer.expect(3)
        with pytest.raises(search_index.SearchIndexError, match=r"could not write a page for the search index \(.+\): .*pages"):
            indexer.add(*_page(1, False))
        indexer.close()


def test_a_pagefind_service_that_ends_early_is_an_error_with_its_own_words(tmp_path):
    from publisher.pagefind_service import Service, ServiceError

    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'error: the index folder is read-only' >&2\nexit 3\n")
    broken.chmod(0o755)
    with pytest.raises(ServiceError, match=r"exit code 3\): error: the index folder is read-only"):
        Service(str(broken), {})


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no process priorities on this system")
def test_a_preview_s_pagefind_runs_at_a_low_priority_without_pausing_the_collector():
    """The preview indexes at a lower priority, so the refresh an author waits for has the
    cores first; set without a `preexec_fn`, which would switch the garbage collector off
    around the fork, from the thread indexing, while a refresh runs."""
    import gc

    from publisher.pagefind_service import Service

    calm = Service(search_index._executable(), search_index._CONFIG, nice=10)
    try:
        assert os.getpriority(os.PRIO_PROCESS, calm.process.pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)
        assert gc.isenabled()
    finally:
        calm.close()


def test_a_part_is_written_with_every_file_pagefind_made_but_its_own_search_interfaces(tmp_path):
    from publisher.pagefind_service import Service

    service = Service(search_index._executable(), search_index._CONFIG)
    try:
        assert service.add([("/a/", search_index._document("A", "<p>alpha</p>")), ("/b/", search_index._document("B", "<p>beta</p>"))]) == 2
        written = service.write(tmp_path / "index", leave_out=search_index._unused)
    finally:
        service.close()
    names = sorted(p.relative_to(tmp_path / "index").as_posix() for p in (tmp_path / "index").rglob("*") if p.is_file())
    assert written == len(names)
    assert {"pagefind.js", "pagefind-entry.json", "wasm.en.pagefind"} <= set(names)
    assert len([n for n in names if n.startswith("fragment/")]) == 2
    assert not [n for n in names if "ui." in n or n == "pagefind-highlight.js"]
    entry = json.loads((tmp_path / "index" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 2


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


def _fixture_project(tmp_path: Path, monkeypatch) -> Path:
    """The small fixture project, copied and made the working folder, its builds stamped
    with a fixed time so two compare byte for byte."""
    from support import MINIMAL, copy_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564800")
    monkeypatch.setenv("PUBLISHER_ALLOW_EXAMPLE_URL", "1")
    project = copy_project(tmp_path / "project", MINIMAL)
    monkeypatch.chdir(project)
    return project


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_pages_converted_by_a_relay_of_children_are_the_pages_mkdocs_converts(tmp_path, monkeypatch):
    """engine.Converter on a small site (it starts at 2,000 pages otherwise), with batches
    of 3 pages so several children convert in turn, from the last page towards the
    parent: the site is the one converted in one process, byte for byte."""
    project = _fixture_project(tmp_path, monkeypatch)
    assert engine.build(project / "mkdocs.yml", tmp_path / "alone", quiet=True) == 0
    monkeypatch.setattr(engine.Converter, "FROM_PAGES", 1)
    monkeypatch.setattr(engine.Converter, "BATCH", 3)
    launches = tmp_path / "launches"  # the build runs in a child process: counted in a file
    launch = engine.Converter._launch

    def counted(self) -> None:
        before, pages = self.launched, self._back
        launch(self)
        if self.launched != before:  # a batch given: the last pages no one had taken
            assert self._back == pages - self.BATCH > self._front + self.BATCH
            # The parent's objects stay out of the collector's reach while a child shares them.
            assert gc.get_freeze_count() > 0
            with open(launches, "a") as out:
                out.write(f"{before}\n")

    monkeypatch.setattr(engine.Converter, "_launch", counted)
    finish = engine.Converter.finish
    build_and_check = engine._build_and_check

    def unfrozen(*args):
        # In the forked build: nothing frozen before (this test process may have frozen
        # objects; a freeze already in place is the Converter's to keep, as a preview's).
        gc.unfreeze()
        return build_and_check(*args)

    def finished(self) -> None:
        finish(self)
        with open(launches, "a") as out:  # and back in it once the last child has ended
            out.write(f"thawed={gc.get_freeze_count() == 0}\n")

    monkeypatch.setattr(engine, "_build_and_check", unfrozen)

    monkeypatch.setattr(engine.Converter, "finish", finished)
    from publisher import hooks

    indexed = tmp_path / "indexed"  # the pages the children wrote for the search index
    index_in_child = hooks._index_in_child

    def noted(page) -> bool:
        wrote = index_in_child(page)
        with open(indexed, "a") as out:
            out.write(f"{os.getpid()} {wrote}\n")
        return wrote

    monkeypatch.setattr(hooks, "_index_in_child", noted)
    assert engine.build(project / "mkdocs.yml", tmp_path / "relay", quiet=True) == 0
    *batches, thawed = launches.read_text().split()
    assert thawed == "thawed=True"
    assert len(batches) >= 2 and batches == [str(n) for n in range(len(batches))]  # each once, in turn
    children = [line.split() for line in indexed.read_text().splitlines()]
    assert len({pid for pid, _ in children}) == len(batches)
    # Some of them (the last pages are mostly kept out of search: past positions, redirects).
    assert any(wrote == "True" for _, wrote in children)
    assert _tree(tmp_path / "relay") == _tree(tmp_path / "alone")


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_pages_and_citation_files_rendered_by_two_processes_are_those_one_renders(tmp_path, monkeypatch):
    """publisher.site.parallel on a small site (it starts at 1,000 items otherwise): each
    process renders every other page and makes every other page's citation files
    (`Renderer.share`); the site is the one rendered in one process, byte for byte."""
    from publisher.site import parallel

    project = _fixture_project(tmp_path, monkeypatch)
    assert engine.build(project / "mkdocs.yml", tmp_path / "alone", quiet=True) == 0
    monkeypatch.setattr(parallel, "FROM_ITEMS", 1)
    forks = tmp_path / "forks"  # the build runs in a child process: counted in a file
    render_in_two = parallel._render_in_two

    def counted(renderer, produce):
        with open(forks, "a") as out:
            out.write("forked\n")
        return render_in_two(renderer, produce)

    monkeypatch.setattr(parallel, "_render_in_two", counted)
    from publisher import citeformats

    made_by = tmp_path / "made-by"  # which process made each page's citation files
    files = citeformats.files

    def noted(cite):
        with open(made_by, "a") as out:
            out.write(f"{os.getpid()}\n")
        return files(cite)

    monkeypatch.setattr(citeformats, "files", noted)
    assert engine.build(project / "mkdocs.yml", tmp_path / "two", quiet=True) == 0
    assert forks.read_text().split() == ["forked"]
    two, alone = _tree(tmp_path / "two"), _tree(tmp_path / "alone")
    assert sorted(two) == sorted(alone)
    cited = [name for name in alone if name.endswith(("citation.bib", "citation.ris", "citation.json"))]
    assert len(cited) > 30
    # Each page's files made once, by one process or the other, every other page.
    by_process = sorted(made_by.read_text().split().count(pid) for pid in set(made_by.read_text().split()))
    assert sum(by_process) == len(cited) // 3
    assert len(by_process) == 2 and by_process[1] - by_process[0] <= 2
    assert [name for name in alone if two[name] != alone[name]] == []


def _index_afterwards(site: Path, pages: int, filtered: int, at_once: int, monkeypatch) -> tuple[Path, int]:
    """The index `publisher build` makes once its build has ended (`Afterwards`), with
    `at_once` Pagefind runs at a time; and the most that ran at once."""
    running, most = [0], [0]
    index = search_index.Indexer._index

    def counted(self, part, *, yielding):
        running[0] += 1
        most[0] = max(most[0], running[0])
        try:
            return index(self, part, yielding=yielding)
        finally:
            running[0] -= 1

    monkeypatch.setattr(search_index.Indexer, "_index", counted)
    monkeypatch.setattr(search_index.os, "cpu_count", lambda: at_once)
    with search_index.indexed_afterwards(site.parent / f"{site.name}-scratch") as later:
        indexer = search_index.Indexer(site)
        assert indexer.deferred
        indexer.expect(pages)
        for n in range(pages):
            indexer.add(*_page(n, n < filtered))
        indexer.start()
        assert indexer.write(site) is None  # only written for later
        made = later.index(site)
    assert made and all((site / name).is_file() for name in made)
    return site / search_index.FOLDER, most[0]


def test_after_a_build_the_parts_are_indexed_two_at_once_into_the_same_index(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "PAGES_PER_PART", 10)
    one, most_one = _index_afterwards(tmp_path / "one", 45, 6, 1, monkeypatch)
    two, most_two = _index_afterwards(tmp_path / "two", 45, 6, 2, monkeypatch)
    assert (most_one, most_two) == (1, 2)
    assert json.loads((two / search_index.PARTS_FILE).read_text())["parts"] == [f"parts/{n}/" for n in range(1, 6)]
    assert _tree(two) == _tree(one)


def test_a_part_that_fails_while_another_is_indexed_fails_the_index(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "PAGES_PER_PART", 10)
    index = search_index.Indexer._index

    def failing(self, part, *, yielding):
        if part == 3:
            raise search_index.SearchIndexError("Pagefind could not index the site: part 3 broke")
        return index(self, part, yielding=yielding)

    monkeypatch.setattr(search_index.Indexer, "_index", failing)
    with pytest.raises(search_index.SearchIndexError, match="part 3 broke"):
        _index_afterwards(tmp_path / "site", 45, 6, 2, monkeypatch)
    assert not (tmp_path / "site" / search_index.FOLDER).exists()


@pytest.mark.slow
def test_generated_files_written_beside_mkdocs_are_those_it_writes(tmp_path, monkeypatch):
    """engine.FilesApart on a small site (it starts at 2,000 files otherwise): the citation
    files, feeds and open data are written by a second process while MkDocs writes the
    pages; the site is the one MkDocs writes alone, byte for byte."""
    project = _fixture_project(tmp_path, monkeypatch)
    assert engine.build(project / "mkdocs.yml", tmp_path / "alone", quiet=True) == 0
    monkeypatch.setattr(engine.FilesApart, "FROM_FILES", 1)
    monkeypatch.setattr(engine.FilesApart, "BATCH", 7)
    handed = tmp_path / "handed"  # each batch handed to the writer (the build runs in a child)
    batches = engine.FilesApart.batches.__func__

    def noted(cls, files):
        for batch in batches(cls, files):
            with open(handed, "a") as out:
                out.write(" ".join(address for address, _, _ in batch) + "\n")
            yield batch

    monkeypatch.setattr(engine.FilesApart, "batches", classmethod(noted))
    from mkdocs.structure.files import File

    copy = File.copy_file

    def in_mkdocs(self, dirty=False):  # what MkDocs' own process still writes
        assert not self.dest_uri.endswith(("citation.bib", "feed.xml")), self.dest_uri
        copy(self, dirty)

    monkeypatch.setattr(File, "copy_file", in_mkdocs)
    assert engine.build(project / "mkdocs.yml", tmp_path / "beside", quiet=True) == 0
    beside, alone = _tree(tmp_path / "beside"), _tree(tmp_path / "alone")
    batches_handed = [line.split() for line in handed.read_text().splitlines()]
    assert len(batches_handed) >= 3 and all(len(batch) == 7 for batch in batches_handed[:-1])
    written = [name for batch in batches_handed for name in batch]
    assert len(written) == len(set(written))
    assert {"data/recommendations.csv", "data/datapackage.json"} <= set(written)
    assert any(name.endswith("/citation.bib") for name in written) and any(name.endswith("/feed.xml") for name in written)
    assert sorted(beside) == sorted(alone)
    assert [name for name in alone if beside[name] != alone[name]] == []


def test_generated_files_that_could_not_be_written_beside_mkdocs_fail_the_build(tmp_path, monkeypatch, capfd):
    """A file the writer cannot create (here a file stands where its folder should be) is
    named with the system's reason, the build fails, and no site is left behind."""
    project = _fixture_project(tmp_path, monkeypatch)
    monkeypatch.setattr(engine.FilesApart, "FROM_FILES", 1)
    batches = engine.FilesApart.batches.__func__
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the writer needs a folder")

    def misplaced(cls, files):
        for batch in batches(cls, files):
            yield [
                (address, str(blocked / "citation.bib") if address.endswith("citation.bib") else place, content)
                for address, place, content in batch
            ]

    monkeypatch.setattr(engine.FilesApart, "batches", classmethod(misplaced))
    assert engine.build(project / "mkdocs.yml", tmp_path / "site", quiet=True) == 1
    said = capfd.readouterr().err
    assert "could not be written" in said
    assert re.search(r"Could not write \S+/citation\.bib: File exists", said), said
    assert not (tmp_path / "site").exists()
