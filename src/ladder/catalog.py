"""Which ladder files exist, which directory wins, and the rules that span files.

Directories are searched in order: the built-in data, the user's data directory, every entry of
LADDER_PATH, every `--data-dir`. A later directory's ladder overrides an earlier one with the same
id. A broken file only breaks the commands that need it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ladder.errors import InvalidLadder, NotFound, Problem
from ladder.loading import LADDER_SUFFIXES, LoadedLadder, field_path, read_ladder
from ladder.models import Ladder, Rung, SharedRung


@dataclass(frozen=True)
class DataDir:
    path: Path
    origin: str  # built-in, user, LADDER_PATH or --data-dir


@dataclass(frozen=True)
class LadderFile:
    id: str
    path: Path
    directory: DataDir


def builtin_dir() -> Path:
    """The shipped ladders: inside the installed package, or `data/ladders` in a source checkout."""
    packaged = Path(str(resources.files("ladder"))) / "data" / "ladders"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "ladders"


def user_dir() -> Path:
    import platformdirs  # costs start-up time; only the commands that list directories need it

    return Path(platformdirs.user_data_dir("ladder")) / "ladders"


def data_dirs(extra: Sequence[Path] = ()) -> list[DataDir]:
    """Every data directory, lowest priority first."""
    dirs = [DataDir(builtin_dir(), "built-in"), DataDir(user_dir(), "user")]
    for entry in os.environ.get("LADDER_PATH", "").split(os.pathsep):
        if entry:
            dirs.append(DataDir(Path(entry), "LADDER_PATH"))
    dirs += [DataDir(Path(path), "--data-dir") for path in extra]
    return dirs


def ladder_files(directory: DataDir) -> list[LadderFile]:
    """The ladder files in one directory (not its subdirectories), by name."""
    try:
        entries = sorted(directory.path.iterdir())
    except OSError:
        return []
    return [
        LadderFile(entry.stem, entry, directory)
        for entry in entries
        if entry.suffix in LADDER_SUFFIXES and not entry.name.startswith(".")
    ]


def normalized(name: str) -> str:
    """A name as compared: case, spacing and punctuation ignored (`Sr. PM` == `sr-pm`)."""
    return re.sub(r"[\W_]+", "", name.casefold())


class Catalog:
    """The ladders of a list of data directories, loaded on demand."""

    def __init__(self, directories: Sequence[DataDir]) -> None:
        self.directories = list(directories)
        self._loaded: dict[Path, LoadedLadder | InvalidLadder] = {}

    def files(self) -> list[LadderFile]:
        """Every ladder file in every directory, overridden ones included, in search order."""
        return [f for directory in self.directories for f in ladder_files(directory)]

    def winners(self) -> dict[str, LadderFile]:
        """The file that counts for each ladder id: the last directory's."""
        return {f.id: f for f in self.files()}

    def load(self, ladder_file: LadderFile) -> LoadedLadder:
        """The ladder in one file; raises InvalidLadder (remembered, so each file is read once)."""
        if ladder_file.path not in self._loaded:
            try:
                self._loaded[ladder_file.path] = read_ladder(ladder_file.path)
            except InvalidLadder as error:
                self._loaded[ladder_file.path] = error
        result = self._loaded[ladder_file.path]
        if isinstance(result, InvalidLadder):
            raise result
        return result

    def ladder(self, ladder_id: str) -> Ladder:
        """The ladder with this id; NotFound if none, InvalidLadder if its file is broken."""
        found = self.winners().get(ladder_id)
        if found is None:
            raise NotFound(f"no ladder '{ladder_id}'")
        return self.load(found).ladder

    def loaded(self) -> tuple[list[tuple[LadderFile, LoadedLadder]], list[InvalidLadder]]:
        """Every ladder that counts and loads, and the broken files among them."""
        good: list[tuple[LadderFile, LoadedLadder]] = []
        broken: list[InvalidLadder] = []
        for ladder_file in self.winners().values():
            try:
                good.append((ladder_file, self.load(ladder_file)))
            except InvalidLadder as error:
                broken.append(error)
        return good, broken


