"""Topic filing beyond the rules themselves: the word index, the title model,
`readinglist topics eval|train`, and never undoing a person's filing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, make_project, run_cli
from readinglist.curate.filings import refile
from readinglist.paper import Paper
from readinglist.curate.termindex import TermIndex, Words, anchors, pattern_term, phrase_term, requirements
from readinglist.curate.topicmodel import TitleModel, stem, title_features

DEV_SUBSET = REPO / "tests" / "topics-dev" / "papers.jsonl"


# --- the word index ----------------------------------------------------------------------------


def reference_regex(phrase: str) -> str:
    """What a phrase means, written as one regular expression (the rules in termindex.py)."""
    wildcard = phrase.endswith("*")
    parts = re.split(r"(\s+|-)", phrase.rstrip("*"))
    words, gaps = parts[0::2], parts[1::2]
    body = re.escape(words[0])
    for gap, word in zip(gaps, words[1:]):
        body += (r"[\s-]*" if gap == "-" else r"[\s-]+") + re.escape(word)
    tail = r"[^\W_]*" if wildcard else (r"(?:s|es)?" if words[-1][-1].isalpha() else "")
    return r"(?<![^\W_])" + body + tail + r"(?![^\W_])"


PHRASES = ["mixture of experts", "pre-training", "quantiz*", "low-bit", "kv cache", "all-to-all", "1-bit",
           "fine-tune", "int8", "speculative decoding", "large language model", "mixture-of-experts", "kv*",
           "draft model*", "memory footprint | memory usage"]
WORDS = ["mixture", "of", "experts", "expert", "pre", "training", "pretraining", "quantization", "quantized",
         "low", "bit", "bits", "lowbit", "kv", "cache", "caches", "kvcache", "all", "to", "1", "fine", "tune",
         "tuned", "int8", "int8s", "speculative", "decoding", "large", "language", "model", "models", "draft",
         "drafter", "memory", "footprint", "usage", "the", "a"]
GAPS = [" ", "-", "  ", " - ", ", ", ". ", "\n", "/", "(", ")", ": ", " -- "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), min_size=1, max_size=12))
def test_phrases_match_exactly_what_their_definition_says(pieces):
    # Every other word capitalised: case never matters.
    text = "".join((word.title() if i % 2 else word) + gap for i, (word, gap) in enumerate(pieces))
    for phrase in PHRASES:
        alternatives = [a.strip() for a in phrase.split("|")]
        expected = any(re.search(reference_regex(a), text, re.IGNORECASE) for a in alternatives)
        found = bool(TermIndex([phrase_term(phrase)]).find(Words(text)))
        assert found == expected, (phrase, text)


@pytest.mark.parametrize("pattern, text, expected", [
    (r"\b[1-8] bits?\b", "We use 4-bit weights.", True),
    (r"\b[1-8] bits?\b", "arbitrary orbits", False),
    (r"\bmixtures?[\s-]+of[\s-]+experts?\b", "Mixtures-of-Experts", True),
    (r"\b(?:llm|language model)s?\s+inference\b", "fast LLMs inference", True),
    (r"\b\d{1,3}(?: , \d{3})+ (?:gpus|cores)\b", "on 10,000 GPUs", True),
    (r"(?-i)\bZeRO\b", "ZeRO-3 shards", True),
    (r"(?-i)\bZeRO\b", "zero-shot", False),
    (r"^(?!.*\btraining\b).*\binference\b", "Fast Inference", True),
    (r"^(?!.*\btraining\b).*\binference\b", "Training and Inference", False),
])
def test_patterns_read_the_normalised_line(pattern, text, expected):
    assert bool(TermIndex([pattern_term(pattern)]).find(Words(text))) == expected


PATTERNS = [r"\bmixtures?[\s-]+of[\s-]+experts?\b", r"\b(?:fast|efficient)\s+(?:\w+\s+){0,2}decoding\b",
            r"\bcompress\w*\s+(?:the\s+)?(?:kv|key value)\s+cache", r"\b[1-8] bits?\b",
            r"\b(?:long\s*(?:context|sequences?)|context\s+(?:length|window)s?)\b", r"\bexperts?\b(?![\s-]+level)"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS + ["efficient", "fast", "compressing", "key", "value", "long",
                                                    "context", "window", "4", "level", "sequences"]),
                          st.sampled_from(GAPS)), min_size=1, max_size=14))
def test_looking_only_where_a_pattern_can_match_changes_nothing(pieces):
    """Gates and opening letters are shortcuts: the matches are those of the pattern over the whole line."""
    text = "".join(word + gap for word, gap in pieces)
    words = Words(text)
    for pattern in PATTERNS:
        term = pattern_term(pattern)
        expected = sorted(m.span() for m in term.regex.finditer(words.line) if m.end() > m.start())
        assert TermIndex([term]).find(words).get(0, []) == expected, (pattern, words.line)


def test_what_a_pattern_needs_is_read_from_its_text():
    assert requirements(r"\bmixtures?[\s-]+of[\s-]+experts?\b") == [("mixture",), ("expert",)]
    assert set(requirements(r"\b(?:visual|vision)\s+tokens?\s+(?:pruning|merging)")) == {
        ("token",), ("vision", "visual"), ("merging", "pruning")}
    assert requirements(r"(?:foo|)bar") == [("bar",)]
    assert requirements(r"\bN\s*:\s*M\b") == []
    assert anchors(r"\b(?:kv|key value)\s+cache") == ("key", "kv")
    assert anchors(r"^(?!.*training).*inference") is None


def test_a_star_inside_a_phrase_is_refused():
    with pytest.raises(ValueError, match="may only end a phrase"):
        phrase_term("compress* prompt*")


# --- the title model ---------------------------------------------------------------------------


def test_title_features_are_words_pairs_and_stems():
    features = title_features("Distilling Small Models")
    assert {"distilling", "small models", "~distill", "~small model"} <= set(features)
    assert stem("distillation") == stem("distilled") == "distill"


def test_the_shipped_model_only_uses_words_of_two_lists_and_loads():
    data = json.loads((REPO / "site_config" / "topic-model.json").read_text(encoding="utf-8"))
    model = TitleModel.from_data(data)
    assert data["settings"]["min_lists"] == 2
    assert data["trained_on"]["lists"] >= 2
    assert model.best("Speculative Decoding with Draft Models").topic == "fast-decoding"
    assert model.best("Federated Learning on Phones").topic == "federated-edge"


def test_the_title_models_runner_up_is_filed_when_nearly_as_likely():
    """Where the rules are silent, a second topic the title's words point to almost as much is filed too."""
    from readinglist.curate.classify import decide, taxonomy_from_data

    model = TitleModel.from_data({"format": "readinglist title model 1", "topics": {
        "alpha": {"bias": 0.0, "weights": {"kettle": 2.0, "teapot": 0.5}},
        "beta": {"bias": 0.0, "weights": {"kettle": 1.5}},
        "gamma": {"bias": -1.0, "weights": {"teapot": 1.0}}}})
    topics = [{"id": t, "name": t.title(), "description": f"All about {t}."} for t in ("alpha", "beta", "gamma", "other")]

    def filing(margin: float, title: str):
        return decide(title, "", taxonomy_from_data({"topics": topics, "model_second_margin": margin}, model))

    near = filing(1.0, "Kettle Design")  # log-odds 2.0 and 1.5
    assert near.topics == ["alpha", "beta"] and near.by == "title model"
    assert "beta at 0.82, almost as likely (from kettle)" in near.reason
    assert filing(0, "Kettle Design").topics == ["alpha"], "a margin of 0 files one topic"
    assert filing(0.4, "Teapot Design").topics == ["alpha"], "the runner-up is 0.5 behind: outside a margin of 0.4"
    with pytest.raises(ValueError, match="model_second_margin"):
        taxonomy_from_data({"topics": topics, "model_second_margin": -1}, model)


