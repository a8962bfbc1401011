"""The `readinglist` command: a thin layer that turns library results into lines and exit codes.

Exit codes: 0 done; 1 done, but problems were found (check) or some input was
refused (ingest) or a paper is already listed (add), or a file could not be
written (disk full, a read-only folder: what was written is complete); 2 could
not run (bad configuration, bad arguments, another run holds the lock).  Never
a traceback: 3 is kept for a bug, an unexpected failure that prints one line
(`--debug` shows the trace).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Callable, Optional

from readinglist.paper import InputError, WriteError
from readinglist.site.engines import DEFAULT_ENGINE, ENGINES

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, EXIT_BUG = 0, 1, 2, 3


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    pass


def _command(sub, name: str, summary: str, example: str, func: Callable) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        name, help=summary, description=summary, formatter_class=HelpFormatter,
        epilog="example:\n" + textwrap.indent(example.strip(), "  "))
    parser.set_defaults(func=func)
    return parser


def _project(args):
    from readinglist.store import Project, find_project
    return Project(Path(args.root).resolve()) if args.root else find_project()


def cmd_ingest(args) -> int:
    from readinglist.ingest.pipeline import run_ingest
    summary = run_ingest(_project(args), args.dumps or None, dry_run=args.dry_run)
    for problem in sorted(summary.errors):
        print(f"error: {problem}", file=sys.stderr)
    for problem in summary.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    if args.verbose:
        for slug in summary.new:
            print(f"new: content/papers/{slug}.md")
        for slug in summary.updated:
            print(f"updated: content/papers/{slug}.md")
    for line in summary.lines():
        print(line)
    if args.dry_run:
        print("dry run: nothing written")
    return EXIT_PROBLEMS if summary.errors else EXIT_OK


def cmd_build(args) -> int:
    from readinglist.site.build import run_build
    return run_build(_project(args), strict=not args.no_strict, site_dir=args.site_dir, engine=args.engine,
                     hooks=not args.no_hooks)


def cmd_serve(args) -> int:
    from readinglist.site.preview import run_preview
    return run_preview(_project(args), dev_addr=args.dev_addr, engine=args.engine)


def cmd_bench(args) -> int:
    from readinglist.bench.run import DEFAULT_SEED, bench, format_table
    from readinglist.store import write_text
    if args.papers < 1:
        print("error: --papers must be at least 1", file=sys.stderr)
        return EXIT_UNUSABLE
    result = bench(_project(args), args.papers, keep=Path(args.keep) if args.keep else None,
                   browser=not args.no_browser, seed=DEFAULT_SEED if args.seed is None else args.seed,
                   progress=lambda line: print(f"bench: {line}", file=sys.stderr, flush=True),
                   preview=not args.no_preview)
    print(format_table(result))
    if args.json:
        import json
        write_text(Path(args.json), json.dumps(result, indent=1) + "\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="readinglist", formatter_class=HelpFormatter,
        description="Turn paper dumps into a curated reading-list site (MkDocs + Material).",
        epilog="example:\n  readinglist ingest && readinglist build")
    parser.add_argument("--root", help="the repository (default: the one around the current folder)")
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = _command(sub, "ingest", "Read dumps and write one page per paper into content/papers/.",
                 "readinglist ingest                      # every dump in site_config/sources.yml\n"
                 "readinglist ingest sources/new-dump.txt # just one", cmd_ingest)
    p.add_argument("dumps", nargs="*", metavar="DUMP", help="dump files (default: every dump in the manifest)")
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p.add_argument("-v", "--verbose", action="store_true", help="list every page written")

    p = _command(sub, "build", "Write the pages into build/docs/, then build site/ from them with MkDocs (strict).",
                 "readinglist build && python -m http.server -d site", cmd_build)
    p.add_argument("--no-strict", action="store_true", help="do not fail on the engine's warnings")
    p.add_argument("--site-dir", help="where to write the site (default: site/)")
    p.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                   help=f"the engine that builds the site (default: {DEFAULT_ENGINE})")
    p.add_argument("--no-hooks", action="store_true",
                   help="build without site_config/hooks.py (slower, same site): what any engine sees")

    p = _command(sub, "serve", "Preview the site at http://127.0.0.1:8000 with live reload.",
                 "readinglist serve --dev-addr 127.0.0.1:8001", cmd_serve)
    p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    p.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE, help="the engine that serves the preview")

    p = _command(sub, "bench", "Time ingest and build on N synthetic papers against the bare MkDocs floor.",
                 "readinglist bench --papers 2000 --json bench.json", cmd_bench)
    p.add_argument("--papers", type=int, default=2000, metavar="N", help="how many papers (default: 2000)")
    p.add_argument("--json", metavar="FILE", help="also write every figure as JSON to FILE")
    p.add_argument("--keep", metavar="DIR", help="work in DIR (empty or new) and keep it, instead of a temporary folder")
    p.add_argument("--no-browser", action="store_true", help="skip the search timing in headless Chromium")
    p.add_argument("--no-preview", action="store_true", help="skip timing an edit through `readinglist serve`")
    p.add_argument("--seed", type=int, help="seed of the synthetic papers (default: fixed)")

    _register_more(sub)
    return parser


def _register_more(sub) -> None:
    """Commands that live in their own modules register themselves here."""
    from readinglist.tools import commands
    commands.register(sub, _command, _project)


def _printable_output() -> None:
    """Messages always print: a file name that is not UTF-8, or a title the terminal's encoding
    lacks, is written escaped rather than ending the command in an error."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: Optional[list[str]] = None) -> int:
    _printable_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_UNUSABLE
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except WriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BrokenPipeError:
        # The reader went away (`readinglist ... | head`): not an error of ours.
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted; pages already written are complete, run the command again to finish", file=sys.stderr)
        return 130
    except Exception as exc:  # the promise is one line, never a traceback
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (run again with --debug and report it)",
              file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
