"""Everything `ladder` keeps between calls, in one SQLite file, so a command does not parse and
validate YAML every time.

One row per ladder file, keyed by its path (as bytes: a file name need not be UTF-8) and the stat
git's index keys on (size, modification time, inode, change time; no one can set a change time, so
a rewrite that puts size and modification time back still shows). A row holds the validated
ladder (or the file's problems), what `list` and `salary` read of it, its statements for `search`
(each text indexed once, in FTS5) and its moves for `path`. A ladder that extends another gets a
second row for the merged ladder, keyed on the stats of every file of its chain, so what it
inherits is seen by every command.

Rows are written by `put`, in one transaction a call. Concurrency is SQLite's: WAL, BEGIN
IMMEDIATE and a busy timeout. The file is made anew when it is of another format or damaged;
`LADDER_NO_CACHE=1` (or one that cannot be opened) keeps the store in memory, for one process.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Collection, Iterable, Sequence
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from career_ladder import SCHEMA_VERSION, __version__
from career_ladder.errors import InvalidLadder, Problem, debug_note, env_flag
from career_ladder.results import LadderSummary

if TYPE_CHECKING:
    from career_ladder.models import Ladder

# Bump the last part when what a row holds changes shape.
STORE_FORMAT = f"ladder-store/{SCHEMA_VERSION}/{__version__}/6"

_TABLES = (
    "CREATE TABLE meta (format TEXT NOT NULL)",
    # `merged` 0: the file as written; 1: a ladder that extends another, merged with its chain.
    "CREATE TABLE ladder (id INTEGER PRIMARY KEY, path BLOB NOT NULL, merged INTEGER NOT NULL,"
    " stamp TEXT NOT NULL, ladder_id TEXT, name TEXT, aliases TEXT, rungs INTEGER, extends TEXT,"
    " data TEXT, origins TEXT, problems TEXT, moves TEXT, signals TEXT, UNIQUE (path, merged))",
    # Covering: `list` reads the rows of ten thousand files from the index alone.
    "CREATE INDEX ladder_listed ON ladder (merged, path, stamp, ladder_id, name, aliases, rungs, extends, problems)",
    # An own rung has a row per name it answers to (normalized); a shared one, a row with its ref.
    "CREATE TABLE rung (ladder INTEGER NOT NULL, ladder_id TEXT NOT NULL, rung TEXT NOT NULL,"
    " position INTEGER NOT NULL, name TEXT, shared TEXT)",
    "CREATE INDEX rung_by_ladder ON rung (ladder)",
    "CREATE INDEX rung_by_name ON rung (name)",
    "CREATE INDEX rung_by_shared ON rung (shared)",
    # What is searched of a statement (its folded text and the words of its place), once however
    # many files say it: ten thousand copies of a ladder are one text to rank, not ten thousand.
    "CREATE TABLE searched (id INTEGER PRIMARY KEY, folded TEXT NOT NULL, folded_about TEXT NOT NULL,"
    " UNIQUE (folded, folded_about))",
    "CREATE TABLE statement (id INTEGER PRIMARY KEY, ladder INTEGER NOT NULL, place TEXT NOT NULL,"
    " sources TEXT NOT NULL, text TEXT NOT NULL, searched INTEGER NOT NULL)",
    "CREATE INDEX statement_by_ladder ON statement (ladder)",
    "CREATE INDEX statement_by_searched ON statement (searched)",
    # The FTS5 index of `searched` (rowid: its id). The porter tokenizer over unicode61 matches a
    # word's other forms (`review` finds `reviews`).
    "CREATE VIRTUAL TABLE statement_text USING fts5(folded, folded_about, content='searched', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
)

# How long a command waits for another process's write (seconds), and how often it opens the file.
_TIMEOUT = 10
_OPEN_TRIES = 20
_LOCKED = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)

# What a damaged row can raise when it is read, and what a damaged (or busy) store can.
ROW_DAMAGE = (LookupError, ValueError, TypeError, AttributeError)
DAMAGE = (sqlite3.Error, *ROW_DAMAGE)

# The rows of the ladders that count, for a query over `rung`.
_COUNTED = (
    "JOIN ladder AS row ON row.id = rung.ladder JOIN counted ON counted.path = row.path AND counted.merged = row.merged"
)

# A list of aliases as one text: the separator is a control character, which no alias may hold.
_ALIAS_SEPARATOR = "\x1f"


def enabled() -> bool:
    return not env_flag("LADDER_NO_CACHE")


def store_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("ladder")) / "store.sqlite3"


def stamp(path: Path | bytes) -> str | None:
    """What must not change for a file's row to count; None if the file cannot be looked at."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return f"{found.st_size}:{found.st_mtime_ns}:{found.st_ino}:{found.st_ctime_ns}"


