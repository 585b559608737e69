"""A cache of validated ladders, so a command does not parse and validate YAML on every call.

One small JSON file per ladder file, in the platform's cache directory. An entry counts only when
its key matches the file as it is now: the path, size, modification time (ns) and the
cache format, which changes with the schema and the package version. A broken file is cached as
its problems, so it is reported as before. Entries are written to a temporary file and renamed,
so two `ladder` processes never leave a torn one; an unreadable or foreign entry is ignored and
written anew. `LADDER_NO_CACHE=1` bypasses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from career_ladder import SCHEMA_VERSION, __version__
from career_ladder.errors import Problem

# Bump the last part when what the cache or the index holds changes shape.
CACHE_FORMAT = f"ladder-cache/{SCHEMA_VERSION}/{__version__}/7"


def enabled() -> bool:
    return os.environ.get("LADDER_NO_CACHE", "").strip().lower() in ("", "0", "false", "no", "off")


def cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("ladder")) / "ladders"


def file_key(path: Path) -> list[Any] | None:
    """What must not change for an entry to count; None if the file cannot be looked at."""
    try:
        found = path.stat()
    except OSError:
        return None
    return [CACHE_FORMAT, str(path.absolute()), found.st_size, found.st_mtime_ns]


def _entry_path(key: list[Any]) -> Path:
    return cache_dir() / f"{hashlib.sha256(key[1].encode('utf-8', 'surrogateescape')).hexdigest()[:32]}.json"


def read(key: list[Any]) -> dict[str, Any] | None:
    """The cached entry for `key`: `{"ladder": {...}}` or `{"problems": [...]}`; None on any miss."""
    try:
        entry = json.loads(_entry_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    if isinstance(entry.get("ladder"), dict) or isinstance(entry.get("problems"), list):
        return entry
    return None


def write(key: list[Any], ladder: dict[str, Any] | None = None, problems: list[Problem] | None = None) -> None:
    """Store an entry atomically; a cache that cannot be written is simply not used."""
    entry: dict[str, Any] = {"key": key}
    if ladder is not None:
        entry["ladder"] = ladder
    else:
        entry["problems"] = [problem.as_dict() for problem in problems or []]
    target = _entry_path(key)
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            json.dump(entry, stream)  # ASCII: a path that is not UTF-8 is kept as its escapes
        os.replace(temporary, target)
        temporary = None
    except OSError:
        pass
    finally:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def problems_of(entry: dict[str, Any]) -> list[Problem]:
    """The problems of a cache entry, or of a summary of a broken file."""
    return [Problem(**item) for item in entry["problems"]]


def _json_list(text: str) -> Any:
    return [] if text == "[]" else json.loads(text)  # most ladders have no aliases: 10,000 parses saved


Stat = tuple[int, int]  # a file's size and modification time (ns)
_SQL_VALUES = 500


def _key(path: str) -> bytes:
    """A path as the index holds it: its bytes on disk, since a file name need not be UTF-8 text."""
    return os.fsencode(path)


def _within(folder: str) -> tuple[bytes, bytes]:
    """Bounds of the paths in `folder` (ending in a separator): every one sorts between them."""
    key = _key(folder)
    return key, key[:-1] + bytes([key[-1] + 1])


def _digest(files: dict[str, Stat]) -> str:
    listed = "\n".join(f"{path}\t{size}\t{mtime_ns}" for path, (size, mtime_ns) in files.items())
    return hashlib.blake2b(listed.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


class Summary(NamedTuple):
    """What `list` shows of a ladder that loads, and what its name is matched against."""

    id: str
    name: str
    aliases: list[str]
    rungs: int


class Index:
    """One SQLite file of ladder summaries, and of the names of their rungs, one row per file.

    Commands that look across every ladder read it instead of every ladder: a file's rows count
    only while its size and modification time match, exactly as a cache entry's key does, and the
    whole index only while it was written in this CACHE_FORMAT. Rung names are matched in SQL, so
    `salary` gets back the matching rungs alone. SQLite's transactions keep two processes from
    tearing it; a damaged or foreign index is deleted and built again. With the cache off the same
    tables live in memory for the one command.
    """

    _TABLES = (
        "CREATE TABLE meta (format TEXT NOT NULL)",
        "CREATE TABLE ladder (path BLOB PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,"
        " id TEXT, name TEXT, aliases TEXT, rungs INTEGER, problems TEXT)",
        # An own rung has a row per name it answers to (normalized); a shared one, a row with its ref.
        "CREATE TABLE rung (path BLOB NOT NULL, ladder TEXT NOT NULL, rung TEXT NOT NULL,"
        " position INTEGER NOT NULL, name TEXT, shared TEXT)",
        "CREATE INDEX rung_by_name ON rung (name)",
        "CREATE INDEX rung_by_path ON rung (path)",
        # Covering: the rows of 10,000 ladders sharing one rung come from the index alone.
        "CREATE INDEX rung_by_shared ON rung (shared, path, ladder, position)",
        # A directory whose files are all as they were (the digest of their paths, sizes and mtimes)
        # has every row valid: its broken files' problems, by path, are all there is to read.
        "CREATE TABLE folder (path BLOB PRIMARY KEY, files TEXT NOT NULL, broken TEXT NOT NULL)",
    )

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @classmethod
    def open(cls, persistent: bool = True) -> Index:
        """The index in the cache directory; in memory if it is off, or cannot be opened or written."""
        import sqlite3  # costs start-up time: only the commands that read every ladder open the index

        if persistent:
            path = cache_dir() / "index.sqlite3"
            for attempt in range(2):
                connection = None
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
                    return cls._ready(connection)
                except sqlite3.DatabaseError as error:
                    if connection:
                        connection.close()
                    if (
                        getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
                        or attempt
                    ):
                        break  # held by another process past the timeout: this command does without
                    with contextlib.suppress(OSError):
                        path.unlink()  # damaged or foreign: built again
                except OSError:
                    break
        return cls._ready(sqlite3.connect(":memory:", isolation_level=None))

    @classmethod
    def _ready(cls, connection: Any) -> Index:
        """The index on `connection`, its tables made anew unless written in this CACHE_FORMAT.

        Transactions are explicit (the connection is in autocommit mode): a writer takes the lock
        with BEGIN IMMEDIATE, so two processes never both rebuild the tables, and every change of
        a command lands at once.
        """
        import sqlite3

        def current_format() -> bool:
            try:
                return [row[0] for row in connection.execute("SELECT format FROM meta")] == [CACHE_FORMAT]
            except sqlite3.OperationalError:  # no such table: a new file, or someone else's
                return False

        if not current_format():
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                if not current_format():  # unless another process rebuilt it while this one waited
                    for table in ("meta", "ladder", "rung", "folder"):
                        connection.execute(f"DROP TABLE IF EXISTS {table}")
                    for statement in cls._TABLES:
                        connection.execute(statement)
                    connection.execute("INSERT INTO meta (format) VALUES (?)", (CACHE_FORMAT,))
        # Every column read later, so a damaged file fails here, where it is rebuilt.
        for columns in (
            "path, size, mtime_ns, id, name, aliases, rungs, problems FROM ladder",
            "path, ladder, rung, position, name, shared FROM rung",
            "path, files, broken FROM folder",
        ):
            connection.execute(f"SELECT {columns} LIMIT 1").fetchall()
        return cls(connection)

    def checked(self, folder: str, files: dict[str, Stat]) -> dict[str, list[Problem] | None]:
        """Which of these files of `folder` (absolute paths, `folder` ending in a separator) the index
        holds, still valid: None for a ladder that loads, else its problems. A row that does not read
        counts as missing. Only the folder's rows are read: the index also holds other directories'."""
        found: dict[str, list[Problem] | None] = {}
        rows = self.connection.execute(
            "SELECT path, size, mtime_ns, id IS NULL, problems FROM ladder WHERE path > ? AND path < ?",
            _within(folder),
        )
        for key, size, mtime_ns, no_id, problems in rows:
            path = os.fsdecode(key)
            if files.get(path) != (size, mtime_ns):
                continue
            if problems is None:
                if not no_id:
                    found[path] = None
                continue
            try:  # noqa: SIM105 (contextlib.suppress: over 10,000 rows its cost shows)
                found[path] = [Problem(**problem) for problem in json.loads(problems)]
            except (ValueError, TypeError):
                pass
        return found

    def summaries(self, files: dict[str, Stat]) -> dict[str, Summary]:
        """The summaries of these files of ladders that load, where their rows are still valid."""
        found: dict[str, Summary] = {}
        query = "SELECT path, size, mtime_ns, id, name, aliases, rungs FROM ladder WHERE path IN ({})"
        for key, size, mtime_ns, ladder_id, name, aliases, rungs in self._rows_in(query, [_key(p) for p in files]):
            path = os.fsdecode(key)
            if files[path] == (size, mtime_ns) and ladder_id is not None:
                try:  # noqa: SIM105 (as in `checked`)
                    found[path] = Summary(ladder_id, name, _json_list(aliases), rungs)
                except (ValueError, TypeError):
                    pass
        return found

    def folder_state(self, folder: str, files: dict[str, Stat]) -> dict[str, list[Problem]] | None:
        """The problems of the broken files of `folder` if these files (all it has that count) are as
        `remember_folder` saw them: then every other one's rows are valid. None if not, or unknown."""
        row = self.connection.execute(
            "SELECT broken FROM folder WHERE path = ? AND files = ?", (_key(folder), _digest(files))
        ).fetchone()
        if row is None:
            return None
        try:
            return {path: [Problem(**problem) for problem in problems] for path, problems in json.loads(row[0]).items()}
        except (ValueError, TypeError, AttributeError):
            return None

    def remember_folder(self, folder: str, files: dict[str, Stat], broken: dict[str, list[Problem]]) -> None:
        """Note that `files` (all `folder` has that count) have valid rows, and which are broken.

        Only if their rows, under the lock, are still those of these very files: another process
        may have written an older read of one since this one stored its own.
        """
        import sqlite3

        text = json.dumps({path: [problem.as_dict() for problem in problems] for path, problems in broken.items()})
        with contextlib.suppress(sqlite3.Error), self.connection:
            self.connection.execute("BEGIN IMMEDIATE")
            rows = self.connection.execute(
                "SELECT path, size, mtime_ns FROM ladder WHERE path > ? AND path < ?", _within(folder)
            )
            held = {os.fsdecode(key): (size, mtime_ns) for key, size, mtime_ns in rows}
            if all(held.get(path) == stat for path, stat in files.items()):
                state = (_key(folder), _digest(files), text)
                self.connection.execute("INSERT OR REPLACE INTO folder VALUES (?, ?, ?)", state)

    def in_memory(self) -> Index | None:
        """A copy of this index in memory, for a command that could not write its changes here
        (busy past the timeout, or read-only): its own rows go to the copy. None if it cannot be read."""
        import sqlite3

        memory = sqlite3.connect(":memory:", isolation_level=None)
        try:
            self.connection.backup(memory)
            return Index._ready(memory)
        except sqlite3.Error:
            memory.close()
            return None
        finally:
            self.close()

    def store(self, rows: list[tuple[str, Stat, dict[str, Any]]]) -> bool:
        """Write the summaries of these files (`summary_of`, with `rung_names`), replacing what they had.

        False if they could not be written (the index is busy or read-only).
        """
        import sqlite3

        ladders: list[tuple[Any, ...]] = []
        rungs: list[tuple[Any, ...]] = []
        for name, (size, mtime_ns), summary in rows:
            path = _key(name)
            if "problems" in summary:
                ladders.append((path, size, mtime_ns, None, None, None, None, json.dumps(summary["problems"])))
                continue
            aliases = json.dumps(summary["aliases"], ensure_ascii=False)
            ladders.append((path, size, mtime_ns, summary["id"], summary["name"], aliases, summary["rungs"], None))
            for position, entry in enumerate(summary["rung_names"]):
                if "shared" in entry:
                    rungs.append((path, summary["id"], entry["id"], position, None, entry["shared"]))
                else:
                    rungs += [(path, summary["id"], entry["id"], position, name, None) for name in set(entry["names"])]
        if not ladders:
            return True
        try:
            with self.connection:
                self.connection.execute("BEGIN IMMEDIATE")
                self.connection.executemany("DELETE FROM rung WHERE path = ?", [(row[0],) for row in ladders])
                self.connection.executemany("INSERT OR REPLACE INTO ladder VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ladders)
                self.connection.executemany("INSERT INTO rung VALUES (?, ?, ?, ?, ?, ?)", rungs)
        except sqlite3.Error:
            return False
        return True

    def rungs_named(self, name: str, exact: bool) -> list[tuple[str, str, str, int]]:
        """(path, ladder id, rung id, position) of every own rung with a name equal to `name`, or containing it.

        `name` and the stored names are normalized alike (`catalog.normalized`).
        """
        test = "name = ?" if exact else "instr(name, ?) > 0"
        query = f"SELECT DISTINCT path, ladder, rung, position FROM rung WHERE {test}"
        rows = self.connection.execute(query, (name,))
        return [(os.fsdecode(path), ladder, rung, position) for path, ladder, rung, position in rows]

    def sharing(self, refs: Sequence[str]) -> list[tuple[str, str, int, str]]:
        """(path, ladder id, position, ref) of every shared rung that shares one of `refs`.

        A shared rung's id is its ref's (`pm:director` is `director`): it is not read.
        """
        query = "SELECT path, ladder, position, shared FROM rung WHERE shared IN ({})"
        return [
            (os.fsdecode(path), ladder, position, ref) for path, ladder, position, ref in self._rows_in(query, refs)
        ]

    def _rows_in(self, query: str, values: Sequence[str | bytes]) -> Iterator[Any]:
        """The rows of `query`, whose `{}` is a list of `values`, asked in parts: SQLite takes at
        most 999 values a statement."""
        for start in range(0, len(values), _SQL_VALUES):
            part = values[start : start + _SQL_VALUES]
            yield from self.connection.execute(query.format(", ".join("?" * len(part))), part)

    def shared_refs(self) -> list[str]:
        """Every ref a shared rung gives, once (from the index on `shared`, not from every row)."""
        return [ref for (ref,) in self.connection.execute("SELECT DISTINCT shared FROM rung WHERE shared IS NOT NULL")]

    def close(self) -> None:
        self.connection.close()
