"""One SQLite file of what `list` and `salary` need of every ladder file, so they read no ladder.

A file's row counts only while the file's stat (as the cache keys on it) is unchanged, and the
whole index only while it was written in this CACHE_FORMAT. Rung names are matched in SQL, so
`salary` gets back the matching rungs alone. A file is keyed by its path's bytes (`os.fsencode`),
since a file name need not be UTF-8. Every method may raise sqlite3.Error: the caller decides what
a damaged or busy index means.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from career_ladder.cache import CACHE_FORMAT, Stat, cache_dir
from career_ladder.errors import Problem
from career_ladder.results import LadderSummary

# SQLite takes at most 999 values a statement in older builds.
_SQL_VALUES = 500

_TABLES = (
    "CREATE TABLE meta (format TEXT NOT NULL)",
    "CREATE TABLE ladder (path BLOB PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,"
    " ino INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, id TEXT, name TEXT, aliases TEXT, rungs INTEGER,"
    " problems TEXT, extends TEXT)",
    # An own rung has a row per name it answers to (normalized); a shared one, a row with its ref.
    "CREATE TABLE rung (path BLOB NOT NULL, ladder TEXT NOT NULL, rung TEXT NOT NULL,"
    " position INTEGER NOT NULL, name TEXT, shared TEXT)",
    "CREATE INDEX rung_by_name ON rung (name)",
    "CREATE INDEX rung_by_path ON rung (path)",
    # Covering: the rows of thousands of ladders sharing one rung come from the index alone.
    "CREATE INDEX rung_by_shared ON rung (shared, path, ladder, rung, position)",
)


class RungNames(NamedTuple):
    id: str
    shared: str | None  # the ref of a shared rung
    names: list[str]  # an own rung's id, title and aliases, normalized


class Indexed(NamedTuple):
    """What the index holds of one file: a ladder's summary and rung names, or the file's problems."""

    summary: LadderSummary | None
    rungs: list[RungNames]
    problems: list[Problem] | None


# A list of aliases as one text: the separator is a control character, which no alias may hold.
ALIAS_SEPARATOR = "\x1f"


# A file's row as read: id, name, aliases, rungs, problems (`extends`, rare, is asked for apart).
Row = tuple[Any, ...]


def indexed(row: Row) -> Indexed:
    """What a row holds; ValueError, TypeError or KeyError if it is damaged."""
    ladder_id, name, aliases, rungs, problems = row
    if problems is not None:
        found = [Problem(**problem) for problem in json.loads(problems)]
        if not found:  # a broken file has at least one problem
            raise ValueError("damaged row")
        return Indexed(None, [], found)
    if not isinstance(ladder_id, str) or not isinstance(name, str) or not isinstance(rungs, int):
        raise ValueError("damaged row")
    names = aliases.split(ALIAS_SEPARATOR) if aliases else []
    return Indexed(LadderSummary(ladder_id, name, names, rungs), [], None)


def busy(error: Exception) -> bool:
    """Another process holds the file past the timeout, or it cannot be written: it is not damaged."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF  # the primary code of an extended one
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_READONLY)


def _within(folder: bytes) -> tuple[bytes, bytes]:
    """Bounds of the paths in `folder` (ending in a separator): every one sorts between them."""
    return folder, folder[:-1] + bytes([folder[-1] + 1])


