"""`ladder export -f xlsx` and `ladder import` of a workbook: the sheets as a person sees them, the
round trip through the Ladder sheet, views edited by hand, hostile workbooks, and a real spreadsheet
program reading what is written."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from openpyxl.chart import BarChart, Reference

from career_ladder import Ladders
from career_ladder.assessment import item_key
from career_ladder.datadirs import examples_dir
from career_ladder.errors import BadArgument
from career_ladder.importing import ImportFailed
from career_ladder.render.workbook import DRAWN, XLSX_EXTRA
from career_ladder.tidy import COLUMNS, tidy_rows
from career_ladder.workbook import MAX_RATIO, MAX_UNPACKED_BYTES, MAX_WORKBOOK_BYTES, read_sheet
from career_ladder.yamlfile import block_yaml
from conftest import minimal_ladder, regional_ladder, run
from test_import import ladders as generated_ladders

SHEETS = ["Matrix", "Rungs", "Pay", "Sources", "Self-assessment", "Ladder"]
# Each ladder the round trip is shown for: its id, and the options that bring it into view.
ROUND_TRIPS = [
    ("pm", ()),
    ("tpm", ()),
    ("acme", ("--examples",)),
    ("globex", ("--examples",)),
    ("acme", ("--examples", "--data-dir", str(examples_dir() / "proposed"))),
]
ROUND_TRIP_IDS = ["pm", "tpm", "acme", "globex", "proposed-acme"]


def exported(target: Path, ladder: str, *options: str) -> Path:
    code, _, err = run(*options, "export", ladder, "-f", "xlsx", "-o", str(target))
    assert code == 0, err
    assert err == f"wrote {target}\n"
    return target


def values(path: Path, sheet: str) -> list[list[Any]]:
    book = openpyxl.load_workbook(path)
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def ladders_of(options: tuple[str, ...]) -> Ladders:
    extra = [options[index + 1] for index, option in enumerate(options) if option == "--data-dir"]
    return Ladders(extra, examples="--examples" in options)


# --- the sheets ------------------------------------------------------------------------------------


def test_a_workbook_has_its_six_sheets_the_views_protected_and_drawn_from_the_ladder_sheet(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(exported(tmp_path / "acme.xlsx", "acme", "--examples"))
    assert book.sheetnames == SHEETS
    for name in ("Matrix", "Rungs", "Pay", "Sources"):
        sheet = book[name]
        assert sheet.protection.sheet and not sheet.protection.password
        assert sheet["A1"].comment is not None and "drawn from the Ladder sheet" in sheet["A1"].comment.text
    for name in ("Self-assessment", "Ladder"):
        assert not book[name].protection.sheet
    assert book["Matrix"].freeze_panes == "B2" and book["Ladder"].freeze_panes == "A2"
    drawn = {prop.name: prop.value for prop in book.custom_doc_props}[DRAWN]
    assert [pair.split("=")[0] for pair in drawn.split(";")] == ["Matrix", "Rungs", "Pay", "Sources"]


def test_the_matrix_has_rungs_across_in_level_order_and_a_statement_a_line(tmp_path: Path) -> None:
    path = exported(tmp_path / "acme.xlsx", "acme", "--examples")
    grid = values(path, "Matrix")
    view = Ladders(examples=True).ladder("acme")
    ordered = sorted(view.rungs, key=lambda placed: placed.rung.level)
    header = grid[0]
    assert header[0] == "Drawn from the Ladder sheet"
    assert [cell.splitlines()[0] for cell in header[1:]] == [placed.rung.title for placed in ordered]
    tracks = {track.id: track.name for track in view.ladder.parallel_tracks}
    for cell, placed in zip(header[1:], ordered, strict=True):
        assert f"level {placed.rung.level}" in cell.splitlines()[1]
        if placed.track:
            assert tracks[placed.track] in cell  # the tracks side by side show in the header
    labels = [row[0] for row in grid[1:]]
    area_names = [area.name for area in view.ladder.competencies]
    assert labels[:2] == ["Summary", "Responsibilities"] and labels[-1] == "Signals"
    assert [label for label in labels if label in area_names] == [
        name for name in area_names if name in labels
    ]  # one row per competency area, in the ladder's order
    area = view.ladder.competencies[0]
    row = grid[labels.index(area.name) + 1]
    for cell, placed in zip(row[1:], ordered, strict=True):
        points = placed.rung.expectations.get(area.id, [])
        assert (cell or "") == "\n".join(point.text for point in points)
    widths = [dimension.width for dimension in openpyxl.load_workbook(path)["Matrix"].column_dimensions.values()]
    assert widths and all(10 <= width <= 50 for width in widths)
    assert openpyxl.load_workbook(path)["Matrix"]["B3"].alignment.wrap_text


def test_the_views_show_the_ladder_as_resolved_an_overlay_merged_and_shared_rungs_filled_in(tmp_path: Path) -> None:
    globex = values(exported(tmp_path / "globex.xlsx", "globex", "--examples"), "Rungs")
    merged = Ladders(examples=True).ladder("globex")
    assert [row[0] for row in globex[1:]] == [placed.rung.id for placed in merged.rungs]
    own_rows = values(tmp_path / "globex.xlsx", "Ladder")
    assert len(own_rows) - 1 == len(tidy_rows(_own_data(merged.path)))  # the Ladder sheet is the overlay's file
    tpm = values(exported(tmp_path / "tpm.xlsx", "tpm"), "Rungs")
    director = next(row for row in tpm if row[0] == "director")
    assert director[-1] == "pm:director" and director[1] == "Director of Product" and director[8]


def _own_data(path: str) -> dict[str, Any]:
    from career_ladder.loading import read_ladder

    return read_ladder(Path(path)).ladder.model_dump(mode="json", by_alias=True, exclude_defaults=True)


@pytest.mark.parametrize(("ladder", "options"), ROUND_TRIPS, ids=ROUND_TRIP_IDS)
def test_the_ladder_sheet_is_exactly_the_tidy_rows_of_the_file(
    ladder: str, options: tuple[str, ...], tmp_path: Path
) -> None:
    rows = values(exported(tmp_path / f"{ladder}.xlsx", ladder, *options), "Ladder")
    own = tidy_rows(_own_data(ladders_of(options).ladder(ladder).path))
    assert rows[0] == list(COLUMNS)
    assert [tuple(cell or "" for cell in row) for row in rows[1:]] == [tuple(row) for row in own]


def test_pay_amounts_are_numbers_in_their_currency_format(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = regional_ladder("regional")
    data["rungs"][1]["salary"].append({"currency": "EUR", "min": 90000.5, "max": 120000, "sources": ["s"]})
    write_ladder(tmp_path / "data", data)
    path = tmp_path / "regional.xlsx"
    exported(path, "regional", "--data-dir", str(tmp_path / "data"))
    sheet = openpyxl.load_workbook(path)["Pay"]
    rows = list(sheet.iter_rows(min_row=1))
    header = [cell.value for cell in rows[0]]
    assert header[:6] == ["rung", "title", "currency", "min", "max", "average"] and header[-1] == "source titles"
    junior, usd, inr, eur = rows[1:]
    assert junior[10].value == "no figure in the sources" and junior[3].value is None
    assert (usd[3].value, usd[4].value, usd[3].number_format) == (100, 200, '"$"#,##0')
    assert (inr[5].value, inr[5].number_format, inr[8].value) == (2650000, '"₹"#,##0', "India")
    assert (eur[3].value, eur[3].number_format, eur[4].number_format) == (90000.5, '#,##0.00 "EUR"', '#,##0 "EUR"')
    assert usd[12].value == "A source" and usd[11].value == "s"


def test_pay_not_published_is_a_row_that_says_so(tmp_path: Path) -> None:
    rows = values(exported(tmp_path / "acme.xlsx", "acme", "--examples"), "Pay")
    assert len(rows) == 1 + len(Ladders(examples=True).ladder("acme").rungs)
    assert all(row[10].startswith("not published by Acme") and row[2] is None for row in rows[1:])


def test_sources_are_listed_with_those_of_the_shared_rungs_ladder(tmp_path: Path) -> None:
    rows = values(exported(tmp_path / "tpm.xlsx", "tpm"), "Sources")
    assert rows[0] == ["ladder", "id", "title", "publisher", "date", "url", "covers"]
    ladders = Ladders()
    expected = [("tpm", s.id) for s in ladders.ladder("tpm").ladder.sources]
    expected += [("pm", s.id) for s in ladders.ladder("pm").ladder.sources]
    assert [(row[0], row[1]) for row in rows[1:]] == expected


def test_the_self_assessment_holds_each_item_keyed_as_an_assessment_keys_it(tmp_path: Path) -> None:
    path = exported(tmp_path / "pm.xlsx", "pm")
    sheet = openpyxl.load_workbook(path)["Self-assessment"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["rung", "title", "key", "section", "area", "text", "sources", "status", "evidence"]
    view = Ladders().ladder("pm")
    senior = next(placed for placed in view.rungs if placed.rung.id == "senior-pm")
    expected = [item_key("pm.senior-pm", "responsibilities", None, p) for p in senior.rung.responsibilities]
    expected += [item_key("pm.senior-pm", "skills", None, p) for p in senior.rung.skills]
    expected += [item_key("pm.senior-pm", "signals", None, p) for p in senior.rung.signals]
    assert [row[2] for row in rows if row[0] == "senior-pm"] == expected and expected
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"met,partly,not-yet"'
    assert validation.showErrorMessage and validation.showInputMessage
    assert str(validation.sqref) == f"H2:H{len(rows)}"
    assert not sheet.protection.sheet


HOSTILE = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "'=quoted already", '=HYPERLINK("http://x")']


def test_no_text_of_the_data_is_ever_a_formula_and_each_comes_back_as_written(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = minimal_ladder("odd")
    data["summary"] = HOSTILE[0]
    data["rungs"][0]["title"] = HOSTILE[1]
    data["rungs"][0]["summary"] = HOSTILE[2]
    data["rungs"][0]["responsibilities"] = [{"text": text, "sources": ["s"]} for text in HOSTILE]
    data["sources"][0]["title"] = HOSTILE[3]
    write_ladder(tmp_path / "data", data)
    path = exported(tmp_path / "odd.xlsx", "odd", "--data-dir", str(tmp_path / "data"))
    book = openpyxl.load_workbook(path)
    texts = set()
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                texts.add(cell.value)
    assert set(HOSTILE) <= texts
    assert "\n".join(HOSTILE) in texts  # the Matrix cell of them, a statement a line
    with zipfile.ZipFile(path) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist() if name.endswith(".xml"))
    result = Ladders([tmp_path / "data"]).import_file(path)
    assert result.ladder.model_dump() == Ladders([tmp_path / "data"]).ladder("odd").ladder.model_dump()


# --- writing ---------------------------------------------------------------------------------------


def test_a_workbook_needs_a_file_and_goes_into_a_pipe_but_never_to_a_terminal(
    tmp_path: Path, terminal: Callable[..., Any]
) -> None:
    code, out, err = run("export", "pm", "-f", "xlsx")
    assert (code, out) == (2, "") and err == (
        "ladder: a workbook is binary: write it to a file with -o FILE (or -o - into a pipe)\n"
    )
    piped = subprocess.run(
        [sys.executable, "-m", "career_ladder", "export", "pm", "-f", "xlsx", "-o", "-"],
        capture_output=True,
        check=False,
        cwd=tmp_path,
    )
    assert piped.returncode == 0 and piped.stderr == b""
    assert openpyxl.load_workbook(io.BytesIO(piped.stdout)).sheetnames == SHEETS
    shown = terminal("export", "pm", "-f", "xlsx", "-o", "-")
    shown.expect("a workbook is binary")
    assert shown.finish()[0] == 2


def test_a_workbook_is_written_whole_over_a_file_and_never_over_a_ladder(tmp_path: Path) -> None:
    target = tmp_path / "pm.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    exported(target, "pm")
    assert target.read_bytes()[:2] == b"PK" and (target.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["pm.xlsx"]  # no temporary file left
    data = tmp_path / "data"
    data.mkdir()
    code, _, err = run("--data-dir", str(data), "export", "pm", "-f", "xlsx", "-o", str(data / "x.yaml"))
    assert code == 2 and "is a ladder file of the data directory" in err and not (data / "x.yaml").exists()


def test_without_openpyxl_each_xlsx_path_says_how_to_install_it_in_one_line(tmp_path: Path) -> None:
    book = exported(tmp_path / "pm.xlsx", "pm")
    hide = (
        "import sys; sys.modules['openpyxl'] = None; from career_ladder.cli import main; sys.argv[0] = 'ladder'; main()"
    )
    for args in (["export", "pm", "-f", "xlsx", "-o", "out.xlsx"], ["import", str(book), "-o", "-"]):
        ran = subprocess.run(
            [sys.executable, "-c", hide, *args], capture_output=True, text=True, check=False, cwd=tmp_path
        )
        assert (ran.returncode, ran.stdout, ran.stderr) == (2, "", f"ladder: {XLSX_EXTRA}\n")
    assert "pip install 'career-ladder[xlsx]'" in XLSX_EXTRA and not (tmp_path / "out.xlsx").exists()


def test_the_api_gives_a_workbook_as_bytes_and_says_so_to_export() -> None:
    data = Ladders().workbook("pm")
    assert data[:2] == b"PK"
    with pytest.raises(BadArgument, match=r"Ladders\.workbook"):
        Ladders().export("pm", fmt="xlsx")


# --- the round trip --------------------------------------------------------------------------------


@pytest.mark.parametrize(("ladder", "options"), ROUND_TRIPS, ids=ROUND_TRIP_IDS)
def test_a_workbook_comes_back_with_no_change_through_the_api(
    ladder: str, options: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # outside the repository
    ladders = ladders_of(options)
    book = tmp_path / f"{ladder}.xlsx"
    book.write_bytes(ladders.workbook(ladder))
    result = ladders.import_file(book)
    assert result.layout == "tidy table" and result.warnings == [] and result.stand_ins == []
    written = ladders.write_import(result)
    assert written.path == Path(f"{ladder}.yaml")
    assert ladders.diff(ladders.ladder(ladder).path, str(written.path)).changes == []


@pytest.mark.parametrize(("ladder", "options"), ROUND_TRIPS, ids=ROUND_TRIP_IDS)
def test_a_workbook_comes_back_with_no_change_through_the_command_line(
    ladder: str, options: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    exported(tmp_path / "book.xlsx", ladder, *options)
    code, _, err = run(*options, "import", "book.xlsx", "-o", f"{ladder}.yaml")
    assert code == 0, err
    assert err.startswith(f"wrote {ladder}.yaml: ladder {ladder}, ") and err.endswith("(tidy table)\n")
    original = ladders_of(options).ladder(ladder).path
    code, out, _ = run("diff", original, f"{ladder}.yaml")
    assert (code, out.strip().splitlines()[-1]) == (0, "No change: the two ladders hold the same data.")


# --- views edited by hand --------------------------------------------------------------------------


def edited(source: Path, target: Path, edit: Callable[[Any], None], *, keep_digests: bool = True) -> Path:
    book = openpyxl.load_workbook(source)
    edit(book)
    if not keep_digests:
        book.custom_doc_props = type(book.custom_doc_props)()
    book.save(target)
    return target


def _retitle_apm(book: Any) -> None:
    for row in book["Ladder"].iter_rows(min_row=2):
        if (row[1].value, row[4].value) == ("apm", "title"):
            row[8].value = "Associate PM"


def test_an_edited_view_is_a_problem_at_its_first_edited_cell(tmp_path: Path) -> None:
    book = exported(tmp_path / "pm.xlsx", "pm")

    def matrix(book: Any) -> None:
        book["Matrix"]["C4"] = "typed here"

    def pay(book: Any) -> None:
        book["Pay"]["K3"] = "a note of mine"

    with pytest.raises(ImportFailed) as failed:
        Ladders().import_file(edited(book, tmp_path / "m.xlsx", lambda b: (matrix(b), pay(b))))
    assert [str(problem) for problem in failed.value.problems] == [
        "m.xlsx:Pay!K3: LDR531: edited, but the Pay sheet is drawn from the Ladder sheet: edit the Ladder sheet, "
        "or undo the edit",
        "m.xlsx:Matrix!C4: LDR531: edited, but the Matrix is drawn from the Ladder sheet: edit the Ladder sheet, "
        "or delete the Ladder sheet to import the Matrix alone",
    ]


def test_without_its_digests_only_the_ladder_sheet_is_read_and_that_is_said(tmp_path: Path) -> None:
    """Gnumeric drops a workbook's custom properties: an edit of the Ladder sheet saved there must
    still import, and an edit of a view cannot be told from a view left behind."""
    book = exported(tmp_path / "pm.xlsx", "pm")

    def both(book: Any) -> None:
        _retitle_apm(book)
        book["Matrix"]["C4"] = "typed here"

    result = Ladders().import_file(edited(book, tmp_path / "m2.xlsx", both, keep_digests=False))
    assert result.ladder.rungs[0].title == "Associate PM"  # type: ignore[union-attr]
    assert result.warnings == [
        "m2.xlsx has no digests of its views (Matrix, Rungs, Pay, Sources): only its Ladder sheet is read, "
        "and an edit of those sheets is not"
    ]


def test_an_edit_of_the_ladder_sheet_is_read_though_it_leaves_the_views_behind(tmp_path: Path) -> None:
    book = edited(exported(tmp_path / "pm.xlsx", "pm"), tmp_path / "e.xlsx", _retitle_apm)
    result = Ladders().import_file(book)
    assert result.ladder.rungs[0].title == "Associate PM"


def test_a_deleted_ladder_sheet_leaves_the_matrix_to_read_as_a_teams_matrix(tmp_path: Path) -> None:
    def without_ladder(book: Any) -> None:
        del book["Ladder"]

    book = edited(exported(tmp_path / "pm.xlsx", "pm"), tmp_path / "team.xlsx", without_ladder)
    result = Ladders().import_file(book)
    assert result.layout == "matrix" and len(result.ladder.rungs) == len(Ladders().ladder("pm").rungs)


# --- a team's matrix -------------------------------------------------------------------------------


def team_book(path: Path, rows: list[list[Any]], *, merged: tuple[str, ...] = (), title: str = "Matrix") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for area in merged:
        sheet.merge_cells(area)
    book.save(path)
    return path


def test_a_teams_matrix_is_read_with_merged_areas_in_each_cell_and_empty_rows_and_columns_passed_over(
    tmp_path: Path,
) -> None:
    rows = [
        ["Acme product ladder, 2026", None, None, None, None],
        [None, None, None, None, None],
        [None, "Junior PM", None, "Senior PM", "Lead PM"],
        ["Execution", "Ships what the team plans.", None, None, "Ships across teams."],
        [None, None, None, None, None],
        ["Influence", "Informs the team.", None, "Leads the room.", None],
        ["Strategy", "- Learns the roadmap\n- Asks why", None, "Owns a roadmap", "Sets direction"],
    ]
    # The heading stays in its cell; a statement merged across two rungs is each one's.
    book = team_book(tmp_path / "team.xlsx", rows, merged=("A1:E1", "D6:E6"))
    grid = read_sheet(book).grid
    assert grid[0] == ["Acme product ladder, 2026"] and grid[5][3:5] == ["Leads the room.", "Leads the room."]
    result = Ladders().import_file(book, ladder_id="acme-pm")
    rungs = {rung.id: rung for rung in result.ladder.rungs}
    assert list(rungs) == ["junior-pm", "senior-pm", "lead-pm"]
    assert [p.text for p in rungs["lead-pm"].expectations["influence"]] == ["Leads the room."]
    assert [p.text for p in rungs["junior-pm"].expectations["strategy"]] == ["Learns the roadmap", "Asks why"]


def test_a_label_merged_down_rows_names_each_of_them(tmp_path: Path) -> None:
    rows = [[None, "Junior", "Senior"], ["Execution", "Ships.", "Ships more."], [None, "Tests.", "Tests more."]]
    grid = read_sheet(team_book(tmp_path / "down.xlsx", rows, merged=("A2:A3",))).grid
    assert [row[0] for row in grid[1:]] == ["Execution", "Execution"]


def test_sheet_and_header_row_choose_what_is_read_and_places_name_the_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Read me first"])
    levels = book.create_sheet("Levels 2026")
    for row in (["Levels, as of 2026", "by HR"], [None, "Junior", "Junior"], ["Execution", "Ships.", "Ships."]):
        levels.append(row)
    book.save(tmp_path / "book.xlsx")
    with pytest.raises(ImportFailed) as failed:
        Ladders().import_file(tmp_path / "book.xlsx", sheet="levels 2026", header_row=2)
    assert str(failed.value.problems[0]).startswith("book.xlsx:'Levels 2026'!C2: LDR511: rung title 'Junior' again")
    with pytest.raises(BadArgument, match=r"no sheet 'Pay' in book\.xlsx: its sheets are Notes, Levels 2026"):
        Ladders().import_file(tmp_path / "book.xlsx", sheet="Pay")
    (tmp_path / "table.csv").write_text(",Junior\nExecution,Ships.\n", encoding="utf-8")
    code, _, err = run("import", str(tmp_path / "table.csv"), "--sheet", "Matrix")
    assert (code, err) == (2, "ladder: --sheet names a sheet of a workbook (.xlsx, .xlsm): table.csv is not one\n")


# --- hostile workbooks -----------------------------------------------------------------------------


def import_errors(path: Path) -> list[str]:
    code, out, err = run("import", str(path), "-o", "-")
    assert code == 1 and out == "" and "Traceback" not in err
    return err.splitlines()


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 50 MB workbook: its sheet stored, not packed, so that it is as large on disk."""
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + b" " * 50_000_000 + b"</sheetData>")
    assert path.stat().st_size > MAX_WORKBOOK_BYTES
    monkeypatch.setattr(zipfile.ZipFile, "__init__", _never)
    assert import_errors(path)[0] == (
        f"{path}: LDR530: is larger than the 20 MiB an import reads ({path.stat().st_size:,} bytes)"
    )


