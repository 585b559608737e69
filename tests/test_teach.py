"""Errors that teach: each fixture in tests/fixtures/teach is a mistake made writing a company ladder
from the README, and the one message (or two, for two mistakes) `validate` gives for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from career_ladder.catalog import Catalog
from career_ladder.datadirs import DataDir, builtin_dir
from career_ladder.validation import validate

TEACH = Path(__file__).parent / "fixtures" / "teach"

CASES = {
    "tab.yaml": [("LDR003", "", "a tab in the indentation of line 8 (column 1): YAML indents with spaces only")],
    "rung-typo.yaml": [
        ("LDR203", "transitions[0].to", "no rung 'principl-pm' in this ladder (did you mean 'principal-pm'?)")
    ],
    "source-typo.yaml": [
        (
            "LDR204",
            "rungs[pm].responsibilities[0].sources[0]",
            "source 'handbok' is not declared under `sources` (did you mean 'handbook'?)",
        )
    ],
    "ladder-typo.yaml": [
        ("LDR303", "rungs[ppm:director].shared", "no ladder 'ppm' for 'ppm:director' (did you mean 'pm'?)")
    ],
    "shared-typo.yaml": [
        (
            "LDR303",
            "rungs[pm:directr].shared",
            "no rung 'directr' in ladder 'pm' (did you mean 'director'?); the references to 'director' in this "
            "file wait on it: transitions[0].to (line 10), transitions[1].from (line 11)",
        )
    ],
    "quoted-level.yaml": [
        ("LDR103", "rungs[principal-pm].level", "write a whole number such as 35, without quotes (got '35 or so')")
    ],
    "schema-and-rules.yaml": [
        ("LDR103", "rungs[senior-pm].level", "write a whole number such as 35, without quotes (got '30')"),
        ("LDR203", "transitions[1].to", "no rung 'lead-pm' in this ladder"),
    ],
    "one-round.yaml": [
        ("LDR303", "rungs[pm:chief].shared", "no rung 'chief' in ladder 'pm'"),
        ("LDR203", "transitions[0].to", "no rung 'lead' in this ladder"),
    ],
    "title-typo.yaml": [
        (
            "LDR303",
            "rungs[pm:group-manager].shared",
            "no rung 'group-manager' in ladder 'pm' (did you mean 'group-pm', titled Group Product Manager?)",
        )
    ],
    "years-range.yaml": [
        (
            "LDR103",
            "rungs[pm].years",
            "write a mapping of min and optionally max: `years: {min: 2, max: 4}` (got '2-4')",
        )
    ],
    "pay-flag.yaml": [
        (
            "LDR103",
            "pay_not_published",
            "write a mapping of by, sources and optionally note: `pay_not_published: {by: …, sources: [handbook]}` "
            "(got True)",
        )
    ],
    "unknown-field.yaml": [
        (
            "LDR101",
            "rungs[pm].description",
            "unknown field 'description'; the fields here are id, title, aliases, level, kind, track, optional, "
            "summary, responsibilities, duties_not_stated, skills, expectations, years, reports_to, equivalent, "
            "signals, salary, pay_not_published, notes, sources",
        )
    ],
    "area-name.yaml": [
        (
            "LDR214",
            "rungs[pm].expectations.Product strategy",
            "'Product strategy' is the name of competency area 'strategy': key its expectations by the id, `strategy:`",
        )
    ],
    "undeclared-track.yaml": [
        (
            "LDR213",
            "rungs[group-pm].track",
            "no track 'manager' under `parallel_tracks`: write one of management, ic, or declare it there",
        )
    ],
    "undeclared-area.yaml": [
        (
            "LDR214",
            "rungs[pm].expectations.communications",
            "no competency area 'communications' under `competencies`: write one of communication, execution, "
            "people, or declare it there",
        )
    ],
    "flow-comma.yaml": [
        (
            "LDR003",
            "rungs[pm].responsibilities[1]",
            "a comma ends the text inside `{…}`, so 'interviews and surveys' became a field: quote the text, "
            'text: "Runs user research, interviews and surveys"',
        )
    ],
    "pay-contradiction.yaml": [
        (
            "LDR216",
            "rungs[pm].salary",
            "rung 'pm' gives a salary figure, yet the ladder's `pay_not_published` says its pay is not published: "
            "keep one of the two",
        )
    ],
    "duties-contradiction.yaml": [
        (
            "LDR217",
            "rungs[pm].duties_not_stated",
            "rung 'pm' lists responsibilities, yet `duties_not_stated` says its sources give none: keep one of the two",
        )
    ],
    "no-summary.yaml": [
        (
            "LDR218",
            "rungs[senior-pm]",
            "rung 'senior-pm' has duties but no summary: add `summary:`, what the rung is in a sentence or two",
        )
    ],
    "expectations-only.yaml": [],
}


def test_every_fixture_has_its_case() -> None:
    assert sorted(path.name for path in TEACH.glob("*.yaml")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_mistake_is_told_once_where_it_is_and_how_to_fix_it(name: str) -> None:
    report = validate(Catalog([DataDir(builtin_dir(), "built-in")]), [TEACH / name])
    assert [(p.code, p.field, p.message) for p in report.problems] == CASES[name]
    first = (TEACH / name).read_text(encoding="utf-8").splitlines()
    for problem in report.problems:
        assert 1 <= problem.line <= len(first)


def test_a_rung_described_by_its_expectations_alone_has_duties() -> None:
    report = validate(Catalog([DataDir(builtin_dir(), "built-in")]), [TEACH / "expectations-only.yaml"])
    assert report.problems == [] and report.warnings == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rungs:\n  -\tid: pm\n", "a tab in the indentation of line 6 (column 4)"),
        ("rungs:\n  - {id: a, title: A, level: 3.5, sources: [s]}\n", "without a decimal point (got 3.5)"),
        ("rungs:\n  - {id: b, shared: pm:pm}\n", "'id' beside `shared:`: a shared rung takes only `track`"),
        ("rungs:\n  - shared: PM:VP\n", "`ladder:rung` for another ladder's, such as pm:vp (got 'PM:VP')"),
        ("rungs:\n  - shared: pn:director\n", "no ladder 'pn' for 'pn:director' (did you mean 'pm'?)"),
        (  # a rung of this file, found by its title
            "rungs:\n  - {id: gpm, title: Group Product Manager, level: 35, summary: S., sources: [s]}\n"
            "transitions: [{kind: exit, from: group-manager, role: Founder, sources: [s]}]\n",
            "no rung 'group-manager' in this ladder (did you mean 'gpm', titled Group Product Manager?)",
        ),
        (  # and by an alias
            "rungs:\n  - {id: gpm, title: Lead, aliases: [Group Product Manager], level: 35, sources: [s]}\n"
            "transitions: [{kind: exit, from: group-manager, role: Founder, sources: [s]}]\n",
            "(did you mean 'gpm', also called Group Product Manager?)",
        ),
        ("rungs:\n  - {id: a, title: A, level: 10, years: 5, sources: [s]}\n", "`years: {min: 5}` (got 5)"),
        (
            "rungs:\n  - {id: a, title: A, level: 10, duties_not_stated: true, sources: [s]}\n",
            "write a mapping of sources and optionally note: `duties_not_stated: {sources: [s]}` (got True)",
        ),
        ("rungs:\n  - [a, A, 10]\n", "`{id: …, title: …, level: …, sources: [s]}`"),
        (  # an area's name written as an id
            "competencies: [{id: strategy, name: Product strategy, covers: C., sources: [s]}]\n"
            "rungs:\n  - {id: a, title: A, level: 10, expectations: {product-strategy: []}, sources: [s]}\n",
            "'product-strategy' is the name of competency area 'strategy': key its expectations by the id, `strategy:`",
        ),
        (  # a track's name for its id
            "parallel_tracks: [{id: ic, name: Individual contributor, sources: [s]}]\n"
            "rungs:\n  - {id: a, title: A, level: 10, track: individual-contributor, sources: [s]}\n",
            "'individual-contributor' is the name of track 'ic': write `track: ic`",
        ),
        (
            "rungs:\n  - {id: a, title: A, level: 10, track: ic, sources: [s]}\n",
            "no track 'ic': `parallel_tracks` declares none; declare it there",
        ),
        (  # a point that is a rung's duties and says none are stated
            "competencies: [{id: craft, name: Craft, covers: C., sources: [s]}]\n"
            "rungs:\n  - {id: a, title: A, level: 10, expectations: {craft: [{text: T., sources: [s]}]},"
            " duties_not_stated: {sources: [s]}, sources: [s]}\n",
            "rung 'a' lists expectations, yet `duties_not_stated` says its sources give none",
        ),
        (
            "pay_not_published: {by: X, sources: [s]}\n"
            "rungs:\n  - {id: a, title: A, level: 10, sources: [s],"
            " salary: [{currency: EUR, average: 5, sources: [s]}]}\n",
            "rung 'a' gives a salary figure, yet the ladder's `pay_not_published`",
        ),
        (
            "rungs:\n  - {id: a, title: A, level: 10, pay_not_published: {by: X, sources: [s]},"
            " salary: [{currency: EUR, average: 5, sources: [s]}], sources: [s]}\n",
            "rung 'a' gives a salary figure, yet its `pay_not_published`",
        ),
    ],
)
def test_more_mistakes_that_teach(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("id: x\nname: X\nsummary: S.\nsources: [{id: s, title: S}]\n" + text, encoding="utf-8")
    report = validate(Catalog([DataDir(builtin_dir(), "built-in")]), [path])
    assert any(expected in problem.message for problem in report.problems), report.problems
