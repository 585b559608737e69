"""Data directories, their order and overrides, and the rules that span files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from career_ladder.catalog import Catalog
from career_ladder.datadirs import DataDir, builtin_dir, data_dirs, user_dir
from career_ladder.errors import InvalidLadder, NotFound
from career_ladder.names import normalized
from career_ladder.validation import validate
from conftest import minimal_ladder


def catalog_of(*paths: Path) -> Catalog:
    return Catalog([DataDir(path, f"dir{index}") for index, path in enumerate(paths)])


def test_directories_come_in_documented_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_dirs: Path
) -> None:
    monkeypatch.setenv("LADDER_PATH", os.pathsep.join([str(tmp_path / "a"), "", str(tmp_path / "b")]))
    dirs = data_dirs([tmp_path / "c"])
    assert [d.origin for d in dirs] == ["built-in", "user", "LADDER_PATH", "LADDER_PATH", "--data-dir"]
    assert [d.path for d in dirs[1:]] == [isolated_dirs, tmp_path / "a", tmp_path / "b", tmp_path / "c"]
    assert user_dir() == isolated_dirs


def test_builtin_dir_holds_the_shipped_ladders() -> None:
    assert {"pm.yaml", "tpm.yaml"} <= {p.name for p in builtin_dir().iterdir()}


def test_later_directory_overrides_same_id(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path / "a", minimal_ladder("demo", name="From A"))
    write_ladder(tmp_path / "b", minimal_ladder("demo", name="From B"))
    write_ladder(tmp_path / "a", minimal_ladder("only-a"))
    catalog = catalog_of(tmp_path / "a", tmp_path / "b")
    assert catalog.ladder("demo").name == "From B"
    assert catalog.winners()["demo"].directory.origin == "dir1"
    assert catalog.ladder("only-a").id == "only-a"


def test_missing_directory_is_simply_empty(tmp_path: Path) -> None:
    assert catalog_of(tmp_path / "nope").files() == []


def test_unknown_ladder_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no ladder 'ghost'"):
        catalog_of(tmp_path).ladder("ghost")


def test_broken_file_breaks_only_itself(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("good"))
    write_ladder(tmp_path, "id: bad\nname: [unclosed\n", name="bad")
    catalog = catalog_of(tmp_path)
    assert catalog.ladder("good").id == "good"
    with pytest.raises(InvalidLadder, match="LDR003"):
        catalog.ladder("bad")
    good, broken = catalog.loaded()
    assert [ladder.id for ladder in good] == ["good"]
    assert [error.path.name for error in broken] == ["bad.yaml"]


def test_hidden_and_other_files_are_not_ladders(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("demo"))
    (tmp_path / ".demo.yaml.swp").write_text("x")
    (tmp_path / "README.md").write_text("x")
    (tmp_path / "sub").mkdir()
    write_ladder(tmp_path / "sub", minimal_ladder("nested"))
    assert [f.id for f in catalog_of(tmp_path).files()] == ["demo"]


def with_shared(ladder_id: str, ref: str) -> dict[str, object]:
    data = minimal_ladder(ladder_id)
    data["rungs"].append({"shared": ref})  # type: ignore[attr-defined]
    data["transitions"].append(  # type: ignore[attr-defined]
        {"kind": "promotion", "from": "senior", "to": ref.partition(":")[2], "sources": ["s"]}
    )
    return data


def test_shared_rung_and_cross_ladder_references_resolve(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    boss = minimal_ladder("base")
    boss["rungs"].append({"id": "boss", "title": "Boss", "level": 40, "summary": "Runs it.", "sources": ["s"]})
    write_ladder(tmp_path, boss)
    child = with_shared("child", "base:boss")
    child["transitions"].append({"kind": "lateral", "from": "senior", "to": "base:senior", "sources": ["s"]})
    child["entry_points"] = [{"id": "e", "name": "E", "lands_on": ["base:junior"], "sources": ["s"]}]
    child["comparisons"] = [{"with": "base", "points": [{"aspect": "a", "this": "t", "other": "o", "sources": ["s"]}]}]
    write_ladder(tmp_path, child)
    report = validate(catalog_of(tmp_path))
    assert report.problems == []
    assert report.files == 2


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("ghost:boss", "no ladder 'ghost'"),
        ("base:ghost", "no rung 'ghost' in ladder 'base'"),
    ],
)
def test_unresolved_shared_rung_is_ldr303(
    tmp_path: Path, write_ladder: Callable[..., Path], ref: str, message: str
) -> None:
    write_ladder(tmp_path, minimal_ladder("base"))
    write_ladder(tmp_path, with_shared("child", ref))
    problems = validate(catalog_of(tmp_path)).problems
    assert [(p.code, p.field) for p in problems] == [("LDR303", f"rungs[{ref}].shared")]
    assert message in problems[0].message


def test_shared_rungs_pointing_at_each_other_are_ldr303(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, with_shared("one", "two:boss"))
    two = with_shared("two", "one:boss")
    write_ladder(tmp_path, two)
    problems = validate(catalog_of(tmp_path)).problems
    assert {p.code for p in problems} == {"LDR303"}
    assert "circle" in problems[0].message


def test_promotion_into_a_lower_shared_rung_is_ldr205(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    base = minimal_ladder("base")
    base["rungs"].insert(0, {"id": "boss", "title": "Boss", "level": 5, "summary": "Low.", "sources": ["s"]})
    write_ladder(tmp_path, base)
    write_ladder(tmp_path, with_shared("child", "base:boss"))
    problems = validate(catalog_of(tmp_path)).problems
    assert [(p.path.endswith("child.yaml"), p.code, p.field) for p in problems] == [
        (True, "LDR205", "transitions[1].to")
    ]


def test_comparison_with_unknown_ladder_is_ldr303(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder(
        "a", comparisons=[{"with": "zzz", "points": [{"aspect": "x", "this": "t", "other": "o", "sources": ["s"]}]}]
    )
    write_ladder(tmp_path, data)
    assert [p.code for p in validate(catalog_of(tmp_path)).problems] == ["LDR303"]


def test_alias_that_names_another_ladder_is_ldr302(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("pm"))
    write_ladder(tmp_path, minimal_ladder("other", aliases=["P.M."]))
    problems = validate(catalog_of(tmp_path)).problems
    assert [(Path(p.path).name, p.code, p.field) for p in problems] == [("other.yaml", "LDR302", "aliases[0]")]


def test_overriding_a_ladder_is_not_a_name_clash(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path / "a", minimal_ladder("pm", aliases=["product"]))
    write_ladder(tmp_path / "b", minimal_ladder("pm", aliases=["product"]))
    assert validate(catalog_of(tmp_path / "a", tmp_path / "b")).problems == []


def test_validating_a_path_resolves_references_against_the_catalog(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    company = with_shared("acme", "pm:director")
    path = write_ladder(tmp_path / "repo", company)
    catalog = Catalog(data_dirs())
    report = validate(catalog, [path])
    assert (report.files, report.problems) == (1, [])


def test_validating_a_missing_path_is_ldr001(tmp_path: Path) -> None:
    problems = validate(catalog_of(), [tmp_path / "nope.yaml"]).problems
    assert [(p.code, p.message) for p in problems] == [("LDR001", "no such file or directory")]


def test_twin_files_in_one_directory_are_ldr301(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("demo"))
    write_ladder(tmp_path, minimal_ladder("demo"), name="demo.yml")
    assert [p.code for p in validate(catalog_of(tmp_path)).problems] == ["LDR301"]


@pytest.mark.parametrize(("a", "b"), [("Sr. PM", "sr-pm"), ("Technical Product Manager", "technical_product_manager")])
def test_names_compare_without_case_spacing_or_punctuation(a: str, b: str) -> None:
    assert normalized(a) == normalized(b)


def test_lookup_by_id_agrees_with_the_listing_on_twin_files(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("demo", name="From yaml"))
    write_ladder(tmp_path, minimal_ladder("demo", name="From yml"), name="demo.yml")
    catalog = catalog_of(tmp_path)
    assert catalog.find("demo") == catalog.winners()["demo"]
    assert catalog.ladder("demo").name == "From yml"


def test_lookup_by_id_never_opens_a_path_like_name(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path / "inner", minimal_ladder("demo"))
    assert catalog_of(tmp_path).find("inner/demo") is None
    assert catalog_of(tmp_path / "inner").find("../inner/demo") is None
