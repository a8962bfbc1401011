"""Parse stage: recognise a dump's format and cut it into raw records.

Pure functions over text.  Four formats are known (see CONTRIBUTING.md):

* ``org-listing``   organization/author listing, three lines per paper;
* ``daily-papers``  blank-line separated blocks with bylines and dates;
* ``line-pairs``    a title line then an abstract line, no blank lines;
* ``blank-pairs``   title, blank, abstract, blank.

The format is detected from the records themselves, never from the page chrome
(the "Subscribe"/"Daily Papers" text a copy from a web page drags along), which
may be missing or different.  Anything skipped is reported with its line.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from typing import Optional

from readinglist.ingest.normalize import MONTH_DAY_YEAR
from readinglist.paper import Problem

FORMATS = ("org-listing", "daily-papers", "line-pairs", "blank-pairs")

# Text that listing pages print around the papers.  Known chrome is skipped
# quietly; any other text before the first paper is skipped with a warning.
KNOWN_CHROME = (
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "by AK and the research community",
    "byAK and the research community",
    "new",
    "Trending Papers",
    "Papers",
)
_KNOWN_CHROME_SET = {c.casefold() for c in KNOWN_CHROME}
_CHROME_LONGEST_FIRST = sorted(KNOWN_CHROME, key=len, reverse=True)

# `CLMay 30, 2025Code`: arXiv category glued to a date, optionally to "Code".
ORG_HEADER_RE = re.compile(r"^(?P<cat>[A-Z]{2})" + MONTH_DAY_YEAR + r"(?P<code>Code)?$")
# `May 24, 2024 2`: a daily-papers date line, optionally with upvotes.
DATE_LINE_RE = re.compile(r"^" + MONTH_DAY_YEAR + r"(?: (?P<upvotes>\d+))?$")
AUTHOR_COUNT_RE = re.compile(r"^•\s*(?P<n>\d+) authors?$")
BYLINE_SEPARATOR = "·"

# A title is one short line; an abstract is prose.  Only used where the layout
# itself is ambiguous (where the chrome ends, a record with a missing part).
MAX_TITLE_CHARS = 300
MIN_ABSTRACT_CHARS = 120


@dataclass
class RawRecord:
    line: int  # 1-based line of the title
    title: str
    abstract: str
    authors: list[str] = field(default_factory=list)
    et_al: bool = False
    author_count: Optional[int] = None
    organization: Optional[str] = None
    # (month, day, year or None) as printed, with the line it was printed on.
    date_parts: Optional[tuple[str, str, Optional[str]]] = None
    date_line: int = 0
    category_code: Optional[str] = None
    upvotes: Optional[int] = None
    has_code: Optional[bool] = None


@dataclass
class ParsedDump:
    format: str
    records: list[RawRecord]
    problems: list[Problem]
    chrome_lines: list[int]


class FormatError(ValueError):
    """The text is in none of the known formats.  `line` points at the evidence (0: none);
    `closest` says which known format comes nearest, and what it would read (parse_dump fills it)."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line
        self.closest = ""


# --------------------------------------------------------------------------- detection


def _is_chrome(text: str) -> bool:
    return text.strip().casefold() in _KNOWN_CHROME_SET


def looks_like_title(text: str) -> bool:
    return "\n" not in text.strip() and 0 < len(text.strip()) <= MAX_TITLE_CHARS


def looks_like_abstract(text: str) -> bool:
    text = text.strip()
    return len(text) >= MIN_ABSTRACT_CHARS or (len(text) > 40 and text.endswith("."))


def detect_format(lines: list[str]) -> str:
    """Which format the records follow; FormatError if none."""
    stripped = [ln.strip() for ln in lines]
    headers = [i for i, ln in enumerate(stripped) if ORG_HEADER_RE.match(ln)]
    if headers and len(headers) * 3 >= len([ln for ln in stripped if ln]) * 0.9:
        return "org-listing"
    paragraphs = _paragraphs(lines)
    if any(_is_byline(text) for _, text in paragraphs):
        return "daily-papers"
    # Abstract lines standing alone in their block mean blank-line pairs;
    # abstract lines inside multi-line blocks mean line pairs.
    alone = inside = 0
    for _, text in paragraphs:
        lines_in_block = text.split("\n")
        for ln in lines_in_block:
            if looks_like_abstract(ln):
                if len(lines_in_block) == 1:
                    alone += 1
                else:
                    inside += 1
    if alone == inside == 0:
        raise FormatError("no paper abstracts found")
    return "blank-pairs" if alone >= inside else "line-pairs"


