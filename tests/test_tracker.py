"""A tracker for any service: the site's facts in mkdocs.yml, and `publisher init`.

Nothing about Jersey is in the package: its words are in the Jersey site's mkdocs.yml and
content. A second tracker starts with `publisher init` and builds at once, with the package
installed like any other (its templates, theme and hooks come from inside it).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from publisher import THEME, examples, tracker
from publisher.problems import ContentError

from support import NEW_TRACKER, ROOT, new_tracker, publisher, run

PACKAGE = Path(tracker.__file__).parent
#: Words that name the Jersey site's place, bodies or addresses.
PLACE_WORDS = re.compile(r"jersey|states assembly|states members?\b|gov\.je|\.je/|st helier|bailiwick|channel islands", re.I)


def _config(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: A tracker\nsite_url: https://tracker.example/\nextra:\n" + extra, encoding="utf-8")
    return path


GOOD = """  publisher: Midshire tracker
  subject: Midshire's children's services
  body: Midshire County Council
  home:
    heading: "Midshire: what inspectors found"
    lead: Since 2015, inspectors have reported on Midshire.
  time_zone: Europe/London
"""


# --------------------------------------------------------------------------- no place in the code


def test_the_package_and_its_templates_name_no_place():
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or "vendor" in path.parts or "__pycache__" in path.parts or path.suffix in (".pyc", ".svg"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if PLACE_WORDS.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()[:100]}")
    assert found == []


def test_the_jersey_site_keeps_only_its_own_in_site_overrides():
    own = sorted(p.relative_to(ROOT / "site_overrides").as_posix() for p in (ROOT / "site_overrides").rglob("*") if p.is_file())
    assert own == ["assets/images/favicon.svg"]
    assert (ROOT / "hooks" / "publisher_hooks.py").read_text().count("\n") <= 6  # one import, and its docstring
    assert (THEME / "main.html").is_file() and (THEME / "generated" / "home.md").is_file()


# --------------------------------------------------------------------------- the site's facts


def test_the_jersey_site_s_facts_are_read_from_its_mkdocs_yml():
    facts = tracker.read(ROOT / "mkdocs.yml")
    assert facts.body == "the Government of Jersey" and facts.time_zone == "Europe/Jersey"
    assert facts.home.heading.startswith("Jersey children's social care")


def test_good_facts_are_accepted(tmp_path):
    facts = tracker.read(_config(tmp_path, GOOD + "  generator: false\n"))
    assert facts.subject == "Midshire's children's services" and str(facts.zone) == "Europe/London"
    assert facts.contact_email is None and facts.licence is None


@pytest.mark.parametrize(
    "change, line, expected",
    [
        (("  time_zone: Europe/London\n", "  time_zone: Europe/Londn\n"), 10, "'Europe/Londn' is not a time zone name; did you mean 'Europe/London'"),
        (("  body: Midshire County Council\n", "  bodie: Midshire County Council\n"), 6, "unknown key 'extra.bodie' (did you mean 'body'?)"),
        (("  body: Midshire County Council\n", ""), 3, "missing required field 'body'"),
        (("    lead: Since 2015, inspectors have reported on Midshire.\n", ""), 7, "missing required field 'lead'"),
        (("  time_zone: Europe/London\n", "  time_zone: Europe/London\n  contact_email: nobody\n"), 11, "'nobody' is not an email address"),
        (("  publisher: Midshire tracker\n", "  publisher: [Midshire]\n"), 4, "'publisher'"),
    ],
)
def test_a_mistake_in_the_facts_names_its_line_in_mkdocs_yml(tmp_path, change, line, expected):
    path = _config(tmp_path, GOOD.replace(*change))
    with pytest.raises(ContentError) as error:
        tracker.read(path)
    problems = [p for p in error.value.problems if expected in str(p)]
    assert problems, error.value.report()
    assert problems[0].line == line and problems[0].path.endswith("mkdocs.yml")


def test_check_reports_a_mistake_in_mkdocs_yml_with_its_line(tmp_path):
    project = new_tracker(tmp_path / "tracker")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("time_zone: \"Europe/London\"", "time_zone: Europe/Londn"))
    result = publisher("check", cwd=project)
    assert result.returncode == 1
    line = next(n for n, text in enumerate(config.read_text().splitlines(), 1) if "time_zone:" in text)
    assert f"mkdocs.yml:{line}: 'time_zone': 'Europe/Londn' is not a time zone name; did you mean 'Europe/London'" in result.stderr


@pytest.mark.slow
def test_a_build_with_a_mistake_in_mkdocs_yml_names_it_and_writes_nothing(tmp_path):
    project = new_tracker(tmp_path / "tracker")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  body: \"Midshire County Council\"\n", ""))
    result = publisher("build", cwd=project)
    assert result.returncode == 1
    assert re.search(r"mkdocs\.yml:\d+: missing required field 'body'", result.stderr), result.stderr
    assert not (project / "site").exists() and not list(project.glob(".site.building-*"))


# --------------------------------------------------------------------------- publisher init


def test_init_writes_a_tracker_that_checks_clean_but_not_strictly(tmp_path):
    project = new_tracker(tmp_path / "tracker")
    names = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    assert {"mkdocs.yml", "README.md", ".gitignore", "permalinks.txt", "hooks/publisher_hooks.py", "content/themes.yml",
            "content/pages/about/index.md", "content/pages/privacy.md", "content/pages/licence.md"} <= set(names)
    assert any(n.startswith("content/updates/") for n in names) and any(n.startswith("content/inspections/") for n in names)
    assert "from publisher.hooks import *" in (project / "hooks/publisher_hooks.py").read_text()
    readme = (project / "README.md").read_text()
    assert "publisher serve" in readme and "publisher check --strict" in readme and NEW_TRACKER["--name"] in readme

    plain = publisher("check", cwd=project)
    assert plain.returncode == 0, plain.stderr
    assert "5 examples from `publisher init` still to replace" in plain.stdout
    strict = publisher("check", "--strict", cwd=project)
    assert strict.returncode == 1
    assert strict.stderr.count("is example content from `publisher init`") == 5
    assert "content/inspections/example-inspection.yml:" in strict.stderr


def test_init_refuses_a_folder_that_is_not_empty_and_leaves_it_alone(tmp_path):
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = publisher("init", str(folder), "--name", "X", "--body", "Y", cwd=tmp_path)
    assert result.returncode == 2 and "not empty" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_init_refuses_an_unknown_time_zone_and_writes_nothing(tmp_path):
    result = publisher("init", str(tmp_path / "new"), "--name", "X", "--body", "Y", "--timezone", "Mars/Olympus", cwd=tmp_path)
    assert result.returncode == 2 and "'Mars/Olympus' is not a time zone name" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_register_leaves_the_examples_out_so_deleting_them_breaks_nothing(tmp_path):
    project = new_tracker(tmp_path / "tracker")
    register = (project / "permalinks.txt").read_text()
    assert "/about/" in register and "/privacy/" in register and "/recommendations/" in register
    assert "example" not in register
    assert examples.is_example_address("/recommendations/example-inspection-r1/citation.ris", {"example-inspection-r1"})
    assert examples.is_example_address("/inspections/x/#example-inspection-r1", {"example-inspection-r1"})
    assert not examples.is_example_address("/recommendations/2023-example/", {"example"})


@pytest.mark.slow
def test_a_new_tracker_builds_from_an_installed_package_and_never_mentions_jersey(tmp_path):
    """The package as a wheel installed into a folder of its own (no repository on the
    path): `publisher init` outside the repository, then a build there."""
    wheels, installed = tmp_path / "wheels", tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", str(ROOT), "-w", str(wheels)],
        check=True, capture_output=True,
    )
    wheel = next(wheels.glob("publisher-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(installed), str(wheel)], check=True, capture_output=True)
    env = {"PYTHONPATH": str(installed)}
    where = run(sys.executable, "-c", "import publisher; print(publisher.THEME)", cwd=tmp_path, env=env).stdout.strip()
    assert where.startswith(str(installed)), where  # not the repository's copy

    project = new_tracker(tmp_path / "midshire", env=env)
    assert not project.resolve().is_relative_to(ROOT)
    built = publisher("build", "--site-dir", str(tmp_path / "site"), cwd=project, env=env)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Midshire County Council promised in response" in home
    assert "<h1 id=\"midshire-childrens-services-what-inspectors-found-and-what-has-been-done\">" in home
    mentions = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".csv", ".txt", ".js", ".css")
                and "jersey" in p.read_text(encoding="utf-8", errors="replace").lower()]
    assert mentions == []
    # The examples are published (so the new team sees its site) but never registered.
    assert (site / "recommendations" / "example-inspection-r1" / "index.html").is_file()
    assert "example" not in (project / "permalinks.txt").read_text()
