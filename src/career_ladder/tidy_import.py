"""The tidy table back to a ladder file's data (`tidy.py` says what its rows are): each row's value
at the place its rung, section, area, key and field name, typed as the models type that place,
with the row and column it came from; what the rows do not agree on is told at its cell."""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Sequence
from typing import Any, NamedTuple

from career_ladder.errors import Loc
from career_ladder.tidy import COLUMNS, Placed, rows_text, unguarded
from career_ladder.yamlfile import child

_POSITION = re.compile(r"#[0-9]+")


def is_position(label: str) -> bool:
    return bool(_POSITION.fullmatch(label))


def cell_value(text: str, annotation_options: Sequence[Any]) -> Any:
    """A cell's text as the value the models take there: a number where they take a number, true
    or false where a yes or no, text elsewhere (and where it is no such value, for them to report)."""
    kinds = set(annotation_options)
    stripped = text.strip()
    if bool in kinds and stripped.lower() in ("true", "false"):
        return stripped.lower() == "true"
    if (int in kinds or float in kinds) and re.fullmatch(r"-?[0-9]+", stripped):
        return int(stripped)
    if float in kinds and re.fullmatch(r"-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", stripped):
        return float(stripped)
    if list in kinds and stripped == "[]":
        return []
    if dict in kinds and stripped == "{}":
        return {}
    return text


class TidyData(NamedTuple):
    """What the rows of a tidy table say: a ladder file's data, where each value came from (row,
    column), and what the rows do not agree on."""

    data: dict[str, Any]
    positions: dict[Loc, tuple[int, int]]
    problems: list[Placed]


def tidy_data(rows: Sequence[tuple[int, Sequence[str]]], ladder_id: str | None = None) -> TidyData:
    """The data of the rows (each with its row number, cells in `COLUMNS` order); `ladder_id`, when
    given, instead of the `ladder` column."""
    return _Reader(ladder_id).read(rows)


_COLUMN = {name: index + 1 for index, name in enumerate(COLUMNS)}


