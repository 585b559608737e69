"""`ladder import` of a workbook (.xlsx, .xlsm): one sheet read into a grid of texts, then read as
a csv's rows are (`importing.table_of`): the tidy table of the Ladder sheet that `export -f xlsx`
writes (the round trip), or a team's matrix.

What a workbook may hold that a csv cannot, and what becomes of it:

- Its size is checked before anything is unpacked: the file (`MAX_WORKBOOK_BYTES`), then the sizes its
  zip declares, alone, together and against their packed size (`MAX_UNPACKED_BYTES`,
  `MAX_RATIO`): a zip bomb is refused unopened. Python's zipfile never unpacks a part past the
  size declared for it, so a part that lies about its size fails its own check.
- Cells are read by openpyxl in read-only mode, a row at a time; at most `MAX_CELLS` cells with
  text, at most `MAX_ROWS` rows by `MAX_COLUMNS` columns.
- A formula is never run: openpyxl reads its text, and the cell is a problem at its place (LDR532),
  since its value is not data; so is an error value such as `#REF!` (LDR533).
- A merged area's value stands in every cell of it: an area's name merged down three rows names
  each of them. Empty rows and columns are passed over.
- Macros (.xlsm) are never run nor kept: the cells are read, and a warning says so once.
- Read from a workbook `export -f xlsx` wrote, the Matrix, Rungs, Pay and Sources sheets are drawn
  again from the imported ladder: one edited by hand (its digest is not the one written) is a
  problem at its first cell that differs (LDR531), since the Ladder sheet is what is read.
"""

from __future__ import annotations

import datetime
import io
import os
import stat
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from career_ladder.errors import BadArgument, LadderError, env_flag, printable
from career_ladder.render.workbook import DRAWN, LADDER, VIEWS, cell_text, digest, openpyxl_module, trimmed
from career_ladder.tidy import Placed

if TYPE_CHECKING:
    from career_ladder.importing import Views
    from career_ladder.models import Ladder

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024  # the file, as a csv's limit (`importing.MAX_INPUT_BYTES`)
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # every part of the zip together (the largest ladder's workbook: 8 MB)
MAX_RATIO = 100  # how many times its packed size a part may unpack to (a sheet's XML packs 5 to 20 times)
MAX_PARTS = 10_000
MAX_CELLS = 400_000  # the Ladder sheet of the largest ladder a file may hold: 50,000 values, about 6 cells each
MAX_ROWS, MAX_COLUMNS = 100_000, 1_000
MAX_MERGE_WORK = 4 * MAX_CELLS  # cells looked at to fill merged areas (each area along its rows)

Grid = list[list[Any]]


class Unreadable(LadderError):
    """A workbook that is not read at all: not one, too large, locked; `place` is the file."""

    def __init__(self, place: str, why: str) -> None:
        self.place, self.code, self.why = place, "LDR530", why
        super().__init__(f"{place}: {self.code}: {why}")


# What a workbook's views say against the ladder read from its Ladder sheet: each problem's place,
# code and message, given the ladder and how to draw it as resolved.
Edits = Callable[["Ladder", "Views | None"], list[tuple[str, str, str]]]


class Sheet(NamedTuple):
    """One sheet of a workbook, read: its cells' texts by row (row 1 first), and what else it says."""

    grid: list[list[str]]
    problems: list[Placed]  # formulas and error values, at their cells
    place: Callable[[int, int], str]  # a cell as a spreadsheet names it: `book.xlsx:Matrix!C7`
    name: str  # `book.xlsx:Matrix`
    warnings: list[str]  # said once: the macros it holds, never run
    edits: Edits | None  # for the Ladder sheet of a workbook with views: which were edited


