"""Files that are not what they seem: a page or a dump that is a device
(/dev/zero), a named pipe, a folder, a symlink out of the repository or to
nothing, a file far too big, a file that cannot be read, and a disk that is
full or a folder that is read-only.  Every command names the file and ends
with exit 1 or 2, never hangs, never runs out of memory (each case runs under
the guard of conftest.run_guarded: 60 s, 512 MiB of address space)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import make_project, run_guarded
from readinglist.store import MAX_DUMP_BYTES, MAX_FILE_BYTES, MAX_PAGE_BYTES

ABSTRACT = "An abstract that is long enough to count as one, about sparse attention kernels for inference."
DUMP = f"A Title For A Paper\n{ABSTRACT}\nAnother Title For A Paper\n{ABSTRACT} And more.\n"
PAGE = "---\ntitle: A Fine Page\ntopics:\n- other\n---\n\n" + ABSTRACT + "\n"


def one_dump(root: Path, name: str) -> Path:
    make_project(root, manifest=f"dumps:\n  - file: {name}\n")
    return root / "sources" / name


def assert_refused(result, code: int, *lines: str) -> None:
    """Exit `code`, each of `lines` in stderr, no traceback and no internal error."""
    assert result.returncode == code, result.stdout + result.stderr
    for line in lines:
        assert line in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# --------------------------------------------------------------------------- dumps


def test_a_dump_that_is_dev_zero_is_refused(tmp_path):
    root = tmp_path / "proj"
    one_dump(root, "zero.txt").symlink_to("/dev/zero")
    assert_refused(run_guarded(root, "ingest"), 1,
                   "error: site_config/sources.yml:2: `file: zero.txt` is a symlink to '/dev/zero', outside "
                   "sources/, so zero.txt was not ingested")
    # Named on the command line, it is read as a dump: a device is refused before a byte is read.
    assert_refused(run_guarded(root, "ingest", "/dev/zero"), 1,
                   "error: zero: is a device (like /dev/zero), not a dump: only regular files of at most 16 MiB are "
                   "read (name a text file in site_config/sources.yml)\n")


def test_a_named_pipe_as_a_dump_is_refused_without_waiting(tmp_path):
    root = tmp_path / "proj"
    os.mkfifo(one_dump(root, "pipe.txt"))
    assert_refused(run_guarded(root, "ingest"), 1,
                   "error: pipe.txt: is a named pipe (FIFO), not a dump: only regular files of at most 16 MiB are "
                   "read")
    # The lock went with the run: the next one runs.
    (root / "sources" / "pipe.txt").unlink()
    (root / "sources" / "pipe.txt").write_text(DUMP, encoding="utf-8")
    result = run_guarded(root, "ingest")
    assert result.returncode == 0 and "pages new: 2" in result.stdout, result.stderr


def test_a_dump_far_too_big_is_refused_by_its_size(tmp_path):
    root = tmp_path / "proj"
    path = one_dump(root, "huge.txt")
    with open(path, "wb") as handle:  # sparse: nothing of it is ever read
        handle.truncate(MAX_DUMP_BYTES + 1)
    assert_refused(run_guarded(root, "ingest"), 1,
                   "error: huge.txt: is larger than 16 MiB, the limit for a dump (is this the right file?)\n")


@pytest.mark.parametrize("target", ["folder", "nothing"])
def test_a_dump_that_is_a_folder_or_a_symlink_to_one_or_to_nothing(tmp_path, target):
    root = tmp_path / "proj"
    link = one_dump(root, "link.txt")
    if target == "folder":
        (root / "sources" / "real").mkdir()
        link.symlink_to(root / "sources" / "real")
        expected = ("error: link.txt: is a folder, not a dump: only regular files of at most 16 MiB are "
                    "read (name a text file in site_config/sources.yml)\n")
    else:
        link.symlink_to(root / "sources" / "gone.txt")
        expected = "error: link.txt: is a symlink to "
    assert_refused(run_guarded(root, "ingest"), 1, expected)


def test_an_unreadable_dump_is_named(tmp_path):
    root = tmp_path / "proj"
    one_dump(root, "secret.txt").write_text(DUMP, encoding="utf-8")
    result = run_guarded(root, "ingest", fault="unreadable", target=root / "sources" / "secret.txt")
    assert_refused(result, 1, "error: secret.txt: cannot be read: Permission denied "
                              "(give yourself read permission, e.g. chmod u+r)\n")


# --------------------------------------------------------------------------- pages


def broken_page(root: Path, how: str) -> tuple[Path, str]:
    """A page in content/papers/ that is not a readable file, and the message every command gives for it."""
    page = root / "content" / "papers" / "bad.md"
    name = "content/papers/bad.md"
    if how == "dev-zero":
        page.symlink_to("/dev/zero")
        return page, f"{name}: is a symlink to '/dev/zero', outside the repository (replace it with the page itself)"
    if how == "outside":
        outside = root.parent / "elsewhere.md"
        outside.write_text(PAGE, encoding="utf-8")
        page.symlink_to(outside)
        return page, f"{name}: is a symlink to {str(outside)!r}, outside the repository"
    if how == "dangling":
        page.symlink_to(root / "content" / "papers" / "gone.md")
        return page, f"{name}: is a symlink to "
    if how == "fifo":
        os.mkfifo(page)
        return page, f"{name}: is a named pipe (FIFO), not a page: only regular files of at most 8 MiB are read"
    if how == "folder":
        page.mkdir()
        return page, f"{name}: is a folder, not a page: only regular files of at most 8 MiB are read"
    if how == "huge":
        page.write_bytes(PAGE.encode() + b"x" * MAX_PAGE_BYTES)
        return page, f"{name}: is larger than 8 MiB, the limit for a page (is this the right file?)"
    raise ValueError(how)


PAGE_CASES = ["dev-zero", "outside", "dangling", "fifo", "folder", "huge"]


@pytest.mark.parametrize("how", PAGE_CASES)
def test_a_page_that_is_no_readable_file_is_a_problem_for_check(tmp_path, how):
    root = make_project(tmp_path / "proj")
    (root / "content" / "papers" / "fine.md").write_text(PAGE, encoding="utf-8")
    _, message = broken_page(root, how)
    result = run_guarded(root, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stdout and "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("how", ["dev-zero", "fifo", "huge"])
def test_every_command_survives_such_a_page(tmp_path, how):
    root = make_project(tmp_path / "proj", dumps={"d.txt": DUMP})
    (root / "content" / "papers" / "fine.md").write_text(PAGE, encoding="utf-8")
    _, message = broken_page(root, how)
    assert_refused(run_guarded(root, "build"), 1, f"error: {message}",
                   "error: content/papers/bad.md left out of the site until fixed")
    assert (root / "site" / "papers" / "fine" / "index.html").is_file()
    assert not (root / "site" / "papers" / "bad").exists()
    assert_refused(run_guarded(root, "classify", "content/papers/bad.md"), 1, f"error: {message}")
    assert_refused(run_guarded(root, "check", "content/papers/bad.md"), 1)
    # Ingest leaves a page with a problem alone, says so, and ingests the rest.
    ingest = run_guarded(root, "ingest")
    assert ingest.returncode == 0 and "pages new: 2" in ingest.stdout, ingest.stderr
    assert "warning: content/papers/bad.md: page has problems, so ingest left it alone" in ingest.stderr
    search = run_guarded(root, "search", "fine")
    assert search.returncode == 0 and "content/papers/fine.md" in search.stdout, search.stderr


def test_an_unreadable_page_is_named(tmp_path):
    root = make_project(tmp_path / "proj")
    page = root / "content" / "papers" / "locked.md"
    page.write_text(PAGE, encoding="utf-8")
    result = run_guarded(root, "check", fault="unreadable", target=page)
    assert result.returncode == 1
    assert ("content/papers/locked.md: cannot be read: Permission denied "
            "(give yourself read permission, e.g. chmod u+r)\n") in result.stdout
    assert_refused(run_guarded(root, "build", fault="unreadable", target=page), 1,
                   "error: content/papers/locked.md: cannot be read: Permission denied")


def test_a_bibtex_file_that_is_a_pipe_is_refused(tmp_path):
    root = make_project(tmp_path / "proj")
    os.mkfifo(tmp_path / "refs.bib")
    assert_refused(run_guarded(root, "add", "--bibtex", str(tmp_path / "refs.bib")), 2,
                   "is a named pipe (FIFO), not the BibTeX file")


# --------------------------------------------------------------------------- writing


def test_a_full_disk_is_named_and_leaves_every_page_whole(tmp_path):
    root = make_project(tmp_path / "proj", dumps={"d.txt": DUMP})
    result = run_guarded(root, "ingest", fault="disk-full")
    assert_refused(result, 1, "cannot be written: No space left on device (free some disk space, then run "
                              "the command again; files written before it are complete)\n")
    assert result.stderr.startswith("error: content/papers/")
    papers = root / "content" / "papers"
    assert [p.name for p in papers.iterdir()] == []  # nothing half written, no temporary file left
    assert run_guarded(root, "ingest").returncode == 0
    assert len(list(papers.glob("*.md"))) == 2


def test_a_full_disk_during_a_build_is_named(tmp_path):
    root = make_project(tmp_path / "proj")
    (root / "content" / "papers" / "fine.md").write_text(PAGE, encoding="utf-8")
    result = run_guarded(root, "build", fault="disk-full")
    assert_refused(result, 1, "cannot be written: No space left on device (free some disk space")
    assert result.stderr.startswith("error: build/"), result.stderr  # the docs tree, streamed to disk


def test_a_read_only_folder_is_named(tmp_path):
    root = make_project(tmp_path / "proj", dumps={"d.txt": DUMP})
    result = run_guarded(root, "ingest", fault="read-only", target=root / "content" / "papers")
    assert_refused(result, 1, "cannot be written: Permission denied (make content/papers/ writable, then run "
                              "the command again; files written before it are complete)\n")


def test_the_store_names_each_write_fault_and_what_to_do(tmp_path, monkeypatch):
    """store.write_text turns what the OS raises into one WriteError line naming the file
    (the CLI prints it, exit 1), and leaves neither the file changed nor a temporary file."""
    import errno

    from readinglist import store
    from readinglist.paper import WriteError

    target = tmp_path / "page.md"
    target.write_text("old\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cases = {errno.ENOSPC: "No space left on device (free some disk space, then run the command again",
             errno.EDQUOT: "(free some disk space",
             errno.EROFS: "(make ./ writable, then run the command again",
             errno.EACCES: "(make ./ writable",
             errno.EIO: "(check the disk"}
    for code, expected in cases.items():
        def fail(*args, code=code, **kwargs):
            raise OSError(code, os.strerror(code))
        with monkeypatch.context() as patched:
            patched.setattr(os, "replace", fail)
            with pytest.raises(WriteError) as raised:
                store.write_text(target, "new\n")
        assert str(raised.value).startswith("page.md: cannot be written: "), raised.value
        assert expected in str(raised.value) and "files written before it are complete" in str(raised.value)
        assert target.read_text(encoding="utf-8") == "old\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["page.md"]
    # Build products (the docs tree) are written the same way.
    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left")))
        with pytest.raises(WriteError, match=r"^tree/a\.md: cannot be written: No space left \(free some disk"):
            store.write_tree(tmp_path / "tree", [("a.md", "one\n")])
            store.write_tree(tmp_path / "tree", [("a.md", "two\n")])


@pytest.mark.parametrize("config", ["site_config/sources.yml", "site_config/topics.yml", "mkdocs.yml"])
@pytest.mark.parametrize("how", ["dev-zero", "fifo", "huge"])
def test_a_configuration_file_that_is_no_readable_file_is_named(tmp_path, config, how):
    root = make_project(tmp_path / "proj", dumps={"d.txt": DUMP})
    path = root / config
    path.unlink()
    if how == "dev-zero":
        path.symlink_to("/dev/zero")
        expected = f"error: {config}: is a device (like /dev/zero), not a YAML file: only regular files of at most 16 MiB"
    elif how == "fifo":
        os.mkfifo(path)
        expected = f"error: {config}: is a named pipe (FIFO), not a YAML file: only regular files of at most 16 MiB"
    else:
        with open(path, "wb") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)
        expected = f"error: {config}: is larger than 16 MiB, the limit for a YAML file (is this the right file?)"
    command = "build" if config == "mkdocs.yml" else "ingest"
    assert_refused(run_guarded(root, command), 2, expected)
