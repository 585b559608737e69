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
from career_ladder.tidy import COLUMNS, Placed, tidy_data

if TYPE_CHECKING:
    from career_ladder.models import Source
    from career_ladder.results import LadderView

# An imported ladder as resolved against the ladders in view, and the sources of its shared rungs.
Views = Callable[[Ladder], tuple["LadderView", dict[str, list["Source"]]]]

MAX_INPUT_BYTES = 20 * 1024 * 1024  # a ladder file may be 2 MiB; its table, with repeated cells, more
WORKBOOKS = (".xlsx", ".xlsm")


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


class Table(NamedTuple):
    """What a reader makes of its input: a ladder file's data, where each value came from (a row
    and a column, or a line), and the problems it met reading it."""

    data: dict[str, Any]
    positions: dict[Loc, tuple[int, int]]
    problems: list[Placed]
    place: Callable[[int, int], str]  # a row and column as the input's user names them
    layout: str  # what was read: "tidy table", "matrix", "Markdown pages"
    kept_as_notes: Sequence[str] = ()  # what had no field of its own, kept in a note: "place: what"
    stand_ins: Sequence[str] = ()  # fields the input gives no text for, written as saying so: to replace
    unit: tuple[str, str] = ("row", "rows")  # what `place` counts, for the comments of the YAML
    warnings: Sequence[str] = ()  # what the reader passed over, to be said once: a workbook's macros
    check: Callable[[Ladder], list[ImportProblem]] | None = None  # what the input says against its ladder


class Imported(NamedTuple):
    """A ladder read from another layout, checked, and its YAML."""

    ladder: Ladder
    text: str
    source: str
    layout: str
    kept_as_notes: list[str]
    stand_ins: list[str]
    warnings: list[str]

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


def read_table(
    path: Path,
    *,
    ladder_id: str | None = None,
    encoding: str | None = None,
    header_row: int | None = None,
    sheet: str | None = None,
    views: Views | None = None,
) -> Table:
    """The table in the file `path`: a sheet of a workbook (.xlsx, .xlsm; `sheet`, else its Ladder
    sheet, its Matrix or its first), else a csv. `views` draws an imported ladder as resolved, for a
    workbook's view sheets to be checked against it."""
    name = printable(path.name)
    suffix = path.suffix.lower()
    if suffix in WORKBOOKS:
        if encoding is not None:
            raise BadArgument("--encoding is for a csv: the text of a workbook's cells is Unicode already")
        return _workbook_table(path, ladder_id=ladder_id, header_row=header_row, sheet=sheet, views=views)
    if sheet is not None:
        raise BadArgument(f"--sheet names a sheet of a workbook (.xlsx, .xlsm): {name} is read as a csv")
    if suffix in (".xls", ".ods", ".numbers"):
        message = f"a {suffix} workbook: `ladder import` reads .xlsx (and csv): save it as .xlsx"
        raise ImportFailed([ImportProblem(name, "LDR530", "", message)])
    text = _text(path, encoding)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))

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


def _workbook_table(
    path: Path, *, ladder_id: str | None, header_row: int | None, sheet: str | None, views: Views | None
) -> Table:
    """The table of a sheet of a workbook (`workbook.read_sheet`), as a csv's rows are read; its
    Ladder sheet checked against the views drawn from it, once its ladder is known."""
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
    if (
        at is not None and tidy
    ):  # the csv reader takes the `'` off a text a spreadsheet would run (`'=x`): a cell has none
        column = header.index("text")
        for row in grid[at + 1 :]:
            if column < len(row):
                row[column] = guarded(row[column])
    table = table_of(grid, read.place, name=read.name, ladder_id=ladder_id, header_row=header_row)
    edits = read.edits if tidy else None

    def check(ladder: Ladder) -> list[ImportProblem]:
        return (
            [ImportProblem(place, code, "", message) for place, code, message in edits(ladder, views)] if edits else []
        )

    problems = [*read.problems, *table.problems]
    return table._replace(problems=problems, warnings=read.warnings, check=check if edits else None)


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
            meant = suggestion(name, list(COLUMNS))
            hint = f" (did you mean '{meant}'?)" if meant else f": the columns are {', '.join(COLUMNS)}"
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


def imported(table: Table, source: str) -> Imported:
    """The ladder of `table`, checked as a file is, and its YAML; ImportFailed with every problem,
    each at its place in the input."""
    from career_ladder.loading import LoadedLadder, checked_ladder
    from career_ladder.validation import unsummarised
    from career_ladder.yamlfile import Document

    ladder_id = str(table.data.get("id") or "imported")
    document = Document(Path(f"{ladder_id}.yaml"), table.data, dict(table.positions))
    ladder, problems, _ = checked_ladder(document)
    if ladder is not None and not problems:  # what `validate` alone refuses too
        problems = list(unsummarised(LoadedLadder(ladder, document)))
    found = [ImportProblem(table.place(p.row, p.column), p.code, "", p.message) for p in table.problems]
    found += [ImportProblem(table.place(p.line, p.column), p.code, p.field, p.message) for p in problems]
    if ladder is not None and not found and table.check is not None:
        found = table.check(ladder)
    if ladder is None or found:
        raise ImportFailed(sorted(found, key=_reading_order))
    text = ladder_yaml(ladder, table, source)
    kept, stand_ins = list(table.kept_as_notes), list(table.stand_ins)
    return Imported(ladder, text, source, table.layout, kept, stand_ins, list(table.warnings))


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
    import yaml

    from career_ladder.loading import checked_ladder
    from career_ladder.yamlfile import read_document

    class Plain(yaml.SafeDumper):
        """Each value written out where it stands (no `&anchors`); a list of ids or short names on
        one line, as the ladder files write `sources: [handbook]`."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

        def represent_list(self, data: Any) -> Any:
            short = all(isinstance(item, str) and len(item) <= 40 for item in data) and len(data) <= 8
            return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=bool(data) and short)

    Plain.add_representer(list, Plain.represent_list)

    def dump(value: Any) -> str:
        return yaml.dump(value, Dumper=Plain, sort_keys=False, allow_unicode=True, width=100)

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
