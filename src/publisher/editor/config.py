"""The editor's configuration, generated from the content model and the content.

Decap CMS is configured by a `config.yml` naming each collection and the widget of each
field. Written by hand, it would drift from the model the loader checks; generated here,
every `Update` field has its widget in the model's order (the order `publisher new update`
writes), every choice list is the vocabulary or the ids the content holds today, and every
hint is the field's description from the model (the one the site's content guide prints).
"""

from __future__ import annotations

import typing
from datetime import date
from typing import Any

from pydantic import BaseModel

from ..model import Source, Update
from ..model.base import Citation
from ..vocabulary import EvidenceKind, SourceKind, Status, _Vocabulary
from ..scaffold import DEFAULT_EVIDENCE

#: Where the files are, relative to the project (Decap's "repository").
UPDATES_FOLDER = "content/updates"
SOURCES_FOLDER = "content/sources"
#: The key a sources file's list is shown under: Decap edits a file's top-level mapping,
#: and a sources file is a list (the backend wraps and unwraps it, `layout.py`).
SOURCES_KEY = "sources"
#: A field of the entry, never written to the file, that carries the update's id from the
#: server (`/admin/update-id`), so the file is named by `update_files.update_id` exactly as
#: `publisher new update` names it (Decap's own slugs differ: apostrophes, '&', length).
FILE_NAME_FIELD = "_file_name"

#: Dates as the model reads them (`dates.PartialDate`): a day, a month, a year, a span.
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?(\.\.\d{4}-\d{2}(-\d{2})?)?$|^\d{4}/(\d{2}|\d{4})$"
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
URL_PATTERN = r"^https?://\S+$"

#: Markdown buttons for the text: only what the site's Markdown policy accepts
#: (`markup.py`: no images, no raw HTML, headings from h3).
_MARKDOWN_BUTTONS = ["bold", "italic", "code", "link", "heading-three", "heading-four", "bulleted-list", "numbered-list"]
#: Extra hints for fields whose description alone leaves the form's author guessing.
_DATE_HINT = " Write 2024-03-31, or 2024-03 if the source gives only a month, or 2024 for a year."


# --------------------------------------------------------------------------- choices


def vocabulary_options(vocabulary: type[_Vocabulary]) -> list[dict[str, str]]:
    """A select's options: the plain-English label shown, the id written."""
    return [{"label": term.label, "value": term.value} for term in vocabulary.terms()]


