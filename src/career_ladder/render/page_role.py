"""The parts of a ladder's page about the ladder as a whole: ways in, specialisations, the role
(what `ladder about` says) and the sources, each with all the source says of it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from career_ladder.currencies import figure_text
from career_ladder.models import EntryPoint, Ladder, SalaryFigure
from career_ladder.render.html import Cites, anchor, cited_list, e, nowrap
from career_ladder.render.labels import figure_facts, outlook_scale, period_text, ratio_text


class Names(Protocol):
    """Rungs and ladders by reference, as the page writes them: titles, linked where they can be."""

    def rungs(self, refs: Sequence[str]) -> str: ...

    def ladder(self, ladder_id: str) -> str: ...


def ways_in(ladder: Ladder, theirs: Sequence[tuple[str, EntryPoint]], cites: Cites, names: Names) -> str:
    """The ladder's ways in, then those of the ladders its shared rungs come from that land on them."""
    items = []
    for home, entry in [*((ladder.id, entry) for entry in ladder.entry_points), *theirs]:
        lands_on = [ref if ":" in ref or home == ladder.id else f"{home}:{ref}" for ref in entry.lands_on]
        whose = "" if home == ladder.id else f" (a way into {names.ladder(home)})"
        items.append(
            f"<li><strong>{e(entry.name)}</strong> {_id(entry.id)}{whose}: lands on {names.rungs(lands_on)}"
            f"{cites.mark(entry.sources, home)}{cited_list(entry.notes, cites, home)}</li>"
        )
    return f"<ul>{''.join(items)}</ul>" if items else ""


def specialisations(ladder: Ladder, cites: Cites) -> str:
    items = [
        f"<li><strong>{e(track.name)}</strong> {_id(track.id)}: {e(track.focus)}"
        f"{cites.mark(track.sources, ladder.id)}</li>"
        for track in ladder.tracks
    ]
    return f"<p>Ways the role specialises, whatever the rung.</p><ul>{''.join(items)}</ul>" if items else ""


def _id(text: str) -> str:
    """An id as the commands take it, for a reader who goes on in the terminal."""
    return f'<code class="muted">{e(text)}</code>'


def about_the_role(ladder: Ladder, cites: Cites, names: Names) -> str:
    """What `ladder about` and `ladder entry` say of the ladder as a whole, each part under its heading."""
    own = ladder.id
    parts = []
    if ladder.outlook:
        parts.append(f"<h3>Outlook</h3>{_outlook(ladder, cites)}")
    if ladder.skills:
        parts.append(f"<h3>Skills the whole ladder asks for</h3>{cited_list(ladder.skills, cites, own)}")
    parts += [f"<h3>Why it varies: {e(d.name)}</h3>{cited_list(d.points, cites, own)}" for d in ladder.variance]
    if ladder.ratios:
        lines = []
        for r in ladder.ratios:
            ratio = ratio_text(r.product_managers, r.engineers)
            lines.append(f"<li>{e(ratio + (f': {r.text}' if r.text else ''))}{cites.mark(r.sources, own)}</li>")
        parts.append(f"<h3>Ratios</h3><ul>{''.join(lines)}</ul>")
    for other in ladder.views:
        steps = "".join(f"<li>{e(step.title)}: {names.rungs(step.rungs)}</li>" for step in other.steps)
        parts.append(
            f"<h3>Another layout {_id(other.id)}</h3><p>{e(other.summary)}{cites.mark(other.sources, own)}</p>"
            f"<ol>{steps}</ol>"
        )
    if ladder.steps:
        items = "".join(f"<li>{e(p.text)}{cites.mark(p.sources, own)}</li>" for p in ladder.steps)
        parts.append(f"<h3>Steps into the career</h3><ol>{items}</ol>")
    if ladder.education:
        items = "".join(
            f"<li><strong>{e(q.name)}</strong> ({e(q.kind)}){': ' + e(q.text) if q.text else ''}"
            f"{cites.mark(q.sources, own)}</li>"
            for q in ladder.education
        )
        parts.append(f"<h3>Education</h3><ul>{items}</ul>")
    for comparison in ladder.comparisons:
        them = names.ladder(comparison.with_)
        head = "".join(f"<th scope=col>{name}</th>" for name in ("Aspect", e(ladder.name), them))
        rows = "".join(
            f"<tr><td>{e(p.aspect)}{cites.mark(p.sources, own)}</td><td>{e(p.this)}</td><td>{e(p.other)}</td></tr>"
            for p in comparison.points
        )
        parts.append(f'<h3>Compared with {them}</h3><div class="scroll"><table><tr>{head}</tr>{rows}</table></div>')
    if ladder.salary:
        items = "".join(figure_item(figure, cites, own) for figure in ladder.salary)
        parts.append(f"<h3>Pay for the role as a whole, not for one rung</h3><ul>{items}</ul>")
    if ladder.pay_not_published:
        said = ladder.pay_not_published
        note = f": {said.note}" if said.note else ""
        parts.append(f"<h3>Pay</h3><p>Not published by {e(said.by)}{e(note)}{cites.mark(said.sources, own)}</p>")
    if ladder.notes:
        parts.append(f"<h3>Notes</h3>{cited_list(ladder.notes, cites, own)}")
    return "".join(parts)


