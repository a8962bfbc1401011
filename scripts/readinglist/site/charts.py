"""SVG charts drawn at build time: no JavaScript, no CDN.

Pure functions from numbers to an SVG string, built with ElementTree (so all
text is escaped and the markup is well-formed).  Text and axes use
`currentColor`, so a chart inlined in a page takes the page's text colour in
light and dark mode; the bar and point colours read on both backgrounds.
Each chart has a `<title>` and a `<desc>` for screen readers, and each bar or
point its own `<title>` (a tooltip with the exact number).

Drawn for a phone first: every chart is CHART_WIDTH units wide and all its
text FONT_SIZE units high, and pages scale a chart to the column's width (at
most a little larger than drawn, readinglist.css).  A 375 px phone leaves
about 343 px for it, so text stays above 10 px: 12 × 343 / 380 ≈ 10.8.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Optional, Sequence

from readinglist.site.feeds import xml_text

SVG_NS = "http://www.w3.org/2000/svg"
# Mid-tone colours with at least 3:1 contrast on white and on Material's slate.
BAR_COLOUR = "#4e79a7"
POINT_COLOUR = "#e15759"
FONT_SIZE = 12
CHART_WIDTH = 380
# Beyond this many points a scatter plot draws counts per cell instead.
MAX_POINTS = 1500


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: Optional[str] = None


@dataclass(frozen=True)
class Point:
    x: float          # e.g. a date as a fractional year
    y: int
    label: str
    href: Optional[str] = None


def _num(value: float) -> str:
    """Coordinates with one decimal: short, and the same on every machine."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _el(parent: ET.Element, tag: str, text: Optional[str] = None, **attrib) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): xml_text(str(v))
                                          for k, v in attrib.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _svg(chart_id: str, width: int, height: int, title: str, desc: str) -> ET.Element:
    svg = ET.Element("svg", {
        "xmlns": SVG_NS, "viewBox": f"0 0 {width} {height}", "class": "rl-chart", "role": "img",
        "aria-labelledby": f"{chart_id}-title {chart_id}-desc", "font-size": str(FONT_SIZE),
    })
    _el(svg, "title", title, id=f"{chart_id}-title")
    _el(svg, "desc", desc, id=f"{chart_id}-desc")
    return svg


XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("xlink", XLINK_NS)


def _maybe_link(parent: ET.Element, href: Optional[str]) -> ET.Element:
    # xlink:href, not href: after an instant-navigation page load, Material
    # re-assigns `el.href` on every `[href]` element, which throws on an SVG
    # <a> (its href is read-only); `[href]` does not match xlink:href.
    if not href:
        return parent
    link = ET.SubElement(parent, "a")
    link.set(f"{{{XLINK_NS}}}href", xml_text(href))
    return link


def _to_string(svg: ET.Element) -> str:
    # One line: a blank line inside a raw HTML block would end it in Markdown.
    return ET.tostring(svg, encoding="unicode")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- bars


def bar_chart(chart_id: str, bars: Sequence[Bar], title: str, desc: str, unit: str = "papers") -> str:
    """Horizontal bars, one per label: the label above its bar (names stay whole on a
    phone), the value at the end of the bar."""
    bar_area, row, top = CHART_WIDTH - 50, 36, 4
    height = top * 2 + row * max(1, len(bars))
    svg = _svg(chart_id, CHART_WIDTH, height, title, desc)
    top_value = max((b.value for b in bars), default=0) or 1
    for i, bar in enumerate(bars):
        y = top + i * row
        group = _maybe_link(svg, bar.href)
        _el(group, "text", _shorten(bar.label, 52), x=0, y=y + 13, fill="currentColor")
        length = bar_area * bar.value / top_value
        rect = _el(group, "rect", class_="rl-bar", x=0, y=y + 18, width=_num(length), height=12, fill=BAR_COLOUR)
        _el(rect, "title", f"{bar.label}: {bar.value} {unit}")
        _el(group, "text", str(bar.value), x=_num(length + 6), y=y + 29, fill="currentColor")
    return _to_string(svg)


