"""The word index: find a taxonomy's terms in a text in one pass.

Filing one paper looks for about a thousand terms in its title and abstract.
A regular expression per term would scan the text a thousand times.  Instead
the text is split into words once (`Words`), the words are joined into one
line (' kv cache compression for '), and an Aho-Corasick automaton built once
per taxonomy (`TermIndex`, with the C library pyahocorasick) finds every
spelling of every phrase in that line in a single pass.  Only the few terms
written as regular expressions (`patterns:`) still run as such: where the
automaton saw the letters they start with, or, failing that, when the text
holds the letters they cannot match without (read from the pattern's own
text, no private API).

Patterns read `line`, not the text as written: lower case, words separated
by one space, hyphens read as spaces, and every other character standing
alone between spaces ('4-bit, 2:4' reads ' 4 bit , 2 : 4 '), so that a
pattern never has to spell out the ways of writing a gap.  A pattern that
starts with `(?-i)` reads the text as written, case and all.

What a phrase matches (the rules CONTRIBUTING.md and topics.yml describe):
case-insensitive whole words; a space in the phrase matches spaces or hyphens
between the words, a hyphen also matches no gap at all ('pre-training',
'pre training', 'pretraining'); the last word may take a plural `s`/`es`; a
trailing `*` matches any ending of the last word (`quantiz*`); `|` joins
phrases that count as one term.  A word is a run of letters and digits:
anything else separates words.
"""

from __future__ import annotations

import bisect
import itertools
import re
import string
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

import ahocorasick

WORD = re.compile(r"[^\W_]+")
# A word, or one character that is neither a word's, a space nor a hyphen:
# between two words of a phrase there may be only spaces and hyphens, so any
# other character is a token of its own that no phrase reads across.
_TOKEN = re.compile(r"[^\W_]+|[^\w\s-]|_")
# ASCII characters that are tokens of their own (the hyphen is a space).
_ASCII_MARKS = tuple(c for c in string.punctuation if c != "-")
# Hyphenated phrases glue at most this many joints (2**3 spellings).
_MAX_GLUED_JOINTS = 3

Span = tuple[int, int]


class TermError(ValueError):
    """A term that cannot be compiled; the message says why."""


# --------------------------------------------------------------------------- texts


def _ascii_tokens(lower: str) -> list[str]:
    """What _TOKEN.findall gives for an ASCII text, three times faster (str methods run in C)."""
    lower = lower.replace("-", " ")
    for mark in _ASCII_MARKS:
        if mark in lower:
            lower = lower.replace(mark, f" {mark} ")
    return lower.split()


class Words:
    """A text as the automaton reads it: lower-case words joined by single
    spaces (`line`), where every character between two words other than
    spaces and hyphens stays as a token of its own, so that no phrase is read
    across it.  Spans are given in `line` positions: patterns that read the
    text as written have theirs translated (`line_span`)."""

    __slots__ = ("text", "lower", "line", "tokens", "_offsets", "_starts")

    def __init__(self, text: str):
        self.text = text
        self.lower = text.lower()
        self.tokens = _ascii_tokens(self.lower) if text.isascii() else _TOKEN.findall(self.lower)
        self.line = " " + " ".join(self.tokens) + " "
        self._offsets: Optional[list[int]] = None
        self._starts: Optional[list[int]] = None

    @property
    def words(self) -> list[str]:
        return [t for t in self.tokens if t.isalnum()]

    @property
    def word_count(self) -> int:
        """How many words the text has, as a person counts them (runs between spaces)."""
        return len(self.text.split())

    def line_span(self, start: int, end: int) -> Span:
        """The `line` span of the tokens a span [start, end) of the text covers."""
        if not self.tokens:
            return (0, 0)
        if self._starts is None:
            source = self.lower if len(self.lower) == len(self.text) else self.text
            self._starts = [m.start() for m in _TOKEN.finditer(source)]
        if self._offsets is None:
            self._offsets = list(itertools.accumulate((len(t) + 1 for t in self.tokens), initial=1))
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        last = min(max(first, bisect.bisect_left(self._starts, end) - 1), len(self.tokens) - 1)
        return (self._offsets[first], self._offsets[last] + len(self.tokens[last]))


