"""Quick rejection for classify's term regexes: skip a regex that cannot match.

Classifying one paper runs every term of every topic (several hundred
regexes) over its title and abstract; a case-insensitive regex that starts
with `\\b` cannot use the regex engine's literal-prefix search, so each scan
costs tens of microseconds, and most terms are absent from any one abstract.

The words every match of a regex must contain are read from the parsed regex
(the words of a phrase; one of the words `(?:gpu|cuda)` starts with; ...).
A word the regex puts between word boundaries (`\\b`, spaces, hyphens) must be
a whole word of the text, give or take a plural ending the regex allows; a
word bounded on one side must start or end a word of the text.

* `Guarded(regex)` behaves like the compiled regex but answers "no match" at
  once when a needed word is absent;
* `Gate(terms).candidates(title, abstract)` keeps, of a topic's terms, those
  whose words are all present, with one set intersection per topic.

Both are necessary conditions only: results are exactly those of the regexes.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Optional

try:  # Python 3.11+
    from re import _constants as _sc  # type: ignore[attr-defined]
    from re import _parser as _sp  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sc  # type: ignore[no-redef]
    import sre_parse as _sp  # type: ignore[no-redef]

# Where a needle is looked for in a text's View.
SUBSTRING, WORDS, WHOLE_WORD = 0, 1, 2
Needle = tuple[int, str]
Requirement = tuple[Needle, ...]  # one of these must be present
MAX_REQUIREMENTS = 3
_ALNUM_RE = re.compile(r"[0-9a-z]+")
_NOT_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_NOT_ALNUM_ANYCASE_RE = re.compile(r"[^0-9A-Za-z]+")
# Under IGNORECASE an ASCII `i` also matches these; their case folds do not
# contain a plain `i` where the regex sees one, so such texts get no shortcut.
_UNFOLDABLE = ("\u0130", "\u0131")


class View:
    """A text as needles look at it: as is (case-folded for case-insensitive
    regexes), as ` w1 w2 … ` (any run of other characters one space), and as
    the set of those words."""

    __slots__ = ("text", "words", "word_set")

    def __init__(self, text: str, fold: bool):
        self.text = text.casefold() if fold else text
        self.words = " " + (_NOT_ALNUM_RE if fold else _NOT_ALNUM_ANYCASE_RE).sub(" ", self.text) + " "
        self.word_set = frozenset(self.words.split())

    def has(self, needle: Needle) -> bool:
        where, value = needle
        if where == WHOLE_WORD:
            return value in self.word_set
        return value in (self.words if where == WORDS else self.text)


_VIEWS: dict[tuple[str, bool], Optional[View]] = {}


def view_of(text: str, fold: bool) -> Optional[View]:
    """The View of `text`, None when case folding cannot be trusted.  Cached: a
    paper's title and abstract are asked about hundreds of times in a row."""
    key = (text, fold)
    found = _VIEWS.get(key, False)
    if found is False:
        if len(_VIEWS) > 64:
            _VIEWS.clear()
        found = None if fold and any(ch in text for ch in _UNFOLDABLE) else View(text, fold)
        _VIEWS[key] = found
    return found


# --------------------------------------------------------------------------- reading a regex


def _is_separator(item) -> bool:
    """A regex item that only matches characters that are not letters or digits."""
    op, av = item
    if op is _sc.LITERAL:
        return not chr(av).isalnum()
    if op is _sc.IN:
        return bool(av) and all(
            (o is _sc.CATEGORY and a is _sc.CATEGORY_SPACE) or (o is _sc.LITERAL and not chr(a).isalnum())
            for o, a in av)
    return False


def _is_delimiter(item) -> bool:
    """Does `item` make sure no letter or digit touches the text beside it?"""
    if item is None:
        return False
    op, av = item
    if op is _sc.AT:
        return av in (_sc.AT_BOUNDARY, _sc.AT_BEGINNING, _sc.AT_BEGINNING_STRING, _sc.AT_END, _sc.AT_END_STRING)
    if op in (_sc.MAX_REPEAT, _sc.MIN_REPEAT):
        low, _, body = av
        return low >= 1 and len(body) == 1 and _is_separator(body[0])
    return _is_separator(item)


