"""The `ladder` command: parse arguments, call the library, pick a renderer, map errors to exit codes.

No `from __future__ import annotations` here: Typer reads every command's annotations on each run,
and evaluating them from strings cost more start-up time than anything else in this module.
"""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from typer.core import TyperCommand

from career_ladder import __version__
from career_ladder.api import Ladders
from career_ladder.assess_commands import assess_app, readiness
from career_ladder.completion import (
    FormatOption,
    LadderArgument,
    complete_ladder,
    complete_report_format,
    complete_rung,
    complete_source,
)
from career_ladder.errors import BadArgument, LadderError, printable
from career_ladder.export_command import ExportCommand, export
from career_ladder.import_command import import_ladder
from career_ladder.results import Format, ReportFormat
from career_ladder.terminal import Errors, ExitCode, ladders_of, run, warn, warn_skipped

app = typer.Typer(
    cls=Errors,
    name="ladder",
    help="Career ladders for product management (PM) and technical product management (TPM).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"ladder {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data_dir: Annotated[
        list[str] | None,
        typer.Option("--data-dir", metavar="DIR", help="Also read ladders from DIR (repeatable; later wins)."),
    ] = None,
    examples: Annotated[
        bool,
        typer.Option("--examples", help="Also read the example company ladders that ship with ladder (acme, globex)."),
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    from career_ladder.render.progress import ProgressBar

    if any(not directory for directory in data_dir or []):  # Path("") would be the current directory
        raise BadArgument("--data-dir needs a directory, got ''")
    progress = ProgressBar(sys.stderr)
    ctx.call_on_close(progress.close)
    ladders = Ladders(data_dir or [], examples=examples, progress=progress)
    ctx.call_on_close(ladders.close)
    ctx.call_on_close(lambda: warn(ladders.warnings))
    ctx.obj = ladders


def _print(answer: Any, render: Callable[[Any, Format, IO[str]], None], fmt: Format) -> None:
    """Warn of the ladders the answer skipped, then write it."""
    warn_skipped(answer.skipped)
    render(answer, fmt, sys.stdout)


LimitOption = Annotated[
    int,
    typer.Option("--limit", min=0, help="Table rows to show before cutting (0: all). Other formats give every row."),
]


@app.command("list")
def list_ladders(ctx: typer.Context, fmt: FormatOption = Format.table, limit: LimitOption = 50) -> None:
    """List every ladder: id, name, rung count and the directory it came from."""
    from career_ladder.render.ladders import render_list

    _print(ladders_of(ctx).listing(limit=_table_limit(fmt, limit)), render_list, fmt)


def _table_limit(fmt: Format, limit: int) -> int:
    """How many rows to make: a table's `limit`; every row (0) for the other formats."""
    return limit if fmt is Format.table else 0


LadderOption = Annotated[
    str | None, typer.Option("--ladder", "-l", help="Only this ladder.", autocompletion=complete_ladder)
]


@app.command("show")
def show(
    ctx: typer.Context,
    ladder: LadderArgument,
    rung: Annotated[
        str | None,
        typer.Argument(help="A rung's id, title or abbreviation: show it in full.", autocompletion=complete_rung),
    ] = None,
    detail: Annotated[
        bool, typer.Option("--detail", help="Add each rung's responsibilities and readiness signals.")
    ] = False,
    competencies: Annotated[
        bool, typer.Option("--competencies", help="The competency matrix: each rung's expectations, area by area.")
    ] = False,
    origin: Annotated[
        bool, typer.Option("--origin", help="Mark which ladder's file each rung and point comes from (for `extends`).")
    ] = False,
    fmt: FormatOption = Format.table,
    limit: LimitOption = 50,
) -> None:
    """Show a ladder rung by rung, or one rung in full."""
    from career_ladder.render.ladders import render_ladder, render_rung

    if rung is None:
        view = ladders_of(ctx).ladder(ladder, origin=origin)
        render_ladder(view, fmt, sys.stdout, detail=detail, limit=limit, competencies=competencies)
    else:
        render_rung(ladders_of(ctx).rung(ladder, rung, origin=origin), fmt, sys.stdout)


@app.command("compare")
def compare(
    ctx: typer.Context,
    ladders: Annotated[
        list[str],
        typer.Argument(
            metavar="LADDER LADDER...",
            help="Two or more ladder ids, names or aliases.",
            autocompletion=complete_ladder,
        ),
    ],
    competencies: Annotated[
        bool, typer.Option("--competencies", help="Each rung's expectations, area by area, in place of its pay.")
    ] = False,
    fmt: FormatOption = Format.table,
    limit: LimitOption = 50,
) -> None:
    """Compare ladders side by side, rungs aligned by level, track and stated equivalence, then the
    sources' comparison."""
    from career_ladder.render.compare import render_comparison

    comparison = ladders_of(ctx).compare(ladders)
    render_comparison(comparison, fmt, sys.stdout, limit=limit, competencies=competencies)


@app.command("salary")
def salary(
    ctx: typer.Context,
    role: Annotated[
        str,
        typer.Argument(
            help="A rung's id, title or abbreviation (director, VP, Senior TPM).", autocompletion=complete_rung
        ),
    ],
    ladder: LadderOption = None,
    region: Annotated[
        str | None, typer.Option("--region", "-r", help="Only figures whose region contains this.")
    ] = None,
    fmt: FormatOption = Format.table,
    limit: LimitOption = 50,
) -> None:
    """Every salary figure of every rung that matches ROLE, in every ladder."""
    from career_ladder.render.salary import render_salary

    report = ladders_of(ctx).salary(role, ladder=ladder, region=region, limit=_table_limit(fmt, limit))
    _print(report, render_salary, fmt)


RungArgument = Annotated[str, typer.Argument(help="A rung's id, title or abbreviation.", autocompletion=complete_rung)]


@app.command("next")
def next_rung(ctx: typer.Context, ladder: LadderArgument, rung: RungArgument, fmt: FormatOption = Format.table) -> None:
    """What the next rung asks: readiness signals, added responsibilities and skills, the pay step."""
    from career_ladder.render.moves import render_next

    render_next(ladders_of(ctx).next(ladder, rung), fmt, sys.stdout)


@app.command("path")
def path(
    ctx: typer.Context,
    start: Annotated[
        str,
        typer.Argument(
            metavar="FROM",
            help="Where you are: a rung (apm, pm:senior-pm), a way in (new graduate) or a role.",
            autocompletion=complete_rung,
        ),
    ],
    end: Annotated[
        str,
        typer.Argument(
            metavar="TO",
            help="Where you want to be: a rung, or a role outside the ladders (CEO).",
            autocompletion=complete_rung,
        ),
    ],
    fmt: FormatOption = Format.table,
    routes: Annotated[
        int,
        typer.Option(
            "--routes", min=0, help="Routes to find, shortest first (0: up to 1,000). --limit, its old name, works too."
        ),
    ] = 5,
    old_limit: Annotated[int | None, typer.Option("--limit", min=0, hidden=True)] = None,
) -> None:
    """The shortest routes between two positions over promotions, lateral moves, ways in and exits."""
    from career_ladder.render.moves import render_path

    _print(ladders_of(ctx).path(start, end, routes=routes if old_limit is None else old_limit), render_path, fmt)


# `entry LADDER` and `tracks LADDER`, as they were before `--ladder`: still read, for scripts.
OldLadderArgument = Annotated[str | None, typer.Argument(metavar="LADDER", hidden=True)]


class _Scoped(TyperCommand):
    """A command whose hidden arguments stay out of its usage line too, not only out of its help."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if not (param.param_type_name == "argument" and getattr(param, "hidden", False)):
                pieces += param.get_usage_pieces(ctx)
        return pieces


def _scope(ladder: str | None, old: str | None) -> str | None:
    """`--ladder`, or the LADDER argument that `entry` and `tracks` took before it."""
    if ladder is not None and old is not None and ladder != old:
        raise BadArgument(f"two ladders, '{old}' and --ladder '{ladder}': give one, as --ladder")
    return ladder if ladder is not None else old


@app.command("about")
def about(ctx: typer.Context, ladder: LadderArgument, fmt: FormatOption = Format.table) -> None:
    """What the sources say of a ladder as a whole: outlook, skills, why it varies, ratios, views, notes."""
    from career_ladder.render.knowledge import render_about

    render_about(ladders_of(ctx).about(ladder), fmt, sys.stdout)


@app.command("entry", cls=_Scoped)
def entry(
    ctx: typer.Context, ladder: LadderOption = None, fmt: FormatOption = Format.table, old: OldLadderArgument = None
) -> None:
    """The ways in: where people come from and the rung they land on, the steps in, degrees and certificates."""
    from career_ladder.render.knowledge import render_entry

    _print(ladders_of(ctx).entry(ladder=_scope(ladder, old)), render_entry, fmt)


@app.command("tracks", cls=_Scoped)
def tracks(
    ctx: typer.Context, ladder: LadderOption = None, fmt: FormatOption = Format.table, old: OldLadderArgument = None
) -> None:
    """The specialisations the sources name, with their focus."""
    from career_ladder.render.knowledge import render_tracks

    _print(ladders_of(ctx).tracks(ladder=_scope(ladder, old)), render_tracks, fmt)


@app.command("sources")
def sources(
    ctx: typer.Context,
    source: Annotated[
        str | None, typer.Argument(help="A source id: list the facts it backs.", autocompletion=complete_source)
    ] = None,
    ladder: LadderOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Every source with its title, publisher, date, file and what it covers; or the facts one backs."""
    from career_ladder.render.knowledge import render_source_facts, render_sources

    if source is None:
        _print(ladders_of(ctx).sources(ladder=ladder), render_sources, fmt)
    else:
        _print(ladders_of(ctx).source(source, ladder=ladder), render_source_facts, fmt)


@app.command("search")
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str], typer.Argument(help='Words that must all appear; quote a phrase: "technical roadmap".')
    ],
    ladder: LadderOption = None,
    fmt: FormatOption = Format.table,
    limit: LimitOption = 20,
) -> None:
    """Search everything the ladders say, best match first, with where it stands and its sources."""
    from career_ladder.render.search import render_search

    _print(ladders_of(ctx).search(words, ladder=ladder, limit=_table_limit(fmt, limit)), render_search, fmt)


