"""The types of single values in a ladder file (an id, a text, an amount, a date as written) and the
rules each keeps, with its `LDR` code; `models.py` builds the records of a file from them."""

import datetime
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, Strict, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from career_ladder.errors import printable, unsafe_character
from career_ladder.names import SLUG

Slug = Annotated[str, StringConstraints(pattern=f"^{SLUG}$", max_length=64)]


def _safe_text(text: str) -> str:
    found = unsafe_character(text)
    if found is not None:
        raise PydanticCustomError(
            "LDR104",
            "text holds the control or direction character {char}, which could drive a terminal",
            {"char": printable(found)},
        )
    return text


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), AfterValidator(_safe_text)
]
Count = Annotated[int, Strict()]
MAX_AMOUNT = 1e12
# A rung in this ladder (`senior-pm`) or in another one (`pm:director`).
RungRef = Annotated[str, StringConstraints(pattern=f"^({SLUG}:)?{SLUG}$", max_length=129)]
SourceIds = Annotated[list[Slug], Field(min_length=1)]


def _whole_as_int(amount: float) -> int | float:
    return int(amount) if amount.is_integer() else amount


def number_text(amount: float) -> str:
    return f"{_whole_as_int(amount):,}"


# Written out as 83350, not 83350.0, in every output format. No pay is a trillion a year: a figure
# past that (1e300) is a typo.
Amount = Annotated[
    float,
    Strict(),
    Field(allow_inf_nan=False, le=MAX_AMOUNT),
    PlainSerializer(_whole_as_int, return_type=int | float),
]


def _date_as_written(value: Any) -> str:
    """A date (2024-01-31, quoted or not) or a year alone (2024), kept as written; never a number
    of seconds or days read as a date, as pydantic's lax mode would."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str) and _YEAR_OR_DATE.fullmatch(value):
        if len(value) > 4:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                raise PydanticCustomError("LDR103", "'{value}' is no date in the calendar", {"value": value}) from None
        return value
    raise PydanticCustomError(
        "LDR103", "a date is written 2024-01-31, or a year alone as 2024 (got {value})", {"value": repr(value)}
    )


_YEAR_OR_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}-[0-9]{2})?")
DateAsWritten = Annotated[
    str,
    BeforeValidator(_date_as_written),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": f"^{_YEAR_OR_DATE.pattern}$"}, {"type": "integer"}]}),
]
