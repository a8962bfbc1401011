"""People pages: the organizations and the authors the dumps name, with their papers.

Pure functions to generated Markdown.  Names that differ only in accents or
case ("José Li", "jose li") are one person: most dumps are lists typed by
people, and the same author shows up spelt both ways.  An author is shown
under the spelling most of their papers use.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable, Sequence

from readinglist.text import ascii_fold, plain_text
from readinglist.paper import Paper
from readinglist.text import md_escape
from readinglist.site import html
from readinglist.site.pages import author_anchor, generated_page, newest_first, organization_anchor, person_key

OTHER_LETTER = "Other"


def _last_name(name: str) -> str:
    parts = plain_text(name).split()
    return parts[-1] if parts else name


def index_letter(name: str) -> str:
    """The letter an author is filed under: first letter of the last name, accents off."""
    first = ascii_fold(_last_name(name))[:1].upper()
    return first if "A" <= first <= "Z" else OTHER_LETTER


def _group_by_person(pairs: Iterable[tuple[str, Paper]]) -> dict[str, tuple[str, list[Paper]]]:
    """key -> (the most used spelling, papers), for (name, paper) pairs."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    papers: dict[str, dict[str, Paper]] = defaultdict(dict)
    for name, paper in pairs:
        key = person_key(name)
        spellings[key][name] += 1
        papers[key][paper.slug] = paper
    grouped = {}
    for key, names in spellings.items():
        shown = min(names, key=lambda n: (-names[n], n))
        grouped[key] = (shown, newest_first(papers[key].values()))
    return grouped


def _paper_link(paper: Paper, here: str, directory_urls: bool) -> str:
    return html.link(html.relative_url(here, f"papers/{paper.slug}.md", directory_urls), html.prose(paper.title))


def _count(n: int) -> str:
    return f"{n} paper{'s' if n != 1 else ''}"


def authors_page(papers: Sequence[Paper], directory_urls: bool = True) -> str:
    people = _group_by_person((name, p) for p in papers for name in p.authors)
    by_letter: dict[str, list[tuple[str, str, list[Paper]]]] = defaultdict(list)
    for key, (name, works) in people.items():
        by_letter[index_letter(name)].append((key, name, works))
    letters = sorted(by_letter, key=lambda x: (x == OTHER_LETTER, x))
    named = sum(1 for p in papers if p.authors)
    lines = [
        "# Authors",
        f'<p class="rl-count">{len(people)} authors named on {named} of {len(papers)} papers, '
        "by last name.</p>",
        "<p>Most listings name only the first three authors of a paper, and many name none, so this "
        "index is far from complete.</p>",
    ]
    if letters:
        lines.append("<p>" + " · ".join(f'<a href="#{letter.lower()}">{letter}</a>' for letter in letters) + "</p>")
        lines.append('<div class="rl-filter" data-rl-filter="Filter authors"></div>')
    for letter in letters:
        lines.append(f"## {letter}")
        entries = sorted(by_letter[letter], key=lambda e: (_last_name(e[1]).casefold(), e[1].casefold(), e[0]))
        here = "people/authors.md"
        lines.append(html.bullet_list(
            f'<span id="{author_anchor(name)}"></span><strong>{html.text(name)}</strong> ({_count(len(works))}): '
            + " · ".join(_paper_link(p, here, directory_urls) for p in works)
            for key, name, works in entries))
    if not letters:
        lines.append("<p>No paper names its authors yet.</p>")
    front = {"title": "Authors", "description": "Authors in the reading list and their papers.",
             "search": {"boost": 0.5}}
    return generated_page(front, "\n".join(lines) + "\n", html_lines=True)


def organizations_page(papers: Sequence[Paper], directory_urls: bool = True) -> str:
    orgs = _group_by_person((p.organization, p) for p in papers if p.organization)
    entries = sorted(orgs.items(), key=lambda kv: (kv[1][0].casefold(), kv[0]))
    lines = [
        "# Organizations",
        f'<p class="rl-count">{len(orgs)} organizations, as the listings name them, '
        f"for {sum(len(w) for _, w in orgs.values())} of {len(papers)} papers.</p>",
    ]
    if len(entries) > 10:
        lines.append('<div class="rl-filter" data-rl-filter="Filter organizations"></div>')
    for key, (name, works) in entries:
        lines.append(f"## {md_escape(name)} {{ #{organization_anchor(name)} }}")
        lines.append(f"<p>{_count(len(works))}.</p>")
        lines.append(html.bullet_list(f"{p.date.isoformat() if p.date else '—'} · "
                                      + _paper_link(p, "people/organizations.md", directory_urls) for p in works))
    if not entries:
        lines.append("<p>No paper names its organization yet.</p>")
    front = {"title": "Organizations", "description": "Organizations in the reading list and their papers.",
             "search": {"boost": 0.5}}
    return generated_page(front, "\n".join(lines) + "\n", html_lines=True)
