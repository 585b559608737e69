"""`ladder export` (html): a ladder as a page to publish, one self-contained HTML file."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from career_ladder.currencies import figure_text
from career_ladder.render.html import document
from career_ladder.render.html import e as _e
from career_ladder.render.labels import no_figure_text, period_text, rung_label, years_text
from career_ladder.results import LadderView, PlacedRung


class _Notes:
    """Sources as footnotes: each cited source gets its number once, in the order first cited. A
    source is its ladder's: two ladders may give one id to two sources."""

    def __init__(self) -> None:
        self.order: list[tuple[str, str]] = []  # (ladder, source id)

    def cite(self, sources: Sequence[str], ladder: str) -> str:
        marks = []
        for source in sources:
            if (ladder, source) not in self.order:
                self.order.append((ladder, source))
            number = self.order.index((ladder, source)) + 1
            marks.append(f'<a href="#{_anchor(ladder, source)}" title="{_e(source)}">{number}</a>')
        return f"<sup>{', '.join(marks)}</sup>" if marks else ""


def _anchor(ladder: str, source: str) -> str:
    """`source-LADDER:ID`: no id holds a colon, so no two sources share an anchor."""
    return _e(f"source-{ladder}:{source}")


Href = Callable[[str, str], "str | None"]
"""The address of a rung (ladder id, rung id) from the page, or None where it has none."""


def page(
    view: LadderView,
    shared_sources: Mapping[str, Sequence[Any]] = MappingProxyType({}),
    *,
    href: Href | None = None,
    chart: str = "",
    home: str = "",
) -> str:
    """One HTML page, everything inline: no script, no request outside the page (its policy says so).
    `shared_sources` are the sources of the ladders its shared rungs come from, by ladder id, for
    their notes. A site gives `href` (where other ladders' rungs are), `chart` (the ladder's chart,
    HTML) and `home` (the address of its index)."""
    ladder = view.ladder
    notes = _Notes()
    body = [f'<p><a href="{_e(home)}">All ladders</a></p>'] if home else []
    body += [f"<h1>{_e(ladder.name)}</h1>", f"<p>{_e(ladder.summary)}</p>"]
    body.append(_overview(view, notes))
    if chart:
        body.append(f"<h2>The ladder as a chart</h2>{chart}")
    if ladder.parallel_tracks:
        body.append(_side_by_side(view))
    body.append("<h2>Rung by rung</h2>")
    body += [_rung_section(view, placed, notes) for placed in view.rungs]
    body.append(_moves(view, notes))
    if ladder.entry_points:
        items = [
            f"<li>{_e(e.name)} → {_e(', '.join(e.lands_on))}{notes.cite(e.sources, ladder.id)}</li>"
            for e in ladder.entry_points
        ]
        body.append("<h2>Ways in</h2><ul>" + "".join(items) + "</ul>")
    body.append(_sources(notes, {**shared_sources, ladder.id: ladder.sources}))
    return document(ladder.name, "\n".join(body))


def _overview(view: LadderView, notes: _Notes) -> str:
    rows = []
    for placed in view.rungs:
        rung = placed.rung
        owner = placed.home or placed.ladder
        cited = "<br>".join(_e(figure_text(f)) + notes.cite(f.sources, owner) for f in rung.salary)
        pay = cited or _e(no_figure_text(placed))
        anchor = f'<a href="#rung-{_e(rung.id)}">{_e(rung_label(placed).splitlines()[0])}</a>'
        rows.append(f"<tr><td>{rung.level}</td><td>{anchor}</td><td>{pay}</td></tr>")
    head = "<tr><th>Level</th><th>Rung</th><th>Pay</th></tr>"
    return f'<h2>The rungs</h2><div class="scroll"><table>{head}{"".join(rows)}</table></div>'


