"""Decide whether one service's answer holds the reading-list paper.  Pure functions.

A candidate's title is compared with the item's after normalization
(`text.normalize_title`) using rapidfuzz's `fuzz.ratio`; its digits must be the
same (`4-bit` is not `8-bit`), and a near-equal score counts only when the words
are the same too (`text.word_difference`: `Attention Is Not All You Need`,
`Faster ...` for `Fast ...` score above 95 but are other papers).  Records of one paper (arXiv versions, OpenAlex
duplicates and preprint/published pairs sharing an arXiv id or a DOI) are grouped
first, so several versions are never ambiguity.  Then:

* `match`: exactly one paper has a near-equal title (>= ACCEPT) with no year or
  first-author conflict, and no other paper comes close (>= PLAUSIBLE), unless that
  other one conflicts while the winner is confirmed on both year and first author;
* `ambiguous`: several such papers, a title match whose year (more than one year
  off) or first author conflicts, two papers too close to tell, or only a weak
  title match (between PLAUSIBLE and ACCEPT); never written, reported to a person;
* `not_found`: nothing close.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional, Sequence

from rapidfuzz import fuzz

from readinglist.enrich.records import Candidate, Item
from readinglist.enrich.text import normalize_title, same_person, title_numbers, word_difference

ACCEPT = 95.0       # near-equal: differs by a typo, a plural, punctuation the normalizer missed
PLAUSIBLE = 90.0    # close enough that a person should look before anything is written
YEAR_SLACK = 1      # preprint in December, listed in January; conference a year after arXiv

Verdict = Literal["match", "ambiguous", "not_found"]
CheckVerdict = Literal["match", "conflict", "unknown"]


@dataclass(frozen=True)
class Check:
    """One consistency check: what the item knows, what the paper says, and the verdict."""

    verdict: CheckVerdict
    known: Optional[str] = None
    found: Optional[str] = None


@dataclass(frozen=True)
class Evidence:
    """Why a paper was (or was not) taken."""

    title_score: float
    year: Check
    first_author: Check
    records: int = 1          # versions / duplicates merged into this paper


@dataclass(frozen=True)
class Decision:
    """One service's verdict on one item."""

    service: str
    verdict: Verdict
    reason: str
    candidate: Optional[Candidate] = None       # the paper (records merged) when matched
    evidence: Optional[Evidence] = None
    others: tuple[Candidate, ...] = field(default=())  # rivals or the nearest miss, for the report


