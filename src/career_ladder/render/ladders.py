"""`show` and `list` as tables, notes and the machine formats."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from career_ladder.currencies import figure_text
from career_ladder.errors import NotFound
from career_ladder.render.document import (
    Block,
    bullets,
    cited,
    grid,
    heading,
    label,
    paragraph,
    render_with_notes,
    write_document,
)
from career_ladder.render.labels import (
    KIND_NAMES,
    figure_facts,
    note_lines,
    period_text,
    rung_label,
    salary_cell,
    unpublished_text,
    years_text,
)
from career_ladder.render.output import Column, Page, render
from career_ladder.results import Format, LadderListing, LadderView, PlacedRung, RungView, dumped

if TYPE_CHECKING:
    from career_ladder.models import Ladder, NotPublished, NotStated, SalaryFigure

RUNG_COLUMNS = [
    Column("level", "Level"),
    Column("rung", "Rung"),
    Column("track_name", "Track"),
    Column("scope", "Scope"),
    Column("years_text", "Experience"),
    Column("salary_text", "Salary"),
]
# Left out of a table where no rung has them: most ladders have no tracks and give no years.
OPTIONAL_COLUMNS = ("track_name", "years_text")
DETAIL_COLUMNS = [Column("responsibilities", "Responsibilities"), Column("signals", "Ready for the next rung when")]
NO_DUTIES = "no duties stated"


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


def _bullets(points: Sequence[Any]) -> str:
    return "\n".join(f"• {p.text}" for p in points)


def rung_record(placed: PlacedRung) -> dict[str, Any]:
    """A rung as one flat row, a csv column a field: the model's fields and where the rung stands."""
    rung = placed.rung
    years = rung.years
    return {
        "ladder": placed.ladder,
        "id": rung.id,
        "level": rung.level,
        "title": rung.title,
        "aliases": list(rung.aliases),
        "kind": rung.kind,
        "optional": rung.optional,
        "shared": placed.shared_from,
        "summary": rung.summary or "",
        "salary": "\n".join(figure_text(f) for f in rung.salary),
        "sources": list(rung.sources),
        "track": placed.track,
        "years_min": years.min if years else None,
        "years_max": years.max if years else None,
        "reports_to": list(rung.reports_to),
        "equivalent": list(rung.equivalent),
        "pay_published": not (placed.pay_not_published and not rung.salary),
    }


def rung_row(placed: PlacedRung, track_names: dict[str, str], notes: dict[str, int]) -> dict[str, Any]:
    """A rung as a row of `show`'s table: its record and the table's cells (its figures' notes
    numbered in `notes`)."""
    rung = placed.rung
    return rung_record(placed) | {
        "rung": rung_label(placed),
        "track_name": track_names.get(placed.track or "", placed.track or ""),
        "scope": _first_sentence(rung.summary or (rung.responsibilities[0].text if rung.responsibilities else ""))
        or NO_DUTIES,
        "years_text": years_text(rung.years),
        "salary_text": salary_cell(placed, notes),
        "responsibilities": _bullets(rung.responsibilities),
        "signals": _bullets(rung.signals),
    }


def track_names(ladder: Ladder) -> dict[str, str]:
    return {track.id: track.name for track in ladder.parallel_tracks}


def render_ladder(
    view: LadderView, fmt: Format, out: IO[str], *, detail: bool = False, limit: int = 0, competencies: bool = False
) -> None:
    """`ladder show LADDER`: the rung table and, under it, the tracks side by side, views, moves,
    entry points and specialisations; or, with `competencies`, the competency matrix."""
    if competencies:
        render_matrix(view, fmt, out)
        return
    names = track_names(view.ladder)
    notes: dict[str, int] = {}
    rows = [rung_row(p, names, notes) for p in view.rungs]
    columns = [c for c in RUNG_COLUMNS if c.key not in OPTIONAL_COLUMNS or any(row[c.key] for row in rows)]
    csv_columns = [Column(key, key) for key in rung_record(view.rungs[0])]
    if view.origins is not None:
        for index, (placed, row) in enumerate(zip(view.rungs, rows, strict=True)):
            row["origin"] = view.origin(("rungs", index), placed.shared_from)
            figures = range(len(placed.rung.salary))
            origins = [view.origin(("rungs", index, "salary", figure), placed.shared_from) for figure in figures]
            row["salary_text"] = salary_cell(placed, notes, origins)
        columns = [*columns[:2], Column("origin", "From"), *columns[2:]]
        csv_columns.append(Column("origin", "origin"))
    if view.ladder.pay_not_published and not any(placed.rung.salary for placed in view.rungs):
        columns = [c for c in columns if c.key != "salary_text"]  # said once, under the table
    if detail:
        columns += DETAIL_COLUMNS
    if fmt is Format.csv:
        render(rows, csv_columns, fmt, out)
        return
    below = [paragraph(line) for line in note_lines(notes)] if "salary_text" in {c.key for c in columns} else []
    title = f"{view.ladder.name} ({view.ladder.id})"
    render_with_notes(
        rows, columns, fmt, out, [*below, *_ladder_notes(view)], limit=limit, title=title, full=view.to_dict
    )


