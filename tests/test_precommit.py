"""The pre-commit hook, as a ladder repository uses it: `pre-commit try-repo` against this repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from career_ladder import __version__
from conftest import minimal_ladder

ROOT = Path(__file__).parents[1]


def test_the_hook_file_runs_ladder_validate_on_ladder_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "ladder-validate")
    assert hook["entry"] == "ladder validate" and hook["language"] == "python"
    import re

    files = re.compile(hook["files"])
    assert files.search("ladders/acme.yaml") and files.search("hr/ladders/acme.yml")
    assert not files.search(".github/workflows/ci.yaml") and not files.search("ladders/sub/x.yaml")


@pytest.mark.slow
def test_pre_commit_try_repo_fails_a_broken_ladder_and_passes_a_good_one(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed (`pip install pre-commit`)")
    repo = tmp_path / "company"
    (repo / "ladders").mkdir(parents=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_CONFIG_GLOBAL": os.devnull}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", str(repo)], check=True, env=env)
    good = minimal_ladder("acme")
    (repo / "ladders" / "acme.yaml").write_text(yaml.safe_dump(good), encoding="utf-8")
    broken = minimal_ladder("beta")
    broken["rungs"][1]["level"] = "thirty"
    (repo / "ladders" / "beta.yaml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True, env=env)

    def try_repo() -> subprocess.CompletedProcess[str]:
        command = [pre_commit, "try-repo", str(ROOT), "ladder-validate", "--all-files"]
        return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env, timeout=600, check=False)

    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "ladders/beta.yaml" in failed.stdout and "LDR103" in failed.stdout
    (repo / "ladders" / "beta.yaml").unlink()
    subprocess.run([*git, "-C", str(repo), "add", "-A"], check=True, env=env)
    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr


def readme_configs() -> dict[str, str]:
    """The `.pre-commit-config.yaml` snippets docs/company-ladders.md shows, by the kind of their repo."""
    import re

    readme = (ROOT / "docs" / "company-ladders.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    configs = [block for block in blocks if "ladder-validate" in block]
    return {"local" if "repo: local" in config else "remote": config for config in configs}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["local", "remote"])
def test_the_readme_snippet_works_as_copied(kind: str, tmp_path: Path) -> None:
    """`pre-commit install` then a commit, with the docs' snippet as written; the remote one with
    the address of a clone of this repository in place of the one a team fills in."""
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed (`pip install pre-commit`)")
    config = readme_configs()[kind]
    bin_dir = str(Path(sys.executable).parent)  # `language: system` finds the `ladder` installed here
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
    if kind == "remote":
        import re

        address, rev = re.search(r"repo: (\S+).*\n\s*rev: (\S+)", config).groups()  # type: ignore[union-attr]
        assert rev == f"v{__version__}"  # the tag of this release
        clone = tmp_path / "clone"
        subprocess.run([*git, "clone", "-q", str(ROOT), str(clone)], check=True, env=env)
        if subprocess.run(
            ["git", "-C", str(clone), "rev-parse", "-q", "--verify", f"refs/tags/{rev}"],
            env=env,
            capture_output=True,
            check=False,
        ).returncode:
            subprocess.run([*git, "-C", str(clone), "tag", rev], check=True, env=env)
        config = config.replace(address, str(clone))
    repo = tmp_path / "company"
    (repo / "ladders").mkdir(parents=True)
    subprocess.run([*git, "init", "-q", str(repo)], check=True, env=env)
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    subprocess.run([pre_commit, "install"], cwd=repo, check=True, env=env, capture_output=True)
    broken = minimal_ladder("acme")
    broken["rungs"][1]["level"] = "thirty"
    (repo / "ladders" / "acme.yaml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True, env=env)

    def commit() -> subprocess.CompletedProcess[str]:
        command = [*git, "-C", str(repo), "commit", "-q", "-m", "ladder"]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, check=False)

    refused = commit()
    said = refused.stdout + refused.stderr  # git passes the hook's output on
    assert refused.returncode == 1 and "ladders/acme.yaml:" in said and "LDR103" in said
    (repo / "ladders" / "acme.yaml").write_text(yaml.safe_dump(minimal_ladder("acme")), encoding="utf-8")
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True, env=env)
    done = commit()
    assert done.returncode == 0, done.stdout + done.stderr
