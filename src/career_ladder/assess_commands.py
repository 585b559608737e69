"""`ladder assess`: where a person stands against a rung, in an assessment file of their own
(the format: docs/assessments.md). As `cli`, it parses arguments and writes what the library answers."""

from __future__ import annotations

import shlex
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from career_ladder.completion import FormatOption, LadderArgument, complete_rung
from career_ladder.errors import BadArgument, InvalidLadder, printable
from career_ladder.results import Format
from career_ladder.terminal import ExitCode, ladders_of

if TYPE_CHECKING:
    from career_ladder.results import Started


class AssessGroup(TyperGroup):
    """`ladder assess LADDER RUNG ...` is `ladder assess fill LADDER RUNG ...`: a first argument that
    is no command's name (nor an option, as --help) goes to `fill`."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = [DEFAULT_COMMAND, *args]
        return super().resolve_command(ctx, args)


DEFAULT_COMMAND = "fill"
assess_app = typer.Typer(
    cls=AssessGroup,
    help="Where you stand against a rung: an assessment file of your own. "
    "`ladder assess LADDER RUNG [-i]` goes on with yours (or starts it); the commands below do the rest.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
RungArgument = Annotated[str, typer.Argument(help="The rung you hold now.", autocompletion=complete_rung)]
TargetOption = Annotated[
    str | None,
    typer.Option(
        "--target",
        metavar="RUNG",
        help="The rung you aim for (default: the next one; asked on a terminal when several).",
    ),
]


@assess_app.command("start")
def assess_start(
    ctx: typer.Context,
    ladder: LadderArgument,
    rung: RungArgument,
    target: TargetOption = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Where to write it (default: your assessments folder)."),
    ] = None,
) -> None:
    """Write an assessment to fill in: one item per expectation of the rung you aim for."""
    started = ladders_of(ctx).start_assessment(
        ladder, rung, target=target or _asked_target(ctx, ladder, rung), output=output
    )
    typer.echo(f"wrote {printable(str(started.path))}: {_sections(started)}")
    typer.echo(f"next: set each item's status and evidence, then `ladder assess check {printable(str(started.path))}`")


_SINGULAR = {
    "responsibilities": "responsibility",
    "skills": "skill",
    "expectations": "expectation",
    "signals": "signal",
}


def _sections(started: Started) -> str:
    """`39 items towards pm:senior-pm (25 responsibilities, 4 skills, 10 signals)`: the target is
    said, as it may have been the only one of several with anything to assess."""
    assessment = started.assessment
    sections = Counter(item.section for item in assessment.items)
    counted = ", ".join(
        f"{count} {section if count != 1 else _SINGULAR.get(section, section)}" for section, count in sections.items()
    )
    return f"{len(assessment.items)} items towards {assessment.ladder}:{assessment.target} ({counted})"


def _going_on(ctx: typer.Context, found: Started, *, named_target: bool, named_file: bool) -> str:
    """The command that goes on with `found`: this run's data directories, and its target and file
    when they had to be named."""
    root, assessment = ctx.find_root().params, found.assessment
    options = "".join(f"--data-dir {shlex.quote(directory)} " for directory in root.get("data_dir") or [])
    options += "--examples " if root.get("examples") else ""
    command = f"ladder {options}assess {assessment.ladder} {assessment.rung}"
    command += f" --target {assessment.target}" if named_target else ""
    command += f" -o {shlex.quote(str(found.path))}" if named_file else ""
    return printable(command)


def _asked_target(ctx: typer.Context, ladder: str, rung: str) -> str | None:
    """On a terminal, the target chosen from a menu when the rung leads to several; else None
    (the library then says to name one with --target)."""
    from career_ladder.interactive import at_terminal, chosen_target

    if not at_terminal():
        return None
    promotions = ladders_of(ctx).targets(ladder, rung)
    return chosen_target(promotions[0].move.from_ if promotions else rung, promotions)


@assess_app.command(DEFAULT_COMMAND)
def assess_fill(
    ctx: typer.Context,
    ladder: LadderArgument,
    rung: RungArgument,
    target: TargetOption = None,
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="Walk the items one by one, on a terminal.")
    ] = False,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="The file (default: yours in your assessments folder)."),
    ] = None,
) -> None:
    """Your assessment of LADDER RUNG (also `ladder assess LADDER RUNG`): the one in progress, else a
    new one; with -i, fill it in item by item, each answer written at once."""
    from career_ladder.interactive import Walk, assessed, at_terminal

    if interactive and not at_terminal():
        typer.echo(
            "ladder: --interactive needs a terminal (standard input and output): run it in one, or edit the file "
            "(`ladder assess LADDER RUNG` says which)",
            err=True,
        )
        raise typer.Exit(ExitCode.USAGE)
    ladders = ladders_of(ctx)
    found = ladders.assessment_in_progress(ladder, rung, target=target, output=output)
    chosen = target
    if found is None:
        chosen = target or _asked_target(ctx, ladder, rung)
        found = ladders.start_assessment(ladder, rung, target=chosen, output=output)
        typer.echo(f"started {printable(str(found.path))}: {_sections(found)}")
    else:
        done, total = assessed(found.assessment), len(found.assessment.items)
        typer.echo(f"{printable(str(found.path))}: {done} of {total} items assessed")
    again = _going_on(ctx, found, named_target=chosen is not None, named_file=output is not None)
    if interactive:
        Walk(ladders, found, f"{again} -i").run()
        return
    shown = printable(shlex.quote(str(found.path)))
    typer.echo(f"next: `{again} -i` to fill it in on a terminal, or edit the file (then `ladder assess check {shown}`)")


@assess_app.command("check")
def assess_check(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(metavar="FILE", help="An assessment file.")]
) -> None:
    """Check an assessment file (every problem with its line, as `validate` does for a ladder), and
    say what the ladder asks differently since the file was written."""
    from career_ladder.interactive import statuses_text

    try:
        assessment = ladders_of(ctx).read_assessment(file)
    except InvalidLadder as error:
        for problem in error.problems:
            typer.echo(str(problem))
        typer.echo(f"{len(error.problems)} problem{'s' if len(error.problems) != 1 else ''} in {printable(str(file))}")
        raise typer.Exit(ExitCode.NOT_FOUND_OR_INVALID) from None
    typer.echo(f"ok: {printable(str(file))}: {len(assessment.items)} items ({statuses_text(assessment)})")
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
