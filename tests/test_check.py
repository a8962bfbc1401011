"""`check`, `add` and `search`: what a contributor sees for each mistake."""

from __future__ import annotations

import datetime as dt

import re

import pytest

from conftest import make_project, run_cli
from readinglist.cli import build_parser

GOOD = """---
title: A Good Paper About Quantization
authors:
- Ann Lee
date: 2024-05-30
topics:
- quantization
topics_curated: true
---

We quantize weights to INT4 with post-training quantization and lose nothing.
"""


@pytest.fixture
def pages_project(tmp_path):
    root = make_project(tmp_path / "proj")

    def write(name: str, text: str):
        (root / "content" / "papers" / name).write_text(text, encoding="utf-8")
        return root
    write("a-good-paper-about-quantization.md", GOOD)
    return root, write


def check(root, *args):
    result = run_cli(root, "check", *args)
    assert "Traceback" not in result.stderr + result.stdout
    return result


def test_clean_pages_pass(pages_project):
    root, _ = pages_project
    result = check(root)
    assert result.returncode == 0 and "all pages are fine" in result.stdout


BROKEN = [
    ("no front matter", "Just an abstract.\n", 1, "the page has no front matter"),
    ("bad yaml", "---\ntitle: Colon: Inside\n---\n\nText here.\n", 2, "front matter is not valid YAML"),
    ("python tag", "---\ntitle: !!python/object/apply:os.system ['true']\n---\n\nText.\n", 2, "front matter is not valid YAML"),
    ("missing title", "---\nauthors: [A B]\n---\n\nText.\n", 1, "required key `title:` is missing"),
    ("unknown key", "---\ntitle: T One\ntitel: T\n---\n\nText.\n", 3, "unknown key `titel:`"),
    ("empty key", "---\ntitle: T Two\norganization:\n---\n\nText.\n", 3, "`organization:` is empty"),
    ("bad date", "---\ntitle: T Three\ndate: 2024-13-01\n---\n\nText.\n", 3, "looks like a date but is not one"),
    ("bad date string", "---\ntitle: T Three\ndate: 'May 30'\n---\n\nText.\n", 3, "`date:` must be a date like"),
    ("bad category", "---\ntitle: T Four\narxiv_category: CL\n---\n\nText.\n", 3, "`arxiv_category:` must be an arXiv category"),
    ("float arxiv id", "---\ntitle: T Five\narxiv_id: 2310.10000\n---\n\nText.\n", 3, "`arxiv_id:` must be an arXiv identifier"),
    ("string upvotes", "---\ntitle: T Six\nupvotes: '12'\n---\n\nText.\n", 3, "`upvotes:` must be a whole number"),
    ("yes-no flag", "---\ntitle: T Seven\nhas_code: 'yes'\n---\n\nText.\n", 3, "`has_code:` must be true or false"),
    ("authors text", "---\ntitle: T Eight\nauthors: Ann Lee, Bo Chen\n---\n\nText.\n", 3, "`authors:` must be a list of names"),
    ("unknown topic", "---\ntitle: T Nine\ntopics: [quantisation]\n---\n\nText.\n", 3, "unknown topic 'quantisation'"),
    ("repeated topic", "---\ntitle: T Ten\ntopics: [peft, peft]\ntopics_curated: true\n---\n\nText.\n", 3, "lists a topic twice"),
    ("curated no topics", "---\ntitle: T Eleven\ntopics_curated: true\n---\n\nText.\n", 3, "`topics_curated: true` but no `topics:`"),
    ("raw html", "---\ntitle: T Twelve\n---\n\nText <script>alert(1)</script>.\n", 5, "raw HTML in the page"),
    ("js link", "---\ntitle: T Thirteen\n---\n\nSee [this](javascript:alert(1)).\n", 5, "link to 'javascript:alert(1' is not allowed"),
    ("attr handler", "---\ntitle: T Fourteen\n---\n\nText {: onclick=\"x()\" }\n", 5, "attribute list"),
    ("no abstract", "---\ntitle: T Fifteen\n---\n\n## Notes\n", 5, "the page has no abstract"),
    ("not closed", "---\ntitle: T Sixteen\n", 1, ""),
]


@pytest.mark.parametrize("case, text, line, message", BROKEN, ids=[b[0] for b in BROKEN])
def test_each_problem_is_one_clear_line(pages_project, case, text, line, message):
    root, write = pages_project
    write("broken-page.md", text)
    result = check(root)
    assert result.returncode == 1
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("content/papers/broken-page.md")]
    assert lines, result.stdout
    assert any(ln.startswith(f"content/papers/broken-page.md:{line}: ") and message in ln for ln in lines), lines
    # every message says how to fix it
    assert all(re.search(r"\(.+\)$", ln) for ln in lines if message and message in ln), lines


def test_bad_file_name(pages_project):
    root, write = pages_project
    write("Bad_Name.md", GOOD.replace("A Good Paper", "Another Paper"))
    assert "content/papers/Bad_Name.md:1: file name is not a slug" in check(root).stdout