# Files given by mistake.  Their lines would otherwise pass for titles and
# abstracts (a CSV row is one long line), so they are recognised first.
_TABLE_COLUMNS = {"title", "abstract", "authors", "author", "summary", "url", "link", "id", "date", "year",
                  "arxiv_id", "name", "venue", "doi", "published"}
_COLUMN_NAME_RE = re.compile(r"^[a-z_][a-z0-9_-]*(?: [a-z0-9_-]+){0,2}$")
_HTML_START_RE = re.compile(r"^\s*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|\?xml)", re.IGNORECASE)


def refuse_other_formats(lines: list[str]) -> None:
    """FormatError if the text is JSON, JSON Lines, CSV/TSV or HTML: a file given by mistake."""
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        raise FormatError("the file is empty")
    head = lines[first].strip()
    if head[:1] in ("{", "["):
        text = "\n".join(lines[first:]).strip()
        whole = _json_value(text) if text[-1:] in ("}", "]") else None
        rows = [ln.strip() for ln in lines[first:first + 20] if ln.strip()]
        if isinstance(whole, (dict, list)) or (
                len(rows) >= 2 and all(isinstance(_json_value(r), dict) for r in rows[:2])):
            raise FormatError("this is JSON, not a copied listing (paste the titles and abstracts as text)",
                              line=first + 1)
    if _HTML_START_RE.match(head):
        if any(_FEED_RE.search(line) for line in lines[first:first + 50]):
            what, hint = SHAPES["feed"]
            raise FormatError(f"this is {what}, not a copied listing ({hint})", line=first + 1)
        raise FormatError("this is a saved HTML page, not copied text (open it in a browser, select the "
                          "listing and paste it into a .txt file)", line=first + 1)
    for sep, label in ((",", "CSV"), ("\t", "TSV")):
        cells = [c.strip().strip('"').strip().casefold() for c in head.split(sep)]
        row = next((ln for ln in lines[first + 1:] if ln.strip()), "")
        if (len(cells) >= 2 and all(_COLUMN_NAME_RE.match(c) for c in cells)
                and sum(c in _TABLE_COLUMNS for c in cells) >= 2
                and _field_count(row, sep) == len(cells)):
            raise FormatError(f"this is a {label} table (header {head[:60]!r}), not a copied listing",
                              line=first + 1)


def _json_value(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _field_count(row: str, sep: str) -> int:
    try:
        return len(next(csv.reader([row], delimiter=sep), []))
    except csv.Error:  # a field over the csv module's size limit
        return row.count(sep) + 1


# Shapes of text people paste by mistake, told apart line by line.  A dump most
# of whose lines have one of them is refused by its name: its lines would
# otherwise pair up into titles and abstracts of junk ("Title: ...", "}").
_ARXIV_ID_LINE_RE = re.compile(r"^\s*(?:\[\d+\]\s*)?arXiv:\s?\d{4}\.\d{4,5}(?:v\d+)?\b")
_LABEL_LINE_RE = re.compile(r"^(?:Title|Authors?|Abstract|Comments|Subjects|Journal-ref|DOI|Report-no|Categories|"
                            r"Keywords|URL|Link|Published|Updated|Submitted|Summary|PDF|Venue|Year)\s*:(?:\s|$)")
_BIBTEX_LINE_RE = re.compile(r"^\s*(?:@[A-Za-z]+\s*[{(]|[A-Za-z_-]+\s*=\s*[{\"\d]|[})]\s*,?\s*$)")
_MARKUP_LINE_RE = re.compile(r"^\s*</?[A-Za-z][\w:.-]*(?:\s[^>]*)?/?>")
_FEED_RE = re.compile(r"<(?:rss|feed|channel|entry|item)[\s>]", re.IGNORECASE)
_LINK_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[^\]]+\]\([^)]*\)")
_URL_LINE_RE = re.compile(r"^\s*<?https?://\S+>?\s*$")
SHAPES = {
    "arxiv": ("an arXiv listing (`arXiv:2401.12345` lines, then `Title:`, `Authors:`, `Subjects:`)",
              "add its papers with `readinglist add`, or copy the listing from Hugging Face Papers"),
    "labels": ("a listing of labelled fields (`Title:`, `Authors:`, `Abstract:` lines)",
               "keep only each title and its abstract, one pair after the other"),
    "bibtex": ("a BibTeX file", "add its entries with `readinglist add --bibtex FILE`"),
    "feed": ("an RSS or Atom feed", "open the listing in a browser and copy its text"),
    "markup": ("HTML or XML markup", "open it in a browser and copy the listing's text"),
    "links": ("a Markdown list of links", "copy the listing itself, with its abstracts"),
    "urls": ("a list of web addresses", "copy the listing itself, with its titles and abstracts"),
}


