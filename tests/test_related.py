"""Related papers (TF-IDF + cosine) on small synthetic lists where the answer is known."""

from __future__ import annotations

import random

import pytest

from readinglist.paper import Paper
from readinglist.curate.related import RELATED_COUNT, related_slugs

THEMES = {
    "quant": "quantization low-bit integer weights activations calibration rounding outliers",
    "moe": "mixture experts routing gating expert parallelism load balancing tokens",
    "diff": "diffusion denoising sampling steps image generation guidance schedulers",
}
FILLER = "we propose method results show improves efficient approach experiments".split()


def themed_papers(per_theme: int = 8, seed: int = 0) -> list[Paper]:
    rng = random.Random(seed)
    papers = []
    for theme, words in THEMES.items():
        vocab = words.split()
        for i in range(per_theme):
            title = " ".join(rng.sample(vocab, 3)).title()
            abstract = " ".join(rng.choices(vocab, k=25) + rng.choices(FILLER, k=10))
            papers.append(Paper(title=title, abstract=abstract, slug=f"{theme}-{i:02d}"))
    return papers


def test_neighbours_share_the_theme_and_never_the_paper_itself():
    related = related_slugs(themed_papers())
    assert len(related) == 24
    for slug, found in related.items():
        assert len(found) == RELATED_COUNT
        assert slug not in found and len(set(found)) == len(found)
        assert all(other.split("-")[0] == slug.split("-")[0] for other in found), (slug, found)


def test_same_answer_whatever_the_input_order_and_block_size():
    papers = themed_papers()
    expected = related_slugs(papers)
    shuffled = papers[:]
    random.Random(1).shuffle(shuffled)
    assert related_slugs(shuffled) == expected
    for rows in (1, 2, 5, 7, 1000):
        assert related_slugs(papers, block_rows=rows) == expected


def test_ties_go_to_the_lower_slug():
    # b..f have the same text, so they are equally similar to `a`.
    same = "sparse attention kernels for long context"
    papers = [Paper(title="Sparse attention", abstract="long context kernels", slug="a")]
    papers += [Paper(title="Attention study", abstract=same, slug=s) for s in ("f", "d", "b", "e", "c", "g")]
    related = related_slugs(papers, k=3)
    assert related["a"] == ["b", "c", "d"]
    assert related["b"] == ["c", "d", "e"]  # its twins first, lower slugs among them


def test_a_paper_sharing_no_word_gets_no_padding():
    papers = themed_papers(per_theme=3)
    papers.append(Paper(title="Zymurgy", abstract="brewing yeast fermentation", slug="zz-alone"))
    related = related_slugs(papers)
    assert related["zz-alone"] == []
    assert all("zz-alone" not in found for found in related.values())


@pytest.mark.parametrize("papers", [
    [],
    [Paper(title="Only one", abstract="a single paper", slug="one")],
    [Paper(title="", abstract="", slug="x"), Paper(title="", abstract="", slug="y")],
    [Paper(title="The", abstract="and of", slug="x"), Paper(title="A", abstract="the", slug="y")],
])
def test_degenerate_lists_have_no_related_papers(papers):
    assert related_slugs(papers) == {p.slug: [] for p in papers}


def test_fewer_papers_than_k():
    papers = [Paper(title="Quantized kernels", abstract="int4 kernels", slug="a"),
              Paper(title="Quantized training", abstract="int4 training", slug="b")]
    assert related_slugs(papers) == {"a": ["b"], "b": ["a"]}


def test_candidate_lookup_agrees_with_all_pairs_where_it_can_see_everything():
    """Big lists use the inverted-index path; on a small list it must find what all-pairs finds."""
    from readinglist.curate.related import paper_text, tfidf_matrix, top_k_by_candidates, top_k_similar

    papers = sorted(themed_papers(per_theme=12, seed=3), key=lambda p: p.slug)
    matrix = tfidf_matrix([paper_text(p) for p in papers])
    before = matrix.copy()
    assert top_k_by_candidates(matrix) == top_k_similar(matrix)
    assert (matrix != before).nnz == 0  # the caller's matrix is left as it was
