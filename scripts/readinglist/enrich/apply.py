"""What a match adds to a page.  Pure functions: a Paper and an Enrichment in, a Paper out.

The rule (CONTRIBUTING.md, "Enrich"):

* enrich only fills what a page lacks: `arxiv_id`, `published` (first version),
  `doi`, `venue`, `code_url`, and `authors` when the page has none or a list a
  dump cut short (`et_al: true`) whose names the service's list starts with:
  the page's names stay as written, the rest are added after them;
* a value a person or a dump gave is never changed; where the service says
  otherwise, the difference is reported and the page keeps its value (and the
  listing `date` and the first-version `published` are both kept: they mean
  different things);
* every value filled is recorded under `enriched:` with its service and the
  day it was first fetched, so an unchanged re-run finds nothing to fill and
  writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from readinglist.enrich.merge import Enrichment
from readinglist.enrich.records import Item, split_arxiv_id
from readinglist.enrich.text import same_person
from readinglist.paper import Paper, Provenance
from readinglist.text import plain_text

# What enrich looks for on every page; a page that has all of it is not asked about.
WANTED = ("arxiv_id", "published", "doi", "venue", "code_url")


@dataclass
class Applied:
    """A page after a match: the new Paper, the fields filled, and what a person should look at."""

    paper: Paper
    filled: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def authors_incomplete(paper: Paper) -> bool:
    return not paper.authors or paper.et_al


def needs_enrichment(paper: Paper) -> bool:
    """Whether a service could still add something to this page."""
    return authors_incomplete(paper) or any(getattr(paper, name) in (None, "") for name in WANTED)


def item_of(paper: Paper) -> Item:
    """What the matcher may hold a service's answer against: the title, a year, the first author.

    The year is the first version's when known, else the publication year, else
    the year the paper joined the list (listings date papers days after arXiv;
    the matcher allows a year either way)."""
    day = paper.published or paper.date
    year = day.year if day else paper.year
    return Item(paper.slug, plain_text(paper.title), year, paper.authors[0] if paper.authors else None)


def _bare_arxiv_id(text: str) -> str:
    arxiv_id, _ = split_arxiv_id(text)
    return arxiv_id or text


def _same_authors(known: list[str], found: tuple[str, ...]) -> bool:
    return len(known) <= len(found) and all(same_person(a, b) for a, b in zip(known, found))


def _fill_authors(paper: Paper, found: tuple[str, ...], service: str, out: Applied) -> None:
    if not found:
        return
    listed = ", ".join(found[:4]) + (f" and {len(found) - 4} more" if len(found) > 4 else "")
    if not paper.authors:
        out.paper.authors, out.paper.et_al = list(found), False
        out.filled.append("authors")
        if paper.author_count and paper.author_count != len(found):
            out.notes.append(f"author_count: the page says {paper.author_count}, {service} lists {len(found)} "
                             "names; kept both")
        return
    if not _same_authors(paper.authors, found):
        shown = ", ".join(paper.authors) + (" et al." if paper.et_al else "")
        out.notes.append(f"authors: the page lists {shown}; {service} lists {listed}; kept the page's")
        return
    if paper.et_al and len(found) > len(paper.authors):
        out.paper.authors = list(paper.authors) + list(found[len(paper.authors):])
        out.paper.et_al = False
        out.filled.append("authors")


def apply_enrichment(paper: Paper, found: Enrichment, today: dt.date) -> Applied:
    """`paper` with what it lacks taken from `found`; never a value it has."""
    new = replace(paper, authors=list(paper.authors), topics=list(paper.topics), extra=dict(paper.extra),
                  enriched=dict(paper.enriched))
    out = Applied(new)
    source = dict(found.sources)
    if found.arxiv_id:
        if paper.arxiv_id is None:
            new.arxiv_id = found.arxiv_id
            out.filled.append("arxiv_id")
        elif _bare_arxiv_id(paper.arxiv_id) != found.arxiv_id:
            out.notes.append(f"arxiv_id: the page says {paper.arxiv_id}, {source['arxiv_id']} finds "
                             f"{found.arxiv_id}; kept the page's")
    if found.published:
        first = dt.date.fromisoformat(found.published)
        if paper.published is None:
            new.published = first
            out.filled.append("published")
            if paper.date and paper.date != first:
                out.notes.append(f"date: joined the list {paper.date}, first version {first} "
                                 f"({source['published']}); kept both")
        elif paper.published != first:
            out.notes.append(f"published: the page says {paper.published}, {source['published']} says "
                             f"{first}; kept the page's")
    if found.doi:
        if paper.doi is None:
            new.doi = found.doi
            out.filled.append("doi")
        elif paper.doi.lower() != found.doi.lower():
            out.notes.append(f"doi: the page says {paper.doi}, {source['doi']} finds {found.doi}; kept the page's")
    if found.venue and paper.venue is None:
        new.venue = found.venue
        out.filled.append("venue")
    if found.code_url and paper.code_url is None:
        new.code_url = found.code_url
        out.filled.append("code_url")
        if paper.has_code is False:
            out.notes.append(f"code: the listing showed no code, {source['code_url']} links {found.code_url}; "
                             "kept both")
    _fill_authors(paper, found.authors, source.get("authors", ""), out)
    for name in out.filled:
        new.enriched[name] = Provenance(source[name], today)
    return out
