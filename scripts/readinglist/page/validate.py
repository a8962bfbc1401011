"""Validation of paper pages: what `readinglist check` reports, one problem a line.

Pure functions over page text.  Every message says what is wrong and, in
parentheses, how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from typing import Any, Optional

from readinglist.curate.classify import Taxonomy
from readinglist.text import ARXIV_CATEGORY_RE, ARXIV_ID_RE, MATH_RE
from readinglist.paper import ENRICHABLE, FIELD_ORDER, FIELDS, SERVICES, Problem, Provenance
from readinglist.page.markdown import PageError, key_line, split_page, top_level_keys

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A title is one line: the longest of the seed papers has 145 characters.  Ingest
# skips a record with a longer one, so it never writes a page check refuses.
MAX_TITLE_CHARS = 1000
# A key readinglist does not know is a contributor's own (`venue: NeurIPS`); it
# goes into papers.json and papers.csv as it is, so it is kept small and flat.
MAX_UNKNOWN_CHARS = 2000
MAX_UNKNOWN_DEPTH = 4
# Python-Markdown renders some shapes in time that grows with the square (or
# more) of their size, and one page would stall every build: many `[` or `{`
# in one paragraph (20,000 `[` take minutes; so do a few thousand `{ ` in a
# heading), lists or quotes nested hundreds deep (a thousand end in a
# RecursionError).  Real pages stay far below these.
MAX_BRACKETS_PER_PARAGRAPH = 200
MAX_INDENT_COLUMNS = 120
# Raw HTML that would reach readers as markup: tags, comments, processing
# instructions, and anything Python-Markdown's inline HTML pattern takes as a
# tag (`<javascript:alert(1)>`) that is not an http(s)/ftp autolink.
_RAW_HTML_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*[\s/>]|/[A-Za-z]|!--|\?)")
_INLINE_HTML_RE = re.compile(r"<(?!(?:https?|ftp)://)/?[A-Za-z][^<>@ ]*(?: [^<>]*)?>")
_LINK_TARGET_RE = re.compile(r"\]\(\s*<?([^)\s>]*)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_SAFE_SCHEME_RE = re.compile(r"^(?:https?:|mailto:|#|/|\.|[A-Za-z0-9_-]+(?:/|\.md|$))", re.IGNORECASE)
# attr_list can set any attribute, including href and event handlers: `{` then,
# before any `}`, one of these names and `=`.  (Found part by part, split at
# `}`, from the first `{` of each part: one regex from every `{` would take
# quadratic time on a line of braces.)
_ATTR_NAME_RE = re.compile(r"\b(?:on[a-z]+|href|src|srcdoc|x?link:?href|action|formaction|style)\s*=", re.IGNORECASE)


def _sets_attributes(line: str) -> bool:
    for part in line.split("}"):
        brace = part.find("{")
        if brace >= 0 and _ATTR_NAME_RE.search(part, brace):
            return True
    return False


# A backslash escape Python-Markdown honours (with the tables extension's `|`):
# the escaped character is text, never syntax.
_MD_ESCAPE_RE = re.compile(r"\\[\\`*_{}\[\]()#+\-.!|>]")


def _strip_code(body: str) -> str:
    """Body with fenced blocks and inline code blanked (their content is shown as text)."""
    body = re.sub(r"(?ms)^(```|~~~).*?^\1[^\n]*$", lambda m: "\n" * m.group(0).count("\n"), body)
    return re.sub(r"`[^`\n]*`", "``", body)


def _live_markup(line: str) -> str:
    """A body line with what renders as text blanked: backslash escapes, then math.

    Positions are kept, so what is left is exactly the syntax that is live.
    `$...$` renders as math whatever it holds (and math is rendered safely),
    so a `<` or `](` inside it is not markup.
    """
    line = _MD_ESCAPE_RE.sub("  ", line)
    return MATH_RE.sub(lambda m: " " * len(m.group(0)), line)


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60
_REPR.maxlevel = 2
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = 3


def _show(value: Any) -> str:
    """A value for a message: short, whatever YAML built (aliases can nest a billion items)."""
    return _REPR.repr(value)


def _check_type(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    """What is wrong with one front-matter value, or None."""
    return _CHECKS[KINDS[key]](key, value, taxonomy)


KINDS = {f.name: f.kind for f in FIELDS}


def _title(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    if not isinstance(value, str) or not value.strip():
        return "`title:` must be the paper's title as text (write it in quotes if it contains `: `)"
    if "\n" in value.strip():
        return "`title:` must be one line (join the lines)"
    if len(value) > MAX_TITLE_CHARS:
        return (f"`title:` is {len(value):,} characters long; a title has at most {MAX_TITLE_CHARS:,} "
                "(keep the title, move the rest into the abstract)")
    return None


def _names(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
        return f"`{key}:` must be a list of names (one `- Name` line each)"
    return None


def _flag(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    return None if isinstance(value, bool) else f"`{key}:` must be true or false (got {_show(value)})"


def _whole(minimum: int):
    def check(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            at_least = " of at least 1" if minimum == 1 else ""
            return f"`{key}:` must be a whole number{at_least} (got {_show(value)})"
        return None
    return check


def _text(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    return None if isinstance(value, str) and value.strip() else f"`{key}:` must be text"


def _date(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    wrong = f"`{key}:` must be a date like 2024-05-30 (got {_show(value)})"
    if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
        return wrong
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return wrong
    return None


def _category(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    if not isinstance(value, str) or not ARXIV_CATEGORY_RE.match(value):
        return f"`{key}:` must be an arXiv category like cs.CL or stat.ML (got {_show(value)})"
    return None


def _arxiv_id(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    if not isinstance(value, str) or not ARXIV_ID_RE.match(value):
        return (f"`{key}:` must be an arXiv identifier like '2310.01234' in quotes "
                f"(got {_show(value)}; unquoted, YAML reads 2310.10000 as a number)")
    return None


def _topics(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        return f"`{key}:` must be a list of topic ids (one `- id` line each)"
    if taxonomy is not None:
        unknown = [t for t in value if t not in taxonomy.ids]
        if unknown:
            return (f"unknown topic {unknown[0]!r} in `{key}:` (use one of the ids in "
                    "site_config/topics.yml, or add the topic there first)")
    if len(set(value)) != len(value):
        return f"`{key}:` lists a topic twice (remove the repeat)"
    return None


def _sources(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    if not isinstance(value, list) or not all(
            isinstance(s, dict) and isinstance(s.get("file"), str) and isinstance(s.get("line"), int)
            and not isinstance(s.get("line"), bool) and set(s) == {"file", "line"} for s in value):
        return f"`{key}:` must be a list of `{{file: NAME, line: N}}` entries (ingest fills it; leave it as it was)"
    return None


def _year(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2100:
        return f"`{key}:` must be a year like 2021 (got {_show(value)})"
    return None


DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s\"<>]+$")


def _doi(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    if not isinstance(value, str) or not DOI_RE.match(value):
        return (f"`{key}:` must be a DOI like 10.1109/cvpr.2018.00474, without https://doi.org/ "
                f"(got {_show(value)})")
    return None


URL_RE = re.compile(r"^https?://[^\s\"'<>`\\]+$")


def _url(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    if not isinstance(value, str) or not URL_RE.match(value):
        return f"`{key}:` must be a web address starting with https:// (got {_show(value)})"
    return None


def _provenance(key: str, value: Any, taxonomy: Optional[Taxonomy]) -> Optional[str]:
    usage = (f"one `field: service YYYY-MM-DD` line per enriched field (fields: {', '.join(ENRICHABLE)}; "
             f"services: {', '.join(SERVICES)})")
    if not isinstance(value, dict) or not value:
        return f"`{key}:` must be {usage}; readinglist enrich writes it"
    for name, text in value.items():
        if name not in ENRICHABLE:
            return f"`{key}:` names {_show(name)}, which enrich never fills ({usage})"
        if Provenance.parse(text) is None:
            return f"`{key}:` {name}: {_show(text)} is not `service YYYY-MM-DD` ({usage})"
    return None


# How each kind of field (paper.FIELDS) is checked.
_CHECKS = {"title": _title, "names": _names, "flag": _flag, "yesno": _flag, "count": _whole(1), "number": _whole(0),
           "text": _text, "date": _date, "category": _category, "arxiv_id": _arxiv_id, "topics": _topics,
           "sources": _sources, "year": _year, "doi": _doi, "url": _url, "provenance": _provenance}


def validate_page(text: str, path: str, slug: str, taxonomy: Optional[Taxonomy]) -> list[Problem]:
    """Every problem of one paper page (cross-page checks live in tools/check.py)."""
    problems = file_problems(text, path, slug)
    try:
        meta, body, body_line = split_page(text, path)
    except PageError as exc:
        return problems + exc.problems
    return problems + validate_parts(text, meta, body, body_line, path, taxonomy)


def file_problems(text: str, path: str, slug: str) -> list[Problem]:
    """What is wrong with a page as a file: its name and its bytes."""
    problems: list[Problem] = []
    if not SLUG_RE.match(slug):
        problems.append(Problem(path, 1, "file name is not a slug (rename it to lower-case words joined by "
                                         "hyphens, e.g. my-paper-title.md)"))
    if "\ufffd" in text:
        # store.read_pages decodes bad bytes as U+FFFD; MkDocs would refuse the whole build.
        problems.append(Problem(path, text.count("\n", 0, text.index("\ufffd")) + 1,
                                "the page holds bytes that are not UTF-8 (shown as \ufffd); re-save it as UTF-8"))
    return problems


# Characters a page has no use for: C0 controls but tab and line end, and DEL (a NUL byte,
# an escape sequence pasted from a terminal).  YAML refuses them in front matter anyway.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_parts(text: str, meta: dict[str, Any], body: str, body_line: int, path: str,
                   taxonomy: Optional[Taxonomy]) -> list[Problem]:
    """The problems of a page's front matter and body, as split_page gave them."""
    problems: list[Problem] = []
    control = _CONTROL_RE.search(body)  # (in front matter, YAML refuses them itself)
    if control:
        problems.append(Problem(path, body_line + body.count("\n", 0, control.start()),
                                f"the page holds the control character U+{ord(control.group()):04X}, which no page "
                                "can show (delete it; an editor may show it as ^@ or not at all)"))
    if "title" not in meta:
        problems.append(Problem(path, 1, "required key `title:` is missing (add the paper's title)"))
    seen: dict[str, int] = {}
    for key, line in top_level_keys(text):
        if key in seen:
            problems.append(Problem(path, line, f"key `{key}:` is given twice (first on line {seen[key]}); YAML "
                                                "keeps only the last one (delete one of them)"))
        seen.setdefault(key, line)
    for key, value in meta.items():
        line = key_line(text, str(key))
        if key not in FIELD_ORDER:
            problems.append(Problem(path, line, f"unknown key `{key}:` (known keys: {', '.join(FIELD_ORDER)}; "
                                                "see CONTRIBUTING.md)"))
            if _too_big(value):
                problems.append(Problem(path, line, f"the value of `{key}:`, a key readinglist does not know, is "
                                                    f"over {MAX_UNKNOWN_CHARS:,} characters or nested over "
                                                    f"{MAX_UNKNOWN_DEPTH} deep (move it below the abstract, "
                                                    "or delete the key)"))
            continue
        if value is None:
            problems.append(Problem(path, line, f"`{key}:` is empty (give it a value or delete the line)"))
            continue
        message = _check_type(key, value, taxonomy)
        if message:
            problems.append(Problem(path, line, message))
    enriched = meta.get("enriched")
    if isinstance(enriched, dict):
        for name in enriched:
            if name in ENRICHABLE and meta.get(name) in (None, [], ""):
                problems.append(Problem(path, key_line(text, "enriched"),
                                        f"`enriched:` names `{name}`, which the page does not have (delete the "
                                        f"`{name}:` line under `enriched:` too; enrich then fills it again)"))
    if meta.get("topics_curated") is True and not meta.get("topics"):
        problems.append(Problem(path, key_line(text, "topics_curated"),
                                "`topics_curated: true` but no `topics:` (list the topics you chose)"))
    problems.extend(_body_problems(body, path, body_line))
    if not any(line.strip() and not line.startswith("#") for line in body.split("\n")):
        problems.append(Problem(path, body_line, "the page has no abstract (write it below the front matter)"))
    return problems