ALL_TRACKS = "All tracks"


def tracks_side_by_side(view: LadderView) -> Block | None:
    """The parallel tracks as columns, a row per level: who stands beside whom."""
    tracks = view.ladder.parallel_tracks
    if not tracks:
        return None
    keys = ["", *(track.id for track in tracks)]
    columns = [Column("level", "Level")]
    if any(placed.track is None for placed in view.rungs):
        columns.append(Column("", ALL_TRACKS))
    columns += [Column(track.id, track.name) for track in tracks]
    rows: dict[int, dict[str, Any]] = {}
    for placed in view.rungs:
        row = rows.setdefault(placed.rung.level, {"level": placed.rung.level, **dict.fromkeys(keys, "")})
        key = placed.track or ""
        row[key] = "\n".join(filter(None, [row[key], rung_label(placed)]))
    return grid([rows[level] for level in sorted(rows)], columns, "The tracks side by side, by level")


def render_matrix(view: LadderView, fmt: Format, out: IO[str]) -> None:
    """`show LADDER --competencies`: a row per rung, a column per competency area, what the rung
    is expected to show there."""
    areas = view.ladder.competencies
    if not areas:
        raise NotFound(f"ladder '{view.ladder.id}' declares no competency areas (`competencies`)")
    names = track_names(view.ladder)
    rows = []
    for placed in view.rungs:
        row = {"ladder": placed.ladder, "id": placed.rung.id, "level": placed.rung.level}
        row |= {"rung": rung_label(placed), "track": names.get(placed.track or "", "")}
        for area in areas:
            row[area.id] = "\n".join(f"• {cited(p.text, p.sources)}" for p in placed.rung.expectations.get(area.id, []))
        rows.append(row)
    columns = [Column("level", "Level"), Column("rung", "Rung")]
    columns += [Column("track", "Track")] if names else []
    columns += [Column(area.id, area.name) for area in areas]
    if fmt is Format.csv:
        columns = [Column(k, k) for k in ("ladder", "id", "level")] + [Column(a.id, a.id) for a in areas]
    covered = [cited(f"{area.name}: {area.covers}", area.sources) for area in areas]
    notes = [label("The competency areas:"), bullets(covered)]
    full = [
        {"ladder": p.ladder, "id": p.rung.id, "level": p.rung.level, "track": p.track}
        | {"expectations": {a.id: dumped(p.rung.expectations.get(a.id, [])) for a in areas}}
        for p in view.rungs
    ]
    title = f"{view.ladder.name} ({view.ladder.id}): competencies, rung by rung"
    render_with_notes(rows, columns, fmt, out, notes, title=title, full=lambda: full, spread_after=3 if names else 2)


