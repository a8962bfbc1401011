"""Related papers: the papers whose title and abstract read most alike.

TF-IDF over title + abstract and cosine similarity, as arxiv-sanity does.  Pure:
papers in, `{slug: [slug, ...]}` out, the same for the same papers.

Up to EXACT_LIMIT papers every pair is compared (exact, and fast at that
size).  Above it, comparing every pair would make the build quadratic in the
list, so candidates come from an inverted index instead: each paper's most
telling terms (its top CANDIDATE_TERMS TF-IDF weights among terms that are
not too common) find the papers sharing them, and only those candidates get
the exact cosine.  A true neighbour shares some telling term, so it is almost
always among the candidates; the work per paper is bounded, so the whole step
is linear in the number of papers.

Memory stays linear in the number of papers: the similarity matrix is never
held whole.  Rows are compared with every paper a block at a time, and only
the best `k` of each row are kept.  Ties are broken by slug (papers are
ordered by slug first, so a lower column index means a lower slug), which
makes the result independent of block size and of the order papers arrive in.
"""

from __future__ import annotations

from typing import Sequence

from readinglist.text import plain_text
from readinglist.paper import Paper

RELATED_COUNT = 5
# Change it with anything that changes the result: builds keep results by it (build/cache/).
RELATED_VERSION = "tfidf-2026-12"
# Dense similarity cells computed at once: 8M float32 cells is 32 MB.  At
# 1,000 papers a block is all rows; at 50,000 papers it is 160 rows.
BLOCK_CELLS = 8_000_000
MAX_BLOCK_ROWS = 1000
# Terms in at least 2% of the papers (and at least 50 of them) go through a
# dense product, at most 40M dense cells (160 MB of float32) in all.
DENSE_SHARE = 0.02
DENSE_MIN_PAPERS = 50
DENSE_CELLS = 40_000_000
# Above this many papers, candidates come from an inverted index (see above).
EXACT_LIMIT = 20_000
CANDIDATE_TERMS = 24        # telling terms per paper used to look up candidates
CANDIDATES = 64             # candidates per paper that get the exact cosine
POSTING_CAP = 400           # a term in more papers than this is too common to look up by


def paper_text(paper: Paper) -> str:
    """What similarity is measured on: the title (counted twice: it is dense) and the abstract."""
    title = plain_text(paper.title)
    return f"{title}\n{title}\n{plain_text(paper.abstract)}"


def tfidf_matrix(texts: Sequence[str]):
    """L2-normalised TF-IDF rows (scipy CSR), or None when no text has a usable word."""
    import numpy as np  # numpy and scikit-learn are heavy imports: only when needed
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        strip_accents="unicode", lowercase=True, stop_words="english",
        # Words of two or more characters that start with a letter ("int4"
        # stays): bare numbers ("2023", "16") say little about a paper's subject.
        # Hyphens split, so "mixture-of-experts" meets "mixture of experts".
        token_pattern=r"(?u)\b[^\W\d_]\w+\b",
        # Single words: word pairs found much the same neighbours on the real
        # list and made fitting three times slower.
        ngram_range=(1, 1), sublinear_tf=True, norm="l2",
        # A term in more than half the papers does not tell them apart (on a
        # handful of papers that would drop every shared word, so only from
        # 20 on); the vocabulary cap bounds memory at 50,000 papers.
        max_df=0.5 if len(texts) >= 20 else 1.0, max_features=100_000, dtype=np.float32,
    )
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # empty vocabulary: no paper has a usable word
        return None


