"""The questions about moving: what the next rung asks (`next`) and the routes between two positions
(`path`), built from the moves, entry points and exits in the data; nothing here is hard-coded."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, NamedTuple

from career_ladder.catalog import Catalog
from career_ladder.errors import LadderError, NotFound, printable
from career_ladder.names import checked_name, normalized, suggestion
from career_ladder.queries import show_rung
from career_ladder.results import PlacedRung
from career_ladder.results.moves import AreaChange, Move, NextView, PayStep, Position, Promotion, Routes

if TYPE_CHECKING:
    from career_ladder.models import Ladder, Point, Rung, Transition


def next_rung(catalog: Catalog, ladder_name: str, rung_name: str) -> NextView:
    """What each rung a promotion from `rung_name` leads to asks: NotFound when none leads on."""
    view = show_rung(catalog, ladder_name, rung_name)  # its moves: its ladder's and its home ladder's
    current = view.placed
    found: dict[str, Promotion] = {}  # by the rung it leads to: a move both ladders give is one
    for placed_move in view.leads_to:
        move = placed_move.move
        if move.kind != "promotion" or move.to is None:
            continue
        target = _placed(catalog, placed_move.home, move.to, view.ladder)
        key = target.shared_from or target.ref
        promotion = _promotion(move, current.rung, target, view.ladder)
        if key in found:
            before = found[key]
            sources = list(dict.fromkeys([*before.move.sources, *move.sources]))
            merged = before.move.model_copy(update={"sources": sources})
            promotion = before._replace(move=merged, signals=_distinct([*before.signals, *promotion.signals]))
        found[key] = promotion
    if not found:
        raise NotFound(f"no promotion from '{current.rung.id}' in ladder '{view.ladder.id}': the sources name none")
    promotions = list(found.values())
    # A rung's signals say what readiness for its next rung looks like: they belong to a promotion
    # only when there is one. With several, each keeps the move's own, and the rest stand apart.
    if len(promotions) == 1:
        only = promotions[0]
        return NextView(current, [only._replace(signals=_distinct([*only.signals, *current.rung.signals]))])
    given = {normalized(point.text) for promotion in promotions for point in promotion.signals}
    apart = [point for point in _distinct(list(current.rung.signals)) if normalized(point.text) not in given]
    return NextView(current, promotions, apart)


def _rung_of(catalog: Catalog, ladder: str, ref: str) -> tuple[str, Rung]:
    """The ladder that writes the rung a ref in `ladder` names (`vp` or `pm:vp`), and the rung."""
    ladder_id, _, rung_id = ref.rpartition(":")
    return catalog.shared_rung(f"{ladder_id or ladder}:{rung_id}")


def _placed(catalog: Catalog, home: str, ref: str, seen_from: Ladder) -> PlacedRung:
    """The rung a move's `to` names, placed in the ladder the reader is looking at if it holds it."""
    owner, rung = _rung_of(catalog, home, ref)
    for entry in seen_from.rungs:
        if entry.id == rung.id and (getattr(entry, "shared", None) == f"{owner}:{rung.id}" or seen_from.id == owner):
            return catalog.placed(seen_from, entry)
    return catalog.placed(catalog.ladder(owner), rung)


def _distinct(points: list[Point]) -> list[Point]:
    """Each statement once (the data may give it on the move and on the rung), its sources merged."""
    by_text: dict[str, Point] = {}
    for point in points:
        key = normalized(point.text)
        if key in by_text:
            sources = list(dict.fromkeys([*by_text[key].sources, *point.sources]))
            by_text[key] = by_text[key].model_copy(update={"sources": sources})
        else:
            by_text[key] = point
    return list(by_text.values())


def _promotion(move: Transition, current: Rung, target: PlacedRung, ladder: Ladder) -> Promotion:
    def added(now: list[Point], then: list[Point]) -> list[Point]:
        known = {normalized(point.text) for point in now}
        return [point for point in then if normalized(point.text) not in known]

    rung = target.rung
    ours = {figure.currency for figure in current.salary}
    theirs = {figure.currency for figure in rung.salary}
    pay = [
        PayStep(
            currency,
            [f for f in current.salary if f.currency == currency],
            [f for f in rung.salary if f.currency == currency],
        )
        for currency in sorted(ours & theirs)
    ]
    return Promotion(
        move,
        target,
        _distinct(list(move.signals)),
        added(current.responsibilities, rung.responsibilities),
        added(current.skills, rung.skills),
        pay,
        sorted(ours ^ theirs),
        _area_changes(current, rung, ladder),
    )