def test_duplicates_exact_and_near(pages_project):
    root, write = pages_project
    write("copy.md", GOOD.replace("A Good Paper About Quantization", "a good paper, about QUANTIZATION!"))
    write("typo.md", GOOD.replace("A Good Paper About Quantization", "A Good Paper About Quantisation"))
    out = check(root).stdout
    assert "content/papers/copy.md:2: has the same title as content/papers/a-good-paper-about-quantization.md" in out
    assert "near-identical title to" in out and "typo.md" in out


def test_filings_that_differ_from_the_rules_are_notes_not_problems(pages_project):
    """A person's filing is never an error: check tells where people and rules differ, and exits 0."""
    root, write = pages_project
    (root / "content" / ".filed-by-rules.yml").write_text(
        "edited-by-hand: [quantization]\nrefiled-by-rules: [quantization]\n", encoding="utf-8")
    uncurated = GOOD.replace("topics_curated: true\n", "")
    write("edited-by-hand.md", uncurated.replace("A Good Paper About Quantization", "Edited By Hand")
          .replace("- quantization", "- hardware"))
    write("refiled-by-rules.md", uncurated.replace("A Good Paper About Quantization", "Speculative Decoding Made Fast")
          .replace("We quantize", "We draft tokens and verify them; we quantize"))
    write("curated.md", GOOD.replace("A Good Paper About Quantization", "Curated But Unlike The Rules")
          .replace("- quantization", "- hardware"))
    result = check(root)
    out = result.stdout
    assert result.returncode == 0, out
    assert "note: content/papers/edited-by-hand.md:6: topics edited by a person: the next ingest keeps them" in out
    assert "note: content/papers/refiled-by-rules.md:6: the rules now file it under" in out
    assert "fast-decoding" in out and "the next ingest re-files it" in out
    assert "note: content/papers/curated.md:6: filed by a person; the rules would file it under quantization" in out
    assert "3 notes above" in out


def test_check_named_pages_only(pages_project):
    root, write = pages_project
    write("broken-page.md", "---\ntitle: T\ntitel: x\n---\n\nText.\n")
    good = check(root, "content/papers/a-good-paper-about-quantization.md")
    assert good.returncode == 0
    assert check(root, "content/papers/broken-page.md").returncode == 1
    missing = check(root, "content/papers/nope.md")
    assert missing.returncode == 2 and "no such page" in missing.stderr


def test_hand_edited_generated_page(pages_project):
    """The docs tree is build output: an edit there is undone by the next build.  A generated
    page an older version left in content/ and someone edited is reported by check."""
    root, _ = pages_project
    assert run_cli(root, "build").returncode == 0
    tree_topic = root / "build" / "docs" / "topics" / "quantization.md"
    made = tree_topic.read_text()
    tree_topic.write_text(made + "\nMy own notes.\n")
    assert run_cli(root, "build").returncode == 0
    assert tree_topic.read_text() == made
    old = root / "content" / "topics" / "quantization.md"
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text(made + "\nMy own notes.\n")
    out = check(root).stdout
    assert "content/topics/quantization.md:1: a generated page was edited by hand" in out


# --------------------------------------------------------------------------- add


def test_add_writes_a_valid_filed_page(pages_project):
    root, _ = pages_project
    result = run_cli(root, "add", "--title", "Medusa: Speculative Decoding with Multiple Decoding Heads",
                     "--abstract", "We accelerate LLM inference with speculative decoding using extra decoding heads.",
                     "--authors", "Tianle Cai, Yuhong Li", "--date", "2024-01-19", "--arxiv-id", "2401.10774")
    assert result.returncode == 0, result.stderr
    page = root / "content" / "papers" / "medusa-speculative-decoding-with-multiple-decoding-heads.md"
    text = page.read_text()
    assert "arxiv_id: '2401.10774'" in text and "- fast-decoding" in text and "- Yuhong Li" in text
    assert "published: 2024-01-19" in text and f"date: {dt.date.today().isoformat()}" in text
    assert check(root).returncode == 0


@pytest.mark.parametrize("title", [
    "A Good Paper About Quantization", "a good paper about quantization.", "A Good Paper: About Quantization!",
    "A Good Paper About Quantisation",
])
def test_add_refuses_a_listed_paper(pages_project, title):
    root, _ = pages_project
    result = run_cli(root, "add", "--title", title, "--abstract", "Anything at all here.")
    assert result.returncode == 1
    assert "is already in the list: content/papers/a-good-paper-about-quantization.md" in result.stderr
    assert len(list((root / "content" / "papers").glob("*.md"))) == 1


