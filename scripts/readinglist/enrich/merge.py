"""Turn the services' decisions on one item into its outcome.  Pure functions.

Authority per field: arXiv for the arXiv id and the first-version date, OpenAlex
for the DOI and the venue, Hugging Face for code links; the others fill a field
only when the authority has nothing.  Where services give different values the
difference is kept in `disagreements` for the report.  An item is a `Match` only
when no service found it ambiguous and the matched services agree on its arXiv id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Literal, Mapping, Optional, Union

from readinglist.enrich.matcher import Decision
from readinglist.enrich.records import Candidate, Item
from readinglist.enrich.text import surname

# Which services may give each field, most authoritative first.
AUTHORITY = MappingProxyType({
    "arxiv_id": ("arxiv", "hf", "openalex"),
    "published": ("arxiv", "hf"),         # OpenAlex dates the venue version, not the first version
    "doi": ("openalex", "arxiv"),
    "venue": ("openalex", "arxiv"),       # arXiv: the authors' journal reference
    "authors": ("arxiv", "openalex", "hf"),
    "code_url": ("hf",),
})
# Fields whose differing values are worth a person's look.  Venue names never agree
# verbatim (an arXiv journal reference vs OpenAlex's source name), so they are not compared.
COMPARED = frozenset({"arxiv_id", "published", "doi", "authors"})


@dataclass(frozen=True)
class Disagreement:
    """Services that gave different values for one field: ((service, value), ...)."""

    field: str
    values: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Enrichment:
    """What a match yields for the page, and which service each value came from."""

    arxiv_id: Optional[str] = None
    doi: Optional[str] = None
    authors: tuple[str, ...] = ()
    published: Optional[str] = None     # YYYY-MM-DD, first version
    venue: Optional[str] = None
    code_url: Optional[str] = None
    sources: Mapping[str, str] = field(default_factory=dict)   # field -> service
    disagreements: tuple[Disagreement, ...] = ()


@dataclass(frozen=True)
class Match:
    key: str
    enrichment: Enrichment
    decisions: Mapping[str, Decision]
    kind: Literal["match"] = "match"


@dataclass(frozen=True)
class Ambiguous:
    key: str
    reason: str
    decisions: Mapping[str, Decision]
    kind: Literal["ambiguous"] = "ambiguous"


@dataclass(frozen=True)
class NotFound:
    key: str
    reason: str
    decisions: Mapping[str, Decision]
    kind: Literal["not_found"] = "not_found"


Outcome = Union[Match, Ambiguous, NotFound]


def _field_value(candidate: Candidate, name: str) -> Any:
    if name == "doi":
        return candidate.publisher_doi      # arXiv's own DOI only restates the arXiv id
    return getattr(candidate, name)


def _comparable(name: str) -> Callable[[Any], Any]:
    """How values are compared for disagreements (authors: their surnames in order)."""
    if name == "authors":
        return lambda authors: tuple(surname(a) for a in authors)
    return lambda value: value


def _disagreement(name: str, given: list[tuple[str, Any]]) -> Optional[Disagreement]:
    key = _comparable(name)
    if len({key(v) for _, v in given}) < 2:
        return None
    shown = tuple((s, "; ".join(v) if isinstance(v, tuple) else str(v)) for s, v in given)
    return Disagreement(name, shown)


def merge_matches(matched: Mapping[str, Candidate]) -> Enrichment:
    """One enrichment from each service's matched paper, by field authority."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    disagreements = []
    for name, services in AUTHORITY.items():
        given = [(s, _field_value(matched[s], name)) for s in services if s in matched]
        given = [(s, v) for s, v in given if v]
        if given:
            sources[name], values[name] = given[0]
        found = _disagreement(name, given) if name in COMPARED else None
        if found:
            disagreements.append(found)
    return Enrichment(**values, sources=sources, disagreements=tuple(disagreements))


def combine(item: Item, decisions: Mapping[str, Decision]) -> Outcome:
    """The item's outcome from every asked service's decision."""
    frozen = dict(decisions)
    ambiguous = [d for d in decisions.values() if d.verdict == "ambiguous"]
    if ambiguous:
        return Ambiguous(item.key, "; ".join(f"{d.service}: {d.reason}" for d in ambiguous), frozen)
    matched = {s: d.candidate for s, d in decisions.items() if d.verdict == "match" and d.candidate}
    if not matched:
        reasons = "; ".join(f"{d.service}: {d.reason}" for d in decisions.values()) or "no service asked"
        return NotFound(item.key, reasons, frozen)
    arxiv_ids = {s: c.arxiv_id for s, c in matched.items() if c.arxiv_id}
    if len(set(arxiv_ids.values())) > 1:
        named = ", ".join(f"{s} {a}" for s, a in sorted(arxiv_ids.items()))
        return Ambiguous(item.key, f"services disagree on the arXiv id: {named}", frozen)
    return Match(item.key, merge_matches(matched), frozen)