def read_sheet(path: Path, *, sheet: str | None = None) -> Sheet:
    """One sheet of the workbook `path`: `sheet`, else its Ladder sheet, else its Matrix, else its
    first. Unreadable for a file that is no workbook or is over the limits; BadArgument for a sheet
    it does not have."""
    name = printable(path.name)
    raw = _bytes(path)
    archive = _archive(raw, name)
    macros = any(part.filename.lower().endswith("vbaproject.bin") for part in archive.infolist())
    said = [f"{name} holds macros: they were neither run nor kept; only its cells are read"] if macros else []
    openpyxl = openpyxl_module()
    with warnings.catch_warnings():  # openpyxl's word on parts it drops (an extension, a style) is not ours
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
        except Exception as error:  # a damaged part: whichever of many errors the parser meets
            if env_flag("LADDER_DEBUG"):
                raise
            raise Unreadable(
                name, f"cannot be read as a workbook: {printable(str(error)) or type(error).__name__}"
            ) from None
        try:
            digests = _digests(book)
            chosen = _chosen(book, sheet, name, drawn_views=bool(digests))
            grid, problems = _grid(book, archive, chosen, name)
            edits = None
            views = [view for view in VIEWS if view in book.sheetnames]
            if chosen == LADDER and views and digests:
                drawn = {view: _values(book, archive, view, name) for view in views}
                edits = _edits(drawn, digests, name)
            elif chosen == LADDER and views:  # a program that saved it dropped them, or a team named its sheets so
                said.append(
                    f"{name} has no digests of its views ({', '.join(views)}): only its Ladder sheet is read, "
                    "and an edit of those sheets is not"
                )
        except (Unreadable, BadArgument):
            raise
        except Exception as error:  # a damaged sheet, read only now: whichever of many errors the parser meets
            if env_flag("LADDER_DEBUG"):
                raise
            raise Unreadable(
                name, f"cannot be read as a workbook: {printable(str(error)) or type(error).__name__}"
            ) from None
        finally:
            book.close()
            archive.close()
    return Sheet(grid, problems, _placer(name, chosen), f"{name}:{chosen}", said, edits)


def _bytes(path: Path) -> bytes:
    """The file's bytes: one regular file, not over `MAX_WORKBOOK_BYTES` (its size looked at first)."""
    name = printable(str(path))
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not hang the reader
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_WORKBOOK_BYTES:
            os.close(descriptor)
            if stat.S_ISREG(found.st_mode):
                limit = MAX_WORKBOOK_BYTES // 1024 // 1024
                raise Unreadable(name, f"is larger than the {limit} MiB an import reads ({found.st_size:,} bytes)")
            raise Unreadable(name, "is a folder" if stat.S_ISDIR(found.st_mode) else "is not a regular file")
        with open(descriptor, "rb") as file:
            raw = file.read(MAX_WORKBOOK_BYTES + 1)
    except OSError as error:
        raise Unreadable(name, f"cannot be read: {error.strerror or error}") from None
    if len(raw) > MAX_WORKBOOK_BYTES:  # grown since it was looked at
        raise Unreadable(name, f"is larger than the {MAX_WORKBOOK_BYTES // 1024 // 1024} MiB an import reads")
    return raw


def _archive(raw: bytes, name: str) -> zipfile.ZipFile:
    """The workbook's zip, its parts' declared sizes checked before any is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        ole = raw[:4] == b"\xd0\xcf\x11\xe0"  # what Excel writes for .xls, and for a workbook with a password
        why = "an old .xls workbook, or one locked with a password: save it as .xlsx, unlocked"
        raise Unreadable(
            name, f"is {why}" if ole else "is not an xlsx workbook (a zip file): a csv's name ends in .csv"
        ) from None
    if len(parts) > MAX_PARTS:
        raise Unreadable(
            name, f"holds {len(parts):,} parts: a workbook `ladder import` reads has at most {MAX_PARTS:,}"
        )
    total = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise Unreadable(name, "is encrypted: save it without a password first")
        total += part.file_size
        if part.file_size > MAX_UNPACKED_BYTES or total > MAX_UNPACKED_BYTES:
            limit = MAX_UNPACKED_BYTES // 1024 // 1024
            raise Unreadable(name, f"would unpack to more than {limit} MiB ({printable(part.filename)}): not unpacked")
        if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            ratio = part.file_size // max(part.compress_size, 1)
            message = f"packs {printable(part.filename)} {ratio:,} times (a zip bomb?): not unpacked"
            raise Unreadable(name, message)
    return archive


def _chosen(book: Any, sheet: str | None, name: str, drawn_views: bool) -> str:
    """The sheet to read: `sheet` (any case), else the Ladder sheet, else the Matrix, else the first
    visible sheet of cells (a chart or a hidden list of choices is no ladder)."""
    cells = [each.title for each in book.worksheets if getattr(each, "sheet_state", "visible") == "visible"]
    if sheet is None:
        named = {each.casefold(): each for each in reversed(book.sheetnames) if each in cells}
        found = named.get(LADDER.casefold()) or named.get("matrix") or (cells[0] if cells else None)
        if found is None:
            raise Unreadable(name, "has no sheet of cells to read")
        return str(found)
    found_all = [each for each in book.sheetnames if each == sheet] or [
        each for each in book.sheetnames if each.casefold() == sheet.casefold()
    ]
    if not found_all:
        listed = ", ".join(printable(each) for each in book.sheetnames)
        raise BadArgument(f"no sheet '{printable(sheet)}' in {name}: its sheets are {listed}")
    if found_all[0] not in [each.title for each in book.worksheets]:
        raise BadArgument(f"the sheet '{printable(found_all[0])}' of {name} is a chart: name a sheet of cells")
    if drawn_views and found_all[0] in VIEWS and found_all[0] != "Matrix":
        message = (
            f"the {found_all[0]} sheet of {name} is drawn from its Ladder sheet: import the Ladder sheet or the Matrix"
        )
        raise BadArgument(message)
    return str(found_all[0])


def _placer(name: str, sheet: str) -> Callable[[int, int], str]:
    """A cell as a spreadsheet names it: `book.xlsx:Matrix!C7`, `'Pay 2024'!B2`."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    shown = printable(quote_sheetname(sheet) if not sheet.replace("_", "").isalnum() else sheet)

    def place(row: int, column: int) -> str:
        return f"{name}:{shown}!{get_column_letter(column)}{row}"

    return place


