"""Citations: one BibTeX entry per paper, with keys unique over the whole list.

Pure functions.  Any title or author text is safe in the output: BibTeX and
LaTeX specials are escaped, and braces always balance, because BibTeX counts
`{` and `}` even after a backslash.  Math (`$...$` in clean text) is kept as
LaTeX math when it uses only plain math syntax, else written out as text.

Keys look like `singh2023hybrid` (first author's last name, year, first word
of the title that is not a small word), or `hybrid2023` when no author is
known.  Papers sharing a key get `a`, `b`, ... in slug order, so the same list
always gets the same keys.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Optional, Sequence

from readinglist.text import ARXIV_CATEGORY_RE, ARXIV_ID_RE, around_math, ascii_fold
from readinglist.paper import Paper

BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Text-mode replacements: every one has balanced braces.
_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#", "_": r"\_",
    "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}
# Math is kept only when it is built from these: no `%` (a LaTeX comment), no
# `#`, `&` or `~`, and only commands from the list below.
_SAFE_MATH_RE = re.compile(r"^[A-Za-z0-9\s^_{}()\[\]+\-*/=<>,.;:|'!\\]*$")
_MATH_COMMANDS = frozenset("""
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho
    sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega
    mathcal mathbf mathrm mathit mathbb mathsf boldsymbol text textrm operatorname frac sqrt log exp
    sum prod int min max arg times cdot cdots ldots dots approx sim simeq le leq ge geq ne neq pm mp
    infty ell top prime circ to rightarrow leftarrow mid in notin subset subseteq cup cap partial
    nabla hat tilde bar vec overline underline left right big Big lceil rceil lfloor rfloor
""".split())
_COMMAND_RE = re.compile(r"\\([A-Za-z]+|.)")
_SMALL_WORDS = frozenset("a an the on of in for to and with via from by at is are do we towards toward".split())


# --------------------------------------------------------------------------- escaping


def _escape_prose(text: str) -> str:
    return "".join(_TEXT_ESCAPES.get(ch, ch) for ch in text.replace("\\$", "$"))


def _braces_balance(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def _math_is_plain(tex: str) -> bool:
    return (bool(_SAFE_MATH_RE.match(tex)) and _braces_balance(tex)
            and all(name in _MATH_COMMANDS for name in _COMMAND_RE.findall(tex)))


def bibtex_text(clean: str) -> str:
    """Clean text (see normalize.py) as the value of a BibTeX field, on one line."""
    return around_math(" ".join(clean.split()), lambda prose, _: _escape_prose(prose),
                       lambda math: math if _math_is_plain(math[1:-1]) else _escape_prose(math))


def bibtex_name(name: str) -> str:
    """One author: braced as a whole when BibTeX would misread it (`and`, commas, `others`)."""
    text = bibtex_text(name)
    if re.search(r"\sand\s", text, re.I) or "," in text or text.lower() == "others" or not text:
        return "{" + text + "}"
    return text


# --------------------------------------------------------------------------- keys


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())


def base_key(paper: Paper) -> str:
    """The key before disambiguation: lastname + year + title word, ASCII only."""
    words = [_ascii_word(w) for w in re.split(r"[\s\-/:]+", paper.title.replace("\\$", ""))]
    word = next((w for w in words if re.search("[a-z]", w) and w not in _SMALL_WORDS),
                next((w for w in words if w), ""))
    year = str(publication_year(paper) or "")
    last = _ascii_word(paper.authors[0].split()[-1]) if paper.authors and paper.authors[0].split() else ""
    if last:
        key = last + year + word
    else:
        key = word + year
    if not key[:1].isalpha():
        key = "paper" + key
    return key[:60]


def _suffix(index: int) -> str:
    """a, b, ..., z, aa, ab, ...: as many letters as it takes."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def citation_keys(papers: Iterable[Paper], base: Optional[Callable[[Paper], str]] = None) -> dict[str, str]:
    """slug -> a key unique over `papers`, the same for the same list.  `base` stands in
    for base_key where a caller remembers base keys already made."""
    base = base or base_key
    ordered = sorted(papers, key=lambda p: p.slug)
    bases = {p.slug: base(p) for p in ordered}
    count: dict[str, int] = {}
    for key in bases.values():
        count[key] = count.get(key, 0) + 1
    taken = set(bases.values())
    keys: dict[str, str] = {}
    next_suffix: dict[str, int] = {}
    for p in ordered:
        base = bases[p.slug]
        if count[base] == 1:
            keys[p.slug] = base
            continue
        while True:  # skip suffixed keys that another paper has as its own base key
            index = next_suffix.get(base, 0)
            next_suffix[base] = index + 1
            candidate = base + _suffix(index)
            if candidate not in taken:
                break
        taken.add(candidate)
        keys[p.slug] = candidate
    return keys


