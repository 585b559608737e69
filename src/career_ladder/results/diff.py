"""What `diff` answers: the changes from one version of a ladder file to another, as data."""

from __future__ import annotations

from typing import Any, NamedTuple


class Change(NamedTuple):
    where: str  # `rungs[director].level`
    change: str  # added, removed, changed
    before: Any
    after: Any
    currency: str | None = None  # of the figure whose amount changed, to write it as people do

    def record(self) -> dict[str, Any]:
        return {"where": self.where, "change": self.change, "before": self.before, "after": self.after}


class LadderDiff(NamedTuple):
    old: str
    new: str
    changes: list[Change]

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "equal": not self.changes,
            "changes": [change.record() for change in self.changes],
        }
