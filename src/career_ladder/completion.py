"""Shell completion: what a shell offers after `ladder show `, `--ladder ` or `-f `, from the data
directories the command line names so far (no progress bar, no warnings: a shell shows neither)."""

from pathlib import Path
from typing import Annotated

import typer

from career_ladder.catalog import Catalog
from career_ladder.datadirs import data_dirs
from career_ladder.results import Format, ReportFormat


def complete_ladder(ctx: typer.Context, incomplete: str) -> list[str]:
    """Ladder ids and aliases, for shell completion."""
    from career_ladder import queries

    return queries.ladder_names(completion_catalog(ctx), incomplete)


def complete_rung(ctx: typer.Context, incomplete: str) -> list[str]:
    """Rung ids and short aliases of the ladder already typed, or of every ladder."""
    from career_ladder import queries

    return queries.rung_short_names(completion_catalog(ctx), ctx.params.get("ladder"), incomplete)


def complete_source(ctx: typer.Context, incomplete: str) -> list[str]:
    """Source ids of every ladder (or of `--ladder`)."""
    from career_ladder import knowledge

    return knowledge.source_ids(completion_catalog(ctx), ctx.params.get("ladder"), incomplete)


def completion_catalog(ctx: typer.Context) -> Catalog:
    typed = ctx.find_root().params.get("data_dir") or []
    examples = bool(ctx.find_root().params.get("examples"))
    return Catalog(data_dirs([Path(directory) for directory in typed if directory], examples))


def complete_report_format(incomplete: str) -> list[str]:
    return [name for name in ReportFormat if name.startswith(incomplete)]


LadderArgument = Annotated[
    str, typer.Argument(help="Ladder id, name or alias (pm, TPM, ...).", autocompletion=complete_ladder)
]

FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output: table for people; json, yaml, csv or markdown for scripts.")
]
