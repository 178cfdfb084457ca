"""`publisher import updates`: spreadsheet rows to update files, all or none, and the open-data round trip."""

import csv
import hashlib
import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import MINIMAL, ROOT, publisher
from publisher.content import load_content
from publisher.importer import import_updates, read_rows
from publisher.model import Update
from publisher.problems import ContentError
from publisher.update_files import file_text
from publisher.update_rows import COLUMNS, update_to_row
from publisher.vocabulary import EvidenceKind, Status

HEADINGS = "date,recommendation,status,evidence,source,title,summary\n"
GOOD = "2024-03-31,2023-example-afi-1,partly-met,self-reported,news-2024 (Second paragraph),Recruitment under way,The service says it has recruited staff.\n"


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _import(content_dir: Path, text: str | bytes, *args: str, name: str = "updates.csv"):
    sheet = content_dir.parent / name
    sheet.write_bytes(text.encode() if isinstance(text, str) else text)
    return publisher("import", "updates", name, "--content", str(content_dir), *args, cwd=content_dir.parent)


def _export(content_dir: Path) -> str:
    """The open-data updates.csv, made the way the open-data export makes it."""
    content = load_content(content_dir)
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    for update_id, update in content.updates.items():
        if not update.draft:
            writer.writerow(update_to_row(update_id, update, content.bodies[update_id], url=f"https://example.org/updates/{update_id}/"))
    return out.getvalue()


# --------------------------------------------------------------------------- a spreadsheet written by hand


def test_a_hand_written_spreadsheet_becomes_update_files(minimal_content):
    result = _import(minimal_content, HEADINGS + GOOD)
    assert result.returncode == 0, result.stderr
    assert "Wrote content/updates/2024-03-31-recruitment-under-way.md (new)" in result.stdout
    assert "1 new, 0 replaced, 0 unchanged." in result.stdout
    content = load_content(minimal_content)
    update = content.updates["2024-03-31-recruitment-under-way"]
    assert update.status is Status.PARTLY_MET and update.evidence is EvidenceKind.SELF_REPORTED
    assert update.recommendations == ["2023-example-afi-1"] and update.summary is None
    assert content.bodies["2024-03-31-recruitment-under-way"] == "The service says it has recruited staff."


