"""The site as a reader meets it (issue 18): nothing raw, nothing cut off, in light and dark.

Each test catches a kind of defect, not one instance of it:

* text: math is written out where no markup renders (`<title>`, meta tags, feeds,
  search), dumps' line-break hyphens and TeX that lost its backslashes are undone
  by rule at ingest (ingest/repair.py), pages ingest wrote take the rule, pages a
  person edited keep their text, and no committed page holds a leftover of those
  kinds.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given

from conftest import REPO
from readinglist.ingest.merge import fill_page
from readinglist.ingest.repair import join_broken_words, repair_text
from readinglist.page.markdown import paper_from_page
from readinglist.paper import Paper, SourceRef
from readinglist.text import MATH_RE, md_escape, readable_text
from test_properties import SETTINGS, clean_texts

# --------------------------------------------------------------------------- math as text


@pytest.mark.parametrize("clean, readable", [
    ("R$^3$-SQL: Ranking Reward", "R³-SQL: Ranking Reward"),
    ("$S^{2}$FT and $S^{3}$", "S²FT and S³"),
    ("up to $8.5\\times$ faster, $50\\%$ less", "up to 8.5× faster, 50% less"),
    ("$O(\\frac{k^n}{\\sqrt{n}})$ experts", "O(kⁿ/√n) experts"),
    ("via $\\ell_1$/$\\ell_2$ surrogates", "via ℓ₁/ℓ₂ surrogates"),
    ("$G_{stack}$ and $d^{0.75}$", "G_stack and d^0.75"),
    ("$k_{\\ast}$, $\\epsilon$, $\\log n$", "k_∗, ϵ, log n"),
    ("$\\mathbf{W} \\in \\mathbb{R}^{d \\times k}$", "W ∈ R^(d × k)"),
    ("costs \\$5 and \\$10", "costs $5 and $10"),
    ("no math at all", "no math at all"),
])
def test_math_reads_as_text_where_no_markup_renders(clean, readable):
    assert readable_text(clean) == readable


# --------------------------------------------------------------------------- repairs at ingest


@pytest.mark.parametrize("dump, clean", [
    # Line-break hyphens: joined; real hyphens and suspended ones stay.
    ("overcoming memory bottle- necks by", "overcoming memory bottlenecks by"),
    ("a key workload imbal- ance due to", "a key workload imbalance due to"),
    ("extended to non- LSTM RNNs", "extended to non-LSTM RNNs"),
    ("state-of-the- art results", "state-of-the-art results"),
    ("we pre- train; pre-train is cheap", "we pre-train; pre-train is cheap"),
    ("knowledge-intensive zero- and few-shot learning", "knowledge-intensive zero- and few-shot learning"),
    ("a compute- and memory-efficient tensor", "a compute- and memory-efficient tensor"),
    ("single- or multi-GPU systems, x86- and ARM-based", "single- or multi-GPU systems, x86- and ARM-based"),
    # TeX commands glued to numbers.
    ("saves memory up to 3times and 1.5-2.7times", "saves memory up to 3× and 1.5-2.7×"),
    ("by 1.1sim14.6times, sim3x, Mixtral-8times7B", "by 1.1∼14.6×, ∼3x, Mixtral-8×7B"),
    ("over 10 times less, at times", "over 10 times less, at times"),
    ("{g(1),g(2),ldots,g(J)}", "{g(1),g(2),…,g(J)}"),
    # Web addresses out of \url, \href and braces.
    ("Code is available at url{http://github.com/czg1225/SlimSAM}.",
     "Code is available at http://github.com/czg1225/SlimSAM."),
    ("at https://github.com/sail-sg/zero-bubble{this url}.", "at https://github.com/sail-sg/zero-bubble."),
    ("at https://a.github.io/{https://a.github.io/}.", "at https://a.github.io/."),
    ("at {footnotesizeblue{https://github.com/microsoft/SPTAG}}.", "at https://github.com/microsoft/SPTAG."),
    ("at {{https://github.com/giangdip2410/HyperRouter}}.", "at https://github.com/giangdip2410/HyperRouter."),
    ("see https://x.org/a_1/{b}_c^2 there", "see https://x.org/a_1/{b}_c^2 there"),
    # What lost \frac, braces and scripts leave.
    ("roughly 2{3} of the parameters", "roughly 2/3 of the parameters"),
    ("via ell_1{ell_2} surrogates", "via $\\ell_1$/$\\ell_2$ surrogates"),
    ("We introduce {De}coupled {Mo}mentum", "We introduce Decoupled Momentum"),
    ("scaling factor {gamma}.", "scaling factor γ."),
    ("S^{2}FT, (S^2), D^2LPM, G_{stack}, k_{ast}, d^{-1}",
     "$S^{2}$FT, ($S^2$), $D^2$LPM, $G_{stack}$, $k_{\\ast}$, $d^{-1}$"),
    ("eta_1=Theta_d(1) and lambda_1=0", "$\\eta_1$=$\\Theta_d$(1) and $\\lambda_1$=0"),
    ("MPI_Send, block_lse and fp6_llm stay", "MPI_Send, block_lse and fp6_llm stay"),
    ("real math $x^{2}$ stays, 2{3} too: $a{b}$", "real math $x^{2}$ stays, 2/3 too: $a{b}$"),
])
def test_a_dump_s_damage_is_undone_by_rule(dump, clean):
    assert repair_text(dump) == clean


@SETTINGS
@given(clean_texts)
@example("S^{2}FT 5times url{https://x.org/a_b} bottle- necks {De}coupled")
def test_repairing_twice_changes_nothing_more(text):
    once = repair_text(text)
    assert repair_text(once) == once
    # The math it writes is math the renderer finds: no dollar is left unpaired.
    outside = MATH_RE.sub("", once).replace("\\$", "")
    assert outside.count("$") == MATH_RE.sub("", text).replace("\\$", "").count("$")


def test_a_suspended_hyphen_needs_no_hyphenated_word_after_it():
    assert join_broken_words("pre- and post training") == "pre- and post training"


def _page(**fields) -> Paper:
    paper = Paper(title="S^{2}FT: Sparse", abstract="memory bottle- necks and 3times less", slug="s2ft",
                  sources=[SourceRef("d.txt", 1)], **fields)
    paper.body = md_escape(paper.abstract) + "\n"
    return paper


def test_text_ingest_wrote_takes_the_rules_and_a_persons_edit_is_kept():
    incoming = Paper(title=repair_text("S^{2}FT: Sparse"), abstract=repair_text("memory bottle- necks and 3times less"),
                     sources=[SourceRef("d.txt", 1)])
    untouched = fill_page(_page(), incoming)
    assert untouched.title == "$S^{2}$FT: Sparse" and untouched.abstract == "memory bottlenecks and 3× less"
    assert untouched.body == ""  # rendered from the new abstract
    edited = _page()
    edited.abstract = "Memory bottle- necks, and 3times less (my words)."
    edited.body = md_escape(edited.abstract) + "\n"
    edited.title = "S2FT: Sparse (the authors' spelling)"
    kept = fill_page(edited, incoming)
    assert (kept.title, kept.abstract, kept.body) == (edited.title, edited.abstract, edited.body)
    extended = _page()
    extended.body += "\n## My notes\n\nRead this.\n"  # the abstract paragraph as ingest wrote it, plus notes
    assert fill_page(extended, incoming).body == extended.body


def test_no_committed_page_holds_a_leftover_of_those_kinds():
    """content/papers/: ingest applied the rules to every page it wrote (and nobody
    edited since); a page the rules would still change is a leftover."""
    leftovers = []
    for path in sorted((REPO / "content" / "papers").glob("*.md")):
        paper = paper_from_page(path.read_text(encoding="utf-8"), path.name, path.stem)
        for field in ("title", "abstract"):
            text = getattr(paper, field)
            if repair_text(text) != text:
                leftovers.append(f"{path.name}: {field}")
            prose = MATH_RE.sub(" ", text)
            for kind in (r"\d(?:times|sim)\b", r"\b(?:url|href)\{", r"\b(?!(?:and|or|to)\b)\w+- (?!(?:and|or|to)\b)[a-z]",
                         r"(?<![\w{])\{[A-Za-z]+\}[a-z]", r"\b[A-Za-z][_^]\{"):
                if re.search(kind, prose):
                    leftovers.append(f"{path.name}: {field} has {kind}")
    assert leftovers == []
