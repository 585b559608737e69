"""The ladder-wide knowledge (`about`), the ways in (`entry`), the specialisations (`tracks`) and the
sources (`sources`), as plain functions that return data and never print.

Every statement of a ladder is a `Fact`: its text, where it stands and the sources behind it. The
walk that finds them follows the models, so a field added later is found without a change here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from career_ladder.catalog import Catalog
from career_ladder.errors import LadderError, NotFound, printable
from career_ladder.names import checked_name, normalized, suggestion
from career_ladder.queries import ladder_id
from career_ladder.results.knowledge import (
    ABOUT_FIELDS,
    AboutView,
    CitedSource,
    EntryReport,
    Fact,
    Placed,
    PlacedEntry,
    PlacedTrack,
    SourceFacts,
    SourceList,
    TrackList,
)

if TYPE_CHECKING:
    from career_ladder.models import Ladder


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


def about(catalog: Catalog, name: str) -> AboutView:
    ladder = catalog.ladder(ladder_id(catalog, name))
    return AboutView(ladder, [fact for fact in facts(ladder) if fact.where[:1] and fact.where[0] in ABOUT_FIELDS])


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


def tracks(catalog: Catalog, name: str | None = None) -> TrackList:
    """The specialisations the sources name, with their focus."""
    ladders, skipped = _ladders(catalog, name)
    found = [PlacedTrack(ladder.id, track) for ladder in ladders for track in ladder.tracks]
    if not found:
        raise NotFound(_nothing("tracks", name), skipped)
    return TrackList(found, skipped)


def _citing(ladder: Ladder) -> dict[str, int]:
    """For each source id, how many parts of `ladder` cite it (the source list itself aside)."""
    from career_ladder.rules import cited

    counts: dict[str, int] = {}
    for _, ids in cited(ladder):
        for source_id in set(ids):
            counts[source_id] = counts.get(source_id, 0) + 1
    return counts


def sources(catalog: Catalog, ladder: str | None = None) -> SourceList:
    """Every source each ladder declares, with how many of its parts cite it."""
    ladders, skipped = _ladders(catalog, ladder)
    found = []
    for each in ladders:
        citing = _citing(each)
        found += [CitedSource(each.id, source, citing.get(source.id, 0)) for source in each.sources]
    return SourceList(found, skipped)


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
