"""A paper's page in the docs tree: its decorations baked in, ready for any engine.

Pure: a Paper (and what the build knows around it: the taxonomy, its related
papers, its BibTeX entry) in, the text of `papers/<slug>.md` out.  What a
contributor wrote (the page body) stays Markdown, with its math made MathML;
everything readinglist adds is HTML (html.py) except the section headings,
which stay Markdown so the engine lists them in the page's table of contents.

A page whose body is the abstract as ingest wrote it comes out as raw HTML
lines and heading lines only, and says so with `rl_html: true`: the optional
hook (site_config/hooks.py) then converts only its headings, and the page is
the same HTML Markdown would make (tests/test_tree.py builds the site both
ways).
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Optional, Sequence

from readinglist.curate.classify import Taxonomy
from readinglist.paper import Paper
from readinglist.site import html
from readinglist.site.mathml import bake_math
from readinglist.text import MATH_RE, html_escape, md_escape, readable_text

MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# The sections under the abstract: (heading, anchor).  Readers skip them in
# search results (data-search-exclude): they repeat other papers' titles.
LOOK_IT_UP = ("Look it up", "look-it-up")
RELATED = ("Related papers", "related-papers")
CITE = ("Cite", "cite")
SECTIONS = (LOOK_IT_UP, RELATED, CITE)


def front_matter(values: dict) -> str:
    """Front matter as one `key: <JSON>` line per key: JSON scalars and maps are YAML too,
    every character is escaped as needed, and writing it costs nothing at 50,000 pages."""
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}\n"
                    for key, value in values.items())
    return f"---\n{lines}---\n\n"


def lookup_links(paper: Paper) -> list[tuple[str, str]]:
    """(label, URL) to find the paper elsewhere, by title (its own links are direct_links)."""
    query = readable_text(paper.title)
    q = urllib.parse.quote_plus(query)
    links = [
        ("arXiv search", f"https://arxiv.org/search/?query={q}&searchtype=title"),
        ("Semantic Scholar", f"https://www.semanticscholar.org/search?q={q}"),
        ("Hugging Face Papers", f"https://huggingface.co/papers?q={q}"),
    ]
    return links


def meta_description(paper: Paper, limit: int = 200) -> str:
    text = readable_text(paper.abstract) or readable_text(paper.title)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def sources_note(paper: Paper) -> str:
    """Where ingest read the paper, folded away: maintainers want it, readers do not
    (the front matter and the data exports carry it too).  No heading, so it stays
    out of the page's table of contents."""
    where = ", ".join(f"{html.text(s.file)} line {s.line}" for s in paper.sources)
    return (f'<details class="rl-sources" data-search-exclude><summary>Sources</summary>'
            f"<p>Ingested from {where}.</p></details>")


class PaperPages:
    """Writes paper pages for one build: the links they hold depend on the site's URL style."""

    def __init__(self, taxonomy: Taxonomy, directory_urls: bool = True):
        self.taxonomy = taxonomy
        self.directory_urls = directory_urls

    def url(self, src: str, anchor: str = "", here: str = "papers/x.md") -> str:
        return html.relative_url(here, src, self.directory_urls, anchor)

    def metadata_line(self, paper: Paper) -> str:
        """The line under the title: authors · organization · date · venue · category · upvotes · code."""
        from readinglist.site.pages import author_anchor, author_summary, code_badge, organization_anchor, paper_day

        parts = []
        if paper.authors:  # each name leads to its entry in the authors index
            names = ", ".join(html.link(self.url("people/authors.md", author_anchor(name)), html.text(name))
                              for name in paper.authors)
            parts.append(f'<span class="rl-authors">{names}{" et al." if paper.et_al else ""}</span>')
        elif author_summary(paper):
            parts.append(f'<span class="rl-authors">{html.text(author_summary(paper))}</span>')
        if paper.organization:
            parts.append(html.link(self.url("people/organizations.md", organization_anchor(paper.organization)),
                                   html.text(paper.organization)))
        day = paper_day(paper)
        if day:
            parts.append(f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.day}, {day.year}")
        elif paper.year:
            parts.append(str(paper.year))
        if paper.venue:
            parts.append(f'<span class="rl-venue">{html.text(paper.venue)}</span>')
        if paper.arxiv_category:
            parts.append(html.text(paper.arxiv_category))
        if paper.upvotes is not None:
            parts.append(f"▲ {paper.upvotes} upvote{'s' if paper.upvotes != 1 else ''}")
        badge = code_badge(paper, tip="")
        if badge:
            parts.append(badge)
        return " · ".join(parts)

    @staticmethod
    def links_line(paper: Paper) -> str:
        """The paper's own links (arXiv · PDF · DOI · Paper · Code), or '' when none is known."""
        from readinglist.site.pages import direct_links
        return " · ".join(html.link(url, label) for label, url in direct_links(paper))

    def chips(self, paper: Paper) -> str:
        from readinglist.site.pages import topic_label
        chips = []
        for tid in paper.topics:
            topic = self.taxonomy.get(tid)
            if topic is not None:
                chips.append(html.link(self.url(f"topics/{tid}.md"), html.text(topic_label(tid, topic.name)),
                                       cls="rl-chip"))
        return " ".join(chips)

    def page(self, paper: Paper, related: Sequence[Paper] = (), bibtex: Optional[str] = None) -> str:
        """The text of `papers/<slug>.md` in the docs tree."""
        body = paper.body if paper.body.strip() else md_escape(paper.abstract) + "\n"
        abstract_html = html.paragraph(paper.abstract) if body == md_escape(paper.abstract) + "\n" else None
        math_title = bool(MATH_RE.search(paper.title))
        lines: list[str] = []
        if math_title:
            # Material prints the title as the H1 from page.title, as text; a title
            # with math (R$^3$-SQL) gets its own H1 here, so the math renders.
            lines.append("# " + bake_math(md_escape(paper.title)))
        meta = self.metadata_line(paper)
        if meta:
            lines.append(f'<p class="rl-meta">{meta}</p>')
        links = self.links_line(paper)
        if links:
            lines.append(f'<p class="rl-links">{links}</p>')
        chips = self.chips(paper)
        if chips:
            lines.append(f'<p class="rl-chips">{chips}</p>')
        if abstract_html is not None:
            lines.append(abstract_html)
        else:
            # A contributor's Markdown: blank lines keep it apart from our HTML.
            lines.append("\n" + bake_math(body.strip()) + "\n")
        lines.append(html.heading_line(2, LOOK_IT_UP[0], search_exclude=True))
        lines.append(html.bullet_list(html.link(url, label) for label, url in lookup_links(paper)))
        if related:
            lines.append(html.heading_line(2, RELATED[0], search_exclude=True))
            lines.append(html.bullet_list(html.link(self.url(f"papers/{p.slug}.md"), html.prose(p.title))
                                          for p in related))
        if bibtex:
            lines.append(html.heading_line(2, CITE[0], search_exclude=True))
            lines.append(html.bibtex_block(bibtex))
        if paper.sources:
            lines.append(sources_note(paper))
        front = {
            # Material prints these values into the page as they are: escaped here, once.
            "title": html_escape(readable_text(paper.title)),
            "description": html_escape(meta_description(paper)),
            # One search entry per paper, written by readinglist (site/search.py).
            "search": {"exclude": True},
            "rl_paper": True,
        }
        if abstract_html is not None:
            front["rl_html"] = True
        return front_matter(front) + "\n".join(lines) + "\n"
