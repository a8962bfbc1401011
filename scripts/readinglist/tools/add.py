"""`readinglist add`: new paper pages from the command line or from BibTeX.

A paper already in the list (case, punctuation and small spelling differences
ignored) is refused, naming the page that has it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Optional

from readinglist import store
from readinglist.tools.check import find_existing
from readinglist.curate.classify import Taxonomy, classify
from readinglist.store import load_taxonomy
from readinglist.ingest.merge import assign_slugs
from readinglist.ingest.repair import repair_text
from readinglist.text import ARXIV_ID_RE, clean_text, collapse_whitespace
from readinglist.paper import InputError, Paper, Problem
from readinglist.catalog import Catalog
from readinglist.page.markdown import render_paper_page
from readinglist.page.validate import DOI_RE, URL_RE, validate_page

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


@dataclass
class AddOutcome:
    added: list[str] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)


def parse_topics(raw: Optional[str], taxonomy: Taxonomy, where: str) -> Optional[list[str]]:
    if raw is None:
        return None
    topics = [t.strip() for t in raw.split(",") if t.strip()]
    unknown = [t for t in topics if t not in taxonomy.ids]
    if unknown or not topics:
        raise InputError(where, f"unknown topic {unknown[0]!r} (choose from: {', '.join(taxonomy.ids)})"
                         if unknown else "--topics is empty")
    return topics


@dataclass(frozen=True)
class Identifiers:
    """What else a source says about a paper: first publication, where to find it."""

    published: Optional[str] = None     # YYYY-MM-DD
    year: Optional[int] = None          # when only the year is known
    doi: Optional[str] = None
    paper_url: Optional[str] = None


def build_paper(title: str, abstract: str, authors: list[str], date: Optional[str], topics: Optional[list[str]],
                arxiv_id: Optional[str], taxonomy: Taxonomy, where: str, et_al: bool = False,
                arxiv_category: Optional[str] = None, more: Identifiers = Identifiers(),
                today: Optional[dt.date] = None) -> Paper:
    """A validated new Paper; InputError says what is wrong with the input.

    `date` is the first publication date (the page's `published`); the page's
    `date`, the day the paper joined the list, is `today`."""
    # Text pasted from a PDF or a listing carries the same damage as a dump's (ingest/repair.py).
    title, abstract = repair_text(clean_text(title or "")), repair_text(clean_text(abstract or ""))
    if not title:
        raise InputError(where, "the paper needs a title")
    if not abstract:
        raise InputError(where, "the paper needs an abstract (--abstract, or `abstract` in the BibTeX entry)")
    paper = Paper(title=title, abstract=abstract, authors=[collapse_whitespace(a) for a in authors if a.strip()],
                  et_al=et_al, arxiv_category=arxiv_category, date=today or dt.date.today(), year=more.year,
                  doi=more.doi, paper_url=more.paper_url)
    published = date or more.published
    if published:
        try:
            paper.published = dt.date.fromisoformat(published)
        except ValueError:
            raise InputError(where, f"date {published!r} is not YYYY-MM-DD") from None
        paper.year = None  # the date says it
    if arxiv_id:
        if not ARXIV_ID_RE.match(arxiv_id.strip()):
            raise InputError(where, f"arXiv id {arxiv_id!r} is not like 2106.09685")
        paper.arxiv_id = arxiv_id.strip()
    if topics:
        paper.topics, paper.topics_curated = list(topics), True
    else:
        paper.topics = classify(paper.title, paper.abstract, taxonomy)
    return paper


def _write_new(project: store.Project, candidates: list[tuple[str, Paper]], taxonomy: Taxonomy) -> AddOutcome:
    outcome = AddOutcome()
    with store.exclusive_lock(project, "readinglist add"):
        catalog = Catalog.load(project, taxonomy)
        existing: list[Paper] = list(catalog.readable().values())
        accepted: list[Paper] = []
        for where, paper in candidates:
            twin = find_existing(paper.title, existing + accepted)
            if twin is not None:
                place = f"content/papers/{twin.slug}.md" if twin.slug else "an earlier entry of this file"
                outcome.refused.append(Problem(where, 0, f"{paper.title!r} is already in the list: {place}"))
                continue
            accepted.append(paper)
        assign_slugs(accepted, set(catalog.pages))
        filed_by_rules: dict[str, list[str]] = {}
        for paper in accepted:
            path = f"content/papers/{paper.slug}.md"
            text = render_paper_page(paper)
            problems = validate_page(text, path, paper.slug, taxonomy)
            if problems:  # never write a page `check` would reject
                outcome.refused.extend(problems)
                continue
            store.write_text(project.papers / f"{paper.slug}.md", text)
            outcome.added.append(f"{path} (topics: {', '.join(paper.topics)})")
            if not paper.topics_curated:
                filed_by_rules[paper.slug] = list(paper.topics)
        if filed_by_rules:
            # The rules filed these: record it, so a later edit of `topics:` reads as a person's (filings.py).
            ledger = store.read_ledger(project)
            if ledger is not None:
                store.write_ledger(project, {**ledger, **filed_by_rules})
    return outcome


def add_from_args(project: store.Project, title: str, abstract: Optional[str], authors: Optional[str],
                  date: Optional[str], topics: Optional[str], arxiv_id: Optional[str]) -> AddOutcome:
    taxonomy = load_taxonomy(project)
    if not abstract:
        raise InputError("readinglist add", "--abstract is required with --title")
    paper = build_paper(title, abstract, (authors or "").split(","), date,
                        parse_topics(topics, taxonomy, "--topics"), arxiv_id, taxonomy, "readinglist add")
    return _write_new(project, [("readinglist add", paper)], taxonomy)


# --------------------------------------------------------------------------- BibTeX


def _debrace(text: str) -> str:
    """BibTeX protects capitals with braces: `{LoRA}: {L}ow-Rank` -> `LoRA: Low-Rank`."""
    return re.sub(r"(?<!\\)[{}]", "", clean_text(text))


def bibtex_authors(field_value: str) -> tuple[list[str], bool]:
    """`Hu, Edward J. and Shen, Yelong and others` -> (['Edward J. Hu', 'Yelong Shen'], True)."""
    names, et_al = [], False
    for part in re.split(r"\s+and\s+", field_value.strip()):
        part = _debrace(part).strip()
        if part.lower() == "others":
            et_al = True
        elif "," in part:
            last, first = part.split(",", 1)
            names.append(f"{first.strip()} {last.strip()}".strip())
        elif part:
            names.append(part)
    return names, et_al


_ARXIV_URL_RE = re.compile(r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?/?$")
_DOI_URL_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def _bibtex_identifiers(fields: dict[str, str]) -> tuple[Identifiers, Optional[str]]:
    """(published, year, DOI, URL) and the arXiv id a BibTeX entry gives, each only when well-formed."""
    arxiv_id = fields.get("eprint", "").strip() or None
    prefix = fields.get("archiveprefix", "").strip().lower()
    if arxiv_id and (prefix not in ("", "arxiv") or not ARXIV_ID_RE.match(arxiv_id)):
        arxiv_id = None
    doi = _DOI_URL_RE.sub("", _debrace(fields.get("doi", "")).strip()) or None
    url = _debrace(fields.get("url", "")).strip() or None
    paper_url = None
    if url and _ARXIV_URL_RE.match(url) and ARXIV_ID_RE.match(_ARXIV_URL_RE.match(url).group(1)):
        arxiv_id = arxiv_id or _ARXIV_URL_RE.match(url).group(1)     # the arXiv link is made from the id
    elif url and _DOI_URL_RE.match(url):
        doi = doi or _DOI_URL_RE.sub("", url)                      # the DOI link is made from the DOI
    elif url and URL_RE.match(url):
        paper_url = url
    year = fields.get("year", "").strip()
    return Identifiers(published=_bibtex_date(fields), year=int(year) if year.isdigit() and 1900 <= int(year) <= 2100
                       else None, doi=doi if doi and DOI_RE.match(doi) else None, paper_url=paper_url), arxiv_id


def _bibtex_date(fields: dict[str, str]) -> Optional[str]:
    year, month, day = fields.get("year", "").strip(), fields.get("month", "").strip().lower()[:3], fields.get("day", "").strip()
    if not (year.isdigit() and day.isdigit()):
        return None  # a page's date is a full date; we never invent the day
    number = _MONTHS.get(month) or (int(month) if month.isdigit() else None)
    return f"{int(year):04d}-{number:02d}-{int(day):02d}" if number else None


def add_from_bibtex(project: store.Project, path: str, topics: Optional[str] = None) -> AddOutcome:
    import bibtexparser

    taxonomy = load_taxonomy(project)
    text = store.read_input_file(path, "BibTeX file")
    library = bibtexparser.parse_string(text)
    outcome = AddOutcome()
    for block in library.failed_blocks:
        outcome.refused.append(Problem(path, block.start_line + 1, "this BibTeX entry does not parse; fix its syntax"))
    if not library.entries and not library.failed_blocks:
        raise InputError(path, "no BibTeX entries found")
    chosen_topics = parse_topics(topics, taxonomy, "--topics")
    candidates: list[tuple[str, Paper]] = []
    for entry in library.entries:
        where = f"{path}:{entry.start_line + 1}"
        fields = {k.lower(): str(v) for k, v in entry.fields_dict.items() for v in [entry[k]]}
        authors, et_al = bibtex_authors(fields.get("author", ""))
        more, arxiv_id = _bibtex_identifiers(fields)
        category = fields.get("primaryclass") or None
        try:
            paper = build_paper(_debrace(fields.get("title", "")), fields.get("abstract", ""), authors,
                                None, chosen_topics, arxiv_id, taxonomy,
                                f"{where} ({entry.key})", et_al=et_al,
                                arxiv_category=category if category and re.match(r"^[a-z-]+\.[A-Z]{2}$", category) else None,
                                more=more)
        except InputError as exc:
            outcome.refused.append(exc.problem)
            continue
        candidates.append((f"{where} ({entry.key})", paper))
    written = _write_new(project, candidates, taxonomy)
    outcome.added += written.added
    outcome.refused += written.refused
    return outcome
