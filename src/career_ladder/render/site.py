"""`ladder export --site`: the pages a site holds besides each ladder's own (render/page.py): the
index, every source, a comparison of two ladders, and a ladder's chart, drawn (an inline SVG) or as
its Mermaid source. Every address is relative, so the site works from a folder, a zip or a host."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from career_ladder.currencies import figure_text
from career_ladder.render.html import anchor, document, e, link, nowrap
from career_ladder.render.labels import KIND_NAMES, listed_names, no_figure_text, rung_label
from career_ladder.results import LadderComparison, LadderView, PlacedRung

INDEX = "index.html"
SOURCES = "sources.html"
HOME = f'<nav><p><a href="{INDEX}">All ladders</a> · <a href="{SOURCES}">Sources</a></p></nav>'


class Pages(NamedTuple):
    """Where each ladder's page is (file name by ladder id), for the links between pages."""

    ladders: Mapping[str, str]

    def ladder(self, ladder_id: str) -> str | None:
        return self.ladders.get(ladder_id)

    def rung(self, ladder_id: str, rung_id: str) -> str | None:
        """The address of a rung on its ladder's page (render/page.py's anchor), or None."""
        page = self.ladders.get(ladder_id)
        return f"{page}#rung-{rung_id}" if page else None

    @staticmethod
    def source(ladder_id: str, source_id: str) -> str:
        return f"{SOURCES}#{anchor(ladder_id, source_id)}"


def compare_file(ids: Sequence[str]) -> str:
    return f"compare-{'--'.join(ids)}.html"


def _cited(ladder_id: str, sources: Sequence[str]) -> str:
    """Source ids as the terminal writes them, `[a, b]`, each a link to its entry on the sources page."""
    if not sources:
        return ""
    links = ", ".join(link(source, Pages.source(ladder_id, source)) for source in sources)
    return f' <span class="muted">[{links}]</span>'


def _short(placed: PlacedRung) -> str:
    return rung_label(placed).splitlines()[0]


# --- the index -----------------------------------------------------------------------------------


def index_page(views: Sequence[LadderView], pages: Pages, comparisons: Sequence[Sequence[str]]) -> str:
    """Every ladder (its page, summary and rungs by level), the comparisons asked for, and every
    ladder's tracks side by side by level."""
    count = f"{len(views)} ladder{'s' * (len(views) != 1)}"
    body = [
        "<h1>Career ladders</h1>",
        f"<p>{count}, each on a page of its own: its rungs and their pay, what each asks, the moves "
        f'between them and the sources behind every point. <a href="{SOURCES}">Every source</a>.</p>',
        '<nav><p><a href="#ladders">The ladders</a> · <a href="#tracks">The tracks side by side</a>'
        + (' · <a href="#compare">Comparisons</a>' if comparisons else "")
        + f' · <a href="{SOURCES}">Sources</a></p></nav>',
    ]
    body = ["<header>", *body[:2], "</header>", body[2], "<main>", '<h2 id="ladders">The ladders</h2>']
    for view in views:
        ladder = view.ladder
        rungs = " · ".join(
            f'<span class="muted">{placed.rung.level}</span>&nbsp;'
            + link(_short(placed), pages.rung(ladder.id, placed.rung.id))
            for placed in view.rungs
        )
        body.append(
            f'<section id="ladder-{e(ladder.id)}"><h3>{link(ladder.name, pages.ladder(ladder.id))} '
            f'<span class="tag">{e(ladder.id)}</span></h3><p>{e(ladder.summary)}</p><p>{rungs}</p></section>'
        )
    if comparisons:
        names = {view.ladder.id: view.ladder.name for view in views}
        items = "".join(
            f'<li><a href="{e(compare_file(ids))}">{e(_pair_title([names.get(i, i) for i in ids]))}</a></li>'
            for ids in comparisons
        )
        body.append(f'<h2 id="compare">Comparisons</h2><ul>{items}</ul>')
    body += [_tracks_side_by_side(views, pages), "</main>"]
    return document("Career ladders", "\n".join(body))


def _pair_title(names: Sequence[str]) -> str:
    return f"{listed_names(names)}, rung by rung"


