"""Writing records in each format: rich tables for people, json, yaml, csv and markdown for programs.

Text from data files is never read as rich markup (cells are `Text`, the console has markup off),
and unsafe characters never reach a terminal: they are shown escaped. A stream that cannot write
Unicode gets tables in ASCII (rich's ASCII rules, stand-ins for our own glyphs), laid out after the
stand-ins are made.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from career_ladder.errors import json_escaped, printable, terminal_safe, unsafe_character
from career_ladder.results import Format

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


class Column(NamedTuple):
    key: str
    header: str


class Marked(NamedTuple):
    """Text with parts that stand out (what a search matched): bold in a table on a terminal that
    shows style, `**bold**` in markdown, plain elsewhere."""

    text: str
    spans: Sequence[tuple[int, int]]

    def parts(self) -> list[tuple[str, bool]]:
        """The text cut into (part, marked) pieces, in order."""
        pieces, at = [], 0
        for start, end in self.spans:
            pieces += [(self.text[at:start], False), (self.text[start:end], True)]
            at = end
        return [piece for piece in [*pieces, (self.text[at:], False)] if piece[0]]


def cell_text(value: Any) -> str:
    """A value as terminal-safe cell text: lists joined, unsafe characters escaped."""
    if value is None:
        return ""
    if isinstance(value, Marked):
        return terminal_safe(value.text)
    if isinstance(value, list | tuple):
        return ", ".join(cell_text(item) for item in value)
    return terminal_safe(str(value))


# For a stream that can write only ASCII: what a reader takes for the same character.
_ASCII_STAND_INS = str.maketrans(
    {"–": "-", "—": "--", "\u2018": "'", "\u2019": "'", "“": '"', "”": '"', "…": "...", "•": "*", "●": "o", "━": "="}
    | {"│": "|", "└": "+", "→": "->", "←": "<-", "↔": "<->", "₹": "INR ", "€": "EUR ", "£": "GBP ", "\u00a0": " "}
    | {"☐": "[ ]", "█": "#", "▓": "+", "░": "-", "·": ".", "\u203a": ">", "¥": "JPY "}
)


def ascii_text(text: str) -> str:
    """`text` as ASCII: stand-ins, and escapes (`\\u00e9`) for the rest, made before a table is laid
    out so that its columns still line up."""
    return text.translate(_ASCII_STAND_INS).encode("ascii", "backslashreplace").decode("ascii")


_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=str).encode


def json_text(data: Any) -> str:
    """JSON, readable (UTF-8) but with every unsafe character escaped, so it is safe to print too; a
    list has one item a line, which suits grep and diff; an object is indented."""
    if isinstance(data, list):
        if not data:
            return "[]\n"
        return "[\n" + ",\n".join(f"  {json_escaped(_ENCODE(item))}" for item in data) + "\n]\n"
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, default=str)
    return json_escaped(text) + "\n"


def yaml_text(data: Any) -> str:
    """Plain data as block YAML, unsafe characters escaped."""
    import yaml

    return yaml.safe_dump(_escaped(json.loads(json.dumps(data, default=str))), sort_keys=False, allow_unicode=True)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return value if unsafe_character(value) is None else printable(value)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


def csv_text(records: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    import io

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    writer.writerows([[_csv_cell(r.get(c.key)) for c in columns] for r in records])
    return text.getvalue()


# A spreadsheet runs a cell that begins with one of these as a formula (OWASP, "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    text = cell_text(value).replace("\n", "; ")
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


# Characters markdown reads as markup anywhere in a line, and what makes a line a heading or a list.
_MARKDOWN_INLINE = str.maketrans({char: "\\" + char for char in "\\`*_|~"})
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(#|[+-]|\d+(?=[.)]))")


def markdown_text(value: Any) -> str:
    """A value as markdown that shows as written, on one line: HTML as entities, markup characters
    and a heading's or a list's opening escaped."""
    if isinstance(value, Marked):
        return "".join(
            f"**{markdown_text(part)}**" if marked else markdown_text(part) for part, marked in value.parts()
        )
    text = cell_text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_LINE_START.sub(_escaped_opening, text.translate(_MARKDOWN_INLINE))
    text = text.replace("](", "]\\(").replace("][", "]\\[")  # `[x](url)` is no link; `[x]` alone is text
    return text.replace("\n", "<br>")


def _escaped_opening(found: re.Match[str]) -> str:
    """`# x` as `\\# x`, `- x` as `\\- x`, `1. x` as `1\\. x`."""
    space, opening = found.group(1), found.group(2)
    return f"{space}{opening}\\" if opening[0].isdigit() else f"{space}\\{opening}"


def markdown_table(records: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    lines = ["| " + " | ".join(markdown_text(c.header) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(markdown_text(r.get(c.key)) for c in columns) + " |" for r in records]
    return "\n".join(lines) + "\n"


def render(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    out: IO[str],
    *,
    title: str = "",
    total: int = 0,
    full: Callable[[], Any] | None = None,
    after: Callable[[Page], None] | None = None,
    spread_after: int = 0,
) -> None:
    """Write `records`: every field (or what `full()` gives) in json/yaml, the columns elsewhere; a
    table of fewer records than `total` says how many more there are, and `after` adds notes under it."""
    if fmt in (Format.json, Format.yaml):
        data = list(records) if full is None else full()
        out.write(json_text(data) if fmt is Format.json else yaml_text(data))
    elif fmt is Format.csv:
        out.write(csv_text(records, columns))
    elif fmt is Format.markdown:
        out.write(markdown_table(records, columns))
    else:
        page = Page(console(out))
        page.parts.append(table(records, columns, title, page, spread_after))
        if len(records) < total:
            more = total - len(records)
            page.line(f"… {more} more row{'s' * (more != 1)}: use --limit 0 to see every row")
        if after:
            after(page)
        page.show()


# A width under this (COLUMNS=1) is read as this; none at all (0, negative) as rich's default.
MIN_WIDTH = 20
DEFAULT_WIDTH = 80


def console(out: IO[str]) -> Console:
    """A console that draws `out` as text, at a width it can be read at."""
    from rich.console import Console

    screen = Console(file=out, highlight=False, markup=False, emoji=False)
    if screen.width < MIN_WIDTH:
        screen.width = DEFAULT_WIDTH if screen.width < 1 else MIN_WIDTH
    return screen


_BORDER = 3  # a column's padding and rule
# A column is never drawn narrower than this (or its longest line, if shorter), nor than its longest word.
MIN_CELL_WIDTH = 10


def _bounds(column: Column, records: Sequence[dict[str, Any]], page: Page) -> tuple[int, int]:
    """The narrowest a column may be (its longest word, and `MIN_CELL_WIDTH` unless its lines are
    all shorter) and the widest it needs (its longest line)."""
    from rich.cells import cell_len

    texts = [page.text(column.header), *(page.text(r.get(column.key)) for r in records)]
    lines = [line for text in texts for line in text.splitlines()]
    mark = page.text("• ")
    hang = {line: cell_len(mark) if line.startswith(mark) else 0 for line in lines}  # a bullet's wrapped lines
    longest_word = max((cell_len(word) + hang[line] for line in lines for word in line.split()), default=1)
    longest_line = max((cell_len(line) for line in lines), default=1)
    return max(longest_word, min(longest_line, MIN_CELL_WIDTH)), longest_line


# Headers of a block longer than this wrap, leaving the room to the values.
BLOCK_HEADER_WIDTH = 16


def _record_blocks(
    records: Sequence[dict[str, Any]], columns: Sequence[Column], title: str, page: Page
) -> RenderableType:
    """Each record as lines of `header: value`, for a screen too narrow for a table."""
    from rich.cells import cell_len
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    blocks: list[RenderableType] = [Text(page.text(title), style="bold")] if title else []
    headers = [page.text(column.header) for column in columns]
    longest_word = max(cell_len(word) for header in headers for word in header.split())
    header_width = max(longest_word, min(max(cell_len(header) for header in headers), BLOCK_HEADER_WIDTH))
    for record in records:
        block = Table.grid(padding=(0, 1))
        block.add_column(style="bold", overflow="fold", width=header_width)
        block.add_column(overflow="fold")
        for column in columns:
            block.add_row(Text(page.text(column.header)), _cell(record.get(column.key), page))
        blocks += [block, Text("")]
    return Group(*blocks)


# A column spread over the tables (`spread_after`) asks for this much room, or its longest word.
COMFORTABLE_WIDTH = 22


def table(
    records: Sequence[dict[str, Any]], columns: Sequence[Column], title: str, page: Page, spread_after: int = 0
) -> RenderableType:
    """A table in which no word is cut: every column at least as wide as its longest word; on a
    screen too narrow for that, one block of `header: value` lines per record. With `spread_after`,
    the columns after the first `spread_after` are spread over as few tables as it takes, the first
    ones repeated in each, and every table has every row, so that rows line up across them."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    fixed, varying = (columns[:spread_after], columns[spread_after:]) if spread_after else (columns, ())
    limits = {column: _bounds(column, records, page) for column in columns}
    room = page.width - 1 - sum(limits[c][0] + _BORDER for c in fixed)
    groups: list[list[Column]] = [[]]
    used = 0
    for column in varying:
        low, high = limits[column]
        width = min(high, max(low, COMFORTABLE_WIDTH)) + _BORDER
        if groups[-1] and used + width > room:
            groups.append([])
            used = 0
        groups[-1].append(column)
        used += width
    if any(sum(limits[c][0] + _BORDER for c in [*fixed, *group]) >= page.width for group in groups):
        return _record_blocks(records, columns, title, page)  # no room for whole words in a table
    tables: list[RenderableType] = []
    for index, group in enumerate(groups):
        shown = [*fixed, *group]
        widths = _widths([limits[c] for c in shown], page.width - 1 - _BORDER * len(shown))
        heading = Text(page.text(title), style="bold") if title and index == 0 else None
        drawn = Table(title=heading, title_justify="left")
        for column, width in zip(shown, widths, strict=True):
            drawn.add_column(Text(page.text(column.header)), overflow="fold", width=width)
        for record in records:
            drawn.add_row(*(_cell(record.get(c.key), page) for c in shown))
        tables.append(drawn)
    return Group(*tables)


