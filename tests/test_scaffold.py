"""`publisher new update`: a new update from flags or answers, refused whole when anything is wrong."""

import io
import os
import pty
import select
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import click
import pytest

from support import TODAY, publisher
from publisher import scaffold
from publisher.content import load_content
from publisher.model.update import BODY_PLACEHOLDER
from publisher.problems import ContentError
from publisher.vocabulary import EvidenceKind, Status

FLAGS = ["--title", "Recruitment campaign launched", "--recommendation", "2023-example-afi-1", "--status", "in-progress", "--source", 'news-2024 (Third paragraph) "a recruitment campaign"']


def _new(content_dir: Path, *args: str):
    return publisher("new", "update", "--content", str(content_dir), *args, cwd=content_dir.parent)


def _updates(content_dir: Path) -> set[str]:
    return {p.name for p in (content_dir / "updates").iterdir()}


def test_flags_write_a_dated_update_with_its_front_matter_and_a_body_to_complete(minimal_content):
    result = _new(minimal_content, *FLAGS, "--date", "2026-11-20", "--evidence", "media")
    assert result.returncode == 0, result.stderr
    path = minimal_content / "updates" / "2026-11-20-recruitment-campaign-launched.md"
    assert f"Wrote content/updates/{path.name}" in result.stdout
    assert "http://127.0.0.1:8000/updates/2026-11-20-recruitment-campaign-launched/" in result.stdout
    assert path.read_text() == (
        "---\n"
        "title: Recruitment campaign launched\n"
        "date: 2026-11-20\n"
        "recommendations:\n"
        "  - 2023-example-afi-1\n"
        "status: in-progress\n"
        "evidence: media\n"
        "sources:\n"
        "  - source: news-2024\n"
        "    section: Third paragraph\n"
        "    quote: a recruitment campaign\n"
        "---\n"
        f"{BODY_PLACEHOLDER}\n"
    )
    update = load_content(minimal_content, unfinished_ok=True).updates[path.stem]
    assert update.status is Status.IN_PROGRESS and update.evidence is EvidenceKind.MEDIA


def test_date_and_evidence_default_to_today_and_self_reported_and_say_so(minimal_content):
    result = _new(minimal_content, *FLAGS)
    assert result.returncode == 0, result.stderr
    assert f"Used date: {TODAY}" in result.stdout and "Used evidence: self-reported" in result.stdout
    update = load_content(minimal_content, unfinished_ok=True).updates[f"{TODAY}-recruitment-campaign-launched"]
    assert update.date.text == TODAY and update.evidence is EvidenceKind.SELF_REPORTED


def test_an_unfinished_update_fails_the_check_until_its_text_is_written(minimal_content):
    assert _new(minimal_content, *FLAGS).returncode == 0
    path = minimal_content / "updates" / f"{TODAY}-recruitment-campaign-launched.md"
    check = publisher("check", "--content", str(minimal_content), cwd=minimal_content.parent)
    assert check.returncode == 1
    assert f"content/updates/{path.name}:13: the text is still the placeholder" in check.stderr
    # ...but it does not stop the author starting another update meanwhile.
    assert _new(minimal_content, *FLAGS, "--title", "A second update").returncode == 0
    path.write_text(path.read_text().replace(BODY_PLACEHOLDER, "The service says a campaign has started."))
    (minimal_content / "updates" / f"{TODAY}-a-second-update.md").unlink()
    assert publisher("check", "--content", str(minimal_content), cwd=minimal_content.parent).returncode == 0


def test_a_draft_may_keep_the_placeholder_and_is_marked_as_a_draft(minimal_content):
    assert _new(minimal_content, *FLAGS, "--draft").returncode == 0
    path = minimal_content / "updates" / f"{TODAY}-recruitment-campaign-launched.md"
    assert "draft: true\n" in path.read_text()
    check = publisher("check", "--content", str(minimal_content), cwd=minimal_content.parent)
    assert check.returncode == 0, check.stderr
    assert f"content/updates/{path.name}: not on the public site yet (draft)" in check.stdout


