"""`ladder assess`: an assessment file of one's own against the next rung, private and checked as
strictly as a ladder file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from career_ladder import Ladders
from career_ladder.assessment import Assessment, item_key, read_assessment
from career_ladder.models import Point
from conftest import minimal_ladder, run

Writer = Callable[..., Path]


def test_start_writes_every_expectation_of_the_next_rung_privately(tmp_path: Path) -> None:
    code, out, err = run("assess", "start", "pm", "PM", env={"XDG_DATA_HOME": str(tmp_path)})
    folder = tmp_path / "ladder" / "assessments"
    [path] = folder.glob("pm-senior-pm-*.yaml")
    assert (code, err) == (0, "") and out.startswith(
        f"wrote {path}: 39 items towards pm:senior-pm (25 responsibilities, 4 skills, 10 signals)"
    )
    assert folder.stat().st_mode & 0o777 == 0o700 and path.stat().st_mode & 0o777 == 0o600
    assert json.loads((folder / "assessment.schema.json").read_text())["title"] == "assessment file"
    assert path.read_text().startswith("# yaml-language-server: $schema=./assessment.schema.json\n")
    assessment = read_assessment(path)
    senior = Ladders().ladder("pm").ladder.rung("senior-pm")
    assert senior is not None
    signals = Ladders().next("pm", "pm").promotions[0].signals
    assert (assessment.ladder, assessment.rung, assessment.target) == ("pm", "pm", "senior-pm")
    assert [(i.section, i.text, i.sources) for i in assessment.items] == [
        *(("responsibilities", p.text, p.sources) for p in senior.responsibilities),
        *(("skills", p.text, p.sources) for p in senior.skills),
        *(("signals", p.text, p.sources) for p in signals),
    ]
    assert {i.status for i in assessment.items} == {"not-assessed"} and all(i.evidence == [] for i in assessment.items)
    assert len({i.key for i in assessment.items}) == len(assessment.items)


def two_ways_up() -> dict[str, object]:
    """A ladder whose junior is promoted to senior or to lead, lead with competency expectations."""
    data = minimal_ladder("co")
    data["competencies"] = [{"id": "craft", "name": "Craft", "covers": "Doing the work well.", "sources": ["s"]}]
    lead = {**data["rungs"][1], "id": "lead", "title": "Lead Thing", "aliases": ["LT"], "level": 30}
    lead["expectations"] = {"craft": [{"text": "Sets the bar.", "sources": ["s"]}]}
    data["rungs"].append(lead)
    data["transitions"].append({"kind": "promotion", "from": "junior", "to": "lead", "sources": ["s"]})
    return data


def test_several_promotions_need_a_target_named_any_way(tmp_path: Path, write_ladder: Writer) -> None:
    write_ladder(tmp_path / "ladders", two_ways_up())
    args = ["--data-dir", str(tmp_path / "ladders"), "assess", "start", "co", "junior"]
    assert run(*args, "-o", str(tmp_path / "a.yaml")) == (
        2,
        "",
        "ladder: 'junior' leads to senior, lead: name one with --target\n",
    )
    code, out, _ = run(*args, "--target", "Lead Thing", "-o", str(tmp_path / "a.yaml"))
    assert code == 0 and "1 expectation)" in out
    items = read_assessment(tmp_path / "a.yaml").items
    assert [(i.section, i.area, i.text) for i in items] == [
        ("responsibilities", None, "Leads the work."),
        ("expectations", "craft", "Sets the bar."),
    ]
    code, _, err = run(*args, "--target", "nosuch", "-o", str(tmp_path / "b.yaml"))
    assert code == 1 and err == "ladder: no promotion from 'junior' leads to 'nosuch': it leads to senior, lead\n"


def test_start_never_writes_over_a_file_nor_a_ladder_file(tmp_path: Path, write_ladder: Writer) -> None:
    ladders = write_ladder(tmp_path / "ladders", minimal_ladder("co")).parent
    (tmp_path / "mine.yaml").write_text("kept\n")
    code, _, err = run("assess", "start", "pm", "pm", "-o", str(tmp_path / "mine.yaml"))
    assert code == 1 and err == f"ladder: {tmp_path / 'mine.yaml'} already exists: name another file with -o\n"
    assert (tmp_path / "mine.yaml").read_text() == "kept\n"
    code, _, err = run("--data-dir", str(ladders), "assess", "start", "co", "junior", "-o", str(ladders / "me.yaml"))
    assert code == 2 and "an assessment is never read as a ladder" in err and not (ladders / "me.yaml").exists()


def test_check_tells_every_problem_at_its_place_with_a_did_you_mean(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    assert run("assess", "start", "pm", "pm", "-o", str(path))[0] == 0
    data = yaml.safe_load(path.read_text())
    data["items"][0]["status"] = "meet"
    data["items"][1]["txt"] = data["items"][1].pop("text")
    data["items"][2]["status"] = "met"
    data["items"][2]["evidence"] = ["Shipped the pricing revamp: https://example.com/doc"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    code, out, _ = run("assess", "check", str(path))
    lines = out.splitlines()
    assert code == 1 and lines[-1] == f"3 problems in {path}"
    told = "write one of 'not-assessed', 'met', 'partly' or 'not-yet' (got 'meet') (did you mean 'met'?)"
    assert f"LDR103: items[0].status: {told}" in lines[0]
    assert any("LDR101: items[1].txt: unknown field 'txt' (did you mean 'text'?)" in line for line in lines)
    assert any("LDR102: items[1].text: missing required field 'text'" in line for line in lines)
    data["items"][0]["status"] = "partly"
    data["items"][1]["text"] = data["items"][1].pop("txt")
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert run("assess", "check", str(path)) == (
        0,
        f"ok: {path}: 39 items (1 met, 1 partly, 0 not-yet, 37 not-assessed)\n",
        "",
    )


@pytest.mark.parametrize("text", ["id: pm\nname: PM\n", "- a list\n", ""])
def test_a_file_that_is_no_assessment_says_so(tmp_path: Path, text: str) -> None:
    (tmp_path / "x.yaml").write_text(text)
    code, out, _ = run("assess", "check", str(tmp_path / "x.yaml"))
    assert code == 1 and "LDR007: not an assessment: it holds no `items`" in out


def test_keys_survive_reordering_and_reflowing_and_follow_an_id() -> None:
    point = Point(text="Sets  the\nproduct strategy.", sources=["s"])
    reflowed = Point(text="sets the product strategy", sources=["s"])
    assert item_key("pm.senior-pm", "responsibilities", None, point) == item_key(
        "pm.senior-pm", "responsibilities", None, reflowed
    )
    assert item_key("pm.senior-pm", "responsibilities", None, point) != item_key("pm.senior-pm", "skills", None, point)
    named = Point(id="strategy", text="Anything at all.", sources=["s"])
    assert item_key("pm.senior-pm", "responsibilities", None, named) == "pm.senior-pm.strategy"


def test_the_schema_of_an_assessment_is_printed_and_matches_the_model() -> None:
    code, out, _ = run("schema", "--assessment")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "assessment file"
    assert set(schema["properties"]) == set(Assessment.model_fields)
    assert schema["$defs"]["Item"]["properties"]["status"]["enum"] == ["not-assessed", "met", "partly", "not-yet"]


def test_an_assessment_is_never_read_as_a_ladder(tmp_path: Path) -> None:
    """Started in a folder later given as a data directory: it is no ladder there (an `.yaml` file
    of a data directory is refused as a target, so only a folder named afterwards can hold one)."""
    path = tmp_path / "mine.yaml"
    assert run("assess", "start", "pm", "pm", "-o", str(path))[0] == 0
    code, out, err = run("--data-dir", str(tmp_path), "list", "-f", "json")
    assert code == 0 and "mine" not in [row["id"] for row in json.loads(out)]
    assert "mine.yaml" in err  # said to be no ladder, as any such file is


def test_check_says_what_the_ladder_asks_differently_since_and_drops_nothing(
    tmp_path: Path, write_ladder: Writer
) -> None:
    data = two_ways_up()
    senior = data["rungs"][1]
    senior["responsibilities"] = [
        {"text": "Leads the work of the team every quarter.", "sources": ["s"]},
        {"text": "Hires well.", "sources": ["s"]},
        {"text": "Keeps the roadmap.", "sources": ["s"]},
    ]
    ladders = tmp_path / "ladders"
    path = write_ladder(ladders, data)
    mine = tmp_path / "mine.yaml"
    assert (
        run("--data-dir", str(ladders), "assess", "start", "co", "junior", "--target", "senior", "-o", str(mine))[0]
        == 0
    )
    senior["responsibilities"].reverse()  # reordered: nothing changes
    path.write_text(yaml.safe_dump(data))
    assert run("--data-dir", str(ladders), "assess", "check", str(mine))[1].count("\n") == 1
    senior["responsibilities"] = [
        {"text": "Keeps the roadmap.", "sources": ["s"]},
        {"text": "Leads the work of the team every month.", "sources": ["s"]},
        {"text": "Coaches others.", "sources": ["s"]},
    ]
    path.write_text(yaml.safe_dump(data))
    code, out, _ = run("--data-dir", str(ladders), "assess", "check", str(mine))
    lines = out.splitlines()
    assert code == 0 and lines[1].startswith("since it was written, the ladder asks differently")
    assert lines[2:4] == ["  new: [responsibilities] Coaches others.", lines[3]]
    assert lines[3].startswith("  removed: [responsibilities] Hires well. (co.senior.responsibilities.")
    assert lines[4].startswith(
        "  reworded: [responsibilities] Leads the work of the team every quarter. -> "
        "Leads the work of the team every month. (co.senior.responsibilities."
    )
    path.unlink()
    code, _, err = run("--data-dir", str(ladders), "assess", "check", str(mine))
    assert code == 2 and err.startswith(
        "ladder: the assessment is of co:junior to senior, which the ladders no longer have:"
    )
    assert err.count("\n") == 1
