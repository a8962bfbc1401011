"""Atom feeds of the newest papers: one for the whole list, one per topic.

Pure functions; the XML is built with ElementTree, which escapes all text.
Everything in a feed comes from the papers, never from the clock: an entry's
id is its page URL and its dates are the paper's date, so a rebuild gives the
same bytes and feed readers never see an old paper as new.  Papers without a
date are left out (there is nothing honest to put in `<updated>`).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Callable, Iterable, Optional

from readinglist.text import readable_text
from readinglist.paper import Paper
from readinglist.site.pages import direct_links

FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
# No entries, no date: a fixed one keeps the feed valid and the bytes stable.
EMPTY_FEED_UPDATED = "1970-01-01T00:00:00Z"
# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML cannot carry (ElementTree does the escaping)."""
    return _NOT_XML_RE.sub("", text)


def atom_date(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def newest_dated(papers: Iterable[Paper], limit: int = FEED_SIZE) -> list[Paper]:
    """The `limit` newest papers that have a date; equal dates by slug."""
    dated = [p for p in papers if p.date is not None]
    return sorted(dated, key=lambda p: (-p.date.toordinal(), p.slug))[:limit]


def _sub(parent: ET.Element, tag: str, text: Optional[str] = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrib.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_feed(papers: Iterable[Paper], *, title: str, feed_url: str, page_url: str,
              paper_url: Callable[[str], str], topic_names: Optional[dict[str, str]] = None,
              author: Optional[str] = None, feed_id: Optional[str] = None,
              paper_id: Optional[Callable[[str], str]] = None) -> str:
    """An Atom 1.0 document of the newest dated `papers`.

    `feed_url` and `page_url` are the feed's own address and the page it
    stands for; `paper_url(slug)` is the URL of a paper's page.  The feed's
    and each entry's id is its URL, unless `feed_id` and `paper_id(slug)` say
    otherwise (a site with no address links relatively, and ids must be
    absolute).  `author` (the feed's, for entries that name none) defaults to
    the title.
    """
    paper_id = paper_id or paper_url
    entries = newest_dated(papers)
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _sub(feed, "title", title)
    _sub(feed, "id", feed_id or feed_url)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    _sub(feed, "updated", atom_date(entries[0].date) if entries else EMPTY_FEED_UPDATED)
    feed_author = _sub(feed, "author")
    _sub(feed_author, "name", author or title)
    _sub(feed, "generator", "readinglist")
    for paper in entries:
        _add_entry(feed, paper, paper_url(paper.slug), paper_id(paper.slug), topic_names or {})
    ET.indent(feed, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _add_entry(feed: ET.Element, paper: Paper, url: str, ident: str, topic_names: dict[str, str]) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "title", readable_text(paper.title))
    _sub(entry, "id", ident)
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    _sub(entry, "published", atom_date(paper.date))
    _sub(entry, "updated", atom_date(paper.date))
    for title, href in direct_links(paper):
        _sub(entry, "link", rel="related", type="text/html", href=href, title=title)
    for name in paper.authors:
        _sub(_sub(entry, "author"), "name", readable_text(name))
    for topic in paper.topics:
        if topic in topic_names:
            _sub(entry, "category", term=topic, label=topic_names[topic])
    if paper.abstract:
        _sub(entry, "summary", readable_text(paper.abstract), type="text")
