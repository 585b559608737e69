"""`salary`: figures as people read them, the table, the machine formats and the range chart."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from career_ladder.currencies import amount_text, figure_text
from career_ladder.render.labels import COVERS, no_figure_text, note_lines, note_mark, period_text, rung_label
from career_ladder.render.output import Column, Page, markdown_text, render
from career_ladder.results import FIGURE_FIELDS, Format, SalaryReport

if TYPE_CHECKING:
    from career_ladder.models import SalaryFigure

MIN_CHART_WIDTH = 40
ROLE_WIDE = "[the role as a whole]"  # pay a ladder gives for its role, for no one rung


SALARY_COLUMNS = [
    Column("ladder", "Ladder"),
    Column("rung_label", "Rung"),
    Column("amount", "Salary"),
    Column("covers", "Covers"),
    Column("region", "Region"),
    Column("as_of", "As of"),
    Column("source_text", "Source"),
]
# Columns left out of a table where no row states them, and said so under it.
OPTIONAL = {"covers": "pay basis", "region": "region", "as_of": "year"}
# csv: a row's record, without `shared` and the figure's `note`.
SALARY_CSV = [
    Column(k, k)
    for k in ("ladder", "rung", "title", *FIGURE_FIELDS, "not_published_by", "inherited_from", "role_wide")
    if k != "note"
]


def render_salary(report: SalaryReport, fmt: Format, out: IO[str]) -> None:
    """`ladder salary`: a row per figure (plain numbers in machine formats), each figure's note
    numbered under the table, then the range chart."""
    records = [row.record() for row in report.rows]
    if fmt in (Format.json, Format.yaml, Format.csv):
        render(records, SALARY_CSV, fmt, out, full=report.to_dict)
        return
    notes: dict[str, int] = {}  # a note once, however many rows show its figure
    rows = []
    for row, record in zip(report.rows, records, strict=True):
        amount = f"{figure_text(row.figure)} {period_text(row.figure)}" if row.figure else no_figure_text(row.placed)
        if row.figure:
            amount += note_mark(row.figure, notes)
        rows.append(
            {
                **record,
                "rung_label": rung_label(row.placed) if row.placed else f"{record['title']}\n{ROLE_WIDE}",
                "amount": amount,
                "covers": COVERS[row.figure.covers] if row.figure else "",
                "region": record["region"] or ("not stated" if row.figure else ""),
                "as_of": record["as_of"] or ("not stated" if row.figure else ""),
                "source_text": ", ".join(record["sources"])
                + (f"\n({row.inherited_from}'s figure)" if row.inherited_from else ""),
            }
        )
    silent = [c for c in SALARY_COLUMNS if c.key in OPTIONAL and all(r[c.key] in ("not stated", "") for r in rows)]
    columns = [c for c in SALARY_COLUMNS if c not in silent]
    # Only a figure can leave a field unstated: rows without one say nothing about fields.
    unstated = [OPTIONAL[c.key] for c in silent] if any(row.figure for row in report.rows) else []
    below = note_lines(notes)
    if unstated:
        below.append(f"Not stated for any figure above: {', '.join(unstated)}.")

    def after(page: Page) -> None:
        for line in below:
            page.line(line)
        _salary_chart(report, page)

    render(rows, columns, fmt, out, total=report.total, after=after)
    if below and fmt is Format.markdown:
        out.write("\n" + "\n\n".join(markdown_text(line) for line in below) + "\n")


def _salary_chart(report: SalaryReport, page: Page) -> None:
    """Ranges as bars on one shared axis per currency (never two currencies on one axis)."""
    by_currency: dict[str, list[tuple[str, SalaryFigure]]] = {}
    for label, figure in report.figures:
        by_currency.setdefault(figure.currency, []).append((label, figure))
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
