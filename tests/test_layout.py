"""The package's shape: a package per pipeline stage, imports pointing down, no circle."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "scripts" / "readinglist"

# Each part of the package, and the parts it may import (besides itself).  Lower
# layers never import higher ones: a newcomer can read from the bottom up.
ALLOWED = {
    "paper": set(),
    "text": set(),
    "curate": {"paper", "text"},
    "page": {"paper", "text", "curate"},
    "store": {"paper", "text", "curate", "page"},
    "catalog": {"paper", "text", "curate", "page", "store"},
    "ingest": {"paper", "text", "curate", "page", "store", "catalog"},
    # enrich: pages meet the scholarly services (arXiv, OpenAlex, Hugging Face); beside ingest,
    # never imported by it: the two fill pages from different places and meet only in the store.
    "enrich": {"paper", "text", "curate", "page", "store", "catalog"},
    "site": {"paper", "text", "curate", "page", "store", "catalog"},
    "tools": {"paper", "text", "curate", "page", "store", "catalog", "ingest", "enrich", "site"},
    "bench": {"paper", "text", "curate", "page", "store", "catalog", "ingest", "site"},
    "cli": {"paper", "text", "curate", "page", "store", "catalog", "ingest", "enrich", "site", "tools", "bench"},
    "__main__": {"cli"},
}


def part_of(module: str) -> str:
    """'readinglist.site.build' -> 'site'."""
    return module.split(".")[1] if module.count(".") else module


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts)
        found[name.removesuffix(".__init__")] = path
    KNOWN.update(found)
    return found


KNOWN: set[str] = set()


def imports_of(path: Path, name: str) -> set[str]:
    """The readinglist modules a module imports (absolute, wherever the import stands)."""
    out = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")[: -node.level] if not path.name == "__init__.py" else name.split(".")
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("readinglist"):
                for alias in node.names:  # `from readinglist.ingest import noop` imports a module
                    sub = f"{target}.{alias.name}"
                    out.add(sub if sub in KNOWN else target)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names if alias.name.startswith("readinglist"))
    return out


def test_the_folder_listing_shows_the_stages():
    parts = {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert parts == {"ingest", "enrich", "curate", "page", "site", "tools", "bench"}
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "__main__", "paper", "text", "store", "catalog", "cli"}


def test_imports_point_down():
    wrong = []
    for name, path in modules().items():
        here = part_of(name)
        for target in imports_of(path, name):
            there = part_of(target)
            if there != here and there not in ALLOWED.get(here, set()):
                wrong.append(f"{name} imports {target} ({here} -> {there})")
    assert not wrong, "\n".join(wrong)


def test_no_import_circle():
    mods = modules()
    graph = {name: {t for t in imports_of(path, name) if t in mods and t != name} for name, path in mods.items()}
    seen, stack, circles = set(), [], []

    def visit(node):
        if node in stack:
            circles.append(" -> ".join(stack[stack.index(node):] + [node]))
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for nxt in sorted(graph[node]):
            visit(nxt)
        stack.pop()

    for node in sorted(graph):
        visit(node)
    assert not circles, "\n".join(circles)


# Only the store touches the project's files (reading, writing, listing).  The
# benchmark's throwaway workspaces go through one helper of the bench.
DISK = re.compile(r"(?<!store)\.(read_text|read_bytes|write_text|write_bytes|iterdir|glob|rglob|mkdir|unlink|stat)\(|"
                  r"(?<![.\w])open\(|shutil\.(?!which)|os\.(remove|rename|replace|makedirs|listdir|scandir|walk)\(")


def test_only_the_store_touches_the_disk():
    wrong = []
    for name, path in modules().items():
        if name in ("readinglist.store", "readinglist.bench.workspace"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if DISK.search(code):
                wrong.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not wrong, "\n".join(wrong)


def test_the_papers_fields_are_declared_once():
    """paper.FIELDS is the one list: the Paper type, pages, checks and exports all follow it."""
    import dataclasses
    import datetime as dt

    from readinglist.page.markdown import paper_from_page, render_paper_page
    from readinglist.page.validate import _CHECKS, KINDS
    from readinglist.paper import FIELD_ORDER, FIELDS, Paper, Provenance, SourceRef
    from readinglist.site.exports import COLUMNS

    attributes = {f.name for f in dataclasses.fields(Paper)}
    assert set(FIELD_ORDER) <= attributes
    assert {f.kind for f in FIELDS} <= set(_CHECKS) and set(KINDS) == set(FIELD_ORDER)
    assert [c for c, _ in COLUMNS if c in FIELD_ORDER] == [f.name for f in FIELDS if f.exported]
    values = {"title": "T", "authors": ["A B"], "et_al": True, "author_count": 3, "organization": "O",
              "date": dt.date(2024, 1, 2), "published": dt.date(2023, 12, 30), "year": 2023, "venue": "V",
              "arxiv_category": "cs.LG", "arxiv_id": "2401.00001", "doi": "10.1/x", "paper_url": "https://e.org/p",
              "code_url": "https://github.com/a/b", "upvotes": 0, "has_code": False, "topics": ["quantization"],
              "topics_curated": True, "sources": [SourceRef("d.txt", 3)],
              "enriched": {"doi": Provenance("openalex", dt.date(2024, 2, 1))}}
    assert set(values) == set(FIELD_ORDER), "a field was added: give it a value here"
    paper = Paper(**values, abstract="An abstract.", slug="t")
    back = paper_from_page(render_paper_page(paper), "content/papers/t.md", "t")
    assert all(getattr(back, name) == value for name, value in values.items())


def test_a_second_build_in_one_process_sees_the_edit(tmp_path):
    """No state survives a build in a module global: what a live preview needs."""
    import shutil

    from conftest import make_project
    from readinglist.site.build import run_build
    from readinglist.store import Project

    root = make_project(tmp_path / "proj", copy_pages=True)
    project = Project(root)
    slug = "flexgen-high-throughput-generative-inference-of-large-language-models-with-a"
    page = root / "content" / "papers" / f"{slug}.md"
    assert run_build(project, strict=True, site_dir=str(tmp_path / "one")) == 0
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("title: 'FlexGen:", "title: 'FlexGenEdited:").replace(
        "- llm-serving", "- hardware"), encoding="utf-8")
    assert "FlexGenEdited" in page.read_text(encoding="utf-8")
    assert run_build(project, strict=True, site_dir=str(tmp_path / "two")) == 0
    paper = (tmp_path / "two" / "papers" / slug / "index.html").read_text(encoding="utf-8")
    assert "FlexGenEdited" in paper and "FlexGenEdited" not in (
        tmp_path / "one" / "papers" / slug / "index.html").read_text(encoding="utf-8")
    topic = (tmp_path / "two" / "topics" / "hardware" / "index.html").read_text(encoding="utf-8")
    assert "FlexGenEdited" in topic
    index = (tmp_path / "two" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "FlexGenEdited" in index
    shutil.rmtree(tmp_path / "one")


def test_no_duplicated_code():
    """pylint's duplicate-code check: a piece of logic lives in one place (runs in `make test`)."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "pylint", "--disable=all", "--enable=duplicate-code",
                             "--min-similarity-lines=6", "--score=n", str(PACKAGE)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
