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
import re
import unicodedata
from typing import Optional

# --------------------------------------------------------------------------- text

# Math as pymdownx.arithmatex finds it: no space just inside the dollars, and
# `\$` is not a delimiter.  Keeping the same rule here means the segments we
# preserve are exactly the ones that will render as math.  A backtick ends
# math: Python-Markdown reads code spans before math, so `$a`b$` is no math.
MATH_RE = re.compile(r"(?<!\\)\$(?!\s)((?:\\[^`]|[^\\$`])+?)(?<![\s\\])\$")

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306",
    "H": "\u030b", "k": "\u0328", "r": "\u030a",
}
# `{\'e}`, `\'{e}`, `\'e`, and `\c{c}`/`\v{s}` (letter accents need braces or a space).
_ACCENT_RE = re.compile(
    r"\{\\([`'^\"~=.])\s*\{?([A-Za-z])\}?\}"
    r"|\\([`'^\"~=.])\{([A-Za-z])\}"
    r"|\\([`'^\"~=.])([A-Za-z])"
    r"|\\([cvuHkr])\{([A-Za-z])\}"
)
_FONT_COMMANDS = "textit|textbf|textsc|texttt|textrm|textsf|emph|text|mathrm|underline"
# `\textit{X}` and the same with its backslash lost in copy-paste (`textit{X}`).
_FONT_CMD_RE = re.compile(r"\\?(?<![A-Za-z])(?:" + _FONT_COMMANDS + r")\{([^{}]*)\}")
# `{\sc X}`, `{\tt X}`, `{\bf X}`, `{\it X}`, `{\em X}`.
_FONT_GROUP_RE = re.compile(r"\{\\(?:sc|tt|bf|it|em|rm|sf|sl)\s+([^{}]*)\}")
_SPECIAL_ESCAPES = {"%": "%", "&": "&", "#": "#", "_": "_", "{": "{", "}": "}"}
_TEXT_MACROS = {"ldots": "…", "dots": "…", "textendash": "–", "textemdash": "—", "times": "×"}
_WHITESPACE_RE = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    """One line, single spaces: dumps wrap and indent text arbitrarily."""
    return _WHITESPACE_RE.sub(" ", text).strip()


_CONTROL_CATEGORIES = ("Cc", "Cf", "Cs", "Co")
_BMP_CONTROL_RE: Optional[re.Pattern] = None


def _bmp_control_re() -> re.Pattern:
    """Every control/format/surrogate/private character of the BMP but tab and line ends, as one
    character class (built on first use, ~20 ms): a C-speed pass instead of a Python call per character."""
    global _BMP_CONTROL_RE
    if _BMP_CONTROL_RE is None:
        bad = [c for c in range(0x10000)
               if chr(c) not in "\t\n\r" and unicodedata.category(chr(c)) in _CONTROL_CATEGORIES]
        ranges, start = [], bad[0]
        for prev, cur in zip(bad, bad[1:] + [-1]):
            if cur != prev + 1:
                ranges.append(f"\\u{start:04x}" + (f"-\\u{prev:04x}" if prev != start else ""))
                start = cur
        _BMP_CONTROL_RE = re.compile("[" + "".join(ranges) + "]")
    return _BMP_CONTROL_RE


def _strip_control(text: str) -> str:
    # Control and format characters (other than whitespace) are never content.
    if not text or max(text) <= "\uffff":
        return _bmp_control_re().sub("", text)
    return "".join(
        ch for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in _CONTROL_CATEGORIES
    )


