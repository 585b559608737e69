"""Reading one file: every error class with its code and place, and nothing unsafe executed."""

from __future__ import annotations

import datetime
import os
import re
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from career_ladder.catalog import Catalog
from career_ladder.datadirs import DataDir
from career_ladder.errors import InvalidLadder
from career_ladder.loading import read_ladder
from career_ladder.models import Ladder
from career_ladder.render.output import yaml_text
from career_ladder.validation import validate
from career_ladder.yamlfile import MAX_BYTES, field_path, plain_scalar, read_document
from conftest import minimal_ladder

INVALID = Path(__file__).parent / "fixtures" / "invalid"


def fixture_cases() -> list[tuple[str, Path]]:
    """Every fixture with the one code it exists for, taken from its name (ldr204.yaml -> LDR204)."""
    cases = []
    for path in sorted(INVALID.iterdir()):
        code = re.match(r"ldr(\d{3})", path.name)
        assert code, f"{path.name}: fixtures are named after their code"
        cases.append((f"LDR{code.group(1)}", path))
    return cases


@pytest.mark.parametrize(("code", "path"), fixture_cases(), ids=[p.name for _, p in fixture_cases()])
def test_each_invalid_fixture_gives_exactly_its_code(code: str, path: Path) -> None:
    if (path / "builtin").is_dir():  # a file that overrides a shipped one: the shipped ones are in view
        report = validate(Catalog([DataDir(path / "builtin", "built-in")]), sorted(path.glob("*.yaml")))
    else:
        report = validate(Catalog([]), [path])
    found = report.warnings if code.startswith("LDR4") else report.problems  # LDR4xx warns, never fails
    assert found, f"{path.name} should be invalid"
    assert {problem.code for problem in found} == {code}
    assert not report.problems or not code.startswith("LDR4")
    for problem in found:
        assert problem.line >= 1 and problem.column >= 1
        assert Path(problem.path).name.startswith("ldr") or Path(problem.path).parent.name.startswith("ldr")


def test_every_code_the_code_raises_is_documented_and_has_a_fixture_or_a_test() -> None:
    root = Path(__file__).parents[1]
    documented = set(re.findall(r"\| `(LDR\d{3})` \|", (root / "docs" / "error-codes.md").read_text(encoding="utf-8")))
    raised = {code for path in (root / "src").rglob("*.py") for code in re.findall(r"LDR\d{3}", path.read_text())}
    covered = {code for code, _ in fixture_cases()} | {"LDR002"}  # LDR002 (2 MiB) is built at test time
    # An import's own codes are about its input (a csv, a sheet), not a ladder file: a test names each.
    covered |= {
        code for path in (root / "tests").glob("test_*.py") for code in re.findall(r"LDR5\d{2}", path.read_text())
    }
    assert documented == covered == raised


