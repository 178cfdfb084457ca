"""Atomic publishing: a build that fails, or is killed part-way with a real signal, leaves
the previous site exactly as it was: the same folder, every file's bytes, mode and mtime.

Each test starts from a project whose site has been built once, breaks something, builds
again and compares the site with a snapshot taken before.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import MINIMAL, TODAY, copy_project, override, publisher
from publisher import engine

pytestmark = pytest.mark.slow

#: A test-only MkDocs hook that stops a build in the middle: after MkDocs has copied the
#: theme's files and written some pages into the staging folder, it says where that folder
#: is and sleeps, so the test can send a signal while the build is really in progress.
PAUSE_HOOK = '''
import os
import time
from pathlib import Path

_pages = 0


def on_post_page(output, page, config):
    global _pages
    _pages += 1
    if _pages == int(os.environ.get("PAUSE_AFTER_PAGES", "3")):
        Path(os.environ["PAUSED_MARKER"]).write_text(config.site_dir)
        time.sleep(600)
    return output
'''


def snapshot(site: Path) -> dict:
    """Everything that could change about a published folder."""
    state = {".": (os.stat(site).st_ino, os.stat(site).st_mode)}
    for path in sorted(site.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        state[path.relative_to(site).as_posix()] = (info.st_mode, info.st_size, info.st_mtime_ns, digest)
    return state


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.glob(".site.*") if not p.name.endswith(".lock"))


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A project whose site has been built once: the 'previous site' of every test."""
    project = copy_project(tmp_path_factory.mktemp("published") / "project", MINIMAL)
    result = publisher("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(published, tmp_path) -> Path:
    """A private copy of the published project, its site included."""
    return Path(shutil.copytree(published, tmp_path / "project", symlinks=True))


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


# Each mistake: how to make it, and what the failed build must say about it.
MISTAKES = {
    "a content error": (
        lambda p: (p / "content/themes.yml").write_text((p / "content/themes.yml").read_text().replace("title: Care leavers", "title: 42")),
        "content/themes.yml:6: 'title': expected text",
    ),
    "a broken link in a template": (
        lambda p: _append(override(p, "generated/home.md"), '\n<p><a href="{{ href("recommendations/nope.md") }}">x</a></p>\n'),
        "broken link to recommendations/nope/ (no such page or file): from index.html",
    ),
    "a broken anchor in a template": (
        lambda p: _append(override(p, "generated/home.md"), '\n<p><a href="{{ href("recommendations/2019-example-r1.md") }}#nowhere">x</a></p>\n'),
        "broken link to recommendations/2019-example-r1/index.html#nowhere (no such anchor on that page)",
    ),
    "a script from another host": (
        lambda p: _append(override(p, "generated/home.md"), '\n<script src="https://cdn.example/analytics.js"></script>\n'),
        "index.html: <script src=https://cdn.example/analytics.js> (loads from another host)",
    ),
    "a font from another host": (
        lambda p: _append(override(p, "assets/stylesheets/publisher.css"), '\n@import "https://fonts.example/css?family=Nice";\n'),
        # Published minified, under a content-hashed name (publisher.assets): publisher.<hash>.css.
        ".css: url(https://fonts.example/css?family=Nice) (loads from another host)",
    ),
    "a warning in strict mode": (
        lambda p: _append(p / "content/pages/about/index.md", "\nSee [the missing page](missing.md).\n"),
        "missing.md",
    ),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_failed_build_leaves_the_previous_site_exactly_as_it_was(project, mistake):
    make, message = MISTAKES[mistake]
    before = snapshot(project / "site")
    make(project)

    result = publisher("build", cwd=project)

    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def _start_paused_build(project: Path, marker: Path) -> subprocess.Popen:
    """Start `publisher build` with the pause hook; return once it is paused mid-build."""
    (project / "hooks" / "pause_build.py").write_text(PAUSE_HOOK)
    config = (project / "mkdocs.yml").read_text().replace("  - hooks/publisher_hooks.py\n", "  - hooks/publisher_hooks.py\n  - hooks/pause_build.py\n")
    (project / "mkdocs.yml").write_text(config)
    env = {**os.environ, "PUBLISHER_TODAY": TODAY, "PUBLISHER_ALLOW_EXAMPLE_URL": "1", "PAUSED_MARKER": str(marker)}
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher.cli", "build"], cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(f"the build ended before pausing:\n{process.stdout.read().decode()}")
        assert time.monotonic() < deadline, "the build never reached the pause"
        time.sleep(0.05)
    return process


def _remove_pause(project: Path) -> None:
    config = (project / "mkdocs.yml").read_text().replace("  - hooks/pause_build.py\n", "")
    (project / "mkdocs.yml").write_text(config)
    (project / "hooks" / "pause_build.py").unlink()


def test_a_build_killed_part_way_leaves_the_previous_site_and_the_next_build_recovers(project, tmp_path):
    before = snapshot(project / "site")
    themes = project / "content" / "themes.yml"
    themes.write_text(themes.read_text().replace("title: Care leavers", "title: Young people leaving care"))
    marker = tmp_path / "paused"

    build = _start_paused_build(project, marker)
    staging = Path(marker.read_text())
    try:
        # Really part-way: the theme's files and the first pages are already written.
        assert staging.parent == project and staging.name.startswith(".site.building-")
        assert (staging / "assets").is_dir() and list(staging.rglob("*.html"))
    finally:
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=30)
        build.stdout.close()
    assert build.returncode == -signal.SIGKILL

    assert snapshot(project / "site") == before
    # What the killed build left beside the site: its pages and its search index's pages
    # (the build's child process ended with it: engine.apart).
    assert leftovers(project) == [staging.name, f"{staging.name}-search"]

    _remove_pause(project)
    result = publisher("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert leftovers(project) == []
    assert "Young people leaving care" in (project / "site" / "themes" / "care-leavers" / "index.html").read_text()


def test_a_second_build_of_the_same_folder_waits_its_turn_instead_of_breaking_the_first(project, tmp_path):
    before = snapshot(project / "site")
    build = _start_paused_build(project, tmp_path / "paused")
    staging = Path((tmp_path / "paused").read_text())
    try:
        second = publisher("build", cwd=project)
        assert second.returncode == 1
        assert "another build of" in second.stderr and "is running" in second.stderr
        assert staging.is_dir(), "the second build removed the first one's work"
        assert snapshot(project / "site") == before
    finally:
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=30)
        build.stdout.close()


def test_a_build_killed_between_the_two_renames_of_the_fallback_swap_is_undone(tmp_path, monkeypatch):
    """Where the system has no atomic exchange, the swap is two renames; if a build dies
    between them there is no site for a moment, so the next build puts the old one back."""
    target = tmp_path / "site"
    previous = tmp_path / ".site.previous-4242"
    previous.mkdir()
    (previous / "index.html").write_text("the previous site")
    staging = tmp_path / ".site.building-4242"
    staging.mkdir()
    (staging / "index.html").write_text("half of a new site")

    engine._clear_leftovers(target)

    assert (target / "index.html").read_text() == "the previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_fallback_swap_replaces_the_site_when_there_is_no_atomic_exchange(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "_exchange", lambda a, b: False)
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old")
    staging = tmp_path / ".site.building-1"
    staging.mkdir()
    (staging / "index.html").write_text("new")

    engine.swap_in(staging, target)

    assert (target / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_atomic_exchange_is_used_where_the_system_has_it(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "which").write_text("a")
    (b / "which").write_text("b")
    if not engine._exchange(a, b):
        pytest.skip("this system has no renameat2 RENAME_EXCHANGE (not Linux, or the filesystem lacks it)")
    assert (a / "which").read_text() == "b" and (b / "which").read_text() == "a"
