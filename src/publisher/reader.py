"""Reading content files safely, keeping line numbers.

PyYAML's `safe_load` returns plain values and forgets where they came from, accepts
duplicate keys (the last one silently wins) and expands anchors and aliases (an "alias
bomb" of a few hundred bytes can expand to gigabytes). Content authors need the line of
every mistake, so this module composes the YAML node tree with PyYAML's own safe loader
and converts it by hand, recording the line of every key and list item in a `LineMap`.

Deliberate differences from `yaml.safe_load`:
- dates stay as text (the model parses them, so `2023-02-30` is reported with its line);
- anchors, aliases, merge keys, custom tags and multiple documents are refused;
- duplicate keys are refused, every one of them reported.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import yaml

from .problems import ContentError, Problem

#: A content file larger than this is almost certainly a mistake (a pasted PDF, a log).
MAX_FILE_BYTES = 1_000_000
#: The deepest nesting a content file may have. The deepest the model uses is about six
#: (an inspection's findings' sources); a limit keeps both YAML parsers' behaviour the same.
MAX_DEPTH = 32

#: Characters that have no business in content: C0 and C1 controls except tab and newline,
#: and the two Unicode non-characters YAML cannot read.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: Invisible text-direction overrides: they make text display differently from what a
#: reviewer reads in the file ("Trojan Source"); ordinary right-to-left text needs none.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


Loc = tuple[str | int, ...]


@dataclass
class LineMap:
    """Line numbers (1-based) of every key and list item, by their path from the root."""

    lines: dict[Loc, int] = field(default_factory=dict)
    #: Paths of block scalars (`|` or `>`), whose text starts on the line after the key.
    blocks: set[Loc] = field(default_factory=set)
    #: Paths of values the reader refused (a custom tag): already reported, so the
    #: validator's complaint about the missing value is not reported again.
    refused: set[Loc] = field(default_factory=set)

    def line(self, loc: Sequence[str | int] = ()) -> int:
        """The line of `loc`, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


@dataclass
class Document:
    """A parsed content file: its data, the line of everything in it, and where it is."""

    path: str
    data: Any
    lines: LineMap
    #: Line offset added to every line (for front matter that does not start the file).
    offset: int = 0
    #: Mistakes that did not stop the file being read (duplicate keys, refused tags).
    problems: list[Problem] = field(default_factory=list)

    def line(self, loc: Sequence[str | int] = (), within: int = 1) -> int:
        """The file line of `loc`; `within` is a line number inside a multi-line text value."""
        loc = tuple(loc)
        line = self.lines.line(loc) + self.offset
        if within > 1 or loc in self.lines.blocks:
            line += within if loc in self.lines.blocks else within - 1
        return line


# --------------------------------------------------------------------------- bytes to text


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 text file, refusing what a text editor would not show as text.

    A UTF-8 byte-order mark is dropped (Windows editors add one; it carries no meaning).
    Windows line endings are normalised.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(shown, 0, f"cannot read the file: {exc.strerror}")]) from None
    return decode_text(data, shown)


def decode_text(data: bytes, shown: str, limit: int = MAX_FILE_BYTES) -> str:
    if len(data) > limit:
        raise ContentError(
            [
                Problem(
                    shown,
                    1,
                    f"the file is {len(data):,} bytes, over the {limit:,}-byte limit for a content file",
                    "split it into smaller files, or check that it is the file you meant to add",
                )
            ]
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in data[:1000] and len(data) > 1):
        raise ContentError(
            [
                Problem(
                    shown,
                    1,
                    "the file is not UTF-8 text (it looks like UTF-16 or a binary file)",
                    "save it again as UTF-8 in your editor",
                )
            ]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(
            [
                Problem(
                    shown,
                    line,
                    f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} cannot be read)",
                    "save it again as UTF-8 in your editor, or retype the character on this line",
                )
            ]
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = invisible_character(text)
    if found:
        index, message, fix = found
        raise ContentError([Problem(shown, text.count("\n", 0, index) + 1, f"the file contains {message}", fix)])
    return text