# --------------------------------------------------------------------------- phrases


@dataclass(frozen=True)
class Spelling:
    """One way a phrase can be written, as the words a text must hold in a row."""

    words: tuple[str, ...]
    last: str  # "exact", "plural" or "prefix": how the last word may end

    def last_fits(self, word: str) -> bool:
        want = self.words[-1]
        if self.last == "prefix":
            return word.startswith(want)
        if self.last == "plural":
            return word == want or word == want + "s" or word == want + "es"
        return word == want


def spellings(phrase: str) -> list[Spelling]:
    """The spellings of a phrase, e.g. 'pre-training' -> [pre training], [pretraining]."""
    phrase = phrase.strip()
    wildcard = phrase.endswith("*")
    body = phrase[:-1] if wildcard else phrase
    if "*" in body:
        raise TermError(f"phrase {phrase!r}: `*` may only end a phrase")
    parts = re.split(r"(\s+|-)", body)
    words, joints = parts[0::2], parts[1::2]
    if not all(words):
        raise TermError(f"phrase {phrase!r}: has an empty word")
    if any(WORD.fullmatch(w) is None for w in words):
        raise TermError(f"phrase {phrase!r}: write it as words of letters and digits "
                        "(or as a pattern)")
    words = [w.lower() for w in words]
    if wildcard:
        last = "prefix"
    else:
        last = "plural" if words[-1][-1].isalpha() else "exact"
    hyphens = [i for i, joint in enumerate(joints) if joint == "-"][:_MAX_GLUED_JOINTS]
    found: dict[tuple[str, ...], None] = {}
    for glue in itertools.product((False, True), repeat=len(hyphens)):
        glued = {joint for joint, g in zip(hyphens, glue) if g}
        out = [words[0]]
        for i, word in enumerate(words[1:]):
            if i in glued:
                out[-1] += word
            else:
                out.append(word)
        found[tuple(out)] = None
    return [Spelling(w, last) for w in found]


Requirement = tuple[str, ...]  # one of these strings occurs in every match


def requirements(pattern: str) -> list[Requirement]:
    """What every match of `pattern` contains, read from its text: each
    requirement is a few strings one of which occurs in every match.

    A conservative reading of the top level: runs of plain letters and digits
    outside any group or class (a character made optional by the quantifier
    after it ends a run), and groups of alternatives that each hold such a
    run.  Runs shorter than 3 letters are ignored.  An empty list means
    nothing is certain; the pattern then always runs.
    """
    if pattern.startswith("(?-i)"):
        pattern = pattern[len("(?-i)"):]
    alternatives = _top_level_split(pattern)
    if len(alternatives) > 1:
        best = [max(requirements(a), key=_selectivity, default=None) for a in alternatives]
        if any(b is None for b in best):
            return []
        return [tuple(sorted({lit for b in best for lit in b}))]
    runs, groups = _top_level_parts(pattern)
    found: list[Requirement] = [(run,) for run in runs if len(run) >= 3]
    for group in groups:
        inner = requirements(group)
        if inner:
            found.append(max(inner, key=_selectivity))
    found = list(dict.fromkeys(found))
    found.sort(key=_selectivity, reverse=True)
    return found[:3]


def _selectivity(requirement: Requirement) -> tuple[int, int]:
    # Fewer, longer strings are rarer in a text.
    return (-len(requirement), min(len(lit) for lit in requirement))


def anchors(pattern: str) -> Optional[tuple[str, ...]]:
    """The letters a match of `pattern` must start a word with, when the
    pattern opens with `\\b` and then letters (or a group of alternatives
    that each open so); None otherwise.  Such a pattern is tried only where
    those words start, instead of over the whole text."""
    if pattern.startswith("(?-i)"):
        pattern = pattern[len("(?-i)"):]
    if not pattern.startswith("\\b"):
        return None
    found = _opening_letters(pattern[2:])
    return found if found and all(len(a) >= 2 for a in found) else None