def _tracks_side_by_side(views: Sequence[LadderView], pages: Pages) -> str:
    """A column per ladder, or per parallel track of a ladder that has them; a row per level."""
    columns: list[tuple[LadderView, str | None, str]] = []  # (ladder, track id or None, heading)
    for view in views:
        tracks = view.ladder.parallel_tracks
        head = link(view.ladder.id, pages.ladder(view.ladder.id))
        if not tracks or any(placed.track is None for placed in view.rungs):
            columns.append((view, None, head + ('<br><span class="muted">all tracks</span>' if tracks else "")))
        columns += [(view, t.id, f'{head}<br><span class="muted">{e(t.name)}</span>') for t in tracks]
    levels = sorted({placed.rung.level for view in views for placed in view.rungs})
    cells: dict[tuple[int, int], list[str]] = {}
    for number, (view, track, _) in enumerate(columns):
        for placed in view.rungs:
            if placed.track == track:
                linked = link(_short(placed), pages.rung(view.ladder.id, placed.rung.id))
                cells.setdefault((placed.rung.level, number), []).append(linked)
    rows = [
        f"<tr><td>{level}</td>"
        + "".join(f"<td>{'<br>'.join(cells.get((level, n), []))}</td>" for n in range(len(columns)))
        + "</tr>"
        for level in levels
    ]
    head = "<tr><th>Level</th>" + "".join(f"<th>{heading}</th>" for _, _, heading in columns) + "</tr>"
    return (
        '<h2 id="tracks">The tracks side by side</h2><p>Each ladder (or each of its parallel tracks) a '
        "column, its rungs by level.</p>"
        # A column as wide as its longest word: many ladders scroll sideways rather than break words.
        f'<div class="scroll"><table style="overflow-wrap: normal">{head}{"".join(rows)}</table></div>'
    )


# --- a comparison --------------------------------------------------------------------------------


def compare_page(comparison: LadderComparison, pages: Pages) -> str:
    """What `ladder compare A B` shows: the rungs aligned by level, lane and stated equivalence, a
    column per ladder, with their pay; then the sources' points, pair by pair."""
    notes: dict[str, int] = {}
    head = (
        "<tr><th>Level</th>"
        + "".join(f"<th>{link(view.ladder.name, pages.ladder(view.ladder.id))}</th>" for view in comparison.views)
        + "</tr>"
    )
    rows = []
    for row in comparison.rows:
        cells = [
            _compare_cell(view, cell, row.level, pages, notes) if cell else ""
            for view, cell in zip(comparison.views, row.cells, strict=True)
        ]
        rows.append(f"<tr><td>{row.level}</td>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    body = [
        f"<header>{HOME}",
        f"<h1>{e(_pair_title([view.ladder.name for view in comparison.views]))}</h1>",
        "<p>Rungs side by side by level and lane (individual contributor, people leader), or beside the "
        "rung of the other ladder they state as their equivalent; a gap where a ladder has no such rung.</p>",
        "</header><main>",
        f'<div class="scroll"><table>{head}{"".join(rows)}</table></div>',
    ]
    body += [f'<p id="note-{number}">Note {number}: {e(note)}</p>' for note, number in notes.items()]
    body += [_points(comparison), "</main>"]
    return document(_pair_title([view.ladder.name for view in comparison.views]), "\n".join(body))


def _compare_cell(view: LadderView, placed: PlacedRung, level: int, pages: Pages, notes: dict[str, int]) -> str:
    rung = placed.rung
    lines = [link(_short(placed), pages.rung(view.ladder.id, rung.id))]
    tags = ["optional"] if rung.optional else []
    tags += [f"shared: {placed.shared_from}"] if placed.shared_from else []
    tracks = {track.id: track.name for track in view.ladder.parallel_tracks}
    lane = tracks.get(placed.track, placed.track) if placed.track else KIND_NAMES.get(rung.kind or "", "")
    tags += [lane] if lane else []
    tags += [f"level {rung.level}"] if rung.level != level else []
    if tags:
        lines.append("".join(f'<span class="tag">{e(tag)}</span>' for tag in tags))
    owner = placed.home or placed.ladder  # whose sources its figures cite
    for figure in rung.salary:
        mark = ""
        if figure.note:
            number = notes.setdefault(figure.note, len(notes) + 1)
            mark = f' <a href="#note-{number}">(note {number})</a>'
        lines.append(f"{nowrap(figure_text(figure))}{_cited(owner, figure.sources)}{mark}")
    if not rung.salary:
        statement = placed.pay_not_published
        lines.append(e(no_figure_text(placed)) + (_cited(owner, statement.sources) if statement else ""))
    return "<br>".join(lines)


