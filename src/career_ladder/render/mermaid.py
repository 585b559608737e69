"""`ladder export -f mermaid`: a ladder's rungs and moves as a Mermaid flowchart (for GitHub, GitLab
and wikis that draw Mermaid, and the charts of `export --site`).

The chart is drawn bottom up, a row per level. Mermaid's layout (dagre) sets a node at least as many
ranks above each node linking to it as the link is long (`-->` one, `--->` two), and keeps links as
short as it can. So each level gets a rank (`_Rows`), every link is exactly as long as the ranks
between its ends, and invisible links (`~~~`) tie every node to the rows: the one layout in which
every link is as short as it may be then has the nodes of a level on one row. A link cannot join two
nodes of one rank, so a lateral move goes through a small "lateral move" node on a rank of its own
just below its row. Mermaid reads no link as longer than ten ranks: a longer one is left slack."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise
from types import MappingProxyType
from typing import NamedTuple

from career_ladder.render.labels import rung_label
from career_ladder.results import LadderView, NamedRung, PlacedRung

LEGEND = (  # drawn as the chart is: bottom up, a lateral move through its node
    '  subgraph legend["Legend"]',
    "    direction BT",
    '    key0["rung"] -->|promotion| key1["rung"]',
    '    key2(["lateral move"]):::move -.- key3["rung"]',
    '    key2 -.-> key4["rung of<br/>another ladder"]:::other',
    '    key5["rung"] -.->|exit| key6(["role outside<br/>the ladders"]):::role',
    "  end",
)
CLASSES = (
    "  classDef other stroke-dasharray: 4 3",
    "  classDef role fill:none,stroke-dasharray: 2 2",
    "  classDef move fill:none,stroke:none,font-style:italic",
)
_LONGEST = 10  # Mermaid reads `-...........->` as ten ranks long


def mermaid(view: LadderView, *, others: Mapping[str, NamedRung] = MappingProxyType({})) -> str:
    """A bottom-up flowchart, a row per level: the rungs (each parallel track a lane, side by side),
    the moves among them (promotions plain arrows; lateral moves and exits labelled), the rungs of
    other ladders a move reaches, the roles the ladder is left for (in one box) and a legend.
    `others` are the rungs of other ladders that `view` names, by reference (`tpm:tpm`), as
    `queries.page_context` gives them: each is drawn with its title and ladder; one not given, with its
    reference. One whose level is not known stands across from the rung of a lateral move, or a
    rank above the rung promoted from."""
    chart = _Chart(view, others)
    return "\n".join(["flowchart BT", *chart.lines(), *CLASSES]) + "\n"


class _Node(NamedTuple):
    label: str  # Mermaid text: escaped, lines joined by `<br/>`
    shape: str = "[]"  # `[]` a box, `([])` a pill
    style: str = ""  # its class: other, role, move
    level: int | None = None  # None: another ladder's rung not given
    lane: str | None = None  # the parallel track it stands in

    def declared(self, node_id: str) -> str:
        """The node as Mermaid declares it: `n3["Title<br/>level 30"]:::other`."""
        half = len(self.shape) // 2
        style = f":::{self.style}" if self.style else ""
        return f'{node_id}{self.shape[:half]}"{self.label}"{self.shape[half:]}{style}'


class _Link(NamedTuple):
    start: str
    end: str
    kind: str  # promotion, lateral, exit; invisible for a tie
    head: bool = True


class _Chart:
    """The nodes and links of one chart, each node keyed by a rung's id in this ladder, another
    ladder's rung's reference (`tpm:tpm`), `lateral N` or `role NAME` (with a space: no reference
    has one)."""

    def __init__(self, view: LadderView, others: Mapping[str, NamedRung]) -> None:
        self.view = view
        self.nodes: dict[str, _Node] = {}
        self.links: list[_Link] = []
        self.lateral: set[str] = set()  # the "lateral move" nodes, a rank below their row
        self.exits: dict[str, list[str]] = {}  # a rung's key: the roles it is left for
        tracks = {track.id for track in view.ladder.parallel_tracks}
        for placed in view.rungs:
            lane = placed.track if placed.track in tracks else None
            self.nodes[placed.rung.id] = _Node(_rung_text(placed), level=placed.rung.level, lane=lane)
        for move in view.moves:
            start = _own_key(move.start, view)
            self.nodes.setdefault(start, _other_node(start, others))
            if move.move.kind == "exit":
                self.exits.setdefault(start, []).append(move.end)
                continue
            end = _own_key(move.end, view)
            self.nodes.setdefault(end, _other_node(end, others))
            if move.move.kind == "lateral":
                self._lateral(start, end)
            else:
                self.links.append(_Link(start, end, "promotion"))
        self.rows = _Rows((node.level for node in self.nodes.values()), (self.nodes[key].level for key in self.lateral))
        self.roles = list(dict.fromkeys(role for roles in self.exits.values() for role in roles))
        keys = [*self.nodes, *(f"role {role}" for role in self.roles)]
        self.ids = {key: f"n{number}" for number, key in enumerate(keys)} | {"legend": "legend"}

    def _lateral(self, start: str, end: str) -> None:
        """Down from the rung left to a "lateral move" node below both ends, and up to the rung moved
        to. An end of unknown level is taken to stand across, on the other's row."""
        first, second = self.nodes[start], self.nodes[end]
        if first.level is None or second.level is None:
            level = first.level if first.level is not None else second.level
            self.nodes[start], self.nodes[end] = first._replace(level=level), second._replace(level=level)
            first, second = self.nodes[start], self.nodes[end]
        levels = [level for level in (first.level, second.level) if level is not None]
        key = f"lateral {len(self.lateral)}"
        lane = first.lane if first.lane == second.lane else None
        self.nodes[key] = _Node("lateral move", "([])", "move", min(levels, default=None), lane)
        self.lateral.add(key)
        self.links += [_Link(key, start, "lateral", head=False), _Link(key, end, "lateral")]

    def rank(self, key: str) -> int | None:
        if key == "legend":
            return 0
        level = self.nodes[key].level
        return None if level is None else self.rows.rank(level) - (key in self.lateral)

    def lines(self) -> list[str]:
        out = []
        names = {track.id: track.name for track in self.view.ladder.parallel_tracks}
        lanes: dict[str | None, list[str]] = {}
        for key, node in self.nodes.items():
            lanes.setdefault(node.lane, []).append(key)
        for number, (lane, keys) in enumerate(lanes.items()):
            if lane:
                out.append(f'  subgraph lane{number}["{_mermaid_text(names[lane])}"]')
            out += [("    " if lane else "  ") + self.nodes[key].declared(self.ids[key]) for key in keys]
            out += ["  end"] * bool(lane)
        if self.roles:
            out.append('  subgraph exits["Leaving the ladder"]')
            out += [f'    {self.ids["role " + role]}(["{_mermaid_text(role)}"]):::role' for role in self.roles]
            out.append("  end")
        out += [f"  {self.ids[link.start]} {self._arrow(link)} {self.ids[link.end]}" for link in self.links]
        out += self._exit_links()
        ties = [f"  {self.ids[tie.start]} {self._arrow(tie)} {self.ids[tie.end]}" for tie in self._ties()]
        return [*out, *LEGEND, *ties]  # after the legend, which the lowest row is tied to

    def _arrow(self, link: _Link) -> str:
        return _arrow(link.kind, self._length(link), link.head)

    def _length(self, link: _Link) -> int:
        """The ranks between the rows of a link's ends; one where an end's level is not known."""
        start, end = self.rank(link.start), self.rank(link.end)
        return end - start if start is not None and end is not None and end > start else 1

    def _exit_links(self) -> list[str]:
        """An exit to the box of roles where every rung left leaves for them all (no tangle of links to
        each); else a link to each role."""
        everyone = len({frozenset(roles) for roles in self.exits.values()}) == 1
        out = []
        for start, roles in self.exits.items():
            rank = self.rank(start)
            arrow = _arrow("exit", self.rows.top - rank if rank is not None else 2)
            ends = ["exits"] if everyone else [self.ids["role " + role] for role in dict.fromkeys(roles)]
            out += [f"  {self.ids[start]} {arrow} {end}" for end in ends]
        return out

    def _ties(self) -> list[_Link]:
        """Invisible links that hold every node to its row (see the module's docstring), each as long
        as the ranks between its ends: the legend (rank 0) and the first node of each row to the first
        of the next; each node linked to none of those, to the first of the row below; a
        lane's lowest and highest nodes to the rows above and below them, so that the lane cannot be
        drawn shorter than its rows (Mermaid keeps a box as short as it can, before any link); and a
        lane that no link leaves, to a node outside it (Mermaid would draw it apart)."""
        ranked = [key for key, node in self.nodes.items() if node.level is not None and key not in self.lateral]
        rows: dict[int, list[str]] = {0: ["legend"]}
        for key in ranked:
            rows.setdefault(self.rank(key) or 0, []).append(key)
        order = sorted(rows)
        first = {rank: keys[0] for rank, keys in rows.items()}
        held = {(link.start, link.end) for link in self.links if self._length(link) <= _LONGEST}
        groups = _Groups()
        for start, end in held:  # a longer link is slack: it holds neither end to its row
            groups.join(start, end)
        ties: list[_Link] = []

        def tie(below: str, above: str) -> None:
            if (below, above) not in held:
                held.add((below, above))
                groups.join(below, above)
                ties.append(_Link(below, above, "invisible"))

        for below, above in pairwise(order):
            tie(first[below], first[above])
        at = {key: order.index(rank) for rank, keys in rows.items() for key in keys}
        for key in ranked:
            if groups.root(key) != groups.root("legend"):
                tie(first[order[at[key] - 1]], key)
        for lane in {node.lane for node in self.nodes.values()} - {None}:
            keys = [key for key in ranked if self.nodes[key].lane == lane]
            for key in keys:
                row = order[at[key]]
                if key != first[row] and row == min(order[at[k]] for k in keys) and at[key] + 1 < len(order):
                    tie(key, first[order[at[key] + 1]])
                if key != first[row] and row == max(order[at[k]] for k in keys):
                    tie(first[order[at[key] - 1]], key)
        return ties + self._lane_ties(ranked, ties)

    def _lane_ties(self, ranked: list[str], ties: list[_Link]) -> list[_Link]:
        lane_of = {key: node.lane for key, node in self.nodes.items()} | {"legend": None}
        crossing = {
            lane_of[key]
            for link in [*self.links, *ties]
            for key in link[:2]
            if lane_of[link.start] != lane_of[link.end]
        }
        out = []
        for lane in dict.fromkeys(lane_of[key] for key in ranked):
            if lane is None or lane in crossing:
                continue
            pairs = [
                (abs((self.rank(inner) or 0) - (self.rank(outer) or 0)), inner, outer)
                for inner in ranked
                if lane_of[inner] == lane
                for outer in ranked
                if lane_of[outer] != lane and self.rank(inner) != self.rank(outer)
            ]
            if pairs:
                _, inner, outer = min(pairs)
                below, above = sorted((inner, outer), key=lambda key: self.rank(key) or 0)
                out.append(_Link(below, above, "invisible"))
                crossing |= {lane_of[inner], lane_of[outer]}
        return out


