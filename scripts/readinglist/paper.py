"""The one record type that flows through every stage of the pipeline.

A dump record (`Record`) is what one occurrence in one dump says about a paper;
a `Paper` is what the list knows after merging every occurrence, and is what a
page under ``content/papers/`` holds.  Fields that no source knows stay ``None``
(or empty) and are left out of the page: we never invent values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

# Front-matter keys in the order they are written to a page.  CONTRIBUTING.md
# documents each one; `check` rejects keys that are not listed here.
FIELD_ORDER = (
    "title",
    "authors",
    "et_al",
    "author_count",
    "organization",
    "date",
    "arxiv_category",
    "arxiv_id",
    "upvotes",
    "has_code",
    "topics",
    "topics_curated",
    "sources",
)


@dataclass(frozen=True, order=True)
class SourceRef:
    """Where a record came from: a dump file name and the 1-based line of its title."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Record:
    """One paper as one dump shows it, already cleaned (see normalize.py)."""

    source: SourceRef
    title: str
    abstract: str
    authors: list[str] = field(default_factory=list)
    et_al: bool = False
    author_count: Optional[int] = None
    organization: Optional[str] = None
    date: Optional[dt.date] = None
    # True when the year of `date` was inferred from the dump's capture date.
    date_inferred: bool = False
    arxiv_category: Optional[str] = None
    upvotes: Optional[int] = None
    has_code: Optional[bool] = None


@dataclass
class Paper:
    """One paper of the list: the front matter and body of one page."""

    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    et_al: bool = False
    author_count: Optional[int] = None
    organization: Optional[str] = None
    date: Optional[dt.date] = None
    arxiv_category: Optional[str] = None
    arxiv_id: Optional[str] = None
    upvotes: Optional[int] = None
    has_code: Optional[bool] = None
    topics: list[str] = field(default_factory=list)
    topics_curated: bool = False
    sources: list[SourceRef] = field(default_factory=list)
    # The page body as Markdown, kept verbatim once a page exists so that
    # ingest never loses a human's text.  Empty for a paper not yet on disk.
    body: str = ""
    slug: str = ""
    # Front-matter keys that are not ours (a contributor's own); kept as they are.
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True, order=True)
class Problem:
    """One line of feedback for a person: `path:line: message`.

    Warnings and errors share this shape so that every stage reports the same
    way and the CLI prints them without knowing where they came from.
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


class InputError(Exception):
    """Input that cannot be used at all.  The CLI prints it as one line, exit 2."""

    def __init__(self, path: str, message: str, line: int = 0):
        super().__init__(str(Problem(path, line, message)))
        self.problem = Problem(path, line, message)
