"""Every ladder that counts, for the commands that look across all of them (`list`, `salary`).

They read the index instead of every ladder: each file is looked at (a stat), and only the files
the index does not hold as they are now are read, on every core when there are many, and stored.
Any error from the index means it is thrown away and the answer comes from the files.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from career_ladder import cache
from career_ladder.catalog import read_ladder_file
from career_ladder.errors import InvalidLadder, LadderError
from career_ladder.index import Index, Indexed, Row, RungNames, busy, indexed
from career_ladder.names import normalized
from career_ladder.results import LadderSummary

if TYPE_CHECKING:
    from career_ladder.catalog import Catalog
    from career_ladder.datadirs import LadderFile
    from career_ladder.models import Ladder

# What a damaged or unusable index can raise: SQLite's errors, rows that do not parse, a cache folder
# that cannot be made.
_DAMAGE = (sqlite3.Error, OSError, ValueError, TypeError, KeyError, AttributeError)


# How a file name is made bytes (as `os.fsencode` does), for the index's keys.
_FILE_NAMES = (sys.getfilesystemencoding(), sys.getfilesystemencodeerrors())


class MatchedRung(NamedTuple):
    ladder: str
    rung: str
    shared: str | None  # the ref, for a shared rung


class Overview:
    """The ladders that count and load (`good`, by id) and the broken files."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.good: dict[str, LadderFile] = {}
        self._summaries: dict[str, LadderSummary | Row] = {}  # a row is read when asked for
        self.broken: list[InvalidLadder] = []
        self._keys: dict[str, bytes] = {}  # each good file's key in the index
        self.stats: dict[str, tuple[bytes, cache.Stat]] = {}  # each good file's key and stat
        persistent = catalog.use_cache and cache.enabled()
        try:
            self._index = self._survey(Index.open(persistent))
        except _DAMAGE as error:
            self._index = self._rebuilt(persistent and not busy(error))

    def rungs_named(self, name: str) -> list[MatchedRung]:
        """Every rung named `name` in the ladders that load, by ladder id and rung order.

        Names match as `names.matches` has them: exactly if any rung's name is `name`, else by
        containing it. A shared rung answers to the names of the rung it stands for.
        """
        try:
            return self._rungs_named(name)
        except _DAMAGE as error:
            self._index = self._rebuilt(self.catalog.use_cache and cache.enabled() and not busy(error))
            return self._rungs_named(name)

    def _rebuilt(self, anew: bool) -> Index:
        """The answer from the files: into a new index file if `anew`, else (or if that fails too) in memory."""
        if anew:
            Index.discard()
            try:
                return self._survey(Index.open(persistent=True))
            except _DAMAGE:
                pass
        return self._survey(Index.open(persistent=False))

    def _rungs_named(self, name: str) -> list[MatchedRung]:
        current = set(self._keys.values())
        key = normalized(name)
        own = [row for row in self._index.rungs_named(key, exact=True) if row[0] in current] or [
            row for row in self._index.rungs_named(key, exact=False) if row[0] in current
        ]
        found: dict[tuple[str, str], tuple[int, str | None]] = {
            (ladder, rung): (position, None) for _, ladder, rung, position in own
        }
        owners = set(found)
        leads: dict[str, bool] = {}
        for path, ladder, rung, position, ref in self._index.sharers([f"{ladder}:{rung}" for ladder, rung in owners]):
            if path not in current or (ladder, rung) in found:
                continue
            if ref not in leads:
                leads[ref] = self._leads_to(ref, owners)
            if leads[ref]:
                found[ladder, rung] = (position, ref)
        if self.overlays:
            found = {key: value for key, value in found.items() if key[0] not in self.overlays}
            found.update(self._overlay_rungs_named(name))
        ordered = sorted((ladder, position, rung, ref) for (ladder, rung), (position, ref) in found.items())
        return [MatchedRung(ladder, rung, ref) for ladder, _, rung, ref in ordered]

    def _overlay_rungs_named(self, name: str) -> dict[tuple[str, str], tuple[int, str | None]]:
        """The matching rungs of the ladders that extend another, from the merged ladder: what they
        hold depends on another file, so the index does not keep it."""
        from career_ladder.names import matches

        found: dict[tuple[str, str], tuple[int, str | None]] = {}
        for ladder_id in sorted(self.overlays):
            try:
                ladder = self.catalog.ladder(ladder_id)
                placed = self.catalog.placed_rungs(ladder)
            except LadderError as error:
                if isinstance(error, InvalidLadder) and error not in self.broken:
                    self.broken.append(error)
                continue
            position = {p.rung.id: index for index, p in enumerate(placed)}
            for match in matches(name, [(p, p.rung.names()) for p in placed]):
                found[ladder_id, match.rung.id] = (position[match.rung.id], match.shared_from)
        return found

    def _leads_to(self, ref: str, owners: set[tuple[str, str]]) -> bool:
        """Whether the rung `ref` stands for, in the ladders that count now, is one of `owners`: the
        index may also hold files that no longer count, and a chain of shares may pass through one."""
        try:
            home, rung = self.catalog.shared_rung(ref)
        except LadderError:
            return False
        return (home, rung.id) in owners

    def unresolved_shares(self) -> list[tuple[str, str]]:
        """(ladder id, ref) of every shared rung whose ref names no ladder that loads."""
        try:
            refs = [ref for ref in self._index.shared_refs() if ref.partition(":")[0] not in self.good]
            rows = self._index.sharers(refs) if refs else []
        except _DAMAGE:
            return []
        current = set(self._keys.values())
        return sorted({(ladder, ref) for path, ladder, _, _, ref in rows if path in current and ref in refs})

    def _survey(self, index: Index) -> Index:
        """Fill in what counts from `index`, reading and storing the files it does not hold."""
        self.good, self.broken, self._keys, self._summaries, self.stats = {}, [], {}, {}, {}
        self.overlays: dict[str, str] = {}  # ladders that extend another (and which): the index has their own file only
        winners = self.catalog.winners()
        held: dict[bytes, Indexed | Row] = {}
        stats: dict[bytes, cache.Stat] = {}
        counted: list[tuple[LadderFile, bytes]] = []
        for directory, listing in zip(self.catalog.directories, self.catalog.listings(), strict=True):
            mine = [f for f in listing if winners[f.id] is f]
            if not mine:
                continue
            folder = os.fsencode(os.path.join(Path(directory.path).absolute(), ""))  # as read: `link/..` kept
            rows = index.folder(folder)
            for ladder_file in mine:
                key = folder + ladder_file.name.encode(*_FILE_NAMES)
                counted.append((ladder_file, key))
                try:
                    stats[key] = cache.stat_of(os.stat(key))
                except OSError:
                    continue
                stored = rows.get(key)
                if stored is not None and stored[0] == stats[key]:
                    held[key] = stored[1]
        missing = [(ladder_file, key) for ladder_file, key in counted if key not in held]
        read = self._read([ladder_file.path for ladder_file, _ in missing])
        # A file that could not be looked at or read now may be readable next time: never stored.
        index.store(
            (key, stats[key], found)
            for (_, key), found in zip(missing, read, strict=True)
            if key in stats and not any(problem.code == "LDR001" for problem in found.problems or [])
        )
        held.update((key, found) for (_, key), found in zip(missing, read, strict=True))
        extending = index.overlays()
        for ladder_file, key in counted:
            held_now = held[key]
            if not isinstance(held_now, Indexed) and held_now[-1] is not None:  # a row of problems
                held_now = indexed(held_now)
            summary = held_now.summary if isinstance(held_now, Indexed) else held_now
            if summary is None:
                assert isinstance(held_now, Indexed)
                self.broken.append(InvalidLadder.at(ladder_file.path, held_now.problems or []))
                continue
            self.good[ladder_file.id] = ladder_file
            self._keys[ladder_file.id] = key
            self.stats[ladder_file.id] = (key, stats.get(key, (0, 0, 0, 0)))  # none: stat failed, read since
            self._summaries[ladder_file.id] = summary
            extends = summary.extends if isinstance(summary, LadderSummary) else extending.get(key)
            if extends is not None:
                self.overlays[ladder_file.id] = extends
        return index

    def summary(self, ladder_id: str) -> LadderSummary:
        """The summary of a ladder in `good`."""
        found = self._summaries[ladder_id]
        if isinstance(found, LadderSummary):
            return found if ladder_id not in self.overlays else found._replace(extends=self.overlays[ladder_id])
        try:
            summary = indexed(found).summary
        except _DAMAGE:
            summary = None
        if summary is None:  # a damaged row: the file says
            read = indexed_file(self.good[ladder_id].path, self.catalog.use_cache)
            summary = read.summary or LadderSummary(ladder_id, ladder_id, [], 0)
        if ladder_id in self.overlays:
            summary = summary._replace(extends=self.overlays[ladder_id])
        self._summaries[ladder_id] = summary
        return summary

    def _read(self, paths: list[Path]) -> list[Indexed]:
        """What the index holds of each file, read from the file (or its cache entry)."""
        catalog, total = self.catalog, len(paths)
        read = partial(indexed_file, use_cache=catalog.use_cache)
        found: list[Indexed] = []
        workers = min(_cores(), total // max(catalog.parallel_from, 1))
        if workers >= 2:
            if catalog.use_cache and cache.enabled():
                cache.sweep()  # a cold read of many files: the time to tidy up after earlier ones
            from concurrent.futures import ProcessPoolExecutor
            from concurrent.futures.process import BrokenProcessPool

            executor = None
            try:
                executor = ProcessPoolExecutor(workers, initializer=_worker_started)
                chunk = max(1, min(64, total // (workers * 8)))
                for result in executor.map(read, paths, chunksize=chunk):
                    found.append(self._told(len(found) + 1, total, result))
            except (OSError, BrokenProcessPool):  # no processes to be had, or one was killed: read here
                pass
            finally:
                if executor is not None:
                    executor.shutdown(wait=False, cancel_futures=True)
        for path in paths[len(found) :]:
            found.append(self._told(len(found) + 1, total, read(path)))
        return found

    def _told(self, done: int, total: int, found: Indexed) -> Indexed:
        if self.catalog.progress:
            self.catalog.progress(done, total)
        return found


def _worker_started() -> None:
    """In a worker: leave Ctrl-C to the command, and end when the command ends, however it ends."""
    import ctypes
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)
    if os.getppid() == 1:  # the command ended before this worker got here
        os._exit(0)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, not the machine's
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def indexed_file(path: Path, use_cache: bool) -> Indexed:
    """One file as the index holds it (its cache entry written on the way; in a worker, too)."""
    read = read_ladder_file(path, use_cache)
    if isinstance(read, InvalidLadder):
        return Indexed(None, [], read.problems)
    return indexed_ladder(read)


def indexed_ladder(ladder: Ladder) -> Indexed:
    from career_ladder.models import SharedRung

    rungs = [
        RungNames(entry.id, entry.shared, [])
        if isinstance(entry, SharedRung)
        else RungNames(entry.id, None, [normalized(n) for n in (entry.id, entry.title, *entry.aliases)])
        for entry in ladder.rungs
    ]
    summary = LadderSummary(ladder.id, ladder.name, list(ladder.aliases), len(ladder.rungs), ladder.extends)
    return Indexed(summary, rungs, None)
