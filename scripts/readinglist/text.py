"""Text conventions shared by every stage: clean text, identity, escaping.

* *Clean text* is what a reader should see.  Inside it, ``$…$`` is TeX math
  (rendered later) and ``\\$`` is a literal dollar sign; every other character,
  including ``<``, ``*`` or ``{``, is literal text.
* A *title key* identifies a paper across dumps: case, accents, punctuation and
  spacing are ignored.
* Escaping: every piece of text from data goes through `md_escape` (or
  `html_escape` for raw HTML), which leaves only TeX math live; `md_unescape`
  is its exact inverse (the property tests hold both to that).

Pure functions, no imports from the rest of the package.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Callable, Optional

# --------------------------------------------------------------------------- clean text

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
    # Math stays verbatim for the renderer.
    out = around_math(text, lambda prose, _: _clean_prose(prose))
    # Any `$` left that is not math and not escaped is a literal dollar sign.
    return around_math(collapse_whitespace(out), lambda prose, _: re.sub(r"(?<!\\)\$", r"\\$", prose))


def around_math(text: str, prose: Callable[[str, bool], str], math: Callable[[str], str] = lambda m: m) -> str:
    """`text` with `prose(piece, at_start)` applied to the stretches outside `$...$`
    math (MATH_RE) and `math(span)` to each math span, dollars included."""
    out: list[str] = []
    pos = 0
    for m in MATH_RE.finditer(text):
        out.append(prose(text[pos:m.start()], pos == 0))
        out.append(math(m.group(0)))
        pos = m.end()
    out.append(prose(text[pos:], pos == 0))
    return "".join(out)


def plain_text(clean: str) -> str:
    """Clean text with `\\$` read back as a dollar and math left as its TeX source: the
    form that identifies a paper (title keys, slugs) and that data exports carry."""
    return clean.replace("\\$", "$")


def readable_text(clean: str) -> str:
    """Clean text for a reader, where no markup can render math (`<title>`, meta tags,
    feeds, search results): math written out in Unicode, `R$^3$-SQL` -> `R³-SQL`."""
    if "$" not in clean:
        return clean
    return around_math(clean, lambda prose, _: prose.replace("\\$", "$"), lambda span: math_as_text(span[1:-1]))


# --------------------------------------------------------------------------- TeX as plain text

# TeX commands a reader knows as one character or word, in math and (after a
# dump lost their backslashes) in prose: ingest/repair.py reads the same table.
GREEK_LETTERS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
TEX_SYMBOLS = {
    **GREEK_LETTERS,
    "times": "×", "cdot": "·", "ldots": "…", "cdots": "⋯", "dots": "…", "approx": "≈", "sim": "∼",
    "simeq": "≃", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "pm": "±", "mp": "∓",
    "infty": "∞", "propto": "∝", "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒",
    "in": "∈", "notin": "∉", "ell": "ℓ", "ast": "∗", "star": "⋆", "top": "⊤", "circ": "∘", "prime": "′",
    "partial": "∂", "nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫", "cup": "∪", "cap": "∩",
    "subset": "⊂", "subseteq": "⊆", "mid": "|", "log": "log", "exp": "exp", "min": "min", "max": "max",
    "arg": "arg", "sin": "sin", "cos": "cos", "lim": "lim", "quad": " ", "qquad": " ",
}
# Commands whose argument is simply shown (fonts, text in math).
_SHOWN_ARGUMENT = frozenset("mathrm mathbf mathit mathcal mathbb mathsf mathtt boldsymbol bm text textrm textbf "
                            "textit texttt operatorname emph overline underline hat tilde bar vec widehat "
                            "widetilde".split())
# Sizing and spacing commands: nothing to show.
_INVISIBLE = frozenset("left right big Big bigg Bigg bigl bigr Bigl Bigr displaystyle textstyle limits "
                       "nolimits".split())
_SUPERSCRIPTS = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ"))
_SUBSCRIPTS = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_TEX_TOKEN_RE = re.compile(r"\\([A-Za-z]+)|\\(.)|(.)", re.S)


class _TexReader:
    """A small reader of TeX math that writes what it says as text: no layout, just the
    characters a reader would say (`\\frac{a}{b}` is a/b, `x^{2}` is x²)."""

    def __init__(self, tex: str):
        # (command name, None) or (None, character); an escaped character (`\\{`, `\\%`)
        # is a literal, so it comes as (None, "\\" + character) and is shown without the backslash.
        self.tokens = [(m.group(1), None if m.group(1) else m.group(3) or "\\" + m.group(2))
                       for m in _TEX_TOKEN_RE.finditer(tex)]
        self.pos = 0
        self._after_command = False  # the last atom was a command written as a word (\\log)

    def sequence(self, until_brace: bool = False) -> str:
        out = ""
        while self.pos < len(self.tokens):
            if until_brace and self.tokens[self.pos] == (None, "}"):
                self.pos += 1
                break
            piece = self.atom()
            # `\\log n`: a command written as a word keeps its space from the next word.
            if out[-1:].isalpha() and piece[:1].isalnum() and self._after_command:
                out += " "
            out += piece
        return out

    def atom(self) -> str:
        command, char = self.tokens[self.pos]
        self.pos += 1
        self._after_command = False
        if command is not None:
            return self.command(command)
        if char == "{":
            return self.sequence(until_brace=True)
        if char in "^_":
            table = _SUPERSCRIPTS if char == "^" else _SUBSCRIPTS
            script = self.argument().strip()
            if script and all(ch in table for ch in script):
                return "".join(table[ch] for ch in script)
            return char + _grouped(script) if script else ""
        if char in ("~", "\\ ", "\\,", "\\;", "\\:"):
            return " "
        if char.startswith("\\"):
            return char[1:] if char[1:] in "{}%$&#_|" else ""
        return "" if char == "}" else char

    def argument(self) -> str:
        """The next argument: a group, a command or one character (spaces skipped)."""
        while self.pos < len(self.tokens) and self.tokens[self.pos] == (None, " "):
            self.pos += 1
        return self.atom() if self.pos < len(self.tokens) else ""

    def command(self, name: str) -> str:
        if name == "frac" or name == "dfrac" or name == "tfrac":
            top, bottom = self.argument(), self.argument()
            return f"{_grouped(top)}/{_grouped(bottom)}"
        if name == "sqrt":
            return "√" + _grouped(self.argument())
        if name in _SHOWN_ARGUMENT:
            return self.argument()
        if name in _INVISIBLE:
            if name in ("left", "right") and self.pos < len(self.tokens) and self.tokens[self.pos] == (None, "."):
                self.pos += 1
            return ""
        symbol = TEX_SYMBOLS.get(name, name)
        self._after_command = symbol[-1:].isalpha()
        return symbol


def _grouped(text: str) -> str:
    """`text` as one operand: in parentheses when it is more than one symbol or number."""
    text = text.strip()
    if not text or re.fullmatch(r"√?[\w.′∗]+|.", text) or (text.startswith("(") and text.endswith(")")):
        return text
    return f"({text})"


def math_as_text(tex: str) -> str:
    """TeX math (without its dollars) as the text a reader would read: `^3` is ³,
    `\\times` is ×, `\\frac{k^n}{\\sqrt{n}}` is kⁿ/√n."""
    text = " ".join(_TexReader(tex).sequence().split())
    # Spaces in TeX math are layout, not text: none just inside brackets.
    return re.sub(r"([(\[{]) | ([)\]}])", r"\1\2", text)


# --------------------------------------------------------------------------- identity


def ascii_fold(text: str) -> str:
    """Accents off, ligatures split: 'Tülu ﬁne' -> 'Tulu fine'."""
    if text.isascii():  # most titles and names: nothing to fold
        return text
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



ARXIV_CATEGORY_RE = re.compile(r"^(?:cs|math|stat|eess|physics|q-bio|q-fin|econ|astro-ph|cond-mat|hep-[a-z]+|nlin|quant-ph|gr-qc|nucl-[a-z]+|math-ph)\.[A-Za-z]{2}$|^(?:quant-ph|gr-qc|math-ph|hep-th|hep-ph|hep-ex|hep-lat|nucl-th|nucl-ex)$")
ARXIV_ID_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


# --------------------------------------------------------------------------- escaping

# Characters Python-Markdown treats as markup inline, plus `|` (tables), which
# the tables extension lets us escape.  `<` and `&` are written as entities
# because a backslash does not escape them.
_MD_SPECIAL = set("\\`*_{}[]()#+-.!|>")
_INLINE_ESCAPE = set("\\`*_{}[]#|")
_ENTITY_LIKE_RE = re.compile(r"&(?=#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


# One pass over the text: `\$` stays (it is already the escape for a literal
# dollar), Markdown's inline characters get a backslash, `<` `>` and an `&`
# that would start a character reference become entities.
_PROSE_ESCAPE_RE = re.compile(r"\\(?=\$)|[\\`*_{}\[\]#|<>]|" + _ENTITY_LIKE_RE.pattern)
_PROSE_ESCAPES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", **{ch: "\\" + ch for ch in _INLINE_ESCAPE}}


def _escape_one(m: re.Match) -> str:
    found = m.group()
    if found == "\\" and m.string.startswith("$", m.end()):
        return found
    return _PROSE_ESCAPES[found]


def _escape_prose(text: str, at_line_start: bool) -> str:
    escaped = _PROSE_ESCAPE_RE.sub(_escape_one, text)
    if at_line_start:
        # Block syntax only counts at the start of a line: lists, rules,
        # admonitions (`!!!`), ordered lists, and `~~~` fences (`~` has no
        # backslash escape, so it becomes a character reference).
        escaped = re.sub(r"^([-+!])", r"\\\1", escaped)
        escaped = re.sub(r"^~", "&#126;", escaped)
        # arithmatex reads a block that is all `\[...\]` as display math.
        escaped = re.sub(r"^\\\[", "&#91;", escaped)
        escaped = re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)
    return escaped


def md_escape(clean: str) -> str:
    """Markdown that renders as exactly the characters of `clean`, math kept live."""
    return around_math(clean, lambda prose, at_start: _escape_prose(prose, at_line_start=at_start))


_UNESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])|&(lt|gt|amp|quot|#\d+|#[xX][0-9a-fA-F]+);")


def md_unescape(markdown: str) -> str:
    """Clean text from Markdown written by `md_escape` (or by hand, in the same style)."""
    return around_math(markdown, lambda prose, _: _unescape_prose(prose))


def _unescape_prose(text: str) -> str:
    def repl(m: re.Match) -> str:
        if m.group(1) is not None:
            return m.group(1)
        return html.unescape(m.group(0))

    # `\$` stays as it is: it is clean text's own escape for a dollar sign.
    return _UNESCAPE_RE.sub(repl, text)


def html_escape(text: str) -> str:
    return html.escape(text, quote=True)


def md_link_text(clean: str) -> str:
    """Text for inside `[...]` of a link or a table cell: math shown as source.

    `]` becomes a character reference: Python-Markdown takes a line like
    `[a\\]: b](x.md)` for a reference definition whatever the backslash says.
    """
    escaped = _escape_prose(clean.replace("\\$", "$"), at_line_start=False)
    return escaped.replace("\\]", "&#93;").replace("$", "\\$")
