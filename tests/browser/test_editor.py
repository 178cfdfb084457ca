"""The browser editor at /admin/ of `publisher serve`, driven in Chromium against a copy of
the project: an update made through the form is the file `publisher new update` would
write, passes `publisher check` and appears on the refreshed preview; a mistake saved
through the form is reported on the preview's pages, with its file and line, until fixed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from support import TODAY, copy_project, free_port, publisher, until

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
RECOMMENDATION = "2023-jcc-afi-4"
SOURCE = "statesassembly-p21-2024-amd2"


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """`publisher serve` on a copy of the project: (project folder, base URL)."""
    project = copy_project(tmp_path_factory.mktemp("editor") / "project")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "publisher.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env={**os.environ, "PUBLISHER_TODAY": TODAY}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        until(base + "admin/", "decap-cms", limit=300)
        yield project, base
    finally:
        server.terminate()
        server.communicate(timeout=60)


def _open_editor(new_page, base: str, where: str = "collections/updates/new"):
    page = new_page(width=1280, height=900)
    page.goto(f"{base}admin/#/{where}")
    page.get_by_role("button", name="Login").click()  # the local folder needs no account
    return page


def _choose(page, field: str, text: str) -> None:
    """Pick the option matching `text` in a choice list (type to filter, Enter to pick)."""
    page.locator(f"[id^={field}-field]").fill(text)
    page.keyboard.press("Enter")


def _publish(page) -> None:
    """Save the entry ("Publish now" saves the file; the public site is built elsewhere)."""
    page.get_by_text("Unsaved changes").wait_for()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Publish now").click()
    page.get_by_text("Changes saved").wait_for()


def _fill_update(page, *, title: str, day: str, body: str, section: str | None = "Page 1") -> None:
    page.get_by_label("Title").fill(title)
    page.locator("[id^=date-field]").fill(day)
    _choose(page, "recommendations", RECOMMENDATION)
    _choose(page, "status", "In progress")  # the plain-English label; the file gets the id
    page.get_by_role("button", name="Add source").click()
    _choose(page, "source", SOURCE)
    if section:
        page.locator("[id^=section-field]").fill(section)
    page.locator("[aria-label='markdown field'] [role=textbox]").click()
    page.keyboard.type(body)


def _off_host(requests: list[str], base: str) -> list[str]:
    host = urlsplit(base).netloc
    return [url for url in requests if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != host]


def test_an_update_made_in_the_form_passes_the_check_and_appears_on_the_preview(preview, new_page):
    project, base = preview
    page = _open_editor(new_page, base)
    title = "Inspectors' follow-up: workforce & training plans"
    _fill_update(page, title=title, day="2024-05-07", body="The amendment asks the government to continue the reform.")
    _publish(page)

    update_id = "2024-05-07-inspectors-follow-up-workforce-and-training-plans"  # as `new update` names it
    written = project / "content" / "updates" / f"{update_id}.md"
    assert written.read_text(encoding="utf-8") == (
        "---\n"
        "title: 'Inspectors'' follow-up: workforce & training plans'\n"
        "date: 2024-05-07\n"
        "recommendations:\n"
        f"  - {RECOMMENDATION}\n"
        "status: in-progress\n"
        "evidence: self-reported\n"
        "sources:\n"
        f"  - source: {SOURCE}\n"
        "    section: Page 1\n"
        "---\n"
        "The amendment asks the government to continue the reform.\n"
    )
    check = publisher("check", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Inspectors&#x27; follow-up" in until(f"{base}updates/{update_id}/", "workforce &amp; training plans")
    until(f"{base}recommendations/{RECOMMENDATION}/", f"/updates/{update_id}/")
    assert _off_host(page.requests, base) == [], "the editor made requests off the preview's host"


def test_a_mistake_saved_in_the_form_is_shown_on_the_preview_until_it_is_fixed(preview, new_page):
    project, base = preview
    page = _open_editor(new_page, base)
    # The form lets "where in it" be left empty (a draft may); the content's own check
    # refuses a published update that does not say where in the source its evidence is.
    _fill_update(page, title="Caseloads reviewed", day="2023-02-28", body="The service reviewed every caseload.", section=None)
    _publish(page)
    name = "content/updates/2023-02-28-caseloads-reviewed.md"
    assert (project / name).is_file()

    shown = new_page(width=412, height=900)
    shown.route("**/livereload/**", lambda route: route.abort())  # no reload while axe reads it
    url = f"{base}recommendations/{RECOMMENDATION}/"
    until(url, "Not refreshed.")
    shown.goto(url)
    alert = shown.get_by_role("alert")
    text = alert.inner_text()
    assert re.search(rf"{re.escape(name)}:\d+: .*'{SOURCE}'.* without saying where in it \(.+\)", text), text  # file:line: what (fix)
    results = Axe().run(shown, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert [v["id"] for v in results.response["violations"]] == []

    page.locator("[id^=section-field]").fill("Page 2")  # fixed in the same form
    _publish(page)
    until(url, "Not refreshed.", gone=True)
    assert "    section: Page 2\n" in (project / name).read_text(encoding="utf-8")
    assert _off_host(page.requests + shown.requests, base) == []


def test_a_source_added_in_the_form_is_appended_to_its_file_and_citable(preview, new_page):
    project, base = preview
    path = project / "content" / "sources" / "jcc-2023.yml"
    before = path.read_text(encoding="utf-8")
    page = _open_editor(new_page, base, "collections/sources/entries/jcc-2023")
    page.get_by_role("button", name="Add document").click()
    page.locator("[id^=id-field]").last.fill("govje-2026-workforce-report")
    page.locator("[id^=title-field]").last.fill("Children's social care workforce report")
    page.locator("[id^=publisher-field]").last.fill("Government of Jersey")
    page.locator("[id^=kind-field]").last.fill("Government publication")  # the new document is the last
    page.keyboard.press("Enter")
    page.locator("[id^=date-field]").last.fill("2026-10")
    page.locator("[id^=url-field]").last.fill("https://www.gov.je/workforce-report")
    _publish(page)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n") + "\n")  # every other document kept as it was written
    assert after.endswith(
        "\n- id: govje-2026-workforce-report\n  title: Children's social care workforce report\n"
        "  publisher: Government of Jersey\n  kind: government-publication\n  date: 2026-10\n"
        "  url: https://www.gov.je/workforce-report\n"
    )
    check = publisher("check", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr
    until(f"{base}sources/govje-2026-workforce-report/", "workforce report")
    assert _off_host(page.requests, base) == []