def foreign_shape(lines: list[str]) -> Optional[tuple[str, int]]:
    """(shape, first line) when at least half of the non-blank lines have one of SHAPES' forms."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    nonblank = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        nonblank += 1
        shape = ("arxiv" if _ARXIV_ID_LINE_RE.match(line) else "labels" if _LABEL_LINE_RE.match(line)
                 else "bibtex" if _BIBTEX_LINE_RE.match(line) else "markup" if _MARKUP_LINE_RE.match(line)
                 else "links" if _LINK_ITEM_RE.match(line) else "urls" if _URL_LINE_RE.match(line) else None)
        if shape:
            counts[shape] = counts.get(shape, 0) + 1
            first.setdefault(shape, number)
    foreign = sum(counts.values())
    if foreign < 2 or foreign * 2 < nonblank:
        return None
    if "arxiv" in counts:  # an arXiv listing prints its ids and labelled fields
        return "arxiv", first["arxiv"]
    shape = max(counts, key=lambda k: (counts[k], -first[k]))
    if shape == "markup" and any(_FEED_RE.search(line) for line in lines[:200]):
        return "feed", first[shape]
    return shape, first[shape]


# More parts skipped (or read without an abstract) than this many times the
# papers read: the dump is mostly not papers, and what was "read" from it is
# likely junk too, so none of it is ingested.
MAX_SKIPPED_PER_RECORD = 2


def parse_dump(text: str, name: str) -> ParsedDump:
    """Cut `text` (the dump `name`) into raw records.  Raises FormatError, with `closest` filled."""
    lines = text.split("\n")
    try:
        return _parse(lines, name)
    except FormatError as exc:
        exc.closest = closest_format(lines, name)
        raise


def _parse(lines: list[str], name: str) -> ParsedDump:
    refuse_other_formats(lines)
    shape = foreign_shape(lines)
    if shape is not None:
        what, hint = SHAPES[shape[0]]
        raise FormatError(f"this is {what}, not a copied listing ({hint})", line=shape[1])
    fmt = detect_format(lines)
    records, problems, chrome = _PARSERS[fmt](lines, name)
    records, problems = _drop_junk_pairs(records, problems, name)
    if not records:
        raise FormatError(f"looked like {fmt} but held no complete record")
    skipped = [p for p in problems if _skipped_a_part(p)]
    if len(skipped) > MAX_SKIPPED_PER_RECORD * len(records):
        raise FormatError(f"most of it is not papers: {len(skipped)} parts skipped, {len(records)} read as papers "
                          "(check that this is the listing you meant)", line=skipped[0].line)
    return ParsedDump(fmt, records, problems, chrome)


def _drop_junk_pairs(records: list[RawRecord], problems: list[Problem], name: str):
    """Leave out, with a warning, records whose "abstract" reads like none ("Share", "Menu item 3"):
    two lines of page furniture paired up, not a paper."""
    kept = [r for r in records if looks_like_abstract(r.abstract)]
    if len(kept) == len(records):
        return records, problems
    problems = problems + [Problem(name, r.line, f"{_excerpt(r.title)!r} is followed by no abstract "
                                                 f"({_excerpt(r.abstract)!r} is too short for one); skipped")
                           for r in records if not looks_like_abstract(r.abstract)]
    return kept, sorted(problems, key=lambda p: p.line)


def _skipped_a_part(problem: Problem) -> bool:
    """A problem that stands for a part of the dump left out, after its first paper."""
    return problem.message.endswith("skipped") or problem.message.startswith("skipped a ")


def closest_format(lines: list[str], name: str) -> str:
    """Which known format comes nearest to `lines`, and what it reads from them, for a message."""
    tried = []
    for fmt in ("org-listing", "line-pairs", "blank-pairs"):
        try:
            records = _PARSERS[fmt](list(lines), name)[0]
        except (ValueError, IndexError, RecursionError):  # pragma: no cover - the parsers take any text
            records = []
        if fmt == "blank-pairs" and any(_is_byline(text) for _, text in _paragraphs(lines)):
            fmt = "daily-papers"
        tried.append((len(records), fmt, records))
    # On a tie, the layout decides: every block one line (blank lines between) is blank-pairs.
    layout = "blank-pairs" if len(_paragraphs(lines)) == len([ln for ln in lines if ln.strip()]) else "line-pairs"
    count, fmt, records = max(tried, key=lambda t: (t[0], t[1] == layout))
    if not count:
        return f"the closest, {layout}, reads no paper from it"
    return (f"the closest, {fmt}, would read {count} record{'s' if count != 1 else ''} from it, such as "
            f"{_excerpt(records[0].title)!r}")


# --------------------------------------------------------------------------- org listing

_NAME_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "la", "le", "bin", "al", "el", "dos", "das", "y"}
# The first token of the first author is glued to the title, so it must look
# like a given name: a capital then lower case, maybe hyphenated, or an initial.
_GIVEN_NAME_RE = re.compile(r"^(?:[^\W\d_a-z][^\W\d_A-Z]+(?:-[^\W\d_][^\W\d_A-Z]*)*|[^\W\d_a-z]\.)$")
# Later tokens: names in any case ('seung-won hwang'), initials, Mc/Mac/O' forms.
_NAME_TOKEN_RE = re.compile(
    r"^(?:(?:Mc|Mac|O'|D'|De|Di|La|Le)?[^\W\d_][^\W\d_A-Z]*(?:[-'’][^\W\d_][^\W\d_A-Z]*)*\.?|[^\W\d_a-z]\.(?:-?[^\W\d_a-z]\.)*)$"
)


# No real name is longer; the cap keeps the title/author split linear in time.
MAX_NAME_CHARS = 100


def _is_author_name(name: str, first: bool) -> bool:
    if len(name) > MAX_NAME_CHARS:
        return False
    tokens = name.split(" ")
    if not 1 <= len(tokens) <= 6 or any(not t for t in tokens):
        return False
    if first and (len(tokens) < 2 or not _GIVEN_NAME_RE.match(tokens[0]) or tokens[0][0].islower()):
        return False
    return all(t in _NAME_PARTICLES or (_NAME_TOKEN_RE.match(t) and _cased_like_a_name(t)) for t in tokens)


_NAME_PREFIX_RE = re.compile(r"^(?:Mc|Mac|O'|D'|De|Di|La|Le)(?=[^\W\d_])")
_NAME_PART_SPLIT_RE = re.compile(r"[-'’.]")


def _cased_like_a_name(token: str) -> bool:
    """No capital inside a part of the name (the regexes only know ASCII case): 'AaÉlodie' is no name."""
    rest = _NAME_PREFIX_RE.sub("", token)
    return not any(ch.isupper() for part in _NAME_PART_SPLIT_RE.split(rest) for ch in part[1:])


def split_title_authors(line: str) -> Optional[tuple[str, list[str], bool, Optional[str]]]:
    """Split `TitleFirst Author, Second Author et al. · org` into its parts.

    Returns (title, authors, et_al, organization), or None when no split is
    certain.  The title and the first author are glued with no separator, so
    the split must fall where a capital follows a non-space and everything from
    there on reads as a list of names.  Camel case inside the title
    (DeepSpeed4Science, RenAIssance) cannot pass: the glued token would have to
    be a given name with a capital inside it.
    """
    text = line.strip()
    organization = None
    if " · " in text:
        text, organization = (part.strip() for part in text.rsplit(" · ", 1))
        organization = organization or None
    et_al = text.endswith(" et al.")
    if et_al:
        text = text[: -len(" et al.")].rstrip()
    # Linear time on any line: the names after the first are whole `, `
    # separated parts at the end, and the first name is at most six tokens
    # and MAX_NAME_CHARS long, so only the tail of a part can hold the glue point.
    parts = text.split(", ")
    later_names_ok = [False] * len(parts)
    ok = True
    for k in range(len(parts) - 1, -1, -1):
        later_names_ok[k] = ok
        ok = ok and _is_author_name(parts[k], first=False)
    offset = 0
    for k, part in enumerate(parts):
        if later_names_ok[k]:
            earliest = max(1 - offset, _start_of_last_tokens(part, 6), len(part) - MAX_NAME_CHARS)
            for j in range(max(earliest, 0), len(part)):
                i = offset + j
                # A name starts after a non-space, but never inside a hyphenated
                # word: "a-Aa A.J. McDonald" is the title "a-Aa A." and "J. McDonald".
                if i < 1 or not text[i].isupper() or text[i - 1].isspace() or text[i - 1] == "-":
                    continue
                if _is_author_name(part[j:], first=True):
                    title = text[:i].strip()
                    if title:
                        return title, [part[j:], *parts[k + 1:]], et_al, organization
        offset += len(part) + 2
    return None


def _start_of_last_tokens(text: str, count: int) -> int:
    """Index where the last `count` space-separated tokens of `text` begin."""
    pos = len(text)
    for _ in range(count):
        pos = text.rfind(" ", 0, pos)
        if pos < 0:
            return 0
    return pos + 1


def _parse_org_listing(lines: list[str], name: str):
    records: list[RawRecord] = []
    problems: list[Problem] = []
    chrome: list[int] = []
    i, n = 0, len(lines)
    seen_record = False
    while i < n:
        text = lines[i].strip()
        header = ORG_HEADER_RE.match(text)
        if not header:
            if text:
                if not seen_record:
                    chrome.append(i + 1)
                    if not _is_chrome(text):
                        problems.append(Problem(name, i + 1, f"skipped text before the first paper: {_excerpt(text)!r}"))
                else:
                    problems.append(Problem(name, i + 1, f"skipped a line that is not part of a paper: {_excerpt(text)!r}"))
            i += 1
            continue
        seen_record = True
        body = [lines[j].strip() if j < n else "" for j in (i + 1, i + 2)]
        if not body[0] or ORG_HEADER_RE.match(body[0]):
            problems.append(Problem(name, i + 1, "paper header has no title line after it; skipped"))
            i += 1
            continue
        if not body[1] or ORG_HEADER_RE.match(body[1]):
            problems.append(Problem(name, i + 2, f"paper {_excerpt(body[0])!r} has no abstract; skipped"))
            i += 2
            continue
        record = RawRecord(line=i + 2, title=body[0], abstract=body[1])
        record.category_code = header.group("cat")
        record.date_parts = (header.group("month"), header.group("day"), header.group("year"))
        record.date_line = i + 1
        record.has_code = bool(header.group("code"))
        split = split_title_authors(body[0])
        if split is None:
            problems.append(Problem(
                name, i + 2,
                "could not tell the title from the authors; kept the whole line as the title "
                "(fix `title:` and `authors:` on the page)"))
        else:
            record.title, record.authors, record.et_al, record.organization = split
        records.append(record)
        i += 3
    return records, problems, chrome


# --------------------------------------------------------------------------- line pairs


def _strip_glued_chrome(text: str) -> tuple[str, bool]:
    """`SubscribeInfinite-LLM: …` -> `Infinite-LLM: …`: chrome glued onto a title."""
    stripped = False
    changed = True
    passes = 0
    while changed and passes < len(KNOWN_CHROME):  # bounded: `SubscribeSubscribe…` x 1e6 stays fast
        changed = False
        passes += 1
        for phrase in _CHROME_LONGEST_FIRST:
            rest = text[len(phrase):]
            if text.startswith(phrase) and rest and not rest[0].isspace() and not rest[0].islower():
                text, stripped, changed = rest, True, True
                break
    return text, stripped


def _parse_line_pairs(lines: list[str], name: str):
    units = [(i + 1, ln.strip()) for i, ln in enumerate(lines) if ln.strip()]
    return _pair_units(units, name, allow_bylines=False)


# --------------------------------------------------------------------------- paragraphs


def _paragraphs(lines: list[str]) -> list[tuple[int, str]]:
    """Blank-line separated blocks as (first line number, text with newlines)."""
    out: list[tuple[int, str]] = []
    start, buf = 0, []
    for i, ln in enumerate(lines):
        if ln.strip():
            if not buf:
                start = i + 1
            buf.append(ln.strip())
        elif buf:
            out.append((start, "\n".join(buf)))
            buf = []
    if buf:
        out.append((start, "\n".join(buf)))
    return out


def _is_byline(text: str) -> bool:
    lines = text.split("\n")
    return (
        any(ln == BYLINE_SEPARATOR for ln in lines)
        or bool(AUTHOR_COUNT_RE.match(lines[0]))
    )


def _apply_byline(record: RawRecord, first_line: int, text: str, name: str, problems: list[Problem]) -> None:
    for offset, ln in enumerate(text.split("\n")):
        line_no = first_line + offset
        if ln == BYLINE_SEPARATOR:
            continue
        if m := AUTHOR_COUNT_RE.match(ln):
            record.author_count = int(m.group("n"))
        elif m := DATE_LINE_RE.match(ln):
            record.date_parts = (m.group("month"), m.group("day"), m.group("year"))
            record.date_line = line_no
            if m.group("upvotes"):
                record.upvotes = int(m.group("upvotes"))
        elif record.organization is None and len(ln) <= 100:
            record.organization = _undouble(ln)
        else:
            problems.append(Problem(name, line_no, f"ignored an unrecognised byline line: {_excerpt(ln)!r}"))


def _undouble(text: str) -> str:
    """'WeiboAI WeiboAI' -> 'WeiboAI': the listing prints an avatar's alt text and the name."""
    words = text.split(" ")
    half = len(words) // 2
    if len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return text


