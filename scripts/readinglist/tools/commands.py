"""Contributor commands: check, add, search, classify.

Each command's logic lives in a library module (check.py, addpaper.py,
termsearch.py, classify.py); these functions only read arguments and print.
"""

from __future__ import annotations

import sys


def cmd_check(args, project) -> int:
    from readinglist.tools.check import run_check
    result = run_check(project(args), args.pages)
    problems = result.problems
    for problem in problems:
        print(problem)
    for note in result.notes:
        print(f"note: {note}")
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", file=sys.stderr)
        return 1
    print("all pages are fine" + (f" ({len(result.notes)} note{'s' if len(result.notes) != 1 else ''} "
                                   "above)" if result.notes else ""))
    return 0


def cmd_add(args, project) -> int:
    from readinglist.tools.add import add_from_args, add_from_bibtex
    proj = project(args)
    if args.bibtex:
        outcome = add_from_bibtex(proj, args.bibtex, topics=args.topics)
    else:
        outcome = add_from_args(proj, title=args.title, abstract=args.abstract, authors=args.authors,
                                date=args.date, topics=args.topics, arxiv_id=args.arxiv_id)
    for line in outcome.added:
        print(f"added {line}")
    for problem in outcome.refused:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if outcome.refused else 0


def cmd_search(args, project) -> int:
    from readinglist.tools.search import search_papers
    hits = search_papers(project(args), " ".join(args.query), limit=args.limit)
    if not hits:
        print("no paper matches; it is not in the list yet (add it with `readinglist add`)")
        return 1
    for hit in hits:
        print(f"{hit.score:6.2f}  {hit.path}  {hit.title}{f' ({hit.year})' if hit.year else ''}")
    return 0


def cmd_classify(args, project) -> int:
    from readinglist.tools.search import explain_filing
    lines, problems = explain_filing(project(args), args.page)
    for problem in problems:  # the page cannot be read: nothing to explain until it is fixed
        print(f"error: {problem}", file=sys.stderr)
    for line in lines:
        print(line)
    return 1 if problems else 0