def _literal(items) -> Optional[str]:
    """The text of a sequence made only of literals, else None."""
    out = []
    for op, av in items:
        if op is not _sc.LITERAL:
            return None
        out.append(chr(av))
    return "".join(out)


def _optional_suffixes(item) -> Optional[list[str]]:
    """`(?:s|es)?` or `s?` -> ['', 's', 'es'] / ['', 's']; None for anything else."""
    if item is None or item[0] not in (_sc.MAX_REPEAT, _sc.MIN_REPEAT):
        return None
    low, high, body = item[1]
    if low != 0 or high != 1:
        return None
    if len(body) == 1 and body[0][0] is _sc.BRANCH:
        suffixes = [_literal(branch) for branch in body[0][1][1]]
    else:
        suffixes = [_literal(body)]
    return None if any(s is None or not s.isalnum() for s in suffixes) else [""] + suffixes


def _needles(words: list[str], left: bool, right: bool, fold: bool,
             suffixes: Optional[list[str]] = None) -> list[Requirement]:
    """One requirement per word of a literal run, bounded on the sides the regex says."""
    out: list[Requirement] = []
    last = len(words) - 1
    for i, word in enumerate(words):
        word = word.casefold() if fold else word
        if not word or not word.isascii():
            continue
        if not _ALNUM_RE.fullmatch(word.lower()):
            out.append(((SUBSTRING, word),))
            continue
        starts, ends = left or i > 0, right or i < last
        if i == last and suffixes and starts:
            out.append(tuple((WHOLE_WORD, word + (s.casefold() if fold else s)) for s in suffixes))
        elif starts and ends:
            out.append(((WHOLE_WORD, word),))
        else:
            out.append(((WORDS, (" " if starts else "") + word + (" " if ends else "")),))
    return out


def _requirements(items: list, fold: bool) -> list[Requirement]:
    found: list[Requirement] = []
    run: list[str] = []
    run_left = False
    for index, item in enumerate(items):
        op, av = item
        if op is _sc.LITERAL:
            if not run:
                run_left = index > 0 and _is_delimiter(items[index - 1])
            run.append(chr(av))
            if index + 1 < len(items) and items[index + 1][0] is _sc.LITERAL:
                continue
            following = items[index + 1] if index + 1 < len(items) else None
            after = items[index + 2] if index + 2 < len(items) else None
            text = "".join(run)
            run.clear()
            words = text.split()
            if not words:
                continue
            left = run_left or not text[0].isalnum()
            right = _is_delimiter(following) or not text[-1].isalnum()
            suffixes = _optional_suffixes(following) if not right and _is_delimiter(after) else None
            found.extend(_needles(words, left, right, fold, suffixes))
        elif op is _sc.BRANCH:
            left = index > 0 and _is_delimiter(items[index - 1])
            alternatives: list[Needle] = []
            for branch in av[1]:
                lead = []
                for bop, bav in branch:
                    if bop is not _sc.LITERAL:
                        break
                    lead.append(chr(bav))
                words = "".join(lead).split()
                needles = _needles(words[:1], left, len(words) > 1, fold) if words else []
                if not needles or len(needles[0]) != 1:
                    alternatives = []
                    break
                alternatives.append(needles[0][0])
            if alternatives:
                found.append(tuple(alternatives))
        elif op is _sc.SUBPATTERN and not av[1] and not av[2]:  # a group, no flag changes
            found.extend(_requirements(list(av[3]), fold))
        elif op in (_sc.MAX_REPEAT, _sc.MIN_REPEAT) and av[0] >= 1:
            found.extend(_requirements(list(av[2]), fold))
    return found


def _strength(req: Requirement) -> tuple:
    # Whole words first (a set lookup, and the most selective), then longer needles.
    return (min(where == WHOLE_WORD for where, _ in req), min(len(value.strip()) for _, value in req))


def requirements(regex: re.Pattern) -> list[Requirement]:
    """What every match of `regex` contains, most selective first (empty: nothing known)."""
    if regex.flags & re.VERBOSE or not isinstance(regex.pattern, str):
        return []
    try:
        parsed = _sp.parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001 - any doubt means no shortcut
        return []
    found = _requirements(list(parsed), bool(regex.flags & re.IGNORECASE))
    unique = list(dict.fromkeys(found))
    unique.sort(key=_strength, reverse=True)
    return unique[:MAX_REQUIREMENTS]