def _area_changes(current: Rung, target: Rung, ladder: Ladder) -> list[AreaChange]:
    """Area by area (in the ladder's order), what the target expects and the current rung does not."""
    names = {area.id: area.name for area in ladder.competencies}
    order = [*names, *(a for a in [*current.expectations, *target.expectations] if a not in names)]
    changes = []
    for area in dict.fromkeys(order):
        now, then = current.expectations.get(area, []), target.expectations.get(area, [])
        if {normalized(p.text) for p in now} != {normalized(p.text) for p in then}:
            changes.append(AreaChange(area, names.get(area, area), list(now), list(then)))
    return changes


# --- routes -------------------------------------------------------------------------------------


class Graph(NamedTuple):
    positions: dict[str, tuple[Position, dict[str, str]]]  # key -> position and its names, normalized -> as written
    moves: dict[str, list[Move]]  # key of a start -> the moves out of it, their signals not read yet
    # (start, end, kind) of a move -> (ladder, "moves" or "ways", index) of each that gives it
    given: dict[tuple[str, str, str], list[tuple[str, str, int]]]


def graph(catalog: Catalog) -> tuple[Graph, list[LadderError]]:
    """Every position and move of every ladder that loads, from what the store holds of each
    (`rebuild.moves_of`): no ladder is read whole, however many there are."""
    overview = catalog.overview()
    skipped: list[LadderError] = list(overview.broken)
    ladders = overview.moves()
    rungs = {ladder_id: {row[0]: row for row in held["rungs"]} for ladder_id, held in ladders.items()}
    positions: dict[str, tuple[Position, dict[str, str]]] = {}
    moves: dict[str, dict[tuple[str, str], Move]] = {}  # by start, then by (end, kind)
    given: dict[tuple[str, str, str], list[tuple[str, str, int]]] = {}
    spelled: dict[str, str] = {}  # names repeat across ladders: each is normalized once

    def add(position: Position, names: list[str]) -> Position:
        known = positions.setdefault(position.key, (position, {}))
        for name in names:
            key = spelled.get(name)
            if key is None:
                key = spelled[name] = normalized(name)
            known[1].setdefault(key, name)
        return known[0]

    def home(ref: str) -> tuple[str, list[Any]]:
        """The ladder that writes the rung `ref` stands for, and the rung (shares followed), as
        `Catalog.shared_rung` finds it; its error when there is none."""
        seen: list[str] = []
        while ref not in seen:
            seen.append(ref)
            ladder_id, _, rung_id = ref.partition(":")
            row = rungs.get(ladder_id, {}).get(rung_id)
            if row is None:
                break
            if row[3] is None:
                return ladder_id, row
            ref = row[3]
        catalog.shared_rung(seen[0])  # says why there is none
        raise NotFound(f"no rung for '{seen[0]}'")

    placed: dict[tuple[str, str], Position] = {}

    def rung_position(ladder_id: str, ref: str) -> Position:
        found = placed.get((ladder_id, ref))
        if found is None:
            owner, rung = home(f"{ref.rpartition(':')[0] or ladder_id}:{ref.rpartition(':')[2]}")
            rung_id, title, aliases = rung[0], rung[1], rung[2]
            names = [rung_id, title, *aliases, f"{owner}:{rung_id}", f"{ladder_id}:{ref.rpartition(':')[2]}"]
            found = placed[ladder_id, ref] = add(
                Position(f"{owner}:{rung_id}", f"{title} ({owner}:{rung_id})", "rung"), names
            )
        return found

    def link(start: Position, end: Position, kind: str, sources: list[str], origin: tuple[str, str, int]) -> None:
        """Add a move; one both ladders give (a lateral move, say) is one move with both sources."""
        out = moves.setdefault(start.key, {})
        same = out.setdefault((end.key, kind), Move(start, end, kind, [], []))
        same.sources.extend(source for source in sources if source not in same.sources)
        given.setdefault((start.key, end.key, kind), []).append(origin)

    for ladder_id in sorted(ladders):
        held = ladders[ladder_id]
        try:
            for rung_id, _, _, shared in held["rungs"]:
                rung_position(ladder_id, shared or rung_id)
            for index, (start_ref, end_ref, kind, role, sources) in enumerate(held["moves"]):
                start = rung_position(ladder_id, start_ref)
                if kind == "exit":
                    end = add(Position(f"exit:{normalized(role or '')}", role or "", "exit"), [role or ""])
                else:
                    end = rung_position(ladder_id, end_ref or "")
                link(start, end, kind, sources, (ladder_id, "moves", index))
                if kind == "lateral":
                    link(end, start, kind, sources, (ladder_id, "moves", index))
            for index, (way_id, name, lands_on, sources) in enumerate(held["ways"]):
                start = add(Position(f"entry:{ladder_id}:{way_id}", name, "entry"), [way_id, name])
                for ref in lands_on:
                    link(start, rung_position(ladder_id, ref), "entry", sources, (ladder_id, "ways", index))
        except LadderError as error:  # a share that leads nowhere: that ladder's moves are left out
            skipped.append(error)
    return Graph(positions, {key: list(out.values()) for key, out in moves.items()}, given), skipped


