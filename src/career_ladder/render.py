"""Turning query results into text: rich tables for people, stable formats for programs.

Records are plain dicts whose keys are the models' field names. Text from data files is never
read as rich markup (cells are `Text`, the console has markup off), and control characters are
removed before anything reaches the terminal.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from career_ladder.errors import clean as remove_unsafe
from career_ladder.errors import json_escaped, printable, unsafe_character

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.measure import Measurement
    from rich.segment import Segment

    from career_ladder.catalog import PlacedRung, Report
    from career_ladder.models import SalaryFigure
    from career_ladder.queries import Comparison, LadderListing, LadderView, RungView, SalaryReport

NO_FIGURE = "no figure in the sources"
COVERS = {"base": "base pay", "total": "total pay", "not-stated": "not stated"}
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "INR": "₹", "JPY": "¥"}


class Format(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"
    csv = "csv"
    markdown = "markdown"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


class Column(NamedTuple):
    key: str
    header: str


def clean(value: Any) -> str:
    """A value as terminal-safe cell text: lists joined, unsafe characters removed (see errors)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(clean(item) for item in value)
    return remove_unsafe(str(value))


def json_text(data: Any) -> str:
    """JSON, readable (UTF-8) but with every unsafe character escaped, so it is safe to print too.

    A list has one item a line, which suits grep and diff; `indent` would also send the json
    module to its pure-Python encoder, five times slower over 10,000 rows.
    """
    if isinstance(data, list):
        return _json_list(_json_lines(data))
    text = json.dumps(data, indent=2, **_JSON)
    return "\n".join(json_escaped(line) for line in text.split("\n")) + "\n"  # line by line: most are printable


_JSON: dict[str, Any] = {"ensure_ascii": False, "allow_nan": False, "default": str}


def _json_list(lines: list[str]) -> str:
    """A JSON list of these items, each already encoded on a line of its own."""
    return "[\n" + ",\n".join(f"  {json_escaped(line)}" for line in lines) + "\n]\n" if lines else "[]\n"


def _json_lines(items: list[Any]) -> list[str]:
    """Each item of a list as one line of JSON.

    A list of records is encoded in one call of the C encoder and cut at `}, {"`. Outside a record
    that stands only between two (a quote inside a string is always escaped), so when the cuts
    give one line a record, they were all between records. Otherwise (a record holding a list of
    dicts, an empty one, an item that is no record) the items are encoded one at a time, each call
    building a new encoder: about 10 µs, which 10,000 rows would feel.
    """
    # The encoder writes a line break in a string as `\\n`: splitting on real ones is exact.
    if all(isinstance(item, dict) and item for item in items):  # each begins `{"`: every boundary is cut
        lines = json.dumps(items, **_JSON)[1:-1].replace('}, {"', '}\n{"').split("\n")
        if len(lines) == len(items):
            return lines
    return [json.dumps(item, **_JSON) for item in items]


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return value if unsafe_character(value) is None else printable(value)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


# --- amounts -------------------------------------------------------------------------------------


def amount_text(amount: float, currency: str) -> str:
    """An amount as its currency is written: `$150,221`; Indian rupees in lakh and crore."""
    whole = int(amount) if float(amount).is_integer() else amount
    if currency == "INR" and amount >= 100_000:
        crore = amount >= 10_000_000
        scaled = amount / (10_000_000 if crore else 100_000)
        return f"₹{scaled:,.2f}".rstrip("0").rstrip(".") + (" crore" if crore else " lakh")
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{whole:,}" if symbol else f"{whole:,} {currency}"


def figure_text(figure: SalaryFigure) -> str:
    """A figure as people read it: `$83,350 – $133,305`, or `₹26.5 lakh average`."""
    if figure.average is not None:
        return f"{amount_text(figure.average, figure.currency)} average"
    assert figure.min is not None and figure.max is not None
    return f"{amount_text(figure.min, figure.currency)} – {amount_text(figure.max, figure.currency)}"


def salary_cell(placed: PlacedRung) -> str:
    """Every figure of a rung, one a line, or the plain statement that the sources give none."""
    figures = placed.rung.salary
    return "\n".join(figure_text(f) for f in figures) if figures else NO_FIGURE


# --- generic output ------------------------------------------------------------------------------


