"""Classify stage: file papers under topics with transparent rules.

The taxonomy and its rules live in site_config/topics.yml.  A rule is a list
of *phrases* (case-insensitive, whole words; a space or hyphen matches either,
as does no gap at all when the phrase is written with a hyphen; the last word
may take a plural `s`/`es`; a trailing `*` matches any word ending, e.g.
`quantiz*`) or *patterns* (regular expressions, case-insensitive unless they
start with `(?-i)`).  Scoring, per topic:

* a term found in the title scores `title_weight` (default 3);
* a term found only in the abstract scores 1, or 2 when it occurs twice or more;
* a stretch of text counts once per topic, for the first term listed that
  matches it, so overlapping terms (`knowledge distillation`, `distill*`) do
  not count the same words twice;
* `ignore` terms are blanked out before the topic's terms are looked for, so
  `data pruning` need not count as evidence for model pruning;
* an `exclude` term found anywhere vetoes the topic, an `exclude_title` term
  (or `exclude_title_patterns`) vetoes it only when found in the title;
* the topic is filed when the score reaches `min_score` (default 3).

A paper keeps its best `max_topics` topics (default 3); `other` when none fits.
`readinglist classify PAGE` shows which terms fired, so a curator can see why.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from typing import Any, Optional

from .quickreject import Guarded, gate_for

OTHER = "other"

Terms = list[tuple[str, re.Pattern]]

# Every key a topic's `rules:` may hold; anything else is a typo worth reporting.
RULE_KEYS = ("phrases", "patterns", "ignore", "ignore_patterns", "exclude", "exclude_patterns",
             "exclude_title", "exclude_title_patterns", "min_score")
TOP_KEYS = ("title_weight", "max_topics", "min_score", "topics")


@dataclass
class Topic:
    id: str
    name: str
    description: str
    terms: Terms = field(default_factory=list)
    exclude: Terms = field(default_factory=list)
    min_score: int = 3
    ignore: Terms = field(default_factory=list)
    exclude_title: Terms = field(default_factory=list)


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
    """`mixture of experts` -> a regex matching 'Mixture-of-Experts', 'mixtures of experts'.

    A hyphen in the phrase also allows no gap at all, because authors write
    'pre-training' and 'pretraining', 'fine-tune' and 'finetune' alike.
    """
    phrase = phrase.strip()
    wildcard = phrase.endswith("*")
    parts = re.split(r"(\s+|-)", phrase.rstrip("*"))
    words, gaps = parts[0::2], parts[1::2]
    body = re.escape(words[0])
    for gap, word in zip(gaps, words[1:]):
        body += (r"[\s-]*" if gap == "-" else r"[\s-]+") + re.escape(word)
    if wildcard:
        tail = r"[\w-]*"
    elif words[-1][-1:].isalpha():
        tail = r"(?:s|es)?"
    else:
        tail = ""
    lead = r"\b" if words[0][:1].isalnum() else ""
    end = r"\b" if (wildcard or words[-1][-1:].isalnum()) else ""
    return lead + body + tail + end


def _compile(terms: Any, kind: str, topic_id: str) -> Terms:
    if terms is None:
        return []
    if not isinstance(terms, list):
        raise TaxonomyError(f"topic {topic_id}: `{kind}` must be a list")
    compiled = []
    for term in terms:
        if not isinstance(term, str) or not term.strip():
            raise TaxonomyError(f"topic {topic_id}: every entry of `{kind}` must be a non-empty string")
        is_pattern = kind.endswith("patterns")
        source = term if is_pattern else phrase_regex(term)
        flags = re.IGNORECASE
        if is_pattern and term.startswith("(?-i)"):
            source, flags = term[len("(?-i)"):], 0
        try:
            compiled.append((term, Guarded(re.compile(source, flags))))
        except re.error as exc:
            raise TaxonomyError(f"topic {topic_id}: pattern {term!r} is not a valid regular expression: {exc}") from None
    return compiled


def _positive_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TaxonomyError(f"{where} must be a whole number of at least 1, not {value!r}")
    return value


def _topic_from_entry(entry: dict, default_min: int) -> Topic:
    tid = entry["id"]
    for key in ("name", "description"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise TaxonomyError(f"topic {tid}: `{key}:` is required")
    rules = entry.get("rules") or {}
    if not isinstance(rules, dict):
        raise TaxonomyError(f"topic {tid}: `rules:` must be a mapping")
    unknown = sorted(set(rules) - set(RULE_KEYS))
    if unknown:
        raise TaxonomyError(f"topic {tid}: unknown rule key(s) {', '.join(unknown)}; "
                            f"expected some of {', '.join(RULE_KEYS)}")
    return Topic(
        id=tid, name=entry["name"].strip(), description=" ".join(entry["description"].split()),
        terms=_compile(rules.get("phrases"), "phrases", tid) + _compile(rules.get("patterns"), "patterns", tid),
        ignore=_compile(rules.get("ignore"), "ignore", tid) + _compile(rules.get("ignore_patterns"), "ignore_patterns", tid),
        exclude=_compile(rules.get("exclude"), "exclude", tid)
        + _compile(rules.get("exclude_patterns"), "exclude_patterns", tid),
        exclude_title=_compile(rules.get("exclude_title"), "exclude_title", tid)
        + _compile(rules.get("exclude_title_patterns"), "exclude_title_patterns", tid),
        min_score=_positive_int(rules.get("min_score", default_min), f"topic {tid}: `min_score`"),
    )


def taxonomy_from_data(data: Any) -> Taxonomy:
    """Validate and compile the parsed topics.yml."""
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise TaxonomyError("expected a `topics:` list")
    unknown = sorted(set(data) - set(TOP_KEYS))
    if unknown:
        raise TaxonomyError(f"unknown top-level key(s) {', '.join(unknown)}; expected some of {', '.join(TOP_KEYS)}")
    default_min = _positive_int(data.get("min_score", 3), "`min_score`")
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
        topics.append(_topic_from_entry(entry, default_min))
    if OTHER not in seen:
        raise TaxonomyError(f"the taxonomy needs an `{OTHER}` topic for papers nothing else fits")
    return Taxonomy(topics, _positive_int(data.get("title_weight", 3), "`title_weight`"),
                    _positive_int(data.get("max_topics", 3), "`max_topics`"))


@dataclass
class Filing:
    topic: str
    score: int
    hits: list[str]


def _blank(text: str, ignore: Terms) -> str:
    for _, regex in ignore:
        text = regex.sub(" ", text)
    return text


def _claim(regex: re.Pattern, text: str, claimed: list[tuple[int, int]]) -> int:
    """Count matches of `regex` that overlap no stretch of text already counted.

    `claimed` holds disjoint spans sorted by start, so one binary search per
    match finds the only span that could overlap it: linear in the matches,
    not quadratic (a 3 MB abstract repeats a term tens of thousands of times).
    """
    starts = [start for start, _ in claimed]
    fresh = []
    for m in regex.finditer(text):
        i = bisect.bisect_left(starts, m.end()) - 1
        if i >= 0 and claimed[i][1] > m.start():
            continue
        fresh.append(m.span())
    if fresh:
        claimed[:] = sorted(claimed + fresh)
    return len(fresh)


def _score(topic: Topic, title: str, abstract: str, title_weight: int) -> tuple[int, list[str]]:
    """Score one topic.  A stretch of text counts for one term only (the first
    listed), so listing `knowledge distillation` and `distill*` together does
    not count 'knowledge distillation' twice."""
    title, abstract = _blank(title, topic.ignore), _blank(abstract, topic.ignore)
    claimed_title: list[tuple[int, int]] = []
    claimed_abstract: list[tuple[int, int]] = []
    score, hits = 0, []
    for term, regex in topic.terms:
        if _claim(regex, title, claimed_title):
            score += title_weight
            hits.append(f"title:{term}")
            continue
        found = _claim(regex, abstract, claimed_abstract)
        if found:
            score += 2 if found > 1 else 1
            hits.append(f"abstract:{term}" + (f"×{found}" if found > 1 else ""))
    return score, hits


def _vetoed(topic: Topic, title: str, abstract: str) -> bool:
    return (any(regex.search(title) or regex.search(abstract) for _, regex in topic.exclude)
            or any(regex.search(title) for _, regex in topic.exclude_title))


def score_topics(title: str, abstract: str, taxonomy: Taxonomy) -> list[Filing]:
    """Every topic that reached its threshold and was not vetoed, best first (no `other`)."""
    filings: list[Filing] = []
    for topic in taxonomy.topics:
        if topic.id == OTHER or not topic.terms:
            continue
        # Only the terms whose words are in the text can score (quickreject.py):
        # same result as scoring them all, an order of magnitude faster.
        candidates = gate_for(topic.terms).candidates(_blank(title, topic.ignore), _blank(abstract, topic.ignore))
        if not candidates:
            continue
        score, hits = _score(replace(topic, terms=candidates), title, abstract, taxonomy.title_weight)
        if score >= topic.min_score and not _vetoed(topic, title, abstract):
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