def _opening_letters(pattern: str) -> Optional[tuple[str, ...]]:
    run, i = "", 0
    while i < len(pattern) and pattern[i].isalnum():
        following = pattern[i + 1: i + 3]
        if following[:1] in ("?", "*") or following == "{0":
            break
        run += pattern[i].lower()
        i += 1
    if run:
        return (run,)
    if pattern.startswith("(?:"):
        end = _group_end(pattern, 0)
        if pattern[end + 1: end + 2] in ("?", "*") or pattern[end + 1: end + 3] == "{0":
            return None
        found: set[str] = set()
        for alternative in _top_level_split(pattern[3:end]):
            opening = _opening_letters(alternative)
            if not opening:
                return None
            found.update(opening)
        return tuple(sorted(found))
    return None


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth before it) of each `(`, `)` and `|` from `start` on,
    skipping escapes and character classes: the walk both splitters below need."""
    depth, i = 0, start
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(pattern, i) + 1
            continue
        if ch in "()|":
            yield i, ch, depth
            depth += {"(": 1, ")": -1, "|": 0}[ch]
        i += 1


def _top_level_split(pattern: str) -> list[str]:
    """The alternatives of `pattern` split at its top-level `|`."""
    parts, start = [], 0
    for i, ch, depth in _structure(pattern):
        if ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


def _top_level_parts(pattern: str) -> tuple[list[str], list[str]]:
    """Required literal runs at the top level, and the bodies of required top-level groups."""
    runs, groups, run, i = [], [], "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            runs.append(run)
            run, i = "", i + 2
            continue
        if ch == "[":
            runs.append(run)
            run, i = "", _class_end(pattern, i) + 1
            continue
        if ch == "(":
            runs.append(run)
            run = ""
            end = _group_end(pattern, i)
            body = pattern[i + 1:end]
            optional = pattern[end + 1:end + 2] in ("?", "*") or pattern[end + 1:end + 3] == "{0"
            if body.startswith("?:") and not optional:
                groups.append(body[2:])
            elif body.startswith("?") and not body.startswith("?:"):
                pass  # a lookaround or an inline flag: no text of its own
            elif not optional:
                groups.append(body)
            i = end + 1
            continue
        if ch.isalnum():
            following = pattern[i + 1: i + 3]
            if following[:1] in ("?", "*") or following == "{0":
                runs.append(run)
                run = ""
            else:
                run += ch.lower()
            i += 1
            continue
        runs.append(run)
        run, i = "", i + 1
    runs.append(run)
    return runs, groups


def _group_end(pattern: str, start: int) -> int:
    """The index of the `)` that closes the group opening at `start`."""
    for i, ch, depth in _structure(pattern, start):
        if ch == ")" and depth == 1:
            return i
    return len(pattern)


def _class_end(pattern: str, start: int) -> int:
    """The index of the `]` that closes the character class opening at `start`."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]":
            return i
        i += 1
    return len(pattern)


# --------------------------------------------------------------------------- the index


@dataclass(frozen=True)
class Term:
    """A phrase or a pattern of the taxonomy, with the name a person wrote."""

    name: str
    spellings: tuple[Spelling, ...] = ()
    regex: Optional[re.Pattern] = None
    needs: tuple[Requirement, ...] = ()
    anchors: Optional[tuple[str, ...]] = None
    # A `(?-i)` pattern reads the text as written; others read `Words.line`.
    as_written: bool = False


def phrase_term(phrase: str) -> Term:
    """A phrase, or several separated by `|` that count as one term
    ('memory footprint | memory usage': saying it twice is not more evidence)."""
    alternatives = [a.strip() for a in phrase.split("|")]
    if not all(alternatives):
        raise TermError(f"phrase {phrase!r}: has an empty alternative around `|`")
    found = dict.fromkeys(s for a in alternatives for s in spellings(a))
    return Term(phrase, spellings=tuple(found))


def pattern_term(pattern: str) -> Term:
    source, flags = pattern, re.IGNORECASE
    if pattern.startswith("(?-i)"):
        source, flags = pattern[len("(?-i)"):], 0
    try:
        regex = re.compile(source, flags)
    except re.error as exc:
        raise TermError(f"pattern {pattern!r} is not a valid regular expression: {exc}") from None
    return Term(pattern, regex=regex, needs=tuple(requirements(pattern)), anchors=anchors(pattern),
                as_written=not flags)


# What a key of the automaton stands for.
_PHRASE, _ANCHOR, _NEED = 0, 1, 2


