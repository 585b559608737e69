"""What the `ladder` process promises whoever runs it: an exit code for each outcome, an error a user
can cause said in one line on stderr (the traceback only under LADDER_DEBUG), and a stdout whose
failures (a closed pipe, a full disk) are said, not raised."""

import errno
import os
import sys
from collections.abc import Sequence
from enum import IntEnum
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from career_ladder.api import Ladders
from career_ladder.errors import BadArgument, LadderError, Problem, env_flag, printable


class ExitCode(IntEnum):
    OK = 0
    NOT_FOUND_OR_INVALID = 1
    USAGE = 2
    INTERNAL_ERROR = 70  # a bug of ours (EX_SOFTWARE in sysexits.h)
    OUTPUT_FAILED = 74  # stdout could not be written: closed, full (EX_IOERR)
    INTERRUPTED = 130


class Errors(TyperGroup):
    """Turns the library's errors into one line on stderr, wherever a command raises them."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except LadderError as error:
            if env_flag("LADDER_DEBUG"):
                raise
            warn_skipped(error.skipped)
            typer.echo(f"ladder: {printable(str(error))}", err=True)
            ctx.exit(ExitCode.USAGE if isinstance(error, BadArgument) else ExitCode.NOT_FOUND_OR_INVALID)


def ladders_of(ctx: typer.Context) -> Ladders:
    """The library the root command built for this run (`--data-dir`, `--examples`)."""
    ladders = ctx.find_root().obj
    assert isinstance(ladders, Ladders)
    return ladders


def warn(problems: Sequence[Problem]) -> None:
    for problem in problems:
        typer.echo(f"ladder: warning: {problem}", err=True)


def warn_skipped(errors: Sequence[LadderError]) -> None:
    for error in errors:
        typer.echo(f"ladder: skipped {printable(str(error))}", err=True)


class OutputFailed(Exception):
    """Writing to stdout failed (a closed pipe, a full disk): not a bug of ours, nor an OSError
    that Typer would turn into exit status 1 on its own."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class Stdout:
    """`sys.stdout`, its write failures raised as OutputFailed."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            written: int = self.stream.write(text)
        except OSError as error:
            raise OutputFailed(error) from error
        return written

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as error:
            raise OutputFailed(error) from error

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def write_stdout(output: str | bytes) -> None:
    """Text to stdout; bytes (a workbook, into a pipe) to its buffer, a failure said as a text's is."""
    if isinstance(output, str):
        sys.stdout.write(output)
        return
    sys.stdout.flush()
    try:
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
    except OSError as error:
        raise OutputFailed(error) from error


def output_failed(reason: str) -> NoReturn:
    sys.stderr.write(f"ladder: cannot write the output: {reason}\n")
    sys.exit(ExitCode.OUTPUT_FAILED)


def run(app: typer.Typer) -> None:
    """The console script: ends quietly on a closed pipe, says so in one line when the output
    cannot be written, and on Ctrl-C."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        output_failed("stdout is closed")
    if not (sys.stdout.encoding or "").lower().startswith("utf") and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # what it cannot encode is shown escaped
    sys.stdout = Stdout(sys.stdout)
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # now, not at exit, so that a failure is handled here
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(ExitCode.INTERRUPTED)
    except OutputFailed as failed:
        # Python would try to flush stdout again at exit: point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        if failed.error.errno == errno.EPIPE:  # the reader had enough, as `head` does
            sys.exit(ExitCode.OK)
        output_failed(str(failed))
    except Exception as error:  # a bug of ours: one line, and the way to the full story
        if env_flag("LADDER_DEBUG"):
            raise
        sys.stderr.write(
            f"ladder: internal error: {printable(repr(error))} (run with LADDER_DEBUG=1 for the traceback)\n"
        )
        sys.exit(ExitCode.INTERNAL_ERROR)
