"""What the queries return and the renderers draw: plain data that both sides import.

Each answer is a NamedTuple (so it cannot be changed once made) whose `to_dict()` is exactly what
its command prints as json; a part's `record()` gives that part's fields, named as in the models.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from pathlib import Path

    from career_ladder.assessment import Assessment, Item
    from career_ladder.errors import LadderError, Loc, Problem
    from career_ladder.models import (
        ComparisonPoint,
        EntryPoint,
        Ladder,
        NotPublished,
        Rung,
        SalaryFigure,
        Source,
        Transition,
    )


class Format(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"
    csv = "csv"
    markdown = "markdown"


class ExportFormat(StrEnum):
    html = "html"
    mermaid = "mermaid"
    csv = "csv"
    jsonld = "jsonld"
    xlsx = "xlsx"


class ReportFormat(StrEnum):
    """`validate --format`: a table for people (`text`, its name before, is still read), json for
    tools, github for GitHub Actions annotations."""

    table = "table"
    json = "json"
    github = "github"

    @classmethod
    def _missing_(cls, value: object) -> ReportFormat | None:
        return cls.table if value == "text" else None


class PlacedRung(NamedTuple):
    """A rung as it stands in one ladder: its own, or shared from another (`pm:director`)."""

    ladder: str
    rung: Rung
    shared_from: str | None = None
    track: str | None = None  # the parallel track it sits on in `ladder`
    pay_not_published: NotPublished | None = None  # the rung's own statement, or its home ladder's
    home: str | None = None  # for a shared rung, the ladder whose file writes it (shares followed)

    @property
    def ref(self) -> str:
        return f"{self.ladder}:{self.rung.id}"

    def record(self) -> dict[str, Any]:
        """The rung's every field, plus where it is shared from (`None` for a ladder's own rung), the
        track it sits on in this ladder, and whether its pay is published (its ladder's word included)."""
        data = self.rung.model_dump(mode="json", by_alias=True)
        unpublished = self.pay_not_published.model_dump(mode="json") if self.pay_not_published else None
        return {**data, "track": self.track, "pay_not_published": unpublished, "shared": self.shared_from}


class LadderSummary(NamedTuple):
    """What `list` shows of a ladder that loads, and what its name is matched against."""

    id: str
    name: str
    aliases: list[str]
    rungs: int  # for a ladder that extends another, those its own file adds
    extends: str | None = None


def dumped(models: list[Any]) -> list[dict[str, Any]]:
    return [model.model_dump(mode="json", by_alias=True) for model in models]


class NamedRung(NamedTuple):
    """A rung of another ladder that a page names (`tpm:tpm`): where it stands, and what it is called."""

    ladder: str
    rung: str
    title: str
    ladder_name: str
    level: int


class PageContext(NamedTuple):
    """What a ladder's page shows besides the ladder itself: the rungs of other ladders it names,
    what its rungs' equivalents pay, the moves and ways in its shared rungs have in their home
    ladders, and the sources those cite, each by its ladder."""

    sources: Mapping[str, Sequence[Source]] = MappingProxyType({})
    others: Mapping[str, NamedRung] = MappingProxyType({})
    ladder_names: Mapping[str, str] = MappingProxyType({})
    equivalents: Mapping[str, Sequence[PlacedRung]] = MappingProxyType({})  # by rung id
    arrivals: Sequence[PlacedMove] = ()  # a home ladder's moves into a rung this ladder shares
    entries: Sequence[tuple[str, EntryPoint]] = ()  # a home ladder's ways in that land on a shared rung


class PlacedMove(NamedTuple):
    """A move as a ladder shows it: one of its own, or one its shared rung has in its home ladder,
    whose rungs are then named with that ladder's prefix (`pm:director`)."""

    home: str  # the ladder whose file writes the move
    move: Transition
    viewer: str  # the ladder it is shown in

    def _ref(self, ref: str) -> str:
        return ref if self.home == self.viewer or ":" in ref else f"{self.home}:{ref}"

    @property
    def start(self) -> str:
        return self._ref(self.move.from_)

    @property
    def end(self) -> str:
        return self._ref(self.move.to) if self.move.to else self.move.role or ""


@dataclass(frozen=True)
class Origins:
    """Where the parts of a ladder that `extends` another come from, by their place in the merged
    ladder (`rungs.3.salary.0`): the ladder whose file writes each (`pm`), `pm (replaced)` for a
    file that a `pm.yaml` extending pm replaces, `pm, changed by globex` for a rung an overlay
    changed. Plain strings, so that they keep as JSON beside the merged ladder; a place not named
    is the ladder's own."""

    labels: Mapping[str, str] = field(default_factory=dict)

    def of(self, loc: Loc) -> str | None:
        return self.labels.get(place(loc))

    def to_dict(self) -> dict[str, str]:
        return dict(self.labels)

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> Origins:
        return cls(dict(data))


def place(loc: Loc) -> str:
    """A place in a ladder as a key of `Origins`: `("rungs", 3, "salary", 0)` is `rungs.3.salary.0`."""
    return ".".join(str(part) for part in loc)


class LadderView(NamedTuple):
    ladder: Ladder
    rungs: list[PlacedRung]
    moves: Sequence[PlacedMove] = ()  # its own, then its shared rungs' from their home ladders
    path: str = ""  # the file it is read from
    overrides: Sequence[str] = ()  # the files of the same id it replaces (a built-in one, say)
    origins: Origins | None = None  # asked for (`--origin`): where each part comes from

    def origin(self, loc: Loc, shared_from: str | None = None) -> str:
        """The ladder whose file writes the part at `loc` (`pm, changed by globex` for a rung an
        overlay changed); a shared rung and its parts come from the ladder it is shared from."""
        if shared_from:
            return shared_from.partition(":")[0]
        return (self.origins.of(loc) if self.origins else None) or self.ladder.id

    def to_dict(self) -> dict[str, Any]:
        """The whole validated ladder, shared rungs written out in full (with their `shared` ref)."""
        data = self.ladder.model_dump(mode="json", by_alias=True)
        data["rungs"] = [placed.record() for placed in self.rungs]
        if self.origins is not None:  # asked for (`--origin`)
            for index, (record, placed) in enumerate(zip(data["rungs"], self.rungs, strict=True)):
                record["origin"] = self.origin(("rungs", index), placed.shared_from)
        return data


class RungView(NamedTuple):
    ladder: Ladder
    placed: PlacedRung
    leads_to: list[PlacedMove]
    reached_by: list[PlacedMove]
    entry_points: list[EntryPoint]
    sources: dict[str, str]  # id -> title, for every source the rung cites
    equivalents: Sequence[PlacedRung] = ()  # the rungs of other ladders it corresponds to, that resolve
    whole: LadderView | None = None  # the ladder it stands in, for where each part comes from

    def origin(self, *place: str | int) -> str | None:
        """The ladder whose file writes the part at `place` in the rung, when that was asked for."""
        whole = self.whole
        if whole is None or whole.origins is None:
            return None
        at = next(index for index, placed in enumerate(whole.rungs) if placed.rung.id == self.placed.rung.id)
        return whole.origin(("rungs", at, *place), self.placed.shared_from)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ladder": self.ladder.id,
            **self.placed.record(),
            "leads_to": dumped([placed.move for placed in self.leads_to]),
            "reached_by": dumped([placed.move for placed in self.reached_by]),
            "entry_points": dumped(self.entry_points),
            "equivalents": [
                {"rung": other.ref, "title": other.rung.title, "salary": dumped(other.rung.salary)}
                | {"pay_not_published": other.pay_not_published.by if other.pay_not_published else None}
                for other in self.equivalents
            ],
        }


