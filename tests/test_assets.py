"""The site's own CSS and JS: minified, published under content-hashed names, referenced
from every page under those names, in the manifest, cached for a year by the hosts while
the pages are always checked; each script only on the pages that use it."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from publisher import THEME, assets, headers, manifest

OWN = THEME / "assets"


def test_a_published_name_is_the_start_of_the_content_s_sha256():
    content = b"body{color:red}\n"
    digest = hashlib.sha256(content).hexdigest()
    assert assets.hashed_name("assets/stylesheets/publisher.css", content) == f"assets/stylesheets/publisher.{digest[:8]}.css"
    assert assets.hashed_name("assets/javascripts/search.js", content).endswith(f"/search.{digest[:8]}.js")
    # Any change to the content changes the name.
    assert assets.hashed_name("a/x.css", content) != assets.hashed_name("a/x.css", content + b" ")


def test_minifying_keeps_what_the_browser_reads():
    css = (OWN / "stylesheets" / "publisher.css").read_text(encoding="utf-8")
    small = assets.minify("x.css", css)
    assert len(small) < 0.8 * len(css)
    assert "/*" not in small  # comments go
    # Strings and the alternative text of generated content stay exactly as written.
    assert 'content:attr(data-label) ": " / ""' in small
    assert "@media (scripting:none)" in small
    js = (OWN / "javascripts" / "explorer.js").read_text(encoding="utf-8")
    small_js = assets.minify("x.js", js)
    assert len(small_js) < 0.8 * len(js) and "/*" not in small_js and "// " not in small_js
    assert '"Showing all "' in small_js and "history.replaceState" in small_js


def test_only_the_project_s_own_files_are_renamed():
    assert assets.is_own("assets/stylesheets/publisher.css")
    assert assets.is_own("assets/javascripts/explorer.js")
    assert not assets.is_own("assets/javascripts/vendor/iframe-worker-shim.js")  # keeps its project's name
    assert not assets.is_own("assets/images/favicon.svg")
    assert not assets.is_own("index.md")


class _File:
    """The part of MkDocs' File that publisher.assets uses."""

    def __init__(self, src_uri: str, abs_src_path: Path):
        self.src_uri = src_uri
        self.abs_src_path = str(abs_src_path)
        self.dest_uri = src_uri
        self._content = abs_src_path.read_bytes()

    @property
    def content_bytes(self) -> bytes:
        return self._content

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self._content = value


def _theme(tmp_path: Path) -> tuple[list[_File], SimpleNamespace]:
    theme = tmp_path / "overrides"
    material = tmp_path / "material"
    written = {
        theme / "assets/stylesheets/publisher.css": "/* ours */\n.a { color: red; }\n",
        theme / "assets/javascripts/search.js": "/* search */\nwindow.searchBox = 1;\n",
        theme / "assets/javascripts/explorer.js": "// explorer\nwindow.explorer = window.searchBox + 1;\n",
        theme / "assets/javascripts/vendor/shim.js": "shim();\n",
        material / "assets/stylesheets/main.57a0d79d.min.css": ".md{}\n",
    }
    for path, text in written.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    files = [
        _File(path.relative_to(theme if path.is_relative_to(theme) else material).as_posix(), path)
        for path in written
    ]
    config = SimpleNamespace(
        theme=SimpleNamespace(custom_dir=str(theme)),
        extra_css=["assets/stylesheets/publisher.css"],
        extra_javascript=[SimpleNamespace(path="assets/javascripts/search.js"), "assets/javascripts/other.js"],
        extra={},
    )
    return files, config


def test_fingerprinting_renames_minifies_and_points_the_configuration_at_the_new_names(tmp_path):
    files, config = _theme(tmp_path)
    published = assets.fingerprint(files, config)
    by_uri = {f.src_uri: f for f in files}
    assert set(published) == {"assets/stylesheets/publisher.css", "assets/javascripts/search.js", "assets/javascripts/explorer.js"}
    for uri, name in published.items():
        file = by_uri[uri]
        assert file.dest_uri == name == assets.hashed_name(uri, file.content_bytes)
        assert b"/*" not in file.content_bytes and b"// explorer" not in file.content_bytes
    # Material's files and vendored ones are left as they are.
    assert by_uri["assets/stylesheets/main.57a0d79d.min.css"].dest_uri == "assets/stylesheets/main.57a0d79d.min.css"
    assert by_uri["assets/javascripts/vendor/shim.js"].dest_uri == "assets/javascripts/vendor/shim.js"
    assert config.extra_css == [published["assets/stylesheets/publisher.css"]]
    assert config.extra_javascript[0].path == published["assets/javascripts/search.js"]
    assert config.extra_javascript[1] == "assets/javascripts/other.js"
    assert config.extra[assets.EXTRA_KEY] == published


def test_the_explorer_s_file_carries_the_search_script_first(tmp_path):
    files, config = _theme(tmp_path)
    assets.fingerprint(files, config)
    explorer = next(f for f in files if f.src_uri == "assets/javascripts/explorer.js").content_bytes.decode()
    search = next(f for f in files if f.src_uri == "assets/javascripts/search.js").content_bytes.decode()
    assert explorer.index("window.searchBox=1") < explorer.index("window.explorer=")
    assert search.strip() == "window.searchBox=1;"


def test_the_same_files_give_the_same_names(tmp_path):
    first_files, first = _theme(tmp_path / "a")
    second_files, second = _theme(tmp_path / "b")
    assert assets.fingerprint(first_files, first) == assets.fingerprint(second_files, second)


