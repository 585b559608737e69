"""What a user typed, resolved to a ladder or rung: ids, titles, aliases and abbreviations alike.

Names compare without case, spacing or punctuation (`Sr. TPM` == `sr-tpm`). An exact match wins;
failing that, a name that is part of exactly one candidate's name; otherwise the user is told the
candidates, or the nearest names.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TypeVar

from career_ladder.catalog import Catalog, PlacedRung, normalized
from career_ladder.errors import Ambiguous, BadArgument, NotFound, printable

T = TypeVar("T")
MAX_NAME = 200


def checked_name(name: str, what: str) -> str:
    """`name` if it can name anything; a clear error for an empty or absurdly long one."""
    if not normalized(name):
        raise BadArgument(f"a {what} name needs letters or digits, got '{printable(name)}'")
    if len(name) > MAX_NAME:
        raise BadArgument(f"a {what} name is at most {MAX_NAME} characters, got {len(name)}")
    return name


def matches(name: str, candidates: Iterable[tuple[T, Sequence[str]]]) -> list[T]:
    """The candidates whose names equal `name`, or else contain it; each candidate once."""
    key = normalized(name)
    listed = [(item, [normalized(n) for n in names]) for item, names in candidates]
    exact = [item for item, names in listed if key in names]
    return exact or [item for item, names in listed if any(key in n for n in names)]


def _suggestion(name: str, names: Iterable[str]) -> str:
    by_key: dict[str, str] = {}
    for n in names:  # the first spelling of a name wins: ids come before aliases
        by_key.setdefault(normalized(n), n)
    close = difflib.get_close_matches(normalized(name), list(by_key), n=1, cutoff=0.6)
    return f" (did you mean '{by_key[close[0]]}'?)" if close else ""


def ladder_id(catalog: Catalog, name: str) -> str:
    """The id of the ladder `name` stands for."""
    checked_name(name, "ladder")
    if catalog.find(name):  # the common case: an id, found without reading any other ladder
        return name
    # From the index: no ladder is read to match a name.
    candidates = [(s.id, [s.id, s.name, *s.aliases]) for _, s in catalog.summaries()]
    found = matches(name, candidates)
    if len(found) == 1:
        return found[0]
    if found:
        raise Ambiguous(f"'{printable(name)}' could be any of these ladders: {', '.join(sorted(found))}")
    ids = [candidate for candidate, _ in candidates] or list(catalog.winners())
    raise NotFound(f"no ladder '{printable(name)}'{_suggestion(name, ids)}")


def rung_names(placed: PlacedRung) -> list[str]:
    """Every name a rung answers to: id, title and aliases."""
    return [placed.rung.id, placed.rung.title, *placed.rung.aliases]


def find_rungs(name: str, rungs: Sequence[PlacedRung]) -> list[PlacedRung]:
    """Every rung `name` fits (for `salary`, which wants them all)."""
    checked_name(name, "rung")
    return matches(name, [(placed, rung_names(placed)) for placed in rungs])


def find_rung(name: str, rungs: Sequence[PlacedRung], ladder: str) -> PlacedRung:
    """The one rung of `ladder` that `name` stands for."""
    found = find_rungs(name, rungs)
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(f"{p.rung.id} ({p.rung.title})" for p in found)
        raise Ambiguous(f"'{printable(name)}' could be any of these rungs of '{ladder}': {listed}")
    names = [n for placed in rungs for n in (placed.rung.id, *placed.rung.aliases)]
    raise NotFound(f"no rung '{printable(name)}' in ladder '{ladder}'{_suggestion(name, names)}")
