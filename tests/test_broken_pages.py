"""Broken contributor pages, end to end: `readinglist build` names each problem
with its file and line, leaves out only the pages that are unsafe to show, and
builds the rest; a deleted page disappears, a renamed page works under its new
slug, a stray key cannot steer MkDocs."""

from __future__ import annotations

import shutil

import pytest

from conftest import GOLDEN, make_project, run_cli
from readinglist.page.markdown import paper_from_page

DUMPS = ["org_listing.txt", "daily_papers.txt", "line_pairs.txt", "blank_pairs.txt"]
MANIFEST = ("dumps:\n  - file: org_listing.txt\n    captured: 2026-05-30\n"
            "  - file: daily_papers.txt\n    captured: 2025-12-03\n"
            "  - file: line_pairs.txt\n  - file: blank_pairs.txt\n")
ABSTRACT = "A perfectly ordinary abstract about making inference cheaper.\n"

# slug -> (page text, what build must say about it; None: built without a word).
BROKEN = {
    "invalid-yaml": ("---\ntitle: Colon: In The Title\ntopics:\n- other\n---\n\n" + ABSTRACT,
                     "error: content/papers/invalid-yaml.md:2: front matter is not valid YAML"),
    "wrong-types": ("---\ntitle: Wrong Types\nauthors: Ann Lee\nupvotes: many\ntopics:\n- other\n---\n\n" + ABSTRACT,
                    "error: content/papers/wrong-types.md:3: `authors:` must be a list of names"),
    "bad-date": ("---\ntitle: Bad Date\ndate: 2024-13-45\ntopics:\n- other\n---\n\n" + ABSTRACT,
                 "error: content/papers/bad-date.md:3: a value looks like a date but is not one"),
    "no-front-matter": ("Just an abstract, no keys.\n",
                        "error: content/papers/no-front-matter.md:1: the page has no front matter"),
    "never-closed": ("---\ntitle: Never Closed\n\n" + ABSTRACT,
                     "error: content/papers/never-closed.md:1: the front matter is never closed"),
    "number-keys": ("---\ntitle: Number Keys\n1: one\n---\n\n" + ABSTRACT,
                    "error: content/papers/number-keys.md:2: front matter keys must be words"),
    "python-tag": ('---\ntitle: !!python/object/apply:os.system ["touch PWNED"]\n---\n\n' + ABSTRACT,
                   "error: content/papers/python-tag.md:2: front matter is not valid YAML: could not determine"),
    "raw-html": ("---\ntitle: Raw HTML\ntopics:\n- other\n---\n\n<script>alert(1)</script> " + ABSTRACT,
                 "error: content/papers/raw-html.md:7: raw HTML in the page would be live markup"),
    "js-link": ("---\ntitle: JS Link\ntopics:\n- other\n---\n\n" + ABSTRACT + "\n[x](javascript:alert(1))\n",
                "error: content/papers/js-link.md:9: link to 'javascript:alert(1' is not allowed"),
    "attr-href": ("---\ntitle: Attr Href\ntopics:\n- other\n---\n\n[x](https://ok.example){ href=\"javascript:alert(1)\" }\n",
                  "error: content/papers/attr-href.md:7: attribute list that sets a link, style or event handler"),
    "not-utf8": (b"---\ntitle: Not UTF-8\ntopics:\n- other\n---\n\nCaf\xe9 abstract.\n",
                 "error: content/papers/not-utf8.md:7: the page holds bytes that are not UTF-8"),
    "empty": ("", "error: content/papers/empty.md:1: the page has no front matter"),
    "Bad Name": ("---\ntitle: Bad Name\ntopics:\n- other\n---\n\n" + ABSTRACT,
                 "error: content/papers/Bad Name.md:1: file name is not a slug"),
    # Safe to show: built, with a warning.
    "unknown-topic": ("---\ntitle: Unknown Topic Paper\ntopics:\n- not-a-topic\n---\n\n" + ABSTRACT,
                      "warning: content/papers/unknown-topic.md:3: unknown topic 'not-a-topic'"),
    "stray-template": ("---\ntitle: Stray Template\ntemplate: nope.html\nhide:\n- navigation\ntopics:\n- other\n"
                       "---\n\n" + ABSTRACT, "warning: content/papers/stray-template.md:3: unknown key `template:`"),
    "bom-crlf": ("\ufeff---\r\ntitle: BOM And CRLF\r\ntopics:\r\n- other\r\n---\r\n\r\n" + ABSTRACT, None),
    "sliced-recursive-transformer-copy": ("---\ntitle: Sliced Recursive Transformer\ntopics:\n- other\n---\n\n" + ABSTRACT,
                                          "warning: content/papers/sliced-recursive-transformer-copy.md: has the "
                                          "same title as content/papers/sliced-recursive-transformer.md"),
}
BUILT = {"unknown-topic", "stray-template", "bom-crlf", "sliced-recursive-transformer-copy"}


