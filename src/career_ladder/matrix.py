"""A matrix as teams write their ladder in a spreadsheet: rung titles across the first row,
competency areas down the first column, what each rung shows in each area in the cell where they
meet, one statement per line.

A row labelled `Responsibilities`, `Skills`, `Signals` or `Summary` fills that field of each rung
(as the Matrix sheet of `export -f xlsx` has them); every other row is a competency area. Rungs
take levels 10, 20, 30, ... in the order of the columns; the file is the ladder's one source.
Text above the title row is kept as the ladder's notes and listed; blank rows and columns are
passed over; a duplicate or blank title, or a statement in a column or row with no title, is a
problem at its cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import Any

from career_ladder.errors import Loc
from career_ladder.names import kebab, normalized
from career_ladder.tidy import Placed, Table, rows_text

LEVEL_STEP = 10
_LEVEL = re.compile(r"level ([0-9]{1,4})( · .*)?", re.IGNORECASE)  # the line under a title export -f xlsx writes
# Rows that fill a field of each rung rather than a competency area, by their label as compared.
_RUNG_FIELDS = {"responsibilities": "responsibilities", "skills": "skills", "signals": "signals", "summary": "summary"}
_RUNG_FIELDS |= {"readiness": "signals", "readinesssignals": "signals", "duties": "responsibilities"}
# A statement's bullet or number at the start of its line.
_BULLET = re.compile(r"^\s*(?:[-*•·‣◦]|\d{1,3}[.)])\s+")


def matrix_table(
    grid: Sequence[Sequence[str]],
    place: Callable[[int, int], str],
    *,
    name: str,
    header_row: int | None = None,
    ladder_id: str | None = None,
) -> Table:
    """The ladder of a matrix: `grid` holds the cells' text by row (row 1 first), `name` is the
    file (and sheet) it comes from, `header_row` (1-based) the row of rung titles when it is not
    the first row with any text."""
    return _Matrix(grid, place, name, ladder_id).read(header_row)


class _Matrix:
    def __init__(
        self, grid: Sequence[Sequence[str]], place: Callable[[int, int], str], name: str, ladder_id: str | None
    ):
        self.grid = [[(cell or "").strip() for cell in row] for row in grid]
        self.place = place
        self.name = name
        stem = PurePath(name.partition(":")[0]).stem
        self.ladder_id = ladder_id or kebab(stem) or "imported"
        self.source = kebab(stem) or "imported"
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.problems: list[Placed] = []
        self.kept: list[str] = []
        self.notes: list[dict[str, Any]] = []  # the ladder's: what has no other place
        self.stand_ins: list[str] = ["summary"]
        self.repeated: set[int] = set()  # the columns of a rung title given twice

    def read(self, header_row: int | None) -> Table:
        filled = [index for index, row in enumerate(self.grid) if any(row)]
        if header_row is not None:
            if not 1 <= header_row <= len(self.grid) or not any(self.grid[header_row - 1]):
                with_text = rows_text([index + 1 for index in filled]) if filled else "no row"
                message = f"row {header_row} holds no rung titles ({with_text} with text)"
                self.problems.append(Placed(max(1, min(header_row, len(self.grid))), 1, "LDR510", message))
                return self._table({})
            top = header_row - 1
        elif filled:  # the titles: a row with a blank first cell, or several cells (a heading fills one)
            top = next((i for i in filled if not self.grid[i][0] or sum(map(bool, self.grid[i])) > 1), filled[0])
        else:
            self.problems.append(Placed(1, 1, "LDR510", "the sheet is empty: rung titles go in the first row"))
            return self._table({})
        label_column = min(
            (row.index(next(c for c in row if c)) for row in self.grid[top + 1 :] if any(row)), default=0
        )
        self._above(top)
        rungs = self._rungs(top, label_column)
        if not rungs:
            return self._table({})
        data: dict[str, Any] = {
            "id": self.ladder_id,
            "name": PurePath(self.name.partition(":")[0]).stem,
            "summary": f"Imported from {self.name}: {len(rungs)} rungs, in the order of its columns.",
            "sources": [{"id": self.source, "title": self.name, "file": self.name}],
        }
        areas = self._rows(top, label_column, rungs, data)
        if areas:
            data["competencies"] = areas
        data["rungs"] = [rung for _, rung in rungs]
        for _, rung in rungs:
            if "summary" not in rung and (rung.get("responsibilities") or rung.get("expectations")):
                rung["summary"] = f"{rung['title']}, as {self.name} names it; the sheet gives no summary."
                self.stand_ins.append(f"rungs[{rung['id']}].summary")
        if self.notes:
            data["notes"] = self.notes
        self.positions[("id",)] = self.positions[("name",)] = (top + 1, label_column + 1)
        return self._table(data)

    def _table(self, data: dict[str, Any]) -> Table:
        return Table(data, self.positions, self.problems, self.place, "matrix", self.kept, self.stand_ins)

    def _above(self, top: int) -> None:
        """Text above the title row (a heading, a date): the ladder's notes, each listed."""
        for row_index in range(top):
            for column_index, cell in enumerate(self.grid[row_index]):
                if cell:
                    self._keep(row_index, column_index, cell)

    def _keep(self, row_index: int, column_index: int, cell: str) -> None:
        """A cell with no place in a ladder: one of its notes, and listed."""
        self.positions[("notes", len(self.notes))] = (row_index + 1, column_index + 1)
        self.notes.append({"text": cell, "sources": [self.source]})
        self.kept.append(f"{self.place(row_index + 1, column_index + 1)}: {_short(cell)}")

    def _rungs(self, top: int, label_column: int) -> list[tuple[int, dict[str, Any]]]:
        """Each titled column right of the labels: (its column, its rung)."""
        rungs: list[tuple[int, dict[str, Any]]] = []
        seen: dict[str, int] = {}  # by title as compared, its column
        idents: set[str] = set()
        for column, title in enumerate(self.grid[top]):
            if column <= label_column:
                if title:  # the heading of the area column (`Competency`), or a note beside it
                    self._keep(top, column, title)
                continue
            if not title:
                continue
            if normalized(title) in seen:
                first = self.place(top + 1, seen[normalized(title)] + 1)
                message = f"rung title '{title}' again (as {first}): each column is one rung"
                self.problems.append(Placed(top + 1, column + 1, "LDR511", message))
                self.repeated.add(column)  # its statements are told with it
                continue
            seen[normalized(title)] = column
            title, _, below = title.partition("\n")  # `Senior PM` over `level 30 · ic`, as export -f xlsx writes it
            title, below = title.strip(), below.strip()
            stated = _LEVEL.fullmatch(below)
            if below and not stated:  # `(L3, 0-2 years)` under a title: the note it is, listed
                self._keep(top, column, below)
            ident = _unique(kebab(title) or "rung", idents)
            loc = ("rungs", len(rungs))
            self.positions[loc] = self.positions[(*loc, "title")] = (top + 1, column + 1)
            level = int(stated.group(1)) if stated else LEVEL_STEP * (len(rungs) + 1)
            rungs.append((column, {"id": ident, "title": title, "level": level, "sources": [self.source]}))
        if not rungs:
            message = "no rung titles in this row: they go across it, right of the area names (or give --header-row N)"
            self.problems.append(Placed(top + 1, 1, "LDR510", message))
        return rungs

    def _rows(
        self, top: int, label_column: int, rungs: list[tuple[int, dict[str, Any]]], data: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The rows below the titles: a field of each rung, or a competency area."""
        areas: list[dict[str, Any]] = []
        seen: dict[str, int] = {}  # by label as compared, its first row
        last: dict[str, int] = {}  # by label, its last row
        keys: dict[str, str] = {}  # by label, its area's id or the rung's field
        idents: set[str] = set()
        titled = {column for column, _ in rungs}
        rung_at = {column: index for index, (column, _) in enumerate(rungs)}
        for row_index in range(top + 1, len(self.grid)):
            row = self.grid[row_index]
            label = row[label_column] if label_column < len(row) else ""
            for column, cell in enumerate(row):
                if cell and column > label_column and column not in titled | self.repeated:
                    message = "a statement in a column with no rung title: give the column a title in the title row"
                    self.problems.append(Placed(row_index + 1, column + 1, "LDR512", message))
            statements = [(column, row[column]) for column in sorted(titled) if column < len(row) and row[column]]
            if not label:
                if statements:
                    message = "statements in a row with no area name: name the area in its first cell"
                    self.problems.append(Placed(row_index + 1, label_column + 1, "LDR512", message))
                continue
            field = _RUNG_FIELDS.get(normalized(label))
            said = field or normalized(label)
            if said in seen and last[said] != row_index - 1:
                first = self.place(seen[said] + 1, label_column + 1)
                message = f"'{label}' again (as {first}): one row each, with one statement a line in its cells"
                self.problems.append(Placed(row_index + 1, label_column + 1, "LDR511", message))
                continue
            if said in seen:  # the row below, named alike: a label merged down several rows
                last[said] = row_index
                for column, cell in statements:
                    index = rung_at[column]
                    self._cell(rungs[index][1], ("rungs", index), field, keys[said], cell, (row_index + 1, column + 1))
                continue
            seen[said] = last[said] = row_index
            key = keys[said] = field or _unique(kebab(label) or "area", idents)
            if field is None:
                self.positions[("competencies", len(areas))] = (row_index + 1, label_column + 1)
                covers = f"What {self.name} names '{label}'; the sheet does not say more."
                areas.append({"id": key, "name": label, "covers": covers, "sources": [self.source]})
                self.stand_ins.append(f"competencies[{key}].covers")
            for column, cell in statements:
                index = rung_at[column]
                self._cell(rungs[index][1], ("rungs", index), field, key, cell, (row_index + 1, column + 1))
        return areas

    def _cell(
        self, rung: dict[str, Any], loc: Loc, field: str | None, area: str, cell: str, at: tuple[int, int]
    ) -> None:
        """A cell's statements, one a line, into its rung's field or area."""
        if field == "summary":
            rung["summary"] = f"{rung['summary']} {cell}" if "summary" in rung else cell
            self.positions[(*loc, "summary")] = at
            return
        if field is None:
            points = rung.setdefault("expectations", {}).setdefault(area, [])
            where: Loc = (*loc, "expectations", area)
        else:
            points = rung.setdefault(field, [])
            where = (*loc, field)
        for line in cell.splitlines():
            text = _BULLET.sub("", line).strip()
            if text:
                self.positions[(*where, len(points))] = at
                points.append({"text": text, "sources": [self.source]})


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 60 else line[:59] + "…"


def _unique(ident: str, taken: set[str]) -> str:
    """`ident`, or `ident-2`, `ident-3`, ... when two titles give one id (`Senior PM`, `senior-pm`)."""
    found, number = ident, 1
    while found in taken:
        number += 1
        found = f"{ident[: 64 - len(str(number)) - 1]}-{number}"
    taken.add(found)
    return found
