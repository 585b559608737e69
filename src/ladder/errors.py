"""The project's error types: each carries what a user needs to see, in one line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

# Characters that can drive a terminal or reorder what it shows: C0 and C1 controls (tab and
# newline aside), DEL, the bidirectional overrides and isolates, and the line/paragraph separators.
_UNSAFE = r"\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
UNSAFE_CHARACTERS = re.compile(rf"[\x00-\x08\x0b-\x1f{_UNSAFE}]")
_UNSAFE_OR_LAYOUT = re.compile(rf"[\x00-\x1f{_UNSAFE}]")


def printable(text: str) -> str:
    """`text` with every unsafe character (and tab or newline) shown escaped: for one-line messages."""
    return _UNSAFE_OR_LAYOUT.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def clean(text: str) -> str:
    """`text` with every unsafe character removed: for tables, which may wrap but not be driven."""
    return UNSAFE_CHARACTERS.sub("", text)


class Problem(NamedTuple):
    """One thing wrong with one file, at a place a reader can go to."""

    path: str
    line: int
    column: int
    code: str
    field: str
    message: str

    def __str__(self) -> str:
        field = f"{self.field}: " if self.field else ""
        return printable(f"{self.path}:{self.line}:{self.column}: {self.code}: {field}{self.message}")

    def as_dict(self) -> dict[str, str | int]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "field": self.field,
            "message": self.message,
        }


class LadderError(Exception):
    """An error the user can cause and fix; shown as one line, never as a traceback."""


class InvalidLadder(LadderError):
    """A ladder file that cannot be used, with every problem found in it."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = sorted(problems)
        more = len(self.problems) - 1
        suffix = f" (and {more} more: run `ladder validate {path}`)" if more else ""
        super().__init__(f"{self.problems[0]}{suffix}")


class NotFound(LadderError):
    """A name that matches no ladder or rung."""


class Ambiguous(LadderError):
    """A name that fits more than one ladder or rung."""


class BadArgument(LadderError):
    """An argument no ladder or rung could ever have: empty, or absurdly long (a usage error)."""
