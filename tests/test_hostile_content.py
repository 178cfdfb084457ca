"""The hostile corpus: markup in every text field of every record, oversized and deeply
nested files, and a build with harmless-looking but tricky text in every field.

Refused markup must stop `publisher check` with the file and line; accepted text must
come out of the build inert. See tests/hostile.py for the payloads and tests/fixtures/
broken/ for the file-level cases (encodings, YAML traps, dates, time zones).
"""

from __future__ import annotations

import html.parser
import re
import shutil
from pathlib import Path

import pytest

import hostile
from support import FIXTURES, publisher
from publisher import headers
from publisher.content import load_content
from publisher.problems import ContentError
from publisher.reader import MAX_FILE_BYTES

FIELDS = hostile.fixture_text_fields()
#: One place for each (record, field): the same field elsewhere is checked the same way.
FIRST_OF_EACH = list({(f.record, f.name): f for f in reversed(FIELDS)}.values())
#: What the message says, for each kind of field.
FRAGMENTS = {
    "plain": ("HTML is not allowed in this field",),
    "markdown": ("raw HTML (", "is not allowed", "images are not allowed"),
    "url": ("is not a web address", "which cannot be part of an address"),
}


def test_the_complete_fixture_has_every_text_field_of_the_model():
    missing = hostile.model_text_fields() - {(f.record, f.name) for f in FIELDS}
    assert not missing, f"add these fields to tests/fixtures/complete so hostile input is tried in them: {sorted(missing)}"


def test_the_complete_fixture_is_valid():
    content = load_content(hostile.COMPLETE)
    assert content.updates and content.plans and content.recommendations


@pytest.fixture
def complete(tmp_path) -> Path:
    return Path(shutil.copytree(hostile.COMPLETE, tmp_path / "content"))


CASES = [
    pytest.param(field, name, payload, id=f"{field.record}.{field.name}-{name}")
    for field in FIRST_OF_EACH
    for name, payload in hostile.refused_for(field.kind).items()
]


@pytest.mark.parametrize("field, name, payload", CASES)
def test_refused_markup_in_any_text_field_is_reported_at_its_line(complete, field, name, payload):
    hostile.inject(complete, {field: payload})
    with pytest.raises(ContentError) as caught:
        load_content(complete)
    line = hostile.expected_line(field, payload)
    shown = f"content/{field.file}"
    here = [p for p in caught.value.problems if p.path == shown and p.line == line]
    assert any(f"'{field.name}'" in p.message and any(f in p.message for f in FRAGMENTS[field.kind]) for p in here), (
        f"expected {shown}:{line}: '{field.name}': ... got:\n{caught.value.report()}"
    )


@pytest.mark.parametrize("name, payload", sorted(hostile.refused_for("markdown").items()))
def test_refused_markup_in_an_update_body_is_reported_at_its_line(complete, name, payload):
    update = next((complete / "updates").glob("*.md"))
    front, _ = update.read_text().rsplit("---\n", 1)
    body_line = front.count("\n") + 2
    update.write_text(f"{front}---\nA first paragraph.\n\n{payload}\n")
    with pytest.raises(ContentError) as caught:
        load_content(complete)
    line = body_line + 2 + payload.count("\n")
    assert any(p.line == line and p.path.endswith(update.name) for p in caught.value.problems), caught.value.report()


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(complete):
    big = complete / "inspections" / "big.yml"
    big.write_bytes(b"id: big\nsummary: " + b"x" * MAX_FILE_BYTES + b"\n")
    with pytest.raises(ContentError) as caught:
        load_content(complete)
    assert "content/inspections/big.yml:1: the file is 1,000,018 bytes, over the 1,000,000-byte limit" in caught.value.report()


@pytest.mark.parametrize(
    "text",
    [
        "id: deep\nsummary: " + "[" * 50_000 + "]" * 50_000,
        "id: deep\nsummary: " + "{a: " * 20_000 + "1" + "}" * 20_000,
        "- " * 5_000 + "x",
        "".join(f"{'  ' * depth}a{depth}:\n" for depth in range(900)),
    ],
    ids=["flow-lists", "flow-maps", "block-lists", "block-maps"],
)
def test_a_deeply_nested_file_is_a_problem_not_a_crash(complete, text):
    (complete / "inspections" / "deep.yml").write_text(text + "\n")
    with pytest.raises(ContentError) as caught:
        load_content(complete)
    assert re.search(r"content/inspections/deep.yml:\d+: the YAML is nested too deeply", caught.value.report())


def test_a_refused_tag_is_reported_once_not_again_as_a_missing_value(complete):
    path = complete / "themes.yml"
    path.write_text(path.read_text().replace("title: Care leavers", 'title: !!python/object/apply:os.system ["echo pwned"]'))
    with pytest.raises(ContentError) as caught:
        load_content(complete)
    assert [str(p) for p in caught.value.problems] == [
        "content/themes.yml:8: YAML tag '!!python/object/apply:os.system' is not allowed in content (remove the tag)"
    ]