class _Rows:
    """The rank of each level: the levels in order, a rank apart, and a rank more below a row that
    has lateral moves (for their nodes). Rank 0 is the legend's."""

    def __init__(self, levels: Iterable[int | None], lateral: Iterable[int | None]) -> None:
        below = set(lateral)
        self.ranks: dict[int, int] = {}
        for level in sorted({level for level in levels if level is not None}):
            self.ranks[level] = max(self.ranks.values(), default=0) + 1 + (level in below)

    def rank(self, level: int) -> int:
        return self.ranks[level]

    @property
    def top(self) -> int:
        """The rank above the highest row, where the roles left for stand."""
        return max(self.ranks.values(), default=0) + 1


class _Groups:
    """Which nodes are linked, directly or not (union-find)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def root(self, key: str) -> str:
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def join(self, one: str, other: str) -> bool:
        """Link them; False if they already were."""
        first, second = self.root(one), self.root(other)
        self.parent[first] = second
        return first != second


def _arrow(kind: str, length: int, head: bool = True) -> str:
    """A link `length` ranks long (at most ten): solid for a promotion, dotted and labelled for an
    exit, dotted for each half of a lateral move (its node is its label), invisible for a tie."""
    length = max(1, min(length, _LONGEST))
    if kind == "invisible":
        return "~" * (length + 2)
    if kind == "promotion":
        return "-" * (length + 1) + ">"
    line = "-" + "." * length + "-" + ">" * head
    return f"{line}|exit|" if kind == "exit" else line


def _other_node(ref: str, others: Mapping[str, NamedRung]) -> _Node:
    """Another ladder's rung: its title, then its ladder (`TPM ladder`) and, where it is given, its
    level (on the row of that level); its reference where its title is not given."""
    named = others.get(ref)
    if named is None:
        return _Node(_mermaid_text(ref), style="other")
    where = f"{named.ladder.upper()} ladder, level {named.level}"
    return _Node(f"{_mermaid_text(named.title)}<br/>{_mermaid_text(where)}", style="other", level=named.level)


def _rung_text(placed: PlacedRung) -> str:
    """Title (abbreviation), as tables write it; then whether it is optional or shared from another
    ladder, and its level."""
    notes = ["optional"] * placed.rung.optional
    if placed.shared_from:
        notes.append(f"from the {placed.shared_from.partition(':')[0].upper()} ladder")
    lines = [rung_label(placed).splitlines()[0], ", ".join([*notes, f"level {placed.rung.level}"])]
    return "<br/>".join(_mermaid_text(line) for line in lines)


def _own_key(ref: str, view: LadderView) -> str:
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
