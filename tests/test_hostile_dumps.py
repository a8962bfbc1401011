"""Dumps in a shape no known format has: an arXiv listing (it was read as 10
junk pages, exit 0), and its neighbours people paste by mistake (BibTeX, a
feed, labelled fields, lists of links or addresses), and a dump that is mostly
junk.  Each is refused whole, with exit 1, naming the file, the formats tried
and the closest one; no page is written.  Every command runs under the guard of
conftest.run_guarded (60 s, 512 MiB)."""

from __future__ import annotations

import pytest

from conftest import make_project, run_guarded
from readinglist.ingest.parse import FormatError, parse_dump

TRIED = "tried org-listing, daily-papers, line-pairs, blank-pairs: the closest, "

ABSTRACTS = [
    "Long-context inference is bottlenecked by attention. We propose a sparse attention kernel that\n"
    "skips blocks whose scores are provably small, and show 3x speedups on a single GPU at 128k tokens.",
    "We study quantization-aware training for models with billions of parameters and find that\n"
    "four-bit weights lose less than one point of accuracy when the schedule is tuned carefully.",
    "Routing in mixture-of-experts models is revisited through the lens of load balancing, and a\n"
    "simple auxiliary-free router is proposed that matches the quality of prior routers.",
    "Pipeline parallel training wastes time in bubbles; we schedule the backward pass in two halves\n"
    "so that no stage ever waits, reaching near-zero bubble rates at scale on commodity clusters.",
]
TITLES = ["Efficient Sparse Attention for Long Context Inference", "Quantization Aware Training at Scale",
          "Mixture of Experts Routing Revisited", "Pipeline Parallelism Without Bubbles"]

# The shape of https://arxiv.org/list/cs.LG/new, copied from a browser.
ARXIV = "".join(
    f"[{i}]  arXiv:2401.1234{i} [pdf, html, other]\nTitle: {title}\nAuthors: Alice Smith, Bob Jones\n"
    f"Comments: 12 pages, 4 figures\nSubjects: Machine Learning (cs.LG)\n{abstract}\n\n"
    for i, (title, abstract) in enumerate(zip(TITLES, ABSTRACTS), start=1))

# name -> (dump, what the message calls it)
SHAPES = {
    "arxiv.txt": (ARXIV, "this is an arXiv listing"),
    "arxiv-abs.txt": ("".join(f"arXiv:2401.1234{i}v2\nTitle: {t}\nAuthors: A. Smith\nAbstract: {a}\n\n"
                              for i, (t, a) in enumerate(zip(TITLES, ABSTRACTS))), "this is an arXiv listing"),
    "labels.txt": ("".join(f"Title: {t}\nAuthors: A. Smith\nYear: 2024\nAbstract: {a}\n\n"
                           for t, a in zip(TITLES, ABSTRACTS)), "this is a listing of labelled fields"),
    "refs.txt": ("".join(f"@article{{key{i},\n  title = {{{t}}},\n  author = {{Smith, Alice}},\n"
                         f"  year = {{2024}},\n  abstract = {{{a}}}\n}}\n\n"
                         for i, (t, a) in enumerate(zip(TITLES, ABSTRACTS))), "this is a BibTeX file"),
    "feed.txt": ('<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n'
                 + "".join(f"<item>\n<title>{t}</title>\n<description>{a}</description>\n</item>\n"
                           for t, a in zip(TITLES, ABSTRACTS)) + "</channel>\n</rss>\n",
                 "this is an RSS or Atom feed"),
    "links.txt": ("".join(f"- [{t}](https://arxiv.org/abs/2401.1234{i})\n" for i, t in enumerate(TITLES)),
                  "this is a Markdown list of links"),
    "urls.txt": ("".join(f"https://arxiv.org/abs/2401.1234{i}\n" for i in range(6)),
                 "this is a list of web addresses"),
}


def ingest(tmp_path, dumps: dict[str, str]):
    root = make_project(tmp_path / "proj", dumps=dumps)
    return root, run_guarded(root, "ingest")


