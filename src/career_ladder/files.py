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
from collections.abc import Iterable
from pathlib import Path

from career_ladder.datadirs import LADDER_SUFFIXES
from career_ladder.errors import BadArgument, LadderError, printable
from career_ladder.results import Written


def write_whole(named: str | Path, text: str, guarded: Iterable[Path]) -> Written:
    """Write `text` to `target` through a temporary file renamed over it; refuse a ladder file
    (`.yaml`, `.yml`) of the `guarded` data directories, existing or not: it would be read as one."""
    if not str(named):  # Path("") would be the current folder
        raise BadArgument("an output file needs a name (use `-o -` for standard output)")
    target = Path(named)
    shown = printable(str(target))
    link = target if target.is_symlink() else None
    if link is not None:
        if not target.exists():
            raise BadArgument(
                f"{shown} is a symlink to {printable(os.readlink(target))}, which does not exist: not followed"
            )
        target = target.resolve()
    if target.is_dir():
        raise BadArgument(f"{shown} is a folder: name a file in it")
    if target.suffix in LADDER_SUFFIXES:
        folder = target.parent.resolve()
        for directory in guarded:
            if directory.is_dir() and directory.resolve() == folder:
                raise BadArgument(
                    f"{shown} is a ladder file of the data directory {printable(str(directory))}: "
                    "a page is never written over a ladder"
                )
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        kept = target.stat().st_mode & 0o7777 if target.exists() else None  # a new file: as the umask allows
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if kept is None else 0o600)
        try:
            with open(descriptor, "w", encoding="utf-8") as file:
                file.write(text)
            if kept is not None:
                os.chmod(temporary, kept)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as error:
        raise LadderError(f"cannot write {shown}: {error.strerror or error}") from None
    return Written(target, link)


def write_new(path: Path, text: str) -> None:
    """Make the file `path` holding `text`, whole or not at all, never over a file of that name
    (FileExistsError): a temporary file beside it, then linked to its name."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8") as file:
            file.write(text)
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: a rename, after a last look
            if os.path.lexists(path):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
            os.rename(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
