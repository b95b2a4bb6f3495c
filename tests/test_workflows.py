"""The CI files that publish a branch's site: linted, validated and run.

actionlint (with shellcheck) and zizmor check the GitHub workflow, check-jsonschema
checks it, Dependabot's file and `.gitlab-ci.yml` against the vendors' schemas; the
policy tests pin down what those tools cannot know (which job sees the passwords,
what may be cached). The slow tests run the workflows' own shell steps in a clean
clone, so a step that only works on a developer's machine fails here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import (
    BOARD_PASSWORD,
    DEV_PASSWORD,
    MEMBERS_PASSWORD,
    ROOT,
    TEST_PASSWORDS,
    TEST_WORK_FACTOR,
)

WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
TOOLS = Path(sys.executable).parent

# The major each action must be on: these run on GitHub's Node 24 runtime.
REQUIRED_MAJORS = {
    "actions/checkout": 6,
    "actions/setup-python": 6,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "actions/cache": 5,
}
PINNED_USES = re.compile(
    r"uses:\s*(?P<action>[\w.-]+/[\w.-]+)@(?P<sha>\S+)\s+#\s*v(?P<version>[\d.]+)\s*$"
)
SECRETS = ("MEMBERS_PASSWORD", "BOARD_PASSWORD")


def tool(name: str) -> str:
    path = TOOLS / name
    assert path.exists(), (
        f"{name} is missing: `make test` installs it from the [test] extra"
    )
    return str(path)


def run_tool(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def workflow() -> dict:
    return load(PUBLISH)


def triggers(flow: dict) -> dict:
    # PyYAML reads the bare key `on` as True (YAML 1.1).
    return flow.get("on", flow.get(True))


# --- the linters and schemas -------------------------------------------------------


def test_actionlint_finds_nothing():
    result = run_tool(tool("actionlint"), "-shellcheck", tool("shellcheck"), "-no-color")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_zizmor_finds_nothing(persona):
    result = run_tool(
        tool("zizmor"),
        "--offline",
        f"--persona={persona}",
        "--no-progress",
        "--format=plain",
        ".github/",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout


@pytest.mark.parametrize(
    "path, schema",
    [
        (GITLAB, "vendor.gitlab-ci"),
        (PUBLISH, "vendor.github-workflows"),
        (DEPENDABOT, "vendor.dependabot"),
    ],
)
def test_file_matches_vendor_schema(path, schema):
    result = run_tool(tool("check-jsonschema"), "--builtin-schema", schema, str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_linters_reject_an_unpinned_action(tmp_path):
    """The lint tests would catch a regression, not just pass on anything."""
    flow = tmp_path / ".github" / "workflows" / "publish.yml"
    flow.parent.mkdir(parents=True)
    text = PUBLISH.read_text(encoding="utf-8")
    flow.write_text(
        re.sub(r"actions/checkout@\S+", "actions/checkout@v4", text, count=1),
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            tool("zizmor"),
            "--offline",
            "--no-progress",
            "--format=plain",
            str(tmp_path / ".github"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout


# --- the GitHub workflow's policy --------------------------------------------------


def test_every_action_is_pinned_to_a_sha_on_its_required_major():
    lines = [
        line for line in PUBLISH.read_text(encoding="utf-8").splitlines() if "uses:" in line
    ]
    assert lines
    for line in lines:
        match = PINNED_USES.search(line)
        assert match, f"not pinned to a SHA with a version comment: {line.strip()}"
        assert re.fullmatch(r"[0-9a-f]{40}", match["sha"]), line
        action, major = match["action"], int(match["version"].split(".")[0])
        assert REQUIRED_MAJORS.get(action) == major, f"{action} v{major}: {line.strip()}"
    used = {PINNED_USES.search(line)["action"] for line in lines}
    assert used >= set(REQUIRED_MAJORS) - {"actions/cache"}


def test_dependabot_keeps_the_actions_current():
    ecosystems = {update["package-ecosystem"] for update in load(DEPENDABOT)["updates"]}
    assert {"github-actions", "pip"} <= ecosystems


def test_permissions_are_least_privilege():
    flow = workflow()
    assert flow["permissions"] == {"contents": "read"}
    jobs = flow["jobs"]
    for name, job in jobs.items():
        granted = job.get("permissions", {})
        if name == "deploy":
            assert granted == {"pages": "write", "id-token": "write"}
        else:
            assert not granted, f"job {name} must not widen the permissions"


def test_pull_requests_run_check_only_and_never_see_secrets():
    jobs = workflow()["jobs"]
    check = jobs["check"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert "secrets." not in yaml.safe_dump(check)
    assert any(
        step.get("run", "").strip() == ".venv/bin/invoke check" for step in check["steps"]
    )
    assert jobs["build"]["if"] == "github.event_name != 'pull_request'"
    assert jobs["deploy"]["needs"] == "build"
    assert set(triggers(workflow())) == {
        "push",
        "pull_request",
        "schedule",
        "workflow_dispatch",
    }


def test_secrets_reach_only_the_publishing_step():
    flow = workflow()
    holders = [
        (job_name, step.get("name"))
        for job_name, job in flow["jobs"].items()
        for step in job["steps"]
        if "secrets." in yaml.safe_dump(step)
    ]
    assert holders == [("build", "Build for publishing")]
    outside_steps = {key: value for key, value in flow.items() if key != "jobs"}
    outside_steps["jobs"] = {
        name: {k: v for k, v in job.items() if k != "steps"}
        for name, job in flow["jobs"].items()
    }
    assert "secrets." not in yaml.safe_dump(outside_steps)


def test_checkout_does_not_persist_credentials():
    for job in workflow()["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_nothing_that_can_hold_protected_text_is_cached():
    build = workflow()["jobs"]["build"]
    for step in build["steps"]:
        assert "cache" not in step.get("with", {}), "the publishing build restores no cache"
        assert not step.get("uses", "").startswith("actions/cache@")
    for job in workflow()["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/cache@"):
                paths = str(step["with"]["path"]).split()
                assert not {"cache", "cache/", "output", "output/"} & set(paths)


def test_deploys_never_overlap():
    concurrency = workflow()["concurrency"]
    assert "'pages'" in concurrency["group"]
    # Never cancel a publishing run: only pull-request checks are cancelled.
    assert concurrency["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_deploy_goes_through_configure_upload_deploy():
    jobs = workflow()["jobs"]
    build_uses = [step.get("uses", "").split("@")[0] for step in jobs["build"]["steps"]]
    deploy_uses = [step.get("uses", "").split("@")[0] for step in jobs["deploy"]["steps"]]
    assert build_uses[-1] == "actions/upload-pages-artifact"
    assert deploy_uses == ["actions/configure-pages", "actions/deploy-pages"]
    assert jobs["deploy"]["environment"]["name"] == "github-pages"


@pytest.mark.parametrize(
    "repository, variable, expected",
    [
        ("Ekdala-Lokal/webb", "", "https://ekdala-lokal.github.io/webb"),
        ("Ekdala-Lokal/ekdala-lokal.github.io", "", "https://ekdala-lokal.github.io"),
        ("Ekdala-Lokal/webb", "https://ekdala.example.org", "https://ekdala.example.org"),
    ],
)
def test_publishing_step_works_out_the_address(tmp_path, repository, variable, expected):
    """The step's own shell, with `invoke` replaced by one that prints SITEURL."""
    step = next(
        step
        for step in workflow()["jobs"]["build"]["steps"]
        if step.get("name") == "Build for publishing"
    )
    invoke = tmp_path / ".venv" / "bin" / "invoke"
    invoke.parent.mkdir(parents=True)
    invoke.write_text('#!/bin/sh\nprintf %s "$SITEURL"\n', encoding="utf-8")
    invoke.chmod(0o755)
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin",
            "SITEURL": variable,
            "GITHUB_REPOSITORY": repository,
            "GITHUB_REPOSITORY_OWNER": repository.split("/")[0],
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


