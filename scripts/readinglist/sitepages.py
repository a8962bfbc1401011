"""Render stage, site side: the generated pages and the decoration of paper pages.

Pure functions from papers and the taxonomy to Markdown.  All data text goes
through `md_escape`/`md_link_text`; all URLs are built here from known parts.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections import defaultdict
from typing import Iterable, Optional

from .classify import Taxonomy
from .normalize import plain_text
from .paper import Paper
from .render import dump_yaml, md_escape, md_link_text

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December"]
LATEST_COUNT = 10


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    """Dated papers newest first, then undated ones; ties by title for stable output."""
    return sorted(papers, key=lambda p: (p.date is None, -(p.date.toordinal() if p.date else 0),
                                         p.title.casefold(), p.slug))


def author_summary(paper: Paper, limit: int = 3) -> str:
    """'A, B, C et al.' or '7 authors' or '': clean text."""
    if paper.authors:
        shown = paper.authors[:limit]
        more = paper.et_al or len(paper.authors) > limit
        return ", ".join(shown) + (" et al." if more else "")
    if paper.author_count:
        return f"{paper.author_count} author{'s' if paper.author_count != 1 else ''}"
    return ""


def generated_page(front: dict, body: str) -> str:
    """A generated page: front matter with a hash of the body, so hand edits show."""
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    front = {**front, "generated": f"readinglist {digest}"}
    return f"---\n{dump_yaml(front)}---\n\n{body}"


def generated_hash_ok(text: str) -> Optional[bool]:
    """None when `text` is not a generated page; else whether its body is untouched."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 4)
    if end < 0:
        return None
    front, body = text[4:end], text[end + 5:]
    marker = next((ln for ln in front.split("\n") if ln.startswith("generated: readinglist ")), None)
    if marker is None:
        return None
    digest = marker.split()[-1]
    return hashlib.sha256(body.lstrip("\n").encode("utf-8")).hexdigest()[:16] == digest


# --------------------------------------------------------------------------- tables


def _date_cell(paper: Paper) -> str:
    return paper.date.isoformat() if paper.date else "—"


def paper_table(papers: list[Paper], link_prefix: str) -> str:
    """The papers of a topic or search as a table: date, title, authors, upvotes, code."""
    rows = ["| Date | Title | Authors | Upvotes | Code |", "| --- | --- | --- | ---: | :---: |"]
    for p in papers:
        title = f"[{md_link_text(p.title)}]({link_prefix}{p.slug}.md)"
        code = '<span class="rl-badge" title="has code">code</span>' if p.has_code else ""
        upvotes = str(p.upvotes) if p.upvotes is not None else ""
        rows.append(f"| {_date_cell(p)} | {title} | {md_link_text(author_summary(p))} | {upvotes} | {code} |")
    return '<div class="rl-table" markdown>\n\n' + "\n".join(rows) + "\n\n</div>\n"


# --------------------------------------------------------------------------- generated pages


def topic_page(topic_id: str, taxonomy: Taxonomy, papers: list[Paper]) -> str:
    topic = taxonomy.get(topic_id)
    assert topic is not None
    members = newest_first(p for p in papers if topic_id in p.topics)
    count = len(members)
    body = [
        f"# {md_escape(topic.name)}\n",
        f"{md_escape(topic.description)}\n",
        f'<p class="rl-count">{count} paper{"s" if count != 1 else ""}, newest first.</p>\n',
    ]
    body.append(paper_table(members, "../papers/") if members else "No papers are filed here yet.\n")
    front = {"title": topic.name, "description": topic.description, "search": {"boost": 0.1}}
    return generated_page(front, "\n".join(body))


def timeline_page(papers: list[Paper]) -> str:
    by_month: dict[tuple[int, int], list[Paper]] = defaultdict(list)
    undated: list[Paper] = []
    for p in papers:
        (by_month[(p.date.year, p.date.month)] if p.date else undated).append(p)
    lines = ["# Timeline\n", "Every paper by the month it appeared, newest first.\n"]
    year = None
    for (y, m) in sorted(by_month, reverse=True):
        if y != year:
            year = y
            lines.append(f"## {y}\n")
        month = newest_first(by_month[(y, m)])
        lines.append(f"### {MONTH_NAMES[m - 1]} {y}\n")
        lines.extend(_timeline_item(p) for p in month)
        lines.append("")
    if undated:
        lines.append("## Undated\n")
        lines.append("The dumps these came from show no date; add `date:` to a page when you know it.\n")
        lines.extend(_timeline_item(p) for p in sorted(undated, key=lambda p: (p.title.casefold(), p.slug)))
        lines.append("")
    front = {"title": "Timeline", "description": "Every paper in the reading list by month.",
             "search": {"boost": 0.1}}
    return generated_page(front, "\n".join(lines))


def _timeline_item(p: Paper) -> str:
    day = f"{p.date.day:>2} · " if p.date else ""
    who = author_summary(p)
    return f"- {day}[{md_link_text(p.title)}](papers/{p.slug}.md)" + (f" — {md_link_text(who)}" if who else "")


