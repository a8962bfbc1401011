"""Classify stage: file papers under topics with transparent rules.

The taxonomy and its rules live in site_config/topics.yml.  A rule is a list
of *phrases* (case-insensitive, whole words; a space or hyphen matches either;
a trailing `*` matches any word ending, e.g. `quantiz*`) or *patterns*
(regular expressions).  Scoring, per topic:

* a term found in the title scores `title_weight` (default 3);
* a term found only in the abstract scores 1, or 2 when it occurs twice or more;
* an `exclude` term found anywhere vetoes the topic;
* the topic is filed when the score reaches `min_score` (default 3).

A paper keeps its best `max_topics` topics (default 3); `other` when none fits.
`explain` shows which terms fired, so a curator can see why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

OTHER = "other"


@dataclass
class Topic:
    id: str
    name: str
    description: str
    terms: list[tuple[str, re.Pattern]] = field(default_factory=list)
    exclude: list[tuple[str, re.Pattern]] = field(default_factory=list)
    min_score: int = 3


@dataclass
class Taxonomy:
    topics: list[Topic]
    title_weight: int = 3
    max_topics: int = 3

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.topics]

    def get(self, topic_id: str) -> Optional[Topic]:
        return next((t for t in self.topics if t.id == topic_id), None)


class TaxonomyError(ValueError):
    pass


def phrase_regex(phrase: str) -> str:
    """`mixture of experts` -> a regex matching 'Mixture-of-Experts', 'mixtures of experts'."""
    phrase = phrase.strip()
    wildcard = phrase.endswith("*")
    words = re.split(r"[\s-]+", phrase.rstrip("*"))
    body = r"[\s-]+".join(re.escape(w) for w in words)
    if wildcard:
        tail = r"[\w-]*"
    elif words[-1][-1:].isalpha():
        tail = r"(?:s|es)?"
    else:
        tail = ""
    lead = r"\b" if words[0][:1].isalnum() else ""
    end = r"\b" if (wildcard or words[-1][-1:].isalnum()) else ""
    return lead + body + tail + end


def _compile(terms: list[Any], kind: str, topic_id: str) -> list[tuple[str, re.Pattern]]:
    compiled = []
    for term in terms or []:
        if not isinstance(term, str) or not term.strip():
            raise TaxonomyError(f"topic {topic_id}: every {kind} must be a non-empty string")
        source = term if kind == "pattern" else phrase_regex(term)
        try:
            flags = 0 if kind == "pattern" and term.startswith("(?-i)") else re.IGNORECASE
            compiled.append((term, re.compile(source.replace("(?-i)", "", 1), flags)))
        except re.error as exc:
            raise TaxonomyError(f"topic {topic_id}: pattern {term!r} is not a valid regular expression: {exc}") from None
    return compiled


def taxonomy_from_data(data: Any) -> Taxonomy:
    """Validate and compile the parsed topics.yml."""
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise TaxonomyError("expected a `topics:` list")
    topics: list[Topic] = []
    seen: set[str] = set()
    for entry in data["topics"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise TaxonomyError("every topic needs an `id:`")
        tid = entry["id"]
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", tid):
            raise TaxonomyError(f"topic id {tid!r} must be lower-case words joined by hyphens")
        if tid in seen:
            raise TaxonomyError(f"topic id {tid!r} appears twice")
        seen.add(tid)
        for key in ("name", "description"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise TaxonomyError(f"topic {tid}: `{key}:` is required")
        rules = entry.get("rules") or {}
        topic = Topic(
            id=tid, name=entry["name"].strip(), description=" ".join(entry["description"].split()),
            terms=_compile(rules.get("phrases"), "phrase", tid) + _compile(rules.get("patterns"), "pattern", tid),
            exclude=_compile(rules.get("exclude"), "phrase", tid) + _compile(rules.get("exclude_patterns"), "pattern", tid),
            min_score=int(rules.get("min_score", data.get("min_score", 3))),
        )
        topics.append(topic)
    if OTHER not in seen:
        raise TaxonomyError(f"the taxonomy needs an `{OTHER}` topic for papers nothing else fits")
    return Taxonomy(topics, int(data.get("title_weight", 3)), int(data.get("max_topics", 3)))


@dataclass
class Filing:
    topic: str
    score: int
    hits: list[str]


def score_topics(title: str, abstract: str, taxonomy: Taxonomy) -> list[Filing]:
    """Every topic that reached its threshold, best first (no `other`)."""
    filings: list[Filing] = []
    for order, topic in enumerate(taxonomy.topics):
        if topic.id == OTHER or not topic.terms:
            continue
        score, hits = 0, []
        for term, regex in topic.terms:
            if regex.search(title):
                score += taxonomy.title_weight
                hits.append(f"title:{term}")
            else:
                found = len(regex.findall(abstract))
                if found:
                    score += 2 if found > 1 else 1
                    hits.append(f"abstract:{term}" + (f"×{found}" if found > 1 else ""))
        if score < topic.min_score:
            continue
        vetoes = [term for term, regex in topic.exclude if regex.search(title) or regex.search(abstract)]
        if vetoes:
            continue
        filings.append(Filing(topic.id, score, hits))
    order = {tid: i for i, tid in enumerate(taxonomy.ids)}
    filings.sort(key=lambda f: (-f.score, order[f.topic]))
    return filings


def classify(title: str, abstract: str, taxonomy: Taxonomy) -> list[str]:
    """The topics a paper is filed under, in taxonomy order."""
    filings = score_topics(title, abstract, taxonomy)[: taxonomy.max_topics]
    if not filings:
        return [OTHER]
    order = {tid: i for i, tid in enumerate(taxonomy.ids)}
    return sorted((f.topic for f in filings), key=order.__getitem__)
