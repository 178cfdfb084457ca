"""The preview's refresh (`publisher serve`): after an edit only the pages it changed are
made again, and the refreshed site is the site a clean build of the same content gives,
byte for byte (see src/publisher/preview.py)."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import MINIMAL, ROOT, TODAY, copy_project, free_port, until
from publisher import engine, generate, preview, search_index, settings
from publisher.site import SiteInfo, tracking

sys.path.insert(0, str(ROOT / "benchmarks"))
import synthetic  # noqa: E402

SERVE_URL = "http://127.0.0.1:8000/"
#: Enough recommendations and updates that the lists are numbered pages and past
#: positions have quarters to differ in, small enough to build in seconds.
RECOMMENDATIONS = 40


@pytest.fixture
def preview_env(monkeypatch):
    """What `publisher serve` sets: the preview, a fixed day, a fixed build date."""
    monkeypatch.setenv("PUBLISHER_PREVIEW", "1")
    monkeypatch.setenv("PUBLISHER_TODAY", TODAY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564800")
    yield
    preview.stop()


def _tree(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def _built(project: Path, site: Path) -> engine.Preview:
    """A preview of `project` built in full into `site`, its search index finished."""
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    made = engine.Preview(project / "mkdocs.yml", site, settings.from_environment(), serve_url=SERVE_URL)
    made.build()
    made.session.search.wait()
    return made


def _differences(a: Path, b: Path) -> list[str]:
    first, second = _tree(a), _tree(b)
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


# --------------------------------------------------------------------------- edits


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def _dump(path: Path, data) -> None:
    path.write_text(yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _retitle(path: Path, word: str, prefix: str = "") -> None:
    """Put `word` at the start of the first `title:` (after `prefix`, a YAML indent)."""
    text = path.read_text(encoding="utf-8")
    pattern = rf"^({re.escape(prefix)}title: )(['\"]?)"
    path.write_text(re.sub(pattern, lambda m: f"{m.group(1)}{m.group(2)}{word} ", text, count=1, flags=re.M), encoding="utf-8")


def _updates(project: Path) -> list[Path]:
    return sorted((project / "content" / "updates").glob("*.md"))


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def edit_an_update(project: Path) -> None:
    """A new status and title for a published update."""
    path = next(p for p in _updates(project) if _front(p).get("status") == "in-progress")
    text = path.read_text(encoding="utf-8").replace("status: in-progress", "status: met", 1)
    path.write_text(text, encoding="utf-8")
    _retitle(path, "Done:")


def edit_an_update_text(project: Path) -> None:
    """Only an update's text: its page and the feeds summarising it change."""
    path = _updates(project)[len(_updates(project)) // 4]
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence the test added.\n", encoding="utf-8")


def add_an_update(project: Path) -> None:
    source = _updates(project)[len(_updates(project)) // 2]
    target = source.with_name("2026-11-20-added-by-the-test.md")
    target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    _retitle(target, "Added")


def delete_an_update(project: Path) -> None:
    _updates(project)[0].unlink()


def move_an_update_later(project: Path) -> None:
    """An update from years back, re-dated: the past positions from its old date on change,
    not only those from its new one."""
    path = next(p for p in _updates(project) if str(_front(p)["date"]) < "2021" and _front(p).get("status") == "in-progress")
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^date: .*$", "date: '2024-06-28'", text, count=1, flags=re.M), encoding="utf-8")


def _drafted() -> str:
    return "draft: true\n"


def make_an_update_a_draft(project: Path) -> None:
    """A published update taken back as a draft: gone from the public record (the past
    positions, the open data), still on the preview's pages."""
    path = _updates(project)[len(_updates(project)) // 3]
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\n" + _drafted(), 1), encoding="utf-8")


def publish_the_draft(project: Path) -> None:
    path = next(p for p in _updates(project) if _drafted() in p.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace(_drafted(), "", 1), encoding="utf-8")


def edit_a_source(project: Path) -> None:
    _retitle(project / "content" / "sources.yml", "Renamed", prefix="  ")


def add_a_source(project: Path) -> None:
    path = project / "content" / "sources.yml"
    sources = yaml.safe_load(path.read_text(encoding="utf-8"))
    added = copy.deepcopy(sources[-1])
    added.update(id="added-by-the-test", title="A source added by the test")
    sources.append(added)
    _dump(path, sources)


def delete_a_source(project: Path) -> None:
    """The source just added (nothing cites it yet)."""
    path = project / "content" / "sources.yml"
    _dump(path, [s for s in yaml.safe_load(path.read_text(encoding="utf-8")) if s["id"] != "added-by-the-test"])


def _last_inspection(project: Path) -> Path:
    return sorted((project / "content" / "inspections").glob("*.yml"))[-1]


def edit_a_recommendation(project: Path) -> None:
    path = _last_inspection(project)
    inspection = yaml.safe_load(path.read_text(encoding="utf-8"))
    inspection["recommendations"][0]["title"] = "Retitled by the test"
    _dump(path, inspection)


def add_a_recommendation(project: Path) -> None:
    path = _last_inspection(project)
    inspection = yaml.safe_load(path.read_text(encoding="utf-8"))
    added = copy.deepcopy(inspection["recommendations"][0])
    added.update(id=added["id"] + "-added", title="A recommendation added by the test")
    added.pop("follows", None)
    inspection["recommendations"].append(added)
    if inspection.get("recommendations_made") is not None:  # the report's own count goes up too
        inspection["recommendations_made"] += 1
    _dump(path, inspection)


def delete_a_recommendation(project: Path) -> None:
    """The recommendation just added (no update is about it)."""
    path = _last_inspection(project)
    inspection = yaml.safe_load(path.read_text(encoding="utf-8"))
    inspection["recommendations"] = [r for r in inspection["recommendations"] if not r["id"].endswith("-added")]
    if inspection.get("recommendations_made") is not None:
        inspection["recommendations_made"] -= 1
    _dump(path, inspection)


EDITS = [
    edit_an_update, edit_an_update_text, add_an_update, delete_an_update,
    move_an_update_later, make_an_update_a_draft, publish_the_draft,
    edit_a_source, add_a_source, delete_a_source,
    edit_a_recommendation, add_a_recommendation, delete_a_recommendation,
]


# --------------------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def national_content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("synthetic") / "content"
    synthetic.generate(content, RECOMMENDATIONS, seed=11)
    return content


@pytest.mark.slow
def test_each_refresh_gives_the_site_a_clean_build_gives(tmp_path, national_content, preview_env, monkeypatch):
    # Small parts, so the search index has several besides the recommendations' and an
    # edit indexes some of them again, not all (publisher.search_index).
    monkeypatch.setattr(search_index, "PAGES_PER_PART", 60)
    project = copy_project(tmp_path / "project", national_content)
    live = _built(project, tmp_path / "live")
    try:
        for edit in EDITS:
            edit(project)
            live.refresh()
            live.wait()  # the numbered list pages, converted after the refresh returns
            live.session.search.wait()
            clean = _built(project, tmp_path / "clean")
            clean.close()
            assert _differences(tmp_path / "live", tmp_path / "clean") == [], edit.__name__
            assert len(json.loads((tmp_path / "live" / "pagefind" / "parts.json").read_text())["parts"]) > 2
    finally:
        live.close()


@pytest.mark.slow
def test_the_first_build_of_a_preview_is_mkdocs_own_preview_build(tmp_path, preview_env):
    """The preview builds as `mkdocs build` would (the same steps, kept for the refreshes);
    only what a preview does not publish is left out: the manifest."""
    project = copy_project(tmp_path / "project", MINIMAL)
    _built(project, tmp_path / "live").close()
    preview.stop()
    from support import run

    plain = run(sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "plain"), cwd=project, env={"SITE_URL": SERVE_URL})
    assert plain.returncode == 0, plain.stderr
    (tmp_path / "plain" / "manifest.sha256").unlink()
    assert _differences(tmp_path / "live", tmp_path / "plain") == []


@pytest.mark.slow
def test_a_refresh_refused_then_passed_twice_leaves_no_page_as_it_was(tmp_path, national_content, preview_env):
    """A refresh that renders pages and is then refused adopts none of them; nor does the
    first pass of a refresh that makes two (a redirect came). The newest update, whose
    address is registered, deleted: refused (its address would break). A redirect for it
    added: every numbered page of the updates list moves along one, as in the refused
    pass, and the refresh renders twice (the redirect's page came)."""
    project = copy_project(tmp_path / "project", national_content)
    newest = _updates(project)[-1]
    (project / "permalinks.txt").write_text(f"/updates/{newest.stem}/\n", encoding="utf-8")
    live = _built(project, tmp_path / "live")
    try:
        newest.unlink()
        with pytest.raises(engine._Stopped, match="A published address would stop working"):
            live.refresh()
        (project / "content" / "redirects.yml").write_text(
            f"- from: /updates/{newest.stem}/\n  to: /updates/\n  reason: The test deleted it.\n", encoding="utf-8"
        )
        live.refresh()
        live.wait()
        live.session.search.wait()
        clean = _built(project, tmp_path / "clean")
        clean.close()
        assert _differences(tmp_path / "live", tmp_path / "clean") == []
    finally:
        live.close()


@pytest.mark.slow
def test_an_edit_to_a_draft_renders_only_the_pages_that_show_it(tmp_path, national_content, preview_env):
    project = copy_project(tmp_path / "project", national_content)
    draft = _updates(project)[-1]
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    session = preview.start(settings.from_environment())
    first = session.first(_settings(project))
    pages = [f for f in first.files if f.src_uri.endswith(".md")]
    draft.write_text(draft.read_text(encoding="utf-8") + "\nA further sentence.\n", encoding="utf-8")
    refreshed = session.refresh()
    # Its own page and the pages listing it or its recommendation's status; not the past
    # positions or the open data (a draft is not public), not the other items' pages.
    assert 0 < refreshed.rendered < len(pages) / 10
    # Most item pages were kept without even gathering what they show: the draft is about
    # one recommendation, and nothing that places items among others changed.
    items = [src for src in (f.src_uri for f in pages) if src.startswith(("updates/", "recommendations/")) and "/page-" not in src and src.count("/") == 1 and not src.endswith("index.md")]
    assert refreshed.kept >= len(items) - 10, (refreshed.kept, len(items))
    written = [f.src_uri for f in refreshed.written]
    assert [src for src in written if src.endswith(".md")] == [f"updates/{draft.stem}.md"]  # and the feeds
    assert not any(src.startswith(("as-at/", "data/")) for src in written)


def _newest_draft(project: Path) -> None:
    """A draft dated after every update: first in the updates list, moving every entry along one."""
    newest = _updates(project)[-1]
    target = newest.with_name("2026-11-24-a-new-draft.md")
    text = re.sub(r"^date: .*$", "date: '2026-11-24'", newest.read_text(encoding="utf-8"), count=1, flags=re.M)
    target.write_text(text.replace("---\n", "---\n" + _drafted(), 1), encoding="utf-8")
    _retitle(target, "Drafted")


@pytest.mark.slow
def test_a_new_update_leaves_the_numbered_list_pages_to_render_after_the_refresh(tmp_path, national_content, preview_env):
    project = copy_project(tmp_path / "project", national_content)
    session = preview.start(settings.from_environment())
    session.first(_settings(project))
    _newest_draft(project)
    refreshed = session.refresh()
    # Every page of the updates list after the first, and the explorer's page showing
    # the status the draft gives its recommendation.
    numbered = sorted(f.src_uri for f in refreshed.later)
    assert {"updates/page-2.md", "updates/page-3.md"} <= set(numbered) and all("/page-" in src for src in numbered), numbered
    written = [f.src_uri for f in refreshed.written]
    assert "updates/index.md" in written and not any("/page-" in src for src in written)
    # Rendered afterwards, they are what a clean build makes.
    finished = {f.src_uri: f.content for f in session.finish(refreshed.later)}
    assert sorted(finished) == numbered
    clean = {f.src_uri: f.content for f in preview.Session(settings.from_environment()).first(_settings(project)).files}
    assert all(finished[src] == clean[src] for src in numbered)
    # The next refresh starts from them: the draft's text edited renders none of them again.
    draft = project / "content" / "updates" / "2026-11-24-a-new-draft.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\nA sentence the test added.\n", encoding="utf-8")
    again = session.refresh()
    assert not again.later and not any("/page-" in f.src_uri for f in again.written)


@pytest.mark.slow
def test_a_numbered_page_refused_after_the_refresh_is_shown_and_the_next_save_builds_everything(tmp_path, national_content, preview_env, monkeypatch):
    from publisher import site
    from publisher.problems import ContentError, Problem

    project = copy_project(tmp_path / "project", national_content)
    live = _built(project, tmp_path / "live")
    check = site._refuse_claims_of_completeness

    def refusing(content, generated):
        # As the check finds a claim of completeness on a numbered page of the updates list.
        for f in generated:
            if f.src_uri.startswith("updates/page-"):
                raise ContentError([Problem(f.src_uri + " (a generated page)", 3, "'every recommendation' claims the record is complete")])
        check(content, generated)

    try:
        before = (tmp_path / "live" / "updates" / "page-2" / "index.html").read_bytes()
        monkeypatch.setattr(site, "_refuse_claims_of_completeness", refusing)
        _newest_draft(project)
        live.refresh()
        live.wait()
        assert "updates/page-2.md (a generated page):3" in live.problems
        assert "the next save builds everything" in live.problems
        assert (tmp_path / "live" / "updates" / "page-2" / "index.html").read_bytes() == before
        assert "Drafted" in (tmp_path / "live" / "updates" / "index.html").read_text(encoding="utf-8")
        monkeypatch.setattr(site, "_refuse_claims_of_completeness", check)
        session = live.session
        _retitle(_updates(project)[0], "Retitled")
        live.refresh()
        assert live.session is not session  # built again from the start
        assert (tmp_path / "live" / "updates" / "page-2" / "index.html").read_bytes() != before  # moved along one
    finally:
        live.close()


def _settings(project: Path) -> generate.SiteSettings:
    return generate.SiteSettings(
        project=project, pages_dir=project / "content" / "pages", templates=generate.template_folders(project / "site_overrides"),
        info=SiteInfo("Test", SERVE_URL, "Test publisher"),
    )


@pytest.mark.slow
def test_a_mistake_stops_the_refresh_with_its_line_and_the_last_site_stays(tmp_path, preview_env):
    project = copy_project(tmp_path / "project", MINIMAL)
    live = _built(project, tmp_path / "live")
    try:
        before = _tree(tmp_path / "live")
        update = _updates(project)[0]
        good = update.read_text(encoding="utf-8")
        update.write_text(good.replace("status: ", "status: finished-ish\nstatus_was: ", 1), encoding="utf-8")
        with pytest.raises(engine._Stopped) as stopped:
            live.refresh()
        assert f"content/updates/{update.name}:" in str(stopped.value)
        assert "the preview shows the last version that built" in str(stopped.value)
        assert _tree(tmp_path / "live") == before
        update.write_text(good.replace("title: ", "title: Fixed ", 1), encoding="utf-8")
        live.refresh()
        assert "Fixed" in (tmp_path / "live" / "updates" / update.stem / "index.html").read_text(encoding="utf-8")
    finally:
        live.close()


@pytest.mark.slow
def test_a_refresh_works_with_the_collector_paused_and_collects_at_its_end(tmp_path, preview_env, monkeypatch):
    import gc

    project = copy_project(tmp_path / "project", MINIMAL)
    live = _built(project, tmp_path / "live")
    seen: list[bool] = []
    refresh = live.session.refresh

    def watched():
        seen.append(gc.isenabled())
        return refresh()

    monkeypatch.setattr(live.session, "refresh", watched)
    update = _updates(project)[0]
    good = update.read_text(encoding="utf-8")
    collected: list[int] = []

    def collecting(phase, info):
        if phase == "stop":
            collected.append(info["generation"])

    gc.callbacks.append(collecting)
    try:
        assert gc.isenabled()
        _retitle(update, "Paused")
        live.refresh()
        assert seen == [False] and gc.isenabled()
        # Its garbage was collected in full once it ended, and what is left frozen.
        assert 2 in collected
        assert gc.get_freeze_count() > 0
        # A refresh that stops at a mistake leaves the collector running too.
        update.write_text(good.replace("status: ", "status: finished-ish\nstatus_was: ", 1), encoding="utf-8")
        with pytest.raises(engine._Stopped):
            live.refresh()
        assert seen == [False, False] and gc.isenabled()
    finally:
        gc.callbacks.remove(collecting)
        live.close()


@pytest.mark.slow
def test_a_hand_written_page_is_converted_again(tmp_path, preview_env):
    project = copy_project(tmp_path / "project", MINIMAL)
    live = _built(project, tmp_path / "live")
    try:
        page = project / "content" / "pages" / "privacy.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nA sentence the test added.\n", encoding="utf-8")
        live.refresh()
        assert "A sentence the test added." in (tmp_path / "live" / "privacy" / "index.html").read_text(encoding="utf-8")
    finally:
        live.close()


