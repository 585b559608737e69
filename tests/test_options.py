"""Options that mean the same in every command: `--ladder`/`-l` scopes to one ladder, `--limit` is
the table rows shown, `path --routes` is how many routes are found, `validate -f table` (`text`, its
old name, still read). The commands are taken from the Typer app, so a new one is held to the rules."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from career_ladder.cli import app

MORE = re.compile(r"^… [1-9][0-9]* more rows?: use --limit 0 to see every row$", re.MULTILINE)
INVALID = Path(__file__).parent / "fixtures" / "invalid" / "ldr101.yaml"

# What each command that scopes to a ladder, or cuts a table, needs to run on the built-in ladders.
ARGUMENTS: dict[str, list[str]] = {
    "list": [],
    "show": ["pm"],
    "compare": ["pm", "tpm"],
    "salary": ["director"],
    "search": ["strategy"],
    "sources": [],
    "entry": [],
    "tracks": [],
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def commands() -> dict[str, Any]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def visible(command: Any) -> list[Any]:
    return [p for p in command.params if not getattr(p, "hidden", False)]


def options_named(option: str) -> dict[str, Any]:
    """Each command with a visible `option`, and that option."""
    found = {}
    for name, command in commands().items():
        for param in visible(command):
            if param.param_type_name == "option" and option in param.opts:
                found[name] = param
    return found


def test_a_ladder_scope_is_ladder_or_l_and_a_positional_ladder_is_always_the_subject() -> None:
    wrong = []
    for name, command in commands().items():
        for param in visible(command):
            if param.param_type_name == "argument" and param.name == "ladder" and not param.required:
                wrong.append(f"{name}: an optional LADDER argument is a scope: make it --ladder/-l")
            is_scope = param.param_type_name == "option" and (param.name == "ladder" or "--ladder" in param.opts)
            if is_scope and sorted(param.opts + param.secondary_opts) != ["--ladder", "-l"]:
                wrong.append(f"{name}: {param.opts} should be exactly --ladder and -l")
    assert wrong == []


def test_every_ladder_scope_takes_l_and_ladder_alike() -> None:
    scoped = options_named("--ladder")
    assert set(scoped) == {"salary", "search", "sources", "entry", "tracks"}
    for name in scoped:
        assert name in ARGUMENTS, f"give ARGUMENTS[{name!r}], what `ladder {name}` needs to run"
        args = [name, *ARGUMENTS[name], "-f", "json"]
        everything = run(*args)
        short, long = run(*args, "-l", "pm"), run(*args, "--ladder", "pm")
        assert short == long, name
        assert short[0] == 0 and short[1] != everything[1], name


@pytest.mark.parametrize("command", ["entry", "tracks"])
def test_entry_and_tracks_still_read_a_ladder_given_as_an_argument(command: str) -> None:
    assert run(command, "tpm", "-f", "json") == run(command, "--ladder", "tpm", "-f", "json")
    code, _, err = run(command, "tpm", "--ladder", "pm")
    assert code == 2 and "tpm" in err and "pm" in err
    assert run(command, "-h")[1].startswith(f"Usage: ladder {command} [OPTIONS]\n")  # --ladder is the way shown


def test_limit_is_the_table_rows_shown_in_every_command_that_takes_it() -> None:
    limited = options_named("--limit")
    assert set(limited) == {"list", "show", "compare", "salary", "search"}
    for name, option in limited.items():
        assert option.help.startswith("Table rows to show"), name
        args = [name, *ARGUMENTS[name]]
        code, out, _ = run(*args, "--limit", "1")
        assert code == 0 and MORE.search(out), name
        everything = run(*args, "--limit", "0")[1]
        assert "more row" not in everything, name
        assert run(*args, "--limit", "1", "-f", "json") == run(*args, "--limit", "0", "-f", "json"), name


def test_path_routes_is_how_many_routes_are_found() -> None:
    one = run("path", "apm", "cpo", "--routes", "1", "-f", "json")
    assert one[0] == 0 and len(json.loads(one[1])["routes"]) == 1
    assert len(json.loads(run("path", "apm", "cpo", "--routes", "2", "-f", "json")[1])["routes"]) == 2
    assert run("path", "apm", "cpo", "--limit", "1", "-f", "json") == one  # the old spelling still works
    shown = run("path", "-h")[1]
    assert "--routes" in shown and "--limit" in shown.split("--routes")[1]  # said in --routes' help
    assert "path" not in options_named("--limit")


def test_validate_format_table_is_the_default_and_text_its_old_name() -> None:
    table = run("validate", str(INVALID), "-f", "table")
    assert table[0] == 1 and "LDR101" in table[1]
    assert run("validate", str(INVALID), "-f", "text") == table
    assert run("validate", str(INVALID)) == table
    shown = run("validate", "-h")[1]
    assert "<table|json|github>" in shown and "[default: table]" in shown and "text" not in shown
    code, _, err = run("validate", str(INVALID), "-f", "bogus")
    assert code == 2 and "'bogus' is not one of 'table', 'json', 'github'" in err


def complete(words: str) -> list[str]:
    """What bash completion offers after `words` (the last one being completed)."""
    env = {"_LADDER_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
    result = CliRunner().invoke(app, [], env=env, prog_name="ladder")
    return result.stdout.split()


@pytest.mark.parametrize("command", ["salary director", "search strategy", "sources", "entry", "tracks"])
def test_completion_offers_the_ladder_option_and_the_ladders(command: str) -> None:
    assert "--ladder" in complete(f"ladder {command} --l")
    assert "tpm" in complete(f"ladder {command} -l t")
    assert "tpm" in complete(f"ladder {command} --ladder t")


def test_completion_offers_routes_and_the_report_formats() -> None:
    assert complete("ladder path apm cpo --r") == ["--routes"]
    assert complete("ladder validate -f ") == ["table", "json", "github"]