def test_add_bibtex_adds_new_and_refuses_listed(pages_project, tmp_path):
    root, _ = pages_project
    bib = tmp_path / "refs.bib"
    bib.write_text("""@misc{lee2024good, title={A {G}ood Paper About Quantization}, author={Lee, Ann}, year={2024},
  abstract={Duplicate of a listed paper.}}
@article{hu2021lora, title={{LoRA}: Low-Rank Adaptation of Large Language Models},
  author={Hu, Edward J. and Shen, Yelong and others}, year={2021}, eprint={2106.09685}, archivePrefix={arXiv},
  primaryClass={cs.CL}, abstract={We propose Low-Rank Adaptation, or LoRA, which freezes the pretrained weights.}}
@misc{noabstract, title={A Paper Without Abstract}, year={2020}}
""")
    result = run_cli(root, "add", "--bibtex", str(bib))
    assert result.returncode == 1
    assert "(lee2024good)" in result.stderr and "is already in the list: content/papers/a-good-paper-about-quantization.md" in result.stderr
    assert "(noabstract)" in result.stderr and "needs an abstract" in result.stderr
    lora = (root / "content" / "papers" / "lora-low-rank-adaptation-of-large-language-models.md").read_text()
    assert "title: 'LoRA: Low-Rank Adaptation of Large Language Models'" in lora
    assert "- Edward J. Hu" in lora and "et_al: true" in lora and "arxiv_id: '2106.09685'" in lora
    assert "published:" not in lora and "year: 2021\n" in lora  # BibTeX gives only the year: no invented day
    assert f"date: {dt.date.today().isoformat()}" in lora  # the day it joined the list
    again = run_cli(root, "add", "--bibtex", str(bib))
    assert "lora-low-rank-adaptation-of-large-language-models.md" in again.stderr


def test_add_bibtex_keeps_year_url_doi_and_eprint(pages_project, tmp_path):
    root, _ = pages_project
    bib = tmp_path / "refs.bib"
    bib.write_text("""@inproceedings{sandler2018mobilenetv2, title={{MobileNetV2}: Inverted Residuals and Linear Bottlenecks},
  author={Sandler, Mark and Howard, Andrew}, year={2018}, month=jun, doi={10.1109/CVPR.2018.00474},
  url={https://openaccess.thecvf.com/content_cvpr_2018/html/Sandler_MobileNetV2_CVPR_2018_paper.html},
  eprint={1801.04381}, abstract={We describe a new mobile architecture, MobileNetV2.}}
@misc{chen2024x, title={A Paper Known by Its arXiv Link}, year={2024}, url={https://arxiv.org/abs/2401.00001v2},
  abstract={Something about sparsity in large language models.}}
""")
    result = run_cli(root, "add", "--bibtex", str(bib))
    assert result.returncode == 0, result.stderr
    mobile = (root / "content" / "papers" / "mobilenetv2-inverted-residuals-and-linear-bottlenecks.md").read_text()
    assert "year: 2018\n" in mobile and "doi: 10.1109/CVPR.2018.00474\n" in mobile
    assert "paper_url: https://openaccess.thecvf.com/content_cvpr_2018/html/" in mobile
    assert "arxiv_id: '1801.04381'" in mobile
    known = (root / "content" / "papers" / "a-paper-known-by-its-arxiv-link.md").read_text()
    assert "arxiv_id: 2401.00001v2" in known or "arxiv_id: '2401.00001v2'" in known
    assert "paper_url" not in known
    assert check(root).returncode == 0


@pytest.mark.parametrize("args, message", [
    (["--title", "X Y Z", "--abstract", "Abc.", "--date", "2024/01/01"], "is not YYYY-MM-DD"),
    (["--title", "X Y Z", "--abstract", "Abc.", "--topics", "nope"], "unknown topic 'nope'"),
    (["--title", "X Y Z", "--abstract", "Abc.", "--arxiv-id", "abc"], "is not like 2106.09685"),
    (["--title", "X Y Z"], "--abstract is required"),
])
def test_add_rejects_bad_input_clearly(pages_project, args, message):
    root, _ = pages_project
    result = run_cli(root, "add", *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- search and help


def test_search_finds_by_title_author_and_abstract(pages_project):
    root, _ = pages_project
    for query in ("good paper", "Ann Lee", "post-training INT4"):
        result = run_cli(root, "search", query)
        assert result.returncode == 0
        assert result.stdout.splitlines()[0].split()[1] == "content/papers/a-good-paper-about-quantization.md"
    missing = run_cli(root, "search", "nonexistentword")
    assert missing.returncode == 1 and "not in the list" in missing.stdout
    punctuation = run_cli(root, "search", "Good: Paper~2 +About")
    assert punctuation.returncode == 0


def test_every_command_has_help_ending_in_an_example():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    assert {"ingest", "build", "serve", "check", "add", "search", "classify"} <= set(subparsers.choices)
    for name, sub in subparsers.choices.items():
        text = sub.format_help()
        assert "example:\n  readinglist " in text, name
        assert text.rstrip().splitlines()[-1].strip().startswith(("readinglist", "--")), name
