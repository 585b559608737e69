"""`show`, `compare`, `list` and `validate` as tables, notes and the machine formats."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, Any

from career_ladder.render.labels import COVERS, figure_text, rung_label, salary_cell
from career_ladder.render.output import Column, Page, console, json_text, render, table, write_data
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
    if fmt in (Format.csv, Format.markdown):
        render(rows, RUNG_CSV if fmt is Format.csv else columns, fmt, out)
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
        after=lambda page: _ladder_notes(view, page),
    )


def _first(rows: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    return rows[:limit] if limit else rows


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

    def points(page: Page) -> None:
        if not comparison.points:
            page.line(f"The sources give no point-by-point comparison of {left} and {right}.")
            return
        point_rows = [
            {"aspect": p.aspect, "left": p.this, "right": p.other, "sources": ", ".join(p.sources)}
            for p in comparison.points
        ]
        page.add(
            table(
                point_rows,
                [
                    Column("aspect", "Aspect"),
                    Column("left", left),
                    Column("right", right),
                    Column("sources", "Sources"),
                ],
                "As the sources compare them",
                page,
            )
        )

    render(
        _first(rows, limit) if fmt is Format.table else rows,
        columns,
        fmt,
        out,
        title=f"{left} and {right}, rung by rung",
        total=len(rows),
        full=comparison.record,
        after=points,
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
