"""Classify stage: file papers under topics, the way a curator would.

The taxonomy and its rules live in site_config/topics.yml; a small learned
model of title words (topicmodel.py, site_config/topic-model.json) helps only
where the rules are silent.  How a paper is filed:

1. Rules score each topic.  A rule is a list of *phrases* (see termindex.py
   for how a phrase matches) or *patterns* (regular expressions,
   case-insensitive unless they start with `(?-i)`):
   * a term found in the title scores `title_weight` (4);
   * a term found only in the abstract scores 1, or 2 when it occurs twice or
     more; `title_phrases` / `title_patterns` count only in the title, for
     words that name a subject in a title but are common in any abstract;
   * a stretch of text counts once per topic, for the first term listed that
     matches it, so `knowledge distillation` and `distil*` do not count the
     same words twice;
   * `hints` (and `hint_patterns`) score half the title weight in a title:
     they point to a topic without deciding it;
   * `ignore` terms are no evidence for the topic (`data pruning` is not
     model pruning); an `exclude` term found anywhere vetoes the topic, an
     `exclude_title` term (or pattern) vetoes it from the title only;
   * a topic is filed when its score reaches `min_score`.
2. The best topic is kept, and up to `max_topics` - 1 more that score at
   least `secondary_ratio` of the best (a paper is rarely about three things).
3. When no topic reaches its score: a paper with a real abstract (at least
   `informative_abstract_words` words) whose title and abstract name nothing
   a topic looks for is off-topic, and goes to `other`.  A paper with little
   or no abstract is filed by its title words (topicmodel.py) when the model
   is confident enough (`model_min_probability`), else `other`; the model's
   runner-up is filed too when its log-odds come within `model_second_margin`
   of the best's.

`readinglist classify PAGE` shows which terms or words decided.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from readinglist.curate.termindex import Span, Term, TermError, TermIndex, Words, pattern_term, phrase_term
from readinglist.curate.topicmodel import TitleModel

OTHER = "other"

# Every key a topic's `rules:` may hold; anything else is a typo worth reporting.
RULE_KEYS = ("phrases", "patterns", "title_phrases", "title_patterns", "hints", "hint_patterns", "ignore", "ignore_patterns", "exclude",
             "exclude_patterns", "exclude_title", "exclude_title_patterns", "min_score")
TOP_KEYS = ("title_weight", "max_topics", "min_score", "secondary_ratio", "informative_abstract_words",
            "model_min_probability", "model_second_margin", "topics")


@dataclass
class Topic:
    id: str
    name: str
    description: str
    terms: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)
    min_score: int = 3
    ignore: list[Term] = field(default_factory=list)
    exclude_title: list[Term] = field(default_factory=list)
    # Words that name the subject when a title uses them, but are too common
    # in abstracts to be evidence there ('reasoning', 'edge', 'hardware').
    title_terms: list[Term] = field(default_factory=list)
    # Words that point to the topic without deciding it: half the title
    # weight in a title, like any term in an abstract ('long context',
    # 'offloading', 'hardware').
    hints: list[Term] = field(default_factory=list)


@dataclass
class Settings:
    title_weight: int = 4
    max_topics: int = 3
    secondary_ratio: float = 0.5
    informative_abstract_words: int = 30
    model_min_probability: float = 0.2
    # When the title model decides, its runner-up is filed too if its
    # log-odds come within this margin of the best's (0: never).
    model_second_margin: float = 0.0


@dataclass
class Taxonomy:
    topics: list[Topic]
    settings: Settings = field(default_factory=Settings)
    model: Optional[TitleModel] = None
    index: TermIndex = field(init=False, repr=False)
    abstract_index: TermIndex = field(init=False, repr=False)
    _numbers: dict[int, int] = field(init=False, repr=False)
    _topics_of: dict[int, list[int]] = field(init=False, repr=False)
    _untrusted: frozenset[int] = field(init=False, repr=False)
    lazy: frozenset[int] = field(init=False, repr=False)
    lazy_patterns: frozenset[int] = field(init=False, repr=False)
    _vetoes: dict[str, tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = field(init=False, repr=False)
    _plans: dict[str, dict[int, tuple[int, int, str, bool]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        terms: list[Term] = []
        self._numbers = {}
        for topic in self.topics:
            for term in (*topic.terms, *topic.hints, *topic.title_terms, *topic.ignore, *topic.exclude,
                         *topic.exclude_title):
                if id(term) not in self._numbers:
                    self._numbers[id(term)] = len(terms)
                    terms.append(term)
        # Vetoes and ignores matter only for a topic that has evidence: their
        # patterns run only then (`spans_in`).
        evidence_terms = {self._numbers[id(t)] for topic in self.topics
                          for t in (*topic.terms, *topic.hints, *topic.title_terms)}
        self.lazy = frozenset(set(range(len(terms))) - evidence_terms)
        self.lazy_patterns = frozenset(n for n in self.lazy if terms[n].regex is not None)
        # Per topic: the numbers of its ignore, exclude and exclude_title terms
        self._vetoes = {t.id: (tuple(self.number(x) for x in t.ignore), tuple(self.number(x) for x in t.exclude),
                               tuple(self.number(x) for x in t.exclude_title)) for t in self.topics}
        self.index = TermIndex(terms, lazy=self.lazy)
        # Terms only ever looked for in titles are not looked for in abstracts.
        anywhere = {self._numbers[id(t)] for topic in self.topics
                    for t in (*topic.terms, *topic.hints, *topic.ignore, *topic.exclude)}
        self.abstract_index = TermIndex(terms, skip=frozenset(set(range(len(terms))) - anywhere), lazy=self.lazy)
        unsupported = frozenset() if self.model is None else self.model.unsupported_terms
        self._untrusted = frozenset(n for n, term in enumerate(terms) if term.name in unsupported)
        # Per topic, in rule order: (term number, score in a title or 0, label, counts in abstracts?)
        self._plans = {}
        for topic in self.topics:
            plan = []
            for term in topic.terms:
                plan.append((self.number(term), self.title_weight, _label(term), True))
            for term in topic.hints:
                plan.append((self.number(term), self.title_weight // 2, f"{_label(term)} (hint)", True))
            for term in topic.title_terms:
                plan.append((self.number(term), self.title_weight, _label(term), False))
            # term number -> (rank, score in a title or 0, label, counts in abstracts?); a term
            # listed twice keeps its first place
            entries: dict[int, tuple[int, int, str, bool]] = {}
            for rank, (n, weight, label, anywhere) in enumerate(plan):
                entries.setdefault(n, (rank, 0 if n in self._untrusted else weight, label, anywhere))
            self._plans[topic.id] = entries
        # term number -> topics (by position) whose score it can raise
        self._topics_of = {}
        for k, topic in enumerate(self.topics):
            for term in (*topic.terms, *topic.hints, *topic.title_terms):
                self._topics_of.setdefault(self._numbers[id(term)], []).append(k)

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.topics]

    @property
    def title_weight(self) -> int:
        return self.settings.title_weight

    @property
    def max_topics(self) -> int:
        return self.settings.max_topics

    def get(self, topic_id: str) -> Optional[Topic]:
        return next((t for t in self.topics if t.id == topic_id), None)

    def number(self, term: Term) -> int:
        return self._numbers[id(term)]

    def trusted_in_titles(self, term: Term) -> bool:
        """May this term decide from a title?  Not when titles of fewer than two lists used it (topicmodel.py)."""
        return self._numbers[id(term)] not in self._untrusted


class TaxonomyError(ValueError):
    pass


def _label(term: Term) -> str:
    """How a term is named in explanations: a long list of alternatives by its first."""
    first, _, rest = term.name.partition("|")
    return f"{first.strip()} | …" if rest else term.name


def _compile(terms: Any, kind: str, topic_id: str) -> list[Term]:
    if terms is None:
        return []
    if not isinstance(terms, list):
        raise TaxonomyError(f"topic {topic_id}: `{kind}` must be a list")
    compiled = []
    for term in terms:
        if not isinstance(term, str) or not term.strip():
            raise TaxonomyError(f"topic {topic_id}: every entry of `{kind}` must be a non-empty string")
        try:
            compiled.append(pattern_term(term) if kind.endswith("patterns") else phrase_term(term))
        except TermError as exc:
            raise TaxonomyError(f"topic {topic_id}: {exc}") from None
    return compiled


def _positive_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TaxonomyError(f"{where} must be a whole number of at least 1, not {value!r}")
    return value


def _fraction(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise TaxonomyError(f"{where} must be a number from 0 to 1, not {value!r}")
    return float(value)


def _non_negative(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        raise TaxonomyError(f"{where} must be a number from 0 to 100, not {value!r}")
    return float(value)


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

    def terms(phrases_key: str, patterns_key: str) -> list[Term]:
        return _compile(rules.get(phrases_key), phrases_key, tid) + _compile(rules.get(patterns_key), patterns_key, tid)

    return Topic(
        id=tid, name=entry["name"].strip(), description=" ".join(entry["description"].split()),
        terms=terms("phrases", "patterns"), title_terms=terms("title_phrases", "title_patterns"),
        hints=terms("hints", "hint_patterns"), ignore=terms("ignore", "ignore_patterns"),
        exclude=terms("exclude", "exclude_patterns"), exclude_title=terms("exclude_title", "exclude_title_patterns"),
        min_score=_positive_int(rules.get("min_score", default_min), f"topic {tid}: `min_score`"),
    )


def taxonomy_from_data(data: Any, model: Optional[TitleModel] = None) -> Taxonomy:
    """Validate and compile the parsed topics.yml (and the title model, if any)."""
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
        if tid == "index":  # topics/index.md is the overview of every topic
            raise TaxonomyError("topic id 'index' is taken by the page of all topics; choose another")
        seen.add(tid)
        topics.append(_topic_from_entry(entry, default_min))
    if OTHER not in seen:
        raise TaxonomyError(f"the taxonomy needs an `{OTHER}` topic for papers nothing else fits")
    defaults = Settings()
    settings = Settings(
        title_weight=_positive_int(data.get("title_weight", defaults.title_weight), "`title_weight`"),
        max_topics=_positive_int(data.get("max_topics", defaults.max_topics), "`max_topics`"),
        secondary_ratio=_fraction(data.get("secondary_ratio", defaults.secondary_ratio), "`secondary_ratio`"),
        informative_abstract_words=_positive_int(data.get("informative_abstract_words",
                                                          defaults.informative_abstract_words),
                                                 "`informative_abstract_words`"),
        model_min_probability=_fraction(data.get("model_min_probability", defaults.model_min_probability),
                                        "`model_min_probability`"),
        model_second_margin=_non_negative(data.get("model_second_margin", defaults.model_second_margin),
                                          "`model_second_margin`"),
    )
    if model is not None:
        unknown_topics = sorted(set(model.topics) - seen)
        if unknown_topics:
            raise TaxonomyError(f"the title model files under topics topics.yml does not have: "
                                f"{', '.join(unknown_topics)} (retrain it: readinglist topics train)")
    return Taxonomy(topics, settings, model)


# --------------------------------------------------------------------------- scoring


@dataclass
class Filing:
    topic: str
    score: int
    hits: list[str]

    @property
    def in_title(self) -> bool:
        """Did a term that decides alone occur in the title?"""
        return any(h.startswith("title:") and not h.endswith("(hint)") for h in self.hits)

    @property
    def hinted_in_title(self) -> bool:
        return any(h.startswith("title:") and h.endswith("(hint)") for h in self.hits)


@dataclass
class Found:
    """Where the taxonomy's terms occur in one paper's title and abstract."""

    title: dict[int, list[Span]]
    abstract: dict[int, list[Span]]
    abstract_words: int
    title_text: Words
    abstract_text: Words


def find_terms(title: str, abstract: str, taxonomy: Taxonomy) -> Found:
    title_words, abstract_words = Words(title), Words(abstract)
    return Found(taxonomy.index.find(title_words), taxonomy.abstract_index.find(abstract_words),
                 abstract_words.word_count, title_words, abstract_words)


def _spans(found: Found, where: str, numbers: tuple[int, ...], taxonomy: Taxonomy) -> list[Span]:
    """Where the terms `numbers` occur in the title or the abstract (`where`), running lazy patterns now."""
    title = where == "title"
    table = found.title if title else found.abstract
    out: list[Span] = []
    for n in numbers:
        spans = table.get(n)
        if spans is None and n in taxonomy.lazy_patterns:
            index = taxonomy.index if title else taxonomy.abstract_index
            spans = table[n] = index.spans_of(n, found.title_text if title else found.abstract_text)
        if spans:
            out.extend(spans)
    return out


class Claims:
    """Stretches of a text already used as evidence (or ignored), kept sorted
    and merged, so checking a span costs one binary search: a 3 MB abstract
    repeating a term tens of thousands of times stays linear."""

    __slots__ = ("starts", "ends")

    def __init__(self, spans: list[Span]):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for span in sorted(spans):
            self.add(span)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start

    def add(self, span: Span) -> None:
        start, end = span
        i = bisect.bisect_left(self.starts, start)
        # merge with the neighbours it touches
        if i > 0 and self.ends[i - 1] >= start:
            i -= 1
            start = self.starts[i]
        j = i
        while j < len(self.starts) and self.starts[j] <= end:
            end = max(end, self.ends[j])
            j += 1
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]

    def take(self, spans: list[Span]) -> int:
        """Claim the spans (in order) that overlap nothing claimed yet; how many were new."""
        taken = 0
        for start, end in spans:
            if not self.overlaps(start, end):
                self.add((start, end))
                taken += 1
        return taken


def _score(topic: Topic, found: Found, taxonomy: Taxonomy, at_least: int = 1) -> tuple[int, list[str]]:
    """Score one topic.  A stretch of text counts for one term only (the first listed).

    (0, []) when even counting every term found (no ignores, no overlaps)
    the topic could not reach `at_least`."""
    plan = taxonomy._plans[topic.id]
    titled = [n for n in found.title if n in plan and plan[n][1]]
    abstracted = [n for n in found.abstract if n in plan and plan[n][3]]
    bound = sum(plan[n][1] for n in titled) + sum(min(2, len(found.abstract[n])) for n in abstracted)
    if bound < at_least:
        return 0, []
    # Ignored stretches matter only where the topic has evidence.
    ignore, _, _ = taxonomy._vetoes[topic.id]
    title_claims = Claims(_spans(found, "title", ignore, taxonomy) if titled else [])
    abstract_claims = Claims(_spans(found, "abstract", ignore, taxonomy) if abstracted else [])
    score, hits = 0, []
    for number in sorted(set(titled).union(abstracted), key=lambda n: plan[n][0]):
        _, title_score, label, anywhere = plan[number]
        spans = found.title.get(number) if title_score else None
        if spans:
            if title_claims.take(spans):
                score += title_score
                hits.append(f"title:{label}")
                continue
        spans = found.abstract.get(number) if anywhere else None
        if spans:
            fresh = abstract_claims.take(spans)
            if fresh:
                score += 2 if fresh > 1 else 1
                hits.append(f"abstract:{label}" + (f"×{fresh}" if fresh > 1 else ""))
    return score, hits


def _vetoed(topic: Topic, found: Found, taxonomy: Taxonomy) -> bool:
    _, exclude, exclude_title = taxonomy._vetoes[topic.id]
    return bool(_spans(found, "title", exclude + exclude_title, taxonomy) or _spans(found, "abstract", exclude, taxonomy))


def evidence(found: Found, taxonomy: Taxonomy, reaching: bool = False) -> list[Filing]:
    """Every topic with some evidence and no veto, best first (no `other`); with
    `reaching`, only those that reach their score."""
    candidates = sorted({k for n in (*found.title, *found.abstract) for k in taxonomy._topics_of.get(n, ())})
    filings: list[Filing] = []
    for k in candidates:
        topic = taxonomy.topics[k]
        if topic.id == OTHER:
            continue
        score, hits = _score(topic, found, taxonomy, topic.min_score if reaching else 1)
        if score and (not reaching or score >= topic.min_score) and not _vetoed(topic, found, taxonomy):
            filings.append(Filing(topic.id, score, hits))
    order = {tid: i for i, tid in enumerate(taxonomy.ids)}
    filings.sort(key=lambda f: (-f.score, order[f.topic]))
    return filings


def score_found(found: Found, taxonomy: Taxonomy) -> list[Filing]:
    """Every topic that reached its score and was not vetoed, best first (no `other`)."""
    return evidence(found, taxonomy, reaching=True)


def score_topics(title: str, abstract: str, taxonomy: Taxonomy) -> list[Filing]:
    """Every topic the rules file the paper under, best first (no `other`)."""
    return score_found(find_terms(title, abstract, taxonomy), taxonomy)


# --------------------------------------------------------------------------- deciding


@dataclass
class Decision:
    """Where a paper is filed, and why (for `readinglist classify`)."""

    topics: list[str]
    filings: list[Filing]  # what the rules found, best first
    by: str  # "rules", "title model" or "nothing"
    reason: str
    model_evidence: list[tuple[str, float]] = field(default_factory=list)


def decide(title: str, abstract: str, taxonomy: Taxonomy) -> Decision:
    found = find_terms(title, abstract, taxonomy)
    informative = found.abstract_words >= taxonomy.settings.informative_abstract_words
    # With a real abstract, topics below their score play no part: skip scoring them.
    seen = evidence(found, taxonomy, reaching=informative)
    minimum = {t.id: t.min_score for t in taxonomy.topics}
    filings = [f for f in seen if f.score >= minimum[f.topic]]
    order = {tid: i for i, tid in enumerate(taxonomy.ids)}
    settings = taxonomy.settings
    if filings:
        best = filings[0].score
        # The title names what a paper is about: a topic it names is kept;
        # one found only in the abstract must come close to the best.
        kept = [f for f in filings if f is filings[0] or f.in_title or f.score >= settings.secondary_ratio * best]
        kept = kept[: settings.max_topics]
        if not informative:
            # With only a title to go by, a topic its title hints at is kept beside the decided one.
            hinted = [f for f in seen if f not in kept and f.score < minimum[f.topic] and f.hinted_in_title]
            kept += hinted[: max(0, min(1, settings.max_topics - len(kept)))]
        topics = sorted((f.topic for f in kept), key=order.__getitem__)
        return Decision(topics, filings, "rules", "the rules' terms decided")
    if informative:
        return Decision([OTHER], seen, "nothing",
                        f"no topic reaches its score from the title and an abstract of {found.abstract_words} words, "
                        "so the paper is outside the list's topics")
    short = f"the abstract is short ({found.abstract_words} words)"
    if seen:
        return Decision([seen[0].topic], seen, "hints",
                        f"{short}, so the best evidence decided although it is below the topic's score")
    if taxonomy.model is not None:
        guesses = taxonomy.model.guesses(title, 2)
        if guesses and guesses[0].probability >= settings.model_min_probability:
            guess = guesses[0]
            reason = (f"the rules are silent and {short}, so the title's words decided: "
                      f"{guess.topic} at {guess.probability:.2f}")
            topics = [guess.topic]
            # Titles the rules are silent on are the hard ones: when the words point
            # almost as much to a second topic, it is filed too.
            runner = guesses[1] if len(guesses) > 1 else None
            if runner is not None and settings.model_second_margin > 0 \
                    and guess.log_odds - runner.log_odds <= settings.model_second_margin \
                    and runner.probability >= settings.model_min_probability:
                topics.append(runner.topic)
                words = ", ".join(w.lstrip("~") for w, _ in runner.evidence[:3])
                reason += (f", and {runner.topic} at {runner.probability:.2f}, almost as likely"
                           + (f" (from {words})" if words else ""))
            return Decision(sorted(topics, key=order.__getitem__), [], "title model", reason, guess.evidence)
    return Decision([OTHER], [], "nothing", "no topic's terms occur, and the title's words are no clear sign of any topic")


def classify(title: str, abstract: str, taxonomy: Taxonomy) -> list[str]:
    """The topics a paper is filed under, in taxonomy order."""
    return decide(title, abstract, taxonomy).topics
