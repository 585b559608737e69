"""The `ladder` command through Typer's CliRunner, and as a process where the process matters."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from conftest import minimal_ladder
from ladder import __version__
from ladder.catalog import builtin_dir
from ladder.cli import app

INVALID = Path(__file__).parent / "fixtures" / "invalid"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


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
        assert out.splitlines()[0] == "id,name,rungs,origin,path"
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
        f"{INVALID / 'ldr204.yaml'}:10:60: LDR204: tracks[0].sources[0]: "
        "source 'nowhere' is not declared under `sources`",
        f"{INVALID / 'ldr206.yaml'}:9:79: LDR206: rungs[2].salary[0]: min 200,000 is above max 100,000",
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
            "field": "rungs[2].salary[0].currency",
            "message": "unknown currency code 'USS' (ISO 4217, e.g. USD)",
        }
    ]


def test_validate_empty_directory_is_an_error(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path))
    assert code == 1 and err == "ladder: no ladder files (*.yaml, *.yml) in the paths given\n"


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


def test_committed_schema_file_is_current() -> None:
    committed = (Path(__file__).parents[1] / "schema" / "ladder.schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(run("schema")[1]), (
        "regenerate: ladder schema > schema/ladder.schema.json"
    )


def test_broken_ladder_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("- 1\n")
    result = subprocess.run(
        [sys.executable, "-m", "ladder", "validate", str(tmp_path / "x.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "ladder", "--version"], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (0, f"ladder {__version__}\n")


def test_every_command_and_option_is_in_the_readme() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    import typer.main

    group = typer.main.get_command(app)
    missing = [
        f"--{p.name.replace('_', '-')}"
        for p in group.params
        if p.name and f"--{p.name.replace('_', '-')}" not in readme
    ]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if f"ladder {name}" not in readme:
            missing.append(f"ladder {name}")
        missing += [
            opt for p in command.params for opt in getattr(p, "opts", []) if opt.startswith("--") and opt not in readme
        ]
        assert command.help, f"{name} has no help text"
    assert missing == []
