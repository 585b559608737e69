"""Which ladder files exist, which directory wins, and the rules that span files.

Directories are searched in order: the built-in data, the user's data directory, every entry of
LADDER_PATH, every `--data-dir`. A later directory's ladder overrides an earlier one with the same
id. A broken file only breaks the commands that need it.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from career_ladder.errors import InvalidLadder, NotFound, Problem, printable

if TYPE_CHECKING:
    from career_ladder.cache import Index, Stat, Summary
    from career_ladder.loading import LoadedLadder
    from career_ladder.models import Ladder, Rung

LADDER_SUFFIXES = (".yaml", ".yml")


class DataDir(NamedTuple):
    path: Path
    origin: str  # built-in, user, LADDER_PATH or --data-dir


class LadderFile(NamedTuple):
    """One ladder file. Its path is made when asked for: listing 10,000 files makes pathlib's cost count."""

    id: str
    directory: DataDir
    name: str  # the file's name

    @property
    def path(self) -> Path:
        return self.directory.path / self.name

    @property
    def shown_path(self) -> str:
        """`str(path)`, without pathlib."""
        return os.path.join(str(self.directory.path), self.name)


def builtin_dir() -> Path:
    """The shipped ladders: inside the installed package, or `data/ladders` in a source checkout."""
    packaged = Path(__file__).parent / "data" / "ladders"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "ladders"


def user_dir() -> Path:
    """`ladders/` in the platform's user data directory for `ladder`."""
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
        names = [name for name in os.listdir(directory.path) if name.endswith(LADDER_SUFFIXES) and name[0] != "."]
    except OSError:
        return []
    names.sort()
    return [LadderFile(name[: name.rindex(".")], directory, name) for name in names]


def _stats(folder: str, names: Iterable[str]) -> dict[str, Stat]:
    """(size, mtime_ns) of each file of `folder` (an absolute path ending in a separator) that can be
    looked at, by its absolute path. Relative to the open folder where the platform allows: over
    10,000 files that is a third faster than a stat of each full path."""
    found: dict[str, Stat] = {}
    folder_fd = None
    if os.stat in os.supports_dir_fd:
        with contextlib.suppress(OSError):
            folder_fd = os.open(folder, os.O_RDONLY)
    try:
        for name in names:
            try:
                result = os.stat(name, dir_fd=folder_fd) if folder_fd is not None else os.stat(folder + name)
            except OSError:
                continue
            found[folder + name] = (result.st_size, result.st_mtime_ns)
    finally:
        if folder_fd is not None:
            os.close(folder_fd)
    return found


def normalized(name: str) -> str:
    """A name as compared: case, spacing and punctuation ignored (`Sr. PM` == `sr-pm`)."""
    return re.sub(r"[\W_]+", "", name.casefold())


# Told (files read, files to read) while a command reads files the index does not hold yet.
Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    pass


_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class _Overview(NamedTuple):
    """Every ladder that counts, as the index has it now."""

    good: list[tuple[LadderFile, str]]  # with its absolute path, as the index knows it
    broken: list[InvalidLadder]
    db: Index
    paths: dict[str, str]  # of the good ones, by id
    current: set[str]  # the absolute paths of the good ones: the index also holds other files
    stats: dict[str, Stat]  # (size, mtime_ns) of every file that could be looked at