def test_the_cache_rules_name_each_hashed_file_and_nothing_else():
    paths = ["/assets/stylesheets/main.57a0d79d.min.css", "/assets/javascripts/search.1a2b3c4d.js"]
    text = headers.netlify_cache_rules(paths)
    assert headers.read_immutable_paths(text) == paths
    assert headers.netlify_cache_rules([]) == ""
    # The rule for every page stays free of Cache-Control, so the two never combine.
    wanted = headers.security_headers(["'sha256-abc='"])
    whole = headers.netlify_file(wanted) + text
    assert "Cache-Control" not in dict(headers.read_netlify_file(whole))


def _nginx_location(snippet: str) -> re.Pattern[str]:
    found = re.search(r'^location ~ "([^"]+)" \{$', snippet, re.M)
    assert found, snippet
    return re.compile(found.group(1))


def test_the_nginx_snippet_keeps_pages_fresh_and_hashed_files_for_a_year():
    wanted = headers.security_headers(["'sha256-abc='"])
    snippet = headers.nginx_snippet(wanted)
    assert "\nexpires epoch;\n" in snippet  # Cache-Control: no-cache for pages and data
    block = snippet[snippet.index("location ~"):]
    assert "    expires off;" in block
    assert f'    add_header Cache-Control "{headers.CACHE_IMMUTABLE}" always;' in block
    # A location with its own add_header inherits none: every security header is repeated.
    for name, value in wanted:
        assert f'    add_header {name} "{value}" always;' in block
    location = _nginx_location(snippet)
    assert location.search("/assets/stylesheets/publisher.70342b39.css")
    assert location.search("/sub/path/assets/javascripts/bundle.a5f9d56c.min.js")
    for plain in ["/assets/stylesheets/publisher.css", "/assets/javascripts/lunr/min/lunr.de.min.js", "/index.html", "/assets/stylesheets/main.57a0d79d.min.css.map"]:
        assert not location.search(plain), plain


# ---------------------------------------------------------------------- the built site


def _own_published(site: Path) -> dict[str, Path]:
    found = {}
    for folder, suffix in (("stylesheets", ".css"), ("javascripts", ".js")):
        for path in (site / "assets" / folder).glob(f"*{suffix}"):
            found[path.name] = path
    return found


@pytest.mark.slow
def test_the_site_publishes_its_own_files_only_under_names_that_change_with_their_content(built_site):
    files = _own_published(built_site)
    for plain in ("publisher.css", "search.js", "explorer.js"):
        assert plain not in files, f"{plain} is published under its plain name, which a host cannot cache for long"
        stem, suffix = plain.rsplit(".", 1)
        hashed = [name for name in files if re.fullmatch(rf"{stem}\.[0-9a-f]{{8}}\.{suffix}", name)]
        assert len(hashed) == 1, (plain, sorted(files))
        path = files[hashed[0]]
        assert hashed[0].split(".")[1] == hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        assert f"assets/{path.parent.name}/{hashed[0]}" in (built_site / manifest.NAME).read_text()


@pytest.mark.slow
def test_every_page_loads_the_hashed_files_and_no_script_of_its_own_before_it_is_used(built_site):
    names = {path.name for path in _own_published(built_site).values()}
    css = next(n for n in names if n.startswith("publisher."))
    search = next(n for n in names if n.startswith("search."))
    explorer = next(n for n in names if n.startswith("explorer."))
    pages = 0
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "<html" not in text or 'http-equiv="refresh"' in text:
            continue
        rel = page.relative_to(built_site).as_posix()
        pages += 1
        assert f'assets/stylesheets/{css}">' in text, rel
        assert not re.search(r"(publisher\.css|/search\.js|/explorer\.js)\"", text), rel
        scripts = re.findall(r'<script src="([^"]+)"([^>]*)>', text)
        # Material's bundle, deferred, is the only script a page loads with it: it never
        # holds up the first paint. The site's own load when first used, from the site's
        # root: search.js, or on the explorer's pages the file that is both.
        assert [src.rsplit("/", 1)[-1].split(".")[0] for src, _ in scripts] == ["bundle"], (rel, scripts)
        assert "defer" in scripts[0][1], rel
        assert f'q=f?["assets/javascripts/{explorer}",""]:["assets/javascripts/{search}"]' in text, rel
    assert pages > 400


@pytest.mark.slow
def test_hosts_keep_hashed_files_for_a_year_and_check_every_page(built_site):
    text = (built_site / headers.HEADERS_FILE).read_text(encoding="utf-8")
    immutable = headers.read_immutable_paths(text)
    on_disk = sorted(
        "/" + p.relative_to(built_site).as_posix()
        for p in (built_site / "assets").rglob("*")
        if p.is_file() and assets.HASHED_NAME.search(p.name)
    )
    assert immutable == on_disk
    names = {path.rsplit("/", 1)[-1] for path in immutable}
    assert {n.split(".")[0] for n in names} >= {"main", "palette", "bundle", "publisher", "search", "explorer"}
    # Nothing that keeps its name is made immutable; the pages get no Cache-Control of
    # their own in _headers (the hosts' default is to check each time).
    assert all(assets.HASHED_NAME.search(path) for path in immutable)
    assert "Cache-Control" not in dict(headers.read_netlify_file(text))
    # The nginx snippet's location matches exactly the same files, and no page.
    location = _nginx_location(headers.nginx_snippet(headers.read_netlify_file(text)))
    every = ["/" + p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()]
    assert sorted(path for path in every if location.search(path)) == on_disk
