"""What `search` answers: the statements that hold the words, best first, and where they matched."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from career_ladder.results.knowledge import PLACE_SEPARATOR

if TYPE_CHECKING:
    from career_ladder.errors import LadderError


class Hit(NamedTuple):
    ladder: str
    place: str  # where in the ladder: `rungs > senior-pm > signals > 2`, with U+203A for `>`
    text: str
    sources: list[str]
    spans: list[tuple[int, int]]  # where the words matched in `text`

    @property
    def where(self) -> str:
        return f"{self.ladder}{PLACE_SEPARATOR}{self.place}"

    def record(self) -> dict[str, Any]:
        record = self._asdict()
        record["matches"] = [list(span) for span in record.pop("spans")]
        return record


class SearchResult(NamedTuple):
    words: list[str]
    hits: list[Hit]  # the first ones, best first, when the caller asked for a limit
    total: int
    skipped: list[LadderError]

    def to_dict(self) -> dict[str, Any]:
        return {"words": self.words, "total": self.total, "hits": [hit.record() for hit in self.hits]}
