"""show, compare and salary as plain functions over the catalog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from career_ladder.catalog import Catalog
from career_ladder.datadirs import DataDir, builtin_dir
from career_ladder.errors import InvalidLadder, NotFound
from career_ladder.queries import compare, salary, show_ladder, show_rung
from conftest import bump, minimal_ladder, regional_ladder


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog([DataDir(builtin_dir(), "built-in")])


def test_show_ladder_follows_shared_rungs(catalog: Catalog) -> None:
    view = show_ladder(catalog, "TPM")
    assert [p.rung.id for p in view.rungs] == ["associate-tpm", "tpm", "senior-tpm", "director", "vp", "cpo"]
    director = view.rungs[3]
    assert director.shared_from == "pm:director" and director.rung is catalog.ladder("pm").rung("director")


def test_show_to_dict_is_the_whole_ladder_with_shared_rungs_written_out(catalog: Catalog) -> None:
    record = show_ladder(catalog, "tpm").to_dict()
    ladder = catalog.ladder("tpm")
    assert set(record) == set(ladder.model_dump(by_alias=True))
    assert record["rungs"][3]["shared"] == "pm:director" and record["rungs"][3]["title"] == "Director of Product"
    assert record["rungs"][0]["shared"] is None


def test_show_rung_gathers_moves_entries_and_source_titles(catalog: Catalog) -> None:
    view = show_rung(catalog, "pm", "APM")
    assert {t.move.to for t in view.leads_to} >= {"pm"}
    assert any(e.id == "new-graduate" for e in view.entry_points)
    assert all(title != source_id for source_id, title in view.sources.items())


def test_shared_rung_shows_the_moves_of_its_home_ladder(catalog: Catalog) -> None:
    view = show_rung(catalog, "tpm", "director")
    assert any(t.end == "pm:vp" for t in view.leads_to)  # written in pm.yaml, so named with its prefix
    assert any(t.start == "senior-tpm" for t in view.reached_by)  # written in tpm.yaml
    assert any(t.start == "pm:senior-pm" for t in view.reached_by)


def test_compare_aligns_rungs_by_level_leaving_gaps(catalog: Catalog) -> None:
    result = compare(catalog, ["pm", "tpm"])
    by_level = {(row.level, row.left.rung.id if row.left else None): row for row in result.rows}
    assert by_level[(10, "apm")].right.rung.id == "associate-tpm"  # type: ignore[union-attr]
    assert by_level[(35, "group-pm")].right is None
    assert by_level[(35, "senior-manager")].right is None
    assert by_level[(40, "director")].right.rung.id == "director"  # type: ignore[union-attr]
    assert [row.level for row in result.rows] == sorted(row.level for row in result.rows)


def test_compare_gives_the_source_points_from_the_left_side(catalog: Catalog) -> None:
    pm_first, tpm_first = compare(catalog, ["pm", "tpm"]).points, compare(catalog, ["tpm", "pm"]).points
    assert len(pm_first) == 4
    assert [(p.this, p.other) for p in pm_first] == [(p.other, p.this) for p in tpm_first]


def test_compare_any_two_ladders_without_points(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("acme"))
    catalog = Catalog([DataDir(builtin_dir(), "built-in"), DataDir(tmp_path, "t")])
    result = compare(catalog, ["acme", "tpm"])
    assert result.points == []
    assert {row.level for row in result.rows} >= {10, 20, 30}


def test_salary_director_gives_both_ladders(catalog: Catalog) -> None:
    rows = salary(catalog, "director").rows
    assert [(r.placed.ladder, r.placed.rung.id) for r in rows] == [("pm", "director"), ("tpm", "director")]
    assert rows[0].figure is rows[1].figure  # written once, shown in both ladders
    assert rows[1].record()["shared"] == "pm:director"
    assert (rows[0].figure.min, rows[0].figure.max) == (150221, 220000)  # type: ignore[union-attr]


def test_salary_lists_a_rung_without_figures_as_such(catalog: Catalog) -> None:
    (row,) = salary(catalog, "cpo", ladder="pm").rows
    assert row.figure is None and row.record()["currency"] is None


def test_salary_region_filter(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, regional_ladder())
    rows = salary(Catalog([DataDir(tmp_path, "t")]), "senior", region="india").rows
    assert [(r.figure.currency, r.figure.average) for r in rows if r.figure] == [("INR", 2650000)]


def test_salary_of_an_unknown_role_matches_nothing(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="no rung matches 'astronaut'"):
        salary(catalog, "astronaut")


def test_salary_of_a_region_without_figures_says_so(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="no salary figure for 'director' in a region matching 'mars'"):
        salary(catalog, "director", region="mars")


def test_salary_matches_exactly_across_every_ladder_before_partially(catalog: Catalog) -> None:
    assert [(r.placed.ladder, r.placed.rung.id) for r in salary(catalog, "pm").rows] == [("pm", "pm")]


def test_chained_shared_rungs_are_followed(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    base = minimal_ladder("ca")
    write_ladder(tmp_path, base)
    for ladder_id, ref in (("cb", "ca:senior"), ("cc", "cb:senior")):
        data = minimal_ladder(ladder_id, transitions=[])
        data["rungs"] = [data["rungs"][0], {"shared": ref}]
        write_ladder(tmp_path, data)
    catalog = Catalog([DataDir(tmp_path, "t")])
    view = show_ladder(catalog, "cc")
    assert (view.rungs[1].rung.title, view.rungs[1].shared_from) == ("Senior Thing", "cb:senior")


def test_a_broken_shared_ladder_is_named_once(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, "id: base\nname: [\n", name="base")
    child = minimal_ladder("child", transitions=[])
    child["rungs"].append({"shared": "base:boss"})
    write_ladder(tmp_path, child)
    report = salary(Catalog([DataDir(tmp_path, "t")]), "junior")
    assert [type(e).__name__ for e in report.skipped] == ["InvalidLadder", "NotFound"]
    assert "base.yaml" in str(report.skipped[0]) and "ladder 'child' shares 'base:boss'" in str(report.skipped[1])
    assert [(r.placed.ladder, r.placed.rung.id) for r in report.rows] == [("child", "junior")]


def test_warm_salary_reads_only_the_ladders_that_hold_a_match(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    base = minimal_ladder("base")
    base["rungs"].append(
        {
            "id": "boss",
            "title": "Boss",
            "level": 40,
            "summary": "Runs it.",
            "sources": ["s"],
            "salary": [{"currency": "EUR", "min": 1, "max": 2, "sources": ["s"]}],
        }
    )
    write_ladder(tmp_path, base)
    for index in range(12):
        child = minimal_ladder(f"child-{index:02d}", transitions=[])
        child["rungs"].append({"shared": "base:boss"})
        write_ladder(tmp_path, child)
    salary(Catalog([DataDir(tmp_path, "t")]), "boss")  # cold: builds the index
    catalog = Catalog([DataDir(tmp_path, "t")])
    report = salary(catalog, "boss")
    assert len(report.rows) == 13 and all(row.figure is report.rows[0].figure for row in report.rows)
    assert [path.name for path in catalog._loaded] == ["base.yaml"]


def test_salary_goes_on_past_a_broken_ladder(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, "id: broken\n- [\n", name="broken")
    catalog = Catalog([DataDir(builtin_dir(), "built-in"), DataDir(tmp_path, "t")])
    report = salary(catalog, "director")
    assert len(report.rows) == 2
    assert [type(e) for e in report.skipped] == [InvalidLadder]


def test_asking_for_a_broken_ladder_fails_with_its_error(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, "id: broken\nname: [\n", name="broken")
    with pytest.raises(InvalidLadder, match=r"broken\.yaml:3:1: LDR003"):
        show_ladder(Catalog([DataDir(tmp_path, "t")]), "broken")


def test_salary_follows_chained_shared_rungs_in_ladder_order(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    base = minimal_ladder("ca")
    base["rungs"][1]["salary"] = [{"currency": "EUR", "min": 1, "max": 2, "sources": ["s"]}]
    write_ladder(tmp_path, base)
    for ladder_id, ref in (("cc", "cb:senior"), ("cb", "ca:senior")):
        data = minimal_ladder(ladder_id, transitions=[])
        data["rungs"] = [data["rungs"][0], {"shared": ref}]
        write_ladder(tmp_path, data)
    rows = salary(Catalog([DataDir(tmp_path, "t")]), "senior thing").rows
    assert [(r.placed.ladder, r.placed.shared_from) for r in rows] == [
        ("ca", None),
        ("cb", "ca:senior"),
        ("cc", "cb:senior"),
    ]


@pytest.mark.parametrize("role", ["director", "pm", "Sr. TPM", "vp", "manager", "chief", "astronaut"])
def test_salary_from_the_index_equals_salary_without_it(
    role: str, tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ladder(tmp_path, minimal_ladder("extra", aliases=["xtra"]))
    dirs = [DataDir(builtin_dir(), "built-in"), DataDir(tmp_path, "t")]

    def records() -> list[dict[str, object]]:
        try:
            return [row.record() for row in salary(Catalog(dirs), role).rows]
        except NotFound as error:
            return [{"not found": str(error)}]

    records()  # builds the index
    warm = records()
    monkeypatch.setenv("LADDER_NO_CACHE", "1")
    assert records() == warm


def test_salary_sees_a_rung_renamed_since_the_index_was_built(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo"))
    assert salary(Catalog([DataDir(tmp_path, "t")]), "senior thing").matched == 1
    renamed = minimal_ladder("demo")
    renamed["rungs"][1]["title"] = "Principal Thing"
    bump(path, yaml.safe_dump(renamed))
    with pytest.raises(NotFound):
        salary(Catalog([DataDir(tmp_path, "t")]), "senior thing")
    assert salary(Catalog([DataDir(tmp_path, "t")]), "principal thing").matched == 1


def test_salary_told_a_limit_makes_the_first_rows_and_counts_them_all(catalog: Catalog) -> None:
    every, first = salary(catalog, "manager"), salary(catalog, "manager", limit=2)
    assert len(every.rows) == every.total == first.total > 2
    assert first.rows == every.rows[:2] and first.figures == every.figures


def test_an_exact_name_only_in_an_overridden_file_does_not_hide_partial_matches(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    write_ladder(old, minimal_ladder("acme"))  # its `Senior Thing` equals the role
    overriding = minimal_ladder("acme")
    overriding["rungs"][1]["title"] = "Senior Thing Lead"
    write_ladder(new, overriding)
    Catalog([DataDir(old, "t")]).overview()  # the index holds the old file too, from when it counted
    rows = salary(Catalog([DataDir(old, "t"), DataDir(new, "t")]), "senior thing").rows
    assert [(r.placed.ladder, r.placed.rung.title) for r in rows] == [("acme", "Senior Thing Lead")]


def _leader_and_ic_ladders(tmp_path: Path, write_ladder: Callable[..., Path]) -> Catalog:
    """`lead`: a people-leader rung stated equivalent to pm:group-pm; `third`: an IC rung at level 35."""
    lead = minimal_ladder("lead")
    lead["rungs"][1] |= {"id": "manager", "level": 36, "kind": "people-leader", "equivalent": ["pm:group-pm"]}
    lead["transitions"][0]["to"] = "manager"
    third = minimal_ladder("third")
    third["rungs"][1] |= {"id": "staff", "level": 35, "kind": "individual-contributor"}
    third["transitions"][0]["to"] = "staff"
    write_ladder(tmp_path, lead)
    write_ladder(tmp_path, third)
    return Catalog([DataDir(builtin_dir(), "built-in"), DataDir(tmp_path, "t")])


@pytest.mark.parametrize(
    "order",
    [
        ["pm", "lead", "third"],
        ["pm", "third", "lead"],
        ["lead", "pm", "third"],
        ["lead", "third", "pm"],
        ["third", "pm", "lead"],
        ["third", "lead", "pm"],
    ],
)
def test_an_equivalence_pulls_no_rung_of_another_lane_into_its_row(
    order: list[str], tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    result = compare(_leader_and_ic_ladders(tmp_path, write_ladder), order)

    def row_of(ref: str) -> int:
        return next(i for i, row in enumerate(result.rows) for cell in row.cells if cell and cell.ref == ref)

    leader, ic = row_of("lead:manager"), row_of("third:staff")
    assert leader == row_of("pm:group-pm") and leader != ic
    assert result.rows[leader].lane == "people-leader" and result.rows[ic].lane == "individual-contributor"
    records = result.to_dict()["rows"]
    assert records[leader]["lane"] == "people-leader" and records[ic]["lane"] == "individual-contributor"
    assert [cell and cell["id"] for cell in records[ic]["rungs"]].count("staff") == 1
    rows = {frozenset(c.ref for c in row.cells if c) for row in result.rows}
    first = compare(_leader_and_ic_ladders(tmp_path, write_ladder), ["pm", "lead", "third"]).rows
    assert rows == {frozenset(c.ref for c in row.cells if c) for row in first}  # the same rows in every order


def test_salary_of_a_ladders_id_adds_the_pay_for_its_role_as_a_whole(catalog: Catalog) -> None:
    report = salary(catalog, "tpm", region="india")
    [row] = report.rows
    assert row.placed is None and row.role is not None and row.role.id == "tpm"
    assert (row.figure.currency, row.figure.average) == ("INR", 2650000)  # type: ignore[union-attr]
    record = row.record()
    assert (record["ladder"], record["rung"], record["role_wide"]) == ("tpm", None, True)
    rows = salary(catalog, "TPM").rows
    assert [(r.placed is None, r.ladder) for r in rows] == [(False, "tpm"), (True, "tpm")]
    assert salary(catalog, "tpm", ladder="tpm").rows[-1].role is not None
    assert all(r.role is None for r in salary(catalog, "director").rows)
    assert salary(catalog, "director").rows[0].record()["role_wide"] is False


def test_salary_of_a_ladders_id_with_pay_for_the_role_only(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    figure = {"currency": "EUR", "average": 50000, "region": "France", "sources": ["s"]}
    write_ladder(tmp_path, minimal_ladder("nurse", salary=[figure]))
    [row] = salary(Catalog([DataDir(tmp_path, "t")]), "nurse").rows
    assert row.role is not None and row.figure is not None and row.figure.average == 50000
    with pytest.raises(NotFound, match="no salary figure for 'nurse' in a region matching 'spain'"):
        salary(Catalog([DataDir(tmp_path, "t")]), "nurse", region="spain")
