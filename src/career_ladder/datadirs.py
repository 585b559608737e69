"""Where ladder files live: the data directories in search order, and the files in each.

Directories are searched in order: the built-in data, the examples (with `--examples`), the user's
data directory, every entry of LADDER_PATH, every `--data-dir`. A later directory's ladder
overrides an earlier one with the same id.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from career_ladder.errors import Problem

LADDER_SUFFIXES = (".yaml", ".yml")


class DataDir(NamedTuple):
    path: Path
    origin: str  # built-in, examples, user, LADDER_PATH, --data-dir, or argument (a path given to validate)


class LadderFile(NamedTuple):
    """One ladder file; its id is its name without the suffix."""

    id: str
    directory: DataDir
    name: str

    @property
    def path(self) -> Path:
        return self.directory.path / self.name


def builtin_dir() -> Path:
    """The shipped ladders: inside the installed package, or `data/ladders` in a source checkout."""
    return _packaged("ladders", Path("data", "ladders"))


def examples_dir() -> Path:
    """The example company ladders: shipped in the package too, so `--examples` works anywhere."""
    return _packaged("examples", Path("examples"))


def _packaged(name: str, in_checkout: Path) -> Path:
    packaged = Path(__file__).parent / "data" / name
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / in_checkout


def example_ids() -> list[str]:
    return [found.id for found in ladder_files(DataDir(examples_dir(), "examples"))]


def user_dir() -> Path:
    """`ladders/` in the platform's user data directory for `ladder`."""
    import platformdirs  # only the commands that list directories need it

    return Path(platformdirs.user_data_dir("ladder")) / "ladders"


def data_dirs(extra: Sequence[Path] = (), examples: bool = False) -> list[DataDir]:
    """Every data directory, lowest priority first: a team's own ladder wins over an example of its id."""
    dirs = [DataDir(builtin_dir(), "built-in")]
    if examples:
        dirs.append(DataDir(examples_dir(), "examples"))
    dirs.append(DataDir(user_dir(), "user"))
    for entry in os.environ.get("LADDER_PATH", "").split(os.pathsep):
        if entry:
            dirs.append(DataDir(Path(entry), "LADDER_PATH"))
    dirs += [DataDir(Path(path), "--data-dir") for path in extra]
    return dirs


def ladder_files(directory: DataDir) -> list[LadderFile]:
    """The ladder files in one directory (not its subdirectories), by name; none if it cannot be read."""
    try:
        names = sorted(
            name for name in os.listdir(directory.path) if name.endswith(LADDER_SUFFIXES) and not name.startswith(".")
        )
    except OSError:
        return []
    return [LadderFile(name.rpartition(".")[0], directory, name) for name in names]


def ladder_file(path: Path) -> LadderFile:
    """A file named on the command line, as a ladder file of its own folder."""
    return LadderFile(path.stem, DataDir(path.parent, "argument"), path.name)


def twin_files(files: Iterable[LadderFile]) -> Iterator[Problem]:
    """`x.yaml` beside `x.yml`: one directory may hold a ladder id once."""
    seen: dict[tuple[Path, str], LadderFile] = {}
    for found in files:
        key = (found.directory.path, found.id)
        if key in seen:
            message = f"ladder '{found.id}' is also in {seen[key].path.name}; keep one file per id"
            yield Problem(str(found.path), 1, 1, "LDR301", "", message)
        seen.setdefault(key, found)