def cmd_topics_eval(args, project) -> int:
    from readinglist.tools.topics import run_eval
    lines, data = run_eval(project(args), args.file, fold=args.fold, abstract=args.abstract)
    for line in lines:
        print(line)
    if args.json:
        import json
        from pathlib import Path
        from readinglist.store import write_text
        write_text(Path(args.json), json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return 0


def cmd_topics_train(args, project) -> int:
    from readinglist.tools.topics import run_train
    for line in run_train(project(args), args.file):
        print(line)
    return 0


def cmd_enrich(args, project) -> int:
    from readinglist.enrich.errors import ServiceError
    from readinglist.enrich.pipeline import Clients
    from readinglist.enrich.progress import TqdmProgress
    from readinglist.enrich.run import run_enrich
    from readinglist.enrich.settings import ENV_EMAIL, Settings
    proj = project(args)
    if args.limit is not None and args.limit < 0:
        print("error: --limit must be 0 or more", file=sys.stderr)
        return 2
    try:
        settings = Settings.from_env()
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not settings.contact_email:
        print(f"note: set {ENV_EMAIL} to your address: OpenAlex serves requests that name a contact "
              "from its faster 'polite pool'", file=sys.stderr)
    clients = Clients.from_settings(settings)
    try:
        with TqdmProgress(file=sys.stderr, disable=True if args.quiet else None) as bar:
            summary = run_enrich(proj, clients, dry_run=args.dry_run, limit=args.limit, progress=bar)
    except ServiceError as exc:
        print(f"error: {exc}; no page was changed", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: no page was changed; the answers received so far are cached, so "
              "`readinglist enrich` resumes where this run stopped", file=sys.stderr)
        return 130
    finally:
        clients.close()
    for problem in summary.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    for diff in summary.diffs:
        print(diff, end="")
    lines = summary.lines(verbose=args.verbose)
    for line in lines:
        print(line)
    if args.dry_run:
        print("dry run: nothing written")
    if args.report:
        from pathlib import Path
        from readinglist.store import write_text
        write_text(Path(args.report), "".join(f"- {line}\n" for line in lines))
    return 0


def cmd_remove(args, project) -> int:
    from readinglist.tools.remove import remove_paper
    stone = remove_paper(project(args), args.page, args.reason)
    print(f"removed content/papers/{stone.slug}.md ({stone.title!r}): {stone.reason}")
    print("recorded in content/removed.yml: ingest will not write it again (delete the entry there to undo)")
    return 0


def cmd_triage(args, project) -> int:
    from readinglist.tools.remove import papers_to_review
    waiting = papers_to_review(project(args))
    for paper in waiting:
        print(f"{paper.path}  {paper.title}" + (f" ({paper.date})" if paper.date else ""))
    if not waiting:
        print("nothing to review: every paper is filed under a topic")
        return 0
    print(f"{len(waiting)} paper{'s' if len(waiting) != 1 else ''} to review (filed under `other`, shown on "
          "To review): file one by editing its `topics:`, or take it off the list with "
          "`readinglist remove SLUG --reason \"...\"`")
    return 0


def register(sub, command, project) -> None:
    p = command(sub, "check", "Validate paper pages: front matter, types, topics, duplicates, live HTML.",
                "readinglist check                                   # every page\n"
                "readinglist check content/papers/my-new-paper.md    # just this one",
                lambda a: cmd_check(a, project))
    p.add_argument("pages", nargs="*", metavar="PAGE", help="pages to check (default: all of content/papers/)")

    p = command(sub, "add", "Add a paper page (refuses a paper that is already listed).",
                'readinglist add --title "Attention Is All You Need" --abstract "The dominant ..." \\\n'
                '    --authors "Ashish Vaswani, Noam Shazeer" --date 2017-06-12 --arxiv-id 1706.03762\n'
                "readinglist add --bibtex refs.bib",
                lambda a: cmd_add(a, project))
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--title", help="the paper's title")
    source.add_argument("--bibtex", metavar="FILE", help="a BibTeX file with one or more entries")
    p.add_argument("--abstract", help="the abstract (required with --title)")
    p.add_argument("--authors", help='comma-separated names: "A. Author, B. Author"')
    p.add_argument("--date", help="first publication date, YYYY-MM-DD (written as `published:`; the page's "
                                  "`date:`, the day the paper joined the list, is today)")
    p.add_argument("--topics", help="comma-separated topic ids (default: filed by the rules); marks them curated")
    p.add_argument("--arxiv-id", help="arXiv identifier, e.g. 2106.09685")

    p = command(sub, "enrich", "Fill what pages lack (arXiv id, DOI, authors, first-version date, venue, code) "
                "from arXiv, OpenAlex and Hugging Face Papers, found by title.",
                "readinglist enrich --dry-run --limit 20     # show what 20 pages would get\n"
                "readinglist enrich                          # fill them (set READINGLIST_CONTACT_EMAIL first)",
                lambda a: cmd_enrich(a, project))
    p.add_argument("--dry-run", action="store_true", help="print the change of every page as a diff, write nothing")
    p.add_argument("--limit", type=int, metavar="N",
                   help="ask the services about at most N pages whose answers are not cached yet")
    p.add_argument("--report", metavar="FILE", help="also write the summary as a Markdown list to FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="also list the pages no service knows")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    p = command(sub, "remove", "Take a paper off the list: delete its page and record why, so ingest "
                "never writes it again.",
                'readinglist remove some-robotics-paper --reason "off-topic: robotics"',
                lambda a: cmd_remove(a, project))
    p.add_argument("page", metavar="SLUG", help="the page's slug (or its path under content/papers/)")
    p.add_argument("--reason", required=True, help="why it leaves (kept in content/removed.yml)")

    p = command(sub, "triage", "List the papers waiting for a curator (filed under `other`, the To review page).",
                "readinglist triage", lambda a: cmd_triage(a, project))

    p = command(sub, "search", "Search titles, authors and abstracts of the list from the terminal.",
                'readinglist search "speculative decoding"\n'
                "readinglist search Rajbhandari", lambda a: cmd_search(a, project))
    p.add_argument("query", nargs="+", help="words to look for")
    p.add_argument("--limit", type=int, default=10, help="how many matches to show (default 10)")

    p = command(sub, "classify", "Explain how the filing rules see a paper: which terms fired, which topics.",
                "readinglist classify content/papers/zero-bubble-pipeline-parallelism.md",
                lambda a: cmd_classify(a, project))
    p.add_argument("page", help="a page under content/papers/ (or its slug)")

    p = command(sub, "topics", "Measure the topic filing on labelled papers, or retrain its title model.",
                "readinglist topics eval tests/known_filings.yml\n"
                "readinglist topics eval ../shared/topics-dev/papers.jsonl --fold test",
                lambda a: (a.topics_parser.print_help(), 2)[1])
    p.set_defaults(topics_parser=p)
    topics = p.add_subparsers(dest="topics_command", metavar="ACTION")
    q = command(topics, "eval", "Score the filing against labelled papers: agreement, F1, per-topic precision and "
                "recall, `other`, confusions.",
                "readinglist topics eval tests/known_filings.yml          # the seed papers, with their abstracts\n"
                "readinglist topics eval tests/topics-dev/papers.jsonl    # titles, as filed today\n"
                "readinglist topics eval ../shared/topics-dev/papers.jsonl --fold test   # held-out lists",
                lambda a: cmd_topics_eval(a, project))
    q.add_argument("file", help="labelled papers: JSON Lines (title, topics, sources) or a known-filings YAML")
    q.add_argument("--fold", choices=("test", "cv"),
                   help="retrain the title model without the scored lists first (site_config/topics-split.yml): "
                        "`test` scores the held-out test fold, `cv` each cross-validation fold")
    q.add_argument("--abstract", default=None,
                   help="abstract for papers that have none (default: a neutral sentence naming no topic)")
    q.add_argument("--json", metavar="OUT", help="also write every figure as JSON to OUT")
    q = command(topics, "train", "Learn the title model from labelled titles into site_config/topic-model.json.",
                "readinglist topics train ../shared/topics-dev/papers.jsonl",
                lambda a: cmd_topics_train(a, project))
    q.add_argument("file", help="labelled titles, JSON Lines (title, topics, sources)")
