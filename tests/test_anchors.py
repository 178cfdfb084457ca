"""MkDocs finds a page's anchors with the publisher's quick scan (`engine.anchor_ids`), and
finds the same ones its own HTML parser would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from mkdocs.structure.pages import _HTMLHandler

from publisher import engine


def _mkdocs(text: str) -> set[str]:
    """The ids MkDocs' own `_RawHTMLPreprocessor` collects."""
    parser = _HTMLHandler()
    parser.feed(text)
    parser.close()
    return parser.present_anchor_ids


PAGE = """# Progress updates {: #top }

<div class="pub-banner" role="note" id="banner">Preview</div>
<ul class="pub-list">
<li id="u-1"><a href="../x/">An update</a> <span class='pub-muted' id='single'>1 May</span></li>
<li ID="upper"><a name="old-anchor"></a><span name="not-an-anchor">text</span></li>
<li id=bare data-x="1">bare</li>
<li id="amp&amp;ersand" title="a > b">escaped</li>
<table><tr><td data-label="Status" id="cell">Met</td></tr></table>
</ul>
<img src="x.png" alt="" id="picture"/>
"""


def test_the_quick_scan_finds_what_mkdocs_parser_finds():
    found = engine.anchor_ids(PAGE)
    assert found == _mkdocs(PAGE)
    assert {"banner", "u-1", "single", "upper", "old-anchor", "bare", "amp&ersand", "cell", "picture"} <= found
    assert "not-an-anchor" not in found  # `name` is an anchor on <a> only


_NAME = st.text(alphabet="abcXYZ-_1&;", min_size=1, max_size=8)
_ATTRIBUTE = st.one_of(
    st.tuples(st.sampled_from(["id", "ID", "name", "class", "data-id", "title"]), _NAME, st.sampled_from(['"', "'"])),
)
_ELEMENT = st.tuples(st.sampled_from(["div", "a", "span", "li", "A"]), st.lists(_ATTRIBUTE, max_size=3), st.booleans())


@given(st.lists(_ELEMENT, max_size=8))
def test_the_same_ids_on_any_well_formed_html(elements):
    text = ""
    for tag, attributes, empty in elements:
        given_names = {name.lower() for name, _, _ in attributes}
        if len(given_names) < len(attributes):
            continue  # an attribute given twice: a browser keeps the first, the parsers differ
        written = "".join(f" {name}={quote}{value}{quote}" for name, value, quote in attributes)
        text += f"<{tag}{written}/>" if empty else f"<{tag}{written}>text</{tag}>\n"
    assert engine.anchor_ids(text) == _mkdocs(text)


def test_mkdocs_uses_the_quick_scan_once_the_hooks_have_run():
    from mkdocs.structure import pages

    engine.scan_anchors_quickly()
    engine.scan_anchors_quickly()  # twice is harmless
    preprocessor = pages._RawHTMLPreprocessor()
    preprocessor.run(PAGE.split("\n"))
    assert preprocessor.present_anchor_ids == _mkdocs(PAGE)
    assert getattr(pages._RawHTMLPreprocessor.run, "quick", False)
