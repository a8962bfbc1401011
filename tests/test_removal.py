"""Papers can leave the list (remove, tombstones, pages deleted by hand) and wait for a curator (triage)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from conftest import REPO, make_project, run_cli

ROBOT = "windows-agent-arena-evaluating-multi-modal-os-agents-at-scale"


@pytest.fixture
def root(tmp_path):
    """The seed project as committed: dumps, pages and the filing record."""
    root = make_project(tmp_path / "proj", copy_sources=True, copy_pages=True)
    shutil.copyfile(REPO / "site_config" / "sources.yml", root / "site_config" / "sources.yml")
    return root


def pages(root) -> set[str]:
    return {p.stem for p in (root / "content" / "papers").glob("*.md")}


def removals(root) -> list[dict]:
    return yaml.safe_load((root / "content" / "removed.yml").read_text(encoding="utf-8"))


def test_remove_deletes_the_page_records_why_and_ingest_never_writes_it_again(root):
    assert run_cli(root, "ingest").returncode == 0      # the no-op fingerprint is in place
    result = run_cli(root, "remove", ROBOT, "--reason", "off-topic: desktop agents")
    assert result.returncode == 0, result.stderr
    assert f"removed content/papers/{ROBOT}.md" in result.stdout and ROBOT not in pages(root)
    text = (root / "content" / "removed.yml").read_text(encoding="utf-8")
    assert text.startswith("# Papers taken off the reading list")
    (entry,) = removals(root)
    assert entry["slug"] == ROBOT and entry["reason"] == "off-topic: desktop agents"
    assert entry["title"] == "Windows Agent Arena: Evaluating Multi-Modal OS Agents at Scale"
    assert entry["key"] == "windows agent arena evaluating multi modal os agents at scale"
    ledger = (root / "content" / ".filed-by-rules.yml").read_text(encoding="utf-8")
    assert f"\n{ROBOT}:" not in ledger
    again = run_cli(root, "ingest")
    assert again.returncode == 0, again.stderr
    assert ROBOT not in pages(root) and "removed from the list: 1" in again.stdout
    assert "pages new: 0, updated: 0" in again.stdout
    third = run_cli(root, "ingest")         # answered from the fingerprint, which covers removed.yml
    assert third.stdout == again.stdout
    assert run_cli(root, "check").returncode == 0


def test_reverting_the_tombstone_brings_the_paper_back(root):
    run_cli(root, "remove", ROBOT, "--reason", "by mistake")
    (root / "content" / "removed.yml").unlink()
    result = run_cli(root, "ingest")
    assert result.returncode == 0 and ROBOT in pages(root) and "pages new: 1" in result.stdout


@pytest.mark.parametrize("filed_by", ["the rules", "a person"])
def test_a_page_deleted_by_hand_is_recorded_as_removed(root, filed_by):
    page = root / "content" / "papers" / f"{ROBOT}.md"
    if filed_by == "a person":
        page.write_text(page.read_text(encoding="utf-8").replace("- other\n", "- hardware\n", 1), encoding="utf-8")
        assert run_cli(root, "ingest").returncode == 0 and "topics_curated: true" in page.read_text(encoding="utf-8")
        assert f"\n{ROBOT}: []\n" in (root / "content" / ".filed-by-rules.yml").read_text(encoding="utf-8")
    page.unlink()
    dry = run_cli(root, "ingest", "--dry-run")
    assert f"removed: content/papers/{ROBOT}.md was deleted by hand" in dry.stdout
    assert not (root / "content" / "removed.yml").exists()
    result = run_cli(root, "ingest")
    assert result.returncode == 0, result.stderr
    assert ROBOT not in pages(root) and "pages new: 0" in result.stdout
    (entry,) = removals(root)
    assert entry["slug"] == ROBOT and "deleted by hand" in entry["reason"]
    assert ROBOT not in pages(root) and run_cli(root, "ingest").returncode == 0 and ROBOT not in pages(root)


def test_check_notes_tombstones_no_dump_lists_and_flags_a_removed_page_written_back(root):
    run_cli(root, "remove", ROBOT, "--reason", "off-topic")
    stones = removals(root) + [{"title": "A Paper No Dump Lists", "key": "a paper no dump lists",
                                "slug": "a-paper-no-dump-lists", "reason": "gone"}]
    (root / "content" / "removed.yml").write_text(yaml.safe_dump(stones), encoding="utf-8")
    result = run_cli(root, "check")
    assert result.returncode == 0, result.stdout
    assert "note: content/removed.yml:" in result.stdout and "'A Paper No Dump Lists' is recorded as removed " \
        "but no dump lists it any more" in result.stdout
    assert "Windows Agent Arena" not in result.stdout
    shutil.copy(REPO / "content" / "papers" / f"{ROBOT}.md", root / "content" / "papers")
    back = run_cli(root, "check")
    assert back.returncode == 1
    assert f"content/papers/{ROBOT}.md: is recorded as removed in content/removed.yml" in back.stdout


@pytest.mark.parametrize("args, message", [
    (["remove", "no-such-page", "--reason", "x"], "no such page under content/papers/"),
    (["remove", ROBOT, "--reason", " "], "say why with --reason"),
])
def test_remove_refuses_clearly(root, args, message):
    result = run_cli(root, *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_a_broken_removals_file_is_one_clear_error(root):
    (root / "content" / "removed.yml").write_text("- title: X\n", encoding="utf-8")
    result = run_cli(root, "ingest")
    assert result.returncode == 2 and "content/removed.yml:1: entry 1 ('X') needs a `reason:`" in result.stderr


def test_triage_lists_the_papers_filed_under_other(root):
    result = run_cli(root, "triage")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    other = sum("\n- other\n" in p.read_text(encoding="utf-8") for p in (root / "content" / "papers").glob("*.md"))
    assert len(lines) == other + 1 and lines[-1].startswith(f"{other} papers to review")
    assert any(line.startswith(f"content/papers/{ROBOT}.md  Windows Agent Arena") for line in lines)
    run_cli(root, "remove", ROBOT, "--reason", "off-topic")
    assert len(run_cli(root, "triage").stdout.splitlines()) == other


def test_the_removals_file_is_part_of_the_no_op_fingerprint(root):
    from readinglist.ingest import noop
    from readinglist.store import Project
    project = Project(root)
    dumps = sorted((root / "sources").glob("*.txt"))
    before = noop.fingerprint(project, dumps)
    (root / "content" / "removed.yml").write_text("[]\n", encoding="utf-8")
    assert noop.fingerprint(project, dumps) != before
