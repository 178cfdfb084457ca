"""`publisher new update`: start a progress update without writing YAML by hand.

The author gives the headline, the recommendations, the new status and the source (as
flags, or as answers when the command runs on a terminal); this writes
`content/updates/<date>-<title>.md` with the front matter filled and a placeholder where
the narrative goes. Every value is checked against the content first, and nothing is
written while any is wrong, each mistake naming its flag with a did-you-mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

import click

from .content import Content
from .dates import DateError, PartialDate
from .markup import MarkupProblem, check_plain
from .model.update import BODY_PLACEHOLDER
from .problems import did_you_mean, display_path
from .progress import derive
from .site import urls
from .site.urls import Urls
from . import update_rows
from .update_files import check_update, existing_ids, file_text, free_id, update_id, write_atomically
from .vocabulary import EvidenceKind, Status

#: Without --evidence, an update is the government's own account: the kind that never
#: overstates how independent the evidence is.
DEFAULT_EVIDENCE = EvidenceKind.SELF_REPORTED
#: Where `publisher serve` listens unless told otherwise.
PREVIEW_ADDRESS = "http://127.0.0.1:8000/"

#: The flag that sets each field, for messages.
FLAGS = {
    "title": "--title",
    "date": "--date",
    "recommendations": "--recommendation",
    "status": "--status",
    "evidence": "--evidence",
    "sources": "--source",
    "findings": "--finding",
    "summary": "--summary",
    "publish_on": "--publish-on",
    "draft": "--draft",
}
REQUIRED = ("title", "recommendations", "status", "sources")


@dataclass(frozen=True)
class Request:
    """What the author asked for; None (or empty) where a flag was not given."""

    title: str | None = None
    recommendations: tuple[str, ...] = ()
    status: str | None = None
    date: str | None = None
    evidence: str | None = None
    sources: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    summary: str | None = None
    publish_on: str | None = None
    draft: bool | None = None

    def missing(self) -> list[str]:
        return [name for name in REQUIRED if not getattr(self, name)]


class Refused(Exception):
    """The request cannot be written; `messages` says why, one line per mistake."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass(frozen=True)
class Scaffolded:
    path: Path
    shown: str
    update_id: str
    preview_url: str
    defaults: list[str] = field(default_factory=list)


def create(content: Content, request: Request, today: date, *, preview_address: str = PREVIEW_ADDRESS) -> Scaffolded:
    """Check the request and write the update's file; raises Refused, writing nothing."""
    missing = request.missing()
    defaults = []
    day = request.date or today.isoformat()
    if not request.date:
        defaults.append(f"date: {day} (today; use --date for the day the evidence is dated)")
    evidence = request.evidence or DEFAULT_EVIDENCE.value
    if not request.evidence:
        defaults.append(f"evidence: {evidence} (use --evidence for another kind)")
    data = {
        "title": request.title,
        "date": day,
        "recommendations": list(request.recommendations),
        "status": request.status,
        "evidence": evidence,
        # Each as on the spreadsheet: 'id (where in it) "a few of its words"'.
        "sources": [update_rows.cell_to_citation(cell) for cell in request.sources],
    }
    data = {name: value for name, value in data.items() if name not in missing}
    if request.findings:
        data["findings"] = list(request.findings)
    if request.summary:
        data["summary"] = request.summary
    if request.draft:
        data["draft"] = True
    if request.publish_on:
        data["publish_on"] = request.publish_on
    # The fields are checked with a stand-in body: the real text is still to be written.
    record, problems = check_update(data, "The text is still to be written.", content)
    refusals = [f"{FLAGS[name]} is needed" + _choices_hint(name) for name in missing]
    refusals += [f"{FLAGS.get(p.field, p.field)}: {p}" for p in problems if p.field not in missing]
    if record is not None and not record.draft and record.date.start and record.date.start > today:
        # As the loader (content._check_not_future): evidence is not dated in the future.
        refusals.append(
            f"--date: {record.date.text} is after today ({today.isoformat()}); date the update by its evidence, "
            f"and add --publish-on {record.date.start.isoformat()} to release it on that day"
        )
    if refusals:
        raise Refused(refusals)
    new_id = free_id(update_id(record.date.text, record.title), existing_ids(content))
    path = content.root / "updates" / f"{new_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically({path: file_text(record, BODY_PLACEHOLDER)})
    preview = preview_address.rstrip("/") + "/" + Urls(directory_urls=True).url(urls.update(new_id))
    return Scaffolded(path, display_path(path, content.root.parent), new_id, preview, defaults)


def _choices_hint(name: str) -> str:
    if name == "status":
        return f" (one of: {', '.join(Status.values())})"
    if name == "sources":
        return " with where in it, e.g. --source 'report-id (Section 3, page 12)' (the id of a source in content/sources.yml or content/sources/; add the document there first if it is new)"
    if name == "recommendations":
        return " (a recommendation id, such as one listed on the site's Recommendations page)"
    return ""


# --------------------------------------------------------------------------- asking

#: `ask(text, default=..., value_proc=...)`, as click.prompt; replaceable in tests.
Ask = Callable[..., object]


