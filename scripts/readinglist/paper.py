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


@dataclass(frozen=True)
class Field:
    """One front-matter key of a paper page, and a Paper attribute of the same name.

    `kind` says how it is written, read and checked (page/markdown.py,
    page/validate.py, site/exports.py each act on kinds, never on names);
    `owner` says who sets it: `dump` (ingest fills it when the page lacks it),
    `enrich` (`readinglist enrich` fills it from scholarly services when the
    page lacks it), `rules` (the topic filing, until a person changes it),
    `person` or `ingest`.  A person may set any of them, and wins.
    """

    name: str
    kind: str
    owner: str
    doc: str
    exported: bool = True


# Every front-matter key, in the order it is written to a page: the one place
# a paper's fields are declared.  `check` rejects keys that are not listed.
FIELDS: tuple[Field, ...] = (
    Field("title", "title", "dump", "Title as clean text: `$...$` is TeX math, `\\$` a literal dollar sign."),
    Field("authors", "names", "dump", "Author names, in order: as the dumps show them (often only the first three), "
                                      "completed by `readinglist enrich`."),
    Field("et_al", "flag", "dump", "True when there are more authors than `authors` lists."),
    Field("author_count", "count", "dump", "Number of authors, when a dump says."),
    Field("organization", "text", "dump", "Organization the paper was listed under, when known."),
    Field("date", "date", "dump", "The day the paper joined the list (YYYY-MM-DD): the date its listing shows, "
                                  "or the day a person added it. Newest papers and the feeds follow it."),
    Field("published", "date", "enrich", "First-version date (YYYY-MM-DD; on arXiv, version 1), when known. "
                                         "The timeline and date sorting follow it."),
    Field("year", "year", "person", "Publication year, when only the year is known (e.g. from BibTeX)."),
    Field("venue", "text", "enrich", "Where it was published (journal or conference), when known."),
    Field("arxiv_category", "category", "dump", "Primary arXiv category, e.g. cs.LG."),
    Field("arxiv_id", "arxiv_id", "enrich", "arXiv identifier, when known."),
    Field("doi", "doi", "enrich", "DOI of the published version, e.g. 10.1109/cvpr.2018.00474."),
    Field("paper_url", "url", "person", "The paper's own address when it has neither an arXiv id nor a DOI "
                                        "(e.g. a BibTeX `url`)."),
    Field("code_url", "url", "enrich", "Address of the paper's code repository."),
    Field("upvotes", "number", "dump", "Upvotes on the listing it came from."),
    Field("has_code", "yesno", "dump", "Whether the listing showed a code link."),
    Field("topics", "topics", "rules", "Topic ids (see the topic pages), most relevant first."),
    Field("topics_curated", "flag", "person", "True when a person chose the topics (else the classifier did)."),
    Field("sources", "sources", "ingest", "Where it was ingested from: dump file and line."),
    Field("enriched", "provenance", "enrich", "Which values `readinglist enrich` filled: per field, the service "
                                              "it came from and the day it was first fetched."),
)
FIELD_ORDER = tuple(f.name for f in FIELDS)
# Fields `readinglist enrich` may fill (authors: it completes a list a dump cut short),
# and the services it names as their source under `enriched:`.
ENRICHABLE = ("authors",) + tuple(f.name for f in FIELDS if f.owner == "enrich" and f.kind != "provenance")
SERVICES = ("arxiv", "openalex", "hf")


@dataclass(frozen=True, order=True)
class Provenance:
    """Where an enriched value came from: a service (SERVICES) and the day it was first fetched.

    Written on a page as `<service> <YYYY-MM-DD>`, one line per field under `enriched:`."""

    source: str
    fetched: dt.date

    def __str__(self) -> str:
        return f"{self.source} {self.fetched.isoformat()}"

    @classmethod
    def parse(cls, text: object) -> Optional["Provenance"]:
        """`arxiv 2026-12-06` -> Provenance; None for anything else."""
        parts = str(text).split() if isinstance(text, str) else []
        if len(parts) != 2 or parts[0] not in SERVICES:
            return None
        try:
            return cls(parts[0], dt.date.fromisoformat(parts[1]))
        except ValueError:
            return None


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
    published: Optional[dt.date] = None
    year: Optional[int] = None
    venue: Optional[str] = None
    arxiv_category: Optional[str] = None
    arxiv_id: Optional[str] = None
    doi: Optional[str] = None
    paper_url: Optional[str] = None
    code_url: Optional[str] = None
    upvotes: Optional[int] = None
    has_code: Optional[bool] = None
    topics: list[str] = field(default_factory=list)
    topics_curated: bool = False
    sources: list[SourceRef] = field(default_factory=list)
    enriched: dict[str, Provenance] = field(default_factory=dict)
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


class WriteError(Exception):
    """A file that could not be written (disk full, a read-only folder).  The CLI
    prints it as one line, exit 1: every file written before it is complete."""

    def __init__(self, path: str, message: str):
        super().__init__(str(Problem(path, 0, message)))
        self.problem = Problem(path, 0, message)
