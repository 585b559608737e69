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
import io
import os
import re
import stat
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, NamedTuple

from career_ladder.errors import BadArgument, InvalidLadder, LadderError, Loc, Problem, printable
from career_ladder.models import Ladder
from career_ladder.tidy import COLUMNS, Placed, Table
from career_ladder.tidy_import import tidy_data
from career_ladder.yamlfile import MAX_NODES

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
    context: Callable[[Path], Sequence[Problem]] | None = None,
) -> Imported:
    """The ladder of the file `path` (`read_table`, then `imported`); a workbook's view sheets
    checked against it, drawn as resolved by `views`, and its macros said; the file written checked
    among the other ladders by `context`."""
    source = printable(str(path))
    if path.suffix.lower() in WORKBOOKS and not path.is_dir():
        if encoding is not None:
            raise BadArgument("--encoding is for a csv or Markdown: the text of a workbook's cells is Unicode already")
        read = read_workbook(path, ladder_id=ladder_id, header_row=header_row, sheet=sheet, views=views)
        return imported(read.table, source, check=read.check, warnings=read.warnings, context=context)
    table = read_table(path, ladder_id=ladder_id, encoding=encoding, header_row=header_row, sheet=sheet)
    return imported(table, source, context=context)


def read_table(
    path: Path,
    *,
    ladder_id: str | None = None,
    encoding: str | None = None,
    header_row: int | None = None,
    sheet: str | None = None,
) -> Table:
    """The ladder data in the file `path`, by its layout (a workbook's: `read_workbook`): Markdown
    pages (a `.md` file or a folder); else a csv, the tidy table of `export -f csv` or a matrix, its
    header the first row with text (or `header_row`, 1-based)."""
    from career_ladder.markdown_import import is_pages

    name = printable(path.name)
    if sheet is not None:
        raise BadArgument(f"--sheet names a sheet of a workbook (.xlsx, .xlsm): {name} is not one")
    if path.suffix.lower() in (".xls", ".ods", ".numbers"):
        message = f"a {path.suffix.lower()} workbook: `ladder import` reads .xlsx (and csv): save it as .xlsx"
        raise ImportFailed([ImportProblem(name, "LDR530", "", message)])
    if is_pages(path):
        if header_row is not None:
            raise BadArgument("--header-row is for a csv or a sheet: Markdown pages have no header row")
        if encoding is not None:
            _codec(encoding)
        return _pages_table(path, ladder_id, encoding)
    text = _text(path, encoding)

    def place(row: int, column: int) -> str:
        return f"{name}:{row}:{column}"

    first, _, rest = text.partition("\n")
    delimiter = None
    if re.fullmatch(r"sep=.\r?", first):  # Excel's line naming the delimiter: a blank row in its place
        delimiter, text = first[4], "\n" + rest
    records = _records(text, delimiter or _delimiter(text), place)
    return table_of(records, place, name=name, ladder_id=ladder_id, header_row=header_row)


def _records(text: str, delimiter: str, place: Callable[[int, int], str]) -> list[list[str]]:
    """The csv's records; a line break inside a cell as Windows writes it is a line break."""
    csv.field_size_limit(MAX_INPUT_BYTES)  # a cell may be long: the models say how long a text may be
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [[cell.replace("\r\n", "\n").replace("\r", "\n") for cell in record] for record in reader]
    except csv.Error as error:
        raise ImportFailed([ImportProblem(place(reader.line_num, 1), "LDR501", "", f"not csv: {error}")]) from None


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
    if header_row is not None and header_row < 1:
        raise BadArgument(f"--header-row counts rows from 1, got {header_row}")
    if header_row is not None and header_row > len(records):
        raise BadArgument(f"--header-row {header_row}: {name} has {len(records)} rows")
    filled = [index for index, record in enumerate(records) if any(cell.strip() for cell in record)]
    if not filled:
        raise ImportFailed([ImportProblem(place(1, 1), "LDR501", "", "the file holds no rows")])
    if header_row is not None:
        header_at = header_row - 1
    else:  # a tidy table's header, under a heading a person or a program put above it, else the first row
        header_at = next((i for i in filled[:_HEADER_SEARCH] if is_tidy(_header(records[i]))), filled[0])
    header = _header(records[header_at])
    # Each row of a tidy table, each cell with text of a matrix, is a value at least: more than a
    # ladder file may hold is refused before a ladder is built of them.
    count = len(filled) if is_tidy(header) else sum(1 for record in records for cell in record if cell.strip())
    if count > MAX_NODES:
        what = "rows" if is_tidy(header) else "cells"
        message = f"{count:,} {what}: more values than the {MAX_NODES:,} a ladder file may hold"
        raise ImportFailed([ImportProblem(name, "LDR005", "", message)])
    if is_tidy(header):
        above = [i for i in filled if i < header_at]
        if above:
            message = "text above the table's header: a tidy table starts with its header (or give --header-row)"
            raise ImportFailed([ImportProblem(place(above[0] + 1, 1), "LDR502", "", message)])
        return _tidy_table(records, header_at, header, place, ladder_id)
    from career_ladder.matrix import matrix_table

    return matrix_table(records, place, name=name, header_row=header_row, ladder_id=ladder_id)


_HEADER_SEARCH = 5  # rows in which a tidy table's header is looked for