def _positions(found: Graph, name: str) -> list[Position]:
    checked_name(name, "position")
    key = normalized(name)
    # As `names.matches`, over names normalized once: equal, or else containing it.
    chosen = [position for position, names in found.positions.values() if key in names] or [
        position for position, names in found.positions.values() if any(key in n for n in names)
    ]
    if not chosen:
        names = [n for _, names in found.positions.values() for n in names.values()]
        raise NotFound(f"no rung, way in or role '{printable(name)}'{suggestion(name, names)}")
    return chosen


# Longer routes than the shortest are listed as alternatives up to this many moves more.
DETOUR = 2
# At most this many routes are found, even with `--limit 0`: thousands of ladders linked by lateral
# moves have millions.
MAX_ROUTES = 1_000


def path(catalog: Catalog, start: str, end: str, limit: int = 5) -> Routes:
    """The shortest routes from `start` to `end` (any rung, way in or role each name fits), then
    routes of up to DETOUR moves more, at most `limit` in all (0: MAX_ROUTES)."""
    found, skipped = graph(catalog)
    starts, ends = _positions(found, start), _positions(found, end)
    readings: list[str] = []
    chosen = _chosen_ladder(catalog, starts, ends)
    if chosen:
        starts = _read_in(chosen, start, starts, readings, catalog)
        ends = _read_in(chosen, end, ends, readings, catalog)
    starts = [p for p in starts if p not in ends]  # one is already there
    if not starts:
        raise NotFound(f"'{printable(start)}' and '{printable(end)}' name the same place: no move is needed", skipped)
    distance = _distances_to(found, {p.key for p in ends})
    reachable = [p for p in starts if p.key in distance]
    if not reachable:
        read = "".join(f" ({reading})" for reading in readings)
        raise NotFound(
            f"no route from '{printable(start)}' to '{printable(end)}' in the moves the sources give{read}", skipped
        )
    shortest = min(distance[p.key] for p in reachable)
    wanted = min(limit, MAX_ROUTES) if limit else MAX_ROUTES
    routes: list[list[Move]] = []
    for budget in range(shortest, shortest + DETOUR + 1):
        for position in reachable:
            _walk(found, distance, position.key, budget, routes, wanted, {e.key for e in ends})
    found_routes = sorted(routes, key=len)[:wanted]
    return Routes(starts, ends, _with_signals(catalog, found, found_routes), skipped, readings)


def _with_signals(catalog: Catalog, found: Graph, routes: list[list[Move]]) -> list[list[Move]]:
    """The routes with the signals of each move (a way in's notes), each once, in the order of the
    ladders that give them: read from the store for the ladders of these routes only."""
    from career_ladder.models import Point
    from career_ladder.rebuild import construct

    def given(move: Move) -> list[tuple[str, str, int]]:
        return found.given[move.start.key, move.end.key, move.kind]

    held = catalog.overview().signals({ladder for route in routes for move in route for ladder, _, _ in given(move)})

    def shown(move: Move) -> Move:
        points: list[dict[str, Any]] = []
        for ladder, part, index in given(move):
            points += [point for point in held[ladder][part][index] if point not in points]
        return move._replace(signals=[construct(Point, point) for point in points])

    return [[shown(move) for move in route] for route in routes]