# --- topics eval and train ---------------------------------------------------------------------


def test_topics_eval_scores_labelled_titles(tmp_path):
    root = make_project(tmp_path / "proj", copy_pages=True)
    out = tmp_path / "eval.json"
    result = run_cli(root, "topics", "eval", str(DEV_SUBSET), "--json", str(out))
    assert result.returncode == 0, result.stderr
    assert re.search(r"papers 908; agreement 0\.\d{3}; micro precision", result.stdout)
    assert "filed under other" in result.stdout and "worst confusions" in result.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["papers"] == 908 and 0.5 < data["agreement"] <= 1
    assert data["other_share"] <= 0.03, "the dev set is all efficient ML: at most 3% may land in `other`"
    assert data["mean_topics"] <= 1.5
    assert data["topics"]["quantization"]["labelled"] > 0 and data["confusions"]


def test_topics_eval_retrains_without_the_held_out_lists(tmp_path):
    root = make_project(tmp_path / "proj", copy_pages=True)
    result = run_cli(root, "topics", "eval", str(DEV_SUBSET), "--fold", "test")
    assert result.returncode == 0, result.stderr
    assert "the held-out test fold, title model retrained without it" in result.stdout
    split = yaml.safe_load((REPO / "site_config" / "topics-split.yml").read_text(encoding="utf-8"))
    held = [json.loads(line) for line in DEV_SUBSET.read_text(encoding="utf-8").splitlines()]
    n = sum(1 for row in held if row["sources"][0]["repo"] in split["test"])
    assert f"papers {n};" in result.stdout


