"""The ladder-wide knowledge (`about`), the ways in (`entry`), the specialisations (`tracks`) and the
sources (`sources`), as plain functions that return data and never print.

Every statement of a ladder is a `Fact`: its text, where it stands and the sources behind it. The
walk that finds them follows the models, so a field added later is found without a change here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from career_ladder.catalog import Catalog
from career_ladder.errors import LadderError, NotFound, printable
from career_ladder.names import checked_name, normalized, suggestion
from career_ladder.queries import ladder_id
from career_ladder.results import dumped

if TYPE_CHECKING:
    from career_ladder.models import EntryPoint, Ladder, Source, Track


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
        return {
            "ladder": self.ladder,
            "where": list(self.where),
            "field": self.field,
            "text": self.text,
            "sources": self.sources,
        }


PLACE_SEPARATOR = " \u203a "
_NOT_TEXT = ("id", "sources", "currency", "period", "covers", "kind", "track")


def facts(ladder: Ladder) -> Iterator[Fact]:
    """Every text of `ladder` with its place and sources, in the file's order."""
    from pydantic import BaseModel

    from career_ladder.models import Source, Transition

    def label(item: Any, fields: dict[str, Any], index: int) -> str:
        """How a list item is named in a place: its id, the ladder it compares with, its move, or its number."""
        if getattr(item, "id", None) is not None:  # a shared rung's id is a property; a point's may be None
            return str(item.id)
        if "with_" in fields:
            return str(item.with_)
        if isinstance(item, Transition):
            return f"{item.from_} → {item.to or item.role}"
        return str(index)

    def walk(node: Any, where: tuple[str, ...], inherited: list[str]) -> Iterator[Fact]:
        fields = type(node).model_fields
        own = node.sources if "sources" in fields else None
        cited = [node.id] if isinstance(node, Source) else list(own) if own and isinstance(own[0], str) else inherited
        for name, info in fields.items():
            key, value = info.alias or name, getattr(node, name)
            if key in _NOT_TEXT or value is None:
                continue
            if isinstance(value, str):
                yield Fact(ladder.id, where, key, value, cited)
            elif isinstance(value, list) and value and isinstance(value[0], str):
                yield Fact(ladder.id, where, key, ", ".join(value), cited)
            elif isinstance(value, BaseModel):
                yield from walk(value, (*where, key), cited)
            elif isinstance(value, list):
                for index, item in enumerate(value, 1):
                    if isinstance(item, BaseModel):
                        yield from walk(item, (*where, key, label(item, type(item).model_fields, index)), cited)
            elif isinstance(value, dict):  # expectations (points by area), an overlay's changes (by rung)
                for name, held in value.items():
                    if isinstance(held, BaseModel):
                        yield from walk(held, (*where, key, name), cited)
                    for index, item in enumerate(held if isinstance(held, list) else [], 1):
                        yield from walk(item, (*where, key, name, str(index)), cited)

    yield from walk(ladder, (), [])


def _ladders(catalog: Catalog, name: str | None) -> tuple[list[Ladder], list[LadderError]]:
    """The ladder `name` stands for, or every ladder that loads (and the ones that do not)."""
    if name is not None:
        return [catalog.ladder(ladder_id(catalog, name))], []
    good, broken = catalog.loaded()
    return sorted(good, key=lambda ladder: ladder.id), list(broken)


class AboutView(NamedTuple):
    ladder: Ladder
    facts: list[Fact]  # the statements of the parts `about` shows, for csv

    def record(self) -> dict[str, Any]:
        ladder = self.ladder
        return {
            "id": ladder.id,
            "name": ladder.name,
            "summary": ladder.summary,
            **{field: dumped(getattr(ladder, field)) for field in ABOUT_FIELDS},
        }


# What `about` tells of a ladder, beyond its rungs and moves.
ABOUT_FIELDS = ("outlook", "skills", "variance", "ratios", "views", "salary", "notes")


def about(catalog: Catalog, name: str) -> AboutView:
    ladder = catalog.ladder(ladder_id(catalog, name))
    return AboutView(ladder, [fact for fact in facts(ladder) if fact.where[:1] and fact.where[0] in ABOUT_FIELDS])


class PlacedEntry(NamedTuple):
    ladder: str
    entry: EntryPoint

    def record(self) -> dict[str, Any]:
        return {"ladder": self.ladder, **self.entry.model_dump(mode="json", by_alias=True)}