def _rung_ladder(position: Position) -> str:
    """The ladder that writes a rung position (`pm` for `pm:director`)."""
    return position.key.partition(":")[0]


def _twins(positions: list[Position]) -> dict[str, list[Position]]:
    """The rung ids that name a rung in more than one ladder, with those rungs."""
    by_id: dict[str, list[Position]] = {}
    for position in positions:
        if position.kind == "rung":
            by_id.setdefault(position.key.rpartition(":")[2], []).append(position)
    return {rung_id: found for rung_id, found in by_id.items() if len(found) > 1}


def _priority(catalog: Catalog, ladder: str) -> int:
    """How late the ladder's directory comes (a team's own ladder before a built-in one)."""
    found = catalog.find(ladder)
    return catalog.directories.index(found.directory) if found and found.directory in catalog.directories else -1


def _chosen_ladder(catalog: Catalog, starts: list[Position], ends: list[Position]) -> str | None:
    """For a rung id that names rungs of several ladders, the one ladder to read it in: one that holds
    both ends if any, then the one from the latest data directory (the user's over the built-in), then by id."""
    twins = [p for group in [*_twins(starts).values(), *_twins(ends).values()] for p in group]
    if not twins:
        return None
    both = {_rung_ladder(p) for p in starts if p.kind == "rung"} & {_rung_ladder(p) for p in ends if p.kind == "rung"}
    ladders = {_rung_ladder(p) for p in twins}
    return min(ladders, key=lambda ladder: (ladder not in both, -_priority(catalog, ladder), ladder))


def _read_in(
    chosen: str, name: str, positions: list[Position], readings: list[str], catalog: Catalog
) -> list[Position]:
    """`positions` with each rung id of several ladders read once (in `chosen`, else its likeliest
    ladder), and a sentence in `readings` saying which was read and how to name the others."""
    kept = list(positions)
    for group in _twins(positions).values():
        ladders = [_rung_ladder(p) for p in group]
        read = (
            group[ladders.index(chosen)]
            if chosen in ladders
            else max(group, key=lambda p: _priority(catalog, _rung_ladder(p)))
        )
        others = [p.key for p in group if p is not read]
        kept = [p for p in kept if p is read or p not in group]
        where = catalog.find(_rung_ladder(read))
        origin = f" ({where.directory.origin})" if where else ""
        other = "the other" if len(others) == 1 else "another"
        readings.append(
            f"'{printable(name)}' is a rung of {len(group)} ladders ({', '.join(sorted(ladders))}): read as "
            f"{read.key}, of ladder {_rung_ladder(read)}{origin}; for {other}, name {' or '.join(others)}."
        )
    return kept


def _distances_to(found: Graph, targets: set[str]) -> dict[str, int]:
    """Moves needed from each position to reach one of `targets` (breadth first, backwards)."""
    into: dict[str, list[str]] = {}
    for key, moves in found.moves.items():
        for move in moves:
            into.setdefault(move.end.key, []).append(key)
    distance = dict.fromkeys(targets, 0)
    queue = deque(targets)
    while queue:
        key = queue.popleft()
        for before in into.get(key, []):
            if before not in distance:
                distance[before] = distance[key] + 1
                queue.append(before)
    return distance


def _walk(
    found: Graph,
    distance: dict[str, int],
    key: str,
    budget: int,
    routes: list[list[Move]],
    limit: int,
    targets: set[str],
) -> None:
    """Every route from `key` of exactly `budget` moves that visits no position twice, depth first
    in the order the moves are given; a loop, not recursion, so a route may be thousands of moves long."""
    route: list[Move] = []
    visited = {key}
    ahead = [iter(found.moves.get(key, []))]  # the moves still to try from each position of the route
    while ahead and not (limit and len(routes) >= limit):
        move = next(ahead[-1], None)
        if move is None:
            ahead.pop()
            if route:
                visited.discard(route.pop().end.key)
            continue
        end, left = move.end.key, budget - len(route) - 1
        if end in visited or distance.get(end, left + 1) > left:
            continue
        if end in targets:  # a route ends where it first reaches the goal
            if left == 0:
                routes.append([*route, move])
            continue
        route.append(move)
        visited.add(end)
        ahead.append(iter(found.moves.get(end, [])))
