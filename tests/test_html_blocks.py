"""The publisher's shortcuts through Python-Markdown and MkDocs give exactly what they would.

`publisher.html_blocks.extract` sets a page's raw HTML blocks aside without html.parser, and
`engine.read_front_matter_quickly` reads the generated pages' front matter as JSON. Each is
checked against the code it stands in for: on every page of the bundled site and of the
tricky-text fixture, and on random documents.
"""

from __future__ import annotations

import json
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.extensions import md_in_html
from mkdocs.utils import meta

from publisher import engine, html_blocks
from publisher.site.render import front_matter
from support import copy_project, publisher

EXTENSIONS = ["toc", "attr_list", "md_in_html", "tables", "admonition", "def_list", "abbr"]

#: The comparisons with the extractor hold for the Python-Markdown the shortcut follows;
#: under another it is not used at all (the last test below).
followed = pytest.mark.skipif(
    not html_blocks.follows_this_markdown(), reason="html_blocks follows another Python-Markdown; it is not used"
)


def _prepared(source: str) -> tuple[markdown.Markdown, str]:
    """A Markdown instance and `source` as the extractor receives it (after the whitespace
    is normalised, the preprocessor before it)."""
    md = markdown.Markdown(extensions=EXTENSIONS)
    return md, "\n".join(md.preprocessors["normalize_whitespace"].run(source.split("\n")))


def python_markdown(source: str) -> tuple[str, list]:
    md, text = _prepared(source)
    parser = md_in_html.HTMLExtractorExtra(md)
    parser.feed(text)
    parser.close()
    return "".join(parser.cleandoc), list(md.htmlStash.rawHtmlBlocks)


def shortcut(source: str) -> tuple[str | None, list]:
    md, text = _prepared(source)
    doc = html_blocks.extract(text, md)
    return (None if doc is None else "".join(doc)), list(md.htmlStash.rawHtmlBlocks)


def compare(source: str) -> bool:
    """True if the shortcut took the page (and gave what Python-Markdown gives); False if it
    left the page to Python-Markdown (having stored nothing)."""
    doc, stashed = shortcut(source)
    if doc is None:
        assert stashed == []
        return False
    assert (doc, stashed) == python_markdown(source)
    return True


def _exported_pages(project: Path, export: Path) -> list[Path]:
    result = publisher("export-markdown", "-q", str(export), cwd=project)
    assert result.returncode == 0, result.stderr
    return sorted((export / "docs").rglob("*.md"))


@followed
@pytest.mark.slow
def test_every_page_of_the_bundled_site_is_set_apart_as_python_markdown_would(tmp_path):
    pages = _exported_pages(copy_project(tmp_path / "project"), tmp_path / "export")
    taken = [page for page in pages if compare(meta.get_data(page.read_text(encoding="utf-8"))[0])]
    left = sorted(str(page.relative_to(tmp_path / "export" / "docs")) for page in set(pages) - set(taken))
    # Left to Python-Markdown: the data page's JSON-LD <script>, and a hand-written page
    # showing Markdown and HTML as examples. Every other page is taken.
    assert left == ["about/publishing.md", "data/index.md"]
    assert len(taken) > 400


@followed
@pytest.mark.slow
def test_the_tricky_text_fixture_is_set_apart_as_python_markdown_would(tmp_path):
    import hostile

    content = hostile.hostile_content(tmp_path / "content")
    pages = _exported_pages(copy_project(tmp_path / "project", content), tmp_path / "export")
    taken = [page for page in pages if compare(meta.get_data(page.read_text(encoding="utf-8"))[0])]
    assert len(taken) >= 0.9 * len(pages)


@followed
@pytest.mark.parametrize(
    "source",
    [
        "<!-- a comment -->\n\n<div>x</div>\n",
        "<div>\n<script>if (a < b) {}</script>\n</div>\n",
        '<div markdown="1">\n*text*\n</div>\n',
        "<div markdown>\n*text*\n</div>\n",
        "<div>never closed\n\nText.\n",
        "AT&T and <div>\n",
        "a < b\n",
        "<div>a &#; b</div>\n",
        "<hr>\n\n<p>x</p>\n",
        '<div class=a"b>x</div>\n',
        "<p>x</p>&amp;\n",
        "<div/>\n\nText.\n",
        "<?php echo 1 ?>\n",
    ],
    ids=[
        "comment", "script", "markdown attribute", "markdown attribute without value", "never closed",
        "entity without semicolon", "bare less-than", "broken character reference", "hr",
        "loose attribute", "reference in the tail", "empty block tag", "processing instruction",
    ],
)
def test_what_the_shortcut_does_not_follow_is_left_to_python_markdown(source):
    assert shortcut(source) == (None, [])
    python_markdown(source)  # which reads it, in its own way


