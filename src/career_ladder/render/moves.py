"""`next` and `path`: what the next rung asks, and the routes between two positions."""

from __future__ import annotations

from operator import attrgetter
from typing import IO, TYPE_CHECKING, Any

from career_ladder.currencies import amount_text, figure_text
from career_ladder.render.document import Block, bullets, cited, heading, label, paragraph, write_document
from career_ladder.render.labels import period_text
from career_ladder.render.output import Column
from career_ladder.results import Format
from career_ladder.results.moves import Move, NextView, PayStep, Promotion, Routes

if TYPE_CHECKING:
    from career_ladder.models import SalaryFigure

NEXT_CSV = [Column(k, k) for k in ("from", "to", "section", "text", "sources")]


def render_next(view: NextView, fmt: Format, out: IO[str]) -> None:
    """`ladder next LADDER RUNG`: per promotion, readiness (a checklist in markdown), what is added, pay."""
    current = view.current
    blocks: list[Block] = [paragraph(f"From {current.rung.title} ({current.ref}), level {current.rung.level}")]
    rows: list[dict[str, Any]] = []
    if view.rung_signals:
        blocks.append(heading("Ready for a next rung (the rung's own signals, not tied to one promotion)"))
        blocks.append(bullets([cited(p.text, p.sources) for p in view.rung_signals], checklist=True))
        rows += [_next_row(view, None, "Ready for a next rung", p.text, p.sources) for p in view.rung_signals]
    for promotion in view.promotions:
        target = promotion.target
        blocks.append(heading(f"Next: {target.rung.title} ({target.ref}), level {target.rung.level}"))
        blocks.append(paragraph(f"The sources of this move: {', '.join(promotion.move.sources)}"))
        sections = [
            ("Ready when", promotion.signals, "The sources name no readiness signals for this move."),
            ("Responsibilities it adds", promotion.responsibilities, "The sources list no responsibilities for it."),
            ("Skills it adds", promotion.skills, "The sources list no skills for it."),
        ]
        for title, points, none in sections:
            blocks.append(heading(title))
            items = [cited(p.text, p.sources) for p in points]
            blocks.append(bullets(items, checklist=title == "Ready when") if items else paragraph(none))
            rows += [_next_row(view, promotion, title, p.text, p.sources) for p in points]
        if promotion.areas:
            blocks.append(heading("What changes, area by area"))
            for change in promotion.areas:
                now = [f"now: {cited(p.text, p.sources)}" for p in change.now] or ["now: nothing stated"]
                then = [f"next: {cited(p.text, p.sources)}" for p in change.then] or ["next: nothing stated"]
                blocks += [label(change.name), bullets([*now, *then])]
                section = f"Expectations: {change.name}"
                rows += [_next_row(view, promotion, section, p.text, p.sources) for p in change.then]
        blocks.append(heading("Pay"))
        pay = [_pay_text(step) for step in promotion.pay]
        pay += [f"{currency}: a figure for only one of the two rungs, so no step" for currency in promotion.unpaired]
        withheld = [p.pay_not_published for p in (current, target) if p.pay_not_published and not p.rung.salary]
        pay += list(dict.fromkeys(f"Not published by {said.by}  [{', '.join(said.sources)}]" for said in withheld))
        blocks.append(bullets(pay) if pay else paragraph("No figure for either rung."))
        for step in promotion.pay:
            sources = sorted({source for figure in [*step.now, *step.then] for source in figure.sources})
            rows.append(_next_row(view, promotion, "Pay", _pay_text(step), sources))
    write_document(blocks, fmt, out, full=view.to_dict, rows=rows, columns=NEXT_CSV)


def _next_row(view: NextView, promotion: Promotion | None, section: str, text: str, sources: Any) -> dict[str, Any]:
    to = promotion.target.ref if promotion else ""
    return {"from": view.current.ref, "to": to, "section": section, "text": text, "sources": list(sources)}


def _pay_text(step: PayStep) -> str:
    """Both rungs' figures in one currency with their sources; the step between midpoints only when
    each rung has one figure of the same kind (what it covers, its period, region and year)."""
    now = "; ".join(cited(f"{figure_text(f)} {period_text(f)}", f.sources) for f in step.now)
    then = "; ".join(cited(f"{figure_text(f)} {period_text(f)}", f.sources) for f in step.then)
    text = f"{step.currency}: now {now}; next {then}"
    if len(step.now) == len(step.then) == 1:
        before, after = step.now[0], step.then[0]
        kind = attrgetter("covers", "period", "region", "as_of")
        if kind(before) == kind(after):
            change = _middle(after) - _middle(before)
            sign = "+" if change >= 0 else "-"
            text += f" (a step of {sign}{amount_text(round(abs(change)), step.currency)} between midpoints)"
    return text


def _middle(figure: SalaryFigure) -> float:
    if figure.average is not None:
        return figure.average
    assert figure.min is not None and figure.max is not None
    return (figure.min + figure.max) / 2


PATH_CSV = [Column(k, k) for k in ("route", "step", "from", "to", "kind", "signals", "sources")]


def render_path(found: Routes, fmt: Format, out: IO[str]) -> None:
    """`ladder path FROM TO`: the routes in one line each, shortest first, then each move they take
    once, with what signals readiness for it."""
    rows: list[dict[str, Any]] = []
    lines = []
    distinct: dict[tuple[str, str, str], Move] = {}
    for number, route in enumerate(found.routes, 1):
        text = route[0].start.label + "".join(f" → ({move.kind}) {move.end.label}" for move in route)
        lines.append(f"{text}  [{len(route)} move{'s' * (len(route) != 1)}]")
        for step, move in enumerate(route, 1):
            signals = "\n".join(cited(p.text, p.sources) for p in move.signals)
            rows.append({**move.record(), "route": number, "step": step, "signals": signals})
            distinct.setdefault((move.start.key, move.end.key, move.kind), move)
    blocks: list[Block] = [paragraph(reading) for reading in found.readings]
    blocks += [heading("Routes, shortest first"), bullets(lines), heading("The moves on these routes")]
    for move in distinct.values():
        blocks.append(label(cited(f"{move.start.label} → {move.end.label} ({move.kind})", move.sources)))
        said = [cited(p.text, p.sources) for p in move.signals]
        blocks.append(bullets(said) if said else paragraph("  The sources name no signals for it."))
    write_document(blocks, fmt, out, full=found.to_dict, rows=rows, columns=PATH_CSV)
