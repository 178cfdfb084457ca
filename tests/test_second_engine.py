"""A second engine: MkDocs 1.x is unmaintained and ProperDocs is its maintained drop-in
fork, so the site must also build with `properdocs build --strict`, and match.

"Match" means: the same set of files, and every file byte for byte the same, except
- the `<meta name="generator">` tag, which names the engine that built the page;
- `sitemap.xml.gz`, compared after decompressing (gzip records when it was written);
- `_headers`, which `publisher build` writes after the engine has finished;
- `manifest.sha256`, whose hashes follow from the files: it must list the same files
  (but `_headers`).
So any difference in pages, navigation, search index, theme assets or links fails.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

import pytest

from support import copy_project, run
from publisher.headers import HEADERS_FILE
from publisher.manifest import NAME as MANIFEST

pytestmark = pytest.mark.slow

_GENERATOR = re.compile(rb'\s*<meta name="generator" content="[^"]*">')


def _comparable(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        return gzip.decompress(data)
    if path.suffix == ".html":
        return _GENERATOR.sub(b"", data)
    if path.name == MANIFEST:
        return b"\n".join(name for name in (line.split(b"  ", 1)[1] for line in data.splitlines()) if name != HEADERS_FILE.encode())
    return data


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} - {HEADERS_FILE}


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("properdocs") / "project")
    result = run(sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", "site", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_properdocs_builds_the_site_strictly(properdocs_site):
    assert (properdocs_site / "index.html").is_file()
    assert b"ProperDocs" in re.search(rb'<meta name="generator" content="[^"]*">', (properdocs_site / "index.html").read_bytes()).group()


def test_the_properdocs_site_matches_the_mkdocs_site(properdocs_site, built_site):
    assert _files(properdocs_site) == _files(built_site)
    different = [
        name for name in sorted(_files(built_site))
        if _comparable(properdocs_site / name) != _comparable(built_site / name)
    ]
    assert different == []
