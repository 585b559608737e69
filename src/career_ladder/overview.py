"""Every ladder that counts, for the commands that look across all of them (`list`, `salary`,
`search`): they read the store's rows instead of every ladder.

Each file is looked at (a stat); the files the store does not hold as they are now are read, in
process, and their rows written in one transaction. A ladder that extends another is seen merged:
its merged row is kept on the stats of its whole chain, and made again when one of them changes.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from career_ladder.errors import InvalidLadder, Problem, debug_note
from career_ladder.names import normalized
from career_ladder.results import LadderSummary
from career_ladder.store import ROW_DAMAGE, Entry, Row, entry_of, key_of, parsed, stamp, summary_of, unrebuilt

if TYPE_CHECKING:
    from career_ladder.catalog import Catalog
    from career_ladder.datadirs import LadderFile
    from career_ladder.store import Store

# How a file name is made bytes (as `os.fsencode` does), for the store's keys.
_FILE_NAMES = (sys.getfilesystemencoding(), sys.getfilesystemencodeerrors())


# What the survey knows of a file: its ladder's summary, or its problems (from the store or the file).
Held = LadderSummary | list[Problem] | InvalidLadder


class MatchedRung(NamedTuple):
    ladder: str
    rung: str
    shared: str | None  # the ref, for a shared rung


class Overview:
    """The ladders that count and load (`good`, by id; an overlay once it merges) and the broken files."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.good: dict[str, LadderFile] = {}
        self.broken: list[InvalidLadder] = []
        self._summaries: dict[str, LadderSummary] = {}
        self.row_ids: dict[str, int] = {}  # the row of each ladder in `good`: an overlay's merged one
        for _ in range(2):  # a store that fails is replaced (by one in memory at worst), and read again
            try:
                if self._survey():
                    return
            except sqlite3.Error as error:
                catalog.store_failed(error)
        self._survey()

    @property
    def store(self) -> Store:
        return self.catalog.store

    def summary(self, ladder_id: str) -> LadderSummary:
        """The summary of a ladder in `good` (an overlay's counts the rungs of the merged ladder)."""
        return self._summaries[ladder_id]

    def _survey(self) -> bool:
        """Fill in what counts from the store, reading and storing the files it does not hold as
        they are now; False if the store failed on the way (and was replaced)."""
        self.good, self.broken, self._summaries = {}, [], {}
        catalog, store = self.catalog, self.store
        winners = catalog.winners()
        counted: list[tuple[LadderFile, bytes]] = []
        rows: dict[bytes, Row] = {}
        for directory, listing in zip(catalog.directories, catalog.listings(), strict=True):
            mine = [f for f in listing if winners[f.id] is f]
            if mine:
                folder = os.fsencode(os.path.join(Path(directory.path).absolute(), ""))  # as read: `link/..` kept
                rows.update(store.rows(folder))
                counted += [(f, folder + f.name.encode(*_FILE_NAMES)) for f in mine]
        held: dict[bytes, Held] = {}
        stale: list[tuple[LadderFile, bytes, str | None]] = []
        stamps = {key: stamp(key) for _, key in counted}
        for ladder_file, key in counted:
            now, row = stamps[key], rows.get(key)
            if row is not None and row.stamp == now:
                try:
                    held[key] = row.summary() or row.problem_list()
                    continue
                except ROW_DAMAGE as error:
                    unrebuilt.append(ladder_file.path)
                    debug_note(f"the store's row for {ladder_file.path} could not be used ({error!r}): read again")
            stale.append((ladder_file, key, now))
        counted_keys = {key for _, key in counted}
        gone = [key for key in rows if key not in counted_keys and not os.path.lexists(key)]  # deleted since
        if stale or gone:
            catalog.put(self._read(stale, held), gone)
        if catalog.store is not store:
            return False
        if stale:  # the ids of the rows just written
            for folder in {key[: key.rindex(os.sep.encode()) + 1] for _, key, _ in stale}:
                rows.update(store.rows(folder))
        self.row_ids = {}
        overlays: list[LadderFile] = []
        for ladder_file, key in counted:
            found = held[key]
            if isinstance(found, list):
                found = InvalidLadder.at(ladder_file.path, found)
            if isinstance(found, InvalidLadder):
                self.broken.append(found)
                continue
            self.good[ladder_file.id] = ladder_file
            self._summaries[ladder_file.id] = found
            if found.extends is not None:
                overlays.append(ladder_file)
            elif key in rows and rows[key].stamp == stamps[key]:
                self.row_ids[ladder_file.id] = rows[key].id
        self._merged_rows(overlays)
        if catalog.store is not store:
            return False
        store.scope(self.row_ids.values())
        return True

    def _read(self, stale: list[tuple[LadderFile, bytes, str | None]], held: dict[bytes, Held]) -> Iterator[Entry]:
        """The rows of the files the store does not hold as they are now, read one at a time (with a
        progress bar when they are many), each file's summary or problems kept in `held`."""
        progress = self.catalog.progress
        for done, (ladder_file, key, now) in enumerate(stale, 1):
            read = parsed(ladder_file.path)
            held[key] = read if isinstance(read, InvalidLadder) else summary_of(read)
            if now is not None and (entry := entry_of(ladder_file.path, now, read)) is not None:
                yield entry
            if progress:
                progress(done, len(stale))

    def _merged_rows(self, overlays: list[LadderFile]) -> None:
        """The merged rows of the ladders that extend another into `row_ids`, made again for those
        whose chain changed; an overlay that does not merge is moved to `broken`."""
        catalog = self.catalog
        held = self.store.merged_rows() if overlays else {}
        rung_counts: dict[str, int] = {}
        chains = {ladder_file.id: catalog.chain_stamp(ladder_file.path) for ladder_file in overlays}
        entries: list[Entry] = []
        for ladder_file in overlays:
            chain, row = chains[ladder_file.id], held.get(key_of(ladder_file.path))
            if row is not None and chain is not None and row.stamp == chain:
                self.row_ids[ladder_file.id] = row.id
                rung_counts[ladder_file.id] = row.rungs or 0
                continue
            try:
                merged = catalog.load(ladder_file)
            except InvalidLadder as error:
                self.broken.append(error)
                del self.good[ladder_file.id]
                continue
            rung_counts[ladder_file.id] = len(merged.rungs)
            if chain is not None:
                entries.append(Entry(key_of(ladder_file.path), True, chain, merged))
        catalog.put(entries)
        if entries:
            held = self.store.merged_rows()
            for ladder_file in overlays:
                row = held.get(key_of(ladder_file.path))
                if ladder_file.id in self.good and row is not None and row.stamp == chains[ladder_file.id]:
                    self.row_ids[ladder_file.id] = row.id
        for ladder_id, count in rung_counts.items():
            self._summaries[ladder_id] = self._summaries[ladder_id]._replace(rungs=count)

    def rungs_named(self, name: str) -> list[MatchedRung]:
        """Every rung named `name` in the ladders that load, by ladder id and rung order.

        Names match as `names.matches` has them: exactly if any rung's name is `name`, else by
        containing it. A shared rung answers to the names of the rung it stands for.
        """
        key = normalized(name)
        found = self.store.rungs_named(key, exact=True) or self.store.rungs_named(key, exact=False)
        ordered = sorted(found, key=lambda row: (row[0], row[2], row[1]))
        return [MatchedRung(ladder, rung, ref) for ladder, rung, _, ref in dict.fromkeys(ordered)]

    def unresolved_shares(self) -> list[tuple[str, str]]:
        """(ladder id, ref) of every shared rung whose ref names no ladder that loads."""
        return sorted((ladder, ref) for ladder, ref in self.store.shares() if ref.partition(":")[0] not in self.good)
