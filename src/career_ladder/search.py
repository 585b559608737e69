"""`ladder search`: ranked full-text search over everything the ladders say.

The statements live in their own SQLite file beside the index (`search.sqlite3`), made on the first
search and kept in step with the files: before each search, every ladder that counts is looked at
(the overview's stat of it) and one whose stat differs from the one its statements were read at is
read again. A statement that is the same in many files (a copied ladder, a shared text) is stored
once, with the files it stands in, so matching and ranking look at each statement once.
SQLite's FTS5 matches and ranks (bm25); its porter tokenizer over unicode61 folds case and accents
and matches a word's other forms (`review` finds `reviews`), and FTS5 itself says which words
matched (`highlight`). Any error from the file means it is thrown away and made anew (in memory if
it cannot be written).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from career_ladder import cache
from career_ladder.catalog import Catalog, read_ladder_file
from career_ladder.errors import BadArgument, InvalidLadder, LadderError, NotFound, debug_note, printable
from career_ladder.index import busy
from career_ladder.knowledge import facts
from career_ladder.names import MAX_NAME, normalized
from career_ladder.queries import ladder_id
from career_ladder.results.knowledge import PLACE_SEPARATOR, Fact
from career_ladder.results.search import Hit, SearchResult

if TYPE_CHECKING:
    from career_ladder.models import Ladder
    from career_ladder.overview import Overview

SEARCH_FORMAT = f"{cache.CACHE_FORMAT}/search-5"
_TABLES = (
    "CREATE TABLE meta (format TEXT NOT NULL)",
    "CREATE TABLE file (id INTEGER PRIMARY KEY, path BLOB UNIQUE NOT NULL, size INTEGER, mtime_ns INTEGER,"
    " ino INTEGER, ctime_ns INTEGER, ladder TEXT NOT NULL)",
    # `folded` and `folded_about` are what is searched: the text with compatibility forms, case and
    # accents folded character by character (`ß` is `ss`, `ﬁ` is `fi`), so that a place in it is a
    # place in the text; and the words of the place (`director strategy` finds what the director
    # rung says of strategy, a list position is no word), with `terms`, the words a statement stands
    # for beyond its text (a ratio's figures, `1:10`).
    "CREATE TABLE fact (id INTEGER PRIMARY KEY, place TEXT NOT NULL, sources TEXT NOT NULL, text TEXT NOT NULL,"
    " terms TEXT NOT NULL, folded TEXT NOT NULL, folded_about TEXT NOT NULL, UNIQUE (text, place, sources, terms))",
    "CREATE VIRTUAL TABLE fact_text USING fts5(folded, folded_about, content='fact', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TABLE occurrence (fact INTEGER NOT NULL, file INTEGER NOT NULL, PRIMARY KEY (fact, file)) WITHOUT ROWID",
    "CREATE INDEX occurrence_by_file ON occurrence (file)",
)
_DAMAGE = (sqlite3.Error, OSError, ValueError, TypeError, KeyError)
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
    scope = {wanted, *borrowed} if wanted else set(overview.stats)
    current = {lid: _chain_stat(overview, lid) for lid in overview.stats if lid in scope}
    store = _Store.open(catalog, overview)
    try:
        hits, total = store.search(current, _match(words), 0 if wanted else limit)
    finally:
        store.close()
    if wanted:  # the ladder's own statements, and those of the rungs it shares from other ladders
        hits = [hit for hit in hits if hit.ladder == wanted or _under(hit.place, borrowed.get(hit.ladder, set()))]
        total, hits = len(hits), hits[:limit] if limit else hits
    if not total:
        where = f" in ladder '{wanted}'" if wanted else ""
        raise NotFound(f"nothing{where} says {' '.join(printable(repr(w)) for w in words)}", skipped)
    return SearchResult(list(words), hits, total, skipped)


def _chain_stat(overview: Overview, ladder: str) -> tuple[bytes, cache.Stat]:
    """A ladder file's key and stat; an overlay's stat stands for its whole chain (the sizes and
    change times added up, the latest modification), so an edit of the ladder it extends makes its
    merged statements stale too."""
    key, stat = overview.stats[ladder]
    chain, at = [stat], ladder
    while (base := overview.overlays.get(at)) is not None and base != at and base in overview.stats:
        if len(chain) > len(overview.overlays):  # a circle: the overlay does not load anyway
            break
        chain.append(overview.stats[base][1])
        at = base
    if len(chain) == 1:
        return key, stat
    size = sum(s[0] for s in chain)
    ctime = sum(s[3] for s in chain) % 2**62
    return key, (size, max(s[1] for s in chain), stat[2], ctime)


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

# Words people search for a field of a ladder or of a rung with, beyond its name: what a rung earns
# is in its `salary`, the steps into a job say how to become one.
FIELD_WORDS = {
    "salary": "salary pay paid earn",
    "ratios": "ratio",
    "steps": "steps become",
    "entry_points": "entry points ways in become",
    "transitions": "transitions moves promotion",
}


def _match(words: Sequence[str]) -> str:
    """An FTS5 query: each word or phrase, folded, as a phrase of its own, all of them required but
    the words of a question."""
    kept = [word for word in words if fold(word).strip() not in QUESTION_WORDS] or list(words)
    # NUL would end the query for SQLite; to the tokenizer it only parts words, as a space does.
    return " ".join('"' + fold(word).replace('"', '""').replace("\x00", " ") + '"' for word in kept)


def fold(text: str) -> str:
    """Text as it is searched: compatibility forms, case and accents folded."""
    return _folded(text)[0]


def _about(fact: Fact, terms: str) -> str:
    """The words of a statement's place, without list positions (`responsibilities > 20` is no
    word `20`), with the words people search that part by, and its `terms`."""
    parts = [*fact.where, fact.field]
    fields = {0, 2} if parts[0] == "rungs" else {0}  # a field of the ladder, or of a rung (`rungs > pm > salary`)
    words = [
        FIELD_WORDS[part] if index in fields and part in FIELD_WORDS else part.replace("_", " ")
        for index, part in enumerate(parts)
        if not part.isdecimal() and part != "text"
    ]
    return fold(" ".join([*words, terms]))


def _statements(ladder: Ladder) -> Iterator[tuple[Fact, str]]:
    """Every fact of `ladder` with the words it stands for beyond its text: a ratio is found by its
    figures (`1:10`), and stands as its figures when it has no text of its own."""
    terms: dict[tuple[str, ...], str] = {}
    for index, ratio in enumerate(ladder.ratios, 1):
        pms, engineers = ratio.product_managers, ratio.engineers
        where = ("ratios", str(index))
        terms[where] = (
            f"{pms}:{engineers}, {pms} to {engineers}, pm to engineer, {pms} product managers to {engineers} engineers"
        )
        if ratio.text is None:
            figures = (
                f"{pms} product manager{'s' if pms > 1 else ''} to {engineers} engineer{'s' if engineers > 1 else ''}"
            )
            yield Fact(ladder.id, where, "text", figures, list(ratio.sources)), terms[where]
    for fact in facts(ladder):
        yield fact, terms.get(fact.where, "") if fact.field == "text" else ""


class _Store:
    """The search file: its statements kept in step with the ladders that count."""

    def __init__(self, path: Path | None, catalog: Catalog, overview: Overview) -> None:
        self.path = path  # None: in memory
        self.connection = _connected(path)
        self.catalog = catalog
        self.overview = overview

    @classmethod
    def open(cls, catalog: Catalog, overview: Overview) -> _Store:
        if catalog.use_cache and cache.enabled():
            path = cache.cache_dir() / "search.sqlite3"
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                return cls(path, catalog, overview)
            except _DAMAGE as error:
                if not busy(error):
                    debug_note(f"the search file {path} cannot be opened ({error!r}): made anew")
                    _discard(path)
        return cls(None, catalog, overview)

    def close(self) -> None:
        self.connection.close()

    def search(self, current: dict[str, tuple[bytes, cache.Stat]], match: str, limit: int) -> tuple[list[Hit], int]:
        """The hits; a damaged file is thrown away and made anew, a busy or read-only one left to
        its owner while this search is made in memory."""
        try:
            return self._search(current, match, limit)
        except _DAMAGE as error:
            self.connection.close()
            if self.path is not None and not busy(error):
                debug_note(f"the search file {self.path} is damaged ({error!r}): made anew")
                _discard(self.path)
                with contextlib.suppress(*_DAMAGE):
                    self.connection = _connected(self.path)
                    return self._search(current, match, limit)
                self.connection.close()
            self.path = None
            self.connection = _connected(None)
            return self._search(current, match, limit)

    def _search(self, current: dict[str, tuple[bytes, cache.Stat]], match: str, limit: int) -> tuple[list[Hit], int]:
        files, held = self._refreshed(current)  # the files that count, and how many the search file holds
        db = self.connection
        only_current = ""
        if len(files) < held:  # the search file also holds files that do not count now
            db.execute("CREATE TEMP TABLE IF NOT EXISTS current_file (id INTEGER PRIMARY KEY)")
            db.execute("DELETE FROM current_file")
            db.executemany("INSERT INTO current_file VALUES (?)", [(file_id,) for file_id in files])
            only_current = " JOIN current_file ON current_file.id = occurrence.file"
        matching = "SELECT rowid FROM fact_text WHERE fact_text MATCH ?"
        total = db.execute(
            f"SELECT count(*) FROM occurrence{only_current} WHERE occurrence.fact IN ({matching})", (match,)
        ).fetchone()[0]
        ranked = db.execute(
            "SELECT fact.id, fact.place, fact.sources, fact.text FROM fact_text JOIN fact ON fact.id = fact_text.rowid"
            " WHERE fact_text MATCH ? ORDER BY bm25(fact_text)",
            (match,),
        )
        hits: list[Hit] = []
        for fact_id, place, sources, text in ranked:
            ladders = db.execute(
                f"SELECT file.ladder FROM occurrence JOIN file ON file.id = occurrence.file{only_current}"
                " WHERE occurrence.fact = ? ORDER BY file.ladder LIMIT ?",
                (fact_id, limit - len(hits) if limit else -1),
            ).fetchall()
            if not ladders:  # held only by files that do not count now
                continue
            # Marked only for the statements shown: ORDER BY would make `highlight` for every match.
            (marked,) = db.execute(
                "SELECT highlight(fact_text, 0, char(2), char(3)) FROM fact_text WHERE fact_text MATCH ? AND rowid = ?",
                (match, fact_id),
            ).fetchone()
            spans = _spans(text, marked)
            hits += [Hit(lid, place, text, sources.split(",") if sources else [], spans) for (lid,) in ladders]
            if limit and len(hits) >= limit:
                break
        return hits, total

    def _refreshed(self, current: dict[str, tuple[bytes, cache.Stat]]) -> tuple[set[int], int]:
        """Read again the ladders whose statements are missing or older than the file; the ids of
        the files that count, and how many files the search file holds."""
        db = self.connection
        known, files, stale, gone = self._survey(current)
        if not stale and not gone:
            return files, len(known)
        progress = self.catalog.progress
        with db:
            db.execute("BEGIN IMMEDIATE")
            known, files, stale, gone = self._survey(current)  # again: another process may have just done it
            seen: dict[tuple[str, str, str, str], int] = {}
            for deleted in gone:  # deleted files: their statements go with them
                held = {fact for (fact,) in db.execute("SELECT fact FROM occurrence WHERE file = ?", (deleted,))}
                db.execute("DELETE FROM occurrence WHERE file = ?", (deleted,))
                db.execute("DELETE FROM file WHERE id = ?", (deleted,))
                self._forget(held, seen)
            for done, (lid, key, stat) in enumerate(stale, 1):
                file_id = self._stored(lid, key, stat, known, seen)
                if file_id is not None:  # else changed since and broken now: not searched
                    files.add(file_id)
                if progress:
                    progress(done, len(stale))
        held = db.execute("SELECT count(*) FROM file").fetchone()[0]
        return files, held

    def _survey(
        self, current: dict[str, tuple[bytes, cache.Stat]]
    ) -> tuple[dict[bytes, tuple[Any, ...]], set[int], list[tuple[str, bytes, cache.Stat]], list[int]]:
        """What the search file holds of each file, the ids of those up to date, the ladders whose
        statements are missing or stale, and the files deleted since."""
        db = self.connection
        known = {row[0]: row for row in db.execute("SELECT path, id, size, mtime_ns, ino, ctime_ns FROM file")}
        files = {known[key][1] for key, stat in current.values() if key in known and known[key][2:] == stat}
        stale = [(lid, key, stat) for lid, (key, stat) in current.items() if key not in known or known[key][2:] != stat]
        paths = {key for key, _ in current.values()}
        gone = [row[1] for path, row in known.items() if path not in paths and not os.path.lexists(path)]
        return known, files, stale, gone

    def _stored(
        self,
        lid: str,
        key: bytes,
        stat: cache.Stat,
        known: dict[bytes, tuple[Any, ...]],
        seen: dict[tuple[str, str, str, str], int],
    ) -> int | None:
        """Store one ladder's statements; None if it no longer loads (it is then not searched)."""
        db = self.connection
        ladder: Ladder | InvalidLadder
        if lid in self.overview.overlays:  # what it says merged: its own file and what it inherits
            try:
                ladder = self.catalog.ladder(lid)
            except LadderError:
                return None
        else:  # not kept: one at a time
            ladder = read_ladder_file(self.overview.good[lid].path, self.catalog.use_cache)
        if isinstance(ladder, InvalidLadder):
            return None
        held: set[int] = set()
        if key in known:
            file_id = known[key][1]
            held = {fact for (fact,) in db.execute("SELECT fact FROM occurrence WHERE file = ?", (file_id,))}
            db.execute("DELETE FROM occurrence WHERE file = ?", (file_id,))
            db.execute(
                "UPDATE file SET size = ?, mtime_ns = ?, ino = ?, ctime_ns = ?, ladder = ? WHERE id = ?",
                (*stat, lid, file_id),
            )
        else:
            inserted = db.execute(
                "INSERT INTO file (path, size, mtime_ns, ino, ctime_ns, ladder) VALUES (?, ?, ?, ?, ?, ?)",
                (key, *stat, lid),
            )
            file_id = int(inserted.lastrowid or 0)
        occurrences = set()
        for fact, terms in _statements(ladder):
            statement = (fact.text, fact.spot, ",".join(fact.sources), terms)
            if statement not in seen:
                found = db.execute(
                    "SELECT id FROM fact WHERE text = ? AND place = ? AND sources = ? AND terms = ?", statement
                ).fetchone()
                if found is None:
                    folded = (fold(fact.text), _about(fact, terms))
                    new = db.execute(
                        "INSERT INTO fact (text, place, sources, terms, folded, folded_about)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (*statement, *folded),
                    ).lastrowid
                    db.execute("INSERT INTO fact_text (rowid, folded, folded_about) VALUES (?, ?, ?)", (new, *folded))
                    found = (new,)
                seen[statement] = found[0]
            occurrences.add((seen[statement], file_id))
        db.executemany("INSERT INTO occurrence VALUES (?, ?)", occurrences)
        self._forget(held - {fact for fact, _ in occurrences}, seen)
        return int(file_id)

    def _forget(self, facts: set[int], seen: dict[tuple[str, str, str, str], int]) -> None:
        """Delete the statements among `facts` that no file holds any more (edited or deleted)."""
        db = self.connection
        for fact in facts:
            if db.execute("SELECT 1 FROM occurrence WHERE fact = ? LIMIT 1", (fact,)).fetchone():
                continue
            folded = db.execute("SELECT folded, folded_about FROM fact WHERE id = ?", (fact,)).fetchone()
            db.execute(
                "INSERT INTO fact_text (fact_text, rowid, folded, folded_about) VALUES ('delete', ?, ?, ?)",
                (fact, *folded),
            )
            db.execute("DELETE FROM fact WHERE id = ?", (fact,))
        for statement in [statement for statement, fact in seen.items() if fact in facts]:
            del seen[statement]


