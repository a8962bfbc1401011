"""The GitHub Pages workflow, checked for shape: a strict build gates the deploy.

GitHub runs the workflow, not the test suite; this only guards the structure that
makes "nothing broken goes live" true, so an edit cannot quietly undo it.
"""

from __future__ import annotations

import pytest
import yaml

from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.get("on", data.get(True))
    return data


def step_index(steps: list[dict], predicate) -> int:
    found = [i for i, step in enumerate(steps) if predicate(step)]
    assert len(found) == 1, f"expected one matching step, found {len(found)}"
    return found[0]


def uses(action: str):
    return lambda step: step.get("uses", "").split("@")[0] == action


def test_runs_on_push_to_main_and_by_hand(workflow):
    assert "main" in workflow["on"]["push"]["branches"]
    assert "workflow_dispatch" in workflow["on"]


def test_build_job_builds_strictly_before_uploading(workflow):
    steps = workflow["jobs"]["build"]["steps"]
    checkout = step_index(steps, uses("actions/checkout"))
    python = step_index(steps, uses("actions/setup-python"))
    assert str(steps[python]["with"]["python-version"]) == "3.11"
    # The pinned versions of the lock file, then the project without resolving again.
    install = step_index(steps, lambda s: s.get("run", "").split() == ["pip", "install", "-r", "requirements.lock",
                                                                      "pip", "install", "--no-deps", "."])
    assert steps[python]["with"]["cache-dependency-path"] == "requirements.lock"
    cache = step_index(steps, uses("actions/cache"))
    assert steps[cache]["with"]["path"] == "build/cache"
    pages = step_index(steps, uses("actions/configure-pages"))
    build = step_index(steps, lambda s: "readinglist build" in s.get("run", ""))
    upload = step_index(steps, uses("actions/upload-pages-artifact"))
    assert checkout < python < install < build < upload and cache < build
    assert pages < build

    build_step = steps[build]
    assert build_step["run"].strip() == "readinglist build"  # strict is the default; no --no-strict
    assert not build_step.get("continue-on-error")
    env = build_step["env"]
    assert env["READINGLIST_SITE_URL"] == f"${{{{ steps.{steps[pages]['id']}.outputs.base_url }}}}"
    assert env["READINGLIST_REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    assert steps[upload]["with"]["path"] == "site"
    assert not any(s.get("continue-on-error") for s in steps)


def test_deploy_job_depends_on_the_build(workflow):
    deploy = workflow["jobs"]["deploy"]
    needs = deploy["needs"]
    assert "build" in ([needs] if isinstance(needs, str) else needs)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    step_index(deploy["steps"], uses("actions/deploy-pages"))
    assert "deploy-pages" not in str(workflow["jobs"]["build"])
    assert workflow["concurrency"]["group"] == "pages"
