"""Contributor commands: check, add, search, classify.

Each command's logic lives in a library module (check.py, addpaper.py,
termsearch.py, classify.py); these functions only read arguments and print.
"""

from __future__ import annotations

import sys


def cmd_check(args, project) -> int:
    from .check import run_check
    problems = run_check(project(args), args.pages)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", file=sys.stderr)
        return 1
    print("all pages are fine")
    return 0


def cmd_add(args, project) -> int:
    from .addpaper import add_from_args, add_from_bibtex
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
    from .termsearch import search_papers
    hits = search_papers(project(args), " ".join(args.query), limit=args.limit)
    if not hits:
        print("no paper matches; it is not in the list yet (add it with `readinglist add`)")
        return 1
    for hit in hits:
        print(f"{hit.score:6.2f}  {hit.path}  {hit.title}{f' ({hit.year})' if hit.year else ''}")
    return 0


def cmd_classify(args, project) -> int:
    from .termsearch import explain_filing
    for line in explain_filing(project(args), args.page):
        print(line)
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
    p.add_argument("--date", help="first publication date, YYYY-MM-DD")
    p.add_argument("--topics", help="comma-separated topic ids (default: filed by the rules); marks them curated")
    p.add_argument("--arxiv-id", help="arXiv identifier, e.g. 2106.09685")

    p = command(sub, "search", "Search titles, authors and abstracts of the list from the terminal.",
                'readinglist search "speculative decoding"\n'
                "readinglist search Rajbhandari", lambda a: cmd_search(a, project))
    p.add_argument("query", nargs="+", help="words to look for")
    p.add_argument("--limit", type=int, default=10, help="how many matches to show (default 10)")

    p = command(sub, "classify", "Explain how the filing rules see a paper: which terms fired, which topics.",
                "readinglist classify content/papers/zero-bubble-pipeline-parallelism.md",
                lambda a: cmd_classify(a, project))
    p.add_argument("page", help="a page under content/papers/ (or its slug)")
