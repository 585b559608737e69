"""`ladder export -f mermaid`: a ladder's rungs and moves as a Mermaid flowchart (for GitHub, GitLab
and wikis that draw Mermaid, and the charts of `export --site`)."""

from __future__ import annotations

from career_ladder.render.labels import rung_label
from career_ladder.results import LadderView, PlacedRung

_ARROWS = {"promotion": "-->", "lateral": "<-.->", "exit": "-.->"}


def mermaid(view: LadderView) -> str:
    """A bottom-up flowchart: rungs (in a box per parallel track), the moves between them, the rungs
    of other ladders a move reaches, and the roles it leaves for."""
    ids: dict[str, str] = {}

    def node(ref: str) -> str:
        return ids.setdefault(ref, f"n{len(ids)}")

    lines = ["flowchart BT"]
    tracks = {track.id: track.name for track in view.ladder.parallel_tracks}
    by_track: dict[str | None, list[PlacedRung]] = {}
    for placed in view.rungs:
        by_track.setdefault(placed.track if placed.track in tracks else None, []).append(placed)
    for track, placed_rungs in by_track.items():
        indent = "    " if track else "  "
        if track:
            lines.append(f'  subgraph {node("track:" + track)}["{_mermaid_text(tracks[track])}"]')
        for placed in placed_rungs:
            label = f"{_mermaid_text(rung_label(placed).replace(chr(10), ' '))}<br/>level {placed.rung.level}"
            lines.append(f'{indent}{node(placed.rung.id)}["{label}"]')
        if track:
            lines.append("  end")
    declared = {placed.rung.id for placed in view.rungs}
    for move in view.moves:
        is_exit = move.move.kind == "exit"
        start, end = _own_id(move.start, view), f"role:{move.end}" if is_exit else _own_id(move.end, view)
        for key, text, kind in ((start, move.start, "other"), (end, move.end, "role" if is_exit else "other")):
            if key not in declared:  # a rung of another ladder, or a role outside the ladders
                declared.add(key)
                shape = f'(["{_mermaid_text(text)}"])' if kind == "role" else f'["{_mermaid_text(text)}"]'
                lines.append(f"  {node(key)}{shape}:::{kind}")
        lines.append(f"  {node(start)} {_ARROWS[move.move.kind]}|{move.move.kind}| {node(end)}")
    lines += [
        "  classDef other stroke-dasharray: 4 3",
        "  classDef role fill:none,stroke-dasharray: 2 2",
    ]
    return "\n".join(lines) + "\n"


def _own_id(ref: str, view: LadderView) -> str:
    """A move's end as this chart names it: a shared rung by its id in this ladder."""
    for placed in view.rungs:
        if ref == placed.shared_from:
            return placed.rung.id
    return ref


_MERMAID_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "%": "#37;", "`": "#96;"}


def _mermaid_text(text: str) -> str:
    """Data text inside a quoted Mermaid label, as entities where Mermaid would read it as syntax:
    quotes, markup, `%%` directives and backtick (markdown) strings."""
    return "".join(_MERMAID_ENTITIES.get(char, char) for char in text)