def _all_present(needs: list[Requirement], view: Optional[View]) -> bool:
    if view is None:
        return True
    return all(any(view.has(needle) for needle in req) for req in needs)


# --------------------------------------------------------------------------- using it


class Guarded:
    """A compiled regex that answers "no match" at once when its words are absent."""

    __slots__ = ("regex", "needs", "fold")

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self.needs = requirements(regex)
        self.fold = bool(regex.flags & re.IGNORECASE)

    def possible(self, text: str) -> bool:
        return not self.needs or _all_present(self.needs, view_of(text, self.fold))

    def finditer(self, string: str, *args) -> Iterator[re.Match]:
        if args or self.possible(string):
            return self.regex.finditer(string, *args)
        return iter(())

    def search(self, string: str, *args) -> Optional[re.Match]:
        return self.regex.search(string, *args) if args or self.possible(string) else None

    def findall(self, string: str, *args) -> list:
        return self.regex.findall(string, *args) if args or self.possible(string) else []

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        return self.regex.sub(repl, string, count) if self.possible(string) else string

    def __getattr__(self, name: str) -> Any:  # pattern, flags, match, fullmatch, ...
        return getattr(self.regex, name)

    def __repr__(self) -> str:
        return f"Guarded({self.regex!r})"


class Gate:
    """Which of a topic's terms, a list of (term, regex), can match a text?

    Whole-word needles are found with one set intersection per text; each term
    keeps a bit per requirement met, its other needles are only looked for
    once its whole words are all there, and only terms with every bit set (or
    with nothing known about them) are candidates.  Built once per topic.
    """

    __slots__ = ("terms", "full", "whole", "others", "folds")

    def __init__(self, terms: list) -> None:
        self.terms = list(terms)
        self.full: list[int] = []
        self.whole: dict[bool, dict[str, list[tuple[int, int]]]] = {True: {}, False: {}}
        # (term, bits its whole-word requirements set, [(bit, needle), ...]) per fold
        self.others: dict[bool, list[tuple[int, int, list[tuple[int, Needle]]]]] = {True: [], False: []}
        for t, (_, regex) in enumerate(self.terms):
            guarded = regex if isinstance(regex, Guarded) else Guarded(regex)
            self.full.append((1 << len(guarded.needs)) - 1)
            whole_bits, checks = 0, []
            for r, req in enumerate(guarded.needs):
                if all(needle[0] == WHOLE_WORD for needle in req):
                    whole_bits |= 1 << r
                    for needle in req:
                        self.whole[guarded.fold].setdefault(needle[1], []).append((t, 1 << r))
                else:
                    checks.extend((1 << r, needle) for needle in req)
            if checks:
                self.others[guarded.fold].append((t, whole_bits, checks))
        self.folds = [fold for fold in (True, False) if self.whole[fold] or self.others[fold]]

    def candidates(self, *texts: str) -> list:
        """The terms, in their order, that may match at least one of `texts`."""
        keep = [full == 0 for full in self.full]
        for text in texts:
            met = [0] * len(self.terms)
            for fold in self.folds:
                view = view_of(text, fold)
                if view is None:
                    return list(self.terms)
                whole = self.whole[fold]
                for word in view.word_set.intersection(whole):
                    for t, bit in whole[word]:
                        met[t] |= bit
                for t, whole_bits, checks in self.others[fold]:
                    if met[t] & whole_bits == whole_bits:
                        for bit, needle in checks:
                            if not met[t] & bit and view.has(needle):
                                met[t] |= bit
            for t, full in enumerate(self.full):
                if met[t] == full:
                    keep[t] = True
        return [term for term, kept in zip(self.terms, keep) if kept]


_GATES: dict[int, tuple[list, Gate]] = {}


def gate_for(terms: list) -> Gate:
    """The Gate of a topic's compiled terms, a list of (term, regex); built on first use."""
    entry = _GATES.get(id(terms))
    if entry is None or entry[0] is not terms:
        entry = (terms, Gate(terms))  # the list is kept, so its id is not reused
        _GATES[id(terms)] = entry
    return entry[1]
