"""The project's error types: each carries what a user needs to see, in one line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with every control character shown escaped, so it cannot drive the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Problem:
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
