"""`readinglist enrich`: pages in, services asked, pages with what they lacked out.

    read pages (catalog) -> which lack something -> ask the services (pipeline,
    through the answer cache) -> decide (matcher, merge) -> fill (apply) -> write (store)

Every question is asked before any page is written: a network failure, a
refusal, a malformed answer or Ctrl-C stops the run with no page touched, and
the answers received so far stay in the cache, so the next run resumes where
this one stopped.  Pages are then re-read under the project lock and filled in
one batch of atomic writes, so an edit made during the questions is kept (a
page whose title changed meanwhile is left for the next run).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import Optional

from readinglist import store
from readinglist.catalog import Catalog
from readinglist.enrich.apply import Applied, apply_enrichment, item_of, needs_enrichment
from readinglist.enrich.cache import AnswerCache
from readinglist.enrich.merge import Match, Outcome
from readinglist.enrich.pipeline import Clients, Progress, cached_keys, enrich_titles
from readinglist.page.markdown import render_paper_page
from readinglist.paper import ENRICHABLE, Paper, Problem


@dataclass
class EnrichSummary:
    pages: int = 0                       # pages read without problems
    wanted: int = 0                      # of those, pages a service could still add to
    asked: int = 0                       # pages looked up this run (cached answers included)
    from_cache: int = 0                  # of those, pages whose title searches the cache answered
    left_for_later: int = 0              # pages --limit left out
    outcomes: dict[str, str] = field(default_factory=dict)          # slug -> match / ambiguous / not_found
    reasons: dict[str, str] = field(default_factory=dict)           # slug -> why not matched
    filled: dict[str, list[str]] = field(default_factory=dict)      # slug -> fields filled
    notes: list[Problem] = field(default_factory=list)              # disagreements for a person
    warnings: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)                  # --dry-run: what would change

    def count(self, kind: str) -> int:
        return sum(1 for k in self.outcomes.values() if k == kind)

    def lines(self, verbose: bool = False) -> list[str]:
        out = [f"ambiguous: content/papers/{slug}.md: {self.reasons[slug]} (left alone; fill it by hand "
               "if you know which paper it is)" for slug, kind in self.outcomes.items() if kind == "ambiguous"]
        if verbose:
            out += [f"not found: content/papers/{slug}.md: {self.reasons[slug]}"
                    for slug, kind in self.outcomes.items() if kind == "not_found"]
        out += [f"note: {note}" for note in self.notes]
        per_field = {name: sum(name in f for f in self.filled.values()) for name in ENRICHABLE}
        filled = ", ".join(f"{name} {n}" for name, n in per_field.items() if n) or "nothing"
        later = f"; {self.left_for_later} left for a later run (--limit)" if self.left_for_later else ""
        out.append(f"pages: {self.pages}, {self.wanted} lack something; asked about {self.asked} "
                   f"({self.from_cache} answered from the cache){later}")
        out.append(f"matched: {self.count('match')}, ambiguous: {self.count('ambiguous')}, "
                   f"not found: {self.count('not_found')}; filled: {filled}; pages written: {len(self.written)}")
        return out


def choose(papers: list[Paper], cached: set[str], limit: Optional[int]) -> tuple[list[Paper], int]:
    """The pages to ask about: every one the cache answers, and at most `limit` others (in slug order)."""
    if limit is None:
        return papers, 0
    fresh = [p for p in papers if p.slug not in cached]
    chosen = {p.slug for p in fresh[:limit]} | cached
    return [p for p in papers if p.slug in chosen], max(0, len(fresh) - limit)


def page_diff(slug: str, before: str, after: str) -> str:
    path = f"content/papers/{slug}.md"
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        fromfile=f"a/{path}", tofile=f"b/{path}"))


def _fill(outcomes: list[Outcome], pages: dict[str, Paper], titles: dict[str, str], today: dt.date,
          summary: EnrichSummary) -> dict[str, Applied]:
    """The pages a match fills, re-read now: a page retitled (or gone) since it was asked about waits."""
    changed: dict[str, Applied] = {}
    for outcome in outcomes:
        slug = outcome.key
        summary.outcomes[slug] = outcome.kind
        if not isinstance(outcome, Match):
            summary.reasons[slug] = outcome.reason
            continue
        page = pages.get(slug)
        if page is None or page.title != titles[slug]:
            summary.warnings.append(Problem(f"content/papers/{slug}.md", 0, "changed while enrich was asking "
                                            "about it; left for the next run"))
            continue
        applied = apply_enrichment(page, outcome.enrichment, today)
        summary.notes.extend(Problem(f"content/papers/{slug}.md", 0, note) for note in applied.notes)
        if applied.filled:
            summary.filled[slug] = applied.filled
            changed[slug] = applied
    return changed


def run_enrich(project: store.Project, clients: Clients, *, dry_run: bool = False, limit: Optional[int] = None,
               progress: Optional[Progress] = None, today: Optional[dt.date] = None,
               cache: Optional[AnswerCache] = None) -> EnrichSummary:
    """Ask, decide, fill.  Raises ServiceError (nothing written) when a service cannot be asked."""
    today = today or dt.date.today()
    cache = cache or AnswerCache(project.enrich_cache, today)
    summary = EnrichSummary()
    taxonomy = store.load_taxonomy(project)
    catalog = Catalog.load(project, taxonomy)
    pages = catalog.clean()
    for slug in sorted(set(catalog.pages) - set(pages)):
        summary.warnings.append(Problem(f"content/papers/{slug}.md", 0,
                                        "page has problems, so enrich left it alone; run `readinglist check`"))
    summary.pages = len(pages)
    wanted = [pages[slug] for slug in sorted(pages) if needs_enrichment(pages[slug])]
    summary.wanted = len(wanted)
    items = {p.slug: item_of(p) for p in wanted}
    cached = cached_keys(items.values(), clients, cache)
    chosen, summary.left_for_later = choose(wanted, cached, limit)
    summary.asked = len(chosen)
    summary.from_cache = sum(1 for p in chosen if p.slug in cached)
    outcomes = enrich_titles([items[p.slug] for p in chosen], clients, cache, progress)
    titles = {p.slug: p.title for p in chosen}
    with store.exclusive_lock(project, "readinglist enrich"):
        current = Catalog.load(project, taxonomy)
        changed = _fill(outcomes, current.clean(), titles, today, summary)
        texts = {slug: render_paper_page(changed[slug].paper) for slug in sorted(changed)}
        if dry_run:
            summary.diffs = [page_diff(slug, current.pages[slug].text, texts[slug]) for slug in texts]
            summary.written = []
        else:
            store.write_texts((project.papers / f"{slug}.md", text) for slug, text in texts.items())
            summary.written = sorted(texts)
    return summary
