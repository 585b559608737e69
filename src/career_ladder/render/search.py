"""`search`: the statements that match, best first, with where each stands and its sources."""

from __future__ import annotations

from typing import IO

from career_ladder.render.output import Column, Marked, render
from career_ladder.results import Format
from career_ladder.results.search import SearchResult

SEARCH_COLUMNS = [Column("where", "Where"), Column("marked", "What it says"), Column("sources", "Sources")]
SEARCH_CSV = [Column(k, k) for k in ("ladder", "place", "text", "sources")]


def render_search(result: SearchResult, fmt: Format, out: IO[str]) -> None:
    """A row per statement; the words found stand out in a table (on a terminal) and in markdown."""
    rows = [{**hit.record(), "where": hit.where, "marked": Marked(hit.text, hit.spans)} for hit in result.hits]
    columns = SEARCH_CSV if fmt is Format.csv else SEARCH_COLUMNS
    render(rows, columns, fmt, out, total=result.total, full=result.to_dict)