def _connected(path: Path | None) -> sqlite3.Connection:
    """The search file at `path` (in memory for None), with this format's tables."""
    connection = sqlite3.connect(path or ":memory:", timeout=10, isolation_level=None)
    try:
        return _ready(connection)
    except BaseException:
        connection.close()
        raise


def _discard(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal")):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _ready(connection: sqlite3.Connection) -> sqlite3.Connection:
    """`connection` with the tables of this SEARCH_FORMAT, made anew if they are of another."""

    def current_format() -> bool:
        try:
            return [row[0] for row in connection.execute("SELECT format FROM meta")] == [SEARCH_FORMAT]
        except sqlite3.OperationalError:
            return False

    if not current_format():
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            if not current_format():
                for table in ("meta", "file", "fact", "fact_text", "occurrence"):
                    connection.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in _TABLES:
                    connection.execute(statement)
                connection.execute("INSERT INTO meta VALUES (?)", (SEARCH_FORMAT,))
    return connection


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` without case or accents, and for each of its characters the index of the one it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).casefold()
        folded.append(plain)
        origin += [index] * len(plain)
    return "".join(folded), origin


def _spans(text: str, marked: str) -> list[tuple[int, int]]:
    """Where the words matched in `text`, as (start, end) offsets into it, in order: `marked` is its
    folded form with each match between U+0002 and U+0003 (FTS5's `highlight`; the data holds no
    control characters), so a word matched by another of its forms (`reviews` for `review`) is
    the one marked."""
    _, origin = _folded(text)
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
