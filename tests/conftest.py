"""Shared fixtures: copies of content, and the real site built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import MINIMAL, copy_project, publisher


@pytest.fixture
def minimal_content(tmp_path: Path) -> Path:
    """A writable copy of the small valid fixture content."""
    target = tmp_path / "content"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real Jersey site, built once per test session with `publisher build`."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = publisher("build", "--site-dir", str(project / "site"), cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def tricky_site(tmp_path_factory) -> Path:
    """The complete fixture with tricky-but-valid text in every field, built (see hostile.py)."""
    import hostile

    root = tmp_path_factory.mktemp("tricky")
    return hostile.build_site(root / "project", hostile.hostile_content(root / "content"))
