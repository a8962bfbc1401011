"""Search index: one entry per paper, sized so that search answers quickly.

Material's search builds a lunr index in the visitor's browser from
site/search/search_index.json on every page load, and the first results wait
for it.  Its cost grows with the number of distinct (page, word) pairs: at
10,000 papers with whole abstracts that is several seconds.  So the index is
written here, from the papers themselves, instead of Material cutting every
page's HTML into sections:

* a paper is one entry: its title, its authors and organization, its topics'
  names, and its abstract;
* the abstracts together may hold `TERM_BUDGET` distinct (paper, word) pairs.
  A list small enough keeps every abstract whole.  A larger one keeps, per
  abstract, its opening words (what the result shows) and then the words that
  the fewest other abstracts use (what finds this paper rather than a
  thousand others); common words of the abstract are left out (its title,
  authors and topics are always in);
* listing pages (home, timeline, topics, people, ...) are one entry each, by
  title and description: their text only repeats the papers' titles, and would
  rank the list above the paper.

Paper and listing pages are marked `search: exclude` for Material's plugin;
`readinglist build` appends these entries to the index Material writes for any
other page, after the engine ran.
Pure functions; the hook reads and writes the file through store.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from typing import Iterable, Optional, Sequence

from lunr.stop_word_filter import WORDS as _LUNR_STOP_WORDS

from readinglist.curate.classify import Taxonomy
from readinglist.text import readable_text
from readinglist.paper import Paper

# Distinct (paper, abstract word) pairs the whole index may hold.  Fewer pairs,
# sooner the first results (Material's worker builds the index in the browser):
# on a 10,000-paper list, 150,000 gave 0.10-0.21x the floor's time on a loaded
# machine against 0.24-0.29x for 250,000, and 0.31x on a quiet one (BENCHMARKS.md,
# "Search budget"); a paper is still found by title, author and rarest word.
TERM_BUDGET = 150_000
# A paper keeps at least this many abstract words, however long the list.
MIN_TERMS = 12
PAPER_BOOST = 2
# Material's defaults for English (search_index.json "config"): its worker
# splits on this and drops lunr's stop words; no stemming, no trimming.
SEPARATOR = re.compile(r"[\s\-]+")
STOP_WORDS = frozenset(_LUNR_STOP_WORDS)
_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'`"


# A run between separators, without the punctuation at its ends.
_EDGE = re.escape(_EDGE_PUNCTUATION)
_TERM_RE = re.compile(rf"[^\s\-{_EDGE}](?:[^\s\-]*[^\s\-{_EDGE}])?")


def index_terms(text: str) -> list[str]:
    """The words of `text` as the index sees them, in order: lower case, edge punctuation off,
    no stop words."""
    return [w for w in _TERM_RE.findall(text.lower()) if w not in STOP_WORDS]


def terms_per_paper(papers: int, budget: int = TERM_BUDGET) -> int:
    return max(MIN_TERMS, budget // max(1, papers))


def document_frequency(term_lists: Iterable[list[str]]) -> Counter:
    """In how many of the texts (given as their index words) each word occurs."""
    df: Counter = Counter()
    for terms in term_lists:
        df.update(set(terms))
    return df


def trim_abstract(abstract: str, keep: int, df: Counter, skip: frozenset = frozenset(),
                  terms: Optional[list[str]] = None) -> str:
    """`abstract` (plain text) with at most about `keep` distinct index words.

    Whole when it fits; else its opening words (half the words) then `…` and the
    rarest of its other words, in the order they occur.  Words in `skip` (the
    title's) are found through the title and are not counted or repeated.
    `terms` are the abstract's index words when already known.
    """
    terms = index_terms(abstract) if terms is None else terms
    distinct = set(terms) - skip
    if len(distinct) <= keep:
        return abstract
    lead: list[str] = []
    seen: set[str] = set()
    for word in abstract.split():
        fresh = set(index_terms(word)) - skip - seen
        if len(seen) + len(fresh) > keep // 2:
            break
        lead.append(word)
        seen |= fresh
    # Rarest first; words with letters before numbers ("5.7m", "0.9%"), which nobody searches for.
    ranked = sorted(distinct - seen, key=lambda t: (not any(c.isalpha() for c in t), df[t], t))
    chosen = set(ranked[: keep - len(seen)])
    tail = [t for t in dict.fromkeys(terms) if t in chosen]
    return " ".join(lead) + " … " + " ".join(tail)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def paper_entry(paper: Paper, taxonomy: Taxonomy, location: str, keep: int, df: Counter,
                terms: Optional[list[str]] = None) -> dict:
    title = readable_text(paper.title)
    who = ", ".join(paper.authors) + (" et al." if paper.et_al else "")
    byline = " · ".join(x for x in (who, paper.organization or "") if x)
    topics = ", ".join(t.name for t in (taxonomy.get(tid) for tid in paper.topics) if t is not None)
    abstract = readable_text(paper.abstract)
    abstract = trim_abstract(abstract, keep, df, frozenset(index_terms(title)), terms)
    text = "".join(f"<p>{_esc(part)}</p>" for part in (byline, topics, abstract) if part)
    return {"location": location, "title": _esc(title), "text": text, "boost": PAPER_BOOST}


def paper_entries(papers: Sequence[Paper], taxonomy: Taxonomy, locations: dict[str, str],
                  budget: int = TERM_BUDGET) -> list[dict]:
    """Entries for the papers whose page was built (`locations`: slug -> page URL)."""
    built = sorted((p for p in papers if p.slug in locations), key=lambda p: p.slug)
    keep = terms_per_paper(len(built), budget)
    terms = [index_terms(readable_text(p.abstract)) for p in built]
    df = document_frequency(terms)
    return [paper_entry(p, taxonomy, locations[p.slug], keep, df, t) for p, t in zip(built, terms)]


def listing_entry(location: str, title: str, description: Optional[str], boost: Optional[float]) -> dict:
    entry = {"location": location, "title": title, "text": f"<p>{description}</p>" if description else ""}
    if boost is not None:
        entry["boost"] = boost
    return entry


def merged_index(material_index: str, entries: list[dict]) -> str:
    """Material's search_index.json with `entries` added (any old entry for their pages dropped)."""
    data = json.loads(material_index)
    pages = {e["location"] for e in entries}
    data["docs"] = [d for d in data.get("docs", []) if d.get("location", "").split("#")[0] not in pages]
    data["docs"].extend(entries)
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def update_site_index(site_dir, papers: Sequence[Paper], taxonomy: Taxonomy, locations: dict[str, str],
                      listings: list[dict]) -> bool:
    """Add readinglist's entries to the site's search_index.json (written by Material's
    search plugin for every other page).  `locations`: page URL by slug.  False when
    there is no index (search turned off)."""
    from pathlib import Path

    from readinglist import store

    path = Path(site_dir) / "search" / "search_index.json"
    index = store.read_text_or_none(path, limit=store.MAX_PRODUCT_BYTES)
    if index is None:
        return False
    entries = paper_entries(papers, taxonomy, locations) + listings
    store.write_text(path, merged_index(index, entries))
    return True