def title_score(known: str, found: str) -> float:
    """0-100 similarity of two titles after normalization; 0 when their digits differ."""
    a, b = normalize_title(known), normalize_title(found)
    if not a or not b or title_numbers(a) != title_numbers(b):
        return 0.0
    # Compared with and without spaces too, so `pre-training`/`pretraining` or `R 3`/`R3` cost nothing.
    return max(fuzz.ratio(a, b), fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")))


# --------------------------------------------------------------------------- grouping


def _identities(candidate: Candidate) -> set[tuple[str, str]]:
    keys = {("record", candidate.record_id)}
    if candidate.arxiv_id:
        keys.add(("arxiv", candidate.arxiv_id))
    if candidate.doi:
        keys.add(("doi", candidate.doi))
    return keys


def group_records(candidates: Sequence[Candidate]) -> list[list[Candidate]]:
    """Candidates that share an arXiv id, a DOI or a record id, as one group per paper
    (transitively: a preprint and its published version linked through either)."""
    groups: list[tuple[set[tuple[str, str]], list[Candidate]]] = []
    for candidate in candidates:
        keys = _identities(candidate)
        joined = [g for g in groups if g[0] & keys]
        merged_keys, merged = set(keys), [candidate]
        for g in joined:
            merged_keys |= g[0]
            merged = g[1] + merged
            groups.remove(g)
        groups.append((merged_keys, merged))
    return [members for _, members in groups]


def _first(values) -> Optional[str]:
    return next((v for v in values if v), None)


def merge_records(records: Sequence[Candidate], scores: dict[int, float]) -> Candidate:
    """One candidate for a group: the best-titled record, completed from the others.

    The first-version date is the earliest; the DOI a publisher's rather than arXiv's;
    the venue the first one given.
    """
    primary = max(records, key=lambda c: (scores[id(c)], c.arxiv_version or 0))
    dates = sorted(c.published for c in records if c.published)
    years = sorted(c.year for c in records if c.year)
    return Candidate(
        service=primary.service, title=primary.title, record_id=primary.record_id,
        arxiv_id=primary.arxiv_id or _first(c.arxiv_id for c in records),
        arxiv_version=max((c.arxiv_version for c in records if c.arxiv_version), default=None),
        doi=_first(c.publisher_doi for c in records) or _first(c.doi for c in records),
        authors=primary.authors or next((c.authors for c in records if c.authors), ()),
        published=dates[0] if dates else None, year=years[0] if years else None,
        venue=primary.venue or _first(c.venue for c in records),
        code_url=primary.code_url or _first(c.code_url for c in records),
    )


def _inconsistent(records: Sequence[Candidate]) -> Optional[str]:
    """Why a group cannot be one paper: records naming two arXiv ids or two publisher DOIs."""
    arxiv_ids = sorted({c.arxiv_id for c in records if c.arxiv_id})
    if len(arxiv_ids) > 1:
        return f"its records name several arXiv ids ({', '.join(arxiv_ids)})"
    dois = sorted({c.publisher_doi for c in records if c.publisher_doi})
    if len(dois) > 1:
        return f"its records name several DOIs ({', '.join(dois)})"
    return None


# --------------------------------------------------------------------------- checks


def year_check(known: Optional[int], records: Sequence[Candidate]) -> Check:
    years = sorted({c.year for c in records if c.year})
    found = "/".join(map(str, years)) or None
    if known is None or not years:
        return Check("unknown", str(known) if known else None, found)
    ok = any(abs(y - known) <= YEAR_SLACK for y in years)
    return Check("match" if ok else "conflict", str(known), found)


def author_check(known: Optional[str], records: Sequence[Candidate]) -> Check:
    firsts = [c.authors[0] for c in records if c.authors]
    found = firsts[0] if firsts else None
    if not known or not firsts:
        return Check("unknown", known or None, found)
    ok = any(same_person(known, f) for f in firsts)
    return Check("match" if ok else "conflict", known, found)


@dataclass(frozen=True)
class _Paper:
    """A group of records scored against the item."""

    candidate: Candidate
    evidence: Evidence
    inconsistency: Optional[str]
    words: Optional[str] = None     # the words its title differs in (text.word_difference)

    @property
    def score(self) -> float:
        return self.evidence.title_score

    @property
    def conflict(self) -> bool:
        return "conflict" in (self.evidence.year.verdict, self.evidence.first_author.verdict)

    @property
    def confirmed(self) -> bool:
        return self.evidence.year.verdict == "match" and self.evidence.first_author.verdict == "match"

    @property
    def strong(self) -> bool:
        return self.score >= ACCEPT and not self.words and not self.conflict and not self.inconsistency


def _describe(paper: _Paper) -> str:
    c = paper.candidate
    ident = c.arxiv_id or c.doi or c.record_id
    return f"“{c.title}” ({ident}, {c.year or 'year unknown'}, score {paper.score:.0f})"


def _conflict_reason(paper: _Paper) -> str:
    ev = paper.evidence
    parts = []
    if ev.year.verdict == "conflict":
        parts.append(f"year {ev.year.found} vs {ev.year.known}")
    if ev.first_author.verdict == "conflict":
        parts.append(f"first author {ev.first_author.found} vs {ev.first_author.known}")
    return f"title matches {_describe(paper)} but {' and '.join(parts)}"


# --------------------------------------------------------------------------- decision


def decide(item: Item, candidates: Sequence[Candidate], service: str) -> Decision:
    """This service's verdict on `item` given the candidates it answered."""
    scores = {id(c): title_score(item.title, c.title) for c in candidates}
    plausible = [c for c in candidates if scores[id(c)] >= PLAUSIBLE]
    if not plausible:
        nearest = max(candidates, key=lambda c: scores[id(c)], default=None)
        reason = "no title close enough" + (
            f"; nearest “{nearest.title}” (score {scores[id(nearest)]:.0f})" if nearest else " (no results)")
        return Decision(service, "not_found", reason, others=(nearest,) if nearest else ())

    papers = []
    for records in group_records(plausible):
        evidence = Evidence(max(scores[id(c)] for c in records), year_check(item.year, records),
                            author_check(item.first_author, records), len(records))
        merged = merge_records(records, scores)
        words = min((word_difference(normalize_title(item.title), normalize_title(c.title)) or "" for c in records),
                    key=len) or None
        papers.append(_Paper(merged, evidence, _inconsistent(records), words))
    papers.sort(key=lambda p: -p.score)
    strong = [p for p in papers if p.strong]

    if len(strong) == 1:
        winner = strong[0]
        rivals = [p for p in papers if p is not winner and not (p.conflict and winner.confirmed)]
        if not rivals:
            return Decision(service, "match", f"title matches {_describe(winner)}",
                            winner.candidate, winner.evidence,
                            tuple(p.candidate for p in papers if p is not winner))
        return Decision(service, "ambiguous",
                        f"{_describe(winner)} is too close to {_describe(rivals[0])}",
                        others=tuple(p.candidate for p in papers))
    if len(strong) > 1:
        return Decision(service, "ambiguous",
                        f"{len(strong)} papers match the title: " + "; ".join(map(_describe, strong)),
                        others=tuple(p.candidate for p in strong))
    best = papers[0]
    if best.inconsistency:
        reason = f"{_describe(best)}: {best.inconsistency}"
    elif best.score >= ACCEPT and best.words:
        reason = f"the title differs in words ({best.words}): {_describe(best)}"
    elif best.score >= ACCEPT:
        reason = _conflict_reason(best)
    else:
        reason = f"only a weak title match: {_describe(best)}"
    return Decision(service, "ambiguous", reason, others=tuple(p.candidate for p in papers))