# --- the GitLab pipeline's policy --------------------------------------------------


def test_gitlab_merge_requests_check_and_the_default_branch_publishes():
    pipeline = load(GITLAB)
    assert pipeline["check"]["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}
    ]
    assert pipeline["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert ".venv/bin/invoke check" in pipeline["check"]["script"]
    assert "resource_group" in pipeline["pages"]


def test_gitlab_caches_nothing_that_can_hold_protected_text():
    pipeline = load(GITLAB)
    for name, job in {"(default)": pipeline, **pipeline}.items():
        if not isinstance(job, dict) or "cache" not in job:
            continue
        caches = job["cache"] if isinstance(job["cache"], list) else [job["cache"]]
        for cache in caches:
            for path in cache.get("paths", []):
                assert path.rstrip("/") not in {"cache", "public", "output"}, (name, path)
    assert pipeline["pages"]["cache"] == []


def test_gitlab_image_is_python_311():
    image = load(GITLAB)["image"]
    name = image["name"] if isinstance(image, dict) else image
    assert name.startswith("python:3.11")
    if "@sha256:" in name:
        assert re.fullmatch(r"python:3\.11[\w.-]*@sha256:[0-9a-f]{64}", name)


# --- the steps themselves, in a clean clone ----------------------------------------

SITEURL = "https://ekdala-test.github.io/grasrot"
# What the CI service fills in for the workflow's ${{ … }} environment values: a new
# repository with its two secrets and no SITEURL variable, so the default address is
# worked out from GITHUB_REPOSITORY as in a scheduled run.
CI_VALUES = {
    "MEMBERS_PASSWORD": MEMBERS_PASSWORD,
    "BOARD_PASSWORD": BOARD_PASSWORD,
    "SITEURL": "",
}


def clean_clone(tmp_path: Path) -> Path:
    """The committed tree only: what CI checks out, nothing a developer left lying."""
    clone = tmp_path / "repo"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)],
        check=True,
        timeout=120,
    )
    return clone


