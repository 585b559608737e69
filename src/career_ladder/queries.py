"""The questions `ladder` answers, as plain functions that return data and never print."""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING

from career_ladder.catalog import Catalog
from career_ladder.errors import Ambiguous, BadArgument, InvalidLadder, LadderError, NotFound, printable
from career_ladder.names import checked_name, matches, normalized, suggestion
from career_ladder.results import (
    AlignedRow,
    LadderComparison,
    LadderListing,
    LadderView,
    ListedLadder,
    NamedRung,
    Origins,
    PageContext,
    PairPoints,
    PlacedMove,
    PlacedRung,
    RungView,
    SalaryReport,
    SalaryRow,
)

if TYPE_CHECKING:
    from career_ladder.models import ComparisonPoint, EntryPoint, Ladder, SalaryFigure, Source
    from career_ladder.tidy import TidyRow


def ladder_id(catalog: Catalog, name: str) -> str:
    """The id of the ladder `name` (an id, name or alias) stands for."""
    checked_name(name, "ladder")
    if catalog.find(name):  # the common case: an id, found without reading any other ladder
        return name
    overview = catalog.overview()
    candidates = [(s.id, [s.id, s.name, *s.aliases]) for s in map(overview.summary, overview.good)]
    found = matches(name, candidates)
    if len(found) == 1:
        return found[0]
    if found:
        raise Ambiguous(f"'{printable(name)}' could be any of these ladders: {_some(sorted(found))}")
    ids = [candidate for candidate, _ in candidates] or list(catalog.winners())
    raise NotFound(f"no ladder '{printable(name)}'{_example_hint(catalog, name) or suggestion(name, ids)}")


def _example_hint(catalog: Catalog, name: str) -> str:
    """How to reach an example ladder from anywhere, for a name that is one's id and is not read."""
    from career_ladder.datadirs import example_ids

    if any(directory.origin == "examples" for directory in catalog.directories):
        return ""
    found = [example for example in example_ids() if normalized(example) == normalized(name)]
    return f": '{found[0]}' is an example that ships with ladder; add --examples after `ladder`" if found else ""


def find_rungs(name: str, rungs: Sequence[PlacedRung]) -> list[PlacedRung]:
    """Every rung `name` fits."""
    checked_name(name, "rung")
    return matches(name, [(placed, placed.rung.names()) for placed in rungs])


def find_rung(name: str, rungs: Sequence[PlacedRung], ladder: str) -> PlacedRung:
    """The one rung of `ladder` that `name` stands for."""
    found = find_rungs(name, rungs)
    if len(found) == 1:
        return found[0]
    if found:
        listed = _some([f"{p.rung.id} ({p.rung.title})" for p in found])
        raise Ambiguous(f"'{printable(name)}' could be any of these rungs of '{ladder}': {listed}")
    names = [n for placed in rungs for n in (placed.rung.id, *placed.rung.aliases)]
    raise NotFound(f"no rung '{printable(name)}' in ladder '{ladder}'{suggestion(name, names)}")


