"""What `next` and `path` answer: the promotions out of a rung and what each asks, and the routes of
moves between two positions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from career_ladder.results import PlacedRung, dumped

if TYPE_CHECKING:
    from career_ladder.errors import LadderError
    from career_ladder.models import Point, SalaryFigure, Transition


class PayStep(NamedTuple):
    """Pay on both rungs in one currency, each figure with its sources."""

    currency: str
    now: list[SalaryFigure]
    then: list[SalaryFigure]


class AreaChange(NamedTuple):
    """A competency area in which the next rung expects something the current one does not."""

    area: str
    name: str
    now: list[Point]
    then: list[Point]


class Promotion(NamedTuple):
    """One rung a promotion leads to, and what it asks beyond the current rung."""

    move: Transition
    target: PlacedRung
    signals: list[Point]  # readiness for this move: its own signals (the rung's too, if it is the only one)
    responsibilities: list[Point]  # the target's that the current rung does not list
    skills: list[Point]
    pay: list[PayStep]  # a currency each in which both rungs have figures
    unpaired: list[str]  # currencies only one of the two rungs has figures in
    areas: list[AreaChange]  # the competency areas where the expectations change

    def record(self) -> dict[str, Any]:
        return {
            "to": self.target.ref,
            "title": self.target.rung.title,
            "level": self.target.rung.level,
            "move_sources": list(self.move.sources),
            "signals": dumped(self.signals),
            "adds_responsibilities": dumped(self.responsibilities),
            "adds_skills": dumped(self.skills),
            "pay": [
                {"currency": step.currency, "now": dumped(step.now), "next": dumped(step.then)} for step in self.pay
            ],
            "pay_in_one_rung_only": self.unpaired,
            "expectations": [
                {"area": a.area, "name": a.name, "now": dumped(a.now), "next": dumped(a.then)} for a in self.areas
            ],
        }


class NextView(NamedTuple):
    current: PlacedRung
    promotions: list[Promotion]
    rung_signals: Sequence[Point] = ()  # the rung's readiness signals that no one of its promotions gives

    def to_dict(self) -> dict[str, Any]:
        return {
            "ladder": self.current.ladder,
            "rung": self.current.rung.id,
            "title": self.current.rung.title,
            "promotions": [p.record() for p in self.promotions],
            "rung_signals": dumped(list(self.rung_signals)),
        }


class Position(NamedTuple):
    """A place in the graph of moves: a rung (by the ref of the rung itself), a way in, or a role outside."""

    key: str  # `pm:director`, `entry:pm:new-graduate`, `exit:generalmanager`
    label: str
    kind: str  # rung, entry, exit


class Move(NamedTuple):
    start: Position
    end: Position
    kind: str  # promotion, lateral, entry, exit
    signals: list[Point]
    sources: list[str]

    def record(self) -> dict[str, Any]:
        return {
            "from": self.start.key,
            "from_label": self.start.label,
            "to": self.end.key,
            "to_label": self.end.label,
            "kind": self.kind,
            "signals": dumped(self.signals),
            "sources": self.sources,
        }


class Routes(NamedTuple):
    start: list[Position]
    end: list[Position]
    routes: list[list[Move]]  # shortest first
    skipped: list[LadderError]
    readings: Sequence[str] = ()  # for a rung id of several ladders: the one read, and how to name the others

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": [p.key for p in self.start],
            "to": [p.key for p in self.end],
            "routes": [{"moves": [move.record() for move in route]} for route in self.routes],
            "readings": list(self.readings),
        }