def commit_own_passwords(clone: Path) -> None:
    """What a branch commits before its first deploy (`invoke rotate-password`): the
    example's keys, sealed with the public development password, sealed with the
    branch's own passwords instead (publishing refuses the development password)."""
    from grasrot_members import sealing

    keys = clone / "content" / "keys"
    if not keys.is_dir():
        return
    for level, password in TEST_PASSWORDS.items():
        identity = sealing.open_identity(str(keys), level, DEV_PASSWORD)
        if identity is not None:
            sealing.write_level_keys(
                str(keys), level, identity, password, work_factor=TEST_WORK_FACTOR
            )
    git = [
        "git",
        "-C",
        str(clone),
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.org",
    ]
    subprocess.run(
        [*git, "commit", "--quiet", "--allow-empty", "-am", "Our own passwords"],
        check=True,
        timeout=60,
    )


def runner_environment(tmp_path: Path, extra: dict[str, str]) -> dict[str, str]:
    """A bare runner: Python 3.11 as `python`, no venv, no passwords of ours."""
    bin_dir = tmp_path / "runner-bin"
    bin_dir.mkdir(exist_ok=True)
    python = shutil.which("python3.11") or getattr(sys, "_base_executable", sys.executable)
    (bin_dir / "python").unlink(missing_ok=True)
    (bin_dir / "python").symlink_to(python)
    machine = {
        key: value
        for key, value in os.environ.items()
        if key.startswith("PIP_") or key.lower().endswith("_proxy")
    }
    return {
        **machine,
        "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "CI": "true",
        **extra,
    }


def resolve_env(env: dict) -> dict[str, str]:
    resolved = {}
    for key, value in (env or {}).items():
        value = str(value)
        if "${{" in value:
            assert key in CI_VALUES, f"the step-runner test does not know how to set {key}"
            value = CI_VALUES[key]
        resolved[key] = value
    return resolved


