"""Hostile pages, round two: front matter that expands without bound (YAML
aliases, merge keys), that crashes PyYAML's constructors (`!!bool maybe`),
that MkDocs splits differently from `check` (a `...` closing line, `----`,
a no-break space, lone CR line ends) and so would publish live script, and
Markdown that Python-Markdown renders in quadratic time or deeper than its
recursion limit.  Each is a problem `check` names with its line (exit 1), the
build leaves the page out and finishes, and no command ends in exit 3.  Every
command runs under the guard of conftest.run_guarded (60 s, 512 MiB)."""

from __future__ import annotations

import pytest

from conftest import make_project, run_guarded

ABSTRACT = "An abstract about sparse attention kernels for fast inference on small devices."
FINE = f"---\ntitle: A Fine Page\ntopics:\n- other\n---\n\n{ABSTRACT}\n"


def billion_laughs(indent: str = "") -> str:
    """Nine levels of nine aliases: about 387 million strings once expanded."""
    text = f'{indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi"):
        text += f"{indent}{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return text


# slug -> (page text, the line `readinglist check` prints for it)
CASES = {
    "bomb-unknown-key": (f"---\ntitle: Bomb\ntopics:\n- other\nlol:\n{billion_laughs('  ')}---\n\n{ABSTRACT}\n",
                         "content/papers/bomb-unknown-key.md:7: front matter uses the YAML alias `*a` (aliases and "
                         "merge keys are not read: write the value out)"),
    "bomb-known-key": (f"---\ntitle: Bomb\n{billion_laughs()}topics: *i\n---\n\n{ABSTRACT}\n",
                       "content/papers/bomb-known-key.md:4: front matter uses the YAML alias `*a`"),
    "merge-key": (f"---\ntitle: Merge\nbase: &b {{x: 1}}\nmore:\n  <<: *b\n  y: 2\n---\n\n{ABSTRACT}\n",
                  "content/papers/merge-key.md:5: front matter uses the YAML alias `*b`"),
    "big-unknown-value": (f"---\ntitle: Big\nnotes: '{'x' * 100_000}'\n---\n\n{ABSTRACT}\n",
                          "content/papers/big-unknown-value.md:3: the value of `notes:`, a key readinglist does not "
                          "know, is over 2,000 characters or nested over 4 deep (move it below the abstract, or "
                          "delete the key)"),
    "wide-unknown-value": ("---\ntitle: Wide\nnotes: [" + ", ".join(["1"] * 50_000) + f"]\n---\n\n{ABSTRACT}\n",
                           "content/papers/wide-unknown-value.md:3: the value of `notes:`"),
    "deep-unknown-value": (f"---\ntitle: Deep\nnotes: {'[' * 8}x{']' * 8}\n---\n\n{ABSTRACT}\n",
                           "content/papers/deep-unknown-value.md:3: the value of `notes:`"),
    "nested-too-deep": (f"---\ntitle: Nested\nnotes: {'[' * 5000}{']' * 5000}\n---\n\n{ABSTRACT}\n",
                        "content/papers/nested-too-deep.md:3: front matter is not valid YAML"),
    "tag-bool": (f"---\ntitle: !!bool maybe\n---\n\n{ABSTRACT}\n",
                 "content/papers/tag-bool.md:2: front matter is not valid YAML: a value its `!!tag` cannot make "
                 "(remove the tag, or quote the value)"),
    "tag-int": (f"---\ntitle: Tagged\nupvotes: !!int ''\n---\n\n{ABSTRACT}\n",
                "content/papers/tag-int.md:3: front matter is not valid YAML: a value its `!!tag` cannot make"),
    "tag-timestamp": (f"---\ntitle: Tagged\ndate: !!timestamp soon\n---\n\n{ABSTRACT}\n",
                      "content/papers/tag-timestamp.md:3: front matter is not valid YAML: a value its `!!tag` cannot"),
    "invalid-yaml": (f"---\ntitle: Colon: inside\ntopics:\n- other\n---\n\n{ABSTRACT}\n",
                     "content/papers/invalid-yaml.md:2: front matter is not valid YAML: mapping values are not "
                     "allowed in this context (quote values that contain `: `, `#`, or start with a special "
                     "character)"),
    "merge-bomb": ("---\ntitle: Merge Bomb\na: &a {x: 1, y: 2}\nb: &b {<<: [*a, *a, *a, *a]}\n"
                   f"c: {{<<: [*b, *b, *b]}}\n---\n\n{ABSTRACT}\n",
                   "content/papers/merge-bomb.md:4: front matter uses the YAML alias `*a`"),
    "nul-front-matter": (f"---\ntitle: Nul\x00 Byte\n---\n\n{ABSTRACT}\n",
                         "content/papers/nul-front-matter.md:2: front matter is not valid YAML: it holds the "
                         "character U+0000, which YAML does not allow (delete it; an editor may show it as ^@ or not "
                         "at all)"),
    "nul-body": (f"---\ntitle: Nul Body\n---\n\n{ABSTRACT}\n\nA \x00<script>alert('nul')</script>\n",
                 "content/papers/nul-body.md:7: the page holds the control character U+0000, which no page can show"),
    "escape-body": (f"---\ntitle: Escapes\n---\n\n{ABSTRACT} \x1b[31mred\x1b[0m\n",
                    "content/papers/escape-body.md:5: the page holds the control character U+001B"),
    "tab-indent": (f"---\ntitle: Tabs\ntopics:\n\t- other\n---\n\n{ABSTRACT}\n",
                   "content/papers/tab-indent.md:4: front matter is not valid YAML: found character that cannot "
                   "start any token (indent with spaces: YAML does not allow tabs there)"),
    "duplicate-key": (f"---\ntitle: First\ntopics:\n- other\ntitle: Second\n---\n\n{ABSTRACT}\n",
                      "content/papers/duplicate-key.md:5: key `title:` is given twice (first on line 2); YAML keeps "
                      "only the last one (delete one of them)"),
    "huge-title": (f"---\ntitle: '{'Long ' * 20_000}'\n---\n\n{ABSTRACT}\n",
                   "content/papers/huge-title.md:2: `title:` is 100,000 characters long; a title has at most 1,000 "
                   "(keep the title, move the rest into the abstract)"),
    # MkDocs ends front matter at `...`: what follows is rendered, not read as YAML.
    "dots-close": (f"---\ntitle: Dots\n...\n# <script>alert('dots')</script>\n---\n\n{ABSTRACT}\n",
                   "content/papers/dots-close.md:4: raw HTML in the page would be live markup"),
    # MkDocs reads front matter only after exactly `---`: otherwise all of it is Markdown.
    "four-dashes": (f"----\ntitle: Four\nnote: <script>alert('four')</script>\n----\n\n{ABSTRACT}\n",
                    "content/papers/four-dashes.md:1: the front matter must start with a line of exactly three "
                    "dashes `---` (MkDocs reads nothing else as front matter)"),
    "nbsp-dashes": (f"---\u00a0\ntitle: Nbsp\nnote: <script>alert('nbsp')</script>\n---\n\n{ABSTRACT}\n",
                    "content/papers/nbsp-dashes.md:1: the front matter must start with a line of exactly three"),
    # MkDocs reads a lone CR as a line end: the reference definition is a line of its own.
    "cr-line-ends": (f"---\ntitle: CR\n---\n\n{ABSTRACT}\r[x]: javascript:alert('cr')\r\rSee [this][x].\n",
                     "content/papers/cr-line-ends.md:6: link to \"javascript:alert('cr')\" is not allowed"),
    "ends-after-front-matter": ("---\ntitle: No Body\n---",
                                "content/papers/ends-after-front-matter.md:3: the page ends with the front matter "
                                "(write the abstract below the closing `---` line)"),
    # Markdown that Python-Markdown renders in quadratic time, or recurses on.
    "many-brackets": (f"---\ntitle: Brackets\n---\n\n{ABSTRACT}\n" + "[\n" * 20_000,
                      "content/papers/many-brackets.md:5: a paragraph with over 200 `[` and `{` would take Markdown "
                      "minutes to render (write them as \\[ and \\{, or split the paragraph)"),
    "braces-heading": (f"---\ntitle: Braces\n---\n\n{ABSTRACT}\n\n# Notes " + "{ " * 100_000 + "\n",
                       "content/papers/braces-heading.md:7: a paragraph with over 200 `[` and `{`"),
    "deep-list": (f"---\ntitle: Deep List\n---\n\n{ABSTRACT}\n\n" + "".join("  " * i + "- x\n" for i in range(1000)),
                  "content/papers/deep-list.md:68: indented 122 columns: lists or quotes nested this deep would take "
                  "Markdown minutes to render (at most 120 columns)"),
    "deep-quote": (f"---\ntitle: Deep Quote\n---\n\n{ABSTRACT}\n\n" + "> " * 3000 + "x\n",
                   "content/papers/deep-quote.md:7: indented 6000 columns"),
}


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("pages") / "proj", manifest="dumps: []\n")
    papers = root / "content" / "papers"
    (papers / "fine.md").write_text(FINE, encoding="utf-8")
    for slug, (text, _) in CASES.items():
        (papers / f"{slug}.md").write_bytes(text.encode("utf-8"))
    return root


