"""`diff`: the changes as a table, a pull-request comment (markdown) or data."""

from __future__ import annotations

import json
from typing import IO, Any

from career_ladder.diff import LadderDiff
from career_ladder.render.document import grid as table_block
from career_ladder.render.document import heading, paragraph, write_document
from career_ladder.render.output import Column
from career_ladder.results import Format

DIFF_COLUMNS = [
    Column("where", "Where"),
    Column("change", "Change"),
    Column("before", "Before"),
    Column("after", "After"),
]


def value_text(value: Any) -> str:
    """A value as a reader takes it in: a point by its text, an item by its title, the rest compact."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if isinstance(value.get("shared"), str):
            return f"shared: {value['shared']}"
        for key in ("text", "title", "name"):
            if isinstance(value.get(key), str):
                return str(value[key])
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= 120 else text[:117] + "..."


def render_diff(result: LadderDiff, fmt: Format, out: IO[str]) -> None:
    rows = [
        {**change.record(), "before": value_text(change.before), "after": value_text(change.after)}
        for change in result.changes
    ]
    count = len(rows)
    said = f"{count} change{'s' * (count != 1)}" if count else "No change: the two ladders hold the same data."
    blocks = [heading(f"ladder diff {result.old} {result.new}"), paragraph(said)]
    if rows:
        blocks.append(table_block(rows, DIFF_COLUMNS))
    write_document(blocks, fmt, out, full=result.record, rows=rows, columns=DIFF_COLUMNS)
