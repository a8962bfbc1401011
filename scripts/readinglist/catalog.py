"""The catalog: every paper page read, checked and parsed once.

Ingest, build, check, search and the bench all start from the same pages.
This is the one place that reads them (through the store), splits each into
front matter and body once, checks it (page/validate.py) and turns it into a
Paper (page/markdown.py).  Each consumer then applies its own policy to the
same entries: ingest leaves any page with a problem alone, the site leaves
out only what would be unsafe to show, check reports everything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any, Optional

from readinglist import store
from readinglist.curate.classify import Taxonomy
from readinglist.page.markdown import PageError, paper_from_parts, split_page
from readinglist.page.validate import file_problems, validate_parts
from readinglist.paper import Paper, Problem, SourceRef
from readinglist.text import title_key

# Problems a page can have and still be shown: a contributor's slip, nothing that could break it.
SHOWABLE = ("unknown key", "unknown topic")


@dataclass
class Page:
    """One page as read: its text, the Paper it describes (None if unreadable), its problems."""

    slug: str
    text: str
    paper: Optional[Paper]
    problems: list[Problem]

    @property
    def path(self) -> str:
        return f"content/papers/{self.slug}.md"

    @property
    def blocking(self) -> list[Problem]:
        """Problems that keep the page out of the site."""
        if self.paper is None:
            return self.problems
        return [p for p in self.problems if not p.message.startswith(SHOWABLE)]


def read_page(slug: str, text: "str | Problem", taxonomy: Optional[Taxonomy]) -> Page:
    """Check and parse one page's text (its front matter is parsed once).

    `text` is the Problem the store met instead when the page is no file it could read.
    """
    path = f"content/papers/{slug}.md"
    if isinstance(text, Problem):
        return Page(slug, "", None, [text])
    problems = file_problems(text, path, slug)
    try:
        meta, body, body_line = split_page(text, path)
    except PageError as exc:
        return Page(slug, text, None, problems + exc.problems)
    problems += validate_parts(text, meta, body, body_line, path, taxonomy)
    return Page(slug, text, paper_from_parts(meta, body, slug), problems)


@dataclass
class Catalog:
    pages: dict[str, Page] = field(default_factory=dict)  # by slug, in slug order

    @classmethod
    def load(cls, project: store.Project, taxonomy: Optional[Taxonomy]) -> "Catalog":
        """Every page, read; parsed and checked unless a previous load did it for the same
        text, taxonomy and code (build/cache/catalog.json, an ignored file: a memo
        that does not read back is ignored, a fresh clone simply parses everything)."""
        texts = store.read_pages(project.papers, project)
        key = memo_key(taxonomy)
        kept = store.read_json_or_none(project.cache / CATALOG_MEMO, store.MAX_PRODUCT_BYTES)
        entries = kept["entries"] if isinstance(kept, dict) and kept.get("key") == key \
            and isinstance(kept.get("entries"), dict) else {}
        pages: dict[str, Page] = {}
        used: dict[str, list] = {}
        # Slug order, not file-name order ("a-b.md" sorts before "a.md", "a" before "a-b"):
        # the live preview re-sorts by slug after an edit and must see the same order.
        for slug, text in sorted(texts.items()):
            if isinstance(text, Problem):  # no file the store could read: nothing to remember
                pages[slug] = read_page(slug, text, taxonomy)
                continue
            digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            hit = entries.get(slug)
            page = page_from_json(slug, text, hit[1]) if isinstance(hit, list) and len(hit) == 2 \
                and hit[0] == digest else None
            if page is None:
                page = read_page(slug, text, taxonomy)
                encoded = page_to_json(page)
            else:
                encoded = hit[1]
            if encoded is not None:
                used[slug] = [digest, encoded]
            pages[slug] = page
        if used != entries:
            store.write_cache(project.cache / CATALOG_MEMO, json.dumps({"key": key, "entries": used},
                                                                        ensure_ascii=False))
        return cls(pages)

    def clean(self) -> dict[str, Paper]:
        """Papers of pages with no problem at all (the ones ingest may update)."""
        return {slug: p.paper for slug, p in self.pages.items() if p.paper is not None and not p.problems}

    def readable(self) -> dict[str, Paper]:
        """Papers of every page whose front matter could be read."""
        return {slug: p.paper for slug, p in self.pages.items() if p.paper is not None}

    def showable(self) -> list[Paper]:
        """Papers the site shows: readable, and nothing that could break their page."""
        return [p.paper for p in self.pages.values() if p.paper is not None and not p.blocking]


CATALOG_MEMO = "catalog.json"
# What a page's parse and check depend on besides its text: this code and the topic ids.
_PAGE_CODE = ("page", "paper.py", "text.py", "catalog.py")


def memo_key(taxonomy: Optional[Taxonomy]) -> str:
    topics = sorted(t.id for t in taxonomy.topics) if taxonomy is not None else None
    return hashlib.sha256(json.dumps([store.package_digest(_PAGE_CODE), topics]).encode()).hexdigest()


def _encode(value: Any) -> Any:
    """A Paper's values as JSON; TypeError for anything else (the page is then not memoized)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, SourceRef):
        return {"$source": [value.file, value.line]}
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) and not k.startswith("$") for k in value):
        return {k: _encode(v) for k, v in value.items()}
    raise TypeError(type(value).__name__)


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"$source"}:
            return SourceRef(*value["$source"])
        if set(value) == {"$date"}:
            return dt.date.fromisoformat(value["$date"])
        return {k: _decode(v) for k, v in value.items()}
    return value


def page_to_json(page: Page) -> Optional[dict]:
    try:
        paper = None if page.paper is None else {f.name: _encode(getattr(page.paper, f.name))
                                                 for f in fields(Paper)}
    except TypeError:
        return None
    return {"paper": paper, "problems": [[p.path, p.line, p.message] for p in page.problems]}


def page_from_json(slug: str, text: str, data: Any) -> Optional[Page]:
    try:
        paper = None if data["paper"] is None else Paper(**{k: _decode(v) for k, v in data["paper"].items()})
        problems = [Problem(str(a), int(b), str(c)) for a, b, c in data["problems"]]
    except (KeyError, TypeError, ValueError):
        return None
    if paper is not None and paper.slug != slug:
        return None
    return Page(slug, text, paper, problems)


def duplicate_titles(papers: list[Paper]) -> list[Problem]:
    """Pages whose titles are the same paper up to case and punctuation (tools/check.py finds near ones too)."""
    first: dict[str, str] = {}
    problems = []
    for paper in sorted(papers, key=lambda p: p.slug):
        key = title_key(paper.title)
        if key in first:
            problems.append(Problem(f"content/papers/{paper.slug}.md", 0,
                                    f"has the same title as content/papers/{first[key]}.md (one paper, one page: "
                                    "merge the two and delete one)"))
        else:
            first[key] = paper.slug
    return problems
