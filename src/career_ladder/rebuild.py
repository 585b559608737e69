"""Ladders as the store writes them, and rebuilt from its JSON without validating them again.

The data was validated when it was written. Each model is made by pydantic's `model_construct`;
what a field holds is rebuilt by its annotation, and a type the builder does not know is an error.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel

from career_ladder.errors import InvalidLadder
from career_ladder.models import Ladder, Rung, SharedRung
from career_ladder.results import LadderSummary

if TYPE_CHECKING:
    from career_ladder.store import Stored

Model = TypeVar("Model", bound=BaseModel)


def construct_ladder(data: dict[str, Any]) -> Ladder:
    """A Ladder from data it was dumped to (`model_dump(mode="json", by_alias=True)`), unchecked."""
    return construct(Ladder, data)


def construct(model: type[Model], data: dict[str, Any]) -> Model:
    """A model from data it was dumped to, unchecked."""
    built = _built(model)(data)
    assert isinstance(built, model)
    return built


# How to rebuild a field's value from its dump, worked out once per model.
Builder = Callable[[Any], Any]
_BUILDERS: dict[type[BaseModel], Builder] = {}


def _built(model: type[BaseModel]) -> Builder:
    if model not in _BUILDERS:
        fields = [(info.alias or name, _builder(info.annotation)) for name, info in model.model_fields.items()]
        # A field a model leaves out of its dump when empty (a point's `id`), and its empty value.
        optional = {info.alias or name: info.default for name, info in model.model_fields.items() if name == "id"}

        def build(raw: dict[str, Any]) -> BaseModel:
            return model.model_construct(
                **{
                    key: build(raw[key]) if key in raw or key not in optional else optional[key]
                    for key, build in fields
                }
            )

        _BUILDERS[model] = build
    return _BUILDERS[model]


def _as_is(raw: Any) -> Any:
    return raw


def _builder(annotation: Any) -> Builder:
    """How to rebuild a value of `annotation` from JSON; a type it does not know is an error."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _builder(typing.get_args(annotation)[0])
    if origin is list:
        item = _builder(typing.get_args(annotation)[0])
        return lambda raw: [item(value) for value in raw]
    if origin is dict:
        key, value = (_builder(arg) for arg in typing.get_args(annotation))
        return lambda raw: {key(k): value(v) for k, v in raw.items()}
    if origin in (typing.Union, types.UnionType):
        arms = [arm for arm in typing.get_args(annotation) if arm is not type(None)]
        if len(arms) > 1:  # a rung entry: own or shared
            own, shared = _built(Rung), _built(SharedRung)
            return lambda raw: shared(raw) if "shared" in raw else own(raw)
        arm = _builder(arms[0])
        return lambda raw: None if raw is None else arm(raw)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return lambda raw: _built(annotation)(raw)
    if annotation is float:
        return float
    if annotation in (str, int, bool) or origin is Literal:
        return _as_is
    raise TypeError(f"the store cannot rebuild a field of type {annotation!r}")


def rebuilt(path: Path, stored: Stored) -> Ladder | InvalidLadder:
    """A ladder (or a file's problems) as the store has it; ValueError and the like if the row is damaged."""
    if stored.data is None:
        return InvalidLadder.at(path, stored.problems or [])
    ladder = construct_ladder(stored.data)
    if not isinstance(ladder.id, str) or not (ladder.rungs or ladder.extends) or path.stem != ladder.id:
        raise ValueError("damaged row")
    return ladder


def moves_of(ladder: Ladder) -> dict[str, list[Any]]:
    """What `path` walks of a ladder, so that it reads no ladder whole: its rungs (id, title,
    aliases, the ref of a shared one), its moves and its ways in, with their sources."""
    return {
        "rungs": [
            [entry.id, None, [], entry.shared]
            if isinstance(entry, SharedRung)
            else [entry.id, entry.title, entry.aliases, None]
            for entry in ladder.rungs
        ],
        "moves": [[m.from_, m.to, m.kind, m.role, m.sources] for m in ladder.transitions],
        "ways": [[w.id, w.name, w.lands_on, w.sources] for w in ladder.entry_points],
    }


def signals_of(ladder: Ladder) -> dict[str, list[Any]]:
    """What `path` shows of the moves of a route: each move's signals and each way in's notes, in
    the order of `moves_of`, read only for the ladders of the routes shown."""
    return {
        "moves": [[p.model_dump(mode="json", by_alias=True) for p in move.signals] for move in ladder.transitions],
        "ways": [[p.model_dump(mode="json", by_alias=True) for p in way.notes] for way in ladder.entry_points],
    }


def summary_of(ladder: Ladder) -> LadderSummary:
    return LadderSummary(ladder.id, ladder.name, list(ladder.aliases), len(ladder.rungs), ladder.extends)