def _report_format(value: str) -> ReportFormat:
    """`validate --format`: a ReportFormat by its value, or by `text`, table's old name."""
    try:
        return ReportFormat(value)
    except ValueError:
        names = ", ".join(f"'{name}'" for name in ReportFormat)
        raise ValueError(f"{value!r} is not one of {names}.") from None


@app.command("validate")
def validate_files(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or directories (default: every data directory).")
    ] = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            metavar=f"<{'|'.join(ReportFormat)}>",
            parser=_report_format,
            autocompletion=complete_report_format,
            help="table for people, json for tools, github for GitHub Actions annotations.",
        ),
    ] = ReportFormat.table,
) -> None:
    """Check ladder files and report every problem as path:line:col: CODE: field: message."""
    from career_ladder.render.report import render_report

    report = ladders_of(ctx).validate(paths or [])
    render_report(report, fmt, sys.stdout, sys.stderr)
    if report.problems:
        raise typer.Exit(ExitCode.NOT_FOUND_OR_INVALID)


@app.command("init")
def init_ladder(
    ctx: typer.Context,
    ladder_id: Annotated[
        str, typer.Argument(metavar="ID", help="The new ladder's id (kebab-case): the file is ID.yaml.")
    ],
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="LADDER",
            help="Start from this ladder's rungs, tracks, areas and moves.",
            autocompletion=complete_ladder,
        ),
    ] = None,
    directory: Annotated[
        Path, typer.Option("--dir", metavar="DIR", help="Where to write it (default: here).")
    ] = Path(),
) -> None:
    """Write a new ladder file to fill in (valid from the start), never over an existing file."""
    ladders = ladders_of(ctx)
    created = ladders.init(ladder_id, directory, start=start)
    if created.directory:
        typer.echo(f"made the directory {printable(str(created.directory))}")
    typer.echo(f"wrote {printable(str(created.ladder))}")
    if created.schema:
        typer.echo(f"wrote {printable(str(created.schema))} (the schema its first line points your editor to)")
    else:
        typer.echo(
            f"kept the {printable(str(directory / 'ladder.schema.json'))} there (`ladder schema` prints this version's)"
        )
    if ladder_id in ladders:
        typer.echo(f"note: in a data directory, it replaces the ladder '{ladder_id}' that ladder reads now", err=True)
    typer.echo(f"next: fill it in, then `ladder validate {printable(str(created.ladder))}`")


