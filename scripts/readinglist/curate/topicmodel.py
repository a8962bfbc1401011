"""The title model: which topic a title's words point to, when the rules are silent.

A logistic regression per topic over the words and word pairs of a title,
learned from the topic development set (TOPICS.md) by `readinglist topics
train` and kept as plain weights in site_config/topic-model.json, so filing
needs no learning library, gives the same answer everywhere, and can say
which words weighed most.  Only words and pairs that occur in titles of at
least two different lists are features: the model learns the field's
vocabulary, not one list's titles.

The same rule holds for the hand-written rules: training also records which
of topics.yml's terms occur in titles of fewer than two lists (the dev set's
lists and the project's own dumps count); those do not decide from a title,
and still count in abstracts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

from readinglist.curate.termindex import Words

FORMAT = "readinglist title model 1"
# Where the model lives, beside topics.yml in site_config/.
MODEL_FILE = "topic-model.json"


class ModelError(ValueError):
    pass


_SUFFIXES = ("izations", "ization", "ations", "ation", "izing", "ized", "ings", "ing", "ers", "er", "ed", "es", "s")


def stem(word: str) -> str:
    """A crude stem, so that 'distilling', 'distilled' and 'distillation' meet ('distil')."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def title_features(title: str) -> list[str]:
    """The features of a title, sorted: its distinct words, pairs of neighbouring
    words, and the stems of both (marked `~`)."""
    words = Words(title).words
    stems = [stem(w) for w in words]
    found = set(words)
    found.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    found.update(f"~{s}" for s in stems)
    found.update(f"~{a} {b}" for a, b in zip(stems, stems[1:]))
    return sorted(found)


@dataclass(frozen=True)
class Guess:
    topic: str
    probability: float
    evidence: list[tuple[str, float]]  # the features that weighed most for the topic
    log_odds: float = 0.0


@dataclass(frozen=True)
class TopicWeights:
    bias: float
    weights: dict[str, float]


class TitleModel:
    def __init__(self, topics: dict[str, TopicWeights], about: dict[str, Any],
                 unsupported_terms: frozenset[str] = frozenset()):
        self.topics = topics
        self.about = about
        # The rule terms that titles of fewer than two lists used when the
        # model was trained: these count in abstracts only (classify.py).  A
        # term added since is trusted until the next training looks at it.
        self.unsupported_terms = unsupported_terms

    @classmethod
    def from_data(cls, data: Any) -> "TitleModel":
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"not a title model (expected \"format\": \"{FORMAT}\")")
        topics = {}
        try:
            for topic, entry in sorted(data["topics"].items()):
                weights = {str(k): float(v) for k, v in entry["weights"].items()}
                topics[str(topic)] = TopicWeights(float(entry["bias"]), weights)
            unsupported = frozenset(str(t) for t in data.get("unsupported_terms") or [])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"malformed title model: {exc}") from None
        return cls(topics, {k: v for k, v in data.items() if k not in ("topics", "unsupported_terms")}, unsupported)

    def scores(self, title: str) -> dict[str, float]:
        """Each topic's log-odds for the title."""
        features = title_features(title)
        return {topic: tw.bias + sum(tw.weights.get(f, 0.0) for f in features) for topic, tw in self.topics.items()}

    def best(self, title: str) -> Optional[Guess]:
        """The topic the title's words point to most, with the words that weighed most."""
        guesses = self.guesses(title, 1)
        return guesses[0] if guesses else None

    def guesses(self, title: str, k: int = 2) -> list[Guess]:
        """The k topics the title's words point to most, best first, each with the words that weighed most."""
        scores = self.scores(title)
        features = title_features(title)
        out = []
        for topic in sorted(sorted(scores), key=lambda t: -scores[t])[:k]:
            weights = self.topics[topic].weights
            evidence = sorted(((f, weights[f]) for f in features if f in weights), key=lambda fw: (-fw[1], fw[0]))[:5]
            out.append(Guess(topic, 1 / (1 + math.exp(-scores[topic])), evidence, scores[topic]))
        return out