def key_of(path: Path) -> bytes:
    """A file's key: its absolute path as bytes, as read (`link/..` kept)."""
    return os.fsencode(path.absolute())


class Row(NamedTuple):
    """A ladder's row as `list` reads it."""

    stamp: str
    ladder_id: str | None
    name: str | None
    aliases: str | None
    rungs: int | None
    extends: str | None
    problems: str | None

    def summary(self) -> LadderSummary | None:
        """The ladder's summary, or None for a broken file; ValueError if the row is damaged."""
        if self.problems is not None:
            return None
        if not isinstance(self.ladder_id, str) or not isinstance(self.name, str) or not isinstance(self.rungs, int):
            raise ValueError("damaged row")
        aliases = self.aliases.split(_ALIAS_SEPARATOR) if self.aliases else []
        return LadderSummary(self.ladder_id, self.name, aliases, self.rungs, self.extends)

    def problem_list(self) -> list[Problem]:
        return problems_in(self.problems or "")


class Stored(NamedTuple):
    """A ladder's row as `show` reads it: the ladder's data, or the file's problems."""

    data: dict[str, Any] | None
    origins: dict[str, str] | None
    problems: list[Problem] | None


class Entry(NamedTuple):
    """What a row is written from: a ladder (with where its parts come from, if merged) or problems."""

    key: bytes
    merged: bool
    stamp: str
    ladder: Ladder | None
    problems: Sequence[Problem] = ()
    origins: dict[str, str] | None = None


def problems_in(text: str) -> list[Problem]:
    """Problems as `put` wrote them; ValueError or TypeError if they are not (a broken file has one at least)."""
    problems = [Problem(**item) for item in json.loads(text)]
    if not problems or not all(isinstance(p.line, int) and isinstance(p.column, int) for p in problems):
        raise ValueError("damaged problems")
    return problems


