"""Data exports: every paper with every front-matter field, as JSON and as CSV.

Pure functions; output is the same bytes for the same papers (papers in slug
order, fields in a fixed order).  The `data` page documents the fields, from
the same table the exports are written from, so the two cannot drift.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any, Callable, Sequence

from readinglist.text import plain_text
from readinglist.paper import FIELDS, Paper
from readinglist.site.pages import generated_page

# (column, what it holds) in the order of the files: every exported field of
# paper.FIELDS, between the page's own slug and url and its abstract.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("slug", "The page name: `papers/<slug>/` on this site."),
    ("url", "Address of the paper's page on this site."),
    *((f.name, f.doc) for f in FIELDS if f.exported),
    ("abstract", "The abstract as plain text (math shown as its TeX source)."),
    ("extra", "Front-matter keys a contributor added that readinglist does not know."),
)
LIST_SEPARATOR = "; "
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def paper_record(paper: Paper, url: str) -> dict[str, Any]:
    """One paper as JSON-ready values, keys in COLUMNS order."""
    record: dict[str, Any] = {"slug": paper.slug, "url": url}
    for f in FIELDS:
        if f.exported:
            record[f.name] = _exported(f.kind, getattr(paper, f.name))
    record["abstract"] = plain_text(paper.abstract)
    record["extra"] = _jsonable(paper.extra)
    return record


def _exported(kind: str, value: Any) -> Any:
    if kind == "date":
        return value.isoformat() if value else None
    if kind in ("names", "topics"):
        return list(value)
    if kind == "sources":
        return [{"file": s.file, "line": s.line} for s in value]
    if kind == "provenance":  # unknown is null, as everywhere
        return {name: str(value[name]) for name in sorted(value)} or None
    return value


def _jsonable(value: Any) -> Any:
    """Contributor-added values (any YAML) as JSON values: dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def paper_records(papers: Sequence[Paper], paper_url: Callable[[str], str]) -> list[dict[str, Any]]:
    return [paper_record(p, paper_url(p.slug)) for p in sorted(papers, key=lambda p: p.slug)]


def papers_json(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def _csv_cell(key: str, value: Any) -> str:
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif key == "sources":
        text = LIST_SEPARATOR.join(f"{s['file']}:{s['line']}" for s in value)
    elif key == "extra":
        text = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    elif isinstance(value, dict):  # enriched: `field service date` entries
        text = LIST_SEPARATOR.join(f"{k} {v}" for k, v in value.items())
    elif isinstance(value, list):
        text = LIST_SEPARATOR.join(str(v) for v in value)
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def papers_csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([key for key, _ in COLUMNS])
    for record in records:
        writer.writerow([_csv_cell(key, record[key]) for key, _ in COLUMNS])
    return out.getvalue()


def data_page(paper_count: int, root: str) -> str:
    """The page that links the exports and explains each column (`root`: URL prefix to the site root)."""
    files = [("papers.json", "JSON: a list of objects, one per paper"),
             ("papers.csv", "CSV (UTF-8, comma-separated, RFC 4180 quoting)"),
             ("papers.bib", "BibTeX: one `@misc` entry per paper"),
             ("feed.xml", "Atom feed of the 50 newest papers")]
    lines = [
        "# Data\n",
        f"Every one of the {paper_count} papers, with every field the list knows, for your own tools. "
        "The files are rebuilt with the site and sorted by slug, so they diff well.\n",
    ]
    lines += [f'- <a href="{root}{name}">{name}</a> — {what}' for name, what in files]
    lines += [
        "",
        "Each topic page links its own BibTeX file and Atom feed.\n",
        "## Fields\n",
        "| Field | Meaning |",
        "| --- | --- |",
    ]
    lines += [f"| `{key}` | {meaning} |" for key, meaning in COLUMNS]  # our own Markdown, not data
    lines += [
        "",
        "Unknown values are `null` in JSON and empty in CSV. In CSV, lists are joined with "
        f"`{LIST_SEPARATOR.strip()}` and a space, sources are written `file:line`, `extra` is a JSON object, "
        "and a cell that a spreadsheet would run as a formula (one starting with `=`, `+`, `-` or `@`) "
        "starts with an apostrophe.\n",
    ]
    front = {"title": "Data", "description": "The reading list as JSON, CSV, BibTeX and Atom.",
             "search": {"boost": 0.5}}
    return generated_page(front, "\n".join(lines))
