"""Printing content problems for the place they will be read.

`publisher check` is read by an author in a terminal, and by a git host reviewing a pull
request. The text form is `path:line: what (fix)`; `github` prints GitHub Actions workflow
commands, so each problem is shown on its line of the pull request's diff; `gitlab` writes
a GitLab Code Quality report (JSON), which GitLab shows on the merge request.

Which warnings are printed in full is decided here too: the ones in files the author has
just changed, always; the rest (long-standing freshness notices) as one line with a count,
unless asked for in full.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Iterable

from .problems import Problem

FORMATS = ("text", "github", "gitlab")


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    #: Warnings on files not changed since the last commit, summarised unless `verbose`.
    quiet_warnings: list[Problem] = field(default_factory=list)


def split_warnings(warnings: Iterable[Problem], changed: set[str] | None, verbose: bool) -> tuple[list[Problem], list[Problem]]:
    """(shown in full, summarised): everything in full when verbose or when there is no
    git history to compare with; otherwise only the warnings on changed files."""
    warnings = sorted(warnings)
    if verbose or changed is None:
        return warnings, []
    shown = [w for w in warnings if w.path in changed]
    return shown, [w for w in warnings if w.path not in changed]


def text_lines(report: Report) -> list[str]:
    lines = [str(p) for p in sorted(report.problems)] + [str(w) for w in report.warnings]
    if report.quiet_warnings:
        count = len(report.quiet_warnings)
        lines.append(
            f"{count} older notice{'s' if count != 1 else ''} about progress updates due on files you have not changed "
            "('publisher status' lists them; 'publisher check --verbose' prints them here)."
        )
    return lines


def _escape_data(text: str) -> str:
    # The workflow-command syntax: %, CR and LF are escaped in a message...
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    # ...and ':' and ',' too in a property value (file=..., title=...).
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(report: Report) -> list[str]:
    """GitHub Actions workflow commands: `::error file=F,line=L,title=T::message`."""
    lines = []
    for problem in sorted(report.problems) + report.warnings:
        level = "warning" if problem.warning else "error"
        message = f"{problem.message} ({problem.fix})" if problem.fix else problem.message
        where = f"file={_escape_property(problem.path)}"
        if problem.line:
            where += f",line={problem.line}"
        title = "publisher check: progress update due" if problem.warning else "publisher check"
        lines.append(f"::{level} {where},title={_escape_property(title)}::{_escape_data(message)}")
    if report.quiet_warnings:
        count = len(report.quiet_warnings)
        lines.append(f"::notice title=publisher check::{count} older notices of progress updates due on files this change does not touch (publisher status lists them)")
    return lines


def gitlab_json(report: Report) -> str:
    """A GitLab Code Quality report: a JSON list, one entry per problem."""
    entries = []
    for problem in sorted(report.problems) + report.warnings:
        description = f"{problem.message} ({problem.fix})" if problem.fix else problem.message
        fingerprint = hashlib.sha256(f"{problem.path}:{problem.line}:{problem.message}".encode()).hexdigest()
        entries.append({
            "description": description,
            "check_name": "publisher-progress-update-due" if problem.warning else "publisher-content",
            "fingerprint": fingerprint,
            "severity": "minor" if problem.warning else "major",
            "location": {"path": problem.path, "lines": {"begin": max(problem.line, 1)}},
        })
    return json.dumps(entries, indent=2, ensure_ascii=False)