def test_a_csv_with_one_bad_row_writes_nothing_and_names_the_row_and_column(minimal_content):
    before = _tree(minimal_content)
    bad = "2024-04-30,2023-example-afi-1,complete,self-reported,news-2024 (p. 2),Another,Text.\n"
    result = _import(minimal_content, HEADINGS + GOOD + bad + GOOD.replace("Recruitment", "More recruitment"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "updates.csv:3: row 3, column 'status': 'complete' is not a valid status (use one of: no-evidence," in result.stderr
    assert result.stderr.rstrip().endswith("1 problem found; nothing was imported.")
    assert _tree(minimal_content) == before


def test_every_bad_row_and_column_is_reported_in_one_run(minimal_content):
    rows = [
        "31/03/2024,2023-example-afi1,in-progress,self-reported,news-2024 (p. 1),One,Text.",
        "2024-04-30,2019-example-r1,met,inspection,news-2042 (p. 1),Two,Text.",
        "2024-05-31,2019-example-r1,met,media,news-2024 (p. 1),,<b>Text</b>",
        "2024-06-30,,met,media,,Four,",
    ]
    result = _import(minimal_content, HEADINGS + "\n".join(rows) + "\n")
    err = result.stderr
    assert result.returncode == 1
    assert "row 2, column 'date': '31/03/2024' is not written the way this site reads dates; did you mean 2024-03-31?" in err and "format the column as Text" in err
    assert "row 2, column 'recommendation': unknown recommendation id '2023-example-afi1' (did you mean '2023-example-afi-1'" in err
    assert "row 3, column 'evidence': 'inspection' is not a valid evidence" in err
    assert "row 3, column 'source': unknown source id 'news-2042' (did you mean 'news-2024'?" in err
    assert "row 4, column 'title': the cell is empty (fill in the cell: a headline for the update" in err
    assert "row 4, column 'summary': line 1 of the text: raw HTML ('<b>') is not allowed" in err
    assert "row 5, column 'recommendation': the cell is empty" in err and "row 5, column 'source': the cell is empty" in err
    assert "row 5, column 'summary': the update has no text" in err
    assert "9 problems found; nothing was imported." in err


def test_a_source_cell_without_the_place_in_the_document_is_refused_with_the_form_to_use(minimal_content):
    row = GOOD.replace("news-2024 (Second paragraph)", "news-2024")
    result = _import(minimal_content, HEADINGS + row)
    assert result.returncode == 1
    assert "row 2, column 'source': 'news-2024' does not say where in the document the evidence is" in result.stderr
    assert "'news-2024 (a heading, page or paragraph)'" in result.stderr


def test_a_quoted_passage_in_the_source_cell_is_kept(minimal_content):
    row = GOOD.replace("news-2024 (Second paragraph)", '"news-2024 (Second paragraph; line 3) ""recruited twelve staff"""')
    assert _import(minimal_content, HEADINGS + row).returncode == 0
    [citation] = load_content(minimal_content).updates["2024-03-31-recruitment-under-way"].sources
    assert (citation.section, citation.quote) == ("Second paragraph; line 3", "recruited twelve staff")


def test_rows_are_numbered_as_the_spreadsheet_shows_them_and_lines_as_the_file_has_them(minimal_content):
    multi_line = '2024-03-31,2023-example-afi-1,met,media,news-2024 (p. 1),First,"Two\n\nparagraphs."\n'
    bad = "2024-04-30,2023-example-afi-1,done,media,news-2024 (p. 1),Second,Text.\n"
    result = _import(minimal_content, HEADINGS + multi_line + "\n" + bad)
    assert "updates.csv:6: row 4, column 'status': 'done' is not a valid status" in result.stderr


def test_headings_are_checked_first(minimal_content):
    result = _import(minimal_content, "date,recomendation,status,evidence,sources,title,summary,notes\n" + GOOD)
    assert result.returncode == 1
    assert "updates.csv:1: row 1: unknown column 'recomendation' (did you mean 'recommendation'" in result.stderr
    assert "updates.csv:1: row 1: unknown column 'notes'" in result.stderr
    assert "row 1: there is no 'recommendation' column" in result.stderr


def test_two_rows_that_would_be_the_same_file_are_refused(minimal_content):
    result = _import(minimal_content, HEADINGS + GOOD + GOOD)
    assert result.returncode == 1
    assert "row 3, column 'title': row 2 has the same date and title" in result.stderr


def test_spreadsheet_exports_with_a_bom_crlf_semicolons_and_capitalised_headings_are_read(minimal_content):
    text = ("\ufeff" + HEADINGS.title().replace(",", ";") + GOOD.replace(",", ";")).replace("\n", "\r\n")
    result = _import(minimal_content, text.encode("utf-8"))
    assert result.returncode == 0, result.stderr
    assert "2024-03-31-recruitment-under-way" in load_content(minimal_content).updates


def test_a_file_that_is_not_utf8_says_how_to_save_it(minimal_content):
    result = _import(minimal_content, (HEADINGS + GOOD.replace("staff", "staff £")).encode("cp1252"))
    assert result.returncode == 1 and "save the file as 'CSV UTF-8'" in result.stderr


def test_importing_the_same_file_twice_changes_nothing(minimal_content):
    assert _import(minimal_content, HEADINGS + GOOD).returncode == 0
    before = _tree(minimal_content)
    again = _import(minimal_content, HEADINGS + GOOD)
    assert again.returncode == 0 and "0 new, 0 replaced, 1 unchanged." in again.stdout
    assert _tree(minimal_content) == before


def test_a_changed_row_is_refused_unless_replace_is_asked_for(minimal_content):
    assert _import(minimal_content, HEADINGS + GOOD).returncode == 0
    changed = HEADINGS + GOOD.replace("partly-met", "met")
    refused = _import(minimal_content, changed)
    assert refused.returncode == 1
    assert "row 2: content/updates/2024-03-31-recruitment-under-way.md already exists and says something different (run again with --replace" in refused.stderr
    dry = _import(minimal_content, changed, "--replace", "--dry-run")
    assert "Would write content/updates/2024-03-31-recruitment-under-way.md (replaced)" in dry.stdout
    assert load_content(minimal_content).updates["2024-03-31-recruitment-under-way"].status is Status.PARTLY_MET
    assert _import(minimal_content, changed, "--replace").returncode == 0
    assert load_content(minimal_content).updates["2024-03-31-recruitment-under-way"].status is Status.MET


def test_a_dry_run_writes_nothing(minimal_content):
    before = _tree(minimal_content)
    result = _import(minimal_content, HEADINGS + GOOD, "--dry-run")
    assert result.returncode == 0 and "1 new, 0 replaced, 0 unchanged (a dry run: nothing was written)." in result.stdout
    assert _tree(minimal_content) == before


def test_broken_content_is_reported_before_any_row(minimal_content):
    (minimal_content / "themes.yml").write_text("- id: Bad Id\n")
    with pytest.raises(ContentError, match="not a valid id"):
        import_updates(Path(minimal_content.parent / "x.csv"), minimal_content)


# --------------------------------------------------------------------------- the open-data round trip


def test_the_open_data_csv_imports_back_as_the_same_updates(minimal_content, tmp_path):
    exported = _export(minimal_content)
    fresh = tmp_path / "fresh" / "content"
    shutil.copytree(minimal_content, fresh)
    for path in (fresh / "updates").glob("*.md"):
        path.unlink()
    result = _import(fresh, exported)
    assert result.returncode == 0, result.stderr
    original, imported = load_content(minimal_content), load_content(fresh)
    public = {i for i, u in original.updates.items() if not u.draft}
    assert set(imported.updates) == public
    for update_id in public:
        assert imported.updates[update_id] == original.updates[update_id]
        assert imported.bodies[update_id] == original.bodies[update_id]


def test_importing_the_open_data_over_the_content_it_came_from_changes_nothing(tmp_path):
    content = tmp_path / "project" / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("pages"))
    before = _tree(content)
    result = _import(content, _export(content))
    assert result.returncode == 0, result.stderr
    assert f"0 new, 0 replaced, {len(list((content / 'updates').glob('*.md')))} unchanged." in result.stdout
    assert _tree(content) == before


def test_the_real_content_round_trips_through_the_csv(tmp_path):
    content = tmp_path / "project" / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("pages"))
    original = load_content(content)
    exported = _export(content)
    for path in (content / "updates").glob("*.md"):
        path.unlink()
    assert _import(content, exported).returncode == 0
    again = load_content(content)
    assert again.updates == original.updates and again.bodies == original.bodies


