"""`ladder assess LADDER RUNG [-i]`: the assessment in progress found (or started), filled in on a
terminal one answer at a time, each written to the file at once; the menu of targets on a terminal."""

from __future__ import annotations

from pathlib import Path

from conftest import run


def test_a_target_with_nothing_to_assess_is_one_line_not_an_internal_error(tmp_path: Path) -> None:
    code, out, err = run("assess", "start", "pm", "senior-pm", "--target", "group-pm", "-o", str(tmp_path / "a.yaml"))
    assert (code, out) == (1, "") and not (tmp_path / "a.yaml").exists()
    assert err == (
        "ladder: the sources name no expectation of 'group-pm' nor any readiness signal of the move to it: "
        "nothing to assess\n"
    )