# --------------------------------------------------------------------------- what is tracked


def test_items_compare_by_value_and_a_change_marks_its_kind(tmp_path):
    from publisher.content import load_content
    from publisher.progress import derive
    from publisher.record import tally

    before = load_content(MINIMAL)
    content = copy_project(tmp_path / "p", MINIMAL) / "content"
    same = load_content(content)
    day = settings.from_environment({"PUBLISHER_TODAY": TODAY}).today
    a, b = derive(before, day, True), derive(same, day, True)
    assert tracking.changed_keys(before, same, a, b, tally(before), tally(same)) == set()
    _retitle(content / "sources.yml", "Renamed", prefix="  ")
    renamed = load_content(content)
    changed = tracking.changed_keys(before, renamed, a, derive(renamed, day, True), tally(before), tally(renamed))
    first = next(iter(renamed.sources))
    assert changed == {("source", first), ("source", tracking.EVERY)}


def test_whether_there_are_drafts_changes_only_when_the_first_comes_or_the_last_goes(tmp_path):
    """A page that shows a notice while there are drafts (`{% if progress.unpublished %}`)
    rests on whether there are any, not on each one: a second draft leaves it alone."""
    from publisher.content import load_content
    from publisher.progress import derive
    from publisher.record import tally

    content = copy_project(tmp_path / "p", MINIMAL) / "content"
    day = settings.from_environment({"PUBLISHER_TODAY": TODAY}).today

    def state():
        loaded = load_content(content)
        return loaded, derive(loaded, day, True)

    def changed(before, after):
        return tracking.changed_keys(before[0], after[0], before[1], after[1], tally(before[0]), tally(after[0]))

    one = state()  # the fixture has one draft
    assert one[1].unpublished
    second = content / "updates" / "2024-07-01-second-draft.md"
    second.write_text((content / "updates" / "2024-06-30-draft.md").read_text(encoding="utf-8"), encoding="utf-8")
    two = state()
    assert ("unpublished", "2024-07-01-second-draft") in changed(one, two)
    assert ("unpublished", tracking.ANY) not in changed(one, two)
    for path in (content / "updates").glob("*draft.md"):
        path.unlink()
    none = state()
    assert not none[1].unpublished
    assert ("unpublished", tracking.ANY) in changed(two, none)

    # And a template asking whether there are any rests on exactly that.
    tracker = tracking.Tracker()
    tracker.begin(*two, tally(two[0]), changed=None)
    with tracker.rendering("x.md", {"title": "X"}, {"progress": two[1]}) as context:
        assert context["progress"].unpublished
    assert ("unpublished", tracking.ANY) in tracker.records["x.md"].keys
    assert ("unpublished", tracking.EVERY) not in tracker.records["x.md"].keys