def _widths(limits: Sequence[tuple[int, int]], room: int) -> list[int]:
    """Each column's width within `room`: its longest word at least, then the room left shared out,
    a character at a time, to the columns whose lines are longer still."""
    widths = [low for low, _ in limits]
    spare = room - sum(widths)
    while spare > 0:
        wanting = [i for i, (_, high) in enumerate(limits) if widths[i] < high]
        if not wanting:
            break
        for i in wanting[:spare]:
            widths[i] += 1
        spare -= min(spare, len(wanting))
    return widths


def _cell(value: Any, page: Page) -> RenderableType:
    """A cell's text; a search's matches in bold where the screen shows style; a list of bullets
    with each item's wrapped lines under its text, not under its bullet."""
    from rich.table import Table
    from rich.text import Text

    if isinstance(value, Marked) and not page.screen.no_color:
        return Text.assemble(
            *((page.text(part), "bold") if marked else page.text(part) for part, marked in value.parts())
        )
    text = page.text(value)
    mark = page.text("• ")
    lines = text.splitlines()
    if not lines or not all(line.startswith(mark) for line in lines):
        return Text(text)
    items = Table.grid(padding=0)
    items.add_column(no_wrap=True)
    items.add_column(overflow="fold")
    for line in lines:
        items.add_row(mark, Text(line.removeprefix(mark)))
    return items


class Page:
    """What a command prints to a terminal, drawn by one `print`."""

    def __init__(self, screen: Console) -> None:
        self.screen = screen
        self.width = screen.width
        self.ascii = not screen.encoding.lower().startswith("utf")
        self.parts: list[RenderableType] = []

    def text(self, value: Any) -> str:
        """A value as cell text this screen can show."""
        return ascii_text(cell_text(value)) if self.ascii else cell_text(value)

    def line(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.parts.append(Text(self.text(text), style=style))

    def bullet(self, text: str, indent: int = 2, mark: str = "•") -> None:
        """A list item whose wrapped lines stay indented under its text."""
        from rich.cells import cell_len
        from rich.text import Text

        prefix = self.text(f"{' ' * indent}{mark} ")
        hang = cell_len(prefix)
        wrapped = Text(self.text(text)).wrap(self.screen, max(self.width - hang, 1), overflow="fold")
        for index, part in enumerate(wrapped):
            self.parts.append(Text.assemble(prefix if index == 0 else " " * hang, part))

    def show(self) -> None:
        self.screen.print(*self.parts, sep="\n")
