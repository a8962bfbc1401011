"""The topic taxonomy (site_config/topics.yml) and the engine that files papers by it.

Four kinds of test:
* known filings: the filing against tests/known_filings.yml, two blind readers'
  reconciled filing of all 406 seed papers, written before the filing was reworked;
* the engine: phrases, ignore and veto terms, title weighting, max_topics,
  `other`, and the messages a curator sees for a broken topics.yml;
* the taxonomy itself: every topic has a name, a description worth a topic
  page, and rules;
* generalisation: invented papers that are in no dump.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from conftest import REPO
from readinglist.curate.classify import (OTHER, TaxonomyError, classify, evidence, find_terms, score_topics,
                                  taxonomy_from_data)
from readinglist.store import load_taxonomy
from readinglist.store import Project
from readinglist.curate.termindex import TermIndex, Words, phrase_term
from readinglist.page.markdown import paper_from_page

TOPICS_YML = REPO / "site_config" / "topics.yml"
KNOWN_YML = REPO / "tests" / "known_filings.yml"

# The ids the site links to, in the order the site shows them.
TOPIC_IDS = [
    "quantization", "pruning-sparsity", "distillation", "mixture-of-experts", "efficient-attention",
    "architectures", "peft", "llm-serving", "fast-decoding", "distributed-training", "memory-efficiency",
    "optimizers", "scaling-laws", "data-efficiency", "test-time-compute", "hardware", "retrieval",
    "recommender-systems", "llm-routing", "federated-edge", "vision-diffusion", "other",
]

# Micro-F1 over every (paper, topic) assignment of the known set, `other`
# included.  The old rules measured 0.849 when the 406 labels were committed
# (tuned on these papers, with any term deciding from a title); the filing of
# issue 14 measures 0.817, trusting in titles only terms that titles of two
# lists use (TOPICS.md).  The two readers agree with each other at 0.944.
KNOWN_MIN_F1 = 0.81


@pytest.fixture(scope="module")
def taxonomy():
    """The taxonomy as ingest uses it: topics.yml and the title model beside it."""
    return load_taxonomy(Project(REPO))


@pytest.fixture(scope="module")
def papers_by_title():
    papers = {}
    for path in sorted((REPO / "content" / "papers").glob("*.md")):
        paper = paper_from_page(path.read_text(encoding="utf-8"), str(path), path.stem)
        papers[paper.title] = paper
    return papers


@pytest.fixture(scope="module")
def known():
    return yaml.safe_load(KNOWN_YML.read_text(encoding="utf-8"))


def micro_precision_recall(pairs: list[tuple[set[str], set[str]]]) -> tuple[float, float]:
    """(filed, expected) topic sets -> micro precision and recall of the filed topics."""
    hits = sum(len(filed & expected) for filed, expected in pairs)
    filed_total = sum(len(filed) for filed, _ in pairs)
    expected_total = sum(len(expected) for _, expected in pairs)
    return hits / filed_total, hits / expected_total


def micro_f1(pairs: list[tuple[set[str], set[str]]]) -> float:
    precision, recall = micro_precision_recall(pairs)
    return 2 * precision * recall / (precision + recall)


def misses_by_topic(rows: list[tuple[str, set[str], set[str]]]) -> str:
    """A report a curator can act on: per topic, what was filed wrongly and what was missed."""
    wrong: dict[str, list[str]] = {}
    missed: dict[str, list[str]] = {}
    for title, filed, expected in rows:
        for topic in sorted(filed - expected):
            wrong.setdefault(topic, []).append(title)
        for topic in sorted(expected - filed):
            missed.setdefault(topic, []).append(title)
    lines = []
    for topic in TOPIC_IDS:
        for label, table in (("filed but should not be", wrong), ("missed", missed)):
            for title in table.get(topic, []):
                lines.append(f"  {topic}: {label}: {title}")
    return "\n".join(lines)


# --- known filings -----------------------------------------------------------

def test_known_filings_are_well_formed(known, papers_by_title):
    assert len(known) >= 50
    titles = [entry["title"] for entry in known]
    assert len(titles) == len(set(titles)), "a title is listed twice"
    for entry in known:
        assert entry["title"] in papers_by_title, f"no page has the title {entry['title']!r}"
        assert entry["topics"] and set(entry["topics"]) <= set(TOPIC_IDS), entry
        assert OTHER not in entry["topics"] or entry["topics"] == [OTHER], entry
        assert entry.get("why"), entry
    covered = Counter(topic for entry in known for topic in entry["topics"])
    assert set(covered) == set(TOPIC_IDS), f"topics without a known paper: {set(TOPIC_IDS) - set(covered)}"


def test_rules_file_the_known_papers_as_a_curator_would(known, papers_by_title, taxonomy):
    rows = []
    for entry in known:
        paper = papers_by_title[entry["title"]]
        rows.append((entry["title"], set(classify(paper.title, paper.abstract, taxonomy)), set(entry["topics"])))
    pairs = [(filed, expected) for _, filed, expected in rows]
    precision, recall = micro_precision_recall(pairs)
    report = f"F1 {micro_f1(pairs):.3f}, precision {precision:.3f}, recall {recall:.3f}\n{misses_by_topic(rows)}"
    assert micro_f1(pairs) >= KNOWN_MIN_F1, report


# --- the engine ----------------------------------------------------------------

def tiny_taxonomy(*topics: dict, **settings) -> "object":
    """A taxonomy from a few topic entries (an `other` is added)."""
    entries = [{"name": t["id"].title(), "description": f"All about {t['id']}.", **t} for t in topics]
    entries.append({"id": OTHER, "name": "Other", "description": "Everything else."})
    return taxonomy_from_data({"topics": entries, **settings})


def matches(phrase: str, text: str) -> bool:
    return bool(TermIndex([phrase_term(phrase)]).find(Words(text)))


@pytest.mark.parametrize("phrase, text", [
    ("mixture of experts", "a Mixture-of-Experts layer"),
    ("mixture-of-experts", "sparse mixture of experts"),
    ("pre-training", "efficient pretraining"),
    ("pre-training", "pre training at scale"),
    ("scaling law", "new scaling laws"),
    ("batch", "larger batches"),
    ("quantiz*", "quantized weights"),
    ("quantiz*", "Quantization-aware training"),
    ("kv cache", "the KV-cache"),
])
def test_phrase_matches_spelling_variants(phrase, text):
    assert matches(phrase, text)


@pytest.mark.parametrize("phrase, text", [
    ("ann", "an annual report"),          # whole words only
    ("vit", "the activity of neurons"),
    ("moe", "Moebius strips"),
    ("scaling law", "scaling lawyers"),   # the plural is s/es, not any ending
    ("mixture of experts", "mixtureofexperts"),  # a space still needs a gap
])
def test_phrase_does_not_match_inside_other_words(phrase, text):
    assert not matches(phrase, text)


# An abstract long enough to count as one (`informative_abstract_words`).
REAL_ABSTRACT = ("We study large models on many tasks and report what we find across a wide range of settings, "
                 "with careful ablations, several baselines and a discussion of what remains open for future work.")


def test_a_title_hit_outweighs_an_abstract_mention():
    tax = tiny_taxonomy({"id": "pruning", "rules": {"phrases": ["pruning"]}})
    assert classify("Pruning Large Models", REAL_ABSTRACT, tax) == ["pruning"]
    assert classify("Large Models", REAL_ABSTRACT + " We also try pruning.", tax) == [OTHER]
    counted = tiny_taxonomy({"id": "pruning", "rules": {"phrases": ["pruning"]}}, min_score=1)
    [filing] = score_topics("Large Models", "Pruning helps; pruning is cheap; pruning again.", counted)
    assert filing.score == 2, "a repeated abstract term scores 2, however often it repeats"


def test_a_short_abstract_lets_weaker_evidence_decide():
    """With little more than a title, evidence below a topic's score still files the paper."""
    tax = tiny_taxonomy({"id": "pruning", "rules": {"phrases": ["pruning"], "hints": ["sparse"]}})
    assert classify("Sparse Large Models", "", tax) == ["pruning"]
    assert classify("Sparse Large Models", REAL_ABSTRACT, tax) == [OTHER]
    assert classify("Large Models", "We also try pruning.", tax) == ["pruning"]


