"""`about`, `entry`, `tracks` and `sources`: what a ladder knows besides its rungs."""

from __future__ import annotations

from typing import IO

from career_ladder.render.document import Block, bullets, cited, grid, heading, label, paragraph, write_document
from career_ladder.render.labels import outlook_scale, ratio_text
from career_ladder.render.ladders import figure_line
from career_ladder.render.output import Column
from career_ladder.results import Format
from career_ladder.results.knowledge import (
    PLACE_SEPARATOR,
    AboutView,
    CitedSource,
    EntryReport,
    SourceFacts,
    SourceList,
    TrackList,
)

BAR_WIDTH = 20


def render_about(view: AboutView, fmt: Format, out: IO[str]) -> None:
    """`ladder about LADDER`: outlook as a bar chart, skills, variance, ratios, views and notes."""
    ladder = view.ladder
    blocks: list[Block] = [heading(f"{ladder.name} ({ladder.id})"), paragraph(ladder.summary)]
    if ladder.outlook:
        blocks += [heading("Outlook"), *_outlook(view)]
    if ladder.skills:
        blocks += [
            heading("Skills the whole ladder asks for"),
            bullets([cited(p.text, p.sources) for p in ladder.skills]),
        ]
    for driver in ladder.variance:
        blocks += [heading(f"Why it varies: {driver.name}"), bullets([cited(p.text, p.sources) for p in driver.points])]
    if ladder.ratios:
        lines = []
        for r in ladder.ratios:
            ratio = ratio_text(r.product_managers, r.engineers)
            lines.append(cited(ratio + (f": {r.text}" if r.text else ""), r.sources))
        blocks += [heading("Ratios"), bullets(lines)]
    for other in ladder.views:
        steps = " → ".join(f"{step.title} ({', '.join(step.rungs)})" for step in other.steps)
        blocks += [heading(f"View {other.id}"), bullets([cited(other.summary, other.sources), f"Steps: {steps}"])]
    if ladder.salary:
        noted = [figure_line(figure) + (f" {figure.note}" if figure.note else "") for figure in ladder.salary]
        blocks += [heading("Pay for the role as a whole, not for one rung"), bullets(noted)]
    if ladder.notes:
        blocks += [heading("Notes"), bullets([cited(p.text, p.sources) for p in ladder.notes])]
    rows = [fact.record() for fact in view.facts]
    write_document(blocks, fmt, out, full=view.to_dict, rows=rows, columns=FACT_CSV)


FACT_CSV = [Column(k, k) for k in ("ladder", "where", "field", "text", "sources")]


def _outlook(view: AboutView) -> list[Block]:
    """The factors as bars against their scale; where the source states none, against the highest score."""
    scores = view.ladder.outlook
    top, stated = outlook_scale(scores)
    rows = []
    for score in scores:
        bar = "█" * round(score.score / max(top, 1) * BAR_WIDTH)
        scale = f"{score.score} of {score.out_of}" if score.out_of is not None else str(score.score)
        rows.append({"factor": score.factor, "score": scale, "bar": bar, "sources": ", ".join(score.sources)})
    columns = [Column("factor", "Factor"), Column("score", "Score"), Column("bar", ""), Column("sources", "Source")]
    reasons = [cited(f"{score.factor}: {score.text}", score.sources) for score in scores if score.text]
    caveat = (
        "Scores as the source gives them."
        if stated
        else "The source gives each factor a score but states no scale: "
        f"bars are drawn against the highest score given ({top})."
    )
    return [grid(rows, columns), paragraph(caveat), bullets(reasons)]


ENTRY_CSV = [Column(k, k) for k in ("ladder", "id", "name", "lands_on", "notes", "sources")]


