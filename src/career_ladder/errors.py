"""The project's error types: each carries what a user needs to see, in one line."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

# Where a value stands in a ladder file: keys and list positions from the top (`rungs`, 2, `title`).
Loc = tuple[str | int, ...]

# Characters that can drive a terminal or reorder what it shows: C0 and C1 controls (tab and
# newline aside), DEL, the bidirectional overrides and isolates, and the line/paragraph separators.
# None of them is printable (`str.isprintable`, a fast C scan), so printable text is never
# searched; the rest goes through str.translate tables, which need no regex compiled at start-up.
_UNSAFE = [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]
_UNSAFE += [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029]
_UNSAFE += [0xFFFE, 0xFFFF]  # no character at all: no XML (a workbook, a page) may hold them
# A file name or argument that is not UTF-8 reaches Python with each bad byte as a lone surrogate
# (U+DC80 to U+DCFF, PEP 383), which no UTF-8 stream can write: it is shown as the byte, `\xff`.
_SURROGATES = {code: f"\\x{code - 0xDC00:02x}" for code in range(0xDC80, 0xDD00)}
# As Python writes them (`\x1b`, `\u202e`, `\r`), without loading the unicode_escape codec.
_FOR_TERMINAL = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _UNSAFE}
_FOR_TERMINAL.update({0x0D: "\\r", **_SURROGATES})
_ESCAPED = {**_FOR_TERMINAL, 0x09: "\\t", 0x0A: "\\n"}
_AS_JSON = {code: f"\\u{code:04x}" for code in [*_UNSAFE, *_SURROGATES]}


def unsafe_character(text: str) -> str | None:
    if text.isprintable():
        return None
    return next((char for char in text if ord(char) in _FOR_TERMINAL), None)


def printable(text: str) -> str:
    """`text` with every unsafe character (and tab or newline) shown escaped: for one-line messages."""
    return text if text.isprintable() else text.translate(_ESCAPED)


def terminal_safe(text: str) -> str:
    """`text` with every unsafe character shown escaped, tabs and line breaks kept: for tables,
    which may wrap but not be driven. Only file names and arguments can hold such characters."""
    return text if text.isprintable() else text.translate(_FOR_TERMINAL)


def json_escaped(text: str) -> str:
    """JSON text with every unsafe character as a `\\u` escape (JSON itself escapes only C0 controls)."""
    return text if text.isprintable() else text.translate(_AS_JSON)


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
        return self._asdict()


class LadderError(Exception):
    """An error the user can cause and fix, shown as one line; `skipped`: the broken ladders a
    command passed over before it failed, to be warned of too."""

    def __init__(self, message: str, skipped: Sequence[LadderError] = ()) -> None:
        super().__init__(message)
        self.skipped = list(skipped)


class InvalidLadder(LadderError):
    """A ladder file that cannot be used, with every problem found in it."""

    def __init__(self, path: Path, problems: list[Problem], lists_all: str = "ladder validate") -> None:
        self.path = path
        self.problems = sorted(problems)
        more = len(self.problems) - 1
        suffix = f" (and {more} more: run `{lists_all} {path}`)" if more else ""
        super().__init__(f"{self.problems[0]}{suffix}")

    @classmethod
    def at(cls, path: Path, problems: list[Problem]) -> InvalidLadder:
        """The problems the store kept for a file, told at the path it is named by now."""
        return cls(path, [problem._replace(path=str(path)) for problem in problems])

    @property
    def unreadable(self) -> bool:
        """The file could not be read at all (LDR001): next time it may be, so this is never cached."""
        return any(problem.code == "LDR001" for problem in self.problems)


class NotFound(LadderError):
    """A name that matches no ladder or rung."""


class Ambiguous(LadderError):
    """A name that fits more than one ladder or rung."""


class BadArgument(LadderError):
    """An argument no ladder or rung could ever have: empty, or absurdly long (a usage error)."""


def env_flag(name: str) -> bool:
    """Whether a switch such as `LADDER_DEBUG` is on: set, and not empty, 0, false, no or off."""
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no", "off")


def debug_note(message: str) -> None:
    """A line on stderr under LADDER_DEBUG: what was mended on the way, for a test or a bug report."""
    if env_flag("LADDER_DEBUG"):
        sys.stderr.write(f"ladder: debug: {printable(message)}\n")