class TermIndex:
    """An automaton over every spelling of the terms, built once per taxonomy.

    `find(words)` returns, for one text, the spans where each term occurs
    (term number -> spans in `Words.line`, in order).  Numbers are positions
    in `terms`; `skip` names numbers this index leaves out (terms never
    looked for in this kind of text), `lazy` patterns it leaves for
    `spans_of` (vetoes and ignores, needed only for a topic that has
    evidence)."""

    def __init__(self, terms: Iterable[Term], skip: frozenset[int] = frozenset(), lazy: frozenset[int] = frozenset()):
        self.terms: list[Term] = list(terms)
        keys: dict[str, list[tuple]] = {}
        # Patterns with no opening letters, by the letters that must be seen
        # before they run (the most telling requirement), or always run.
        self.triggered: dict[str, list[int]] = {}
        self.always: list[int] = []
        for n, term in enumerate(self.terms):
            if n in skip or (n in lazy and term.regex is not None):
                continue
            if term.regex is not None:
                opening = None if term.as_written else term.anchors
                for lit in opening or ():
                    keys.setdefault(" " + lit, []).append((_ANCHOR, n, len(lit) + 1))
                if opening is None:
                    if term.needs:
                        for lit in term.needs[0]:
                            keys.setdefault(lit, []).append((_NEED, lit))
                            self.triggered.setdefault(lit, []).append(n)
                    else:
                        self.always.append(n)
                continue
            for spelling in term.spellings:
                body = " " + " ".join(spelling.words)
                if spelling.last == "prefix":
                    ends = [body]
                elif spelling.last == "plural":
                    ends = [body + " ", body + "s ", body + "es "]
                else:
                    ends = [body + " "]
                for key in ends:
                    keys.setdefault(key, []).append((_PHRASE, n, len(key)))
        self.automaton = ahocorasick.Automaton()
        for key, values in keys.items():
            self.automaton.add_word(key, tuple(values))
        if keys:
            self.automaton.make_automaton()

    def spans_of(self, n: int, words: Words) -> list[Span]:
        """Where one pattern matches, asked for by itself (patterns left out of `find`)."""
        return sorted(_pattern_spans(self.terms[n], words))

    def find(self, words: Words) -> dict[int, list[Span]]:
        found: dict[int, set[Span]] = {}
        seen: set[str] = set()
        anchored: dict[int, list[int]] = {}
        line = words.line
        if self.automaton.kind == ahocorasick.AHOCORASICK:
            for end, values in self.automaton.iter(line):
                for value in values:
                    kind = value[0]
                    if kind == _PHRASE:
                        start = end - value[2] + 2  # the key starts with the space before the phrase
                        # a key ends with the space after the phrase, or inside its last word (`*`)
                        stop = end if line[end] == " " else line.index(" ", end)
                        found.setdefault(value[1], set()).add((start, stop))
                    elif kind == _ANCHOR:
                        anchored.setdefault(value[1], []).append(end - value[2] + 2)
                    else:
                        seen.add(value[1])
        for n, starts in anchored.items():
            spans = _anchored_spans(self.terms[n], line, starts)
            if spans:
                found[n] = set(spans)
        run = set(self.always)
        for lit in seen:
            run.update(self.triggered.get(lit, ()))
        for n in run:
            term = self.terms[n]
            if all(any(lit in line for lit in need) for need in term.needs[1:]):
                spans = _pattern_spans(term, words)
                if spans:
                    found[n] = set(spans)
        return {n: sorted(spans) for n, spans in found.items()}


def _anchored_spans(term: Term, line: str, starts: Iterable[int]) -> list[Span]:
    """Where a pattern matches in `line` trying only where its opening letters start a word."""
    spans: list[Span] = []
    for start in sorted(set(starts)):
        if spans and start < spans[-1][1]:
            continue
        m = term.regex.match(line, start)
        if m and m.end() > m.start():
            spans.append(m.span())
    return spans


def _pattern_spans(term: Term, words: Words) -> list[Span]:
    """Every match of a pattern, in `line` positions."""
    if term.as_written:
        return [words.line_span(*m.span()) for m in term.regex.finditer(words.text) if m.end() > m.start()]
    return [m.span() for m in term.regex.finditer(words.line) if m.end() > m.start()]
