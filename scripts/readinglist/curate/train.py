"""Learning the title model (topicmodel.py) from labelled titles.

Used by `readinglist topics train` and by the honest evaluation (topiceval.py),
which retrains on some lists and scores the others.  Needs scikit-learn;
filing does not.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Iterable, Optional

from readinglist.curate.termindex import Words
from readinglist.curate.topicmodel import FORMAT, TitleModel, title_features

if TYPE_CHECKING:
    from readinglist.curate.classify import Taxonomy

# Chosen by cross-validation by list on the development set (TOPICS.md).
C = 1.0
MIN_LISTS = 2
# Weights smaller than this change no filing measurably and only make the file long.
MIN_WEIGHT = 0.1


def _lists(row: dict) -> set[str]:
    return {source["repo"] for source in row.get("sources") or []}


def supported_features(rows: Iterable[dict]) -> set[str]:
    """Features that occur in titles of at least MIN_LISTS different lists."""
    lists_of: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for feature in title_features(row["title"]):
            lists_of[feature] |= _lists(row)
    return {f for f, lists in lists_of.items() if len(lists) >= MIN_LISTS}


def unsupported_terms(rows: Iterable[dict], taxonomy: "Taxonomy") -> list[str]:
    """The names of the taxonomy's terms that score in titles but occur in titles of fewer than MIN_LISTS lists."""
    lists_of: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        for number in taxonomy.index.find(Words(row["title"])):
            lists_of[number] |= _lists(row)
    scoring = {id(t) for topic in taxonomy.topics for t in (*topic.terms, *topic.hints, *topic.title_terms)}
    return sorted({term.name for n, term in enumerate(taxonomy.index.terms)
                   if id(term) in scoring and len(lists_of.get(n, ())) < MIN_LISTS})


def train(rows: list[dict], taxonomy: "Taxonomy", about: dict[str, Any],
          more_titles: Optional[list[dict]] = None) -> dict[str, Any]:
    """The model's data (as written to topic-model.json) learned from labelled rows.

    `more_titles` (title and sources, no labels: the project's own dumps) only
    count towards which rule terms titles of two lists use."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    topics = [t for t in taxonomy.ids if t != "other"]
    vocabulary = sorted(supported_features(rows))
    column = {f: i for i, f in enumerate(vocabulary)}
    indptr, indices = [0], []
    for row in rows:
        indices.extend(column[f] for f in title_features(row["title"]) if f in column)
        indptr.append(len(indices))
    X = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(vocabulary)))
    out: dict[str, Any] = {}
    for topic in topics:
        y = np.array([topic in row["topics"] for row in rows])
        if not y.any():
            continue
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
        clf.fit(X, y)
        weights = {vocabulary[i]: round(float(w), 3) for i, w in enumerate(clf.coef_[0]) if abs(w) >= MIN_WEIGHT}
        out[topic] = {"bias": round(float(clf.intercept_[0]), 3), "weights": dict(sorted(weights.items()))}
    return {"format": FORMAT, **about, "settings": {"C": C, "min_lists": MIN_LISTS, "min_weight": MIN_WEIGHT},
            "unsupported_terms": unsupported_terms([*rows, *(more_titles or [])], taxonomy), "topics": out}


def train_model(rows: list[dict], taxonomy: "Taxonomy", more_titles: Optional[list[dict]] = None) -> TitleModel:
    return TitleModel.from_data(train(rows, taxonomy, {}, more_titles))
