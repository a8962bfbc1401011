"""Everything MkDocs would publish from content/ must be checked, or not published.

A page in a subfolder of content/papers/, a `.markdown` or `.html` file, a
file anywhere else under content/, a symlink out of the repository: `check`
used to pass them while MkDocs published them, live <script> and all.  Now
`check` names each (exit 1) and the build leaves each out (exit 1); what MkDocs
would stumble on before any hook runs (a symlinked folder, whose walk two
links to `.` make endless; a named pipe) stops the build before it starts.
Every command runs under the guard of conftest.run_guarded (60 s, 512 MiB)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import make_project, run_guarded

FINE = "---\ntitle: A Fine Page\ntopics:\n- other\n---\n\nAn abstract about sparse attention kernels.\n"
SCRIPT = "---\ntitle: Sneaky\n---\n\n<script>alert('{where}')</script>\n"

UNCHECKED = "but `readinglist check` does not check it"
# path under content/ -> (what to put there, the message check prints for it)
FILES = {
    "papers/sub/evil.md": (SCRIPT, "content/papers/sub/evil.md: is in a subfolder of content/papers/: MkDocs would "
                                   "publish it but `readinglist check` does not check it (pages go directly in "
                                   "content/papers/, as <slug>.md)"),
    "papers/a/b/deeper.md": (SCRIPT, "content/papers/a/b/deeper.md: is in a subfolder of content/papers/"),
    "papers/evil.markdown": (SCRIPT, "content/papers/evil.markdown: MkDocs would publish this page but `readinglist "
                                     "check` does not check it (a paper page is content/papers/<slug>.md: rename or "
                                     "move it, or delete it)"),
    "papers/other.mdown": (SCRIPT, f"content/papers/other.mdown: MkDocs would publish this page {UNCHECKED}"),
    "papers/SHOUT.MD": (SCRIPT, f"content/papers/SHOUT.MD: MkDocs would publish this page {UNCHECKED}"),
    "papers/evil.html": ("<script>alert('html')</script>\n",
                         "content/papers/evil.html: MkDocs would publish this file as it is, unchecked (content/ "
                         "holds only paper pages, content/papers/<slug>.md: delete it)"),
    "papers/evil.svg": ("<svg onload=\"alert('svg')\"/>\n", "content/papers/evil.svg: MkDocs would publish this file"),
    "papers/notes.txt": ("alert('txt')\n", "content/papers/notes.txt: MkDocs would publish this file"),
    "evil.md": (SCRIPT, f"content/evil.md: MkDocs would publish this page {UNCHECKED}"),
    "assets/evil.js": ("alert('js')\n", "content/assets/evil.js: MkDocs would publish this file"),
    "people/evil.md": (SCRIPT, f"content/people/evil.md: MkDocs would publish this page {UNCHECKED}"),
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
    # Not published by MkDocs (dot names), so not a problem.
    (content / "papers" / ".draft.html").write_text("<script>alert('hidden')</script>\n", encoding="utf-8")


LINKS = {
    "content/papers/linked.md: is a symlink to '{outside}/page.md', outside the repository (replace it with the "
    "page itself)",
    "content/linked.html: is a symlink to '{outside}/page.md', outside the repository (replace it with the file "
    "itself)",
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
    assert not [line for line in problems if ".draft.html" in line or "fine.md" in line]


def test_the_build_leaves_them_out(project_with_strays):
    root = project_with_strays
    result = run_guarded(root, "build")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for rel in FILES:
        assert f"error: content/{rel} left out of the site (run `readinglist check`)" in result.stderr, rel
    assert "built 1 paper pages" in result.stdout
    site = root / "site"
    assert (site / "papers" / "fine" / "index.html").is_file()
    ours = [p for p in site.rglob("*") if p.is_file() and "assets" not in p.relative_to(site).parts[:1]]
    for path in ours:
        assert "alert(" not in path.read_text(encoding="utf-8", errors="replace"), path
    for rel in ("papers/sub", "papers/a", "papers/evil", "papers/other", "papers/shout", "papers/SHOUT",
                "papers/evil.html", "papers/evil.svg", "papers/notes.txt",
                "evil", "assets/evil.js", "people/evil", "papers/linked", "linked.html", "papers/gone.html"):
        assert not (site / rel).exists(), rel


@pytest.mark.parametrize("how", ["two-links-to-dot", "link-to-folder", "fifo"])
def test_what_mkdocs_would_stumble_on_stops_the_build_before_it_starts(tmp_path, how):
    root = make_project(tmp_path / "proj", manifest="dumps: []\n")
    papers = root / "content" / "papers"
    (papers / "fine.md").write_text(FINE, encoding="utf-8")
    if how == "two-links-to-dot":  # MkDocs' walk, following them, would never end
        (papers / "x").symlink_to(".")
        (papers / "y").symlink_to(".")
        message = ("error: content/papers/x: is a symlink to the folder '.': MkDocs would publish all of it "
                   "unchecked (delete the symlink; pages go in content/papers/)\n")
    elif how == "link-to-folder":
        (root / "content" / "more").symlink_to(root / "site_config")
        message = f"error: content/more: is a symlink to the folder {str(root / 'site_config')!r}"
    else:
        os.mkfifo(root / "content" / "pipe.md")
        message = "error: content/pipe.md: is a named pipe (FIFO), not a file (delete it)\n"
    check = run_guarded(root, "check")
    assert check.returncode == 1 and message.removeprefix("error: ") in check.stdout, check.stdout
    build = run_guarded(root, "build")
    assert build.returncode == 1 and message in build.stderr, build.stderr
    assert "error: no site built while these are in content/ (run `readinglist check`)" in build.stderr
    assert not (root / "site").exists()


def test_a_file_name_that_is_not_utf8_is_named(tmp_path):
    root = make_project(tmp_path / "proj", manifest="dumps: []\n")
    papers = os.fsencode(root / "content" / "papers")
    with open(papers + b"/caf\xe9.md", "wb") as handle:
        handle.write(FINE.encode())
    with open(papers + b"/x\xff.html", "wb") as handle:
        handle.write(b"<script>alert(1)</script>")
    result = run_guarded(root, "check")
    assert result.returncode == 1, result.stderr
    assert "file name is not a slug" in result.stdout and "MkDocs would publish this file" in result.stdout
    build = run_guarded(root, "build")
    assert build.returncode == 1 and "Traceback" not in build.stderr, build.stderr
    assert "built 0 paper pages" in build.stdout
    assert not list((root / "site").rglob("x*.html"))
