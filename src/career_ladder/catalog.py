"""Ladders by id across the data directories: each file read at most once, shared rungs followed.

A broken file only breaks the commands that need it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from career_ladder.datadirs import LADDER_SUFFIXES, DataDir, LadderFile, ladder_files, twin_files
from career_ladder.errors import InvalidLadder, LadderError, NotFound, Problem, debug_note, printable
from career_ladder.names import SLUG, named_suggestion, suggestion
from career_ladder.results import PlacedRung

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
        self.raw: dict[Path, Ladder] = {}  # each overlay as its file has it, before the merge
        self.changed: dict[int, tuple[Rung | SharedRung, str]] = {}
        self._home_pay: dict[
            str, NotPublished | None
        ] = {}  # a shared rung's home ladder's word on pay  # a changed rung: the one it was, and who
        self._extending: list[str] = []  # the overlays being merged, innermost last: a circle ends

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
                self.raw[path] = read
                read = self._merged(read, path)
            self._loaded[path] = read
        result = self._loaded[path]
        if isinstance(result, InvalidLadder):
            raise result
        return result

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
        busy or read-only one is left to its owner and this command goes on in memory."""
        from career_ladder.store import Store, busy, discard

        store = self.store
        store.close()
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

        from career_ladder.store import ROW_DAMAGE, entry_of, key_of, parsed, rebuilt, stamp, unrebuilt

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
        does not load or the chain has a circle (the merge fails then anyway)."""
        from career_ladder.store import key_of, stamp

        parts: list[str] = []
        seen: set[Path] = set()
        at: Path | None = path
        while at is not None and at not in seen:
            seen.add(at)
            now, read = stamp(at), self.read(at)
            if now is None or isinstance(read, InvalidLadder):
                return None
            parts.append(f"{key_of(at).hex()}={now}")
            if read.extends is None:
                return " ".join(parts)
            found = self.replaced_by(at) if read.extends == read.id else self.find(read.extends)
            at = found.path if found else None
        return None

    def _merged(self, overlay: Ladder, path: Path) -> Ladder | InvalidLadder:
        """An overlay laid over the ladder it extends (itself merged first), or why it cannot be."""
        from career_ladder.models import Rung
        from career_ladder.overlay import merge
        from career_ladder.rules import described
        from career_ladder.yamlfile import field_path

        base_id = overlay.extends or ""

        def at(loc: tuple[str | int, ...]) -> tuple[int, int, str]:
            """Where `loc` stands in the overlay's file, and its path there (the file is read again:
            the cache keeps no positions)."""
            from career_ladder.yamlfile import read_document

            try:
                document = read_document(path)
            except InvalidLadder:
                return (1, 1, field_path(loc))
            return (*document.position(loc), document.field_path(loc))

        def stop(message: str) -> InvalidLadder:
            return InvalidLadder(path, [Problem(str(path), *at(("extends",))[:2], "LDR305", "extends", message)])

        if base_id == overlay.id:  # changes the ladder of its id that it replaces (a built-in one)
            found = self.replaced_by(path)
            if found is None:
                return stop(f"no other file of ladder '{base_id}' in an earlier directory to extend")
        elif base_id in self._extending:
            circle = " -> ".join([*self._extending[self._extending.index(base_id) :], overlay.id, base_id])
            return stop(f"ladders extend each other in a circle: {circle}")
        else:
            found = self.find(base_id)
            if found is None:
                return stop(f"no ladder '{base_id}' to extend{suggestion(base_id, list(self.winners()))}")
        self._extending.append(overlay.id)
        try:
            base = self.load(found)
        except InvalidLadder as error:
            cause = error.problems[0]
            if cause.code == "LDR305" and "circle" in cause.message:
                return stop(cause.message)
            return stop(f"ladder '{base_id}', which it extends, does not load: {cause}")
        finally:
            self._extending.pop()

        def level_of(entry: Rung | SharedRung) -> int | None:
            try:
                return entry.level if isinstance(entry, Rung) else self.shared_rung(entry.shared)[1].level
            except LadderError:
                return None

        merged, details = merge(overlay, base, level_of)
        if details:
            problems = []
            for detail in details:
                code, message = described(detail)
                loc = tuple(detail["loc"])
                line, column, where = at(loc)
                problems.append(Problem(str(path), line, column, code, where, message))
            return InvalidLadder(path, problems)
        for rung_id in overlay.change:  # only once the merge holds: a failed one's parts are freed
            if (new := merged.rung(rung_id)) is not None and (old := base.rung(rung_id)) is not None:
                self.changed[id(new)] = (old, overlay.id)
        return merged

    def chain(self, ladder: Ladder, path: Path | None = None) -> list[Ladder]:
        """The ladders `ladder` (read from `path`, or from the file that counts for its id) is made
        of, as their files have them: the one extended first, its own file last."""
        if path is None:
            found = self.find(ladder.id)
            path = found.path if found else None
        raw = self.raw.get(path) if path else None
        if raw is None or raw.extends is None or path is None:
            return [ladder]
        if raw.extends == raw.id:  # the ladder of its id that it replaces
            replaced = self.replaced_by(path)
            return [*self.chain(self.load(replaced), replaced.path), raw] if replaced else [raw]
        return [*self.chain(self.ladder(raw.extends)), raw]

    def origins(self, ladder: Ladder) -> dict[int, str]:
        """Where each part of `ladder` comes from, by identity: the ladder whose file holds it, or,
        for a rung an overlay changed, where the rung comes from and who changed it."""
        from career_ladder.overlay import origins

        found = origins(self.chain(ladder))
        for new, (old, who) in self.changed.items():  # in the order of the merges: the innermost first
            found[new] = f"{found.get(id(old), '?')}, changed by {who}"
        return found

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

    def overview(self, again: bool = False) -> Overview:
        """Every ladder that counts, as the store has it: for commands that look across all of them
        (surveyed `again` after the store was replaced)."""
        if self._overview is None or again:
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
        return PlacedRung(ladder_id, rung, ref, track, rung.pay_not_published or self._home_pay[home_id])


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
