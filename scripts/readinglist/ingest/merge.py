"""Merge stage: many records of one paper become one `Paper`; papers meet pages.

Pure functions.  The rules (documented in CONTRIBUTING.md):

* Records are the same paper when their title keys match (case, accents,
  punctuation and spacing ignored).
* title: the first record in manifest order; abstract: the longest (listings
  truncate); authors: the longest list; author_count, upvotes: the largest
  (counts only grow between captures); has_code: true if any source says so;
  organization, arxiv_category: the first known, a disagreement is reported.
* date: a date printed with its year beats one whose year was inferred; among
  equals the earliest wins (the first version of the paper).  Two different
  dates are reported.
* An existing page is the list: ingest only fills fields the page lacks and
  adds its new sources.  It never changes a value a page already has, with one
  exception that changes nothing a person wrote: a title or abstract that is
  still what a dump gave, cleaned by an earlier version of the rules, takes
  the text the rules give now.  "Still what a dump gave" is tested by rule,
  not remembered: the page's text, repaired (repair.py), is the dump's text,
  repaired, and an abstract is still the whole body, as ingest writes it.
  Any edit by hand fails that test and is kept.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Iterable, Optional

from readinglist.ingest.repair import repair_text
from readinglist.text import md_escape, slugify, title_key
from readinglist.paper import FIELDS, Paper, Problem, Record, SourceRef


@dataclass
class MergeResult:
    papers: list[Paper]
    problems: list[Problem]
    duplicates_merged: int


def merge_records(records: Iterable[Record]) -> MergeResult:
    """Group records by title key (in the given order) and merge each group."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[title_key(record.title)].append(record)
    papers: list[Paper] = []
    problems: list[Problem] = []
    for group in groups.values():
        paper, conflicts = merge_group(group)
        papers.append(paper)
        problems.extend(conflicts)
    duplicates = sum(len(g) - 1 for g in groups.values())
    return MergeResult(papers, problems, duplicates)


def merge_group(group: list[Record]) -> tuple[Paper, list[Problem]]:
    """One paper from every record of it, with a problem per real conflict."""
    first = group[0]
    problems: list[Problem] = []
    paper = Paper(title=first.title)
    paper.abstract = max((r.abstract for r in group), key=len)
    with_authors = [r for r in group if r.authors]
    if with_authors:
        best = max(with_authors, key=lambda r: (len(r.authors), not r.et_al))
        paper.authors, paper.et_al = list(best.authors), best.et_al
    paper.author_count = _max_known(r.author_count for r in group)
    paper.upvotes = _max_known(r.upvotes for r in group)
    codes = [r.has_code for r in group if r.has_code is not None]
    paper.has_code = any(codes) if codes else None
    paper.organization = _first_known(group, "organization", problems)
    paper.arxiv_category = _first_known(group, "arxiv_category", problems)
    paper.date = _merge_date(group, problems)
    paper.sources = sorted({r.source for r in group})
    return paper, problems


def _max_known(values: Iterable[Optional[int]]) -> Optional[int]:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _first_known(group: list[Record], attr: str, problems: list[Problem]) -> Optional[str]:
    known = [(getattr(r, attr), r.source) for r in group if getattr(r, attr)]
    if not known:
        return None
    value, source = known[0]
    for other, other_source in known[1:]:
        if other.casefold() != value.casefold():
            problems.append(Problem(other_source.file, other_source.line,
                                    f"{attr} {other!r} disagrees with {value!r} at {source}; kept {value!r}"))
    return value


def _merge_date(group: list[Record], problems: list[Problem]):
    dated = [r for r in group if r.date is not None]
    if not dated:
        return None
    best = min(dated, key=lambda r: (r.date_inferred, r.date))
    for r in dated:
        if r.date != best.date:
            how = "inferred year" if r.date_inferred else "printed"
            problems.append(Problem(r.source.file, r.source.line,
                                    f"date {r.date} ({how}) disagrees with {best.date} at {best.source}; kept {best.date} "
                                    "(printed years win over inferred ones, then the earliest date)"))
    return best.date


# --------------------------------------------------------------------------- pages


@dataclass
class PageIndex:
    """Existing pages, findable by title key and by source reference."""

    by_key: dict[str, str] = field(default_factory=dict)
    by_source: dict[SourceRef, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, pages: dict[str, Paper]) -> "PageIndex":
        index = cls()
        for slug in sorted(pages):
            paper = pages[slug]
            index.by_key.setdefault(title_key(paper.title), slug)
            index.titles[slug] = paper.title
            for source in paper.sources:
                index.by_source.setdefault(source, slug)
        return index

    def find(self, paper: Paper) -> Optional[str]:
        """The page of `paper`, also after a contributor corrected its title."""
        slug = self.by_key.get(title_key(paper.title))
        if slug:
            return slug
        for source in paper.sources:
            slug = self.by_source.get(source)
            if slug and _similar_titles(self.titles[slug], paper.title):
                return slug
        return None


def _similar_titles(a: str, b: str) -> bool:
    ka, kb = title_key(a), title_key(b)
    if ka in kb or kb in ka:  # a split fixed by hand keeps part of the line
        return bool(ka and kb)
    return difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.6


# Fields a dump fills on a page that lacks them (the title names the page, and
# authors come with et_al, as one).
DUMP_FILLED = tuple(f.name for f in FIELDS if f.owner == "dump" and f.name not in ("title", "authors", "et_al"))


def fill_page(page: Paper, incoming: Paper) -> Paper:
    """`page` with the fields it lacks taken from `incoming` and its sources added.

    Nothing the page already has is changed: the page is the list, and a
    contributor may have corrected any value.  Only text ingest wrote and no
    one touched since takes today's cleaning (`cleaned_since`).
    """
    updated = replace(page, sources=sorted(set(page.sources) | set(incoming.sources)),
                      authors=list(page.authors), topics=list(page.topics), extra=dict(page.extra))
    if not updated.authors and incoming.authors:
        updated.authors, updated.et_al = list(incoming.authors), incoming.et_al
    for attr in DUMP_FILLED:
        if getattr(updated, attr) is None and getattr(incoming, attr) is not None:
            setattr(updated, attr, getattr(incoming, attr))
    if not updated.body.strip() and incoming.abstract:
        updated.abstract = incoming.abstract
        updated.body = ""  # rendered from the abstract
    if cleaned_since(page.title, incoming.title):
        updated.title = incoming.title
    if cleaned_since(page.abstract, incoming.abstract) and page.body.strip() == md_escape(page.abstract):
        updated.abstract, updated.body = incoming.abstract, ""
    return updated


def cleaned_since(on_page: str, from_dump: str) -> bool:
    """True when `on_page` is the dump's text as an earlier cleaning left it: it differs
    from what the rules make of the dump now, and repairing it gives exactly that."""
    return on_page != from_dump and repair_text(on_page) == from_dump


def assign_slugs(papers: list[Paper], taken: set[str]) -> None:
    """Give each new paper a unique slug, deterministically.

    Papers are visited by (slug, title key, first source), not in dump order, so
    the same set of papers always gets the same slugs; a clash gets -2, -3, ...
    """
    next_suffix: dict[str, int] = {}  # where the search for a free `-N` resumes: linear for many clashes
    for paper in sorted(papers, key=lambda p: (slugify(p.title), title_key(p.title), p.sources[:1])):
        base = slugify(paper.title)
        slug, n = base, next_suffix.get(base, 2)
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        next_suffix[base] = n
        paper.slug = slug
        taken.add(slug)