def console(out: IO[str]) -> Console:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit 1 itself; the CLI ends a closed pipe quietly, with success.
            raise BrokenPipeError

    return _Console(file=out, highlight=False, markup=False, emoji=False)


def write_data(data: Any, fmt: Format, out: IO[str]) -> None:
    """Full records for json and yaml."""
    if fmt is Format.json:
        out.write(json_text(data))
    else:
        from career_ladder.loading import yaml_text

        out.write(yaml_text(_escaped(json.loads(json.dumps(data, default=str)))))


def render(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    out: IO[str],
    *,
    title: str = "",
    limit: int = 0,
    total: int = 0,
    full: Callable[[], Any] | None = None,
    after: Callable[[Page], None] | None = None,
) -> None:
    """Write `records`: every field (or what `full()` gives) in json/yaml, the columns elsewhere.

    Only the table is cut at `limit` rows (0: no limit), of `total` rows if `records` holds only
    the first ones; `after` adds notes under it.
    """
    if fmt in (Format.json, Format.yaml):
        write_data(list(records) if full is None else full(), fmt, out)
    elif fmt is Format.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.key for c in columns])
        writer.writerows([[_csv_cell(r.get(c.key)) for c in columns] for r in records])
    elif fmt is Format.markdown:
        out.write(markdown_table(records, columns))
    else:
        page = Page(console(out))
        shown = records if not limit else records[:limit]
        page.add(_table(shown, columns, title, page.width))
        if len(shown) < max(total, len(records)):
            more = max(total, len(records)) - len(shown)
            page.line(f"… {more} more row{'s' * (more != 1)}: use --limit 0 to see every row")
        if after:
            after(page)
        page.show()


def _csv_cell(value: Any) -> str:
    return clean(value).replace("\n", "; ")


def markdown_table(records: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    def cell(value: Any) -> str:
        return clean(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(c.header for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r.get(c.key)) for c in columns) + " |" for r in records]
    return "\n".join(lines) + "\n"


MIN_CHART_WIDTH = 40
# Below this many columns per table column, cells would shrink to nothing: show records as blocks.
MIN_CELL_WIDTH = 10


def _table(records: Sequence[dict[str, Any]], columns: Sequence[Column], title: str, width: int = 0) -> RenderableType:
    """A table; on a screen too narrow for its columns, one block of `header: value` lines per record."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    heading = Text(clean(title), style="bold") if title else None
    if width and width < MIN_CELL_WIDTH * len(columns):
        blocks: list[RenderableType] = [heading] if heading else []
        for record in records:
            block = Table.grid(padding=(0, 1))
            block.add_column(style="bold", overflow="fold")
            block.add_column(overflow="fold")
            for column in columns:
                block.add_row(Text(clean(column.header)), Text(clean(record.get(column.key))))
            blocks += [block, Text("")]
        return Group(*blocks)
    table = Table(title=heading, title_justify="left", padding=0)
    seen: dict[tuple[str, str, int], Any] = {}
    for column in columns:
        table.add_column(_Cell(clean(column.header), seen))
    for record in records:
        table.add_row(*(_Cell(clean(record.get(c.key)), seen) for c in columns))
    return table


class _Cell:
    """A table cell: its text folded to the column and a space either side, as rich's own padding
    draws it, in one rendering pass instead of two.

    The cells of a table share what they measured and drew, by text and width: 50 rows of one
    shared rung repeat most of their cells, and each is worked out once.
    """

    __slots__ = ("plain", "seen")

    def __init__(self, plain: str, seen: dict[tuple[str, str, int], Any]) -> None:
        self.plain = plain
        self.seen = seen

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement
        from rich.text import Text

        key = ("measured", self.plain, options.max_width)
        if key not in self.seen:
            inner = Measurement.get(console, options, Text(self.plain))
            self.seen[key] = Measurement(inner.minimum + 2, inner.maximum + 2)
        measured: Measurement = self.seen[key]
        return measured

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> list[Segment]:
        from rich.segment import Segment
        from rich.text import Text

        key = ("drawn", self.plain, options.max_width)
        if key not in self.seen:
            width = max(options.max_width - 2, 1)
            drawn = []
            for line in Text(self.plain).wrap(console, width, overflow="fold"):
                padding = Segment(" " * (width - line.cell_len + 1))
                drawn += [Segment(" "), *line.render(console), padding, Segment.line()]
            self.seen[key] = drawn
        segments: list[Segment] = self.seen[key]
        return segments


class Page:
    """What a command prints to a terminal, drawn by one `print`: rich renders and writes once."""

    def __init__(self, screen: Console) -> None:
        self.screen = screen
        self.width = screen.width
        self.parts: list[RenderableType] = []

    def add(self, renderable: RenderableType) -> None:
        self.parts.append(renderable)

    def line(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.parts.append(Text(clean(text), style=style))

    def bullet(self, text: str, indent: int = 2, mark: str = "•") -> None:
        """A list item whose wrapped lines stay indented under its text."""
        from rich.cells import cell_len
        from rich.text import Text

        prefix = f"{' ' * indent}{mark} "
        hang = cell_len(prefix)
        wrapped = Text(clean(text)).wrap(self.screen, max(self.width - hang, 1), overflow="fold")
        for index, part in enumerate(wrapped):
            self.parts.append(Text.assemble(prefix if index == 0 else " " * hang, part))

    def show(self) -> None:
        self.screen.print(*self.parts, sep="\n")


# --- show ----------------------------------------------------------------------------------------

RUNG_COLUMNS = [
    Column("level", "Level"),
    Column("rung", "Rung"),
    Column("scope", "Scope"),
    Column("salary_text", "Salary"),
]
DETAIL_COLUMNS = [Column("responsibilities", "Responsibilities"), Column("signals", "Ready for the next rung when")]


def abbreviation(placed: PlacedRung) -> str:
    """The rung's short name for a table: its first alias of at most 10 characters (APM, Sr PM)."""
    short = [a for a in placed.rung.aliases if len(a) <= 10]
    return short[0] if short else ""


