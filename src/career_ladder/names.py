"""How names compare: what a user typed against ids, titles and aliases, and the rule for an id.

Names compare without case, spacing or punctuation (`Sr. TPM` == `sr-tpm`). An exact match wins;
failing that, a name that is part of a candidate's name. Nothing here reads a ladder: the queries
bring the candidates.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import TypeVar

from career_ladder.errors import BadArgument, printable

T = TypeVar("T")

# An id: lowercase words of letters and digits joined by single hyphens (`senior-tpm`). Ladder ids
# are file names too, so `../x` can never be one.
SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"
MAX_NAME = 200
_PUNCTUATION = re.compile(r"[\W_]+")


def normalized(name: str) -> str:
    """A name as compared: case, spacing and punctuation ignored (`Sr. PM` == `sr-pm`)."""
    return _PUNCTUATION.sub("", name.casefold())


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


def suggestion(name: str, names: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the nearest of `names`, or nothing when none is near."""
    by_key: dict[str, str] = {}
    for candidate in names:  # the first spelling of a name wins: ids come before aliases
        by_key.setdefault(normalized(candidate), candidate)
    key = normalized(name)
    # A short name is a few letters: one letter off (`pn` for `pm`) is as near as it gets.
    close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.5 if len(key) <= 3 else 0.6)
    return f" (did you mean '{by_key[close[0]]}'?)" if close else ""
