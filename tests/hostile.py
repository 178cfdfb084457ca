"""The hostile-markup corpus: what an author (or a bad paste) might put in a text field,
and where every text field is in the complete fixture.

Payloads come in two kinds. REFUSED ones must stop the content check with the file and
line. NEUTRAL ones are accepted (they are legitimate text, or harmless once escaped) and
must come out of the build as inert text: the build of the complete fixture with a
neutral payload in every text field is scanned for anything that could run.

Every payload that could run calls `alert('pwned')`, so a scan or a browser can tell.
"""

from __future__ import annotations

import json
import re
import shutil
import typing
from dataclasses import dataclass
from pathlib import Path
from types import UnionType

from pydantic import BaseModel
from pydantic.functional_validators import PlainValidator

from support import FIXTURES, copy_project, publisher
from publisher import model
from publisher.content import _unwrap
from publisher.model import base, source
from publisher.reader import Document, load_yaml, split_front_matter

COMPLETE = FIXTURES / "complete"
MARKER = "pwned"

#: The kinds of text field, by the validator that checks them.
_KINDS = {base._plain: "plain", base._markdown: "markdown", source._url: "url"}
#: The record each file of a content folder holds.
_TOP = {"sources.yml": model.Source, "themes.yml": model.Theme, "inspections": model.Inspection, "plans": model.Plan, "updates": model.Update}


# --------------------------------------------------------------------------- payloads

#: Markup refused in every text field: (payload, fragment of the message per kind).
REFUSED_EVERYWHERE = {
    "script": "<script>alert('pwned')</script>",
    "img-onerror": "<img src=x onerror=alert('pwned')>",
    "svg-script": "<svg><script>alert('pwned')</script></svg>",
    "svg-onload": "<svg/onload=alert('pwned')>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "closing-tag": "</p><p onclick=alert('pwned')>",
    "comment": "<!-- <script>alert('pwned')</script> -->",
    "style": "<style>body{background:url(https://evil.example/)}</style>",
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base": '<base href="https://evil.example/">',
}
#: Links and images, refused in Markdown fields (a plain field shows them as text).
REFUSED_IN_MARKDOWN = {
    "javascript-link": "[click](javascript:alert('pwned'))",
    "javascript-upper": "[click](JaVaScRiPt:alert('pwned'))",
    "javascript-entity": "[click](&#106;avascript:alert('pwned'))",
    "javascript-spaced": "[click](java\tscript:alert('pwned'))",
    "javascript-autolink": "<javascript:alert('pwned')>",
    "javascript-reference": "[click][x]\n\n[x]: javascript:alert('pwned')",
    "vbscript": "[click](vbscript:msgbox('pwned'))",
    "data-link": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgncHduZWQnKTwvc2NyaXB0Pg==)",
    "tracking-image": "![chart](https://tracker.example/pixel.png)",
    "relative-link": "[click](../../assets/javascripts/bundle.js)",
}
#: Web addresses refused in `url` fields.
REFUSED_URLS = {
    "javascript-url": "javascript:alert('pwned')",
    "data-url": "data:text/html,<script>alert('pwned')</script>",
    "quote-breakout": 'https://reports.example/x"onmouseover="alert(\'pwned\')',
    "angle-breakout": "https://reports.example/x><script>alert('pwned')</script>",
    "no-host": "https://",
}

#: Accepted as text; each must reach the page inert.
NEUTRAL_PARTS = {
    "plain": (
        "&lt;script&gt;alert('pwned')&lt;/script&gt;",  # entities stay text
        "&quot;&gt;&lt;img src=x onerror=alert('pwned')&gt;",  # attribute breakout, encoded
        "\" onmouseover=\"alert('pwned')\" x=\"",  # attribute breakout, raw quotes
        "{: onclick=\"alert('pwned')\" }",  # Markdown attribute lists
        "[click](javascript:alert('pwned'))",  # Markdown link syntax in plain text
        "<javascript:alert('pwned')>",  # an autolink, in plain text
        "*[pwned]: javascript:alert('pwned')",  # an abbreviation definition
        "{{ 7*7 }} {% raw %}",  # Jinja: content is never a template
        "< script>alert('pwned')</ script>",  # not a tag to a browser
        "`code` **bold** _em_ #heading",
    ),
    "markdown": (
        "&lt;script&gt;alert('pwned')&lt;/script&gt;",
        "&quot;&gt;&lt;img src=x onerror=alert('pwned')&gt;",
        "\" onmouseover=\"alert('pwned')\" x=\"",
        "{: onclick=\"alert('pwned')\" }",
        "[a source](https://reports.example/a \"t\\\" onmouseover=\\\"alert('pwned')\")",  # a link title
        "[a source](<https://reports.example/a b>)",
        "<https://reports.example/auto>",
        "`<script>alert('pwned')</script>`",  # code shows markup as text
        "*[pwned]: javascript:alert('pwned')",
        "{{ 7*7 }} {% raw %}",
        "< script>alert('pwned')</ script>",
    ),
}
#: One value per kind of field, with every neutral part in it.
NEUTRAL = {
    "plain": " ".join(NEUTRAL_PARTS["plain"]),
    "markdown": " ".join(NEUTRAL_PARTS["markdown"]),
    "url": "https://reports.example/search?q=%3Cscript%3Ealert('pwned')%3C/script%3E&x=1#pwned",
}


