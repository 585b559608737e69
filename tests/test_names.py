"""Resolving what a user typed to a ladder or rung."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from career_ladder.catalog import Catalog
from career_ladder.datadirs import DataDir, builtin_dir
from career_ladder.errors import Ambiguous, BadArgument, NotFound
from career_ladder.queries import find_rung, find_rungs, ladder_id
from conftest import minimal_ladder


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog([DataDir(builtin_dir(), "built-in")])


@pytest.mark.parametrize("name", ["tpm", "TPM", "technical product manager", "Technical-Product-Management", " tpm "])
def test_ladder_by_id_name_or_alias(catalog: Catalog, name: str) -> None:
    assert ladder_id(catalog, name) == "tpm"


@pytest.mark.parametrize(
    ("ladder", "name", "rung"),
    [
        ("tpm", "Sr. TPM", "senior-tpm"),
        ("tpm", "senior-tpm", "senior-tpm"),
        ("tpm", "SENIOR TECHNICAL PRODUCT MANAGER", "senior-tpm"),
        ("tpm", "VP", "vp"),
        ("tpm", "director", "director"),
        ("pm", "APM", "apm"),
        ("pm", "Sr PM", "senior-pm"),
        ("pm", "chief product officer", "cpo"),
    ],
)
def test_rung_by_id_title_alias_or_abbreviation(catalog: Catalog, ladder: str, name: str, rung: str) -> None:
    rungs = catalog.placed_rungs(catalog.ladder(ladder))
    assert find_rung(name, rungs, ladder).rung.id == rung


def test_unknown_ladder_suggests_the_nearest(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match=r"^no ladder 'tpx' \(did you mean 'tpm'\?\)$"):
        ladder_id(catalog, "tpx")


def test_unknown_rung_suggests_the_nearest(catalog: Catalog) -> None:
    rungs = catalog.placed_rungs(catalog.ladder("tpm"))
    with pytest.raises(NotFound, match=r"no rung 'senoir-tpm' in ladder 'tpm' \(did you mean 'senior-tpm'\?\)"):
        find_rung("senoir-tpm", rungs, "tpm")


def test_ambiguous_rung_lists_the_candidates(catalog: Catalog) -> None:
    rungs = catalog.placed_rungs(catalog.ladder("pm"))
    with pytest.raises(Ambiguous) as caught:
        find_rung("senior", rungs, "pm")
    assert "senior-pm" in str(caught.value) and "senior-vp" in str(caught.value)


def test_exact_match_beats_partial_matches(catalog: Catalog) -> None:
    rungs = catalog.placed_rungs(catalog.ladder("pm"))
    assert [p.rung.id for p in find_rungs("PM", rungs)] == ["pm"]


def test_ambiguous_ladder_lists_the_candidates(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("growth-one", aliases=["growth team one"]))
    write_ladder(tmp_path, minimal_ladder("growth-two", aliases=["growth team two"]))
    with pytest.raises(Ambiguous, match="growth-one, growth-two"):
        ladder_id(Catalog([DataDir(tmp_path, "t")]), "growth team")


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "data/ladders/tpm.yaml"])
def test_a_name_that_looks_like_a_path_is_only_a_name(catalog: Catalog, name: str) -> None:
    with pytest.raises(NotFound, match="no ladder"):
        ladder_id(catalog, name)


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "needs letters or digits"), ("--", "needs letters or digits"), ("x" * 201, "at most 200 characters")],
)
def test_empty_or_absurd_names_get_a_clear_error(catalog: Catalog, name: str, message: str) -> None:
    with pytest.raises(BadArgument, match=message):
        ladder_id(catalog, name)


def test_control_characters_in_a_name_are_escaped_in_the_message(catalog: Catalog) -> None:
    with pytest.raises(NotFound) as caught:
        ladder_id(catalog, "evil\x1b[2Jname")
    assert "\x1b" not in str(caught.value)


def test_a_name_is_matched_on_the_index_without_reading_any_ladder(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    for index in range(5):
        write_ladder(tmp_path, minimal_ladder(f"team-{index}", aliases=[f"Team Number {index}"]))
    ladder_id(Catalog([DataDir(tmp_path, "t")]), "Team Number 3")  # cold: builds the index
    catalog = Catalog([DataDir(tmp_path, "t")])
    assert ladder_id(catalog, "team number 3") == "team-3"
    assert catalog._loaded == {}


def test_a_suggestion_is_near_as_written_not_only_once_separators_are_gone() -> None:
    from career_ladder.names import suggestion

    assert suggestion("staff-pm", ["apm", "senior-pm"]) == ""  # `staffpm` is near `apm`; `staff-pm` is not
    assert suggestion("directr", ["director"]) == " (did you mean 'director'?)"
    assert suggestion("Sr TPM", ["sr-tpm"]) == " (did you mean 'sr-tpm'?)"


def test_the_nearest_name_is_measured_from_the_name_given() -> None:
    """difflib's ratio is not symmetric: `dicetr` is near `director` measured from the name typed."""
    from career_ladder.names import Near, nearest_named

    assert nearest_named("dicetr", [("director", "Director", [])]) == Near("director", None, None)