def cross_problems(ladders: Iterable[LoadedLadder], every: Sequence[LoadedLadder] = ()) -> Iterator[Problem]:
    """The rules that span files, for `ladders`, resolving references against `every` too.

    `every` holds the other ladders in view (for `validate PATH`, the whole catalog), so a company
    ladder may point at a built-in one.
    """
    checked = list(ladders)
    by_id = {item.ladder.id: item.ladder for item in [*every, *checked]}

    def problem(item: LoadedLadder, code: str, loc: tuple[str | int, ...], message: str) -> Problem:
        line, column = item.document.position(loc)
        return Problem(str(item.document.path), line, column, code, field_path(loc), message)

    def resolve(ref: str, within: Ladder, seen: tuple[str, ...] = ()) -> Rung | str:
        """The rung `ref` names, or why it names none."""
        ladder_id, _, rung_id = ref.rpartition(":")
        ladder = by_id.get(ladder_id) if ladder_id else within
        if ladder is None:
            return f"no ladder '{ladder_id}' for '{ref}'"
        entry = ladder.rung(rung_id)
        if entry is None:
            return f"no rung '{rung_id}' in ladder '{ladder.id}'"
        if isinstance(entry, SharedRung):
            key = f"{ladder.id}:{rung_id}"
            if key in seen:
                return f"shared rungs point at each other in a circle ({' -> '.join((*seen, key))})"
            return resolve(entry.shared, ladder, (*seen, key))
        return entry

    for item in checked:
        ladder = item.ladder
        for index, entry in enumerate(ladder.rungs):
            if isinstance(entry, SharedRung):
                found = resolve(entry.shared, ladder, (f"{ladder.id}:{entry.id}",))
                if isinstance(found, str):
                    yield problem(item, "LDR303", ("rungs", index, "shared"), found)
        for index, transition in enumerate(ladder.transitions):
            ends: list[Rung | str | None] = []
            for end, ref in (("from", transition.from_), ("to", transition.to)):
                end_rung = resolve(ref, ladder) if ref is not None else None
                ends.append(end_rung)
                if isinstance(end_rung, str) and ":" in (ref or ""):
                    yield problem(item, "LDR303", ("transitions", index, end), end_rung)
            low, high = ends
            # Promotions between two rungs of this file were checked when the file loaded.
            is_local = all(
                ":" not in r and isinstance(ladder.rung(r), Rung) for r in (transition.from_, transition.to or "")
            )
            falls = isinstance(low, Rung) and isinstance(high, Rung) and high.level <= low.level
            if transition.kind == "promotion" and falls and not is_local:
                assert isinstance(low, Rung) and isinstance(high, Rung)
                yield problem(
                    item,
                    "LDR205",
                    ("transitions", index, "to"),
                    f"a promotion must rise: '{transition.to}' (level {high.level}) "
                    f"is not above '{transition.from_}' (level {low.level})",
                )
        for index, entry_point in enumerate(ladder.entry_points):
            for ref_index, ref in enumerate(entry_point.lands_on):
                if ":" in ref and isinstance(found := resolve(ref, ladder), str):
                    yield problem(item, "LDR303", ("entry_points", index, "lands_on", ref_index), found)
        for index, comparison in enumerate(ladder.comparisons):
            if comparison.with_ not in by_id:
                yield problem(
                    item, "LDR303", ("comparisons", index, "with"), f"no ladder '{comparison.with_}' to compare with"
                )

    yield from _name_clashes(checked, every)


def _name_clashes(checked: list[LoadedLadder], every: Sequence[LoadedLadder]) -> Iterator[Problem]:
    """A ladder name (id or alias) must lead to one ladder only; ids are claimed before aliases."""
    checked_ids = {item.ladder.id for item in checked}
    in_view = [*(i for i in every if i.ladder.id not in checked_ids), *checked]
    names: list[tuple[LoadedLadder, tuple[str | int, ...], str]] = [(item, ("id",), item.ladder.id) for item in in_view]
    names += [(item, ("aliases", index), alias) for item in in_view for index, alias in enumerate(item.ladder.aliases)]
    owners: dict[str, str] = {}
    for item, loc, name in names:
        owner = owners.setdefault(normalized(name), item.ladder.id)
        if owner != item.ladder.id and any(item is c for c in checked):
            line, column = item.document.position(loc)
            yield Problem(
                str(item.document.path),
                line,
                column,
                "LDR302",
                field_path(loc),
                f"the name '{name}' already stands for ladder '{owner}'",
            )


def twin_files(files: Iterable[LadderFile]) -> Iterator[Problem]:
    """`x.yaml` beside `x.yml`: one directory may hold a ladder id once."""
    seen: dict[tuple[Path, str], LadderFile] = {}
    for ladder_file in files:
        key = (ladder_file.directory.path, ladder_file.id)
        if key in seen:
            yield Problem(
                str(ladder_file.path),
                1,
                1,
                "LDR301",
                "",
                f"ladder '{ladder_file.id}' is also in {seen[key].path.name}; keep one file per id",
            )
        seen.setdefault(key, ladder_file)


@dataclass(frozen=True)
class Report:
    files: int
    problems: list[Problem]


def validate(catalog: Catalog, paths: Sequence[Path] = ()) -> Report:
    """Every problem in `paths` (default: every data directory), references checked across files."""
    problems: list[Problem] = []
    if paths:
        targets: list[LadderFile] = []
        for path in paths:
            if path.is_dir():
                targets += ladder_files(DataDir(path, "argument"))
            elif path.exists() or path.is_symlink():
                targets.append(LadderFile(path.stem, path, DataDir(path.parent, "argument")))
            else:
                problems.append(Problem(str(path), 1, 1, "LDR001", "", "no such file or directory"))
        context = [loaded for _, loaded in catalog.loaded()[0]]
    else:
        targets, context = catalog.files(), []
    checked: list[LoadedLadder] = []
    for ladder_file in targets:
        try:
            checked.append(catalog.load(ladder_file))
        except InvalidLadder as error:
            problems += error.problems
    problems += twin_files(targets)
    problems += cross_problems(checked, context)
    return Report(len(targets), sorted(set(problems)))


@dataclass(frozen=True)
class PlacedRung:
    """A rung as it stands in one ladder: its own, or shared from another (`pm:director`)."""

    ladder: str
    rung: Rung
    shared_from: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.ladder}:{self.rung.id}"


def placed_rungs(catalog: Catalog, ladder: Ladder) -> list[PlacedRung]:
    """The rungs of `ladder` in order, shared ones read from the ladder that writes them."""
    placed = []
    for entry in ladder.rungs:
        if isinstance(entry, Rung):
            placed.append(PlacedRung(ladder.id, entry))
            continue
        owner_id, _, rung_id = entry.shared.partition(":")
        target = catalog.ladder(owner_id).rung(rung_id)
        if not isinstance(target, Rung):
            raise NotFound(f"ladder '{ladder.id}' shares '{entry.shared}', which is not a rung written there")
        placed.append(PlacedRung(ladder.id, target, entry.shared))
    return placed
