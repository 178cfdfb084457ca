"""The record: how much of what the reports asked for this site holds.

A report may say it made 14 recommendations while the public documents let the site state
only one of them. Every count on the site says which of the two it is (made, or recorded
here), and no page may claim "every recommendation they made" while the record is short:
`completeness_claims` finds such sentences so a check can refuse them with the file and
line, whether an author wrote them in `content/pages/` or a template would render them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Protocol

from .model import Inspection
from .problems import Problem


@dataclass(frozen=True)
class Coverage:
    """One inspection's recommendations: how many it made (if a source says) and how many are here."""

    inspection_id: str
    #: The number the report made, as a source states it; None where no source gives it.
    made: int | None
    recorded: int

    @property
    def complete(self) -> bool:
        return self.made is not None and self.recorded >= self.made

    @property
    def missing(self) -> int | None:
        return None if self.made is None else max(self.made - self.recorded, 0)


@dataclass(frozen=True)
class Record:
    """The whole site's coverage, for figures and for the completeness check."""

    coverage: dict[str, Coverage]

    @property
    def recorded(self) -> int:
        return sum(c.recorded for c in self.coverage.values())

    @property
    def counted(self) -> list[Coverage]:
        """Inspections whose sources say how many recommendations they made."""
        return [c for c in self.coverage.values() if c.made is not None]

    @property
    def made_where_stated(self) -> int:
        return sum(c.made or 0 for c in self.counted)

    @property
    def recorded_where_stated(self) -> int:
        return sum(c.recorded for c in self.counted)

    @property
    def uncounted(self) -> list[Coverage]:
        """Inspections with no stated total: nobody can say whether they are complete."""
        return [c for c in self.coverage.values() if c.made is None]

    @property
    def short(self) -> list[Coverage]:
        """Inspections whose stated total is more than the site records."""
        return [c for c in self.counted if not c.complete]

    @property
    def complete(self) -> bool:
        return bool(self.coverage) and not self.uncounted and not self.short


class Inspected(Protocol):
    """What `tally` reads of the content (a `content.Content`). Named here rather than
    imported, because loading the content checks its pages with this module's claims
    (`claim_problems`): `content` uses this module, so this one must not use it."""

    @property
    def inspections(self) -> Mapping[str, Inspection]: ...


def tally(content: Inspected) -> Record:
    return Record({
        inspection.id: Coverage(inspection.id, inspection.recommendations_made, len(inspection.recommendations))
        for inspection in content.inspections.values()
    })


# --------------------------------------------------------------------------- claims

_ITEMS = r"(?:inspections?|recommendations?|findings?|areas? for improvement|reports?|reviews?)"
_BY = r"(?:they|it|those inspections|the inspections|(?:the )?inspectors|(?:the |each |those )?reports?|the inspectorates?)"
#: Sentences that claim the record is whole. Written narrowly, as claims about what the
#: reports made, so "every recommendation recorded here" or "every recommendation has one
#: status" (claims about the site's own items, always true) pass.
_CLAIMS = re.compile(
    "|".join([
        rf"\b(?:every|all(?: of)?(?: the)?)\s+(?:published\s+)?{_ITEMS}\s+(?:that\s+)?{_BY}\s+(?:have\s+|has\s+)?(?:made|asked for|found|published)\b",
        r"\bevery\s+(?:published\s+)?(?:inspection|report|review)s?\s+(?:of|into|on|since)\b",
        r"\b(?:every|all(?: the)?)\s+(?:recommendation|area for improvement|areas for improvement)s?\s+(?:ever\s+)?made\b",
        r"\bfrom\s+every\s+(?:inspection|report|review)\b",
    ]),
    re.IGNORECASE,
)


def completeness_claims(text: str) -> Iterable[tuple[int, str]]:
    """(line, phrase) for each sentence in `text` that claims the record is whole."""
    flat = re.sub(r"<[^>]+>", " ", text)  # rendered pages: tags split phrases across lines
    for match in _CLAIMS.finditer(flat):
        phrase = re.sub(r"\s+", " ", match.group(0))
        yield flat.count("\n", 0, match.start()) + 1, phrase


def claim_problems(path: str, text: str, record: Record) -> list[Problem]:
    """Problems for the claims of completeness in one page, unless the record is whole."""
    if record.complete:
        return []
    why = _why_incomplete(record)
    return [
        Problem(path, line, f"'{phrase}' claims the record is complete, but {why}",
                "say what the site holds instead, e.g. 'the recommendations recorded here', or record the missing ones")
        for line, phrase in completeness_claims(text)
    ]


def _why_incomplete(record: Record) -> str:
    parts = []
    if record.short:
        parts.append(", ".join(f"{c.inspection_id} records {c.recorded} of {c.made}" for c in record.short[:3]))
    if record.uncounted:
        parts.append(f"{len(record.uncounted)} inspection(s) have no stated total")
    return "; ".join(parts) or "no inspection is recorded"
