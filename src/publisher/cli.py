"""The `publisher` command.

    publisher check  [--strict] [--verbose] [--format text|github|gitlab]
                                            validate the content only (fast)
    publisher status                        what is overdue, which updates are due, what is held back
    publisher build  [--site-dir DIR]       build the public site, atomically, strictly
    publisher serve  [--dev-addr HOST:PORT] preview with drafts, reloading on every edit; editor at /admin/
    publisher export-markdown DIR           the public site as plain Markdown + mkdocs.yml (no hooks)
    publisher register [--check]            add newly published addresses to permalinks.txt
    publisher new update [--title ...]      start a progress update (asks on a terminal)
    publisher import updates FILE.csv       progress updates from a spreadsheet, all or none
    publisher headers [--format nginx]      the HTTP headers a built site must be served with
    publisher init DIR --name ... --body ...  a new tracker in DIR, with example content to replace

Exit codes: 0 fine, 1 content problems (or a failed build), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import report, starter
from . import settings as settings_module
from .content import load_content
from .problems import ContentError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _project(args) -> Path:
    """The folder holding mkdocs.yml: --config's folder, or the current one."""
    return Path(args.config).resolve().parent


def _settings(config_file) -> settings_module.Settings:
    """The options from the environment, "today" in the tracker's time zone (its mkdocs.yml)."""
    from .tracker import zone_of

    return settings_module.from_environment(time_zone=zone_of(config_file))


def _content_dir(args) -> Path:
    return Path(args.content) if args.content else _project(args) / "content"


def _checked(args):
    """Load and check the content as `check` and `status` do: (content, progress, problems,
    warnings, settings); problems is a list of Problem, empty when all is well."""
    from . import permalinks, tracker
    from .progress import derive, freshness_warnings

    content_dir = _content_dir(args)
    settings = _settings(args.config)
    # The site's own facts (`extra:` in mkdocs.yml) are checked with the content.
    config_problems = []
    if Path(args.config).is_file():
        try:
            tracker.read(Path(args.config))
        except ContentError as error:
            config_problems = list(error.problems)
    try:
        content, redirects = permalinks.load(content_dir, today=settings.today)
    except ContentError as error:
        return None, None, config_problems + list(error.problems), [], settings
    progress = derive(content, settings.today)
    permanence, _ = permalinks.assess(
        content, progress, register_path=_project(args) / permalinks.REGISTER, pages_dir=content_dir / "pages", written=redirects
    )
    return content, progress, config_problems + permanence.problems, freshness_warnings(content, progress), settings


def _emit(report_, fmt: str, summary: str) -> None:
    if fmt == "github":
        for line in report.github_lines(report_):
            print(line)
        print(summary, file=sys.stderr)
    elif fmt == "gitlab":
        print(report.gitlab_json(report_))
        print(summary, file=sys.stderr)
    else:
        for line in report.text_lines(report_):
            print(line, file=sys.stderr)
        print(summary, file=sys.stdout if not report_.problems else sys.stderr)


