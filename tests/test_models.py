"""Each rule of the ladder model, passing and failing, through plain calls."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from career_ladder.models import UNION_TAGS, Ladder, Rung, SalaryFigure, SharedRung, ladder_schema
from career_ladder.rules import ladder_problems
from conftest import minimal_ladder


def codes(data: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """What is wrong with `data`: its fields, else the rules of the whole file."""
    try:
        ladder = Ladder.model_validate(data)
    except ValidationError as caught:
        return [(e["type"], tuple(p for p in e["loc"] if p not in UNION_TAGS)) for e in caught.errors()]
    found = [(problem.code, problem.loc) for problem in ladder_problems(ladder)]
    assert found, "nothing is wrong"
    return found


def test_minimal_ladder_is_valid() -> None:
    ladder = Ladder.model_validate(minimal_ladder())
    assert [rung.id for rung in ladder.rungs] == ["junior", "senior"]
    assert ladder.transitions[0].from_ == "junior"


def test_unknown_field_is_refused_not_ignored() -> None:
    data = minimal_ladder()
    data["rungs"][0]["salery"] = []
    assert codes(data) == [("extra_forbidden", ("rungs", 0, "salery"))]


def test_ids_must_be_kebab_case_slugs() -> None:
    assert codes(minimal_ladder("Not A Slug"))[0][1] == ("id",)


@pytest.mark.parametrize("field", ["rungs", "sources"])
def test_duplicate_ids_are_ldr202(field: str) -> None:
    data = minimal_ladder()
    data[field].append(copy.deepcopy(data[field][0]))
    if field == "rungs":
        data["rungs"][-1]["level"] = 30
    assert ("LDR202", (field, len(data[field]) - 1, "id")) in codes(data)


def test_undeclared_source_is_ldr204_with_its_place() -> None:
    data = minimal_ladder()
    data["rungs"][1]["salary"][0]["sources"] = ["s", "ghost"]
    assert codes(data) == [("LDR204", ("rungs", 1, "salary", 0, "sources", 1))]


def test_transition_to_missing_rung_is_ldr203() -> None:
    data = minimal_ladder(transitions=[{"kind": "promotion", "from": "junior", "to": "nobody", "sources": ["s"]}])
    assert codes(data) == [("LDR203", ("transitions", 0, "to"))]


def test_entry_point_landing_on_missing_rung_is_ldr203() -> None:
    data = minimal_ladder(entry_points=[{"id": "grad", "name": "Graduate", "lands_on": ["nobody"], "sources": ["s"]}])
    assert codes(data) == [("LDR203", ("entry_points", 0, "lands_on", 0))]


def test_view_step_naming_missing_rung_is_ldr203() -> None:
    data = minimal_ladder(
        views=[
            {
                "id": "v",
                "summary": "Other titles.",
                "sources": ["s"],
                "steps": [{"title": "X", "rungs": ["junior", "nobody"]}],
            }
        ]
    )
    assert codes(data) == [("LDR203", ("views", 0, "steps", 0, "rungs", 1))]


def test_cross_ladder_reference_is_left_to_the_catalog() -> None:
    data = minimal_ladder(transitions=[{"kind": "lateral", "from": "senior", "to": "pm:pm", "sources": ["s"]}])
    assert Ladder.model_validate(data).transitions[0].to == "pm:pm"


def test_promotion_that_does_not_rise_is_ldr205() -> None:
    data = minimal_ladder()
    data["rungs"][0]["level"] = data["rungs"][1]["level"] = 20
    assert codes(data) == [("LDR205", ("transitions", 0, "to"))]
    data = minimal_ladder(transitions=[{"kind": "promotion", "from": "senior", "to": "junior", "sources": ["s"]}])
    assert codes(data) == [("LDR205", ("transitions", 0, "to"))]


def test_rungs_go_lowest_first_ldr212() -> None:
    data = minimal_ladder(transitions=[])
    data["rungs"].reverse()
    assert codes(data) == [("LDR212", ("rungs", 1, "level"))]


@pytest.mark.parametrize(
    ("field", "value"),
    [("level", True), ("level", "10"), ("level", 10.0), ("optional", "yes")],
)
def test_numbers_and_flags_are_strict(field: str, value: object) -> None:
    data = minimal_ladder()
    data["rungs"][0][field] = value
    assert [c for c, _ in codes(data)] == ["int_type" if field == "level" else "bool_type"]


@pytest.mark.parametrize("amount", [float("nan"), float("inf"), True, "150000"])
def test_amounts_must_be_finite_numbers(amount: object) -> None:
    data = minimal_ladder()
    data["rungs"][1]["salary"] = [{"currency": "USD", "average": amount, "sources": ["s"]}]
    assert codes(data)[0][1] == ("rungs", 1, "salary", 0, "average")


@pytest.mark.parametrize("text", ["a\x1b[31m", "a\x9bb", "right\u202eleft", "line\u2028break", "bell\x07"])
def test_text_with_control_or_direction_characters_is_ldr104(text: str) -> None:
    data = minimal_ladder()
    data["rungs"][0]["summary"] = text
    assert codes(data) == [("LDR104", ("rungs", 0, "summary"))]


def test_lateral_move_may_stay_at_one_level() -> None:
    data = minimal_ladder(transitions=[{"kind": "lateral", "from": "senior", "to": "junior", "sources": ["s"]}])
    Ladder.model_validate(data)


def salary(**fields: Any) -> dict[str, Any]:
    return {"currency": "USD", "sources": ["s"], **fields}


@pytest.mark.parametrize(
    ("figure", "code"),
    [
        (salary(min=300, max=200), "LDR206"),
        (salary(min=-1, max=200), "LDR207"),
        (salary(average=0), "LDR207"),
        (salary(currency="usd", average=5), "LDR208"),
        (salary(currency="XYZ", average=5), "LDR208"),
        (salary(min=100), "LDR209"),
        (salary(min=100, max=200, average=150), "LDR209"),
        (salary(), "LDR209"),
    ],
)
def test_salary_rules(figure: dict[str, Any], code: str) -> None:
    data = minimal_ladder()
    data["rungs"][1]["salary"] = [figure]
    assert [c for c, _ in codes(data)] == [code]


@pytest.mark.parametrize("figure", [salary(min=100, max=100), salary(currency="INR", average=2650000)])
def test_valid_salary_figures(figure: dict[str, Any]) -> None:
    assert SalaryFigure.model_validate(figure).currency in {"USD", "INR"}


def test_whole_amounts_stay_integers() -> None:
    dumped = SalaryFigure.model_validate(salary(min=83350, max=133305.5)).model_dump(mode="json")
    assert (dumped["min"], dumped["max"]) == (83350, 133305.5)
    assert isinstance(dumped["min"], int)


def test_every_salary_problem_is_reported_not_only_the_first() -> None:
    data = minimal_ladder()
    data["rungs"][1]["salary"] = [salary(min=300, max=200), salary(min=1, max=2), salary(currency="ABC", average=1)]
    assert [loc for _, loc in codes(data)] == [("rungs", 1, "salary", 0), ("rungs", 1, "salary", 2, "currency")]


def test_exit_names_a_role_and_promotion_names_a_rung() -> None:
    exit_to_rung = minimal_ladder(transitions=[{"kind": "exit", "from": "senior", "to": "junior", "sources": ["s"]}])
    promotion_to_role = minimal_ladder(
        transitions=[{"kind": "promotion", "from": "junior", "role": "CEO", "sources": ["s"]}]
    )
    assert [c for c, _ in codes(exit_to_rung)] == ["LDR210"]
    assert [c for c, _ in codes(promotion_to_role)] == ["LDR210"]
    ok = minimal_ladder(transitions=[{"kind": "exit", "from": "senior", "role": "CEO", "sources": ["s"]}])
    assert Ladder.model_validate(ok).transitions[0].role == "CEO"


def test_outlook_score_above_its_scale_is_ldr211() -> None:
    data = minimal_ladder(outlook=[{"factor": "Stability", "score": 11, "out_of": 10, "sources": ["s"]}])
    assert codes(data) == [("LDR211", ("outlook", 0))]
    no_scale = Ladder.model_validate(minimal_ladder(outlook=[{"factor": "Stability", "score": 11, "sources": ["s"]}]))
    assert no_scale.outlook[0].out_of is None  # a source that states no scale: any score stands


def test_shared_rung_is_its_own_kind_of_entry() -> None:
    data = minimal_ladder()
    data["rungs"].append({"shared": "pm:director"})
    data["transitions"].append({"kind": "promotion", "from": "senior", "to": "director", "sources": ["s"]})
    ladder = Ladder.model_validate(data)
    assert isinstance(ladder.rungs[2], SharedRung)
    assert isinstance(ladder.rungs[0], Rung)
    assert ladder.rung("director") == SharedRung(shared="pm:director")


def test_shared_rung_takes_no_other_fields() -> None:
    data = minimal_ladder()
    data["rungs"].append({"shared": "pm:director", "title": "Director"})
    assert codes(data) == [("extra_forbidden", ("rungs", 2, "title"))]


def test_shared_rung_must_name_its_ladder() -> None:
    data = minimal_ladder()
    data["rungs"].append({"shared": "director"})
    assert codes(data) == [("LDR210", ("rungs", 2, "shared"))]


def test_every_fact_bearing_item_needs_a_source() -> None:
    data = minimal_ladder(tracks=[{"id": "t", "name": "T", "focus": "F", "sources": []}])
    assert codes(data) == [("too_short", ("tracks", 0, "sources"))]


def test_schema_is_generated_and_strict() -> None:
    schema = ladder_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["additionalProperties"] is False
    assert {"required": ["rungs"]} in schema["anyOf"]  # unless the ladder extends another
    assert "from" in schema["$defs"]["Transition"]["properties"]