@pytest.mark.parametrize("slug", sorted(CASES))
def test_check_names_the_page_and_line(hostile_pages, slug):
    result = run_guarded(hostile_pages, "check", f"content/papers/{slug}.md")
    assert result.returncode == 1, result.stdout + result.stderr
    assert CASES[slug][1] in result.stdout, result.stdout
    assert "Traceback" not in result.stderr


def test_the_build_leaves_each_out_and_finishes(hostile_pages):
    result = run_guarded(hostile_pages, "build")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for slug in CASES:
        assert f"error: content/papers/{slug}.md left out of the site until fixed" in result.stderr, slug
        assert not (hostile_pages / "site" / "papers" / slug).exists(), slug
    assert "built 1 paper pages" in result.stdout
    site = hostile_pages / "site"
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv", ".bib"):
            text = path.read_text(encoding="utf-8")
            assert "alert(" not in text and "lol" not in text, path
    assert (site / "papers.json").stat().st_size < 20_000


def test_ingest_leaves_them_alone(hostile_pages):
    result = run_guarded(hostile_pages, "ingest", "--dry-run")
    assert result.returncode == 0, result.stderr
    for slug in CASES:
        assert f"warning: content/papers/{slug}.md: page has problems, so ingest left it alone" in result.stderr


@pytest.mark.parametrize("slug", ["tag-bool", "tag-int", "tag-timestamp", "bomb-unknown-key", "tab-indent",
                                  "invalid-yaml", "nul-front-matter"])
