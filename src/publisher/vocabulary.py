"""The controlled vocabularies: statuses, evidence kinds, finding kinds, source kinds.

One list each, with the plain-English label and definition the public sees. The site's
"About" pages, the explorer filters, the open-data enums and the validation messages are
all made from these lists, so a word is defined in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Term:
    value: str
    label: str
    definition: str


class _Vocabulary(str, Enum):
    """A str enum whose members carry a public label and definition."""

    def __new__(cls, value: str, label: str, definition: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label  # type: ignore[attr-defined]
        member.definition = definition  # type: ignore[attr-defined]
        return member

    def __str__(self) -> str:  # so f-strings and templates show the id, not the enum repr
        return self.value

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]

    @classmethod
    def terms(cls) -> list[Term]:
        return [Term(m.value, m.label, m.definition) for m in cls]


class Status(_Vocabulary):
    NO_EVIDENCE = (
        "no-evidence",
        "No published evidence",
        "No published source says what has happened to this recommendation since it was made. "
        "This is not the same as nothing having been done: it means nobody has shown it.",
    )
    NOT_STARTED = (
        "not-started",
        "Not started",
        "A source says work on this recommendation has not begun.",
    )
    IN_PROGRESS = (
        "in-progress",
        "In progress",
        "A source says work has begun, but it is not finished and has not yet been judged.",
    )
    PARTLY_MET = (
        "partly-met",
        "Partly met",
        "A source says some of what was asked for has been done, but not all of it.",
    )
    MET = (
        "met",
        "Met",
        "A source says what was asked for has been done.",
    )
    NOT_MET = (
        "not-met",
        "Not met",
        "A source says what was asked for has not been achieved, for example a later inspection "
        "found the same problem.",
    )
    SUPERSEDED = (
        "superseded",
        "Superseded",
        "The recommendation was replaced by a later one, or folded into a later plan, and is "
        "followed up there.",
    )

    @property
    def closed(self) -> bool:
        """Closed items can no longer be overdue."""
        return self in (Status.MET, Status.SUPERSEDED)


class EvidenceKind(_Vocabulary):
    INDEPENDENT_INSPECTION = (
        "independent-inspection",
        "Independent inspection",
        "The judgment of an inspectorate independent of the service, such as a national "
        "inspectorate or a care regulator.",
    )
    INDEPENDENT_REVIEW = (
        "independent-review",
        "Independent review",
        "The assessment of an independent inquiry or review panel, such as an inquiry's panel "
        "reviewing progress on its own recommendations.",
    )
    SELF_REPORTED = (
        "self-reported",
        "Self-reported",
        "What the government or the service says about its own work, such as a "
        "provider's response to an inspection or a progress statement. Not independently checked.",
    )
    SCRUTINY = (
        "scrutiny",
        "Scrutiny",
        "The finding of a body that holds the government to account, such as a parliament's "
        "scrutiny panel or a children's commissioner.",
    )
    MEDIA = (
        "media",
        "Media report",
        "A news report. Useful for dates and statements made in public, but second-hand.",
    )


class FindingKind(_Vocabulary):
    STRENGTH = ("strength", "Strength", "Something the inspectors found working well.")
    CONCERN = ("concern", "Concern", "Something the inspectors found needing improvement.")


class SourceKind(_Vocabulary):
    INSPECTION_REPORT = (
        "inspection-report",
        "Inspection report",
        "A report written by an inspectorate.",
    )
    GOVERNMENT_PUBLICATION = (
        "government-publication",
        "Government publication",
        "A page or document published by the government about its own services.",
    )
    SCRUTINY_REPORT = (
        "scrutiny-report",
        "Scrutiny report",
        "A report by a scrutiny panel or another body holding the government to account.",
    )
    INQUIRY_REPORT = (
        "inquiry-report",
        "Inquiry or review report",
        "The report of an independent inquiry or review.",
    )
    NEWS_REPORT = ("news-report", "News report", "An article published by a news organisation.")
    PLAN = ("plan", "Plan", "A plan or strategy document.")
    PARLIAMENTARY_RECORD = (
        "parliamentary-record",
        "Parliamentary record",
        "A record of the parliament's business: a question and its answer, a proposition or an "
        "amendment, minutes, or a news release of the parliament or one of its panels.",
    )
    RESEARCH = ("research", "Research", "An academic article or study.")


class InspectionKind(_Vocabulary):
    INSPECTION = ("inspection", "Inspection", "A full inspection by an inspectorate.")
    FOLLOW_UP = (
        "follow-up",
        "Follow-up inspection",
        "An inspectorate's return visit to check progress since an earlier inspection.",
    )
    REVIEW = (
        "review",
        "Review or inquiry",
        "An independent review, inquiry or report that made recommendations.",
    )