# --------------------------------------------------------------------------- properties

_line = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60).map(str.strip).filter(
    lambda t: t and "<" not in t and "`" not in t and "[" not in t
)
_paragraphs = st.lists(_line, min_size=1, max_size=3).map("\n\n".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_line, summary=st.none() | _line, body=_paragraphs, section=_line.filter(lambda t: ")" not in t and "(" not in t), quote=st.none() | _line)
def test_any_update_survives_the_file_and_the_csv(minimal_content, title, summary, body, section, quote):
    """Titles, sections, quoted passages and text with quotes, semicolons, colons, hashes
    and any script are written and read back unchanged, both as a file and as a CSV row."""
    content = load_content(minimal_content)
    source = {"source": "news-2024", "section": section, **({"quote": quote} if quote else {})}
    update = Update.model_validate({
        "title": title, "date": "2024-03", "recommendations": ["2019-example-r1"], "status": "met",
        "evidence": "media", "sources": [source], "summary": summary, "publish_on": "2024-04-01",
    })
    path = minimal_content / "updates" / "2024-03-property.md"
    path.write_text(file_text(update, body), encoding="utf-8")
    try:
        loaded = load_content(minimal_content)
    finally:
        path.unlink()
    assert loaded.updates["2024-03-property"] == update and loaded.bodies["2024-03-property"] == body.strip("\n")

    sheet = minimal_content.parent / "property.csv"
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    writer.writerow(update_to_row("2024-03-property", update, body))
    sheet.write_text(out.getvalue(), encoding="utf-8")
    [row] = read_rows(sheet, content)
    assert row.update_id == "2024-03-property" and row.update == update and row.body.strip("\n") == body.strip("\n")


def test_a_draft_column_imports_drafts_and_is_checked(minimal_content):
    headings = HEADINGS.rstrip("\n") + ",draft\n"
    bad = _import(minimal_content, headings + GOOD.rstrip("\n") + ",perhaps\n")
    assert bad.returncode == 1 and "row 2, column 'draft': 'draft' must be true or false" in bad.stderr
    assert _import(minimal_content, headings + GOOD.rstrip("\n") + ",true\n").returncode == 0
    assert load_content(minimal_content).updates["2024-03-31-recruitment-under-way"].draft is True