def _header(record: Sequence[str]) -> list[str]:
    return [cell.strip().lower() for cell in record]


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
        return raw.decode(_codec(encoding))
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))  # Excel's "Unicode Text"
        hint = "--encoding utf-16" if utf16 else "save it as CSV UTF-8, or name its encoding: --encoding cp1252"
        message = f"not {encoding or 'UTF-8'} text (byte 0x{raw[error.start]:02x} on line {line}): {hint}"
        raise ImportFailed([ImportProblem(printable(path.name), "LDR501", "", message)]) from None


def _codec(encoding: str | None) -> str:
    """The codec of `--encoding` (UTF-8 with or without a byte-order mark by default); BadArgument
    for a name Python knows no codec of."""
    import codecs

    if encoding is None or encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        return "utf-8-sig"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise BadArgument(f"no text encoding '{printable(encoding)}' (say utf-8, cp1252, latin-1, utf-16)") from None
    return encoding


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
    for number, record in enumerate(records[header_at + 1 :], header_at + 2):
        for index, cell in enumerate(record):
            if cell.strip() and (index >= len(header) or not header[index]):
                message = "a cell under no column name: name its column, or move what it says into one"
                problems.append(Placed(number, index + 1, "LDR502", message))
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


def imported(
    table: Table,
    source: str,
    *,
    check: Check | None = None,
    warnings: Sequence[str] = (),
    context: Callable[[Path], Sequence[Problem]] | None = None,
) -> Imported:
    """The ladder of `table`, checked as a file is (then by `check`: a workbook's edited views), and
    its YAML; ImportFailed with every problem, each at its place in the input. `context` checks the
    file written among the other ladders (as `validate FILE` does), for what one file cannot say
    alone: an `extends` or a shared rung. `warnings` go with it, to be said."""
    from career_ladder.loading import LoadedLadder, checked_ladder
    from career_ladder.validation import unsummarised
    from career_ladder.yamlfile import Document

    found = [ImportProblem(table.place(p.row, p.column), p.code, "", p.message) for p in table.problems]
    if found and not table.data:  # nothing read: the reader's problems say why
        raise ImportFailed(found)
    ladder_id = str(table.data.get("id") or "imported")
    if "id" not in table.data:
        found.append(
            ImportProblem(table.place(1, 1), "LDR505", "", "no ladder id: fill the `ladder` column, or give --id")
        )
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
    if context is not None:
        _check_among_others(text, ladder.id, table, context)
    kept, stand_ins = list(table.kept_as_notes), list(table.stand_ins)
    return Imported(ladder, text, source, table.layout, kept, stand_ins, list(warnings))


def _check_among_others(text: str, ladder_id: str, table: Table, context: Callable[[Path], Sequence[Problem]]) -> None:
    """The file written, checked with the other ladders; each problem told at the input's place of
    the value it is about (the place in the file mapped back through the data)."""
    import tempfile

    from career_ladder.yamlfile import read_document

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{ladder_id}.yaml"
        path.write_text(text, encoding="utf-8")
        problems = context(path)
        at = {position: loc for loc, position in read_document(path).positions.items()}
    found = []
    for problem in problems:
        loc = at.get((problem.line, problem.column), ())
        nearest = next((loc[:end] for end in range(len(loc), -1, -1) if loc[:end] in table.positions), None)
        cell = table.positions[nearest] if nearest is not None else (1, 1)
        found.append(ImportProblem(table.place(*cell), problem.code, problem.field, problem.message))
    if found:
        raise ImportFailed(sorted(found, key=_reading_order))


def _reading_order(problem: ImportProblem) -> tuple[int, ...]:
    """Problems in the order of the input: by row (or line), then column; a sheet's cell (`C7`) by
    its row, then its column."""
    if cell := re.search(r"!\$?([A-Z]{1,3})\$?([0-9]+)$", problem.place):
        letters, row = cell.groups()
        return (int(row), sum(26**power * (ord(letter) - 64) for power, letter in enumerate(reversed(letters))))
    return tuple(int(number) for number in re.findall(r":([0-9]+)", problem.place))


def ladder_yaml(ladder: Ladder, table: Table, source: str) -> str:
    """The ladder as a file a person edits: block YAML, each section (and rung) under a comment that
    says where in the input it came from; read back and checked before it is returned."""
    from career_ladder.loading import checked_ladder
    from career_ladder.yamlfile import MAX_BYTES, read_document
    from career_ladder.yamlfile import block_yaml as dump

    def span(loc: Loc) -> str:
        cells = sorted(cell for at, cell in table.positions.items() if at[: len(loc)] == loc)
        if not cells:
            return ""
        first, last = table.place(*cells[0]), table.place(*cells[-1])
        return first if first == last else f"{first} to {last}"

    data = ladder.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    parts = [
        f"# Imported from {PurePath(source).name} ({table.layout}) by `ladder import`.\n"
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
    if len(text.encode("utf-8")) > MAX_BYTES:
        message = f"the ladder would be larger than the {MAX_BYTES // 1024 // 1024} MiB a ladder file may be"
        raise ImportFailed([ImportProblem(source, "LDR002", "", message)])
    try:
        again, problems, _ = checked_ladder(read_document(Path(f"{ladder.id}.yaml"), text))
    except InvalidLadder as error:  # more values than a ladder file may hold (LDR005)
        raise ImportFailed([ImportProblem(source, p.code, "", p.message) for p in error.problems]) from None
    if again is None or problems or again.model_dump() != ladder.model_dump():
        raise LadderError(f"the YAML written for {printable(ladder.id)} does not read back the same: a bug of ours")
    return text
