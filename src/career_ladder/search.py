"""`ladder search`: ranked full-text search over everything the ladders say.

The statements are the store's (`statements` says what is stored of each): kept in step with the
files by the overview, an overlay's as merged. SQLite's FTS5 matches and ranks (bm25), and says
which words matched (`highlight`).
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Sequence

from career_ladder.catalog import Catalog
from career_ladder.errors import BadArgument, LadderError, NotFound, printable
from career_ladder.names import MAX_NAME, normalized
from career_ladder.queries import ladder_id
from career_ladder.results.knowledge import PLACE_SEPARATOR
from career_ladder.results.search import Hit, SearchResult
from career_ladder.statements import fold, folded

MAX_WORDS = 20


def search(catalog: Catalog, words: Sequence[str], ladder: str | None = None, limit: int = 0) -> SearchResult:
    """Every statement holding all of `words` (each may be a phrase), best first; the first `limit`
    (0: all). NotFound when none does."""
    for word in words:
        if not normalized(word):
            raise BadArgument(f"a search word needs letters or digits, got '{printable(word)}'")
        if len(word) > MAX_NAME:
            raise BadArgument(f"a search word is at most {MAX_NAME} characters, got {len(word)}")
    if not words or len(words) > MAX_WORDS:
        raise BadArgument(f"search takes 1 to {MAX_WORDS} words, got {len(words)}")
    overview = catalog.overview()
    skipped: list[LadderError] = list(overview.broken)
    wanted = ladder_id(catalog, ladder) if ladder else None
    borrowed = _borrowed(catalog, wanted, skipped) if wanted else {}
    match = _match(words)
    scope = {wanted, *borrowed} if wanted else None
    try:
        hits, total = _hits(catalog, match, scope, borrowed, limit)
    except sqlite3.Error as error:  # a damaged store: made anew, and asked again
        catalog.store_failed(error)
        hits, total = _hits(catalog, match, scope, borrowed, limit)
    if not total:
        where = f" in ladder '{wanted}'" if wanted else ""
        raise NotFound(f"nothing{where} says {' '.join(printable(repr(w)) for w in words)}", skipped)
    return SearchResult(list(words), hits, total, skipped)


def _hits(
    catalog: Catalog,
    match: str,
    scope: set[str] | None,
    borrowed: dict[str, set[str]],
    limit: int,
) -> tuple[list[Hit], int]:
    """The store's statements matching `match`, of the ladders in `scope` (None: every ladder that
    counts; of a borrowing ladder's homes, only the rungs borrowed); the first `limit`, and how many."""
    overview = catalog.overview()
    store = catalog.store
    if scope is None:
        found, total = store.search(match, limit)
    else:
        store.scope(overview.rows[i] for i in scope if i in overview.rows)
        try:
            found, total = store.search(match, 0)
        finally:  # the next question of this catalog looks at every ladder again
            store.scope(overview.rows.values())
        found = [row for row in found if row[1] not in borrowed or _under(row[2], borrowed[row[1]])]
        total, found = len(found), found[:limit] if limit else found
    return [
        Hit(ladder, place, text, sources.split(",") if sources else [], _spans(text, store.marked(match, searched)))
        for searched, ladder, place, sources, text in found
    ], total


def _borrowed(catalog: Catalog, ladder: str, skipped: list[LadderError]) -> dict[str, set[str]]:
    """The rungs `ladder` shares from other ladders, by the ladder that writes them."""
    from career_ladder.models import SharedRung

    found: dict[str, set[str]] = {}
    for entry in catalog.ladder(ladder).rungs:
        if isinstance(entry, SharedRung):
            try:
                home, rung = catalog.shared_rung(entry.shared)
            except LadderError as error:
                skipped.append(error)
                continue
            found.setdefault(home, set()).add(rung.id)
    return found


def _under(place: str, rungs: set[str]) -> bool:
    """Whether `place` is one of `rungs` or inside one."""
    start = f"rungs{PLACE_SEPARATOR}"
    return place.startswith(start) and place[len(start) :].split(PLACE_SEPARATOR)[0] in rungs


# The words a question is asked with, left out of a search that has other words: `how to become a
# TPM` searches `become TPM`. A phrase in quotes keeps them.
QUESTION_WORDS = frozenset(
    {"a", "an", "and", "are", "can", "do", "does", "did", "for", "how", "i", "in", "is", "many", "much", "my", "of"}
    | {"on", "often", "should", "the", "to", "what", "when", "where", "which", "who", "why", "with"}
)


def _match(words: Sequence[str]) -> str:
    """An FTS5 query: each word or phrase, folded, as a phrase of its own, all of them required but
    the words of a question."""
    kept = [word for word in words if fold(word).strip() not in QUESTION_WORDS] or list(words)
    # NUL would end the query for SQLite; to the tokenizer it only parts words, as a space does.
    return " ".join('"' + fold(word).replace('"', '""').replace("\x00", " ") + '"' for word in kept)


def _spans(text: str, marked: str) -> list[tuple[int, int]]:
    """Where the words matched in `text`, as (start, end) offsets into it, in order: `marked` is its
    folded form with each match between U+0002 and U+0003 (FTS5's `highlight`; the data holds no
    control characters), so a word matched by another of its forms (`reviews` for `review`) is
    the one marked."""
    _, origin = folded(text)
    spans: list[tuple[int, int]] = []
    position = 0  # in the folded text
    start = 0
    for char in marked:
        if char == "\x02":
            start = position
        elif char == "\x03":
            if position > start:
                end = origin[position - 1] + 1
                while end < len(text) and unicodedata.combining(text[end]):  # an accent written apart stays on
                    end += 1
                spans.append((origin[start], end))
        else:
            position += 1
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
