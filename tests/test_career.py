"""The career questions: `next`, `path`, `entry`, `tracks`, `sources` and `about`, through the CLI
and as library calls."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from career_ladder import knowledge, moves
from career_ladder.catalog import Catalog
from career_ladder.cli import app
from career_ladder.datadirs import DataDir, data_dirs
from career_ladder.errors import NotFound
from conftest import minimal_ladder, run


def builtin() -> Catalog:
    return Catalog(data_dirs([]))


NEW_COMMANDS = [
    ["next", "tpm", "tpm"],
    ["path", "apm", "cpo"],
    ["entry"],
    ["entry", "tpm"],
    ["tracks"],
    ["tracks", "tpm"],
    ["sources"],
    ["sources", "tpm-career-path"],
    ["about", "tpm"],
    ["about", "pm"],
    ["search", "technical roadmap"],
]


@pytest.mark.parametrize("fmt", ["table", "json", "yaml", "csv", "markdown"])
@pytest.mark.parametrize("command", NEW_COMMANDS, ids=" ".join)
def test_every_new_command_answers_in_every_format(command: list[str], fmt: str) -> None:
    code, out, err = run(*command, "--format", fmt)
    assert (code, err) == (0, "")
    if fmt == "json":
        json.loads(out)
    elif fmt == "yaml":
        yaml.safe_load(out)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and all(None not in row for row in rows)
    else:
        assert out.strip()


# --- next ---------------------------------------------------------------------------------------


def test_next_shows_what_the_next_rung_adds_and_the_pay_step() -> None:
    view = moves.next_rung(builtin(), "tpm", "tpm")
    [promotion] = view.promotions
    assert promotion.target.ref == "tpm:senior-tpm"
    known = {point.text for point in view.current.rung.responsibilities}
    assert promotion.responsibilities and not {point.text for point in promotion.responsibilities} & known
    assert [step.currency for step in promotion.pay] == ["USD"] and promotion.unpaired == []
    code, out, _ = run("next", "tpm", "tpm")
    assert code == 0
    assert "$120,011 – $180,000" in out and "$135,000 – $185,000" in out
    assert "a step of +$9,994 between midpoints" in out  # (135,000+185,000)/2 - (120,011+180,000)/2
    assert "(period not stated)" in out


def test_next_in_markdown_is_a_checklist_with_sources() -> None:
    code, out, _ = run("next", "pm", "apm", "-f", "markdown")
    assert code == 0
    checklist = [line for line in out.splitlines() if line.startswith("- [ ] ")]
    assert checklist and all(line.rstrip().endswith("]") for line in checklist)
    assert "- [ ] Has shown real expertise.  [pm-career-path]" in out


def test_next_from_a_shared_rung_follows_its_home_ladders_moves() -> None:
    view = moves.next_rung(builtin(), "tpm", "director")
    assert [p.target.ref for p in view.promotions] == ["tpm:vp"]
    assert view.promotions[0].target.shared_from == "pm:vp"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pm", "cpo"], "no promotion from 'cpo' in ladder 'pm'"),
        (["pm", "wizard"], "no rung 'wizard' in ladder 'pm'"),
        (["nope", "apm"], "no ladder 'nope'"),
    ],
)
def test_next_says_in_one_line_when_there_is_no_next_rung(args: list[str], message: str) -> None:
    code, out, err = run("next", *args)
    assert (code, out) == (1, "") and err.startswith(f"ladder: {message}") and err.count("\n") == 1


# --- path ---------------------------------------------------------------------------------------


def kinds(route: list[moves.Move]) -> list[str]:
    return [move.kind for move in route]


def test_the_shortest_route_comes_first_and_ties_are_listed() -> None:
    found = moves.path(builtin(), "apm", "cpo", limit=0)
    shortest = found.routes[0]
    assert [m.end.key for m in shortest] == ["pm:pm", "pm:senior-pm", "pm:director", "pm:vp", "pm:cpo"]
    lengths = [len(route) for route in found.routes]
    assert lengths == sorted(lengths) and lengths.count(5) > 1  # ties over lateral moves
    assert len({tuple(m.end.key for m in route) for route in found.routes}) == len(found.routes)


@pytest.mark.parametrize(
    ("start", "end", "first"),
    [
        ("software engineer", "vp of product", ["entry", "promotion", "promotion"]),
        ("pm:senior-pm", "tpm:senior-tpm", ["lateral"]),
        ("new graduate", "director", ["entry", "promotion", "promotion", "promotion"]),
        ("cpo", "ceo", ["exit"]),
    ],
)
def test_routes_between_rungs_ways_in_and_roles(start: str, end: str, first: list[str]) -> None:
    assert kinds(moves.path(builtin(), start, end).routes[0]) == first


def test_no_route_says_so_and_exits_1() -> None:
    code, out, err = run("path", "cpo", "apm")
    assert (code, out) == (1, "")
    assert err == "ladder: no route from 'cpo' to 'apm' in the moves the sources give\n"


def test_an_unknown_position_suggests_the_nearest_name() -> None:
    code, _, err = run("path", "directr", "cpo")
    assert code == 1 and "no rung, way in or role 'directr'" in err and "did you mean" in err


def test_limit_caps_the_routes_listed() -> None:
    code, out, _ = run("path", "apm", "cpo", "--limit", "1", "-f", "json")
    assert code == 0 and len(json.loads(out)["routes"]) == 1


def test_routes_come_from_the_data_not_from_the_code(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder(
        "acme", transitions=[{"kind": "promotion", "from": "junior", "to": "senior", "sources": ["s"]}]
    )
    data["transitions"].append({"kind": "exit", "from": "senior", "role": "Astronaut", "sources": ["s"]})
    data["entry_points"] = [{"id": "circus", "name": "Circus performer", "lands_on": ["junior"], "sources": ["s"]}]
    write_ladder(tmp_path, data)
    found = moves.path(Catalog([*data_dirs([]), DataDir(tmp_path, "t")]), "circus performer", "astronaut")
    assert [(m.start.key, m.end.key, m.kind) for m in found.routes[0]] == [
        ("entry:acme:circus", "acme:junior", "entry"),
        ("acme:junior", "acme:senior", "promotion"),
        ("acme:senior", "exit:astronaut", "exit"),
    ]


def test_a_move_both_ladders_give_is_one_move_with_both_sources() -> None:
    found = moves.path(builtin(), "pm:senior-pm", "tpm:senior-tpm", limit=0)
    assert len(found.routes) == 1


# --- entry, tracks, sources, about --------------------------------------------------------------


def test_entry_shows_the_ways_in_steps_and_education() -> None:
    report = knowledge.entry(builtin())
    assert {e.item.id for e in report.entries} >= {"new-graduate", "software-engineer"}
    names = " ".join(q.item.name for q in report.education)
    assert report.steps and all(name in names for name in ("(CSPO)", "(CPM)", "MIT xPRO"))
    code, out, _ = run("entry", "tpm", "-f", "markdown")
    assert code == 0 and "## Steps into the career (tpm)" in out and "## Degrees and certificates" in out


def test_tracks_with_their_focus() -> None:
    found, _ = knowledge.tracks(builtin(), "tpm")
    assert len(found) == 6 and all(t.item.focus for t in found)


def test_a_ladder_without_tracks_says_so(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("plain"))
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "tracks", "plain"])
    assert result.exit_code == 1 and result.stderr == "ladder: the sources give no tracks for ladder 'plain'\n"


def test_sources_count_the_parts_that_cite_them() -> None:
    found, _ = knowledge.sources(builtin(), "tpm")
    counts = {c.source.id: c.parts for c in found}
    assert set(counts) == {"tpm-career-2020", "tpm-career-path", "emeritus-tpm-guide"} and all(counts.values())
    assert counts["tpm-career-path"] == 71  # parts with a `sources` list of their own that names it
    backed = knowledge.source_facts(builtin(), "tpm-career-path", "tpm")
    assert len({fact.where for fact in backed.facts}) >= counts["tpm-career-path"]  # and the parts under them
    assert all("tpm-career-path" in fact.sources for fact in backed.facts)


def test_an_unknown_source_suggests_the_nearest_id() -> None:
    with pytest.raises(NotFound, match="did you mean 'tpm-career-path'"):
        knowledge.source_facts(builtin(), "tpm-carer-path")


def test_about_draws_the_outlook_and_says_the_source_states_no_scale() -> None:
    code, out, _ = run("about", "tpm")
    assert code == 0 and "█" * 20 in out
    assert "states no scale" in out and "against the highest score given (9)" in out
    data = json.loads(run("about", "tpm", "-f", "json")[1])
    assert [o["out_of"] for o in data["outlook"]] == [None] * 8


def test_a_stated_scale_is_drawn_against(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    outlook = [{"factor": "Growth", "score": 5, "out_of": 10, "sources": ["s"]}]
    write_ladder(tmp_path, minimal_ladder("scaled", outlook=outlook))
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "about", "scaled"], env={"COLUMNS": "200"})
    assert "5 of 10" in result.stdout and "█" * 10 + " " in result.stdout and "states no scale" not in result.stdout


def test_a_readiness_signal_given_on_the_move_and_the_rung_is_listed_once() -> None:
    view = moves.next_rung(builtin(), "pm", "apm")
    texts = [signal.text for promotion in view.promotions for signal in promotion.signals]
    assert texts and len(texts) == len(set(texts))


def test_a_promotion_both_ladders_give_is_one_with_both_sources(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = minimal_ladder("acme", transitions=[{"kind": "promotion", "from": "director", "to": "vp", "sources": ["s"]}])
    data["rungs"] = [{"shared": "pm:director"}, {"shared": "pm:vp"}]
    write_ladder(tmp_path, data)
    catalog = Catalog([*data_dirs([]), DataDir(tmp_path, "t")])
    [promotion] = moves.next_rung(catalog, "acme", "director").promotions
    assert promotion.target.ref == "acme:vp" and {"s", "pm-career-path"} <= set(promotion.move.sources)
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "show", "acme"], env={"COLUMNS": "200"})
    assert "director → vp" in result.stdout and "pm:director → pm:vp" not in result.stdout


def test_no_pay_step_is_made_between_figures_for_different_regions(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = minimal_ladder("acme")
    data["rungs"][0]["salary"] = [{"currency": "EUR", "min": 50, "max": 60, "region": "Germany", "sources": ["s"]}]
    data["rungs"][1]["salary"] = [{"currency": "EUR", "min": 70, "max": 80, "region": "France", "sources": ["s"]}]
    write_ladder(tmp_path, data)
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "next", "acme", "junior"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "€50 – €60" in result.stdout and "a step of" not in result.stdout


@pytest.mark.parametrize(("start", "end"), [("apm", "apm"), ("director", "director")])
def test_a_route_to_where_one_already_is_says_so(start: str, end: str) -> None:
    code, out, err = run("path", start, end)
    assert (code, out) == (1, "") and "name the same place: no move is needed" in err


def test_overlapping_positions_leave_the_ones_already_there_out() -> None:
    found = moves.path(builtin(), "senior", "senior-pm")
    assert found.routes and all(route for route in found.routes)
    assert "pm:senior-pm" not in {position.key for position in found.start}


def test_every_route_is_at_most_the_cap_even_with_limit_0(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moves, "MAX_ROUTES", 3)
    assert len(moves.path(builtin(), "apm", "cpo", limit=0).routes) == 3


@pytest.mark.parametrize(
    ("rung", "signalled", "silent"),
    [("senior-pm", "pm:director", ["pm:group-pm", "pm:senior-manager"]), ("vp", "pm:cpo", ["pm:senior-vp"])],
)
def test_each_promotion_carries_its_own_signals_only(rung: str, signalled: str, silent: list[str]) -> None:
    promotions = {p.target.ref: p for p in moves.next_rung(builtin(), "pm", rung).promotions}
    assert promotions[signalled].signals
    assert all(promotions[ref].signals == [] for ref in silent)


def test_a_rungs_own_signals_go_to_its_one_promotion_else_stand_apart(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = minimal_ladder("acme")
    data["rungs"][0]["signals"] = [{"text": "Ready for more.", "sources": ["s"]}]
    write_ladder(tmp_path, data)
    catalog = Catalog([DataDir(tmp_path, "t")])
    [only] = moves.next_rung(catalog, "acme", "junior").promotions
    assert [p.text for p in only.signals] == ["Ready for more."]
    data["rungs"].append(data["rungs"][1] | {"id": "lead", "title": "Lead Thing", "aliases": []})
    data["transitions"].append({"kind": "promotion", "from": "junior", "to": "lead", "sources": ["s"]})
    write_ladder(tmp_path, data)
    view = moves.next_rung(Catalog([DataDir(tmp_path, "t")]), "acme", "junior")
    assert [p.signals for p in view.promotions] == [[], []]
    assert [p.text for p in view.rung_signals] == ["Ready for more."]
    record = view.to_dict()
    assert record["rung_signals"][0]["text"] == "Ready for more."
    out = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "next", "acme", "junior"], env={"COLUMNS": "80"})
    assert "not tied to one promotion" in out.stdout and out.stdout.count("Ready for more.") == 1


def test_a_rung_id_in_two_ladders_is_read_in_one_and_the_other_is_named(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = minimal_ladder("mine")
    data["rungs"][0] |= {"id": "senior-pm", "title": "Senior PM at Mine", "aliases": [], "level": 30}
    data["rungs"][1] |= {"id": "director", "title": "Director at Mine", "aliases": [], "level": 40}
    data["transitions"] = [{"kind": "promotion", "from": "senior-pm", "to": "director", "sources": ["s"]}]
    write_ladder(tmp_path, data)
    catalog = Catalog([*data_dirs([]), DataDir(tmp_path, "--data-dir")])
    found = moves.path(catalog, "senior-pm", "director")
    assert [p.key for p in found.start] == ["mine:senior-pm"] and [p.key for p in found.end] == ["mine:director"]
    assert all(m.start.key.startswith("mine:") for route in found.routes for m in route)
    assert len(found.readings) == 2 and "pm:senior-pm" in found.readings[0] and "pm:director" in found.readings[1]
    assert found.to_dict()["readings"] == list(found.readings)
    builtin_only = moves.path(catalog, "pm:senior-pm", "pm:director")
    assert builtin_only.readings == [] and [p.key for p in builtin_only.start] == ["pm:senior-pm"]
    result = CliRunner().invoke(
        app, ["--data-dir", str(tmp_path), "path", "senior-pm", "director"], env={"COLUMNS": "80", "NO_COLOR": "1"}
    )
    said = " ".join(result.stdout.split())
    assert "read as mine:senior-pm" in said and "pm:senior-pm" in said and "pm:director" in said