def test_topics_eval_on_the_seed_labels_reads_abstracts_from_pages(tmp_path):
    root = make_project(tmp_path / "proj", copy_pages=True)
    result = run_cli(root, "topics", "eval", str(REPO / "tests" / "known_filings.yml"))
    assert result.returncode == 0, result.stderr
    f1 = float(re.search(r"F1 (0\.\d+)", result.stdout).group(1))
    assert f1 >= 0.81


@pytest.mark.parametrize("content, message", [
    ('{"title": "A", "topics": ["no-such-topic"]}\n', "labels name topics topics.yml does not have: no-such-topic"),
    ('{"title": "A"\n', "bad.jsonl:1: not a JSON line"),
    ('{"title": "A", "topics": []}\n', "each line needs a \"title\" and a non-empty \"topics\" list"),
])
def test_topics_eval_refuses_bad_labels_in_one_line(tmp_path, content, message):
    root = make_project(tmp_path / "proj")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    result = run_cli(root, "topics", "eval", str(bad))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_topics_train_writes_the_same_model_twice(tmp_path):
    root = make_project(tmp_path / "proj", copy_pages=True)
    model = root / "site_config" / "topic-model.json"
    first = run_cli(root, "topics", "train", str(DEV_SUBSET))
    assert first.returncode == 0, first.stderr
    assert "title features from 908 titles of 20 lists" in first.stdout
    text = model.read_text(encoding="utf-8")
    again = run_cli(root, "topics", "train", str(DEV_SUBSET))
    assert "unchanged" in again.stdout and model.read_text(encoding="utf-8") == text
    TitleModel.from_data(json.loads(text))


# --- never undo a person -------------------------------------------------------------------------


def page(slug: str, topics: list[str], curated: bool = False) -> Paper:
    return Paper(title=slug.title(), abstract="About " + slug, topics=topics, topics_curated=curated, slug=slug)


def test_refile_keeps_a_persons_topics_and_refiles_the_rest():
    pages = {"a": page("a", ["hardware"]), "b": page("b", ["quantization"]), "c": page("c", ["peft"], True),
             "new": page("new", [])}
    ledger = {"a": ["quantization"], "b": ["quantization"]}
    done = refile(pages, ledger, lambda p: ["pruning-sparsity"])
    assert done.curated_now == ["a"] and done.pages["a"].topics == ["hardware"] and done.pages["a"].topics_curated
    assert done.pages["b"].topics == ["pruning-sparsity"] and done.pages["new"].topics == ["pruning-sparsity"]
    assert done.pages["c"].topics == ["peft"]
    assert done.ledger == {"b": ["pruning-sparsity"], "new": ["pruning-sparsity"]}