class Store:
    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        self.connection = connection
        self.path = path  # None: in memory
        self._pending_scope: list[tuple[bytes, bool]] | None = []  # the rows in scope, not yet in `counted`

    @classmethod
    def open(cls, persistent: bool = True) -> Store:
        """The store file, made anew if it is of another format or damaged; in memory if it cannot
        be used (or `persistent` is false), so a command still answers."""
        if persistent and enabled():
            path = store_path()
            damaged = False
            for attempt in range(_OPEN_TRIES):
                began = time.monotonic()
                try:
                    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))  # private: it holds every statement
                    return cls(_ready(sqlite3.connect(path, timeout=_TIMEOUT, isolation_level=None)), path)
                except (*DAMAGE, OSError) as error:
                    # SQLite answers some locks at once, without its busy timeout (another process
                    # making the file WAL, say): those are tried again.
                    at_once = time.monotonic() - began < _TIMEOUT / 2
                    if _code(error) in _LOCKED and at_once and attempt + 1 < _OPEN_TRIES:
                        time.sleep(0.05)
                        continue
                    if busy(error) or isinstance(error, OSError) or damaged:
                        debug_note(f"the store {path} cannot be used ({error!r}): kept in memory")
                        break
                    debug_note(f"the store {path} is damaged ({error!r}): made anew")
                    discard(path)
                    damaged = True
        return cls(_ready(sqlite3.connect(":memory:", isolation_level=None)), None)

    def close(self) -> None:
        self.connection.close()

    def stored(self, key: bytes, stamp: str, merged: bool = False) -> Stored | None:
        """The row of the file at `key` as it is now (`stamp`); None if there is none.
        Raises what DAMAGE holds for a damaged one."""
        found = self.connection.execute(
            "SELECT stamp, data, origins, problems FROM ladder WHERE path = ? AND merged = ?", (key, int(merged))
        ).fetchone()
        if found is None or found[0] != stamp:
            return None
        _, data, origins, problems = found
        if problems is not None:
            return Stored(None, None, problems_in(problems))
        ladder = json.loads(data)
        if not isinstance(ladder, dict):
            raise ValueError("damaged row")
        return Stored(ladder, json.loads(origins) if origins else None, None)

    def row(self, key: bytes, merged: bool = False) -> Row | None:
        """The row of the file at `key` (its merged ladder's, if `merged`) as `list` reads it."""
        found = self.connection.execute(
            "SELECT stamp, ladder_id, name, aliases, rungs, extends, problems FROM ladder"
            " WHERE path = ? AND merged = ?",
            (key, int(merged)),
        ).fetchone()
        return Row(*found) if found else None

    def rows(self, folder: bytes) -> dict[bytes, Row]:
        """The rows of the files in `folder` (a path ending in a separator), by path."""
        rows = self.connection.execute(
            "SELECT path, stamp, ladder_id, name, aliases, rungs, extends, problems FROM ladder"
            " WHERE merged = 0 AND path > ? AND path < ?",
            (folder, folder[:-1] + bytes([folder[-1] + 1])),  # every path in the folder sorts between these
        )
        return {row[0]: Row(*row[1:]) for row in rows}

    def put(self, entries: Iterable[Entry], gone: Iterable[bytes] = ()) -> None:
        """Write these rows, replacing what the store had of them, and delete the rows of the files
        `gone`, in one transaction."""
        from career_ladder.models import SharedRung
        from career_ladder.names import normalized
        from career_ladder.rebuild import moves_of, signals_of
        from career_ladder.statements import statements

        db = self.connection
        with db:
            db.execute("BEGIN IMMEDIATE")
            for key in gone:
                self._delete(key, merged=False)
                self._delete(key, merged=True)
            for entry in entries:
                self._delete(entry.key, entry.merged)
                ladder = entry.ladder
                if ladder is None:
                    problems = json.dumps([problem.as_dict() for problem in entry.problems])
                    db.execute(
                        "INSERT INTO ladder (path, merged, stamp, problems) VALUES (?, ?, ?, ?)",
                        (entry.key, int(entry.merged), entry.stamp, problems),
                    )
                    continue
                data = ladder.model_dump_json(by_alias=True)
                origins = json.dumps(entry.origins) if entry.origins is not None else None
                searched = entry.merged or ladder.extends is None  # an overlay is searched and walked merged
                row_id = db.execute(
                    "INSERT INTO ladder (path, merged, stamp, ladder_id, name, aliases, rungs, extends, data, origins,"
                    " moves, signals) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        entry.key,
                        int(entry.merged),
                        entry.stamp,
                        ladder.id,
                        ladder.name,
                        _ALIAS_SEPARATOR.join(ladder.aliases),
                        len(ladder.rungs),
                        ladder.extends,
                        data,
                        origins,
                        json.dumps(moves_of(ladder), separators=(",", ":")) if searched else None,
                        json.dumps(signals_of(ladder), separators=(",", ":")) if searched else None,
                    ),
                ).lastrowid
                rungs: list[tuple[Any, ...]] = []
                for position, rung in enumerate(ladder.rungs):
                    if isinstance(rung, SharedRung):
                        rungs.append((row_id, ladder.id, rung.id, position, None, rung.shared))
                    else:
                        names = {normalized(name) for name in rung.names()}
                        rungs += [(row_id, ladder.id, rung.id, position, name, None) for name in names]
                db.executemany("INSERT INTO rung VALUES (?, ?, ?, ?, ?, ?)", rungs)
                if searched:
                    db.executemany(
                        "INSERT INTO statement (ladder, place, sources, text, searched) VALUES (?, ?, ?, ?, ?)",
                        [(row_id, *statement[:3], self._searched(*statement[3:])) for statement in statements(ladder)],
                    )

    def _searched(self, folded: str, about: str) -> int:
        """The id of this searched text, indexed for FTS5 the first time a file says it."""
        db = self.connection
        found = db.execute("SELECT id FROM searched WHERE folded = ? AND folded_about = ?", (folded, about)).fetchone()
        if found:
            return int(found[0])
        searched = db.execute("INSERT INTO searched (folded, folded_about) VALUES (?, ?)", (folded, about)).lastrowid
        db.execute(
            "INSERT INTO statement_text (rowid, folded, folded_about) VALUES (?, ?, ?)", (searched, folded, about)
        )
        return int(searched or 0)

    def _delete(self, key: bytes, merged: bool) -> None:
        db = self.connection
        found = db.execute("SELECT id FROM ladder WHERE path = ? AND merged = ?", (key, int(merged))).fetchall()
        for (row_id,) in found:
            used = db.execute("SELECT DISTINCT searched FROM statement WHERE ladder = ?", (row_id,)).fetchall()
            db.execute("DELETE FROM statement WHERE ladder = ?", (row_id,))
            unused = "searched.id = ? AND NOT EXISTS (SELECT 1 FROM statement WHERE statement.searched = searched.id)"
            db.executemany(  # a text no file says any more leaves the index (its content, then)
                "INSERT INTO statement_text (statement_text, rowid, folded, folded_about)"
                f" SELECT 'delete', id, folded, folded_about FROM searched WHERE {unused}",
                used,
            )
            db.executemany(f"DELETE FROM searched WHERE {unused}", used)
            db.execute("DELETE FROM rung WHERE ladder = ?", (row_id,))
            db.execute("DELETE FROM ladder WHERE id = ?", (row_id,))

    def scope(self, keys: Iterable[tuple[bytes, bool]]) -> None:
        """The rows `rungs_named`, `shares_of_none`, `moves` and `search` look at, by path and whether
        merged: those of the ladders that count now (the store may also hold files of other data
        directories). By path, not row id: another process may write a row anew meanwhile. Written
        to a table only when one of them asks: `list` asks none."""
        self._pending_scope = list(keys)

    def _counted(self) -> None:
        """The table of the rows in scope, filled for the questions that join it."""
        if self._pending_scope is None:
            return
        db = self.connection
        db.execute("CREATE TEMP TABLE IF NOT EXISTS counted (path BLOB, merged INTEGER, PRIMARY KEY (path, merged))")
        db.execute("DELETE FROM counted")
        db.executemany("INSERT INTO counted VALUES (?, ?)", [(key, int(merged)) for key, merged in self._pending_scope])
        self._pending_scope = None

    def rungs_named(self, name: str, exact: bool) -> list[tuple[str, str, int, str | None]]:
        """(ladder id, rung id, position, ref) of every rung with a name equal to `name` (or
        containing it), and of every shared rung that stands for one of them, directly or through
        other shares (`c:x` shares `b:x`, which shares `a:x`). `name` is normalized as the names are."""
        self._counted()
        test = "rung.name = ?" if exact else "instr(rung.name, ?) > 0"
        query = f"""
            WITH RECURSIVE found (ladder_id, rung, position, shared) AS (
                SELECT rung.ladder_id, rung.rung, rung.position, NULL
                FROM rung {_COUNTED} WHERE {test}
                UNION
                SELECT rung.ladder_id, rung.rung, rung.position, rung.shared
                FROM found JOIN rung ON rung.shared = found.ladder_id || ':' || found.rung {_COUNTED}
            )
            SELECT DISTINCT ladder_id, rung, position, shared FROM found"""
        return list(self.connection.execute(query, (name,)))

    def shares_of_none(self, ladder_ids: Collection[str]) -> list[tuple[str, str]]:
        """(ladder id, ref) of every shared rung of the ladders that count whose ref names none of
        `ladder_ids`. The refs are looked at once each (ten thousand ladders may share three)."""
        self._counted()
        refs = [ref for (ref,) in self.connection.execute("SELECT DISTINCT shared FROM rung WHERE shared IS NOT NULL")]
        found: list[tuple[str, str]] = []
        for ref in refs:
            if ref.partition(":")[0] not in ladder_ids:
                found += self.connection.execute(
                    f"SELECT DISTINCT rung.ladder_id, rung.shared FROM rung {_COUNTED} WHERE rung.shared = ?", (ref,)
                )
        return found

    def moves(self) -> list[tuple[str, str]]:
        """(ladder id, `moves_of` as JSON) of every ladder that counts."""
        return self._of_counted("moves")

    def signals(self, ladder_ids: Collection[str]) -> list[tuple[str, str]]:
        """(ladder id, `signals_of` as JSON) of these ladders, of those that count."""
        return self._of_counted("signals", " WHERE ladder.ladder_id IN (SELECT value FROM json_each(?))", ladder_ids)

    def _of_counted(self, column: str, where: str = "", ladder_ids: Collection[str] = ()) -> list[tuple[str, str]]:
        self._counted()
        return list(
            self.connection.execute(
                f"SELECT ladder.ladder_id, ladder.{column} FROM ladder"
                f" JOIN counted ON counted.path = ladder.path AND counted.merged = ladder.merged{where}",
                (json.dumps(list(ladder_ids)),) if where else (),
            )
        )

    def search(self, match: str, limit: int) -> tuple[list[tuple[Any, ...]], int]:
        """(searched id, ladder id, place, sources, text) of the statements of the ladders that count
        matching the FTS5 query `match`, best first (the first `limit`, 0: all), and how many match
        in all. The texts are ranked (bm25), then each text's statements taken by ladder, as many as
        are still wanted: a text ten thousand files say is ranked once."""
        self._counted()
        db = self.connection
        scored = db.execute(
            "SELECT rowid, bm25(statement_text) FROM statement_text WHERE statement_text MATCH ? ORDER BY 2, 1",
            (match,),
        ).fetchall()
        in_scope = (
            " JOIN ladder ON ladder.id = statement.ladder"
            " JOIN counted ON counted.path = ladder.path AND counted.merged = ladder.merged"
        )
        holding = "merged = 1 OR (extends IS NULL AND problems IS NULL)"  # the rows with statements
        (held,) = db.execute(f"SELECT count(*) FROM ladder WHERE {holding}").fetchone()
        (counted,) = db.execute(
            f"SELECT count(*) FROM ladder JOIN counted USING (path, merged) WHERE {holding}"
        ).fetchone()
        among = "statement.searched IN (SELECT value FROM json_each(?))"
        every = json.dumps([searched for searched, _ in scored])
        # When every statement stored counts, the statements are counted from their index alone.
        (total,) = db.execute(
            f"SELECT count(*) FROM statement {'' if held == counted else in_scope} WHERE {among}", (every,)
        ).fetchone()
        hits: list[tuple[Any, ...]] = []
        for _, tied in groupby(scored, key=itemgetter(1)):
            hits += db.execute(
                "SELECT statement.searched, ladder.ladder_id, statement.place, statement.sources, statement.text"
                f" FROM statement {in_scope} WHERE {among} ORDER BY ladder.ladder_id, statement.id LIMIT ?",
                (json.dumps([searched for searched, _ in tied]), limit - len(hits) if limit else -1),
            ).fetchall()
            if limit and len(hits) >= limit:
                break
        return hits, total

    def marked(self, match: str, searched: int) -> str:
        """A statement's folded text with each matched word between U+0002 and U+0003 (FTS5's
        `highlight`), asked only for the statements shown."""
        (marked,) = self.connection.execute(
            "SELECT highlight(statement_text, 0, char(2), char(3)) FROM statement_text"
            " WHERE statement_text MATCH ? AND rowid = ?",
            (match, searched),
        ).fetchone()
        return str(marked)


