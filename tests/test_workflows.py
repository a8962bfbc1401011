"""Every GitHub Actions workflow, audited: the rules hold for the workflows that
exist and for any workflow added to .github/workflows/ later.

GitHub runs the workflows, not this machine, so they are checked statically:
zizmor (config: .github/zizmor.yml) must report nothing of medium severity or
above, and the rules a reviewer cares about most are asserted directly, so they
hold even where zizmor is not installed:

* every workflow parses as YAML and has jobs;
* no `pull_request_target` trigger (it runs fork code with the base repo's secrets);
* permissions are declared, read-only or nothing at the workflow level,
  and any write is granted per job;
* `actions/checkout` does not leave the token in .git/config
  (`persist-credentials: false`) unless the job must push;
* no `${{ }}` expression inside a `run:` script (pass values through `env:`);
* actions are either hash-pinned or GitHub's own `actions/*` at a version tag.

zizmor is skipped when it is not installed, except with READINGLIST_REQUIRE_ZIZMOR=1
(set by .ci/run and ci.yml), where a missing zizmor is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

WORKFLOW_DIR = REPO / ".github" / "workflows"
WORKFLOWS = sorted(p for p in WORKFLOW_DIR.iterdir() if p.suffix in {".yml", ".yaml"})
ZIZMOR_CONFIG = REPO / ".github" / "zizmor.yml"
REQUIRE_ZIZMOR = os.environ.get("READINGLIST_REQUIRE_ZIZMOR") == "1"
# What CI runs, from .ci/run and ci.yml; the test runs the same.
ZIZMOR_ARGS = ["--offline", "--strict-collection", "--min-severity", "medium",
               "--no-progress", "--color", "never"]
HASH = re.compile(r"[0-9a-f]{40}")
VERSION_TAG = re.compile(r"v\d+(\.\d+){0,2}")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a YAML mapping"
    # YAML 1.1 reads the key `on` as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def jobs(workflow: dict) -> dict[str, dict]:
    return workflow.get("jobs") or {}


def steps(job: dict) -> list[dict]:
    return job.get("steps") or []


def uses(step_or_job: dict) -> str:
    return str(step_or_job.get("uses", ""))


def grants(permissions) -> dict[str, str]:
    """A `permissions:` value as {scope: level}; the shorthand strings expand to '*'."""
    if permissions is None:
        return {}
    if isinstance(permissions, str):
        return {"*": permissions.removesuffix("-all")}
    return {str(scope): str(level) for scope, level in permissions.items()}


@pytest.fixture(params=WORKFLOWS, ids=lambda p: p.name)
def workflow(request) -> tuple[str, dict]:
    return request.param.name, load(request.param)


def test_the_workflows_are_all_found():
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "pages.yml", "enrich.yml"} <= names


def test_parses_as_a_workflow(workflow):
    name, data = workflow
    assert data.get("on"), f"{name}: no trigger (`on:`)"
    assert jobs(data), f"{name}: no jobs"
    for job_id, job in jobs(data).items():
        assert isinstance(job, dict), f"{name}: job {job_id} is not a mapping"
        assert steps(job) or uses(job), f"{name}: job {job_id} has neither steps nor uses"


def test_no_pull_request_target(workflow):
    name, data = workflow
    triggers = data["on"]
    triggers = [triggers] if isinstance(triggers, str) else list(triggers)
    assert "pull_request_target" not in triggers, (
        f"{name}: pull_request_target runs with the base repository's token and secrets "
        "on behalf of forks; use pull_request")


def test_permissions_are_declared_and_least_privilege(workflow):
    name, data = workflow
    top = data.get("permissions")
    for job_id, job in jobs(data).items():
        assert "permissions" in job or "permissions" in data, (
            f"{name}: job {job_id} declares no permissions, and neither does the workflow, "
            "so it gets the repository's default token (possibly read/write)")
    # Writes are granted to the job that needs them, never to the whole workflow.
    assert top is None or isinstance(top, dict), (
        f"{name}: workflow-level permissions {top!r}: list the scopes (or use {{}})")
    bad = {s: lvl for s, lvl in grants(top).items() if lvl != "read" and lvl != "none"}
    assert not bad, f"{name}: workflow-level permissions must be {{}} or read-only, got {bad}"
    for job_id, job in jobs(data).items():
        perms = job.get("permissions")
        assert perms is None or isinstance(perms, dict), (
            f"{name}: job {job_id} permissions {perms!r}: list the scopes it needs")


def test_checkout_does_not_persist_credentials(workflow):
    name, data = workflow
    top = grants(data.get("permissions"))
    for job_id, job in jobs(data).items():
        perms = grants(job["permissions"]) if "permissions" in job else top
        may_push = perms.get("contents") == "write"
        for step in steps(job):
            if uses(step).split("@")[0] != "actions/checkout":
                continue
            setting = (step.get("with") or {}).get("persist-credentials")
            if may_push:
                # A job that pushes may keep the token, but says so explicitly.
                assert setting is not None, (
                    f"{name}: job {job_id} (contents: write) must set persist-credentials "
                    "explicitly on actions/checkout")
            else:
                assert setting is False or str(setting).lower() == "false", (
                    f"{name}: job {job_id} does not push, so actions/checkout must set "
                    "persist-credentials: false (the token would otherwise stay in .git/config)")


def test_no_expressions_in_run_scripts(workflow):
    name, data = workflow
    for job_id, job in jobs(data).items():
        for step in steps(job):
            script = str(step.get("run", ""))
            assert "${{" not in script, (
                f"{name}: job {job_id}, step {step.get('name') or script[:40]!r}: "
                "a ${{ }} expression is pasted into the shell script before it runs "
                "(template injection); pass the value through env: and use \"$VAR\"")


def test_actions_are_hash_pinned_or_github_owned_tags(workflow):
    name, data = workflow
    refs = [uses(j) for j in jobs(data).values()]
    refs += [uses(s) for j in jobs(data).values() for s in steps(j)]
    for ref in filter(None, refs):
        if ref.startswith("./"):
            continue  # an action or reusable workflow from this repository
        assert not ref.startswith("docker://"), f"{name}: {ref}: docker images are not used here"
        action, _, version = ref.partition("@")
        assert version, f"{name}: {ref} is not pinned at all"
        if HASH.fullmatch(version):
            continue
        assert action.startswith("actions/") and VERSION_TAG.fullmatch(version), (
            f"{name}: {ref}: only GitHub's own actions/* may be pinned by a version tag; "
            "pin anything else by its full commit hash (and see .github/zizmor.yml)")


# the metadata refresh (enrich.yml) ---------------------------------------------

def run_lines(job: dict) -> list[str]:
    return [line.strip() for step in steps(job) for line in str(step.get("run", "")).splitlines() if line.strip()]


def test_enrich_runs_weekly_and_on_demand_only():
    data = load(WORKFLOW_DIR / "enrich.yml")
    assert set(data["on"]) == {"schedule", "workflow_dispatch"}, "no push or pull_request trigger"
    assert len(data["on"]["schedule"]) == 1 and len(data["on"]["schedule"][0]["cron"].split()) == 5
    assert data["concurrency"]["cancel-in-progress"] is False


def test_enrich_tests_before_it_pushes_and_only_the_pull_request_job_may_write():
    data = load(WORKFLOW_DIR / "enrich.yml")
    enrich, pr = jobs(data)["enrich"], jobs(data)["pull-request"]
    assert set(jobs(data)) == {"enrich", "pull-request"}
    assert data["permissions"] == {}
    assert grants(enrich["permissions"]) == {"contents": "read"}
    assert grants(pr["permissions"]) == {"contents": "write", "pull-requests": "write"}
    assert pr["needs"] == "enrich" and "changed" in pr["if"]
    lines = run_lines(enrich)
    order = [next(i for i, line in enumerate(lines) if needle in line)
             for needle in ("readinglist enrich", "readinglist ingest", "readinglist check", "make test",
                            "readinglist build")]
    assert order == sorted(order), \
        "enrich, then the ingest state, check, the tests and a strict build, all before the push"
    assert not any(word in " ".join(lines) for word in ("git push", "gh pr", "GH_TOKEN"))
    # The pull request: plain git and gh, with the token in one step's environment only.
    pushing = [s for s in steps(pr) if "run" in s]
    assert len(pushing) == 1 and set(pushing[0]["env"]) >= {"GH_TOKEN"}
    script = pushing[0]["run"]
    assert "gh pr create" in script and "git push" in script and "gh auth setup-git" in script
    assert not any("GH_TOKEN" in (s.get("env") or {}) for j in (enrich,) for s in steps(j))
    assert all(uses(s).startswith("actions/") for j in (enrich, pr) for s in steps(j) if uses(s)), \
        "no third-party action: the pull request is opened with gh"
    for job in (enrich, pr):
        (checkout,) = [s for s in steps(job) if uses(s).startswith("actions/checkout@")]
        assert checkout["with"]["persist-credentials"] is False


def test_the_readme_says_what_the_refresh_needs():
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert "Allow GitHub Actions to create and approve pull requests" in readme
    assert "do not trigger other workflows" in readme and "enrich.yml" in readme


# zizmor ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def zizmor() -> str:
    here = Path(sys.executable).parent / "zizmor"  # the venv's, even when not on PATH
    found = str(here) if here.exists() else shutil.which("zizmor")
    if found:
        return found
    reason = ("zizmor is not installed (pip install zizmor; .ci/run installs it "
              "and sets READINGLIST_REQUIRE_ZIZMOR=1)")
    if REQUIRE_ZIZMOR:
        pytest.fail(reason)
    pytest.skip(reason)


def run_zizmor(zizmor: str, *args: str) -> subprocess.CompletedProcess:
    # No ZIZMOR_CONFIG from the environment: the repository's config is found on its own.
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZIZMOR_")}
    return subprocess.run([zizmor, *args, ".github/workflows/"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def test_zizmor_finds_nothing_of_medium_severity_or_above(zizmor):
    result = run_zizmor(zizmor, *ZIZMOR_ARGS)
    assert result.returncode == 0, (
        f"zizmor {' '.join(ZIZMOR_ARGS)} .github/workflows/ exited {result.returncode}:\n"
        f"{result.stdout}\n{result.stderr}")


def accepted_policies() -> dict[str, str]:
    config = yaml.safe_load(ZIZMOR_CONFIG.read_text(encoding="utf-8"))
    assert set(config) == {"rules"}, "the zizmor config only configures rules"
    assert set(config["rules"]) == {"unpinned-uses"}, (
        "the zizmor config accepts nothing but tag-pinned GitHub actions; fix other findings "
        "in the workflow (or justify an exception inline with # zizmor: ignore[rule])")
    rule = config["rules"]["unpinned-uses"]
    assert set(rule) == {"config"} and set(rule["config"]) == {"policies"}
    return rule["config"]["policies"]


def test_zizmor_config_accepts_only_tag_pins_of_named_github_actions():
    policies = accepted_policies()
    for pattern, policy in policies.items():
        assert pattern.startswith("actions/") and "*" not in pattern, (
            f"{pattern}: only named, GitHub-owned actions may be relaxed")
        assert policy == "ref-pin", f"{pattern}: {policy}"


def test_without_its_config_zizmor_finds_only_those_tag_pins(zizmor):
    """The config file is what silences the tag pins, and it silences nothing else."""
    result = run_zizmor(zizmor, *ZIZMOR_ARGS, "--no-config", "--format", "json-v1")
    findings = json.loads(result.stdout or "[]")
    policies = accepted_policies()
    unexpected = []
    for finding in findings:
        primary = [loc["concrete"]["feature"] for loc in finding["locations"]
                   if loc["symbolic"]["kind"] == "Primary"]
        paths = {loc["symbolic"]["key"].get("Local", {}).get("verbatim_path")
                 for loc in finding["locations"]}
        if finding["ident"] != "unpinned-uses" or any(r.split("@")[0] not in policies for r in primary):
            unexpected.append(f"{finding['ident']} in {sorted(filter(None, paths))}: {primary}")
    assert not unexpected, (
        "without .github/zizmor.yml, zizmor reports more than the listed tag pins:\n"
        + "\n".join(unexpected))


def test_ci_and_ci_run_pin_the_same_zizmor():
    ci_run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    ci_yml = (WORKFLOW_DIR / "ci.yml").read_text(encoding="utf-8")
    pinned = re.search(r"^ZIZMOR_VERSION=(\S+)$", ci_run, re.M)
    assert pinned, ".ci/run pins zizmor with ZIZMOR_VERSION="
    assert f"zizmor=={pinned.group(1)}" in ci_yml
    assert "READINGLIST_REQUIRE_ZIZMOR=1" in ci_run
    commands = [line for line in ci_run.splitlines() if not line.lstrip().startswith("#")]
    audit = [i for i, line in enumerate(commands) if "--offline" in line and ".github/workflows/" in line]
    tests = [i for i, line in enumerate(commands) if line.strip() == "make test"]
    assert audit and tests and audit[0] < tests[0], ".ci/run audits the workflows before `make test`"
