"""Every statement of a ladder (`facts`: the walk follows the models, so a field added later is
found without a change here), and what `search` finds of each: its text folded character by
character (`ß` is `ss`, `ﬁ` is `fi`), so that a place in the folded text is a place in the text,
and the words of its place (`director strategy`), of its field and of what it stands for (`1:10`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from career_ladder.results.knowledge import Fact

if TYPE_CHECKING:
    from career_ladder.models import Ladder

# Words people search for a field of a ladder or of a rung with, beyond its name: what a rung earns
# is in its `salary`, the steps into a job say how to become one.
FIELD_WORDS = {
    "salary": "salary pay paid earn",
    "ratios": "ratio",
    "steps": "steps become",
    "entry_points": "entry points ways in become",
    "transitions": "transitions moves promotion",
}


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


class Statement(NamedTuple):
    place: str  # the fact's spot in its ladder
    sources: str  # its sources' ids, comma-separated
    text: str
    folded: str  # the text as it is matched
    folded_about: str  # the words of its place, as they are matched


def statements(ladder: Ladder) -> Iterator[Statement]:
    """Every statement of `ladder` as it is stored to be searched."""
    for fact, terms in _facts_with_terms(ladder):
        yield Statement(fact.spot, ",".join(fact.sources), fact.text, fold(fact.text), _about(fact, terms))


def _facts_with_terms(ladder: Ladder) -> Iterator[tuple[Fact, str]]:
    """Every fact of `ladder` with the words it stands for beyond its text: a ratio is found by its
    figures (`1:10`), and stands as its figures when it has no text of its own."""
    terms: dict[tuple[str, ...], str] = {}
    for index, ratio in enumerate(ladder.ratios, 1):
        pms, engineers = ratio.product_managers, ratio.engineers
        where = ("ratios", str(index))
        terms[where] = (
            f"{pms}:{engineers}, {pms} to {engineers}, pm to engineer, {pms} product managers to {engineers} engineers"
        )
        if ratio.text is None:
            figures = (
                f"{pms} product manager{'s' if pms > 1 else ''} to {engineers} engineer{'s' if engineers > 1 else ''}"
            )
            yield Fact(ladder.id, where, "text", figures, list(ratio.sources)), terms[where]
    for fact in facts(ladder):
        yield fact, terms.get(fact.where, "") if fact.field == "text" else ""


def _about(fact: Fact, terms: str) -> str:
    """The words of a statement's place, without list positions (`responsibilities > 20` is no
    word `20`), with the words people search that part by, and its `terms`."""
    parts = [*fact.where, fact.field]
    fields = {0, 2} if parts[0] == "rungs" else {0}  # a field of the ladder, or of a rung (`rungs > pm > salary`)
    words = [
        FIELD_WORDS[part] if index in fields and part in FIELD_WORDS else part.replace("_", " ")
        for index, part in enumerate(parts)
        if not part.isdecimal() and part != "text"
    ]
    return fold(" ".join([*words, terms]))


def fold(text: str) -> str:
    """Text as it is searched: compatibility forms, case and accents folded (as `folded` does it
    character by character: the marks it drops are never reordered into a kept character)."""
    return text.lower() if text.isascii() else _plain(text)


def folded(text: str) -> tuple[str, list[int]]:
    """`text` without case or accents, and for each of its characters the index of the one it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    plain = [_plain(char) for char in text]
    return "".join(plain), [index for index, part in enumerate(plain) for _ in part]


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
