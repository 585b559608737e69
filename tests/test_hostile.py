"""Hostile and broken input: one clear line, the right exit code, no traceback, nothing else lost.

Each case runs twice: through `ladder validate FILE`, and as a file in the user's data directory
beside good ladders, where `list` must still show the good ones and name the bad file once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import default_sigint, minimal_ladder, run


def ladder_text(**changes: object) -> str:
    return yaml.safe_dump(minimal_ladder("case", **changes), sort_keys=False)


def with_rung_change(**fields: object) -> str:
    data = minimal_ladder("case")
    data["rungs"][1].update(fields)
    return yaml.safe_dump(data, sort_keys=False)


GOOD = yaml.safe_dump(minimal_ladder("case"), sort_keys=False)
BOMB = (
    "a: &a ["
    + ", ".join(["lol"] * 10)
    + "]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8))
)

# name -> (file content as text or bytes, expected code, expected line or None)
CASES: dict[str, tuple[str | bytes, str, int | None]] = {
    "yaml-syntax-error": ("id: case\nname: [unclosed\n", "LDR003", 3),
    "tab-indentation": ("id: case\nrungs:\n\t- id: a\n", "LDR003", 3),
    "duplicate-key-top": (GOOD + "name: Again\n", "LDR004", None),
    "duplicate-key-nested": (GOOD.replace("  level: 10\n", "  level: 10\n  level: 11\n"), "LDR004", None),
    "unknown-field": (ladder_text(salery=[]), "LDR101", None),
    "wrong-type": (with_rung_change(level="high"), "LDR103", None),
    "missing-field": (GOOD.replace("name: Demo case\n", ""), "LDR102", None),
    "min-above-max": (
        with_rung_change(salary=[{"currency": "USD", "min": 9, "max": 1, "sources": ["s"]}]),
        "LDR206",
        None,
    ),
    "negative-amount": (
        with_rung_change(salary=[{"currency": "USD", "average": -9, "sources": ["s"]}]),
        "LDR207",
        None,
    ),
    "unknown-currency": (
        with_rung_change(salary=[{"currency": "XXQ", "average": 9, "sources": ["s"]}]),
        "LDR208",
        None,
    ),
    "dangling-transition": (
        ladder_text(transitions=[{"kind": "promotion", "from": "junior", "to": "ghost", "sources": ["s"]}]),
        "LDR203",
        None,
    ),
    "undeclared-source": (with_rung_change(sources=["ghost"]), "LDR204", None),
    "duplicate-rung-ids": (GOOD.replace("id: senior", "id: junior"), "LDR202", None),
    "id-not-file-stem": (GOOD.replace("id: case", "id: other"), "LDR201", 1),
    "promotion-cycle": (
        ladder_text(
            transitions=[
                {"kind": "promotion", "from": "junior", "to": "senior", "sources": ["s"]},
                {"kind": "promotion", "from": "senior", "to": "junior", "sources": ["s"]},
            ]
        ),
        "LDR205",
        None,
    ),
    "python-tag": ("id: case\nname: !!python/object/apply:os.system ['touch {marker}']\n", "LDR006", 2),
    "alias-bomb": (BOMB, "LDR005", None),
    "non-utf8": (b"id: case\nname: caf\xe9\n", "LDR001", 2),
    "binary": (bytes(range(256)), "LDR001", None),
    "nul-byte": ("id: case\nname: a\x00b\n", "LDR003", 2),
    "empty": ("", "LDR007", 1),
    "top-level-list": ("- id: case\n", "LDR007", 1),
}


def write_case(directory: Path, name: str, tmp_path: Path) -> Path:
    content = CASES[name][0]
    path = directory / "case.yaml"
    directory.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content.replace("{marker}", str(tmp_path / "pwned")), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", list(CASES))
def test_validate_reports_the_case_in_one_line(tmp_path: Path, name: str) -> None:
    _, code, line = CASES[name]
    path = write_case(tmp_path / "repo", name, tmp_path)
    status, out, err = run("validate", str(path))
    assert status == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{path}:") and f": {code}: " in first
    if line is not None:
        assert first.startswith(f"{path}:{line}:")
    assert "Traceback" not in out + err
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("name", list(CASES))
def test_a_broken_file_beside_good_ones_loses_nothing_else(
    tmp_path: Path, isolated_dirs: Path, write_ladder: Callable[..., Path], name: str
) -> None:
    write_case(isolated_dirs, name, tmp_path)
    write_ladder(isolated_dirs, minimal_ladder("good"))
    status, out, err = run("list", "-f", "json")
    assert status == 0
    assert {row["id"] for row in json.loads(out)} >= {"good", "pm", "tpm"}
    assert err.count("\n") == 1 and "case.yaml" in err and CASES[name][1] in err
    assert run("show", "good")[0] == 0
    assert run("salary", "director")[0] == 0
    status, out, err = run("show", "case")
    assert (status, out) == (1, "") and err.startswith("ladder: ") and "case.yaml" in err
    assert not (tmp_path / "pwned").exists()


def test_utf8_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert run("validate", str(path))[0] == 0
    assert run("--data-dir", str(tmp_path), "show", "case")[0] == 0


def test_fifty_megabyte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    with path.open("wb") as stream:
        stream.write(b"# padding\n" * (5 * 1024 * 1024))
    status, out, _ = run("validate", str(path))
    assert status == 1 and "LDR002" in out


def test_directory_named_like_a_ladder(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").mkdir()
    status, out, _ = run("validate", str(tmp_path))
    assert status == 1 and out.startswith(f"{tmp_path / 'x.yaml'}:1:1: LDR001: is a directory")


def refuse_to_open(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Make `path` unreadable as it would be for another user (the tests may run as root)."""
    real_open = os.open

    def refuse(target: str | os.PathLike[str], flags: int, *args: int) -> int:
        if os.fspath(target) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(target, flags, *args)

    monkeypatch.setattr(os, "open", refuse)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_ladder: Callable[..., Path]) -> None:
    path = write_ladder(tmp_path, minimal_ladder("case"))
    refuse_to_open(monkeypatch, path)
    status, out, _ = run("validate", str(path))
    assert status == 1 and "LDR001: cannot read the file: Permission denied" in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_for_real(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    path = write_ladder(tmp_path, minimal_ladder("case"))
    path.chmod(0)
    assert "LDR001" in run("validate", str(path))[1]


def test_symlink_loop_in_a_data_directory(
    tmp_path: Path, isolated_dirs: Path, write_ladder: Callable[..., Path]
) -> None:
    isolated_dirs.mkdir(parents=True)
    (isolated_dirs / "a.yaml").symlink_to(isolated_dirs / "b.yaml")
    (isolated_dirs / "b.yaml").symlink_to(isolated_dirs / "a.yaml")
    write_ladder(isolated_dirs, minimal_ladder("good"))
    status, out, err = run("list", "-f", "json")
    assert status == 0 and "good" in {row["id"] for row in json.loads(out)}
    assert err.count("LDR001") == 2 and "symbolic links" in err
    assert run("validate")[0] == 1


def test_file_name_with_control_characters_is_escaped_everywhere(tmp_path: Path, isolated_dirs: Path) -> None:
    isolated_dirs.mkdir(parents=True)
    (isolated_dirs / "bad\x1b]0;owned\x07.yaml").write_text("- 1\n")
    _, _, err = run("list")
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;owned\\x07.yaml" in err
    _, out, _ = run("validate")
    assert "\x1b" not in out and "\\x1b" in out


@pytest.mark.parametrize("argument", ["\x1b[2J\x1b[31mtpm", "tpm\x9b31m"])
def test_escape_sequences_in_arguments_never_reach_the_terminal(argument: str) -> None:
    status, out, err = run("show", argument)
    assert status == 1 and out == "" and "\x1b" not in err and "\x9b" not in err


def test_debug_shows_the_traceback_and_otherwise_none(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("- 1\n")
    command = [sys.executable, "-m", "career_ladder", "--data-dir", str(tmp_path), "show", "case"]
    quiet = subprocess.run(command, capture_output=True, text=True, check=False)
    debug = subprocess.run(
        command, capture_output=True, text=True, check=False, env={**os.environ, "LADDER_DEBUG": "1"}
    )
    assert quiet.returncode == 1 and "Traceback" not in quiet.stderr and quiet.stderr.count("\n") == 1
    assert debug.returncode != 0 and "Traceback" in debug.stderr and "InvalidLadder" in debug.stderr


def test_ctrl_c_exits_130_without_a_traceback(tmp_path: Path) -> None:
    script = (
        "import time, career_ladder.cli as c\nc.app = lambda: (print('ready', flush=True), time.sleep(30))\nc.main()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,  # as from a terminal, even when pytest runs with SIGINT ignored
    )
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130 and "Traceback" not in err


def test_a_directory_or_unreadable_file_beside_good_ones_loses_nothing_else(
    isolated_dirs: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    (isolated_dirs / "folder.yaml").mkdir(parents=True)
    locked = write_ladder(isolated_dirs, minimal_ladder("locked"))
    write_ladder(isolated_dirs, minimal_ladder("good"))
    refuse_to_open(monkeypatch, locked)
    monkeypatch.setenv("LADDER_NO_CACHE", "1")
    status, out, err = run("list", "-f", "json")
    assert status == 0 and {"good", "pm", "tpm"} <= {row["id"] for row in json.loads(out)}
    assert err.count("\n") == 2 and "folder.yaml:1:1: LDR001: is a directory" in err
    assert "locked.yaml:1:1: LDR001: cannot read the file: Permission denied" in err


@pytest.mark.slow
@pytest.mark.parametrize("no_cache", ["0", "1"])
def test_names_that_are_not_utf8_are_shown_escaped_and_leave_nothing_behind(
    tmp_path: Path, isolated_dirs: Path, write_ladder: Callable[..., Path], no_cache: str
) -> None:
    odd_folder = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9"))
    write_ladder(odd_folder, minimal_ladder("acme"))  # a good ladder in a folder whose name is Latin-1
    write_ladder(odd_folder, GOOD, name=os.fsdecode(b"\xffcase.yaml"))  # its id is not its file's name
    environment = {**os.environ, "LADDER_NO_CACHE": no_cache, "COLUMNS": "200"}
    for command in (["list"], ["salary", "senior"], ["validate"]):
        for fmt in ("table", "json", "yaml", "csv", "markdown") if command[0] != "validate" else ("text", "json"):
            for _ in range(2):  # cold, then from the index
                result = subprocess.run(
                    [sys.executable, "-m", "career_ladder", "--data-dir", str(odd_folder), *command, "-f", fmt],
                    capture_output=True,
                    check=False,
                    env=environment,
                )
                expected = 1 if command[0] == "validate" else 0
                assert result.returncode == expected, (command, fmt, result.stderr)
                shown = (result.stdout + result.stderr).decode("utf-8")  # all of it is UTF-8
                # JSON keeps the name's value (a lone surrogate, as Python decodes the byte) as an escape.
                escapes = ("\\xffcase.yaml", "\\udcffcase.yaml") if fmt == "json" else ("\\xffcase.yaml",)
                assert "internal error" not in shown and "LDR201" in shown
                assert any(escaped in shown for escaped in escapes)
                if command[0] != "validate":
                    assert "acme" in result.stdout.decode("utf-8")
    cache = isolated_dirs.parents[2] / "cache"
    assert not list(cache.rglob("*.tmp"))


@pytest.mark.parametrize(
    ("written", "shown"),
    [("2024-01-31", "2024-01-31"), ("'2024-01-31'", "2024-01-31"), ("2024", 2024), ("'2024'", "2024")],
)
def test_a_source_date_is_shown_as_written(tmp_path: Path, written: str, shown: object) -> None:
    text = ladder_text().replace("title: A source", f"title: A source\n  date: {written}")
    (tmp_path / "case.yaml").write_text(text)
    status, out, _ = run("--data-dir", str(tmp_path), "show", "case", "-f", "json")
    assert status == 0 and str(json.loads(out)["sources"][0]["date"]) == str(shown)


@pytest.mark.parametrize("written", ["0", "'1704067200'", "1704067200", "2024-02-30", "true", "2024.5"])
def test_a_number_is_never_read_as_a_date(tmp_path: Path, written: str) -> None:
    text = ladder_text().replace("title: A source", f"title: A source\n  date: {written}")
    (tmp_path / "case.yaml").write_text(text)
    status, out, _ = run("validate", str(tmp_path / "case.yaml"))
    assert status == 1 and ("LDR103" in out or "LDR003" in out) and "sources[s].date" in out


def test_an_absurd_amount_is_refused(tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text(
        with_rung_change(salary=[{"currency": "USD", "average": 1e300, "sources": ["s"]}])
    )
    status, out, _ = run("validate", str(tmp_path / "case.yaml"))
    assert status == 1 and "LDR103" in out and "rungs[senior].salary[0].average" in out


def test_csv_cells_never_run_as_spreadsheet_formulas(tmp_path: Path) -> None:
    data = minimal_ladder("case")
    data["rungs"][0]["title"] = '=HYPERLINK("http://x")'
    data["rungs"][1]["summary"] = "@SUM(A1)"
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(data))
    status, out, _ = run("--data-dir", str(tmp_path), "show", "case", "-f", "csv")
    assert status == 0 and "'=HYPERLINK" in out and "'@SUM(A1)" in out and ",=" not in out


def test_markdown_escapes_html(tmp_path: Path) -> None:
    data = minimal_ladder("case")
    data["rungs"][0]["title"] = "<script>alert(1)</script> & co"
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(data))
    status, out, _ = run("--data-dir", str(tmp_path), "show", "case", "-f", "markdown")
    assert status == 0 and "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in out


@pytest.mark.parametrize("command", [["show", "case"], ["salary", "senior"], ["compare", "case", "pm"]])
def test_markdown_notes_under_a_table_show_as_written(tmp_path: Path, command: list[str]) -> None:
    """A figure's note is data: on a wiki page it is no heading, link or HTML (salary wrote it raw)."""
    data = minimal_ladder("case")
    note = "# Big <img src=x onerror=alert(1)> [click](http://evil.example)"
    data["rungs"][1]["salary"][0]["note"] = note
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(data))
    status, out, _ = run("--data-dir", str(tmp_path), *command, "-f", "markdown")
    assert status == 0 and "<img" not in out and "](http" not in out
    assert "Note 1: # Big &lt;img src=x onerror=alert(1)&gt; [click]\\(http://evil.example)\n" in out


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown", "yaml", "json"])
def test_control_characters_in_a_folder_path_are_escaped_not_dropped(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "odd\x1b[31mdir"
    folder.mkdir()
    (folder / "case.yaml").write_text(GOOD)
    status, out, _ = run("--data-dir", str(folder), "list", "-f", fmt)
    assert status == 0 and "\x1b" not in out
    shown = {"json": "odd\\u001b[31mdir", "markdown": "odd\\\\x1b[31mdir"}.get(fmt, "odd\\x1b[31mdir")
    assert shown in out


def test_an_empty_data_dir_is_a_usage_error() -> None:
    status, out, err = run("--data-dir", "", "list")
    assert (status, out) == (2, "") and err == "ladder: --data-dir needs a directory, got ''\n"


@pytest.mark.parametrize("command", [["list"], ["show", "case"], ["salary", "senior"], ["compare", "case", "pm"]])
def test_a_ladder_in_two_files_of_one_folder_is_said_by_every_command(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "case.yaml").write_text(GOOD)
    (tmp_path / "case.yml").write_text(GOOD)
    status, _, err = run("--data-dir", str(tmp_path), *command)
    assert status == 0
    assert err.count("LDR301") == 1 and "case.yml:1:1: LDR301: ladder 'case' is also in case.yaml" in err


def test_validate_reports_a_ladder_in_two_files_once(tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text(GOOD)
    (tmp_path / "case.yml").write_text(GOOD)
    status, out, err = run("--data-dir", str(tmp_path), "validate")
    assert status == 1
    assert (out + err).count("LDR301") == 1


def test_an_ambiguous_name_lists_a_few_candidates_and_a_count(tmp_path: Path) -> None:
    data = minimal_ladder("case", transitions=[])
    data["rungs"] = [
        {"id": f"senior-{n}", "title": f"Senior {n}", "level": n, "summary": "S.", "sources": ["s"]} for n in range(500)
    ]
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(data))
    status, _, err = run("--data-dir", str(tmp_path), "show", "case", "senior")
    assert status == 1 and err.count("\n") == 1 and len(err) < 300 and "and 495 more" in err