def render_entry(report: EntryReport, fmt: Format, out: IO[str]) -> None:
    """`ladder entry`: entry points, then the steps in, then degrees and certificates."""
    rows = [p.record() | {"notes": "\n".join(cited(n.text, n.sources) for n in p.item.notes)} for p in report.entries]
    blocks: list[Block] = []
    for ladder in dict.fromkeys(placed.ladder for placed in report.entries):
        blocks.append(heading(f"Ways into {ladder}"))
        for way in [placed.item for placed in report.entries if placed.ladder == ladder]:
            blocks.append(label(cited(f"{way.name} ({way.id}) → {', '.join(way.lands_on)}", way.sources)))
            blocks.append(bullets([cited(note.text, note.sources) for note in way.notes]))
    for ladder in dict.fromkeys(step.ladder for step in report.steps):
        steps = [step.item for step in report.steps if step.ladder == ladder]
        numbered = [cited(f"{n}. {step.text}", step.sources) for n, step in enumerate(steps, 1)]
        blocks += [heading(f"Steps into the career ({ladder})"), bullets(numbered)]
    if report.education:
        education = []
        for q in report.education:
            text = f": {q.item.text}" if q.item.text else ""
            education.append(cited(f"{q.item.name} ({q.item.kind}, {q.ladder}){text}", q.item.sources))
        blocks += [heading("Degrees and certificates"), bullets(education)]
    write_document(blocks, fmt, out, full=report.to_dict, rows=rows, columns=ENTRY_CSV)


TRACK_COLUMNS = [
    Column("ladder", "Ladder"),
    Column("name", "Track"),
    Column("focus", "Focus"),
    Column("sources", "Sources"),
]
TRACK_CSV = [Column(k, k) for k in ("ladder", "id", "name", "focus", "sources")]


def render_tracks(found: TrackList, fmt: Format, out: IO[str]) -> None:
    """`ladder tracks`: the specialisations, a row each."""
    rows = found.to_dict()
    table = grid(rows, TRACK_COLUMNS, "Specialisations the sources name")
    write_document([table], fmt, out, full=found.to_dict, rows=rows, columns=TRACK_CSV)


SOURCE_CSV = [Column(k, k) for k in ("ladder", "id", "title", "publisher", "date", "file", "url", "covers", "parts")]


def _source_blocks(found: list[CitedSource]) -> list[Block]:
    """Each source as a labelled list: who published it and when, where its text is, what it covers."""
    blocks: list[Block] = []
    for ladder in dict.fromkeys(item.ladder for item in found):
        blocks.append(heading(f"Sources of {ladder}"))
        for item in (item for item in found if item.ladder == ladder):
            source = item.source
            published = ", ".join(str(part) for part in (source.publisher, source.date) if part) or "not stated"
            lines = [f"Published: {published}"]
            lines += [f"Text: {kept}" for kept in (source.file, source.url) if kept]
            lines += [f"Covers: {source.covers}"] if source.covers else []
            lines.append(f"Cited by {item.parts} part{'s' * (item.parts != 1)} of the ladder")
            blocks += [label(f"{source.id}: {source.title}"), bullets(lines)]
    return blocks


def render_sources(found: SourceList, fmt: Format, out: IO[str]) -> None:
    """`ladder sources`: every source of every ladder, and how much of the ladder it backs."""
    rows = found.to_dict()
    write_document(_source_blocks(found.sources), fmt, out, full=found.to_dict, rows=rows, columns=SOURCE_CSV)


FACT_COLUMNS = [Column("place", "Where"), Column("text", "What it says"), Column("sources", "Sources")]


def render_source_facts(report: SourceFacts, fmt: Format, out: IO[str]) -> None:
    """`ladder sources ID`: the source, then the facts it backs, by ladder and section."""
    blocks: list[Block] = _source_blocks(report.sources)
    for ladder in dict.fromkeys(fact.ladder for fact in report.facts):
        of_ladder = [fact for fact in report.facts if fact.ladder == ladder]
        for section in dict.fromkeys(fact.where[0] for fact in of_ladder):
            rows = [
                {"place": fact.place, "text": fact.text, "sources": ", ".join(fact.sources)}
                for fact in of_ladder
                if fact.where[0] == section
            ]
            blocks += [heading(f"{ladder}{PLACE_SEPARATOR}{section}"), grid(rows, FACT_COLUMNS)]
    rows = [fact.record() for fact in report.facts]
    write_document(blocks, fmt, out, full=report.to_dict, rows=rows, columns=FACT_CSV)
