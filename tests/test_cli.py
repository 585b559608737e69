"""The `ladder` command through Typer's CliRunner, and as a process where the process matters."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from career_ladder import __version__
from career_ladder.cli import app
from career_ladder.datadirs import builtin_dir
from conftest import minimal_ladder, regional_ladder, run

INVALID = Path(__file__).parent / "fixtures" / "invalid"


def test_version() -> None:
    assert run("--version") == (0, f"ladder {__version__}\n", "")


def test_no_arguments_shows_help() -> None:
    code, out, err = run()
    shown = out + err
    assert code == 2 and "list" in shown and "validate" in shown and "schema" in shown


def test_list_shows_builtin_ladders_with_their_directory() -> None:
    code, out, err = run("list", "--format", "json")
    assert (code, err) == (0, "")
    rows = {row["id"]: row for row in json.loads(out)}
    assert {"pm", "tpm"} <= set(rows)
    assert rows["tpm"]["origin"] == "built-in"
    assert Path(rows["tpm"]["path"]).parent == builtin_dir()
    assert rows["tpm"]["rungs"] >= 5


def test_list_table_has_a_row_per_ladder() -> None:
    code, out, _ = run("list")
    assert code == 0
    assert "Technical product management" in out and "built-in" in out


@pytest.mark.parametrize("fmt", ["yaml", "csv", "markdown"])
def test_list_machine_formats_hold_every_ladder(fmt: str) -> None:
    code, out, _ = run("list", "-f", fmt)
    assert code == 0
    if fmt == "yaml":
        assert {row["id"] for row in yaml.safe_load(out)} >= {"pm", "tpm"}
    elif fmt == "csv":
        assert out.splitlines()[0] == "id,name,rungs,origin,path,overrides"
    else:
        assert out.startswith("| Id | Name |")


def test_data_dir_adds_and_overrides_ladders(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("tpm", name="Our own TPM ladder"))
    write_ladder(tmp_path, minimal_ladder("acme"))
    code, out, _ = run("--data-dir", str(tmp_path), "list", "-f", "json")
    rows = {row["id"]: row for row in json.loads(out)}
    assert code == 0
    assert rows["tpm"]["name"] == "Our own TPM ladder" and rows["tpm"]["origin"] == "--data-dir"
    assert rows["acme"]["origin"] == "--data-dir" and "pm" in rows


def test_user_data_dir_and_ladder_path_are_read(
    tmp_path: Path, isolated_dirs: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ladder(isolated_dirs, minimal_ladder("mine"))
    write_ladder(tmp_path / "shared", minimal_ladder("theirs"))
    monkeypatch.setenv("LADDER_PATH", str(tmp_path / "shared"))
    rows = {row["id"]: row["origin"] for row in json.loads(run("list", "-f", "json")[1])}
    assert rows["mine"] == "user" and rows["theirs"] == "LADDER_PATH"


def test_list_names_a_broken_file_on_stderr_and_goes_on(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, "id: broken\nname: [\n", name="broken")
    write_ladder(tmp_path, minimal_ladder("fine"))
    code, out, err = run("--data-dir", str(tmp_path), "list", "-f", "json")
    assert code == 0
    assert {row["id"] for row in json.loads(out)} >= {"fine", "pm", "tpm"}
    assert err.count("\n") == 1 and "broken.yaml:3:1: LDR003" in err


def test_validate_builtin_data_is_clean() -> None:
    code, out, err = run("validate")
    assert (code, err) == (0, "")
    assert out.startswith("ok: ") and "no problems" in out


def test_validate_reports_every_problem_in_linter_format() -> None:
    code, out, err = run("validate", str(INVALID / "ldr206.yaml"), str(INVALID / "ldr204.yaml"))
    assert code == 1
    assert out.splitlines() == [
        f"{INVALID / 'ldr204.yaml'}:10:60: LDR204: tracks[t].sources[0]: "
        "source 'nowhere' is not declared under `sources`",
        f"{INVALID / 'ldr206.yaml'}:9:79: LDR206: rungs[c].salary[0]: min 200,000 is above max 100,000",
    ]
    assert err == "2 problems in 2 files\n"


def test_validate_a_directory(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("one"))
    write_ladder(tmp_path, minimal_ladder("two"))
    assert run("validate", str(tmp_path)) == (0, "ok: 2 files checked, no problems\n", "")


def test_validate_json_for_tools() -> None:
    code, out, _ = run("validate", "--format", "json", str(INVALID / "ldr208.yaml"))
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["files"] == 1
    assert report["problems"] == [
        {
            "path": str(INVALID / "ldr208.yaml"),
            "line": 9,
            "column": 80,
            "code": "LDR208",
            "field": "rungs[c].salary[0].currency",
            "message": "unknown currency code 'USS' (ISO 4217, e.g. USD)",
        }
    ]


def test_validate_empty_directory_is_an_error(tmp_path: Path) -> None:
    code, out, err = run("validate", str(tmp_path))
    assert (code, out) == (1, "") and err == "ladder: no ladder files (*.yaml, *.yml) in the paths given\n"


def test_validate_reads_a_file_named_twice_once(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    path = write_ladder(tmp_path, minimal_ladder("one"))
    assert run("validate", str(tmp_path), str(path), str(tmp_path / "." / "one.yaml")) == (
        0,
        "ok: 1 file checked, no problems\n",
        "",
    )


def test_validate_an_impossible_path_is_ldr001() -> None:
    code, out, _ = run("validate", "a" * 300)
    assert code == 1 and "LDR001" in out


def test_validate_missing_path(tmp_path: Path) -> None:
    code, out, _ = run("validate", str(tmp_path / "nope.yaml"))
    assert code == 1 and "LDR001: no such file or directory" in out


def test_validate_escapes_control_characters_in_file_names(tmp_path: Path) -> None:
    path = tmp_path / "bad\x1b[31mname.yaml"
    path.write_text("- 1\n")
    code, out, _ = run("validate", str(path))
    assert code == 1 and "\x1b" not in out and "\\x1b[31mname.yaml" in out


def test_unknown_option_is_a_usage_error() -> None:
    assert run("list", "--bogus")[0] == 2


def test_schema_is_json_schema_that_accepts_every_shipped_file() -> None:
    code, out, _ = run("schema")
    schema = json.loads(out)
    assert code == 0
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for path in sorted(builtin_dir().glob("*.yaml")):
        errors = list(validator.iter_errors(json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))))
        assert errors == [], f"{path.name}: {errors[0].message if errors else ''}"


def test_schema_rejects_what_the_models_reject() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(run("schema")[1]))
    bad = minimal_ladder()
    bad["rungs"][0]["salery"] = []
    assert not validator.is_valid(bad)
    assert validator.is_valid(minimal_ladder())


def schema_shape(node: Any) -> Any:
    """What the models decide in a JSON Schema: every object's properties, required fields and
    closedness, every definition and reference; not how a pydantic release spells a constraint."""
    if isinstance(node, list):
        return [schema_shape(item) for item in node]
    if not isinstance(node, dict):
        return node
    kept = ("$defs", "properties", "required", "additionalProperties", "$ref", "items", "anyOf", "type", "description")
    return {
        key: schema_shape(value)
        if key not in ("$defs", "properties")
        else {name: schema_shape(item) for name, item in value.items()}
        for key, value in node.items()
        if key in kept
    }


def test_committed_schema_file_is_current() -> None:
    committed = json.loads((Path(__file__).parents[1] / "schema" / "ladder.schema.json").read_text(encoding="utf-8"))
    generated = json.loads(run("schema")[1])
    assert schema_shape(committed) == schema_shape(generated), "regenerate: ladder schema > schema/ladder.schema.json"
    assert committed["description"] == generated["description"]


def test_broken_ladder_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("- 1\n")
    result = subprocess.run(
        [sys.executable, "-m", "career_ladder", "validate", str(tmp_path / "x.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "career_ladder", "--version"], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout) == (0, f"ladder {__version__}\n")


def test_every_command_is_in_the_readme_and_every_option_in_the_reference() -> None:
    root = Path(__file__).parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    reference = (root / "docs" / "commands.md").read_text(encoding="utf-8")
    import typer.main

    group = typer.main.get_command(app)
    missing = [
        f"--{p.name.replace('_', '-')}"
        for p in group.params
        if p.name and not all(f"--{p.name.replace('_', '-')}" in page for page in (readme, reference))
    ]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        missing += [f"ladder {name}" for page in (readme, reference) if f"ladder {name}" not in page]
        missing += [
            opt
            for p in command.params
            for opt in getattr(p, "opts", [])
            if opt.startswith("--") and f"`{opt}" not in reference
        ]
        assert command.help, f"{name} has no help text"
    assert missing == []


# --- show, compare, salary ------------------------------------------------------------------------


def builtin(ladder_id: str) -> dict[str, object]:
    from career_ladder.catalog import Catalog
    from career_ladder.datadirs import DataDir
    from career_ladder.queries import show_ladder

    return show_ladder(Catalog([DataDir(builtin_dir(), "built-in")]), ladder_id).to_dict()


def test_show_tpm_table() -> None:
    code, out, err = run("show", "tpm")
    assert (code, err) == (0, "")
    for expected in (
        "Associate Technical Product Manager",
        "$83,350 – $133,305",
        "₹26.5 lakh average",
        "Other views: the sources lay this ladder out in 3 other ways",
        "Specialisations:",
        "Entry points:",
        "Lateral moves:",
    ):
        assert expected in out


def test_show_detail_adds_responsibilities_and_signals() -> None:
    out = run("show", "pm", "--detail")[1]
    assert "Responsibilities" in out and "Ready for the next rung when" in out


@pytest.mark.parametrize("ladder_id", ["pm", "tpm"])
def test_show_json_and_yaml_are_the_whole_ladder(ladder_id: str) -> None:
    assert json.loads(run("show", ladder_id, "-f", "json")[1]) == builtin(ladder_id)
    assert yaml.safe_load(run("show", ladder_id, "--format", "yaml")[1]) == builtin(ladder_id)


def test_show_csv_has_one_row_per_rung() -> None:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run("show", "tpm", "-f", "csv")[1])))
    assert [r["id"] for r in rows] == ["associate-tpm", "tpm", "senior-tpm", "director", "vp", "cpo"]
    assert rows[3]["shared"] == "pm:director" and rows[0]["salary"] == "$83,350 – $133,305"


def test_show_markdown_is_a_github_table() -> None:
    out = run("show", "tpm", "-f", "markdown")[1]
    lines = out.splitlines()
    assert lines[0] == "| Level | Rung | Scope | Salary |" and lines[1] == "|---|---|---|---|"
    assert all(line.startswith("| ") for line in lines[2:8]) and lines[8] == ""  # six rungs, then the notes
    assert "**Promotions:** associate-tpm → tpm" in out or "**Promotions: associate-tpm → tpm" in out


def test_show_one_rung_in_full() -> None:
    code, out, _ = run("show", "tpm", "Sr. TPM")
    assert code == 0
    for expected in (
        "Senior Technical Product Manager",
        "Responsibilities",
        "Salary",
        "$135,000 – $185,000",
        "Leads to",
        "Sources",
        "tpm-career-path: Technical Product Manager Career Path",
    ):
        assert expected in out


def test_show_rung_without_figures_says_so() -> None:
    assert "The sources give no figure for this rung." in run("show", "pm", "cpo")[1]


def test_show_rung_json_is_the_full_rung_with_its_moves() -> None:
    record = json.loads(run("show", "tpm", "director", "-f", "json")[1])
    assert record["ladder"] == "tpm" and record["shared"] == "pm:director"
    assert record["salary"][0]["min"] == 150221 and any(t["to"] == "vp" for t in record["leads_to"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "tpx"], "ladder: no ladder 'tpx' (did you mean 'tpm'?)\n"),
        (["show", "pm", "senior"], "ladder: 'senior' could be any of these rungs of 'pm': "),
        (["show", "../../etc/passwd"], "ladder: no ladder '../../etc/passwd'"),
        (["salary", "astronaut"], "ladder: no rung matches 'astronaut'\n"),
        (["compare", "pm", "nope"], "ladder: no ladder 'nope'"),
    ],
)
def test_unknown_or_ambiguous_names_exit_1_with_one_line(args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert (code, out) == (1, "")
    assert err.startswith(message) and err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", ""], "a ladder name needs letters or digits"),
        (["show", "tpm", "x" * 300], "a rung name is at most 200 characters"),
    ],
)
def test_empty_or_absurd_arguments_are_usage_errors(args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert (code, out) == (2, "") and message in err


def test_salary_names_broken_files_even_when_nothing_matches(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, "id: broken\nname: [\n", name="broken")
    code, _, err = run("--data-dir", str(tmp_path), "salary", "astronaut")
    assert code == 1
    assert err.splitlines()[0].startswith("ladder: skipped ") and "broken.yaml" in err.splitlines()[0]
    assert err.splitlines()[1] == "ladder: no rung matches 'astronaut'"


def test_salary_region_leaves_out_figures_of_other_regions() -> None:
    code, _, err = run("salary", "director", "--region", "india")
    assert code == 1 and err == (
        "ladder: no salary figure for 'director' in a region matching 'india' "
        "(pay for a role as a whole is there: ladder salary tpm --region india)\n"
    )


def test_compare_table_aligns_levels_and_adds_the_source_points() -> None:
    code, out, _ = run("compare", "pm", "tpm")
    assert code == 0
    assert "Group Product Manager" in out and "As the sources compare them" in out and "Technical depth" in out


def test_compare_json_rows_leave_gaps() -> None:
    record = json.loads(run("compare", "pm", "tpm", "-f", "json")[1])
    gaps = [row for row in record["rows"] if row["right"] is None]
    assert {row["left"]["id"] for row in gaps} == {"group-pm", "senior-manager", "senior-vp"}
    assert len(record["points"]) == 4


def test_salary_director_table_and_json() -> None:
    code, out, _ = run("salary", "director")
    assert code == 0 and out.count("$150,221 – $220,000") == 2
    rows = json.loads(run("salary", "director", "-f", "json")[1])
    assert [(r["ladder"], r["rung"], r["min"], r["max"], r["currency"]) for r in rows] == [
        ("pm", "director", 150221, 220000, "USD"),
        ("tpm", "director", 150221, 220000, "USD"),
    ]


def test_salary_csv_gives_plain_numbers() -> None:
    lines = run("salary", "tpm", "--ladder", "tpm", "-f", "csv")[1].splitlines()
    fields = "ladder,rung,title,currency,min,max,average,period,covers,region,as_of,sources,not_published_by"
    assert lines[0] == f"{fields},inherited_from,role_wide"
    assert (
        "tpm,tpm,Technical Product Manager,USD,120011,180000,,not-stated,not-stated,,,tpm-career-path,,,False" in lines
    )


def test_salary_region_and_no_figure_rows(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, regional_ladder())
    out = run("--data-dir", str(tmp_path), "salary", "senior", "-l", "regional", "-r", "India", "-f", "json")[1]
    assert [row["average"] for row in json.loads(out)] == [2650000]
    cpo = run("salary", "cpo", "--ladder", "pm")[1]
    assert "no figure in the sources" in cpo


def test_limit_cuts_tables_only() -> None:
    out = run("salary", "manager", "--limit", "2")[1]
    assert "more rows: use --limit 0 to see every row" in out
    assert "more rows" not in run("salary", "manager", "--limit", "0")[1]
    assert len(json.loads(run("salary", "manager", "--limit", "2", "-f", "json")[1])) > 2


def test_negative_limit_is_a_usage_error() -> None:
    assert run("show", "tpm", "--limit", "-1")[0] == 2


def test_data_markup_is_printed_as_written(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder("evil")
    data["rungs"][0]["title"] = "[red]Boss[/red]"
    write_ladder(tmp_path, data)
    out = run("--data-dir", str(tmp_path), "show", "evil")[1]
    assert "[red]Boss[/red]" in out


def test_escape_sequences_in_data_are_refused_at_load(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder("evil")
    data["rungs"][0]["title"] = "Boss\x1b[31m\u202e"
    write_ladder(tmp_path, data)
    code, out, err = run("--data-dir", str(tmp_path), "show", "evil")
    assert (code, out) == (1, "") and "LDR104" in err and "\\x1b" in err and "\x1b" not in err


def test_closed_pipe_ends_quietly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "career_ladder", "show", "tpm", "--detail"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()
    _, err = process.communicate()
    assert process.returncode == 0
    assert b"Traceback" not in err and err == b""


def test_completion_offers_ladder_and_rung_names() -> None:
    from career_ladder.completion import complete_ladder, complete_rung

    class Ctx:
        def __init__(self) -> None:
            self.params = {"ladder": "tpm"}

        def find_root(self) -> Ctx:
            return self

    assert "tpm" in complete_ladder(Ctx(), "t")  # type: ignore[arg-type]
    assert {"senior-tpm"} <= set(complete_rung(Ctx(), "sen"))  # type: ignore[arg-type]
    assert complete_rung(Ctx(), "zzz") == []  # type: ignore[arg-type]
    from career_ladder.completion import complete_source

    assert complete_source(Ctx(), "tpm-") == ["tpm-career-2020", "tpm-career-path"]  # type: ignore[arg-type]


def test_show_completion_prints_a_script() -> None:
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "career_ladder", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0 and "complete" in result.stdout


def test_ci_runs_the_readme_quick_start_word_for_word() -> None:
    root = Path(__file__).parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start")[1].split("## ")[0]
    commands = [block.strip() for block in quick_start.split("```sh")[1:3]]
    commands = [block.split("```")[0].strip() for block in commands]
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert len(commands) == 2 and "ladder show tpm" in commands[0] and "pytest" in commands[1]
    assert all(command in ci.splitlines() for command in commands)


def test_an_internal_error_is_one_line_unless_debugging(tmp_path: Path) -> None:
    script = "import career_ladder.cli as c\ndef boom(): raise RuntimeError('bug \\x1b[2J')\nc.app = boom\nc.main()\n"
    quiet = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert quiet.returncode == 70 and "Traceback" not in quiet.stderr and "\x1b" not in quiet.stderr
    assert quiet.stderr.startswith("ladder: internal error: RuntimeError(") and "LADDER_DEBUG=1" in quiet.stderr
    for value, shown in (("0", False), ("false", False), ("1", True), ("yes", True)):
        env = {**os.environ, "LADDER_DEBUG": value}
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, env=env)
        assert ("Traceback" in result.stderr) is shown, value


def test_a_share_of_a_ladder_that_does_not_load_says_so(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, "id: broken\nname: [\n", name="broken")
    child = minimal_ladder("child")
    child["rungs"].append({"shared": "broken:boss"})
    write_ladder(tmp_path, child)
    out = run("validate", str(tmp_path))[1]
    message = f"ladder 'broken' (for 'broken:boss') is in a file that does not load: {tmp_path / 'broken.yaml'}"
    assert f"LDR303: rungs[broken:boss].shared: {message}" in out


@pytest.mark.parametrize(
    ("path", "value"),
    [(("rungs", 0, "level"), True), (("rungs", 1, "salary", 0, "min"), "5"), (("rungs", 0, "sources"), [])],
)
def test_schema_and_models_reject_the_same_values(path: tuple[str | int, ...], value: object) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(run("schema")[1]))
    data: Any = minimal_ladder()
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert not validator.is_valid(data)
    from career_ladder.models import Ladder

    with pytest.raises(ValidationError):
        Ladder.model_validate(data)


def test_validate_github_annotations_escape_what_the_runner_reads(tmp_path: Path) -> None:
    from career_ladder.errors import Problem
    from career_ladder.render.report import github_annotation

    problem = Problem("dir,a/b:c.yaml", 3, 7, "LDR203", "rungs[x].to", "no rung 'a, b' 100%\nnext")
    assert github_annotation("error", problem) == (
        "::error file=dir%2Ca/b%3Ac.yaml,line=3,col=7,title=LDR203::rungs[x].to: no rung 'a, b' 100%25%0Anext"
    )
    code, out, err = run("validate", "-f", "github", str(INVALID / "ldr206.yaml"), str(INVALID / "ldr401.yaml"))
    assert code == 1 and err == "1 problem in 1 of 2 files, 1 warning\n"
    assert [line.split(" ", 1)[0] for line in out.splitlines()] == ["::error", "::warning"]
    assert run("validate", "-f", "github", str(builtin_dir()))[1] == ""  # nothing to mark: nothing printed


def test_the_examples_are_reached_from_anywhere_with_a_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no clone here
    code, out, _ = run("--examples", "compare", "pm", "tpm", "acme")
    assert code == 0 and "acme" in out
    code, out, _ = run("--examples", "list", "-f", "json")
    assert {(item["id"], item["origin"]) for item in json.loads(out)} >= {("acme", "examples"), ("globex", "examples")}


@pytest.mark.parametrize(
    "command", [["compare", "pm", "tpm", "acme"], ["show", "Globex"], ["salary", "pm", "-l", "acme"]]
)
def test_an_example_named_without_the_flag_says_how_to_reach_it(command: list[str]) -> None:
    code, out, err = run(*command)
    example = command[-1].lower()
    assert code == 1 and out == ""
    hint = f"'{example}' is an example that ships with ladder; add --examples after `ladder`"
    assert err == f"ladder: no ladder '{command[-1]}': {hint}\n"


def test_a_ladder_of_your_own_wins_over_an_example_of_its_id(tmp_path: Path) -> None:
    (tmp_path / "acme.yaml").write_text(yaml.safe_dump(minimal_ladder("acme")), encoding="utf-8")
    code, out, _ = run("--examples", "--data-dir", str(tmp_path), "show", "acme", "-f", "json")
    assert code == 0 and json.loads(out)["name"] == "Demo acme"


def test_validate_counts_the_files_asked_for_even_when_missing(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nosuch.yaml"))
    assert code == 1 and err == "1 problem in 1 file\n"
    code, _, err = run("validate", str(tmp_path / "nosuch.yaml"), str(tmp_path / "nosuch.yaml"), str(builtin_dir()))
    assert code == 1 and err == "1 problem in 1 of 3 files\n"


def test_salary_without_any_figure_says_nothing_of_fields_not_stated(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    write_ladder(tmp_path, minimal_ladder("acme"))
    for fmt in ("table", "markdown"):
        code, out, _ = run("--data-dir", str(tmp_path), "salary", "junior", "--ladder", "acme", "-f", fmt)
        assert code == 0 and "no figure in the sources" in out and "Not stated for any figure" not in out, fmt
    code, out, _ = run("--examples", "salary", "director", "--ladder", "acme")
    assert code == 0 and "not published by" in out and "Not stated for any figure" not in out


def _column_text(out: str, header: str) -> str:
    """Every line of one drawn table column, joined: what the column says however it wraps."""
    lines = out.splitlines()
    heading = next(line for line in lines if line.startswith("┃") and header in line)
    index = [cell.strip() for cell in heading.split("┃")].index(header)
    cells = [line.split("│")[index].strip() for line in lines if line.startswith("│")]
    return " ".join(cell for cell in cells if cell)


def test_salary_marks_pay_for_the_role_as_a_whole_and_numbers_each_note() -> None:
    result = CliRunner().invoke(app, ["salary", "tpm", "--region", "india"], env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "[the role as a whole]" in _column_text(result.stdout, "Rung")
    assert _column_text(result.stdout, "Salary") == "₹26.5 lakh average a year (note 1)"
    assert "Note 1: The source's average yearly pay" in " ".join(result.stdout.split())
    rows = json.loads(run("salary", "tpm", "--region", "india", "-f", "json")[1])
    assert [(r["rung"], r["role_wide"], r["average"]) for r in rows] == [(None, True, 2650000)]
    records = list(csv.DictReader(io.StringIO(run("salary", "tpm", "--region", "india", "-f", "csv")[1])))
    assert [(r["rung"], r["role_wide"], r["average"]) for r in records] == [("", "True", "2650000")]


def test_an_invented_figure_is_marked_by_its_note_in_salary_and_show_at_80_columns() -> None:
    env = {"COLUMNS": "80", "NO_COLOR": "1"}
    out = CliRunner().invoke(app, ["--examples", "salary", "pm"], env=env).stdout  # blocks at 80 columns
    assert "€70,000 – €90,000 a year (note 1)" in " ".join(out.split())
    assert "Note 1: Invented for this fictional example; not market data." in " ".join(out.split())
    invented = "Note 1: Invented for this fictional example; not market data."
    for args, column in [
        (["show", "globex"], "Salary"),
        (["show", "globex", "--origin"], ""),  # blocks of lines at 80 columns
        (["compare", "pm", "globex"], "globex"),
    ]:
        out = CliRunner().invoke(app, ["--examples", *args], env=env).stdout
        cells = _column_text(out, column) if column else " ".join(out.split())
        assert "€70,000 – €90,000 [globex-levels]" in cells and "(note 1)" in cells, args
        assert invented in " ".join(out.split()), args
    markdown = CliRunner().invoke(app, ["--examples", "show", "globex", "-f", "markdown"], env=env).stdout
    assert "€70,000 – €90,000 [globex-levels]<br>(note 1)" in markdown and f"\n{invented}\n" in markdown


def test_a_shared_rung_named_by_a_title_like_word_is_told_the_rung_by_its_title(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = minimal_ladder("x", rungs=[{"shared": "pm:group-manager"}], transitions=[])
    code, _, err = run("--data-dir", str(write_ladder(tmp_path, data).parent), "show", "x")
    assert (code, err) == (
        1,
        "ladder: no rung 'group-manager' in ladder 'pm' (did you mean 'group-pm', titled Group Product Manager?)\n",
    )