def figure_item(figure: SalaryFigure, cites: Cites, ladder: str) -> str:
    """A figure with all its source says of it: where, when, what it covers, its note."""
    details = [*figure_facts(figure), figure.currency, *([f"id {figure.id}"] if figure.id else [])]
    note = f'<br><span class="muted">{e(figure.note)}</span>' if figure.note else ""
    return (
        f"<li>{nowrap(figure_text(figure))} {e(period_text(figure))} ({e(', '.join(details))})"
        f"{cites.mark(figure.sources, ladder)}{note}</li>"
    )


def _outlook(ladder: Ladder, cites: Cites) -> str:
    """Each factor's score as a bar against its scale; where the source states none, against the highest score."""
    scores = ladder.outlook
    top, stated = outlook_scale(scores)
    rows = []
    for s in scores:
        scale = f"{s.score} of {s.out_of}" if s.out_of is not None else str(s.score)
        bar = f'<span class="bar" style="width: {round(100 * s.score / max(top, 1))}%"></span>'
        reason = f"<br>{e(s.text)}" if s.text else ""
        rows.append(f"<tr><td>{e(s.factor)}{cites.mark(s.sources, ladder.id)}{reason}</td><td>{scale}{bar}</td></tr>")
    caveat = (
        "Scores as the source gives them."
        if stated
        else "The source gives each factor a score but states no scale: "
        f"bars are drawn against the highest score given ({top})."
    )
    head = "<tr><th scope=col>Factor</th><th scope=col>Score</th></tr>"
    return (
        f'<div class="scroll"><table class="outlook">{head}{"".join(rows)}</table></div><p class="muted">{caveat}</p>'
    )


def sources_section(cites: Cites, names: Names) -> str:
    """Every source numbered as the marks cite it: title (a link where it has an address), publisher,
    date, what it covers, where its text is kept, and its id as the data names it."""
    items = []
    for number, ladder, source_id, source in cites.listed():
        if source is None:  # declared nowhere this page was given: its id is all there is to show
            items.append(f'<li id="{e(anchor(ladder, source_id))}" value="{number}"><code>{e(source_id)}</code></li>')
            continue
        title = e(source.title)
        address = e(source.url or "")
        if source.url and re.match(r"https?://", source.url, re.IGNORECASE):
            address = f'<a href="{address}">{address}</a>'
        facts = [e(x) for x in (source.publisher, source.date) if x]
        facts += [] if ladder == cites.ladder else [f"a source of {names.ladder(ladder)}"]
        lines = [f"{title}{' (' + ', '.join(facts) + ')' if facts else ''} {_id(source_id)}"]
        lines += [f"Covers: {e(source.covers)}"] if source.covers else []
        lines += [f"Address: {address}"] if source.url else []
        lines += [f"Text kept in: <code>{e(source.file)}</code>"] if source.file else []
        items.append(f'<li id="{e(anchor(ladder, source_id))}" value="{number}">{"<br>".join(lines)}</li>')
    return f'<ol class="sources">{"".join(items)}</ol>'
