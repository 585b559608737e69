"""The wheel carries the built-in ladders, so a non-editable install finds them from anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_wheel_contains_every_ladder_file(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("career_ladder-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"career_ladder/data/ladders/{p.name}" for p in (ROOT / "data" / "ladders").glob("*.yaml")}
    assert shipped and shipped <= names
    examples = {
        f"career_ladder/data/examples/{p.relative_to(ROOT / 'examples')}" for p in (ROOT / "examples").rglob("*.yaml")
    }
    assert "career_ladder/data/examples/proposed/acme.yaml" in examples and examples <= names  # `--examples` anywhere
    assert "career_ladder/cli.py" in names
    assert not any(name.startswith(("tests/", "data/")) for name in names)