def _shortened(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def recommendation_options(choices: "Choices") -> list[dict[str, str]]:
    return [{"label": f"{rid} — {title}", "value": rid} for rid, title in choices.recommendations]


def finding_options(choices: "Choices") -> list[dict[str, str]]:
    return [{"label": f"{fid} — {_shortened(text)}", "value": fid} for fid, text in choices.findings]


def source_options(choices: "Choices") -> list[dict[str, str]]:
    return [{"label": f"{sid} — {_shortened(title)}", "value": sid} for sid, title in choices.sources]


class Choices(typing.NamedTuple):
    """What the content offers to choose from: (id, title) pairs, in the content's order."""

    recommendations: list[tuple[str, str]]
    findings: list[tuple[str, str]]
    sources: list[tuple[str, str]]
    #: The sources files, relative to the project (`content/sources/<topic>.yml`).
    source_files: list[str]

    @classmethod
    def of(cls, content, source_files: list[str]) -> "Choices":
        return cls(
            [(r.id, r.title) for r in content.recommendations.values()],
            [(f.id, f.text) for f in content.findings.values()],
            [(s.id, s.title) for s in content.sources.values()],
            source_files,
        )


# --------------------------------------------------------------------------- widgets


def _hint(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].description or ""


def _required(model: type[BaseModel], name: str) -> bool:
    return model.model_fields[name].is_required()


def _field(model: type[BaseModel], name: str, widget: str, label: str, **options: Any) -> dict[str, Any]:
    field = {"name": name, "label": label, "widget": widget, "hint": _hint(model, name), "required": _required(model, name)}
    field.update(options)
    return field


def _select(model, name, label, options, *, multiple: bool = False, **extra) -> dict[str, Any]:
    field = _field(model, name, "select", label, options=options, **extra)
    if multiple:
        field["multiple"] = True
        if field["required"]:
            field["min"] = 1
    return field


def citation_fields(choices: Choices) -> list[dict[str, Any]]:
    """A citation's fields (`model.base.Citation`): which source, where in it, its words."""
    return [
        _select(Citation, "source", "Source", source_options(choices)),
        _field(Citation, "section", "string", "Where in it (heading, page or paragraph)",
               hint=_hint(Citation, "section") + " Needed unless the update is a draft."),
        _field(Citation, "quote", "text", "Its words, exactly as written"),
    ]


#: How each `Update` field is edited. Every field of the model must be here (a test says so).
def _update_widgets(choices: Choices, today: date | None) -> dict[str, dict[str, Any]]:
    # As `publisher new update`: the date is today unless the author says otherwise.
    dated = {"default": today.isoformat()} if today else {}
    return {
        "title": _field(Update, "title", "string", "Title"),
        "date": _field(Update, "date", "string", "Date of the evidence", pattern=[DATE_PATTERN, "a date such as 2024-03-31, 2024-03 or 2024"],
                       hint=_hint(Update, "date") + _DATE_HINT, **dated),
        "date_note": _field(Update, "date_note", "string", "How the date was arrived at"),
        "recommendations": _select(Update, "recommendations", "Recommendations it moves", recommendation_options(choices), multiple=True),
        "status": _select(Update, "status", "New status", vocabulary_options(Status)),
        "evidence": _select(Update, "evidence", "Kind of evidence", vocabulary_options(EvidenceKind), default=DEFAULT_EVIDENCE.value),
        "sources": _field(Update, "sources", "list", "Sources", fields=citation_fields(choices), min=1, label_singular="source",
                          summary="{{fields.source}} ({{fields.section}})", collapsed=False),
        "findings": _select(Update, "findings", "Findings it rests on", finding_options(choices), multiple=True),
        "summary": _field(Update, "summary", "text", "One-sentence summary"),
        "draft": _field(Update, "draft", "boolean", "Draft (shown only in the preview)", default=False),
        "publish_on": _field(Update, "publish_on", "string", "Publish on (an embargo: YYYY-MM-DD)",
                             pattern=[DAY_PATTERN, "a day written YYYY-MM-DD"]),
    }


def update_fields(choices: Choices, today: date | None = None) -> list[dict[str, Any]]:
    """The update form: one widget per `Update` field in the model's order, then the text."""
    widgets = _update_widgets(choices, today)
    fields = [widgets[name] for name in Update.model_fields]
    fields.append({
        "name": "body", "label": "What happened, and what the evidence says", "widget": "markdown",
        "hint": "Plain English: who says so, when, and where in the source. Quote only short phrases, in quotation marks.",
        # Markdown as written: the rich-text mode would rewrite an existing text's Markdown
        # (emphasis marks, escapes, line breaks), changing words the author never touched.
        "modes": ["raw"], "buttons": _MARKDOWN_BUTTONS, "editor_components": [],
    })
    return fields


def _source_widgets() -> dict[str, dict[str, Any]]:
    return {
        "id": _field(Source, "id", "string", "Id (lower case, hyphens; never changed once published)", pattern=[ID_PATTERN, "lower-case letters, digits and single hyphens"]),
        "title": _field(Source, "title", "string", "Title, exactly as published"),
        "publisher": _field(Source, "publisher", "string", "Publisher"),
        "kind": _select(Source, "kind", "Kind of document", vocabulary_options(SourceKind)),
        "date": _field(Source, "date", "string", "Date published", hint=_hint(Source, "date") + _DATE_HINT),
        "url": _field(Source, "url", "string", "Public address (https://...)", pattern=[URL_PATTERN, "a full address starting https://"]),
        "not_online": _field(Source, "not_online", "text", "Not online: why (only if it has no public address)"),
        "read_at": _field(Source, "read_at", "string", "Where the text was read, if elsewhere", pattern=[URL_PATTERN, "a full address starting https://"]),
        "notes": _field(Source, "notes", "text", "Notes (Markdown)"),
    }


def source_fields() -> list[dict[str, Any]]:
    widgets = _source_widgets()
    return [widgets[name] for name in Source.model_fields]


# --------------------------------------------------------------------------- collections


def updates_collection(choices: Choices, today: date | None = None) -> dict[str, Any]:
    return {
        "name": "updates",
        "label": "Progress updates",
        "label_singular": "Progress update",
        "description": "Each update moves recommendations to a new status, on published evidence.",
        "folder": UPDATES_FOLDER,
        "extension": "md",
        "format": "yaml-frontmatter",
        "create": True,
        # An update's address is permanent (permalinks.txt): removing one is a decision for
        # the command line and a redirect, not a button.
        "delete": False,
        "identifier_field": "title",
        "slug": "{{fields.%s}}" % FILE_NAME_FIELD,
        "summary": "{{date}} — {{title}}",
        "sortable_fields": ["date", "title"],
        "preview_path": "updates/{{slug}}/",
        "fields": update_fields(choices, today),
    }


def sources_collection(choices: Choices) -> dict[str, Any]:
    files = []
    for path in choices.source_files:
        name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        files.append({
            "name": name, "label": f"Sources: {name}", "file": path,
            "fields": [{
                "name": SOURCES_KEY, "label": "Documents", "widget": "list", "collapsed": True,
                "summary": "{{fields.title}} ({{fields.id}})", "label_singular": "document",
                "hint": "Every document the site cites. Add a new one at the end.",
                "fields": source_fields(),
            }],
        })
    return {
        "name": "sources", "label": "Sources", "label_singular": "sources file",
        "description": "The published documents the site cites, one list per topic.",
        "format": "yml", "delete": False, "files": files,
    }


def decap_config(choices: Choices, *, site_url: str, today: date | None = None) -> dict[str, Any]:
    """The whole configuration Decap CMS reads (served as /admin/config.yml)."""
    return {
        # The proxy backend speaks to the preview server (`backend.py`), which reads and
        # writes this project's content/ folder: what `local_backend` would use, named
        # directly so the editor never tries another backend.
        "backend": {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"},
        "publish_mode": "simple",
        # Decap needs a media folder; the site's Markdown allows no images and the backend
        # refuses uploads, so nothing is ever written here.
        "media_folder": "content/media",
        "site_url": site_url,
        "display_url": site_url,
        "locale": "en",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "editor": {"preview": False},
        "collections": [updates_collection(choices, today), sources_collection(choices)],
    }