def _ladder_notes(view: LadderView) -> list[Block]:
    """What `show LADDER` says under its table: the other layouts, the moves (a shared rung's too,
    from its home ladder), the ways in and the tracks."""
    ladder = view.ladder
    blocks: list[Block] = []
    if view.overrides:
        replaced = ", ".join(view.overrides)
        blocks.append(label(f"Overrides: {view.path} replaces the ladder '{ladder.id}' of {replaced}"))
    side_by_side = tracks_side_by_side(view)
    if side_by_side:
        tracks = []
        for track in ladder.parallel_tracks:
            kind = f" ({KIND_NAMES[track.kind]})" if track.kind else ""
            tracks.append(cited(f"{track.name}{kind}" + (f": {track.summary}" if track.summary else ""), track.sources))
        blocks += [side_by_side, label("Tracks:"), bullets(tracks)]
    if ladder.views:
        count = len(ladder.views)
        blocks.append(label(f"Other views: the sources lay this ladder out in {count} other ways:"))
        layouts = [cited(f"{o.id}: {' → '.join(step.title for step in o.steps)}", o.sources) for o in ladder.views]
        blocks.append(bullets(layouts))
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
        blocks.append(label("Specialisations: " + "; ".join(t.name for t in ladder.tracks)))
    if ladder.competencies:
        areas = "; ".join(area.name for area in ladder.competencies)
        blocks.append(label(f"Competency areas: {areas} (ladder show {ladder.id} --competencies)"))
    if ladder.pay_not_published:
        blocks.append(label(f"Pay: {unpublished_text(ladder.pay_not_published)}"))
    if ladder.salary:
        blocks.append(label("Pay for the role as a whole, not for one rung:"))
        blocks.append(bullets([figure_line(figure) for figure in ladder.salary]))
    blocks.append(paragraph(f"One rung in full: ladder show {ladder.id} {view.rungs[0].rung.id}"))
    blocks.append(paragraph(f"The ladder as a whole: ladder about {ladder.id}"))
    return blocks


def figure_line(figure: SalaryFigure) -> str:
    """A figure with everything the source says of it: currency, region, year, pay basis, sources."""
    where = ", ".join([figure.currency, *figure_facts(figure)])
    return cited(f"{figure_text(figure)} {period_text(figure)} ({where})", figure.sources)


def render_rung(view: RungView, fmt: Format, out: IO[str]) -> None:
    """`ladder show LADDER RUNG`: the rung in full, section by section (csv: the rung as one row)."""
    placed = view.placed
    rung = placed.rung
    names = track_names(view.ladder)

    def listed(points: Sequence[Any], *field: str) -> Block:
        """The points at `field` of the rung, each with its sources, and where it comes from when asked."""
        return bullets([cited(p.text, p.sources) + _from(view, *field, i) for i, p in enumerate(points)])

    where = [f"Ladder {view.ladder.id}", f"level {rung.level}"]
    where += [f"track {names.get(placed.track, placed.track)}"] if placed.track else []
    where += [rung.kind] if rung.kind else []
    blocks: list[Block] = [heading(rung_label(placed).replace("\n", "  ")), paragraph(", ".join(where))]
    if rung.summary:
        blocks.append(paragraph(rung.summary))
    facts = [("Typical experience", years_text(rung.years))]
    facts += [("Reports to", ", ".join(rung.reports_to)), ("Equivalent to", ", ".join(rung.equivalent))]
    blocks += [paragraph(f"{name}: {value}") for name, value in facts if value]
    if rung.duties_not_stated:
        blocks.append(paragraph(_stated("The sources give no duties for this rung", rung.duties_not_stated)))
    for title, field, points in (
        ("Responsibilities", "responsibilities", rung.responsibilities),
        ("Skills and qualities", "skills", rung.skills),
    ):
        if points:
            blocks += [heading(title), listed(points, field)]
    if rung.expectations:
        blocks.append(heading("Expectations by competency area"))
        for area in view.ladder.competencies:
            if rung.expectations.get(area.id):
                blocks += [label(area.name), listed(rung.expectations[area.id], "expectations", area.id)]
    if rung.signals:
        blocks += [heading("Ready for the next rung when"), listed(rung.signals, "signals")]
    if rung.notes:
        blocks += [heading("Notes"), listed(rung.notes, "notes")]
    if view.origin():
        blocks.insert(2, paragraph(f"From: {view.origin()}"))
    blocks += _rung_pay(view)
    if view.leads_to:
        moves: list[str | tuple[str, int, str]] = []
        for move in view.leads_to:
            moves.append(cited(f"{move.move.kind}: {move.end}", move.move.sources))
            moves += [(cited(signal.text, signal.sources), 6, "–") for signal in move.move.signals]
        blocks += [heading("Leads to"), bullets(moves)]
    if view.reached_by or view.entry_points:
        reached = [f"{move.move.kind} from {move.start}" for move in view.reached_by]
        reached += [f"entry: {entry.name}" for entry in view.entry_points]
        blocks += [heading("Reached from"), bullets(reached)]
    blocks += [heading("Sources"), bullets([f"{source_id}: {title}" for source_id, title in view.sources.items()])]
    record = rung_record(placed)
    write_document(blocks, fmt, out, full=view.to_dict, rows=[record], columns=[Column(k, k) for k in record])