def test_a_hint_in_a_title_scores_half():
    tax = tiny_taxonomy({"id": "attention", "rules": {"phrases": ["linear attention"], "hints": ["attention"]}})
    [hint] = evidence(find_terms("Attention for Vision", REAL_ABSTRACT, tax), tax)
    [phrase] = score_topics("Linear Attention for Vision", REAL_ABSTRACT, tax)
    assert (hint.score, phrase.score) == (2, 4)
    assert hint.hits == ["title:attention (hint)"]


def test_title_phrases_count_only_in_titles():
    tax = tiny_taxonomy({"id": "reasoning", "rules": {"title_phrases": ["reasoning"]}})
    assert classify("Efficient Reasoning", REAL_ABSTRACT, tax) == ["reasoning"]
    assert score_topics("Models", "reasoning reasoning reasoning", tax) == []


def test_overlapping_terms_count_the_same_words_once():
    tax = tiny_taxonomy({"id": "distillation", "rules": {"phrases": ["knowledge distillation", "distil*"]}})
    [filing] = score_topics("Knowledge Distillation for Speech", "", tax)
    assert filing.score == 4 and filing.hits == ["title:knowledge distillation"]


def test_exclude_vetoes_a_topic_that_otherwise_scores():
    rules = {"phrases": ["router"], "exclude": ["mixture of experts"]}
    tax = tiny_taxonomy({"id": "llm-routing", "rules": rules})
    assert classify("A Router for LLMs", "We route queries.", tax) == ["llm-routing"]
    assert classify("A Router for LLMs", "The router of a mixture-of-experts layer.", tax) == [OTHER]


