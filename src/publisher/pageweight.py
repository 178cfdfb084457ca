"""Pages without their templates' indentation.

Material's templates indent every line of their output, and nest deeply: a tenth of a
page's bytes is spaces between tags (about 7 KB of a 60 KB page). Where a run of white
space holds a line break, one line break does the same in HTML: a browser shows any run of
white space as one space, except inside elements that keep it (`pre`, `textarea`, and
`code` and `kbd`, which the theme styles `white-space: pre-wrap`) and in scripts and styles,
which are left exactly as they are. A hand-written regular expression rather than an HTML
minifier: minifiers also drop optional tags and quotes, which the HTML checks and the
link check read, and cost far more at 10,000 pages.
"""

from __future__ import annotations

import re

#: Elements whose text is kept exactly as written.
_KEPT = re.compile(r"(<(pre|textarea|script|style|code|kbd)\b.*?</\2\s*>)", re.S | re.I)
#: The white space a line loses at its end, before its line break (the start of a line
#: loses all white space: `str.lstrip()` drops exactly what the expression's `\s` matches).
_BEFORE_BREAK = " \t\r\f"


def collapse(html: str) -> str:
    """`html` with every run of white space that holds a line break made one line break,
    outside the elements that keep their white space."""
    parts = _KEPT.split(html)
    # split() returns text, then for each kept element its whole match and its tag name.
    out = []
    for index in range(0, len(parts), 3):
        out.append(_runs_collapsed(parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)


def _runs_collapsed(text: str) -> str:
    r"""`text` with each run of white space holding a line break made one line break: the
    same as `re.sub(r"[ \t\r\f]*\n\s*", "\n", text)`, line by line with str methods,
    three times as fast (the expression was a twentieth of a national build).
    A line left empty by the stripping is part of the run before it."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    last = lines.pop().lstrip()
    kept = [lines[0].rstrip(_BEFORE_BREAK)]
    kept += [stripped.rstrip(_BEFORE_BREAK) for line in lines[1:] if (stripped := line.lstrip())]
    kept.append(last)
    return "\n".join(kept)
