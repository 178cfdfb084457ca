"""The `publisher` command: exit codes, messages, and no tracebacks for content mistakes."""

import shutil

from support import FIXTURES, publisher


def test_check_passes_on_valid_content(minimal_content):
    result = publisher("check", "--content", str(minimal_content), cwd=minimal_content.parent)
    assert result.returncode == 0, result.stderr
    assert "3 recommendations" in result.stdout and "no problems" in result.stdout


def test_check_reports_four_kinds_of_mistake_with_file_and_line_and_exits_1(minimal_content):
    broken = FIXTURES / "broken"
    shutil.copy(broken / "inspection-duplicate-key.yml", minimal_content / "inspections" / "duplicate-key.yml")
    shutil.copy(broken / "update-unknown-recommendation.md", minimal_content / "updates" / "unknown-recommendation.md")
    sources = minimal_content / "sources.yml"
    sources.write_text(sources.read_text().replace("date: 2024-03-15", "date: 2024-02-30"))
    themes = minimal_content / "themes.yml"
    themes.write_text(themes.read_text().replace("title: Care leavers", "title: 42"))

    result = publisher("check", "--content", str(minimal_content), cwd=minimal_content.parent)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    expected = [
        "content/inspections/duplicate-key.yml:9: duplicate key 'summary'",
        "content/updates/unknown-recommendation.md:4: unknown recommendation id '2019-example-r9'",
        "content/sources.yml:19: 'date': '2024-02-30' is not a real date",
        "content/themes.yml:6: 'title': expected text, got the number 42",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), f"{start!r} not in:\n{result.stderr}"
    assert lines[-1] == "4 problems found in the content."


def test_check_strict_fails_on_stale_progress_warnings(minimal_content):
    loose = publisher("check", "--content", str(minimal_content), cwd=minimal_content.parent)
    strict = publisher("check", "--strict", "--content", str(minimal_content), cwd=minimal_content.parent)
    assert loose.returncode == 0 and "warning: no update on '2023-example-afi-1'" in loose.stderr
    assert strict.returncode == 1


def test_usage_errors_exit_2(tmp_path):
    assert publisher("frobnicate", cwd=tmp_path).returncode == 2
    no_config = publisher("build", cwd=tmp_path)
    assert no_config.returncode == 2 and "no mkdocs.yml here" in no_config.stderr
