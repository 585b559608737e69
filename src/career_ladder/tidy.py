"""A ladder file as a tidy table, and back: one row per value the file states, with the rung,
section, competency area and item it belongs to, and the sources of the statement it is part of.

The table is `export -f csv`'s contract and the `Ladder` sheet of `export -f xlsx`; `import` reads
it back to the same data (`ladder diff` shows no change), so every value of the file has a row:

- `ladder`, `rung`, `level`, `track`: whose value it is. A rung's `level` and `track` are on each of
  its rows (for filters in a spreadsheet or BI tool); the rung's other fields are rows of their own.
- `section`: the field of the ladder or rung (`responsibilities`, `salary`, `title`, `transitions`).
- `area`: the competency area of an expectation; `key`: the item of a list (its `id`, else `#1`,
  `#2`, ... by position); a blank key on import is an item of its own.
- `field`: the value's place inside the item (`min`, `signals.#1.text`); `text`: the value;
  `sources`: the source ids of the statement (point, figure, rung, move) the value belongs to.

An overlay's `change` is a row per value too: its rung in `rung`, the changed field in `field`.
An empty list or mapping where the file states one is written `[]` or `{}`.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from career_ladder.errors import Loc
from career_ladder.yamlfile import child

COLUMNS = ("ladder", "rung", "level", "track", "section", "area", "key", "field", "text", "sources")


class TidyRow(NamedTuple):
    ladder: str
    rung: str
    level: str
    track: str
    section: str
    area: str
    key: str
    field: str
    text: str
    sources: str


def tidy_rows(data: Mapping[str, Any]) -> list[TidyRow]:
    """The rows of a ladder file's data, as the models dump it (`by_alias`, `exclude_defaults`)."""
    ladder_id = str(data.get("id", ""))
    rows: list[TidyRow] = []
    for section, value in data.items():
        if section == "id":
            continue
        if section == "rungs":
            for rung in value:
                rows += _rung_rows(ladder_id, rung)
        elif section == "change":
            for rung_id, change in value.items():
                base = TidyRow(ladder_id, rung_id, "", "", "change", "", "", "", "", "")
                rows += [_row(base, field=_dotted(loc), value=v, sources=s) for loc, v, s in _leaves(change, ())]
        else:
            rows += _section_rows(TidyRow(ladder_id, "", "", "", section, "", "", "", "", ""), value)
    return rows


def _rung_rows(ladder_id: str, rung: Mapping[str, Any]) -> list[TidyRow]:
    rung_id = rung.get("id") or str(rung.get("shared", "")).partition(":")[2]
    level = rung.get("level")
    base = TidyRow(
        ladder_id, rung_id, "" if level is None else str(level), rung.get("track") or "", "", "", "", "", "", ""
    )
    rows: list[TidyRow] = []
    for section, value in rung.items():
        if section in ("id", "level", "track"):
            continue
        if section == "sources" and isinstance(value, list):
            continue  # on the rung's own rows
        if section == "expectations" and isinstance(value, dict) and value:
            for area, points in value.items():
                rows += _section_rows(base._replace(section=section, area=area), points, rung)
        else:
            rows += _section_rows(base._replace(section=section), value, rung)
    return rows


def _section_rows(base: TidyRow, value: Any, owner: Mapping[str, Any] | None = None) -> list[TidyRow]:
    """A section's rows: a list as a row group per item (keyed), anything else as its leaves."""
    if isinstance(value, list) and value:
        rows = []
        for position, item in enumerate(value, 1):
            keyed = base._replace(key=_label(item, position))
            inner = item if _has_sources(item) else owner
            leaves = _leaves(item, (), inner, keyed.key == item_id(item))
            rows += [_row(keyed, field=_dotted(loc), value=v, sources=s) for loc, v, s in leaves]
        return rows
    return [_row(base, field=_dotted(loc), value=v, sources=s) for loc, v, s in _leaves(value, (), owner)]


def _leaves(
    value: Any, loc: Loc, owner: Mapping[str, Any] | None = None, keyed_by_id: bool = False
) -> Iterator[tuple[Loc, Any, Any]]:
    """Each single value under `value` with its place, and the sources of the nearest item that has
    some (`owner` above it); an item with nothing but its sources is one blank value; the id of an
    item keyed by it is its key, not a value."""
    if isinstance(value, dict):
        owner = value if _has_sources(value) else owner
        fields = [
            (key, item)
            for key, item in value.items()
            if not (key == "sources" and _has_sources(value)) and not (key == "id" and keyed_by_id)
        ]
        if not value:
            yield loc, "{}", owner and owner.get("sources")
        elif not fields:
            yield loc, "", value.get("sources")
        for key, item in fields:
            yield from _leaves(item, (*loc, key), owner)
    elif isinstance(value, list):
        if not value:
            yield loc, "[]", owner and owner.get("sources")
        for position, item in enumerate(value, 1):
            label = _label(item, position)
            yield from _leaves(item, (*loc, label), owner, label == item_id(item))
    else:
        yield loc, value, owner.get("sources") if owner else None