def test_an_embargo_is_written_as_publish_on(minimal_content):
    assert _new(minimal_content, *FLAGS, "--publish-on", "2026-12-01", "--summary", "One sentence.").returncode == 0
    update = load_content(minimal_content, unfinished_ok=True).updates[f"{TODAY}-recruitment-campaign-launched"]
    assert update.publish_on == date(2026, 12, 1) and update.summary == "One sentence."


def test_unknown_ids_statuses_and_sources_are_refused_with_did_you_mean_and_nothing_is_written(minimal_content):
    before = _updates(minimal_content)
    result = _new(
        minimal_content, "--title", "A title", "--recommendation", "2023-example-afi1", "--status", "in-progres",
        "--source", "news-2042", "--evidence", "self-reportd", "--date", "2024-02-30",
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    err = result.stderr
    assert "--recommendation: unknown recommendation id '2023-example-afi1' (did you mean '2023-example-afi-1'" in err
    assert "--status: 'in-progres' is not a valid status (did you mean 'in-progress'?" in err
    assert "--source: unknown source id 'news-2042' (did you mean 'news-2024'?" in err
    assert "--evidence: 'self-reportd' is not a valid evidence (did you mean 'self-reported'?" in err
    assert "--date: '2024-02-30' is not a real date" in err
    assert err.rstrip().endswith("Nothing was written.")
    assert _updates(minimal_content) == before


def test_missing_flags_without_a_terminal_are_named(minimal_content):
    before = _updates(minimal_content)
    result = _new(minimal_content, "--title", "<b>Bold</b>")
    assert result.returncode == 2
    assert "--recommendation is needed" in result.stderr and "--status is needed (one of: no-evidence," in result.stderr
    assert "--source is needed" in result.stderr and "--title: HTML is not allowed" in result.stderr
    assert _updates(minimal_content) == before


def test_a_second_update_with_the_same_date_and_title_gets_its_own_file(minimal_content):
    assert _new(minimal_content, *FLAGS).returncode == 0
    second = _new(minimal_content, *FLAGS)
    assert second.returncode == 0 and f"{TODAY}-recruitment-campaign-launched-2.md" in second.stdout


def test_ids_are_made_from_the_date_and_title_and_never_break_a_url():
    from publisher.update_files import update_id

    assert update_id("2024-03-31", "Inspectors' follow-up: workforce “more stable” & £20m") == "2024-03-31-inspectors-follow-up-workforce-more-stable-and-20m"
    assert update_id("2023-12..2024-04", "Response") == "2023-12-2024-04-response"
    long = update_id("2024-03", "word " * 40)
    assert len(long) <= 8 + 60 and not long.endswith("-")


# --------------------------------------------------------------------------- asking


def _ask_with(monkeypatch, capsys, answers: list[str], request: scaffold.Request, content):
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(a + "\n" for a in answers)))
    result = scaffold.ask_missing(request, content, date(2026, 11, 25))
    return result, capsys.readouterr().out


def test_answers_are_asked_for_each_missing_flag_with_the_choices_and_checked_as_given(monkeypatch, capsys, minimal_content):
    content = load_content(minimal_content)
    answers = [
        "",  # an empty title is asked again
        "Recruitment campaign launched",
        "2023-example-afi-9 1",  # an unknown id: asked again, with a did-you-mean
        "1 2019-example-r2",  # a number from the list, and an id
        "in-progres",
        "in-progress",
        "2024-13",  # no such month
        "2024-03",
        "",  # the default evidence
        "3",  # the third source listed: newest first, undated last
        "",  # where in it: needed, so asked again
        "Improvement plan, Area for improvement 1",
        "",  # the quotation is optional
        "y",
    ]
    request, out = _ask_with(monkeypatch, capsys, answers, scaffold.Request(), content)
    assert request == scaffold.Request(
        title="Recruitment campaign launched", recommendations=("2019-example-r1", "2019-example-r2"),
        status="in-progress", date="2024-03", evidence="self-reported", sources=("report-2023 (Improvement plan, Area for improvement 1)",), draft=True,
    )
    assert "1. 2019-example-r1  Stabilise the workforce [Not met]" in out  # open items first, with status
    assert out.index("2023-example-afi-1  A stable workforce [In progress]") < out.index("2019-example-r2")
    assert "Error: '2023-example-afi-9' is not a recommendation here; did you mean '2023-example-afi-1'" in out
    assert "Error: 'in-progres' is not a status here; did you mean 'in-progress'?" in out
    assert "in-progress  A source says work has begun" in out  # each status with its meaning
    assert "Error: '2024-13' has month 13" in out
    assert "1. news-2024  Minister announces funding (15 March 2024)" in out
    assert "3. report-2023" in out  # undated sources are listed after the dated ones
    assert out.count("Where in it is the evidence?") == 2  # an empty answer is asked again


