"""Tables for people and formats for programs, safe whatever the data holds."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from career_ladder.catalog import Catalog
from career_ladder.currencies import amount_text, figure_text
from career_ladder.datadirs import DataDir, builtin_dir
from career_ladder.errors import unsafe_character
from career_ladder.models import SalaryFigure
from career_ladder.queries import compare, salary, show_ladder, show_rung
from career_ladder.render.compare import render_comparison
from career_ladder.render.ladders import render_ladder, render_rung
from career_ladder.render.output import Column, Page, console, json_text, render
from career_ladder.render.progress import ProgressBar
from career_ladder.render.salary import render_salary
from career_ladder.results import Format
from conftest import drawn_cells, minimal_ladder, regional_ladder


@pytest.fixture(autouse=True)
def fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (150221, "USD", "$150,221"),
        (2650000, "INR", "₹26.5 lakh"),
        (25000000, "INR", "₹2.5 crore"),
        (90000, "INR", "₹90,000"),
        (1234.5, "EUR", "€1,234.5"),
        (5000, "CHF", "5,000 CHF"),
    ],
)
def test_amounts_are_written_as_their_currency_is(amount: float, currency: str, text: str) -> None:
    assert amount_text(amount, currency) == text


def test_range_and_average_texts() -> None:
    assert figure_text(SalaryFigure(currency="USD", min=83350, max=133305, sources=["s"])) == "$83,350 – $133,305"
    assert figure_text(SalaryFigure(currency="INR", average=2650000, sources=["s"])) == "₹26.5 lakh average"


def hostile_catalog(tmp_path: Path, write_ladder: Callable[..., Path]) -> Catalog:
    data = minimal_ladder("evil")
    data["rungs"][0]["title"] = "[red]Boss[/red]  [link=http://x]link[/link]"
    data["rungs"][0]["summary"] = "[bold]Not bold.[/bold] " + "Supercalifragilistic" * 8
    write_ladder(tmp_path, data)
    return Catalog([DataDir(tmp_path, "t")])


def test_markup_in_data_is_printed_as_written(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    out = io.StringIO()
    render_ladder(show_ladder(hostile_catalog(tmp_path, write_ladder), "evil"), Format.table, out)
    assert "[red]Boss[/red]" in out.getvalue() and "[link=http://x]" in out.getvalue()
    assert "[bold]Not" in out.getvalue()


ESCAPES = "a\x1b]8;;http://x\x07link\x1b]8;;\x07 \x1b[2J\x9b31m\u202eb\u2028c"


@pytest.mark.parametrize("fmt", list(Format))
def test_escape_sequences_never_reach_the_terminal_in_any_format(fmt: Format) -> None:
    out = io.StringIO()
    render([{"path": ESCAPES, "n": [ESCAPES]}], [Column("path", "Path"), Column("n", "N")], fmt, out)
    text = out.getvalue()
    assert unsafe_character(text) is None, repr(text)
    assert "link" in text


@pytest.mark.parametrize("width", [20, 33, 80, 200])
def test_long_words_and_wide_tables_render_at_any_width(
    tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    catalog = hostile_catalog(tmp_path, write_ladder)
    out = io.StringIO()
    render_ladder(show_ladder(catalog, "evil"), Format.table, out, detail=True)
    render_rung(show_rung(catalog, "evil", "junior"), Format.table, out)
    assert max(len(line) for line in out.getvalue().splitlines()) <= width
    assert "Supercalifragilistic" in out.getvalue()  # wrapped, not cut


def test_table_snapshot_at_a_fixed_width(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("demo"))
    out = io.StringIO()
    render_ladder(show_ladder(Catalog([DataDir(tmp_path, "t")]), "demo"), Format.table, out)
    assert drawn_cells(out.getvalue()) == drawn_cells(SNAPSHOT)
    assert len(drawn_cells(SNAPSHOT)) == 7  # a row per line: nothing wraps at this width


SNAPSHOT = """\
Demo demo (demo)
┏━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Level ┃ Rung              ┃ Scope       ┃ Salary                   ┃
┡━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ 10    │ Junior Thing (JT) │ Starts out. │ no figure in the sources │
│ 20    │ Senior Thing (ST) │ Leads.      │ $100 – $200 [s]          │
└───────┴───────────────────┴─────────────┴──────────────────────────┘
Promotions: junior → senior
One rung in full: ladder show demo junior
The ladder as a whole: ladder about demo
"""


def test_a_table_of_the_first_rows_says_how_to_see_the_rest() -> None:
    out = io.StringIO()
    render([{"n": i} for i in range(3)], [Column("n", "N")], Format.table, out, total=7)
    assert out.getvalue().splitlines()[-1] == "… 4 more rows: use --limit 0 to see every row"


def test_markdown_escapes_pipes_and_newlines() -> None:
    out = io.StringIO()
    render([{"a": "x | y\nz"}], [Column("a", "A")], Format.markdown, out)
    assert out.getvalue() == "| A |\n|---|\n| x \\| y<br>z |\n"


def test_salary_chart_shares_one_axis_per_currency() -> None:
    catalog = Catalog([DataDir(builtin_dir(), "built-in")])
    out = io.StringIO()
    render_salary(salary(catalog, "manager", ladder="tpm"), Format.table, out)
    text = out.getvalue()
    assert "Salary ranges in USD, on one axis" in text
    bars = [line for line in text.splitlines() if line.startswith("tpm:") and "━" in line]
    assert len(bars) == 3
    assert "└$83,350" in text and text.rstrip().endswith("$185,000")


def test_two_currencies_are_never_drawn_on_one_axis(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, regional_ladder("one"))
    write_ladder(tmp_path, regional_ladder("two"))
    out = io.StringIO()
    render_salary(salary(Catalog([DataDir(tmp_path, "t")]), "senior"), Format.table, out)
    text = out.getvalue()
    assert "Salary ranges in USD, on one axis" in text and "Salary ranges in INR, on one axis" in text


def test_no_chart_for_a_single_range() -> None:
    catalog = Catalog([DataDir(builtin_dir(), "built-in")])
    out = io.StringIO()
    render_salary(salary(catalog, "director"), Format.table, out)
    assert "on one axis" not in out.getvalue()  # one figure, shared by two ladders


def test_comparison_table_keeps_gaps_as_empty_cells() -> None:
    catalog = Catalog([DataDir(builtin_dir(), "built-in")])
    out = io.StringIO()
    render_comparison(compare(catalog, ["pm", "tpm"]), Format.csv, out)
    rows = out.getvalue().splitlines()
    assert rows[0] == "level,left_id,left_salary,right_id,right_salary,lane"
    assert "35,group-pm,no figure in the sources,,," in rows


@pytest.mark.parametrize("width", [20, 30, 45, 60])
def test_narrow_screens_keep_every_value_and_fit(monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    catalog = Catalog([DataDir(builtin_dir(), "built-in")])
    out = io.StringIO()
    render_salary(salary(catalog, "technical", ladder="tpm"), Format.table, out)
    render_comparison(compare(catalog, ["pm", "tpm"]), Format.table, out)
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= width
    squeezed = text.replace("\n", "").replace(" ", "").replace("│", "")
    for value in ("$83,350", "$133,305", "$185,000", "(GPM)", "tpm-career-path"):
        assert value in squeezed


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_shows_on_a_terminal_once_past_its_delay_and_then_goes_away() -> None:
    screen = Terminal()
    bar = ProgressBar(screen, delay=0)
    bar(3, 10)
    assert "reading ladders" in screen.getvalue() and "3/10" in screen.getvalue()
    bar(10, 10)
    assert screen.getvalue().endswith("\x1b[?25h\r\x1b[1A\x1b[2K")  # the cursor back, the bar's line cleared


@pytest.mark.parametrize("screen", [io.StringIO(), Terminal()], ids=["pipe", "fast run on a terminal"])
def test_no_progress_bar_on_a_pipe_or_before_its_delay(screen: io.StringIO) -> None:
    bar = ProgressBar(screen, delay=0 if not screen.isatty() else 60)
    bar(3, 10)
    bar.close()
    assert screen.getvalue() == ""


def test_an_interrupted_progress_bar_is_taken_off_the_screen() -> None:
    screen = Terminal()
    bar = ProgressBar(screen, delay=0)
    bar(3, 10)
    bar.close()
    assert screen.getvalue().endswith("\x1b[?25h\r\x1b[1A\x1b[2K")


@pytest.mark.parametrize("width", [24, 40, 100])
def test_a_wrapped_list_item_stays_indented_under_its_text(width: int) -> None:
    out = io.StringIO()
    screen = console(out)
    screen.width = width
    page = Page(screen)
    page.bullet("one two three four five six seven eight nine ten eleven twelve " * 3, indent=4, mark="–")
    page.line("after")
    page.show()
    first, *rest, last = out.getvalue().splitlines()
    assert first.startswith("    – one two")
    assert rest and all(line.startswith("      ") and line[6] != " " for line in rest)
    assert max(len(line) for line in (first, *rest)) <= width
    assert last == "after"


def test_json_gives_a_list_one_record_a_line_and_an_object_indented() -> None:
    records = [{"id": "a", "aliases": ["x", "y"], "note": "₹ \x1b"}, {"id": "b", "aliases": [], "note": None}]
    text = json_text(records)
    assert text.splitlines() == [
        "[",
        '  {"id": "a", "aliases": ["x", "y"], "note": "₹ \\u001b"},',
        '  {"id": "b", "aliases": [], "note": null}',
        "]",
    ]
    assert json.loads(text) == records
    assert json_text([]) == "[]\n"
    assert json_text({"rows": records}).splitlines()[:2] == ["{", '  "rows": [']


def test_json_escapes_delete_and_direction_characters_in_ascii_and_other_lines() -> None:
    records = [{"path": "a\x7fb"}, {"path": "₹\u202e"}, {"path": "plain"}]
    assert json_text(records).splitlines()[1:4] == [
        '  {"path": "a\\u007fb"},',
        '  {"path": "₹\\u202e"},',
        '  {"path": "plain"}',
    ]
    assert "\\u007f" in json_text({"path": "a\x7fb"})


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text()
)
RECORDS = st.lists(
    st.dictionaries(
        st.text(),
        st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.dictionaries(st.text(), SCALARS, max_size=2)),
        min_size=1,
        max_size=4,
    ),
    max_size=5,
)


@given(RECORDS)
@example([{'a}, {"b': '}, {"c', "d": ['}, {"', "x\ny"]}, {"e": None}])
@example([{"a": [{"b": 1}, {"c": 2}]}, {"d": {"e": '}, {"'}}])
@example([{"a": [{"x": 1}, {"y": 2}]}, {}])
@example([{"a": 1}, '}, {"b', [{"c": 1}, {"d": 2}], None])
def test_a_json_list_has_each_record_on_its_own_line_whatever_its_text(records: list[object]) -> None:
    text = json_text(records)
    assert json.loads(text) == records
    lines = text.splitlines()
    if records:
        assert lines[0] == "[" and lines[-1] == "]"
        assert [json.loads(line.removeprefix("  ").removesuffix(",")) for line in lines[1:-1]] == records
    else:
        assert lines == ["[]"]


@pytest.mark.parametrize(("role", "region"), [("director", None), ("tpm", None), ("senior", "india"), ("cpo", None)])
def test_salary_json_is_the_records_as_any_json_list_is_written(
    role: str, region: str | None, tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    shares = minimal_ladder("sharing", transitions=[])
    shares["rungs"] = [shares["rungs"][0], {"shared": "pm:director"}, {"shared": "pm:cpo"}]
    write_ladder(tmp_path, shares)
    write_ladder(tmp_path, regional_ladder())
    report = salary(Catalog([DataDir(builtin_dir(), "built-in"), DataDir(tmp_path, "t")]), role, region=region)
    assert report.rows
    out = io.StringIO()
    render_salary(report, Format.json, out)
    written = json.loads(out.getvalue())
    assert written == [row.record() for row in report.rows]
    assert {row["shared"] for row in written if row["ladder"] == "sharing"} <= {"pm:director", "pm:cpo"}
    assert all(set(row) >= {"ladder", "rung", "currency", "min", "max", "sources"} for row in written)
