"""`ladder export -f csv` and `ladder import`: the tidy table carries every value of a ladder file
(the round trip changes nothing `ladder diff` sees), a team's matrix becomes a valid ladder, and
every problem in the input is told at its row and column."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from career_ladder import Ladders
from career_ladder.cli import app
from career_ladder.errors import BadArgument
from career_ladder.importing import ImportFailed, imported, read_table
from career_ladder.loading import read_ladder
from career_ladder.models import Ladder
from career_ladder.tidy import COLUMNS, guarded, tidy_csv, tidy_rows, unguarded
from conftest import minimal_ladder

ROOT = Path(__file__).parents[1]
FILES = [
    ROOT / "data" / "ladders" / "pm.yaml",
    ROOT / "data" / "ladders" / "tpm.yaml",
    ROOT / "examples" / "acme.yaml",
    ROOT / "examples" / "globex.yaml",
    ROOT / "examples" / "proposed" / "acme.yaml",
]


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def dump(ladder: Ladder) -> dict[str, Any]:
    return ladder.model_dump(mode="json", by_alias=True)


def round_trip(data: dict[str, Any], tmp_path: Path, name: str = "table.csv") -> Ladder:
    """The ladder of `data`, written as a tidy csv and imported again."""
    ladder = Ladder.model_validate(data)
    table = tmp_path / name
    table.write_text(tidy_csv(tidy_rows(ladder.model_dump(mode="json", by_alias=True, exclude_defaults=True))))
    return imported(read_table(table), name).ladder


# --- the round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_export_import_and_diff_find_no_change(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ladder_id = path.stem
    exported = run("--data-dir", str(path.parent), "export", ladder_id, "-f", "csv")
    assert exported.exit_code == 0, exported.stderr
    Path("table.csv").write_text(exported.stdout, encoding="utf-8")
    result = run("import", "table.csv")
    assert result.exit_code == 0, result.stderr
    assert f"wrote {ladder_id}.yaml: ladder {ladder_id}," in result.stderr
    diff = run("diff", str(path), f"{ladder_id}.yaml")
    assert diff.exit_code == 0, diff.stdout
    assert "No change" in diff.stdout
    assert dump(read_ladder(Path(f"{ladder_id}.yaml")).ladder) == dump(read_ladder(path).ladder)  # order too


def test_the_table_is_a_row_per_value_and_a_statement_is_one_row() -> None:
    rows = list(csv.DictReader(io.StringIO(Ladders().export("pm", fmt="csv"))))
    assert tuple(rows[0]) == COLUMNS
    senior = [row for row in rows if row["rung"] == "senior-pm"]
    assert {row["level"] for row in senior} == {"30"}
    duties = [row for row in senior if row["section"] == "responsibilities"]
    assert duties and all(row["field"] == "text" and row["sources"] for row in duties)
    director = [row for row in rows if row["rung"] == "director"]
    pay = [row for row in director if row["section"] == "salary" and row["field"] in ("min", "max", "average")]
    assert [row["text"] for row in pay][:2] == ["150221", "220000"]  # numbers, not $150,221


def test_a_shared_rung_is_its_reference_and_an_overlay_its_changes() -> None:
    tpm = list(csv.DictReader(io.StringIO(Ladders().export("tpm", fmt="csv"))))
    assert {"rung": "director", "section": "shared", "text": "pm:director"}.items() <= next(
        row for row in tpm if row["section"] == "shared"
    ).items()
    globex = list(csv.DictReader(io.StringIO(Ladders(examples=True).export("globex", fmt="csv"))))
    assert any(row["section"] == "extends" and row["text"] == "pm" for row in globex)
    assert any(row["section"] == "change" and row["rung"] == "director" for row in globex)


TEXT = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\u061c\u200e\u200f"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
TRICKY = st.sampled_from(["=SUM(A1)", "+1", "-2", "@x", "'=already", "''=twice", "a, b", 'say "hi"', "#1", "[]", "{}"])
WORDS = st.text("abcdefghij", min_size=1, max_size=6)


@st.composite
def ladders(draw: st.DrawFn) -> dict[str, Any]:
    """A valid ladder with texts that a csv or a spreadsheet could mangle, and most kinds of value."""
    text = TEXT | TRICKY
    ids = draw(st.lists(WORDS, min_size=1, max_size=4, unique=True))
    areas = draw(st.lists(WORDS, max_size=2, unique=True))
    data = minimal_ladder("gen", name=draw(text), summary=draw(text))
    data["sources"] = [{"id": "s", "title": draw(text), "date": draw(st.sampled_from(["2024", "2024-02-06"]))}]
    if areas:
        data["competencies"] = [{"id": a, "name": draw(text), "covers": draw(text), "sources": ["s"]} for a in areas]
    rungs = []
    for index, ident in enumerate(ids):
        rung: dict[str, Any] = {"id": ident, "title": draw(text), "level": 10 * (index + 1), "sources": ["s"]}
        rung["summary"] = draw(text)
        rung["responsibilities"] = [
            {"text": draw(text), "sources": ["s"], **({"id": f"d{n}"} if draw(st.booleans()) else {})}
            for n in range(draw(st.integers(1, 3)))
        ]
        if draw(st.booleans()):
            rung["aliases"] = draw(st.lists(text, max_size=2))
        if draw(st.booleans()):
            rung["optional"] = True
        if draw(st.booleans()):
            rung["years"] = {"min": draw(st.integers(0, 10))}
        if areas and draw(st.booleans()):
            rung["expectations"] = {areas[0]: [{"text": draw(text), "sources": ["s"]}]}
        if draw(st.booleans()):
            low = draw(st.integers(1, 10**6) | st.floats(1, 10**6).map(lambda x: round(x, 2)))
            figure = {"currency": "EUR", "min": low, "max": low * 2, "as_of": 2025, "sources": ["s"]}
            rung["salary"] = [figure, {"currency": "INR", "average": 2650000.5, "covers": "base", "sources": ["s"]}]
        rungs.append(rung)
    data["rungs"] = rungs
    data["transitions"] = [
        {"kind": "promotion", "from": a, "to": b, "sources": ["s"], "signals": [{"text": draw(text), "sources": ["s"]}]}
        for a, b in itertools.pairwise(ids)
    ]
    if draw(st.booleans()):
        data["notes"] = [{"text": draw(text), "sources": ["s"]}]
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=ladders())
def test_a_generated_ladder_comes_back_the_same(data: dict[str, Any], tmp_path: Path) -> None:
    assert dump(round_trip(data, tmp_path)) == dump(Ladder.model_validate(data))


@given(st.text(max_size=20))
def test_a_guarded_text_reads_back_as_written(text: str) -> None:
    assert unguarded(guarded(text)) == text
    assert not guarded(text).startswith(("=", "+", "-", "@"))


def test_a_formula_text_is_never_a_formula_in_the_table(tmp_path: Path) -> None:
    data = minimal_ladder(summary='=HYPERLINK("http://x")')
    table = tidy_csv(
        tidy_rows(Ladder.model_validate(data).model_dump(mode="json", by_alias=True, exclude_defaults=True))
    )
    assert "'=HYPERLINK" in table
    assert dump(round_trip(data, tmp_path)) == dump(Ladder.model_validate(data))


def test_the_yaml_written_keeps_the_house_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("t.csv").write_text(Ladders().export("pm", fmt="csv"), encoding="utf-8")
    assert run("import", "t.csv").exit_code == 0
    text = Path("pm.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Imported from t.csv (tidy table) by `ladder import`.\n")
    assert "\n# rungs: t.csv:" in text and "\n# senior-pm: t.csv:" in text
    assert "  sources: [pm-career-path]\n" in text or "sources: [" in text


# --- choosing where it goes ------------------------------------------------------------------------


def test_import_never_writes_over_a_file_without_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("t.csv").write_text(tidy_csv(tidy_rows(minimal_ladder())), encoding="utf-8")
    Path("demo.yaml").write_text("mine\n", encoding="utf-8")
    refused = run("import", "t.csv")
    assert refused.exit_code == 2
    assert refused.stderr == "ladder: demo.yaml exists: name another file with -o, or replace it with --force\n"
    assert Path("demo.yaml").read_text(encoding="utf-8") == "mine\n"
    assert run("import", "t.csv", "--force").exit_code == 0
    assert read_ladder(Path("demo.yaml")).ladder.id == "demo"


def test_import_names_the_file_by_the_ladders_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("t.csv").write_text(tidy_csv(tidy_rows(minimal_ladder())), encoding="utf-8")
    wrong = run("import", "t.csv", "-o", "other.yaml")
    assert wrong.exit_code == 2
    assert "a ladder file is named by its id: demo.yaml, not other.yaml (or give --id" in wrong.stderr
    renamed = run("import", "t.csv", "--id", "other", "-o", "other.yaml")
    assert renamed.exit_code == 0, renamed.stderr
    assert read_ladder(Path("other.yaml")).ladder.id == "other"
    assert run("import", "t.csv", "--id", "Not An Id").stderr == (
        "ladder: an id is kebab-case (acme-pm), got 'Not An Id'\n"
    )


def test_import_to_stdout_writes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("t.csv").write_text(tidy_csv(tidy_rows(minimal_ladder())), encoding="utf-8")
    result = run("import", "t.csv", "-o", "-")
    assert result.exit_code == 0
    assert "id: demo\n" in result.stdout
    assert not Path("demo.yaml").exists()


# --- problems, each at its place ------------------------------------------------------------------


def table_with(tmp_path: Path, edit: Any, data: dict[str, Any] | None = None) -> Path:
    """A tidy csv of `data` (the minimal ladder), its rows changed by `edit(rows)`."""
    rows = [list(COLUMNS), *(list(row) for row in tidy_rows(data or minimal_ladder()))]
    edit(rows)
    path = tmp_path / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    return path


def problems(path: Path, **options: Any) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        imported(read_table(path, **options), path.name)
    return [str(problem) for problem in failed.value.problems]


def row_of(rows: list[list[str]], **cells: str) -> list[str]:
    return next(row for row in rows if all(row[COLUMNS.index(k)] == v for k, v in cells.items()))


def test_a_misspelt_column_is_told_with_the_one_meant(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows[0][COLUMNS.index("section")] = "sectoin"

    assert problems(table_with(tmp_path, edit)) == [
        "t.csv:1:5: LDR502: unknown column 'sectoin' (did you mean 'section'?)",
        "t.csv:1:1: LDR502: no column section: a tidy table has " + ", ".join(COLUMNS),
    ]


def test_a_wrong_value_is_told_at_its_cell(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        row_of(rows, rung="junior", section="title")[COLUMNS.index("level")] = "ten"

    found = problems(table_with(tmp_path, edit))
    number = next(i for i, row in enumerate(table_rows(tmp_path)) if row[2] == "ten") + 1
    rows = f"rows {number + 1}, {number + 2}, {number + 3}"
    assert found == [f"t.csv:{number}:3: LDR504: rung 'junior' has level ten here, 10 at {rows}"]


def test_a_value_of_the_wrong_kind_is_told_at_its_cell(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        for row in rows:
            if row[1] == "junior":
                row[2] = "ten"

    found = problems(table_with(tmp_path, edit))
    number = next(i for i, row in enumerate(table_rows(tmp_path)) if row[2] == "ten") + 1
    assert found == [
        f"t.csv:{number}:3: LDR103: rungs[junior].level: write a whole number such as 35, without quotes (got 'ten')"
    ]


def test_rows_of_one_rung_that_disagree_on_its_level_are_told(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        row_of(rows, rung="junior", section="summary")[COLUMNS.index("level")] = "15"

    (found,) = problems(table_with(tmp_path, edit))
    rows = table_rows(tmp_path)
    number = next(i for i, row in enumerate(rows) if row[2] == "15") + 1
    first = next(i for i, row in enumerate(rows) if row[1] == "junior") + 1
    assert found.startswith(f"t.csv:{number}:3: LDR504: rung 'junior' has level 15 here, 10 at rows {first}, ")


def table_rows(tmp_path: Path) -> list[list[str]]:
    return list(csv.reader((tmp_path / "t.csv").open(encoding="utf-8")))


def test_a_value_given_twice_is_told_at_the_second(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows.append(list(row_of(rows, rung="junior", section="title")))

    found = problems(table_with(tmp_path, edit))
    rows = table_rows(tmp_path)
    first = next(i for i, row in enumerate(rows) if row[1] == "junior" and row[4] == "title") + 1
    assert found == [f"t.csv:{len(rows)}:9: LDR503: row {first} gives this value already"]


def test_rows_of_one_item_that_cite_different_sources_are_told(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        row_of(rows, rung="senior", section="salary", field="max")[COLUMNS.index("sources")] = "t"

    (found,) = problems(table_with(tmp_path, edit))
    assert found.endswith(
        ":10: LDR504: sources t differ from row " + found.split("row ")[1].split("'")[0] + "'s (s), of the same item"
    )


def test_a_problem_of_the_ladder_is_told_at_the_cell_that_gives_it(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        row_of(rows, rung="senior", section="salary", field="currency")[COLUMNS.index("text")] = "USX"

    (found,) = problems(table_with(tmp_path, edit))
    number = next(i for i, row in enumerate(table_rows(tmp_path)) if row[8] == "USX") + 1
    assert found == (
        f"t.csv:{number}:9: LDR208: rungs[senior].salary[0].currency: unknown currency code 'USX' (ISO 4217, e.g. USD)"
    )


def test_an_unknown_section_is_told_with_the_one_meant(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        row_of(rows, rung="junior", section="responsibilities")[COLUMNS.index("section")] = "responsibilites"

    found = problems(table_with(tmp_path, edit))
    assert any(
        ":5: LDR101: rungs[junior].responsibilites: unknown field" in line and "responsibilities" in line
        for line in found
    )


def test_a_ladder_column_that_changes_midway_is_told(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows[-1][0] = "other"

    found = problems(table_with(tmp_path, edit))
    message = "ladder 'other' differs from 'demo' (row 2): one ladder a table, or give --id"
    assert found == [f"t.csv:{len(table_rows(tmp_path))}:1: LDR504: {message}"]


def test_blank_rows_are_passed_over_and_a_row_without_a_section_is_told(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows.insert(3, [""] * len(COLUMNS))
        rows.insert(4, ["demo", "", "", "", "", "", "", "", "orphan text", ""])

    assert problems(table_with(tmp_path, edit)) == [
        "t.csv:5:5: LDR505: no section: name the field the row gives (title, skills...)"
    ]


def test_a_csv_that_is_not_utf8_is_told_how_to_read_it(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    text = tidy_csv(tidy_rows(minimal_ladder(summary="Café")))
    path.write_bytes(text.encode("cp1252"))
    (found,) = problems(path)
    hint = "save it as CSV UTF-8, or name its encoding: --encoding cp1252"
    assert found == f"t.csv: LDR501: not UTF-8 text (byte 0xe9 on line 3): {hint}"
    assert imported(read_table(path, encoding="cp1252"), "t.csv").ladder.summary == "Café"


def test_inputs_that_are_no_table_are_one_line_each(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    assert problems(empty) == ["empty.csv:1:1: LDR501: the file holds no rows"]
    assert problems(tmp_path / "missing.csv")[0].startswith(
        f"{tmp_path}/missing.csv: LDR501: the input cannot be read: "
    )
    big = tmp_path / "big.csv"
    with big.open("wb") as file:
        file.truncate(21 * 1024 * 1024)
    assert problems(big) == [f"{big}: LDR501: the input is larger than the 20 MiB an import reads"]


def test_the_command_lists_every_problem_then_one_line(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        for row in rows[1:]:
            if row[4] == "title":
                row[8] = ""

    result = run("import", str(table_with(tmp_path, edit)))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    assert all("LDR103" in line or "LDR1" in line for line in lines[:2])
    assert lines[2] == f"ladder: {tmp_path / 't.csv'} gives no valid ladder: 2 problems"


# --- a team's matrix ----------------------------------------------------------------------------

MATRIX = """Acme product ladder 2026,,,
,Associate PM,Product Manager,Senior PM
Summary,Learns the craft on one feature.,Owns a product area.,Leads a product line.
Execution,"- Ships small features with help
- Writes clear tickets",Ships a roadmap quarter by quarter,"1. Plans across teams
2. Cuts scope early"
,,,
Strategy,,Knows the area's goals,Sets the line's strategy
Skills,Writes SQL,,
"""


def test_a_matrix_becomes_a_valid_ladder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("team.csv").write_text(MATRIX, encoding="utf-8")
    result = run("import", "team.csv")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "wrote team.yaml: ladder team, 3 rungs, from team.csv (matrix)",
        "written as not given, to replace (3):",
        "  summary",
        "  competencies[execution].covers",
        "  competencies[strategy].covers",
        "kept as notes, having no field of their own (1):",
        "  team.csv:1:1: Acme product ladder 2026",
    ]
    ladder = read_ladder(Path("team.yaml")).ladder
    assert [(rung.id, rung.title, rung.level) for rung in ladder.rungs] == [  # type: ignore[union-attr]
        ("associate-pm", "Associate PM", 10),
        ("product-manager", "Product Manager", 20),
        ("senior-pm", "Senior PM", 30),
    ]
    senior = ladder.rungs[2]
    assert [point.text for point in senior.expectations["execution"]] == ["Plans across teams", "Cuts scope early"]  # type: ignore[union-attr]
    assert [point.text for point in ladder.rungs[0].skills] == ["Writes SQL"]  # type: ignore[union-attr]
    assert [area.id for area in ladder.competencies] == ["execution", "strategy"]
    assert run("--data-dir", ".", "validate", "team.yaml").exit_code == 0


def test_a_matrix_with_semicolons_reads_as_one_with_commas(tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    path.write_text(";Junior;Senior\nExecution;Ships;Leads\n", encoding="utf-8")
    ladder = imported(read_table(path), "team.csv").ladder
    assert [rung.id for rung in ladder.rungs] == ["junior", "senior"]


def test_a_matrix_header_row_can_be_named(tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    path.write_text("Draft,for review\n,Junior,Senior\nExecution,Ships,Leads\n", encoding="utf-8")
    assert problems(path)[0].startswith("team.csv:")  # the two-cell heading is taken for titles
    ladder = imported(read_table(path, header_row=2), "team.csv").ladder
    assert [rung.title for rung in ladder.rungs] == ["Junior", "Senior"]  # type: ignore[union-attr]


def test_matrix_duplicates_and_blanks_are_told_not_invented(tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    path.write_text(
        ",Junior,Senior,junior,\nExecution,Ships,Leads,x,stray\n,orphan,,,\nExecution,again,,,\n", encoding="utf-8"
    )
    assert problems(path) == [
        "team.csv:1:4: LDR511: rung title 'junior' again (as team.csv:1:2): each column is one rung",
        "team.csv:2:5: LDR512: a statement in a column with no rung title: give the column a title in the title row",
        "team.csv:3:1: LDR512: statements in a row with no area name: name the area in its first cell",
        "team.csv:4:1: LDR511: 'Execution' again (as team.csv:2:1): one row each, "
        "with one statement a line in its cells",
    ]


def test_a_matrix_statement_with_a_control_character_is_told_at_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    path.write_text(",Junior\nExecution,Ships \x1b[31mred\n", encoding="utf-8")
    (found,) = problems(path)
    assert found.startswith(
        "team.csv:2:2: LDR104: rungs[junior].expectations.execution[0].text: text holds the control"
    )


def test_yaml_written_from_a_matrix_round_trips_through_the_tidy_table(tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    path.write_text(MATRIX, encoding="utf-8")
    ladder = imported(read_table(path), "team.csv").ladder
    again = round_trip(yaml.safe_load(yaml.safe_dump(dump(ladder))), tmp_path, "again.csv")
    assert dump(again) == dump(ladder)


CELL = st.sampled_from(["", "pm", "junior", "title", "#1", "text", "salary", "min", "sources", "x.y", "[]", "{}", "10"])
ROWS = st.lists(st.lists(CELL | st.text(max_size=8), min_size=0, max_size=12), max_size=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS, tidy=st.booleans())
def test_any_table_gives_a_ladder_or_placed_problems_never_a_crash(
    rows: list[list[str]], tidy: bool, tmp_path: Path
) -> None:
    path = tmp_path / "any.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([list(COLUMNS), *rows] if tidy else rows)
    try:
        imported(read_table(path), "any.csv")
    except ImportFailed as failed:
        assert all(str(problem).startswith(("any.csv:", str(path))) for problem in failed.problems)


def test_a_matrix_without_titles_is_told_where_they_go(tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    path.write_text("Execution\nStrategy\n", encoding="utf-8")
    assert problems(path) == [
        "team.csv:1:1: LDR510: no rung titles in this row: they go across it, right of the area names "
        "(or give --header-row N)"
    ]
    with pytest.raises(BadArgument, match=r"--header-row 5: team\.csv has 2 rows"):
        read_table(path, header_row=5)


def test_sources_on_a_value_that_cites_none_are_told(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        row_of(rows, section="name")[COLUMNS.index("sources")] = "s"

    assert problems(table_with(tmp_path, edit)) == [
        "t.csv:2:10: LDR505: this value cites no sources: leave the cell blank"
    ]


def test_a_column_twice_is_told(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        for row in rows:
            row.append(row[COLUMNS.index("text")])

    assert problems(table_with(tmp_path, edit)) == ["t.csv:1:11: LDR502: a second column 'text'"]


def test_a_csv_saved_on_windows_reads_as_any_other(tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    text = MATRIX.replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # a byte-order mark, CRLF, and CRLF inside a cell
    ladder = imported(read_table(path), "team.csv").ladder
    plain = tmp_path / "plain" / "team.csv"
    plain.parent.mkdir()
    plain.write_text(MATRIX, encoding="utf-8")
    assert dump(ladder) == dump(imported(read_table(plain), "team.csv").ladder)


# --- what a review of the import found ------------------------------------------------------------


def exported(tmp_path: Path, ladder: str = "acme") -> Path:
    path = tmp_path / "t.csv"
    path.write_text(Ladders(examples=True).export(ladder, fmt="csv"), encoding="utf-8")
    return path


def appended(path: Path, *lines: str) -> Path:
    with path.open("a", encoding="utf-8") as file:
        file.write("".join(f"{line}\n" for line in lines))
    return path


def last_row(path: Path) -> int:
    return len(list(csv.reader(path.open(encoding="utf-8"))))


@pytest.mark.parametrize(
    "line",
    [
        "acme,,,,notes,,#1,,A note,acme-handbook",
        "acme,pm,20,,expectations,execution,,,Runs triage,acme-handbook",
        "acme,pm,20,,salary,,#1,,150000,acme-handbook",
    ],
)
def test_a_single_value_where_an_item_stands_is_told_not_a_crash(line: str, tmp_path: Path) -> None:
    path = appended(exported(tmp_path), line)
    (found,) = problems(path)
    assert found.startswith(f"t.csv:{last_row(path)}:8: LDR505: this place holds an item, given a row per field: ")


def test_a_cell_longer_than_csv_allows_by_default_is_a_text_too_long(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(",Junior\nExecution," + "x" * 131073 + "\n", encoding="utf-8")
    (found,) = problems(path)
    assert found.startswith("long.csv:2:2: LDR103: ")


def test_what_only_the_other_ladders_can_say_is_checked_too(tmp_path: Path) -> None:
    path = appended(exported(tmp_path, "globex"), "globex,directr,,,change,,,title,Boss,")
    with pytest.raises(ImportFailed) as failed:
        Ladders(examples=True).import_file(path)
    assert [str(p) for p in failed.value.problems] == [
        f"t.csv:{last_row(path)}:2: LDR306: change.directr: no rung 'directr' in 'pm' to change "
        "(did you mean 'director'?)"
    ]


def test_a_matrix_that_would_replace_the_built_in_pm_is_told_to_take_another_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pm.csv").write_text(",Junior,Senior\nExecution,Ships,Leads\n", encoding="utf-8")
    result = run("import", "pm.csv")
    assert result.exit_code == 1
    assert "LDR304" in result.stderr
    assert result.stderr.endswith("ladder: its id replaces a ladder another one needs: name it with --id\n")
    assert run("import", "pm.csv", "--id", "our-pm", "-o", "our-pm.yaml").exit_code == 0


def test_a_ladder_over_the_size_of_a_ladder_file_is_told_before_it_is_written(tmp_path: Path) -> None:
    rows = [list(COLUMNS), ["big", "", "", "", "name", "", "", "", "Big", ""]]
    rows += [
        ["big", "", "", "", "summary", "", "", "", "A big ladder.", ""],
        ["big", "", "", "", "sources", "", "s", "title", "S", ""],
    ]
    rows += [
        ["big", "r", "10", "", "title", "", "", "", "R", "s"],
        ["big", "r", "10", "", "summary", "", "", "", "R.", "s"],
    ]
    rows += [
        ["big", "r", "10", "", "responsibilities", "", "", "text", f"Duty {n} " + "word " * 380, "s"]
        for n in range(1200)
    ]
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    assert problems(path) == ["big.csv: LDR002: the ladder would be larger than the 2 MiB a ladder file may be"]


def test_cells_under_no_column_are_told_not_dropped(tmp_path: Path) -> None:
    path = exported(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ","
    lines[10] += ',"REVIEW: ask Bob"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problems(path) == [
        "t.csv:11:11: LDR502: a cell under no column name: name its column, or move what it says into one"
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("acme,,,,id,,,,zeta,", "LDR505: the ladder's id is given in the `ladder` column (or by --id)"),
        ("acme,pm,20,,level,,,,25,acme-handbook", "LDR505: the rung's level is given in the `level` column"),
        ("acme,pm,20,,id,,,,pm-two,acme-handbook", "LDR505: the rung's id is given in the `rung` column"),
        ("acme,,20,,notes,,,text,Hi,acme-handbook", "LDR505: a level belongs to a rung: this row gives no rung"),
    ],
)
def test_a_row_for_what_a_column_gives_is_told(line: str, message: str, tmp_path: Path) -> None:
    path = appended(exported(tmp_path), line)
    assert [problem.split(": ", 1)[1] for problem in problems(path)] == [message]


def test_sorted_rows_and_a_rung_added_at_the_foot_keep_the_rungs_lowest_first(tmp_path: Path) -> None:
    path = exported(tmp_path, "acme")
    header, *rows = list(csv.reader(path.open(encoding="utf-8")))
    rows.sort(key=lambda row: row[4])  # as a spreadsheet sorts by one column: stable
    rows += [["acme", "apm", "5", "", "title", "", "", "", "Associate PM", "acme-handbook"]]
    rows += [["acme", "apm", "5", "", "summary", "", "", "", "Learns.", "acme-handbook"]]
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([header, *rows])
    ladder = imported(read_table(path), "t.csv").ladder
    original = read_ladder(ROOT / "examples" / "acme.yaml").ladder
    assert [rung.id for rung in ladder.rungs] == ["apm", *(rung.id for rung in original.rungs)]


def test_a_heading_or_excels_sep_line_above_a_tidy_table(tmp_path: Path) -> None:
    path = exported(tmp_path)
    table = path.read_text(encoding="utf-8")
    path.write_text("sep=,\n" + table, encoding="utf-8")
    assert imported(read_table(path), "t.csv").ladder.id == "acme"
    path.write_text("Acme ladder export\n" + table, encoding="utf-8")
    assert problems(path) == [
        "t.csv:1:1: LDR502: text above the table's header: a tidy table starts with its header (or give --header-row)"
    ]


def test_titles_that_give_one_id_are_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "jp.csv"
    path.write_text(",ジュニアPM,シニアPM,日本語,中文\n実行,a,b,c,d\n", encoding="utf-8")
    ladder = imported(read_table(path), "jp.csv").ladder
    assert [(rung.id, rung.title) for rung in ladder.rungs] == [  # type: ignore[union-attr]
        ("pm", "ジュニアPM"),
        ("pm-2", "シニアPM"),
        ("rung", "日本語"),
        ("rung-2", "中文"),
    ]


def test_excels_csv_utf8_with_its_mark_reads_with_encoding_utf8(tmp_path: Path) -> None:
    path = exported(tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert imported(read_table(path, encoding="utf-8"), "t.csv").ladder.id == "acme"


def test_options_no_file_can_satisfy_are_usage_errors(tmp_path: Path) -> None:
    path = exported(tmp_path)
    assert run("import", str(path), "--encoding", "nope").exit_code == 2
    assert run("import", str(path), "--header-row", "0").exit_code == 2
    assert run("import", str(path), "--header-row", "999").exit_code == 2
    assert run("import", str(path), "--id", "a" * 65).stderr == "ladder: an id is at most 64 characters, got 65\n"


def test_a_tiny_amount_comes_back_as_written(tmp_path: Path) -> None:
    data = minimal_ladder()
    data["rungs"][1]["salary"] = [{"currency": "USD", "average": 0.00001, "sources": ["s"]}]
    assert dump(round_trip(data, tmp_path)) == dump(Ladder.model_validate(data))


def test_the_header_cell_of_the_area_column_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Competency,Junior,Senior\nExecution,Ships,Leads\n", encoding="utf-8")
    result = imported(read_table(path), "m.csv")
    assert result.kept_as_notes == ["m.csv:1:1: Competency"]
    assert [note.text for note in result.ladder.notes] == ["Competency"]


def test_a_sheet_of_more_cells_than_a_ladder_may_hold_values_is_refused_before_it_is_built(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(
            [["", *(f"R{i}" for i in range(300))], *([f"A{j}", *["x"] * 300] for j in range(200))]
        )
    assert problems(path) == ["g.csv: LDR005: 60,500 cells: more values than the 50,000 a ladder file may hold"]


CELLS = st.sampled_from(
    ["", "#1", "#99", "text", "min", "salary", "notes", "pm", "apm", "10", "abc", "[]", "{}", "x.y"]
)
EDITS = st.lists(
    st.tuples(st.sampled_from(["set", "copy", "drop"]), st.integers(1, 10_000), st.integers(0, 9), CELLS),
    min_size=1,
    max_size=6,
)
ACME_ROWS = [list(row) for row in csv.reader(io.StringIO(Ladders(examples=True).export("acme", fmt="csv")))]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_any_edit_of_an_exported_table_gives_a_ladder_or_placed_problems(
    edits: list[tuple[str, int, int, str]], tmp_path: Path
) -> None:
    """Edits a person makes in a spreadsheet (a cell changed, a row copied or deleted), at random."""
    rows = [list(row) for row in ACME_ROWS]
    for edit, row, column, value in edits:
        at = 1 + row % (len(rows) - 1)
        if edit == "set":
            rows[at][column] = value
        elif edit == "copy":
            rows.insert(at, list(rows[at]))
        elif len(rows) > 2:
            del rows[at]
    path = tmp_path / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    try:
        imported(read_table(path), "t.csv")
    except ImportFailed as failed:
        assert all(str(problem).startswith("t.csv") for problem in failed.problems)


def test_an_output_that_is_no_file_name_is_told(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("t.csv").write_text(tidy_csv(tidy_rows(minimal_ladder())), encoding="utf-8")
    Path("out").mkdir()
    assert run("import", "t.csv", "-o", "").stderr == (
        "ladder: an output file needs a name (use `-o -` for standard output)\n"
    )
    assert run("import", "t.csv", "-o", "out").stderr == "ladder: out is a folder: write out/demo.yaml\n"


def test_a_label_on_rows_one_under_another_is_one_area_as_a_merged_cell_reads(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        ",Junior,Senior\nExecution,Ships,Leads\nExecution,Tests,Plans\nStrategy,,Sets goals\n", encoding="utf-8"
    )
    ladder = imported(read_table(path), "m.csv").ladder
    assert [point.text for point in ladder.rungs[1].expectations["execution"]] == ["Leads", "Plans"]  # type: ignore[union-attr]
    assert [area.id for area in ladder.competencies] == ["execution", "strategy"]


def test_a_title_cell_with_its_level_below_keeps_the_level(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(',"Junior\nlevel 15 · ic","Senior\nlevel 35"\nExecution,Ships,Leads\n', encoding="utf-8")
    ladder = imported(read_table(path), "m.csv").ladder
    assert [(rung.id, rung.title, rung.level) for rung in ladder.rungs] == [  # type: ignore[union-attr]
        ("junior", "Junior", 15),
        ("senior", "Senior", 35),
    ]