class Index:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    @classmethod
    def open(cls, persistent: bool) -> Index:
        """The index in the cache directory (made anew when foreign), or an empty one in memory."""
        if not persistent:
            return cls._ready(sqlite3.connect(":memory:", isolation_level=None))
        path = cache_dir() / "index.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls._ready(sqlite3.connect(path, timeout=10, isolation_level=None))

    @classmethod
    def discard(cls) -> None:
        """Delete the index file: it is built again from the files."""
        with contextlib.suppress(OSError):
            (cache_dir() / "index.sqlite3").unlink()

    @classmethod
    def _ready(cls, connection: sqlite3.Connection) -> Index:
        """The index on `connection`, its tables made anew unless written in this CACHE_FORMAT.

        A writer takes the lock with BEGIN IMMEDIATE, so two processes never both rebuild the
        tables, and every change of a command lands at once.
        """

        def current_format() -> bool:
            try:
                return [row[0] for row in connection.execute("SELECT format FROM meta")] == [CACHE_FORMAT]
            except sqlite3.OperationalError:  # no such table: a new file, or someone else's
                return False

        try:
            if not current_format():
                with connection:
                    connection.execute("BEGIN IMMEDIATE")
                    if not current_format():  # unless another process rebuilt it while this one waited
                        for table in ("meta", "ladder", "rung", "folder"):
                            connection.execute(f"DROP TABLE IF EXISTS {table}")
                        for statement in _TABLES:
                            connection.execute(statement)
                        connection.execute("INSERT INTO meta (format) VALUES (?)", (CACHE_FORMAT,))
        except BaseException:
            connection.close()
            raise
        return cls(connection)

    def folder(self, folder: bytes) -> dict[bytes, tuple[Stat, Row]]:
        """Every row of the files in `folder` (a path ending in a separator), by path; `indexed`
        reads one, when it is needed."""
        rows = self.connection.execute(
            "SELECT path, size, mtime_ns, ino, ctime_ns, id, name, aliases, rungs, problems FROM ladder"
            " WHERE path > ? AND path < ?",
            _within(folder),
        )
        return {row[0]: (row[1:5], row[5:]) for row in rows}

    def store(self, rows: Iterable[tuple[bytes, Stat, Indexed]]) -> None:
        """Write what these files hold, replacing what the index had of them."""
        ladders: list[tuple[Any, ...]] = []
        rungs: list[tuple[Any, ...]] = []
        for key, stat, indexed in rows:
            if indexed.summary is None:
                problems = json.dumps([problem.as_dict() for problem in indexed.problems or []])
                ladders.append((key, *stat, None, None, None, None, problems, None))
                continue
            summary = indexed.summary
            ladders.append(
                (
                    key,
                    *stat,
                    summary.id,
                    summary.name,
                    ALIAS_SEPARATOR.join(summary.aliases),
                    summary.rungs,
                    None,
                    summary.extends,
                )
            )
            for position, rung in enumerate(indexed.rungs):
                if rung.shared:
                    rungs.append((key, summary.id, rung.id, position, None, rung.shared))
                else:
                    rungs += [(key, summary.id, rung.id, position, name, None) for name in set(rung.names)]
        if not ladders:
            return
        with self.connection:
            self.connection.execute("BEGIN IMMEDIATE")
            self.connection.executemany("DELETE FROM rung WHERE path = ?", [(row[0],) for row in ladders])
            self.connection.executemany(
                "INSERT OR REPLACE INTO ladder VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ladders
            )
            self.connection.executemany("INSERT INTO rung VALUES (?, ?, ?, ?, ?, ?)", rungs)

    def overlays(self) -> dict[bytes, str]:
        """The files whose ladder extends another, with the ladder each extends."""
        return dict(self.connection.execute("SELECT path, extends FROM ladder WHERE extends IS NOT NULL"))

    def rungs_named(self, name: str, exact: bool) -> list[tuple[bytes, str, str, int]]:
        """(path, ladder id, rung id, position) of every own rung with a name equal to `name`, or containing it.

        `name` and the stored names are normalized alike (`names.normalized`).
        """
        test = "name = ?" if exact else "instr(name, ?) > 0"
        rows = self.connection.execute(f"SELECT DISTINCT path, ladder, rung, position FROM rung WHERE {test}", (name,))
        return list(rows)

    def sharers(self, refs: Sequence[str]) -> list[tuple[bytes, str, str, int, str]]:
        """(path, ladder id, rung id, position, ref) of every shared rung that stands for one of
        `refs`, directly or through other shares (`c:x` shares `b:x`, which shares `a:x`).

        Wave by wave: the next wave asks only for the refs some shared rung gives, so thousands
        of ladders sharing one rung cost one lookup each, not two."""
        given = set(self.shared_refs())
        found: list[tuple[bytes, str, str, int, str]] = []
        seen: set[str] = set()
        wave = [ref for ref in dict.fromkeys(refs) if ref in given]
        while wave:
            seen.update(wave)
            rows: list[tuple[bytes, str, str, int, str]] = []
            for start in range(0, len(wave), _SQL_VALUES):
                part = wave[start : start + _SQL_VALUES]
                query = "SELECT path, ladder, rung, position, shared FROM rung WHERE shared IN ({})"
                rows += self.connection.execute(query.format(", ".join("?" * len(part))), part)
            found += rows
            wave = sorted({f"{ladder}:{rung}" for _, ladder, rung, _, _ in rows} & given - seen)
        return found

    def shared_refs(self) -> list[str]:
        """Every ref a shared rung gives, once."""
        return [ref for (ref,) in self.connection.execute("SELECT DISTINCT shared FROM rung WHERE shared IS NOT NULL")]

    def close(self) -> None:
        self.connection.close()
