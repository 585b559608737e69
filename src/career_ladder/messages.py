"""What a pydantic error means to someone writing a ladder file: the project's `LDR1xx` codes, the
nearest known field for one misspelt, and what to write instead of a value of the wrong type."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from career_ladder.models import UNION_TAGS, Ladder

Loc = tuple[str | int, ...]


def describe(detail: Mapping[str, Any], loc: Loc) -> tuple[str, str]:
    """The code and message of a pydantic error at `loc` (union tags already taken out of it)."""
    kind = str(detail["type"])
    if kind.startswith("LDR"):
        return kind, str(detail["msg"])
    if kind == "extra_forbidden" and UNION_TAGS[1] in detail["loc"]:
        name = str(loc[-1]) if loc else ""
        return (
            "LDR101",
            f"'{name}' beside `shared:`: a shared rung takes only `track`; its fields are in its home ladder",
        )
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else ""
        close = difflib.get_close_matches(name, _fields_at(loc[:-1]), n=1)
        return "LDR101", f"unknown field '{name}'" + (f" (did you mean '{close[0]}'?)" if close else "")
    if kind == "missing":
        return "LDR102", f"missing required field '{loc[-1]}'" if loc else "missing required field"
    given = repr(detail.get("input"))
    if len(given) > 60:
        given = given[:57] + "..."
    hint = _WHAT_TO_WRITE.get(kind)
    if kind == "int_type" and isinstance(detail.get("input"), float):
        hint = "a whole number such as 35, without a decimal point"
    pattern = str(detail.get("ctx", {}).get("pattern", ""))
    if kind == "string_pattern_mismatch" and "[a-z0-9]" in pattern:
        hint = "an id in kebab-case: lowercase letters, digits and hyphens, such as principal-pm"
        if ":)?" in pattern:
            hint = "a rung id in kebab-case, or `ladder:rung` for another ladder's, such as pm:vp"
    if kind == "literal_error":
        hint = f"one of {detail.get('ctx', {}).get('expected', '')}"
    if hint:
        return "LDR103", f"write {hint} (got {given})"
    return "LDR103", f"{detail['msg']} (got {given})"


# What to write instead, for the type errors a hand-written file meets most.
_WHAT_TO_WRITE = {
    "int_type": "a whole number such as 35, without quotes",
    "int_parsing": "a whole number such as 35, without quotes",
    "int_from_float": "a whole number such as 35, without a decimal point",
    "float_type": "a number such as 120000, without quotes or separators",
    "float_parsing": "a number such as 120000, without quotes or separators",
    "bool_type": "true or false, without quotes",
    "string_type": 'text; quote it ("…") if it is a number, a date or true/false',
    "list_type": "a list: `[a, b]`, or one `- item` a line",
    "model_type": "a mapping: `key: value` lines, indented under it",
    "dict_type": "a mapping: `key: value` lines, indented under it",
    "too_short": "at least one item",
}


def _fields_at(loc: Loc) -> list[str]:
    """The field names the model allows at `loc`, for did-you-mean hints."""
    annotation: Any = Ladder
    for part in loc:
        annotation = _step(annotation, part)
    models = [m for m in _models_in(annotation)]
    return [f.alias or name for m in models for name, f in m.model_fields.items()]


def _step(annotation: Any, part: str | int) -> Any:
    for model in _models_in(annotation):
        if isinstance(part, str):
            for name, info in model.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation
    if isinstance(part, int):
        for arg in _args(annotation):
            if typing.get_origin(arg) is list:
                return typing.get_args(arg)[0]
    return None


def _args(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _args(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in _args(arg)]
    return [annotation]


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    for arg in _args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            yield arg
