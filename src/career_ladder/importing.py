"""`ladder import`: a ladder file from what a team already keeps: the tidy table `export -f csv`
writes (the round trip), a matrix sheet (rung titles across, competency areas down), or Markdown
pages with YAML front matter.

Each layout's reader gives a `Table`: the data of a ladder file, where each value came from, and
how a place is named in that input (`ladder.csv:12:3`, `Matrix!C7`, `product.md:34`). `imported`
checks the data exactly as a ladder file is checked, tells each problem at its place in the input,
and writes the YAML, which is read back and checked once more before anyone sees it.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from career_ladder.errors import BadArgument, LadderError, Loc, printable
from career_ladder.models import Ladder
from career_ladder.tidy import COLUMNS, Placed, Table, tidy_data

if TYPE_CHECKING:
    from career_ladder.models import Source
    from career_ladder.results import LadderView

MAX_INPUT_BYTES = 20 * 1024 * 1024  # a ladder file may be 2 MiB; its table, with repeated cells, more
WORKBOOKS = (".xlsx", ".xlsm")
# An imported ladder as resolved against the ladders in view, and the sources of its shared rungs.
Views = Callable[[Ladder], tuple["LadderView", dict[str, list["Source"]]]]
# What an input says against the ladder read from it, once that is known: a workbook's edited views.
Check = Callable[[Ladder], list["ImportProblem"]]


class ImportProblem(NamedTuple):
    """One thing wrong with the input, at its place there."""

    place: str
    code: str
    field: str
    message: str

    def __str__(self) -> str:
        field = f"{self.field}: " if self.field else ""
        return printable(f"{self.place}: {self.code}: {field}{self.message}")

    def as_dict(self) -> dict[str, str]:
        return self._asdict()


class ImportFailed(LadderError):
    """An input that gives no valid ladder, with every problem found in it."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = list(problems)
        more = len(self.problems) - 1
        super().__init__(f"{self.problems[0]}" + (f" (and {more} more)" if more else ""))


class Imported(NamedTuple):
    """A ladder read from another layout, checked, and its YAML."""

    ladder: Ladder
    text: str
    source: str
    layout: str
    kept_as_notes: list[str]
    stand_ins: list[str]
    warnings: list[str]  # what the input holds that was passed over, said once: a workbook's macros

    def to_dict(self) -> dict[str, Any]:
        return {
            "ladder": self.ladder.id,
            "source": self.source,
            "layout": self.layout,
            "rungs": len(self.ladder.rungs),
            "kept_as_notes": self.kept_as_notes,
            "stand_ins": self.stand_ins,
            "warnings": self.warnings,
        }


def import_path(
    path: Path,
    *,
    ladder_id: str | None = None,
    encoding: str | None = None,
    header_row: int | None = None,
    sheet: str | None = None,
    views: Views | None = None,
) -> Imported:
    """The ladder of the file `path` (`read_table`, then `imported`); a workbook's view sheets
    checked against it, drawn as resolved by `views`, and its macros said."""
    source = printable(str(path))
    if path.suffix.lower() in WORKBOOKS and not path.is_dir():
        read = read_workbook(path, ladder_id=ladder_id, header_row=header_row, sheet=sheet, views=views)
        return imported(read.table, source, check=read.check, warnings=read.warnings)
    return imported(
        read_table(path, ladder_id=ladder_id, encoding=encoding, header_row=header_row, sheet=sheet), source
    )


