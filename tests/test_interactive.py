"""`ladder assess LADDER RUNG [-i]`: the assessment in progress found (or started), filled in on a
terminal one answer at a time, each written to the file at once; the menu of targets on a terminal."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from career_ladder import Ladders
from career_ladder.assessment import answered, in_progress, leading_comments, read_assessment
from career_ladder.errors import BadArgument, InvalidLadder, LadderError
from conftest import Terminal, minimal_ladder, run
from test_assess import two_ways_up

Writer = Callable[..., Path]


def started(path: Path, *args: str) -> Path:
    code, _, err = run("assess", "start", *(args or ("pm", "pm")), "-o", str(path))
    assert code == 0, err
    return path


# --- the library: answers, the file in progress, the file rewritten ----------------------------------


def test_an_answer_sets_the_status_and_adds_evidence_to_that_item_alone(tmp_path: Path) -> None:
    before = read_assessment(started(tmp_path / "mine.yaml"))
    key = before.items[2].key
    after = answered(before, key, "partly", ["Ran the pricing review."])
    after = answered(after, key, "met", ["https://example.com/doc"])
    assert after.items[2].status == "met"
    assert after.items[2].evidence == ["Ran the pricing review.", "https://example.com/doc"]
    assert [item for i, item in enumerate(after.items) if i != 2] == [
        item for i, item in enumerate(before.items) if i != 2
    ]
    assert before.items[2].status == "not-assessed"  # a new assessment; the old one is as it was


def test_evidence_that_could_drive_a_terminal_or_an_unknown_item_is_refused(tmp_path: Path) -> None:
    assessment = read_assessment(started(tmp_path / "mine.yaml"))
    with pytest.raises(LadderError, match=r"not kept: .*control or direction character"):
        answered(assessment, assessment.items[0].key, "met", ["\x1b[2Jcleared"])
    with pytest.raises(LadderError, match="no item 'nosuch'"):
        answered(assessment, "nosuch", "met")


def test_a_rewrite_keeps_the_leading_comments_and_the_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = started(tmp_path / "mine.yaml")
    text = path.read_text()
    path.write_text("# my own note, kept\n" + text)
    path.chmod(0o600)
    ladders = Ladders()
    assessment = read_assessment(path)
    assert ladders.save_assessment(assessment, path) == path
    assert path.read_text() == "# my own note, kept\n" + text  # nothing changed: the same bytes
    changed = answered(assessment, assessment.items[0].key, "met", ["Shipped it."])
    ladders.save_assessment(changed, path)
    assert read_assessment(path) == changed
    assert leading_comments(path.read_text()) == "# my own note, kept\n" + leading_comments(text)
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["assessment.schema.json", "mine.yaml"]


def test_a_rewrite_cut_short_leaves_the_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = started(tmp_path / "mine.yaml")
    text = path.read_text()
    assessment = read_assessment(path)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        Ladders().save_assessment(answered(assessment, assessment.items[0].key, "met"), path)
    assert path.read_text() == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["assessment.schema.json", "mine.yaml"]


def test_a_file_gone_meanwhile_is_made_again_private(tmp_path: Path) -> None:
    path = started(tmp_path / "mine.yaml")
    assessment = read_assessment(path)
    path.unlink()
    Ladders().save_assessment(assessment, path)
    assert read_assessment(path) == assessment and path.stat().st_mode & 0o777 == 0o600


def test_the_file_in_progress_is_the_last_changed_of_that_ladder_rung_and_target(tmp_path: Path) -> None:
    older = started(tmp_path / "pm-senior-pm-2026-01-01.yaml")
    newer = started(tmp_path / "pm-senior-pm-2026-02-01.yaml")
    started(tmp_path / "pm-director-2026-03-01.yaml", "pm", "senior-manager")  # another rung
    started(tmp_path / "mine.yaml")  # not named as `assess start` names a file
    os.utime(older, (time.time() + 10, time.time() + 10))
    found = in_progress(tmp_path, "pm", "pm", ["senior-pm"])
    assert found is not None and found[0] == older
    os.utime(newer, (time.time() + 20, time.time() + 20))
    assert in_progress(tmp_path, "pm", "pm", ["senior-pm"]) == (newer, read_assessment(newer))
    assert in_progress(tmp_path, "pm", "senior-pm", ["director"]) is None
    assert in_progress(tmp_path / "none", "pm", "pm", ["senior-pm"]) is None
    newer.write_text("items: [broken\n")
    os.utime(newer, (time.time() + 30, time.time() + 30))
    with pytest.raises(InvalidLadder):  # perhaps the one in progress: said, not passed over
        in_progress(tmp_path, "pm", "pm", ["senior-pm"])


def test_the_api_finds_the_file_named_or_refuses_one_of_another_rung(tmp_path: Path) -> None:
    ladders = Ladders()
    path = started(tmp_path / "mine.yaml")
    assert ladders.assessment_in_progress("pm", "pm", output=tmp_path / "none.yaml") is None
    found = ladders.assessment_in_progress("PM", "Product Manager", output=path)
    assert found is not None and found.path == path and found.assessment.target == "senior-pm"
    with pytest.raises(BadArgument, match="is an assessment of pm:pm to senior-pm, not of tpm:tpm to senior-tpm"):
        ladders.assessment_in_progress("tpm", "tpm", output=path)
    assert ladders.assessment_in_progress("pm", "pm") is None  # nothing in the assessments folder yet
    default = ladders.start_assessment("pm", "pm").path
    found = ladders.assessment_in_progress("pm", "pm")
    assert found is not None and found.path == default


def test_a_target_with_nothing_to_assess_is_one_line_not_an_internal_error(tmp_path: Path) -> None:
    code, out, err = run("assess", "start", "pm", "senior-pm", "--target", "group-pm", "-o", str(tmp_path / "a.yaml"))
    assert (code, out) == (1, "") and not (tmp_path / "a.yaml").exists()
    assert err == (
        "ladder: the sources name no expectation of 'group-pm' nor any readiness signal of the move to it: "
        "nothing to assess\n"
    )


# --- the command, off a terminal -----------------------------------------------------------------------


def test_assess_ladder_rung_starts_one_then_goes_on_with_it() -> None:
    code, out, err = run("assess", "pm", "pm")
    lines = out.splitlines()
    assert (
        (code, err) == (0, "")
        and lines[0].startswith("started ")
        and lines[0].endswith(": 39 items towards pm:senior-pm (25 responsibilities, 4 skills, 10 signals)")
    )
    path = lines[0].removeprefix("started ").split(": ")[0]
    assert path.endswith("pm-senior-pm-" + read_assessment(Path(path)).date + ".yaml")
    assert lines[1] == (
        "next: `ladder assess pm pm -i` to fill it in on a terminal, or edit the file "
        f"(then `ladder assess check {path}`)"
    )
    assert run("assess", "fill", "pm", "pm")[1].splitlines()[0] == f"{path}: 0 of 39 items assessed"
    assert run("assess", "check", path)[0] == 0  # the commands are still commands


def test_interactive_off_a_terminal_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, out, err = run("assess", "pm", "pm", "-i", "-o", str(tmp_path / "mine.yaml"))
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert err.startswith("ladder: --interactive needs a terminal") and "or edit the file" in err
    assert not (tmp_path / "mine.yaml").exists()


def test_several_targets_off_a_terminal_still_need_one_named(tmp_path: Path, write_ladder: Writer) -> None:
    ladders = write_ladder(tmp_path / "ladders", two_ways_up())
    expected = "ladder: 'junior' leads to senior, lead: name one with --target\n"
    start = ["--data-dir", str(ladders.parent), "assess", "start", "co", "junior", "-o", str(tmp_path / "a.yaml")]
    assert run(*start)[::2] == (2, expected)
    assert run("--data-dir", str(ladders.parent), "assess", "co", "junior", "-o", str(tmp_path / "a.yaml"))[::2] == (
        2,
        expected,
    )


# --- on a real terminal ----------------------------------------------------------------------------------


MENU = "q quit: "


def test_answers_are_kept_and_a_second_run_goes_on_where_the_first_stopped(
    terminal: Callable[..., Terminal], tmp_path: Path
) -> None:
    path = tmp_path / "work" / "mine.yaml"
    first = terminal("assess", "pm", "pm", "-i", "-o", "mine.yaml")
    assert "started mine.yaml: 39 items" in first.expect("item 1 of 39 (responsibilities)")
    first.expect(MENU)
    first.send("m\n")
    first.expect("an empty line ends):")
    first.send("Ran the pricing review.\n")
    first.expect("> ")
    first.send("https://example.com/doc\n")
    first.expect("> ")
    first.send("\n")
    shown = first.expect(MENU)
    assert "saved: met, 2 evidence\n\nitem 2 of 39" in shown
    first.send("\n")  # Enter: skip
    first.expect("item 3 of 39")
    first.expect(MENU)
    first.send("b\n")  # back to item 2
    first.expect("item 2 of 39")
    first.expect(MENU)
    first.send("p\n")
    first.expect("> ")
    first.send("\n")
    first.expect("item 3 of 39")
    first.expect(MENU)
    first.send("x\n")
    first.expect("? answer m, p, n, s, b or q")
    first.send("q\n")
    code, shown = first.finish()
    assert code == 0
    assert "stopped at item 3 of 39: mine.yaml holds your answers (2 of 39 assessed)" in shown
    assert "go on with `ladder assess pm pm -o mine.yaml -i`" in shown
    items = read_assessment(path).items
    assert [(i.status, i.evidence) for i in items[:3]] == [
        ("met", ["Ran the pricing review.", "https://example.com/doc"]),
        ("partly", []),
        ("not-assessed", []),
    ]
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text().startswith("# yaml-language-server: $schema=./assessment.schema.json\n#\n# Where you")

    second = terminal("assess", "pm", "pm", "-i", "-o", "mine.yaml")
    shown = second.expect(MENU)
    assert "mine.yaml: 2 of 39 items assessed" in shown and "item 3 of 39" in shown
    second.send("n\n")
    second.expect("> ")
    second.send("\n")
    second.expect("item 4 of 39")
    second.send("q\n")
    assert second.finish()[0] == 0
    assert read_assessment(path).items[2].status == "not-yet"


def test_ctrl_c_keeps_every_answer_given_and_exits_130(terminal: Callable[..., Terminal], tmp_path: Path) -> None:
    walk = terminal("assess", "pm", "pm", "-i")
    walk.expect(MENU)
    walk.send("n\n")
    walk.expect("> ")
    walk.send("Not yet: no portfolio of my own.\n")
    walk.expect("> ")
    walk.send("\x03")  # Ctrl-C in the middle of the evidence
    code, shown = walk.finish()
    assert code == 130 and "Traceback" not in walk.shown
    assert (
        "ladder: stopped: " in shown
        and "holds your answers (1 of 39 assessed); go on with `ladder assess pm pm -i`" in shown
    )
    [path] = (tmp_path / "data" / "ladder" / "assessments").glob("pm-senior-pm-*.yaml")
    item = read_assessment(path).items[0]
    assert (item.status, item.evidence) == ("not-yet", ["Not yet: no portfolio of my own."])
    assert sorted(p.name for p in path.parent.iterdir()) == ["assessment.schema.json", path.name]


def test_end_of_input_ends_the_walk_cleanly(terminal: Callable[..., Terminal]) -> None:
    walk = terminal("assess", "pm", "pm", "-i", "-o", "mine.yaml")
    walk.expect(MENU)
    walk.send("\x04")  # Ctrl-D
    code, shown = walk.finish()
    assert code == 0 and "ladder: stopped: mine.yaml holds your answers (0 of 39 assessed)" in shown


def test_the_last_answer_ends_with_the_counts_and_what_next(
    terminal: Callable[..., Terminal], tmp_path: Path, write_ladder: Writer
) -> None:
    ladders = tmp_path / "ladders"
    write_ladder(ladders, minimal_ladder("co"))
    walk = terminal("--data-dir", str(ladders), "assess", "co", "junior", "-i", "-o", "mine.yaml")
    shown = walk.expect(MENU)
    assert "item 1 of 1 (responsibilities)\n  Leads the work.\n  sources: s\n  status: not-assessed\n" in shown
    walk.send("m\n")
    walk.expect("> ")
    walk.send("\n")
    code, shown = walk.finish()
    assert code == 0
    assert (
        "done: 1 items (1 met, 0 partly, 0 not-yet, 0 not-assessed) in mine.yaml\nnext: ladder readiness mine.yaml\n"
        in shown
    )


def test_data_is_shown_escaped_never_driving_the_terminal(
    terminal: Callable[..., Terminal], tmp_path: Path, write_ladder: Writer
) -> None:
    ladders = tmp_path / "ladders"
    write_ladder(ladders, minimal_ladder("co"))
    mine = tmp_path / "work" / "mine.yaml"
    assert run("--data-dir", str(ladders), "assess", "start", "co", "junior", "-o", str(mine))[0] == 0
    data = yaml.safe_load(mine.read_text())
    data["items"][0]["text"] = "[bold]Leads[/bold] the work."
    data["items"][0]["status"] = "partly"
    mine.write_text(yaml.safe_dump(data))
    walk = terminal("--data-dir", str(ladders), "assess", "co", "junior", "-i", "-o", "mine.yaml")
    shown = walk.expect(MENU)
    assert "every item is assessed already" in shown and "  [bold]Leads[/bold] the work.\n" in shown
    walk.send("q\n")
    assert walk.finish()[0] == 0


def test_several_targets_on_a_terminal_are_asked_from_a_menu(
    terminal: Callable[..., Terminal], tmp_path: Path, write_ladder: Writer
) -> None:
    data = two_ways_up()
    ghost = {**data["rungs"][1], "id": "ghost", "title": "Ghost", "aliases": [], "responsibilities": [], "level": 40}
    data["rungs"].append({**ghost, "salary": []})
    data["transitions"].append({"kind": "promotion", "from": "junior", "to": "ghost", "sources": ["s"]})
    data_dir = ["--data-dir", str(write_ladder(tmp_path / "ladders", data).parent)]
    menu = terminal(*data_dir, "assess", "start", "co", "junior", "-o", "mine.yaml")
    shown = menu.expect("target (1-2, q to quit): ")
    assert "'junior' leads to 2 rungs: which one do you aim for?\n  1  senior: Senior Thing\n  2  lead: " in shown
    assert "ghost" not in shown  # nothing to assess there
    menu.send("7\n")
    menu.expect("? answer a number from 1 to 2, or q")
    menu.send("2\n")
    code, shown = menu.finish()
    assert code == 0 and "wrote mine.yaml:" in shown
    assert read_assessment(tmp_path / "work" / "mine.yaml").target == "lead"

    fill = terminal(*data_dir, "assess", "co", "junior")  # none in progress: asked, then started
    fill.expect("target (1-2, q to quit): ")
    fill.send("2\n")
    code, shown = fill.finish()
    assert code == 0 and "started " in shown and "next: `ladder --data-dir" in shown and "--target lead -i`" in shown
    again = terminal(*data_dir, "assess", "co", "junior")  # one in progress: nothing asked
    code, shown = again.finish()
    assert code == 0 and "0 of 2 items assessed" in shown and "target (" not in shown

    cancelled = terminal(*data_dir, "assess", "start", "co", "junior", "-o", "other.yaml")
    cancelled.expect("q to quit): ")
    cancelled.send("q\n")
    code, shown = cancelled.finish()
    assert code == 2 and "ladder: no target chosen: nothing written (name one with --target)" in shown
    assert not (tmp_path / "work" / "other.yaml").exists()


def test_a_closed_terminal_keeps_every_answer_and_leaves_no_temporary_file(
    terminal: Callable[..., Terminal], tmp_path: Path, write_ladder: Writer
) -> None:
    ladders = tmp_path / "ladders"
    data = minimal_ladder("co")
    data["rungs"][1]["responsibilities"].append({"text": "Hires well.", "sources": ["s"]})
    write_ladder(ladders, data)
    walk = terminal("--data-dir", str(ladders), "assess", "co", "junior", "-i", "-o", "mine.yaml")
    walk.expect(MENU)
    walk.send("p\n")
    walk.expect("> ")
    walk.send("Half of it.\n")
    walk.expect("> ")
    walk.send("\n")
    walk.expect(MENU)
    walk.send("q\n")
    code, shown = walk.finish()
    assert code == 0 and f"go on with `ladder --data-dir {ladders} assess co junior -o mine.yaml -i`" in shown
    walk = terminal("--data-dir", str(ladders), "assess", "co", "junior", "-i", "-o", "mine.yaml")
    walk.expect("item 2 of 2")
    walk.expect(MENU)
    os.close(walk.master)  # the terminal window closed: SIGHUP
    assert walk.process.wait(timeout=60) == 130  # ended, as Ctrl-C ends it
    work = tmp_path / "work"
    item = read_assessment(work / "mine.yaml").items[0]
    assert (item.status, item.evidence) == ("partly", ["Half of it."])
    assert sorted(p.name for p in work.iterdir()) == ["assessment.schema.json", "mine.yaml"]


def test_an_assessment_is_never_saved_over_a_ladder_file(tmp_path: Path, write_ladder: Writer) -> None:
    ladders = write_ladder(tmp_path / "ladders", minimal_ladder("co")).parent
    assessment = read_assessment(started(tmp_path / "mine.yaml"))
    with pytest.raises(BadArgument, match="an assessment is never read as a ladder"):
        Ladders([ladders]).save_assessment(assessment, ladders / "co.yaml")
    assert "Learns the trade." in (ladders / "co.yaml").read_text()