def test_classify_names_the_problem(hostile_pages, slug):
    """`readinglist classify` on a page it cannot read: the problem, exit 1 (it was an internal error)."""
    result = run_guarded(hostile_pages, "classify", f"content/papers/{slug}.md")
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {CASES[slug][1]}"), result.stderr
    assert result.stdout == ""


def test_a_ledger_with_an_alias_bomb_is_refused(tmp_path):
    """content/.filed-by-rules.yml comes in pull requests too: config YAML refuses aliases as pages do."""
    root = make_project(tmp_path / "proj")
    (root / "content" / "papers" / "fine.md").write_text(FINE, encoding="utf-8")
    (root / "content" / ".filed-by-rules.yml").write_text(billion_laughs() + "fine: *i\n", encoding="utf-8")
    for command in ("check", "ingest"):
        result = run_guarded(root, command)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.startswith("error: content/.filed-by-rules.yml:2: uses the YAML alias `*a` (aliases "
                                        "and merge keys are not read: write the value out)"), result.stderr


def test_a_page_with_a_bom_and_crlf_line_ends_is_fine(tmp_path):
    root = make_project(tmp_path / "proj")
    page = root / "content" / "papers" / "bom-crlf.md"
    page.write_bytes(("\ufeff" + FINE).replace("\n", "\r\n").encode("utf-8"))
    result = run_guarded(root, "check")
    assert result.returncode == 0, result.stdout
    assert "all pages are fine" in result.stdout