@followed
@pytest.mark.parametrize(
    "source",
    [
        "# Title\n\n<p class=\"lead\">Lead &amp; more.</p>\n\nText with <em>inline</em> HTML &#39;quoted&#39;.\n",
        "<div>\n<p>One</p>\n<div><p>Nested</p></div>\n</div>\n\n## Next {#next}\n",
        "<p>First</p>\n<p>Second, straight after</p>\n\nText.\n",
        "<div>a</div><p>b</p>\n\n<dl><dt>x</dt> <dd>y<br>z</dd></dl>\n",
        "   <div>indented three spaces</div>\n\n    <div>four: code</div>\n",
        "Text & more, R&\\#39;s.\n\n<div data-row='{\"a\": \"<b>\"}' hidden>x</div>\n",
        "<div>ends the page</div>",
        "<table>\n<tr><td>1</td></tr>\n</table>\ntext on the next line\n",
        "<p>x</p> tail\n\n<div>y</div>\n",
        "<DIV CLASS=x>upper case</DIV>\n",
    ],
)
def test_pages_shaped_as_the_templates_write_them_are_taken_and_set_apart_exactly(source):
    assert compare(source)


# Random documents: lines made of the pieces a template (or a careless author) writes.
_WORDS = st.sampled_from(["Text", "more text", "&amp;", "&#39;", "&#x27;", "AT & T", "R&\\#39;s", "*em*", "`code`", "a > b"])
_INLINE = st.sampled_from(['<a href="x">link</a>', "<em>", "</em>", "<br>", "<span class='k'>s</span>", "<img src=x alt=\"\"/>"])
_BLOCK_OPEN = st.sampled_from(["<div>", '<div class="pub-text">', "<p>", "<dl>", "<table>", "<ul>", "<li>", "<section hidden>"])
_BLOCK_CLOSE = st.sampled_from(["</div>", "</p>", "</dl>", "</table>", "</ul>", "</li>", "</section>", "</span>"])
_PIECE = st.one_of(_WORDS, _INLINE, _BLOCK_OPEN, _BLOCK_CLOSE, st.sampled_from(["", " ", "   ", "<!-- c -->", "<hr>"]))
_LINE = st.lists(_PIECE, max_size=6).map("".join)
_DOCUMENT = st.lists(st.one_of(_LINE, st.just("")), min_size=1, max_size=14).map("\n".join)


@followed
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENT)
def test_random_documents_are_set_apart_as_python_markdown_would_or_left_to_it(source):
    compare(source)


@followed
@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_BLOCK_OPEN, _WORDS, st.booleans()), min_size=1, max_size=8))
def test_random_pages_of_closed_blocks_are_all_taken(blocks):
    source = ""
    for opening, words, blank in blocks:
        name = opening[1:].split(">")[0].split()[0]
        source += f"{opening}{words}</{name}>\n" + ("\n" if blank else "")
    assert compare(source)


def test_under_another_python_markdown_its_own_extractor_is_kept(monkeypatch):
    import markdown

    preprocessor = md_in_html.HtmlBlockPreprocessor
    monkeypatch.setattr(preprocessor, "run", lambda self, lines: lines)  # a stand-in, restored afterwards
    stand_in = preprocessor.run
    monkeypatch.setattr(markdown, "__version_info__", (3, 99, 0, "final", 0))
    html_blocks.install()
    assert preprocessor.run is stand_in
    monkeypatch.setattr(markdown, "__version_info__", (*html_blocks.FOLLOWS, 0, "final", 0))
    html_blocks.install()
    assert preprocessor.run is not stand_in and preprocessor.run.fast


# --------------------------------------------------------------------------- front matter


@pytest.fixture(scope="module")
def quick_get_data():
    slow = meta.get_data
    engine.read_front_matter_quickly()
    quick = meta.get_data
    meta.get_data = slow  # the rest of the session as it was
    assert getattr(quick, "quick", False) and not getattr(slow, "quick", False)
    return slow, quick


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_VALUE = st.recursive(
    st.one_of(_TEXT, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False, allow_infinity=False)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_TEXT, _VALUE, max_size=6), st.text(max_size=40))
def test_generated_front_matter_is_read_as_yaml_reads_it(quick_get_data, values, body):
    slow, quick = quick_get_data
    page = f"---\n{front_matter(values)}\n---\n\n{body}"
    assert quick(page) == slow(page)


@pytest.mark.parametrize(
    "page",
    [
        "---\ntitle: Plain YAML\nhide: [navigation]\n---\n\n# Text\n",
        '---\n{"big": 1e+20, "title": "x"}\n---\n\nText\n',
        '---\n{"title": "a\x85b"}\n---\n\nText\n',
        '---\n{"title": "not closed"\n---\n\nText\n',
        '---\n["a list"]\n---\n\nText\n',
        "No front matter at all\n",
    ],
    ids=["yaml", "float", "next line character", "broken", "not a mapping", "none"],
)
def test_front_matter_the_shortcut_does_not_take_is_read_as_before(quick_get_data, page):
    slow, quick = quick_get_data
    assert quick(page) == slow(page)


def test_a_float_written_without_a_point_stays_what_yaml_makes_of_it(quick_get_data):
    slow, quick = quick_get_data
    _, data = quick('---\n{"big": 1e+20}\n---\n\nText\n')
    assert data == {"big": "1e+20"} == json.loads(json.dumps(slow('---\n{"big": 1e+20}\n---\n')[1]))
    assert yaml.safe_load('{"big": 1e+20}') == data
