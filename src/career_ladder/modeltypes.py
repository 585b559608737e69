"""The type the models give each place of a file (`rungs.3.salary.0.min` is an amount): for what a
misspelt field means (`messages`) and for turning a table's text into values (`tidy`)."""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from career_ladder.errors import Loc
from career_ladder.models import Ladder


def annotation_at(loc: Loc, root: type[BaseModel] = Ladder) -> Any:
    """The type the models give the value at `loc` in a `root` (a list's item, a mapping's value
    by its key); None where they give none."""
    return _annotation_at(tuple(0 if isinstance(part, int) else part for part in loc), root)


@functools.lru_cache(maxsize=4096)  # an import asks it for every value of a table: the same few shapes
def _annotation_at(loc: Loc, root: type[BaseModel]) -> Any:
    annotation: Any = root
    for part in loc:
        options = type_options(annotation)
        if isinstance(part, int):
            annotation = next((typing.get_args(a)[0] for a in options if typing.get_origin(a) is list), None)
            continue
        mapping = next((a for a in options if typing.get_origin(a) is dict), None)
        if mapping is not None:
            annotation = typing.get_args(mapping)[1]
            continue
        found = [f for m in models_in(annotation) for name, f in m.model_fields.items() if part in (name, f.alias)]
        annotation = found[0].annotation if found else None
    return annotation


def type_options(annotation: Any) -> list[Any]:
    """The types a value of `annotation` may have: `Annotated` unwrapped, a union's arms."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return type_options(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in type_options(arg)]
    return [annotation]


def models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    for arg in type_options(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            yield arg