def test_ingest_skips_a_record_with_a_huge_title(tmp_path):
    """Ingest never writes a page check refuses: a title over 1,000 characters is skipped, with its line."""
    title = "Sparse " * 200  # an organization listing takes any line after its header as the title
    dump = f"LGMay 30, 2025\n{title}\n{ABSTRACT}\nLGMay 29, 2025\nA Short Title\n{ABSTRACT}\n"
    root = make_project(tmp_path / "proj", dumps={"d.txt": dump})
    result = run_guarded(root, "ingest")
    assert result.returncode == 0, result.stderr
    assert "warning: d.txt:2: title is 1,399 characters long, over the 1,000 a page allows; skipped" in result.stderr
    assert [p.name for p in (root / "content" / "papers").glob("*.md")] == ["a-short-title.md"]
    assert run_guarded(root, "check").returncode == 0


def test_an_enormous_single_line_is_checked_and_built_in_time(tmp_path):
    """A page of one 7 MB line (under the 8 MiB limit) is a page like any other: check and the build
    finish under the guard, and it is published once."""
    root = make_project(tmp_path / "proj", manifest="dumps: []\n")
    text = f"---\ntitle: One Long Line\ntopics:\n- other\n---\n\n{ABSTRACT} " + "word " * 1_400_000 + "\n"
    (root / "content" / "papers" / "one-long-line.md").write_text(text, encoding="utf-8")
    assert run_guarded(root, "check").returncode == 0
    build = run_guarded(root, "build")
    assert build.returncode == 0, build.stderr
    assert (root / "site" / "papers" / "one-long-line" / "index.html").is_file()


def test_a_page_whose_file_name_is_not_its_slug_is_never_published(tmp_path):
    """A page with a problem, under a name that is not a slug (it was published twice, once under each
    name): neither name is in the docs tree or the site; the paper's good page is there once."""
    root = make_project(tmp_path / "proj", manifest="dumps: []\n")
    papers = root / "content" / "papers"
    good = f"---\ntitle: Fast Sparse Attention\ntopics:\n- other\n---\n\n{ABSTRACT}\n"
    (papers / "fast-sparse-attention.md").write_text(good, encoding="utf-8")
    names = ["Fast_Sparse_Attention.md", "Fast Sparse Attention.md", "fast-sparse-attention.MD.md",
             "fa\u0301st-attention.md"]
    for name in names:  # copies of it, and one with its own problem (an impossible date)
        (papers / name).write_text(good.replace("topics:", "date: 2024-13-01\ntopics:"), encoding="utf-8")
    check = run_guarded(root, "check")
    assert check.returncode == 1
    for name in names:
        assert f"content/papers/{name}:1: file name is not a slug" in check.stdout, name
    build = run_guarded(root, "build")
    assert build.returncode == 1 and "built 1 paper pages" in build.stdout, build.stderr
    for name in names:
        assert f"error: content/papers/{name} left out of the site until fixed" in build.stderr, name
    tree, site = root / "build" / "docs" / "papers", root / "site" / "papers"
    assert sorted(p.name for p in tree.iterdir()) == ["fast-sparse-attention.md"]
    assert sorted(p.name for p in site.iterdir()) == ["fast-sparse-attention"]
    published = [p for p in (root / "site").rglob("index.html") if "<h1" in p.read_text(encoding="utf-8")
                 and "Fast Sparse Attention</h1>" in p.read_text(encoding="utf-8")]
    assert len(published) == 1, published
