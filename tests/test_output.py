"""Output that survives any terminal: any width, a closed pipe, a closed or full stdout, any encoding."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import drawn_words, minimal_ladder

LADDER = [sys.executable, "-m", "career_ladder"]


def shell(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`command` in bash with pipefail, `ladder` standing for this package's command."""
    script = f'set -o pipefail; ladder() {{ {" ".join(LADDER)} "$@"; }}; {command}'
    return subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, check=False, env={**os.environ, **env}
    )


@pytest.mark.slow
@pytest.mark.parametrize("columns", ["0", "1", "-5", "abc", ""])
@pytest.mark.parametrize("command", ["show tpm", "salary director", "compare pm tpm", "list"])
def test_any_width_the_environment_gives_draws_a_readable_table(columns: str, command: str) -> None:
    result = shell(f"ladder {command}", COLUMNS=columns)
    assert result.returncode == 0 and result.stderr == ""
    assert "tpm" in result.stdout.lower() and len(result.stdout.splitlines()) > 3


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        "ladder show pm -f json | true",
        "ladder show pm -f yaml | true",
        "ladder show pm -f csv | true",
        "ladder show pm -f markdown | true",
        "ladder schema | true",
        "ladder validate | true",
        "ladder --help | true",
        "ladder salary director -f csv | grep -q x",
        "ladder show pm --detail | head -1",
    ],
)
def test_a_reader_that_stops_early_ends_the_command_quietly(command: str) -> None:
    result = shell(command)
    assert (result.returncode, result.stderr) == (0, "")


def test_a_closed_stdout_is_said_in_one_line() -> None:
    result = shell("ladder show tpm >&-")
    assert (result.returncode, result.stderr) == (74, "ladder: cannot write the output: stdout is closed\n")


def test_a_full_disk_is_said_in_one_line() -> None:
    result = shell("ladder show pm -f json > /dev/full")
    assert result.returncode == 74
    assert result.stderr == "ladder: cannot write the output: No space left on device\n"


ASCII_STDOUT = [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}]


@pytest.mark.slow
@pytest.mark.parametrize("env", ASCII_STDOUT)
@pytest.mark.parametrize("command", ["show tpm", "salary tpm", "salary senior", "compare pm tpm", "show tpm tpm"])
def test_a_stdout_that_cannot_encode_unicode_gets_tables_in_ascii_that_line_up(
    env: dict[str, str], command: str
) -> None:
    result = shell(f"COLUMNS=100 ladder {command}", **env)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.isascii() and "\\u" not in result.stdout  # stand-ins, not escapes, for the data's text
    ruled = [line for line in result.stdout.splitlines() if line.startswith(("+", "|"))]
    assert ruled or command == "show tpm tpm"
    tables: list[list[str]] = []  # runs of ruled lines: each table's lines are one width
    for line, before in zip(result.stdout.splitlines(), ["", *result.stdout.splitlines()], strict=False):
        if line.startswith(("+", "|")):
            if not before.startswith(("+", "|")) or (line.startswith("+") and before.startswith("+")):  # a new table
                tables.append([])
            tables[-1].append(line)
    assert all(len({len(line) for line in lines}) == 1 and len(lines[0]) <= 100 for lines in tables)
    if command == "show tpm":
        assert "INR 26.5 lakh" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("env", ASCII_STDOUT)
@pytest.mark.parametrize("command", ["show tpm -f csv", "show pm -f markdown"])
def test_a_stdout_that_cannot_encode_unicode_gets_machine_formats_with_escapes(
    env: dict[str, str], command: str
) -> None:
    result = shell(f"ladder {command}", **env)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.isascii() and ("\\u2013" in result.stdout or "\\u20b9" in result.stdout)


def test_ascii_text_uses_stand_ins_and_escapes_the_rest() -> None:
    from career_ladder.render.output import ascii_text

    assert ascii_text("Café – ₹5 → “ok”…") == 'Caf\\xe9 - INR 5 -> "ok"...'