def rung_label(placed: PlacedRung) -> str:
    """Title (abbreviation), with markers for optional and shared rungs."""
    short = abbreviation(placed)
    label = f"{placed.rung.title} ({short})" if short else placed.rung.title
    if placed.rung.optional:
        label += "\n[optional]"
    if placed.shared_from:
        label += f"\n[shared: {placed.shared_from}]"
    return label


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


def _bullets(points: Sequence[Any]) -> str:
    return "\n".join(f"• {p.text}" for p in points)


def rung_row(placed: PlacedRung) -> dict[str, Any]:
    """A rung as one row: the model's fields for csv, and the table's cells."""
    rung = placed.rung
    return {
        "ladder": placed.ladder,
        "id": rung.id,
        "level": rung.level,
        "title": rung.title,
        "aliases": list(rung.aliases),
        "kind": rung.kind,
        "optional": rung.optional,
        "shared": placed.shared_from,
        "summary": rung.summary,
        "salary": "\n".join(figure_text(f) for f in rung.salary),
        "sources": list(rung.sources),
        # table-only columns
        "rung": rung_label(placed),
        "scope": _first_sentence(rung.summary),
        "salary_text": salary_cell(placed),
        "responsibilities": _bullets(rung.responsibilities),
        "signals": _bullets(rung.signals),
    }


RUNG_CSV = [
    Column(k, k)
    for k in ("ladder", "id", "level", "title", "aliases", "kind", "optional", "shared", "summary", "salary", "sources")
]


def render_ladder(view: LadderView, fmt: Format, out: IO[str], *, detail: bool = False, limit: int = 0) -> None:
    """`ladder show LADDER`: the rung table and, under it, views, moves, entry points and tracks."""
    rows = [rung_row(p) for p in view.rungs]
    columns = [*RUNG_COLUMNS, *DETAIL_COLUMNS] if detail else RUNG_COLUMNS
    if fmt in (Format.csv, Format.markdown):
        render(rows, RUNG_CSV if fmt is Format.csv else columns, fmt, out)
        return
    title = f"{view.ladder.name} ({view.ladder.id})"
    render(
        rows,
        columns,
        fmt,
        out,
        title=title,
        limit=limit,
        full=view.record,
        after=lambda page: _ladder_notes(view, page),
    )


