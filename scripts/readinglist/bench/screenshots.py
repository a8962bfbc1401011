"""Screenshots of the built site for reviewers: `make screenshots`.

    python -m readinglist.bench.screenshots [SITE_DIR] [OUT_DIR]

Serves SITE_DIR (default site/) on a loopback port and photographs the home
page, a topic page and a paper page at a phone's width (375 px) and a
desktop's (1280 px), in the light and the dark scheme, into OUT_DIR (default
screenshots/, ignored by git): `home-375-dark.png` and so on, twelve files.
The paper is one whose title holds math when the list has one (it shows the
most), else the newest.  Needs Chromium (READINGLIST_CHROMIUM, default
/usr/bin/chromium) and Playwright (the test extras).
"""

from __future__ import annotations

import sys
from pathlib import Path

from readinglist import store
from readinglist.bench.browser import CHROMIUM_ARGS, chromium_available, chromium_path, serve
from readinglist.catalog import Catalog
from readinglist.site.pages import newest_first
from readinglist.text import MATH_RE

WIDTHS = (375, 1280)
SCHEMES = ("light", "dark")
HEIGHT = 900


def pages_to_show(project: store.Project) -> dict[str, str]:
    """name -> path under the site: home, the first topic, a paper."""
    taxonomy = store.load_taxonomy(project)
    papers = Catalog.load(project, taxonomy).showable()
    with_math = sorted((p for p in papers if MATH_RE.search(p.title)), key=lambda p: p.slug)
    paper = (with_math or newest_first(papers))[0] if papers else None
    shown = {"home": "", "topic": f"topics/{taxonomy.topics[0].id}/"}
    if paper is not None:
        shown["paper"] = f"papers/{paper.slug}/"
    return shown


def take(site: Path, out: Path, shown: dict[str, str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with serve(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            for scheme in SCHEMES:
                for width in WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": HEIGHT}, color_scheme=scheme)
                    page = context.new_page()
                    for name, path in shown.items():
                        page.goto(url + path, wait_until="networkidle")
                        target = out / f"{name}-{width}-{scheme}.png"
                        store.write_bytes(target, page.screenshot(full_page=False))
                        written.append(target)
                    context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str]) -> int:
    project = store.find_project()
    site = Path(argv[0]) if argv else project.site
    out = Path(argv[1]) if len(argv) > 1 else project.root / "screenshots"
    if store.read_text_or_none(site / "index.html") is None:
        print(f"error: no site in {site}; build it first (make site)", file=sys.stderr)
        return 2
    if not chromium_available():
        print(f"error: Chromium ({chromium_path()}) or Playwright is missing; install the test extras "
              "and Chromium (see DEVELOPERS.md)", file=sys.stderr)
        return 2
    written = take(site, out, pages_to_show(project))
    print(f"{len(written)} screenshots in {project.rel(out)}/ (home, topic and paper pages at "
          f"{' and '.join(f'{w} px' for w in WIDTHS)}, light and dark)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
