"""Lighthouse on the built site, per page type: a measurement, not a test.

    python benchmarks/lighthouse.py                     # builds the site into a temporary folder
    python benchmarks/lighthouse.py --site /tmp/site    # a site built with `publisher build`
    python benchmarks/lighthouse.py --runs 5 --pages home,plan
    python benchmarks/lighthouse.py --site NEW --before OLD     # two builds, run by turns

Serves the built folder on 127.0.0.1 the way the hosts that read its `_headers` file
(Netlify, Cloudflare Pages) serve it: every rule of `_headers` that matches the path,
`public, max-age=0, must-revalidate` where no rule sets Cache-Control (what both send by
default), and text compressed with Brotli, as both do for a browser that accepts it
(`--compression gzip` for what GitHub Pages or a default nginx send instead). The server
speaks HTTP/1.1, so each response's headers (about 1.2 KB, most of it the
Content-Security-Policy) count in full every time; over HTTP/2, which those hosts use,
repeated headers are compressed, so real transfers are a little smaller. Then
runs Lighthouse (npm, version pinned below, through `npx --yes`; Chromium from Debian,
CHROME_PATH, default /usr/bin/chromium) with its default mobile settings: a Moto G
Power-sized screen, simulated slow 4G (150 ms round trips, 1.6 Mbit/s) and a 4x slower
CPU. Each page type is measured `--runs` times (default 3) and the median run (by the
Performance score, then LCP) is printed:

    page            perf  a11y  bp  seo   FCP s  LCP s  TBT ms  CLS    transfer KiB  requests  bench

`--before OLD` measures a second build (an earlier one) by turns with the first, page by
page and run by run, so both meet the same load on a shared machine; it prints a table for
each. `bench` is Lighthouse's benchmark index of the machine during the median run (higher
is faster; a quiet 2-core machine gives about 1,000-1,500).

`transfer` is everything the first load of the page downloads, compressed, as
Lighthouse's total-byte-weight audit counts it. Simulated throttling computes the times
from the page's real work on this machine, so a busy machine gives somewhat worse TBT;
compare runs made on the same machine at the same time. Nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import http.server
import json
import mimetypes
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = "lighthouse@12.8.2"

#: The page types the issue holds to the targets, and the rest of the site's page types.
PAGES = {
    "home": "",
    "explorer": "recommendations/",
    "recommendation": "recommendations/2023-jcc-afi-4/",
    "inspection": "inspections/2023-jcc/",
    "plan": "plan/",
    "data": "data/",
}
MORE_PAGES = {
    "timeline": "inspections/",
    "theme": "themes/workforce-stability/",
    "update": "updates/2023-12-08-jcc-workforce-still-unstable/",
    "source": "sources/jcc-2023-summary-report/",
    "past position": "as-at/2024-03-31/",
    "content guide": "about/content-guide/",
}

#: What a host compresses (Netlify and Cloudflare compress text; Pagefind's own files are
#: already compressed).
COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|xml|atom\+xml|manifest\+json)|image/svg\+xml)")
DEFAULT_CACHE = "public, max-age=0, must-revalidate"


# ------------------------------------------------------------------ serving with _headers


def read_rules(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every rule of a `_headers` file: (path pattern, [(name, value), ...]), in order."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules:
            name, value = line.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def _pattern(rule: str) -> re.Pattern[str]:
    """A `_headers` path as a regular expression: `*` (splat) matches anything,
    `:name` one path segment, the rest itself."""
    parts = re.split(r"(\*|:[A-Za-z_]\w*)", rule)
    regex = "".join(".*" if p == "*" else "[^/]+" if p.startswith(":") else re.escape(p) for p in parts)
    return re.compile(regex + "$")


def _brotli(data: bytes) -> bytes:
    import brotli

    return brotli.compress(data, quality=11)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


#: Content-Encoding -> compressor.
COMPRESSORS = {"br": _brotli, "gzip": _gzip}


class HeadersHandler(http.server.SimpleHTTPRequestHandler):
    """A static host: directory addresses, 404.html, the site's `_headers`, compression."""

    protocol_version = "HTTP/1.1"
    rules: list[tuple[re.Pattern[str], list[tuple[str, str]]]] = []
    encoding = "br"
    _compressed: dict[tuple[str, str], bytes] = {}

    def log_message(self, format, *args) -> None:
        pass

    def _headers_for(self, path: str) -> list[tuple[str, str]]:
        found: dict[str, list[str]] = {}
        for pattern, headers in self.rules:
            if pattern.match(path):
                for name, value in headers:
                    found.setdefault(name, []).append(value)  # combined, as both hosts do
        found.setdefault("Cache-Control", [DEFAULT_CACHE])
        return [(name, ", ".join(values)) for name, values in found.items()]

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _respond(self, body: bool) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        file = Path(self.translate_path(path))
        status = 200
        if file.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            file = file / "index.html"
        if not file.is_file() or file.name == "_headers":
            status, file = 404, Path(self.directory) / "404.html"
        data = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        accepted = [e.split(";")[0].strip() for e in self.headers.get("Accept-Encoding", "").split(",")]
        compress = bool(COMPRESSIBLE.match(kind)) and self.encoding in accepted
        if compress:
            key = (str(file), self.encoding)
            if key not in self._compressed:  # as a host does: once per file
                self._compressed[key] = COMPRESSORS[self.encoding](data)
            data = self._compressed[key]
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", email.utils.formatdate(file.stat().st_mtime, usegmt=True))
        if compress:
            self.send_header("Content-Encoding", self.encoding)
            self.send_header("Vary", "Accept-Encoding")
        for name, value in self._headers_for(path):
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)


