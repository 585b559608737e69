"""`extends`: an overlay laid over the ladder it extends, with where each part of the result comes
from, or why it cannot be, said in the overlay's file.

The catalog and `validate` both resolve an overlay here, each finding the ladder it extends in its
own view of the files, so a failed merge reads the same in both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from career_ladder.errors import InvalidLadder, Loc, Problem
from career_ladder.names import suggestion
from career_ladder.overlay import described, merge, origins
from career_ladder.results import Origins

if TYPE_CHECKING:
    from career_ladder.models import Ladder, RungEntry

_CIRCLE = "ladders extend each other in a circle: "

# Where a place in the overlay's file is: its line, column and field path.
Where = Callable[[Loc], tuple[int, int, str]]


class Merged(NamedTuple):
    """A ladder as the files it extends and its own make it, and where each part comes from (no
    label at all for a ladder that extends none)."""

    ladder: Ladder
    origins: Origins


class Bases(NamedTuple):
    """How an overlay's resolver finds the ladder it extends, in one view of the files. Both lookups
    raise InvalidLadder for a ladder whose file does not load or whose own merge fails."""

    extended: Callable[[str], Merged | None]  # the ladder of an id, merged; None: there is none
    replaced: Callable[[], Merged | None]  # the file of the overlay's own id that its file replaces
    ladder_ids: Callable[[], Iterable[str]]  # the ladder ids in view, for a did-you-mean
    level_of: Callable[[RungEntry], int | None]  # a rung entry's level (a shared rung's, from its home)
    extends_of: Callable[[str], str | None]  # what the file of a ladder id in view extends, as written


def extend(overlay: Ladder, path: Path, where: Where, bases: Bases) -> Merged:
    """`overlay`, read from `path`, laid over the ladder it extends; raises InvalidLadder with every
    problem (LDR305 for the ladder extended, those of the merge), each placed by `where`."""

    def told(code: str, message: str, loc: Loc) -> Problem:
        line, column, field = where(loc)
        return Problem(str(path), line, column, code, field, message)

    def stop(message: str) -> InvalidLadder:
        return InvalidLadder(path, [told("LDR305", message, ("extends",))])

    base_id = overlay.extends or ""
    replacing = base_id == overlay.id  # a `pm.yaml` that changes the pm of an earlier directory
    if not replacing and (ring := _circle(overlay.id, base_id, bases.extends_of)):
        raise stop(f"{_CIRCLE}{' -> '.join([*ring, ring[0]])}")
    try:
        base = bases.replaced() if replacing else bases.extended(base_id)
    except InvalidLadder as error:
        cause = error.problems[0]
        if cause.code == "LDR305" and cause.message.startswith(_CIRCLE):  # each ladder in it says the circle
            raise stop(cause.message) from None
        which = f"the '{base_id}' it replaces" if replacing else f"ladder '{base_id}', which it extends,"
        raise stop(f"{which} does not load: {cause}") from None
    if base is None and replacing:
        raise stop(f"no other file of ladder '{base_id}' in an earlier directory to extend")
    if base is None:
        raise stop(f"no ladder '{base_id}' to extend{suggestion(base_id, list(bases.ladder_ids()))}")
    merged, details = merge(overlay, base.ladder, bases.level_of)
    if details:
        raise InvalidLadder(path, [told(*described(detail), tuple(detail["loc"])) for detail in details])
    return Merged(merged, origins(merged, overlay, base.ladder, base.origins))


def _circle(ladder_id: str, base_id: str, extends_of: Callable[[str], str | None]) -> list[str]:
    """The ladders of a circle that the chain under `ladder_id` runs into, told from its first id
    (whichever ladder it is met from); none when the chain ends. Walked by id, in a loop, before
    any merge: a circle of any length is one line."""
    chain = [ladder_id]
    at: str | None = base_id
    while at is not None and at not in chain:
        chain.append(at)
        extends = extends_of(at)
        at = None if extends == at else extends  # one that replaces a file of its id: the chain leaves the view
    if at is None:
        return []
    ring = chain[chain.index(at) :]
    first = ring.index(min(ring))
    return ring[first:] + ring[:first]
