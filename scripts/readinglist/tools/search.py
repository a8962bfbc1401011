"""`readinglist search` and `readinglist classify`: the list from the terminal.

Search uses lunr.py, the Python port of the engine Material's search runs in
the browser, over titles, authors, abstracts and topic names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from readinglist import store
from readinglist.curate.classify import decide, evidence, find_terms
from readinglist.store import load_taxonomy
from readinglist.paper import InputError, Problem
from readinglist.catalog import Catalog, read_page


@dataclass
class Hit:
    score: float
    path: str
    title: str
    year: Optional[int]


def search_papers(project: store.Project, query: str, limit: int = 10) -> list[Hit]:
    from lunr import lunr

    taxonomy = load_taxonomy(project)
    papers = Catalog.load(project, taxonomy).readable()
    if not papers:
        return []
    names = {t.id: t.name for t in taxonomy.topics}
    documents = [{"slug": slug, "title": p.title, "authors": " ".join(p.authors) + " " + (p.organization or ""),
                  "abstract": p.abstract, "topics": " ".join(names.get(t, t) for t in p.topics)}
                 for slug, p in sorted(papers.items())]
    index = lunr(ref="slug", fields=[{"field_name": "title", "boost": 10}, {"field_name": "authors", "boost": 5},
                                     "abstract", {"field_name": "topics", "boost": 2}], documents=documents)
    # Words only: lunr's query syntax (field:, ~, ^, +, -) would turn a pasted
    # title such as "LoRA: Low-Rank" into a field filter.
    words = re.findall(r"[^\W_]+", query.lower())
    if not words:
        raise InputError("readinglist search", "the query has no words to look for")
    results = index.search(" ".join(words))
    return [Hit(round(r["score"], 2), f"content/papers/{r['ref']}.md", papers[r["ref"]].title,
                papers[r["ref"]].date.year if papers[r["ref"]].date else None) for r in results[:limit]]


def explain_filing(project: store.Project, page: str) -> tuple[list[str], list[Problem]]:
    """Why the filing puts a page where it does: the terms per topic, or the title words that decided.

    A page that cannot be read gives no lines, only its problems.
    """
    taxonomy = load_taxonomy(project)
    slug = Path(page).stem
    read = read_page(slug, store.read_page(project, slug, page), taxonomy)
    if read.paper is None:
        return [], read.problems
    paper = read.paper
    decision = decide(paper.title, paper.abstract, taxonomy)
    lines = [f"{paper.title}", f"page topics: {', '.join(paper.topics) or '(none)'}"
             + (" (curated: a person chose them, the rules leave them alone)" if paper.topics_curated else "")]
    lines.append(f"the filing says: {', '.join(decision.topics)} ({decision.reason})")
    found = find_terms(paper.title, paper.abstract, taxonomy)
    for f in evidence(found, taxonomy):
        minimum = taxonomy.get(f.topic).min_score
        state = "filed" if f.topic in decision.topics else ("reaches its score" if f.score >= minimum
                                                             else f"below its score of {minimum}")
        lines.append(f"  {f.topic}: score {f.score} ({state}) from {', '.join(f.hits)}")
    if decision.model_evidence:
        lines.append("  title words that weighed most: "
                     + ", ".join(f"{w.lstrip('~')} ({weight:+.2f})" for w, weight in decision.model_evidence))
    untrusted = [t.name for t in taxonomy.index.terms if t.name in found_names(found, taxonomy, title=True)
                 and not taxonomy.trusted_in_titles(t)]
    if untrusted:
        lines.append(f"  in the title but counted in abstracts only (titles of fewer than two lists use them): "
                     f"{', '.join(untrusted)}")
    return lines, []


def found_names(found, taxonomy, title: bool) -> set[str]:
    table = found.title if title else found.abstract
    return {taxonomy.index.terms[n].name for n in table}