class Catalog:
    """The ladders of a list of data directories, loaded on demand, each file at most once."""

    def __init__(
        self, directories: Sequence[DataDir], use_cache: bool = True, progress: Progress | None = None
    ) -> None:
        self.directories = list(directories)
        self.use_cache = use_cache
        self.progress = progress or _no_progress
        self._current: _Overview | None = None
        self._loaded: dict[Path, Ladder | InvalidLadder] = {}
        self._listed: list[list[LadderFile]] | None = None
        self._refs: set[str] | None = None

    def _listings(self) -> list[list[LadderFile]]:
        """The ladder files of each directory, in search order."""
        if self._listed is None:
            self._listed = [ladder_files(directory) for directory in self.directories]
        return self._listed

    def files(self) -> list[LadderFile]:
        """Every ladder file in every directory, overridden ones included, in search order."""
        return [f for listing in self._listings() for f in listing]

    def winners(self) -> dict[str, LadderFile]:
        """The file that counts for each ladder id: the last directory's."""
        return {f.id: f for f in self.files()}

    def find(self, ladder_id: str) -> LadderFile | None:
        """The file that counts for `ladder_id`, found without listing any directory."""
        if not _SLUG.fullmatch(ladder_id):  # only an id can be a file name: `../x` never is
            return None
        for directory in reversed(self.directories):
            for suffix in reversed(LADDER_SUFFIXES):  # as in winners(): `x.yml` sorts after `x.yaml`
                name = f"{ladder_id}{suffix}"
                if os.path.lexists(os.path.join(directory.path, name)):
                    return LadderFile(ladder_id, directory, name)
        return None

    def load(self, ladder_file: LadderFile) -> Ladder:
        """The ladder in one file; raises InvalidLadder. Each file is read once per catalog."""
        path = ladder_file.path
        if path not in self._loaded:
            self._loaded[path] = _read(path, self.use_cache)
        result = self._loaded[path]
        if isinstance(result, InvalidLadder):
            raise result
        return result

    def ladder(self, ladder_id: str) -> Ladder:
        """The ladder with this id; NotFound if none, InvalidLadder if its file is broken."""
        found = self.find(ladder_id)
        if found is None:
            raise NotFound(f"no ladder '{printable(ladder_id)}'")
        return self.load(found)

    def overview(self) -> tuple[list[LadderFile], list[InvalidLadder]]:
        """Every ladder file that counts and loads (its id is its ladder's), and the broken ones.

        From the index: a stat of each file, and no summary read.
        """
        overview = self._overview()
        return [ladder_file for ladder_file, _ in overview.good], overview.broken

    def summaries(self, files: Sequence[LadderFile] | None = None) -> list[tuple[LadderFile, Summary]]:
        """The summaries of these ladders that load (of every one, by default), from the index."""
        overview = self._overview()
        wanted = overview.good if files is None else [(f, overview.paths[f.id]) for f in files]
        found = overview.db.summaries({path: overview.stats.get(path, (-1, -1)) for _, path in wanted})
        # A row gone or rewritten since `_overview` (another process), or never written: from the file.
        return [(f, found[path] if path in found else _summary_tuple(summary_of(self.load(f)))) for f, path in wanted]

    def rungs_named(self, name: str) -> list[tuple[str, str, str | None]]:
        """(ladder id, rung id, shared ref) of every rung named `name`, in every ladder that loads.

        Names match as `names.matches` has them: exactly if any rung's name is `name`, else by
        containing it. A shared rung answers to the names of the rung it stands for. In order of
        ladder id, then of the rungs in the ladder; matched on the index, reading no ladder.
        """
        overview = self._overview()
        key = normalized(name)
        own = [row for row in overview.db.rungs_named(key, exact=True) if row[0] in overview.current] or [
            row for row in overview.db.rungs_named(key, exact=False) if row[0] in overview.current
        ]
        found: dict[tuple[str, str], tuple[int, str | None]] = {
            (ladder, rung): (position, None) for _, ladder, rung, position in own
        }
        shared = self._shared_refs()
        waiting = [f"{ladder}:{rung}" for ladder, rung in found]
        while waiting := [ref for ref in waiting if ref in shared]:  # shares of shares: `a:x` -> `b:x` -> a match
            rows = overview.db.sharing(waiting)
            waiting = []
            for path, ladder, position, ref in rows:
                rung = ref.partition(":")[2]  # a shared rung's id is its ref's
                if path in overview.current and (ladder, rung) not in found:
                    found[ladder, rung] = (position, ref)
                    waiting.append(f"{ladder}:{rung}")
        ordered = sorted(found.items(), key=lambda item: (item[0][0], item[1][0]))
        return [(ladder, rung, ref) for (ladder, rung), (_, ref) in ordered]

    def unresolved_shares(self) -> list[tuple[str, str]]:
        """(ladder id, ref) of every shared rung whose ref names no ladder that loads."""
        overview = self._overview()
        ladders = {ladder_file.id for ladder_file, _ in overview.good}
        unresolved = [ref for ref in self._shared_refs() if ref.partition(":")[0] not in ladders]
        rows = overview.db.sharing(unresolved) if unresolved else []
        return sorted((ladder, ref) for path, ladder, _, ref in rows if path in overview.current)

    def _shared_refs(self) -> set[str]:
        """Every ref a shared rung in the index gives: only these are worth looking up."""
        if self._refs is None:
            self._refs = set(self._overview().db.shared_refs())
        return self._refs

    def _overview(self) -> _Overview:
        """Every winner's summary from the index, the files it does not hold read and added to it."""
        if self._current is not None:
            return self._current
        from career_ladder import cache

        winners = self.winners()
        persistent = self.use_cache and cache.enabled()
        index = cache.Index.open(persistent)
        counted: list[tuple[LadderFile, str]] = []  # with its absolute path, as the index knows it
        stats: dict[str, Stat] = {}
        known: dict[str, list[Problem] | None] = {}
        checked: list[tuple[str, dict[str, Stat]]] = []  # folders checked row by row, to remember
        for directory, listing in zip(self.directories, self._listings(), strict=True):
            folder = os.path.join(os.path.abspath(directory.path), "")
            mine = [(f, folder + f.name) for f in listing if winners[f.id] is f]
            found = _stats(folder, [f.name for f, _ in mine])
            unchanged = index.folder_state(folder, found) if persistent and found else None
            if unchanged is None:
                known.update(index.checked(folder, found))
                checked.append((folder, found))
            else:  # nothing changed: no row need be read, only the broken files' problems
                known.update(dict.fromkeys(found))
                known.update(unchanged)
            stats.update(found)
            counted += mine
        missing = [(f, path) for f, path in counted if path not in known]
        read = dict(zip((path for _, path in missing), self._summarize([f.path for f, _ in missing]), strict=True))
        # A file that cannot be looked at is never cached; in memory, every file read counts.
        rows = [(path, stats.get(path, (-1, -1)), read[path]) for path in read if path in stats or not persistent]
        stored = index.store(rows)
        if not stored:  # the index is busy past its timeout, or read-only: work on a copy in memory
            copy = index.in_memory()
            if copy is None:  # not even readable: every summary is read, into an empty one
                unread = [(f, path) for f, path in counted if path not in read]
                read.update(zip((p for _, p in unread), self._summarize([f.path for f, _ in unread]), strict=True))
            index = copy or cache.Index.open(persistent=False)
            index.store([(path, stats.get(path, (-1, -1)), summary) for path, summary in read.items()])
        known.update(
            (path, cache.problems_of(summary) if "problems" in summary else None) for path, summary in read.items()
        )
        for folder, found in checked if persistent and stored else []:
            if found:
                broken_here = {path: problems for path in found if (problems := known[path]) is not None}
                index.remember_folder(folder, found, broken_here)
        good: list[tuple[LadderFile, str]] = []
        broken: list[InvalidLadder] = []
        for ladder_file, path in counted:
            problems = known[path]
            if problems is None:
                good.append((ladder_file, path))
            else:
                broken.append(InvalidLadder(ladder_file.path, problems))
        paths_of = {ladder_file.id: path for ladder_file, path in good}
        self._current = _Overview(good, broken, index, paths_of, set(paths_of.values()), stats)
        return self._current

    def _summarize(self, paths: list[Path]) -> list[dict[str, Any]]:
        """The summaries of files the index does not hold, read on every core when there are many.

        No ladder is kept: over thousands of files, memory stays flat.
        """
        total = len(paths)
        workers = min(_cores(), total // PARALLEL_FILES)
        if workers < 2:
            summaries = []
            for done, path in enumerate(paths, 1):
                summaries.append(_summary_or_problems(self._loaded.get(path) or _read(path, self.use_cache)))
                self.progress(done, total)
            return summaries
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            summaries = []
            chunk = max(1, min(64, total // (workers * 8)))
            for done, summary in enumerate(
                pool.map(_read_summary, paths, [self.use_cache] * total, chunksize=chunk), 1
            ):
                summaries.append(summary)
                self.progress(done, total)
            return summaries

    def loaded(self) -> tuple[list[tuple[LadderFile, Ladder]], list[InvalidLadder]]:
        """Every ladder that counts and loads, and the broken files among them."""
        good: list[tuple[LadderFile, Ladder]] = []
        broken: list[InvalidLadder] = []
        for ladder_file in self.winners().values():
            try:
                good.append((ladder_file, self.load(ladder_file)))
            except InvalidLadder as error:
                broken.append(error)
        return good, broken


# Below this many unindexed files a process each would cost more than it saves.
PARALLEL_FILES = 200


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, not the machine's
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _read_summary(path: Path, use_cache: bool) -> dict[str, Any]:
    """In a worker process: one file's summary, or its problems; its cache entry written on the way."""
    return _summary_or_problems(_read(path, use_cache))


def _summary_or_problems(read: Ladder | InvalidLadder) -> dict[str, Any]:
    if isinstance(read, InvalidLadder):
        return {"problems": [problem.as_dict() for problem in read.problems]}
    return summary_of(read)


def _summary_tuple(summary: dict[str, Any]) -> Summary:
    from career_ladder.cache import Summary

    return Summary(summary["id"], summary["name"], summary["aliases"], summary["rungs"])


def summary_of(ladder: Ladder) -> dict[str, Any]:
    """What `list` shows of a ladder, and the names of its rungs (for `salary` to match)."""
    from career_ladder.models import SharedRung

    rung_names = [
        {"id": entry.id, "shared": entry.shared}
        if isinstance(entry, SharedRung)
        else {"id": entry.id, "names": [normalized(n) for n in (entry.id, entry.title, *entry.aliases)]}
        for entry in ladder.rungs
    ]
    return {
        "id": ladder.id,
        "name": ladder.name,
        "aliases": list(ladder.aliases),
        "rungs": len(ladder.rungs),
        "rung_names": rung_names,
    }


def _read(path: Path, use_cache: bool) -> Ladder | InvalidLadder:
    """A ladder file as a ladder or its problems: from the cache when the file is unchanged."""
    from career_ladder import cache
    from career_ladder.models import construct_ladder

    key = cache.file_key(path) if use_cache and cache.enabled() else None
    entry = cache.read(key) if key is not None else None
    if entry is not None:
        if "ladder" in entry:
            return construct_ladder(entry["ladder"])
        return InvalidLadder(path, cache.problems_of(entry))
    from career_ladder.loading import read_ladder  # only a file the cache does not hold is parsed

    try:
        loaded = read_ladder(path)
    except InvalidLadder as error:
        if key is not None:
            cache.write(key, problems=error.problems)
        return error
    if key is not None:
        cache.write(key, ladder=loaded.ladder.model_dump(mode="json", by_alias=True))
    # The file's data and positions serve `validate` only, which reads files itself: drop them.
    return loaded.ladder


def cross_problems(
    ladders: Iterable[LoadedLadder], every: Sequence[Ladder] = (), unloadable: Mapping[str, Path] | None = None
) -> Iterator[Problem]:
    """The rules that span files, for `ladders`, resolving references against `every` too.

    `every` holds the other ladders in view (for `validate PATH`, the whole catalog), so a company
    ladder may point at a built-in one; `unloadable` names the files of ladders that do not load.
    """
    from career_ladder.loading import field_path
    from career_ladder.models import Rung, SharedRung, falling_promotion

    unloadable = unloadable or {}
    checked = list(ladders)
    by_id = {ladder.id: ladder for ladder in [*every, *(item.ladder for item in checked)]}

    def problem(item: LoadedLadder, code: str, loc: tuple[str | int, ...], message: str) -> Problem:
        line, column = item.document.position(loc)
        return Problem(str(item.document.path), line, column, code, field_path(loc), message)

    def resolve(ref: str, within: Ladder, seen: tuple[str, ...] = ()) -> Rung | str:
        """The rung `ref` names, or why it names none."""
        ladder_id, _, rung_id = ref.rpartition(":")
        ladder = by_id.get(ladder_id) if ladder_id else within
        if ladder is None and ladder_id in unloadable:
            return f"ladder '{ladder_id}' (for '{ref}') is in a file that does not load: {unloadable[ladder_id]}"
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
                    falling_promotion(transition, low, high),
                )
        for index, entry_point in enumerate(ladder.entry_points):
            for ref_index, ref in enumerate(entry_point.lands_on):
                if ":" in ref and isinstance(found := resolve(ref, ladder), str):
                    yield problem(item, "LDR303", ("entry_points", index, "lands_on", ref_index), found)
        for index, comparison in enumerate(ladder.comparisons):
            if comparison.with_ in unloadable:
                message = f"ladder '{comparison.with_}' is in a file that does not load: {unloadable[comparison.with_]}"
                yield problem(item, "LDR303", ("comparisons", index, "with"), message)
            elif comparison.with_ not in by_id:
                yield problem(
                    item, "LDR303", ("comparisons", index, "with"), f"no ladder '{comparison.with_}' to compare with"
                )

    yield from _name_clashes(checked, every)


def _name_clashes(checked: list[LoadedLadder], every: Sequence[Ladder]) -> Iterator[Problem]:
    """A ladder name (id or alias) must lead to one ladder only; ids are claimed before aliases."""
    from career_ladder.loading import field_path

    checked_ids = {item.ladder.id for item in checked}
    # Only the ladders checked have positions to report; the others are in view to claim names.
    in_view: list[tuple[LoadedLadder | None, Ladder]] = [(None, lad) for lad in every if lad.id not in checked_ids]
    in_view += [(item, item.ladder) for item in checked]
    names: list[tuple[LoadedLadder | None, Ladder, tuple[str | int, ...], str]]
    names = [(item, lad, ("id",), lad.id) for item, lad in in_view]
    names += [(item, lad, ("aliases", i), alias) for item, lad in in_view for i, alias in enumerate(lad.aliases)]
    owners: dict[str, str] = {}
    for item, lad, loc, name in names:
        owner = owners.setdefault(normalized(name), lad.id)
        if owner != lad.id and item is not None:
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


class Report(NamedTuple):
    files: int
    problems: list[Problem]


def validate(catalog: Catalog, paths: Sequence[Path] = ()) -> Report:
    """Every problem in `paths` (default: every data directory), references checked across files."""
    from career_ladder.loading import read_ladder

    problems: list[Problem] = []
    targets: list[LadderFile] = []
    for path in paths:
        try:
            if path.is_dir():
                targets += ladder_files(DataDir(path, "argument"))
            elif os.path.lexists(path):
                targets.append(LadderFile(path.stem, DataDir(path.parent, "argument"), path.name))
            else:
                problems.append(Problem(str(path), 1, 1, "LDR001", "", "no such file or directory"))
        except OSError as error:
            problems.append(Problem(str(path), 1, 1, "LDR001", "", f"cannot read it: {error.strerror or error}"))
    context: list[Ladder] = []
    unloadable: dict[str, Path] = {}
    if paths:
        good, broken = catalog.loaded()
        context = [ladder for _, ladder in good]
        unloadable = {error.path.stem: error.path for error in broken}
    else:
        targets = catalog.files()
    targets = list({_identity(t.path): t for t in targets}.values())  # `validate . x.yaml` reads x.yaml once
    checked: list[LoadedLadder] = []
    for ladder_file in targets:
        try:  # read afresh, not from the cache: cross-file problems need every value's position
            checked.append(read_ladder(ladder_file.path))
        except InvalidLadder as error:
            problems += error.problems
            unloadable[ladder_file.id] = ladder_file.path
    problems += twin_files(targets)
    problems += cross_problems(checked, context, unloadable)
    return Report(len(targets), sorted(set(problems)))


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop still names one file
        return path.absolute()


class PlacedRung(NamedTuple):
    """A rung as it stands in one ladder: its own, or shared from another (`pm:director`)."""

    ladder: str
    rung: Rung
    shared_from: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.ladder}:{self.rung.id}"


def placed_rungs(catalog: Catalog, ladder: Ladder) -> list[PlacedRung]:
    """The rungs of `ladder` in order, shared ones read from the ladder that writes them."""
    from career_ladder.models import Rung

    return [
        PlacedRung(ladder.id, entry)
        if isinstance(entry, Rung)
        else PlacedRung(ladder.id, shared_rung(catalog, entry.shared), entry.shared)
        for entry in ladder.rungs
    ]


def shared_rung(catalog: Catalog, ref: str) -> Rung:
    """The rung a shared ref (`pm:director`) stands for, following a chain of shares (`a:x` -> `b:x` -> rung)."""
    from career_ladder.models import Rung

    seen = [ref]
    while True:
        owner_id, _, rung_id = seen[-1].partition(":")
        target = catalog.ladder(owner_id).rung(rung_id)
        if isinstance(target, Rung):
            return target
        if target is None:
            raise NotFound(f"'{seen[0]}' leads to '{seen[-1]}', which no ladder has")
        if target.shared in seen:
            raise NotFound(f"shared rungs point at each other in a circle: {' -> '.join([*seen, target.shared])}")
        seen.append(target.shared)
