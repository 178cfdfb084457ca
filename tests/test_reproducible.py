"""Reproducible builds: the same content and SOURCE_DATE_EPOCH give a byte-identical site,
whatever the hash seed, time zone, locale or folder; and the site's manifest lists it."""

import hashlib
import subprocess
from pathlib import Path

import pytest

from support import copy_project, publisher

pytestmark = pytest.mark.slow

#: Noon UTC on the tests' "today" (conftest.TODAY): "today" comes from it here, in Jersey time.
EPOCH = "1795608000"


def _hashes(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def _locales() -> tuple[str, str]:
    """Two different locales this machine has (a non-English one where installed)."""
    available = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    other = next((name for name in available if name.lower().startswith(("de_", "fr_", "cy_"))), None)
    return "C", other or ("C.UTF-8" if "C.utf8" in available or "C.UTF-8" in available else "POSIX")


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    first_locale, second_locale = _locales()
    environments = [
        {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": first_locale, "LANG": first_locale},
        {"PYTHONHASHSEED": "4242", "TZ": "Pacific/Kiritimati", "LC_ALL": second_locale, "LANG": second_locale},
    ]
    folders = [tmp_path_factory.mktemp("a") / "project", tmp_path_factory.mktemp("b") / "deeper" / "elsewhere"]
    sites = []
    for folder, env in zip(folders, environments):
        project = copy_project(folder)
        result = publisher("build", "--site-dir", str(project / "public"), cwd=project, env={"SOURCE_DATE_EPOCH": EPOCH, "PUBLISHER_TODAY": "", **env})
        assert result.returncode == 0, result.stderr
        sites.append(project / "public")
    return sites


def test_two_builds_are_byte_identical(two_builds):
    first, second = (_hashes(site) for site in two_builds)
    assert len(first) > 200
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == []


def test_the_manifest_lists_every_file_with_its_sha256(two_builds):
    site = two_builds[0]
    lines = (site / "manifest.sha256").read_text().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    expected = _hashes(site)
    del expected["manifest.sha256"]
    assert listed == expected
    assert [line.split("  ", 1)[1] for line in lines] == sorted(expected)
    result = subprocess.run(["sha256sum", "--check", "--quiet", "manifest.sha256"], cwd=site, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_timestamps_come_from_source_date_epoch(two_builds):
    sitemap = (two_builds[0] / "sitemap.xml").read_text()
    # <lastmod> is each page's last-changed date from the data (test_citation_metadata
    # checks them page by page), never the build's day.
    assert "<lastmod>" in sitemap and "<lastmod>2026-11-25</lastmod>" not in sitemap
    import gzip

    with gzip.open(two_builds[0] / "sitemap.xml.gz") as gz:
        assert gz.read().decode() == sitemap
    header = (two_builds[0] / "sitemap.xml.gz").read_bytes()[:10]
    assert int.from_bytes(header[4:8], "little") <= int(EPOCH)