def ask_missing(
    request: Request,
    content: Content,
    today: date,
    *,
    ask: Ask = click.prompt,
    confirm: Callable[..., bool] = click.confirm,
    say: Callable[[str], None] = click.echo,
) -> Request:
    """Ask, one at a time and with the valid choices, for everything the flags left out.

    Each answer is checked as it is given (click.prompt asks again, saying why, until it
    is valid), so the author is never sent back to the start.
    """
    answers: dict[str, object] = {}
    if not request.title:
        say("A headline for the update, in plain English, e.g. 'Inspectors find the workforce more stable'.")
        answers["title"] = ask("Title", value_proc=_title)
    if not request.recommendations:
        progress = derive(content, today)
        open_first = sorted(progress.standings.values(), key=lambda s: (s.status.closed, s.id))
        choices = [s.id for s in open_first]
        say("\nRecommendations (open ones first):")
        for number, standing in enumerate(open_first, 1):
            say(f"  {number:>3}. {standing.id}  {standing.recommendation.title} [{standing.status.label}]")
        answers["recommendations"] = tuple(
            ask("Which recommendations does it move? Numbers or ids, separated by spaces", value_proc=_several(choices, "recommendation"))
        )
    if not request.status:
        say("\nStatuses:")
        for number, status in enumerate(Status, 1):
            say(f"  {number:>3}. {status.value}  {status.definition}")
        answers["status"] = ask("New status", value_proc=_one(Status.values(), "status"))
    if not request.date:
        answers["date"] = ask("Date of the evidence (e.g. 2024-03-31, or 2024-03 if the source gives only a month)", default=today.isoformat(), value_proc=_date)
    if not request.evidence:
        say("\nKinds of evidence:")
        for number, kind in enumerate(EvidenceKind, 1):
            say(f"  {number:>3}. {kind.value}  {kind.definition}")
        answers["evidence"] = ask("Evidence", default=DEFAULT_EVIDENCE.value, value_proc=_one(EvidenceKind.values(), "evidence kind"))
    if not request.sources:
        dated = sorted((s for s in content.sources.values() if s.date.known), key=lambda s: s.date.sort_key, reverse=True)
        newest = dated + sorted((s for s in content.sources.values() if not s.date.known), key=lambda s: s.id)
        say("\nSources (newest first; add a new document to content/sources.yml first):")
        for number, source in enumerate(newest, 1):
            say(f"  {number:>3}. {source.id}  {source.title} ({source.date.label})")
        chosen = ask("Where is the evidence published? Numbers or ids, separated by spaces", value_proc=_several([s.id for s in newest], "source"))
        cells = []
        for source_id in chosen:
            title = content.sources[source_id].title
            say(f"\nIn '{title}':")
            section = ask("Where in it is the evidence? A heading, page or paragraph", value_proc=_required("where in the document the evidence is"))
            quote = ask("A few of its words, exactly as written (press Enter to leave out)", default="", show_default=False)
            cells.append(f"{source_id} ({section})" + (' "' + str(quote).replace('"', '""') + '"' if str(quote).strip() else ""))
        answers["sources"] = tuple(cells)
    if request.draft is None:
        answers["draft"] = confirm("Save it as a draft, shown only in the preview until you remove 'draft: true'?", default=False)
    return replace(request, **answers)


def _required(what: str) -> Callable[[str], str]:
    def convert(answer: str) -> str:
        if not answer.strip():
            raise click.BadParameter(f"say {what}, so a reader can find it")
        return answer.strip()

    return convert


def _title(text: str) -> str:
    text = text.strip()
    if not text:
        raise click.BadParameter("write a headline")
    try:
        check_plain(text)
    except MarkupProblem as problem:
        raise click.BadParameter(f"{problem.message} ({problem.fix})") from None
    return text


def _date(text: str) -> str:
    try:
        parsed = PartialDate.parse(text.strip())
    except DateError as error:
        raise click.BadParameter(str(error)) from None
    if not parsed.known:
        raise click.BadParameter("an update needs a date; give it as precisely as the source does")
    return parsed.text


def _pick(answer: str, choices: Sequence[str], kind: str) -> str:
    if answer.isdigit() and 1 <= int(answer) <= len(choices):
        return choices[int(answer) - 1]
    if answer in choices:
        return answer
    if answer.isdigit():
        raise click.BadParameter(f"{answer} is not in the list; give a number from 1 to {len(choices)}, or an id")
    raise click.BadParameter(f"'{answer}' is not a {kind} here; {did_you_mean(answer, choices)}")


def _one(choices: Sequence[str], kind: str) -> Callable[[str], str]:
    return lambda answer: _pick(answer.strip(), choices, kind)


def _several(choices: Sequence[str], kind: str) -> Callable[[str], list[str]]:
    def convert(answer: str) -> list[str]:
        picked = [_pick(part, choices, kind) for part in re.split(r"[\s,;]+", answer.strip()) if part]
        if not picked:
            raise click.BadParameter(f"give at least one {kind}")
        return list(dict.fromkeys(picked))

    return convert
