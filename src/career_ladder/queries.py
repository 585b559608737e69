"""The questions `ladder` answers, as plain functions that return data and never print."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from career_ladder.catalog import Catalog, LadderFile, PlacedRung, placed_rungs, shared_rung
from career_ladder.errors import InvalidLadder, LadderError, NotFound
from career_ladder.names import checked_name, find_rung, find_rungs, ladder_id

if TYPE_CHECKING:
    from career_ladder.models import ComparisonPoint, EntryPoint, Ladder, SalaryFigure, Transition


class LadderView(NamedTuple):
    ladder: Ladder
    rungs: list[PlacedRung]

    def record(self) -> dict[str, Any]:
        """The whole validated ladder, shared rungs written out in full (with their `shared` ref)."""
        data = self.ladder.model_dump(mode="json", by_alias=True)
        data["rungs"] = [rung_record(placed) for placed in self.rungs]
        return data


class RungView(NamedTuple):
    ladder: Ladder
    placed: PlacedRung
    leads_to: list[Transition]
    reached_by: list[Transition]
    entry_points: list[EntryPoint]
    sources: dict[str, str]  # id -> title, for every source the rung cites

    def record(self) -> dict[str, Any]:
        return {
            "ladder": self.ladder.id,
            **rung_record(self.placed),
            "leads_to": [t.model_dump(mode="json", by_alias=True) for t in self.leads_to],
            "reached_by": [t.model_dump(mode="json", by_alias=True) for t in self.reached_by],
            "entry_points": [e.model_dump(mode="json", by_alias=True) for e in self.entry_points],
        }


def rung_record(placed: PlacedRung) -> dict[str, Any]:
    """A rung's every field, plus where it is shared from (`None` for a ladder's own rung)."""
    return {**placed.rung.model_dump(mode="json", by_alias=True), "shared": placed.shared_from}


def show_ladder(catalog: Catalog, name: str) -> LadderView:
    """The ladder `name` stands for, with its rungs in order, shared ones followed."""
    ladder = catalog.ladder(ladder_id(catalog, name))
    return LadderView(ladder, placed_rungs(catalog, ladder))


def show_rung(catalog: Catalog, ladder_name: str, rung_name: str) -> RungView:
    """One rung in full: the moves out of and into it (its home ladder's too), entries, sources."""
    view = show_ladder(catalog, ladder_name)
    placed = find_rung(rung_name, view.rungs, view.ladder.id)
    homes = [view.ladder]
    if placed.shared_from:
        homes.append(catalog.ladder(placed.shared_from.partition(":")[0]))
    rung_id = placed.rung.id
    leads_to = [t for home in homes for t in home.transitions if t.from_ == rung_id]
    reached_by = [t for home in homes for t in home.transitions if t.to == rung_id]
    entries = [e for home in homes for e in home.entry_points if rung_id in e.lands_on]
    titles = {s.id: s.title for home in homes for s in home.sources}
    return RungView(
        view.ladder, placed, leads_to, reached_by, entries, {s: titles.get(s, s) for s in placed.rung.sources}
    )


class AlignedRow(NamedTuple):
    level: int
    left: PlacedRung | None
    right: PlacedRung | None


class Comparison(NamedTuple):
    left: LadderView
    right: LadderView
    rows: list[AlignedRow]
    points: list[ComparisonPoint]  # `this` is the left ladder

    def record(self) -> dict[str, Any]:
        return {
            "ladders": [self.left.ladder.id, self.right.ladder.id],
            "rows": [
                {
                    "level": row.level,
                    "left": rung_record(row.left) if row.left else None,
                    "right": rung_record(row.right) if row.right else None,
                }
                for row in self.rows
            ],
            "points": [p.model_dump(mode="json") for p in self.points],
        }


def compare(catalog: Catalog, left_name: str, right_name: str) -> Comparison:
    """Two ladders aligned by level: rungs of one level share a row, a missing one leaves a gap."""
    left, right = show_ladder(catalog, left_name), show_ladder(catalog, right_name)
    rows = []
    for level in sorted({p.rung.level for p in [*left.rungs, *right.rungs]}):
        lefts = [p for p in left.rungs if p.rung.level == level]
        rights = [p for p in right.rungs if p.rung.level == level]
        for index in range(max(len(lefts), len(rights))):
            rows.append(AlignedRow(level, _nth(lefts, index), _nth(rights, index)))
    return Comparison(left, right, rows, _points(left.ladder, right.ladder))


def _nth(items: list[PlacedRung], index: int) -> PlacedRung | None:
    return items[index] if index < len(items) else None


def _points(left: Ladder, right: Ladder) -> list[ComparisonPoint]:
    """The sources' point-by-point comparison of the pair, written from the left ladder's side."""
    for comparison in left.comparisons:
        if comparison.with_ == right.id:
            return list(comparison.points)
    for comparison in right.comparisons:
        if comparison.with_ == left.id:
            return [p.model_copy(update={"this": p.other, "other": p.this}) for p in comparison.points]
    return []


class SalaryRow(NamedTuple):
    """One figure of one rung, or a rung the sources give no figure for (`figure` None)."""

    placed: PlacedRung
    figure: SalaryFigure | None

    def record(self, dumped: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
        """The row's fields: the rung's, then the figure's."""
        return {**self.rung_fields(), **self.figure_fields(dumped)}

    def rung_fields(self) -> dict[str, Any]:
        placed = self.placed
        return {
            "ladder": placed.ladder,
            "rung": placed.rung.id,
            "title": placed.rung.title,
            "shared": placed.shared_from,
        }

    def figure_fields(self, dumped: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
        """The figure's fields (null for a rung without one); `dumped` keeps them by figure identity."""
        figure = self.figure
        if figure is None:
            return _NO_FIGURE
        if dumped is not None and id(figure) in dumped:
            return dumped[id(figure)]
        data = figure.model_dump(mode="json")
        fields = {key: data.get(key) for key in _FIGURE_FIELDS} | {"sources": data["sources"]}
        if dumped is not None:
            dumped[id(figure)] = fields
        return fields


_FIGURE_FIELDS = ("currency", "min", "max", "average", "period", "covers", "region", "as_of", "note")
_NO_FIGURE: dict[str, Any] = dict.fromkeys(_FIGURE_FIELDS) | {"sources": []}


class SalaryReport(NamedTuple):
    rows: list[SalaryRow]
    skipped: list[LadderError]  # ladders that could not be read, for a warning
    matched: int = 0  # rungs that matched the role, with or without a figure kept

    def records(self, first: int = 0) -> list[dict[str, Any]]:
        """The rows' fields (only the `first` ones, unless 0).

        Ladders that share a rung share its figures: each is dumped once.
        """
        dumped: dict[int, dict[str, Any]] = {}
        return [row.record(dumped) for row in (self.rows[:first] if first else self.rows)]


def salary(catalog: Catalog, role: str, ladder: str | None = None, region: str | None = None) -> SalaryReport:
    """Every salary figure of every rung matching `role`, in every ladder (or in `ladder`).

    A matching rung without figures is a row of its own; with `region`, a rung whose figures are all
    for other regions is left out. The report may be empty: what that means is the caller's to say.
    """
    skipped: list[LadderError] = []
    if ladder is not None:
        views = [show_ladder(catalog, ladder)]
        # One match over every ladder, so an exact name in one ladder is not mixed with partial ones in another.
        matched = find_rungs(role, [placed for view in views for placed in view.rungs])
    else:
        matched = _matching_rungs(catalog, role, skipped)
    wanted = region.casefold() if region else None
    rows = []
    for placed in matched:
        every = placed.rung.salary
        figures = every if wanted is None else [f for f in every if wanted in (f.region or "").casefold()]
        if figures:
            rows += [SalaryRow(placed, f) for f in figures]
        elif not every:
            rows.append(SalaryRow(placed, None))
    return SalaryReport(rows, skipped, matched=len(matched))


def _matching_rungs(catalog: Catalog, role: str, skipped: list[LadderError]) -> list[PlacedRung]:
    """The rungs of every ladder that `role` names, matched on the index's names.

    Only the ladders that hold a matching rung are loaded; a shared rung is read from the one
    ladder that writes it, however many ladders share it.
    """
    checked_name(role, "rung")
    matched = catalog.rungs_named(role)
    skipped += catalog.overview()[1]
    skipped += [
        NotFound(f"ladder '{ladder}' shares '{ref}', which no ladder that loads holds")
        for ladder, ref in catalog.unresolved_shares()
    ]
    from career_ladder.models import Rung

    shared: dict[str, Rung] = {}
    placed = []
    for owner, rung_id, ref in matched:
        try:
            if ref:
                if ref not in shared:
                    shared[ref] = shared_rung(catalog, ref)
                placed.append(PlacedRung(owner, shared[ref], ref))
            else:
                rung = catalog.ladder(owner).rung(rung_id)
                assert isinstance(rung, Rung)
                placed.append(PlacedRung(owner, rung))
        except (InvalidLadder, NotFound) as error:  # changed since the index was read
            skipped.append(error)
    return placed


class LadderListing(NamedTuple):
    """Every ladder that loads, by id; rows are made when asked for, as a table shows only the first."""

    catalog: Catalog
    ladders: list[LadderFile]
    skipped: list[InvalidLadder]

    def records(self, first: int = 0) -> list[dict[str, Any]]:
        """The first `first` rows (0: every row)."""
        return [
            {
                "id": summary.id,
                "name": summary.name,
                "aliases": summary.aliases,
                "rungs": summary.rungs,
                "origin": ladder_file.directory.origin,
                "path": ladder_file.shown_path,
            }
            for ladder_file, summary in self.catalog.summaries(self.ladders[:first] if first else self.ladders)
        ]


def list_ladders(catalog: Catalog) -> LadderListing:
    """Every ladder that loads, by id, with the directory it came from; and the files that do not."""
    good, broken = catalog.overview()
    return LadderListing(catalog, sorted(good, key=lambda ladder_file: ladder_file.id), broken)
