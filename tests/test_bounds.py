"""Valid input of any size gets an answer or a clear error, never a crash (exit 70)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import minimal_ladder, run

Writer = Callable[..., Path]


def long_ladder(rungs: int) -> dict[str, Any]:
    """A valid ladder of `rungs` rungs, r0 to r{rungs-1}, two to a level (levels stop at 1,000):
    each rung moves sideways to its twin, which is promoted to the next level's first."""
    rung = minimal_ladder()["rungs"][0]
    moves = [
        {"kind": "lateral" if n % 2 == 0 else "promotion", "from": f"r{n}", "to": f"r{n + 1}", "sources": ["s"]}
        for n in range(rungs - 1)
    ]
    return minimal_ladder(
        "long",
        rungs=[{**rung, "id": f"r{n}", "title": f"Rung {n}", "aliases": [], "level": n // 2 + 1} for n in range(rungs)],
        transitions=moves,
    )


def test_a_route_of_1399_moves_is_found(tmp_path: Path, write_ladder: Writer) -> None:
    """A route longer than Python's recursion limit (about 985 moves crashed) is walked in a loop."""
    write_ladder(tmp_path, long_ladder(1400))
    code, out, err = run("--data-dir", str(tmp_path), "path", "r0", "r1399", "-f", "json", width=200)
    assert (code, err) == (0, "")
    [route] = json.loads(out)["routes"]
    assert [move["from"] for move in route["moves"]] == [f"long:r{n}" for n in range(1399)]
    assert route["moves"][-1]["to"] == "long:r1399"


@pytest.mark.slow
@pytest.mark.parametrize("root_first", [True, False], ids=["root sorted first", "root sorted last"])
def test_a_chain_of_500_overlays_answers_every_command(tmp_path: Path, write_ladder: Writer, root_first: bool) -> None:
    """Each overlay extends the one before, down to a plain ladder: merged from the bottom up, in a
    loop (every command but validate was an internal error, exit 70, on RecursionError)."""
    names = [f"c{n:03d}" for n in range(500)]
    if not root_first:
        names.reverse()
    write_ladder(tmp_path, minimal_ladder(names[0]))
    for below, name in itertools.pairwise(names):
        overlay = {
            "id": name,
            "extends": below,
            "name": name,
            "summary": "One more.",
            "sources": [{"id": "s", "title": "S"}],
        }
        write_ladder(tmp_path, overlay)
    top = names[-1]
    for env in ({}, {"LADDER_NO_CACHE": "1"}):
        for args in (
            ["show", top, "-f", "json"],
            ["list", "-f", "json"],
            ["salary", "senior", "-f", "json"],
            ["validate"],
        ):
            code, _, err = run("--data-dir", str(tmp_path), *args, env=env)
            assert (code, err) == (0, ""), (args, env, err)
        assert json.loads(run("--data-dir", str(tmp_path), "show", top, "-f", "json")[1])["name"] == top


@pytest.mark.slow
def test_a_circle_of_500_overlays_is_one_line_from_any_of_them(tmp_path: Path, write_ladder: Writer) -> None:
    """Found by walking the ids before any merge (validate was an internal error, exit 70; show
    named a circle of two from a later ladder of it)."""
    names = [f"r{n:03d}" for n in range(500)]
    for name, base in zip(names, [*names[1:], names[0]], strict=True):
        write_ladder(
            tmp_path,
            {"id": name, "extends": base, "name": name, "summary": "Round.", "sources": [{"id": "s", "title": "S"}]},
        )
    circle = f"ladders extend each other in a circle: {' -> '.join([*names, names[0]])}"
    for name in ("r000", "r250"):
        code, _, err = run("--data-dir", str(tmp_path), "show", name)
        assert code == 1 and err.endswith(f"LDR305: extends: {circle}\n") and err.count("\n") == 1
    code, out, _ = run("--data-dir", str(tmp_path), "validate", str(tmp_path))
    assert code == 1 and out.count(circle) == 500


def test_a_circle_through_a_file_that_replaces_its_own_id_is_told_as_a_circle(
    tmp_path: Path, write_ladder: Writer
) -> None:
    first, second = tmp_path / "e1", tmp_path / "e2"
    write_ladder(
        first, {"id": "a", "extends": "b", "name": "A", "summary": "A.", "sources": [{"id": "s", "title": "S"}]}
    )
    write_ladder(
        first, {"id": "b", "extends": "a", "name": "B", "summary": "B.", "sources": [{"id": "s", "title": "S"}]}
    )
    write_ladder(
        second, {"id": "a", "extends": "a", "name": "A2", "summary": "A.", "sources": [{"id": "s", "title": "S"}]}
    )
    for name in ("a", "b"):
        code, _, err = run("--data-dir", str(first), "--data-dir", str(second), "show", name)
        assert code == 1 and "LDR305: extends: ladders extend each other in a circle: a -> b -> a" in err, err
