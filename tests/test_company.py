"""Company ladders as they really are: parallel tracks, competencies, experience, pay not published,
equivalence, overlays (`extends`) and overrides of a built-in ladder; with the two examples."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from career_ladder.catalog import Catalog
from career_ladder.datadirs import DataDir, builtin_dir
from career_ladder.models import Ladder as LadderModel
from career_ladder.overlay import merge
from career_ladder.queries import compare, show_ladder
from career_ladder.validation import validate
from conftest import bump, minimal_ladder, overlay, run

EXAMPLES = Path(__file__).parents[1] / "examples"


def with_examples(*args: str, **kwargs: Any) -> tuple[int, str, str]:
    return run("--data-dir", str(EXAMPLES), *args, **kwargs)


def examples_catalog() -> Catalog:
    return Catalog([DataDir(builtin_dir(), "built-in"), DataDir(EXAMPLES, "--data-dir")])


# --- the examples ------------------------------------------------------------------------------


def test_both_examples_validate_without_problems_or_warnings() -> None:
    report = validate(examples_catalog(), [EXAMPLES])
    assert (report.files, report.problems, report.warnings) == (2, [], [])
    assert with_examples("validate")[0] == 0


@pytest.mark.parametrize("ladder", ["acme", "globex"])
@pytest.mark.parametrize("fmt", ["table", "json", "yaml", "csv", "markdown"])
def test_each_example_is_shown_in_every_format(ladder: str, fmt: str) -> None:
    code, out, err = with_examples("show", ladder, "-f", fmt)
    assert (code, err) == (0, "")
    assert ("Product Manager" in out) or ("product manager" in out.lower())


# --- parallel tracks ---------------------------------------------------------------------------


def test_show_draws_the_tracks_side_by_side_by_level() -> None:
    code, out, _ = with_examples("show", "acme", "-f", "markdown")
    assert code == 0
    assert "| Level | All tracks | Individual contributor | Management |" in out
    side_by_side = [line for line in out.splitlines() if line.startswith("| 35 |") and "Principal" in line]
    assert any("Group Product Manager" in line for line in side_by_side)  # IC and manager rungs of one level
    rows = json.loads(with_examples("show", "acme", "-f", "json")[1])["rungs"]
    assert {r["id"]: r["track"] for r in rows}["principal-pm"] == "ic"


def test_the_track_is_a_column_of_the_table_and_the_csv() -> None:
    out = with_examples("show", "acme")[1]
    assert "Track" in out and "Individual" in out and "Management" in out
    header = with_examples("show", "acme", "-f", "csv")[1].splitlines()[0].split(",")
    assert {"track", "years_min", "years_max", "reports_to", "equivalent", "pay_published"} <= set(header)


def test_compare_pairs_by_level_and_lane_never_by_file_order(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "acme.yaml").read_text(encoding="utf-8"))
    for rung in data["rungs"]:
        rung.pop("equivalent", None)  # the lane alone decides
    shuffled = dict(data, rungs=[data["rungs"][i] for i in (0, 1, 3, 2, 5, 4, 6)])  # same levels, swapped
    for version, content in (("in-order", data), ("swapped", shuffled)):
        folder = tmp_path / version
        folder.mkdir()
        (folder / "acme.yaml").write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
        other = dict(data, id="beta", aliases=[])
        (folder / "beta.yaml").write_text(yaml.safe_dump(other, sort_keys=False), encoding="utf-8")
        catalog = Catalog([DataDir(builtin_dir(), "built-in"), DataDir(folder, "t")])
        rows = compare(catalog, ["acme", "beta"]).rows
        pairs = {(r.left.rung.id if r.left else None, r.right.rung.id if r.right else None) for r in rows}
        assert ("principal-pm", "principal-pm") in pairs and ("group-manager", "group-manager") in pairs, version
        lanes = {r.left.rung.id: r.lane for r in rows if r.left}
        assert (lanes["principal-pm"], lanes["group-manager"]) == ("individual-contributor", "people-leader")


def test_compare_aligns_a_stated_equivalence_over_the_level() -> None:
    result = compare(examples_catalog(), ["pm", "acme"])
    by_acme = {row.right.rung.id: row for row in result.rows if row.right}
    assert by_acme["group-manager"].left.rung.id == "group-pm"  # type: ignore[union-attr]
    assert by_acme["director"].left.rung.id == "director"  # type: ignore[union-attr]
    assert by_acme["principal-pm"].lane == "individual-contributor"


def test_compare_three_ladders_in_one_table() -> None:
    code, out, _ = with_examples("compare", "pm", "tpm", "acme", "-f", "json")
    record = json.loads(out)
    assert code == 0 and record["ladders"] == ["pm", "tpm", "acme"]
    assert all(len(row["rungs"]) == 3 and "left" not in row for row in record["rows"])
    assert [pair["ladders"] for pair in record["pairs"]] == [["pm", "tpm"]]
    header = with_examples("compare", "pm", "tpm", "acme", "-f", "csv")[1].splitlines()[0]
    assert header == "level,pm_id,pm_salary,tpm_id,tpm_salary,acme_id,acme_salary,lane"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "pm"], "compare needs two or more ladders"),
        (["compare", "pm", "PM"], "ladder 'pm' is named twice"),
    ],
)
def test_compare_refuses_one_ladder_or_the_same_twice(args: list[str], message: str) -> None:
    code, _, err = run(*args)
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.parametrize("width", [40, 60, 80, 100, 140])
def test_compare_at_any_width_cuts_no_word(width: int, tmp_path: Path) -> None:
    code, out, _ = with_examples("compare", "pm", "acme", "tpm", width=width)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= width
    words = set(re.findall(r"[\w$,.–-]+", out))
    for title in ("Distinguished", "Principal", "Technical", "Associate", "contributor", "$150,221", "[acme-handbook]"):
        assert title.strip("[]") in words or title in out, (width, title)
    # A cell with one very long word: the others still fit, and nothing is cropped.
    text = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8").replace("acme-handbook", "acme-" + "x" * 40)
    (tmp_path / "lng.yaml").write_text(text.replace("\nid: acme\n", "\nid: lng\n").replace("Acme PM", "Lng PM"))
    out = run("--data-dir", str(tmp_path), "compare", "pm", "lng", "tpm", width=width)[1]
    assert max(len(line) for line in out.splitlines()) <= width
    assert out.count("│ 60 ") == out.count("┏")  # every row (the last is level 60) in every table


def test_a_split_matrix_keeps_every_rung_in_every_table() -> None:
    out = with_examples("show", "acme", "--competencies", width=80)[1]
    tables = out.count("┏")
    assert tables > 1 and out.count("Vice President") == tables and out.count("Distinguished") == tables


# --- competencies, experience, notes -----------------------------------------------------------


def test_the_competency_matrix_has_a_column_per_area() -> None:
    code, out, _ = with_examples("show", "acme", "--competencies", "-f", "csv")
    assert code == 0
    assert out.splitlines()[0] == "ladder,id,level,execution,strategy,communication,people"
    table = with_examples("show", "acme", "--competencies", width=160)[1]
    assert "Product strategy" in table and "Mentors senior PMs" in table


def test_a_ladder_without_competencies_has_no_matrix() -> None:
    code, _, err = run("show", "pm", "--competencies")
    assert code == 1 and "declares no competency areas" in err


def test_a_rung_page_groups_expectations_by_area_and_shows_experience() -> None:
    code, out, _ = with_examples("show", "acme", "principal-pm", "-f", "markdown")
    assert code == 0
    for expected in (
        "## Expectations by competency area",
        "**People leadership**",
        "Typical experience: 8+ years",
        "Reports to: director",
        "track Individual contributor",
    ):
        assert expected in out
    vp = with_examples("show", "acme", "vp-product")[1]
    assert "Notes" in vp and "no Chief Product Officer" in vp


def test_next_shows_what_changes_area_by_area() -> None:
    record = json.loads(with_examples("next", "acme", "senior-pm", "-f", "json")[1])
    principal = next(p for p in record["promotions"] if p["to"] == "acme:principal-pm")
    people = next(area for area in principal["expectations"] if area["area"] == "people")
    assert people["now"] == [] and "Mentors senior PMs" in people["next"][0]["text"]
    assert "What changes, area by area" in with_examples("next", "acme", "senior-pm")[1]


# --- pay not published, duties not stated ------------------------------------------------------


def test_salary_tells_pay_not_published_from_no_figure_known() -> None:
    rows = json.loads(with_examples("salary", "director", "-f", "json")[1])
    by_ladder = {row["ladder"]: row for row in rows}
    assert by_ladder["acme"]["not_published_by"] == "Acme" and by_ladder["acme"]["sources"] == ["acme-handbook"]
    assert by_ladder["pm"]["not_published_by"] is None
    table = with_examples("salary", "director")[1]
    assert "not published by Acme" in table


def test_a_rung_without_duties_warns_unless_marked(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder("plain")
    data["rungs"][1].pop("responsibilities")
    path = write_ladder(tmp_path, data)
    code, out, _ = run("validate", str(path))
    assert code == 0 and "warning: LDR401: rungs[senior]" in out and "1 warning" in out
    report = json.loads(run("validate", str(path), "-f", "json")[1])
    assert report["ok"] is True and [w["code"] for w in report["warnings"]] == ["LDR401"]
    data["rungs"][1]["duties_not_stated"] = {"sources": ["s"]}
    bump(path, yaml.safe_dump(data))
    assert run("validate", str(path)) == (0, "ok: 1 file checked, no problems\n", "")


# --- equivalence -------------------------------------------------------------------------------


def test_an_equivalent_rungs_pay_is_shown_as_that_ladders() -> None:
    out = with_examples("show", "acme", "director")[1]
    assert "Not published by Acme" in out
    assert "Pay of the equivalent rungs, as their own ladders give it (not acme's)" in out
    assert "pm:director (Director of Product)" in out and "$150,221" in out


def test_an_equivalence_to_a_missing_rung_is_ldr303(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder("eq")
    data["rungs"][1]["equivalent"] = ["pm:directer"]
    report = validate(Catalog([DataDir(builtin_dir(), "built-in")]), [write_ladder(tmp_path, data)])
    assert [(p.code, p.field) for p in report.problems] == [("LDR303", "rungs[senior].equivalent[0]")]
    data["rungs"][1]["equivalent"] = ["senior"]
    problems = validate(Catalog([]), [write_ladder(tmp_path, data)]).problems
    assert [p.code for p in problems] == ["LDR210"]  # an equivalent is in another ladder


# --- overlays ----------------------------------------------------------------------------------


def test_an_overlay_adds_changes_and_removes_by_id() -> None:
    view = show_ladder(examples_catalog(), "globex")
    ids = [placed.rung.id for placed in view.rungs]
    assert "senior-manager" not in ids and "senior-vp" not in ids
    assert ids.index("group-pm") < ids.index("principal-pm") < ids.index("director")  # placed by its level
    director = next(p.rung for p in view.rungs if p.rung.id == "director")
    texts = [point.text for point in director.responsibilities]
    assert director.title == "Head of Product" and "quarterly review" in texts[-1] and len(texts) > 10
    pm = next(p.rung for p in view.rungs if p.rung.id == "pm")
    assert [(f.currency, f.min) for f in pm.salary] == [("EUR", 70000)]
    assert not any(move.move.from_ == "senior-manager" for move in view.moves)


def test_show_origin_marks_where_each_part_comes_from() -> None:
    rows = {r[1]: r for r in csv_rows(with_examples("show", "globex", "--origin", "-f", "csv")[1])}
    assert rows["apm"][-1] == "pm" and rows["principal-pm"][-1] == "globex"
    assert rows["pm"][-1] == "pm, changed by globex"
    page = with_examples("show", "globex", "director", "--origin")[1]
    assert "From: pm, changed by globex" in page and "(from pm)" in page and "(from globex)" in page


def csv_rows(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text)))[1:]


def test_salary_marks_a_figure_an_overlay_inherits() -> None:
    rows = json.loads(with_examples("salary", "head of product", "-f", "json")[1])
    assert [(r["ladder"], r["inherited_from"]) for r in rows] == [("globex", "pm")]
    assert "(pm's figure)" in with_examples("salary", "head of product")[1]
    own = json.loads(with_examples("salary", "pm", "--ladder", "globex", "-f", "json")[1])
    assert [(r["currency"], r["inherited_from"]) for r in own] == [("EUR", None)]


def test_list_counts_the_merged_rungs() -> None:
    rows = {row["id"]: row for row in json.loads(with_examples("list", "-f", "json")[1])}
    assert (rows["globex"]["rungs"], rows["globex"]["extends"]) == (8, "pm")


def test_an_overlay_of_an_overlay_and_a_change_of_its_base_show_at_once(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    base = write_ladder(tmp_path, minimal_ladder("base"))
    write_ladder(tmp_path, overlay("middle", "base", change={"senior": {"title": "Lead"}}))
    write_ladder(tmp_path, overlay("top", "middle", remove=["junior"]))
    rungs = json.loads(run("--data-dir", str(tmp_path), "show", "top", "-f", "json")[1])["rungs"]
    assert [(r["id"], r["title"]) for r in rungs] == [("senior", "Lead")]
    changed = minimal_ladder("base")
    changed["rungs"][1]["level"] = 25
    bump(base, yaml.safe_dump(changed))  # the cache of `top` must not hide a change of `base`
    rungs = json.loads(run("--data-dir", str(tmp_path), "show", "top", "-f", "json")[1])["rungs"]
    assert [(r["id"], r["level"]) for r in rungs] == [("senior", 25)]


def test_a_circle_of_overlays_is_one_line_on_every_command(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    for this, other in (("a", "b"), ("b", "c"), ("c", "a")):
        write_ladder(tmp_path, overlay(this, other))
    for args in (["show", "a"], ["salary", "x", "--ladder", "b"], ["compare", "a", "pm"]):
        code, _, err = run("--data-dir", str(tmp_path), *args)
        assert code == 1 and "in a circle" in err and len(err.strip().splitlines()) == 1, args
    code, out, _ = run("validate", str(tmp_path))
    assert code == 1 and out.count("LDR305") == 3 and "in a circle: a -> b -> c -> a" in out
    assert run("--data-dir", str(tmp_path), "list")[0] == 0  # the others still list


def test_an_overlay_that_breaks_its_merge_is_reported_in_its_own_file(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    write_ladder(tmp_path, minimal_ladder("base"))
    path = write_ladder(
        tmp_path, overlay("over", "base", remove=["senior"], change={"junior": {"reports_to": ["senior"]}})
    )
    problems = validate(Catalog([]), [tmp_path]).problems
    assert [(Path(p.path).name, p.code, p.field) for p in problems] == [
        ("over.yaml", "LDR203", "change.junior.reports_to[0]")
    ]
    assert problems[0].line == path.read_text().splitlines().index("    - senior") + 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    removed=st.sets(st.sampled_from(["apm", "pm", "senior-pm", "group-pm", "senior-manager", "director", "vp", "cpo"])),
    retitled=st.sets(st.sampled_from(["apm", "pm", "director", "nope"])),
)
def test_any_overlay_of_pm_merges_or_says_why(removed: set[str], retitled: set[str]) -> None:
    catalog = Catalog([DataDir(builtin_dir(), "built-in")])
    pm = catalog.ladder("pm")
    raw = LadderModel.model_validate(
        overlay("co", "pm", remove=sorted(removed), change={rung: {"title": f"Our {rung}"} for rung in retitled})
    )
    merged, problems = merge(raw, pm, lambda entry: getattr(entry, "level", None))
    assert all(str(problem["type"].type).startswith("LDR") for problem in problems)  # type: ignore[union-attr]
    kept = {rung.id for rung in merged.rungs}
    assert kept == {rung.id for rung in pm.rungs} - removed
    assert not any({move.from_, move.to} & removed for move in merged.transitions)


# --- overriding a built-in ladder ---------------------------------------------------------------


def test_a_user_pm_that_drops_a_shared_rung_is_blamed_at_its_own_file(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = yaml.safe_load((builtin_dir() / "pm.yaml").read_text(encoding="utf-8"))
    data["rungs"] = [rung for rung in data["rungs"] if rung["id"] != "vp"]
    data["transitions"] = [t for t in data["transitions"] if "vp" not in (t["from"], t.get("to"))]
    data["views"] = []
    path = write_ladder(tmp_path, data)
    code, out, _ = run("--data-dir", str(tmp_path), "validate", str(path))
    assert code == 1
    lines = out.splitlines()[:-1] if out.endswith("problems\n") else out.splitlines()
    assert lines and all(line.startswith(f"{path}:") and ": LDR304: " in line for line in lines)
    assert "tpm.yaml" in lines[0] and "no rung 'vp'" in out
    code, _, err = run("--data-dir", str(tmp_path), "show", "tpm")
    assert code == 1 and str(path) in err and "replaces" in err
    listed = {row["id"]: row for row in json.loads(run("--data-dir", str(tmp_path), "list", "-f", "json")[1])}
    assert listed["pm"]["overrides"] == [str(builtin_dir() / "pm.yaml")]
    assert "Overrides:" in run("--data-dir", str(tmp_path), "show", "pm")[1]


# --- what a review found ------------------------------------------------------------------------


def test_change_without_extends_is_ldr210_and_list_skips_the_file(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = minimal_ladder("host")
    data["change"] = {"junior": {"title": "Trainee"}}
    path = write_ladder(tmp_path, data)
    assert [(p.code, p.field) for p in validate(Catalog([]), [path]).problems] == [("LDR210", "change")]
    code, _, err = run("--data-dir", str(tmp_path), "list")
    assert code == 0 and "skipped" in err and "LDR210" in err


def test_an_overlay_that_removes_every_rung_is_ldr306(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("base"))
    write_ladder(tmp_path, overlay("empty", "base", remove=["junior", "senior"]))
    problems = validate(Catalog([]), [tmp_path]).problems
    assert [(p.code, p.field) for p in problems] == [("LDR306", "remove")]
    code, _, err = run("--data-dir", str(tmp_path), "show", "empty")
    assert code == 1 and "no rung is left of 'base'" in err


def test_an_overlay_keeps_its_own_moves_and_a_rung_added_back_keeps_the_bases(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    write_ladder(tmp_path, minimal_ladder("base"))
    senior = minimal_ladder()["rungs"][1] | {"title": "Senior, rewritten"}
    write_ladder(tmp_path, overlay("again", "base", remove=["senior"], rungs=[senior]))
    moves = show_ladder(Catalog([DataDir(tmp_path, "t")]), "again").moves
    assert [(m.move.from_, m.move.to) for m in moves] == [("junior", "senior")]  # removed, then added back
    own_move = {"kind": "promotion", "from": "junior", "to": "senior", "sources": ["own"]}
    write_ladder(tmp_path, overlay("gone", "base", remove=["senior"], transitions=[own_move]))
    problems = [p for p in validate(Catalog([]), [tmp_path]).problems if "gone" in p.path]
    assert [(p.code, p.field) for p in problems] == [("LDR203", "transitions[0].to")]


def test_a_row_takes_the_level_of_the_rungs_placed_by_level(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    first = minimal_ladder("first")
    first["rungs"][1]["equivalent"] = ["second:junior"]  # level 20 beside a level-10 rung
    write_ladder(tmp_path, first)
    write_ladder(tmp_path, minimal_ladder("second"))
    for order in (["first", "second"], ["second", "first"]):
        rows = compare(Catalog([DataDir(tmp_path, "t")]), order).rows
        assert [row.level for row in rows] == sorted(row.level for row in rows)
        aligned = next(row for row in rows if all(row.cells))
        assert aligned.level == 10 and {c.rung.id for c in aligned.cells if c} == {"junior", "senior"}, order


def test_a_user_pm_may_extend_the_built_in_pm_it_replaces(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    path = write_ladder(tmp_path, overlay("pm", "pm", change={"director": {"title": "Head of Product"}}))
    code, out, _ = run("--data-dir", str(tmp_path), "show", "tpm", "director")
    assert code == 0 and out.startswith("Head of Product")  # tpm shares the changed rung
    assert run("--data-dir", str(tmp_path), "validate")[0] == 0
    assert run("validate", str(path))[0] == 0
    bad = overlay("pm", "pm", remove=["vp"])
    path = write_ladder(tmp_path, bad)
    code, out, _ = run("--data-dir", str(tmp_path), "validate", str(path))
    assert code == 1 and "LDR304" in out and "tpm.yaml" in out and out.startswith(str(path))


def test_an_overlay_that_does_not_merge_is_a_file_that_does_not_load_to_others(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    write_ladder(tmp_path, minimal_ladder("base"))
    write_ladder(tmp_path, overlay("broken", "base", remove=["nothing"]))
    sharer = minimal_ladder("sharer")
    sharer["rungs"][1] = {"shared": "broken:senior"}
    write_ladder(tmp_path, sharer)
    out = run("validate", str(tmp_path))[1]
    assert (
        "LDR303: rungs[broken:senior].shared: ladder 'broken' (for 'broken:senior') is in a file that does not load"
        in out
    )


def test_origin_follows_a_chain_of_overlays_and_shared_rungs(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, overlay("initech", "globex", change={"director": {"title": "Director of Initech"}}))
    out = run("--data-dir", str(EXAMPLES), "--data-dir", str(tmp_path), "show", "initech", "--origin", "-f", "json")[1]
    origins = {rung["id"]: rung["origin"] for rung in json.loads(out)["rungs"]}
    assert origins["director"] == "pm, changed by globex, changed by initech"
    assert (origins["apm"], origins["principal-pm"]) == ("pm", "globex")
    write_ladder(tmp_path, overlay("tpmx", "tpm"))
    page = run("--data-dir", str(tmp_path), "show", "tpmx", "director", "--origin")[1]
    assert "From: pm" in page and "changed" not in page  # a shared rung comes from its home ladder


def test_an_overlay_is_warned_only_for_the_rungs_it_writes(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    base = minimal_ladder("base")
    base["rungs"][0]["duties_not_stated"] = None
    base["rungs"][0].pop("duties_not_stated")
    base["rungs"][0].pop("responsibilities")
    write_ladder(tmp_path, base)
    write_ladder(tmp_path, overlay("over", "base", change={"senior": {"title": "Lead"}}))
    warnings = validate(Catalog([]), [tmp_path]).warnings
    assert [(Path(w.path).name, w.field) for w in warnings] == [("base.yaml", "rungs[junior]")]


def test_a_rung_without_a_summary_is_scoped_by_its_first_duty(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = minimal_ladder("plain")
    data["rungs"][0].pop("summary")
    write_ladder(tmp_path, data)
    out = run("--data-dir", str(tmp_path), "show", "plain")[1]
    assert "Learns the trade." in out and "no duties stated" not in out


def test_compare_with_competencies_sets_expectations_side_by_side() -> None:
    out = with_examples("compare", "pm", "acme", "--competencies", width=120)[1]
    assert "Product strategy:" in out and "Mentors senior PMs" in out and "no expectations stated" in out
    header = with_examples("compare", "pm", "acme", "--competencies", "-f", "csv")[1].splitlines()[0]
    assert header.endswith("lane,pm_expectations,acme_expectations")


def test_a_file_named_alone_sees_the_ladders_beside_it(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("base"))
    path = write_ladder(tmp_path, overlay("over", "base", change={"senior": {"title": "Lead"}}))
    assert validate(Catalog([]), [path]).problems == []  # as a pre-commit hook names only the file changed
