"""`readinglist check`: every problem with the paper pages, one line each.

Per-page checks live in validate.py; this module adds the checks that need the
whole list (duplicates, topics the next ingest would change) and the generated
pages.  Pure apart from what it asks the store for.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from readinglist import store
from readinglist.site.build import hand_edited_generated_pages, unchecked_content
from readinglist.curate.classify import Taxonomy, classify
from readinglist.store import load_taxonomy
from readinglist.text import title_key
from readinglist.paper import InputError, Paper, Problem
from readinglist.catalog import Catalog
from readinglist.page.markdown import key_line
from readinglist.tools.remove import pages_of_removed, stale_tombstones

NEAR_DUPLICATE_RATIO = 0.92


def near_duplicates(titles: dict[str, str]) -> list[tuple[str, str, bool]]:
    """Pairs of slugs whose titles are the same paper: (a, b, exact?).

    Exact: equal title keys.  Near: a ratio of at least NEAR_DUPLICATE_RATIO
    between keys that share their first or last two words (a typo rarely hits
    both ends), so the comparison stays far from quadratic on big lists.
    """
    keys = {slug: title_key(t) for slug, t in titles.items()}
    pairs: set[tuple[str, str, bool]] = set()
    by_key: dict[str, list[str]] = defaultdict(list)
    for slug in sorted(keys):
        by_key[keys[slug]].append(slug)
    for group in by_key.values():
        pairs.update((a, b, True) for i, a in enumerate(group) for b in group[i + 1:])
    buckets: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, group in by_key.items():
        words = key.split()
        if len(words) >= 2:
            buckets[("head", " ".join(words[:2]))].append(key)
            buckets[("tail", " ".join(words[-2:]))].append(key)
    seen: set[tuple[str, str]] = set()
    for bucket in buckets.values():
        if len(bucket) > 200:  # a phrase too common to mean anything ("towards efficient")
            continue
        for i, a in enumerate(bucket):
            for b in bucket[i + 1:]:
                pair = (min(a, b), max(a, b))
                if pair in seen:
                    continue
                seen.add(pair)
                if difflib.SequenceMatcher(None, a, b).ratio() >= NEAR_DUPLICATE_RATIO:
                    pairs.update((x, y, False) for x in by_key[pair[0]] for y in by_key[pair[1]])
    return sorted((min(a, b), max(a, b), exact) for a, b, exact in pairs)


def find_existing(title: str, papers: Iterable[Paper]) -> Optional[Paper]:
    """The page already listing `title` (case, punctuation, small typos ignored)."""
    key = title_key(title)
    best, best_ratio = None, 0.0
    for paper in papers:
        other = title_key(paper.title)
        if other == key:
            return paper
        matcher = difflib.SequenceMatcher(None, key, other)
        if matcher.real_quick_ratio() < NEAR_DUPLICATE_RATIO or matcher.quick_ratio() < NEAR_DUPLICATE_RATIO:
            continue  # cheap upper bounds first: most titles are nowhere near
        ratio = matcher.ratio()
        if ratio >= NEAR_DUPLICATE_RATIO and ratio > best_ratio:
            best, best_ratio = paper, ratio
    return best


def check_pages(catalog: Catalog, only: Optional[set[str]] = None) -> list[Problem]:
    """Problems of the pages; `only` limits per-page checks to some slugs."""
    problems: list[Problem] = []
    titles: dict[str, str] = {}
    for slug, page in catalog.pages.items():
        if only is None or slug in only:
            problems.extend(page.problems)
        if page.paper is not None and page.paper.title:
            titles[slug] = page.paper.title
    for a, b, exact in near_duplicates(titles):
        if only is not None and a not in only and b not in only:
            continue
        how = "the same title as" if exact else "a near-identical title to"
        first, second = (a, b) if only is None or b not in only else (b, a)
        problems.append(Problem(f"content/papers/{second}.md", key_line(catalog.pages[second].text, "title"),
                                f"has {how} content/papers/{first}.md (one paper, one page: merge the two "
                                "and delete one)"))
    return problems


def filing_notes(catalog: Catalog, taxonomy: Taxonomy, ledger: Optional[dict[str, list[str]]],
                 only: Optional[set[str]] = None) -> list[Problem]:
    """Where a person's filing and the rules' differ: information, not problems (curate/filings.py)."""
    notes = []
    for slug, page in catalog.pages.items():
        paper = page.paper
        if (only is not None and slug not in only) or paper is None:
            continue
        if not paper.title or not paper.topics or any(t not in taxonomy.ids for t in paper.topics):
            continue
        rules = classify(paper.title, paper.abstract, taxonomy)
        if sorted(rules) == sorted(paper.topics):
            continue
        line = key_line(page.text, "topics")
        if paper.topics_curated:
            notes.append(Problem(page.path, line, f"filed by a person; the rules would file it under {', '.join(rules)}"))
        elif ledger is not None and sorted(ledger.get(slug, [])) != sorted(paper.topics):
            notes.append(Problem(page.path, line, "topics edited by a person: the next ingest keeps them and marks "
                                                  "the page topics_curated"))
        else:
            notes.append(Problem(page.path, line, f"the rules now file it under {', '.join(rules)}: the next ingest "
                                                  "re-files it (edit `topics:` to file it yourself)"))
    return notes


def dump_title_keys(project: store.Project) -> set[str]:
    """The title keys of every paper the dumps of site_config/sources.yml list."""
    from readinglist.ingest.pipeline import read_records, select_dumps
    from readinglist.ingest.report import IngestSummary
    return {title_key(r.title) for r in read_records(project, select_dumps(project, None), IngestSummary())}


@dataclass
class CheckResult:
    problems: list[Problem]
    notes: list[Problem]  # worth knowing, not wrong (exit 0)


def run_check(project: store.Project, paths: list[str]) -> CheckResult:
    taxonomy = load_taxonomy(project)
    catalog = Catalog.load(project, taxonomy)
    only: Optional[set[str]] = None
    if paths:
        only = set()
        for raw in paths:
            path = Path(raw)
            if path.suffix != ".md":
                raise InputError(raw, "not a page (check takes content/papers/<slug>.md files)")
            absolute = Path.cwd() / path
            # The folder is resolved, not the page: a page may be a symlink, which check then reports.
            if absolute.parent.resolve() != project.papers.resolve():
                raise InputError(raw, "not under content/papers/ (generated pages are checked by `readinglist check` "
                                      "without arguments)")
            if not (absolute.exists() or absolute.is_symlink()):
                raise InputError(raw, "no such page")
            only.add(path.stem)
    problems = check_pages(catalog, only)
    stones = store.read_removals(project)
    problems.extend(p for p in pages_of_removed(catalog.readable(), stones)
                    if only is None or Path(p.path).stem in only)
    if only is None:
        problems.extend(hand_edited_generated_pages(project))
        problems.extend(unchecked_content(project))
    notes = filing_notes(catalog, taxonomy, store.read_ledger(project), only)
    if only is None and stones:
        notes.extend(stale_tombstones(stones, dump_title_keys(project)))
    return CheckResult(sorted(set(problems), key=lambda p: (p.path, p.line, p.message)), notes)