@pytest.mark.slow
def test_publisher_check_reports_the_whole_broken_corpus_without_a_traceback(tmp_path):
    """Every broken file of one kind at once: one run, every problem, no traceback."""
    import yaml

    broken = FIXTURES / "broken"
    expectations = yaml.safe_load((broken / "expectations.yml").read_text())
    content = Path(shutil.copytree(FIXTURES / "minimal", tmp_path / "content"))
    placed = {}
    for name in sorted(expectations):
        for prefix, folder in (("inspection-", "inspections"), ("update-", "updates"), ("plans-", "plans")):
            if name.startswith(prefix):
                target = content / folder / name.removeprefix(prefix)
                shutil.copy(broken / name, target)
                placed[name] = f"content/{folder}/{target.name}"
    result = publisher("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name, shown in placed.items():
        line, fragment = expectations[name]
        assert any(row.startswith(f"{shown}:{line}: ") and fragment in row for row in result.stderr.splitlines()), (name, result.stderr)


# --------------------------------------------------------------------------- the neutral build


class _Scan(html.parser.HTMLParser):
    """Everything in a page that could run or load something."""

    DANGEROUS = {"iframe", "frame", "object", "embed", "applet", "base", "portal"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.scripts: list[str] = []
        self._in_script = self._in_data_block = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = [(name, value or "") for name, value in attrs]
        if tag in self.DANGEROUS:
            self.findings.append(f"<{tag}>")
        if tag == "meta" and any(n == "http-equiv" for n, _ in attrs):
            # Redirect pages refresh to an address on the site; nothing else may.
            target = dict(attrs).get("content", "").partition("url=")[2]
            if re.match(r"\s*[a-z][a-z0-9+.-]*:", target, re.I) or hostile.MARKER in target:
                self.findings.append(f"<meta http-equiv content={dict(attrs).get('content')!r}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc"):
                if re.match(r"\s*(javascript|vbscript|data):", value, re.I):
                    self.findings.append(f"<{tag} {name}={value!r}>")
            if name == "style" and hostile.MARKER in value:
                self.findings.append(f"<{tag} style={value!r}>")
        self._in_script = tag == "script"
        # A JSON-LD data block (the citation metadata in each item page's head) is never
        # run: its text is data, which must parse as JSON with nothing that could end the
        # element early (publisher.pagescan.data_block_is_safe), and is checked as such.
        self._in_data_block = self._in_script and dict(attrs).get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        self._in_script = self._in_data_block = False

    def handle_data(self, data):
        from publisher.pagescan import data_block_is_safe

        if self._in_data_block:
            if not data_block_is_safe(data):
                self.findings.append(f"unsafe JSON-LD {data[:60]!r}")
            self.text.append(data)
        elif self._in_script:
            self.scripts.append(data)
        else:
            self.text.append(data)


@pytest.fixture(scope="module")
def neutral_sites(tmp_path_factory, tricky_site) -> tuple[Path, Path]:
    """The complete fixture built as it is, and with a neutral payload in every text field."""
    return hostile.build_site(tmp_path_factory.mktemp("neutral") / "clean", hostile.COMPLETE), tricky_site


@pytest.mark.slow
def test_tricky_text_in_every_field_comes_out_of_the_build_inert(neutral_sites):
    _, site = neutral_sites
    findings, shown = [], 0
    for page in sorted(site.rglob("*.html")):
        scan = _Scan()
        scan.feed(page.read_text())
        findings += [f"{page.relative_to(site)}: {f}" for f in scan.findings]
        findings += [f"{page.relative_to(site)}: script {s[:60]!r}" for s in scan.scripts if hostile.MARKER in s]
        shown += sum(t.count(f"alert('{hostile.MARKER}')") for t in scan.text)
    assert findings == []
    assert shown > 100, "the payloads should be shown on the pages as text"


@pytest.mark.slow
def test_tricky_text_does_not_change_the_security_policy(neutral_sites):
    clean, tricky = (dict(headers.read_netlify_file((s / headers.HEADERS_FILE).read_text())) for s in neutral_sites)
    assert tricky == clean


@pytest.mark.slow
def test_tricky_text_is_shown_exactly_as_written(neutral_sites):
    """Neutralised means shown as text, not silently dropped or mangled."""
    _, site = neutral_sites
    page = (site / "inspections" / "2023-second" / "index.html").read_text()
    scan = _Scan()
    scan.feed(page)
    text = "".join(scan.text)
    assert "{: onclick=\"alert('pwned')\" }" in text
    assert "[click](javascript:alert('pwned'))" in text
    assert "{{ 7*7 }}" in text and "49" not in text.replace("2049", "")
    assert "<script>alert('pwned')</script>" in text  # shown, as the entities said