def test_refile_never_takes_the_rules_own_filing_for_a_persons():
    """A run killed after writing pages but before the record: the pages show what the rules file today."""
    done = refile({"a": page("a", ["pruning-sparsity"])}, {"a": ["quantization"]}, lambda p: ["pruning-sparsity"])
    assert not done.curated_now and done.ledger == {"a": ["pruning-sparsity"]}


def test_first_run_counts_todays_pages_as_the_rules():
    done = refile({"a": page("a", ["hardware"]), "c": page("c", ["peft"], True)}, None, lambda p: ["quantization"])
    assert done.pages["a"].topics == ["quantization"] and not done.curated_now
    assert done.pages["c"].topics == ["peft"]


def _topics_of(root, slug):
    text = (root / "content" / "papers" / f"{slug}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1])


EDITED = "flexgen-high-throughput-generative-inference-of-large-language-models-with-a"


def test_topics_edited_by_hand_survive_ingest(tmp_path):
    root = make_project(tmp_path / "proj", copy_sources=True, copy_pages=True)
    shutil.copyfile(REPO / "site_config" / "sources.yml", root / "site_config" / "sources.yml")
    path = root / "content" / "papers" / f"{EDITED}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("- llm-serving", "- memory-efficiency"), encoding="utf-8")
    result = run_cli(root, "ingest")
    assert result.returncode == 0, result.stderr
    assert f"kept: content/papers/{EDITED}.md: its topics were changed by a person" in result.stdout
    meta = _topics_of(root, EDITED)
    assert meta["topics"] == ["memory-efficiency"] and meta["topics_curated"] is True
    assert "pages new: 0, updated: 1, unchanged: 405" in result.stdout
    again = run_cli(root, "ingest")
    assert "updated: 0" in again.stdout and _topics_of(root, EDITED)["topics"] == ["memory-efficiency"]
    assert run_cli(root, "check").returncode == 0


def _change_a_rule(root):
    """Teach the rules that `generative inference` is about hardware: every page it touches moves."""
    topics = root / "site_config" / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    assert "      phrases: [accelerator design," in text
    topics.write_text(text.replace("      phrases: [accelerator design,", "      phrases: [generative inference, "
                                   "accelerator design,", 1), encoding="utf-8")


def test_a_rule_change_refiles_only_untouched_pages(tmp_path):
    root = make_project(tmp_path / "proj", copy_sources=True, copy_pages=True)
    shutil.copyfile(REPO / "site_config" / "sources.yml", root / "site_config" / "sources.yml")
    touched = "s-3-increasing-gpu-utilization-during-generative-inference-for-higher-throughput"
    path = root / "content" / "papers" / f"{touched}.md"
    assert "generative inference" in path.read_text(encoding="utf-8").lower()
    path.write_text(path.read_text(encoding="utf-8").replace("topics:\n- llm-serving", "topics:\n- quantization"),
                    encoding="utf-8")
    _change_a_rule(root)
    result = run_cli(root, "ingest", "-v")
    assert result.returncode == 0, result.stderr
    assert _topics_of(root, touched)["topics"] == ["quantization"]
    assert "hardware" in _topics_of(root, EDITED)["topics"], "an untouched page follows the rules"
    updated = re.findall(r"updated: content/papers/(.+)\.md", result.stdout)
    assert EDITED in updated and touched in updated  # the touched page gains topics_curated, nothing else
    assert _topics_of(root, touched)["topics_curated"] is True


def test_a_fresh_clone_keeps_a_persons_filing_through_a_rule_change(tmp_path):
    """No local state: what the rules filed is committed (content/.filed-by-rules.yml)."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    assert (clone / "content" / ".filed-by-rules.yml").exists()
    path = clone / "content" / "papers" / f"{EDITED}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("- llm-serving", "- quantization"), encoding="utf-8")
    _change_a_rule(clone)
    result = run_cli(clone, "ingest")
    assert result.returncode == 0, result.stderr
    assert _topics_of(clone, EDITED)["topics"] == ["quantization"] and _topics_of(clone, EDITED)["topics_curated"]
    other = "s-3-increasing-gpu-utilization-during-generative-inference-for-higher-throughput"
    assert "hardware" in _topics_of(clone, other)["topics"]