def refused_for(kind: str) -> dict[str, str]:
    if kind == "url":
        return REFUSED_URLS
    if kind == "markdown":
        return {**REFUSED_EVERYWHERE, **REFUSED_IN_MARKDOWN}
    return REFUSED_EVERYWHERE


# --------------------------------------------------------------------------- the model's text fields


def _kind(annotation, metadata=()) -> str | None:
    for item in metadata:
        if isinstance(item, PlainValidator) and item.func in _KINDS:
            return _KINDS[item.func]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        args = typing.get_args(annotation)
        return _kind(args[0], args[1:])
    if origin in (typing.Union, UnionType, list):
        return next((k for k in map(_kind, typing.get_args(annotation)) if k), None)
    return None


def _models() -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    todo = list(_TOP.values())
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        todo += [m for m in (_unwrap(f.annotation) for f in current.model_fields.values()) if m is not None]
    return seen


def model_text_fields() -> set[tuple[str, str]]:
    """(record, field) for every text field of every record the content can hold."""
    return {
        (cls.__name__, name)
        for cls in _models()
        for name, info in cls.model_fields.items()
        if _kind(info.annotation, info.metadata)
    }


# --------------------------------------------------------------------------- the fixture's text fields


@dataclass(frozen=True)
class TextField:
    """One text value in the complete fixture: where it is and what kind of field it is."""

    file: str  # relative to the content folder
    loc: tuple
    line: int
    record: str
    name: str
    kind: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.record}.{self.name}"


def _field_at(top: type[BaseModel], loc: tuple) -> tuple[str, str, str] | None:
    current: type[BaseModel] | None = top
    for index, part in enumerate(loc):
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if current else None
        if info is None:
            return None
        kind = _kind(info.annotation, info.metadata)
        rest = loc[index + 1 :]
        if kind and (not rest or (len(rest) == 1 and isinstance(rest[0], int))):
            return current.__name__, part, kind
        current = _unwrap(info.annotation)
    return None


def _document(path: Path, shown: str) -> Document:
    text = path.read_text()
    return split_front_matter(text, shown).meta if path.suffix == ".md" else load_yaml(text, shown)


def _strings(value, loc=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, loc + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, loc + (index,))
    elif isinstance(value, str):
        yield loc


def fixture_text_fields(root: Path = COMPLETE) -> list[TextField]:
    found = []
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".yml", ".md")):
        rel = path.relative_to(root).as_posix()
        top = _TOP[rel.split("/")[0]]
        doc = _document(path, rel)
        for loc in _strings(doc.data):
            where = _field_at(top, loc[1:] if rel in ("sources.yml", "themes.yml") else loc)
            if where:
                found.append(TextField(rel, loc, doc.line(loc), *where))
    return found


# --------------------------------------------------------------------------- putting payloads in


def _value_line(line: str, field: TextField) -> re.Match:
    last = field.loc[-1]
    pattern = r"^(\s*- )(.*)$" if isinstance(last, int) else rf"^(\s*(?:- )?{re.escape(last)}:[ ]*)(.*)$"
    match = re.match(pattern, line)
    assert match and match.group(2), f"{field}: write the complete fixture's text values one per line ('{last}: text')"
    return match


def inject(root: Path, payloads: dict[TextField, str]) -> None:
    """Replace text values in a copy of the complete fixture (one line each, in place)."""
    by_file: dict[str, list[TextField]] = {}
    for field in payloads:
        by_file.setdefault(field.file, []).append(field)
    for file, fields in by_file.items():
        path = root / file
        lines = path.read_text().split("\n")
        # From the bottom up, so a block scalar's extra lines do not move the ones above.
        for field in sorted(fields, key=lambda f: f.line, reverse=True):
            match = _value_line(lines[field.line - 1], field)
            payload = payloads[field]
            if "\n" in payload:  # a block scalar, indented under its key
                key_column = match.group(1).rindex(str(field.loc[-1])) if isinstance(field.loc[-1], str) else len(match.group(1))
                indent = " " * (key_column + 2)
                block = [indent + part if part else "" for part in payload.split("\n")]
                lines[field.line - 1 : field.line] = [match.group(1) + "|", *block]
            else:
                lines[field.line - 1] = match.group(1) + json.dumps(payload, ensure_ascii=False)
        path.write_text("\n".join(lines))


def expected_line(field: TextField, payload: str) -> int:
    """The file line a problem in `payload` must be reported at: a multi-line payload goes
    in a block scalar, starting on the line after its key, and its last line is the bad one."""
    return field.line + payload.count("\n") + 1 if "\n" in payload else field.line


#: The body of the complete fixture's update, with every neutral payload on its own line.
NEUTRAL_BODY = "\n\n".join(["A paragraph of the update.", *NEUTRAL_PARTS["markdown"]])


def hostile_content(target: Path) -> Path:
    """A copy of the complete fixture with a neutral payload in every text field."""
    shutil.copytree(COMPLETE, target)
    inject(target, {field: NEUTRAL[field.kind] for field in fixture_text_fields()})
    for update in (target / "updates").glob("*.md"):
        front, _ = update.read_text().rsplit("---\n", 1)
        update.write_text(f"{front}---\n{NEUTRAL_BODY}\n")
    return target


def build_site(project: Path, content: Path) -> Path:
    """Build `content` with the project's templates; the built site's folder."""
    project = copy_project(project, content)
    result = publisher("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"
