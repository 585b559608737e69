"""What `about`, `entry`, `tracks` and `sources` answer, and `Fact`: one statement of a ladder with
its place and sources, as `search` stores it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from career_ladder.results import dumped

if TYPE_CHECKING:
    from pydantic import BaseModel

    from career_ladder.errors import LadderError
    from career_ladder.models import EntryPoint, Ladder, Point, Qualification, Source, Track


PLACE_SEPARATOR = " \u203a "  # between the parts of a place: `rungs > pm > summary`, with U+203A for `>`


class Fact(NamedTuple):
    """One statement of a ladder: a text field of some part of it, with the sources behind it."""

    ladder: str
    where: tuple[str, ...]  # the parts it stands in: ("rungs", "senior-pm", "signals", "2")
    field: str  # the field that holds the text: "text", "summary", "focus", ...
    text: str
    sources: list[str]

    @property
    def spot(self) -> str:
        """Where the fact stands in its ladder: `rungs > senior-pm > signals > 2`, with U+203A for `>`;
        a field other than a point's text is named too (`rungs > pm > summary`)."""
        return PLACE_SEPARATOR.join([*self.where, *([self.field] if self.field != "text" else [])])

    @property
    def place(self) -> str:
        """The spot with the ladder first: `pm > rungs > senior-pm > signals > 2`."""
        return f"{self.ladder}{PLACE_SEPARATOR}{self.spot}"

    def record(self) -> dict[str, Any]:
        return {**self._asdict(), "where": list(self.where)}


# What `about` tells of a ladder, beyond its rungs and moves.
ABOUT_FIELDS = ("outlook", "skills", "variance", "ratios", "views", "salary", "notes")


class AboutView(NamedTuple):
    ladder: Ladder
    facts: list[Fact]  # the statements of the parts `about` shows, for csv

    def to_dict(self) -> dict[str, Any]:
        ladder = self.ladder
        return {
            "id": ladder.id,
            "name": ladder.name,
            "summary": ladder.summary,
            **{field: dumped(getattr(ladder, field)) for field in ABOUT_FIELDS},
        }


Item = TypeVar("Item", bound="BaseModel")


class Placed(NamedTuple, Generic[Item]):
    """A ladder-wide item (a way in, a step, a degree, a specialisation) with the ladder it is of."""

    ladder: str
    item: Item

    def record(self) -> dict[str, Any]:
        return {"ladder": self.ladder, **self.item.model_dump(mode="json", by_alias=True)}


class EntryReport(NamedTuple):
    entries: list[Placed[EntryPoint]]
    steps: list[Placed[Point]]
    education: list[Placed[Qualification]]
    skipped: list[LadderError]

    def to_dict(self) -> dict[str, Any]:
        return {
            "entry_points": [e.record() for e in self.entries],
            "steps": [s.record() for s in self.steps],
            "education": [q.record() for q in self.education],
        }


class TrackList(NamedTuple):
    tracks: list[Placed[Track]]
    skipped: list[LadderError]

    def to_dict(self) -> list[dict[str, Any]]:
        return [track.record() for track in self.tracks]


class CitedSource(NamedTuple):
    ladder: str
    source: Source
    parts: int  # how many parts of the ladder (a rung, a point, a move, ...) cite it

    def record(self) -> dict[str, Any]:
        return {"ladder": self.ladder, **self.source.model_dump(mode="json", by_alias=True), "parts": self.parts}


class SourceList(NamedTuple):
    sources: list[CitedSource]
    skipped: list[LadderError]

    def to_dict(self) -> list[dict[str, Any]]:
        return [item.record() for item in self.sources]


class SourceFacts(NamedTuple):
    """The facts one source backs, ladder by ladder."""

    sources: list[CitedSource]
    facts: list[Fact]
    skipped: list[LadderError]

    def to_dict(self) -> dict[str, Any]:
        return {"sources": [s.record() for s in self.sources], "facts": [f.record() for f in self.facts]}