class AlignedRow(NamedTuple):
    """Rungs of one seniority, a cell per ladder compared (None: a gap): of one level and lane, or
    aligned on an equivalence a rung states."""

    level: int
    lane: str | None  # individual-contributor, people-leader, a track's id, or None (not stated)
    cells: list[PlacedRung | None]

    @property
    def left(self) -> PlacedRung | None:
        return self.cells[0]

    @property
    def right(self) -> PlacedRung | None:
        return self.cells[1]


class PairPoints(NamedTuple):
    """The sources' point-by-point comparison of two of the ladders, `this` being `first`'s side."""

    first: str
    second: str
    points: list[ComparisonPoint]


class LadderComparison(NamedTuple):
    views: list[LadderView]
    rows: list[AlignedRow]
    pairs: list[PairPoints]  # every pair the sources compare

    @property
    def points(self) -> list[ComparisonPoint]:
        """The first two ladders' points, written from the first one's side."""
        first, second = self.views[0].ladder.id, self.views[1].ladder.id
        return next((pair.points for pair in self.pairs if (pair.first, pair.second) == (first, second)), [])

    def to_dict(self) -> dict[str, Any]:
        """`rows[].rungs` has a cell per ladder; two ladders also keep `left`, `right` and `points`."""
        two = len(self.views) == 2
        rows = []
        for row in self.rows:
            cells = [cell.record() if cell else None for cell in row.cells]
            rows.append(
                {"level": row.level, "lane": row.lane, "rungs": cells}
                | ({"left": cells[0], "right": cells[1]} if two else {})
            )
        pairs = [{"ladders": [pair.first, pair.second], "points": dumped(pair.points)} for pair in self.pairs]
        record: dict[str, Any] = {"ladders": [view.ladder.id for view in self.views], "rows": rows, "pairs": pairs}
        return record | ({"points": dumped(self.points)} if two else {})


