"""The `publisher` command.

    publisher check  [--strict]             validate the content only (fast)
    publisher build  [--site-dir DIR]       build the public site, atomically, strictly
    publisher serve  [--dev-addr HOST:PORT] preview with drafts, reloading on every edit
    publisher register [--check]            add newly published addresses to permalinks.txt

Exit codes: 0 fine, 1 content problems (or a failed build), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import settings as settings_module
from .content import load_content
from .problems import ContentError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _project(args) -> Path:
    """The folder holding mkdocs.yml: --config's folder, or the current one."""
    return Path(args.config).resolve().parent


def cmd_check(args) -> int:
    from .progress import derive

    from . import permalinks

    content_dir = Path(args.content) if args.content else _project(args) / "content"
    try:
        settings = settings_module.from_environment()
        content, redirects = permalinks.load(content_dir)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return EXIT_PROBLEMS
    except settings_module.SettingsError as error:
        print(f"publisher: {error}", file=sys.stderr)
        return EXIT_USAGE
    progress = derive(content, settings.today)
    permanence, _ = permalinks.assess(
        content, progress, register_path=_project(args) / permalinks.REGISTER, pages_dir=content_dir / "pages", written=redirects
    )
    if permanence.problems:
        print(ContentError(permanence.problems).report(), file=sys.stderr)
        return EXIT_PROBLEMS
    warnings = []
    for standing in progress.standings.values():
        if standing.stale:
            where = content.where[f"recommendation:{standing.id}"]
            last = standing.latest.date.label if standing.latest else "never"
            warnings.append(
                f"{where.path}:{where.line}: warning: no update on '{standing.id}' since {last}; "
                f"one was due by {standing.next_update_due.isoformat()} (publish an update, or set next_update_due)"
            )
    for line in warnings:
        print(line, file=sys.stderr)
    print(
        f"Checked {len(content.sources)} sources, {len(content.inspections)} inspections, "
        f"{len(content.findings)} findings, {len(content.recommendations)} recommendations, "
        f"{len(content.themes)} themes, {len(content.plans)} plans and {len(content.updates)} updates: "
        f"no problems{f', {len(warnings)} warnings' if warnings else ''}."
    )
    if warnings and args.strict:
        print("Failing because of warnings (--strict).", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_register(args) -> int:
    """Add every address the public site now publishes to the register; never remove one."""
    from . import permalinks
    from .progress import derive

    project = _project(args)
    register_path = project / permalinks.REGISTER
    try:
        settings = settings_module.from_environment()
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
    from . import engine

    return engine.build(Path(args.config), Path(args.site_dir) if args.site_dir else None, quiet=args.quiet)


def cmd_serve(args) -> int:
    from . import engine

    return engine.serve(Path(args.config), args.dev_addr, preview=not args.public)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="publisher", description="Build the accountability site from content/.")
    main.add_argument("--config", default="mkdocs.yml", help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser("check", help="validate the content without building")
    check.add_argument("--content", help="the content folder (default: content/ beside mkdocs.yml)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too (e.g. overdue progress updates)")
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", help="build the public site (drafts left out)")
    build.add_argument("--site-dir", help="where to write the site (default: site_dir in mkdocs.yml)")
    build.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser("serve", help="preview the site, drafts included, reloading on edits")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
    serve.add_argument("--public", action="store_true", help="preview exactly what the public will see (no drafts)")
    serve.set_defaults(run=cmd_serve)
    register = commands.add_parser(
        "register", help="add newly published addresses to the register of permanent addresses (permalinks.txt)"
    )
    register.add_argument("--check", action="store_true", help="change nothing; fail if an address is not registered")
    register.set_defaults(run=cmd_register)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    needs_config = not (args.command == "check" and args.content)
    if needs_config and not Path(args.config).is_file():
        print(f"publisher: no {args.config} here; run from the project folder or pass --config", file=sys.stderr)
        return EXIT_USAGE
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