def invisible_character(text: str) -> tuple[int, str, str] | None:
    """The first character that must not be in content: (index, what it is, how to fix)."""
    bad = _CONTROL.search(text)
    if bad:
        return (
            bad.start(),
            f"an invisible control character (U+{ord(bad.group()):04X})",
            "delete it; it often comes from copying text out of a PDF or a spreadsheet",
        )
    bad = _BIDI.search(text)
    if bad:
        return (
            bad.start(),
            f"an invisible text-direction control (U+{ord(bad.group()):04X}), "
            "which can make the text show differently from what is written",
            "delete it; retype the text if it came from another document",
        )
    return None


# --------------------------------------------------------------------------- YAML


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark, message: str, fix: str):
        self.mark, self.message, self.fix = mark, message, fix


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases while composing, before any expansion."""

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML API
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                event.start_mark,
                f"YAML aliases ('*{event.anchor}') are not allowed in content",
                "write the value out in full where it is needed",
            )
        if getattr(event, "anchor", None) is not None:
            raise _Refused(
                event.start_mark,
                f"YAML anchors ('&{event.anchor}') are not allowed in content",
                "remove the anchor and write values out in full",
            )
        return super().compose_node(parent, index)


def _line_finder(text: str):
    """Mark -> the 1-based line as an editor counts it.

    YAML also breaks lines at U+0085, U+2028 and U+2029, which editors show inside a line;
    where the text has any, lines are counted from the mark's character index instead.
    """
    if not any(ch in text for ch in "\x85\u2028\u2029\r"):
        return lambda mark: mark.line + 1
    starts = [m.end() for m in re.finditer("\n", text)]
    return lambda mark: bisect.bisect_right(starts, mark.index) + 1

# LibYAML's parser, where PyYAML was built with it: the same node tree, about ten times
# faster (a national tracker has tens of thousands of update files). It cannot refuse
# anchors and aliases while composing, so it is used only for text that cannot hold one
# (neither '&' nor '*' appears); anything else goes through `_Loader` above.
_FastLoader = type("_FastLoader", (getattr(yaml, "CSafeLoader", _Loader),), {})

# Keep dates as text: the model parses them and reports impossible ones with their line.
_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _compose(text: str):
    """The file's node tree, from LibYAML where it can be used (see `_FastLoader`).

    Text LibYAML refuses is parsed again by `_Loader`, so a mistake is reported in the same
    words whichever parser read the file (LibYAML's messages differ, and it has limits of
    its own). PyYAML checks the characters when the loader is made, before parsing.
    """
    if "&" not in text and "*" not in text:
        loader = _FastLoader(text)
        try:
            return loader, loader.get_single_node()
        except (yaml.YAMLError, ValueError, RecursionError):
            loader.dispose()
    loader = _Loader(text)
    try:
        return loader, loader.get_single_node()
    except ValueError:  # a number thousands of digits long (Python refuses to read it)
        raise _Refused(loader.get_mark(), "invalid YAML: a number is too long to read", "check this line") from None


#: `key:value` with no space after the colon: YAML reads it as one word, then fails later.
_NO_SPACE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*):(?![\s/])(\S.*)$")
#: `key: some text: more text`, where the second ': ' starts a field YAML did not expect.
_COLON_IN_TEXT = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*): +([^\"'|>\s].*?: .*)$")


def _common_slip(text: str, exc: yaml.MarkedYAMLError, line_of) -> tuple[int, str, str] | None:
    """The slips authors make most, in plain English, on the line where they were made.

    PyYAML reports where its parser gave up, in its own terms ("could not find expected
    ':'"), often a line after the mistake; these read the text around that point instead.
    Returns (line, message, fix), or None to fall back to PyYAML's own message.
    """
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    at = min(line_of(mark) if mark else 1, len(lines))
    problem, context = exc.problem or "", exc.context or ""
    # A tab used to indent: YAML allows only spaces.
    for number in range(at, 0, -1):
        if re.match(r"^ *\t", lines[number - 1]):
            return number, "this line is indented with a tab, and YAML allows only spaces", "replace the tab with spaces, two for each level, lined up with the lines above"
        if number < at - 2:
            break
    # A quotation opened and never closed: PyYAML says where the quote started.
    if "quoted scalar" in context and exc.context_mark is not None:
        return line_of(exc.context_mark), "a quotation mark opened on this line is never closed", "add the closing quotation mark at the end of the text, or remove the opening one"
    # `status:in-progress`: reported on the line after, as "could not find expected ':'".
    for number in (at - 1, at):
        if 1 <= number <= len(lines):
            match = _NO_SPACE.match(lines[number - 1])
            if match and ("expected ':'" in problem or "mapping values" in problem):
                indent, key, value = match.groups()
                return number, f"'{key}:{value}' needs a space after the colon", f"write '{key}: {value}'"
    if "mapping values are not allowed" in problem:
        match = _COLON_IN_TEXT.match(lines[at - 1])
        if match:
            indent, key, value = match.groups()
            return at, f"the text of '{key}' contains ': ', which YAML reads as the start of another field", f'put the text in double quotes: {key}: "{value}"'
        if at > 1 and len(lines[at - 1]) - len(lines[at - 1].lstrip()) > len(lines[at - 2]) - len(lines[at - 2].lstrip()):
            return at, "this line is indented more than the line above it", "line it up with the other fields at its level, using spaces"
    if "expected <block end>" in problem or "did not find expected key" in context + problem:
        return at, "the indentation of this line does not match the lines around it", "line it up with the other fields at its level, using spaces only"
    return None


def load_yaml(text: str, shown: str, *, offset: int = 0) -> Document:
    """Parse one YAML document, returning its data and a line map.

    Syntax errors raise ContentError. Duplicate keys and refused tags are recorded in
    `Document.problems` (keeping the first value) so the rest of the file is still checked.
    """
    loader = None
    line_of = _line_finder(text)
    try:
        try:
            loader, node = _compose(text)
        except _Refused as exc:
            raise ContentError([Problem(shown, line_of(exc.mark) + offset, exc.message, exc.fix)]) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = (line_of(mark) if mark else 1) + offset
            what = exc.problem or exc.context or "the YAML cannot be read"
            if "expected a single document" in str(exc.context or ""):
                what, fix = "the file holds more than one YAML document ('---')", "keep one document per file"
            else:
                fix = "check the indentation and punctuation on this line and the one before"
            slip = _common_slip(text, exc, line_of)
            if slip:
                slip_line, message, fix = slip
                raise ContentError([Problem(shown, slip_line + offset, message, fix)]) from None
            raise ContentError([Problem(shown, line, f"invalid YAML: {what}", fix)]) from None
        except yaml.reader.ReaderError as exc:
            line = text.count("\n", 0, exc.position) + 1 + offset
            raise ContentError(
                [Problem(shown, line, f"the file contains a character YAML cannot read (U+{exc.character:04X})", "delete it or retype the text on this line")]
            ) from None
        except yaml.YAMLError as exc:
            raise ContentError([Problem(shown, 1 + offset, f"invalid YAML: {exc}", "check the file's syntax")]) from None
        except RecursionError:
            raise ContentError(
                [Problem(shown, 1 + offset, "the YAML is nested too deeply", "flatten the structure")]
            ) from None
    finally:
        if loader is not None:
            loader.dispose()

    lines = LineMap()
    problems: list[Problem] = []
    if node is None:
        return Document(shown, None, lines, offset)
    loader.line_of = line_of
    try:
        data = _convert(node, (), lines, problems, shown, offset, loader)
    except _Refused as exc:
        raise ContentError([Problem(shown, line_of(exc.mark) + offset, exc.message, exc.fix)]) from None
    except RecursionError:
        raise ContentError([Problem(shown, 1 + offset, "the YAML is nested too deeply", "flatten the structure")]) from None
    return Document(shown, data, lines, offset, problems)


def _convert(node, loc: Loc, lines: LineMap, problems: list[Problem], shown: str, offset: int, loader) -> Any:
    if len(loc) > MAX_DEPTH:
        raise _Refused(node.start_mark, "the YAML is nested too deeply", f"flatten the structure (content needs at most {MAX_DEPTH} levels)")
    line = loader.line_of(node.start_mark)
    lines.lines.setdefault(loc, line)
    if node.tag not in _ALLOWED_TAGS:
        lines.refused.add(loc)
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        if tag == "!!merge":
            problems.append(Problem(shown, line + offset, "YAML merge keys ('<<') are not allowed", "write the keys out in full"))
        elif tag == "!!timestamp":
            problems.append(Problem(shown, line + offset, "explicit '!!timestamp' tags are not allowed", "write the date as plain text: 2024-03-31"))
        else:
            problems.append(Problem(shown, line + offset, f"YAML tag '{tag}' is not allowed in content", "remove the tag"))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = loader.line_of(key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (
                "tag:yaml.org,2002:str",
                "tag:yaml.org,2002:int",
                "tag:yaml.org,2002:bool",
            ):
                tag = key_node.tag.replace("tag:yaml.org,2002:", "!!")
                if tag == "!!merge":
                    problems.append(Problem(shown, key_line + offset, "YAML merge keys ('<<') are not allowed", "write the keys out in full"))
                else:
                    problems.append(Problem(shown, key_line + offset, "a key must be a plain word", "write keys as 'name: value'"))
                continue
            key = key_node.value  # always the text as written, so `yes:` is the key 'yes'
            if key in seen:
                problems.append(
                    Problem(
                        shown,
                        key_line + offset,
                        f"duplicate key '{key}' (first given on line {seen[key] + offset})",
                        "keep one of them; YAML would otherwise silently use the last",
                    )
                )
                continue
            seen[key] = key_line
            child = loc + (key,)
            lines.lines[child] = key_line
            result[key] = _convert(value_node, child, lines, problems, shown, offset, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, loc + (index,), lines, problems, shown, offset, loader)
            for index, item in enumerate(node.value)
        ]
    if node.style in ("|", ">"):
        lines.blocks.add(loc)
    if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in node.value:
        # YAML 1.1 reads 10:30 as the base-60 number 630; nobody writing content means that.
        return node.value
    try:
        return loader.construct_object(node)
    except (ValueError, yaml.YAMLError):
        lines.refused.add(loc)
        # Python refuses to read integers of thousands of digits (a denial-of-service guard).
        problems.append(
            Problem(
                shown,
                line + offset,
                f"the value '{node.value[:20]}...' ({len(node.value):,} characters) cannot be read as a number",
                "check the value; put it in quotes if it is text",
            )
        )
        return None


# --------------------------------------------------------------------------- front matter


@dataclass
class FrontMatterFile:
    meta: Document
    body: str
    #: Line number (1-based) in the file of the body's first line.
    body_line: int


def split_front_matter(text: str, shown: str) -> FrontMatterFile:
    """Split a Markdown file into its YAML front matter and its body."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(
            [
                Problem(
                    shown,
                    1,
                    "the file has no front matter",
                    "start the file with a line '---', then the fields (title, date, ...), then another '---'",
                )
            ]
        )
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            meta_text = "\n".join(lines[1:index])
            meta = load_yaml(meta_text, shown, offset=1)
            body = "\n".join(lines[index + 1 :])
            return FrontMatterFile(meta, body, index + 2)
    raise ContentError(
        [Problem(shown, 1, "the front matter is not closed", "add a line '---' after the last front-matter field")]
    )