def test_a_value_the_tracker_cannot_describe_makes_its_page_render_every_time():
    tracker = tracking.Tracker()

    class Opaque:
        pass

    from publisher.content import load_content
    from publisher.progress import derive
    from publisher.record import tally

    content = load_content(MINIMAL)
    progress = derive(content, settings.from_environment({"PUBLISHER_TODAY": TODAY}).today, True)
    tracker.begin(content, progress, tally(content), changed=None)
    with tracker.rendering("x.md", {"title": "X"}, {"thing": Opaque()}):
        pass
    assert tracking.VOLATILE in tracker.records["x.md"].keys
    tracker.begin(content, progress, tally(content), changed=set())
    assert tracker.wanted("x.md", {"title": "X"}, {"thing": Opaque()})


def test_unchanged_files_are_not_parsed_again(tmp_path):
    project = copy_project(tmp_path / "project", MINIMAL)
    options = settings.from_environment({"PUBLISHER_TODAY": TODAY, "PUBLISHER_PREVIEW": "1"})
    parsing = preview._Parsing()
    from publisher import content as content_module

    parsed: list[str] = []
    original = content_module.load_yaml

    def counting(text, shown, **kwargs):
        parsed.append(shown)
        return original(text, shown, **kwargs)

    content_module.load_yaml = counting
    try:
        with parsing.remembered():
            generate.load(_settings(project), options)
        first = len(parsed)
        parsed.clear()
        _retitle(project / "content" / "sources.yml", "Renamed", prefix="  ")
        with parsing.remembered():
            content, _ = generate.load(_settings(project), options)
    finally:
        content_module.load_yaml = original
    assert first > 3 and parsed == ["content/sources.yml"]
    assert next(iter(content.sources.values())).title.startswith("Renamed")