def small_multiples(chart_id: str, panels: Sequence[tuple[str, Sequence[int], Optional[str]]],
                    columns: Sequence[int], title: str, desc: str, unit: str = "papers") -> str:
    """One small bar chart per panel (label, a count per column, link), all on one scale.

    `columns` are the x values (e.g. years); a zero count draws no bar.
    """
    per_row, cell_h, pad = 2, 120, 8
    cell_w = CHART_WIDTH // per_row
    plot_h, plot_top = 70, 24
    rows = max(1, math.ceil(len(panels) / per_row))
    svg = _svg(chart_id, per_row * cell_w, rows * cell_h, title, desc)
    top_value = max((v for _, counts, _ in panels for v in counts), default=0) or 1
    slot = (cell_w - 2 * pad) / max(1, len(columns))
    for index, (label, counts, href) in enumerate(panels):
        x0, y0 = (index % per_row) * cell_w + pad, (index // per_row) * cell_h
        heading = _maybe_link(svg, href)
        _el(heading, "text", _shorten(label, 24), x=x0, y=y0 + 16, font_weight="bold", fill="currentColor")
        base = y0 + plot_top + plot_h
        _el(svg, "line", x1=x0, x2=_num(x0 + slot * len(columns)), y1=base, y2=base,
            stroke="currentColor", stroke_opacity="0.4")
        for i, (column, value) in enumerate(zip(columns, counts)):
            if value <= 0:
                continue
            h = plot_h * value / top_value
            rect = _el(svg, "rect", class_="rl-bar", x=_num(x0 + i * slot + 1), y=_num(base - h),
                       width=_num(max(1.0, slot - 2)), height=_num(h), fill=BAR_COLOUR)
            _el(rect, "title", f"{label}, {column}: {value} {unit}")
        if columns:
            _el(svg, "text", str(columns[0]), x=x0, y=base + 15, fill="currentColor")
            _el(svg, "text", str(columns[-1]), x=_num(x0 + slot * len(columns)), y=base + 15,
                text_anchor="end", fill="currentColor")
    return _to_string(svg)


# --------------------------------------------------------------------------- scatter


def _log_scale(value: float) -> float:
    return math.log10(1 + max(0.0, value))


def scatter_chart(chart_id: str, points: Sequence[Point], title: str, desc: str,
                  x_label: str, y_label: str) -> str:
    """Points on a year axis against a logarithmic count axis (counts are heavy-tailed)."""
    width, height, left, right, top, bottom = CHART_WIDTH, 280, 48, 14, 12, 44
    svg = _svg(chart_id, width, height, title, desc)
    plot_w, plot_h = width - left - right, height - top - bottom
    if not points:
        _el(svg, "text", "No papers have both a date and upvotes yet.", x=left, y=top + 20, fill="currentColor")
        return _to_string(svg)
    first, last = math.floor(min(p.x for p in points)), math.floor(max(p.x for p in points)) + 1
    y_top = _log_scale(max(p.y for p in points)) or 1.0

    def sx(x: float) -> float:
        return left + plot_w * (x - first) / (last - first)

    def sy(y: float) -> float:
        return top + plot_h * (1 - _log_scale(y) / y_top)

    _scatter_axes(svg, first, last, y_top, sx, sy, left, top, plot_w, plot_h, x_label, y_label)
    if len(points) <= MAX_POINTS:
        for p in points:
            mark = _el(_maybe_link(svg, p.href), "circle", class_="rl-point", cx=_num(sx(p.x)), cy=_num(sy(p.y)),
                       r=4, fill=POINT_COLOUR, fill_opacity="0.8")
            _el(mark, "title", p.label)
    else:
        _density_cells(svg, points, sx, sy)
    return _to_string(svg)


def _scatter_axes(svg, first, last, y_top, sx, sy, left, top, plot_w, plot_h, x_label, y_label) -> None:
    axis = {"stroke": "currentColor", "stroke_opacity": "0.35"}
    _el(svg, "line", x1=left, x2=left + plot_w, y1=top + plot_h, y2=top + plot_h, **axis)
    _el(svg, "line", x1=left, x2=left, y1=top, y2=top + plot_h, **axis)
    step = max(1, math.ceil((last - first) / 5))  # a year label is ~30 units wide
    for year in range(first, last + 1, step):
        x = _num(sx(year))
        _el(svg, "line", x1=x, x2=x, y1=top, y2=top + plot_h, stroke="currentColor", stroke_opacity="0.1")
        _el(svg, "text", str(year), x=x, y=top + plot_h + 16, text_anchor="middle", fill="currentColor")
    for tick in (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        if _log_scale(tick) > y_top * 1.001:
            break
        y = _num(sy(tick))
        _el(svg, "line", x1=left, x2=left + plot_w, y1=y, y2=y, stroke="currentColor", stroke_opacity="0.1")
        _el(svg, "text", str(tick), x=left - 6, y=_num(sy(tick) + 4), text_anchor="end", fill="currentColor")
    _el(svg, "text", x_label, x=_num(left + plot_w / 2), y=top + plot_h + 36, text_anchor="middle",
        fill="currentColor")
    _el(svg, "text", y_label, x=12, y=_num(top + plot_h / 2), text_anchor="middle", fill="currentColor",
        transform=f"rotate(-90 12 {_num(top + plot_h / 2)})")


def _density_cells(svg, points: Sequence[Point], sx, sy, cell: int = 8) -> None:
    """Many points: squares of `cell` pixels, darker where more papers fall."""
    counts: dict[tuple[int, int], int] = {}
    for p in points:
        key = (int(sx(p.x) // cell), int(sy(p.y) // cell))
        counts[key] = counts.get(key, 0) + 1
    most = max(counts.values())
    for (cx, cy), n in sorted(counts.items()):
        rect = _el(svg, "rect", class_="rl-cell", x=cx * cell, y=cy * cell, width=cell, height=cell,
                   fill=POINT_COLOUR, fill_opacity=_num(0.25 + 0.75 * math.log1p(n) / math.log1p(most)))
        _el(rect, "title", f"{n} paper{'s' if n != 1 else ''}")