def serve(site: Path, encoding: str = "br") -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `site` with its `_headers` on a free port of 127.0.0.1, compressing text with
    `encoding` ("br" or "gzip"); returns the server and its URL."""
    headers_file = site / "_headers"
    rules = read_rules(headers_file.read_text(encoding="utf-8")) if headers_file.is_file() else []
    handler = type(
        "Handler", (HeadersHandler,),
        {"rules": [(_pattern(p), h) for p, h in rules], "encoding": encoding, "_compressed": {}},
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# ------------------------------------------------------------------ Lighthouse


def lighthouse(url: str, out: Path, chrome: str) -> dict:
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
    command = [
        "npx", "--yes", LIGHTHOUSE, url,
        "--output=json", f"--output-path={out}",
        "--only-categories=performance,accessibility,best-practices,seo",
        f"--chrome-flags={flags}", "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": chrome}
    for attempt in range(3):  # Lighthouse now and then fails to record a trace (NO_NAVSTART)
        out.unlink(missing_ok=True)
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode == 0 and out.is_file():
            break
    else:
        sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    requests = audits.get("network-requests", {}).get("details", {}).get("items", [])
    return {
        "perf": round(report["categories"]["performance"]["score"] * 100),
        "a11y": round(report["categories"]["accessibility"]["score"] * 100),
        "bp": round(report["categories"]["best-practices"]["score"] * 100),
        "seo": round(report["categories"]["seo"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "kib": audits["total-byte-weight"]["numericValue"] / 1024,
        "requests": len(requests),
        # Lighthouse's measure of this machine's speed at the time (higher is faster): the
        # simulated times scale the work it observed, so a busy machine gives a worse TBT.
        "bench": report.get("environment", {}).get("benchmarkIndex", 0),
        "blocking": [
            (item["url"].rsplit("/", 1)[-1], item.get("wastedMs", 0))
            for item in audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
        ],
    }


def build(target: Path) -> Path:
    command = [str(ROOT / ".venv" / "bin" / "publisher"), "build", "--site-dir", str(target), "--allow-example-url", "--quiet"]
    if not Path(command[0]).exists():
        command[0] = shutil.which("publisher") or sys.exit("publisher is not installed: run `make install`")
    subprocess.run(command, cwd=ROOT, check=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a site built with `publisher build` (default: build one now)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page type; the median is printed (default 3)")
    parser.add_argument("--pages", help=f"comma-separated page types (default: {','.join(PAGES)}); 'all' adds {', '.join(MORE_PAGES)}")
    parser.add_argument("--before", type=Path, help="an earlier build, measured by turns with --site for a fair comparison")
    parser.add_argument("--json", type=Path, help="also write every run's figures to this file")
    parser.add_argument("--blocking", action="store_true", help="also list the render-blocking files Lighthouse names")
    parser.add_argument("--compression", choices=sorted(COMPRESSORS), default="br",
                        help="how the server compresses text: br (Netlify, Cloudflare Pages; the default) or gzip")
    args = parser.parse_args(argv)
    if args.compression == "br":
        try:
            import brotli  # noqa: F401
        except ImportError:
            sys.exit("Brotli compression needs the brotli package (pip install -e '.[test]'), or use --compression gzip")

    every = {**PAGES, **MORE_PAGES}
    names = list(PAGES) if not args.pages else list(every) if args.pages == "all" else args.pages.split(",")
    unknown = [n for n in names if n not in every]
    if unknown:
        parser.error(f"unknown page type(s) {unknown}; choose from {list(every)}")
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not shutil.which("npx"):
        sys.exit("npx (Node.js) is needed to run Lighthouse")

    with tempfile.TemporaryDirectory() as work:
        sites = {"": args.site.resolve() if args.site else build(Path(work) / "site")}
        if args.before:
            sites = {"before": args.before.resolve(), "after": sites[""]}
        servers = {label: serve(site, args.compression) for label, site in sites.items()}
        every_run: dict[str, dict[str, list[dict]]] = {label: {} for label in sites}
        try:
            for name in names:
                for i in range(args.runs):
                    for label, (_, base) in servers.items():  # by turns: the same load for each
                        out = Path(work) / f"{label or 'site'}-{name}-{i}.json".replace(" ", "_")
                        every_run[label].setdefault(name, []).append(lighthouse(base + every[name], out, chrome))
                print(f"  measured {name}", file=sys.stderr, flush=True)
        finally:
            for server, _ in servers.values():
                server.shutdown()
        for label, site in sites.items():
            print(f"{(label + ': ') if label else ''}Lighthouse {LIGHTHOUSE.split('@')[1]}, mobile, simulated slow 4G; {site} "
                  f"served with its _headers and {args.compression}, HTTP/1.1; median of {args.runs} run(s)")
            print(f"{'page':<15} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'FCP s':>6} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6} {'transfer KiB':>13} {'requests':>8} {'bench':>6}")
            for name, runs in every_run[label].items():
                ordered = sorted(runs, key=lambda r: (-r["perf"], r["lcp"]))
                r = ordered[len(ordered) // 2]
                spread = f"  (perf {min(x['perf'] for x in runs)}-{max(x['perf'] for x in runs)}, TBT {min(x['tbt'] for x in runs):.0f}-{max(x['tbt'] for x in runs):.0f})" if args.runs > 1 else ""
                print(f"{name:<15} {r['perf']:>4} {r['a11y']:>4} {r['bp']:>4} {r['seo']:>4} {r['fcp']:>6.2f} {r['lcp']:>6.2f} {r['tbt']:>7.0f} {r['cls']:>6.3f} {r['kib']:>13.1f} {r['requests']:>8} {r['bench']:>6.0f}{spread}")
                if args.blocking:
                    for file, wasted in r["blocking"]:
                        print(f"{'':<15}   render-blocking: {file} ({wasted:.0f} ms)")
            print()
    if args.json:
        args.json.write_text(json.dumps(every_run, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
