"""What a pydantic error means to someone writing a ladder file: the project's `LDR1xx` codes, the
nearest known field for one misspelt, and what to write instead of a value of the wrong type."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from career_ladder.errors import Loc
from career_ladder.models import UNION_TAGS, Ladder
from career_ladder.modeltypes import annotation_at, models_in
from career_ladder.names import nearest_first, suggestion
from career_ladder.rules import EXPECTATIONS_BY_ID, undeclared

# An unknown field with a likely meaning lists the fields allowed only where they are this few.
FIELDS_LISTED_BESIDE_A_GUESS = 6


def describe(detail: Mapping[str, Any], loc: Loc, data: Any = None, root: type[BaseModel] = Ladder) -> tuple[str, str]:
    """The code and message of a pydantic error at `loc` (union tags and a mapping key's `[key]`
    already taken out of it) in a file of `root`; `data`, the file's, lends its sources and areas
    to the examples."""
    kind = str(detail["type"])
    is_key = bool(detail["loc"]) and detail["loc"][-1] == "[key]"
    if is_key and len(loc) >= 2 and loc[-2] == "expectations" and isinstance(data, dict):
        areas = [
            (str(area.get("id")), str(area.get("name", "")))
            for area in data.get("competencies") or []
            if isinstance(area, dict)
        ]
        if areas or "extends" not in data:  # an overlay's areas may be the other ladder's: not known here
            return "LDR214", undeclared("competency area", str(loc[-1]), areas, "competencies", EXPECTATIONS_BY_ID)
    if kind.startswith("LDR"):
        return kind, str(detail["msg"])
    name = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden" and UNION_TAGS[1] in detail["loc"]:
        return (
            "LDR101",
            f"'{name}' beside `shared:`: a shared rung takes only `track`; its fields are in its home ladder",
        )
    if kind == "extra_forbidden":
        models = models_in(annotation_at(loc[:-1], root))
        fields = list(
            dict.fromkeys(info.alias or name for model in models for name, info in model.model_fields.items())
        )
        if UNION_TAGS[0] in detail["loc"] and "shared" in fields:  # an own rung: `shared` is the other kind's
            fields.remove("shared")
        meant = suggestion(name, fields)
        if meant and len(fields) > FIELDS_LISTED_BESIDE_A_GUESS:  # the guess says enough
            return "LDR101", f"unknown field '{name}'{meant}"
        return "LDR101", f"unknown field '{name}'{meant}; the fields here are {', '.join(nearest_first(name, fields))}"
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
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        model = next(models_in(annotation_at(loc, root)), None)
        if model is not None:
            hint = _mapping_to_write(model, loc, detail.get("input"), data)
    near = ""
    if kind == "literal_error":
        expected = str(detail.get("ctx", {}).get("expected", ""))
        hint = f"one of {expected}"
        if isinstance(detail.get("input"), str):  # `meet`: did you mean 'met'?
            near = suggestion(detail["input"], re.findall(r"'([^']*)'", expected))
    if hint:
        return "LDR103", f"write {hint} (got {given}){near}"
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


def _mapping_to_write(model: type[BaseModel], loc: Loc, given: Any, data: Any) -> str:
    """What to write for a model given as something else (`years: 2-4`, `pay_not_published: true`):
    its keys, and an example with the required ones (`years: {min: 2, max: 4}`)."""
    required = [info.alias or name for name, info in model.model_fields.items() if info.is_required()]
    optional = [info.alias or name for name, info in model.model_fields.items() if not info.is_required()]
    keys = ", ".join(required) + (f" and optionally {', '.join(optional)}" if optional else "")
    sources = data.get("sources") if isinstance(data, dict) else None
    first = sources[0].get("id") if isinstance(sources, list) and sources and isinstance(sources[0], dict) else None
    example = {key: "…" for key in required}
    if "sources" in example:
        example["sources"] = f"[{first if isinstance(first, str) else '…'}]"
    numbers = re.findall(r"[0-9]+", str(given)) if isinstance(given, (str, int)) else []
    if "min" in example:  # typical years: `2-4` is min 2 and max 4, `5+` or `5` is min 5
        example["min"] = numbers[0] if numbers else "2"
        if len(numbers) > 1 or not numbers:
            example["max"] = numbers[1] if numbers else "4"
    written = "{" + ", ".join(f"{key}: {value}" for key, value in example.items()) + "}"
    if loc and isinstance(loc[-1], str):
        written = f"{loc[-1]}: {written}"
    return f"a mapping of {keys}: `{written}`"
