"""Markdown in content: raw HTML and unsafe links refused; output sanitised as a second line."""

import pytest

from publisher.markup import MarkupProblem, check_markdown, sanitise, to_html, to_inline_html, to_plain


@pytest.mark.parametrize(
    "text",
    [
        "Plain text with **bold** and a [link](https://www.gov.je/).",
        "A comparison: fewer than 5 < 10 children.",
        "An autolink <https://www.gov.je/> and <mailto:someone@example.org>.",
        "Code may show tags: `<script>` is how HTML starts a script.",
        "```\n<div>in a fence</div>\n```",
    ],
)
def test_ordinary_markdown_is_accepted(text):
    check_markdown(text)


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("<script>alert(1)</script>", 1, "raw HTML"),
        ("ok\n\n<img src=x onerror=alert(1)>", 3, "raw HTML"),
        ("<svg/onload=alert(1)>", 1, "raw HTML"),
        ("<iframe src='https://evil.example'></iframe>", 1, "raw HTML"),
        ("<!-- a comment -->", 1, "raw HTML"),
        ("[x](javascript:alert(1))", 1, "is not allowed"),
        ("[x](&#106;avascript:alert(1))", 1, "is not allowed"),
        ("[x][1]\n\n[1]: javascript:alert(1)", 3, "is not allowed"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", 1, "is not allowed"),
        ("[relative](../somewhere)", 1, "is not allowed"),
        ("![chart](https://tracker.example/pixel.png)", 1, "images are not allowed"),
    ],
)
def test_html_images_and_unsafe_links_are_refused_with_their_line(text, line, message):
    with pytest.raises(MarkupProblem) as caught:
        check_markdown(text)
    assert caught.value.line == line and message in caught.value.message


def test_rendered_html_is_sanitised_even_if_the_checks_were_bypassed():
    dirty = '<p onclick="x()">hi<script>alert(1)</script><a href="javascript:alert(1)">a</a><iframe></iframe></p>'
    clean = sanitise(dirty)
    assert "script" not in clean and "onclick" not in clean and "javascript" not in clean and "iframe" not in clean
    assert "hi" in clean


def test_rendering():
    assert str(to_html("A **b**")) == "<p>A <strong>b</strong></p>"
    assert str(to_inline_html("A **b**")) == "A <strong>b</strong>"
    assert 'rel="noopener noreferrer"' in str(to_html("[x](https://a.example/)"))
    assert to_plain("A **b** & [c](https://a.example/)") == "A b & c"
