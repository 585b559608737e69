"""`compare`: ladders side by side, a column each, and the sources' points pair by pair."""

from __future__ import annotations

from typing import IO, Any

from career_ladder.render.document import Block, bullets, cited, heading, label, paragraph, render_with_notes
from career_ladder.render.labels import KIND_NAMES, listed_names, note_lines, rung_label, salary_cell
from career_ladder.render.ladders import track_names
from career_ladder.render.output import Column
from career_ladder.results import Format, LadderComparison, LadderView, PlacedRung


def render_comparison(
    comparison: LadderComparison, fmt: Format, out: IO[str], *, limit: int = 0, competencies: bool = False
) -> None:
    """`ladder compare`: the aligned rungs, a column per ladder, then the sources' points; with
    `competencies`, each rung's expectations area by area in place of its pay."""
    ids = [view.ladder.id for view in comparison.views]
    notes: dict[str, int] = {}
    rows = []
    for row in comparison.rows:
        record: dict[str, Any] = {"level": row.level, "lane": KIND_NAMES.get(row.lane or "", row.lane or "")}
        for view, cell in zip(comparison.views, row.cells, strict=True):
            ladder = view.ladder.id
            lines = [rung_label(cell)] if cell else []
            if cell and (lane := _lane_of(view, cell)):
                lines.append(f"[{lane}]")
            if cell and cell.rung.level != row.level:
                lines.append(f"(level {cell.rung.level})")
            detail = _expectations(view, cell) if competencies and cell else salary_cell(cell, notes) if cell else ""
            record[ladder] = "\n".join([*lines, detail]) if cell else ""
            record[f"{ladder}_expectations"] = _expectations(view, cell) if cell else ""
            record[f"{ladder}_id"] = cell.rung.id if cell else ""
            record[f"{ladder}_salary"] = salary_cell(cell) if cell else ""
        if len(ids) == 2:
            for side, ladder in zip(("left", "right"), ids, strict=True):
                record |= {f"{side}_id": record[f"{ladder}_id"], f"{side}_salary": record[f"{ladder}_salary"]}
        rows.append(record)
    fixed = [Column("level", "Level")]
    columns = [*fixed, *(Column(ladder, ladder) for ladder in ids)]
    if fmt is Format.csv:
        sides = ("left", "right") if len(ids) == 2 else ids
        keys = ["level", *(f"{side}_{key}" for side in sides for key in ("id", "salary")), "lane"]
        keys += [f"{ladder}_expectations" for ladder in ids] if competencies else []
        columns = [Column(key, key) for key in keys]

    points = [*(paragraph(line) for line in note_lines(notes)), *_comparison_points(comparison)]
    title = f"{listed_names(ids)}, rung by rung"
    render_with_notes(
        rows, columns, fmt, out, points, limit=limit, title=title, full=comparison.to_dict, spread_after=len(fixed)
    )


def _expectations(view: LadderView, placed: PlacedRung) -> str:
    """A rung's expectations, area by area in its ladder's order, or that it states none."""
    lines = []
    for area in view.ladder.competencies:
        points = placed.rung.expectations.get(area.id, [])
        if points:
            lines += [f"{area.name}:", *(f"• {point.text}" for point in points)]
    return "\n".join(lines) or "no expectations stated"


def _lane_of(view: LadderView, placed: PlacedRung) -> str:
    """The track a rung stands on in its own ladder, or the kind its sources give it."""
    if placed.track:
        return track_names(view.ladder).get(placed.track, placed.track)
    return KIND_NAMES.get(placed.rung.kind or "", "")


def _comparison_points(comparison: LadderComparison) -> list[Block]:
    """The sources' point-by-point comparisons, pair by pair."""
    ids = [view.ladder.id for view in comparison.views]
    if not comparison.pairs:
        return [paragraph(f"The sources give no point-by-point comparison of {listed_names(ids)}.")]
    blocks: list[Block] = [heading("As the sources compare them")]
    for pair in comparison.pairs:
        if len(ids) > 2:
            blocks.append(heading(f"{pair.first} and {pair.second}"))
        for point in pair.points:
            blocks += [
                label(cited(point.aspect, point.sources)),
                bullets([f"{pair.first}: {point.this}", f"{pair.second}: {point.other}"]),
            ]
    return blocks
