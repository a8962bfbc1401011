"""Repair stage: undo what typesetting and copy-paste left in a dump's text.

Pure functions on clean text (text.clean_text has run: `$...$` is math, `\\$`
a dollar).  Two kinds of damage, each undone by rule, never by a list of
papers:

* **Line-break hyphens.**  Text copied from a PDF keeps the hyphen and the
  line break of a word the typesetter split: "bottle- necks".  A hyphen
  followed by a space is never right in a sentence but for a *suspended*
  hyphen ("zero- and few-shot", "compute- and memory-efficient"), which is
  followed by `and`, `or`, `nor`, `to` or `vs`; those stay.  Any other is
  joined: without a hyphen ("imbal- ance" -> "imbalance"), or with it when the
  hyphen was real: the next part starts with a capital or a digit
  ("non- LSTM" -> "non-LSTM"), the first part ends a hyphenated compound
  ("state-of-the- art"), is a prefix English hyphenates (`self-`, `non-`,
  `cross-`), or the text spells the same pair with a hyphen elsewhere.
* **TeX that lost its backslashes.**  Listing sites strip backslashes, so
  `2.5\\times` arrives as "2.5times", `\\url{x}` as "url{x}" and `\\gamma` as
  "gamma".  Rules, applied in this order:
  1. URLs: `url{U}` and `href{U}{label}` become U; braces around a URL (with
     a lost command's letters: `{footnotesizeblue{U}}`) go; a URL followed by
     a brace group (an `\\href` whose command was lost) keeps the URL.  Pages
     show every URL as a link (site/html.py).
  2. A command of TEX_SYMBOLS glued to a number becomes its symbol:
     "5times" -> "5×", "1.1sim14.6times" -> "1.1∼14.6×", "sim3x" -> "∼3x";
     `ldots`/`cdots` between non-letters become "…"/"⋯".
  3. What a lost `\\frac` leaves, `2{3}` and `ell_1{ell_2}`, becomes "2/3"
     and "ell_1/ell_2".
  4. Sub- and superscripts on one letter or a Greek name, `S^{2}`, `D^2`,
     `G_{stack}`, `k_{ast}`, `eta_1`, become math (`$S^{2}$`, `$\\eta_1$`),
     which pages render and plain places write out (`S²`, `η₁`).
  5. A braced symbol name, `{gamma}`, becomes its symbol; braces that only
     group letters at the start of a word, `{De}coupled`, go.
  Anything else stays as the dump wrote it: a rule that guesses wrong would
  corrupt text that was right.

URLs are never touched by rules 2-5.  `repair_text` is idempotent, and it is
what merge.fill_page uses to tell a page that still says what a dump gave
(under an older cleaning) from one a person edited.
"""

from __future__ import annotations

import re

from readinglist.text import GREEK_LETTERS, TEX_SYMBOLS, around_math

# --------------------------------------------------------------------------- line-break hyphens

# Words after which a hyphen and a space are a suspended hyphen ("zero- and few-shot").
SUSPENSION_WORDS = frozenset({"and", "or", "nor", "to", "vs", "versus"})
# Prefixes English writes with a hyphen, which a typesetter's break does not produce.
HYPHEN_PREFIXES = frozenset({"self", "non", "cross"})
_BROKEN_RE = re.compile(r"(?<![\w-])((?:[^\W_]+-)*)([^\W_]+)- ([^\W_]+)")


def join_broken_words(text: str) -> str:
    """`text` with the line-break hyphens of its words undone (see the module docstring)."""
    if "- " not in text:
        return text

    def join(m: re.Match) -> str:
        compound, first, rest = m.group(1), m.group(2), m.group(3)
        if rest.lower() in SUSPENSION_WORDS:
            return m.group(0)
        hyphenated = (compound or rest[0].isupper() or rest[0].isdigit() or first.lower() in HYPHEN_PREFIXES
                      or f"{first}-{rest}".lower() in text.lower())
        return f"{compound}{first}-{rest}" if hyphenated else f"{compound}{first}{rest}"

    return _BROKEN_RE.sub(join, text)


# --------------------------------------------------------------------------- TeX without backslashes

