"""`show`, `compare`, `list` and `validate` as tables, notes and the machine formats."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from career_ladder.errors import printable
from career_ladder.render.document import (
    Block,
    bullets,
    cited,
    draw,
    heading,
    label,
    markdown,
    paragraph,
    write_document,
)
from career_ladder.render.labels import COVERS, figure_text, period_text, rung_label, salary_cell
from career_ladder.render.output import Column, json_text, render
from career_ladder.results import (
    Format,
    LadderComparison,
    LadderListing,
    LadderView,
    PlacedRung,
    ReportFormat,
    RungView,
    ValidationReport,
)

if TYPE_CHECKING:
    from career_ladder.models import SalaryFigure

RUNG_COLUMNS = [
    Column("level", "Level"),
    Column("rung", "Rung"),
    Column("scope", "Scope"),
    Column("salary_text", "Salary"),
]
DETAIL_COLUMNS = [Column("responsibilities", "Responsibilities"), Column("signals", "Ready for the next rung when")]


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
    if fmt is Format.csv:
        render(rows, RUNG_CSV, fmt, out)
        return
    if fmt is Format.markdown:
        render(rows, columns, fmt, out)
        out.write("\n" + markdown(_ladder_notes(view)))
        return
    title = f"{view.ladder.name} ({view.ladder.id})"
    render(
        _first(rows, limit),
        columns,
        fmt,
        out,
        title=title,
        total=len(rows),
        full=view.record,
        after=lambda page: draw(_ladder_notes(view), page),
    )


def _first(rows: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    return rows[:limit] if limit else rows


def _ladder_notes(view: LadderView) -> list[Block]:
    """What `show LADDER` says under its table: the other layouts, the moves (a shared rung's too,
    from its home ladder), the ways in and the tracks."""
    ladder = view.ladder
    blocks: list[Block] = []
    if ladder.views:
        count = len(ladder.views)
        blocks.append(label(f"Other views: the sources lay this ladder out in {count} other ways:"))
        layouts = [" → ".join(step.title for step in other.steps) for other in ladder.views]
        blocks.append(
            bullets([cited(f"{o.id}: {steps}", o.sources) for o, steps in zip(ladder.views, layouts, strict=True)])
        )
    moves = {"promotion": "Promotions", "lateral": "Lateral moves", "exit": "Exits"}
    for kind, title in moves.items():
        found = [placed for placed in view.moves if placed.move.kind == kind]
        if found:
            arrow = " ↔ " if kind == "lateral" else " → "
            steps = [f"{placed.start}{arrow}{placed.end}" for placed in found]
            blocks.append(label(f"{title}: " + "; ".join(steps)))
    if ladder.entry_points:
        entries = "; ".join(f"{e.name} → {', '.join(e.lands_on)}" for e in ladder.entry_points)
        blocks.append(label(f"Entry points: {entries}"))
    if ladder.tracks:
        blocks.append(label("Tracks: " + "; ".join(t.name for t in ladder.tracks)))
    if ladder.salary:
        blocks.append(label("Pay for the role as a whole, not for one rung:"))
        blocks.append(bullets([figure_line(figure) for figure in ladder.salary]))
    blocks.append(paragraph(f"One rung in full: ladder show {ladder.id} {view.rungs[0].rung.id}"))
    blocks.append(paragraph(f"The ladder as a whole: ladder about {ladder.id}"))
    return blocks


def figure_line(figure: SalaryFigure) -> str:
    """A figure with everything the source says of it: currency, region, year, pay basis, sources."""
    where = ", ".join(
        [
            figure.currency,
            figure.region or "region not stated",
            f"as of {figure.as_of}" if figure.as_of else "year not stated",
            f"pay basis {COVERS[figure.covers]}",
        ]
    )
    return cited(f"{figure_text(figure)} {period_text(figure)} ({where})", figure.sources)


def render_rung(view: RungView, fmt: Format, out: IO[str]) -> None:
    """`ladder show LADDER RUNG`: the rung in full, section by section (csv: the rung as one row)."""
    rung = view.placed.rung
    blocks: list[Block] = [
        heading(rung_label(view.placed).replace("\n", "  ")),
        paragraph(f"Ladder {view.ladder.id}, level {rung.level}" + (f", {rung.kind}" if rung.kind else "")),
        paragraph(rung.summary),
    ]
    for title, points in (
        ("Responsibilities", rung.responsibilities),
        ("Skills and qualities", rung.skills),
        ("Ready for the next rung when", rung.signals),
    ):
        if points:
            blocks += [heading(title), bullets([cited(point.text, point.sources) for point in points])]
    blocks.append(heading("Salary"))
    if not rung.salary:
        blocks.append(paragraph("  The sources give no figure for this rung."))
    figures: list[str | tuple[str, int, str]] = []
    for figure in rung.salary:
        figures.append(figure_line(figure))
        if figure.note:
            figures.append((figure.note, 4, " "))
    blocks.append(bullets(figures))
    if view.leads_to:
        moves: list[str | tuple[str, int, str]] = []
        for placed in view.leads_to:
            moves.append(cited(f"{placed.move.kind}: {placed.end}", placed.move.sources))
            moves += [(cited(signal.text, signal.sources), 6, "–") for signal in placed.move.signals]
        blocks += [heading("Leads to"), bullets(moves)]
    if view.reached_by or view.entry_points:
        reached = [f"{placed.move.kind} from {placed.start}" for placed in view.reached_by]
        reached += [f"entry: {entry.name}" for entry in view.entry_points]
        blocks += [heading("Reached from"), bullets(reached)]
    blocks += [heading("Sources"), bullets([f"{source_id}: {title}" for source_id, title in view.sources.items()])]
    write_document(blocks, fmt, out, full=view.record, rows=[rung_row(view.placed)], columns=RUNG_CSV)


def render_comparison(comparison: LadderComparison, fmt: Format, out: IO[str], *, limit: int = 0) -> None:
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

    points: list[Block] = [heading("As the sources compare them")]
    for point in comparison.points:
        points += [
            label(cited(point.aspect, point.sources)),
            bullets([f"{left}: {point.this}", f"{right}: {point.other}"]),
        ]
    if not comparison.points:
        points = [paragraph(f"The sources give no point-by-point comparison of {left} and {right}.")]
    if fmt is Format.markdown:
        render(rows, columns, fmt, out)
        out.write("\n" + markdown(points))
        return

    render(
        _first(rows, limit) if fmt is Format.table else rows,
        columns,
        fmt,
        out,
        title=f"{left} and {right}, rung by rung",
        total=len(rows),
        full=comparison.record,
        after=lambda page: draw(points, page),
    )


LIST_COLUMNS = [
    Column("id", "Id"),
    Column("name", "Name"),
    Column("rungs", "Rungs"),
    Column("origin", "From"),
    Column("path", "File"),
]


def render_list(listing: LadderListing, fmt: Format, out: IO[str]) -> None:
    """`ladder list`: a row per ladder."""
    render([row.record() for row in listing.rows], LIST_COLUMNS, fmt, out, total=listing.total)


def render_report(report: ValidationReport, fmt: ReportFormat, out: IO[str], err: IO[str]) -> None:
    """`validate`'s findings: one line per problem (or JSON), and a one-line summary."""
    if fmt is ReportFormat.json:
        problems = [problem.as_dict() for problem in report.problems]
        warnings = [warning.as_dict() for warning in report.warnings]
        out.write(
            json_text({"files": report.files, "ok": not report.problems, "problems": problems, "warnings": warnings})
        )
        return
    for problem in report.problems:
        out.write(f"{problem}\n")
    for warning in report.warnings:
        field = f"{warning.field}: " if warning.field else ""
        out.write(
            printable(
                f"{warning.path}:{warning.line}:{warning.column}: warning: {warning.code}: {field}{warning.message}"
            )
            + "\n"
        )
    files = f"{report.files} file{'s' * (report.files != 1)}"
    warned = f", {_count(len(report.warnings), 'warning')}" if report.warnings else ""
    if report.problems:
        err.write(f"{_count(len(report.problems), 'problem')} in {files}{warned}\n")
    else:
        out.write(f"ok: {files} checked, no problems{warned}\n")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"
