"""Overlays: a ladder that `extends` another starts from it, and adds, changes or removes rungs,
points and figures by id.

The merge keeps every part it does not change as the very object of the ladder it comes from, so
`origins` can tell, right after it, where each part of the merged ladder comes from (`show
--origin`), and keep that by place.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic_core import InitErrorDetails, PydanticCustomError

from career_ladder.errors import Loc
from career_ladder.models import Ladder, Rung, SharedRung, parts
from career_ladder.names import suggestion
from career_ladder.results import Origins, place
from career_ladder.rules import duplicate_ids, whole_ladder_problems

if TYPE_CHECKING:
    from career_ladder.models import RungChange, RungEntry

# What the ladder extended gives and the overlay's items are added to (by id where they have one):
# every list of a ladder but its names, its rungs and the rungs an overlay removes.
_ADDED_LISTS = [
    name
    for name, info in Ladder.model_fields.items()
    if typing.get_origin(info.annotation) is list and name not in ("aliases", "rungs", "remove")
]
_POINT_LISTS = ("responsibilities", "skills", "signals", "salary", "notes")


def merge(
    overlay: Ladder, base: Ladder, level_of: Callable[[RungEntry], int | None]
) -> tuple[Ladder, list[InitErrorDetails]]:
    """`overlay` laid over `base`, and every problem of the merge and of the merged ladder, placed
    in the overlay's file; `level_of` gives a rung entry's level (a shared rung's, from its home)."""
    problems: list[InitErrorDetails] = []
    known = {entry.id for entry in base.rungs}
    removed = set(overlay.remove)
    named: list[tuple[Loc, str]] = [(("remove", index), rung_id) for index, rung_id in enumerate(overlay.remove)]
    named += [(("change", rung_id), rung_id) for rung_id in overlay.change]
    for loc, rung_id in named:
        if loc[0] == "change" and rung_id in removed:
            message = "'{id}' is changed and removed: this file's `remove` drops it"
            problems.append(problem("LDR306", message, loc, rung_id, id=rung_id))
        elif rung_id not in known:
            message = "no rung '{id}' in '{base}' to {verb}{hint}"
            hint = suggestion(rung_id, known)
            problems.append(problem("LDR306", message, loc, rung_id, id=rung_id, base=base.id, verb=loc[0], hint=hint))
    rungs: list[RungEntry] = []
    for entry in base.rungs:
        if entry.id in removed:
            continue
        change = overlay.change.get(entry.id)
        if change is not None:
            if isinstance(entry, SharedRung):
                message = "'{id}' is shared from '{ref}' in '{base}': change it there, or replace it in `rungs`"
                loc = ("change", entry.id)
                problems.append(problem("LDR306", message, loc, entry.id, id=entry.id, ref=entry.shared, base=base.id))
            else:
                entry, found = _changed(entry, change, ("change", entry.id))
                problems += found
        rungs.append(entry)
    for entry in overlay.rungs:
        _put(rungs, entry, level_of)
    gone = removed - {entry.id for entry in overlay.rungs}  # removed, and not added back
    merged_fields: dict[str, Any] = {
        field: _added(getattr(base, field), getattr(overlay, field)) for field in _ADDED_LISTS
    }
    # The base's moves, ways in and layouts that need a rung the overlay removes go with it; the
    # overlay's own are kept, and a reference of theirs to a removed rung is a problem (LDR203).
    theirs = {id(item) for field in ("transitions", "entry_points", "views") for item in getattr(base, field)}
    merged_fields["transitions"] = [
        move for move in merged_fields["transitions"] if id(move) not in theirs or not {move.from_, move.to} & gone
    ]
    merged_fields["entry_points"] = [
        _without(entry, gone) if id(entry) in theirs else entry
        for entry in merged_fields["entry_points"]
        if id(entry) not in theirs or set(entry.lands_on) - gone
    ]
    merged_fields["views"] = [
        view
        for view in merged_fields["views"]
        if id(view) not in theirs or not any(set(step.rungs) & gone for step in view.steps)
    ]
    if not rungs:
        message = "no rung is left of '{base}': a ladder needs at least one"
        problems.append(problem("LDR306", message, ("remove",), None, base=base.id))
    merged = overlay.model_copy(
        update={
            **merged_fields,
            "rungs": rungs,
            "change": {},
            "remove": [],
            "pay_not_published": overlay.pay_not_published or base.pay_not_published,
        }
    )
    for fault in [*duplicate_ids(merged), *whole_ladder_problems(merged)]:
        problems.append(
            problem(fault.code, "{text}", overlay_loc(fault.loc, merged, overlay), fault.value, text=fault.message)
        )
    return merged, problems


def problem(code: str, message: str, loc: Loc, value: Any, **context: Any) -> InitErrorDetails:
    """A problem of a merge, as pydantic tells an error: its type is its code."""
    return InitErrorDetails(type=PydanticCustomError(code, message, context), loc=loc, input=value)


def described(detail: InitErrorDetails) -> tuple[str, str]:
    """The code and message of a problem of a merge."""
    error = detail["type"]
    assert isinstance(error, PydanticCustomError)  # `problem` makes every one
    return error.type, error.message()


def _without(entry: Any, gone: set[str]) -> Any:
    """A way in of the base without the rungs the overlay removes."""
    if not set(entry.lands_on) & gone:
        return entry
    return entry.model_copy(update={"lands_on": [ref for ref in entry.lands_on if ref not in gone]})


def _added(theirs: Sequence[Any], ours: Sequence[Any]) -> list[Any]:
    """The base's items, an overlay item with the id of one in its place, then the overlay's others;
    of two of one id, the first (the second is the file's error, LDR202, told once)."""
    by_id: dict[str, Any] = {}
    for item in ours:
        if getattr(item, "id", None) is not None:
            by_id.setdefault(item.id, item)
    kept = [by_id.pop(item.id, item) if getattr(item, "id", None) is not None else item for item in theirs]
    return kept + [item for item in ours if getattr(item, "id", None) is None or by_id.get(item.id) is item]


def _put(rungs: list[RungEntry], entry: RungEntry, level_of: Callable[[RungEntry], int | None]) -> None:
    """A rung of the overlay: in place of the base's rung of its id, else before the first higher rung."""
    for index, existing in enumerate(rungs):
        if existing.id == entry.id:
            rungs[index] = entry
            return
    level = level_of(entry)
    if level is not None:
        for index, existing in enumerate(rungs):
            other = level_of(existing)
            if other is not None and other > level:
                rungs.insert(index, entry)
                return
    rungs.append(entry)


def _changed(rung: Rung, change: RungChange, loc: Loc) -> tuple[Rung, list[InitErrorDetails]]:
    """`rung` with the fields `change` gives, its additions and its removals."""
    problems: list[InitErrorDetails] = []
    # What the change gives (null is "not given": the store rebuilds models with every field set).
    given = {
        name: value
        for name in type(change).model_fields
        if name not in ("add", "remove") and (value := getattr(change, name)) is not None
    }
    update: dict[str, Any] = dict(given)
    held = {name: list(update.get(name, getattr(rung, name))) for name in _POINT_LISTS}
    expectations = {area: list(points) for area, points in update.get("expectations", rung.expectations).items()}
    if change.add is not None:
        for name in _POINT_LISTS:
            held[name] = _added(held[name], getattr(change.add, name))
        for area, points in change.add.expectations.items():
            expectations[area] = _added(expectations.get(area, []), points)
    ids = {item.id for items in [*held.values(), *expectations.values()] for item in items if item.id is not None}
    for index, item_id in enumerate(change.remove):
        if item_id not in ids:
            message = "no point or figure '{id}' in rung '{rung}' to remove{hint}"
            hint = suggestion(item_id, ids)
            problems.append(
                problem("LDR306", message, (*loc, "remove", index), item_id, id=item_id, rung=rung.id, hint=hint)
            )
    dropped = set(change.remove)
    for name in _POINT_LISTS:
        update[name] = [item for item in held[name] if item.id is None or item.id not in dropped]
    update["expectations"] = {
        area: [p for p in points if p.id is None or p.id not in dropped] for area, points in expectations.items()
    }
    return rung.model_copy(update=update), problems


def origins(merged: Ladder, overlay: Ladder, base: Ladder, base_origins: Origins) -> Origins:
    """Where each part of `merged` (`overlay` laid over `base`) comes from: a part taken from `base`
    as `base_origins` labels it (else `base`'s own), a rung the overlay changed as `…, changed by`
    the overlay, the rest the overlay's own. Parts are matched by identity, which `merge` keeps and
    which lasts only while these ladders do: what is kept is each part's place."""
    replaced = overlay.id == base.id  # a `pm.yaml` that extends the pm it replaces

    def base_label(loc: Loc) -> str:
        label = base_origins.of(loc) or base.id
        return f"{label} (replaced)" if replaced and label == base.id else label

    theirs = {id(part): base_label(loc) for loc, part in parts(base)}
    labels = {place(loc): theirs.get(id(part), overlay.id) for loc, part in parts(merged)}
    base_index = {entry.id: index for index, entry in enumerate(base.rungs)}
    own = {id(entry) for entry in overlay.rungs}
    for index, entry in enumerate(merged.rungs):
        if entry.id in overlay.change and entry.id in base_index and id(entry) not in own:
            labels[place(("rungs", index))] = f"{base_label(('rungs', base_index[entry.id]))}, changed by {overlay.id}"
    return Origins(labels)


def overlay_loc(loc: Loc, merged: Ladder, overlay: Ladder) -> Loc:
    """Where a problem of the merged ladder stands in the overlay's file: its own item, the change
    of a rung, or `extends` for what it takes unchanged from the ladder it extends."""
    if len(loc) < 2 or not isinstance(loc[1], int) or not isinstance(loc[0], str):
        return (
            loc if loc[:1] and loc[0] in type(overlay).model_fields and getattr(overlay, str(loc[0])) else ("extends",)
        )
    field, index, rest = loc[0], loc[1], loc[2:]
    items = getattr(merged, field, None)
    if not isinstance(items, list) or index >= len(items):
        return ("extends",)
    item = items[index]
    for own_index, own in enumerate(getattr(overlay, field)):
        if own is item:
            return (field, own_index, *rest)
    if field == "rungs" and item.id in overlay.change:
        return ("change", item.id, *_added_loc(item, overlay.change[item.id], rest))
    return ("extends",)


def _added_loc(rung: Any, change: RungChange, rest: Loc) -> Loc:
    """Where `rest` in a changed rung stands in the overlay's change of it: under `add` when the
    item there is one the overlay adds, else as the rung has it."""
    if change.add is not None:
        merged = dict(parts(rung))
        for end in range(len(rest), 0, -1):
            found = merged.get(tuple(rest[:end]))
            for place, added in parts(change.add) if found is not None else ():
                if added is found:
                    return ("add", *place, *rest[end:])
    return rest