FIGURE_FIELDS = ("currency", "min", "max", "average", "period", "covers", "region", "as_of", "note", "sources")


class SalaryRow(NamedTuple):
    """One figure of one rung, or a rung the sources give no figure for (`figure` None); or, with
    `placed` None and `role` set, one figure a ladder gives for its role as a whole."""

    placed: PlacedRung | None
    figure: SalaryFigure | None
    inherited_from: str | None = None  # the ladder an overlay takes the figure from
    role: Ladder | None = None  # the ladder whose role as a whole the figure pays, for no one rung

    @property
    def ladder(self) -> str:
        return self.placed.ladder if self.placed else self.role.id if self.role else ""

    def record(self) -> dict[str, Any]:
        """The rung's fields, then the figure's (null for a rung without one); a rung whose pay is
        not published says by whom, with the sources of that statement. Pay for the role as a whole
        has no rung (`rung` null, the ladder's name as `title`) and `role_wide` true."""
        placed = self.placed
        unpublished = placed.pay_not_published if placed and self.figure is None else None
        figure = self.figure.model_dump(mode="json") if self.figure else {"sources": []}
        if unpublished:
            figure["sources"] = list(unpublished.sources)
        return {
            "ladder": self.ladder,
            "rung": placed.rung.id if placed else None,
            "title": placed.rung.title if placed else self.role.name if self.role else "",
            "shared": placed.shared_from if placed else None,
            **{key: figure.get(key) for key in FIGURE_FIELDS},
            "not_published_by": unpublished.by if unpublished else None,
            "inherited_from": self.inherited_from,
            "role_wide": placed is None,
        }


class SalaryReport(NamedTuple):
    rows: list[SalaryRow]  # the first ones, when the caller asked for a limit
    total: int  # rows in all
    figures: list[tuple[str, SalaryFigure]]  # every figure of every row once, with the rung (ref) it is of
    matched: int  # rungs that matched the role, with or without a figure kept (pay for a whole role aside)
    skipped: list[LadderError]  # ladders that could not be read, for a warning

    def to_dict(self) -> list[dict[str, Any]]:
        return [row.record() for row in self.rows]


class ListedLadder(NamedTuple):
    summary: LadderSummary
    origin: str
    path: str
    overrides: list[str]  # the files of the same id it replaces

    def record(self) -> dict[str, Any]:
        return {**self.summary._asdict(), "origin": self.origin, "path": self.path, "overrides": self.overrides}


class LadderListing(NamedTuple):
    rows: list[ListedLadder]  # the first ones, when the caller asked for a limit
    total: int
    skipped: list[LadderError]
    folders: dict[str, str]  # each data directory's path, and where it comes from (built-in, user)

    def to_dict(self) -> list[dict[str, Any]]:
        return [row.record() for row in self.rows]


class ValidationReport(NamedTuple):
    files: int
    problems: list[Problem]
    warnings: list[Problem]  # what loads but reads wrong (LDR4xx): said, without failing

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "ok": not self.problems,
            "problems": [problem.as_dict() for problem in self.problems],
            "warnings": [warning.as_dict() for warning in self.warnings],
        }


class Created(NamedTuple):
    """What `init` wrote."""

    ladder: Path
    schema: Path | None  # written beside it, when it was not there yet
    directory: Path | None = None  # made for it, when it did not exist


class ItemChanges(NamedTuple):
    """How an assessment's items differ from what the ladder asks now."""

    new: list[Item]  # asked now, not in the file
    removed: list[Item]  # in the file, no longer asked
    reworded: list[tuple[Item, Item]]  # (as the file has it, as the ladder words it now)


class Started(NamedTuple):
    """An assessment `assess start` wrote, and where."""

    assessment: Assessment
    path: Path


class Written(NamedTuple):
    """A file written whole (`export -o`)."""

    path: Path  # the file itself
    link: Path | None = None  # the symlink it was named by, when it was


class Copied(NamedTuple):
    """What `examples` wrote."""

    files: list[Path]  # the schema among them, when it was not there yet
    directory: Path | None  # made for them, when it did not exist