# --------------------------------------------------------------------------- entries


def publication_year(paper: Paper) -> Optional[int]:
    """The year to cite: the first version's, else a known publication year, else the year it joined the list."""
    if paper.published:
        return paper.published.year
    return paper.year or (paper.date.year if paper.date else None)


_DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s{}%\\\"<>]+$")
_URL_RE = re.compile(r"^https?://[^\s{}%\\\"<>]+$")


def bibtex_entry(paper: Paper, key: str) -> str:
    """One `@misc` entry: title, authors, year (and month), venue, DOI, arXiv id and a URL, as far as known."""
    fields: list[tuple[str, str]] = [("title", "{{" + bibtex_text(paper.title) + "}}")]
    if paper.authors:
        names = [bibtex_name(a) for a in paper.authors] + (["others"] if paper.et_al else [])
        fields.append(("author", "{" + " and ".join(names) + "}"))
    year = publication_year(paper)
    if year:
        fields.append(("year", "{" + str(year) + "}"))
        day = paper.published or (paper.date if not paper.year else None)
        if day:
            fields.append(("month", BIBTEX_MONTHS[day.month - 1]))
    if paper.venue:
        fields.append(("howpublished", "{" + bibtex_text(paper.venue) + "}"))
    doi = (paper.doi or "").strip()
    doi = doi if _DOI_RE.match(doi) else ""
    if doi:
        fields.append(("doi", "{" + doi + "}"))
    arxiv_id = (paper.arxiv_id or "").strip()
    url = (paper.paper_url or "").strip()
    url = url if _URL_RE.match(url) else ""
    if arxiv_id and ARXIV_ID_RE.match(arxiv_id):
        fields.append(("eprint", "{" + arxiv_id + "}"))
        fields.append(("archivePrefix", "{arXiv}"))
        category = (paper.arxiv_category or "").strip()
        if ARXIV_CATEGORY_RE.match(category):
            fields.append(("primaryClass", "{" + category + "}"))
        url = url or "https://arxiv.org/abs/" + arxiv_id
    url = url or ("https://doi.org/" + doi if doi else "")
    if url:
        fields.append(("url", "{" + url + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def bibtex_entries(papers: Sequence[Paper], memo: Optional[dict] = None) -> dict[str, str]:
    """slug -> its entry, keys unique over `papers`.

    `memo` (kept by the caller between calls on nearly the same list, as the live
    preview does) remembers each paper's base key and entry: a paper that is the same
    object with the same key is not made again.  It is updated to hold `papers` only."""
    if memo is None:
        keys = citation_keys(papers)
        return {p.slug: bibtex_entry(p, keys[p.slug]) for p in papers}
    kept = dict(memo)
    memo.clear()
    bases: dict[str, str] = {}

    def base(paper: Paper) -> str:
        old = kept.get(paper.slug)
        bases[paper.slug] = old[1] if old is not None and old[0] is paper else base_key(paper)
        return bases[paper.slug]

    keys = citation_keys(papers, base)
    entries = {}
    for p in papers:
        old = kept.get(p.slug)
        if old is not None and old[0] is p and old[2] == keys[p.slug]:
            entry = old[3]
        else:
            entry = bibtex_entry(p, keys[p.slug])
        entries[p.slug] = entry
        memo[p.slug] = (p, bases[p.slug], keys[p.slug], entry)
    return entries


def bibtex_file(entries: dict[str, str], slugs: Iterable[str]) -> str:
    """The entries of `slugs` as one .bib file, in slug order."""
    chosen = sorted(set(slugs))
    return "\n".join(entries[s] for s in chosen if s in entries)