def cmd_check(args) -> int:
    from .changes import changed_since_last_commit
    from .examples import warnings as example_warnings
    from .progress import held_back

    try:
        content, _, problems, warnings, settings = _checked(args)
    except settings_module.SettingsError as error:
        print(f"publisher: {error}", file=sys.stderr)
        return EXIT_USAGE
    content_dir = _content_dir(args)
    changed = changed_since_last_commit(content_dir.parent, args.changed_since)
    shown, quiet = report.split_warnings(warnings, changed, args.verbose)
    # Example content from `publisher init` is always named in full: it must all go.
    examples = example_warnings(content) if content is not None else []
    warnings = warnings + examples
    result = report.Report(problems=list(problems), warnings=examples + shown, quiet_warnings=quiet)
    if problems:
        count = len(problems)
        _emit(result, args.format, f"{count} problem{'s' if count != 1 else ''} found in the content.")
        return EXIT_PROBLEMS
    if args.format == "text":
        for path, why in held_back(content, settings.today):
            print(f"{path}: not on the public site yet ({why})")
    due = len(warnings) - len(examples)
    notices = f", {due} notice{'s' if due != 1 else ''} of progress updates due" if due else ""
    if examples:
        notices += f", {len(examples)} example{'s' if len(examples) != 1 else ''} from `publisher init` still to replace"
    _emit(result, args.format, (
        f"Checked {len(content.sources)} sources, {len(content.inspections)} inspections, "
        f"{len(content.findings)} findings, {len(content.recommendations)} recommendations, "
        f"{len(content.themes)} themes, {len(content.plans)} plans and {len(content.updates)} updates: "
        f"no problems{notices}."
    ))
    if warnings and args.strict:
        print("Failing because of warnings (--strict).", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_status(args) -> int:
    """Where things stand for the people keeping the site up to date: what is late, what is
    held back, and how many recommendations are at each status."""
    from .progress import count_by_status, held_back

    try:
        content, progress, problems, warnings, settings = _checked(args)
    except settings_module.SettingsError as error:
        print(f"publisher: {error}", file=sys.stderr)
        return EXIT_USAGE
    if problems:
        print(ContentError(problems).report(), file=sys.stderr)
        return EXIT_PROBLEMS
    standings = list(progress.standings.values())
    print(f"Position on {settings.today.isoformat()}: {len(standings)} recommendations.")
    for status, count in count_by_status(standings).items():
        if count:
            print(f"  {count:>5}  {status.label}")
    overdue = sorted((s for s in standings if s.overdue), key=lambda s: (s.due.end, s.id))
    print(f"\nOverdue ({len(overdue)}): past their due date with no source saying they are met.")
    for s in overdue:
        print(f"  {s.id}  due {s.due.label}  [{s.status.label}]")
    print(f"\nProgress updates due ({len(warnings)}): this site looks for one a quarter after the last.")
    for warning in warnings:
        print(f"  {warning}")
    held = held_back(content, settings.today)
    print(f"\nNot on the public site yet ({len(held)}):")
    for path, why in held:
        print(f"  {path} ({why})")
    return EXIT_OK


def cmd_register(args) -> int:
    """Add every address the public site now publishes to the register; never remove one."""
    from . import permalinks
    from .progress import derive

    project = _project(args)
    register_path = project / permalinks.REGISTER
    try:
        settings = _settings(args.config)
        content, redirects = permalinks.load(project / "content")
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return EXIT_PROBLEMS
    except settings_module.SettingsError as error:
        print(f"publisher: {error}", file=sys.stderr)
        return EXIT_USAGE
    progress = derive(content, settings.today)  # the public site: drafts are not published
    permanence, _ = permalinks.assess(
        content, progress, register_path=register_path, pages_dir=project / "content" / "pages", written=redirects
    )
    new = permanence.unregistered
    if args.check:
        for address in new:
            print(f"{permalinks.REGISTER}: not registered: {address}", file=sys.stderr)
        if new:
            print(f"{len(new)} published address(es) are not in {permalinks.REGISTER} (run `publisher register`).", file=sys.stderr)
        else:
            print(f"{permalinks.REGISTER} lists every published address.")
    elif new:
        registered = permalinks.read_register(register_path).addresses
        permalinks.write_register(register_path, registered | set(new))
        print(f"Added {len(new)} address(es) to {permalinks.REGISTER}; commit it with the content.")
    else:
        print(f"{permalinks.REGISTER} already lists every published address.")
    if permanence.problems:
        print(ContentError(permanence.problems).report(), file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_PROBLEMS if (args.check and new) else EXIT_OK


def cmd_build(args) -> int:
    from . import engine, site_address

    url = site_address.configured(Path(args.config))
    if site_address.is_placeholder(url) and not (args.allow_example_url or site_address.allowed_by_environment()):
        print(
            f"publisher build: the site's address is {url or 'not set'}, a placeholder, so every permanent link and "
            "citation would point nowhere. Set SITE_URL to the address the site is published at "
            "(for example: SITE_URL=https://tracker.your-council.gov.uk/ publisher build), or pass --allow-example-url "
            "for a build that will not be published.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    code = engine.build(Path(args.config), Path(args.site_dir) if args.site_dir else None, quiet=args.quiet, offline=args.offline)
    if code == EXIT_OK and not args.offline:
        # The moment an address is published is the moment it becomes permanent: the public
        # build registers it, so a routine update never needs a separate step.
        _register_published(_project(args), Path(args.config), quiet=args.quiet)
    return code


def _register_published(project: Path, config_file: Path, *, quiet: bool) -> None:
    """Add the addresses the public site now publishes to the register, if there is one."""
    from . import permalinks
    from .progress import derive

    register_path = project / permalinks.REGISTER
    if not register_path.is_file():
        return
    settings = _settings(config_file)
    content, redirects = permalinks.load(project / "content", today=settings.today)
    permanence, _ = permalinks.assess(
        content, derive(content, settings.today), register_path=register_path,
        pages_dir=project / "content" / "pages", written=redirects,
    )
    if permanence.unregistered:
        registered = permalinks.read_register(register_path).addresses
        permalinks.write_register(register_path, registered | set(permanence.unregistered))
        if not quiet:
            print(f"Registered {len(permanence.unregistered)} newly published address(es) in {permalinks.REGISTER}; commit it with the content.")


def cmd_export_markdown(args) -> int:
    from . import engine

    return engine.export_markdown(Path(args.config), Path(args.dir), quiet=args.quiet)


def cmd_serve(args) -> int:
    from . import editor, engine

    # The browser editor (/admin/) is part of the preview only; no build writes it.
    routes = editor.routes(_project(args), args.dev_addr)
    return engine.serve(Path(args.config), args.dev_addr, preview=not args.public, routes=routes)


def cmd_headers(args) -> int:
    from . import headers

    site = Path(args.site_dir) if args.site_dir else _project(args) / "site"
    built = site / headers.HEADERS_FILE
    if not built.is_file():
        print(f"publisher: no {headers.HEADERS_FILE} in {site}; run `publisher build` first", file=sys.stderr)
        return EXIT_USAGE
    # The build decided the headers (and checked the site); this only changes their format
    # (the _headers file is already in the Netlify format, caching rules included).
    built_text = built.read_text(encoding="utf-8")
    text = headers.nginx_snippet(headers.read_netlify_file(built_text)) if args.format == "nginx" else built_text
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_new_update(args) -> int:
    import click

    from . import scaffold

    try:
        settings = _settings(args.config)
        content = load_content(_content_dir(args), unfinished_ok=True)
    except ContentError as error:
        print(error.report() + "\nFix these first: a new update is checked against the content.", file=sys.stderr)
        return EXIT_PROBLEMS
    except settings_module.SettingsError as error:
        print(f"publisher: {error}", file=sys.stderr)
        return EXIT_USAGE
    request = scaffold.Request(
        title=args.title, recommendations=tuple(args.recommendation), status=args.status, date=args.date,
        evidence=args.evidence, sources=tuple(args.source), findings=tuple(args.finding), summary=args.summary,
        publish_on=args.publish_on, draft=True if args.draft else None,
    )
    try:
        if sys.stdin.isatty() and request.missing():  # with every required flag given, use the defaults
            request = scaffold.ask_missing(request, content, settings.today)
        made = scaffold.create(content, request, settings.today)
    except scaffold.Refused as refused:
        for message in refused.messages:
            print(f"publisher new update: {message}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return EXIT_USAGE
    except click.exceptions.Abort:
        print("\nStopped; nothing was written.", file=sys.stderr)
        return EXIT_USAGE
    for default in made.defaults:
        print(f"Used {default}.")
    print(f"Wrote {made.shown}")
    print(f"Next: replace the bracketed paragraph in it with what happened, then preview it with 'publisher serve' at {made.preview_url}")
    return EXIT_OK


def cmd_import_updates(args) -> int:
    from .importer import import_updates

    try:
        today = _settings(args.config).today
        outcome = import_updates(Path(args.file), _content_dir(args), replace=args.replace, dry_run=args.dry_run, today=today)
    except ContentError as error:
        print(error.report().replace("found in the content.", "found; nothing was imported."), file=sys.stderr)
        return EXIT_PROBLEMS
    verb = "Would write" if outcome.dry_run else "Wrote"
    for label, paths in (("new", outcome.created), ("replaced", outcome.replaced)):
        for path in paths:
            print(f"{verb} {path} ({label})")
    print(
        f"{len(outcome.created)} new, {len(outcome.replaced)} replaced, {len(outcome.unchanged)} unchanged"
        + (" (a dry run: nothing was written)." if outcome.dry_run else ".")
    )
    if (outcome.created or outcome.replaced) and not outcome.dry_run:
        print("Preview them with 'publisher serve'.")
    return EXIT_OK


def cmd_init(args) -> int:
    request = starter.NewTracker(
        Path(args.dir), name=args.name, body=args.body, subject=args.subject or "",
        publisher=args.publisher or "", time_zone=args.timezone, url=args.url,
    )
    try:
        today = settings_module.from_environment(time_zone=ZoneInfo(args.timezone)).today
        written = starter.create(request, today)
    except (starter.InitError, settings_module.SettingsError) as error:
        print(f"publisher init: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ZoneInfoNotFoundError:
        print(f"publisher init: --timezone: '{args.timezone}' is not a time zone name (e.g. Europe/London)", file=sys.stderr)
        return EXIT_USAGE
    except ContentError as error:  # a name or body the starter's files cannot hold
        print(f"publisher init: {error.report()}", file=sys.stderr)
        return EXIT_USAGE
    folder = Path(args.dir)
    print(f"Wrote a new tracker in {folder} ({len(written)} files), with example content marked [Example].")
    print(f"Next: cd {folder}, then `publisher serve` to see it, and replace the examples "
          "(`publisher check --strict` lists each one).")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="publisher", description="Build the accountability site from content/.")
    main.add_argument("--config", default="mkdocs.yml", help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser("check", help="validate the content without building")
    check.add_argument("--content", help="the content folder (default: content/ beside mkdocs.yml)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too (e.g. overdue progress updates)")
    check.add_argument("--verbose", action="store_true", help="print every notice in full, not only those on files changed since the last commit")
    check.add_argument(
        "--changed-since", metavar="REF",
        help="also print in full the notices on files changed since REF (a pull request's target, e.g. origin/main)",
    )
    check.add_argument(
        "--format", choices=report.FORMATS, default="text",
        help="text (default); github: workflow commands, shown on the lines of a pull request; gitlab: a Code Quality report (JSON)",
    )
    check.set_defaults(run=cmd_check)

    status = commands.add_parser("status", help="what is overdue, which progress updates are due, what is held back")
    status.add_argument("--content", help="the content folder (default: content/ beside mkdocs.yml)")
    status.set_defaults(run=cmd_status)

    build = commands.add_parser("build", help="build the public site (drafts left out)")
    build.add_argument("--site-dir", help="where to write the site (default: site_dir in mkdocs.yml)")
    build.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    build.add_argument(
        "--offline", action="store_true",
        help="build a copy that works from a folder or USB stick (file addresses, search without a server)",
    )
    build.add_argument(
        "--allow-example-url", action="store_true",
        help="build although the site's address is still the placeholder (a build that will not be published)",
    )
    build.set_defaults(run=cmd_build)

    export = commands.add_parser(
        "export-markdown", help="write the public site as plain Markdown with an mkdocs.yml that needs no hooks",
        description="Write the generated public site to DIR as a plain Markdown tree (DIR/docs), the theme "
        "overrides (DIR/overrides) and DIR/mkdocs.yml, which builds with plain `mkdocs build`. DIR is replaced.",
    )
    export.add_argument("dir", metavar="DIR", help="the folder to write (replaced as a whole if it holds an earlier export)")
    export.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    export.set_defaults(run=cmd_export_markdown)

    serve = commands.add_parser("serve", help="preview the site, drafts included, reloading on edits")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
    serve.add_argument("--public", action="store_true", help="preview exactly what the public will see (no drafts)")
    serve.set_defaults(run=cmd_serve)
    init = commands.add_parser(
        "init", help="start a new tracker in a new folder, with example content to replace",
        description="Write a new tracker that builds at once: mkdocs.yml with the tracker's facts, one "
        "example of each kind of record (marked [Example]; `check --strict` fails until they are "
        "replaced), its pages, its register of addresses and a README with its two commands.",
    )
    init.add_argument("dir", metavar="DIR", help="the folder to create (new, or empty)")
    init.add_argument("--name", required=True, help="the site's name, e.g. \"Midshire children's services\"")
    init.add_argument("--body", required=True, help="who answers for the recommendations, e.g. \"Midshire County Council\"")
    init.add_argument("--subject", help="what the tracker follows, as it reads after 'the inspections of' (default: the name)")
    init.add_argument("--publisher", help="who publishes the site, as citations name it (default: the name)")
    init.add_argument("--timezone", default="UTC", help="the time zone of its dates, e.g. Europe/London (default: UTC)")
    init.add_argument("--url", default=starter.PLACEHOLDER_URL, help="the address it will be published at (default: a placeholder; SITE_URL overrides it)")
    init.set_defaults(run=cmd_init)
    register = commands.add_parser(
        "register", help="add newly published addresses to the register of permanent addresses (permalinks.txt)"
    )
    register.add_argument("--check", action="store_true", help="change nothing; fail if an address is not registered")
    register.set_defaults(run=cmd_register)

    new = commands.add_parser("new", help="start a new piece of content").add_subparsers(dest="kind", metavar="KIND", required=True)
    update = new.add_parser(
        "update", help="write a new progress update's file, ready for its text",
        description="Write content/updates/<date>-<title>.md with its fields filled in. On a terminal, "
        "asks for anything not given as a flag, showing the choices.",
    )
    update.add_argument("--title", help="a headline in plain English")
    update.add_argument("--recommendation", action="append", default=[], metavar="ID", help="a recommendation it moves (repeat for several)")
    update.add_argument("--status", help="the status they move to, e.g. in-progress")
    update.add_argument("--date", help="when the evidence is dated: 2024-03-31, or 2024-03 (default: today)")
    update.add_argument("--evidence", help="the kind of evidence (default: self-reported)")
    update.add_argument("--source", action="append", default=[], metavar="ID", help="the source it is published in and where in it: 'ID (section)', optionally followed by a few of its words in double quotes (repeat for several)")
    update.add_argument("--finding", action="append", default=[], metavar="ID", help="a finding the status rests on (repeat for several)")
    update.add_argument("--summary", help="one sentence for lists and the feed")
    update.add_argument("--publish-on", metavar="YYYY-MM-DD", help="embargo: keep it off the public site until this day")
    update.add_argument("--draft", action="store_true", help="a draft: shown only in the preview")
    update.add_argument("--content", help="the content folder (default: content/ beside mkdocs.yml)")
    update.set_defaults(run=cmd_new_update)

    imports = commands.add_parser("import", help="bring content in from a file").add_subparsers(dest="kind", metavar="KIND", required=True)
    rows = imports.add_parser(
        "updates", help="progress updates from a spreadsheet (CSV), all or none",
        description="Check every row of FILE and, only if all are right, write one update file per row. "
        "Columns: date, recommendation, status, evidence, source, title, summary (or the site's open-data updates.csv).",
    )
    rows.add_argument("file", metavar="FILE.csv", help="the spreadsheet, saved as CSV UTF-8")
    rows.add_argument("--replace", action="store_true", help="overwrite updates that already exist with different details")
    rows.add_argument("--dry-run", action="store_true", help="check and report, writing nothing")
    rows.add_argument("--content", help="the content folder (default: content/ beside mkdocs.yml)")
    rows.set_defaults(run=cmd_import_updates)

    show = commands.add_parser("headers", help="print the HTTP headers (CSP and others) a built site must be served with")
    show.add_argument("--site-dir", help="the built site (default: site/ beside mkdocs.yml)")
    show.add_argument("--format", choices=["netlify", "nginx"], default="netlify", help="_headers file (Netlify, Cloudflare Pages) or nginx add_header lines")
    show.add_argument("-o", "--output", help="write to this file instead of printing")
    show.set_defaults(run=cmd_headers)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    needs_config = args.command != "init" and not (getattr(args, "content", None) or (args.command == "headers" and args.site_dir))
    if needs_config and not Path(args.config).is_file():
        print(f"publisher: no {args.config} here; run from the project folder or pass --config", file=sys.stderr)
        return EXIT_USAGE
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