def _side_by_side(view: LadderView) -> str:
    tracks = view.ladder.parallel_tracks
    levels = sorted({placed.rung.level for placed in view.rungs})
    head = "<tr><th>Level</th>" + "".join(f"<th>{_e(t.name)}</th>" for t in tracks) + "</tr>"
    rows = []
    for level in levels:
        cells = []
        for track in tracks:
            here = [p for p in view.rungs if p.rung.level == level and p.track in (track.id, None)]
            cells.append("<td>" + "<br>".join(_e(p.rung.title) for p in here) + "</td>")
        rows.append(f"<tr><td>{level}</td>{''.join(cells)}</tr>")
    return f'<h2>The tracks side by side</h2><div class="scroll"><table>{head}{"".join(rows)}</table></div>'


def _rung_section(view: LadderView, placed: PlacedRung, notes: _Notes) -> str:
    rung = placed.rung
    owner = placed.home or placed.ladder  # whose sources its points cite
    tracks = {track.id: track.name for track in view.ladder.parallel_tracks}
    tags = [f"level {rung.level}"]
    tags += [tracks.get(placed.track, placed.track)] if placed.track else []
    tags += [years_text(rung.years)] if rung.years else []
    tags += ["optional"] if rung.optional else []
    tags += [f"shared: {placed.shared_from}"] if placed.shared_from else []
    parts = [
        f'<section class="rung" id="rung-{_e(rung.id)}"><h3>{_e(rung.title)}</h3>',
        "<p>" + "".join(f'<span class="tag">{_e(tag)}</span>' for tag in tags) + "</p>",
    ]
    if rung.summary:
        parts.append(f"<p>{_e(rung.summary)}</p>")
    if rung.duties_not_stated:
        note = f": {rung.duties_not_stated.note}" if rung.duties_not_stated.note else "."
        parts.append(f'<p class="muted">The sources give no duties for this rung{_e(note)}</p>')
    sections = [
        ("Responsibilities", rung.responsibilities),
        ("Skills", rung.skills),
        ("Ready for the next rung when", rung.signals),
        ("Notes", rung.notes),
    ]
    sections += [(area.name, rung.expectations.get(area.id, [])) for area in view.ladder.competencies]
    for title, points in sections:
        if points:
            items = "".join(f"<li>{_e(p.text)}{notes.cite(p.sources, owner)}</li>" for p in points)
            parts.append(f"<h4>{_e(title)}</h4><ul>{items}</ul>")
    pay = [
        f"<li>{_e(figure_text(f))} {_e(period_text(f))}{_e(' (' + f.region + ')' if f.region else '')}"
        f"{notes.cite(f.sources, owner)}</li>"
        for f in rung.salary
    ]
    if not pay:
        statement = placed.pay_not_published
        pay = [f"<li>{_e(no_figure_text(placed))}{notes.cite(statement.sources, owner) if statement else ''}</li>"]
    parts.append(f"<h4>Pay</h4><ul>{''.join(pay)}</ul></section>")
    return "".join(parts)


def _moves(view: LadderView, notes: _Notes) -> str:
    items = []
    for move in view.moves:
        arrow = " ↔ " if move.move.kind == "lateral" else " → "
        cited = notes.cite(move.move.sources, move.home)
        items.append(f"<li>{_e(move.move.kind)}: {_e(move.start)}{arrow}{_e(move.end)}{cited}</li>")
    return "<h2>Moves</h2><ul>" + "".join(items) + "</ul>" if items else ""


def _sources(notes: _Notes, sources: Mapping[str, Sequence[Any]]) -> str:
    """The sources cited, numbered as cited: each one its own ladder's (`sources`, by ladder id)."""
    by_key = {(ladder, source.id): source for ladder, listed in sources.items() for source in listed}
    items = []
    for key in notes.order:
        source = by_key.get(key)
        if source is None:  # declared nowhere this page was given: its id is all there is to show
            items.append(f'<li id="{_anchor(*key)}">{_e(key[1])}</li>')
            continue
        title = _e(source.title)
        if source.url and re.match(r"https?://", source.url):
            title = f'<a href="{_e(source.url)}">{title}</a>'
        extra = ", ".join(_e(x) for x in (source.publisher, source.date) if x)
        items.append(f'<li id="{_anchor(*key)}">{title}{" (" + extra + ")" if extra else ""}</li>')
    return "<h2>Sources</h2><ol>" + "".join(items) + "</ol>"
