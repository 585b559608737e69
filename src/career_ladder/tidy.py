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

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from career_ladder.errors import Loc

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


def rows_text(rows: Sequence[int]) -> str:
    """`row 3`, `rows 3, 5, 8`, `rows 3, 5, 8, ...`: rows of an input, for a message."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    return "rows " + ", ".join(map(str, rows[:3])) + (", ..." if len(rows) > 3 else "")
