"""Loading and validating content: the valid fixture, and one real broken file per error kind."""

import shutil
from pathlib import Path

import pytest
import yaml

from support import FIXTURES
from publisher.content import load_content
from publisher.problems import ContentError
from publisher.vocabulary import FindingKind, Status

BROKEN = FIXTURES / "broken"
EXPECTATIONS = yaml.safe_load((BROKEN / "expectations.yml").read_text())


def test_the_fixture_content_loads_with_every_record_indexed(minimal_content):
    content = load_content(minimal_content)
    assert set(content.inspections) == {"2019-example", "2023-example"}
    assert set(content.recommendations) == {"2019-example-r1", "2019-example-r2", "2023-example-afi-1"}
    assert content.inspection_of["2023-example-afi-1"] == "2023-example"
    assert content.findings["2019-example-f01"].kind is FindingKind.STRENGTH
    assert content.updates["2023-12-08-care-leavers"].status is Status.MET
    assert content.bodies["2023-12-08-response"] == "The service said it would recruit permanent staff."
    assert content.where["recommendation:2023-example-afi-1"].line == 26


def _place(broken: Path, content: Path) -> Path:
    name = broken.name
    if name.startswith("inspection-"):
        target = content / "inspections" / name.removeprefix("inspection-")
    elif name.startswith("update-"):
        target = content / "updates" / name.removeprefix("update-")
    elif name.startswith("sources-"):
        target = content / "sources.yml"
    elif name.startswith("themes-"):
        target = content / "themes.yml"
    elif name.startswith("plans-"):
        target = content / "plans" / name.removeprefix("plans-")
    else:
        raise AssertionError(f"do not know where {name} goes")
    shutil.copy(broken, target)
    return target


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_each_broken_file_is_reported_with_its_file_and_line(name, minimal_content):
    line, fragment = EXPECTATIONS[name]
    target = _place(BROKEN / name, minimal_content)
    with pytest.raises(ContentError) as caught:
        load_content(minimal_content)
    shown = f"content/{target.relative_to(minimal_content).as_posix()}"
    matching = [p for p in caught.value.problems if p.path == shown and fragment in str(p)]
    assert matching, f"expected {shown}:{line}: {fragment}\n got:\n{caught.value.report()}"
    assert matching[0].line == line, caught.value.report()


def test_every_broken_file_has_an_expectation():
    files = {p.name for p in BROKEN.iterdir() if p.name != "expectations.yml"}
    assert files == set(EXPECTATIONS)


def test_all_problems_are_reported_in_one_run(minimal_content):
    for name in ("inspection-duplicate-key.yml", "inspection-impossible-date.yml", "inspection-wrong-type.yml", "update-unknown-recommendation.md"):
        _place(BROKEN / name, minimal_content)
    with pytest.raises(ContentError) as caught:
        load_content(minimal_content)
    messages = caught.value.report()
    for fragment in ("duplicate key", "not a real date", "whole number", "unknown recommendation id"):
        assert fragment in messages


def test_a_broken_recommendation_does_not_hide_its_neighbours_mistakes(minimal_content):
    path = minimal_content / "inspections" / "2019-example.yml"
    text = path.read_text().replace("    label: Improvement required 1", "    label: 1").replace("themes: [care-leavers]", "themes: [care-leaver]")
    path.write_text(text)
    with pytest.raises(ContentError) as caught:
        load_content(minimal_content)
    report = caught.value.report()
    assert "'label': expected text, got the number 1" in report
    assert "unknown theme id 'care-leaver'" in report


def test_follows_must_point_to_an_earlier_inspection(minimal_content):
    path = minimal_content / "inspections" / "2019-example.yml"
    path.write_text(path.read_text().replace("    themes: [care-leavers]\n", "    themes: [care-leavers]\n    follows: [2023-example-afi-1]\n"))
    with pytest.raises(ContentError, match="was made after this inspection"):
        load_content(minimal_content)


def test_only_one_plan_may_be_current(minimal_content):
    second = minimal_content / "plans" / "second-plan.yml"
    second.write_text((minimal_content / "plans" / "example-plan.yml").read_text().replace("id: example-plan", "id: second-plan"))
    with pytest.raises(ContentError, match="more than one plan is marked current"):
        load_content(minimal_content)


def test_a_missing_content_folder_is_a_content_error(tmp_path):
    with pytest.raises(ContentError, match="does not exist"):
        load_content(tmp_path / "nowhere")
