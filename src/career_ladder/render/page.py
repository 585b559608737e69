"""`ladder export` (html): a ladder as a page to publish, one self-contained HTML file that says
everything the terminal says of the ladder, in the order a reader wants it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from career_ladder.currencies import figure_text
from career_ladder.names import normalized
from career_ladder.render.html import Cites, cited_list, document, e, link, nowrap
from career_ladder.render.labels import KIND_NAMES, no_figure_text, short_alias, years_text
from career_ladder.render.page_role import about_the_role, figure_item, sources_section, specialisations, ways_in
from career_ladder.results import LadderView, PageContext, PlacedMove, PlacedRung

Href = Callable[[str, str], "str | None"]
"""The address of a rung (ladder id, rung id) from the page, or None where it has none."""


class Names:
    """How a page writes a rung it names: its title, linked where the rung has an address."""

    def __init__(self, view: LadderView, context: PageContext, href: Href | None) -> None:
        self.view = view
        self.others = context.others
        self.ladders = context.ladder_names
        self.href = href
        self.own = {placed.rung.id: placed for placed in view.rungs}
        self.own |= {placed.shared_from: placed for placed in view.rungs if placed.shared_from}

    def rung(self, ref: str) -> str:
        """`ref` (`pm`, `tpm:tpm`) as its title, a link to it where it has one."""
        if ref in self.own:
            placed = self.own[ref]
            return link(placed.rung.title, f"#rung-{placed.rung.id}")
        return self.elsewhere(ref)

    def elsewhere(self, ref: str) -> str:
        """`ref` as the rung of the ladder it names, even where this ladder shares it."""
        named = self.others.get(ref)
        if named is None:  # a rung no ladder here writes: its reference is all there is
            return f"<code>{e(ref)}</code>"
        address = self.href(named.ladder, named.rung) if self.href else None
        return link(named.title, address) + f' <span class="muted">({e(named.ladder_name)})</span>'

    def rungs(self, refs: Sequence[str]) -> str:
        return ", ".join(self.rung(ref) for ref in refs)

    def ladder(self, ladder_id: str) -> str:
        """Another ladder by its name, where it is in view; else by its id."""
        return e(self.ladders[ladder_id]) if ladder_id in self.ladders else f"<code>{e(ladder_id)}</code>"


_ALONE = PageContext()  # a page with no other ladder in view


def page(
    view: LadderView,
    context: PageContext = _ALONE,
    *,
    href: Href | None = None,
    chart: str = "",
    home: str = "",
) -> str:
    """One HTML page, everything inline: no script, no request outside the page (its policy says so).
    `context` holds what it shows of other ladders (`queries.page_context`). A site gives `href` (where other ladders'
    rungs are), `chart` (the ladder's chart, HTML) and `home` (the address of its index)."""
    ladder = view.ladder
    cites = Cites(ladder.id, ladder.sources, context.sources)
    names = Names(view, context, href)
    sections: list[tuple[str, str, str]] = []  # (anchor, title, HTML)

    def add(anchor: str, title: str, body: str) -> None:
        if body:
            sections.append(
                (anchor, title, f'<section id="{anchor}"><h2>{e(title)}</h2><div class="body">{body}</div></section>')
            )

    add("rungs", "The rungs", _overview(view, cites))
    add("tracks", "The tracks side by side", _tracks(view, cites))
    add("areas", "Competency areas", _areas(view, cites))
    add("chart", "The ladder as a chart", chart)
    rungs = "".join(_rung(view, placed, context, cites, names) for placed in view.rungs)
    add("details", "Rung by rung", rungs)
    add("moves", "Moves between rungs", _moves([*view.moves, *context.arrivals], cites, names))
    add("ways-in", "Ways in", ways_in(ladder, context.entries, cites, names))
    add("specialisations", "Specialisations", specialisations(ladder, cites))
    add("about", "About the role", about_the_role(ladder, cites, names))
    add("sources", "Sources", sources_section(cites, names))
    head = [f'<p class="up"><a href="{e(home)}">All ladders</a></p>'] if home else []
    head.append(f"<h1>{e(ladder.name)}</h1>")
    if ladder.aliases:
        head.append(f'<p class="muted">Also called {e(", ".join(ladder.aliases))}</p>')
    head.append(f"<p>{e(ladder.summary)}</p>")
    contents = "".join(f'<li><a href="#{anchor}">{e(title)}</a></li>' for anchor, title, _ in sections)
    nav = f'<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>{contents}</ol></nav>'
    body = (
        "<header>" + "".join(head) + "</header>" + nav + "<main>" + "".join(html for _, _, html in sections) + "</main>"
    )
    return document(ladder.name, body, top=True)


def _overview(view: LadderView, cites: Cites) -> str:
    tracks = {track.id: track.name for track in view.ladder.parallel_tracks}
    rows = []
    for placed in view.rungs:
        rung = placed.rung
        owner = placed.home or placed.ladder
        pay = "<br>".join(nowrap(figure_text(f)) + cites.mark(f.sources, owner) for f in rung.salary)
        pay = pay or e(no_figure_text(placed))
        short = f" ({e(short_alias(placed))})" if short_alias(placed) else ""
        title = f'<a href="#rung-{e(rung.id)}">{e(rung.title)}</a>{short}{_marks(placed)}'
        track = f"<td>{e(tracks.get(placed.track or '', ''))}</td>" if tracks else ""
        rows.append(f"<tr><td>{rung.level}</td><td>{title}</td>{track}<td>{pay}</td></tr>")
    names = ["Level", "Rung", *(["Track"] if tracks else []), "Pay"]
    head = "<tr>" + "".join(f"<th scope=col>{name}</th>" for name in names) + "</tr>"
    return f'<div class="scroll"><table>{head}{"".join(rows)}</table></div>'


def _marks(placed: PlacedRung) -> str:
    """What sets a rung apart, as small tags: optional, no duties stated, shared from elsewhere."""
    rung = placed.rung
    tags = ["optional"] if rung.optional else []
    tags += ["no duties stated"] if rung.duties_not_stated else []
    tags += [KIND_NAMES[rung.kind]] if rung.kind else []
    return "".join(f'<span class="tag">{e(tag)}</span>' for tag in tags)


def _tracks(view: LadderView, cites: Cites) -> str:
    tracks = view.ladder.parallel_tracks
    if not tracks:
        return ""
    described = [
        f"<li><strong>{e(t.name)}</strong>{_kind(t.name, t.kind)}"
        f"{': ' + e(t.summary) if t.summary else ''}{cites.mark(t.sources, view.ladder.id)}</li>"
        for t in tracks
    ]
    shared = any(placed.track is None for placed in view.rungs)
    columns = [("", "All tracks")] if shared else []
    columns += [(t.id, t.name) for t in tracks]
    head = "<tr><th scope=col>Level</th>" + "".join(f"<th scope=col>{e(name)}</th>" for _, name in columns) + "</tr>"
    rows = []
    for level in sorted({placed.rung.level for placed in view.rungs}):
        cells = []
        for key, _ in columns:
            here = [p for p in view.rungs if p.rung.level == level and (p.track or "") == key]
            cells.append("<td>" + "<br>".join(f'<a href="#rung-{e(p.rung.id)}">{e(p.rung.title)}</a>' for p in here))
        rows.append(f"<tr><td>{level}</td>{'</td>'.join(cells)}</td></tr>")
    table = f'<div class="scroll"><table>{head}{"".join(rows)}</table></div>'
    return f"<ul>{''.join(described)}</ul>{table}"


def _kind(name: str, kind: str | None) -> str:
    """` (people leader)` after a track's name, unless the name says so already."""
    said = KIND_NAMES[kind] if kind else ""
    return f" ({e(said)})" if said and normalized(said) != normalized(name) else ""


def _areas(view: LadderView, cites: Cites) -> str:
    areas = view.ladder.competencies
    items = [
        f"<dt>{e(area.name)}</dt><dd>{e(area.covers)}{cites.mark(area.sources, view.ladder.id)}</dd>" for area in areas
    ]
    return f'<dl class="areas">{"".join(items)}</dl>' if areas else ""


def _rung(view: LadderView, placed: PlacedRung, context: PageContext, cites: Cites, names: Names) -> str:
    rung = placed.rung
    owner = placed.home or placed.ladder  # whose sources its points cite
    tracks = {track.id: track.name for track in view.ladder.parallel_tracks}
    facts = [("Level", str(rung.level)), ("Id", f"<code>{e(rung.id)}</code>")]
    facts += [("Track", e(tracks.get(placed.track, placed.track)))] if placed.track else []
    facts += [("Also called", e(", ".join(rung.aliases)))] if rung.aliases else []
    facts += [("Typical experience", e(years_text(rung.years)))] if rung.years else []
    facts += [("Reports to", names.rungs(rung.reports_to))] if rung.reports_to else []
    facts += [("Equivalent to", names.rungs(rung.equivalent))] if rung.equivalent else []
    facts += [("Shared from", names.elsewhere(placed.shared_from))] if placed.shared_from else []
    facts += [("Sources", cites.mark(rung.sources, owner, sup=False))] if rung.sources else []
    parts = [
        f'<section class="rung" id="rung-{e(rung.id)}" aria-labelledby="title-{e(rung.id)}">',
        f'<h3 id="title-{e(rung.id)}">{e(rung.title)}{_marks(placed)}</h3>',
        '<dl class="facts">'
        + "".join(f"<div><dt>{name}</dt><dd>{value}</dd></div>" for name, value in facts)
        + "</dl>",
    ]
    parts.append('<div class="body">')
    if rung.summary:
        parts.append(f'<p class="summary">{e(rung.summary)}</p>')
    if rung.duties_not_stated:
        said = rung.duties_not_stated
        note = f": {said.note}" if said.note else "."
        parts.append(
            f'<p class="muted">The sources give no duties for this rung{e(note)}{cites.mark(said.sources, owner)}</p>'
        )
    for title, points in (("Responsibilities", rung.responsibilities), ("Skills and qualities", rung.skills)):
        if points:
            parts.append(f"<h4>{title}</h4>{cited_list(points, cites, owner)}")
    areas = [
        (area.name, rung.expectations[area.id]) for area in view.ladder.competencies if rung.expectations.get(area.id)
    ]
    if areas:
        parts.append("<h4>Expectations by competency area</h4>")
        parts += [
            f'<h5><span class="muted">Area:</span> {e(name)}</h5>{cited_list(points, cites, owner)}'
            for name, points in areas
        ]
    for title, points in (("Ready for the next rung when", rung.signals), ("Notes", rung.notes)):
        if points:
            parts.append(f"<h4>{title}</h4>{cited_list(points, cites, owner)}")
    parts.append(f"<h4>Pay</h4>{_pay(placed, cites, owner)}")
    theirs = [
        f"<li>{names.rung(f'{other.ladder}:{other.rung.id}')}: {_pay(other, cites, other.home or other.ladder)}</li>"
        for other in context.equivalents.get(rung.id, ())
    ]
    if theirs:
        parts.append(
            f'<div class="ready"><span>Pay of the equivalent rungs, as their own ladders give it:</span>'
            f"<ul>{''.join(theirs)}</ul></div>"
        )
    parts.append(_ways_through(placed, view, context, names))
    parts.append('<p class="back"><a href="#top">Back to top</a></p></div></section>')
    return "".join(parts)


def _ways_through(placed: PlacedRung, view: LadderView, context: PageContext, names: Names) -> str:
    """The moves out of a rung and the moves and ways in that reach it, by title, as the terminal's
    `show LADDER RUNG` lists them: a reader's next step from the rung (on screen; in print the
    moves and ways in have their own sections)."""
    moves = [*view.moves, *context.arrivals]
    onward = [m for m in moves if names.own.get(m.start) is placed]
    reached = [m for m in moves if m.move.to and names.own.get(m.end) is placed]
    steps = [f"{_MOVE_WORDS[m.move.kind]} {names.rung(m.end) if m.move.to else e(m.end)}" for m in onward]
    arrivals = [f"{m.move.kind} from {names.rung(m.start)}" for m in reached]
    entries = [(view.ladder.id, entry) for entry in view.ladder.entry_points]
    for home, entry in [*entries, *context.entries]:
        if any(
            names.own.get(ref if ":" in ref or home == view.ladder.id else f"{home}:{ref}") is placed
            for ref in entry.lands_on
        ):
            arrivals.append(f"way in: {e(entry.name)}")
    lines = [f"<strong>Moves from here:</strong> {'; '.join(steps)}"] if steps else []
    lines += [f"<strong>Reached from:</strong> {'; '.join(arrivals)}"] if arrivals else []
    return f'<p class="onward">{"<br>".join(lines)} (<a href="#moves">all moves</a>)</p>' if lines else ""


_MOVE_WORDS = {"promotion": "promotion to", "lateral": "lateral move to", "exit": "leaving for"}


def _pay(placed: PlacedRung, cites: Cites, owner: str) -> str:
    figures = [figure_item(figure, cites, owner) for figure in placed.rung.salary]
    if not figures:
        statement = placed.pay_not_published
        said = f": {statement.note}" if statement and statement.note else ""
        mark = cites.mark(statement.sources, owner) if statement else ""
        figures = [f"<li>{e(_sentence(no_figure_text(placed)) + said)}{mark}</li>"]
    return f"<ul>{''.join(figures)}</ul>"


def _sentence(text: str) -> str:
    """`text` as the start of a sentence, its names' case kept (`Not published by Acme`)."""
    return text[:1].upper() + text[1:]


def _moves(moves: Sequence[PlacedMove], cites: Cites, names: Names) -> str:
    """Each move in words, its rungs by title and linked, with what readiness for it looks like."""
    groups = {"promotion": "Promotions", "lateral": "Lateral moves", "exit": "Exits: leaving the ladder"}
    parts = []
    for kind, title in groups.items():
        items = []
        for move in (m for m in moves if m.move.kind == kind):
            start = names.rung(move.start)
            end = names.rung(move.end) if move.move.to else f"<strong>{e(move.end)}</strong>"
            words = {"promotion": f"From {start} up to {end}", "lateral": f"Between {start} and {end}"}
            line = words.get(kind, f"From {start} to {end}") + cites.mark(move.move.sources, move.home)
            signals = cited_list(move.move.signals, cites, move.home, label="Ready when")
            items.append(f"<li>{line}{signals}</li>")
        if items:
            parts.append(f"<h3>{title}</h3><ul>{''.join(items)}</ul>")
    return "".join(parts)
