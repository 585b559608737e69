"""`ladder import`: a ladder file from a table a team keeps. As `cli`, it parses arguments and
writes what the library answers: the file, or every problem at its place in the input."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from career_ladder.errors import printable
from career_ladder.terminal import ExitCode, ladders_of


def import_ladder(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A tidy table (as `export -f csv` writes it) or a matrix (rung titles across, areas down), "
            "as csv or a workbook sheet (.xlsx); or a Markdown page with YAML front matter (a progression "
            "framework's), or a folder of them: one ladder, a parallel track per page.",
        ),
    ],
    ladder_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="The ladder's id (default: a tidy table's `ladder` column, a matrix's file name, the Markdown page's "
            "or folder's name).",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Where to write it (default: ID.yaml here); - is stdout."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists (whole or not at all).")] = False,
    header_row: Annotated[
        int | None,
        typer.Option(
            "--header-row",
            metavar="N",
            help="The row of a tidy table's column names or a matrix's rung titles (default: found; docs/import.md).",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            metavar="NAME",
            help="The sheet of a workbook to read (default: its Ladder sheet, else Matrix, else the first).",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", metavar="NAME", help="The text encoding of a csv or Markdown file that is not UTF-8 (cp1252)."
        ),
    ] = None,
) -> None:
    """A ladder file from a spreadsheet or Markdown pages, checked as `validate` checks one."""
    from career_ladder.importing import ImportFailed

    try:
        result = ladders_of(ctx).import_file(
            file, ladder_id=ladder_id, encoding=encoding, header_row=header_row, sheet=sheet
        )
    except ImportFailed as failed:
        for problem in failed.problems[:_PROBLEMS_SHOWN]:
            typer.echo(str(problem), err=True)
        hidden = len(failed.problems) - _PROBLEMS_SHOWN
        more = f" ({hidden} more not shown)" if hidden > 0 else ""
        count = len(failed.problems)
        typer.echo(
            f"ladder: {printable(str(file))} gives no valid ladder: {count} problem{'s' if count > 1 else ''}{more}",
            err=True,
        )
        if any(problem.code == "LDR304" for problem in failed.problems):
            typer.echo("ladder: its id replaces a ladder another one needs: name it with --id", err=True)
        raise typer.Exit(ExitCode.NOT_FOUND_OR_INVALID) from None
    for warning in result.warnings:
        typer.echo(f"ladder: warning: {printable(warning)}", err=True)
    if output == "-":
        sys.stdout.write(result.text)
    else:
        written = ladders_of(ctx).write_import(result, output, force=force)
        rungs = len(result.ladder.rungs)
        what = f"ladder {result.ladder.id}, {rungs} rung{'s' if rungs != 1 else ''}"
        typer.echo(
            f"wrote {printable(str(written.path))}: {what}, from {printable(str(file))} ({result.layout})",
            err=True,
        )
    if result.stand_ins:
        typer.echo(f"written as not given, to replace ({len(result.stand_ins)}):", err=True)
        for field in result.stand_ins:
            typer.echo(f"  {printable(field)}", err=True)
    if result.kept_as_notes:
        typer.echo(f"kept as notes, having no field of their own ({len(result.kept_as_notes)}):", err=True)
        for kept in result.kept_as_notes:
            typer.echo(f"  {printable(kept)}", err=True)


_PROBLEMS_SHOWN = 50