def run_steps(steps: list[tuple[str, str, dict]], cwd: Path, environment: dict) -> None:
    for name, script, step_env in steps:
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=cwd,
            env={**environment, **step_env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, (
            f"step '{name}' failed in a clean clone:\n{result.stdout[-3000:]}\n"
            f"{result.stderr[-3000:]}"
        )


def github_job_steps(job_name: str) -> list[tuple[str, str, dict]]:
    flow = workflow()
    job = flow["jobs"][job_name]
    outer = {**resolve_env(flow.get("env")), **resolve_env(job.get("env"))}
    return [
        (
            step.get("name", step["run"]),
            step["run"],
            {**outer, **resolve_env(step.get("env"))},
        )
        for step in job["steps"]
        if "run" in step
    ]


def assert_published(output: Path) -> None:
    index = output / "index.html"
    assert index.is_file()
    assert f'href="{SITEURL}/' in index.read_text(encoding="utf-8"), "SITEURL was not used"
    assert list((output / "protokoll").glob("*/index.html")), (
        "the sealed minutes are missing"
    )
    minutes_line = "Röstlängden fastställdes till 41"
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".ics", ".txt"}:
            assert minutes_line not in path.read_text(encoding="utf-8", errors="replace"), (
                path
            )


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    """A clean clone with the install step run once: (clone, run(steps, extra_env)).

    Every job installs with the same step (checked below), so the tests share the
    venv; each starts from a tree reset to the commit with `git clean`.
    """
    tmp_path = tmp_path_factory.mktemp("runner")
    clone = clean_clone(tmp_path)
    commit_own_passwords(clone)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    github = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(clone),
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_REPOSITORY": "Ekdala-Test/grasrot",
        "GITHUB_REPOSITORY_OWNER": "Ekdala-Test",
    }

    def run(steps, platform=github):
        subprocess.run(["git", "clean", "-xdfq", "-e", ".venv"], cwd=clone, check=True)
        run_steps(steps, clone, runner_environment(tmp_path, platform))

    install = github_job_steps("check")[0]
    assert install[0] == "Install"
    run([install])
    return clone, run


@pytest.mark.parametrize("job", ["check", "build"])
def test_github_jobs_install_the_same_way(job):
    assert github_job_steps(job)[0] == github_job_steps("check")[0]


@pytest.mark.slow
def test_github_check_job_runs_in_a_clean_clone(runner):
    clone, run = runner
    run(github_job_steps("check")[1:])
    assert (clone / "output" / "index.html").is_file()


@pytest.mark.slow
def test_github_build_job_publishes_in_a_clean_clone(runner):
    clone, run = runner
    run(github_job_steps("build")[1:])
    upload = next(
        step
        for step in workflow()["jobs"]["build"]["steps"]
        if step.get("uses", "").startswith("actions/upload-pages-artifact@")
    )
    assert_published(clone / upload["with"]["path"])


@pytest.mark.slow
def test_gitlab_pages_job_publishes_in_a_clean_clone(runner):
    clone, run = runner
    pipeline = load(GITLAB)
    job = pipeline["pages"]
    template = pipeline[job["extends"]]
    script = "\n".join([*template["before_script"], *job["script"]])
    variables = {
        key: str(value).replace("$CI_PROJECT_DIR", str(clone))
        for key, value in pipeline.get("variables", {}).items()
    }
    run(
        [("pages", script, {})],
        {
            "GITLAB_CI": "true",
            "CI_PROJECT_DIR": str(clone),
            "CI_PAGES_URL": SITEURL,
            "MEMBERS_PASSWORD": MEMBERS_PASSWORD,
            "BOARD_PASSWORD": BOARD_PASSWORD,
            **variables,
        },
    )
    assert_published(clone / job["artifacts"]["paths"][0])
