"""Ladders rebuilt from the store's JSON without validating them again.

The data was validated when it was written. Each model is made by pydantic's `model_construct`;
what a field holds is rebuilt by its annotation, and a type the builder does not know is an error.
"""

import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel

from career_ladder.models import Ladder, Rung, SharedRung

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
