"""Hostile and broken input: every dump in tests/hostile/ gives the messages
beside it, never a traceback, and every good record in it becomes a page that
`readinglist check` accepts.  Also: YAML-hostile values, size and speed limits,
and the safe YAML loader."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import UPDATE_GOLDEN, make_project, run_guarded
from readinglist.store import load_taxonomy
from readinglist.text import clean_text
from readinglist.ingest.normalize import record_from_raw
from readinglist.paper import InputError
from readinglist.ingest.parse import FormatError, parse_dump, split_title_authors
from readinglist.text import md_escape
from readinglist.page.markdown import PageError, paper_from_page, render_paper_page
from readinglist.store import Project, decode_dump
from readinglist.page.validate import validate_page

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = sorted(p for p in HOSTILE.iterdir()
               if p.is_file() and not p.name.endswith(".expected.txt") and p.name != "README.md")
CAPTURED = "2025-12-03"


def ingest_alone(root: Path, name: str, data: bytes):
    """Ingest one dump, as a user would, under the hostile tests' guard (conftest.run_guarded)."""
    make_project(root, dumps={name: data}, manifest=f"dumps:\n  - file: {name}\n    captured: {CAPTURED}\n")
    return run_guarded(root, "ingest")


def transcript(result) -> str:
    return (f"exit {result.returncode}\n--- stderr\n{result.stderr}"
            f"--- stdout\n{result.stdout}")


def pages(root: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((root / "content" / "papers").glob("*.md"))}


def titles_the_parser_finds(case: Path) -> set[str]:
    """Titles of every record with something to show: the pages ingest must write."""
    try:
        text, _ = decode_dump(case.read_bytes(), case.name)
        parsed = parse_dump(text, case.name)
    except (InputError, FormatError):
        return set()
    titles = set()
    for raw in parsed.records:
        record, _ = record_from_raw(raw, case.name, None)
        if record.title and record.abstract:
            titles.add(record.title)
    return titles


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_hostile_dump(tmp_path, case):
    root = tmp_path / "proj"
    result = ingest_alone(root, case.name, case.read_bytes())
    actual = transcript(result)
    expected_path = case.with_suffix(".expected.txt")
    if UPDATE_GOLDEN:
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.exists(), f"missing {expected_path.name}: run with READINGLIST_UPDATE_GOLDEN=1"
    assert actual == expected_path.read_text(encoding="utf-8")
    assert "Traceback" not in result.stderr and result.returncode in (0, 1)

    # No paper lost: every record the parser found is a page, and check
    # accepts every page ingest wrote (so the build shows them all).
    written = pages(root)
    taxonomy = load_taxonomy(Project(root))
    for slug, text in written.items():
        assert validate_page(text, f"content/papers/{slug}.md", slug, taxonomy) == []
    assert {paper_from_page(t, s, s).title for s, t in written.items()} == titles_the_parser_finds(case)


def test_every_case_has_an_expected_file():
    expected = {p.name for p in HOSTILE.glob("*.expected.txt")}
    assert expected == {c.with_suffix(".expected.txt").name for c in CASES}


def test_yaml_hostile_titles_round_trip_exactly(tmp_path):
    case = HOSTILE / "yaml_titles.txt"
    root = tmp_path / "proj"
    assert ingest_alone(root, case.name, case.read_bytes()).returncode == 0
    lines = case.read_text(encoding="utf-8").split("\n")
    dumped = {clean_text(t) for t in lines[0::2] if t}
    assert len(dumped) == 33
    back = {paper_from_page(t, s, s).title for s, t in pages(root).items()}
    assert back == dumped
    assert {"Title: With Colon", "yes", "null", "2310.10000", "~", "@at", "---", "2024-01-01",
            '&anchor *alias !!python/object/apply:os.system ["touch pwned"]'} <= back
    assert not (root / "pwned").exists()


@pytest.mark.parametrize("value", [
    "Title: With Colon", "--- dashes", "---", "...", "'single' \"double\"", "# hash", "a #comment",
    "&anchor *alias", "!!python/object/apply:os.system [\"touch pwned\"]", "- leading dash", "yes", "No",
    "null", "~", "2310.10000", "1e5", "0x1F", "12:30:00", "2024-01-01", "@at", "%YAML", "? q", "{a: b}",
    "[1, 2]", "| block", "> folded", "<<: *merge", "\\$5", "tab\there", "é “quotes”",
])
def test_front_matter_values_come_back_as_written(value):
    from readinglist.paper import Paper
    clean = clean_text(value)
    paper = Paper(title=clean, abstract=clean, authors=[clean, "Ann Lee"], organization=clean,
                  topics=["other"], slug="x")
    back = paper_from_page(render_paper_page(paper), "x.md", "x")
    assert (back.title, back.abstract, back.authors, back.organization) == (clean, clean, [clean, "Ann Lee"], clean)