def _ladder_notes(view: LadderView, page: Page) -> None:
    ladder = view.ladder
    if ladder.views:
        page.line(
            f"Other views: the sources lay this ladder out in {len(ladder.views)} other ways "
            f"(in full under views: ladder show {ladder.id} --format yaml):",
            "bold",
        )
        for other in ladder.views:
            steps = " → ".join(step.title for step in other.steps)
            page.bullet(f"{', '.join(other.sources)}: {steps}")
    moves = {"promotion": "Promotions", "lateral": "Lateral moves", "exit": "Exits"}
    for kind, heading in moves.items():
        found = [t for t in ladder.transitions if t.kind == kind]
        if found:
            arrow = " ↔ " if kind == "lateral" else " → "
            page.line(f"{heading}: " + "; ".join(f"{t.from_}{arrow}{t.to or t.role}" for t in found), "bold")
    if ladder.entry_points:
        page.line(
            "Entry points: " + "; ".join(f"{e.name} → {', '.join(e.lands_on)}" for e in ladder.entry_points),
            "bold",
        )
    if ladder.tracks:
        page.line("Tracks: " + "; ".join(t.name for t in ladder.tracks), "bold")
    page.line(
        f"One rung in full: ladder show {ladder.id} {view.rungs[0].rung.id}",
    )


def render_rung(view: RungView, fmt: Format, out: IO[str]) -> None:
    """`ladder show LADDER RUNG`: the rung in full, section by section."""
    if fmt in (Format.json, Format.yaml):
        write_data(view.record(), fmt, out)
        return
    if fmt in (Format.csv, Format.markdown):
        render([rung_row(view.placed)], RUNG_CSV if fmt is Format.csv else RUNG_COLUMNS, fmt, out)
        return
    page = Page(console(out))
    rung = view.placed.rung
    page.line(f"{rung_label(view.placed)}".replace("\n", "  "), "bold")
    page.line(f"Ladder {view.ladder.id}, level {rung.level}" + (f", {rung.kind}" if rung.kind else ""))
    page.line("")
    page.line(rung.summary)
    for heading, points in (
        ("Responsibilities", rung.responsibilities),
        ("Skills and qualities", rung.skills),
        ("Ready for the next rung when", rung.signals),
    ):
        if points:
            page.line("")
            page.line(heading, "bold")
            for point in points:
                page.bullet(f"{point.text}  [{', '.join(point.sources)}]")
    page.line("")
    page.line("Salary", "bold")
    if not rung.salary:
        page.line("  The sources give no figure for this rung.")
    for figure in rung.salary:
        where = ", ".join(
            filter(
                None,
                [
                    figure.region or "region not stated",
                    f"as of {figure.as_of}" if figure.as_of else "year not stated",
                    f"pay basis {COVERS[figure.covers]}",
                ],
            )
        )
        page.bullet(f"{figure_text(figure)} a {figure.period} ({where})  [{', '.join(figure.sources)}]")
        if figure.note:
            page.bullet(figure.note, indent=4, mark=" ")
    if view.leads_to:
        page.line("")
        page.line("Leads to", "bold")
        for move in view.leads_to:
            page.bullet(f"{move.kind}: {move.to or move.role}  [{', '.join(move.sources)}]")
            for signal in move.signals:
                page.bullet(signal.text, indent=6, mark="–")
    if view.reached_by or view.entry_points:
        page.line("")
        page.line("Reached from", "bold")
        for move in view.reached_by:
            page.bullet(f"{move.kind} from {move.from_}")
        for entry in view.entry_points:
            page.bullet(f"entry: {entry.name}")
    page.line("")
    page.line("Sources", "bold")
    for source_id, title in view.sources.items():
        page.bullet(f"{source_id}: {title}")
    page.show()


# --- compare -------------------------------------------------------------------------------------