def test_syntax_error_has_line_and_column(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    path = write_ladder(tmp_path, "id: x\nrungs:\n  - id: a\n   title: b\n", name="x")
    with pytest.raises(InvalidLadder) as caught:
        read_document(path)
    problem = caught.value.problems[0]
    assert (problem.code, problem.line) == ("LDR003", 4)
    assert str(problem).startswith(f"{path}:4:")


def test_tab_indentation_is_a_syntax_error(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    path = write_ladder(tmp_path, "id: x\nrungs:\n\t- id: a\n", name="x")
    with pytest.raises(InvalidLadder) as caught:
        read_document(path)
    assert caught.value.problems[0].code == "LDR003"
    assert caught.value.problems[0].line == 3


def test_duplicate_keys_are_all_reported_with_both_lines(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    path = write_ladder(tmp_path, "id: x\nname: a\nname: b\nrungs:\n  - {id: a, id: b}\n", name="x")
    with pytest.raises(InvalidLadder) as caught:
        read_document(path)
    found = [(p.code, p.line, p.field) for p in caught.value.problems]
    assert found == [("LDR004", 3, "name"), ("LDR004", 5, "rungs[a].id")]
    assert "first at line 2" in caught.value.problems[0].message


def test_python_tag_is_refused_and_never_runs(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    marker = tmp_path / "pwned"
    path = write_ladder(tmp_path, f"id: x\nname: !!python/object/apply:os.system ['touch {marker}']\n", name="x")
    with pytest.raises(InvalidLadder) as caught:
        read_document(path)
    assert caught.value.problems[0].code == "LDR006"
    assert not marker.exists()


def test_alias_bomb_is_refused_with_bounded_memory() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(InvalidLadder) as caught:
            read_document(INVALID / "ldr005.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.problems[0].code == "LDR005"
    assert peak < 100 * 1024 * 1024


def test_aliases_within_the_limit_are_fine(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    text = (
        "id: x\nname: X\nsummary: S.\nsources: [{id: s, title: T}]\n"
        "rungs: [{id: a, title: A, level: 1, summary: S., sources: &cited [s]}]\n"
        "notes: [{text: Reused list., sources: *cited}]\n"
    )
    path = write_ladder(tmp_path, text, name="x")
    assert read_ladder(path).ladder.notes[0].sources == ["s"]


def test_file_over_the_size_cap_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * (MAX_BYTES + 10))
    with pytest.raises(InvalidLadder) as caught:
        read_document(path)
    assert caught.value.problems[0].code == "LDR002"


def test_directory_named_like_a_ladder_is_ldr001(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").mkdir()
    with pytest.raises(InvalidLadder) as caught:
        read_document(tmp_path / "x.yaml")
    assert caught.value.problems[0].code == "LDR001"
    assert "directory" in caught.value.problems[0].message


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + yaml.safe_dump(minimal_ladder()).encode())
    assert read_ladder(path).ladder.id == "demo"


@pytest.mark.parametrize(
    ("text", "kind"), [("", "empty"), ("# only a comment\n", "empty"), ("- a\n", "a list"), ("just text\n", "a string")]
)
def test_top_level_must_be_a_mapping(tmp_path: Path, write_ladder: Callable[..., Path], text: str, kind: str) -> None:
    with pytest.raises(InvalidLadder) as caught:
        read_ladder(write_ladder(tmp_path, text, name="x"))
    assert caught.value.problems[0].code == "LDR007"
    assert kind in caught.value.problems[0].message


def test_schema_error_carries_field_path_and_position(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder()
    data["rungs"][1]["salary"][0]["min"] = "lots"
    path = write_ladder(tmp_path, data)
    with pytest.raises(InvalidLadder) as caught:
        read_ladder(path)
    problem = caught.value.problems[0]
    assert (problem.code, problem.field) == ("LDR103", "rungs[senior].salary[0].min")
    line = path.read_text().splitlines()[problem.line - 1]
    assert line[problem.column - 1 :].startswith("min: lots")


def test_missing_field_points_at_the_mapping_that_lacks_it(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder()
    del data["rungs"][1]["title"]
    path = write_ladder(tmp_path, data)
    with pytest.raises(InvalidLadder) as caught:
        read_ladder(path)
    problem = caught.value.problems[0]
    assert (problem.code, problem.field, problem.message) == (
        "LDR102",
        "rungs[senior].title",
        "missing required field 'title'",
    )
    assert path.read_text().splitlines()[problem.line - 1].lstrip().startswith("- id: senior")


def test_file_name_must_match_id(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo"), name="other")
    with pytest.raises(InvalidLadder) as caught:
        read_ladder(path)
    assert [p.code for p in caught.value.problems] == ["LDR201"]


def test_unknown_field_suggests_the_nearest_one(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder()
    data["rungs"][0]["responsibilites"] = []
    with pytest.raises(InvalidLadder) as caught:
        read_ladder(write_ladder(tmp_path, data))
    # the guess alone: the twenty fields of a rung would bury it (a point's three are listed, below)
    assert caught.value.problems[0].message == "unknown field 'responsibilites' (did you mean 'responsibilities'?)"


def test_an_unknown_field_of_a_point_lists_the_fields_of_a_point(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = minimal_ladder()
    data["rungs"][0]["responsibilities"][0]["source"] = ["s"]
    with pytest.raises(InvalidLadder) as caught:
        read_ladder(write_ladder(tmp_path, data))
    message = caught.value.problems[0].message
    assert message == "unknown field 'source' (did you mean 'sources'?); the fields here are sources, id, text"


def test_field_path_writes_list_indexes_in_brackets() -> None:
    assert field_path(("rungs", 2, "salary", 0, "min")) == "rungs[2].salary[0].min"
    assert field_path(()) == ""


# Property-based: whatever the text, the loader returns a ladder or raises its own error type.
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_arbitrary_text_gives_a_ladder_or_invalid_ladder(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode("utf-8", errors="replace"))
    try:
        read_ladder(path)
    except InvalidLadder as error:
        assert all(p.code.startswith("LDR") and p.line >= 1 for p in error.problems)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@pytest.mark.slow
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from([*Ladder.model_fields, "x"]), yaml_values, max_size=8))
def test_arbitrary_yaml_mappings_give_a_ladder_or_invalid_ladder(tmp_path: Path, data: dict[str, object]) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        read_ladder(path)
    except InvalidLadder as error:
        assert all(p.code.startswith("LDR") for p in error.problems)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    levels=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=6, unique=True),
    title=st.text(st.characters(blacklist_categories=["Cs", "Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=30).filter(
        str.strip
    ),  # no unsafe character (LDR104): Cf holds the direction marks
    amount=st.integers(min_value=1, max_value=10**9),
)
def test_valid_ladder_survives_a_round_trip_through_yaml(
    tmp_path: Path, levels: list[int], title: str, amount: int
) -> None:
    levels.sort()
    rungs = [
        {
            "id": f"r{i}",
            "title": f"{title} {i}".strip(),
            "level": level,
            "summary": "S.",
            "sources": ["s"],
            "salary": [{"currency": "EUR", "min": amount, "max": amount + i, "sources": ["s"]}],
        }
        for i, level in enumerate(levels)
    ]
    transitions = [
        {"kind": "promotion", "from": f"r{i}", "to": f"r{i + 1}", "sources": ["s"]} for i in range(len(levels) - 1)
    ]
    original = Ladder.model_validate(minimal_ladder("x", rungs=rungs, transitions=transitions))
    path = tmp_path / "x.yaml"
    path.write_text(
        yaml.safe_dump(original.model_dump(mode="json", by_alias=True, exclude_defaults=True)), encoding="utf-8"
    )
    assert read_ladder(path).ladder == original


def problems_of(tmp_path: Path, text: str) -> list[tuple[str, int, str]]:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidLadder) as caught:
        read_ladder(path)
    return [(p.code, p.line, p.message) for p in caught.value.problems]


@pytest.fixture(params=["C", "pure-Python"])
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test that takes it runs with libyaml's loader and with PyYAML's own (as without libyaml)."""
    if request.param == "C" and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("this PyYAML is built without libyaml")
    if request.param == "pure-Python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    return str(request.param)


DEEP = {
    "flow sequences": "id: x\nnotes: " + "[" * 30000 + "]" * 30000 + "\n",
    "flow mappings": "id: x\nnotes: " + "{a: " * 30000 + "}" * 30000 + "\n",
    # libyaml 0.2.6 stops block nesting at 1,000 levels too; one space of indent a level.
    "block mappings": "id: x\nnotes:\n" + "".join(" " * depth + "a:\n" for depth in range(1, 1500)),
}


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_refused_before_it_can_overflow_the_stack(tmp_path: Path, yaml_loader: str, text: str) -> None:
    found = problems_of(tmp_path, text)
    assert [(code, message) for code, _, message in found] == [("LDR005", "the YAML is nested deeper than 100 levels")]
    assert found[0][1] >= 2


def test_a_huge_flat_file_is_refused_as_it_is_read(tmp_path: Path) -> None:
    found = problems_of(tmp_path, "notes: [" + "1," * 60000 + "1]\n")
    assert [(code, message) for code, _, message in found] == [("LDR005", "the file holds more than 50,000 values")]


@pytest.mark.parametrize(
    "value",
    [
        "!!int abc",
        "!!float abc",
        "!!bool maybe",
        "!!timestamp foo",
        "!!int ''",
        "!custom x",
        "!!str fine",
        "!!binary aGk=",
    ],
)
def test_any_tag_is_refused_and_never_crashes(tmp_path: Path, value: str) -> None:
    assert [code for code, _, _ in problems_of(tmp_path, f"id: x\nname: {value}\n")] == ["LDR006"]


@pytest.mark.parametrize("date", ["2024-02-30", "2024-13-45"])
def test_an_impossible_date_is_ldr003_at_its_place(tmp_path: Path, date: str) -> None:
    found = problems_of(tmp_path, f"id: x\nname: N\nsummary: {date}\n")
    assert found[0][:2] == ("LDR003", 3) and "not a valid date" in found[0][2]


@pytest.mark.parametrize(
    ("plain", "value"),
    [
        ("010", "010"),
        ("1:30", "1:30"),
        ("0x1F", "0x1F"),
        ("yes", "yes"),
        ("on", "on"),
        ("~", None),
        ("true", True),
        ("12", 12),
        ("-1.5e3", -1500.0),
        ("2024-02-06", datetime.date(2024, 2, 6)),
    ],
)
def test_plain_scalars_read_as_yaml_1_2_core(plain: str, value: object) -> None:
    assert plain_scalar(plain) == value


def test_yaml_1_1_numbers_are_not_silently_converted(tmp_path: Path) -> None:
    data = minimal_ladder()
    text = yaml.safe_dump(data, sort_keys=False).replace("level: 10", "level: 010")
    found = problems_of(tmp_path, text.replace("id: demo", "id: x"))
    assert [code for code, _, _ in found] == ["LDR103"]


def test_a_key_that_is_not_text_is_ldr003_at_the_key(tmp_path: Path) -> None:
    found = problems_of(tmp_path, "id: x\nname: N\n7: seven\n")
    assert found == [("LDR003", 3, "a mapping key must be text")]


def test_second_document_and_unknown_alias_are_syntax_errors(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "id: x\n---\nid: y\n")[0][0] == "LDR003"
    assert problems_of(tmp_path, "id: x\nname: *nowhere\n")[0][0] == "LDR003"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.yaml")
    with pytest.raises(InvalidLadder) as caught:
        read_ladder(tmp_path / "x.yaml")
    assert (caught.value.problems[0].code, caught.value.problems[0].message) == ("LDR001", "is not a regular file")


def test_yaml_output_round_trips_through_the_loader(tmp_path: Path) -> None:
    data = {"a": ["yes", "010", 1.5, None, True, "2024-02-06", "₹26.5 lakh"]}
    path = tmp_path / "x.yaml"
    path.write_text(yaml_text(data), encoding="utf-8")
    assert read_document(path).data == data


words = st.text(st.sampled_from("abcdefgh é"), min_size=1, max_size=8).map(str.strip).filter(bool)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(words, min_size=2, max_size=4, unique=True))  # a repeated part is a duplicate key
def test_a_comma_cut_text_in_braces_is_told_with_a_fix_that_reads_back_as_the_text(
    tmp_path: Path, parts: list[str]
) -> None:
    text = ", ".join(parts)
    path = tmp_path / "x.yaml"
    path.write_text(f"x: [{{text: {text}, sources: [s]}}]\n", encoding="utf-8")
    with pytest.raises(InvalidLadder) as caught:
        read_document(path)
    [problem] = caught.value.problems
    assert problem.code == "LDR003" and problem.line == 1
    fix = problem.message.rpartition(", text: ")[2]
    path.write_text(f"x: [{{text: {fix}, sources: [s]}}]\n", encoding="utf-8")
    assert read_document(path).data == {"x": [{"text": text, "sources": ["s"]}]}


def test_a_key_with_an_empty_value_in_braces_is_not_a_cut_text(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("x: {a: b, c: , d: e}\ny: {a: b, c: }\n", encoding="utf-8")
    assert read_document(path).data == {"x": {"a": "b", "c": None, "d": "e"}, "y": {"a": "b", "c": None}}