def test_only_the_missing_flags_are_asked_for(monkeypatch, capsys, minimal_content):
    content = load_content(minimal_content)
    given = scaffold.Request(title="T", recommendations=("2019-example-r1",), status="met", date="2024-01-01", evidence="media", sources=("news-2024",))
    request, out = _ask_with(monkeypatch, capsys, ["n"], given, content)
    assert request == scaffold.Request(**{**given.__dict__, "draft": False})
    assert "Title" not in out and "Statuses" not in out


def test_stopping_at_a_question_writes_nothing(monkeypatch, capsys, minimal_content):
    content = load_content(minimal_content)
    monkeypatch.setattr(sys, "stdin", io.StringIO("A title\n"))  # then end of input
    with pytest.raises(click.exceptions.Abort):
        scaffold.ask_missing(scaffold.Request(), content, date(2026, 11, 25))


def test_on_a_terminal_the_command_asks_and_writes(minimal_content):
    """The whole command in a pseudo-terminal, as an author would run it."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher.cli", "new", "update", "--content", str(minimal_content), "--status", "met"],
        stdin=terminal, stdout=terminal, stderr=terminal, cwd=minimal_content.parent,
        env={**os.environ, "PUBLISHER_TODAY": TODAY}, close_fds=True,
    )
    os.close(terminal)
    screen = b""

    def wait_for(text: bytes, timeout: float = 20) -> None:
        nonlocal screen
        deadline = time.monotonic() + timeout
        while text not in screen:
            assert time.monotonic() < deadline, f"never asked {text!r}:\n{screen.decode()}"
            if select.select([controller], [], [], 0.1)[0]:
                try:
                    screen += os.read(controller, 65536)
                except OSError:
                    break

    for question, answer in [
        (b"Title", "Inspectors find better support"), (b"Which recommendations", "2019-example-r2"),
        (b"Date of the evidence", "2024-03-31"), (b"Evidence", "independent-inspection"),
        (b"Where is the evidence published", "report-2023"), (b"Where in it is the evidence", "Improvement plan"),
        (b"A few of its words", '"remains variable"'), (b"Save it as a draft", "n"),
    ]:
        wait_for(question)
        os.write(controller, answer.encode() + b"\n")
    wait_for(b"Wrote ")
    assert process.wait(timeout=20) == 0, screen.decode()
    os.close(controller)
    assert b"Statuses" not in screen  # given as a flag, so not asked
    update = load_content(minimal_content, unfinished_ok=True).updates["2024-03-31-inspectors-find-better-support"]
    assert update.status is Status.MET and [(c.source, c.section, c.quote) for c in update.sources] == [("report-2023", "Improvement plan", '"remains variable"')]


def test_a_scaffolded_update_is_refused_by_the_loader_only_while_unfinished(minimal_content):
    content = load_content(minimal_content)
    made = scaffold.create(content, scaffold.Request(title="T", recommendations=("2019-example-r1",), status="met", sources=("news-2024 (Third paragraph)",)), date(2026, 11, 25))
    with pytest.raises(ContentError, match="still the placeholder"):
        load_content(minimal_content)
    made.path.write_text(made.path.read_text().replace(BODY_PLACEHOLDER, "Done."))
    assert load_content(minimal_content).bodies[made.update_id] == "Done."


def test_a_source_without_the_place_in_it_is_refused_with_the_form_to_use(minimal_content):
    flags = [f if f != FLAGS[-1] else "news-2024" for f in FLAGS]
    before = _updates(minimal_content)
    result = _new(minimal_content, *flags)
    assert result.returncode == 2 and "Nothing was written." in result.stderr
    assert "--source: 'news-2024' does not say where in the document the evidence is" in result.stderr
    assert "'news-2024 (a heading, page or paragraph)'" in result.stderr
    assert _updates(minimal_content) == before