# --------------------------------------------------------------------------- publisher serve


@pytest.mark.slow
def test_publisher_serve_refreshes_a_saved_update_and_shows_a_mistake_on_the_page(tmp_path):
    project = copy_project(tmp_path / "project", MINIMAL)
    port = free_port()
    env = {**os.environ, "PUBLISHER_TODAY": TODAY}
    server = subprocess.Popen(
        [sys.executable, "-m", "publisher.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        update = _updates(project)[0]
        url = f"http://127.0.0.1:{port}/updates/{update.stem}/"
        until(url, "</html>")
        good = update.read_text(encoding="utf-8")
        _retitle(update, "Saved")
        until(url, "Saved ")
        update.write_text(good.replace("status: ", "status: finished-ish\nstatus_was: ", 1), encoding="utf-8")
        page = until(url, "Not refreshed.")
        assert f"content/updates/{update.name}:" in page
        update.write_text(good, encoding="utf-8")
        assert "Saved " not in until(url, "Not refreshed.", gone=True)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=60)
    assert "Refreshed" in output, output[-3000:]


# --------------------------------------------------------------------------- extra routes


def test_a_route_added_to_the_preview_answers_its_addresses_before_the_built_site(tmp_path):
    """`Preview.routes` is where other parts of the preview (the editor, its API) add their
    addresses: a request at or under a route's prefix goes to it, any other to the site."""
    site_dir = tmp_path / "site"
    for folder in ("api/v1", "api/v10"):
        (site_dir / folder).mkdir(parents=True)
        (site_dir / folder / "index.html").write_text(f"<html><body>built {folder}</body></html>", encoding="utf-8")
    options = settings.from_environment({"PUBLISHER_TODAY": TODAY})
    made = engine.Preview(tmp_path / "mkdocs.yml", site_dir, options, serve_url=SERVE_URL)
    asked: list[str] = []

    def api(environ, start_response):
        asked.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"answered": "api"}']

    made.routes.append(engine.Route("/api/v1", api))
    server = engine._preview_server(made, "127.0.0.1", 0)

    def get(path: str) -> tuple[str, bytes]:
        status: list[str] = []
        environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.url_scheme": "http", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "0"}
        body = b"".join(server.serve_request(environ, lambda s, headers: status.append(s)))
        return status[0], body

    try:
        assert get("/api/v1") == ("200 OK", b'{"answered": "api"}')
        assert get("/api/v1/updates/some-update") == ("200 OK", b'{"answered": "api"}')
        assert get("/api/v1/")[1] == b'{"answered": "api"}'
        assert asked == ["/api/v1", "/api/v1/updates/some-update", "/api/v1/"]
        # A path that only begins with the same letters is the site's.
        status, body = get("/api/v10/")
        assert status == "200 OK" and b"built api/v10" in body
        assert asked == ["/api/v1", "/api/v1/updates/some-update", "/api/v1/"]
    finally:
        server.server_close()