def render_comparison(comparison: Comparison, fmt: Format, out: IO[str], *, limit: int = 0) -> None:
    """`ladder compare`: the aligned rungs, then the sources' points."""
    left, right = comparison.left.ladder.id, comparison.right.ladder.id
    rows = [
        {
            "level": row.level,
            "left": rung_label(row.left) if row.left else "",
            "left_salary": salary_cell(row.left) if row.left else "",
            "right": rung_label(row.right) if row.right else "",
            "right_salary": salary_cell(row.right) if row.right else "",
            "left_id": row.left.rung.id if row.left else "",
            "right_id": row.right.rung.id if row.right else "",
        }
        for row in comparison.rows
    ]
    columns = [
        Column("level", "Level"),
        Column("left", left),
        Column("left_salary", f"{left} salary"),
        Column("right", right),
        Column("right_salary", f"{right} salary"),
    ]
    if fmt is Format.csv:
        columns = [Column(k, k) for k in ("level", "left_id", "left_salary", "right_id", "right_salary")]

    def points(page: Page) -> None:
        if not comparison.points:
            page.line(f"The sources give no point-by-point comparison of {left} and {right}.")
            return
        point_rows = [
            {"aspect": p.aspect, "left": p.this, "right": p.other, "sources": ", ".join(p.sources)}
            for p in comparison.points
        ]
        page.add(
            _table(
                point_rows,
                [
                    Column("aspect", "Aspect"),
                    Column("left", left),
                    Column("right", right),
                    Column("sources", "Sources"),
                ],
                "As the sources compare them",
                page.width,
            )
        )

    render(
        rows,
        columns,
        fmt,
        out,
        title=f"{left} and {right}, rung by rung",
        limit=limit,
        full=comparison.record,
        after=points,
    )


# --- salary --------------------------------------------------------------------------------------

SALARY_COLUMNS = [
    Column("ladder", "Ladder"),
    Column("rung_label", "Rung"),
    Column("amount", "Salary"),
    Column("covers", "Covers"),
    Column("region", "Region"),
    Column("as_of", "As of"),
    Column("sources", "Source"),
]
SALARY_CSV = [
    Column(k, k)
    for k in (
        "ladder",
        "rung",
        "title",
        "currency",
        "min",
        "max",
        "average",
        "period",
        "covers",
        "region",
        "as_of",
        "sources",
    )
]


def render_salary(report: SalaryReport, fmt: Format, out: IO[str], *, limit: int = 0) -> None:
    """`ladder salary`: a row per figure (plain numbers in machine formats), then the range chart."""
    if fmt is Format.json:
        out.write(_salary_json(report))
        return
    if fmt in (Format.csv, Format.yaml):
        render(report.records(), SALARY_CSV, fmt, out)
        return
    records = report.records(first=limit if fmt is Format.table else 0)  # a table shows `limit` rows: build no more
    rows = []
    for row, record in zip(report.rows[: len(records)], records, strict=True):
        rows.append(
            {
                **record,
                "rung_label": rung_label(row.placed),
                "amount": f"{figure_text(row.figure)} a {row.figure.period}" if row.figure else NO_FIGURE,
                "covers": COVERS[row.figure.covers] if row.figure else "",
                "region": record["region"] or ("not stated" if row.figure else ""),
                "as_of": record["as_of"] or ("not stated" if row.figure else ""),
            }
        )
    render(
        rows,
        SALARY_COLUMNS,
        fmt,
        out,
        limit=limit,
        total=len(report.rows),
        after=lambda page: _salary_chart(report, page),
    )


def _salary_json(report: SalaryReport) -> str:
    """What `json_text(report.records())` writes, each figure's fields encoded once however many
    rows show it: 10,000 ladders sharing one rung are 10,000 rows with one figure."""
    encode = json.JSONEncoder(**_JSON).encode  # a string (not None) is encoded without building an encoder
    dumped: dict[int, dict[str, Any]] = {}
    figures: dict[int, str] = {}  # the figure's part of a line (`"currency": …}`), by figure identity
    lines = []
    for row in report.rows:
        figure = figures.get(id(row.figure))
        if figure is None:
            figure = figures[id(row.figure)] = json.dumps(row.figure_fields(dumped), **_JSON)[1:]
        rung = ", ".join(
            f"{encode(key)}: {'null' if value is None else encode(value)}" for key, value in row.rung_fields().items()
        )
        lines.append(f"{{{rung}, {figure}")
    return _json_list(lines)


