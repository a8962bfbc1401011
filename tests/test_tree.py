"""The docs tree: a site any MkDocs engine builds the same, with or without our hooks.

`readinglist build` writes build/docs/ and build/mkdocs.yml, then runs an
engine on them.  These tests build the seed site with the optional hooks,
without them, and with ProperDocs, and compare every file; they compare the
site with the one the code before the docs tree built; and they edit a page
while `readinglist serve` runs and watch the preview change.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_cli
from readinglist import store
from readinglist.site.build import load_site_data
from readinglist.text import MATH_RE

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
# The last commit whose site was built by MkDocs hooks from content/ (before the docs tree).
BEFORE_THE_TREE = "32cae14"
GENERATOR_RE = re.compile(rb'<meta name="generator" content="[^"]*">')


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path, ignore=lambda rel: False, normalize=lambda data: data) -> list[str]:
    left, right = files_of(a), files_of(b)
    return sorted(rel for rel in left.keys() | right.keys() if not ignore(rel)
                  and (rel not in left or rel not in right or normalize(left[rel]) != normalize(right[rel])))


def build(root: Path, site: Path, *options: str) -> None:
    env = {**os.environ, **EPOCH}
    result = subprocess.run([sys.executable, "-m", "readinglist", "build", "--site-dir", str(site), *options],
                            cwd=root, capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def seed_sites(built_site, tmp_path_factory):
    """The seed site built three ways: hooks (the default), no hooks, ProperDocs."""
    root, _ = built_site
    out = tmp_path_factory.mktemp("engines")
    build(root, out / "mkdocs")
    build(root, out / "no-hooks", "--no-hooks")
    build(root, out / "properdocs", "--engine", "properdocs")
    return root, out


def test_the_hooks_only_make_the_build_faster(seed_sites):
    root, out = seed_sites
    assert not differences(out / "mkdocs", out / "no-hooks")
    config = yaml.safe_load((root / "build" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["INHERIT"] == "../mkdocs.yml" and config["docs_dir"] == "docs"


def test_mkdocs_and_properdocs_build_the_same_site(seed_sites):
    _, out = seed_sites
    assert b"ProperDocs" in (out / "properdocs" / "index.html").read_bytes()
    assert not differences(out / "mkdocs", out / "properdocs", normalize=lambda data: GENERATOR_RE.sub(b"", data))


def test_a_plain_engine_command_builds_the_tree(seed_sites, tmp_path):
    """What a person (or another engine) runs: no readinglist code in the build at all."""
    root, out = seed_sites
    subprocess.run([sys.executable, "-m", "readinglist", "build", "--no-hooks", "--site-dir", str(tmp_path / "x")],
                   cwd=root, check=True, capture_output=True, env={**os.environ, **EPOCH})
    env = {**os.environ, **EPOCH, "PYTHONPATH": ""}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "build/mkdocs.yml",
                             "-d", str(tmp_path / "plain")], cwd=root, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    # Everything but the search index, which readinglist completes after the engine.
    assert not differences(out / "no-hooks", tmp_path / "plain", ignore=lambda rel: rel.startswith("search/"))


# What issue 18 (the reader's site, tests/test_reader.py) changed on every page on
# purpose: the navigation gained the Topics overview (tabs, sidebar, footer links and
# Material's `navigation.indexes` feature), the search dialog and the progress bar
# gained names for screen readers, and a paper's "Sources" section became a folded
# note (no heading, so no entry in the page's contents).  Removed from both sides.
_READER_CHROME = [
    re.compile(rb'<nav class="md-tabs".*?</nav>', re.S),
    re.compile(rb'<div class="md-sidebar md-sidebar--primary".*?(?=<div class="md-sidebar md-sidebar--secondary")', re.S),
    re.compile(rb'<nav class="md-footer__inner.*?</nav>', re.S),
    re.compile(rb'<script id="__config".*?</script>', re.S),
    re.compile(rb' aria-label="(?:Loading the page|Search)"(?= *>)'),
    re.compile(rb'<li class="md-nav__item">\s*<a href="#sources" class="md-nav__link">.*?</li>', re.S),
    re.compile(rb'<h2[^>]* id="sources".*?</p>|<details class="rl-sources".*?</details>', re.S),
]


def without_reader_chrome(data: bytes) -> bytes:
    for pattern in _READER_CHROME:
        data = pattern.sub(b"", data)
    return re.sub(rb">\s+<", b"><", data)  # the blank lines the removed parts leave


def test_the_seed_site_reads_as_it_did_before_the_docs_tree(built_site, tmp_path):
    """Built from the same pages by the code before the docs tree: the same site, but for
    changes made on purpose since.

    Both are built with a site address (the deployed site; without one a build now
    names no address at all, issue 18).  The big listing pages (topics, timeline,
    people, stats) are now written as HTML lines, so the blank lines between their
    HTML elements differ (nothing a browser shows).  The search index is rewritten:
    the same entries for every paper and listing page, and the home page as one entry
    of readinglist's instead of Material's sections of it (so the whole index is
    readinglist's, whatever the engine rebuilt).  Issue 18 changed what readers see:
    the chrome of every page (`without_reader_chrome`), titles and abstracts with
    math or web addresses (rendered, written out, linked: every page that shows one,
    which the listings, home, feeds and the sitemap all do), the charts, the theme's
    CSS and JavaScript.  Paper pages that show none of those are compared whole, but
    for that chrome; tests/test_reader.py holds what changed."""
    if subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", f"{BEFORE_THE_TREE}^{{commit}}"]).returncode:
        pytest.fail(f"commit {BEFORE_THE_TREE} is not in this clone: fetch the full history (git fetch --unshallow)")
    root, _ = built_site
    address = {**EPOCH, "READINGLIST_SITE_URL": "https://example.github.io/reading-list/"}
    now = tmp_path / "now"
    result = subprocess.run([sys.executable, "-m", "readinglist", "build", "--site-dir", str(now)], cwd=root,
                            capture_output=True, text=True, env={**os.environ, **address}, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    then = tmp_path / "then"
    worktree = tmp_path / "checkout"
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--quiet", "--detach", str(worktree),
                    BEFORE_THE_TREE], check=True)
    try:
        shutil.rmtree(worktree / "content" / "papers")
        shutil.copytree(root / "content" / "papers", worktree / "content" / "papers")
        env = {**os.environ, **address, "PYTHONPATH": str(worktree / "scripts")}
        result = subprocess.run([sys.executable, "-m", "readinglist", "build", "--site-dir", str(then)],
                                cwd=worktree, capture_output=True, text=True, env=env, timeout=900)
        assert result.returncode == 0, result.stderr[-2000:]
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(worktree)], check=False)
    # Changed on purpose since (issue 17): the `other` topic's page, at the same URL, is "To review"
    # (so is its name in every page's navigation and on its papers' chips), and its papers left the
    # home page's counts and newest papers and the feeds; it has no feed of its own.  And the data
    # exports (and the Data page that documents them) have the new fields' columns.
    intended = {"index.html", "feed.xml", "topics/other/index.html", "topics/other/feed.xml",
                "data/index.html", "papers.csv", "papers.json"}
    renamed = lambda data: data.replace(b"To review", b"Outside efficient ML")  # noqa: E731

    data = load_site_data(store.Project(root))
    changed = {p.slug for p in data.papers if MATH_RE.search(p.title + p.abstract) or "://" in p.abstract}
    math_titles = {p.slug for p in data.papers if MATH_RE.search(p.title)}
    shown_as_before = {p.slug for p in data.papers
                       if p.slug not in changed and not any(r.slug in math_titles for r in data.related(p))}
    assert len(shown_as_before) > 250  # most paper pages are still compared

    def page_of_a_paper_as_before(rel: str) -> bool:
        return rel.startswith("papers/") and rel.split("/")[1] in shown_as_before

    assert not differences(then, now, ignore=lambda rel: not page_of_a_paper_as_before(rel),
                           normalize=lambda data: without_reader_chrome(renamed(data)))
    # Every other file but those that show titles, abstracts or charts (feeds and sitemaps
    # too: the sitemap lists the Topics overview), or are the theme's own.
    shows_text = ("papers/", "topics/", "timeline/", "people/", "stats/", "search/", "assets/readinglist.")
    assert not differences(then, now, ignore=lambda rel: rel.startswith(shows_text) or rel in intended
                           or rel.endswith((".xml", ".xml.gz")) or (rel.endswith(".html") and rel != "404.html"),
                           normalize=lambda data: without_reader_chrome(renamed(data)))

    def entries(site: Path) -> dict[str, dict]:
        docs = json.loads(renamed((site / "search" / "search_index.json").read_bytes()).decode("utf-8"))["docs"]
        return {d["location"]: d for d in docs if not d["location"].startswith(("topics/other/", "data/"))}

    before, after = entries(then), entries(now)
    same = {loc for loc in before if loc.startswith("papers/") and loc.split("/")[1] not in changed}
    same |= {loc for loc in before if loc and not loc.startswith(("#", "papers/"))}  # the listing pages
    assert {loc: before[loc] for loc in same} == {loc: after.get(loc) for loc in same}
    assert set(after) - set(before) == {"topics/"}  # the Topics overview is new
    assert after[""]["title"] == "Efficient ML Reading List" and after[""]["text"].startswith("<p>A curated")


def test_only_checked_pages_reach_the_tree(built_site, tmp_path):
    root, _ = built_site
    copy = tmp_path / "proj"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "build"))
    bad = copy / "content" / "papers" / "broken-page.md"
    bad.write_text("---\ntitle: [unclosed\n---\n\nText.\n", encoding="utf-8")
    result = run_cli(copy, "build")
    assert result.returncode == 1 and "content/papers/broken-page.md" in result.stderr
    assert not (copy / "build" / "docs" / "papers" / "broken-page.md").exists()
    assert len(list((copy / "build" / "docs" / "papers").glob("*.md"))) == len(list((root / "content" / "papers").glob("*.md")))


def test_generated_pages_link_to_the_file_to_edit(built_site, tmp_path):
    root, _ = built_site
    env = {**os.environ, "READINGLIST_REPO_URL": "https://github.com/example/list"}
    result = subprocess.run([sys.executable, "-m", "readinglist", "build", "--site-dir", str(tmp_path / "s")],
                            cwd=root, capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    site = tmp_path / "s"
    edit = lambda page: re.findall(r'href="([^"]+)"[^>]*rel="edit"', page.read_text(encoding="utf-8"))  # noqa: E731
    paper = next((site / "papers").iterdir()) / "index.html"
    assert edit(paper) == [f"https://github.com/example/list/edit/main/content/papers/{paper.parent.name}.md"]
    assert edit(site / "topics" / "quantization" / "index.html") == [
        "https://github.com/example/list/edit/main/site_config/topics.yml"]
    assert edit(site / "index.html") == ["https://github.com/example/list/edit/main/site_config/home.md"]
    assert edit(site / "stats" / "index.html") == []
    # And without the repository's address, no edit links at all (none would lead anywhere).
    build(root, tmp_path / "t")
    assert edit(tmp_path / "t" / "topics" / "quantization" / "index.html") == []


def test_a_build_after_edits_equals_a_build_from_scratch(built_site, tmp_path):
    """The second build only rebuilds the pages whose files changed (the engine's dirty
    mode), and rebuilds everything when what every page shows changed: either way the
    site is the one a build from scratch makes."""
    root, _ = built_site
    copy = tmp_path / "proj"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "build"))
    site = tmp_path / "site"
    build(copy, site)
    stamp = copy / "build" / "cache" / "engine-build.json"
    page = copy / "content" / "papers" / "2bp-2-stage-backpropagation.md"
    page.write_text(page.read_text(encoding="utf-8").replace("- distributed-training", "- quantization"),
                    encoding="utf-8")
    build(copy, site)  # a page file changed: dirty build
    assert stamp.exists()
    (copy / "content" / "papers" / "zero-bubble-pipeline-parallelism.md").unlink()  # a page leaves
    build(copy, site)
    topics = copy / "site_config" / "topics.yml"  # every page's navigation changes
    topics.write_text(topics.read_text(encoding="utf-8").replace("Pruning & sparsity", "Pruning and sparsity"),
                      encoding="utf-8")
    build(copy, site)
    build(copy, tmp_path / "scratch")
    assert not differences(site, tmp_path / "scratch")
    assert "Pruning and sparsity" in (site / "papers" / "2bp-2-stage-backpropagation" / "index.html").read_text()
    assert not (site / "papers" / "zero-bubble-pipeline-parallelism").exists()


# --------------------------------------------------------------------------- the live preview


def test_the_preview_tree_after_edits_is_the_tree_a_build_writes(built_site, tmp_path):
    """The live preview remakes only what an edit reaches (memos by object, pages before
    the exports): after edits its tree holds the bytes a build from scratch writes."""
    from readinglist import store
    from readinglist.site.build import load_site_data, site_settings, write_tree
    from readinglist.site.preview import LiveTree

    root, _ = built_site
    copy = tmp_path / "proj"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "build"))
    project = store.find_project(copy)
    live = LiveTree(project)
    live.refresh()
    waits = []
    papers = copy / "content" / "papers"
    page = papers / "2bp-2-stage-backpropagation.md"
    page.write_text(page.read_text(encoding="utf-8").replace("- distributed-training", "- quantization")
                    .replace("title: '2BP: 2-Stage Backpropagation'", "title: '2BP: Two-Stage Backpropagation'"),
                    encoding="utf-8")
    (papers / "zero-bubble-pipeline-parallelism.md").unlink()
    changed = live.refresh(before_write=lambda: waits.append(1))
    assert "topics/quantization.md" in changed and "papers/zero-bubble-pipeline-parallelism.md" in changed
    assert "papers.json" in changed and waits  # the engine was waited for before writing
    assert "topics/vision-diffusion.md" not in changed  # a topic the edit did not reach
    preview_tree = files_of(project.tree)
    shutil.rmtree(project.tree)
    write_tree(load_site_data(project), site_settings(project), copy / "site")
    assert files_of(project.tree) == preview_tree



def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"the preview never showed {what} within {seconds:.0f} s")
        time.sleep(0.2)


def test_the_preview_shows_an_edit_to_a_pages_front_matter_without_a_restart(built_site, tmp_path):
    root, _ = built_site
    copy = tmp_path / "proj"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "build"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "readinglist", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=copy, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: "</html>" in _fetch(base), 180, "the site")
        page = copy / "content" / "papers" / "2bp-2-stage-backpropagation.md"
        assert "2bp-2-stage-backpropagation" not in _fetch(base + "topics/quantization/")
        time.sleep(1.5)  # the watcher's first look at the files
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("topics:\n- distributed-training", "topics:\n- quantization")
                        .replace("title: '2BP: 2-Stage Backpropagation'", "title: '2BP: Two-Stage Backpropagation'"),
                        encoding="utf-8")
        _wait_for(lambda: "papers/2bp-2-stage-backpropagation/" in _fetch(base + "topics/quantization/"),
                  90, "the paper on its new topic's page")
        assert "papers/2bp-2-stage-backpropagation/" not in _fetch(base + "topics/distributed-training/")
        paper = _fetch(base + "papers/2bp-2-stage-backpropagation/")
        assert "2BP: Two-Stage Backpropagation" in paper and 'href="../../topics/quantization/"' in paper
        assert "2BP: Two-Stage Backpropagation" in _fetch(base + "timeline/")
        # site_config too: a topic renamed in topics.yml shows in the navigation of every page.
        topics = copy / "site_config" / "topics.yml"
        topics.write_text(topics.read_text(encoding="utf-8").replace("Quantization & low precision",
                                                                     "Quantization and low bits"), encoding="utf-8")
        _wait_for(lambda: "Quantization and low bits" in _fetch(base + "papers/zero-bubble-pipeline-parallelism/"),
                  120, "the renamed topic")
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors, errors[-2000:]
