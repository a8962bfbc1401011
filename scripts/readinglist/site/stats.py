"""The Stats page: charts of the list drawn at build time (see charts.py).

Pure: papers and taxonomy in, a generated Markdown page out.  The SVGs are
inlined (each in a `<figure>` raw-HTML block), so their text and axes take
the page's colour through `currentColor`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Sequence

from readinglist.site.charts import Bar, Point, bar_chart, scatter_chart, small_multiples
from readinglist.curate.classify import Taxonomy
from readinglist.text import readable_text
from readinglist.paper import Paper
from readinglist.site.pages import generated_page


def fractional_year(day: dt.date) -> float:
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def topic_bars(papers: Sequence[Paper], taxonomy: Taxonomy, root: str) -> list[Bar]:
    """One bar per topic, most papers first (taxonomy order among equals)."""
    counts = Counter(t for p in papers for t in set(p.topics))
    bars = [Bar(t.name, counts[t.id], f"{root}topics/{t.id}/") for t in taxonomy.topics]
    return sorted(bars, key=lambda b: -b.value)  # sorted() is stable


def year_panels(papers: Sequence[Paper], taxonomy: Taxonomy, root: str
                ) -> tuple[list[int], list[tuple[str, list[int], str | None]]]:
    """(years, panels): each topic with a dated paper, in taxonomy order."""
    dated = [p for p in papers if p.date]
    if not dated:
        return [], []
    years = list(range(min(p.date.year for p in dated), max(p.date.year for p in dated) + 1))

    def per_year(group: list[Paper]) -> list[int]:
        counts = Counter(p.date.year for p in group)
        return [counts[y] for y in years]

    panels: list[tuple[str, list[int], str | None]] = []
    for topic in taxonomy.topics:
        members = [p for p in dated if topic.id in p.topics]
        if members:
            panels.append((topic.name, per_year(members), f"{root}topics/{topic.id}/"))
    return years, panels


def upvote_points(papers: Sequence[Paper], root: str) -> list[Point]:
    chosen = sorted((p for p in papers if p.date and p.upvotes is not None), key=lambda p: (p.date, p.slug))
    return [Point(fractional_year(p.date), p.upvotes,
                  f"{readable_text(p.title)} ({p.date.isoformat()}): {p.upvotes} upvote{'s' if p.upvotes != 1 else ''}",
                  f"{root}papers/{p.slug}/") for p in chosen]


def stats_page(papers: Sequence[Paper], taxonomy: Taxonomy, root: str = "../") -> str:
    """`root` is the URL prefix from the stats page to the site root."""
    dated = sum(1 for p in papers if p.date)
    undated = len(papers) - dated
    bars = topic_bars(papers, taxonomy, root)
    years, panels = year_panels(papers, taxonomy, root)
    points = upvote_points(papers, root)
    lines = [
        "# Stats",
        f'<p class="rl-count">{len(papers)} papers; {dated} with a date, '
        f"{len(points)} with upvotes and a date.</p>",
        "## Papers per topic",
        "<p>A paper filed under two topics counts in both. Select a bar for the topic's page.</p>",
        _figure(bar_chart("rl-chart-topics", bars, "Papers per topic",
                          "Horizontal bars: the number of papers filed under each topic, most first.")),
        "## Papers per year, by topic",
    ]
    if panels:
        note = f" {undated} papers without a date are not counted." if undated else ""
        lines.append(f"<p>One small chart per topic, all on the same scale, {years[0]}–{years[-1]}.{note}</p>")
        lines.append(_figure(small_multiples(
            "rl-chart-years", panels, years, "Papers per year, by topic",
            f"Small bar charts, one per topic: papers per year from {years[0]} "
            f"to {years[-1]}, on a shared vertical scale.")))
    else:
        lines.append("<p>No paper has a date yet.</p>")
    lines += [
        "## Upvotes against date",
        "<p>Each point is a paper with both a date and upvotes (vertical axis on a logarithmic scale). "
        "Select a point for the paper's page.</p>",
        _figure(scatter_chart("rl-chart-upvotes", points, "Upvotes against date",
                              f"Scatter plot of {len(points)} papers: publication date across, "
                              "upvotes up, on a logarithmic scale.", "Date", "Upvotes")),
    ]
    front = {"title": "Stats", "description": f"Charts of the {len(papers)} papers in the reading list.",
             "search": {"exclude": True}}
    return generated_page(front, "\n".join(lines) + "\n", html_lines=True)


def _figure(svg: str) -> str:
    return f'<figure class="rl-figure" markdown="0">\n{svg}\n</figure>'