def _grid(book: Any, archive: zipfile.ZipFile, sheet: str, name: str) -> tuple[list[list[str]], list[Placed]]:
    """The sheet's cells as texts, a merged area's value in each of its cells; each formula and
    error value a problem (its text kept, so that nothing else is told of its cell)."""
    values = _values(book, archive, sheet, name)
    problems: list[Placed] = []
    grid: list[list[str]] = []
    for row_number, row in enumerate(values, 1):
        texts = []
        for column, value in enumerate(row, 1):
            if isinstance(value, _Formula):
                message = f"a formula ({_short(value.text)}), never run: its value is not data; type the text itself"
                problems.append(Placed(row_number, column, "LDR532", message))
                value = value.text  # told: kept as written, so no knock-on of a blank cell is told too
            elif isinstance(value, _Error):
                problems.append(Placed(row_number, column, "LDR533", f"an error value ({value.text}): type the text"))
                value = value.text
            texts.append(_text(value))
        grid.append(texts)
    return grid, problems


class _Formula(str):
    """A cell's formula, as written: never run."""

    @property
    def text(self) -> str:
        return str(self)


class _Error(str):
    """A cell's error value: `#REF!`, `#N/A`."""

    @property
    def text(self) -> str:
        return str(self)


def _values(book: Any, archive: zipfile.ZipFile, sheet: str, name: str = "") -> Grid:
    """The values of the sheet's cells by row (row 1 first), up to its last cell with one; a merged
    area's value in every cell of it."""
    worksheet = book[sheet]
    worksheet.reset_dimensions()  # the size a sheet declares may lie: read the rows it has
    rows: dict[int, list[Any]] = {}
    cells = 0
    for row in worksheet.iter_rows(max_col=MAX_COLUMNS + 1):  # a row is not padded out to column XFD
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None or value == "":
                continue
            number, column = cell.row, cell.column
            cells += 1
            if cells > MAX_CELLS or number > MAX_ROWS or column > MAX_COLUMNS:
                where = f"{sheet}!{cell.coordinate}"
                limit = f"{MAX_CELLS:,} cells with text, in {MAX_ROWS:,} rows by {MAX_COLUMNS:,} columns"
                raise Unreadable(
                    name or sheet, f"{printable(where)}: a sheet `ladder import` reads has at most {limit}"
                )
            kind = getattr(cell, "data_type", "s")
            value = _Formula(value) if kind == "f" else _Error(value) if kind == "e" else value
            found = rows.setdefault(number, [])
            found += [None] * (column - len(found))
            found[column - 1] = value
    height = max(rows, default=0)
    grid: Grid = [rows.get(number, []) for number in range(1, height + 1)]
    part = getattr(worksheet, "_worksheet_path", None)  # openpyxl's read-only sheets keep no merged areas
    _fill_merged(grid, _merged(archive, part) if part else [], MAX_CELLS - cells, name or sheet)
    return grid


