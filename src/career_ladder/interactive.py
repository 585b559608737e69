"""`ladder assess` on a terminal: the menu of targets when a rung leads to several, and the walk
through an assessment's items, one answer at a time, each written to the file before the next
question (so Ctrl-C or a closed terminal loses nothing). The CLI's side: the library never asks.

Everything the data or the file holds is shown through `printable`: no control character reaches
the terminal, and nothing here goes through rich, so nothing is read as markup.
"""

from __future__ import annotations

import signal
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from career_ladder.errors import LadderError, printable
from career_ladder.terminal import ExitCode

if TYPE_CHECKING:
    from career_ladder.api import Ladders
    from career_ladder.assessment import Assessment, Item, Status
    from career_ladder.results import Started
    from career_ladder.results.moves import Promotion

ANSWERS: dict[str, Status] = {"m": "met", "p": "partly", "n": "not-yet"}
MENU = "m met, p partly, n not yet, s skip (Enter), b back, q quit: "


def at_terminal() -> bool:
    """Whether someone can answer: standard input and output are both a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _answer(prompt: str) -> str:
    """One line typed after `prompt`, without its end; EOFError when input has ended."""
    typer.echo(prompt, nl=False)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def chosen_target(current: str, promotions: list[Promotion]) -> str | None:
    """The rung a person aims for, asked from a numbered menu when `current` leads to several of
    `promotions` (those with something to assess); None when it leads to one. Ends the command
    (exit 2, 130 on Ctrl-C) when none is chosen."""
    if len(promotions) < 2:
        return None
    typer.echo(f"'{printable(current)}' leads to {len(promotions)} rungs: which one do you aim for?")
    for number, promotion in enumerate(promotions, 1):
        rung = promotion.target.rung
        typer.echo(f"  {number}  {rung.id}: {printable(rung.title)}")
    try:
        while True:
            answer = _answer(f"target (1-{len(promotions)}, q to quit): ").strip()
            if answer.isdigit() and 1 <= int(answer) <= len(promotions):
                return promotions[int(answer) - 1].target.rung.id
            if answer.lower() == "q":
                break
            typer.echo(f"? answer a number from 1 to {len(promotions)}, or q")
    except EOFError:
        typer.echo("")
    except KeyboardInterrupt:
        typer.echo("")
        typer.echo("ladder: interrupted: nothing written", err=True)
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    typer.echo("ladder: no target chosen: nothing written (name one with --target)", err=True)
    raise typer.Exit(ExitCode.USAGE)


def statuses_text(assessment: Assessment) -> str:
    """How many items stand where: `3 met, 1 partly, 0 not-yet, 35 not-assessed`."""
    statuses = Counter(item.status for item in assessment.items)
    return ", ".join(f"{statuses[status]} {status}" for status in ("met", "partly", "not-yet", "not-assessed"))


def assessed(assessment: Assessment) -> int:
    return sum(item.status != "not-assessed" for item in assessment.items)


class Hangup(Exception):
    """The terminal closed (SIGHUP): end as Ctrl-C does, a file write under way undone."""


@contextmanager
def _hangup_ends_the_walk() -> Iterator[None]:
    def hung_up(signum: int, frame: object) -> None:
        raise Hangup

    sighup = getattr(signal, "SIGHUP", None)
    before = signal.signal(sighup, hung_up) if sighup is not None else None
    try:
        yield
    finally:
        if sighup is not None:
            signal.signal(sighup, before)


class Walk:
    """One pass through an assessment's items, from the first not assessed yet; every answer is
    written to the file before the next question."""

    def __init__(self, ladders: Ladders, started: Started, again: str) -> None:
        self.ladders = ladders
        self.assessment = started.assessment
        self.path = started.path
        self.shown = printable(str(started.path))
        self.again = again  # the command that goes on from here
        items = self.assessment.items
        self.index = next((i for i, item in enumerate(items) if item.status == "not-assessed"), 0)
        if all(item.status != "not-assessed" for item in items):
            typer.echo("every item is assessed already: from the first, to look them over (q to quit)")

    def run(self) -> None:
        """Ask until the last item is passed, `q`, end of input or Ctrl-C; say where the file stands."""
        try:
            with _hangup_ends_the_walk():
                while self.index < len(self.assessment.items):
                    if not self.ask(self.assessment.items[self.index]):
                        typer.echo(f"stopped at item {self.index + 1} of {len(self.assessment.items)}: {self.holds()}")
                        return
        except (KeyboardInterrupt, EOFError, Hangup) as stop:
            if isinstance(stop, Hangup):
                raise typer.Exit(ExitCode.INTERRUPTED) from None  # no terminal left to tell
            typer.echo("")
            typer.echo(f"ladder: stopped: {self.holds()}", err=True)
            raise typer.Exit(ExitCode.INTERRUPTED if isinstance(stop, KeyboardInterrupt) else ExitCode.OK) from None
        typer.echo(f"done: {len(self.assessment.items)} items ({statuses_text(self.assessment)}) in {self.shown}")
        left = len(self.assessment.items) - assessed(self.assessment)
        if left:
            typer.echo(f"{left} not assessed yet: `{self.again}` goes back to the first of them")
        typer.echo(f"next: ladder readiness {self.shown}")

    def holds(self) -> str:
        done, total = assessed(self.assessment), len(self.assessment.items)
        return f"{self.shown} holds your answers ({done} of {total} assessed); go on with `{self.again}`"

    def ask(self, item: Item) -> bool:
        """Show `item` and take one answer; False to quit."""
        self.show(item)
        while True:
            answer = _answer(MENU).strip().lower()
            if answer in ("", "s"):
                self.index += 1
                return True
            if answer == "q":
                return False
            if answer == "b":
                if self.index == 0:
                    typer.echo("? this is the first item")
                    continue
                self.index -= 1
                return True
            if answer in ANSWERS:
                self.record(item.key, ANSWERS[answer])
                self.index += 1
                return True
            typer.echo("? answer m, p, n, s, b or q")

    def show(self, item: Item) -> None:
        where = f"{item.section}, {item.area}" if item.area else item.section
        typer.echo("")
        typer.echo(f"item {self.index + 1} of {len(self.assessment.items)} ({where})")
        typer.echo(f"  {printable(item.text)}")
        if item.sources:
            typer.echo(f"  sources: {printable(', '.join(item.sources))}")
        typer.echo(f"  status: {item.status}")
        for line in item.evidence:
            typer.echo(f"  evidence: {printable(line)}")

    def record(self, key: str, status: Status) -> None:
        """Write `status`, then each line of evidence typed, until an empty line."""
        from career_ladder.assessment import answered

        self.save(answered(self.assessment, key, status))
        typer.echo("evidence to add, a sentence or a link a line (an empty line ends):")
        while line := _answer("> ").strip():
            try:
                self.save(answered(self.assessment, key, status, [line]))
            except LadderError as error:
                typer.echo(f"? {printable(str(error))}")
        evidence = len(self.assessment.items[self.index].evidence)
        typer.echo(f"saved: {status}, {evidence} evidence")

    def save(self, assessment: Assessment) -> None:
        self.ladders.save_assessment(assessment, self.path)
        self.assessment = assessment
