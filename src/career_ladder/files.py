"""Writing a file a person names: whole or not at all, and never over a ladder.

A file is written to a temporary file beside its target, then renamed over it (a page) or linked
to its name, which fails when the name is taken (a new file, `init`): so a write cut short (a full
disk, `ulimit -f`) leaves what was there. A symlink is written through when it leads to a file,
and refused when it leads nowhere.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from career_ladder.datadirs import LADDER_SUFFIXES, DataDir, ladder_files
from career_ladder.errors import BadArgument, LadderError, printable
from career_ladder.results import Written

if TYPE_CHECKING:
    from career_ladder.importing import Imported


def write_whole(
    named: str | Path, text: str | bytes, guarded: Iterable[Path], why: str = "an export is never written over a ladder"
) -> Written:
    """Write `text` (UTF-8 text, or the bytes of a workbook) to `named` through a temporary file
    renamed over it; refuse a ladder file (`.yaml`, `.yml`, in any case) of the `guarded` data
    directories, existing or not, however it is named: it would be read as one. A device, a pipe
    or `/dev/stdout` is written into, as it is."""
    if not str(named):  # Path("") would be the current folder
        raise BadArgument("an output file needs a name (use `-o -` for standard output)")
    target = Path(named)
    shown = printable(str(target))
    try:
        found = os.stat(target)  # through any link
    except OSError:
        found = None
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise BadArgument(f"{shown} is a folder: name a file in it")
    if found is not None and not stat.S_ISREG(found.st_mode):  # nothing to replace: what it leads to reads it
        return _written_in_place(target, text, shown, Written(target))
    refuse_ladder_file(target, guarded, shown, why)
    link = target if target.is_symlink() else None
    if link is not None:
        if found is None:
            leads_to = printable(os.readlink(target))
            raise BadArgument(f"{shown} is a symlink to {leads_to}, which does not exist: not followed")
        target = target.resolve()
        refuse_ladder_file(target, guarded, shown, why)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if found is None else 0o600)
    except PermissionError:  # a folder that takes no new file (read-only, immutable): the file itself may be written
        return _written_in_place(target, text, shown, Written(target, link))
    except OSError as error:
        raise LadderError(f"cannot write {shown}: {error.strerror or error}") from None
    try:
        with _opened(descriptor, text) as file:
            file.write(text)
        if found is not None:
            os.chmod(temporary, stat.S_IMODE(found.st_mode))
        os.replace(temporary, target)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise LadderError(f"cannot write {shown}: {error.strerror or error}") from None
        raise
    return Written(target, link)


def _opened(file: int | Path, text: str | bytes) -> IO[Any]:
    """The file opened to write `text`: as UTF-8 text, or as bytes."""
    return open(file, "wb") if isinstance(text, bytes) else open(file, "w", encoding="utf-8")


def _written_in_place(target: Path, text: str | bytes, shown: str, written: Written) -> Written:
    try:
        with _opened(target, text) as file:
            file.write(text)
    except OSError as error:
        raise LadderError(f"cannot write {shown}: {error.strerror or error}") from None
    return written


def refuse_ladder_file(target: Path, guarded: Iterable[Path], shown: str, why: str) -> None:
    """BadArgument for a ladder file (`.yaml`, `.yml`, in any case) of one of the `guarded` data
    directories, existing or not: whatever is written there is read as a ladder. The folder is
    compared as named and as resolved, and an existing file by identity (a link, a hard link)."""
    guarded = [directory for directory in guarded if directory.is_dir()]
    folders = {target.parent.resolve(), target.resolve().parent}
    for directory in guarded:
        if target.suffix.lower() in LADDER_SUFFIXES and directory.resolve() in folders:
            raise BadArgument(f"{shown} is a ladder file of the data directory {printable(str(directory))}: {why}")
    if target.exists():
        for directory in guarded:
            if any(os.path.samefile(target, ladder.path) for ladder in ladder_files(DataDir(directory, ""))):
                raise BadArgument(f"{shown} is a ladder file of the data directory {printable(str(directory))}: {why}")


def write_new(path: Path, text: str, mode: int = 0o666) -> None:
    """Make the file `path` holding `text`, whole or not at all, never over a file of that name
    (FileExistsError): a temporary file beside it, then linked to its name. `mode` as the umask allows."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), "w", encoding="utf-8") as file:
            file.write(text)
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        except OSError:  # a file system without hard links: a rename, after a last look
            if os.path.lexists(path):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
            os.rename(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_import(result: Imported, output: Path | str | None = None, *, force: bool = False) -> Written:
    """`Ladders.write_import`: the YAML to `output` (default `ID.yaml` here), named by the id."""
    if output == "":
        raise BadArgument("an output file needs a name (use `-o -` for standard output)")
    target = Path(output) if output is not None else Path(f"{result.ladder.id}.yaml")
    if target.is_dir():
        raise BadArgument(
            f"{printable(str(target))} is a folder: write {printable(str(target / result.ladder.id))}.yaml"
        )
    if target.suffix.lower() not in (".yaml", ".yml") or target.stem != result.ladder.id:
        raise BadArgument(
            f"a ladder file is named by its id: {result.ladder.id}.yaml, not {printable(target.name)} "
            "(or give --id to name the ladder)"
        )
    if force:
        return write_whole(target, result.text, [])
    try:
        write_new(target, result.text)
    except FileExistsError:
        raise BadArgument(
            f"{printable(str(target))} exists: name another file with -o, or replace it with --force"
        ) from None
    except OSError as error:
        raise LadderError(f"cannot write {printable(str(target))}: {error.strerror or error}") from None
    return Written(target)
