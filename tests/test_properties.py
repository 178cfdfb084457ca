"""Property tests: whatever is in a content file, the loaders answer with the project's own
ContentError, naming the file and a line in it; never with any other exception.

Hypothesis generates raw bytes, arbitrary text, YAML-shaped text and YAML documents built
from the model's own field names (so validation is reached, not just the parser). In CI
(`CI` set) the examples are derandomised, so a run is repeatable; locally they vary.
For a longer hunt: `PUBLISHER_FUZZ_EXAMPLES=5000 pytest tests/test_properties.py`.
"""

from __future__ import annotations

import html.parser
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import MINIMAL
from publisher import model
from publisher.content import load_content
from publisher.markup import ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS, MarkupProblem, check_markdown, to_html
from publisher.problems import ContentError
from publisher.reader import decode_text, load_yaml, split_front_matter

_EXAMPLES = int(os.environ.get("PUBLISHER_FUZZ_EXAMPLES", "150"))
settings.register_profile("publisher-ci", derandomize=True, deadline=None, max_examples=_EXAMPLES)
settings.register_profile("publisher-dev", deadline=None, max_examples=_EXAMPLES)
settings.load_profile("publisher-ci" if os.environ.get("CI") else "publisher-dev")

SHOWN = "content/x.yml"


def _assert_located(error: ContentError, path: str, text: str) -> None:
    """Every problem names `path` and a line that exists in the file (or the line after)."""
    assert error.problems, "a ContentError must carry at least one problem"
    last_line = text.count("\n") + 2
    for problem in error.problems:
        assert problem.path == path, problem
        assert 1 <= problem.line <= last_line, (problem, last_line)
        assert problem.message


# --------------------------------------------------------------------------- reader

#: Text that looks like YAML: its punctuation, indentation and keywords, so the parser's
#: deeper states (flow collections, block scalars, tags, anchors) are reached often.
yamlish = st.lists(
    st.sampled_from(
        [
            "\n", "  ", "- ", ": ", "? ", "[", "]", "{", "}", ",", "|", ">", "&a ", "*a", "!!str ", "!x ",
            "'", '"', "#", "---", "...", "%YAML 1.1", "<<: ", "~", "yes", "1e400", "0x1F", "10:30",
            "2023-02-30", "\t", "\\u202e", "\\x07", "id", "title", "a", "\ufeff", "\u00e9", "\x85", "\ufffe",
            "9" * 4400,
        ]
    ),
    max_size=60,
).map("".join)


@given(st.binary(max_size=400))
def test_decoding_any_bytes_gives_text_or_a_located_content_error(data):
    try:
        decode_text(data, SHOWN)
    except ContentError as error:
        _assert_located(error, SHOWN, data.decode("utf-8", "replace"))


@given(st.one_of(st.text(max_size=300), yamlish))
def test_parsing_any_text_as_yaml_gives_data_or_a_located_content_error(text):
    try:
        doc = load_yaml(text, SHOWN)
    except ContentError as error:
        _assert_located(error, SHOWN, text)
    else:
        for problem in doc.problems:
            assert problem.path == SHOWN and 1 <= problem.line <= text.count("\n") + 2


@given(st.one_of(st.text(max_size=300), yamlish.map(lambda t: "---\n" + t), yamlish.map(lambda t: f"---\n{t}\n---\nBody")))
def test_splitting_any_text_into_front_matter_gives_a_located_content_error_at_worst(text):
    try:
        split_front_matter(text, SHOWN)
    except ContentError as error:
        _assert_located(error, SHOWN, text)


# --------------------------------------------------------------------------- the whole folder


@pytest.fixture(scope="module")
def content_folder(tmp_path_factory) -> Path:
    """One writable copy of the fixture content; each example overwrites one file in it."""
    target = tmp_path_factory.mktemp("properties") / "content"
    shutil.copytree(MINIMAL, target)
    return target


#: Where a generated file goes, and which file of the fixture it stands in for.
PLACES = ["inspections/2023-example.yml", "updates/2023-12-08-response.md", "sources.yml", "themes.yml", "plans/example-plan.yml"]

