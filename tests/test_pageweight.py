"""Pages lose their templates' indentation, and nothing a reader sees changes."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from publisher.pageweight import collapse


def test_indentation_goes_and_one_line_break_stays():
    html = '<nav>\n        <ul>\n          <li><a href="/">Home</a></li>\n\n        </ul>\n      </nav>'
    assert collapse(html) == '<nav>\n<ul>\n<li><a href="/">Home</a></li>\n</ul>\n</nav>'


def test_white_space_is_kept_where_it_shows_and_in_scripts():
    kept = [
        "<pre>line 1\n    indented\n</pre>",
        '<code class="x">a\n   b</code>',
        "<kbd>Ctrl\n  C</kbd>",
        "<textarea>\n  typed\n</textarea>",
        '<script type="application/ld+json">{\n  "a": 1\n}</script>',
        "<style>\n  p { color: red }\n</style>",
    ]
    html = "<div>\n   " + "\n   ".join(kept) + "\n</div>"
    out = collapse(html)
    for element in kept:
        assert element in out
    assert "\n   " not in out.replace("\n    indented", "").replace("\n   b", "").replace("\n  ", "")


def test_spaces_within_a_line_are_left_alone():
    assert collapse("<p>two  spaces and\ta tab</p>") == "<p>two  spaces and\ta tab</p>"


_TEXT = st.lists(st.sampled_from(list("ab \n\t") + ["  \n  ", "<pre>", "</pre>", "<p>", "</p>", "<code>", "</code>"]), max_size=40).map("".join)


def _shown(html: str) -> str:
    """What a browser shows outside kept elements: runs of white space as one space."""
    return re.sub(r"\s+", " ", re.sub(r"<(pre|code)>.*?</\1>", "", html, flags=re.S))


@given(_TEXT)
def test_collapsing_changes_nothing_a_reader_sees_and_is_stable(html):
    out = collapse(html)
    assert collapse(out) == out
    assert _shown(out) == _shown(html)
    for kept in re.findall(r"<(?:pre|code)>.*?</(?:pre|code)>", html, flags=re.S):
        if re.fullmatch(r"<(pre|code)>.*?</\1>", kept, flags=re.S):
            assert kept in out


_WHITE = st.lists(st.sampled_from([" ", "\t", "\r", "\f", "\v", "\n", "\xa0", "\u2028", "\x85", "\u3000", "a", "<b>"]), max_size=30).map("".join)


@given(_WHITE)
def test_each_run_of_white_space_with_a_line_break_becomes_one_as_the_expression_says(text):
    """The line-by-line collapsing is the regular expression it stands in for, Unicode
    white space (a no-break space, a line separator) included."""
    assert collapse(text) == re.sub(r"[ \t\r\f]*\n\s*", "\n", text)
