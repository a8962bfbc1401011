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


def test_the_lock_file_pins_every_dependency():
    """requirements.lock (make, .ci/run and the Pages workflow install from it) must not
    fall behind pyproject.toml: every dependency there is pinned there."""
    import re
    try:
        import tomllib
    except ImportError:  # Python 3.10: pytest brings tomli, the same parser
        import tomli as tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + [d for deps in project["optional-dependencies"].values() for d in deps]
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    pinned = {re.sub(r"[-_.]+", "-", m.group(1)).lower() for m in re.finditer(r"^([A-Za-z0-9._-]+)==", lock, re.M)}
    missing = [d for d in wanted
               if re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]).lower() not in pinned]
    assert not missing, f"not in requirements.lock: {missing}; run `make lock`"