def _salary_chart(report: SalaryReport, page: Page) -> None:
    """Ranges as bars on one shared axis per currency (never two currencies on one axis)."""
    seen: set[int] = set()
    by_currency: dict[str, list[tuple[str, SalaryFigure]]] = {}
    for row in report.rows:
        figure = row.figure
        if figure is None or id(figure) in seen:  # every ladder sharing a rung holds its very figures: drawn once
            continue
        seen.add(id(figure))
        by_currency.setdefault(figure.currency, []).append((row.placed.shared_from or row.placed.ref, figure))
    ranges = [f for figures in by_currency.values() for _, f in figures if f.average is None]
    if len(ranges) < 2 or page.width < MIN_CHART_WIDTH:  # too few bars to compare, or no room to draw them
        return
    longest = max(len(label) for figures in by_currency.values() for label, _ in figures)
    label_width = min(longest, 30, page.width // 3)
    width = page.width - label_width - 2
    for currency, figures in by_currency.items():
        low = min(f.min if f.min is not None else f.average or 0 for _, f in figures)
        high = max(f.max if f.max is not None else f.average or 0 for _, f in figures)
        span = (high - low) or 1.0

        def column(value: float, low: float = low, span: float = span) -> int:
            return round((value - low) / span * (width - 1))

        page.line("")
        page.line(f"Salary ranges in {currency}, on one axis", "bold")
        for label, figure in figures:
            if figure.average is not None:
                start = end = column(figure.average)
                bar = "●"
            else:
                assert figure.min is not None and figure.max is not None
                start, end = column(figure.min), column(figure.max)
                bar = "━" * (end - start + 1)
            page.line(f"{label[:label_width]:<{label_width}} │{' ' * start}{bar}")
        left, right = amount_text(low, currency), amount_text(high, currency)
        axis = left if low == high or len(left) + len(right) + 1 > width else f"{left}{right:>{width - len(left)}}"
        page.line(f"{'':<{label_width}} └{axis}")


# --- list and validate ---------------------------------------------------------------------------

LIST_COLUMNS = [
    Column("id", "Id"),
    Column("name", "Name"),
    Column("rungs", "Rungs"),
    Column("origin", "From"),
    Column("path", "File"),
]


def render_list(listing: LadderListing, fmt: Format, out: IO[str], *, limit: int = 0) -> None:
    """`ladder list`: a row per ladder (a table makes only the rows it shows)."""
    first = limit if fmt is Format.table else 0
    render(listing.records(first), LIST_COLUMNS, fmt, out, limit=limit, total=len(listing.ladders))


def render_report(report: Report, fmt: ReportFormat, out: IO[str], err: IO[str]) -> None:
    """`validate`'s findings: one line per problem (or JSON), and a one-line summary."""
    if fmt is ReportFormat.json:
        problems = [problem.as_dict() for problem in report.problems]
        out.write(json_text({"files": report.files, "ok": not report.problems, "problems": problems}))
        return
    for problem in report.problems:
        out.write(f"{problem}\n")
    files = f"{report.files} file{'s' * (report.files != 1)}"
    if report.problems:
        count = len(report.problems)
        err.write(f"{count} problem{'s' * (count != 1)} in {files}\n")
    else:
        out.write(f"ok: {files} checked, no problems\n")


# --- progress ------------------------------------------------------------------------------------


class ProgressBar:
    """A bar on a terminal's stderr while a command reads files the index does not hold yet.

    It appears only once the command has run for `delay` seconds, so a warm run never draws one,
    and never on a pipe or a file, where it would be noise in a log.
    """

    def __init__(self, stream: IO[str], delay: float = 1.0) -> None:
        import time

        self._clock = time.monotonic
        self._stream = stream
        self._started = self._clock()
        self._delay = delay
        self._shown_at = 0.0
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        now = self._clock()
        if self._bar is None:
            if done >= total or now - self._started < self._delay or not self._stream.isatty():
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            # No refresh thread: the bar is drawn here, so worker processes are never forked beside a thread.
            self._bar = Progress(
                TextColumn("reading ladders"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console(self._stream),
                transient=True,
                auto_refresh=False,
            )
            self._task = self._bar.add_task("read", total=total)
            self._bar.start()
        if done >= total:
            self.close()
        elif now - self._shown_at >= 0.1:
            self._bar.update(self._task, completed=done, total=total)
            self._bar.refresh()
            self._shown_at = now

    def close(self) -> None:
        """Take the bar off the screen (also when the command fails or is interrupted)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