ROOT = Path(__file__).parents[1]
LONG_WORD = "cross-functional-platform-and-data-leadership"  # 45 characters
# Every command and every option of `show` that draws for people, on the built-in ladders, the
# examples, and `long`: a ladder whose rung title, summary, duty and role hold a 45-character word.
COMMANDS = [
    "list",
    "show tpm",
    "show tpm --detail",
    "show tpm --origin",
    "show tpm tpm",
    "show pm senior-pm",
    "show pm --limit 3",
    "--examples show acme --competencies",
    "--examples show acme --detail",
    "--examples show globex --origin",
    "--examples show globex pm --origin",
    "compare pm tpm",
    "--examples compare pm tpm acme",
    "salary director",
    "salary tpm",
    "--examples salary director",
    "next pm pm",
    "next pm senior-pm",
    "path apm cpo",
    "about pm",
    "about tpm",
    "entry",
    "tracks",
    "sources",
    "search strategy",
    "--examples search roadmap",
    "validate",
    "--examples validate",
    f"validate {ROOT}/tests/fixtures/teach/schema-and-rules.yaml",
    f"--examples diff {ROOT}/examples/acme.yaml {ROOT}/examples/proposed/acme.yaml",
    "--examples list",
    "@ list",
    "@ show long",
    "@ show long --detail",
    "@ show long lead",
    "@ salary lead",
    "@ compare pm long",
    f"@ search {LONG_WORD}",
    "@ next long junior",
    "init acme --from pm --dir ladders",
    "--examples examples --dir ex",
    "export pm -f mermaid",
]
MACHINE_LINES = ("validate", "export")  # a problem a line, for editors and grep; a chart's source


@pytest.fixture(scope="module")
def long_words() -> Iterator[Path]:
    """A data directory (at a short path, as a user's is) holding the ladder `long`."""
    ladder = minimal_ladder("long")
    lead = ladder["rungs"][1]
    lead.update(id="lead", title=f"Lead {LONG_WORD} Manager", summary=f"Leads {LONG_WORD} work across teams.")
    lead["responsibilities"][0]["text"] = f"Owns the {LONG_WORD} roadmap."
    ladder["transitions"][0]["to"] = "lead"
    directory = Path(tempfile.mkdtemp(prefix="w"))
    (directory / "long.yaml").write_text(yaml.safe_dump(ladder, sort_keys=False), encoding="utf-8")
    yield directory
    shutil.rmtree(directory)


def drawn_at(command: str, width: int, data: Path) -> str:
    """What `ladder COMMAND` prints at `width` columns (`@` standing for `--data-dir` of `data`)."""
    from typer.testing import CliRunner

    from career_ladder.cli import app

    args = command.replace("@", f"--data-dir {data}").split()
    with tempfile.TemporaryDirectory() as here, contextlib.chdir(here):  # for the files a command writes
        result = CliRunner().invoke(app, args, env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_tables_fit_the_width_lose_no_column_and_cut_no_word_at_80_columns(command: str, long_words: Path) -> None:
    """At 30 to 100 columns every line fits and every row ends at a border; at 80 and more no word is
    cut: a cut word shows as pieces that the same output, drawn where nothing has to wrap, lacks."""
    whole = set(drawn_words(drawn_at(command, 1000, long_words)))
    for width in (30, 45, 60, 80, 100):
        lines = drawn_at(command, width, long_words).splitlines()
        if not any(word in command for word in MACHINE_LINES):
            assert max(len(line) for line in lines if "/" not in line) <= width, width  # a path may be wider
        assert all(line[-1:] in "│┃┓┩┤┐┘┫┨" for line in lines if line[:1] and line[:1] in "│┃┏┡├┌└┗"), width
        if width >= 80:  # a word no line could hold (a long path) is the only one that may break
            pieces = set(drawn_words("\n".join(lines))) - whole
            assert [p for p in pieces if not any(p in w and len(w) > width - 2 for w in whole)] == [], width


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("# not a heading", "\\# not a heading"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("*not emphasis* and `not code`", "\\*not emphasis\\* and \\`not code\\`"),
        ("[not a link](javascript:alert)", "[not a link]\\(javascript:alert)"),
        ("a | b <i>", "a \\| b &lt;i&gt;"),
        ("[pm-career-path]", "[pm-career-path]"),
    ],
)
def test_markdown_shows_data_text_as_written(text: str, written: str) -> None:
    from career_ladder.render.output import markdown_text

    assert markdown_text(text) == written
