"""Answers of more than one table: headings, paragraphs, lists and tables, drawn for a terminal or
written as markdown from the same blocks, so the two human formats never say different things."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO, Any, NamedTuple

from career_ladder.render.output import Column, Page, console, markdown_table, markdown_text, render, table
from career_ladder.results import Format


class Block(NamedTuple):
    kind: str  # heading, label, text, bullets, checklist, table
    text: str = ""
    items: Sequence[Any] = ()  # list items (str), or table records (dicts)
    columns: Sequence[Column] = ()


def heading(text: str) -> Block:
    return Block("heading", text)


def label(text: str) -> Block:
    """A line in bold that belongs with the lines around it: no space above it, no heading in markdown."""
    return Block("label", text)


def paragraph(text: str) -> Block:
    return Block("text", text)


def bullets(items: Sequence[str | tuple[str, int, str]], checklist: bool = False) -> Block:
    """A list; an item may be `(text, indent, mark)` to sit under the one before it."""
    return Block("checklist" if checklist else "bullets", items=items)


def grid(records: Sequence[dict[str, Any]], columns: Sequence[Column], title: str = "") -> Block:
    return Block("table", title, records, columns)


def cited(text: str, sources: Sequence[str]) -> str:
    """A statement with its sources, as every list item is written."""
    return f"{text}  [{', '.join(sources)}]" if sources else text


def write_document(
    blocks: Sequence[Block],
    fmt: Format,
    out: IO[str],
    *,
    full: Callable[[], Any],
    rows: Sequence[dict[str, Any]] = (),
    columns: Sequence[Column] = (),
) -> None:
    """`blocks` for people (table, markdown); `full()` for json and yaml; `rows` as csv."""
    if fmt is Format.markdown:
        out.write(markdown(blocks))
    elif fmt is Format.table:
        page = Page(console(out))
        draw(blocks, page)
        page.show()
    else:
        render(rows, columns, fmt, out, full=full)


def render_with_notes(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    out: IO[str],
    notes: Sequence[Block],
    *,
    limit: int = 0,
    **options: Any,
) -> None:
    """`render`, with `notes` under a table or its markdown; a table shows its first `limit` rows
    (0: all), the other formats every row."""
    if fmt is Format.markdown:
        out.write(markdown_table(records, columns) + "\n" + markdown(notes))
    else:
        shown = records[:limit] if limit and fmt is Format.table else records
        render(shown, columns, fmt, out, total=len(records), after=lambda page: draw(notes, page), **options)


def markdown(blocks: Sequence[Block]) -> str:
    parts = []
    for block in blocks:
        if block.kind == "heading":
            parts.append(f"## {markdown_text(block.text)}\n")
        elif block.kind == "label":
            parts.append(f"**{markdown_text(block.text)}**\n")
        elif block.kind == "text":
            parts.append(f"{markdown_text(block.text)}\n")
        elif block.kind in ("bullets", "checklist"):
            mark = "- [ ] " if block.kind == "checklist" else "- "
            items = [item if isinstance(item, tuple) else (item, 2, "") for item in block.items]
            parts.append("".join(f"{'  ' * (indent > 2)}{mark}{markdown_text(text)}\n" for text, indent, _ in items))
        elif block.items:
            title = f"**{markdown_text(block.text)}**\n\n" if block.text else ""
            parts.append(title + markdown_table(block.items, block.columns))
    return "\n".join(parts)


def draw(blocks: Sequence[Block], page: Page) -> None:
    """Add `blocks` to a page: a heading after something else, or a label after a list, gets a blank
    line above it."""
    previous = ""
    for block in blocks:
        if block.kind == "heading":
            if page.parts:
                page.line("")
            page.line(block.text, "bold")
        elif block.kind == "label":
            if previous in ("bullets", "checklist"):
                page.line("")
            page.line(block.text, "bold")
        elif block.kind == "text":
            page.line(block.text)
        elif block.kind in ("bullets", "checklist"):
            for item in block.items:
                text, indent, mark = item if isinstance(item, tuple) else (item, 2, "•")
                page.bullet(text, indent=indent, mark="☐" if block.kind == "checklist" else mark)
        elif block.items:
            page.parts.append(table(block.items, block.columns, block.text, page))
        previous = block.kind
