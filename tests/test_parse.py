"""Golden tests for the parser: each tests/golden/parse/<case>.txt has a
<case>.expected.json beside it (regenerate with READINGLIST_UPDATE_GOLDEN=1
and review the diff)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from conftest import GOLDEN, UPDATE_GOLDEN
from readinglist.ingest.normalize import record_from_raw
from readinglist.ingest.parse import FormatError, parse_dump, split_title_authors

CASES = sorted((GOLDEN / "parse").glob("*.txt"))
CAPTURED = {"org_listing": "2026-05-30", "daily_papers": "2025-12-03"}


def _result(path):
    text = path.read_text(encoding="utf-8")
    captured = CAPTURED.get(path.stem)
    parsed = parse_dump(text, path.name)
    records, problems = [], [str(p) for p in parsed.problems]
    for raw in parsed.records:
        record, extra = record_from_raw(raw, path.name, dt.date.fromisoformat(captured) if captured else None)
        problems += [str(p) for p in extra]
        data = dataclasses.asdict(record)
        data["source"] = str(record.source)
        data["date"] = record.date.isoformat() if record.date else None
        records.append(data)
    return {"captured": captured, "format": parsed.format, "chrome_lines": parsed.chrome_lines,
            "records": records, "problems": problems}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_parse_matches_golden(case):
    expected_path = case.with_suffix(".expected.json")
    actual = _result(case)
    if UPDATE_GOLDEN:
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert expected_path.exists(), f"missing {expected_path.name}: run with READINGLIST_UPDATE_GOLDEN=1"
    assert actual == json.loads(expected_path.read_text(encoding="utf-8"))


def test_every_format_has_a_golden_case():
    formats = {_result(case)["format"] for case in CASES}
    assert formats == {"org-listing", "daily-papers", "line-pairs", "blank-pairs"}


@pytest.mark.parametrize("line, title, authors, et_al, org", [
    ("Scaling Vision-Language Models with Sparse Mixture of ExpertsSheng Shen, Zhewei Yao, Chunyuan Li et al. · berkeley",
     "Scaling Vision-Language Models with Sparse Mixture of Experts", ["Sheng Shen", "Zhewei Yao", "Chunyuan Li"], True, "berkeley"),
    ("DeepSpeed4Science Initiative: Enabling Large-Scale Scientific Discovery through Sophisticated AI System TechnologiesShuaiwen Leon Song, Bonnie Kruft et al.",
     "DeepSpeed4Science Initiative: Enabling Large-Scale Scientific Discovery through Sophisticated AI System Technologies",
     ["Shuaiwen Leon Song", "Bonnie Kruft"], True, None),
    ("RenAIssance: A Survey into AI Text-to-Image Generation in the Era of Large ModelFengxiang Bie, Yibo Yang",
     "RenAIssance: A Survey into AI Text-to-Image Generation in the Era of Large Model", ["Fengxiang Bie", "Yibo Yang"], False, None),
    ("Arctic Inference: Fast Inference System for Enterprise AISamyam Rajbhandari, Mert Hidayetoglu",
     "Arctic Inference: Fast Inference System for Enterprise AI", ["Samyam Rajbhandari", "Mert Hidayetoglu"], False, None),
    ("Are All the Denoising Steps Important?Pareesa Ameneh Golnari, Zhewei Yao, Yuxiong He",
     "Are All the Denoising Steps Important?", ["Pareesa Ameneh Golnari", "Zhewei Yao", "Yuxiong He"], False, None),
    ("Learning to Self-EvolveXiaoyin Chen, Canwen Xu et al.", "Learning to Self-Evolve", ["Xiaoyin Chen", "Canwen Xu"], True, None),
    ("ZeroQuant(4+2): Redefining LLMs QuantizationXiaoxia Wu, Haojun Xia et al. · microsoft-research",
     "ZeroQuant(4+2): Redefining LLMs Quantization", ["Xiaoxia Wu", "Haojun Xia"], True, "microsoft-research"),
    ("Efficient Training with LoRAJ. Smith, Ann Lee", "Efficient Training with LoRA", ["J. Smith", "Ann Lee"], False, None),
    ("DySkew: Snowpark UDF ExecutionChenwei Xie, Corbin McElhanney et al.", "DySkew: Snowpark UDF Execution",
     ["Chenwei Xie", "Corbin McElhanney"], True, None),
])
def test_hard_title_author_splits(line, title, authors, et_al, org):
    assert split_title_authors(line) == (title, authors, et_al, org)


def test_unsplittable_line_is_reported_not_guessed():
    assert split_title_authors("all lower case title and no authors") is None


@pytest.mark.parametrize("text, reason", [
    ("", "empty"),
    ("just one short line\n", "no paper abstracts"),
    ("a,b,c\n1,2,3\n4,5,6\n", "no paper abstracts"),
])
def test_unknown_formats_are_refused(text, reason):
    with pytest.raises(FormatError, match=reason):
        parse_dump(text, "x.txt")
