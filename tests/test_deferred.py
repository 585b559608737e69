"""The models defer building their validators (`defer_build`): a warm read from the cache, made with
`model_construct`, never pays for them; validation builds them on first use."""

from __future__ import annotations

import json
import subprocess
import sys

from career_ladder.datadirs import builtin_dir
from career_ladder.loading import read_ladder

# Which models of career_ladder.models are built (`__pydantic_complete__`) when the process ends.
REPORT = """
import atexit, json, sys
from pydantic import BaseModel
from career_ladder import models

def built():
    return sorted(
        name for name, value in vars(models).items()
        if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == models.__name__
        and value.__pydantic_complete__
    )

atexit.register(lambda: print(json.dumps(built()), file=sys.stderr))
"""

CLI = f"""{REPORT}
sys.argv = ["ladder", *sys.argv[1:]]
from career_ladder.cli import main
main()
"""

REBUILD = f"""{REPORT}
from career_ladder.rebuild import construct_ladder
ladder = construct_ladder(json.load(sys.stdin))
assert ladder.id == "tpm" and ladder.rungs
"""

VALIDATE = f"""{REPORT}
models.Ladder.model_validate(json.load(sys.stdin))
"""


def built_models(script: str, *args: str, given: str = "") -> list[str]:
    """The models a fresh interpreter has built once `script` ran with `args` and `given` on stdin."""
    result = subprocess.run(
        [sys.executable, "-c", script, *args], input=given, capture_output=True, text=True, check=True
    )
    built: list[str] = json.loads(result.stderr.splitlines()[-1])
    return built


def tpm_as_cached() -> str:
    """The built-in TPM ladder as the cache holds it."""
    ladder = read_ladder(builtin_dir() / "tpm.yaml").ladder
    return json.dumps(ladder.model_dump(mode="json", by_alias=True))


def test_rebuilding_a_cached_ladder_builds_no_validator() -> None:
    assert built_models(REBUILD, given=tpm_as_cached()) == []


def test_a_warm_show_builds_no_validator() -> None:
    built_models(CLI, "show", "tpm")  # the first run fills the cache
    assert built_models(CLI, "show", "tpm") == []


def test_validating_builds_the_models_on_first_use() -> None:
    assert "Ladder" in built_models(VALIDATE, given=tpm_as_cached())