def _fill_merged(grid: Grid, areas: list[tuple[int, int, int, int]], room: int, name: str) -> None:
    """Each merged area's value in every cell of it, within the grid's rows and columns; but a
    heading (an area that is all its rows hold) stays in its first cell."""
    widest = max((len(row) for row in grid), default=0)
    areas = sorted(set(areas))
    looked_at = sum((min(high_row, len(grid)) - low_row + 1) * widest for _, low_row, _, high_row in areas)
    if looked_at > MAX_MERGE_WORK:  # each area looks along its rows: thousands of tall areas would take minutes
        raise Unreadable(name, f"its {len(areas):,} merged areas span more rows than a sheet `ladder import` reads")
    for low_column, low_row, high_column, high_row in areas:
        first = grid[low_row - 1] if low_row <= len(grid) else []
        value = first[low_column - 1] if low_column <= len(first) else None
        rows = range(low_row, min(high_row, len(grid)) + 1)
        columns = range(low_column, min(high_column, widest) + 1)
        beside = any(
            cell is not None and not low_column <= column <= high_column
            for number in rows
            for column, cell in enumerate(grid[number - 1], 1)
        )
        if value is None or not beside:
            continue
        room -= len(rows) * len(columns)
        if room < 0:
            raise Unreadable(name, f"its merged areas fill more than the {MAX_CELLS:,} cells a sheet may hold")
        for number in rows:
            row = grid[number - 1]
            row += [None] * (columns.stop - 1 - len(row))
            for column in columns:
                row[column - 1] = value


def _merged(archive: zipfile.ZipFile, part: str) -> list[tuple[int, int, int, int]]:
    """The merged areas of a sheet's XML part (its first and last column and row), read a row at a
    time: they come after its cells."""
    from xml.etree.ElementTree import ParseError, iterparse

    from openpyxl.utils.cell import range_boundaries

    areas: list[tuple[int, int, int, int]] = []
    try:
        with archive.open(part.lstrip("/")) as stream:
            for _, element in iterparse(stream):
                tag = element.tag.rpartition("}")[2]
                if tag == "mergeCell" and element.get("ref"):
                    low_column, low_row, high_column, high_row = range_boundaries(element.get("ref", ""))
                    areas.append((low_column or 1, low_row or 1, high_column or 1, high_row or 1))
                elif tag == "row":
                    element.clear()
    except (KeyError, ParseError, ValueError, TypeError):  # the cells were read; a damaged area is passed over
        return areas
    return areas


def _text(value: Any) -> str:
    """A cell's value as the text a csv would give: a date as YYYY-MM-DD, a number as written."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return cell_text(value)


def _short(text: str) -> str:
    line = " ".join(text.split())
    return printable(line if len(line) <= 40 else line[:39] + "…")


# --- the views of a workbook `export -f xlsx` wrote ------------------------------------------------


def _digests(book: Any) -> dict[str, str]:
    """The digest of each view as written (`render.workbook.DRAWN`): `Matrix=…;Rungs=…`."""
    written = next((prop.value for prop in getattr(book, "custom_doc_props", ()) if prop.name == DRAWN), "")
    pairs = (pair.partition("=") for pair in str(written or "").split(";"))
    return {sheet: value for sheet, _, value in pairs if sheet and value}


def _edits(drawn: dict[str, Grid], digests: dict[str, str], name: str) -> Edits:
    """What the views say against a ladder read from the Ladder sheet: each view neither as written
    (its digest) nor as the ladder draws it now was edited, a problem at its first cell that differs."""

    def edits(ladder: Ladder, views: Views | None) -> list[tuple[str, str, str]]:
        from career_ladder.render.workbook import view_grids

        expected: dict[str, Grid] = {}
        if views is not None:
            try:
                expected = dict(view_grids(*views(ladder)))
            except LadderError:  # the ladder it extends or shares from is not in view: by digest alone
                expected = {}
        found = []
        for sheet, values in drawn.items():
            now, redrawn = digest(values), expected.get(sheet)
            if now == digests.get(sheet) or (redrawn is not None and now == digest(redrawn)):
                continue  # as written (an edit of the Ladder sheet leaves it behind), or as drawn now
            if redrawn is None and sheet not in digests:
                continue  # nothing to tell an edit by
            row, column = _first_difference(values, redrawn) if redrawn is not None else (1, 1)
            which = "the Matrix" if sheet == "Matrix" else f"the {sheet} sheet"
            instead = "delete the Ladder sheet to import the Matrix alone" if sheet == "Matrix" else "undo the edit"
            message = f"edited, but {which} is drawn from the Ladder sheet: edit the Ladder sheet, or {instead}"
            found.append((_placer(name, sheet)(row, column), "LDR531", message))
        return found

    return edits


def _first_difference(found: Grid, drawn: Grid) -> tuple[int, int]:
    ours, theirs = trimmed(found), trimmed(drawn)
    for row in range(max(len(ours), len(theirs))):
        one = ours[row] if row < len(ours) else []
        other = theirs[row] if row < len(theirs) else []
        for column in range(max(len(one), len(other))):
            if (one[column] if column < len(one) else "") != (other[column] if column < len(other) else ""):
                return row + 1, column + 1
    return 1, 1
