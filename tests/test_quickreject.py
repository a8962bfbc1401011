"""quickreject: skipping a classify regex must never change what it finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from readinglist import quickreject, synth
from readinglist.classify import phrase_regex, taxonomy_from_data
from readinglist.store import Project, read_yaml

PHRASES = ["mixture of experts", "pre-training", "quantiz*", "low-bit", "kv cache", "n:m sparsity",
           "all-to-all", "1-bit", "fine-tune", "c++", "int8", "speculative decoding", "large language model"]
PATTERNS = [r"\b(?:gpu|cuda|triton)[\s-]+kernels?\b", r"\bW\d{1,2}A\d{1,2}\b", r"(?-i)\bN\s*:\s*M\b",
            r"\b\d{1,3}(?:,\d{3})+\s+(?:GPUs|cores)\b", r"(?:foo|)bar", r"\bcompress\w*\s+(?:the\s+)?kv"]
TRICKY = [
    "Mixture-of-Experts", "mixtures of experts", "MIXTURE  OF\nEXPERTS", "pretraining", "Pre-Training",
    "quantization", "Quantized", "dequantize", "low bit", "LowBit", "lowbits", "KV-cache", "kv caches",
    "N:M sparsity", "n : m", "all to all", "All-to-All", "1-bit", "fine tuned", "C++", "INT8", "int8s",
    "\u212aV cache",  # Kelvin sign: matches `k` when ignoring case
    "\u0130nt8", "\u0131nt8",  # dotted and dotless i: no shortcut is trusted
    "stra\u00dfe pruning", "GPU kernels", "cuda-kernel", "W4A16", "w4a16", "1,024 GPUs", "bar", "foobar",
    "compressing the KV", "_mixture of experts_", "éfine-tune", "fine-tuneé", "x-pre-training",
]


def compiled():
    out = []
    for phrase in PHRASES:
        out.append(re.compile(phrase_regex(phrase), re.IGNORECASE))
    for pattern in PATTERNS:
        if pattern.startswith("(?-i)"):
            out.append(re.compile(pattern[5:]))
        else:
            out.append(re.compile(pattern, re.IGNORECASE))
    return out


def taxonomy_regexes():
    project = Project(REPO)
    taxonomy = taxonomy_from_data(read_yaml(project.config / "topics.yml", project))
    regexes = []
    for topic in taxonomy.topics:
        for attr in ("terms", "ignore", "exclude", "exclude_title"):
            regexes += [getattr(r, "regex", r) for _, r in getattr(topic, attr, [])]
    return taxonomy, regexes


def spans(regex, text):
    return [m.span() for m in regex.finditer(text)]


@pytest.mark.parametrize("text", TRICKY + [f"… {t} …" for t in TRICKY])
def test_guarded_finds_exactly_what_the_regex_finds(text):
    for regex in compiled():
        guarded = quickreject.Guarded(regex)
        assert spans(guarded, text) == spans(regex, text), (regex.pattern, text)
        assert bool(guarded.search(text)) == bool(regex.search(text))
        assert guarded.sub(" ", text) == regex.sub(" ", text)


def test_the_taxonomy_terms_on_synthetic_abstracts():
    _, regexes = taxonomy_regexes()
    texts = [p.title + "\n" + p.abstract for p in synth.make_papers(60, seed=3)] + TRICKY
    for regex in regexes:
        guarded = quickreject.Guarded(regex)
        for text in texts:
            assert spans(guarded, text) == spans(regex, text), (regex.pattern, text[:60])


def test_most_terms_get_a_shortcut():
    """The point of it all: nearly every term says which words it needs."""
    _, regexes = taxonomy_regexes()
    with_needs = sum(1 for r in regexes if quickreject.Guarded(r).needs)
    assert with_needs >= 0.9 * len(regexes)


def test_gate_keeps_every_term_that_matches():
    terms = [(r.pattern, r) for r in compiled()]
    gate = quickreject.Gate(terms)
    for text in TRICKY:
        kept = {t for t, _ in gate.candidates(text)}
        matching = {t for t, r in terms if r.search(text)}
        assert matching <= kept, text
    assert gate.candidates("nothing to see here") == [t for t in terms if not quickreject.Guarded(t[1]).needs]


words = st.sampled_from(["mixture", "of", "experts", "pre", "training", "pretraining", "quantized", "low", "bit",
                         "kv", "cache", "N", "M", ":", "all", "to", "GPU", "kernels", "W4A16", "1,024", "GPUs",
                         "fine", "tune", "int8", "c++", "\u212a", "é", "_", "x"])
separators = st.sampled_from([" ", "-", "  ", "\n", "", "(", ")", ", ", "--"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(words, separators), max_size=14))
def test_guarded_and_gate_on_random_word_salad(parts):
    text = "".join(w + s for w, s in parts)
    regexes = compiled()
    for regex in regexes:
        assert spans(quickreject.Guarded(regex), text) == spans(regex, text), (regex.pattern, text)
    gate = quickreject.Gate([(r.pattern, r) for r in regexes])
    kept = {t for t, _ in gate.candidates(text)}
    assert {r.pattern for r in regexes if r.search(text)} <= kept, text
