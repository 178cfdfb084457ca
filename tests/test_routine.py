"""The communications team's routine, as the guide writes it, from a fresh copy: commands
that work as written, mistakes in plain words, and no step that turns CI red."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from support import ROOT, TODAY, copy_project, publisher, run
from publisher import cli
from publisher.content import load_content
from publisher.model.update import BODY_PLACEHOLDER
from publisher.problems import ContentError
from publisher.reader import load_yaml

GUIDE = ROOT / "content" / "pages" / "about" / "publishing.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(), re.S)


def _block(language: str, starting: str) -> str:
    [found] = [b for b in _blocks(language) if b.startswith(starting)]
    return found


def _command(block: str) -> list[str]:
    """A `./publisher ...` command from the guide as argv, with its SITE_URL=... prefix."""
    words = shlex.split(block.replace("\\\n", " "), comments=True)
    env = {}
    while "=" in words[0]:
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    assert words[0] == "./publisher", words
    return words[1:], env


@pytest.mark.slow
def test_the_guides_routine_works_as_written_from_a_fresh_copy(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copy2(ROOT / "publisher", project / "publisher")
    # 0. The source, as the guide writes it.
    (project / "content" / "sources" / "quarterly-reports.yml").write_text(_block("yaml", "- id: example-quarterly-report"))
    # 1. The update, with every detail given at once.
    args, env = _command(_block("sh", "./publisher new update \\"))
    made = publisher(*args, cwd=project, env=env)
    assert made.returncode == 0, made.stderr
    written = project / "content" / "updates" / "2025-03-31-recruitment-campaign-under-way.md"
    assert f"Wrote content/updates/{written.name}" in made.stdout
    assert BODY_PLACEHOLDER in written.read_text()
    # 2. The text: the finished file is the guide's own.
    finished = _block("markdown", "---\ntitle: Recruitment campaign under way")
    assert written.read_text().split("---\n")[1] == finished.split("---\n")[1]  # the same fields, same order
    written.write_text(finished)
    # 3. Check: no problems.
    args, env = _command("./publisher check")
    checked = publisher(*args, cwd=project, env=env)
    assert checked.returncode == 0, checked.stderr
    # 5. Build, exactly as written: refused while the site's address is the placeholder...
    args, env = _command("./publisher build")
    refused = publisher(*args, cwd=project, env={**env, "PUBLISHER_ALLOW_EXAMPLE_URL": ""})
    assert refused.returncode == 2 and "Set SITE_URL" in refused.stderr
    # ...and, once the address is set (a one-time step, as the guide says), it publishes.
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("https://jersey-childrens-social-care.example/", "https://www.tracker-site.je/"))
    built = publisher(*args, cwd=project, env={**env, "PUBLISHER_ALLOW_EXAMPLE_URL": ""})
    assert built.returncode == 0, built.stderr
    assert "Registered" in built.stdout and "/updates/2025-03-31-recruitment-campaign-under-way/" in (project / "permalinks.txt").read_text()
    page = (project / "site" / "updates" / written.stem / "index.html").read_text()
    assert "https://www.tracker-site.je/updates/2025-03-31-recruitment-campaign-under-way/" in page  # the citation
    assert 'href="https://publications.example/childrens-social-care-q1-2025"' in page  # the document
    # ...and what CI runs afterwards passes: the register test and the check.
    assert publisher("register", "--check", cwd=project).returncode == 0
    assert publisher("check", cwd=project).returncode == 0


def test_the_wrapper_runs_the_publisher_from_any_folder_with_nothing_activated(tmp_path):
    result = run(str(ROOT / "publisher"), "--config", str(ROOT / "mkdocs.yml"), "check", "--content", str(ROOT / "content"), cwd=tmp_path,
                 env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout


def test_every_command_the_guide_and_readme_give_parses():
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text() + (ROOT / "README.md").read_text(), re.S)
    commands = re.findall(r"^(?:SITE_URL=\S+ )?(?:\./)?publisher ((?:[^\n\\]|\\\n)+)", "\n".join(blocks), re.M)
    assert len(commands) > 10
    parser = cli.parser()
    for command in commands:
        # '[--site-dir DIR]' in a synopsis marks an optional flag
        words = shlex.split(re.sub(r"\[[^\]]*\]", "", command.replace("\\\n", " ")), comments=True)
        try:
            parser.parse_args(words)
        except SystemExit as exit:
            if exit.code:
                raise AssertionError(f"publisher {command!r} does not parse") from None


# --------------------------------------------------------------------------- mistakes in plain words


@pytest.mark.parametrize(("text", "line", "message"), [
    ("title: x\nrecommendations:\n\t- a\n", 3, "this line is indented with a tab, and YAML allows only spaces (replace the tab with spaces"),
    ("title: x\ndate: 2024-01-01\nstatus:in-progress\nevidence: media\n", 3, "'status:in-progress' needs a space after the colon (write 'status: in-progress')"),
    ("title: x\nstatus:in-progress\n", 2, "'status:in-progress' needs a space after the colon"),
    ('title: "An update\ndate: 2024-01-01\nstatus: met\n', 1, "a quotation mark opened on this line is never closed"),
    ("title: Workforce: still unstable\nstatus: met\n", 1, "the text of 'title' contains ': ', which YAML reads as the start of another field (put the text in double quotes: title: \"Workforce: still unstable\")"),
    ("title: x\n  date: 2024\nstatus: met\n", 2, "this line is indented more than the line above it"),
])
def test_common_yaml_slips_are_explained_on_their_own_line(text, line, message):
    with pytest.raises(ContentError) as caught:
        load_yaml(text, "content/updates/x.md")
    [problem] = caught.value.problems
    assert problem.line == line
    assert str(problem).startswith(f"content/updates/x.md:{line}: {message}")


def _update(content_dir: Path, name: str, front: str) -> Path:
    path = content_dir / "updates" / name
    path.write_text(f"---\n{front}---\nText.\n")
    return path


def test_a_list_written_as_text_and_a_day_month_year_date_are_explained(minimal_content):
    _update(minimal_content, "2024-05-01-x.md", (
        "title: A test\ndate: 31/12/2025\nrecommendations: 2019-example-r1, 2019-example-r2\nstatus: met\n"
        "evidence: media\nsources:\n  - source: news-2024\n    section: p\n"
    ))
    with pytest.raises(ContentError) as caught:
        load_content(minimal_content)
    messages = [str(p) for p in caught.value.problems]
    assert "content/updates/2024-05-01-x.md:3: 'date': '31/12/2025' is not written the way this site reads dates; did you mean 2025-12-31?" in messages[0]
    assert messages[1] == (
        "content/updates/2024-05-01-x.md:4: 'recommendations' is written as one piece of text, but it is a list "
        "(write each on its own line under 'recommendations:', starting with '- ': '- 2019-example-r1', '- 2019-example-r2')"
    )


def test_an_update_dated_after_today_is_refused_with_publish_on_suggested(minimal_content):
    _update(minimal_content, "2027-03-01-future.md", (
        "title: Future\ndate: 2027-03-01\nrecommendations: [2019-example-r1]\nstatus: met\nevidence: media\n"
        "sources:\n  - source: news-2024\n    section: p\n"
    ))
    result = publisher("check", "--content", str(minimal_content), cwd=minimal_content.parent)
    assert result.returncode == 1
    assert (
        "content/updates/2027-03-01-future.md:3: the update is dated 1 March 2027, after today (2026-11-25) "
        "(date it by its evidence (the day the source was published or judged); to release it later, add 'publish_on: 2027-03-01')"
    ) in result.stderr
    # A draft may be dated ahead while it is written; nothing public reads it.
    path = minimal_content / "updates" / "2027-03-01-future.md"
    path.write_text(path.read_text().replace("status: met\n", "status: met\ndraft: true\n"))
    assert publisher("check", "--content", str(minimal_content), cwd=minimal_content.parent).returncode == 0


@pytest.mark.slow
def test_a_future_dated_update_stops_the_build_so_no_page_or_feed_shows_it(tmp_path, minimal_content):
    project = copy_project(tmp_path / "project", minimal_content)
    _update(project / "content", "2027-03-01-future.md", (
        "title: Quokka future update\ndate: 2027-03-01\nrecommendations: [2019-example-r1]\nstatus: met\nevidence: media\n"
        "sources:\n  - source: news-2024\n    section: p\n"
    ))
    result = publisher("build", cwd=project)
    assert result.returncode == 1 and "after today" in result.stderr
    assert not (project / "site").exists()


# --------------------------------------------------------------------------- the git host's review flow


_WORKFLOW_COMMAND = re.compile(r"^::(error|warning|notice) (file=[^,:]+(,line=\d+)?,)?title=[^:,]*::\S.*$")


def test_github_format_prints_workflow_commands_one_per_line(minimal_content):
    shutil.copy(ROOT / "tests" / "fixtures" / "broken" / "inspection-duplicate-key.yml", minimal_content / "inspections" / "duplicate-key.yml")
    result = publisher("check", "--format", "github", "--content", str(minimal_content), cwd=minimal_content.parent)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and all(_WORKFLOW_COMMAND.match(line) for line in lines), lines
    assert "::error file=content/inspections/duplicate-key.yml,line=9,title=publisher check::duplicate key 'summary'" in result.stdout


def test_github_format_escapes_what_the_syntax_reserves():
    from publisher.problems import Problem
    from publisher.report import Report, github_lines

    [line] = github_lines(Report(problems=[Problem("content/a,b:c.yml", 4, "100% wrong\nnow", "fix, it")]))
    assert line == "::error file=content/a%2Cb%3Ac.yml,line=4,title=publisher check::100%25 wrong%0Anow (fix, it)"


def test_gitlab_format_is_a_code_quality_report(minimal_content):
    shutil.copy(ROOT / "tests" / "fixtures" / "broken" / "inspection-duplicate-key.yml", minimal_content / "inspections" / "duplicate-key.yml")
    result = publisher("check", "--format", "gitlab", "--content", str(minimal_content), cwd=minimal_content.parent)
    assert result.returncode == 1
    [entry] = json.loads(result.stdout)
    assert entry["location"] == {"path": "content/inspections/duplicate-key.yml", "lines": {"begin": 9}}
    assert entry["severity"] == "major" and entry["check_name"] == "publisher-content" and len(entry["fingerprint"]) == 64


def test_notices_are_printed_in_full_for_changed_files_and_counted_for_the_rest(tmp_path):
    project = copy_project(tmp_path / "project")
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.email=t@example.org", "-c", "user.name=T", "commit", "-q", "-m", "start"]):
        assert run("git", *command, cwd=project).returncode == 0
    quiet = publisher("check", cwd=project)
    assert quiet.returncode == 0 and "warning:" not in quiet.stderr
    assert re.search(r"\d+ older notices about progress updates due on files you have not changed", quiet.stderr)
    path = project / "content" / "inspections" / "2023-jcc.yml"
    path.write_text(path.read_text() + "\n")
    changed = publisher("check", cwd=project)
    assert "content/inspections/2023-jcc.yml:" in changed.stderr and "warning: no update on '2023-jcc-afi-1'" in changed.stderr
    assert "content/inspections/2003-bull.yml" not in changed.stderr
    verbose = publisher("check", "--verbose", cwd=project)
    assert "content/inspections/2003-bull.yml" in verbose.stderr
    status = publisher("status", cwd=project)
    assert status.returncode == 0 and "Overdue (" in status.stdout and "2023-jcc-afi-1" in status.stdout


def test_the_workflow_files_are_valid_and_run_only_commands_that_exist():
    parser = cli.parser()
    known_actions = {
        "actions/checkout@v4", "actions/setup-python@v5", "actions/upload-artifact@v4",
        "actions/configure-pages@v5", "actions/upload-pages-artifact@v3", "actions/deploy-pages@v4",
    }
    runs = []
    for name in ("check-and-preview.yml", "publish.yml"):
        workflow = yaml.safe_load((ROOT / "deploy" / "github" / name).read_text())
        assert workflow["jobs"] and (workflow.get("on") or workflow.get(True))
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                assert "uses" in step or "run" in step, step
                if "uses" in step:
                    assert step["uses"] in known_actions, step["uses"]
                runs += step.get("run", "").splitlines()
    gitlab = yaml.safe_load((ROOT / "deploy" / "gitlab-ci.yml").read_text())
    assert gitlab["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    runs += [line for job in ("check", "pages") for line in gitlab[job]["script"]]
    invoked = [line.strip() for line in runs if line.strip().startswith("publisher ")]
    assert len(invoked) >= 5
    for line in invoked:
        words = shlex.split(re.sub(r"\$\{\{[^}]*\}\}|\$\w+|\$\{\w+[^}]*\}", "X", line.split(">")[0]))
        try:
            parser.parse_args(words[1:])
        except SystemExit as exit:
            if exit.code:
                raise AssertionError(f"{line!r} does not parse") from None


def test_new_update_and_import_refuse_a_date_after_today_and_suggest_publish_on(minimal_content):
    flags = ["--title", "Later", "--recommendation", "2019-example-r1", "--status", "met", "--source", "news-2024 (p. 2)"]
    made = publisher("new", "update", "--content", str(minimal_content), *flags, "--date", "2027-03-01", cwd=minimal_content.parent)
    assert made.returncode == 2 and "Nothing was written." in made.stderr
    assert "--date: 2027-03-01 is after today (2026-11-25); date the update by its evidence, and add --publish-on 2027-03-01" in made.stderr
    sheet = minimal_content.parent / "later.csv"
    sheet.write_text("date,recommendation,status,evidence,source,title,summary\n2027-03-01,2019-example-r1,met,media,news-2024 (p. 2),Later,Text.\n")
    imported = publisher("import", "updates", str(sheet), "--content", str(minimal_content), cwd=minimal_content.parent)
    assert imported.returncode == 1 and "later.csv:2: row 2: the update is dated 1 March 2027, after today (2026-11-25)" in imported.stderr
    assert not list((minimal_content / "updates").glob("2027-*"))
