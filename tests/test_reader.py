"""The line-aware YAML reader: safe_load's values, with line numbers and stricter rules."""

import pytest

from publisher.problems import ContentError
from publisher.reader import MAX_DEPTH, decode_text, load_yaml, split_front_matter


def test_values_match_safe_load_except_dates_stay_text():
    doc = load_yaml("a: 1\nb: 1.5\nc: true\nd: null\ne: 2023-12-08\nf: [x, y]\n", "f.yml")
    assert doc.data == {"a": 1, "b": 1.5, "c": True, "d": None, "e": "2023-12-08", "f": ["x", "y"]}


def test_every_key_and_item_has_its_line():
    doc = load_yaml("top:\n  inner: 1\nitems:\n  - a\n  - b: 2\n", "f.yml")
    assert doc.line(("top", "inner")) == 2
    assert doc.line(("items", 1)) == 5
    assert doc.line(("items", 1, "b")) == 5
    assert doc.line(("items", 1, "missing")) == 5  # falls back to the nearest ancestor


def test_lines_inside_a_block_scalar_count_from_the_line_after_the_key():
    doc = load_yaml("x: 1\ntext: |\n  one\n  two\n", "f.yml")
    assert doc.line(("text",), within=2) == 4


def test_duplicate_keys_are_all_reported_and_the_first_value_kept():
    doc = load_yaml("a: 1\nb: 2\na: 3\na: 4\n", "f.yml")
    assert doc.data == {"a": 1, "b": 2}
    assert [(p.line, "duplicate key 'a'" in p.message) for p in doc.problems] == [(3, True), (4, True)]


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("a: &x 1\nb: *x\n", 1, "anchors"),
        ("a: 1\nb: *x\n", 2, "aliases"),
        ("a: [unclosed\n", 2, "invalid YAML"),
        ("a: 1\n---\nb: 2\n", 2, "more than one YAML document"),
    ],
)
def test_refused_yaml_names_the_line(text, line, message):
    with pytest.raises(ContentError) as caught:
        load_yaml(text, "f.yml")
    (problem,) = caught.value.problems
    assert problem.line == line and message in problem.message


def test_an_alias_bomb_is_refused_before_it_expands():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)
    )
    with pytest.raises(ContentError, match="anchors"):
        load_yaml(bomb, "bomb.yml")


def test_custom_tags_and_merge_keys_are_refused():
    doc = load_yaml("a: !!python/object:os.system x\nb: !!binary aGk=\n", "f.yml")
    assert [p.line for p in doc.problems] == [1, 2]
    assert "tag" in doc.problems[0].message


@pytest.mark.parametrize(
    "data, line, message",
    [
        ("a: 1\nb: \xe9\n".encode("latin-1"), 2, "not valid UTF-8"),
        ("a: 1\n".encode("utf-16"), 1, "not UTF-8 text"),
        (b"a: 1\nb: x\x07y\n", 2, "control character"),
        ("a: 1\nb: x\ufffey\n".encode(), 2, "control character"),
        ("a: 1\n\nb: evil\u202e gnp.exe\n".encode(), 3, "text-direction control"),
        ("a: 1\nb: \u2067x\u2069\n".encode(), 2, "text-direction control"),
        (b"x" * 1_000_001, 1, "over the 1,000,000-byte limit"),
    ],
)
def test_text_that_is_not_clean_utf8_is_refused_with_its_line(data, line, message):
    with pytest.raises(ContentError) as caught:
        decode_text(data, "f.yml")
    assert caught.value.problems[0].line == line
    assert message in caught.value.problems[0].message


def test_a_byte_order_mark_and_windows_line_endings_are_accepted():
    assert decode_text(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n", "f.yml") == "a: 1\nb: 2\n"


def test_front_matter_lines_are_counted_from_the_top_of_the_file():
    parsed = split_front_matter("---\ntitle: x\ndate: 2024-01-01\n---\nBody\n", "u.md")
    assert parsed.meta.data == {"title": "x", "date": "2024-01-01"}
    assert parsed.meta.line(("date",)) == 3
    assert parsed.body_line == 5 and parsed.body == "Body\n"


def test_yaml_line_breaks_that_editors_show_inside_a_line_do_not_shift_line_numbers():
    # YAML ends a line at U+2028; editors do not: lines are counted as with a plain space.
    lines = []
    for separator in (" ", "\u2028", "\u2029", "\x85"):
        with pytest.raises(ContentError) as caught:
            load_yaml(f'a: "one{separator}two"\nb: x\nc: [unclosed\n', "f.yml")
        lines.append(caught.value.problems[0].line)
    assert lines == [4, 4, 4, 4]
    doc = load_yaml('a: "one\u2028two"\nb: 1\n', "f.yml")
    assert doc.line(("b",)) == 2


def test_a_number_thousands_of_digits_long_is_a_problem_not_a_crash():
    doc = load_yaml("a: 1\nb: " + "9" * 5000 + "\n", "f.yml")
    assert [(p.line, "cannot be read as a number" in p.message) for p in doc.problems] == [(2, True)]
    with pytest.raises(ContentError, match="a number is too long"):
        load_yaml("%YAML " + "1" * 5000 + ".1\n---\na: 1\n", "f.yml")


def test_a_time_of_day_is_text_not_a_base_60_number():
    assert load_yaml("cadence: 10:30\n", "f.yml").data == {"cadence": "10:30"}


def test_escapes_cannot_smuggle_invisible_characters_into_a_value():
    from publisher.model import Theme

    with pytest.raises(ValueError, match="text-direction control"):
        Theme.model_validate({"id": "x", "title": "A\u202eB", "summary": "S"})


@pytest.mark.parametrize("extra", ["", "# R&D\n"], ids=["libyaml", "pure-python"])
def test_nesting_beyond_the_limit_is_reported_where_it_goes_too_deep_by_either_parser(extra):
    """An '&' anywhere sends a file through the pure-Python parser (it can refuse anchors);
    both parsers must give the same report."""
    text = extra + "".join(f"{'  ' * depth}a{depth}:\n" for depth in range(MAX_DEPTH + 5))
    with pytest.raises(ContentError) as caught:
        load_yaml(text, "f.yml")
    [problem] = caught.value.problems
    assert problem.message == "the YAML is nested too deeply"
    assert problem.line == MAX_DEPTH + 2 + extra.count("\n")  # the value of key a{MAX_DEPTH}
    assert load_yaml(extra + "".join(f"{'  ' * depth}a{depth}:\n" for depth in range(MAX_DEPTH)), "f.yml").problems == []


@pytest.mark.parametrize("text", ["a: [1, 2\n", "a: 'open\n", "a:\n  - b\n c: 1\n", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n"])
def test_a_syntax_error_reads_the_same_whichever_parser_found_it(text):
    with pytest.raises(ContentError) as fast:
        load_yaml(text, "f.yml")
    with pytest.raises(ContentError) as slow:
        load_yaml("# R&D\n" + text, "f.yml")
    [f], [s] = fast.value.problems, slow.value.problems
    assert (f.line + 1, f.message, f.fix) == (s.line, s.message, s.fix)