@pytest.fixture
def ingested(tmp_path):
    root = make_project(tmp_path / "proj", dumps={n: (GOLDEN / "parse" / n).read_text(encoding="utf-8") for n in DUMPS},
                        manifest=MANIFEST)
    shutil.copy(GOLDEN / "topics.yml", root / "site_config" / "topics.yml")
    result = run_cli(root, "ingest")
    assert result.returncode == 0, result.stderr
    return root


def write_page(root, slug, text):
    path = root / "content" / "papers" / f"{slug}.md"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))


@pytest.mark.slow
def test_build_reports_broken_pages_and_builds_the_rest(ingested):
    root = ingested
    for slug, (text, _) in BROKEN.items():
        write_page(root, slug, text)
    result = run_cli(root, "build")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for slug, (_, message) in BROKEN.items():
        if message:
            assert message in result.stderr, f"{slug}: {result.stderr}"
        left_out = f"error: content/papers/{slug}.md left out of the site until fixed"
        assert (left_out in result.stderr) == (slug not in BUILT), slug
        assert (root / "site" / "papers" / slug / "index.html").is_file() == (slug in BUILT), slug
    assert result.returncode == 1  # some pages were left out
    assert "built 19 paper pages" in result.stdout  # 15 ingested + 4 safe ones
    assert not list(root.rglob("PWNED"))
    stray = (root / "site" / "papers" / "stray-template" / "index.html").read_text(encoding="utf-8")
    assert "<title>Stray Template - " in stray and 'class="md-sidebar md-sidebar--primary"' in stray


@pytest.mark.slow
def test_deleted_page_disappears_and_renamed_page_works_under_its_new_slug(ingested):
    root = ingested
    papers = root / "content" / "papers"
    assert run_cli(root, "build").returncode == 0
    gone = papers / "scaling-laws-for-data-filtering.md"
    gone_title = paper_from_page(gone.read_text(), gone.name, gone.stem).title
    gone.unlink()
    old = papers / "the-two-pass-softmax-algorithm.md"
    old.rename(papers / "two-pass-softmax.md")
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert not (site / "papers" / "scaling-laws-for-data-filtering").exists()
    assert not (site / "papers" / "the-two-pass-softmax-algorithm").exists()
    assert (site / "papers" / "two-pass-softmax" / "index.html").is_file()
    listings = [p for p in site.rglob("index.html") if "papers" not in p.parts]
    for page in listings:
        text = page.read_text(encoding="utf-8")
        assert gone_title not in text, page
        assert "the-two-pass-softmax-algorithm" not in text, page
    timeline = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    assert 'href="../papers/two-pass-softmax/"' in timeline
    # Re-ingest keeps the renamed page (found by its title) and, since issue 17, records the
    # deleted one as removed (content/removed.yml) instead of writing it again.
    result = run_cli(root, "ingest")
    assert "pages new: 0," in result.stdout and "removed from the list: 1" in result.stdout, result.stdout
    assert not gone.exists() and "scaling-laws-for-data-filtering" in (root / "content" / "removed.yml").read_text()
    assert not (papers / "the-two-pass-softmax-algorithm.md").exists()
