"""`diff`: the changes as a table, a pull-request comment (markdown) or data."""

from __future__ import annotations

import json
import re
from typing import IO, Any

from career_ladder.currencies import amount_text, figure_label
from career_ladder.render.document import grid as table_block
from career_ladder.render.document import heading, paragraph, write_document
from career_ladder.render.output import Column
from career_ladder.results import Format
from career_ladder.results.diff import LadderDiff

DIFF_COLUMNS = [
    Column("where", "Where"),
    Column("change", "Change"),
    Column("before", "Before"),
    Column("after", "After"),
]


def value_text(value: Any, currency: str | None = None) -> str:
    """A value as a reviewer takes it in: an amount in its currency, a point by its text, a rung by
    its title and what it holds, a move by its ends, a figure by its amounts, the rest compact."""
    if value is None:
        return ""
    if currency and isinstance(value, int | float) and not isinstance(value, bool):
        return amount_text(value, currency)
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _item_text(value)
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= 120 else text[:117] + "..."


def _item_text(item: dict[str, Any]) -> str:
    if isinstance(item.get("shared"), str):
        return f"shared: {item['shared']}"
    if "level" in item and isinstance(item.get("title"), str):
        held = _rung_contents(item)
        return f"{item['title']}, with {held}" if held else item["title"]
    if "currency" in item:
        return figure_label(item)
    if "kind" in item and isinstance(item.get("from"), str):
        return f"{item['kind']} {item['from']} → {item.get('to') or item.get('role')}"
    for key in ("text", "title", "name"):
        if isinstance(item.get(key), str):
            return str(item[key])
    return json.dumps(item, ensure_ascii=False, separators=(", ", ": "))


def _rung_contents(rung: dict[str, Any]) -> str:
    """What goes with a rung added or removed: `12 expectations in 4 areas, 2 readiness signals`."""
    expectations = rung.get("expectations") or {}
    counted = [
        (len(rung.get("responsibilities") or []), "responsibility", "responsibilities"),
        (len(rung.get("skills") or []), "skill", "skills"),
        (sum(len(points) for points in expectations.values()), "expectation", "expectations"),
        (len(rung.get("signals") or []), "readiness signal", "readiness signals"),
        (len(rung.get("salary") or []), "pay figure", "pay figures"),
        (len(rung.get("notes") or []), "note", "notes"),
    ]
    parts = [f"{count} {one if count == 1 else many}" for count, one, many in counted if count]
    if expectations and parts:
        areas = len(expectations)
        parts = [f"{part} in {areas} area{'s' * (areas != 1)}" if "expectation" in part else part for part in parts]
    return ", ".join(parts)


def _where_lines(where: str) -> str:
    """A place on a terminal: the item on one line and the field inside it on the next
    (`rungs[principal-pm]` / `.expectations.people`), so a long path leaves room for the values."""
    return re.sub(r"\](?=\.)", "]\n", where)


def render_diff(result: LadderDiff, fmt: Format, out: IO[str]) -> None:
    rows = []
    for change in result.changes:
        before, after = (value_text(value, change.currency) for value in (change.before, change.after))
        rows.append(change.record() | {"before": before, "after": after})
    count = len(rows)
    said = f"{count} change{'s' * (count != 1)}" if count else "No change: the two ladders hold the same data."
    blocks = [heading(f"ladder diff {result.old} {result.new}"), paragraph(said)]
    if rows:
        shown = [{**row, "where": _where_lines(row["where"])} for row in rows] if fmt is Format.table else rows
        blocks.append(table_block(shown, DIFF_COLUMNS))
    write_document(blocks, fmt, out, full=result.to_dict, rows=rows, columns=DIFF_COLUMNS)
