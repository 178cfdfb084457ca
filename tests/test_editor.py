"""The browser editor's server side: its configuration made from the model, the local-folder
protocol it answers, the files it writes, and that a public build ships none of it."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from support import ROOT, TODAY, copy_project, publisher
from publisher import scaffold
from publisher.content import load_content
from publisher.editor import layout
from publisher.editor.backend import LocalBackend, Refused
from publisher.editor.config import FILE_NAME_FIELD, SOURCES_KEY, Choices, decap_config, source_fields, update_fields
from publisher.editor.server import Editor
from publisher.model import Source, Update
from publisher.problems import ContentError
from publisher.reader import split_front_matter
from publisher.vocabulary import EvidenceKind, SourceKind, Status

ADDRESS = "127.0.0.1:8000"


@pytest.fixture(scope="module")
def jersey():
    """The real content, and what the editor offers from it."""
    content = load_content(ROOT / "content")
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "content" / "sources").glob("*.yml"))
    return content, Choices.of(content, files)


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def _by_name(fields: list[dict]) -> dict[str, dict]:
    return {field["name"]: field for field in fields}


def _values(field: dict) -> list[str]:
    return [option["value"] for option in field["options"]]


# --------------------------------------------------------------------------- the configuration


def test_every_update_field_has_a_widget_in_the_order_new_update_writes(jersey):
    fields = update_fields(jersey[1])
    assert [f["name"] for f in fields] == [*Update.model_fields, "body"]
    for field in fields[:-1]:
        info = Update.model_fields[field["name"]]
        assert field["hint"].startswith(info.description)  # the content guide's words, first
        assert field["required"] == info.is_required()
    assert fields[-1]["widget"] == "markdown"


def test_every_source_field_has_a_widget(jersey):
    fields = source_fields()
    assert [f["name"] for f in fields] == list(Source.model_fields)
    assert all(f["hint"].startswith(Source.model_fields[f["name"]].description) for f in fields)


def test_the_choice_lists_are_the_vocabularies_with_their_plain_english_labels(jersey):
    fields = _by_name(update_fields(jersey[1]))
    assert fields["status"]["options"] == [{"label": s.label, "value": s.value} for s in Status]
    assert fields["evidence"]["options"] == [{"label": e.label, "value": e.value} for e in EvidenceKind]
    assert fields["evidence"]["default"] == scaffold.DEFAULT_EVIDENCE.value
    assert _values(_by_name(source_fields())["kind"]) == SourceKind.values()


def test_the_choice_lists_are_every_id_the_content_holds_with_its_title(jersey):
    content, choices = jersey
    fields = _by_name(update_fields(choices))
    recommendations = fields["recommendations"]
    assert _values(recommendations) == list(content.recommendations)
    assert recommendations["multiple"] is True and recommendations["min"] == 1
    afi4 = next(o for o in recommendations["options"] if o["value"] == "2023-jcc-afi-4")
    assert afi4["label"] == f"2023-jcc-afi-4 — {content.recommendations['2023-jcc-afi-4'].title}"
    assert _values(fields["findings"]) == list(content.findings)
    source = _by_name(fields["sources"]["fields"])["source"]
    assert _values(source) == list(content.sources)


def test_the_sources_collection_has_a_form_for_every_sources_file(jersey):
    config = decap_config(jersey[1], site_url="http://127.0.0.1:8000/")
    sources = next(c for c in config["collections"] if c["name"] == "sources")
    assert [f["file"] for f in sources["files"]] == jersey[1].source_files
    assert all(f["fields"][0]["name"] == SOURCES_KEY and f["fields"][0]["widget"] == "list" for f in sources["files"])


def test_the_editor_talks_only_to_the_preview_server(jersey):
    config = decap_config(jersey[1], site_url="http://127.0.0.1:8000/")
    assert config["backend"] == {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"}
    updates = config["collections"][0]
    assert updates["folder"] == "content/updates" and updates["slug"] == "{{fields.%s}}" % FILE_NAME_FIELD


def test_the_date_defaults_to_today_as_new_update_does(jersey):
    fields = _by_name(update_fields(jersey[1], today=date(2026, 11, 25)))
    assert fields["date"]["default"] == "2026-11-25"


# --------------------------------------------------------------------------- round trip with `new update`


def _as_decap_writes(text: str) -> str:
    """A file as Decap CMS would send it back: every field in the form's order, the ones it
    leaves empty included, its own YAML style, the file-name field, no trailing newline."""
    parsed = split_front_matter(text, "update")
    data = dict(parsed.meta.data)
    data["sources"] = [{"source": c} if isinstance(c, str) else c for c in data["sources"]]
    form = {}
    for name in Update.model_fields:
        form[name] = data.get(name, {"draft": False, "findings": []}.get(name, ""))
    form[FILE_NAME_FIELD] = "ignored"
    return "---\n" + yaml.safe_dump(form, sort_keys=False, allow_unicode=True) + "---\n" + parsed.body.rstrip("\n")


@pytest.mark.parametrize("extra", [
    [],
    ["--finding", "2023-jcc-f03", "--summary", "Still short of permanent staff.", "--draft", "--publish-on", "2026-12-01"],
])
def test_a_file_written_by_new_update_loads_in_the_form_and_comes_back_unchanged(project, jersey, extra):
    result = publisher(
        "new", "update", "--title", "Workforce: a new campaign & £2m budget", "--date", "2024-05-07",
        "--recommendation", "2023-jcc-afi-4", "--status", "in-progress",
        "--source", 'statesassembly-p21-2024-amd2 (Page 1) "continue with the reform"', *extra, cwd=project,
    )
    assert result.returncode == 0, result.stderr
    written = next((project / "content" / "updates").glob("2024-05-07-*.md"))
    text = written.read_text(encoding="utf-8")
    fields = _by_name(update_fields(jersey[1]))
    meta = split_front_matter(text, "x").meta.data
    assert set(meta) <= set(fields)  # every field it writes is in the form
    for name in ("recommendations", "findings"):
        assert set(meta.get(name, [])) <= set(_values(fields[name]))
    assert meta["status"] in _values(fields["status"]) and meta["evidence"] in _values(fields["evidence"])
    assert layout.update_file(_as_decap_writes(text)) == text  # and back, byte for byte


def test_the_editor_names_a_new_update_as_new_update_does(project):
    editor = Editor(project, ADDRESS)
    title = "Inspectors' follow-up: workforce & training £ plans"
    first = _get_json(editor.admin, "/admin/update-id", f"date=2024-05-07&title={title.replace('&', '%26')}")
    made = scaffold.create(
        load_content(project / "content", unfinished_ok=True),
        scaffold.Request(title=title, date="2024-05-07", recommendations=("2023-jcc-afi-4",), status="in-progress",
                         sources=("statesassembly-p21-2024-amd2 (Page 1)",)),
        date.fromisoformat(TODAY),
    )
    assert first["id"] == made.update_id == "2024-05-07-inspectors-follow-up-workforce-and-training-plans"
    again = _get_json(editor.admin, "/admin/update-id", f"date=2024-05-07&title={title.replace('&', '%26')}")
    assert again["id"] == made.update_id + "-2"  # taken now: the next free name, as new update does


def test_a_mistake_is_written_as_sent_in_the_form_order_for_the_preview_to_report():
    raw = "---\nstatus: finished-ish\ntitle: A title\ndate: '2023-02-30'\ndate_note: ''\ndraft: false\n---\nText"
    assert layout.update_file(raw) == "---\ntitle: A title\ndate: 2023-02-30\nstatus: finished-ish\n---\nText\n"


# --------------------------------------------------------------------------- sources files


def test_an_unchanged_sources_file_is_written_back_byte_for_byte(project):
    for path in sorted((project / "content" / "sources").glob("*.yml")):
        original = path.read_text(encoding="utf-8")
        shown = layout.sources_for_editor(original)
        edited = yaml.safe_dump(yaml.safe_load(shown), sort_keys=False, allow_unicode=True)  # Decap's own style
        assert layout.sources_file(edited, original) == original, path.name


def test_a_new_source_added_in_the_form_is_appended_and_loads(project):
    path = project / "content" / "sources" / "jcc-2023.yml"
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(layout.sources_for_editor(original))
    data[SOURCES_KEY].append({
        "id": "govje-2026-workforce-update", "title": "Workforce update", "publisher": "Government of Jersey",
        "kind": "government-publication", "date": "2026-10", "url": "https://www.gov.je/workforce",
        "not_online": "", "read_at": "", "notes": "",
    })
    backend = LocalBackend(project)
    backend.handle("persistEntry", {"dataFiles": [{"path": "content/sources/jcc-2023.yml", "raw": yaml.safe_dump(data, sort_keys=False), "slug": "x"}], "assets": []})
    written = path.read_text(encoding="utf-8")
    assert written.startswith(original.rstrip("\n") + "\n")
    assert written.endswith(
        "\n\n- id: govje-2026-workforce-update\n  title: Workforce update\n  publisher: Government of Jersey\n"
        "  kind: government-publication\n  date: 2026-10\n  url: https://www.gov.je/workforce\n"
    )
    assert "govje-2026-workforce-update" in load_content(project / "content").sources


# --------------------------------------------------------------------------- the protocol


def test_the_protocol_lists_reads_and_writes_content(project):
    backend = LocalBackend(project)
    assert backend.handle("info", {}) == {"repo": "project", "publish_modes": ["simple"], "type": "local_fs"}
    entries = backend.handle("entriesByFolder", {"folder": "content/updates", "extension": "md", "depth": 1})
    names = sorted(p.name for p in (project / "content" / "updates").glob("*.md"))
    assert sorted(e["file"]["path"].rsplit("/", 1)[1] for e in entries) == names
    import hashlib

    first = entries[0]
    assert first["file"]["id"] == hashlib.sha256(first["data"].encode()).hexdigest()
    assert backend.handle("getEntry", {"path": first["file"]["path"]}) == first
    missing = backend.handle("entriesByFiles", {"files": [{"path": "content/updates/none.md", "label": "x"}]})
    assert missing == [{"data": None, "file": {"path": "content/updates/none.md", "label": "x", "id": None}}]
    assert backend.handle("getDeployPreview", {}) is None
    with pytest.raises(LookupError):
        backend.handle("publishUnpublishedEntry", {})


@pytest.mark.parametrize("path", ["mkdocs.yml", "content/../mkdocs.yml", "/etc/passwd", "hooks/publisher_hooks.py", "content/updates/.hidden.md", "content/link/x.md"])
def test_nothing_outside_the_content_folder_can_be_read_or_written(project, path):
    (project / "content" / "link").symlink_to(project / "hooks")
    backend = LocalBackend(project)
    with pytest.raises(Refused):
        backend.resolve(path)
    with pytest.raises(Refused):
        backend.handle("persistEntry", {"dataFiles": [{"path": path, "raw": "x", "slug": "x"}], "assets": []})
    with pytest.raises(Refused):
        backend.handle("deleteFile", {"path": path})
    assert backend.handle("getEntry", {"path": path})["data"] is None
    assert (project / "mkdocs.yml").read_text() == (ROOT / "mkdocs.yml").read_text()


def test_images_cannot_be_uploaded(project):
    backend = LocalBackend(project)
    with pytest.raises(Refused):
        backend.handle("persistMedia", {"asset": {"path": "content/media/x.png", "content": "", "encoding": "base64"}})
    assert not (project / "content" / "media").exists()


def _call(app, path: str, *, method="GET", body: bytes = b"", query: str = "", **headers):
    answer = {}
    environ = {
        "PATH_INFO": path, "REQUEST_METHOD": method, "QUERY_STRING": query, "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)), "HTTP_HOST": ADDRESS, **headers,
    }
    chunks = app(environ, lambda status, header_list: answer.update(status=status, headers=dict(header_list)))
    return answer.get("status"), (b"".join(chunks) if chunks is not None else None)


def _get_json(app, path: str, query: str = ""):
    status, body = _call(app, path, query=query)
    assert status == "200 OK"
    return json.loads(body)


def test_the_api_answers_only_json_from_its_own_page(project):
    editor = Editor(project, ADDRESS)
    info = json.dumps({"action": "info"}).encode()
    assert _call(editor.api, "/api/v1", method="POST", body=info, CONTENT_TYPE="application/json")[0] == "200 OK"
    # A form or text/plain post from another site needs no permission from the browser: refused.
    assert _call(editor.api, "/api/v1", method="POST", body=info, CONTENT_TYPE="text/plain")[0].startswith("415")
    assert _call(editor.api, "/api/v1", method="POST", body=info, CONTENT_TYPE="application/json", HTTP_ORIGIN="https://evil.example")[0].startswith("403")
    assert _call(editor.api, "/api/v1", method="POST", body=info, CONTENT_TYPE="application/json", HTTP_HOST="evil.example:8000")[0].startswith("403")
    status, body = _call(editor.api, "/api/v1", method="POST", body=b'{"action": "nonsense"}', CONTENT_TYPE="application/json")
    assert status.startswith("422") and json.loads(body) == {"error": "Unknown action nonsense"}


def test_the_admin_page_serves_the_vendored_editor_and_nothing_else(project):
    editor = Editor(project, ADDRESS)
    status, page = _call(editor.admin, "/admin/")
    assert status == "200 OK" and b'src="vendor/decap-cms-3.16.3/decap-cms.js"' in page
    status, script = _call(editor.admin, "/admin/vendor/decap-cms-3.16.3/decap-cms.js")
    assert status == "200 OK" and len(script) > 1_000_000
    assert _call(editor.admin, "/admin/vendor/../server.py")[1] is None
    assert _call(editor.admin, "/admin/vendor/decap-cms-3.16.3/../../server.py")[1] is None
    config = yaml.safe_load(_call(editor.admin, "/admin/config.yml")[1])
    assert config["site_url"] == f"http://{ADDRESS}/"


def test_the_editor_still_opens_while_the_content_has_a_mistake(project):
    editor = Editor(project, ADDRESS)
    before = editor.choices()
    inspection = project / "content" / "inspections" / "2023-jcc.yml"
    inspection.write_text(inspection.read_text().replace("\nkind: ", "\nkind: not-a-kind-", 1))  # loads as YAML, fails the model
    with pytest.raises(ContentError):
        load_content(project / "content")
    assert editor.choices().recommendations == before.recommendations
    assert Editor(project, ADDRESS).choices().recommendations == before.recommendations  # read without the loader


# --------------------------------------------------------------------------- the public site


@pytest.mark.slow
def test_a_public_build_contains_no_editor(built_site):
    assert not (built_site / "admin").exists() and not (built_site / "api").exists()
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".txt", ".xml", ""):
            text = path.read_text(encoding="utf-8", errors="ignore")
            assert "decap" not in text.lower(), path  # (the guide may name the preview's /admin/)


def test_every_update_in_the_content_opens_in_the_form_and_saves_unchanged_in_meaning(jersey):
    """Hand-written updates (flow lists, bare source ids) open in the form's shape, and
    saving one untouched writes the same record and the same text."""
    content = jersey[0]
    names = set(_by_name(update_fields(jersey[1])))
    for path in sorted((ROOT / "content" / "updates").glob("*.md")):
        original = path.read_text(encoding="utf-8")
        shown = split_front_matter(layout.update_for_editor(original), path.name)
        assert set(shown.meta.data) <= names, path.name
        assert all(isinstance(c, dict) for c in shown.meta.data["sources"]), path.name
        saved = split_front_matter(layout.update_file(_as_decap_writes(layout.update_for_editor(original))), path.name)
        assert Update.model_validate(saved.meta.data) == content.updates[path.stem], path.name
        assert saved.body.strip() == split_front_matter(original, path.name).body.strip(), path.name