def _too_big(value: Any) -> bool:
    """Whether a value is over MAX_UNKNOWN_CHARS (text and items) or MAX_UNKNOWN_DEPTH deep.

    Iterative, and it stops at the limit: a value of any shape costs at most that much.
    """
    size, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_UNKNOWN_DEPTH:
            return True
        if isinstance(item, dict):
            parts: Any = [part for pair in item.items() for part in pair] if len(item) <= MAX_UNKNOWN_CHARS else None
        elif isinstance(item, (list, tuple, set)):
            parts = list(item) if len(item) <= MAX_UNKNOWN_CHARS else None
        else:
            size += len(item) if isinstance(item, str) else 8
            parts = []
        if parts is None:
            return True
        size += len(parts)
        if size > MAX_UNKNOWN_CHARS:
            return True
        stack.extend((part, depth + 1) for part in parts)
    return False


def _body_problems(body: str, path: str, body_line: int) -> list[Problem]:
    problems: list[Problem] = []
    code_free = _strip_code(body)
    brackets, paragraph, too_deep = 0, body_line, False
    for offset, line in enumerate(code_free.split("\n")):
        where = body_line + offset
        indent = len(re.match(r"[ \t>]*", line).group().expandtabs(4))
        if indent > MAX_INDENT_COLUMNS and not too_deep:
            too_deep = True  # once a page: every line below is as deep
            problems.append(Problem(path, where, f"indented {indent} columns: lists or quotes nested this deep "
                                                 f"would take Markdown minutes to render (at most "
                                                 f"{MAX_INDENT_COLUMNS} columns)"))
        line = _live_markup(line)
        if not line.strip():
            brackets, paragraph = 0, where + 1
        elif brackets <= MAX_BRACKETS_PER_PARAGRAPH:
            brackets += line.count("[") + line.count("{")
            if brackets > MAX_BRACKETS_PER_PARAGRAPH:
                problems.append(Problem(path, paragraph, f"a paragraph with over {MAX_BRACKETS_PER_PARAGRAPH} `[` and "
                                                         "`{` would take Markdown minutes to render (write them as "
                                                         "\\[ and \\{, or split the paragraph)"))
        if _RAW_HTML_RE.search(line) or _INLINE_HTML_RE.search(line):
            problems.append(Problem(path, where, "raw HTML in the page would be live markup "
                                                 "(write < as &lt; or put it in `backticks`)"))
        for m in _LINK_TARGET_RE.finditer(line):
            target = m.group(1) or m.group(2) or ""
            if target and not _SAFE_SCHEME_RE.match(target):
                problems.append(Problem(path, where, f"link to {target[:40]!r} is not allowed "
                                                     "(links must be http(s), mailto or pages of this site)"))
        if _sets_attributes(line):
            problems.append(Problem(path, where, "attribute list that sets a link, style or event handler "
                                                 r"would be live markup (write { as \{)"))
    return problems
