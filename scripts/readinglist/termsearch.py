"""`readinglist search` and `readinglist classify`: the list from the terminal.

Search uses lunr.py, the Python port of the engine Material's search runs in
the browser, over titles, authors, abstracts and topic names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from . import store
from .classify import score_topics
from .ingest import load_taxonomy
from .paper import InputError
from .render import PageError, paper_from_page


@dataclass
class Hit:
    score: float
    path: str
    title: str
    year: Optional[int]


def search_papers(project: store.Project, query: str, limit: int = 10) -> list[Hit]:
    from lunr import lunr

    taxonomy = load_taxonomy(project)
    papers = {}
    for slug, text in store.read_pages(project.papers).items():
        try:
            papers[slug] = paper_from_page(text, f"content/papers/{slug}.md", slug)
        except PageError:
            continue
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


def explain_filing(project: store.Project, page: str) -> list[str]:
    taxonomy = load_taxonomy(project)
    slug = Path(page).stem
    path = project.papers / f"{slug}.md"
    if not path.exists():
        raise InputError(page, "no such page under content/papers/")
    paper = paper_from_page(path.read_text(encoding="utf-8"), f"content/papers/{slug}.md", slug)
    lines = [f"{paper.title}", f"page topics: {', '.join(paper.topics) or '(none)'}"
             + (" (curated: the rules do not change them)" if paper.topics_curated else "")]
    filings = score_topics(paper.title, paper.abstract, taxonomy)
    if not filings:
        lines.append("rules: no topic reaches its threshold, so the paper is filed under other")
    for rank, f in enumerate(filings):
        kept = "filed" if rank < taxonomy.max_topics else f"not filed (only the best {taxonomy.max_topics} are kept)"
        lines.append(f"  {f.topic}: score {f.score} ({kept}) from {', '.join(f.hits)}")
    return lines
