"""How names compare: what a user typed against ids, titles and aliases, and the rule for an id.

Names compare without case, spacing or punctuation (`Sr. TPM` == `sr-tpm`). An exact match wins;
failing that, a name that is part of a candidate's name. Nothing here reads a ladder: the queries
bring the candidates.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple, TypeVar

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


def checked_name(name: str, what: str) -> None:
    """A clear error for a name that cannot name anything: empty, or absurdly long."""
    if not normalized(name):
        raise BadArgument(f"a {what} name needs letters or digits, got '{printable(name)}'")
    if len(name) > MAX_NAME:
        raise BadArgument(f"a {what} name is at most {MAX_NAME} characters, got {len(name)}")


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
    cutoff = 0.5 if len(key) <= 3 else 0.6
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=cutoff)
    # Near as written too, separators and all: `staff-pm` is no typo of `apm`, though `staffpm` is near.
    written = [
        c for c in close if difflib.SequenceMatcher(None, name.casefold(), by_key[c].casefold()).ratio() >= cutoff
    ]
    return f" (did you mean '{by_key[written[0]]}'?)" if written else ""


class Near(NamedTuple):
    """The candidate nearest a name: its id, and the title or alias it was found by (None: its id)."""

    id: str
    title: str | None
    alias: str | None


def nearest_named(name: str, candidates: Iterable[tuple[str, str | None, Sequence[str]]]) -> Near | None:
    """The candidate (id, title, aliases) whose id, title or alias is nearest `name`, or None when none
    is near: `group-manager` finds `group-pm` by its title, Group Product Manager."""
    key = normalized(name)
    cutoff = 0.5 if len(key) <= 3 else 0.6
    best: tuple[float, Near] | None = None
    matcher = difflib.SequenceMatcher(a=key)  # ratio() is not symmetric: the name first, as before
    for ident, title, aliases in candidates:
        named = [(ident, Near(ident, None, None))]
        named += [(title, Near(ident, title, None))] if title else []
        named += [(alias, Near(ident, None, alias)) for alias in aliases]
        for text, near in named:
            matcher.set_seq2(normalized(text))
            bar = best[0] if best else cutoff  # ties: the first, ids first
            # The quick ratios bound the ratio from above, as get_close_matches uses them: a name
            # that cannot beat the best so far is not measured (1,600 wrong refs among 2,000 rungs: 90 s).
            if matcher.real_quick_ratio() < bar or matcher.quick_ratio() < bar:
                continue
            score = matcher.ratio()
            if score >= cutoff and (best is None or score > best[0]):
                best = (score, near)
    return best[1] if best else None


def named_suggestion(name: str, candidates: Iterable[tuple[str, str | None, Sequence[str]]]) -> str:
    """` (did you mean 'x'?)` for the nearest candidate, with the title or alias that makes it so."""
    near = nearest_named(name, candidates)
    if near is None:
        return ""
    by = f", titled {near.title}" if near.title else f", also called {near.alias}" if near.alias else ""
    return f" (did you mean '{near.id}'{by}?)"


def nearest_first(name: str, known: Sequence[str]) -> list[str]:
    """`known`, the names near `name` first (nearest first), then the others as given."""
    key = normalized(name)
    scored = [(difflib.SequenceMatcher(None, key, normalized(n)).ratio(), i, n) for i, n in enumerate(known)]
    near = sorted((s for s in scored if s[0] >= 0.6), key=lambda s: (-s[0], s[1]))
    return [n for _, _, n in near] + [n for score, _, n in scored if score < 0.6]


def kebab(title: str) -> str:
    """A title as an id (`Senior PM (L5)` -> `senior-pm-l5`): accents dropped, at most 64
    characters, cut at a hyphen; empty when the title has no letter or digit of the Latin script."""
    import unicodedata

    spaced = _PUNCTUATION.sub(" ", title)  # before accents go, so that `Lead—Product` stays two words
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    ident = ""
    for word in words:
        joined = f"{ident}-{word}" if ident else word
        if len(joined) > 64:
            break
        ident = joined
    return ident or (words[0][:64] if words else "")
