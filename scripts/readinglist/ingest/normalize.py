"""Normalize stage: turn the raw strings of a dump into clean, comparable values.

Pure functions only.  Text conventions used across the package:

* *Clean text* is what a reader should see.  Inside it, ``$…$`` is TeX math
  (rendered later) and ``\\$`` is a literal dollar sign; every other character,
  including ``<``, ``*`` or ``{``, is literal text.  render.py turns clean text
  into Markdown that shows exactly these characters.
* A *title key* identifies a paper across dumps: case, accents, punctuation and
  spacing are ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from readinglist.ingest.repair import repair_text
from readinglist.text import clean_text, collapse_whitespace

# --------------------------------------------------------------------------- dates

MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
MONTH_DAY_YEAR = r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?"


class DateError(ValueError):
    """A listing date that cannot be turned into a calendar date."""


def resolve_date(month: str, day: str, year: Optional[str],
                 captured: Optional[dt.date]) -> tuple[dt.date, bool]:
    """The calendar date of a listing date, and whether its year was inferred.

    Listing pages print dates of the current year without a year.  Such a date
    belongs to the capture year, or to the year before when its month-day falls
    after the capture date (a page captured on Jan 5 showing "Dec 30").
    """
    m, d = MONTHS[month], int(day)
    if year is not None:
        try:
            return dt.date(int(year), m, d), False
        except ValueError as exc:
            raise DateError(f"'{month} {day}, {year}' is not a calendar date") from exc
    if captured is None:
        raise DateError(
            f"'{month} {day}' has no year and the dump has no capture date "
            "(add `captured:` for it in site_config/sources.yml)")
    for candidate_year in (captured.year, captured.year - 1):
        try:
            candidate = dt.date(candidate_year, m, d)
        except ValueError:  # Feb 29 outside a leap year
            continue
        if candidate <= captured:
            return candidate, True
    raise DateError(f"'{month} {day}' is not a date on or before the capture date {captured}")


# --------------------------------------------------------------------------- records


def record_from_raw(raw, file: str, captured: Optional[dt.date]):
    """A clean `Record` from a parse.RawRecord, with problems for what was dropped."""
    from readinglist.paper import Problem, Record, SourceRef  # local: paper imports nothing from here

    problems: list[Problem] = []
    record = Record(
        source=SourceRef(file, raw.line),
        # Dumps are copied from PDFs and listing sites: repair.py undoes what that did.
        title=repair_text(clean_text(raw.title)),
        abstract=repair_text(clean_text(raw.abstract)),
        authors=[collapse_whitespace(a) for a in raw.authors if a.strip()],
        et_al=raw.et_al,
        author_count=raw.author_count,
        organization=collapse_whitespace(raw.organization) if raw.organization else None,
        arxiv_category=f"cs.{raw.category_code}" if raw.category_code else None,
        upvotes=raw.upvotes,
        has_code=raw.has_code,
    )
    if raw.date_parts:
        try:
            record.date, record.date_inferred = resolve_date(*raw.date_parts, captured)
        except DateError as exc:
            problems.append(Problem(file, raw.date_line or raw.line, f"{exc}; date left out"))
    return record, problems
