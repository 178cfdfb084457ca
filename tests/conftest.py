"""Shared fixtures: copies of content, and the real site built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import MINIMAL, ROOT, copy_project, publisher

#: Big enough for numbered pages everywhere (25 rows a page), small enough to build in a minute.
NATIONAL_RECOMMENDATIONS = 300


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


@pytest.fixture(scope="session")
def national_site(tmp_path_factory) -> Path:
    """A synthetic national tracker (benchmarks/synthetic.py): enough recommendations and
    updates that every long list is split into numbered pages, built with `publisher build`."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic

    project = tmp_path_factory.mktemp("national")
    content = project / "generated-content"
    synthetic.generate(content, NATIONAL_RECOMMENDATIONS, seed=7)
    copy_project(project / "project", content)
    result = publisher("build", "-q", cwd=project / "project")
    assert result.returncode == 0, result.stderr
    return project / "project" / "site"