def test_exclude_title_vetoes_only_from_the_title():
    rules = {"phrases": ["tensor parallelism"], "exclude_title": ["inference"]}
    tax = tiny_taxonomy({"id": "distributed-training", "rules": rules})
    assert classify("Tensor Parallelism at Scale", "Faster inference and training.", tax) == ["distributed-training"]
    assert classify("Tensor Parallelism for Inference", "", tax) == [OTHER]


def test_ignored_words_are_no_evidence():
    rules = {"phrases": ["pruning"], "ignore": ["data pruning"]}
    tax = tiny_taxonomy({"id": "pruning", "rules": rules})
    assert classify("Data Pruning Beats Scaling Laws", "", tax) == [OTHER]
    assert classify("Weight Pruning", "", tax) == ["pruning"]


def test_min_score_is_per_topic_with_a_global_default():
    tax = tiny_taxonomy({"id": "a", "rules": {"phrases": ["alpha"]}},
                        {"id": "b", "rules": {"phrases": ["beta"], "min_score": 4}}, min_score=2)
    assert classify("", "alpha alpha beta beta", tax) == ["a"]


def test_only_the_best_max_topics_are_kept_in_taxonomy_order():
    topics = [{"id": name, "rules": {"phrases": [name]}} for name in ("alpha", "beta", "gamma")]
    tax = tiny_taxonomy(*topics, max_topics=2)
    # gamma and alpha in the title outscore beta in the abstract; the result follows the taxonomy.
    assert classify("Gamma meets Alpha", "beta beta", tax) == ["alpha", "gamma"]


def test_other_when_nothing_fits():
    tax = tiny_taxonomy({"id": "quantization", "rules": {"phrases": ["quantiz*"]}})
    assert classify("A Benchmark for Spreadsheet Agents", "Agents use tools.", tax) == [OTHER]
    assert score_topics("A Benchmark for Spreadsheet Agents", "", tax) == []


@pytest.mark.parametrize("data, message", [
    ({"topics": [{"id": "a", "name": "A", "description": "d"}, {"id": "a", "name": "A", "description": "d"},
                 {"id": "other", "name": "O", "description": "d"}]}, "topic id 'a' appears twice"),
    ({"topics": [{"id": "a", "name": "A", "description": "d"}]}, "needs an `other` topic"),
    ({"topics": [{"id": "a", "name": "A", "description": "d", "rules": {"patterns": ["(unclosed"]}},
                 {"id": "other", "name": "O", "description": "d"}]},
     "topic a: pattern '(unclosed' is not a valid regular expression"),
    ({"topics": [{"id": "a", "name": "A", "description": "d", "rules": {"phrase": ["x"]}},
                 {"id": "other", "name": "O", "description": "d"}]}, "topic a: unknown rule key(s) phrase"),
    ({"topics": [{"id": "a", "name": "A", "description": "d", "rules": {"min_score": 0}},
                 {"id": "other", "name": "O", "description": "d"}]}, "topic a: `min_score` must be a whole number"),
    ({"topics": [{"id": "a", "description": "d"}, {"id": "other", "name": "O", "description": "d"}]},
     "topic a: `name:` is required"),
    ({"topics": [{"id": "Big Topic", "name": "B", "description": "d"}]}, "lower-case words joined by hyphens"),
    ({"topic": []}, "expected a `topics:` list"),
])
def test_broken_taxonomy_is_reported_clearly(data, message):
    with pytest.raises(TaxonomyError) as error:
        taxonomy_from_data(data)
    assert message in str(error.value)


