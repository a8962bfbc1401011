"""The repository's contributor plumbing is wired the way CONTRIBUTING.md says."""

from __future__ import annotations

import yaml

from conftest import REPO


def test_pr_workflow_checks_tests_and_builds():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text())
    assert "pull_request" in workflow[True]  # PyYAML reads the `on:` key as True
    runs = " ".join(step.get("run", "") for step in workflow["jobs"]["check"]["steps"])
    assert runs.index("readinglist check") < runs.index("pytest") < runs.index("readinglist build")


def test_pre_commit_runs_check_on_changed_pages():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert hooks["readinglist-check"]["entry"].endswith("readinglist check")
    assert hooks["readinglist-check"]["files"] == r"^content/papers/[^/]+\.md$"
    assert "--unsafe" in hooks["check-yaml"]["args"]  # mkdocs.yml uses !ENV tags
    assert "sources" in hooks["trailing-whitespace"]["exclude"]  # raw dumps are never rewritten


def test_pull_request_template_has_a_checklist():
    text = (REPO / ".github" / "pull_request_template.md").read_text()
    assert text.count("- [ ]") >= 4 and "readinglist check" in text