@app.command("examples")
def examples(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Option("--dir", metavar="DIR", help="Where to write them (default: here).")
    ] = Path(),
) -> None:
    """Write the example company ladders (and a proposed change to one) to try the commands on."""
    copied = ladders_of(ctx).write_examples(directory)
    if copied.directory:
        typer.echo(f"made the directory {printable(str(copied.directory))}")
    for path in copied.files:
        typer.echo(f"wrote {printable(str(path))}")


@app.command("diff")
def diff_files(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(metavar="OLD", help="A ladder file, or REV:path read through git.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="A ladder file, or REV:path read through git.")],
    fmt: FormatOption = Format.table,
) -> None:
    """What changes from one version of a ladder file to another: exit 0 when none, 1 when some, 2 on error."""
    from career_ladder.render.diff import render_diff

    try:
        result = ladders_of(ctx).diff(old, new)
    except LadderError as error:
        typer.echo(f"ladder: {printable(str(error))}", err=True)
        raise typer.Exit(ExitCode.USAGE) from None
    render_diff(result, fmt, sys.stdout)
    raise typer.Exit(ExitCode.NOT_FOUND_OR_INVALID if result.changes else ExitCode.OK)


@app.command("schema")
def schema(
    ctx: typer.Context,
    assessment: Annotated[bool, typer.Option("--assessment", help="The schema of an assessment file instead.")] = False,
) -> None:
    """Print the JSON Schema of a ladder file, for editors and other validators."""
    from career_ladder.render.output import json_text

    if assessment:
        from career_ladder.assessment import assessment_schema

        sys.stdout.write(json_text(assessment_schema()))
        return
    sys.stdout.write(json_text(ladders_of(ctx).schema()))


app.add_typer(assess_app, name="assess")
app.command("readiness")(readiness)
app.command("export", cls=ExportCommand)(export)
app.command("import")(import_ladder)


def main() -> None:
    """The console script."""
    run(app)
