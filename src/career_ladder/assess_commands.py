"""`ladder assess`: where a person stands against a rung, in an assessment file of their own
(the format: docs/assessments.md). As `cli`, it parses arguments and writes what the library answers."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from career_ladder.completion import FormatOption, LadderArgument, complete_rung
from career_ladder.errors import BadArgument, InvalidLadder, printable
from career_ladder.results import Format
from career_ladder.terminal import ExitCode, ladders_of

assess_app = typer.Typer(
    help="Where you stand against a rung: an assessment file of your own.", no_args_is_help=True, rich_markup_mode=None
)


@assess_app.command("start")
def assess_start(
    ctx: typer.Context,
    ladder: LadderArgument,
    rung: Annotated[str, typer.Argument(help="The rung you hold now.", autocompletion=complete_rung)],
    target: Annotated[
        str | None, typer.Option("--target", metavar="RUNG", help="The rung you aim for (default: the next one).")
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Where to write it (default: your assessments folder)."),
    ] = None,
) -> None:
    """Write an assessment to fill in: one item per expectation of the rung you aim for."""
    started = ladders_of(ctx).start_assessment(ladder, rung, target=target, output=output)
    sections = Counter(item.section for item in started.assessment.items)
    counted = ", ".join(f"{count} {section}" for section, count in sections.items())
    typer.echo(f"wrote {printable(str(started.path))}: {len(started.assessment.items)} items ({counted})")
    typer.echo(f"next: set each item's status and evidence, then `ladder assess check {printable(str(started.path))}`")


@assess_app.command("check")
def assess_check(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(metavar="FILE", help="An assessment file.")]
) -> None:
    """Check an assessment file (every problem with its line, as `validate` does for a ladder), and
    say what the ladder asks differently since the file was written."""
    try:
        assessment = ladders_of(ctx).read_assessment(file)
    except InvalidLadder as error:
        for problem in error.problems:
            typer.echo(str(problem))
        typer.echo(f"{len(error.problems)} problem{'s' if len(error.problems) != 1 else ''} in {printable(str(file))}")
        raise typer.Exit(ExitCode.NOT_FOUND_OR_INVALID) from None
    statuses = Counter(item.status for item in assessment.items)
    counted = ", ".join(f"{statuses[status]} {status}" for status in ("met", "partly", "not-yet", "not-assessed"))
    typer.echo(f"ok: {printable(str(file))}: {len(assessment.items)} items ({counted})")
    changed = ladders_of(ctx).since_written(assessment)
    lines = [f"new: [{item.section}] {item.text}" for item in changed.new]
    lines += [f"removed: [{item.section}] {item.text} ({item.key})" for item in changed.removed]
    lines += [f"reworded: [{was.section}] {was.text} -> {now.text} ({was.key})" for was, now in changed.reworded]
    if lines:
        typer.echo("since it was written, the ladder asks differently (a new file from `assess start` has it all):")
        for line in lines:
            typer.echo(f"  {printable(line)}")


@assess_app.command("diff")
def assess_diff(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(metavar="OLD", help="The earlier assessment: a file, or REV:path.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The later one, of the same target.")],
    fmt: FormatOption = Format.table,
) -> None:
    """What moved from one assessment to a later one: items met since, other changes of status,
    evidence gained, items a ladder change added or removed. Exit 0 when nothing moved, 1 when
    something did (as `ladder diff`), 2 on error."""
    from career_ladder.render.readiness import render_progress

    moved = ladders_of(ctx).assessment_changes(old, new)
    render_progress(moved, fmt, sys.stdout)
    raise typer.Exit(ExitCode.NOT_FOUND_OR_INVALID if moved.rows() else ExitCode.OK)


def readiness(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(metavar="FILE|DIR", help="Your assessment (or REV:path); a folder of them for a team.")
    ],
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="OLD", help="An earlier assessment (or REV:path): show what moved."),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="List the items folded away too.")] = False,
    names: Annotated[bool, typer.Option("--names", help="For a folder: say who stands where.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Where you stand against the rung you aim for: per section and area, the gaps first with the
    signals that speak to them, and a verdict that promises nothing (markdown: a promotion-packet
    draft). For a folder: how many people meet each expectation."""
    from career_ladder.render.readiness import render_calibration, render_readiness

    ladders = ladders_of(ctx)
    if Path(file).is_dir():
        if since is not None:
            raise BadArgument("--since compares two files: name one assessment, not a folder")
        render_calibration(ladders.calibration(file, names=names), fmt, sys.stdout)
        return
    if names:
        raise BadArgument("--names is for a folder of assessments")
    render_readiness(ladders.readiness(file, since=since), fmt, sys.stdout, everything=every)
