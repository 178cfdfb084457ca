"""Security headers: the policy hashes exactly the inline scripts a browser would run, the
build writes `_headers`, and the committed nginx snippet says the same as the build."""

import re

import pytest

from support import ROOT, publisher
from publisher import headers, pagescan

NGINX_SNIPPET = ROOT / "deploy" / "nginx.conf"
REGENERATE = "publisher build && publisher headers --format nginx -o deploy/nginx.conf"


def test_a_hash_is_the_one_the_csp_specification_gives():
    # The example in the Content Security Policy Level 2 specification, section 4.2.
    assert headers.script_hash("alert('Hello, world.');") == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"


def test_only_inline_scripts_a_browser_runs_are_hashed():
    page = (
        "<script>one()</script>"
        '<script type="module">two()</script>'
        "<script type='text/javascript'>three()</script>"
        '<script src="assets/x.js"></script>'
        '<script id="__config" type="application/json">{"data": 1}</script>'
        '<script type="application/ld+json">{"@type": "Report"}</script>'
        "<SCRIPT>four()</SCRIPT >"
    )
    assert pagescan.inline_scripts(page) == ["one()", "two()", "three()", "four()"]


def test_the_policy_has_the_directives_the_site_promises():
    policy = headers.content_security_policy(["'sha256-abc='"])
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["default-src"] == ["'self'"]
    # WebAssembly compilation for the search engine; never eval() of JavaScript.
    assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'", "'sha256-abc='"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy and "'unsafe-eval'" not in policy


def test_a_policy_too_long_for_cloudflare_is_refused_with_the_reason():
    many = [headers.script_hash(str(n)) for n in range(60)]
    with pytest.raises(headers.HeadersError, match="over the 2,000 that Cloudflare Pages reads"):
        headers.netlify_file(headers.security_headers(many))


def test_the_two_formats_carry_the_same_headers():
    wanted = headers.security_headers(["'sha256-abc='"])
    from_netlify = headers.read_netlify_file(headers.netlify_file(wanted))
    from_nginx = re.findall(r'^add_header (\S+) "([^"]*)" always;$', headers.nginx_snippet(wanted), re.M)
    assert from_netlify == from_nginx == wanted


THEME = [
    '<script>__md_scope=new URL("{{ config.extra.scope | d(base_url) }}",location)</script>',
    '{% if x %}<script>var palette=1</script>{% endif %}<script src="{{ base_url }}/x.js"></script>',
]


def _site(tmp_path, *pages):
    for index, page in enumerate(pages):
        (tmp_path / f"p{index}.html").write_text(page)
    return tmp_path


def test_only_scripts_the_theme_templates_write_are_hashed(tmp_path):
    site = _site(
        tmp_path,
        '<script>__md_scope=new URL("../..",location)</script><script>var palette=1</script>',
        '<script>__md_scope=new URL(".",location)</script>',
    )
    hashes = headers.site_script_hashes(site, headers.theme_script_patterns(THEME))
    expected = {headers.script_hash(b) for b in ['__md_scope=new URL("../..",location)', "var palette=1", '__md_scope=new URL(".",location)']}
    assert set(hashes) == expected


@pytest.mark.parametrize(
    "script",
    [
        "alert(1)",  # not in any template
        '__md_scope=new URL("",location);alert(1)//",location)',  # breaks out of the hole
        '__md_scope=new URL("x",location),alert(1),("",location)',
    ],
)
def test_an_inline_script_no_template_writes_fails_with_its_page(tmp_path, script):
    site = _site(tmp_path, '<script>var palette=1</script>', f"<head><script>{script}</script>")
    with pytest.raises(headers.HeadersError) as caught:
        headers.site_script_hashes(site, headers.theme_script_patterns(THEME))
    assert "p1.html: <script>" in str(caught.value) and "no theme template writes" in str(caught.value)


@pytest.mark.parametrize("stranger_seen", [True, False], ids=["stranger-scanned-during-build", "stranger-read-from-disk"])
def test_scripts_gathered_during_the_build_count_as_if_read_from_the_disk(tmp_path, stranger_seen):
    """The engine hands over what the link-check process saw of each page as it was
    written (`pagescan.PageFindings`); pages it did not see are still read."""
    texts = ['<script>var palette=1</script>', '<script>__md_scope=new URL(".",location)</script>', "<script>alert(1)</script>"]
    site = _site(tmp_path, *texts)
    seen = pagescan.PageFindings()
    for index, text in enumerate(texts):
        if index < 2 or stranger_seen:
            seen.add(f"p{index}.html", text)
    patterns = headers.theme_script_patterns(THEME)
    with pytest.raises(headers.HeadersError, match=r"p2\.html: <script>alert\(1\)"):
        headers.site_script_hashes(site, patterns, seen)
    (tmp_path / "p2.html").unlink()
    seen = pagescan.PageFindings()
    seen.add("p0.html", texts[0])
    assert headers.site_script_hashes(site, patterns, seen) == headers.site_script_hashes(site, patterns)


@pytest.mark.slow
def test_the_build_writes_a_policy_that_hashes_every_inline_script_it_has(built_site):
    served = dict(headers.read_netlify_file((built_site / headers.HEADERS_FILE).read_text()))
    policy = served["Content-Security-Policy"]
    pages = list(built_site.rglob("*.html"))
    scripts = {body for page in pages for body in pagescan.inline_scripts(page.read_text())}
    assert scripts, "Material's pages have inline scripts; finding none means the scan is broken"
    listed = set(re.findall(r"'sha256-[^']+'", policy))
    assert listed == {headers.script_hash(body) for body in scripts}
    assert served["X-Content-Type-Options"] == "nosniff" and served["Referrer-Policy"] == "no-referrer"


@pytest.mark.slow
def test_the_committed_nginx_snippet_matches_the_build(built_site):
    expected = headers.nginx_snippet(headers.read_netlify_file((built_site / headers.HEADERS_FILE).read_text()))
    assert NGINX_SNIPPET.read_text() == expected, f"deploy/nginx.conf is out of date; regenerate it: {REGENERATE}"


@pytest.mark.slow
def test_publisher_headers_prints_either_format(built_site, tmp_path):
    nginx = publisher("headers", "--site-dir", str(built_site), "--format", "nginx", cwd=ROOT)
    assert nginx.returncode == 0, nginx.stderr
    assert nginx.stdout == NGINX_SNIPPET.read_text()
    netlify = publisher("headers", "--site-dir", str(built_site), cwd=ROOT)
    assert netlify.stdout == (built_site / headers.HEADERS_FILE).read_text()
    missing = publisher("headers", "--site-dir", str(tmp_path), cwd=ROOT)
    assert missing.returncode == 2 and "no _headers in" in missing.stderr and "run `publisher build` first" in missing.stderr

