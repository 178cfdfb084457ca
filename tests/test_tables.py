"""Tables that read on a phone: on a narrow screen every data table is a list of cards
(publisher.css), each cell labelled with its column heading. The labels come from the
templates (data-label), so every cell of every table on every page must carry its own
column's heading, word for word; the browser tests check what the cards look like.
Also the rest of the markup issue 18 put right: the plan's key areas are headings, and no
label is for a control that is not on its page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from publisher import THEME


class _Tables(HTMLParser):
    """Every table with the class pub-table: its column headings and its rows of cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._table = None
        self._section = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "pub-table" in (a.get("class") or "").split():
            self._table = {"classes": a["class"].split(), "headings": [], "rows": []}
            self.tables.append(self._table)
        elif self._table is None:
            return
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr" and self._section in ("tbody", "tfoot"):
            self._table["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = {"tag": tag, "attrs": a, "text": ""}
            if self._section == "thead":
                self._table["headings"].append(self._cell)
            else:
                self._table["rows"][-1].append(self._cell)

    def handle_endtag(self, tag):
        if tag == "table" and self._table is not None:
            self._table = self._section = None
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


def _tables(page: Path) -> list[dict]:
    parser = _Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tables


def _text(cell: dict) -> str:
    return " ".join(cell["text"].split())


#: The labels publisher.css draws by column for the longest tables: {selector: {column: label}}.
_CSS = (THEME / "assets" / "stylesheets" / "publisher.css").read_text(encoding="utf-8")
CSS_LABELS: dict[str, dict[int, str]] = {}
for _selector, _column, _label in re.findall(r'\.md-typeset (table\.\S+(?: \.\S+\))?) td:nth-child\((\d+)\)::before \{ content: "([^"]+): ";', _CSS):
    CSS_LABELS.setdefault(_selector, {})[int(_column)] = _label


def _css_labels(classes: list[str]) -> dict[int, str] | None:
    """The labels publisher.css draws for a table with these classes, if it draws them."""
    if "pub-recommendations--no-inspection" in classes:
        return CSS_LABELS["table.pub-recommendations--no-inspection"]
    if "pub-recommendations" in classes and "pub-slipped" not in classes:
        return CSS_LABELS["table.pub-recommendations:not(.pub-slipped, .pub-recommendations--no-inspection)"]
    for name in ("pub-guide-files", "pub-guide-fields"):
        if name in classes:
            return CSS_LABELS[f"table.{name}"]
    return None


def test_the_labels_drawn_by_column_are_those_of_the_tables_that_use_them():
    assert set(CSS_LABELS) == {
        "table.pub-recommendations:not(.pub-slipped, .pub-recommendations--no-inspection)",
        "table.pub-recommendations--no-inspection", "table.pub-guide-files", "table.pub-guide-fields",
    }
    assert CSS_LABELS["table.pub-recommendations--no-inspection"] == {1: "Recommendation", 2: "Status", 3: "Evidence", 4: "Due"}


@pytest.mark.slow
def test_every_cell_of_every_table_is_labelled_with_its_column_heading(built_site):
    checked = 0
    problems = []
    for page in sorted(built_site.rglob("*.html")):
        rel = page.relative_to(built_site).as_posix()
        for table in _tables(page):
            headings = [_text(h) for h in table["headings"]]
            assert headings and all(headings), (rel, headings)
            if "pub-table--narrow" in table["classes"]:
                # Two short columns fit the narrowest phone and stay a table.
                assert len(headings) == 2, (rel, headings)
            drawn = _css_labels(table["classes"])
            if drawn is not None:
                # Labelled by column in publisher.css: the cells carry none of their own.
                if [drawn.get(n) for n in range(1, len(headings) + 1)] != headings:
                    problems.append(f"{rel}: publisher.css labels {drawn} for the columns {headings}")
                assert not any("data-label" in cell["attrs"] for row in table["rows"] for cell in row), rel
                checked += sum(len(row) for row in table["rows"])
                continue
            for row in table["rows"]:
                assert len(row) == len(headings), (rel, headings, [_text(c) for c in row])
                for heading, cell in zip(headings, row):
                    label = cell["attrs"].get("data-label")
                    row_header = cell["tag"] == "th" and cell["attrs"].get("scope") == "row"
                    if label is None and row_header:
                        continue  # names its row ("In all"); a card shows it as its title
                    if label != heading:
                        problems.append(f"{rel}: a cell under {heading!r} is labelled {label!r}")
                    checked += 1
    assert not problems, "\n".join(problems[:20])
    assert checked > 1000  # every page type's tables were read


@pytest.mark.slow
def test_the_status_and_the_due_date_come_first_on_a_card(built_site):
    """Marked as key (pub-key): on a phone they lead each card (publisher.css; in the
    recommendations tables, by column, which the browser tests check on screen)."""
    keys = {"Status", "Due", "Due now", "New status", "Date", "New due date"}
    seen = set()
    for page in [built_site / "index.html", built_site / "recommendations" / "index.html",
                 built_site / "recommendations" / "2023-jcc-afi-4" / "index.html", built_site / "inspections" / "2023-jcc" / "index.html"]:
        for table in _tables(page):
            if _css_labels(table["classes"]) is not None:
                continue
            for row in table["rows"]:
                for cell in row:
                    label = cell["attrs"].get("data-label")
                    is_key = "pub-key" in (cell["attrs"].get("class") or "").split()
                    if label in ("Status", "Due", "Due now", "New status"):
                        assert is_key, (page, label)
                        seen.add(label)
                    elif is_key:
                        assert label in keys, (page, label)
    assert {"Status", "New status"} <= seen


@pytest.mark.slow
def test_the_plan_s_key_areas_are_headings_not_bold_paragraphs(built_site):
    for page in [built_site / "plan" / "index.html", *sorted((built_site / "plans").glob("*/index.html"))]:
        text = page.read_text(encoding="utf-8")
        article = text[text.index("<article"):text.index("</article>")]
        assert not re.search(r"<p><strong>[^<]*</strong></p>", article), page
    text = (built_site / "plan" / "index.html").read_text(encoding="utf-8")
    areas = re.findall(r'<h3 id="([^"]+)">([^<]+)<a class="headerlink"', text)
    assert [a for a, _ in areas][:5] == ["workforce", "child-and-family-journey", "early-help-and-prevention", "placements", "performance-quality-and-risk"]
    # They are in the page's table of contents, under "Key areas".
    toc = text[text.index('data-md-component="toc"'):]
    assert '<a href="#workforce" class="md-nav__link">' in toc


@pytest.mark.slow
def test_every_label_names_a_control_that_is_on_its_page(built_site):
    """Material titles the table of contents with `<label for="__toc">`, for a checkbox only
    pages in the navigation have (site_overrides/partials/toc.html writes a <div> on the
    others): a label for nothing is announced as a label of nothing."""
    problems, labels = [], 0
    for page in sorted(built_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        ids = set(re.findall(r'\sid="([^"]+)"', text))
        for target in re.findall(r'<label\b[^>]*\sfor="([^"]+)"', text):
            labels += 1
            if target not in ids:
                problems.append(f"{page.relative_to(built_site).as_posix()}: label for {target!r}")
    assert not problems, "\n".join(problems[:20])
    assert labels > 400  # the search box's and the drawer's, on every page