def _parse_paragraphs(lines: list[str], name: str):
    return _pair_units(_paragraphs(lines), name, allow_bylines=True)


def _pair_units(units: list[tuple[int, str]], name: str, allow_bylines: bool):
    """Pair (title, abstract) units, attaching bylines; report everything else."""
    records: list[RawRecord] = []
    problems: list[Problem] = []
    chrome: list[int] = []

    # Chrome ends at the first title-like unit followed by an abstract-like one.
    start = 0
    while start < len(units):
        line_no, text = units[start]
        title, glued = _strip_glued_chrome(text)
        nxt = units[start + 1][1] if start + 1 < len(units) else ""
        if looks_like_title(title) and not _is_chrome(title) and looks_like_abstract(nxt) and not (
                allow_bylines and _is_byline(title)):
            if glued:
                chrome.append(line_no)
                units[start] = (line_no, title)
            break
        chrome.append(line_no)
        if not (_is_chrome(text) or DATE_LINE_RE.match(text) or (allow_bylines and _is_byline(text))):
            problems.append(Problem(name, line_no, f"skipped text before the first paper: {_excerpt(text)!r}"))
        start += 1

    i = start
    while i < len(units):
        line_no, text = units[i]
        if allow_bylines and _is_byline(text):
            problems.append(Problem(name, line_no, "skipped a byline that follows no paper"))
            i += 1
            continue
        if i + 1 >= len(units):
            problems.append(Problem(name, line_no, f"title {_excerpt(text)!r} has no abstract (end of file); skipped"))
            break
        nxt_line, nxt = units[i + 1]
        after = units[i + 2][1] if i + 2 < len(units) else None
        misaligned = (
            not looks_like_title(text)
            or (allow_bylines and _is_byline(nxt))
            or (not looks_like_abstract(nxt) and after is not None and looks_like_abstract(after)
                and looks_like_title(nxt))
        )
        if misaligned:
            if looks_like_title(text) and len(text) < MIN_ABSTRACT_CHARS:
                problems.append(Problem(name, line_no, f"title {_excerpt(text)!r} has no abstract; skipped"))
            else:
                problems.append(Problem(name, line_no, f"text {_excerpt(text)!r} reads like an abstract "
                                                       "with no title before it; skipped"))
            i += 1
            continue
        record = RawRecord(line=line_no, title=text, abstract=nxt)
        i += 2
        if allow_bylines and i < len(units):
            b_line, b_text = units[i]
            if _is_byline(b_text):
                _apply_byline(record, b_line, b_text, name, problems)
                i += 1
            elif (looks_like_title(b_text) and len(b_text.split()) <= 4 and i + 2 < len(units)
                  and looks_like_title(units[i + 1][1]) and looks_like_abstract(units[i + 2][1])):
                # A short line between an abstract and the next title is an
                # organization byline printed without a date.
                record.organization = _undouble(b_text)
                i += 1
        records.append(record)
    return records, problems, chrome


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PARSERS = {
    "org-listing": _parse_org_listing,
    "daily-papers": _parse_paragraphs,
    "blank-pairs": _parse_paragraphs,
    "line-pairs": _parse_line_pairs,
}