def _some(names: list[str], shown: int = 5) -> str:
    """The first few names, and how many more there are: a message stays one readable line."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def show_ladder(catalog: Catalog, name: str, origin: bool = False) -> LadderView:
    """The ladder `name` stands for, with its rungs in order, shared ones followed."""
    found = catalog.find(ladder_id(catalog, name))
    if found is None:
        raise NotFound(f"no ladder '{printable(name)}'")
    ladder = catalog.load(found)
    rungs = catalog.placed_rungs(ladder)
    moves = [PlacedMove(ladder.id, move, ladder.id) for move in ladder.transitions]
    # The same move written in the ladder and in a shared rung's home ladder is shown once.
    shared = {placed.rung.id: placed.shared_from for placed in rungs if placed.shared_from}
    own = {(m.move.kind, shared.get(m.start, m.start), shared.get(m.end, m.end)) for m in moves}
    for placed in rungs:
        if placed.shared_from:
            home = catalog.ladder(catalog.shared_rung(placed.shared_from)[0])
            for move in home.transitions:
                theirs = PlacedMove(home.id, move, ladder.id)
                if move.from_ == placed.rung.id and (move.kind, theirs.start, theirs.end) not in own:
                    moves.append(theirs)
    # Only a directory besides the built-in one may hold a file it overrides.
    may_override = any(d.origin != "built-in" and os.path.isdir(d.path) for d in catalog.directories)
    overrides = [str(f.path) for f in catalog.overridden(ladder.id)] if may_override else []
    origins = catalog.origins(ladder, found.path) if origin else None
    return LadderView(ladder, rungs, moves, str(found.path), overrides, origins)


def shared_sources(catalog: Catalog, view: LadderView) -> dict[str, list[Source]]:
    """The sources of the ladders that write `view`'s shared rungs and the moves it shows of them,
    by ladder id: an id means what its own ladder says it means."""
    homes = {placed.home for placed in view.rungs if placed.home}
    homes |= {move.home for move in view.moves if move.home != view.ladder.id}
    return {home: list(catalog.ladder(home).sources) for home in sorted(homes)}


def page_context(catalog: Catalog, view: LadderView) -> PageContext:
    """What `view`'s page shows besides the ladder: the moves and ways in of its shared rungs' home
    ladders that lead into them (the terminal's "Reached from"), its rungs' equivalents (for their
    pay), the rungs of other ladders it names, by title, and the sources all of these cite."""
    ladder = view.ladder
    arrivals: list[PlacedMove] = []
    entries: list[tuple[str, EntryPoint]] = []
    shown = {(m.home, m.move.kind, m.start, m.end) for m in view.moves}
    for placed in view.rungs:
        if placed.shared_from and placed.home:
            home = catalog.ladder(placed.home)
            into = [PlacedMove(home.id, m, ladder.id) for m in home.transitions if m.to == placed.rung.id]
            arrivals += [m for m in into if (m.home, m.move.kind, m.start, m.end) not in shown]
            entries += [(home.id, entry) for entry in home.entry_points if placed.rung.id in entry.lands_on]
    equivalent = {placed.rung.id: equivalents(catalog, placed) for placed in view.rungs if placed.rung.equivalent}
    refs = {ref for move in (*view.moves, *arrivals) for ref in (move.start, move.end if move.move.to else "")}
    refs |= {ref for placed in view.rungs for ref in (*placed.rung.reports_to, *placed.rung.equivalent)}
    refs |= {placed.shared_from for placed in view.rungs if placed.shared_from}
    refs |= {ref for entry in ladder.entry_points for ref in entry.lands_on}
    refs |= {f"{home}:{ref}" if ":" not in ref else ref for home, entry in entries for ref in entry.lands_on}
    others = {}
    for ref in sorted(ref for ref in refs if ":" in ref):
        other, _, rung_id = ref.partition(":")
        try:
            home_ladder = catalog.ladder(other)
            _, rung = catalog.shared_rung(ref)
        except LadderError:
            continue  # a rung no ladder here writes: its reference is all a page can show
        others[ref] = NamedRung(other, rung_id, rung.title, home_ladder.name, rung.level)
    homes = {placed.home or placed.ladder for rungs in equivalent.values() for placed in rungs}
    homes |= {move.home for move in arrivals} | {comparison.with_ for comparison in ladder.comparisons}
    homes |= {named.ladder for named in others.values()}
    names = {}
    for other_id in sorted(homes - {ladder.id}):
        try:
            names[other_id] = catalog.ladder(other_id).name
        except LadderError:
            continue  # a comparison with a ladder not in view: its id is what the page shows
    sources = shared_sources(catalog, view)
    sources |= {home: list(catalog.ladder(home).sources) for home in homes if home in names and home not in sources}
    return PageContext(sources, others, names, equivalent, arrivals, entries)


def file_rows(view: LadderView) -> list[TidyRow]:
    """The tidy table of the file `view` is read from, as written: an overlay's changes, a shared
    rung's reference (`export -f csv`, the Ladder sheet of `export -f xlsx`)."""
    from pathlib import Path

    from career_ladder.loading import read_ladder
    from career_ladder.tidy import tidy_rows

    own = read_ladder(Path(view.path)).ladder
    return tidy_rows(own.model_dump(mode="json", by_alias=True, exclude_defaults=True))


def drawn_view(catalog: Catalog, ladder: Ladder) -> tuple[LadderView, dict[str, list[Source]]]:
    """`ladder`, as a file outside the data directories gives it (an import), resolved against the
    ladders in view: laid over the ladder it extends, its shared rungs followed; and the sources of
    those. LadderError when it cannot be, or extends a ladder of its own id (which one is unknown)."""
    if ladder.extends is not None:
        from career_ladder.models import Rung, RungEntry
        from career_ladder.overlay import described, merge

        if ladder.extends == ladder.id:
            raise LadderError(
                f"'{ladder.id}' extends a ladder of its own id, which the data directories may hold twice"
            )

        def level_of(entry: RungEntry) -> int | None:
            try:
                return entry.level if isinstance(entry, Rung) else catalog.shared_rung(entry.shared)[1].level
            except LadderError:
                return None

        merged, details = merge(ladder, catalog.ladder(ladder.extends), level_of)
        if details:
            raise LadderError(f"it does not lay over '{ladder.extends}': {described(details[0])[1]}")
        ladder = merged
    view = LadderView(ladder, catalog.placed_rungs(ladder))
    return view, shared_sources(catalog, view)


def show_rung(catalog: Catalog, ladder_name: str, rung_name: str, origin: bool = False) -> RungView:
    """One rung in full: the moves out of and into it (its home ladder's too), entries, sources."""
    view = show_ladder(catalog, ladder_name, origin)
    placed = find_rung(rung_name, view.rungs, view.ladder.id)
    homes = [view.ladder]
    if placed.shared_from:
        homes.append(catalog.ladder(catalog.shared_rung(placed.shared_from)[0]))
    rung_id = placed.rung.id
    moves = [PlacedMove(home.id, move, view.ladder.id) for home in homes for move in home.transitions]
    leads_to = [placed_move for placed_move in moves if placed_move.move.from_ == rung_id]
    reached_by = [placed_move for placed_move in moves if placed_move.move.to == rung_id]
    entries = [e for home in homes for e in home.entry_points if rung_id in e.lands_on]
    titles = {s.id: s.title for s in homes[-1].sources}  # the rung cites the sources of the ladder that writes it
    sources = {s: titles.get(s, s) for s in placed.rung.sources}
    return RungView(view.ladder, placed, leads_to, reached_by, entries, sources, equivalents(catalog, placed), view)


def equivalents(catalog: Catalog, placed: PlacedRung) -> list[PlacedRung]:
    """The rungs of other ladders `placed` says it corresponds to, each in its own ladder; one that
    does not resolve is left out (`validate` reports it)."""
    found = []
    for ref in placed.rung.equivalent:
        try:
            home, rung = catalog.shared_rung(ref)
            found.append(catalog.placed(catalog.ladder(home), rung))
        except LadderError:
            continue
    return found


def compare(catalog: Catalog, names: Sequence[str]) -> LadderComparison:
    """Ladders side by side: a row per level and lane (individual contributor, people leader), a rung
    that states an equivalent rung of another ladder in that rung's row; a missing one leaves a gap."""
    views = [show_ladder(catalog, name) for name in names]
    ids = [view.ladder.id for view in views]
    if len(set(ids)) < len(ids):
        repeated = next(i for i in ids if ids.count(i) > 1)
        raise BadArgument(f"ladder '{repeated}' is named twice: compare different ladders")
    lanes = [_lanes(view) for view in views]
    rows: list[AlignedRow] = []
    in_view = {ref for view in views for placed in view.rungs for ref in _refs(placed)}
    aligning = [
        (column, placed)
        for column, view in enumerate(views)
        for placed in view.rungs
        if in_view & set(placed.rung.equivalent)
    ]
    stated = {id(placed) for _, placed in aligning}
    aligned: set[int] = set()  # the rungs placed in the row of the rung they state as equivalent
    for column, view in enumerate(views):
        # Rungs of one level: those of a stated lane first, then by id; never by the file's order.
        order = sorted(view.rungs, key=lambda p: (p.rung.level, lanes[column].get(p.rung.id) is None, p.rung.id))
        for placed in order:
            if id(placed) not in stated:
                _place(rows, len(views), column, placed, lanes[column].get(placed.rung.id))
    for column, placed in aligning:  # a stated equivalence beats the level-and-lane rule
        wanted = set(placed.rung.equivalent)
        target = next((i for i, row in enumerate(rows) if any(c and wanted & set(_refs(c)) for c in row.cells)), None)
        occupant = rows[target].cells[column] if target is not None else None
        if target is None or (occupant is not None and id(occupant) in stated):
            _place(rows, len(views), column, placed, lanes[column].get(placed.rung.id))
            continue
        rows[target].cells[column] = placed
        aligned.add(id(placed))
        evicted = [(column, occupant)] if occupant is not None else []
        lane = lanes[column].get(placed.rung.id)
        if lane is not None:
            # The row is now of the aligned rung's lane: a rung another ladder put there by level
            # alone, of another stated lane, leaves it (an IC rung beside a people leader).
            rows[target] = rows[target]._replace(lane=lane)
            for other, cell in enumerate(rows[target].cells):
                cell_lane = lanes[other].get(cell.rung.id) if cell else None
                if cell is None or other == column or id(cell) in stated or cell_lane in (None, lane):
                    continue
                if wanted & set(_refs(cell)):
                    continue  # the rung it states as equivalent stays, whatever its lane
                rows[target].cells[other] = None
                evicted.append((other, cell))
        for other, cell in evicted:
            _place(rows, len(views), other, cell, lanes[other].get(cell.rung.id))
    # A row's level and lane are its rungs' (a rung moved out by an equivalence may have set them):
    # the level of the rungs placed by level, the first lane stated.
    for index, row in enumerate(rows):
        cells = [(column, cell) for column, cell in enumerate(row.cells) if cell]
        anchors = [cell.rung.level for _, cell in cells if id(cell) not in aligned]
        stated_lanes = [lanes[column].get(cell.rung.id) for column, cell in cells]
        level = min(anchors or [cell.rung.level for _, cell in cells])
        rows[index] = row._replace(level=level, lane=next((lane for lane in stated_lanes if lane), None))
    rows = [row for row in rows if any(row.cells)]
    rows.sort(key=lambda row: _row_order(row.level, row.lane))
    ladders = [view.ladder for view in views]
    pairs = [PairPoints(a.id, b.id, _points(a, b)) for i, a in enumerate(ladders) for b in ladders[i + 1 :]]
    return LadderComparison(views, rows, [pair for pair in pairs if pair.points])


_LANE_ORDER = {None: 0, "individual-contributor": 1, "people-leader": 2}


def _lanes(view: LadderView) -> dict[str, str | None]:
    """Each rung's lane: its parallel track's kind (or the track's id), else the kind the sources give."""
    kinds = {track.id: track.kind or track.id for track in view.ladder.parallel_tracks}
    return {p.rung.id: kinds.get(p.track or "") or p.rung.kind for p in view.rungs}


def _refs(placed: PlacedRung) -> list[str]:
    return [placed.ref, *([placed.shared_from] if placed.shared_from else [])]


def _place(rows: list[AlignedRow], width: int, column: int, placed: PlacedRung, lane: str | None) -> None:
    """Into the row of its level and lane where its ladder has no rung yet (a rung of no stated lane:
    the first row of its level with room); else into a new row, kept in level and lane order."""
    level = placed.rung.level
    fits = [
        index
        for index, row in enumerate(rows)
        if row.level == level and row.cells[column] is None and (lane is None or row.lane in (lane, None))
    ]
    chosen = next(iter([index for index in fits if rows[index].lane == lane] or fits), None)
    if chosen is None:
        order = _row_order(level, lane)
        chosen = next((i for i, row in enumerate(rows) if _row_order(row.level, row.lane) > order), len(rows))
        rows.insert(chosen, AlignedRow(level, lane, [None] * width))
    elif lane is not None and rows[chosen].lane is None:
        rows[chosen] = rows[chosen]._replace(lane=lane)
    rows[chosen].cells[column] = placed


def _row_order(level: int, lane: str | None) -> tuple[int, int, str]:
    return level, _LANE_ORDER.get(lane, 3), lane or ""


def _points(left: Ladder, right: Ladder) -> list[ComparisonPoint]:
    """The sources' point-by-point comparison of the pair, written from the left ladder's side."""
    for comparison in left.comparisons:
        if comparison.with_ == right.id:
            return list(comparison.points)
    for comparison in right.comparisons:
        if comparison.with_ == left.id:
            return [p.model_copy(update={"this": p.other, "other": p.this}) for p in comparison.points]
    return []


def salary(
    catalog: Catalog, role: str, ladder: str | None = None, region: str | None = None, limit: int = 0
) -> SalaryReport:
    """Every salary figure of every rung matching `role` (in `ladder`), then the pay of the ladder
    `role` names for its role as a whole; the first `limit` rows only (0: all). A rung without
    figures is a row; with `region`, one whose figures are all elsewhere is left out."""
    skipped: list[LadderError] = []
    if ladder is not None:
        view = show_ladder(catalog, ladder)
        matched = find_rungs(role, view.rungs)
        roles = [view.ladder] if _as_id(role) == view.ladder.id else []
    else:
        matched = _matching_rungs(catalog, role, skipped)
        roles = _matching_roles(catalog, role)
    roles = [found for found in roles if found.salary]
    where = f" in ladder '{ladder}'" if ladder else ""
    if not matched and not roles:
        raise NotFound(f"no rung matches '{printable(role)}'{where}", skipped)
    wanted = region.casefold() if region else None
    inherited: dict[str, tuple[Ladder, Origins]] = {}  # by ladder: where each of its parts comes from
    rows: list[SalaryRow] = []
    total = 0
    # By home rung and value: a figure shared or inherited, once.
    distinct: dict[tuple[str, str], tuple[str, SalaryFigure]] = {}
    values: dict[int, str] = {}  # each figure's value, by identity: ladders sharing a rung hold its very figures
    for placed in matched:
        every = placed.rung.salary
        found = [i for i, f in enumerate(every) if wanted is None or wanted in (f.region or "").casefold()]
        kept: list[int | None] = [*found] if every else [None]  # None: a rung without figures
        total += len(kept)
        for index in kept:
            figure = every[index] if index is not None else None
            origin = _inherited(catalog, placed, index, inherited)
            if figure is not None:
                if id(figure) not in values:
                    values[id(figure)] = figure.model_dump_json()
                home = placed.shared_from or f"{origin or placed.ladder}:{placed.rung.id}"
                distinct.setdefault((home, values[id(figure)]), (placed.shared_from or placed.ref, figure))
            if not limit or len(rows) < limit:
                rows.append(SalaryRow(placed, figure, origin))
    for whole in roles:
        for figure in whole.salary:
            if wanted is not None and wanted not in (figure.region or "").casefold():
                continue
            total += 1
            distinct.setdefault((whole.id, figure.model_dump_json()), (f"{whole.id} (whole role)", figure))
            if not limit or len(rows) < limit:
                rows.append(SalaryRow(None, figure, role=whole))
    if not total:
        region_text = printable(region or "")
        message = f"no salary figure for '{printable(role)}'{where} in a region matching '{region_text}'"
        raise NotFound(message + _role_wide_hint(catalog, wanted or "", region_text), skipped)
    return SalaryReport(rows, total, list(distinct.values()), len(matched), skipped)


def _role_wide_hint(catalog: Catalog, wanted: str, region: str) -> str:
    """Where the only pay for a region is a ladder's pay for its role as a whole (the TPM role in
    India), the command that finds it."""
    ladders, _ = catalog.loaded()
    found = [ladder.id for ladder in ladders if any(wanted in (f.region or "").casefold() for f in ladder.salary)]
    commands = "; ".join(f"ladder salary {ladder_id} --region {shlex.quote(region)}" for ladder_id in found)
    return f" (pay for a role as a whole is there: {commands})" if found else ""


def _as_id(role: str) -> str:
    """What a role typed as a ladder's id looks like as one: `TPM` is `tpm`."""
    return "-".join(role.casefold().replace("_", " ").split())


def _matching_roles(catalog: Catalog, role: str) -> list[Ladder]:
    """The ladder whose id `role` is (`TPM`, `product management`), for its role's own pay; by id
    only, reading no other ladder's name: `salary` stays as fast with ten thousand ladders."""
    typed = _as_id(role)
    try:
        return [catalog.ladder(typed)] if typed in catalog.overview().good else []
    except LadderError:  # changed since the store was read: told with the skipped files
        return []


def _inherited(
    catalog: Catalog, placed: PlacedRung, figure_index: int | None, known: dict[str, tuple[Ladder, Origins]]
) -> str | None:
    """The ladder an overlay takes the figure of `placed` at `figure_index` from, if not its own."""
    if figure_index is None or placed.shared_from:
        return None
    if placed.ladder not in known:
        ladder = catalog.ladder(placed.ladder)
        known[placed.ladder] = (ladder, catalog.origins(ladder))
    ladder, origins = known[placed.ladder]
    rung_index = next(index for index, entry in enumerate(ladder.rungs) if entry.id == placed.rung.id)
    origin = origins.of(("rungs", rung_index, "salary", figure_index))
    return origin if origin and origin != placed.ladder else None


def _matching_rungs(catalog: Catalog, role: str, skipped: list[LadderError]) -> list[PlacedRung]:
    """The rungs of every ladder that `role` names, matched on the store's names: only the ladders
    holding one are loaded, and a shared rung from its home ladder alone."""
    from career_ladder.models import Rung

    checked_name(role, "rung")
    overview = catalog.overview()
    matched, unresolved = overview.rungs_named(role)
    skipped += overview.broken
    skipped += [
        NotFound(f"ladder '{ladder}' shares '{ref}', which no ladder that loads holds") for ladder, ref in unresolved
    ]
    placed = []
    for match in matched:
        try:
            if match.shared:
                placed.append(catalog.placed_share(match.ladder, match.shared))
            else:
                ladder = catalog.ladder(match.ladder)
                rung = ladder.rung(match.rung)
                if isinstance(rung, Rung):
                    placed.append(catalog.placed(ladder, rung))
        except (InvalidLadder, NotFound) as error:  # changed since the store was read
            skipped.append(error)
    return placed


def list_ladders(catalog: Catalog, limit: int = 0) -> LadderListing:
    """Every ladder that loads, by id, with the directory it came from (the first `limit`, 0: all);
    and the files that do not. A ladder that extends another counts the rungs of the merged ladder."""
    overview = catalog.overview()
    ids = sorted(overview.good)
    shadowed: dict[str, list[str]] = {}
    for ladder_file in catalog.files():
        if overview.good.get(ladder_file.id, ladder_file).directory != ladder_file.directory:
            shadowed.setdefault(ladder_file.id, []).append(str(ladder_file.path))
    rows = []
    for i in ids[:limit] if limit else ids:
        found = overview.good[i]
        rows.append(ListedLadder(overview.summary(i), found.directory.origin, str(found.path), shadowed.get(i, [])))
    return LadderListing(rows, len(ids), list(overview.broken), {str(d.path): d.origin for d in catalog.directories})


def ladder_names(catalog: Catalog, typed: str) -> list[str]:
    """Ladder ids and aliases that start with `typed`, for shell completion."""
    overview = catalog.overview()
    names = [n for summary in map(overview.summary, overview.good) for n in (summary.id, *summary.aliases)]
    return sorted({n for n in names if " " not in n and n.casefold().startswith(typed.casefold())})


def rung_short_names(catalog: Catalog, ladder: str | None, typed: str) -> list[str]:
    """Rung ids and short aliases of `ladder` (or of every ladder) that start with `typed`."""
    try:
        ladders = [catalog.ladder(ladder_id(catalog, ladder))] if ladder else catalog.loaded()[0]
        names = [n for lad in ladders for p in catalog.placed_rungs(lad) for n in (p.rung.id, *p.rung.aliases)]
    except LadderError:
        return []
    return sorted({n for n in names if " " not in n and n.casefold().startswith(typed.casefold())})
