"""Valid input of any size gets an answer or a clear error, never a crash (exit 70)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