# --- the taxonomy itself -------------------------------------------------------

def test_topics_are_the_ones_the_site_links_to(taxonomy):
    assert taxonomy.ids == TOPIC_IDS


def test_every_topic_is_described_and_has_rules(taxonomy):
    for topic in taxonomy.topics:
        assert topic.name, topic.id
        assert len(topic.description) >= 100, f"{topic.id}: the description is too short for a topic page"
        sentences = len(re.findall(r"[.!?](?:\s|$)", topic.description))
        assert 2 <= sentences <= 4, f"{topic.id}: the description should be 2-4 sentences, not {sentences}"
        if topic.id == OTHER:
            assert not topic.terms, "`other` is where papers land when no rule fires; it has no rules"
        else:
            assert topic.terms, f"{topic.id}: no phrases or patterns, so no paper is ever filed here"


def test_every_topic_collects_some_papers(taxonomy, papers_by_title):
    counts = Counter(t for p in papers_by_title.values() for t in classify(p.title, p.abstract, taxonomy))
    empty = [tid for tid in TOPIC_IDS if counts[tid] == 0]
    assert not empty, f"topics the rules never file a paper under: {empty}"
    assert counts[OTHER] < len(papers_by_title) / 3, "most papers should find a topic"


# --- generalisation: papers in no dump ----------------------------------------

