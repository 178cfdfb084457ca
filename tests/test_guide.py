"""The content guide describes each field as the validator sees it."""

from publisher import guide


def _kinds(record_name: str) -> dict[str, str]:
    record = next(r for r in guide.records() if r.name == record_name)
    return {f.name: f.kind for f in record.fields}


def test_field_kinds_are_named_for_authors():
    kinds = _kinds("Recommendation")
    assert kinds["id"] == "id"
    assert kinds["title"] == "text (one line)"
    assert kinds["text"] == "Markdown text"
    assert kinds["themes"] == "list of ids"
    assert kinds["sources"] == "list of citations"
    assert kinds["revised_due"] == "list of groups of fields (revision)"
    assert _kinds("Source")["url"] == "web address (https://...)"
    assert _kinds("Source")["date"] == "date, or 'not stated'"
    assert _kinds("Update")["publish_on"] == "day (YYYY-MM-DD)"
    assert _kinds("Governance body")["members"] == "list of lines of text"


def test_every_field_of_every_record_is_described():
    for record in guide.records():
        for field in record.fields:
            assert field.description, f"{record.name}.{field.name} has no description"
            assert field.kind != "text", f"{record.name}.{field.name} is described only as 'text'"
