"""The rules one ladder file keeps on its own, beyond the shape of each field: ids unique, sources
declared, references that resolve, tracks and competency areas declared, rungs in order. Each
yields a `Fault` with its stable `LDR` code and its place in the data, for the loader to place in
the file. An overlay is checked for what it says itself, and as a whole once merged (`overlay.py`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from career_ladder.errors import Loc
from career_ladder.models import Ladder, Rung, SharedRung, Transition, parts
from career_ladder.names import named_suggestion, nearest_first, normalized, suggestion

# What an `expectations` key written as an area's name should be instead (`undeclared`'s `by_id`).
EXPECTATIONS_BY_ID = "key its expectations by the id, `{id}:`"


class Fault(NamedTuple):
    """A rule broken at `loc` in a ladder's data; `value` is what is at fault there, so that the
    loader can leave out a reference to an item it cut for a wrong field."""

    code: str
    loc: Loc
    message: str
    value: Any = None


def cited(ladder: Ladder) -> Iterator[tuple[Loc, list[str]]]:
    """Every `sources` list of ids in `ladder`, with where it stands."""
    for loc, part in parts(ladder):
        ids = getattr(part, "sources", None)
        if ids and isinstance(ids[0], str):
            yield (*loc, "sources"), ids


def ladder_problems(ladder: Ladder) -> Iterator[Fault]:
    """Every rule a single file breaks; an overlay's references to the rungs and sources of the
    ladder it extends are checked once the two are merged (`overlay.py`)."""
    if ladder.extends is None:
        if not ladder.rungs and "rungs" in ladder.model_fields_set:
            yield Fault("LDR103", ("rungs",), "write at least one item (got [])")
        elif not ladder.rungs:
            yield Fault("LDR102", ("rungs",), "missing required field 'rungs'")
        for field in ("change", "remove"):
            if getattr(ladder, field):
                yield Fault("LDR210", (field,), f"`{field}` changes the ladder this one extends: add `extends: LADDER`")
    yield from duplicate_ids(ladder)
    if ladder.extends is None:
        yield from whole_ladder_problems(ladder)


def duplicate_ids(ladder: Ladder) -> Iterator[Fault]:
    for field in ("sources", "rungs", "entry_points", "tracks", "views", "parallel_tracks", "competencies"):
        seen: set[str] = set()
        for index, item in enumerate(getattr(ladder, field)):
            if item.id in seen:
                yield Fault("LDR202", (field, index, "id"), f"duplicate id '{item.id}' in {field}", item.id)
            seen.add(item.id)
    for index, entry in enumerate(ladder.rungs):
        if isinstance(entry, Rung):
            yield from _point_ids(entry, ("rungs", index), f"rung '{entry.id}'")
    for rung_id, change in ladder.change.items():
        if change.add is not None:
            yield from _point_ids(change.add, ("change", rung_id, "add"), f"what `change.{rung_id}.add` adds")


def _point_ids(node: Any, loc: Loc, where: str) -> Iterator[Fault]:
    """Each id once among the points and figures of a rung: an id names one of them rung-wide (an
    overlay's `remove: [id]` drops every item of it, an added one replaces it)."""
    seen: set[str] = set()
    for place, part in parts(node, loc):
        item_id = getattr(part, "id", None)
        if isinstance(item_id, str):
            if item_id in seen:
                message = f"duplicate id '{item_id}' among the points and figures of {where}"
                yield Fault("LDR202", (*place, "id"), message, item_id)
            seen.add(item_id)


def whole_ladder_problems(ladder: Ladder) -> Iterator[Fault]:
    """The rules a whole ladder keeps (for an overlay, checked on the merged ladder)."""
    declared = {source.id for source in ladder.sources}
    for loc, cited_ids in cited(ladder):
        for index, source_id in enumerate(cited_ids):
            if source_id not in declared:
                message = f"source '{source_id}' is not declared under `sources`{suggestion(source_id, declared)}"
                yield Fault("LDR204", (*loc, index), message, source_id)

    tracks = [(track.id, track.name) for track in ladder.parallel_tracks]
    areas = [(area.id, area.name) for area in ladder.competencies]
    for index, entry in enumerate(ladder.rungs):
        if entry.track is not None and entry.track not in dict(tracks):
            message = undeclared("track", entry.track, tracks, "parallel_tracks", "write `track: {id}`")
            yield Fault("LDR213", ("rungs", index, "track"), message, entry.track)
        for area in entry.expectations if isinstance(entry, Rung) else ():
            if area not in dict(areas):
                message = undeclared("competency area", area, areas, "competencies", EXPECTATIONS_BY_ID)
                yield Fault("LDR214", ("rungs", index, "expectations", area), message, area)

    own = [(index, rung) for index, rung in enumerate(ladder.rungs) if isinstance(rung, Rung)]
    for (_, lower), (index, rung) in itertools.pairwise(own):
        if rung.level < lower.level:
            placed = f"'{rung.id}' (level {rung.level}) comes after '{lower.id}' (level {lower.level})"
            yield Fault("LDR212", ("rungs", index, "level"), f"rungs go lowest first: {placed}", rung.level)

    yield from contradictions(ladder)

    rungs = {rung.id: rung for rung in ladder.rungs}
    for loc, ref in rung_refs(ladder):
        if loc[2] == "equivalent" and (ref.partition(":")[0] in ("", ladder.id) or ":" not in ref):
            yield Fault("LDR210", loc, "an equivalent rung is in another ladder, written `ladder:rung`", ref)
        elif loc[2] == "shared" and ":" not in ref:
            yield Fault("LDR210", loc, "a shared rung names its ladder too, as `ladder:rung`", ref)
        elif loc[2] not in ("shared", "equivalent") and ":" not in ref and ref not in rungs:
            hint = named_suggestion(ref, ladder.rung_names())
            yield Fault("LDR203", loc, f"no rung '{ref}' in this ladder{hint}", ref)
    for index, transition in enumerate(ladder.transitions):
        falls = falling_promotion(transition, rungs.get(transition.from_), rungs.get(transition.to or ""))
        if falls:
            yield Fault("LDR205", ("transitions", index, "to"), falls, transition.to)


def undeclared(what: str, name: str, declared: Sequence[tuple[str, str]], section: str, by_id: str) -> str:
    """The message for a track or competency area that `section` does not declare: the one whose name
    was written for its id, or the declared ids, nearest first."""
    for ident, title in declared:
        if normalized(title) == normalized(name):
            return f"'{name}' is the name of {what} '{ident}': {by_id.format(id=ident)}"
    if not declared:
        return f"no {what} '{name}': `{section}` declares none; declare it there"
    ids = ", ".join(nearest_first(name, [ident for ident, _ in declared]))
    return f"no {what} '{name}' under `{section}`: write one of {ids}, or declare it there"


def contradictions(ladder: Ladder) -> Iterator[Fault]:
    """What a ladder cannot say at once: pay not published beside a figure (LDR216), duties not stated
    beside duties (responsibilities or expectations, LDR217)."""
    for index, rung in enumerate(ladder.rungs):
        if not isinstance(rung, Rung):
            continue
        whose = "its" if rung.pay_not_published else "the ladder's" if ladder.pay_not_published else None
        if rung.salary and whose:
            message = (
                f"rung '{rung.id}' gives a salary figure, yet {whose} `pay_not_published` says its pay is not "
                "published: keep one of the two"
            )
            yield Fault("LDR216", ("rungs", index, "salary"), message)
        duties = "responsibilities" if rung.responsibilities else "expectations" if rung.expectations else None
        if duties and rung.duties_not_stated is not None:
            says = "says its sources give none: keep one of the two"
            message = f"rung '{rung.id}' lists {duties}, yet `duties_not_stated` {says}"
            yield Fault("LDR217", ("rungs", index, "duties_not_stated"), message)


def rung_refs(ladder: Ladder) -> Iterator[tuple[Loc, str]]:
    """Every reference to a rung in the file, with where it stands."""
    for index, entry in enumerate(ladder.rungs):
        if isinstance(entry, SharedRung):
            yield ("rungs", index, "shared"), entry.shared
            continue
        for key in ("equivalent", "reports_to"):
            for ref_index, ref in enumerate(getattr(entry, key)):
                yield ("rungs", index, key, ref_index), ref
    for index, transition in enumerate(ladder.transitions):
        yield ("transitions", index, "from"), transition.from_
        if transition.to is not None:
            yield ("transitions", index, "to"), transition.to
    for index, entry_point in enumerate(ladder.entry_points):
        for ref_index, ref in enumerate(entry_point.lands_on):
            yield ("entry_points", index, "lands_on", ref_index), ref
    for index, view in enumerate(ladder.views):
        for step_index, step in enumerate(view.steps):
            for ref_index, ref in enumerate(step.rungs):
                yield ("views", index, "steps", step_index, "rungs", ref_index), ref


def falling_promotion(transition: Transition, low: object, high: object) -> str | None:
    """LDR205's message when `transition`, a promotion from rung `low` to rung `high`, does not rise."""
    if transition.kind != "promotion" or not isinstance(low, Rung) or not isinstance(high, Rung):
        return None
    if high.level > low.level:
        return None
    return (
        f"a promotion must rise: '{transition.to}' (level {high.level}) "
        f"is not above '{transition.from_}' (level {low.level})"
    )