# Invented while tuning the rules, to check they read like a curator on
# unseen wording; each must be filed exactly as listed.
INVENTED = [
    ("Tiered Speculative Decoding with Self-Drafting Layers",
     "Autoregressive generation in large language models is bottlenecked by memory bandwidth. We propose a "
     "speculative decoding scheme in which shallow layers of the target model act as the draft model, proposing "
     "several tokens that the full model verifies in a single forward pass. Without any extra parameters, our "
     "method accelerates decoding by 2.1x on summarization and code benchmarks while producing identical outputs.",
     {"fast-decoding"}),
    ("W4A4 Post-Training Quantization for Vision-Language Models",
     "We study post-training quantization of vision-language models to 4-bit weights and activations. Outlier "
     "channels in the projector make naive rounding fail; we introduce a rotation that spreads outliers before "
     "quantization and a calibration procedure that needs only 128 samples. Our INT4 models retain 98% of "
     "full-precision accuracy and run 2.7x faster on commodity GPUs.",
     {"quantization"}),
    ("Chunk Scheduling for Prefill-Decode Disaggregated LLM Serving",
     "Modern LLM serving systems place prefill and decode on separate GPU pools. We show that naive request "
     "scheduling across the pools wastes KV-cache transfer bandwidth and violates latency SLOs under bursty load. "
     "Our scheduler splits long prompts into chunks and co-locates decode batches with the KV cache they need, "
     "improving goodput by 1.8x over state-of-the-art serving systems.",
     {"llm-serving"}),
    ("Learning to Route Queries Between Small and Large Language Models",
     "Calling the strongest LLM for every query is expensive. We train a lightweight router that predicts, from "
     "the query alone, whether a small model will answer as well as a large one, and routes queries accordingly. "
     "On chat and math benchmarks our router cuts inference cost by 60% while keeping 95% of the quality of "
     "always using the large model.",
     {"llm-routing"}),
    ("Load-Balanced Expert Placement for Mixture-of-Experts Training at Scale",
     "Mixture-of-experts models route each token to a few experts, and the resulting all-to-all communication "
     "dominates training time under expert parallelism. We propose a placement algorithm that re-assigns experts "
     "to devices according to observed routing statistics, reducing all-to-all traffic by 35% and speeding up "
     "training of a 1.2T-parameter MoE on 2,048 GPUs by 1.4x.",
     {"mixture-of-experts", "distributed-training"}),
    ("Bidirectional Pipeline Schedules with Zero Activation Recomputation",
     "Pipeline parallelism splits a model across devices but leaves bubbles and stores many activations. We "
     "design a bidirectional pipeline schedule that overlaps forward and backward passes of two micro-batch "
     "streams, halving pipeline bubbles without extra activation memory, and combine it with data and tensor "
     "parallelism to train a 70B model 18% faster.",
     {"distributed-training", "memory-efficiency"}),
    ("Selective State Space Models for Efficient Audio Classification",
     "Transformers struggle with long audio sequences because attention is quadratic in length. We replace "
     "attention with a selective state-space model backbone and show that the resulting architecture matches "
     "transformer accuracy on five audio benchmarks while using 4x less compute and linear memory in sequence "
     "length.",
     {"architectures"}),
    ("Rank-Adaptive LoRA for Multi-Task Instruction Tuning",
     "Low-rank adaptation (LoRA) fine-tunes large language models by training small adapter matrices, but a "
     "single rank rarely suits every layer and task. We learn the rank of each adapter during fine-tuning with a "
     "sparsity-inducing penalty, matching full fine-tuning on 12 instruction-tuning tasks while training 0.3% of "
     "the parameters.",
     {"peft"}),
    ("Scaling Laws for Mixture-of-Depths Language Models",
     "We fit scaling laws for language models that dynamically skip layers per token. Across 60 training runs "
     "from 50M to 7B parameters we find that compute-optimal mixture-of-depths models should be trained on 30% "
     "more tokens than dense models of equal compute, and we give a compute-optimal recipe for choosing depth "
     "capacity.",
     {"scaling-laws", "pruning-sparsity"}),
    ("Quality Filtering with Small Proxy Models Cuts Pre-training Compute",
     "Which web documents are worth training on? We score documents with a small proxy model and select the "
     "subset that most reduces validation loss. Data selected this way lets a 1B-parameter model reach the same "
     "quality with 40% fewer pre-training tokens, and the selection transfers across model sizes.",
     {"data-efficiency"}),
    ("Verifier-Guided Tree Search Makes Small Models Better Reasoners",
     "We study how to spend inference-time compute. A 1.5B model combined with a process reward model and tree "
     "search outperforms a 70B model on math benchmarks at equal test-time compute. We characterize when search "
     "beats best-of-n sampling and how the optimal budget depends on problem difficulty.",
     {"test-time-compute"}),
    ("A Processing-in-Memory Accelerator for Attention Decoding",
     "Attention during decoding is memory-bound and leaves GPU compute idle. We design a DRAM-based "
     "processing-in-memory accelerator that computes attention scores next to the stored keys and values, "
     "reducing data movement by 9x. Cycle-accurate simulation shows 3.2x lower latency and 5x better energy "
     "efficiency than an A100 GPU.",
     {"hardware"}),
    ("Product Quantization for Billion-Scale Dense Retrieval on a Single Machine",
     "Dense retrieval over billions of passages needs vector indexes that fit in memory. We combine product "
     "quantization with a learned re-ranking stage so that approximate nearest neighbor search over 1B embeddings "
     "runs on one server with 64 GB of RAM, at 95% of the recall of an uncompressed index.",
     {"retrieval"}),
    ("Federated Fine-Tuning of Speech Models on Smartphones",
     "Personal speech data cannot leave the device. We present a federated learning system that fine-tunes a "
     "compact speech recognizer on smartphones, with client selection that accounts for battery and network "
     "conditions. Across 10,000 simulated devices our system converges 3x faster than federated averaging.",
     {"federated-edge"}),
    ("Few-Step Sampling for Latent Diffusion via Consistency Distillation",
     "Latent diffusion models need dozens of denoising steps to generate an image. We distill a pre-trained "
     "text-to-image diffusion model into a student that generates images in four steps using consistency "
     "distillation, cutting generation latency by 10x with little loss in image quality.",
     {"vision-diffusion", "distillation"}),
    ("An Agent Benchmark for Spreadsheet Automation",
     "We introduce a benchmark of 800 spreadsheet tasks for LLM agents, covering formula writing, chart creation "
     "and data cleaning. Agents interact with a real spreadsheet application through tool calls. The best agent "
     "solves 41% of tasks, and we analyse the failure modes that remain.",
     {"other"}),
    ("Text-to-SQL with Schema Linking and Self-Correction",
     "Translating questions into SQL requires linking question terms to schema elements. We propose a "
     "text-to-SQL pipeline that retrieves relevant tables, generates candidate queries with chain-of-thought "
     "reasoning, and corrects them using execution feedback, improving execution accuracy on BIRD by 4 points.",
     {"other"}),
    ("Sparse Upcycling of Dense Checkpoints into Mixture-of-Experts",
     "Training mixture-of-experts models from scratch is costly. We initialize a sparse MoE from a dense "
     "checkpoint by copying its feed-forward layers into experts and training a new router. Upcycled models "
     "reach the quality of dense models trained for twice as long, with the same inference FLOPs.",
     {"mixture-of-experts"}),
    ("ActSave: Activation Compression and CPU Offloading for Fine-Tuning 70B Models on One GPU",
     "Fine-tuning large language models needs far more GPU memory than consumer GPUs provide. ActSave compresses "
     "stored activations and offloads optimizer states and weights to CPU memory and NVMe, overlapping transfers "
     "with computation. It fine-tunes a 70B model on a single 24 GB GPU at 60% of the throughput of an eight-GPU "
     "server.",
     {"memory-efficiency"}),
    ("Warmup-Free Learning Rate Schedules for Adam",
     "Learning rate warmup is a ubiquitous but poorly understood heuristic. We show that warmup mainly "
     "compensates for Adam's biased second-moment estimates early in training and propose a bias-corrected "
     "update that removes the need for warmup. Across language and vision workloads our optimizer matches tuned "
     "warmup schedules without extra hyperparameters.",
     {"optimizers"}),
    ("Block-Sparse Attention with Learned Token Eviction for Million-Token Contexts",
     "Long-context inference is dominated by attention over a growing KV cache. We learn which tokens to evict "
     "from the KV cache and compute block-sparse attention over the rest, keeping memory constant in context "
     "length. On million-token benchmarks our method matches full attention accuracy while decoding 6x faster.",
     {"efficient-attention"}),
    ("Embedding Table Sharding for Industrial Recommendation Training",
     "Deep learning recommendation models have embedding tables of terabytes that must be sharded across GPUs. "
     "We propose a cost model of embedding lookups and an algorithm that shards tables to balance communication "
     "and memory, speeding up training of a production click-through rate model by 1.6x.",
     {"recommender-systems", "distributed-training"}),
]