def _points(comparison: LadderComparison) -> str:
    """The sources' point-by-point comparison, a table per pair: each source is the ladder's that
    declares it (the pair's first, else its second)."""
    ids = [view.ladder.id for view in comparison.views]
    if not comparison.pairs:
        return f"<p>The sources give no point-by-point comparison of {e(listed_names(ids))}.</p>"
    declared = {view.ladder.id: {source.id for source in view.ladder.sources} for view in comparison.views}
    parts = ["<h2>As the sources compare them</h2>"]
    for pair in comparison.pairs:
        if len(ids) > 2:
            parts.append(f"<h3>{e(pair.first)} and {e(pair.second)}</h3>")
        for point in pair.points:
            owner = pair.first if all(s in declared[pair.first] for s in point.sources) else pair.second
            sides = ((pair.first, point.this), (pair.second, point.other))
            items = "".join(f"<li><strong>{e(ladder)}</strong>: {e(text)}</li>" for ladder, text in sides)
            parts.append(f"<p><strong>{e(point.aspect)}</strong>{_cited(owner, point.sources)}</p><ul>{items}</ul>")
    return "".join(parts)


# --- the sources ---------------------------------------------------------------------------------


def sources_page(views: Sequence[LadderView], pages: Pages) -> str:
    """Every source of every ladder, grouped by ladder, each with an anchor its citations link to."""
    body = [
        f"<header>{HOME}",
        "<h1>Sources</h1>",
        "<p>Every source each ladder declares: its title (a link where it is on the web), who published "
        "it and when, its address, and what it covers.</p>",
        "</header><main>",
    ]
    for view in views:
        ladder = view.ladder
        items = []
        for source in ladder.sources:
            address = source.url or ""
            web = address if address.lower().startswith(("https://", "http://")) else None
            title = link(source.title, web)
            said = ", ".join(e(x) for x in (source.publisher, source.date) if x)
            lines = [f'<strong>{title}</strong> <span class="tag">{e(source.id)}</span>']
            lines += [said] if said else []
            lines += [f"Address: {link(address, web)}"] if address else []
            lines += [f'<span class="muted">{e(source.covers)}</span>'] if source.covers else []
            items.append(f'<li id="{e(anchor(ladder.id, source.id))}">{"<br>".join(lines)}</li>')
        heading = f'<h2 id="ladder-{e(ladder.id)}">{link(ladder.name, pages.ladder(ladder.id))}</h2>'
        body.append(f"{heading}<ul>{''.join(items)}</ul>")
    body.append("</main>")
    return document("Sources", "\n".join(body))


# --- charts --------------------------------------------------------------------------------------


def drawn_chart(svg: str) -> str:
    """A chart drawn at build time: its SVG inline (the page's policy lets it load no image file), at
    the width Mermaid drew it, in a box that scrolls on a narrow screen: at Mermaid's `width="100%"`
    a phone shrinks its text to a few pixels."""
    opening = re.match(r"<svg[^>]*>", svg)
    drawn = re.search(r"max-width:\s*([0-9.]+)px", opening.group()) if opening else None
    if opening and drawn:
        svg = opening.group().replace('width="100%"', f'width="{drawn.group(1)}"', 1) + svg[opening.end() :]
    return f'<div class="scroll">{svg}</div>'


def chart_source(text: str, markdown: str) -> str:
    """A chart not drawn: its Mermaid source, and the Markdown file (`markdown`) that GitHub draws."""
    return (
        f'<div class="chart-source"><pre><code class="language-mermaid">{e(text)}</code></pre>'
        f'<p class="muted">The chart in Mermaid, which GitHub, GitLab and many wikis draw: '
        f'<a href="{e(markdown)}">{e(markdown)}</a>.</p></div>'
    )


def chart_markdown(view: LadderView, text: str, page: str) -> str:
    """`charts/LADDER.md`: the chart as a Markdown page holding one Mermaid block."""
    return f"# {view.ladder.id}: the ladder as a chart\n\nIts page: [{page}](../{page})\n\n```mermaid\n{text}```\n"