class _Reader:
    def __init__(self, ladder_id: str | None) -> None:
        self.given_id = ladder_id
        self.data: dict[str, Any] = {}
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.problems: list[Placed] = []
        self.rungs: dict[str, int] = {}  # by id, its index in `rungs`
        self.rung_cells: dict[tuple[str, str], dict[str, list[int]]] = {}  # (rung, level|track): rows by value
        self.labels: dict[Loc, dict[str, int]] = {}  # by list, each key's index in it
        self.written: dict[Loc, int] = {}  # each value, by the row that gave it
        self.cited: dict[Loc, tuple[list[str], int]] = {}  # each item's sources, by the row that gave them
        self.first_id: tuple[str, int] | None = None
        self.named_at: dict[int, int] = {}  # by rung, the row of its title (or shared rung)

    def read(self, rows: Sequence[tuple[int, Sequence[str]]]) -> TidyData:
        for number, cells in rows:
            padded = [*cells, *[""] * (len(COLUMNS) - len(cells))]
            if any(cell.strip() for cell in padded):
                self._row(number, dict(zip(COLUMNS, padded, strict=False)))
        self._rung_columns()
        self._rungs_in_order()
        ladder_id = self.given_id or (self.first_id[0] if self.first_id else "")
        if ladder_id:
            self.data = {"id": ladder_id, **self.data}
            if self.first_id and not self.given_id:
                self.positions[("id",)] = (self.first_id[1], _COLUMN["ladder"])
        for rung in self.data.get("rungs", []):
            if "shared" in rung:  # the very rung of another ladder: its id is the shared one's
                rung.pop("id", None)
        return TidyData(self.data, self.positions, self.problems)

    def _rungs_in_order(self) -> None:
        """Rungs lowest first, as a ladder file has them, however the rows were sorted (by level,
        then where each rung's title or shared rung is given): a rung added at the foot of the table
        takes its place, and a table sorted by section keeps its order."""
        rungs = self.data.get("rungs", [])
        by_level = all(isinstance(rung.get("level"), int) for rung in rungs)

        def place(index: int) -> tuple[int, int]:
            return (
                rungs[index]["level"] if by_level else 0,
                self.named_at.get(index, self.positions[("rungs", index)][0]),
            )

        order = sorted(range(len(rungs)), key=place)
        if order == list(range(len(rungs))):
            return
        new = {old: new for new, old in enumerate(order)}
        self.data["rungs"] = [rungs[old] for old in order]
        self.positions = {
            (loc[0], new[loc[1]], *loc[2:])
            if loc[:1] == ("rungs",) and len(loc) > 1 and isinstance(loc[1], int)
            else loc: at
            for loc, at in self.positions.items()
        }

    def _problem(self, number: int, column: str, code: str, message: str) -> None:
        self.problems.append(Placed(number, _COLUMN[column], code, message))

    def _row(self, number: int, cells: dict[str, str]) -> None:
        if not self.given_id:
            stated = cells["ladder"].strip()
            if self.first_id is None and stated:
                self.first_id = (stated, number)
            elif self.first_id and stated and stated != self.first_id[0]:
                first, at = self.first_id
                message = f"ladder '{stated}' differs from '{first}' (row {at}): one ladder a table, or give --id"
                self._problem(number, "ladder", "LDR504", message)
        section, rung = cells["section"].strip(), cells["rung"].strip()
        if not section:
            self._problem(number, "section", "LDR505", "no section: name the field the row gives (title, skills...)")
            return
        column = ("rung" if section == "id" else section) if rung else ("ladder" if section == "id" else None)
        if section in ("id", "level", "track") and column:
            whose = "rung" if rung else "ladder"
            message = f"the {whose}'s {section} is given in the `{column}` column" + ("" if rung else " (or by --id)")
            self._problem(number, "section", "LDR505", message)
            return
        for column in ("level", "track"):
            if cells[column].strip() and (not rung or section == "change"):
                message = f"a {column} belongs to a rung: this row gives {'a change' if rung else 'no rung'}"
                self._problem(number, column, "LDR505", message)
        parts: list[tuple[str, str]] = [(section, "section")]  # each part of the place, and the column naming it
        base: Loc = ()
        if rung and section == "change":
            parts.append((rung, "rung"))
        elif rung:
            base = ("rungs", self._rung(number, rung, cells))
            if section in ("title", "shared"):
                self.named_at.setdefault(int(base[1]), number)
        if cells["area"].strip():
            parts.append((cells["area"].strip(), "area"))
        if cells["key"].strip() or _is_list((*base, *(part for part, _ in parts))):
            parts.append((cells["key"].strip(), "key"))
        field = cells["field"].strip()
        parts += [(part.strip(), "field") for part in field.split(".")] if field else []
        self._put(number, base, parts, cells)

    def _rung(self, number: int, rung_id: str, cells: dict[str, str]) -> int:
        rungs: list[dict[str, Any]] = self.data.setdefault("rungs", [])
        if rung_id not in self.rungs:
            self.rungs[rung_id] = len(rungs)
            rungs.append({"id": rung_id})
            loc: Loc = ("rungs", len(rungs) - 1)
            self.positions[loc] = self.positions[(*loc, "id")] = (number, _COLUMN["rung"])
        for column in ("level", "track"):
            text = cells[column].strip()
            if text:
                self.rung_cells.setdefault((rung_id, column), {}).setdefault(text, []).append(number)
        return self.rungs[rung_id]

    def _rung_columns(self) -> None:
        """Each rung's level and track: what its rows say, or what most of them say, the others told."""
        for (rung_id, column), said in self.rung_cells.items():
            index = self.rungs[rung_id]
            value, rows = max(said.items(), key=lambda option: len(option[1]))
            self.data["rungs"][index][column] = cell_value(value, [int]) if column == "level" else value
            self.positions[("rungs", index, column)] = (rows[0], _COLUMN[column])
            for other, at in said.items():
                if other != value:
                    message = f"rung '{rung_id}' has {column} {other} here, {value} at {rows_text(rows)}"
                    self._problem(at[0], column, "LDR504", message)

    def _put(self, number: int, base: Loc, parts: list[tuple[str, str]], cells: dict[str, str]) -> None:
        loc = base
        for part, column in parts:
            container = self._container(number, loc, column)
            if container is None:
                return
            if isinstance(container, list):
                loc = (*loc, self._item(number, loc, container, part, column))
            else:
                loc = (*loc, part)
                self.positions.setdefault(loc, (number, _COLUMN[column]))
        if self._value(number, loc, unguarded(cells["text"])):
            self._cite(number, loc, cells["sources"])

    def _container(self, number: int, loc: Loc, column: str) -> list[Any] | dict[str, Any] | None:
        """The list or mapping at `loc`, made where missing; None (and a problem) where a row gave a
        single value."""
        node: Any = self.data
        for depth, part in enumerate(loc):
            parent = node
            node = child(parent, part)
            if node is None:
                node = [] if _is_list(loc[: depth + 1]) else {}
                parent[part] = node
            if not isinstance(node, list | dict):
                given = self.written.get(loc[: depth + 1], number)
                self._problem(number, column, "LDR503", f"row {given} gives this place a single value already")
                return None
        return node  # type: ignore[no-any-return]

    def _item(self, number: int, loc: Loc, items: list[Any], label: str, column: str) -> int:
        """The index of the item `label` names in the list at `loc`: a new one for a blank label."""
        from career_ladder.modeltypes import annotation_at, models_in

        known = self.labels.setdefault(loc, {})
        if label and label in known:
            return known[label]
        index = len(items)
        items.append(None)
        if label:
            known[label] = index
        self.positions[(*loc, index)] = (number, _COLUMN[column])
        if label and not is_position(label) and next(models_in(annotation_at((*loc, index))), None):
            items[index] = {"id": label}
            self.positions[(*loc, index, "id")] = (number, _COLUMN[column])
        return index

    def _value(self, number: int, loc: Loc, text: str) -> bool:
        """Set the row's value at `loc`; False (and a problem) where a row gave it already."""
        from career_ladder.modeltypes import annotation_at, models_in, type_options

        parent = _walk(self.data, loc[:-1])
        current = child(parent, loc[-1])
        model = next(models_in(annotation_at(loc)), None)
        if model is not None and text.strip() in ("", "{}"):  # an item given by its sources alone, or empty
            if current is None:
                parent[loc[-1]] = {}
            self.written.setdefault(loc, number)
            return True
        if model is not None:
            fields = ", ".join(info.alias or name for name, info in model.model_fields.items() if name != "sources")
            message = f"this place holds an item, given a row per field: name its field ({fields})"
            self._problem(number, "field", "LDR505", message)
            if isinstance(parent, list) and current is None and loc[-1] == len(parent) - 1:
                parent.pop()  # made for this row alone: told, not left for a knock-on problem
                labels = self.labels.get(loc[:-1], {})
                for label in [label for label, index in labels.items() if index == loc[-1]]:
                    del labels[label]
            return False
        if loc in self.written or (current is not None and not isinstance(current, dict | list)):
            self._problem(number, "text", "LDR503", f"row {self.written.get(loc, number)} gives this value already")
            return False
        if isinstance(current, dict | list) and current:
            self._problem(number, "text", "LDR503", "a single value where other rows give the parts of one")
            return False
        parent[loc[-1]] = cell_value(text, _kinds(type_options(annotation_at(loc))))
        self.written[loc] = number
        self.positions[loc] = (number, _COLUMN["text"])
        return True

    def _cite(self, number: int, loc: Loc, cell: str) -> None:
        """The row's sources, on the item the value belongs to; rows of one item cite the same."""
        ids = [part.strip() for part in cell.split(",") if part.strip()]
        if not ids:
            return
        owner = next((loc[:end] for end in range(len(loc), 0, -1) if _cites(loc[:end])), None)
        if owner is None:
            self._problem(number, "sources", "LDR505", "this value cites no sources: leave the cell blank")
            return
        known = self.cited.get(owner)
        if known is not None:
            if known[0] != ids:
                message = (
                    f"sources {', '.join(ids)} differ from row {known[1]}'s ({', '.join(known[0])}), of the same item"
                )
                self._problem(number, "sources", "LDR504", message)
            return
        node = _walk(self.data, owner)
        if node is None:
            parent = _walk(self.data, owner[:-1])
            parent[owner[-1]] = node = {}
        if not isinstance(node, dict):  # a row gave the item a single value, told there
            return
        node["sources"] = list(ids)
        self.cited[owner] = (ids, number)
        self.positions[(*owner, "sources")] = (number, _COLUMN["sources"])


def _walk(data: Any, loc: Loc) -> Any:
    return functools.reduce(child, loc, data)


def _is_list(loc: Loc) -> bool:
    from career_ladder.modeltypes import annotation_at, type_options

    return any(typing.get_origin(option) is list for option in type_options(annotation_at(loc)))


def _cites(loc: Loc) -> bool:
    """Whether the item at `loc` has sources of its own (a list of ids: not the ladder's list)."""
    from career_ladder.models import Ladder
    from career_ladder.modeltypes import annotation_at, models_in

    return any(model is not Ladder and "sources" in model.model_fields for model in models_in(annotation_at(loc)))


def _kinds(options: Sequence[Any]) -> list[Any]:
    return [typing.get_origin(option) or option for option in options]
