"""Ladders by id across the data directories: each file read at most once, shared rungs followed.

A broken file only breaks the commands that need it.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from career_ladder.datadirs import LADDER_SUFFIXES, DataDir, LadderFile, ladder_files, twin_files
from career_ladder.errors import InvalidLadder, LadderError, Loc, NotFound, Problem, debug_note, printable
from career_ladder.names import SLUG, named_suggestion, suggestion
from career_ladder.results import Origins, PlacedRung

if TYPE_CHECKING:
    from career_ladder.models import Ladder, NotPublished, Rung, SharedRung
    from career_ladder.overview import Overview
    from career_ladder.store import Entry, Store

# Told (files read, files to read) while a command reads files the store does not hold yet.
Progress = Callable[[int, int], None]
_SLUG = re.compile(SLUG)


class Catalog:
    """The ladders of a list of data directories, loaded on demand, each file at most once."""

    def __init__(
        self,
        directories: Sequence[DataDir],
        use_cache: bool = True,
        progress: Progress | None = None,
    ) -> None:
        self.directories = list(directories)
        self.use_cache = use_cache
        self.progress = progress
        self._store: Store | None = None
        self._loaded: dict[Path, Ladder | InvalidLadder] = {}
        self._listings: list[list[LadderFile]] | None = None
        self._overview: Overview | None = None
        self._shared: dict[str, tuple[str, Rung]] = {}
        self.warnings: list[Problem] = []  # what the command should say besides its answer
        self._origins: dict[Path, Origins] = {}  # by the file of an overlay that merged: where its parts come from
        self._home_pay: dict[str, NotPublished | None] = {}  # a shared rung's home ladder's word on pay
        self._chain_stamps: dict[Path, str | None] = {}
        self._merging: set[Path] = set()  # the overlays whose merge is under way
        self._extends: dict[str, str | None] = {}  # by ladder id: what its file extends, as written

    def listings(self) -> list[list[LadderFile]]:
        """The ladder files of each directory, in search order."""
        if self._listings is None:
            self._listings = [ladder_files(directory) for directory in self.directories]
            for listing in self._listings:
                self._warn_twins(listing)
        return self._listings

    def files(self) -> list[LadderFile]:
        """Every ladder file in every directory, overridden ones included, in search order."""
        return [f for listing in self.listings() for f in listing]

    def winners(self) -> dict[str, LadderFile]:
        """The file that counts for each ladder id: the last directory's."""
        return {f.id: f for f in self.files()}

    def overridden(self, ladder_id: str) -> list[LadderFile]:
        """The files of `ladder_id` that a later directory's file replaces, in search order."""
        found = [f for f in self.files() if f.id == ladder_id]
        return [f for f in found[:-1] if f.directory != found[-1].directory]

    def replaced_by(self, path: Path) -> LadderFile | None:
        """The file of the same ladder id that the file at `path` replaces: the last one before it in
        search order (for a file outside the data directories, the one that counts)."""
        ladder_id = path.stem
        files = [f for f in self.files() if f.id == ladder_id]
        mine = [index for index, f in enumerate(files) if _same_file(f.path, path)]
        before = files[: mine[0]] if mine else files
        return before[-1] if before else None

    def find(self, ladder_id: str) -> LadderFile | None:
        """The file that counts for `ladder_id`, found without listing any directory."""
        if not _SLUG.fullmatch(ladder_id):
            return None
        for directory in reversed(self.directories):
            found = [
                LadderFile(ladder_id, directory, name)
                for name in (f"{ladder_id}{suffix}" for suffix in LADDER_SUFFIXES)
                if os.path.lexists(os.path.join(directory.path, name))
            ]
            if len(found) > 1:
                self._warn_twins(found)
            if found:
                return found[-1]  # as in winners(): `x.yml` sorts after `x.yaml`
        return None

    def _warn_twins(self, files: list[LadderFile]) -> None:
        """`x.yaml` beside `x.yml` (LDR301): said once, whichever command meets it."""
        self.warnings += [problem for problem in twin_files(files) if problem not in self.warnings]

    def load(self, ladder_file: LadderFile) -> Ladder:
        """The ladder in one file; raises InvalidLadder."""
        path = ladder_file.path
        if path not in self._loaded:
            read = self.read(path)
            if not isinstance(read, InvalidLadder) and read.extends is not None:
                self._merging.add(path)
                try:
                    self._load_below(read, path)
                    read = self._stored_merge(read, path)
                finally:
                    self._merging.discard(path)
            self._loaded[path] = read
        result = self._loaded[path]
        if isinstance(result, InvalidLadder):
            raise result
        return result

    def _load_below(self, overlay: Ladder, path: Path) -> None:
        """The overlays under `overlay`, merged from the bottom up, so that each finds the ladder it
        extends merged already: a chain of any length, and no recursion. The walk stops at a file
        being merged (a circle: `extend` says so)."""
        below: list[LadderFile] = []
        found = self._base_file(path, overlay.extends or "")
        while found is not None and found.path not in self._loaded and found.path not in self._merging:
            if found in below:  # a circle under it
                break
            read = self.read(found.path)
            if isinstance(read, InvalidLadder) or read.extends is None:
                break
            below.append(found)
            found = self._base_file(found.path, read.extends)
        for ladder_file in reversed(below):
            with contextlib.suppress(InvalidLadder):  # told when the overlay over it is merged
                self.load(ladder_file)

    def _base_file(self, path: Path, extends: str) -> LadderFile | None:
        """The file of the ladder the file at `path` extends: an earlier one of its own id, or the one in view."""
        return self.replaced_by(path) if extends == path.stem else self.find(extends)

    @property
    def store(self) -> Store:
        """The store, opened on first use (in memory without `use_cache`)."""
        if self._store is None:
            from career_ladder.store import Store

            self._store = Store.open(self.use_cache)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def store_failed(self, error: Exception) -> None:
        """After an error of the store: a damaged file is made anew (in memory if that fails too), a
        busy or read-only one is left to its owner and this command goes on in memory. What was
        read from it is read again: from the files, into the new one."""
        from career_ladder.store import Store, busy, discard

        store = self.store
        store.close()
        self._loaded.clear()
        self._origins.clear()
        self._shared.clear()
        self._home_pay.clear()
        self._chain_stamps.clear()
        self._extends.clear()
        if store.path is not None and not busy(error):
            debug_note(f"the store {store.path} is damaged ({error!r}): made anew")
            discard(store.path)
            self._store = Store.open(self.use_cache)
        else:
            debug_note(f"the store cannot be used now ({error!r}): kept in memory for this command")
            self._store = Store.open(persistent=False)

    def read(self, path: Path) -> Ladder | InvalidLadder:
        """A ladder file as written, as a ladder or its problems: from the store while the file is unchanged."""
        import sqlite3

        from career_ladder.rebuild import rebuilt
        from career_ladder.store import ROW_DAMAGE, entry_of, key_of, parsed, stamp, unrebuilt

        now = stamp(path)
        if now is None:
            return parsed(path)
        try:
            stored = self.store.stored(key_of(path), now)
            if stored is not None:
                return rebuilt(path, stored)
        except sqlite3.Error as error:
            self.store_failed(error)
        except ROW_DAMAGE as error:  # the file is read anew, and its row written again
            unrebuilt.append(path)
            debug_note(f"the store's row for {path} could not be used ({error!r}): read the file again")
        read = parsed(path)
        if (entry := entry_of(path, now, read)) is not None:
            self.put([entry])
        return read

    def put(self, entries: Iterable[Entry], gone: Sequence[bytes] = ()) -> None:
        """Write rows to the store (and delete those of the files `gone`); after an error of the
        store it is replaced, and what was not written is simply not kept."""
        from career_ladder.store import DAMAGE

        try:
            self.store.put(entries, gone)
        except DAMAGE as error:
            self.store_failed(error)

    def chain_stamp(self, path: Path) -> str | None:
        """The stamps of every file the merged ladder of the overlay at `path` is made of, itself
        first: its merged row counts while they are unchanged. None when one cannot be looked at,
        does not load or the chain has a circle (the merge fails then anyway). Kept for the
        command: the chains under it are not walked again."""
        if path not in self._chain_stamps:
            self._chain_stamps[path] = self._stamped(path)
        return self._chain_stamps[path]

    def _stamped(self, path: Path) -> str | None:
        from career_ladder.store import key_of, stamp

        parts: list[str] = []
        seen: set[Path] = set()
        at: Path | None = path
        while at is not None and at not in seen:
            if at in self._chain_stamps:  # the rest of the chain, stamped already
                rest = self._chain_stamps[at]
                return None if rest is None else " ".join([*parts, rest])
            seen.add(at)
            now = stamp(at)
            if now is None:
                return None
            loads, extends = self._written_extends(at, now)
            if not loads:
                return None
            parts.append(f"{key_of(at).hex()}={now}")
            if extends is None:
                return " ".join(parts)
            found = self._base_file(at, extends)
            at = found.path if found else None
        return None

    def _written_extends(self, path: Path, now: str) -> tuple[bool, str | None]:
        """Whether the file at `path` (stamped `now`) loads, and what it extends as written: from
        its row while it is current, so no ladder is rebuilt to learn it."""
        from career_ladder.store import key_of

        row = self.store.row(key_of(path))
        if row is not None and row.stamp == now and row.problems is None:
            return True, row.extends
        read = self.read(path)
        return (False, None) if isinstance(read, InvalidLadder) else (True, read.extends)

    def extends_of(self, ladder_id: str) -> str | None:
        """What the file of `ladder_id` in view extends, as written (None: nothing, or there is no
        such file, or it does not load); kept for the command."""
        from career_ladder.store import stamp

        if ladder_id not in self._extends:
            found = self.find(ladder_id)
            now = stamp(found.path) if found else None
            self._extends[ladder_id] = self._written_extends(found.path, now)[1] if found and now else None
        return self._extends[ladder_id]

    def _stored_merge(self, overlay: Ladder, path: Path) -> Ladder | InvalidLadder:
        """An overlay merged, from the store while no file of its chain changed (else merged and
        stored); where its parts come from is kept for `origins`."""
        import sqlite3

        from career_ladder.rebuild import rebuilt
        from career_ladder.store import ROW_DAMAGE, Entry, key_of, unrebuilt

        chain = self.chain_stamp(path)
        if chain is not None:
            try:
                stored = self.store.stored(key_of(path), chain, merged=True)
                if stored is not None and stored.data is not None:
                    ladder = rebuilt(path, stored)
                    if isinstance(ladder, InvalidLadder):  # a merged row is never of problems
                        raise ValueError("damaged row")
                    self._origins[path] = Origins.from_dict(stored.origins or {})
                    return ladder
            except sqlite3.Error as error:
                self.store_failed(error)
            except ROW_DAMAGE as error:
                unrebuilt.append(path)
                debug_note(f"the store's row for {path} could not be used ({error!r}): merged again")
        merged = self._merged(overlay, path)
        if chain is not None and not isinstance(merged, InvalidLadder):
            self.put([Entry(key_of(path), True, chain, merged, origins=self._origins[path].to_dict())])
        return merged

    def _merged(self, overlay: Ladder, path: Path) -> Ladder | InvalidLadder:
        """An overlay laid over the ladder it extends (itself merged first), or why it cannot be;
        where its parts come from is kept for `origins`."""
        from career_ladder.extending import Bases, Merged, extend
        from career_ladder.models import Rung
        from career_ladder.yamlfile import field_path, read_document

        def where(loc: Loc) -> tuple[int, int, str]:
            """Where `loc` stands in the overlay's file, and its path there (the file is read again:
            the store keeps no positions)."""
            try:
                document = read_document(path)
            except InvalidLadder:
                return (1, 1, field_path(loc))
            return (*document.position(loc), document.field_path(loc))

        def merged(found: LadderFile | None) -> Merged | None:
            if found is None:
                return None
            ladder = self.load(found)
            return Merged(ladder, self.origins(ladder, found.path))

        def level_of(entry: Rung | SharedRung) -> int | None:
            try:
                return entry.level if isinstance(entry, Rung) else self.shared_rung(entry.shared)[1].level
            except LadderError:
                return None

        bases = Bases(
            extended=lambda ladder_id: merged(self.find(ladder_id)),
            replaced=lambda: merged(self.replaced_by(path)),
            ladder_ids=self.winners,
            level_of=level_of,
            extends_of=self.extends_of,
        )
        try:
            ladder, self._origins[path] = extend(overlay, path, where, bases)
        except InvalidLadder as error:
            return error
        return ladder

    def origins(self, ladder: Ladder, path: Path | None = None) -> Origins:
        """Where each part of `ladder` comes from, computed when it merged (read from `path`, or from
        the file that counts for its id): none for a ladder that extends no other."""
        if path is None:
            found = self.find(ladder.id)
            path = found.path if found else None
        return self._origins.get(path, Origins()) if path else Origins()

    def ladder(self, ladder_id: str) -> Ladder:
        """The ladder with this id; NotFound if none, InvalidLadder if its file is broken."""
        found = self.find(ladder_id)
        if found is None:
            raise NotFound(f"no ladder '{printable(ladder_id)}'")
        return self.load(found)

    def loaded(self) -> tuple[list[Ladder], list[InvalidLadder]]:
        """Every ladder that counts and loads, and the broken files among them."""
        good: list[Ladder] = []
        broken: list[InvalidLadder] = []
        for ladder_file in self.winners().values():
            try:
                good.append(self.load(ladder_file))
            except InvalidLadder as error:
                broken.append(error)
        return good, broken

    def overview(self) -> Overview:
        """Every ladder that counts, as the store has it: for commands that look across all of them
        (surveyed again once the store was replaced)."""
        if self._overview is None or self._overview.surveyed_in is not self._store:
            from career_ladder.overview import Overview

            self._overview = Overview(self)
        return self._overview

    def shared_rung(self, ref: str) -> tuple[str, Rung]:
        """The ladder that writes the rung `ref` stands for, and the rung; each ref followed once."""
        if ref not in self._shared:
            try:
                self._shared[ref] = follow_share(ref, self._ladder_or_none, lambda: list(self.winners()))
            except NotFound as error:
                ladder_id = ref.partition(":")[0]
                replaced = self.overridden(ladder_id)
                found = self.find(ladder_id)
                if not replaced or found is None:
                    raise
                cause = f"ladder '{ladder_id}' is read from {found.path}, which replaces {replaced[-1].path}"
                raise NotFound(f"{error} ({cause})") from None
        return self._shared[ref]

    def _ladder_or_none(self, ladder_id: str) -> Ladder | None:
        return self.load(found) if (found := self.find(ladder_id)) else None

    def placed_rungs(self, ladder: Ladder) -> list[PlacedRung]:
        """The rungs of `ladder` in order, shared ones read from the ladder that writes them."""
        return [self.placed(ladder, entry) for entry in ladder.rungs]

    def placed(self, ladder: Ladder, entry: Rung | SharedRung) -> PlacedRung:
        """One rung entry of `ladder` as it stands there: a shared one read from its home ladder,
        with the home's word on pay when the rung has none of its own."""
        from career_ladder.models import SharedRung

        if isinstance(entry, SharedRung):
            return self.placed_share(ladder.id, entry.shared, entry.track)
        return PlacedRung(ladder.id, entry, None, entry.track, entry.pay_not_published or ladder.pay_not_published)

    def placed_share(self, ladder_id: str, ref: str, track: str | None = None) -> PlacedRung:
        """The rung `ref` stands for, as ladder `ladder_id` shares it: read without reading that ladder."""
        home_id, rung = self.shared_rung(ref)
        if home_id not in self._home_pay:  # thousands of ladders may share one rung: its home is looked up once
            home = self._ladder_or_none(home_id)
            self._home_pay[home_id] = home.pay_not_published if home else None
        return PlacedRung(ladder_id, rung, ref, track, rung.pay_not_published or self._home_pay[home_id], home_id)


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return one.absolute() == other.absolute()


def follow_share(
    ref: str, ladder_of: Callable[[str], Ladder | None], ladder_ids: Callable[[], list[str]] = list
) -> tuple[str, Rung]:
    """The ladder and rung a shared ref (`pm:director`) stands for, following shares of shares
    (`a:x` -> `b:x` -> a rung). NotFound says why there is none, with the nearest name (of
    `ladder_ids()` for a ladder); `ladder_of` may raise too."""
    from career_ladder.models import Rung

    seen: list[str] = []
    while True:
        ladder_id, _, rung_id = ref.partition(":")
        ladder = ladder_of(ladder_id)
        if ladder is None:
            raise NotFound(f"no ladder '{ladder_id}' for '{ref}'{suggestion(ladder_id, ladder_ids())}")
        entry = ladder.rung(rung_id)
        if entry is None:
            hint = named_suggestion(rung_id, ladder.rung_names())
            raise NotFound(f"no rung '{rung_id}' in ladder '{ladder_id}'{hint}")
        if isinstance(entry, Rung):
            return ladder_id, entry
        seen.append(ref)
        if entry.shared in seen:
            raise NotFound(f"shared rungs point at each other in a circle ({' -> '.join([*seen, entry.shared])})")
        ref = entry.shared