class Placed(NamedTuple):
    """A ladder-wide item (a step, a degree) with the ladder it is of."""

    ladder: str
    item: Any

    def record(self) -> dict[str, Any]:
        return {"ladder": self.ladder, **self.item.model_dump(mode="json", by_alias=True)}


class EntryReport(NamedTuple):
    entries: list[PlacedEntry]
    steps: list[Placed]
    education: list[Placed]  # of Qualification
    skipped: list[LadderError]

    def record(self) -> dict[str, Any]:
        return {
            "entry_points": [e.record() for e in self.entries],
            "steps": [s.record() for s in self.steps],
            "education": [q.record() for q in self.education],
        }


def entry(catalog: Catalog, name: str | None = None) -> EntryReport:
    """The ways into the career: entry points, the steps in and the degrees and certificates."""
    ladders, skipped = _ladders(catalog, name)
    entries = [PlacedEntry(ladder.id, e) for ladder in ladders for e in ladder.entry_points]
    steps = [Placed(ladder.id, step) for ladder in ladders for step in ladder.steps]
    education: list[Placed] = [Placed(ladder.id, q) for ladder in ladders for q in ladder.education]
    if not (entries or steps or education):
        raise NotFound(_nothing("ways in", name), skipped)
    return EntryReport(entries, steps, education, skipped)


def _nothing(what: str, name: str | None) -> str:
    return f"the sources give no {what} for ladder '{printable(name)}'" if name else f"no ladder gives {what}"


class PlacedTrack(NamedTuple):
    ladder: str
    track: Track

    def record(self) -> dict[str, Any]:
        return {"ladder": self.ladder, **self.track.model_dump(mode="json", by_alias=True)}


def tracks(catalog: Catalog, name: str | None = None) -> tuple[list[PlacedTrack], list[LadderError]]:
    """The specialisations the sources name, with their focus."""
    ladders, skipped = _ladders(catalog, name)
    found = [PlacedTrack(ladder.id, track) for ladder in ladders for track in ladder.tracks]
    if not found:
        raise NotFound(_nothing("tracks", name), skipped)
    return found, skipped


class CitedSource(NamedTuple):
    ladder: str
    source: Source
    parts: int  # how many parts of the ladder (a rung, a point, a move, ...) cite it

    def record(self) -> dict[str, Any]:
        return {"ladder": self.ladder, **self.source.model_dump(mode="json", by_alias=True), "parts": self.parts}


class SourceFacts(NamedTuple):
    """The facts one source backs, ladder by ladder."""

    sources: list[CitedSource]
    facts: list[Fact]
    skipped: list[LadderError]


def _citing(ladder: Ladder) -> dict[str, int]:
    """For each source id, how many parts of `ladder` cite it (the source list itself aside)."""
    from career_ladder.rules import cited

    counts: dict[str, int] = {}
    for _, ids in cited(ladder):
        for source_id in set(ids):
            counts[source_id] = counts.get(source_id, 0) + 1
    return counts


def sources(catalog: Catalog, ladder: str | None = None) -> tuple[list[CitedSource], list[LadderError]]:
    """Every source each ladder declares, with how many of its parts cite it."""
    ladders, skipped = _ladders(catalog, ladder)
    found = []
    for each in ladders:
        citing = _citing(each)
        found += [CitedSource(each.id, source, citing.get(source.id, 0)) for source in each.sources]
    return found, skipped


def source_ids(catalog: Catalog, ladder: str | None, typed: str) -> list[str]:
    """Source ids that start with `typed`, for shell completion."""
    try:
        ladders, _ = _ladders(catalog, ladder)
    except LadderError:
        return []
    return sorted({s.id for each in ladders for s in each.sources if s.id.startswith(typed.casefold())})


def source_facts(catalog: Catalog, source_id: str, ladder: str | None = None) -> SourceFacts:
    """The facts the source `source_id` backs, in every ladder that declares it (or in `ladder`)."""
    checked_name(source_id, "source")
    ladders, skipped = _ladders(catalog, ladder)
    key = normalized(source_id)
    declaring = [(each, source) for each in ladders for source in each.sources if normalized(source.id) == key]
    if not declaring:
        ids = [source.id for each in ladders for source in each.sources]
        raise NotFound(f"no source '{printable(source_id)}'{suggestion(source_id, ids)}", skipped)
    backed = [
        fact
        for each, source in declaring
        for fact in facts(each)
        if fact.where[:1] != ("sources",) and source.id in fact.sources
    ]
    cited = [CitedSource(each.id, source, _citing(each).get(source.id, 0)) for each, source in declaring]
    return SourceFacts(cited, backed, skipped)