def home_page(papers: list[Paper], taxonomy: Taxonomy, intro: str) -> str:
    counts = {t.id: sum(1 for p in papers if t.id in p.topics) for t in taxonomy.topics}
    dated = [p for p in papers if p.date]
    span = f" from {min(p.date for p in dated).year} to {max(p.date for p in dated).year}" if dated else ""
    lines = [
        intro.strip() + "\n",
        f'<p class="rl-count">{len(papers)} papers{span}, filed under {len(taxonomy.topics) - 1} topics.</p>\n',
        "## Topics\n",
        '<div class="grid cards" markdown>\n',
    ]
    for t in taxonomy.topics:
        n = counts[t.id]
        lines.append(f"- **[{md_link_text(t.name)}](topics/{t.id}.md)** · {n} paper{'s' if n != 1 else ''}\n\n"
                     f"    {md_escape(_first_sentence(t.description))}\n")
    lines.append("</div>\n")
    lines.append("## Newest papers\n")
    newest = newest_first(dated)[:LATEST_COUNT]
    lines.append(paper_table(newest, "papers/") if newest else "No dated papers yet.\n")
    lines.append("See every paper by month in the [timeline](timeline.md).\n")
    front = {"title": "Home",
             "description": f"A curated reading list of {len(papers)} papers on efficient machine learning.",
             "search": {"boost": 0.1}}
    return generated_page(front, "\n".join(lines))


def _first_sentence(text: str) -> str:
    cut = text.find(". ")
    return text if cut < 0 else text[: cut + 1]


# --------------------------------------------------------------------------- paper pages


def lookup_links(paper: Paper) -> list[tuple[str, str]]:
    """(label, URL) to find the paper elsewhere, by title (and arXiv id when known)."""
    query = plain_text(paper.title)
    q = urllib.parse.quote_plus(query)
    links = []
    if paper.arxiv_id:
        links.append(("arXiv page", f"https://arxiv.org/abs/{urllib.parse.quote(paper.arxiv_id)}"))
    links += [
        ("arXiv search", f"https://arxiv.org/search/?query={q}&searchtype=title"),
        ("Semantic Scholar", f"https://www.semanticscholar.org/search?q={q}"),
        ("Hugging Face Papers", f"https://huggingface.co/papers?q={q}"),
    ]
    return links


def metadata_line(paper: Paper) -> str:
    """The line under the title: authors · organization · date · category · upvotes · code."""
    parts = []
    who = ", ".join(paper.authors) + (" et al." if paper.et_al else "") if paper.authors else author_summary(paper)
    if who:
        parts.append(f'<span class="rl-authors">{md_link_text(who)}</span>')
    if paper.organization:
        parts.append(md_link_text(paper.organization))
    if paper.date:
        parts.append(f"{MONTH_NAMES[paper.date.month - 1][:3]} {paper.date.day}, {paper.date.year}")
    if paper.arxiv_category:
        parts.append(md_link_text(paper.arxiv_category))
    if paper.upvotes is not None:
        parts.append(f"▲ {paper.upvotes} upvote{'s' if paper.upvotes != 1 else ''}")
    if paper.has_code:
        parts.append('<span class="rl-badge">code</span>')
    return " · ".join(parts)


def topic_chips(paper: Paper, taxonomy: Taxonomy, prefix: str = "../topics/") -> str:
    chips = []
    for tid in paper.topics:
        topic = taxonomy.get(tid)
        if topic is None:
            continue
        chips.append(f"[{md_link_text(topic.name)}]({prefix}{tid}.md){{ .rl-chip }}")
    return " ".join(chips)


def decorate_paper(paper: Paper, body: str, taxonomy: Taxonomy,
                   related: Optional[list[Paper]] = None, bibtex: Optional[str] = None) -> str:
    """The Markdown MkDocs renders for a paper: meta line, chips, the page body, links, sources."""
    out = []
    meta = metadata_line(paper)
    if meta:
        out.append(f'<p class="rl-meta" markdown>{meta}</p>\n')
    chips = topic_chips(paper, taxonomy)
    if chips:
        out.append(f'<p class="rl-chips" markdown>{chips}</p>\n')
    out.append(body.strip() + "\n")
    out.append("## Look it up { data-search-exclude }\n")
    out.extend(f"- [{label}]({url})" for label, url in lookup_links(paper))
    out.append("")
    if related:
        out.append("## Related papers { data-search-exclude }\n")
        out.extend(f"- [{md_link_text(p.title)}]({p.slug}.md)" for p in related)
        out.append("")
    if bibtex:
        out.append("## Cite { data-search-exclude }\n")
        out.append("```bibtex\n" + bibtex.strip() + "\n```\n")
    if paper.sources:
        out.append("## Sources { data-search-exclude }\n")
        out.append("Ingested from " + ", ".join(
            f"{md_link_text(s.file)} line {s.line}" for s in paper.sources) + ".\n")
    return "\n".join(out)


def meta_description(paper: Paper, limit: int = 200) -> str:
    text = plain_text(paper.abstract) or plain_text(paper.title)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
