"""`readinglist remove` and `readinglist triage`: papers leave the list; papers wait for a curator.

remove deletes a page and records a tombstone (curate/removals.py) in
content/removed.yml, so the next ingest does not write the page again.
triage lists the papers filed under `other` (the site's To review page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from readinglist import store
from readinglist.catalog import Catalog
from readinglist.curate.classify import OTHER
from readinglist.curate.removals import REMOVALS_FILE, Tombstone, removed_keys, tombstone
from readinglist.page.markdown import PageError, paper_from_page
from readinglist.paper import InputError, Paper, Problem
from readinglist.text import title_key


def slug_of(asked: str) -> str:
    """`content/papers/x.md`, `x.md` or `x` -> `x`."""
    path = Path(asked)
    return path.stem if path.suffix == ".md" else asked


def remove_paper(project: store.Project, asked: str, reason: str, today: Optional[dt.date] = None) -> Tombstone:
    """Delete the page of `asked` (a slug or its path) and record why; InputError when it cannot."""
    if not reason or not reason.strip():
        raise InputError("readinglist remove", "say why with --reason \"...\" (it is kept in content/removed.yml)")
    slug = slug_of(asked)
    with store.exclusive_lock(project, "readinglist remove"):
        text = store.read_page(project, slug, asked)
        try:
            paper = paper_from_page(text, f"content/papers/{slug}.md", slug)
        except PageError as exc:
            raise InputError(asked, f"the page cannot be read ({exc.problems[0].message}); fix it first, "
                                    "or delete the file and run `readinglist ingest`") from None
        if not paper.title.strip():
            raise InputError(asked, "the page has no title, so nothing could recognise the paper again; "
                                    "give it its title first")
        stone = tombstone(paper.title, slug, reason, today or dt.date.today())
        stones = store.read_removals(project)
        if stone.key not in removed_keys(stones):
            store.write_removals(project, stones + [stone])
        store.remove_file(project.papers / f"{slug}.md")
        ledger = store.read_ledger(project)
        if ledger is not None and slug in ledger:
            store.write_ledger(project, {s: t for s, t in ledger.items() if s != slug})
    return stone


def stale_tombstones(stones: list[Tombstone], listed_keys: set[str]) -> list[Problem]:
    """Tombstones no dump lists any more: harmless, but a person may delete them."""
    return [Problem(f"content/{REMOVALS_FILE}", stone.line,
                    f"{stone.title!r} is recorded as removed but no dump lists it any more "
                    "(delete the entry if it is gone for good)")
            for stone in stones if stone.key not in listed_keys]


def pages_of_removed(papers: dict[str, Paper], stones: list[Tombstone]) -> list[Problem]:
    """Pages of papers recorded as removed: written back by hand, or removed by mistake."""
    removed = removed_keys(stones)
    out = []
    for slug in sorted(papers):
        stone = removed.get(title_key(papers[slug].title))
        if stone is not None:
            out.append(Problem(f"content/papers/{slug}.md", 0,
                               f"is recorded as removed in content/{REMOVALS_FILE} (line {stone.line}: "
                               f"{stone.reason}); delete the page, or the entry to keep the paper"))
    return out


@dataclass
class Waiting:
    path: str
    title: str
    date: Optional[dt.date]


def papers_to_review(project: store.Project) -> list[Waiting]:
    """Papers filed under `other`, newest first (by the day they joined the list)."""
    catalog = Catalog.load(project, store.load_taxonomy(project))
    waiting = [Waiting(f"content/papers/{p.slug}.md", p.title, p.date)
               for p in catalog.readable().values() if OTHER in p.topics]
    return sorted(waiting, key=lambda w: (w.date is None, -(w.date.toordinal() if w.date else 0), w.path))
