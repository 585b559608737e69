"""Turning query results into text: rich tables for people, stable formats for programs.

Records are plain dicts whose keys are the models' field names. Text from data files is never
read as rich markup, and control characters are removed before anything reaches the terminal.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Format(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"
    csv = "csv"
    markdown = "markdown"


@dataclass(frozen=True)
class Column:
    key: str
    header: str


def clean(value: Any) -> str:
    """A value as terminal-safe text: no escape sequences, no control characters but newlines."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(clean(item) for item in value)
    return _CONTROL.sub("", str(value))


def render(
    records: Sequence[dict[str, Any]], columns: Sequence[Column], fmt: Format, out: IO[str], title: str = ""
) -> None:
    """Write `records` to `out`: every field in json/yaml, the columns in table/csv/markdown."""
    if fmt is Format.json:
        out.write(json.dumps(list(records), indent=2, ensure_ascii=False, default=str) + "\n")
    elif fmt is Format.yaml:
        import yaml

        out.write(yaml.safe_dump(_plain(list(records)), sort_keys=False, allow_unicode=True))
    elif fmt is Format.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.key for c in columns])
        writer.writerows([[clean(r.get(c.key)) for c in columns] for r in records])
    elif fmt is Format.markdown:
        out.write(markdown_table(records, columns))
    else:
        _rich_table(records, columns, out, title)


def markdown_table(records: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    def cell(value: Any) -> str:
        return clean(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(c.header for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r.get(c.key)) for c in columns) + " |" for r in records]
    return "\n".join(lines) + "\n"


def _plain(value: Any) -> Any:
    """Values yaml.safe_dump can write: dates become ISO strings, as in JSON."""
    return json.loads(json.dumps(value, default=str))


def _rich_table(records: Sequence[dict[str, Any]], columns: Sequence[Column], out: IO[str], title: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(clean(title)) if title else None, title_justify="left")
    for column in columns:
        table.add_column(column.header, overflow="fold")
    for record in records:
        table.add_row(*(Text(clean(record.get(c.key))) for c in columns))
    Console(file=out, highlight=False).print(table)


def problems_text(problems: Sequence[Any]) -> str:
    buffer = io.StringIO()
    for problem in problems:
        buffer.write(f"{problem}\n")
    return buffer.getvalue()
