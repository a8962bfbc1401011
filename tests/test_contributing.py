"""CONTRIBUTING.md stays true: every command it shows runs and succeeds."""

from __future__ import annotations

import re
import shlex
import shutil
import sys

import pytest

from conftest import REPO, make_project, run_cli

sys.path.insert(0, str(REPO / "tests" / "enrich"))
from enrich_fakes import FakeClock, ScholarlyServer  # noqa: E402  (local scholarly services: no network)


@pytest.fixture
def scholarly(httpserver, monkeypatch):
    """`readinglist enrich` in the documented commands asks local services that know no paper."""
    server = ScholarlyServer(httpserver, FakeClock(), cases=[])
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    return server


def documented_commands() -> list[str]:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip().startswith("readinglist ")]


def test_contributing_shows_the_commands_we_promise():
    commands = " ".join(documented_commands())
    for verb in ("add --title", "add --bibtex", "search", "classify", "check", "build", "ingest",
                 "enrich", "remove", "triage"):
        assert f"readinglist {verb}" in commands


def test_every_documented_command_runs(tmp_path, scholarly):
    root = make_project(tmp_path / "proj", copy_sources=True, copy_pages=True)
    shutil.copyfile(REPO / "site_config" / "sources.yml", root / "site_config" / "sources.yml")
    (root / "tests" / "golden").mkdir(parents=True)
    shutil.copy(REPO / "tests" / "golden" / "contributing.bib", root / "tests" / "golden")
    shutil.copy(REPO / "tests" / "known_filings.yml", root / "tests")
    shutil.copytree(REPO / "tests" / "topics-dev", root / "tests" / "topics-dev")
    for command in documented_commands():
        result = run_cli(root, *shlex.split(command)[1:])
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr
    pages = {p.stem for p in (root / "content" / "papers").glob("*.md")}
    assert {"sparse-upcycling-training-mixture-of-experts-from-dense-checkpoints",
            "switch-transformers-scaling-to-trillion-parameter-models-with-simple-and",
            "flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness"} <= pages
    assert (root / "site" / "papers" / "sparse-upcycling-training-mixture-of-experts-from-dense-checkpoints"
            / "index.html").exists()


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [line.split("#")[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_make_targets_exist():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = {cmd.split()[1] for cmd in readme_commands() if cmd.startswith("make ")}
    assert {"site", "test", "serve"} <= targets
    for target in targets:
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_readme_readinglist_commands_run(tmp_path, scholarly):
    root = make_project(tmp_path / "proj", copy_sources=True)
    shutil.copyfile(REPO / "site_config" / "sources.yml", root / "site_config" / "sources.yml")
    (root / "tests").mkdir()
    shutil.copy(REPO / "tests" / "known_filings.yml", root / "tests")
    for command in readme_commands():
        if not command.startswith("readinglist "):
            continue
        args = [a for a in shlex.split(command)[1:] if a != "[DUMP...]"]
        if args[0] == "serve":  # runs until stopped: its help must work
            args.append("--help")
        result = run_cli(root, *args)
        assert result.returncode == 0, f"{command}\n{result.stderr}"
    readme = " ".join(readme_commands())
    for verb in ("enrich", "remove", "triage"):
        assert f"readinglist {verb}" in readme
