"""No third parties: every way a page or stylesheet loads something from another host is
found; links a reader chooses to follow are not."""

import pytest

from publisher.pagescan import PageFindings, page_assets, stylesheet_assets
from publisher.privacy import external_assets


@pytest.mark.parametrize(
    "html, found",
    [
        ('<script src="https://cdn.example/a.js"></script>', "<script src=https://cdn.example/a.js>"),
        ("<script src=//cdn.example/a.js></script>", "<script src=//cdn.example/a.js>"),
        ('<link rel="stylesheet" href="https://fonts.example/css">', "<link href=https://fonts.example/css>"),
        ('<link href="https://cdn.example/i.png" rel="shortcut icon">', "<link href=https://cdn.example/i.png>"),
        ('<link rel="preconnect" href="https://fonts.example">', "<link href=https://fonts.example>"),
        ('<img alt="" src="https://tracker.example/p.gif">', "<img src=https://tracker.example/p.gif>"),
        ('<img srcset="a.png 1x, https://cdn.example/b.png 2x">', "<img srcset=https://cdn.example/b.png>"),
        ('<IFRAME SRC="https://video.example/embed"></IFRAME>', "<iframe src=https://video.example/embed>"),
        ('<object data="https://evil.example/x.swf"></object>', "<object data=https://evil.example/x.swf>"),
        ('<video poster="https://cdn.example/p.jpg"></video>', "<video poster=https://cdn.example/p.jpg>"),
        ('<svg><use href="https://cdn.example/s.svg#i"/></svg>', "<use href=https://cdn.example/s.svg#i>"),
        ('<form action="https://collect.example/"></form>', "<form action=https://collect.example/>"),
        ('<div style="background: url(&quot;https://t.example/p.gif&quot;)"></div>', "<div style> url(https://t.example/p.gif)"),
        ("<style>@import 'https://fonts.example/a.css';</style>", "<style> url(https://fonts.example/a.css)"),
    ],
)
def test_every_way_of_loading_from_another_host_is_found(html, found):
    assert page_assets(html) == [found]


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://www.gov.je/report">the report</a>',  # a link is followed only if chosen
        '<link rel="canonical" href="https://site.example/page/">',
        '<link rel="alternate" type="application/rss+xml" href="https://site.example/feed.xml">',
        '<script src="../assets/javascripts/bundle.js"></script>',
        '<img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E" alt="">',
        '<form class="md-search__form" name="search"></form>',
        "<p>Write https://cdn.example/a.js in text, or &lt;img src=https://x.example/&gt;</p>",
    ],
)
def test_links_text_and_local_assets_are_not_third_parties(html):
    assert page_assets(html) == []


def test_stylesheets_are_scanned_and_files_are_named(tmp_path):
    assert stylesheet_assets("a{background:url(data:image/png;base64,AA)} b{background:url('//cdn.example/x.png')}") == ["url(//cdn.example/x.png)"]
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "x.css").write_text("@import url(https://fonts.example/x.css);")
    (tmp_path / "index.html").write_text('<img src="https://t.example/p.gif">')
    assert external_assets(tmp_path) == ["assets/x.css: url(https://fonts.example/x.css)", "index.html: <img src=https://t.example/p.gif>"]


@pytest.mark.slow
def test_the_built_site_loads_nothing_from_another_host(built_site):
    assert list(built_site.rglob("*.html")) and external_assets(built_site) == []


def test_pages_scanned_during_the_build_are_not_read_again_but_still_count(tmp_path):
    (tmp_path / "a.html").write_text('<img src="https://t.example/a.gif">')
    (tmp_path / "b.html").write_text('<img src="https://t.example/b.gif">')
    seen = PageFindings()
    seen.add("a.html", (tmp_path / "a.html").read_text())
    (tmp_path / "a.html").write_text("")  # what the build saw is what counts for a scanned page
    assert external_assets(tmp_path, seen) == ["a.html: <img src=https://t.example/a.gif>", "b.html: <img src=https://t.example/b.gif>"]