def read_table(
    path: Path,
    *,
    ladder_id: str | None = None,
    encoding: str | None = None,
    header_row: int | None = None,
    sheet: str | None = None,
) -> Table:
    """The ladder data in the file `path`, by its layout: a sheet of a workbook (.xlsx, .xlsm:
    `sheet`, else its Ladder sheet, its Matrix or its first; `read_workbook`), Markdown pages (a
    `.md` file or a folder); else a csv, the tidy table of `export -f csv` or a matrix, its header
    the first row with text (or `header_row`, 1-based)."""
    from career_ladder.markdown_import import is_pages

    name = printable(path.name)
    if path.suffix.lower() in WORKBOOKS and not path.is_dir():
        if encoding is not None:
            raise BadArgument("--encoding is for a csv or Markdown: the text of a workbook's cells is Unicode already")
        return read_workbook(path, ladder_id=ladder_id, header_row=header_row, sheet=sheet).table
    if sheet is not None:
        raise BadArgument(f"--sheet names a sheet of a workbook (.xlsx, .xlsm): {name} is not one")
    if path.suffix.lower() in (".xls", ".ods", ".numbers"):
        message = f"a {path.suffix.lower()} workbook: `ladder import` reads .xlsx (and csv): save it as .xlsx"
        raise ImportFailed([ImportProblem(name, "LDR530", "", message)])
    if is_pages(path):
        return _pages_table(path, ladder_id, encoding)
    text = _text(path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    # A line break inside a cell as Windows writes it is a line break, not a carriage return.
    records = [[cell.replace("\r\n", "\n").replace("\r", "\n") for cell in record] for record in reader]

    def place(row: int, column: int) -> str:
        return f"{name}:{row}:{column}"

    return table_of(records, place, name=name, ladder_id=ladder_id, header_row=header_row)


def table_of(
    records: Sequence[Sequence[str]],
    place: Callable[[int, int], str],
    *,
    name: str,
    ladder_id: str | None = None,
    header_row: int | None = None,
) -> Table:
    """The table of `records` (each row's cells as text, row 1 first): the tidy table of `export -f
    csv` when its header (the first row with text, or `header_row`, 1-based) names its columns, else
    a matrix."""
    header_at = next((index for index, record in enumerate(records) if any(cell.strip() for cell in record)), None)
    if header_row is not None and header_row < 1:
        raise LadderError(f"--header-row counts rows from 1, got {header_row}")
    if header_row is not None and header_row <= len(records):
        header_at = header_row - 1
    if header_at is None:
        raise ImportFailed([ImportProblem(place(1, 1), "LDR501", "", "the file holds no rows")])
    header = [cell.strip().lower() for cell in records[header_at]]
    if is_tidy(header):
        return _tidy_table(records, header_at, header, place, ladder_id)
    from career_ladder.matrix import matrix_table

    return matrix_table(records, place, name=name, header_row=header_row, ladder_id=ladder_id)


class WorkbookRead(NamedTuple):
    """A sheet of a workbook, read as a table, and what the workbook says beside it."""

    table: Table
    warnings: list[str]  # its macros, neither run nor kept
    check: Check | None  # for its Ladder sheet: which of the views drawn from it were edited


def read_workbook(
    path: Path,
    *,
    ladder_id: str | None = None,
    header_row: int | None = None,
    sheet: str | None = None,
    views: Views | None = None,
) -> WorkbookRead:
    """A sheet of a workbook (`workbook.read_sheet`), read as a csv's rows are; its Ladder sheet
    checked, once its ladder is known, against the views drawn from it (with `views`, as resolved)."""
    from career_ladder.tidy import guarded
    from career_ladder.workbook import Unreadable, read_sheet

    try:
        read = read_sheet(path, sheet=sheet)
    except Unreadable as error:
        raise ImportFailed([ImportProblem(error.place, error.code, "", error.why)]) from None
    grid = read.grid
    at = header_row - 1 if header_row is not None else next((i for i, row in enumerate(grid) if any(row)), None)
    header = [cell.strip().lower() for cell in grid[at]] if at is not None and 0 <= at < len(grid) else []
    tidy = at is not None and is_tidy(header) and "text" in header
    if at is not None and tidy:  # the csv reader takes the `'` off a text a spreadsheet would run: a cell has none
        column = header.index("text")
        for row in grid[at + 1 :]:
            if column < len(row):
                row[column] = guarded(row[column])
    table = table_of(grid, read.place, name=read.name, ladder_id=ladder_id, header_row=header_row)
    edits = read.edits if tidy else None

    def check(ladder: Ladder) -> list[ImportProblem]:
        found = edits(ladder, views) if edits else []
        return [ImportProblem(place, code, "", message) for place, code, message in found]

    table = table._replace(problems=[*read.problems, *table.problems])
    return WorkbookRead(table, read.warnings, check if edits else None)


def _pages_table(path: Path, ladder_id: str | None, encoding: str | None) -> Table:
    """Markdown pages with front matter (`markdown_import.py`), a page or a folder of them."""
    from career_ladder.markdown_import import read_pages

    read = read_pages(path, ladder_id=ladder_id, encoding=encoding, limit=MAX_INPUT_BYTES)
    if read.refused:
        raise ImportFailed([ImportProblem(read.place(p.row, p.column), p.code, "", p.message) for p in read.problems])
    return Table(
        read.data, read.positions, read.problems, read.place, "Markdown pages", read.kept_as_notes, read.stand_ins
    )


def _text(path: Path, encoding: str | None) -> str:
    """The file's text: one regular file, not over the limit, in UTF-8 (or `encoding`)."""
    shown = printable(str(path))
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not hang the reader
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            os.close(descriptor)
            raise _unreadable(path, "is a folder" if stat.S_ISDIR(mode) else "is not a regular file")
        with open(descriptor, "rb") as file:
            raw = file.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise _unreadable(path, f"cannot be read: {error.strerror or error}") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise _unreadable(path, f"is larger than the {MAX_INPUT_BYTES // 1024 // 1024} MiB an import reads")
    try:
        return raw.decode(encoding or "utf-8-sig")
    except LookupError:
        raise LadderError(f"no text encoding '{printable(encoding or '')}' (say utf-8, cp1252, latin-1)") from None
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        hint = "save it as CSV UTF-8, or name its encoding: --encoding cp1252"
        message = f"not {encoding or 'UTF-8'} text (byte 0x{raw[error.start]:02x}): {hint}"
        raise ImportFailed([ImportProblem(f"{shown}:{line}:{column}", "LDR501", "", message)]) from None


def _unreadable(path: Path, why: str) -> ImportFailed:
    return ImportFailed([ImportProblem(printable(str(path)), "LDR501", "", f"the input {why}")])


def _delimiter(text: str) -> str:
    """Commas, or the semicolons or tabs a spreadsheet in some languages writes; the rest of the
    dialect is the one spreadsheets write (the sniffer's guesses of quoting are not trusted)."""
    try:
        return csv.Sniffer().sniff(text[:65536], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def is_tidy(header: Sequence[str]) -> bool:
    """A tidy table names most of its columns as `export -f csv` does."""
    return sum(name in COLUMNS for name in header) >= len(COLUMNS) // 2


def _tidy_table(
    records: Sequence[Sequence[str]],
    header_at: int,
    header: list[str],
    place: Callable[[int, int], str],
    ladder_id: str | None,
) -> Table:
    from career_ladder.names import suggestion

    problems = []
    for index, name in enumerate(header):
        if name and name not in COLUMNS:
            hint = suggestion(name, list(COLUMNS)) or f": the columns are {', '.join(COLUMNS)}"
            problems.append(Placed(header_at + 1, index + 1, "LDR502", f"unknown column '{name}'{hint}"))
        elif name and header.index(name) != index:
            problems.append(Placed(header_at + 1, index + 1, "LDR502", f"a second column '{name}'"))
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        message = f"no column {', '.join(missing)}: a tidy table has {', '.join(COLUMNS)}"
        problems.append(Placed(header_at + 1, 1, "LDR502", message))
    if problems:
        raise ImportFailed([ImportProblem(place(p.row, p.column), p.code, "", p.message) for p in problems])
    order = [header.index(name) for name in COLUMNS]
    rows = [
        (number, [record[index] if index < len(record) else "" for index in order])
        for number, record in enumerate(records[header_at + 1 :], header_at + 2)
    ]
    read = tidy_data(rows, ladder_id)
    # Where each value is, as the file has its columns.
    positions = {loc: (row, order[column - 1] + 1) for loc, (row, column) in read.positions.items()}
    placed = [p._replace(column=order[p.column - 1] + 1) for p in read.problems]
    return Table(read.data, positions, placed, place, "tidy table")


def imported(table: Table, source: str, *, check: Check | None = None, warnings: Sequence[str] = ()) -> Imported:
    """The ladder of `table`, checked as a file is (then by `check`), and its YAML; ImportFailed with
    every problem, each at its place in the input. `warnings` go with it, to be said."""
    from career_ladder.loading import LoadedLadder, checked_ladder
    from career_ladder.validation import unsummarised
    from career_ladder.yamlfile import Document

    found = [ImportProblem(table.place(p.row, p.column), p.code, "", p.message) for p in table.problems]
    if found and not table.data:  # nothing read: the reader's problems say why
        raise ImportFailed(found)
    ladder_id = str(table.data.get("id") or "imported")
    document = Document(Path(f"{ladder_id}.yaml"), table.data, dict(table.positions))
    ladder, problems, _ = checked_ladder(document)
    if ladder is not None and not problems:  # what `validate` alone refuses too
        problems = list(unsummarised(LoadedLadder(ladder, document)))
    found += [ImportProblem(table.place(p.line, p.column), p.code, p.field, p.message) for p in problems]
    if ladder is not None and not found and check is not None:
        found = check(ladder)
    if ladder is None or found:
        raise ImportFailed(sorted(found, key=_reading_order))
    text = ladder_yaml(ladder, table, source)
    kept, stand_ins = list(table.kept_as_notes), list(table.stand_ins)
    return Imported(ladder, text, source, table.layout, kept, stand_ins, list(warnings))


def _reading_order(problem: ImportProblem) -> tuple[int, ...]:
    """Problems in the order of the input: by row (or line), then column; a sheet's cell (`C7`) by
    its row, then its column."""
    if cell := re.search(r"!\$?([A-Z]{1,3})\$?([0-9]+)$", problem.place):
        letters, row = cell.groups()
        return (int(row), sum(26**power * (ord(letter) - 64) for power, letter in enumerate(reversed(letters))))
    numbers = [int(part) for part in problem.place.replace("!", ":").split(":") if part.isdigit()]
    return tuple(numbers)


def ladder_yaml(ladder: Ladder, table: Table, source: str) -> str:
    """The ladder as a file a person edits: block YAML, each section (and rung) under a comment that
    says where in the input it came from; read back and checked before it is returned."""
    from career_ladder.loading import checked_ladder
    from career_ladder.yamlfile import block_yaml as dump
    from career_ladder.yamlfile import read_document

    def span(loc: Loc) -> str:
        cells = sorted(cell for at, cell in table.positions.items() if at[: len(loc)] == loc)
        if not cells:
            return ""
        first, last = table.place(*cells[0]), table.place(*cells[-1])
        return first if first == last else f"{first} to {last}"

    data = ladder.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    today = datetime.date.today().isoformat()
    parts = [
        f"# Imported from {source} ({table.layout}) by `ladder import` on {today}.\n"
        "# Check it with `ladder validate FILE`; `ladder diff` compares it with an earlier version.\n"
    ]
    for key, value in data.items():
        where = span((key,)) if isinstance(value, list | dict) else ""
        parts.append((f"\n# {key}: {where}\n" if where else "\n") if key != "id" else "")
        if key == "rungs":
            parts.append("rungs:\n")
            for index, rung in enumerate(value):
                rung_where = span(("rungs", index))
                parts.append(f"# {rung.get('id') or rung.get('shared')}: {rung_where}\n" if rung_where else "")
                parts.append(dump([rung]))
        else:
            parts.append(dump({key: value}))
    text = "".join(parts)
    again, problems, _ = checked_ladder(read_document(Path(f"{ladder.id}.yaml"), text))
    if again is None or problems or again.model_dump() != ladder.model_dump():
        raise LadderError(f"the YAML written for {printable(ladder.id)} does not read back the same: a bug of ours")
    return text
