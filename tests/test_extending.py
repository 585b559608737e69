"""Resolving `extends`: the same answer and the same words from the catalog and from `validate`, and
where each part of a merged ladder comes from, kept as plain data."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from career_ladder.catalog import Catalog
from career_ladder.datadirs import DataDir, builtin_dir
from career_ladder.models import Ladder
from career_ladder.results import LadderView, Origins
from career_ladder.validation import validate
from conftest import minimal_ladder, overlay

Writer = Callable[..., Path]
EXAMPLES = Path(__file__).parents[1] / "examples"


def test_origins_survive_a_json_round_trip_beside_the_ladder() -> None:
    catalog = Catalog([DataDir(builtin_dir(), "built-in"), DataDir(EXAMPLES, "--data-dir")])
    globex = catalog.ladder("globex")
    origins = catalog.origins(globex)
    row = {"ladder": globex.model_dump(mode="json", by_alias=True), "origins": origins.to_dict()}
    stored = json.loads(json.dumps(row))  # as a store keeps them, with no object shared
    ladder, again = Ladder.model_validate(stored["ladder"]), Origins.from_dict(stored["origins"])
    assert again == origins and origins.of(("rungs", 0)) == "pm"
    view = LadderView(globex, catalog.placed_rungs(globex), origins=origins)
    rebuilt = LadderView(ladder, catalog.placed_rungs(ladder), origins=again)
    assert rebuilt.to_dict() == view.to_dict()


def test_a_changed_rung_says_who_changed_it_and_its_points_where_each_comes_from(
    tmp_path: Path, write_ladder: Writer
) -> None:
    write_ladder(tmp_path, minimal_ladder("base"))
    added = {"responsibilities": [{"text": "Runs the review.", "sources": ["own"]}]}
    write_ladder(tmp_path, overlay("acme", "base", change={"senior": {"title": "Lead", "add": added}}))
    write_ladder(tmp_path, overlay("acme-eu", "acme", change={"senior": {"title": "Lead, Europe"}}))
    catalog = Catalog([DataDir(tmp_path, "t")])
    origins = catalog.origins(catalog.ladder("acme"))
    senior = ("rungs", 1)
    assert origins.of(senior) == "base, changed by acme"
    assert [origins.of((*senior, "responsibilities", index)) for index in (0, 1)] == ["base", "acme"]
    assert (origins.of((*senior, "salary", 0)), origins.of(("rungs", 0))) == ("base", "base")
    again = catalog.origins(catalog.ladder("acme-eu"))
    assert again.of(senior) == "base, changed by acme, changed by acme-eu"
    assert again.of((*senior, "responsibilities", 1)) == "acme"


def test_a_file_that_extends_the_ladder_it_replaces_labels_the_replaced_one(
    tmp_path: Path, write_ladder: Writer
) -> None:
    write_ladder(tmp_path, overlay("pm", "pm", change={"director": {"title": "Head of Product"}}))
    catalog = Catalog([DataDir(builtin_dir(), "built-in"), DataDir(tmp_path, "t")])
    pm = catalog.ladder("pm")
    origins = catalog.origins(pm)
    director = next(index for index, rung in enumerate(pm.rungs) if rung.id == "director")
    assert origins.of(("rungs", 0)) == "pm (replaced)"
    assert origins.of(("rungs", director)) == "pm (replaced), changed by pm"
    assert origins.of(("sources", len(pm.sources) - 1)) == "pm"  # the overlay's own source


def _same_words(catalog: Catalog, checked: list[Path]) -> tuple[set[str], set[str]]:
    """The problems of the overlays that fail to merge as the catalog tells them, and as `validate`
    does (LDR305 only: validate tells a broken base's own problems too)."""
    broken = catalog.loaded()[1]
    told = {str(problem) for error in broken for problem in error.problems if problem.code == "LDR305"}
    found = {str(problem) for problem in validate(Catalog(catalog.directories), checked).problems}
    return told, {problem for problem in found if ": LDR305: " in problem}


@pytest.mark.parametrize(
    ("files", "wanted"),
    [
        ([overlay("a", "b"), overlay("b", "a")], "ladders extend each other in a circle: a -> b -> a"),
        ([minimal_ladder("base"), overlay("over", "bsae")], "no ladder 'bsae' to extend"),
        ([minimal_ladder("base", rungs=[]), overlay("over", "base")], "ladder 'base', which it extends, does not load"),
        ([overlay("solo", "solo")], "no other file of ladder 'solo' in an earlier directory to extend"),
    ],
    ids=["circle", "missing base", "base that does not load", "replaced base missing"],
)
def test_validate_and_the_catalog_say_the_same_of_an_overlay_that_cannot_merge(
    tmp_path: Path, write_ladder: Writer, files: list[dict[str, Any]], wanted: str
) -> None:
    for data in files:
        write_ladder(tmp_path, data)
    told, found = _same_words(Catalog([DataDir(tmp_path, "t")]), [tmp_path])
    assert told and told == found and all(wanted in problem for problem in told), (told, found)


def test_validate_of_one_overlay_says_what_the_catalog_does_of_its_broken_neighbours(
    tmp_path: Path, write_ladder: Writer
) -> None:
    earlier, later = tmp_path / "earlier", tmp_path / "later"
    write_ladder(earlier, minimal_ladder("team", rungs=[]))
    path = write_ladder(later, overlay("team", "team"))
    write_ladder(later, minimal_ladder("base", rungs=[]))
    other = write_ladder(later, overlay("over", "base"))
    catalog = Catalog([DataDir(earlier, "t"), DataDir(later, "t")])
    told, found = _same_words(catalog, [path, other])
    assert told and told == found, (told, found)
    assert any("the 'team' it replaces does not load" in problem for problem in told)
