"""Files at the site root that are not pages: feeds, BibTeX, JSON and CSV.

Pure: papers, taxonomy and the site's address in, `{path under the site: text}`
out.  hooks.on_post_build writes them with store.write_text.  URLs follow
MkDocs' layout: `papers/<slug>/` with directory URLs, `papers/<slug>.html`
without.
"""

from __future__ import annotations

import posixpath
from typing import Callable, Iterator, Optional, Sequence

from readinglist.site.citations import bibtex_entries, bibtex_file
from readinglist.curate.classify import OTHER, Taxonomy
from readinglist.site.exports import paper_records, papers_csv, papers_json
from readinglist.site.feeds import atom_feed
from readinglist.site.pages import listed
from readinglist.paper import Paper


def page_path(src: str, directory_urls: bool = True) -> str:
    """Where MkDocs puts the page of `src` (e.g. 'topics/peft.md'), relative to the site root."""
    stem = src[:-3] if src.endswith(".md") else src
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/" if directory_urls else f"{stem}.html"


# A feed's and its entries' ids when the site has no address: ids must be absolute
# IRIs, and these say plainly that they name the paper, not where it is served.
NO_ADDRESS_ID = "urn:readinglist:"


def site_root(site_url: Optional[str]) -> str:
    """The site's address ending in '/', or '' (links relative to the root) when unknown."""
    return site_url.rstrip("/") + "/" if site_url else ""


def url_maker(site_url: Optional[str], directory_urls: bool = True) -> Callable[[str], str]:
    """src -> absolute URL of its page (relative to the root when the site URL is unknown)."""
    root = site_root(site_url)
    return lambda src: root + page_path(src, directory_urls)


def relative_to(folder: str, path: str) -> str:
    """`path` (from the site root) as a link from a file in `folder` ('' is the root)."""
    rel = posixpath.relpath(path or ".", folder or ".")
    rel = "./" if rel == "." else rel
    return rel + "/" if path.endswith("/") and not rel.endswith("/") else rel


def topic_feed_path(topic_id: str) -> str:
    return f"topics/{topic_id}/feed.xml"


def topic_bib_path(topic_id: str) -> str:
    return f"topics/{topic_id}.bib"


def site_files(papers: Sequence[Paper], taxonomy: Taxonomy, site_name: str,
               site_url: Optional[str], directory_urls: bool = True,
               entries: Optional[dict[str, str]] = None) -> Iterator[tuple[str, str]]:
    """Every non-page file the site serves from its data, (path under the site directory,
    text), each made when it is asked for: at 50,000 papers the JSON, CSV and BibTeX
    files are hundreds of megabytes together, and one at a time is enough.

    `entries` are the BibTeX entries by slug when the caller has them already.
    """
    page_url, root = url_maker(site_url, directory_urls), site_root(site_url)

    def paper_url(slug: str) -> str:
        return page_url(f"papers/{slug}.md")

    def feed(members: Sequence[Paper], title: str, path: str, page_src: str) -> str:
        if root:
            return atom_feed(members, title=title, feed_url=root + path, page_url=page_url(page_src),
                             paper_url=paper_url, topic_names=topic_names, author=site_name)
        # No address: links relative to the feed (readers resolve them against the
        # feed's own URL, wherever the site is served), ids in NO_ADDRESS_ID.
        here = posixpath.dirname(path)
        return atom_feed(members, title=title, feed_url=relative_to(here, path),
                         page_url=relative_to(here, page_path(page_src, directory_urls)),
                         paper_url=lambda slug: relative_to(here, paper_url(slug)), topic_names=topic_names,
                         author=site_name, feed_id=NO_ADDRESS_ID + path,
                         paper_id=lambda slug: NO_ADDRESS_ID + paper_url(slug))

    topic_names = {t.id: t.name for t in taxonomy.topics}
    entries = entries if entries is not None else bibtex_entries(papers)
    records = paper_records(papers, paper_url)
    yield "papers.json", papers_json(records)
    yield "papers.csv", papers_csv(records)
    del records
    yield "papers.bib", bibtex_header(site_name, len(papers)) + bibtex_file(entries, entries.keys())
    # Papers waiting for review (`other`) are not news: in no feed.
    yield "feed.xml", feed(listed(papers), f"{site_name}: newest papers", "feed.xml", "index.md")
    for topic in taxonomy.topics:
        members = [p for p in papers if topic.id in p.topics]
        yield topic_bib_path(topic.id), (bibtex_header(f"{site_name}: {topic.name}", len(members))
                                         + bibtex_file(entries, [p.slug for p in members]))
        if topic.id != OTHER:
            yield topic_feed_path(topic.id), feed(members, f"{site_name}: {topic.name}",
                                                  topic_feed_path(topic.id), f"topics/{topic.id}.md")


def bibtex_header(what: str, count: int) -> str:
    # Text outside an entry is a comment to BibTeX; `%` lines are, to everything else.
    safe = " ".join(what.replace("@", "(at)").split())
    return f"% {safe}: {count} entr{'y' if count == 1 else 'ies'}, generated by readinglist.\n\n"
