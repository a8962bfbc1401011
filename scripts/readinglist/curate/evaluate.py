"""`readinglist topics eval`: how well the filing agrees with labelled papers.

Labelled papers come as JSON Lines (the topic development set's format:
`{"title", "topics", "sources": [{"repo", "section"}], "abstract"?}`) or as
the YAML of tests/known_filings.yml, whose abstracts are read from the pages.
Scores, as the development set's README defines them:

* agreement: the share of papers whose filed topics share one with the labels
  (labels are a curator's choice of one section, so a paper may fit more);
* micro precision, recall and F1 over every (paper, topic) pair, `other`
  included: the measure for labels that list every topic a paper belongs to;
* per topic: precision (filed under it and labelled with it / filed under it)
  and recall (labelled with it and filed under it / labelled with it);
* the mean number of topics per paper, the share filed under `other`, and the
  most frequent confusions, with examples.

Honest scores for the learned part: `fold="test"` retrains the title model on
every list but the test fold of site_config/topics-split.yml and scores the
test fold; `fold="cv"` does the same for each cross-validation fold.  A list's
titles are never both learned from and scored.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

from readinglist.curate.classify import OTHER, Taxonomy, classify

# What a dump gives when it gives little more than a title: words that name no topic.
NEUTRAL_ABSTRACT = "The paper describes its approach, the experiments and the results."


@dataclass(frozen=True)
class Labelled:
    title: str
    topics: frozenset[str]
    abstract: Optional[str] = None
    lists: tuple[str, ...] = ()

    @property
    def first_list(self) -> str:
        return self.lists[0] if self.lists else ""


@dataclass
class TopicScore:
    topic: str
    labelled: int
    filed: int
    hits_filed: int  # filed under it and labelled with it
    hits_labelled: int  # labelled with it and filed under it

    @property
    def precision(self) -> Optional[float]:
        return self.hits_filed / self.filed if self.filed else None

    @property
    def recall(self) -> Optional[float]:
        return self.hits_labelled / self.labelled if self.labelled else None


@dataclass
class Report:
    papers: int
    agreement: float
    precision: float
    recall: float
    f1: float
    mean_topics: float
    other_share: float
    topics: list[TopicScore]
    confusions: list[tuple[str, str, int, list[str]]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "papers": self.papers, "agreement": round(self.agreement, 4), "precision": round(self.precision, 4),
            "recall": round(self.recall, 4), "f1": round(self.f1, 4), "mean_topics": round(self.mean_topics, 4),
            "other_share": round(self.other_share, 4),
            "topics": {t.topic: {"labelled": t.labelled, "filed": t.filed,
                                 "precision": None if t.precision is None else round(t.precision, 4),
                                 "recall": None if t.recall is None else round(t.recall, 4)} for t in self.topics},
            "confusions": [{"labelled": a, "filed": b, "papers": n, "examples": ex} for a, b, n, ex in self.confusions],
        }


def score(rows: list[Labelled], filed: list[list[str]], topic_ids: list[str], examples: int = 3) -> Report:
    """Compare filings with labels (both in the same order)."""
    n = len(rows)
    if n == 0:
        return Report(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, [])
    agree = sum(bool(set(f) & r.topics) for r, f in zip(rows, filed))
    hits = sum(len(set(f) & r.topics) for r, f in zip(rows, filed))
    filed_total = sum(len(f) for f in filed)
    labelled_total = sum(len(r.topics) for r in rows)
    precision = hits / filed_total if filed_total else 0.0
    recall = hits / labelled_total if labelled_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_topic = []
    for topic in topic_ids:
        labelled = [(r, f) for r, f in zip(rows, filed) if topic in r.topics]
        under = [(r, f) for r, f in zip(rows, filed) if topic in f]
        if labelled or under:
            per_topic.append(TopicScore(topic, len(labelled), len(under),
                                        sum(topic in r.topics for r, _ in under), sum(topic in f for _, f in labelled)))
    confused: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r, f in zip(rows, filed):
        if set(f) & r.topics:
            continue
        for want in sorted(r.topics):
            for got in f:
                confused[(want, got)].append(r.title)
    worst = sorted(confused.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:10]
    return Report(n, agree / n, precision, recall, f1, filed_total / n,
                  sum(f == [OTHER] for f in filed) / n, per_topic,
                  [(a, b, len(titles), titles[:examples]) for (a, b), titles in worst])


def file_all(rows: list[Labelled], taxonomy: Taxonomy, abstract: str) -> list[list[str]]:
    return [classify(r.title, r.abstract if r.abstract is not None else abstract, taxonomy) for r in rows]


def fold_of(row: Labelled, split: dict) -> Optional[object]:
    """'test', a cross-validation fold number, or None for a list the split does not know."""
    first = row.first_list
    if first in split.get("test", []):
        return "test"
    return split.get("folds", {}).get(first)


def evaluate(rows: list[Labelled], taxonomy: Taxonomy, fold: Optional[str] = None, split: Optional[dict] = None,
             abstract: str = NEUTRAL_ABSTRACT,
             train: Optional[Callable[[list[Labelled]], object]] = None) -> Report:
    """Score the filing on `rows`; with `fold`, retrain the title model honestly first (see module doc)."""
    if fold is None:
        return score(rows, file_all(rows, taxonomy, abstract), taxonomy.ids)
    assert split is not None and train is not None
    folds = {id(r): fold_of(r, split) for r in rows}
    groups = ["test"] if fold == "test" else sorted({f for f in folds.values() if f not in (None, "test")})
    scored: list[Labelled] = []
    filed: list[list[str]] = []
    for group in groups:
        held = [r for r in rows if folds[id(r)] == group]
        learn = [r for r in rows if folds[id(r)] not in (None, "test", group)]
        model = train(learn)
        scored += held
        filed += file_all(held, replace(taxonomy, model=model), abstract)
    return score(scored, filed, taxonomy.ids)


def format_report(report: Report, title: str) -> list[str]:
    def pct(x: Optional[float]) -> str:
        return "  -  " if x is None else f"{x:5.2f}"

    lines = [title,
             f"papers {report.papers}; agreement {report.agreement:.3f}; micro precision {report.precision:.3f}, "
             f"recall {report.recall:.3f}, F1 {report.f1:.3f}; topics per paper {report.mean_topics:.2f}; "
             f"filed under other {report.other_share:.1%}",
             f"  {'topic':<22} {'labelled':>8} {'filed':>6} {'precision':>9} {'recall':>7}"]
    for t in report.topics:
        lines.append(f"  {t.topic:<22} {t.labelled:>8} {t.filed:>6} {pct(t.precision):>9} {pct(t.recall):>7}")
    if report.confusions:
        lines.append("worst confusions (labelled -> filed, papers, examples):")
        for want, got, n, titles in report.confusions:
            lines.append(f"  {want} -> {got}: {n}")
            lines.extend(f"      {t[:100]}" for t in titles)
    return lines


def labelled_from_jsonl_rows(data: list[dict], where: str) -> list[Labelled]:
    rows = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("title"), str) \
                or not isinstance(item.get("topics"), list) or not item["topics"]:
            raise ValueError(f"{where}:{i}: each line needs a \"title\" and a non-empty \"topics\" list")
        lists = tuple(s["repo"] for s in item.get("sources") or [] if isinstance(s, dict) and "repo" in s)
        abstract = item.get("abstract") if isinstance(item.get("abstract"), str) else None
        rows.append(Labelled(item["title"], frozenset(item["topics"]), abstract, lists))
    return rows


def labelled_from_known(entries: list, abstracts: dict[str, str], where: str) -> list[Labelled]:
    rows = []
    for i, entry in enumerate(entries or [], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str) or not entry.get("topics"):
            raise ValueError(f"{where}: entry {i} needs a title and topics")
        rows.append(Labelled(entry["title"], frozenset(entry["topics"]), abstracts.get(entry["title"], ""),
                             ("seeds",)))
    return rows


def topic_counts(rows: list[Labelled]) -> Counter:
    return Counter(t for r in rows for t in r.topics)
