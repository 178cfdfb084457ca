"""The `publisher` command.

    publisher check  [--strict]             validate the content only (fast)
    publisher build  [--site-dir DIR]       build the public site, atomically, strictly
    publisher serve  [--dev-addr HOST:PORT] preview with drafts, reloading on every edit
    publisher headers [--format nginx]      the HTTP headers a built site must be served with

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

    content_dir = Path(args.content) if args.content else _project(args) / "content"
    try:
        settings = settings_module.from_environment()
        content = load_content(content_dir)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return EXIT_PROBLEMS
    except settings_module.SettingsError as error:
        print(f"publisher: {error}", file=sys.stderr)
        return EXIT_USAGE
    progress = derive(content, settings.today)
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


def cmd_build(args) -> int:
    from . import engine

    return engine.build(Path(args.config), Path(args.site_dir) if args.site_dir else None, quiet=args.quiet)


def cmd_serve(args) -> int:
    from . import engine

    return engine.serve(Path(args.config), args.dev_addr, preview=not args.public)


def cmd_headers(args) -> int:
    from . import headers

    site = Path(args.site_dir) if args.site_dir else _project(args) / "site"
    built = site / headers.HEADERS_FILE
    if not built.is_file():
        print(f"publisher: no {headers.HEADERS_FILE} in {site}; run `publisher build` first", file=sys.stderr)
        return EXIT_USAGE
    # The build decided the headers (and checked the site); this only changes their format.
    wanted = headers.read_netlify_file(built.read_text(encoding="utf-8"))
    text = headers.nginx_snippet(wanted) if args.format == "nginx" else headers.netlify_file(wanted)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


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

    show = commands.add_parser("headers", help="print the HTTP headers (CSP and others) a built site must be served with")
    show.add_argument("--site-dir", help="the built site (default: site/ beside mkdocs.yml)")
    show.add_argument("--format", choices=["netlify", "nginx"], default="netlify", help="_headers file (Netlify, Cloudflare Pages) or nginx add_header lines")
    show.add_argument("-o", "--output", help="write to this file instead of printing")
    show.set_defaults(run=cmd_headers)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    needs_config = not ((args.command == "check" and args.content) or (args.command == "headers" and args.site_dir))
    if needs_config and not Path(args.config).is_file():
        print(f"publisher: no {args.config} here; run from the project folder or pass --config", file=sys.stderr)
        return EXIT_USAGE
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
