"""How amounts and rungs are written for people, in tables and notes alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from career_ladder.currencies import figure_text

if TYPE_CHECKING:
    from career_ladder.models import NotPublished, OutlookScore, SalaryFigure, Years
    from career_ladder.results import PlacedRung

NO_FIGURE = "no figure in the sources"
KIND_NAMES = {"individual-contributor": "individual contributor", "people-leader": "people leader"}
COVERS = {"base": "base pay", "total": "total pay", "not-stated": "not stated"}


def period_text(figure: SalaryFigure) -> str:
    return "a year" if figure.period == "year" else "(period not stated)"


def salary_cell(placed: PlacedRung, notes: dict[str, int] | None = None, origins: Sequence[str] = ()) -> str:
    """Each figure of a rung with its sources (and its one of `origins`), its note marked `(note N)` as
    numbered in `notes` (an invented figure says so where it is shown); else why there is none."""
    figures = placed.rung.salary
    if figures:
        froms = [f" (from {origin})" for origin in origins] or [""] * len(figures)
        lines = zip(figures, froms, strict=True)
        return "\n".join(f"{figure_text(f)} [{', '.join(f.sources)}]{at}{note_mark(f, notes)}" for f, at in lines)
    return unpublished_text(placed.pay_not_published) if placed.pay_not_published else NO_FIGURE


def note_mark(figure: SalaryFigure, notes: dict[str, int] | None) -> str:
    """`(note 2)`, on a line of its own, after a figure with a note, the same number for the same
    note; nothing where there is no list of notes to add it to (csv)."""
    if not figure.note or notes is None:
        return ""
    return f"\n(note {notes.setdefault(figure.note, len(notes) + 1)})"


def note_lines(notes: dict[str, int]) -> list[str]:
    """The notes the marks of a table stand for, to print under it."""
    return [f"Note {number}: {note}" for note, number in notes.items()]


def no_figure_text(placed: PlacedRung | None) -> str:
    """Why a rung has no figure: its pay is not published (by whom), or the sources give none."""
    statement = placed.pay_not_published if placed else None
    return f"not published by {statement.by}" if statement else NO_FIGURE


def unpublished_text(statement: NotPublished) -> str:
    return f"not published by {statement.by} [{', '.join(statement.sources)}]"


def years_text(years: Years | None) -> str:
    """Typical experience as people write it: `4–8 years`, `6+ years`."""
    if years is None:
        return ""
    if years.max is None:
        return f"{years.min}+ years"
    if years.max == years.min:
        return f"{years.min} year{'s' * (years.min != 1)}"
    return f"{years.min}–{years.max} years"


SHORT_ALIAS = 10  # the longest alias that stands beside a title as its abbreviation (APM, Sr PM)


def short_alias(placed: PlacedRung) -> str:
    return next((alias for alias in placed.rung.aliases if len(alias) <= SHORT_ALIAS), "")


def figure_facts(figure: SalaryFigure) -> list[str]:
    """What a source says of a figure besides its amounts, each said even where it is not stated."""
    return [
        figure.region or "region not stated",
        f"as of {figure.as_of}" if figure.as_of else "year not stated",
        COVERS[figure.covers] if figure.covers != "not-stated" else "pay basis not stated",
    ]


def listed_names(names: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def ratio_text(product_managers: int, engineers: int) -> str:
    return (
        f"{product_managers} product manager{'s' * (product_managers != 1)} "
        f"to {engineers} engineer{'s' * (engineers != 1)}"
    )


def outlook_scale(scores: Sequence[OutlookScore]) -> tuple[int, bool]:
    """What outlook bars are drawn against: the scale, where the source states one for every
    factor; else the highest score given (and False: no scale stated)."""
    stated = all(score.out_of is not None for score in scores)
    top = max((score.out_of or score.score) for score in scores) if stated else max(s.score for s in scores)
    return top, stated


def rung_label(placed: PlacedRung) -> str:
    """Title (abbreviation: its first alias of at most 10 characters, APM, Sr PM), with markers for
    optional and shared rungs."""
    short = short_alias(placed)
    label = f"{placed.rung.title} ({short})" if short else placed.rung.title
    if placed.rung.optional:
        label += "\n[optional]"
    if placed.shared_from:
        label += f"\n[shared: {placed.shared_from}]"
    return label
