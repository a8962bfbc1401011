"""The catalog: every paper page read, checked and parsed once.

Ingest, build, check, search and the bench all start from the same pages.
This is the one place that reads them (through the store), splits each into
front matter and body once, checks it (page/validate.py) and turns it into a
Paper (page/markdown.py).  Each consumer then applies its own policy to the
same entries: ingest leaves any page with a problem alone, the site leaves
out only what would be unsafe to show, check reports everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from readinglist import store
from readinglist.curate.classify import Taxonomy
from readinglist.page.markdown import PageError, paper_from_parts, split_page
from readinglist.page.validate import file_problems, validate_parts
from readinglist.paper import Paper, Problem
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


def read_page(slug: str, text: str, taxonomy: Optional[Taxonomy]) -> Page:
    """Check and parse one page's text (its front matter is parsed once)."""
    path = f"content/papers/{slug}.md"
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
        return cls({slug: read_page(slug, text, taxonomy) for slug, text in store.read_pages(project.papers).items()})

    def clean(self) -> dict[str, Paper]:
        """Papers of pages with no problem at all (the ones ingest may update)."""
        return {slug: p.paper for slug, p in self.pages.items() if p.paper is not None and not p.problems}

    def readable(self) -> dict[str, Paper]:
        """Papers of every page whose front matter could be read."""
        return {slug: p.paper for slug, p in self.pages.items() if p.paper is not None}

    def showable(self) -> list[Paper]:
        """Papers the site shows: readable, and nothing that could break their page."""
        return [p.paper for p in self.pages.values() if p.paper is not None and not p.blocking]


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
