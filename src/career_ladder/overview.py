"""Every ladder that counts, for the commands that look across all of them (`list`, `salary`,
`search`): they read the store's rows instead of every ladder.

Each file is looked at (a stat); the files the store does not hold as they are now are read, in
process, and their rows written in one transaction. A ladder that extends another is seen merged:
its merged row is kept on the stats of its whole chain, and made again when one of them changes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from career_ladder.errors import InvalidLadder, Problem, debug_note
from career_ladder.names import normalized
from career_ladder.rebuild import moves_of, signals_of, summary_of
from career_ladder.results import LadderSummary
from career_ladder.store import (
    ROW_DAMAGE,
    Entry,
    Row,
    entry_of,
    key_of,
    parsed,
    stamp,
    unrebuilt,
)

if TYPE_CHECKING:
    from career_ladder.catalog import Catalog
    from career_ladder.datadirs import LadderFile
    from career_ladder.models import Ladder
    from career_ladder.store import Store

# How a file name is made bytes (as `os.fsencode` does), for the store's keys.
_FILE_NAMES = (sys.getfilesystemencoding(), sys.getfilesystemencodeerrors())


T = TypeVar("T")

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
        self.rows: dict[str, tuple[bytes, bool]] = {}  # the row of each ladder in `good`: path, and if merged
        self.surveyed_in: Store | None = None  # the store whose rows `rows` names
        self._surveyed()

    def _surveyed(self) -> None:
        for _ in range(2):  # a store that fails is replaced (by one in memory at worst), and read again
            try:
                if self._survey():
                    return
            except sqlite3.Error as error:
                self.catalog.store_failed(error)
        self._survey()

    def _asked(self, question: Callable[[Store], T]) -> T:
        """A question to the store; after an error of it, asked again of the store made anew (and
        surveyed again first if another question replaced it meanwhile)."""
        if self.surveyed_in is not self.store:
            self._surveyed()
        try:
            return question(self.store)
        except sqlite3.Error as error:
            self.catalog.store_failed(error)
            self._surveyed()
            return question(self.store)

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
        for ladder_file, key in counted:
            now, row = stamp(key), rows.get(key)
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
        self.rows = {}
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
            self.rows[ladder_file.id] = (key, found.extends is not None)  # an overlay is searched merged
            if found.extends is not None:
                overlays.append(ladder_file)
        self._merge(overlays)
        if catalog.store is not store:
            return False
        store.scope(self.rows.values())
        self.surveyed_in = store
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

    def _merge(self, overlays: list[LadderFile]) -> None:
        """Count the rungs of each ladder that extends another as merged: from its merged row while
        no file of its chain changed, else merged (and stored) now; one that does not merge is moved
        to `broken`."""
        for ladder_file in overlays:
            row = self.store.row(key_of(ladder_file.path), merged=True)
            chain = self.catalog.chain_stamp(ladder_file.path)
            if row is not None and chain is not None and row.stamp == chain and isinstance(row.rungs, int):
                rungs = row.rungs
            else:
                try:
                    rungs = len(self.catalog.load(ladder_file).rungs)
                except InvalidLadder as error:
                    self.broken.append(error)
                    del self.good[ladder_file.id], self.rows[ladder_file.id]
                    continue
            self._summaries[ladder_file.id] = self._summaries[ladder_file.id]._replace(rungs=rungs)

    def rungs_named(self, name: str) -> tuple[list[MatchedRung], list[tuple[str, str]]]:
        """Every rung named `name` in the ladders that load, by ladder id and rung order; and (ladder
        id, ref) of every shared rung whose ref names no ladder that loads. Asked of the store in one
        go: after an error of it, both are asked again, as neither can be trusted.

        Names match as `names.matches` has them: exactly if any rung's name is `name`, else by
        containing it. A shared rung answers to the names of the rung it stands for.
        """
        key = normalized(name)

        def asked(store: Store) -> tuple[list[tuple[str, str, int, str | None]], list[tuple[str, str]]]:
            named = store.rungs_named(key, exact=True) or store.rungs_named(key, exact=False)
            return named, store.shares_of_none(self.good.keys())

        found, shares = self._asked(asked)
        ordered = sorted(found, key=lambda row: (row[0], row[2], row[1]))
        matched = [MatchedRung(ladder, rung, ref) for ladder, rung, _, ref in dict.fromkeys(ordered)]
        return matched, sorted(shares)

    def moves(self) -> dict[str, dict[str, list[Any]]]:
        """What `path` walks of every ladder that loads (`rebuild.moves_of`), by id."""
        return self._held(lambda store: store.moves(), moves_of, self.good.keys())

    def signals(self, ladder_ids: Collection[str]) -> dict[str, dict[str, list[Any]]]:
        """The signals of these ladders' moves (`rebuild.signals_of`), by id."""
        return self._held(lambda store: store.signals(ladder_ids), signals_of, ladder_ids)

    def _held(
        self,
        asked: Callable[[Store], list[tuple[str, str]]],
        made: Callable[[Ladder], dict[str, list[Any]]],
        wanted: Collection[str],
    ) -> dict[str, dict[str, list[Any]]]:
        """What the store holds of the `wanted` ladders that load, by id; a row that cannot be used
        is made from the ladder."""
        found = {}
        for ladder_id, held in self._asked(asked):
            if ladder_id not in self.good:
                continue
            try:
                found[ladder_id] = json.loads(held)
                if not isinstance(found[ladder_id], dict):
                    raise ValueError("damaged row")
            except ROW_DAMAGE as error:
                path = self.good[ladder_id].path
                unrebuilt.append(path)
                debug_note(f"the store's row for {path} could not be used ({error!r}): read the ladder again")
                found[ladder_id] = made(self.catalog.load(self.good[ladder_id]))
        for ladder_id in (self.good.keys() & set(wanted)) - found.keys():  # not stored now (the store is another's)
            found[ladder_id] = made(self.catalog.load(self.good[ladder_id]))
        return found
