"""Permanent addresses: the register, redirects, and the build failing when an address would break."""

import re

import pytest

from support import MINIMAL, ROOT, TODAY, copy_project, publisher, search_text
from publisher import permalinks
from publisher.model.redirect import normalise
from publisher.problems import ContentError


def _fixture_project(tmp_path):
    project = copy_project(tmp_path / "project", MINIMAL)
    result = publisher("register", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def _rename_recommendation(project, old, new):
    for path in [*project.glob("content/inspections/*.yml"), *project.glob("content/updates/*.md")]:
        path.write_text(path.read_text().replace(old, new))


@pytest.mark.parametrize(
    "written, expected",
    [
        ("recommendations/x", "/recommendations/x/"),
        ("/recommendations/x/", "/recommendations/x/"),
        ("recommendations/x/index.html", "/recommendations/x/"),
        ("inspections/y/#y-f01", "/inspections/y/#y-f01"),
        ("data/recommendations.csv", "/data/recommendations.csv"),
        ("", "/"),
    ],
)
def test_addresses_are_normalised_to_the_register_form(written, expected):
    assert normalise(written) == expected


def test_no_address_in_the_committed_register_has_stopped_being_published():
    """The guarantee CI holds: every registered address still leads somewhere. (A new
    address not yet registered is not a failure: the public build registers it, so a
    routine update committed without a build never turns CI red.)"""
    result = publisher("check", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "was published but no longer is" not in result.stderr


@pytest.mark.slow
def test_the_public_build_registers_what_it_publishes_for_the_first_time(tmp_path):
    project = copy_project(tmp_path / "project")
    register = project / permalinks.REGISTER
    lines = register.read_text().splitlines()
    new = [line for line in lines if line.startswith("/updates/2024-")]
    assert new
    register.write_text("\n".join(line for line in lines if line not in new) + "\n")
    assert publisher("register", "--check", cwd=project).returncode == 1
    built = publisher("build", "--site-dir", str(project / "site"), cwd=project)
    assert built.returncode == 0, built.stderr
    assert f"Registered {len(new)} newly published address(es) in permalinks.txt" in built.stdout
    assert set(new) <= set(register.read_text().splitlines())
    assert publisher("register", "--check", cwd=project).returncode == 0
    offline = publisher("build", "--offline", "--site-dir", str(project / "usb"), cwd=project)
    assert offline.returncode == 0 and "Registered" not in offline.stdout


def test_the_register_is_sorted_and_holds_items_findings_anchors_positions_and_data():
    register = permalinks.read_register(ROOT / permalinks.REGISTER)
    lines = [line for line in (ROOT / permalinks.REGISTER).read_text().splitlines() if line and not line.startswith("#")]
    assert lines == sorted(lines) and len(lines) == len(set(lines))
    addresses = register.addresses
    for expected in (
        "/", "/inspections/2023-jcc/", "/inspections/2023-jcc/#2023-jcc-afi-4", "/recommendations/2023-jcc-afi-4/",
        "/themes/workforce-stability/", "/data/recommendations.csv", "/data/datapackage.json", "/as-at/2023-12-31/",
        "/as-at/2023-12-31/changes/", "/cite/",
    ):
        assert expected in addresses, expected
    assert any(re.fullmatch(r"/inspections/2023-jcc/#2023-jcc-f\d+", a) for a in addresses)
    assert any(a.startswith("/updates/") and a.endswith("/") for a in addresses)


def test_register_adds_new_addresses_and_never_removes_one(tmp_path):
    project = _fixture_project(tmp_path)
    register = project / permalinks.REGISTER
    before = permalinks.read_register(register).addresses
    register.write_text(register.read_text() + "/an-address-published-long-ago/\n")
    (project / "content" / "redirects.yml").write_text(
        "- from: an-address-published-long-ago/\n  to: recommendations/\n  reason: It was the old list of recommendations.\n"
    )
    update = project / "content" / "updates" / "2024-06-30-draft.md"
    update.write_text(update.read_text().replace("draft: true\n", ""))  # a new update is published
    result = publisher("register", cwd=project)
    assert result.returncode == 0, result.stderr
    # The update's page, and its citation files beside it (RIS, BibTeX, CSL-JSON).
    assert "Added 4 address" in result.stdout
    after = permalinks.read_register(register).addresses
    new_page = "/updates/2024-06-30-draft/"
    files = {new_page + name for name in ("citation.ris", "citation.bib", "citation.json")}
    assert after == before | {"/an-address-published-long-ago/", new_page} | files
    assert publisher("register", "--check", cwd=project).returncode == 0


def test_a_new_address_never_fails_the_build_and_the_build_registers_it(tmp_path):
    project = _fixture_project(tmp_path)
    update = project / "content" / "updates" / "2024-06-30-draft.md"
    update.write_text(update.read_text().replace("draft: true\n", ""))
    assert publisher("register", "--check", cwd=project).returncode == 1  # published by the next build
    built = publisher("build", cwd=project)
    assert built.returncode == 0 and "Registered 4 newly published address(es)" in built.stdout  # page and 3 citation files
    assert "/updates/2024-06-30-draft/" in (project / permalinks.REGISTER).read_text()
    assert publisher("register", "--check", cwd=project).returncode == 0


def test_removing_a_published_item_without_a_redirect_fails_the_build(tmp_path):
    project = _fixture_project(tmp_path)
    assert publisher("build", cwd=project).returncode == 0
    before = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    _rename_recommendation(project, "2019-example-r2", "2019-example-r9")

    result = publisher("build", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(n for n, text in enumerate((project / "permalinks.txt").read_text().splitlines(), 1) if text == "/recommendations/2019-example-r2/")
    assert f"permalinks.txt:{line}: '/recommendations/2019-example-r2/' was published but no longer is" in result.stderr
    assert "add to content/redirects.yml: '- from: /recommendations/2019-example-r2/'" in result.stderr
    after = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before  # the published site is untouched

    check = publisher("check", cwd=project)
    assert check.returncode == 1 and "'/recommendations/2019-example-r2/' was published" in check.stderr


def test_a_removed_finding_needs_a_redirect_too(tmp_path):
    project = _fixture_project(tmp_path)
    inspection = project / "content" / "inspections" / "2023-example.yml"
    text = inspection.read_text()
    start = text.index("  - id: 2023-example-f02")
    inspection.write_text(text[:start] + text[text.index("recommendations:"):])
    update = project / "content" / "updates" / "2023-12-08-care-leavers.md"
    update.write_text(update.read_text().replace("findings: [2023-example-f02]\n", ""))
    result = publisher("build", cwd=project)
    assert result.returncode == 1
    assert "'/inspections/2023-example/#2023-example-f02' was published but no longer is" in result.stderr

    (project / "content" / "redirects.yml").write_text(
        "- from: inspections/2023-example/#2023-example-f02\n"
        "  to: inspections/2023-example/#2023-example-f01\n"
        "  reason: It repeated the finding above.\n"
    )
    assert publisher("build", cwd=project).returncode == 0
    html = (project / "site" / "inspections" / "2023-example" / "index.html").read_text()
    note = html.split('id="2023-example-f02"', 1)[1].split("</li>", 1)[0]
    assert 'href="#2023-example-f01"' in note and "It repeated the finding above." in note


def test_a_redirect_keeps_the_old_address_working_without_javascript(tmp_path):
    project = _fixture_project(tmp_path)
    _rename_recommendation(project, "2019-example-r2", "2019-example-r9")
    (project / "content" / "redirects.yml").write_text(
        "# Renamed items\n- from: /recommendations/2019-example-r2/\n  to: recommendations/2019-example-r9\n  reason: The id was corrected.\n"
    )
    result = publisher("build", cwd=project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    page = (site / "recommendations" / "2019-example-r2" / "index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=../2019-example-r9/">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert 'href="../2019-example-r9/"' in page.split('<article class="md-content__inner md-typeset">', 1)[1]
    assert "The id was corrected." in page
    assert "This page has moved" not in search_text(site)
    assert "2019-example-r2" not in (site / "sitemap.xml").read_text()
    # A file cannot redirect: the citation files and the feed that were registered beside
    # the old page are written there again, as the renamed item's.
    for name in ("citation.ris", "citation.bib", "citation.json", "feed.xml"):
        old, new = (site / "recommendations" / folder / name for folder in ("2019-example-r2", "2019-example-r9"))
        assert old.read_bytes() == new.read_bytes(), name
    assert "/recommendations/2019-example-r9/" in (site / "recommendations" / "2019-example-r2" / "citation.ris").read_text()
    # The row anchor on the inspection page follows the recommendation's redirect.
    inspection = (site / "inspections" / "2019-example" / "index.html").read_text()
    note = inspection.split('<li id="2019-example-r2">', 1)[1].split("</li>", 1)[0]
    assert 'href="../../recommendations/2019-example-r9/"' in note


@pytest.mark.parametrize(
    "redirects, message",
    [
        (
            "- from: recommendations/gone/\n  to: recommendations/nope/\n  reason: Moved.\n",
            "content/redirects.yml:2: '/recommendations/nope/' is not an address this site publishes",
        ),
        (
            "- from: recommendations/2019-example-r1/\n  to: recommendations/2019-example-r2/\n  reason: Moved.\n",
            "content/redirects.yml:1: '/recommendations/2019-example-r1/' is still published, so it cannot be redirected",
        ),
        (
            "- from: recommendations/a/\n  to: recommendations/b/\n  reason: x\n- from: recommendations/b/\n  to: recommendations/a/\n  reason: y\n",
            "content/redirects.yml:1: these redirects go round in a circle",
        ),
        (
            "- from: https://example.org/recommendations/a/\n  to: recommendations/\n  reason: x\n",
            "content/redirects.yml:1: 'from': 'https://example.org/recommendations/a/' is a full web address",
        ),
        ("- from: recommendations/a/\n  to: recommendations/\n", "content/redirects.yml:1: missing required field 'reason'"),
        ("- from: recommendations/a/\n  to: recommendations/\n  reason: x\n  note: y\n", "content/redirects.yml:4: unknown field 'note'"),
        ("from: recommendations/a/\n", "content/redirects.yml:1: this file must be a list of redirects"),
        ("- from: data/old.csv\n  to: data/recommendations.csv\n  reason: x\n", "only pages and anchors can be redirected"),
    ],
)
def test_redirect_mistakes_are_reported_with_file_and_line(tmp_path, redirects, message):
    project = _fixture_project(tmp_path)
    (project / "content" / "redirects.yml").write_text(redirects)
    result = publisher("check", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert message in result.stderr, result.stderr


def test_redirect_problems_are_reported_with_content_problems(tmp_path):
    project = _fixture_project(tmp_path)
    (project / "content" / "redirects.yml").write_text("- from: a/\n  to: b/\n")
    themes = project / "content" / "themes.yml"
    themes.write_text(themes.read_text().replace("title: Care leavers", "title: 42"))
    with pytest.raises(ContentError) as error:
        permalinks.load(project / "content")
    report = error.value.report()
    assert "content/themes.yml" in report and "content/redirects.yml" in report
