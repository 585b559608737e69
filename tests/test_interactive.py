"""`ladder assess LADDER RUNG [-i]`: the assessment in progress found (or started), filled in on a
terminal one answer at a time, each written to the file at once; the menu of targets on a terminal."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from career_ladder import Ladders
from career_ladder.assessment import answered, in_progress, leading_comments, read_assessment
from career_ladder.errors import BadArgument, InvalidLadder, LadderError
from conftest import run


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
