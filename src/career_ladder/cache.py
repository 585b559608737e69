"""Validated ladders kept between calls, so a command does not parse and validate YAML every time.

One small JSON file per ladder file, in the platform's cache directory, under a key made of what
git's index keys on: the path, size, modification time, inode and change time (ns) of the file,
and the cache format. No one can set a file's change time, so a rewrite that puts the size and the
modification time back still changes the key. A broken file is kept as its problems; a file that
could not be read is never kept. Entries are written to a temporary file and renamed, so two
processes never leave a torn one; an entry that does not read back as written is a miss.
`LADDER_NO_CACHE=1` turns the cache (and the index) off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from career_ladder import SCHEMA_VERSION, __version__
from career_ladder.errors import Problem, env_flag

# Bump the last part when what the cache or the index holds changes shape.
CACHE_FORMAT = f"ladder-cache/{SCHEMA_VERSION}/{__version__}/12"

Stat = tuple[int, int, int, int]  # size, modification time (ns), inode, change time (ns)


def enabled() -> bool:
    return not env_flag("LADDER_NO_CACHE")


def cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("ladder")) / "ladders"


def stat_of(found: os.stat_result) -> Stat:
    return (found.st_size, found.st_mtime_ns, found.st_ino, found.st_ctime_ns)


def file_key(path: Path) -> list[Any] | None:
    """What must not change for an entry to count; None if the file cannot be looked at."""
    try:
        found = path.stat()
    except OSError:
        return None
    return [CACHE_FORMAT, os.fsencode(path.absolute()).hex(), *stat_of(found)]


def _entry_path(key: list[Any]) -> Path:
    return cache_dir() / f"{hashlib.sha256(key[1].encode('ascii')).hexdigest()[:32]}.json"


def read(key: list[Any]) -> dict[str, Any] | None:
    """The cached entry for `key`: `{"ladder": {...}}` or `{"problems": [...]}`; None on any miss."""
    try:
        entry = json.loads(_entry_path(key).read_bytes())
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
            json.dump(entry, stream)  # ASCII: text that is not UTF-8 (a file name) is kept as escapes
        os.replace(temporary, target)
        temporary = None
    except OSError:
        pass
    finally:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


# A temporary entry this old was left by a process that died while writing it (killed outright).
STALE_SECONDS = 3600


def sweep() -> None:
    """Delete temporary entries that processes killed mid-write left behind."""
    with contextlib.suppress(OSError):
        limit = time.time() - STALE_SECONDS
        for leftover in cache_dir().glob("*.tmp"):
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < limit:
                    leftover.unlink()


def problems_in(items: list[dict[str, Any]]) -> list[Problem]:
    """Problems as `Problem.as_dict` wrote them; TypeError or ValueError if they are not."""
    problems = [Problem(**item) for item in items]
    if not all(isinstance(value, int) for problem in problems for value in (problem.line, problem.column)):
        raise ValueError("damaged problems")
    return problems