# The files whose stored row could not be rebuilt in this process, in order: each one costs a
# parse, and one that keeps coming back is a bug of the store (the tests hold it empty).
unrebuilt: list[Path] = []


def parsed(path: Path) -> Ladder | InvalidLadder:
    """A ladder file read and validated: the ladder or its problems."""
    from career_ladder.loading import read_ladder

    try:
        return read_ladder(path).ladder
    except InvalidLadder as error:
        return error


def entry_of(path: Path, stamp: str, read: Ladder | InvalidLadder) -> Entry | None:
    """The store's row for a file read now; None for one that could not be read (it may be readable
    next time)."""
    if isinstance(read, InvalidLadder):
        return None if read.unreadable else Entry(key_of(path), False, stamp, None, read.problems)
    return Entry(key_of(path), False, stamp, read)


def busy(error: Exception) -> bool:
    """Another process holds the file past the timeout, or it cannot be written: it is not damaged."""
    return _code(error) in (*_LOCKED, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN)


def _code(error: Exception) -> int:
    """The primary code of SQLite's (extended) error code; 0 for another error."""
    return int(getattr(error, "sqlite_errorcode", 0)) & 0xFF


def discard(path: Path) -> None:
    """Delete the store: it is built again from the files."""
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _ready(connection: sqlite3.Connection) -> sqlite3.Connection:
    """`connection` with this STORE_FORMAT's tables, made anew if they are of another: the writer
    that takes the lock first (BEGIN IMMEDIATE) makes them, the others find them made."""

    def current_format() -> bool:
        try:
            return [row[0] for row in connection.execute("SELECT format FROM meta")] == [STORE_FORMAT]
        except sqlite3.OperationalError:  # no such table: a new file, or someone else's
            return False

    try:
        connection.execute("PRAGMA journal_mode = WAL")
        if not current_format():
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                if not current_format():
                    tables = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
                    # A virtual table first: its own tables go with it.
                    for table, _ in sorted(tables, key=lambda found: not str(found[1]).startswith("CREATE VIRTUAL")):
                        connection.execute(f'DROP TABLE IF EXISTS "{table}"')
                    for statement in _TABLES:
                        connection.execute(statement)
                    connection.execute("INSERT INTO meta (format) VALUES (?)", (STORE_FORMAT,))
                    if tables:
                        debug_note("the store was of another format: made anew")
    except BaseException:
        connection.close()
        raise
    return connection
