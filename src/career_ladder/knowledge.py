"""The ladder-wide knowledge (`about`), the ways in (`entry`), the specialisations (`tracks`) and the
sources (`sources`), as plain functions that return data and never print.

Every statement of a ladder is a `Fact` (found by `statements.facts`): its text, where it stands and the
sources behind it.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from career_ladder.catalog import Catalog
from career_ladder.errors import LadderError, NotFound, printable
from career_ladder.names import checked_name, normalized, suggestion
from career_ladder.queries import ladder_id
from career_ladder.results.knowledge import (
    ABOUT_FIELDS,
    AboutView,
    CitedSource,
    EntryReport,
    Placed,
    SourceFacts,
    SourceList,
    TrackList,
)
from career_ladder.statements import facts

if TYPE_CHECKING:
    from career_ladder.models import Ladder


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
    entries = [Placed(ladder.id, e) for ladder in ladders for e in ladder.entry_points]
    steps = [Placed(ladder.id, step) for ladder in ladders for step in ladder.steps]
    education = [Placed(ladder.id, q) for ladder in ladders for q in ladder.education]
    if not (entries or steps or education):
        raise NotFound(_nothing("ways in", name), skipped)
    return EntryReport(entries, steps, education, skipped)


def _nothing(what: str, name: str | None) -> str:
    return f"the sources give no {what} for ladder '{printable(name)}'" if name else f"no ladder gives {what}"


def tracks(catalog: Catalog, name: str | None = None) -> TrackList:
    """The specialisations the sources name, with their focus."""
    ladders, skipped = _ladders(catalog, name)
    found = [Placed(ladder.id, track) for ladder in ladders for track in ladder.tracks]
    if not found:
        raise NotFound(_nothing("tracks", name), skipped)
    return TrackList(found, skipped)


def _citing(ladder: Ladder) -> dict[str, int]:
    """For each source id, how many parts of `ladder` cite it (the source list itself aside)."""
    from career_ladder.rules import cited

    return Counter(source_id for _, ids in cited(ladder) for source_id in set(ids))


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