# Invented after tuning and never tuned against: an honest sample of how the
# rules do on new papers.  Measured precision and recall 0.92 when first run
# (a ternary-network paper missed federated-edge; a citation recommender was
# also filed under recommender systems).  Held to the known-set bar in bulk.
HELD_OUT = [
    ("Ternary Weight Networks for Keyword Spotting on Microcontrollers",
     "Always-on keyword spotting must run within a milliwatt on microcontrollers. We train networks whose "
     "weights are ternary and activations 4-bit, and deploy them on an ARM Cortex-M4 with a hand-written kernel "
     "library. Our models reach 95% accuracy on Speech Commands using 18 KB of memory.",
     {"quantization", "federated-edge"}),
    ("Movement Pruning Revisited for Large Language Models",
     "Magnitude pruning removes weights that are small, but during fine-tuning the weights that move toward zero "
     "matter more. We revisit movement pruning for LLMs with 7B to 70B parameters and find that, combined with a "
     "short recovery phase, it reaches 60% unstructured sparsity with a perplexity increase below 0.5.",
     {"pruning-sparsity"}),
    ("Can a 3B Model Teach Itself to Code? Distilling Reasoning Traces into Small Language Models",
     "We distill step-by-step reasoning traces from a 70B teacher into 1B to 3B student models for code "
     "generation. Small language models trained on filtered traces close most of the gap to the teacher on "
     "HumanEval, and we analyse which traces transfer best.",
     {"distillation"}),
    ("Request-Level Preemption for Fair Multi-Tenant LLM Inference",
     "When many tenants share an LLM inference cluster, long requests can starve short ones. We add request-level "
     "preemption to a continuous-batching inference engine, swapping the KV cache of preempted requests to host "
     "memory, and schedule tenants by a weighted fair-queuing policy. Tail latency for short requests drops by 5x.",
     {"llm-serving"}),
    ("Gradient Compression with Error Feedback for Cross-Datacenter Training",
     "Training across datacenters is limited by wide-area bandwidth. We compress gradients to 2% of their size "
     "with top-k sparsification and error feedback, and overlap communication with computation. A 13B model "
     "trained across three datacenters converges to the same loss as single-cluster data-parallel training.",
     {"distributed-training"}),
    ("Which Papers Should I Cite? A Retrieval-Augmented Citation Recommender",
     "We build a retrieval-augmented system that recommends citations for a paragraph of a scientific draft. A "
     "dense retriever over 20M papers proposes candidates and an LLM re-ranks them. On a new benchmark our system "
     "improves recall@10 by 12 points over keyword search.",
     {"retrieval"}),
    ("MuonClip: Stable Orthogonalized Updates for Trillion-Parameter Pre-training",
     "Orthogonalized optimizers such as Muon train faster than AdamW but suffer loss spikes at scale. We trace "
     "the spikes to exploding attention logits and propose a clipping rule applied inside the optimizer step. "
     "With it, a 1T-parameter model trains without a single loss spike, using 30% fewer tokens than AdamW to "
     "reach the same loss.",
     {"optimizers"}),
    ("Cost-Aware Cascades of Vision-Language Models",
     "Large vision-language models answer hard visual questions but are expensive. We build a cascade in which a "
     "small model answers first and defers to a larger model only when its confidence is low, with thresholds "
     "tuned for a cost budget. The cascade matches the large model's accuracy at 35% of its cost.",
     {"llm-routing"}),
    ("Token Merging for Faster Diffusion Transformers",
     "Diffusion transformers spend most of their compute on redundant image tokens. We merge similar tokens "
     "inside each transformer block during sampling and unmerge them before the output, accelerating image "
     "generation by 1.9x with no retraining and a negligible change in FID.",
     {"vision-diffusion"}),
    ("A Survey of Agentic Workflows for Scientific Discovery",
     "LLM agents are increasingly used to plan experiments, search literature and analyse data. We survey 150 "
     "systems of agentic workflows for scientific discovery, organize them by the role the agent plays, and "
     "discuss evaluation practices and open problems in reliability and reproducibility.",
     {"other"}),
    ("Learning Rate Transfer Across Depth with Residual Scaling",
     "Hyperparameters tuned on small models often fail to transfer to deeper ones. We propose a residual scaling "
     "rule under which the optimal learning rate stays constant as depth grows from 8 to 256 layers, allowing "
     "hyperparameter tuning on shallow proxies and saving 90% of tuning compute.",
     {"optimizers"}),
    ("Budget-Aware Chain-of-Thought: Teaching Reasoning Models When to Stop Thinking",
     "Large reasoning models often overthink easy questions. We train models to predict a token budget from the "
     "question and to stop generating reasoning once the budget is spent, reducing reasoning length by 45% on "
     "math benchmarks with less than one point of accuracy loss.",
     {"test-time-compute"}),
]


def test_invented_papers_meet_the_known_set_bar(taxonomy):
    """Invented while tuning the earlier rules, so filed in bulk: no one paper decides."""
    rows = [(title, set(classify(title, abstract, taxonomy)), expected) for title, abstract, expected in INVENTED]
    pairs = [(filed, expected) for _, filed, expected in rows]
    precision, recall = micro_precision_recall(pairs)
    report = f"F1 {micro_f1(pairs):.3f}, precision {precision:.3f}, recall {recall:.3f}\n{misses_by_topic(rows)}"
    assert micro_f1(pairs) >= KNOWN_MIN_F1, report


def test_held_out_invented_papers_meet_the_known_set_bar(taxonomy):
    rows = [(title, set(classify(title, abstract, taxonomy)), expected) for title, abstract, expected in HELD_OUT]
    pairs = [(filed, expected) for _, filed, expected in rows]
    precision, recall = micro_precision_recall(pairs)
    report = f"F1 {micro_f1(pairs):.3f}, precision {precision:.3f}, recall {recall:.3f}\n{misses_by_topic(rows)}"
    assert micro_f1(pairs) >= KNOWN_MIN_F1, report
