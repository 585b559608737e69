"""What `readiness` and `assess diff` answer: where a person stands against a rung, what moved
between two assessments, and how many people meet each expectation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from career_ladder.results import ItemChanges, PlacedRung

if TYPE_CHECKING:
    from career_ladder.assessment import Assessment, Item
    from career_ladder.models import Source

STATUSES = ("met", "partly", "not-yet", "not-assessed")


def counted(items: list[Item]) -> dict[str, int]:
    """How many of `items` stand at each status, every status named."""
    counts = dict.fromkeys(STATUSES, 0)
    for item in items:
        counts[item.status] += 1
    return counts


def _item(item: Item) -> dict[str, Any]:
    return item.model_dump(mode="json", exclude_none=True)


class Standing(NamedTuple):
    """How the items of one section (or one competency area) stand."""

    section: str
    area: str | None
    name: str  # as a reader knows it: "Responsibilities", or an area's name ("Execution")
    counts: dict[str, int]

    def record(self) -> dict[str, Any]:
        return {"section": self.section, "area": self.area, "name": self.name, **self.counts}


class Gap(NamedTuple):
    """An item not met yet, with the readiness signals of the move that speak to it."""

    item: Item
    signals: list[Item]

    def record(self) -> dict[str, Any]:
        return {**_item(self.item), "signals": [signal.key for signal in self.signals]}


class Progress(NamedTuple):
    """What moved from one assessment to a later one of the same target (`--since`, `assess diff`)."""

    old: str  # the files as named
    new: str
    became_met: list[tuple[Item, Item]]  # (then, now)
    changed: list[tuple[Item, Item]]  # another change of status, a step back included
    evidence: list[tuple[Item, list[str]]]  # an item and the evidence it gained
    added: list[Item]  # in the new file only: the ladder asks it since
    removed: list[Item]  # in the old file only

    def rows(self) -> list[dict[str, Any]]:
        """One row per change: what `assess diff` prints in csv, and in json under `changes`."""

        def row(change: str, item: Item, was: str | None, evidence: list[str]) -> dict[str, Any]:
            return {
                "change": change,
                "key": item.key,
                "section": item.section,
                "area": item.area,
                "text": item.text,
                "was": was,
                "now": item.status if change != "removed" else None,
                "evidence": evidence,
            }

        rows = [row("met", now, then.status, []) for then, now in self.became_met]
        rows += [row("status", now, then.status, []) for then, now in self.changed]
        rows += [row("evidence", item, None, added) for item, added in self.evidence]
        rows += [row("added", item, None, list(item.evidence)) for item in self.added]
        rows += [row("removed", item, item.status, []) for item in self.removed]
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "changes": self.rows()}


class Readiness(NamedTuple):
    """Where the person of one assessment stands against its target rung, as the ladder asks today."""

    path: str
    assessment: Assessment
    current: PlacedRung
    target: PlacedRung
    standings: list[Standing]
    gaps: list[Gap]  # not yet, then partly; what the current rung asks too left out
    carried: list[Item]  # items the current rung asks as well: folded away
    changes: ItemChanges  # what the ladder asks differently since the file was written
    verdict: str
    sources: list[Source]  # of the ladders whose rungs the items come from
    progress: Progress | None = None

    def items(self, status: str) -> list[Item]:
        """The items at `status` that the current rung does not ask too, in the file's order."""
        carried = {item.key for item in self.carried}
        return [item for item in self.assessment.items if item.status == status and item.key not in carried]

    def to_dict(self) -> dict[str, Any]:
        assessment = self.assessment
        data = {
            "file": self.path,
            "ladder": assessment.ladder,
            "rung": assessment.rung,
            "rung_title": self.current.rung.title,
            "target": assessment.target,
            "target_title": self.target.rung.title,
            "date": assessment.date,
            "name": assessment.name,
            "counts": counted(assessment.items),
            "standings": [standing.record() for standing in self.standings],
            "gaps": [gap.record() for gap in self.gaps],
            "met": [_item(item) for item in self.items("met")],
            "not_assessed": [_item(item) for item in self.items("not-assessed")],
            "carried_over": [_item(item) for item in self.carried],
            "ladder_changes": {
                "new": [_item(item) for item in self.changes.new],
                "removed": [_item(item) for item in self.changes.removed],
                "reworded": [{"was": _item(was), "now": _item(now)} for was, now in self.changes.reworded],
            },
            "verdict": self.verdict,
            "sources": [source.model_dump(mode="json", exclude_none=True) for source in self.sources],
        }
        if self.progress is not None:
            data["since"] = self.progress.to_dict()
        return data


class Tally(NamedTuple):
    """One expectation across many assessments: how many people stand where, and who when asked."""

    key: str
    section: str
    area: str | None
    text: str
    counts: dict[str, int]
    names: dict[str, list[str]]  # by status; empty unless names were asked for

    def record(self) -> dict[str, Any]:
        data = {"key": self.key, "section": self.section, "area": self.area, "text": self.text, **self.counts}
        return data | ({"names": self.names} if self.names else {})


class Calibration(NamedTuple):
    """The assessments of one ladder and target rung in a folder, expectation by expectation."""

    ladder: str
    target: str
    people: int
    tallies: list[Tally]
    area_names: dict[str, str]  # the ladder's competency areas, id to name (none when it is gone)

    def record(self) -> dict[str, Any]:
        return {
            "ladder": self.ladder,
            "target": self.target,
            "people": self.people,
            "expectations": [tally.record() for tally in self.tallies],
        }


class Calibrations(NamedTuple):
    """`readiness DIR`: every assessment in a folder, grouped by ladder and target."""

    folder: str
    files: int
    groups: list[Calibration]

    def to_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "files": self.files, "groups": [group.record() for group in self.groups]}
