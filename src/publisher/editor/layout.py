"""The files the editor writes, laid out as the command line lays them out.

Decap CMS serialises a form its own way: empty optional fields as `''`, `draft: false`,
its own YAML style. Before a file is written, the backend puts it in the project's layout:

- an update is written exactly as `publisher new update` writes it (`update_files.file_text`:
  the model's field order, defaults left out, a citation with no place as its bare source
  id); if it does not validate, its fields are still put in that order and the empty ones
  left out, and the mistake is left for the preview to report with its line;
- a sources file is a YAML list, which Decap cannot edit at the top level, so it is shown
  to the editor as `{sources: [...]}` and unwrapped on the way back. Only the documents the
  author changed or added are written anew: every other one keeps its text as it was, with
  its comments and folded lines, so a new source is a small diff.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from ..model import Source, Update
from ..problems import ContentError
from ..reader import load_yaml, split_front_matter
from ..update_files import _Dumper, file_text  # the one YAML style of the project's writers
from .config import FILE_NAME_FIELD, SOURCES_KEY


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _cleaned(value: Any) -> Any:
    """`value` without the empty fields a form leaves behind, text stripped as the model does."""
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items() if not _empty(_cleaned(v))}
    if isinstance(value, list):
        return [_cleaned(v) for v in value if not _empty(_cleaned(v))]
    return value.strip() if isinstance(value, str) else value


def _ordered(data: dict, model) -> dict:
    """The model's fields in its order, then anything else (a mistake the loader reports)."""
    known = [name for name in model.model_fields if name in data]
    return {name: data[name] for name in known + [k for k in data if k not in model.model_fields]}


# --------------------------------------------------------------------------- updates


def update_file(raw: str) -> str:
    """The update Decap sends, as `publisher new update` would have written it."""
    try:
        parsed = split_front_matter(raw, "update")
    except ContentError:
        return raw  # unreadable: written as sent, and the preview says where
    if not isinstance(parsed.meta.data, dict):
        return raw
    data = _cleaned({k: v for k, v in parsed.meta.data.items() if k != FILE_NAME_FIELD})
    if data.get("draft") is False:
        del data["draft"]
    try:
        return file_text(Update.model_validate(data), parsed.body)
    except ValidationError:
        return f"---\n{_dump(_ordered(data, Update))}---\n{parsed.body.strip(chr(10))}\n"


def update_for_editor(text: str) -> str:
    """An update as the editor reads it: a citation written as a bare source id (allowed,
    and what `publisher new update` writes when no place is given) becomes `{source: id}`,
    the group of fields the form shows. The text as it is if nothing needs changing."""
    try:
        parsed = split_front_matter(text, "update")
    except ContentError:
        return text
    data = parsed.meta.data
    cited = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(cited, list) or not any(isinstance(c, str) for c in cited):
        return text
    data = {**data, "sources": [{"source": c} if isinstance(c, str) else c for c in cited]}
    return f"---\n{_dump(data)}---\n{parsed.body}"


# --------------------------------------------------------------------------- sources


def sources_for_editor(text: str) -> str:
    """A sources file (a list) as the mapping the editor edits; the text as it is if it
    cannot be read (the editor then says it cannot parse it, and the preview says why)."""
    try:
        data = load_yaml(text, "sources").data
    except ContentError:
        return text
    return _dump({SOURCES_KEY: data if isinstance(data, list) else []})


def sources_file(raw: str, original: str | None) -> str:
    """The sources file to write for what the editor sent, keeping every document that did
    not change exactly as `original` wrote it."""
    try:
        sent = load_yaml(raw, "sources").data
    except ContentError:
        return raw
    items = sent.get(SOURCES_KEY) if isinstance(sent, dict) else None
    if not isinstance(items, list):
        return raw
    items = [_ordered(_cleaned(item), Source) if isinstance(item, dict) else item for item in items]
    header, kept = _blocks(original)
    parts = [header]
    for item in items:
        same = kept.get(item.get("id")) if isinstance(item, dict) else None
        if same is not None and same[0] == item:
            parts.append(same[1])
        else:
            if parts[-1] and not parts[-1].endswith("\n\n"):
                parts.append("\n")  # a blank line between documents, as the files have
            parts.append(_dump([item]))
    return "".join(parts) if items else header + "[]\n"


def _blocks(original: str | None) -> tuple[str, dict[str, tuple[Any, str]]]:
    """The leading comments of a sources file, and each document's text by id (with its
    value, to tell whether the editor changed it)."""
    if not original:
        return "", {}
    try:
        doc = load_yaml(original, "sources")
    except ContentError:
        return "", {}
    if not isinstance(doc.data, list) or not doc.data:
        return "".join(line for line in original.splitlines(keepends=True) if line.startswith("#")), {}
    lines = original.splitlines(keepends=True)
    starts = [doc.lines.line((index,)) - 1 for index in range(len(doc.data))]
    if starts != sorted(starts) or not all(lines[s].lstrip().startswith("-") for s in starts):
        return "", {}  # not one item to a '- ' line (a flow list): written anew
    kept: dict[str, tuple[Any, str]] = {}
    for index, item in enumerate(doc.data):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            kept[item["id"]] = (_ordered(_cleaned(item), Source), "".join(lines[starts[index]:end]))
    return "".join(lines[: starts[0]]), kept