def _clean_prose(text: str) -> str:
    """LaTeX-isms outside math become the characters they stand for."""

    def accent(m: re.Match) -> str:
        mark, letter = next((g, h) for g, h in zip(m.groups()[::2], m.groups()[1::2]) if g)
        return unicodedata.normalize("NFC", letter + _ACCENTS[mark])

    # Each pattern needs a `\\` or a `{`: text without them (most prose) skips the scans.
    if "\\" in text:
        text = _ACCENT_RE.sub(accent, text)
    for _ in range(3 if "{" in text else 0):  # nested font commands unwrap from the inside out
        before = text
        text = _FONT_CMD_RE.sub(r"\1", text)
        text = _FONT_GROUP_RE.sub(r"\1", text)
        if text == before:
            break

    def macro(m: re.Match) -> str:
        name = m.group(1)
        if name in _SPECIAL_ESCAPES:
            return _SPECIAL_ESCAPES[name]
        if name == "$":
            return "\\$"  # stays escaped: clean text's one escape
        if name == "\\":
            return " "
        # An unknown macro (\HyperRouter, \codestar) was a name in the paper:
        # keep the word, drop the backslash.
        return _TEXT_MACROS.get(name, name)

    return _MACRO_RE.sub(macro, text) if "\\" in text else text


_MACRO_RE = re.compile(r"\\([A-Za-z]+|[%&#_{}$\\])(?:\{\})?")


def clean_text(raw: str) -> str:
    """Clean one title or abstract from a dump (see module docstring).

    U+FFFD (what a decoder leaves for bytes it could not read) is dropped too:
    it holds nothing, and `check` treats it in a page as a sign of bad bytes.
    """
    raw = raw.replace("\ufffd", "")
    text = collapse_whitespace(_strip_control(unicodedata.normalize("NFC", raw)))
    pieces: list[str] = []
    pos = 0
    for m in MATH_RE.finditer(text):
        pieces.append(_clean_prose(text[pos:m.start()]))
        pieces.append(m.group(0))  # math stays verbatim for the renderer
        pos = m.end()
    pieces.append(_clean_prose(text[pos:]))
    out = "".join(pieces)
    # Any `$` left that is not math and not escaped is a literal dollar sign.
    return _escape_stray_dollars(collapse_whitespace(out))


def _escape_stray_dollars(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in MATH_RE.finditer(text):
        out.append(re.sub(r"(?<!\\)\$", r"\\$", text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(re.sub(r"(?<!\\)\$", r"\\$", text[pos:]))
    return "".join(out)


def plain_text(clean: str) -> str:
    """Clean text for places with no math rendering (feeds, CSV, meta tags)."""
    return clean.replace("\\$", "$")


# --------------------------------------------------------------------------- identity


def ascii_fold(text: str) -> str:
    """Accents off, ligatures split: 'Tülu ﬁne' -> 'Tulu fine'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def title_key(title: str) -> str:
    """The identity of a paper: its title up to case, accents, punctuation and spacing."""
    folded = ascii_fold(plain_text(title)).casefold()
    # A title of punctuation only (`~`, `---`) keys as itself, so two such
    # papers are never merged into one.  Word keys hold no punctuation, so
    # the two kinds cannot collide.
    return " ".join(re.findall(r"[^\W_]+", folded)) or " ".join(folded.split())


def slugify(title: str, max_words: int = 12) -> str:
    """A readable ASCII slug: lower-case words joined by hyphens, at most ~80 chars."""
    words = re.findall(r"[a-z0-9]+", ascii_fold(plain_text(title)).lower())
    slug = ""
    for word in words[:max_words]:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > 80:
            break
        slug = candidate
    return slug or "paper"


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


ARXIV_CATEGORY_RE = re.compile(r"^(?:cs|math|stat|eess|physics|q-bio|q-fin|econ|astro-ph|cond-mat|hep-[a-z]+|nlin|quant-ph|gr-qc|nucl-[a-z]+|math-ph)\.[A-Za-z]{2}$|^(?:quant-ph|gr-qc|math-ph|hep-th|hep-ph|hep-ex|hep-lat|nucl-th|nucl-ex)$")
ARXIV_ID_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


# --------------------------------------------------------------------------- records


def record_from_raw(raw, file: str, captured: Optional[dt.date]):
    """A clean `Record` from a parse.RawRecord, with problems for what was dropped."""
    from .paper import Problem, Record, SourceRef  # local: paper imports nothing from here

    problems: list[Problem] = []
    record = Record(
        source=SourceRef(file, raw.line),
        title=clean_text(raw.title),
        abstract=clean_text(raw.abstract),
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