_FIELDS = sorted({name for cls in map(model.__dict__.get, model.__all__) for name in cls.model_fields})
#: Values that reach the model's own checks: ids, dates, statuses, markup and traps.
_TRICKY = [
    "2019-example", "2019-example-r1", "report-2019", "workforce", "not stated", "2023-02-30", "2024-13",
    "2023-12-08T10:00:00+01:00", "2010/12", "0000-01-01", "in-progress", "met", "self-reported", "inspection",
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "![x](https://a.example/i.png)", "a\nb",
    "https://a.example/", "", " ", "\u202e", "\x07", "{{ 7*7 }}",
]
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30), st.sampled_from(_TRICKY)
)
_values = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.one_of(st.sampled_from(_FIELDS), st.text(max_size=6)), children, max_size=6),
    max_leaves=25,
)
_records = st.dictionaries(st.sampled_from(_FIELDS), _values, max_size=14)


def _write(folder: Path, place: str, data: bytes) -> str:
    """Put `data` in place of one fixture file (restoring the others); its shown path."""
    for other in PLACES:
        shutil.copy(MINIMAL / other, folder / other)
    (folder / place).write_bytes(data)
    return f"content/{place}"


def _check_folder(folder: Path, shown: str, text: str) -> None:
    try:
        load_content(folder)
    except ContentError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.path.startswith("content/") and problem.line >= 1, problem
            if problem.path == shown:
                assert problem.line <= text.count("\n") + 2, problem


_health = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(suppress_health_check=_health)
@given(place=st.sampled_from(PLACES), data=st.one_of(st.binary(max_size=300), yamlish.map(str.encode)))
def test_any_bytes_in_any_content_file_give_a_located_content_error(content_folder, place, data):
    shown = _write(content_folder, place, data)
    _check_folder(content_folder, shown, data.decode("utf-8", "replace"))


@settings(suppress_health_check=_health)
@given(place=st.sampled_from(PLACES), record=_records, as_list=st.booleans())
def test_any_yaml_made_of_the_models_fields_gives_a_located_content_error(content_folder, place, record, as_list):
    data = [record] if as_list else record
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if place.endswith(".md"):
        text = f"---\n{text}---\nThe body.\n"
    shown = _write(content_folder, place, text.encode("utf-8"))
    _check_folder(content_folder, shown, text)


@settings(suppress_health_check=_health)
@given(record=_records)
def test_any_yaml_in_a_recommendation_gives_a_located_content_error(content_folder, record):
    """The most nested record, reached through its inspection's `recommendations` list."""
    inspection = yaml.safe_load((MINIMAL / PLACES[0]).read_text())
    inspection["recommendations"] = [record, *inspection["recommendations"]]
    text = yaml.safe_dump(inspection, allow_unicode=True, sort_keys=False)
    shown = _write(content_folder, PLACES[0], text.encode("utf-8"))
    _check_folder(content_folder, shown, text)


# --------------------------------------------------------------------------- markup


class _Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


markdownish = st.lists(
    st.sampled_from(
        ["<", ">", "&", "#", ";", "x", "script", "img", "svg", "onerror=", "javascript:", "data:", "[", "]", "(", ")",
         "!", "*", "`", "\n", " ", '"', "'", "/", "https://a.example/", "&#106;", "&lt;", "{:", "}", "=", "|", "-"]
    ),
    max_size=50,
).map("".join)


@given(st.one_of(st.text(max_size=200), markdownish))
def test_any_markdown_is_refused_cleanly_or_renders_only_allowed_html(text):
    try:
        check_markdown(text)
    except MarkupProblem as problem:
        assert problem.line >= 1
    # Whether or not the check passed, the renderer's output is within the allowlist.
    parser = _Elements()
    parser.feed(str(to_html(text)))
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)
            if name == "href":
                scheme = (value or "").split(":", 1)[0].lower() if ":" in (value or "") else None
                assert scheme is None or scheme in ALLOWED_SCHEMES, value


def test_the_strategies_reach_validation(content_folder):
    """Guard against strategies that only ever fail in the parser: a hand-made record
    built the same way must reach the model and be reported field by field."""
    record = {"id": "2023-example", "title": 42, "kind": "inspecton"}
    text = yaml.safe_dump(record, sort_keys=False)
    _write(content_folder, PLACES[0], text.encode())
    with pytest.raises(ContentError) as caught:
        load_content(content_folder)
    report = caught.value.report()
    assert "content/inspections/2023-example.yml:2: 'title': expected text" in report
    assert "'inspecton' is not a valid kind" in report
