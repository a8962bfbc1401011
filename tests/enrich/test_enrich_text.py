"""Title and name normalization, identifiers, code links: the pure helpers."""

from __future__ import annotations

import pytest

from readinglist.enrich.records import bare_doi, code_url, iso_date, split_arxiv_id
from readinglist.enrich.text import normalize_title, same_person, surname, title_numbers, word_difference


@pytest.mark.parametrize("variant", [
    "R$^3$-SQL: Ranking Reward and Resampling for Text-to-SQL",
    "R$^{3}$-SQL: Ranking Reward and Resampling for\n  Text-to-SQL",
    "R<sup>3</sup>-SQL: Ranking Reward and Resampling for Text\u2011to\u2011SQL",
    "R^3-SQL: Ranking Reward and Resampling for Text–to–SQL",
    "R³-SQL:  Ranking Reward &amp; Resampling for Text-to-SQL".replace("&amp;", "and"),
    "r3-sql — ranking reward and resampling for text-to-sql",
])
def test_tex_html_unicode_and_spacing_variants_normalize_alike(variant):
    assert normalize_title(variant) == "r3 sql ranking reward and resampling for text to sql"


def test_quotes_accents_and_tex_commands():
    assert normalize_title("Don’t Stop Pretraining: \\textbf{Adapt} Language Models") == \
        "don t stop pretraining adapt language models"
    assert normalize_title("Tülu 3: Pushing Frontiers") == "tulu 3 pushing frontiers"
    assert normalize_title("$\\alpha$-Entmax") == "alpha entmax"
    assert normalize_title("   ") == ""


def test_digits_are_kept_apart():
    assert title_numbers(normalize_title("The case for 4-bit precision")) == ("4",)
    assert title_numbers(normalize_title("0.1% Data Makes Segment Anything Slim")) == ("0", "1")
    assert title_numbers("llama 2") != title_numbers("llama 3")


@pytest.mark.parametrize("known, found, same", [
    ("Edward J. Hu", "Edward J. Hu", True),
    ("Hu, Edward", "Edward J. Hu", True),
    ("E. Hu", "Edward Hu", True),
    ("Zeyuan Allen-Zhu", "Zeyuan Allen Zhu", True),
    ("Wei Zhang", "Zhang Wei", True),          # given/family order swapped
    ("José García", "Jose Garcia", True),
    ("Ashish Vaswani", "Ravi Decoyan", False),
    ("Yi Tay", "Yi Ma", False),
])
def test_first_author_comparison(known, found, same):
    assert same_person(known, found) is same


def test_surname():
    assert surname("Kaplan, Jared") == "kaplan"
    assert surname("Martin Luther King Jr.") == "king"
    assert surname("") is None


def test_arxiv_ids():
    assert split_arxiv_id("http://arxiv.org/abs/2106.09685v2") == ("2106.09685", 2)
    assert split_arxiv_id("2106.09685") == ("2106.09685", None)
    assert split_arxiv_id("10.48550/arXiv.1801.04381") == ("1801.04381", None)
    assert split_arxiv_id("https://arxiv.org/pdf/1910.04732v2") == ("1910.04732", 2)
    assert split_arxiv_id("http://arxiv.org/abs/hep-ex/0307015v1") == ("hep-ex/0307015", 1)
    assert split_arxiv_id("https://example.org/abs/2106.09685") == (None, None)


def test_dois_are_bare_and_lower_case():
    assert bare_doi("https://doi.org/10.1109/CVPR.2018.00474") == "10.1109/cvpr.2018.00474"
    assert bare_doi("doi:10.18653/v1/2020.emnlp-main.496") == "10.18653/v1/2020.emnlp-main.496"
    assert bare_doi("not a doi") is None and bare_doi(None) is None


def test_dates():
    assert iso_date("2021-06-17T17:37:18Z") == "2021-06-17"
    assert iso_date("2021") is None


@pytest.mark.parametrize("url, kept", [
    ("https://github.com/microsoft/LoRA", "https://github.com/microsoft/LoRA"),
    ("https://github.com/microsoft/LoRA/", "https://github.com/microsoft/LoRA"),
    ("https://gitlab.com/wliu/r3-sql.git", "https://gitlab.com/wliu/r3-sql"),
    ("http://github.com/huawei-noah/Pretrained-Language-Model", None),   # not https
    ("https://github.com/microsoft", None),                               # not a repository
    ("https://example.org/code", None),                                    # not GitHub/GitLab
    ("https://github.com.evil.example/a/b", None),
    ("https://user:pw@github.com/a/b", None),
    ("javascript:alert(1)", None),
    (None, None),
])
def test_code_links(url, kept):
    assert code_url(url) == kept


@pytest.mark.parametrize("known, found, difference", [
    ("Attention Is All You Need", "Attention Is Not All You Need", "“not” added"),
    ("Learning Not to Prune", "Learning to Prune", "“not” missing"),
    ("Sparse Attention for Vision", "Sparse Attention for Video", "“vision” vs “video”"),
    ("QLoRA: Efficient Finetuning", "LQ-LoRA: Efficient Finetuning", "“qlora” vs “lq lora”"),
    ("Towards Efficient Inference", "Toward Efficient Inference", None),
    ("The Lottery Ticket Hypothesis", "Lottery Ticket Hypotheses", None),
    ("Fine-Tuning Language Models", "Finetuning Language Models", None),
    ("Effcient Transformers", "Efficient Transformers", None),          # one typo in a long word
    ("Fast Transformers", "Faster Transformers", "“fast” vs “faster”"),
])
def test_word_difference(known, found, difference):
    assert word_difference(normalize_title(known), normalize_title(found)) == difference