def top_k_similar(matrix, k: int = RELATED_COUNT, block_rows: int = 0) -> list[list[int]]:
    """For each row of `matrix` (L2-normalised), the indices of the `k` most similar other rows.

    Only rows with a positive similarity count; ties go to the lower index.
    """
    import numpy as np  # comes with scikit-learn

    n = matrix.shape[0]
    if n < 2 or k < 1:
        return [[] for _ in range(n)]
    if block_rows <= 0:
        block_rows = max(1, min(MAX_BLOCK_ROWS, BLOCK_CELLS // n))
    k = min(k, n - 1)
    dense, sparse = _split_by_frequency(matrix, np)
    sparse_t = sparse.T.tocsr()  # CSR @ CSR: scipy would convert a CSC operand on every block
    buffer = np.empty((block_rows, n), dtype=np.float32)  # reused: no fresh pages per block
    result: list[list[int]] = []
    for start in range(0, n, block_rows):
        stop = min(start + block_rows, n)
        sims = buffer[: stop - start]
        if dense is not None:
            np.matmul(dense[start:stop], dense.T, out=sims)
        else:
            sims.fill(0.0)
        rare = sparse[start:stop] @ sparse_t  # canonical CSR: each (row, column) once
        sims[np.repeat(np.arange(stop - start), np.diff(rare.indptr)), rare.indices] += rare.data
        # Six decimals: sums in another order (another BLAS, another CPU)
        # must not reorder papers whose texts score the same.
        np.around(sims, 6, out=sims)
        rows = np.arange(stop - start)
        sims[rows, rows + start] = -1.0  # a paper is not related to itself
        result.extend(_best_in_block(sims, k, np))
    return result


def _split_by_frequency(matrix, np):
    """(dense columns of the most common terms or None, the other columns as sparse CSR).

    Common terms link almost every pair of papers, and a sparse product pays
    for each such pair; a dense matrix product (BLAS) pays far less per pair.
    Rare terms link few pairs and stay sparse.  The sum of both products is
    the same similarity.
    """
    n = matrix.shape[0]
    by_column = matrix.tocsc()
    df = np.diff(by_column.indptr)
    common = np.flatnonzero(df >= max(DENSE_MIN_PAPERS, DENSE_SHARE * n))
    limit = max(0, DENSE_CELLS // n)
    if len(common) > limit:  # keep the dense part's memory bounded: the most common first
        common = np.sort(common[np.argsort(-df[common], kind="stable")[:limit]])
    if len(common) == 0:
        return None, matrix.tocsr()
    rare = np.setdiff1d(np.arange(matrix.shape[1]), common, assume_unique=True)
    return by_column[:, common].toarray().astype(np.float32), by_column[:, rare].tocsr()


def _best_in_block(sims, k: int, np) -> list[list[int]]:
    """Best `k` columns per row of a dense block, which it overwrites.

    `k` rounds of argmax: each takes the highest value left in every row, and
    of equal values the first, i.e. the lower slug.  For small `k` this is
    faster than a partition of the whole row and needs no tie handling.
    """
    rows = np.arange(sims.shape[0])
    picks = np.empty((len(rows), k), dtype=np.intp)
    values = np.empty((len(rows), k), dtype=sims.dtype)
    for place in range(k):
        cols = sims.argmax(axis=1)
        picks[:, place], values[:, place] = cols, sims[rows, cols]
        sims[rows, cols] = -np.inf
    return [[col for col, value in zip(cols, vals) if value > 0]
            for cols, vals in zip(picks.tolist(), values.tolist())]


def related_slugs(papers: Sequence[Paper], k: int = RELATED_COUNT, block_rows: int = 0) -> dict[str, list[str]]:
    """slug -> slugs of the `k` most similar papers, most similar first (fewer when few share words)."""
    ordered = sorted(papers, key=lambda p: p.slug)
    matrix = tfidf_matrix([paper_text(p) for p in ordered]) if len(ordered) > 1 else None
    if matrix is None:
        return {p.slug: [] for p in ordered}
    if len(ordered) > EXACT_LIMIT:
        neighbours = top_k_by_candidates(matrix, k, block_rows)
    else:
        neighbours = top_k_similar(matrix, k, block_rows)
    return {p.slug: [ordered[j].slug for j in found] for p, found in zip(ordered, neighbours)}


def _telling_terms(matrix, np, sp):
    """Each row's CANDIDATE_TERMS heaviest weights among terms in 2..POSTING_CAP papers."""
    csc = matrix.tocsc()
    df = np.diff(csc.indptr)
    usable = (df >= 2) & (df <= POSTING_CAP)
    rows = matrix.tocsr()
    keep = usable[rows.indices]
    data = np.where(keep, rows.data, 0).astype(np.float32)
    # Rank each row's weights and zero all but its heaviest CANDIDATE_TERMS.
    for r in range(rows.shape[0]):
        lo, hi = rows.indptr[r], rows.indptr[r + 1]
        if hi - lo > CANDIDATE_TERMS:
            segment = data[lo:hi]
            cut = np.argpartition(-segment, CANDIDATE_TERMS)[CANDIDATE_TERMS:]
            segment[cut] = 0
    # Copies of the index arrays: eliminate_zeros() below works in place and
    # must not touch the caller's matrix.
    telling = sp.csr_matrix((data, rows.indices.copy(), rows.indptr.copy()), shape=rows.shape)
    telling.eliminate_zeros()
    postings = sp.csr_matrix((np.where(usable[rows.indices], rows.data, 0).astype(np.float32),
                              rows.indices.copy(), rows.indptr.copy()), shape=rows.shape)
    postings.eliminate_zeros()
    return telling, postings.T.tocsr()


def _first_per_row(row_ids, primary, cols, limit: int, np):
    """Indices of the best `limit` entries of each row: highest `primary`, then lowest column.

    `row_ids` must be ascending and, within a row, `cols` ascending (CSR
    order).  One stable sort on a single key (row, then 1 - score, which lies
    in [0, 1] for cosine scores) is several times faster than a three-key
    lexsort and keeps equal scores in column order.
    """
    key = row_ids.astype(np.float64) + (1.0 - np.clip(primary, 0.0, 1.0)) * 0.5
    order = np.argsort(key, kind="stable")
    sorted_rows = row_ids[order]
    starts = np.searchsorted(sorted_rows, sorted_rows, side="left")
    rank = np.arange(len(order)) - starts
    return order[rank < limit]


def top_k_by_candidates(matrix, k: int = RELATED_COUNT, block_rows: int = 0) -> list[list[int]]:
    """Like top_k_similar, in time linear in the rows: exact cosine over looked-up candidates.

    Ties go to the lower index, as in top_k_similar.  Everything per block is
    vectorised: one sparse product finds candidates, one sort keeps the best
    CANDIDATES of each row, one row-wise product scores them exactly.
    """
    import numpy as np
    import scipy.sparse as sp

    rows = matrix.tocsr()
    n = rows.shape[0]
    if n < 2 or k < 1:
        return [[] for _ in range(n)]
    k = min(k, n - 1)
    block_rows = block_rows if block_rows > 0 else MAX_BLOCK_ROWS
    telling, postings_t = _telling_terms(rows, np, sp)
    result: list[list[int]] = []
    for start in range(0, n, block_rows):
        stop = min(start + block_rows, n)
        partial = (telling[start:stop] @ postings_t).tocsr()  # bounded: terms x posting cap per row
        partial.sort_indices()
        local = np.repeat(np.arange(stop - start), np.diff(partial.indptr))
        cols, scores = partial.indices, partial.data
        not_self = cols != local + start
        local, cols, scores = local[not_self], cols[not_self], scores[not_self]
        keep = _first_per_row(local, scores, cols, CANDIDATES, np)
        local, cols = local[keep], cols[keep]
        exact = np.asarray(rows[local + start].multiply(rows[cols]).sum(axis=1)).ravel()
        exact = np.around(exact, 6)  # as in top_k_similar: summation order must not reorder ties
        order = np.lexsort((cols, local))  # back to (row, column) order for the stable sort
        local, cols, exact = local[order], cols[order], exact[order]
        best = _first_per_row(local, exact, cols, k, np)  # already in (row, rank) order
        best = best[exact[best] > 0]
        found: list[list[int]] = [[] for _ in range(stop - start)]
        for r, c in zip(local[best].tolist(), cols[best].tolist()):
            found[r].append(c)
        result.extend(found)
    return result