def assert_refused_whole(root, result, name: str, *fragments: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"error: {name}:" in result.stderr and "not a dump this tool can read: " in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "nothing ingested from it" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not list((root / "content" / "papers").glob("*.md")), "a refused dump wrote pages"


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_a_dump_of_another_shape_is_refused_naming_what_it_is(tmp_path, name):
    text, what = SHAPES[name]
    root, result = ingest(tmp_path, {name: text})
    assert_refused_whole(root, result, name, what, TRIED)


def test_an_arxiv_listing_names_the_closest_format_and_what_it_would_read(tmp_path):
    root, result = ingest(tmp_path, {"arxiv.txt": ARXIV})
    assert_refused_whole(root, result, "arxiv.txt",
                         "error: arxiv.txt:1: not a dump this tool can read: this is an arXiv listing (`arXiv:2401.12345`"
                         " lines, then `Title:`, `Authors:`, `Subjects:`), not a copied listing (add its papers with "
                         "`readinglist add`, or copy the listing from Hugging Face Papers); " + TRIED + "line-pairs, "
                         "would read ")


def test_a_refused_dump_leaves_the_others_ingested(tmp_path):
    good = "".join(f"{t}\n{' '.join(a.split())}\n" for t, a in zip(TITLES, ABSTRACTS))
    root, result = ingest(tmp_path, {"good.txt": good, "arxiv.txt": ARXIV})
    assert result.returncode == 1 and "error: arxiv.txt:1: " in result.stderr, result.stderr
    assert "pages new: 4" in result.stdout, result.stdout
    assert len(list((root / "content" / "papers").glob("*.md"))) == 4


def test_a_dump_that_is_mostly_junk_writes_no_page(tmp_path):
    # One paper, then page furniture that pairs up into "papers" with no abstract:
    # the one paper is likely junk too.
    junk = "".join(f"Menu item {i}\n" for i in range(8))
    root, result = ingest(tmp_path, {"junk.txt": f"{TITLES[0]}\n{' '.join(ABSTRACTS[0].split())}\n{junk}"})
    assert_refused_whole(root, result, "junk.txt", "error: junk.txt:3: not a dump this tool can read: most of it is "
                         "not papers: 4 parts skipped, 1 read as papers", TRIED)


def test_a_pair_of_lines_with_no_abstract_is_no_paper(tmp_path):
    good = "".join(f"{t}\n{' '.join(a.split())}\n" for t, a in zip(TITLES, ABSTRACTS))
    root, result = ingest(tmp_path, {"good.txt": good + "Share\nUpvote\n"})
    assert result.returncode == 0 and "pages new: 4" in result.stdout, result.stdout + result.stderr
    assert "warning: good.txt:9: 'Share' is followed by no abstract ('Upvote' is too short for one); skipped" \
        in result.stderr, result.stderr
    assert not (root / "content" / "papers" / "share.md").exists()


@pytest.mark.parametrize("text", [TITLES[0] + "\n", "Title: " + TITLES[0] + "\n", "arXiv:2401.12345\n"])
def test_a_dump_of_one_line_is_refused(tmp_path, text):
    root, result = ingest(tmp_path, {"one.txt": text})
    assert_refused_whole(root, result, "one.txt", "the closest, ")


def test_a_real_listing_with_a_few_such_lines_is_still_read():
    # A daily listing whose abstracts mention arXiv ids and labels is a listing.
    text = "".join(f"{t}\n{' '.join(a.split())} See arXiv:2401.12345 for details.\nTitle: an aside\n\n"
                   for t, a in zip(TITLES, ABSTRACTS)).replace("\nTitle: an aside\n", "\n")
    assert len(parse_dump(text, "ok.txt").records) == 4
    with pytest.raises(FormatError) as refused:
        parse_dump(ARXIV, "arxiv.txt")
    assert refused.value.line == 1 and refused.value.closest.startswith("the closest, line-pairs, would read ")
