"""The public API: `Ladders` answers every question with plain calls, each answer frozen and its
`to_dict()` the command's json; every public name is documented in docs/api.md."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import career_ladder
from career_ladder import (
    BadArgument,
    Copied,
    Created,
    InvalidLadder,
    LadderDiff,
    LadderError,
    Ladders,
    NotFound,
    ValidationReport,
)
from conftest import minimal_ladder, run

API_DOC = Path(__file__).parents[1] / "docs" / "api.md"

# Each question as a call and as the command that prints its json.
QUESTIONS: list[tuple[Callable[[Ladders], Any], list[str]]] = [
    (lambda ladders: ladders.listing(), ["list"]),
    (lambda ladders: ladders.ladder("tpm"), ["show", "tpm"]),
    (lambda ladders: ladders.ladder("globex", origin=True), ["--examples", "show", "globex", "--origin"]),
    (lambda ladders: ladders.rung("pm", "director"), ["show", "pm", "director"]),
    (lambda ladders: ladders.compare(["pm", "tpm"]), ["compare", "pm", "tpm"]),
    (lambda ladders: ladders.salary("director"), ["salary", "director"]),
    (lambda ladders: ladders.salary("senior", ladder="pm"), ["salary", "senior", "--ladder", "pm"]),
    (lambda ladders: ladders.next("pm", "senior-pm"), ["next", "pm", "senior-pm"]),
    (lambda ladders: ladders.path("apm", "pm:director", routes=2), ["path", "apm", "pm:director", "--routes", "2"]),
    (lambda ladders: ladders.search("roadmap"), ["search", "roadmap"]),
    (
        lambda ladders: ladders.search(["technical", "roadmap"], ladder="tpm"),
        ["search", "technical", "roadmap", "-l", "tpm"],
    ),
    (lambda ladders: ladders.validate(), ["validate"]),
    (lambda ladders: ladders.about("pm"), ["about", "pm"]),
    (lambda ladders: ladders.entry(), ["entry"]),
    (lambda ladders: ladders.tracks(ladder="pm"), ["tracks", "--ladder", "pm"]),
    (lambda ladders: ladders.sources(), ["sources"]),
    (lambda ladders: ladders.source("tpm-career-2020"), ["sources", "tpm-career-2020"]),
]


@pytest.mark.parametrize(("ask", "argv"), QUESTIONS, ids=[" ".join(argv) for _, argv in QUESTIONS])
def test_to_dict_is_what_the_command_prints_as_json(ask: Callable[[Ladders], Any], argv: list[str]) -> None:
    answer = ask(Ladders(examples="--examples" in argv))
    code, out, _ = run(*argv, "-f", "json")
    assert code == 0
    assert answer.to_dict() == json.loads(out)


@pytest.mark.parametrize(("ask", "argv"), QUESTIONS[:6], ids=[" ".join(argv) for _, argv in QUESTIONS[:6]])
def test_an_answer_is_frozen(ask: Callable[[Ladders], Any], argv: list[str]) -> None:
    answer = ask(Ladders(examples="--examples" in argv))
    with pytest.raises(AttributeError):
        answer.total = 0
    with pytest.raises(AttributeError):
        setattr(answer, answer._fields[0], None)


def test_an_unknown_ladder_is_not_found() -> None:
    with pytest.raises(NotFound, match="nosuch"):
        Ladders().ladder("nosuch")


def test_an_unknown_rung_is_not_found() -> None:
    with pytest.raises(NotFound):
        Ladders().rung("pm", "astronaut")


def test_a_broken_ladder_file_is_invalid_and_says_where(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidLadder) as raised:
        Ladders([tmp_path]).ladder("broken")
    assert raised.value.path == tmp_path / "broken.yaml"
    assert raised.value.problems[0].code == "LDR003"  # YAML syntax


def test_compare_needs_two_ladders() -> None:
    with pytest.raises(BadArgument, match="two or more"):
        Ladders().compare(["pm"])


def test_an_empty_data_directory_is_a_bad_argument() -> None:
    with pytest.raises(BadArgument):
        Ladders([""])


def test_every_error_of_the_api_is_a_ladder_error() -> None:
    for name in ("NotFound", "InvalidLadder", "Ambiguous", "BadArgument"):
        assert issubclass(getattr(career_ladder, name), LadderError)


def test_a_data_directory_adds_its_ladders_and_a_later_one_wins(tmp_path: Path, write_ladder: Any) -> None:
    write_ladder(tmp_path / "a", minimal_ladder("demo", name="First"))
    write_ladder(tmp_path / "b", minimal_ladder("demo", name="Second"))
    ladders = Ladders([tmp_path / "a", str(tmp_path / "b")])
    assert ladders.ladder("demo").ladder.name == "Second"
    assert "demo" in ladders and "nosuch" not in ladders and "../demo" not in ladders
    assert [row.summary.id for row in ladders.listing().rows] == ["demo", "pm", "tpm"]
    assert ladders.listing(limit=1).total == 3


def test_salary_limits_rows_but_counts_them_all() -> None:
    report = Ladders().salary("director", limit=1)
    assert len(report.rows) == 1 and report.total > 1


def test_validate_reports_a_broken_file_without_raising(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    report = Ladders().validate([tmp_path / "broken.yaml"])
    assert isinstance(report, ValidationReport)
    assert report.files == 1 and report.problems and report.to_dict()["ok"] is False


def test_shared_sources_are_the_sources_of_the_ladders_that_write_shared_rungs() -> None:
    ladders = Ladders()
    view = ladders.ladder("tpm")
    homes = {placed.shared_from.partition(":")[0] for placed in view.rungs if placed.shared_from}
    assert homes == {"pm"}
    assert ladders.shared_sources(view) == {"pm": ladders.ladder("pm").ladder.sources}


def test_init_writes_a_ladder_that_validates_and_says_what_it_wrote(tmp_path: Path) -> None:
    ladders = Ladders()
    created = ladders.init("mine", tmp_path / "new", start="pm")
    assert isinstance(created, Created)
    assert created.ladder == tmp_path / "new" / "mine.yaml" and created.directory == tmp_path / "new"
    assert Ladders().validate([created.ladder]).problems == []
    with pytest.raises(LadderError):
        ladders.init("mine", tmp_path / "new")


def test_write_examples_copies_the_example_ladders(tmp_path: Path) -> None:
    copied = Ladders.write_examples(tmp_path)
    assert isinstance(copied, Copied)
    assert {path.name for path in copied.files} >= {"acme.yaml", "globex.yaml"}


def test_diff_compares_two_files_as_data(tmp_path: Path, write_ladder: Any) -> None:
    old = write_ladder(tmp_path / "old", minimal_ladder("demo"))
    new = write_ladder(tmp_path / "new", minimal_ladder("demo", name="Renamed"))
    result = Ladders.diff(str(old), str(new))
    assert isinstance(result, LadderDiff)
    assert [(change.where, change.after) for change in result.changes] == [("name", "Renamed")]
    assert result.to_dict() == json.loads(run("diff", str(old), str(new), "-f", "json")[1])


def test_schema_is_what_the_command_prints() -> None:
    assert Ladders.schema() == json.loads(run("schema")[1])


def test_warnings_say_a_ladder_written_twice_in_one_directory(tmp_path: Path, write_ladder: Any) -> None:
    write_ladder(tmp_path, minimal_ladder("demo"), "demo.yaml")
    write_ladder(tmp_path, minimal_ladder("demo"), "demo.yml")
    ladders = Ladders([tmp_path])
    ladders.ladder("demo")
    assert [warning.code for warning in ladders.warnings] == ["LDR301"]


def test_every_public_name_resolves_and_is_documented() -> None:
    doc = API_DOC.read_text(encoding="utf-8")
    for name in career_ladder.__all__:
        assert getattr(career_ladder, name) is not None
        assert f"`{name}" in doc, f"docs/api.md does not document {name}"


def test_every_public_method_of_ladders_is_documented_with_its_parameters() -> None:
    doc = API_DOC.read_text(encoding="utf-8")
    for name, member in inspect.getmembers(Ladders):
        if name.startswith("_"):
            continue
        heading = re.search(rf"^### `Ladders\.{name}\b(.*)`$", doc, re.MULTILINE)
        assert heading, f"docs/api.md has no heading for Ladders.{name}"
        if callable(member):
            named = set(re.findall(r"\w+", heading.group(1)))
            assert set(inspect.signature(member).parameters) - {"self"} <= named, heading.group(0)


def test_importing_the_package_imports_nothing_else() -> None:
    script = "import sys; before = set(sys.modules); import career_ladder; print(sorted(set(sys.modules) - before))"
    printed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert printed.strip() == "['career_ladder']"


def _python_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", API_DOC.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("block", _python_blocks())
def test_the_examples_of_the_api_docs_run_and_print_what_they_show(
    block: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each `# → TEXT` line of a block is a line the block prints, in order."""
    shown = [line.removeprefix("# → ") for line in block.splitlines() if line.startswith("# → ")]
    exec(compile(block, str(API_DOC), "exec"), {})
    assert capsys.readouterr().out.splitlines() == shown


def test_a_search_in_one_ladder_leaves_the_next_question_every_ladder() -> None:
    """A search scoped to one ladder narrows what the store looks at for that search only."""
    with Ladders() as ladders:
        before = ladders.salary("director").to_dict()
        assert {hit.ladder for hit in ladders.search("strategy", ladder="pm").hits} == {"pm"}
        assert ladders.salary("director").to_dict() == before
        assert {hit.ladder for hit in ladders.search("strategy").hits} >= {"pm", "tpm"}
