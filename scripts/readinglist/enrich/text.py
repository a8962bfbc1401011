"""Pure text helpers for comparing titles and names across services.

The same paper's title arrives as `R$^3$-SQL` from arXiv, `R<sup>3</sup>-SQL` from
OpenAlex, `R^3-SQL` or `R³-SQL` from Hugging Face, with Unicode dashes, curly
quotes and line breaks.  `normalize_title` maps all of them to one plain form
(`r3 sql ...`) so that the fuzzy comparison measures real differences only.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Optional

_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
# `\textbf{X}` -> `X` (a command before a group only shapes it), `\alpha` -> `alpha`,
# `\&` -> `&`: keep what a reader sees.
_TEX_WRAPPER_RE = re.compile(r"\\[A-Za-z]+\s*(?=\{)")
_TEX_COMMAND_RE = re.compile(r"\\([A-Za-z]+|.)")
# Characters that only shape TeX (math shifts, super/subscripts, groups): dropped
# without a space, so `R$^3$` and `R^{3}` become `R3` like `R³`.
_TEX_SHAPING = str.maketrans("", "", "$^_{}")
_DASHES_AND_QUOTES = str.maketrans({
    **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4\u0060"},
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
})
_WORD_RE = re.compile(r"[^\W_]+")
_DIGITS_RE = re.compile(r"\d+")
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def fold(text: str) -> str:
    """Accents off, compatibility forms unified (`²` -> `2`, `ﬁ` -> `fi`), case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _strip_markup(text: str) -> str:
    text = _TAG_RE.sub("", html.unescape(text))
    text = unicodedata.normalize("NFKC", text).translate(_DASHES_AND_QUOTES)
    text = _TEX_COMMAND_RE.sub(r"\1", _TEX_WRAPPER_RE.sub("", text))
    return text.translate(_TEX_SHAPING)


def normalize_title(title: str) -> str:
    """A title as lower-case words separated by single spaces, free of TeX, HTML and
    typographic variants: the form titles are compared, searched and cached in."""
    return " ".join(_WORD_RE.findall(fold(_strip_markup(title))))


def title_numbers(normalized: str) -> tuple[str, ...]:
    """The digit runs of a normalized title, sorted: `4-bit` vs `8-bit`, `V2` vs `V3`
    or `Llama 2` vs `Llama 3` are different papers however close the rest is."""
    return tuple(sorted(m.lstrip("0") or "0" for m in _DIGITS_RE.findall(normalized)))


_ARTICLES = frozenset({"a", "an", "the"})


def _stem(word: str) -> str:
    """`models` and `model`, `towards` and `toward` alike; nothing cleverer."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _one_edit(a: str, b: str) -> bool:
    """Whether `b` is `a` with one character inserted, deleted or replaced."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def word_difference(known: str, found: str) -> Optional[str]:
    """None when two normalized titles say the same words (up to articles, a plural, joined
    or split words, or one typo in a long word); else the words that differ, for a report.

    Character similarity alone takes `Attention Is Not All You Need`, `Faster ...` for
    `Fast ...`, `Unsupervised ...` for `Supervised ...` or `LQ-LoRA` for `QLoRA` as the
    same title: a word more, a word less or another word is another paper until a person
    says otherwise."""
    a = [_stem(w) for w in known.split() if w not in _ARTICLES]
    b = [_stem(w) for w in found.split() if w not in _ARTICLES]
    if "".join(a) == "".join(b):
        return None
    only_a, only_b = _minus(a, b), _minus(b, a)
    if len(only_a) == len(only_b) == 1 and min(len(only_a[0]), len(only_b[0])) >= 5 \
            and _one_edit(only_a[0], only_b[0]) and len(a) == len(b):
        return None
    if not only_a:
        return f"“{' '.join(only_b)}” added"
    if not only_b:
        return f"“{' '.join(only_a)}” missing"
    return f"“{' '.join(only_a)}” vs “{' '.join(only_b)}”"


def _minus(words: list[str], other: list[str]) -> list[str]:
    """`words` less those `other` has, counted (a multiset difference), in order."""
    rest = list(other)
    out = []
    for w in words:
        if w in rest:
            rest.remove(w)
        else:
            out.append(w)
    return out


def name_tokens(name: str) -> list[str]:
    """A person's name as folded words, without suffixes like `Jr.`."""
    return [w for w in _WORD_RE.findall(fold(_strip_markup(name))) if w not in _NAME_SUFFIXES]


def surname(name: str) -> Optional[str]:
    """The family name: before the comma in `Hu, Edward`, else the last word."""
    if "," in name:
        head = name_tokens(name.split(",", 1)[0])
        if head:
            return " ".join(head)
    tokens = name_tokens(name)
    return tokens[-1] if tokens else None


def same_person(known: str, found: str) -> bool:
    """Whether two spellings of a first author plausibly name one person: their surnames
    agree, or one's surname is a word of the other's name (given/family order swapped,
    `Allen-Zhu` written `Allen Zhu`)."""
    known_surname, found_surname = surname(known), surname(found)
    if not known_surname or not found_surname:
        return False
    if known_surname == found_surname:
        return True
    known_words, found_words = set(name_tokens(known)), set(name_tokens(found))
    return (all(w in found_words for w in known_surname.split())
            or all(w in known_words for w in found_surname.split()))
