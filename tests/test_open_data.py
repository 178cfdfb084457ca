"""The open data: CSV and JSON for every table, and a Frictionless Data Package that validates."""

import csv
import io
import json
import shutil

import frictionless
import pytest

import sys

from support import MINIMAL, copy_project, publisher, run
from publisher import exports, update_rows

pytestmark = pytest.mark.slow

TABLES = ["inspections", "findings", "recommendations", "updates", "sources", "themes"]
SITE_URL = "https://jersey-childrens-social-care.example/"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("data-project"), MINIMAL)
    result = publisher("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def _rows(site, table):
    return list(csv.DictReader(io.StringIO((site / "data" / f"{table}.csv").read_text(encoding="utf-8"))))


def _report(package):
    """The report, and its errors as (resource, row, field, error type, note)."""
    report = frictionless.validate(str(package))
    errors = [(task.name, *row) for task in report.tasks for row in task.flatten(["rowNumber", "fieldName", "type", "note"])]
    return report, errors + [(None, *row) for row in report.flatten(["rowNumber", "fieldName", "type", "note"]) if not report.tasks]


def test_the_data_package_of_the_real_content_validates(built_site):
    report, errors = _report(built_site / "data" / "datapackage.json")
    assert report.valid, errors
    package = json.loads((built_site / "data" / "datapackage.json").read_text())
    names = [r["name"] for r in package["resources"]]
    assert names == TABLES + [f"{t}-json" for t in TABLES]
    assert package["licenses"][0]["name"] == "CC-BY-4.0"


def test_the_schemas_carry_types_enums_and_foreign_keys(built_site):
    package = json.loads((built_site / "data" / "datapackage.json").read_text())
    recommendations = next(r for r in package["resources"] if r["name"] == "recommendations")
    fields = {f["name"]: f for f in recommendations["schema"]["fields"]}
    assert fields["status"]["constraints"]["enum"] == ["no-evidence", "not-started", "in-progress", "partly-met", "met", "not-met", "superseded"]
    assert fields["overdue"]["type"] == "boolean" and fields["next_update_due"]["type"] == "date"
    assert {"fields": ["inspection"], "reference": {"resource": "inspections", "fields": ["id"]}} in recommendations["schema"]["foreignKeys"]
    assert recommendations["schema"]["primaryKey"] == ["id"]


def test_every_record_carries_its_permanent_url_which_resolves(built_site):
    for table in TABLES:
        for row in _rows(built_site, table):
            assert row["url"].startswith(SITE_URL), row
            path, _, anchor = row["url"][len(SITE_URL):].partition("#")
            page = built_site / path / "index.html"
            assert page.is_file(), row["url"]
            if anchor:
                assert f'id="{anchor}"' in page.read_text(), row["url"]
        records = json.loads((built_site / "data" / f"{table}.json").read_text())
        assert [r["url"] for r in records] == [r["url"] for r in _rows(built_site, table)]


def test_the_updates_table_has_the_spreadsheet_import_columns(built_site):
    header = (built_site / "data" / "updates.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == update_rows.COLUMNS
    assert [c.name for c in next(t for t in exports.TABLES if t.name == "updates").columns] == update_rows.COLUMNS


def test_json_gives_lists_numbers_and_booleans(fixture_site):
    recs = {r["id"]: r for r in json.loads((fixture_site / "data" / "recommendations.json").read_text())}
    rec = recs["2023-example-afi-1"]
    assert rec["themes"] == ["workforce"] and rec["overdue"] is True and rec["due_now_end"] == "2025-06-30"
    assert rec["status"] == "in-progress" and rec["evidence"] == "self-reported"
    assert recs["2019-example-r1"]["follows"] == []
    csv_rec = next(r for r in _rows(fixture_site, "recommendations") if r["id"] == "2023-example-afi-1")
    assert csv_rec["overdue"] == "true" and csv_rec["due"] == "2024-12" and csv_rec["due_start"] == "2024-12-01"


def test_drafts_and_embargoed_updates_are_never_in_the_data(fixture_site):
    for path in (fixture_site / "data").iterdir():
        assert "2024-06-30-draft" not in path.read_text(encoding="utf-8"), path
        assert "A draft not yet published" not in path.read_text(encoding="utf-8"), path
    # The draft would have moved 2023-example-afi-1 to partly-met: the data shows the public status.
    rec = next(r for r in _rows(fixture_site, "recommendations") if r["id"] == "2023-example-afi-1")
    assert rec["status"] == "in-progress"


def test_the_preview_data_leaves_drafts_out_too(tmp_path):
    project = copy_project(tmp_path / "project", MINIMAL)
    out = tmp_path / "preview"  # `publisher build` never previews: run MkDocs as `publisher serve` does
    result = run(sys.executable, "-m", "mkdocs", "build", "--site-dir", str(out), cwd=project, env={"PUBLISHER_PREVIEW": "1"})
    assert result.returncode == 0, result.stderr
    assert (out / "updates" / "2024-06-30-draft" / "index.html").is_file()  # the preview shows the draft...
    assert "2024-06-30-draft" not in (out / "data" / "updates.csv").read_text()  # ...but never in the data


def test_the_validation_catches_a_bad_status_and_a_broken_foreign_key(fixture_site, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(fixture_site / "data", data)
    package = json.loads((data / "datapackage.json").read_text())
    for resource in package["resources"]:
        resource.pop("hash", None), resource.pop("bytes", None)  # the edits below change them
    (data / "datapackage.json").write_text(json.dumps(package))
    assert _report(data / "datapackage.json")[0].valid

    recs = (data / "recommendations.csv").read_text().replace(",in-progress,", ",in-hand,")
    (data / "recommendations.csv").write_text(recs)
    report, errors = _report(data / "datapackage.json")
    assert not report.valid and any(e[0] == "recommendations" and e[2] == "status" and e[3] == "constraint-error" for e in errors)

    (data / "recommendations.csv").write_text(recs.replace(",in-hand,", ",in-progress,").replace(",2023-example,", ",2023-nowhere,"))
    report, errors = _report(data / "datapackage.json")
    assert not report.valid and any(e[3] == "foreign-key" for e in errors), errors


def test_the_data_page_lists_the_files_and_describes_the_dataset_in_json_ld(built_site):
    html = (built_site / "data" / "index.html").read_text()
    for table in TABLES:
        assert f'href="{table}.csv"' in html and f'href="{table}.json"' in html
    # The page's head describes the page (a CreativeWork about the Dataset, as on every
    # citable page); its body describes the Dataset itself.
    blocks = [json.loads(part.split("</script>", 1)[0]) for part in html.split('<script type="application/ld+json">')[1:]]
    (dataset,) = [block for block in blocks if block["@type"] == "Dataset"]
    assert dataset["@type"] == "Dataset" and dataset["url"] == SITE_URL + "data/"
    (page,) = [block for block in blocks if block["@type"] == "CreativeWork"]
    assert page["about"]["@id"] == dataset["url"]
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert {d["contentUrl"] for d in dataset["distribution"]} >= {SITE_URL + "data/recommendations.csv", SITE_URL + "data/datapackage.json"}
    assert dataset["creator"]["name"] == "Jersey children's social care tracker"


# --------------------------------------------------------------------------- a preview's rows


def _cell(column, draw):
    """A value such as the tables hold in this column: text with quotes, line breaks and
    separators, whole numbers, yes/no, dates, lists of text, or nothing."""
    from datetime import date

    from hypothesis import strategies as st

    text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
    if column.many:
        return draw(st.lists(text, max_size=3))
    kinds = {"integer": st.integers(-5, 10**6), "boolean": st.booleans(), "date": st.dates(date(1990, 1, 1), date(2030, 1, 1))}
    return draw(st.one_of(st.none(), kinds.get(column.type, text)))


@pytest.mark.parametrize("table", exports.TABLES, ids=lambda t: t.name)
def test_a_preview_writes_each_table_as_a_build_does_rows_it_remembers_and_rows_it_does_not(table):
    """`to_csv` and `to_json` with a memo (a preview's, which keeps each row's text from one
    refresh to the next) give the bytes they give without one, after rows change, come
    and go."""
    from hypothesis import given, settings, strategies as st

    rows_strategy = st.lists(st.composite(lambda draw: {c.name: _cell(c, draw) for c in table.columns})(), max_size=6)

    @settings(max_examples=60, deadline=None)
    @given(rows_strategy, rows_strategy)
    def check(first, second):
        memo: dict = {}
        for rows in (first, second, first + second, second[:1] + first):
            assert exports.to_csv(table, rows, memo) == exports.to_csv(table, rows)
            assert exports.to_json(table, rows, memo) == exports.to_json(table, rows)
        assert memo or not (first or second)

    check()