def _has_sources(item: Any) -> bool:
    """Whether `item` cites sources (a list of ids): a ladder's `sources` is its list of sources."""
    sources = item.get("sources") if isinstance(item, dict) else None
    return isinstance(sources, list) and all(isinstance(source, str) for source in sources)


def _label(item: Any, position: int) -> str:
    """An item of a list as a key: its id, else its position."""
    return item_id(item) or f"#{position}"


def item_id(item: Any) -> str | None:
    ident = item.get("id") if isinstance(item, dict) else None
    return ident if isinstance(ident, str) else None


def _dotted(loc: Loc) -> str:
    return ".".join(str(part) for part in loc)


def _row(base: TidyRow, *, field: str, value: Any, sources: Any) -> TidyRow:
    return base._replace(field=field, text=value_text(value), sources=", ".join(sources or ()))


def value_text(value: Any) -> str:
    """A single value as a cell: true and false as the file writes them, numbers plainly."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


# A spreadsheet runs a cell that begins with one of these as a formula (OWASP, "CSV injection"):
# such a text gets a leading `'`, as does one that would read as guarded already.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guarded(text: str) -> str:
    return f"'{text}" if text.lstrip("'").startswith(_FORMULA_STARTS) else text


def unguarded(text: str) -> str:
    return text[1:] if text.startswith("'") and text.lstrip("'").startswith(_FORMULA_STARTS) else text


# --- back ----------------------------------------------------------------------------------------

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
    if float in kinds and re.fullmatch(r"-?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", stripped):
        return float(stripped)
    if list in kinds and stripped == "[]":
        return []
    if dict in kinds and stripped == "{}":
        return {}
    return text


class Placed(NamedTuple):
    """A problem found while reading a table, at its row and column (1-based)."""

    row: int
    column: int
    code: str
    message: str


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

    def read(self, rows: Sequence[tuple[int, Sequence[str]]]) -> TidyData:
        for number, cells in rows:
            padded = [*cells, *[""] * (len(COLUMNS) - len(cells))]
            if any(cell.strip() for cell in padded):
                self._row(number, dict(zip(COLUMNS, padded, strict=False)))
        self._rung_columns()
        ladder_id = self.given_id or (self.first_id[0] if self.first_id else "")
        if ladder_id:
            self.data = {"id": ladder_id, **self.data}
            if self.first_id and not self.given_id:
                self.positions[("id",)] = (self.first_id[1], _COLUMN["ladder"])
        for rung in self.data.get("rungs", []):
            if "shared" in rung:  # the very rung of another ladder: its id is the shared one's
                rung.pop("id", None)
        return TidyData(self.data, self.positions, self.problems)

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
        parts: list[tuple[str, str]] = [(section, "section")]  # each part of the place, and the column naming it
        base: Loc = ()
        if rung and section == "change":
            parts.append((rung, "rung"))
        elif rung:
            base = ("rungs", self._rung(number, rung, cells))
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
                    message = f"rung '{rung_id}' has {column} {other} here, {value} at {_rows_text(rows)}"
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
        is_record = next(models_in(annotation_at(loc)), None) is not None
        if is_record and text.strip() in ("", "{}"):  # an item given by its sources alone, or empty
            if current is None:
                parent[loc[-1]] = {}
            self.written.setdefault(loc, number)
            return True
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


def tidy_csv(rows: Sequence[TidyRow]) -> str:
    """The rows as csv under a header of `COLUMNS`: line breaks kept inside quoted cells, and a text
    a spreadsheet would run as a formula guarded."""
    import csv
    import io

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([guarded(cell) for cell in row] for row in rows)
    return text.getvalue()


def _rows_text(rows: Sequence[int]) -> str:
    """`row 3`, `rows 3, 5, 8`, `rows 3, 5, 8, ...` for the rows that say one thing."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    return "rows " + ", ".join(map(str, rows[:3])) + (", ..." if len(rows) > 3 else "")