@pytest.mark.parametrize("front", [
    'title: !!python/object/apply:os.system ["touch PWNED"]',
    "title: Fine\nnote: !!python/object/new:os.system [touch PWNED]",
    "title: Fine\nnote: !!python/name:os.system",
])
def test_python_yaml_tags_are_reported_never_run(tmp_path, front):
    root = make_project(tmp_path / "proj")
    page = root / "content" / "papers" / "tagged.md"
    page.write_text(f"---\n{front}\ntopics:\n- other\n---\n\nAn abstract.\n", encoding="utf-8")
    problems = validate_page(page.read_text(), "content/papers/tagged.md", "tagged", None)
    assert problems and "could not determine a constructor" in problems[0].message
    result = run_guarded(root, "build", "--no-strict")
    assert "error: content/papers/tagged.md:" in result.stderr
    assert "content/papers/tagged.md left out of the site until fixed" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(root.rglob("PWNED")) and not list(Path.cwd().glob("PWNED"))


def test_yaml_alias_bomb_is_reported_quickly():
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi"):
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    page = f"---\ntitle: Bomb\n{bomb}author_count: *i\ntopics: *i\n---\n\nAn abstract.\n"
    start = time.perf_counter()
    problems = validate_page(page, "content/papers/bomb.md", "bomb", None)
    assert time.perf_counter() - start < 2
    # Refused at its first alias: no value is ever built from it (tests/test_hostile_pages.py has more).
    assert [str(p) for p in problems] == [
        "content/papers/bomb.md:4: front matter uses the YAML alias `*a` (aliases and merge keys are not read: "
        "write the value out)"]
    with pytest.raises(PageError):
        paper_from_page(page, "bomb.md", "bomb")


# --------------------------------------------------------------------------- size and speed


def _timed(func, *args):
    start = time.perf_counter()
    value = func(*args)
    return value, time.perf_counter() - start


@pytest.mark.parametrize("line", [
    "A" * 3_000_000,
    "Ab Cd, " * 430_000,
    "Title" + "Ab Cd, " * 430_000 + "Ab Cd",
    "TitleAb Cd, " * 250_000,
    "Subscribe" * 330_000,
], ids=["one-word", "name-list", "title-then-names", "title-like-names", "glued-chrome"])
def test_a_3mb_single_line_parses_fast(line):
    assert len(line) >= 2_900_000
    _, seconds = _timed(split_title_authors, line)
    assert seconds < 5, f"split_title_authors took {seconds:.1f}s"
    header = "LGMay 30, 2025Code\n"
    _, seconds = _timed(parse_dump, header + line + "\n" + "An abstract. " * 20 + "\n", "big.txt")
    assert seconds < 10, f"parse took {seconds:.1f}s"


def test_a_3mb_abstract_cleans_and_escapes_fast():
    abstract = ("Sparse $x^2$ attention <b>tags</b> [links](javascript:x) {braces} | pipes * $ stray "
                "\\textbf{bold} {\\'e} \\% quantization pruning distillation ") * 30_000
    clean, seconds = _timed(clean_text, abstract)
    assert seconds < 20, f"clean_text took {seconds:.1f}s"
    _, seconds = _timed(md_escape, clean)
    assert seconds < 10, f"md_escape took {seconds:.1f}s"


def test_classifying_a_3mb_abstract_is_linear():
    """Topic terms repeated tens of thousands of times: counting their matches must not be quadratic."""
    from readinglist.curate.classify import classify
    taxonomy = load_taxonomy(Project(Path(__file__).resolve().parents[1]))
    huge = ("We quantize and prune sparse attention kernels with knowledge distillation, "
            "mixture of experts routing and speculative decoding for LLM serving. ") * 21_000
    _, seconds = _timed(classify, "A Paper", huge, taxonomy)
    assert seconds < 20, f"classify took {seconds:.1f}s"


def _filler(i: int) -> tuple[str, str]:
    return (f"Efficient Sparse Model Number {i} for Fast Inference",
            f"We study model {i}: sparse attention, quantization and pruning for fast inference, "
            f"with experiments on many benchmarks and ablations of every part of method {i}.")


def test_a_100000_line_dump_parses_in_linear_time():
    lines = [part for i in range(50_000) for part in _filler(i)]
    text = "\n".join(lines) + "\n"
    assert text.count("\n") == 100_000
    parsed, seconds = _timed(parse_dump, text, "big.txt")
    assert parsed.format == "line-pairs" and len(parsed.records) == 50_000
    assert seconds < 20, f"parse of 100,000 lines took {seconds:.1f}s"
    start = time.perf_counter()
    for raw in parsed.records:
        record_from_raw(raw, "big.txt", None)
    assert time.perf_counter() - start < 60


@pytest.mark.slow
def test_ingest_of_a_3mb_abstract_is_bounded(tmp_path):
    """End to end, including classification: repeated topic terms must not make it quadratic."""
    huge = ("We quantize and prune sparse attention kernels with knowledge distillation, "
            "mixture of experts routing and speculative decoding for LLM serving. ") * 21_000
    assert len(huge) > 3_000_000
    title, abstract = _filler(1)
    dump = f"A Paper With a Huge Abstract\n\n{huge}\n\n{title}\n\n{abstract}\n"
    start = time.perf_counter()
    result = ingest_alone(tmp_path / "proj", "huge.txt", dump.encode())
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stderr
    assert "records read: 2; pages new: 2" in result.stdout
    assert seconds < 60, f"ingest took {seconds:.1f}s"
    page = (tmp_path / "proj" / "content" / "papers" / "a-paper-with-a-huge-abstract.md").read_text()
    assert len(page) > 3_000_000
