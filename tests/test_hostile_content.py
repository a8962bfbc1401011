"""Everything the site publishes from content/ must be checked, or not published.

A page in a subfolder of content/papers/, a `.markdown` or `.html` file, a
file anywhere else under content/, a symlink out of the repository: `check`
used to pass them while MkDocs published them, live <script> and all.  Now
the site is built from the docs tree (site/tree.py), made only from the pages
readinglist read and checked: none of these is ever published.  `check` names
each (exit 1), and so does the build (exit 1), which finishes: what would
stall a walk of content/ (two symlinks to `.`, a named pipe) is never walked
into or read.  Every command runs under the guard of conftest.run_guarded
(60 s, 512 MiB)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import make_project, run_guarded, run_guarded_code

FINE = "---\ntitle: A Fine Page\ntopics:\n- other\n---\n\nAn abstract about sparse attention kernels.\n"
SCRIPT = "---\ntitle: Sneaky\n---\n\n<script>alert('{where}')</script>\n"

UNCHECKED = "is not a page readinglist reads, and it is not published"
NOT_PUBLISHED = "is not published and not checked"
# path under content/ -> (what to put there, the message check prints for it)
FILES = {
    "papers/sub/evil.md": (SCRIPT, "content/papers/sub/evil.md: is in a subfolder of content/papers/: it is not "
                                   "read as a page and not published (pages go directly in content/papers/, as "
                                   "<slug>.md)"),
    "papers/a/b/deeper.md": (SCRIPT, "content/papers/a/b/deeper.md: is in a subfolder of content/papers/"),
    "papers/evil.markdown": (SCRIPT, "content/papers/evil.markdown: is not a page readinglist reads, and it is not "
                                     "published (a paper page is content/papers/<slug>.md: rename or move it, or "
                                     "delete it)"),
    "papers/other.mdown": (SCRIPT, f"content/papers/other.mdown: {UNCHECKED}"),
    "papers/SHOUT.MD": (SCRIPT, f"content/papers/SHOUT.MD: {UNCHECKED}"),
    "papers/evil.html": ("<script>alert('html')</script>\n",
                         "content/papers/evil.html: is not published and not checked: content/ holds only paper "
                         "pages, content/papers/<slug>.md (delete it)"),
    "papers/evil.htm": ("<script>alert('htm')</script>\n", f"content/papers/evil.htm: {NOT_PUBLISHED}"),
    "papers/evil.xhtml": ("<script>alert('xhtml')</script>\n", f"content/papers/evil.xhtml: {NOT_PUBLISHED}"),
    "papers/evil.svg": ("<svg onload=\"alert('svg')\"/>\n", f"content/papers/evil.svg: {NOT_PUBLISHED}"),
    "papers/notes.txt": ("alert('txt')\n", f"content/papers/notes.txt: {NOT_PUBLISHED}"),
    "evil.md": (SCRIPT, f"content/evil.md: {UNCHECKED}"),
    "index.html": ("<script>alert('index')</script>\n", f"content/index.html: {NOT_PUBLISHED}"),
    "assets/evil.js": ("alert('js')\n", f"content/assets/evil.js: {NOT_PUBLISHED}"),
    "templates/main.html": ("<script>alert('tpl')</script>\n", f"content/templates/main.html: {NOT_PUBLISHED}"),
    "people/evil.md": (SCRIPT, f"content/people/evil.md: {UNCHECKED}"),
    "papers/dir.md/inner.md": (SCRIPT, "content/papers/dir.md/inner.md: is in a subfolder of content/papers/"),
}


def fill(root: Path) -> None:
    content = root / "content"
    (content / "papers" / "fine.md").write_text(FINE, encoding="utf-8")
    for rel, (text, _) in FILES.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("{where}", rel), encoding="utf-8")
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "page.md").write_text(SCRIPT.replace("{where}", "outside"), encoding="utf-8")
    (content / "papers" / "linked.md").symlink_to(outside / "page.md")
    (content / "linked.html").symlink_to(outside / "page.md")
    (content / "papers" / "gone.html").symlink_to(content / "nowhere.html")
    # readinglist's own files (dot names, removed.yml) are not a problem, and never published either.
    (content / "removed.yml").write_text("[]\n", encoding="utf-8")
    (content / "papers" / ".draft.html").write_text("<script>alert('hidden')</script>\n", encoding="utf-8")


LINKS = {
    "content/papers/linked.md: is a symlink to '{outside}/page.md', outside the repository (replace it with the "
    "page itself)",
    "content/linked.html: is a symlink to '{outside}/page.md', outside the repository: it is not read or published "
    "(replace it with the file itself, or delete it)",
    "content/papers/gone.html: is a symlink to '{content}/nowhere.html', which does not exist (delete it)",
}


@pytest.fixture(scope="module")
def project_with_strays(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("strays") / "proj", manifest="dumps: []\n")
    fill(root)
    return root


def expected_lines(root: Path) -> list[str]:
    links = [line.format(outside=root.parent / "outside", content=root / "content") for line in LINKS]
    return [message for _, message in FILES.values()] + links


def test_check_names_every_file_it_does_not_check(project_with_strays):
    root = project_with_strays
    result = run_guarded(root, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    for line in expected_lines(root):
        assert line in result.stdout, line
    assert result.stdout.count("content/papers/linked.md:") == 1  # once, by the catalog
    problems = [line for line in result.stdout.splitlines() if not line.startswith("note: ")]
    assert not [line for line in problems if ".draft.html" in line or "fine.md" in line or "removed.yml" in line]


def test_the_build_leaves_them_out(project_with_strays):
    root = project_with_strays
    result = run_guarded(root, "build")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for line in expected_lines(root):
        assert f"error: {line}" in result.stderr, line
    assert "built 1 paper pages" in result.stdout
    # The docs tree holds only what readinglist made from the pages it checked.
    tree = root / "build" / "docs"
    assert sorted(p.relative_to(tree).as_posix() for p in (tree / "papers").rglob("*")) == ["papers/fine.md"]
    for path in (p for p in tree.rglob("*") if p.is_file()):
        assert "alert(" not in path.read_text(encoding="utf-8", errors="replace"), path
    site = root / "site"
    assert (site / "papers" / "fine" / "index.html").is_file()
    ours = [p for p in site.rglob("*") if p.is_file() and "assets" not in p.relative_to(site).parts[:1]]
    for path in ours:
        assert "alert(" not in path.read_text(encoding="utf-8", errors="replace"), path
    for rel in ("papers/sub", "papers/a", "papers/evil", "papers/other", "papers/shout", "papers/SHOUT",
                "papers/evil.html", "papers/evil.htm", "papers/evil.xhtml", "papers/evil.svg", "papers/notes.txt",
                "papers/dir.md", "papers/dir", "evil", "index.html.orig", "assets/evil.js", "templates",
                "people/evil", "papers/linked", "linked.html", "papers/gone.html"):
        assert not (site / rel).exists(), rel


@pytest.mark.parametrize("how", ["two-links-to-dot", "link-loop", "link-to-folder", "fifo", "dev-zero"])
def test_what_would_stall_a_walk_of_content_is_named_and_the_build_finishes(tmp_path, how):
    root = make_project(tmp_path / "proj", manifest="dumps: []\n")
    papers = root / "content" / "papers"
    (papers / "fine.md").write_text(FINE, encoding="utf-8")
    if how == "two-links-to-dot":  # a walk following them would never end
        (papers / "x").symlink_to(".")
        (papers / "y").symlink_to(".")
        message = ("error: content/papers/x: is a symlink to the folder '.': nothing in it is read or published "
                   "(delete the symlink; pages go in content/papers/)\n")
    elif how == "link-loop":  # a page that is a symlink to itself
        (papers / "loop.md").symlink_to("loop.md")
        (root / "content" / "a.html").symlink_to("b.html")
        (root / "content" / "b.html").symlink_to("a.html")
        message = ("error: content/papers/loop.md: cannot be read: Too many levels of symbolic links (it is a "
                   "symlink that leads back to itself: delete it)")
        assert_named = "error: content/a.html: is a symlink to 'b.html', which leads back to itself (delete it)"
    elif how == "link-to-folder":
        (root / "content" / "more").symlink_to(root / "site_config")
        message = f"error: content/more: is a symlink to the folder {str(root / 'site_config')!r}"
    elif how == "fifo":
        os.mkfifo(root / "content" / "pipe.md")
        message = "error: content/pipe.md: is a named pipe (FIFO), not a file (delete it)\n"
    else:
        (root / "content" / "zero.html").symlink_to("/dev/zero")
        message = "error: content/zero.html: is a symlink to '/dev/zero', outside the repository"
    check = run_guarded(root, "check")
    assert check.returncode == 1 and message.removeprefix("error: ") in check.stdout, check.stdout
    build = run_guarded(root, "build")
    assert build.returncode == 1 and message in build.stderr, build.stderr
    if how == "link-loop":
        assert assert_named in build.stderr and assert_named.removeprefix("error: ") in check.stdout
    assert "Traceback" not in build.stderr and "internal error" not in build.stderr
    assert "built 1 paper pages" in build.stdout
    assert (root / "site" / "papers" / "fine" / "index.html").is_file()


def test_a_file_name_that_is_not_utf8_is_named(tmp_path):
    root = make_project(tmp_path / "proj", manifest="dumps: []\n")
    papers = os.fsencode(root / "content" / "papers")
    with open(papers + b"/caf\xe9.md", "wb") as handle:
        handle.write(FINE.encode())
    with open(papers + b"/x\xff.html", "wb") as handle:
        handle.write(b"<script>alert(1)</script>")
    result = run_guarded(root, "check")
    assert result.returncode == 1, result.stderr
    assert "file name is not a slug" in result.stdout and NOT_PUBLISHED in result.stdout
    build = run_guarded(root, "build")
    assert build.returncode == 1 and "Traceback" not in build.stderr, build.stderr
    assert "built 0 paper pages" in build.stdout
    assert not list((root / "site").rglob("x*.html"))


def test_the_live_preview_takes_up_only_pages_it_checked(tmp_path):
    """The preview's tree follows edits one file at a time: a file in content/papers/ that is not
    a `.md` page, or a page that becomes a pipe, never reaches its tree either."""
    root = make_project(tmp_path / "proj", manifest="dumps: []\n")
    (root / "content" / "papers" / "fine.md").write_text(FINE, encoding="utf-8")
    scenario = f"""
import os
from pathlib import Path
from readinglist import store
from readinglist.site.preview import LiveTree
FINE = {FINE!r}
papers, tree = Path("content/papers"), Path("build/docs/papers")
live = LiveTree(store.Project(Path.cwd()))
live.refresh()
# Valid front matter, no problem a page could have: only its name keeps it out.
(papers / "sneaky.html").write_text(FINE.replace("A Fine Page", "Sneaky Page"), encoding="utf-8")
(papers / "later.md").write_text(FINE.replace("A Fine Page", "A Later Page"), encoding="utf-8")
live.refresh()
print(sorted(p.name for p in tree.iterdir()))
(papers / "later.md").unlink()
os.mkfifo(papers / "later.md")
live.refresh()
print(sorted(p.name for p in tree.iterdir()))
"""
    result = run_guarded_code(root, scenario)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["['fine.md', 'later.md']", "['fine.md']"]
