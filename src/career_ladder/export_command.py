"""`ladder export`: a ladder as a page, a chart, JSON-LD, a tidy table or a workbook, or every ladder
as a static site. As `cli`, it parses arguments and writes what the library answers."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from career_ladder.completion import complete_ladder
from career_ladder.errors import BadArgument, printable
from career_ladder.results import ExportFormat
from career_ladder.terminal import ladders_of, warn_skipped, write_stdout

_PAIR = "\0"  # no argument holds it: the two ladders of one --compare, joined before parsing


class ExportCommand(TyperCommand):
    """`export` beyond Typer: `--compare A B` takes two ladders and may be given again (a Typer option
    takes one value each time, so each pair is joined into one before parsing); LADDER is optional
    with --site."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ladder = next(param for param in self.params if param.name == "ladder")
        ladder.required = not {"--site", "--compare"} & {arg.split("=")[0] for arg in args}
        try:
            return super().parse_args(ctx, _paired(args))
        finally:
            ladder.required = True  # for this parse only: the command is the process's, not the call's


def _paired(args: list[str]) -> list[str]:
    """`args` with each `--compare A B` as `--compare A<NUL>B`; one with fewer than two ladders as it
    is (then said to take two)."""
    joined: list[str] = []
    at = 0
    while at < len(args):
        arg = args[at]
        if arg == "--":
            return joined + args[at:]
        first, start = (arg.partition("=")[2], at + 1) if arg.startswith("--compare=") else (None, at + 1)
        if arg == "--compare" and at + 1 < len(args) and not args[at + 1].startswith("-"):
            first, start = args[at + 1], at + 2
        if first is not None and start < len(args) and not args[start].startswith("-"):
            joined += ["--compare", f"{first}{_PAIR}{args[start]}"]
            at = start + 1
            continue
        joined.append(arg)
        at += 1
    return joined


def export(
    ctx: typer.Context,
    ladder: Annotated[str | None, typer.Argument(help="Ladder id, name or alias.", autocompletion=complete_ladder)],
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="html: one page to publish; mermaid: a flowchart of rungs and moves; jsonld: schema.org JSON-LD, "
            "each rung an Occupation; csv: the file as a tidy table, a row per value (`ladder import` reads it back); "
            "xlsx: a workbook of the matrix, rungs, pay, sources, a self-assessment and that table (needs -o).",
        ),
    ] = ExportFormat.html,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (whole or not at all; never over a ladder file) instead of stdout; - is stdout.",
        ),
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(
            "--site",
            metavar="DIR",
            help="Every ladder of every data directory as a static site in DIR: an index, a page and a chart per "
            "ladder, the sources (no LADDER, -f or -o).",
        ),
    ] = None,
    pairs: Annotated[
        list[str] | None,
        typer.Option(
            "--compare",
            metavar="A B",
            help="With --site: a page comparing ladders A and B, as `ladder compare A B` does (repeat for more pairs).",
        ),
    ] = None,
) -> None:
    """A ladder as a page, a Mermaid flowchart, JSON-LD, a tidy table or a workbook; or every ladder as a site."""
    if site is not None:
        if ladder is not None and pairs:
            raise BadArgument(f"--compare takes two ladders: '{printable(ladder)}' is a third")
        if (ladder, output) != (None, None) or getattr(ctx.get_parameter_source("fmt"), "name", "") != "DEFAULT":
            raise BadArgument("--site writes every ladder, each as a page: give it without a LADDER, -f or -o")
        out = ladders_of(ctx).site(site, compare=[pair.split(_PAIR) for pair in pairs or []])
        warn_skipped(out.skipped)
        for note in out.notes:
            typer.echo(f"ladder: note: {note}", err=True)
        typer.echo(f"wrote {len(out.files)} files; open {printable(str(out.home))}", err=True)
        return
    if pairs:
        raise BadArgument("--compare adds a page to a site: give --site DIR too")
    if ladder is None:  # where Typer took LADDER for optional (it is not, without --site): as Click says it
        missing = sys.modules[typer.BadParameter.__module__].MissingParameter  # click's, or typer's own copy
        raise missing(ctx=ctx, param=next(p for p in ctx.command.params if p.name == "ladder"))
    if fmt is ExportFormat.xlsx and (output is None or (output == "-" and sys.stdout.isatty())):
        raise BadArgument("a workbook is binary: write it to a file with -o FILE (or -o - into a pipe)")
    ladders = ladders_of(ctx)
    text = ladders.workbook(ladder) if fmt is ExportFormat.xlsx else ladders.export(ladder, fmt=fmt.value)
    if output is None or output == "-":
        write_stdout(text)
        return
    written = ladders.write_file(output, text)
    through = f" (through the symlink {printable(str(written.link))})" if written.link else ""
    typer.echo(f"wrote {printable(str(written.path))}{through}", err=True)
