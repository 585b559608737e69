"""The `ladder` command: parse arguments, call the library, pick a renderer, map errors to exit codes."""

from __future__ import annotations

import json
import os
import sys
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ladder import __version__
from ladder.catalog import Catalog, data_dirs, validate
from ladder.errors import LadderError, NotFound, printable
from ladder.render import Column, Format, render


class ExitCode(IntEnum):
    OK = 0
    NOT_FOUND_OR_INVALID = 1
    USAGE = 2
    INTERRUPTED = 130


class _Group(TyperGroup):
    """Turns the library's errors into one line on stderr, wherever a command raises them."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except LadderError as error:
            if os.environ.get("LADDER_DEBUG"):
                raise
            typer.echo(f"ladder: {printable(str(error))}", err=True)
            ctx.exit(ExitCode.NOT_FOUND_OR_INVALID)


app = typer.Typer(
    cls=_Group,
    name="ladder",
    help="Career ladders for product management (PM) and technical product management (TPM).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output: table for people; json, yaml, csv or markdown for scripts.")
]


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"ladder {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data_dir: Annotated[
        list[Path] | None,
        typer.Option("--data-dir", metavar="DIR", help="Also read ladders from DIR (repeatable; later wins)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    ctx.obj = Catalog(data_dirs(data_dir or []))


def _catalog(ctx: typer.Context) -> Catalog:
    catalog = ctx.find_root().obj
    assert isinstance(catalog, Catalog)
    return catalog


@app.command("list")
def list_ladders(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """List every ladder: id, name, rung count and the directory it came from."""
    catalog = _catalog(ctx)
    good, broken = catalog.loaded()
    for error in broken:
        typer.echo(f"ladder: skipped {printable(str(error))}", err=True)
    records = [
        {
            "id": item.ladder.id,
            "name": item.ladder.name,
            "aliases": list(item.ladder.aliases),
            "rungs": len(item.ladder.rungs),
            "origin": ladder_file.directory.origin,
            "path": str(ladder_file.path),
        }
        for ladder_file, item in sorted(good, key=lambda pair: pair[1].ladder.id)
    ]
    columns = [
        Column("id", "Id"),
        Column("name", "Name"),
        Column("rungs", "Rungs"),
        Column("origin", "From"),
        Column("path", "File"),
    ]
    render(records, columns, fmt, sys.stdout)


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("validate")
def validate_files(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or directories (default: every data directory).")
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="text for people, json for tools.")
    ] = ReportFormat.text,
) -> None:
    """Check ladder files and report every problem as path:line:col: CODE: field: message."""
    report = validate(_catalog(ctx), paths or [])
    if fmt is ReportFormat.json:
        typer.echo(
            json.dumps(
                {
                    "files": report.files,
                    "ok": not report.problems,
                    "problems": [p.as_dict() for p in report.problems],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for problem in report.problems:
            typer.echo(str(problem))
        files = f"{report.files} file{'s' * (report.files != 1)}"
        if report.problems:
            typer.echo(f"{len(report.problems)} problem{'s' * (len(report.problems) != 1)} in {files}", err=True)
        else:
            typer.echo(f"ok: {files} checked, no problems")
    if report.problems:
        raise typer.Exit(ExitCode.NOT_FOUND_OR_INVALID)
    if report.files == 0 and paths:
        raise NotFound("no ladder files (*.yaml, *.yml) in the paths given")


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of a ladder file, for editors and other validators."""
    from ladder.models import ladder_schema

    typer.echo(json.dumps(ladder_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    """The console script: also ends quietly on a closed pipe or Ctrl-C."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # Python would complain again when flushing stdout at exit; point it at nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(ExitCode.OK)