_URL = r"(?:https?://|www\.)[^\s{}<>\"]+"
_URL_RE = re.compile(_URL)
_URL_RULES = (
    (re.compile(r"\\?url\{(" + _URL + r")\}"), r"\1"),
    (re.compile(r"\\?href\{(" + _URL + r")\}\{[^{}]*\}"), r"\1"),
    (re.compile(r"(" + _URL + r")\{[^{}]*\}(?![\w{])"), r"\1"),
    (re.compile(r"\{+[A-Za-z]*\{?(" + _URL + r")\}+"), r"\1"),
)
# Commands that stand between numbers ("2.5times", "1.1sim14.6").
_NUMBER_COMMANDS = ("times", "sim", "approx", "pm", "cdot", "propto")
_AFTER_NUMBER_RE = re.compile(r"(?<=[\d.)])(" + "|".join(_NUMBER_COMMANDS) + r")(?![A-Za-z])")
_BEFORE_NUMBER_RE = re.compile(r"(?<![A-Za-z])(" + "|".join(_NUMBER_COMMANDS) + r")(?=\d)")
_ELLIPSIS_RE = re.compile(r"(?<![A-Za-z])(ldots|cdots)(?![A-Za-z])")
_FRACTION_PART = r"(?:\d+(?:\.\d+)?|[A-Za-z]+_\d+)"
_LOST_FRACTION_RE = re.compile(rf"(?<![\w\\^_{{])({_FRACTION_PART})\{{({_FRACTION_PART})\}}")
# Symbol names that are no English word, so a brace or subscript around one means TeX.
MATH_NAMES = frozenset(GREEK_LETTERS) | {"ast", "ell", "infty", "partial", "nabla", "propto"}
_NAMES = "|".join(sorted(MATH_NAMES, key=lambda n: (-len(n), n)))
_BRACED_NAME_RE = re.compile(r"\{(" + _NAMES + r")\}")
_WORD_START_BRACES_RE = re.compile(r"(?<![\w{}\\])\{([A-Za-z]+)\}(?=[A-Za-z])")
_SCRIPT = r"([_^])(\{[^{}\s$\\]+\}|\d+)"
_LETTER_SCRIPT_RE = re.compile(r"(?<![\w\\$])([A-Za-z])" + _SCRIPT)
_NAME_SCRIPT_RE = re.compile(r"(?<![A-Za-z\\$])(" + _NAMES + r")([_^])(\{[^{}\s$\\]+\}|\d+|[A-Za-z](?![A-Za-z]))")


def _as_math(base: str, mark: str, script: str) -> str:
    script = re.sub(r"(?<![A-Za-z\\])(" + _NAMES + r")(?![A-Za-z])", r"\\\1", script)
    return f"${base}{mark}{script}$"


def _undo_lost_tex(text: str) -> str:
    """Rules 2-5 of the module docstring, on text that holds no URL."""
    text = _AFTER_NUMBER_RE.sub(lambda m: TEX_SYMBOLS[m.group(1)], text)
    text = _BEFORE_NUMBER_RE.sub(lambda m: TEX_SYMBOLS[m.group(1)], text)
    text = _ELLIPSIS_RE.sub(lambda m: TEX_SYMBOLS[m.group(1)], text)
    text = _LOST_FRACTION_RE.sub(r"\1/\2", text)
    text = _NAME_SCRIPT_RE.sub(lambda m: _as_math("\\" + m.group(1), m.group(2), m.group(3)), text)
    text = _LETTER_SCRIPT_RE.sub(lambda m: _as_math(m.group(1), m.group(2), m.group(3)), text)
    text = _BRACED_NAME_RE.sub(lambda m: TEX_SYMBOLS[m.group(1)], text)
    return _WORD_START_BRACES_RE.sub(r"\1", text)


def undo_lost_tex(text: str) -> str:
    """Prose with the TeX that lost its backslashes written as text, links or math."""
    if not any(ch in text for ch in "{}^_") and not any(n in text for n in _NUMBER_COMMANDS + ("dots",)):
        return text
    for pattern, replacement in _URL_RULES:
        text = pattern.sub(replacement, text)
    out, pos = [], 0
    for url in _URL_RE.finditer(text):
        out.append(_undo_lost_tex(text[pos:url.start()]))
        out.append(url.group())
        pos = url.end()
    out.append(_undo_lost_tex(text[pos:]))
    return "".join(out)


def repair_text(clean: str) -> str:
    """Clean text from a dump with its line-break hyphens and lost TeX undone (outside math)."""
    return around_math(clean, lambda prose, _: undo_lost_tex(join_broken_words(prose)))