def _from(view: RungView, *place: str | int) -> str:
    """`  (from pm)`: where the part at `place` in the rung comes from, when that was asked for."""
    origin = view.origin(*place)
    return f"  (from {origin})" if origin else ""


def _rung_pay(view: RungView) -> list[Block]:
    """The rung's figures, or why there are none; then its equivalents' pay, as their ladders give it."""
    rung = view.placed.rung
    blocks = [heading("Salary")]
    if not rung.salary:
        statement = view.placed.pay_not_published
        said = _stated(f"  Not published by {statement.by}", statement) if statement else ""
        blocks.append(paragraph(said or "  The sources give no figure for this rung."))
    figures: list[str | tuple[str, int, str]] = []
    for index, figure in enumerate(rung.salary):
        figures.append(figure_line(figure) + _from(view, "salary", index))
        if figure.note:
            figures.append((figure.note, 4, " "))
    blocks.append(bullets(figures))
    theirs: list[str | tuple[str, int, str]] = []
    for other in view.equivalents:
        figures_or_none = [figure_line(figure) for figure in other.rung.salary] or [salary_cell(other)]
        theirs.append(f"{other.ref} ({other.rung.title}):")
        theirs += [(line, 4, "–") for line in figures_or_none]
    if theirs:
        owner = f"not {view.ladder.id}'s"
        blocks += [label(f"Pay of the equivalent rungs, as their own ladders give it ({owner}):"), bullets(theirs)]
    return blocks


def _stated(text: str, statement: NotPublished | NotStated) -> str:
    """What the sources say of something they leave out: `text`, their note and their sources."""
    return cited(text + (f": {statement.note}" if statement.note else "."), statement.sources)


LIST_COLUMNS = [
    Column("id", "Id"),
    Column("name", "Name"),
    Column("rungs", "Rungs"),
    Column("origin", "From"),
    Column("path", "File"),
]


def render_list(listing: LadderListing, fmt: Format, out: IO[str]) -> None:
    """`ladder list`: a row per ladder, the files it overrides when one does; a table names each file
    in its folder, and the folders under it on lines of their own (no column could hold a path whole)."""
    records = [row.record() for row in listing.rows]
    columns = LIST_COLUMNS
    if any(row.overrides for row in listing.rows) or fmt is Format.csv:
        columns = [*LIST_COLUMNS, Column("overrides", "Overrides")]
    if fmt is not Format.table:
        render(records, columns, fmt, out, total=listing.total, full=listing.to_dict)
        return
    folders = _folder_labels(listing)
    for record in records:
        record["origin"] = folders[str(Path(record["path"]).parent)]
        record["path"] = Path(record["path"]).name
        record["overrides"] = [f"{Path(path).name} ({folders[str(Path(path).parent)]})" for path in record["overrides"]]

    def after(page: Page) -> None:
        page.line("Folders:")
        for folder, name in folders.items():
            if len(f"  {name}: {folder}") <= page.width:
                page.line(f"  {name}: {folder}")
            else:  # the path on a line of its own, whole if any line can hold it
                page.line(f"  {name}:")
                page.line(f"  {folder}")

    render(records, columns, fmt, out, total=listing.total, after=after)


def _folder_labels(listing: LadderListing) -> dict[str, str]:
    """Each folder of the files listed or overridden, by where it comes from (`built-in`,
    `--data-dir`), numbered where one origin has several, in search order."""
    used = {str(Path(path).parent) for row in listing.rows for path in [row.path, *row.overrides]}
    folders = {folder: origin for folder, origin in listing.folders.items() if folder in used}
    folders |= {folder: "other" for folder in sorted(used - set(folders))}
    origins = list(folders.values())
    labels, counted = {}, dict.fromkeys(origins, 0)
    for folder, origin in folders.items():
        counted[origin] += 1
        labels[folder] = f"{origin} {counted[origin]}" if origins.count(origin) > 1 else origin
    return labels
