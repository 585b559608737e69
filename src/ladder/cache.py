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
from pathlib import Path
from typing import Any

from ladder import SCHEMA_VERSION, __version__
from ladder.errors import Problem

# Bump the last part when what the cache or the index holds changes shape.
CACHE_FORMAT = f"ladder-cache/{SCHEMA_VERSION}/{__version__}/2"


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
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            json.dump(entry, stream, ensure_ascii=False)
        os.replace(temporary, target)
    except OSError:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def problems_of(entry: dict[str, Any]) -> list[Problem]:
    return [Problem(**item) for item in entry["problems"]]


class Index:
    """One SQLite file of ladder summaries (id, name, aliases, rung count, or the file's problems).

    Commands that list every ladder read it instead of every ladder: a summary counts only while
    its file's key matches, exactly as a cache entry does. SQLite's transactions keep two processes
    from tearing it; a damaged or foreign index is deleted and built again.
    """

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @classmethod
    def open(cls) -> Index | None:
        import sqlite3  # costs start-up time: only the commands that read every ladder open the index

        path = cache_dir() / "index.sqlite3"
        for attempt in range(2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(path, timeout=10)
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS summary (path TEXT PRIMARY KEY, key TEXT NOT NULL, data TEXT NOT NULL)"
                )
                connection.execute("SELECT path, key, data FROM summary LIMIT 1").fetchall()
                return cls(connection)
            except sqlite3.DatabaseError:
                if attempt == 0:
                    with contextlib.suppress(OSError):
                        path.unlink()
            except OSError:
                return None
        return None

    def lookup(self, keys: dict[str, list[Any]]) -> dict[str, dict[str, Any]]:
        """The summaries still valid for these files (by path), skipping any row that does not read."""
        found = {}
        for path, key, data in self.connection.execute("SELECT path, key, data FROM summary"):
            if path in keys and key == json.dumps(keys[path]):
                with contextlib.suppress(ValueError):
                    summary = json.loads(data)
                    if isinstance(summary, dict):
                        found[path] = summary
        return found

    def store(self, rows: list[tuple[list[Any], dict[str, Any]]]) -> None:
        import sqlite3

        with contextlib.suppress(sqlite3.Error), self.connection:
            self.connection.executemany(
                "INSERT OR REPLACE INTO summary (path, key, data) VALUES (?, ?, ?)",
                [(key[1], json.dumps(key), json.dumps(summary, ensure_ascii=False)) for key, summary in rows],
            )

    def close(self) -> None:
        self.connection.close()