def _never(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("opened")


def test_a_zip_bomb_named_xlsx_is_refused_without_unpacking_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(40):  # 40 MiB of one byte: about 40 KiB packed
                part.write(b"\0" * 1024 * 1024)
    assert bomb.stat().st_size < 200_000
    monkeypatch.setattr(zipfile.ZipExtFile, "read", _never)  # nothing is unpacked
    monkeypatch.setattr(zipfile.ZipExtFile, "read1", _never)
    (line, *_) = import_errors(bomb)
    assert line.startswith("bomb.xlsx: LDR530: packs xl/worksheets/sheet1.xml ") and "a zip bomb?" in line
    huge = tmp_path / "huge.xlsx"  # declared sizes past the limit altogether, each packing little
    with zipfile.ZipFile(huge, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.xml", b"x")
    raw = bytearray(huge.read_bytes())
    central = raw.rindex(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (MAX_UNPACKED_BYTES + 1).to_bytes(4, "little")  # its uncompressed size
    huge.write_bytes(bytes(raw))
    assert "would unpack to more than 64 MiB (a.xml)" in import_errors(huge)[0]
    assert MAX_RATIO == 100


def test_a_part_that_lies_about_its_size_unpacks_no_further_than_it_says(tmp_path: Path) -> None:
    path = exported(tmp_path / "pm.xlsx", "pm")
    raw = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet6.xml"  # the Ladder sheet, said to be 1,000 bytes unpacked
    for signature, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):  # the central and the local header
        start = 0
        while (found := raw.find(signature, start)) >= 0:
            header_name_at = found + (46 if signature == b"PK\x01\x02" else 30)
            if raw[header_name_at : header_name_at + len(name)] == name:
                raw[found + size_at : found + size_at + 4] = (1000).to_bytes(4, "little")
            start = found + 4
    (tmp_path / "liar.xlsx").write_bytes(bytes(raw))
    (line, *_) = import_errors(tmp_path / "liar.xlsx")
    assert line.startswith("liar.xlsx: LDR530: cannot be read as a workbook")


def test_a_file_that_is_no_zip_is_said_to_be_no_workbook(tmp_path: Path) -> None:
    (tmp_path / "table.xlsx").write_text("ladder,rung\npm,apm\n", encoding="utf-8")
    assert import_errors(tmp_path / "table.xlsx") == [
        "table.xlsx: LDR530: is not an xlsx workbook (a zip file): a csv's name ends in .csv",
        f"ladder: {tmp_path / 'table.xlsx'} gives no valid ladder: 1 problem",
    ]
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert "an old .xls workbook, or one locked with a password" in import_errors(tmp_path / "old.xlsx")[0]
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert import_errors(tmp_path / "old.xls")[0] == (
        "old.xls: LDR530: a .xls workbook: `ladder import` reads .xlsx (and csv): save it as .xlsx"
    )


def test_a_formula_is_never_run_and_is_a_problem_at_its_cell(tmp_path: Path) -> None:
    rows = [[None, "Junior", "Senior"], ["Execution", "=1+1", "Ships."], ["Influence", "=NA()", "Leads."]]
    book = team_book(tmp_path / "f.xlsx", rows)
    assert import_errors(book)[:-1] == [  # and no knock-on of a blank cell
        "f.xlsx:Matrix!B2: LDR532: a formula (=1+1), never run: its value is not data; type the text itself",
        "f.xlsx:Matrix!B3: LDR532: a formula (=NA()), never run: its value is not data; type the text itself",
    ]
    archive = zipfile.ZipFile(book)  # a cached error value, as a program that ran it saves one
    sheet = archive.read("xl/worksheets/sheet1.xml").replace(
        b'<c r="C3" t="inlineStr"><is><t>Leads.</t></is></c>', b'<c r="C3" t="e"><v>#REF!</v></c>'
    )
    assert b"#REF!" in sheet
    with zipfile.ZipFile(tmp_path / "e.xlsx", "w") as copy:
        for part in archive.infolist():
            copy.writestr(part, sheet if part.filename == "xl/worksheets/sheet1.xml" else archive.read(part))
    assert "e.xlsx:Matrix!C3: LDR533: an error value (#REF!): type the text" in import_errors(tmp_path / "e.xlsx")


def test_macros_are_neither_run_nor_kept_and_said_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    book = exported(tmp_path / "pm.xlsx", "pm")
    macro = tmp_path / "pm.xlsm"
    shutil.copy(book, macro)
    with zipfile.ZipFile(macro, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b'Sub AutoOpen()\nShell "calc"\nEnd Sub\n')
    code, _, err = run("import", str(macro), "-o", "pm.yaml")
    assert code == 0, err
    said = "ladder: warning: pm.xlsm holds macros: they were neither run nor kept; only its cells are read"
    assert err.splitlines()[0] == said and err.count("holds macros") == 1
    assert b"AutoOpen" not in Path("pm.yaml").read_bytes()


def test_an_empty_workbook_or_sheet_is_said_so(tmp_path: Path) -> None:
    team_book(tmp_path / "empty.xlsx", [])
    (line, *_) = import_errors(tmp_path / "empty.xlsx")
    assert line.startswith("empty.xlsx:Matrix!A1: LDR501: the file holds no rows")


@pytest.mark.slow
def test_a_large_workbook_is_read_in_bounded_memory(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    """A ladder of 60 rungs of 60 statements each: a Ladder sheet of over 10,000 rows. What the
    import allocates at its peak stays well under the workbook's size unpacked, many times over."""
    data = minimal_ladder("large")
    data["rungs"] = [
        {
            "id": f"rung-{index}",
            "title": f"Rung {index}",
            "level": index,
            "summary": "A rung.",
            "responsibilities": [
                {"text": f"Statement {item} of rung {index}, " * 4, "sources": ["s"]} for item in range(60)
            ],
            "sources": ["s"],
        }
        for index in range(1, 61)
    ]
    data["transitions"] = []
    write_ladder(tmp_path / "data", data)
    ladders = Ladders([tmp_path / "data"])
    book = tmp_path / "large.xlsx"
    book.write_bytes(ladders.workbook("large"))
    with zipfile.ZipFile(book) as archive:
        unpacked = sum(part.file_size for part in archive.infolist())
    tracemalloc.start()
    try:
        result = ladders.import_file(book)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(result.ladder.rungs) == 60
    print(f"workbook {book.stat().st_size:,} bytes, {unpacked:,} unpacked; import peak {peak:,} bytes")
    assert peak < 20 * unpacked


# --- a real spreadsheet program --------------------------------------------------------------------


# The spreadsheet programs the test reads a workbook with, by the commands each installs.
PROGRAMS = {"gnumeric": ("ssconvert",), "libreoffice": ("soffice", "libreoffice")}


def spreadsheet_program(name: str) -> list[str]:
    """The command of the program `name`; the test skips, saying how to install it, where it is not."""
    found = next((shutil.which(command) for command in PROGRAMS[name] if shutil.which(command)), None)
    if found is None:
        pytest.skip(
            f"no {name}: `apt-get install -y --no-install-recommends gnumeric` (or libreoffice-calc-nogui) "
            "to read the workbook in a spreadsheet program"
        )
    return [found]


def as_csv(program: list[str], book: Path, folder: Path) -> list[Path]:
    """Every sheet of `book` as a csv, in order, as the program reads it."""
    folder.mkdir()
    if Path(program[0]).name == "ssconvert":
        subprocess.run(
            [*program, "-S", str(book), str(folder / "sheet.csv")], capture_output=True, check=True, timeout=300
        )
        found = sorted(folder.glob("sheet.csv.*"), key=lambda path: int(path.suffix[1:]))
    else:
        options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"  # -1: every sheet
        env = {**os.environ, "HOME": str(folder)}
        subprocess.run(
            [*program, "--headless", "--convert-to", options, "--outdir", str(folder), str(book)],
            capture_output=True,
            check=True,
            timeout=300,
            env=env,
        )
        found = [folder / f"{book.stem}-{name}.csv" for name in SHEETS]
    assert len(found) == len(SHEETS), found
    return found


def resaved(program: list[str], book: Path, target: Path) -> Path:
    """`book` opened and saved as xlsx again by the program, as `target`."""
    if Path(program[0]).name == "ssconvert":
        subprocess.run([*program, str(book), str(target)], capture_output=True, check=True, timeout=300)
    else:
        env = {**os.environ, "HOME": str(target.parent)}
        subprocess.run(
            [*program, "--headless", "--convert-to", "xlsx", "--outdir", str(target.parent / "out"), str(book)],
            capture_output=True,
            check=True,
            timeout=300,
            env=env,
        )
        shutil.move(target.parent / "out" / book.name, target)
    return target


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PROGRAMS))
@pytest.mark.parametrize(("ladder", "options"), ROUND_TRIPS[:4], ids=ROUND_TRIP_IDS[:4])
def test_a_spreadsheet_program_reads_what_is_written_and_saves_what_imports_the_same(
    ladder: str, options: tuple[str, ...], name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each sheet as the program reads it (its csv export) is what was written: the Matrix's texts,
    Pay's numbers, the Ladder sheet's rows the tidy rows; the workbook saved again by it imports to
    the same ladder."""
    import csv

    program = spreadsheet_program(name)
    monkeypatch.chdir(tmp_path)
    ladders = ladders_of(options)
    book = tmp_path / f"{ladder}.xlsx"
    book.write_bytes(ladders.workbook(ladder))
    sheets = as_csv(program, book, tmp_path / "csv")

    def read(path: Path) -> list[list[str]]:
        with open(path, encoding="utf-8", newline="") as file:
            return [row for row in csv.reader(file)]

    written = {name: values(book, name) for name in SHEETS}
    for name, path in zip(SHEETS, sheets, strict=True):
        shown = read(path)
        expected = [[_as_shown(cell) for cell in row] for row in written[name]]
        width = max(len(row) for row in expected)
        assert [row + [""] * (width - len(row)) for row in shown] == expected, name
    own = tidy_rows(_own_data(ladders.ladder(ladder).path))
    assert [tuple(row) for row in read(sheets[-1])[1:]] == [tuple(row) for row in own]
    again = resaved(program, book, tmp_path / "again.xlsx")
    result = ladders.import_file(again)
    written_path = ladders.write_import(result).path
    assert ladders.diff(ladders.ladder(ladder).path, str(written_path)).changes == []


def _as_shown(value: Any) -> str:
    """A cell as a csv export writes it: numbers plainly, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_a_sheet_over_the_cell_limit_is_refused_as_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from career_ladder import workbook

    monkeypatch.setattr(workbook, "MAX_CELLS", 4)
    rows = [[None, "Junior", "Senior"], ["Execution", "Ships.", "Ships more."]]
    assert import_errors(team_book(tmp_path / "cells.xlsx", rows))[0] == (
        "cells.xlsx: LDR530: Matrix!C2: a sheet `ladder import` reads has at most 4 cells with text, "
        "in 100,000 rows by 1,000 columns"
    )
    monkeypatch.setattr(workbook, "MAX_CELLS", 6)  # a merged area fills its cells within the limit too
    rows = [[None, "Junior", "Senior", "Lead"], ["Execution", "Ships.", None, None]]
    assert (
        "its merged areas fill more than the 6 cells"
        in import_errors(team_book(tmp_path / "merged.xlsx", rows, merged=("B2:D2",)))[0]
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=generated_ladders())
def test_a_generated_ladder_comes_back_the_same_through_a_workbook(data: dict[str, Any], tmp_path: Path) -> None:
    from career_ladder.models import Ladder

    folder = tmp_path / "ladders"
    folder.mkdir(exist_ok=True)
    (folder / "gen.yaml").write_text(block_yaml(data), encoding="utf-8")  # quoted as our reader reads it
    book = tmp_path / "gen.xlsx"
    ladders = Ladders([folder], use_cache=False)
    book.write_bytes(ladders.workbook("gen"))
    again = ladders.import_file(book).ladder
    assert again.model_dump(mode="json", by_alias=True) == Ladder.model_validate(data).model_dump(
        mode="json", by_alias=True
    )


# --- what a review of the workbooks found ---------------------------------------------------------


def import_problem(path: Path, **options: Any) -> str:
    with pytest.raises(ImportFailed) as failed:
        Ladders().import_file(path, **options)
    (problem,) = failed.value.problems
    return str(problem)


def test_a_damaged_sheet_is_one_line_not_a_crash(tmp_path: Path) -> None:
    book = exported(tmp_path / "pm.xlsx", "pm")
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part.filename)
            target.writestr(part.filename, data[: len(data) // 2] if part.filename.endswith("sheet6.xml") else data)
    assert import_problem(damaged).startswith("damaged.xlsx: LDR530: cannot be read as a workbook: ")


def test_a_chart_sheet_is_passed_over_and_cannot_be_named(tmp_path: Path) -> None:
    path = tmp_path / "chart.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Matrix"
    book["Matrix"].append(["", "Junior", "Senior"])
    book["Matrix"].append(["Execution", "Ships", "Leads"])
    chart = BarChart()
    chart.add_data(Reference(book["Matrix"], min_col=2, min_row=1, max_col=3, max_row=1))
    book.create_chartsheet("Chart", 0).add_chart(chart)
    book.save(path)
    assert [rung.id for rung in Ladders().import_file(path).ladder.rungs] == ["junior", "senior"]
    with pytest.raises(BadArgument, match="is a chart: name a sheet of cells"):
        Ladders().import_file(path, sheet="chart")


def test_a_hidden_sheet_and_a_lower_case_ladder_sheet(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Lists"
    book["Lists"].append(["Level", "Band"])
    book["Lists"].sheet_state = "hidden"
    team = book.create_sheet("Levels")
    team.append(["", "Junior", "Senior"])
    team.append(["Execution", "Ships", "Leads"])
    book.save(path)
    assert [rung.id for rung in Ladders().import_file(path).ladder.rungs] == ["junior", "senior"]

    def lower(book: Any) -> None:
        book["Ladder"].title = "renamed"  # openpyxl numbers a title that differs from one in case alone
        book["renamed"].title = "ladder"

    renamed = edited(exported(tmp_path / "pm.xlsx", "pm"), tmp_path / "r.xlsx", lower)
    assert Ladders().import_file(renamed).layout == "tidy table"


def test_a_view_sheet_cannot_be_imported_as_a_matrix(tmp_path: Path) -> None:
    book = exported(tmp_path / "pm.xlsx", "pm")
    with pytest.raises(BadArgument, match=r"the Pay sheet of pm\.xlsx is drawn from its Ladder sheet"):
        Ladders().import_file(book, sheet="pay")


def test_options_for_other_inputs_are_usage_errors(tmp_path: Path) -> None:
    book = exported(tmp_path / "pm.xlsx", "pm")
    assert run("import", str(book), "--encoding", "cp1252")[0] == 2
    page = tmp_path / "p.md"
    page.write_text("---\ntitle: P\nlevels: 1\ntopics: [{name: a, content: [{level: 1, criteria: [x]}]}]\n---\n")
    assert run("import", str(page), "--encoding", "nope")[0] == 2
    assert run("import", str(page), "--header-row", "3")[0] == 2


def test_a_ladder_near_the_most_values_a_file_may_hold_round_trips(tmp_path: Path) -> None:
    data = minimal_ladder("big")
    data["rungs"][0]["responsibilities"] = [{"text": f"Duty number {n}.", "sources": ["s"]} for n in range(7500)]
    folder = tmp_path / "ladders"
    folder.mkdir()
    (folder / "big.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    ladders = Ladders([folder])
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"big.{fmt}"
        path.write_bytes(ladders.workbook("big") if fmt == "xlsx" else ladders.export("big", fmt="csv").encode())
        assert len(ladders.import_file(path).ladder.rungs[0].responsibilities) == 7500  # type: ignore[union-attr]


def test_a_text_no_workbook_can_hold_is_refused_where_it_is_written() -> None:
    from career_ladder.models import Ladder

    with pytest.raises(ValueError, match=r"LDR104"):
        Ladder.model_validate(minimal_ladder(summary="A summary with \ufffe inside."))


def test_many_tall_merged_areas_are_refused_before_they_are_filled() -> None:
    from career_ladder.workbook import Unreadable, _fill_merged

    grid: list[list[Any]] = [["x"] * 50 for _ in range(1000)]
    areas = [(1, 1, 50, 1000 - n) for n in range(20_000 // 1000 * 50)]
    with pytest.raises(Unreadable, match="merged areas span more rows"):
        _fill_merged(grid, areas, 400_000, "bomb.xlsx")


@pytest.mark.slow
def test_rows_of_styled_empty_cells_far_right_are_read_in_seconds(tmp_path: Path) -> None:
    """A sheet of 100,000 rows each holding one empty cell at column XFD: openpyxl would pad every
    row out to 16,384 cells (82 s); read to column 1,001 only, it takes seconds."""
    base = tmp_path / "base.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Matrix"
    book.active.append(["", "Junior", "Senior"])
    book.active.append(["Execution", "Ships", "Leads"])
    book.save(base)
    bomb = tmp_path / "bomb.xlsx"
    rows = "".join(f'<row r="{r}"><c r="XFD{r}"/></row>' for r in range(3, 100_003))
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
            target.writestr(part.filename, data)
    assert [rung.id for rung in Ladders().import_file(bomb).ladder.rungs] == ["junior", "senior"]
