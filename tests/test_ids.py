"""Ids mean one thing: a point's or a figure's id names one item of its rung, so an overlay's
`remove` and `add` reach exactly the item meant; an empty list is said to be empty."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import minimal_ladder, overlay, run

Writer = Callable[..., Path]


def problems(tmp_path: Path) -> list[str]:
    code, out, _ = run("validate", str(tmp_path), "-f", "json")
    assert code in (0, 1)
    import json

    return [f"{p['code']} {p['field']}: {p['message']}" for p in json.loads(out)["problems"]]


@pytest.mark.parametrize(
    ("second_list", "field"),
    [("responsibilities", "responsibilities[d1].id"), ("skills", "skills[d1].id"), ("signals", "signals[d1].id")],
)
def test_a_point_id_twice_in_a_rung_is_an_error(
    tmp_path: Path, write_ladder: Writer, second_list: str, field: str
) -> None:
    """Today's three items of id d1 validated, and `remove: [d1]` in an overlay dropped all three."""
    data = minimal_ladder("co")
    junior = data["rungs"][0]
    junior["responsibilities"][0]["id"] = "d1"
    junior.setdefault(second_list, []).append({"id": "d1", "text": "Another duty.", "sources": ["s"]})
    write_ladder(tmp_path, data)
    assert problems(tmp_path) == [
        f"LDR202 rungs[junior].{field}: duplicate id 'd1' among the points and figures of rung 'junior'"
    ]


def test_a_figure_id_twice_in_a_rung_is_an_error_and_one_in_two_rungs_is_not(
    tmp_path: Path, write_ladder: Writer
) -> None:
    data = minimal_ladder("co")
    figure = {"currency": "USD", "min": 100, "max": 200, "sources": ["s"], "id": "base"}
    data["rungs"][1]["salary"] = [figure, {**figure, "currency": "EUR"}]
    data["rungs"][0]["salary"] = [figure]
    write_ladder(tmp_path, data)
    assert problems(tmp_path) == [
        "LDR202 rungs[senior].salary[base].id: duplicate id 'base' among the points and figures of rung 'senior'"
    ]


def test_an_overlay_that_adds_two_items_of_one_id_is_told_not_one_kept(tmp_path: Path, write_ladder: Writer) -> None:
    write_ladder(tmp_path, minimal_ladder("base"))
    point = {"id": "x", "text": "One.", "sources": ["own"]}
    add = {"responsibilities": [point, {**point, "text": "Two."}]}
    path = write_ladder(tmp_path, overlay("mine", "base", change={"junior": {"add": add}}))
    assert problems(tmp_path) == [
        "LDR202 change.junior.add.responsibilities[x].id: duplicate id 'x' among the points and figures of what "
        "`change.junior.add` adds"
    ]
    code, _, err = run("--data-dir", str(tmp_path), "show", "mine")
    assert code == 1 and f"{path}:" in err and "LDR202" in err


def test_an_empty_rung_list_is_said_to_be_empty(tmp_path: Path, write_ladder: Writer) -> None:
    write_ladder(tmp_path, minimal_ladder("co", rungs=[], transitions=[]))
    assert problems(tmp_path) == ["LDR103 rungs: write at least one item (got [])"]


def test_an_added_item_whose_id_the_rung_has_in_another_list_is_told_where_it_is_added(
    tmp_path: Path, write_ladder: Writer
) -> None:
    base = minimal_ladder("base")
    base["rungs"][0]["responsibilities"][0]["id"] = "d1"
    write_ladder(tmp_path, base)
    add = {"signals": [{"id": "d1", "text": "Ready.", "sources": ["own"]}]}
    path = write_ladder(tmp_path, overlay("mine", "base", change={"junior": {"add": add}}))
    code, out, _ = run("validate", str(tmp_path))
    line = path.read_text().splitlines().index("      - id: d1") + 1
    assert code == 1 and f"{path}:{line}:" in out
    assert (
        "LDR202: change.junior.add.signals[d1].id: duplicate id 'd1' among the points and figures of rung 'junior'"
        in out
    )
