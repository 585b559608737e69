"""`ladder readiness` and `ladder assess diff`: where a person stands against the rung they aim for,
what moved since an earlier assessment, and how many people of a folder meet each expectation;
never a promise of promotion, and nothing from the file shown as anything but text."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from career_ladder import Ladders
from career_ladder.assessment import read_assessment
from career_ladder.render.readiness import bar, linked
from conftest import minimal_ladder, run

Writer = Callable[..., Path]


def company() -> dict[str, Any]:
    """Junior is promoted to lead, which asks what junior asks too, a duty of its own, a signal of
    mentoring and expectations in a competency area."""
    data = minimal_ladder("co")
    data["competencies"] = [{"id": "craft", "name": "Craft", "covers": "Doing the work well.", "sources": ["s"]}]
    data["rungs"][1] = {
        **data["rungs"][1],
        "id": "lead",
        "title": "Lead Thing",
        "aliases": ["LT"],
        "responsibilities": [
            {"text": "Learns the trade.", "sources": ["s"]},
            {"text": "Mentors the juniors of the team.", "sources": ["s"]},
            {"text": "Runs the weekly review.", "sources": ["s"]},
        ],
        "expectations": {"craft": [{"text": "Sets the bar.", "sources": ["s"]}]},
    }
    data["transitions"] = [
        {
            "kind": "promotion",
            "from": "junior",
            "to": "lead",
            "sources": ["s"],
            "signals": [
                {"text": "Has been mentoring newcomers for a year.", "sources": ["s"]},
                {"text": "Chairs meetings well.", "sources": ["s"]},
            ],
        }
    ]
    return data


def started(tmp_path: Path, write_ladder: Writer, name: str = "me.yaml") -> tuple[list[str], Path]:
    """An assessment of co:junior towards lead, and the --data-dir arguments that find the ladder."""
    ladders = tmp_path / "ladders"
    if not ladders.exists():
        write_ladder(ladders, company())
    data_dir = ["--data-dir", str(ladders)]
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    assert run(*data_dir, "assess", "start", "co", "junior", "-o", str(path))[0] == 0
    return data_dir, path


def assessed(path: Path, answers: dict[str, tuple[str, list[str]]]) -> None:
    """Set the status and evidence of the items whose text starts with each key of `answers`."""
    data = yaml.safe_load(path.read_text())
    for item in data["items"]:
        for start, (status, evidence) in answers.items():
            if item["text"].startswith(start):
                item["status"], item["evidence"] = status, evidence
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_readiness_stands_per_section_and_area_the_gaps_first_with_the_signals_that_speak_to_them(
    tmp_path: Path, write_ladder: Writer
) -> None:
    data_dir, path = started(tmp_path, write_ladder)
    assessed(
        path,
        {
            "Mentors": ("not-yet", []),
            "Runs": ("partly", ["Ran it twice."]),
            "Sets": ("met", ["https://example.com/bar"]),
            "Chairs": ("not-yet", []),
        },
    )
    report = Ladders([tmp_path / "ladders"]).readiness(path)
    assert [(s.name, s.counts) for s in report.standings] == [
        ("Responsibilities", {"met": 0, "partly": 1, "not-yet": 1, "not-assessed": 1}),
        ("Craft", {"met": 1, "partly": 0, "not-yet": 0, "not-assessed": 0}),
        ("Readiness signals", {"met": 0, "partly": 0, "not-yet": 1, "not-assessed": 1}),
    ]
    assert [(g.item.status, g.item.text, [s.text for s in g.signals]) for g in report.gaps] == [
        ("not-yet", "Mentors the juniors of the team.", ["Has been mentoring newcomers for a year."]),
        ("not-yet", "Chairs meetings well.", []),
        ("partly", "Runs the weekly review.", []),
    ]
    assert [item.text for item in report.carried] == ["Learns the trade."]  # junior asks it too: folded
    code, out, err = run(*data_dir, "readiness", str(path), width=80)
    assert (code, err) == (0, "")
    assert "│ Responsibilities  │ 0   │ 1      │ 1       │ 1            │ ▓▓▓▓░░░░···· │" in out
    assert out.index("Gaps: not yet, then partly") < out.index("not yet: Mentors the juniors") < out.index("Met: 1")
    assert "– signal: Has been mentoring newcomers for a year.  [s]" in out
    assert "Folded away, as the rung you hold asks them too (1 not assessed); --all" in out
    assert "not assessed: Learns the trade." in run(*data_dir, "readiness", str(path), "--all")[1]
    assert all(len(line) <= 80 for line in out.splitlines())


@pytest.mark.parametrize(
    ("answers", "opening"),
    [
        ({}, "Nothing assessed yet"),
        ({"": ("met", ["Done."])}, "6 of 6 items met by your own account"),
        ({"Mentors": ("not-yet", [])}, "0 of 6 items met by your own account, 0 partly, 1 not yet, 5 not assessed"),
        ({"": ("met", []), "Runs": ("not-assessed", [])}, "5 of 6 items met by your own account"),
    ],
)
def test_the_verdict_says_how_things_stand_and_never_promises_a_promotion(
    tmp_path: Path, write_ladder: Writer, answers: dict[str, tuple[str, list[str]]], opening: str
) -> None:
    _, path = started(tmp_path, write_ladder)
    assessed(path, answers)
    verdict = Ladders([tmp_path / "ladders"]).readiness(path).verdict
    assert verdict.startswith(opening)
    assert "it is not a checklist, and no count of items promises a promotion" in verdict
    for promise in ("ready for promotion", "will be promoted", "eligible", "qualif", "should be promoted"):
        assert promise not in verdict.lower()


def test_the_bar_gives_each_status_its_share_of_the_cells() -> None:
    assert bar({"met": 1, "partly": 1, "not-yet": 1, "not-assessed": 1}) == "███▓▓▓░░░···"
    assert bar({"met": 1, "partly": 0, "not-yet": 0, "not-assessed": 2}) == "████········"
    assert bar({"met": 0, "partly": 0, "not-yet": 0, "not-assessed": 0}) == ""
    assert bar({"met": 1, "partly": 0, "not-yet": 0, "not-assessed": 24}) == "█···········"  # never hidden
    assert all(len(bar({"met": m, "partly": 7 - m, "not-yet": 3, "not-assessed": 1})) == 12 for m in range(8))


def test_a_terminal_that_writes_only_ascii_gets_bars_it_can_show(tmp_path: Path, write_ladder: Writer) -> None:
    data_dir, path = started(tmp_path, write_ladder)
    assessed(path, {"Mentors": ("met", []), "Runs": ("partly", []), "Sets": ("not-yet", [])})
    done = subprocess.run(
        [sys.executable, "-m", "career_ladder", *data_dir, "readiness", str(path)],
        capture_output=True,
        env={"LANG": "C", "PYTHONIOENCODING": "ascii"},
        cwd=tmp_path,
        check=False,
    )
    out = done.stdout.decode("ascii")  # nothing but ASCII
    assert done.returncode == 0 and "####++++...." in out and "# met  + partly  - not yet  . not assessed" in out


def test_the_markdown_packet_links_the_evidence_and_shows_the_rest_as_written(
    tmp_path: Path, write_ladder: Writer
) -> None:
    data_dir, path = started(tmp_path, write_ladder)
    hostile = ["See https://example.com/review(2024).", "[click](javascript:alert(1)) <script>x</script>", "# no"]
    assessed(path, {"Mentors": ("met", hostile), "Runs": ("not-yet", [])})
    code, out, _ = run(*data_dir, "readiness", str(path), "-f", "markdown")
    assert code == 0 and out.startswith("# Towards Lead Thing: where I stand\n")
    assert "- Mentors the juniors of the team. \\[s\\]\n" in out
    assert "  - See [https://example.com/review(2024)](https://example.com/review%282024%29).\n" in out
    assert "  - [click]\\(javascript:alert(1)) &lt;script&gt;x&lt;/script&gt;\n" in out
    assert "  - \\# no\n" in out
    assert out.index("## Met, with the evidence") < out.index("## Not yet: where I am growing")
    assert "## Sources\n\n- s: A source\n" in out and "no count of items promises a promotion" in out


def test_a_link_is_only_a_web_address_and_ends_where_the_sentence_does() -> None:
    assert linked("(see https://x.org/a), then") == "(see [https://x.org/a](https://x.org/a)), then"
    assert linked("javascript:alert(1)") == "javascript:alert(1)"
    assert linked("http://a, then https:// alone") == "[http://a](http://a), then https:// alone"
    assert linked("https://x.org/a_b*c") == "[https://x.org/a\\_b\\*c](https://x.org/a_b*c)"
    assert linked("https://x.org/[a]") == "[https://x.org/\\[a\\]](https://x.org/[a])"


def test_text_of_the_file_is_shown_as_written_and_a_control_character_is_refused(
    tmp_path: Path, write_ladder: Writer
) -> None:
    data_dir, path = started(tmp_path, write_ladder)
    assessed(path, {"Sets": ("met", ["[bold]x[/bold] and :smile:"])})
    assert "[bold]x[/bold] and :smile:" in run(*data_dir, "readiness", str(path))[1]  # never read as markup
    assessed(path, {"Mentors": ("not-yet", ["\x1b]0;pwned\x07 rang the bell"])})
    code, out, err = run(*data_dir, "readiness", str(path))
    assert (code, out) == (2, "") and "LDR104: items[1].evidence[0]: text holds the control" in err
    assert "\x1b" not in err and "\x07" not in err


def test_machine_formats_hold_every_item(tmp_path: Path, write_ladder: Writer) -> None:
    data_dir, path = started(tmp_path, write_ladder)
    assessed(path, {"Mentors": ("met", ["=HYPERLINK(1)", "Led it."]), "Runs": ("not-yet", [])})
    report = json.loads(run(*data_dir, "readiness", str(path), "-f", "json")[1])
    assert report["counts"] == {"met": 1, "partly": 0, "not-yet": 1, "not-assessed": 4}
    assert [gap["text"] for gap in report["gaps"]] == ["Runs the weekly review."]
    assert [item["text"] for item in report["carried_over"]] == ["Learns the trade."]
    assert report == yaml.safe_load(run(*data_dir, "readiness", str(path), "-f", "yaml")[1])
    lines = run(*data_dir, "readiness", str(path), "-f", "csv")[1].splitlines()
    assert lines[0] == "section,area,key,status,carried_over,text,sources,evidence" and len(lines) == 7
    assert any(line.endswith(",'=HYPERLINK(1); Led it.") for line in lines)  # no formula from data


def test_since_shows_what_moved_and_what_a_ladder_change_added(tmp_path: Path, write_ladder: Writer) -> None:
    data_dir, old = started(tmp_path, write_ladder, "old.yaml")
    assessed(old, {"Mentors": ("partly", ["Paired with one junior."])})
    new = tmp_path / "new.yaml"
    data = yaml.safe_load(old.read_text())
    data["items"].append({**data["items"][0], "key": "co.lead.responsibilities.added", "text": "A new duty."})
    new.write_text(yaml.safe_dump(data, sort_keys=False))
    assessed(new, {"Mentors": ("met", ["Paired with one junior.", "Mentored two."]), "Runs": ("not-yet", [])})
    moved = Ladders([tmp_path / "ladders"]).assessment_changes(old, new)
    assert [(row["change"], row["text"], row["was"], row["now"], row["evidence"]) for row in moved.rows()] == [
        ("met", "Mentors the juniors of the team.", "partly", "met", []),
        ("status", "Runs the weekly review.", "not-assessed", "not-yet", []),
        ("evidence", "Mentors the juniors of the team.", None, "met", ["Mentored two."]),
        ("added", "A new duty.", None, "not-assessed", []),
    ]
    code, out, _ = run(*data_dir, "readiness", str(new), "--since", str(old))
    assert code == 0 and f"Since {old}" in out and "met now (was partly): Mentors the juniors" in out
    assert "asked since (a ladder change): A new duty." in out
    code, out, _ = run(*data_dir, "assess", "diff", str(old), str(new), "-f", "json")
    assert code == 1 and len(json.loads(out)["changes"]) == 4
    assert run(*data_dir, "assess", "diff", str(new), str(new))[0] == 0


def test_since_reads_an_earlier_version_from_git(tmp_path: Path, write_ladder: Writer) -> None:
    data_dir, path = started(tmp_path, write_ladder)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", path.name], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    assessed(path, {"Sets": ("met", ["Set it."])})
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "career_ladder",
            *data_dir,
            "readiness",
            path.name,
            "--since",
            "HEAD:me.yaml",
            "-f",
            "json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = json.loads(result.stdout)["since"]["changes"]
    assert result.returncode == 0 and [(r["change"], r["text"]) for r in rows] == [
        ("met", "Sets the bar."),
        ("evidence", "Sets the bar."),
    ]


def test_two_assessments_of_different_targets_are_not_compared(tmp_path: Path, write_ladder: Writer) -> None:
    data_dir, path = started(tmp_path, write_ladder)
    other = tmp_path / "other.yaml"
    other.write_text(path.read_text().replace("target: lead", "target: senior"))
    code, _, err = run(*data_dir, "assess", "diff", str(other), str(path))
    assert code == 2 and err == (
        f"ladder: {other} is against co:senior and {path} against co:lead: compare two assessments of one target\n"
    )


@pytest.mark.parametrize(
    ("change", "told"),
    [
        (lambda t: t.replace("ladder: co", "ladder: gone"), "which the ladders no longer have: no ladder 'gone'"),
        (lambda t: t.replace("rung: junior", "rung: intern"), "the ladders no longer have: "),
        (lambda t: t.replace("status: not-assessed", "status: meet", 1), "(did you mean 'met'?)"),
        (lambda t: "id: co\nname: Co\n", "LDR007: not an assessment: it holds no `items`"),
        (lambda t: t + "x" * (3 * 1024 * 1024), "LDR002"),
        (lambda t: t.replace("items:", "items: [", 1), "LDR003"),
    ],
)
def test_a_file_that_cannot_be_used_is_one_line_and_exit_2(
    tmp_path: Path, write_ladder: Writer, change: Callable[[str], str], told: str
) -> None:
    data_dir, path = started(tmp_path, write_ladder)
    path.write_text(change(path.read_text()))
    code, out, err = run(*data_dir, "readiness", str(path))
    assert (code, out) == (2, "") and told in err and err.count("\n") == 1


def test_a_folder_counts_each_person_once_and_names_nobody_unless_asked(tmp_path: Path, write_ladder: Writer) -> None:
    team = tmp_path / "team"
    team.mkdir()
    for name, answers in [("ann", {"Mentors": ("met", [])}), ("bo", {"Mentors": ("not-yet", [])}), ("cy", {})]:
        _, path = started(tmp_path, write_ladder, f"team/{name}.yaml")
        assessed(path, answers)
    early = yaml.safe_load((team / "ann.yaml").read_text())
    (team / "ann-2025.yaml").write_text(yaml.safe_dump({**early, "name": "ann", "date": "2025-01-01"}))
    (team / "notes.txt").write_text("not an assessment, not read\n")
    found = Ladders().calibration(team)
    [group] = found.groups
    assert (found.files, group.ladder, group.target, group.people) == (4, "co", "lead", 3)
    mentors = next(tally for tally in group.tallies if tally.text.startswith("Mentors"))
    assert (mentors.counts, mentors.names) == ({"met": 1, "partly": 0, "not-yet": 1, "not-assessed": 1}, {})
    code, out, _ = run("readiness", str(team), width=80)
    assert code == 0 and "co: towards lead, 3 people" in out and "bo" not in out
    assert "[craft] Sets the bar." in out  # the ladder is not in view: the area by its id
    assert "[Craft] Sets the bar." in run("--data-dir", str(tmp_path / "ladders"), "readiness", str(team))[1]
    code, out, _ = run("readiness", str(team), "--names", "-f", "json")
    named = next(t for t in json.loads(out)["groups"][0]["expectations"] if t["text"].startswith("Mentors"))
    assert named["names"] == {"met": ["ann"], "partly": [], "not-yet": ["bo"], "not-assessed": ["cy"]}


def test_a_folder_with_a_bad_file_or_none_at_all_is_refused(tmp_path: Path, write_ladder: Writer) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("readiness", str(empty)) == (2, "", f"ladder: {empty} holds no assessment (.yaml) file\n")
    _, path = started(tmp_path, write_ladder, "team/ann.yaml")
    (path.parent / "bad.yaml").write_text("items: 3\n")
    code, _, err = run("readiness", str(path.parent))
    assert code == 2 and err.startswith(f"ladder: {path.parent / 'bad.yaml'}:1:") and err.count("\n") == 1
    assert run("readiness", str(path.parent), "--since", str(path))[0] == 2
    assert run("readiness", str(path), "--names")[0] == 2


def test_evidence_is_never_searched_nor_read_as_a_ladder(tmp_path: Path, write_ladder: Writer) -> None:
    code, out, _ = run("assess", "start", "pm", "pm")
    path = Path(out.split()[1].rstrip(":"))
    assert code == 0 and path.parent.name == "assessments"
    assessed(path, {"": ("met", ["Shipped the zebracorn launch."])})
    assert run("readiness", str(path))[0] == 0
    assert run("search", "zebracorn")[0] == 1
    assert "zebracorn" not in run("list", "-f", "json")[1]


def test_an_item_twice_is_refused_at_the_second_copy(tmp_path: Path, write_ladder: Writer) -> None:
    data_dir, path = started(tmp_path, write_ladder)
    data = yaml.safe_load(path.read_text())
    data["items"].append({**data["items"][1], "status": "met"})
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    code, _, err = run(*data_dir, "readiness", str(path))
    assert code == 2 and "LDR202: items[6].key: the key 'co.lead." in err and "is also item 1's" in err
    assert run("assess", "check", str(path))[0] == 1


def test_the_verdict_counts_what_the_ladder_asks_now_not_what_the_file_holds(
    tmp_path: Path, write_ladder: Writer
) -> None:
    _, path = started(tmp_path, write_ladder)
    data = yaml.safe_load(path.read_text())
    data["items"] = [{**data["items"][1], "status": "met"}]  # one item kept of six, met
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    verdict = Ladders([tmp_path / "ladders"]).readiness(path).verdict
    assert verdict.startswith("1 of 6 items met by your own account, 0 partly, 0 not yet, 5 not assessed (5 of them")
    assert "a case to talk through" not in verdict


def test_a_folder_reads_its_regular_yaml_files_alone(tmp_path: Path, write_ladder: Writer) -> None:
    import os

    _, path = started(tmp_path, write_ladder, "team/ann.yaml")
    (path.parent / "sub.yaml").mkdir()
    os.mkfifo(path.parent / "pipe.yaml")
    (path.parent / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (path.parent / ".ann.yaml.1234.tmp.yaml").write_text("half written")
    assert Ladders().calibration(path.parent).files == 1


def test_a_revision_that_is_not_an_assessment_gets_no_hint_that_cannot_work(
    tmp_path: Path, write_ladder: Writer
) -> None:
    data_dir, path = started(tmp_path, write_ladder)
    path.write_text(path.read_text().replace("status: not-assessed", "status: meet"))
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    for step in (["init", "-q"], ["add", path.name], ["commit", "-qm", "x"]):
        subprocess.run([*git, *step], check=True)
    done = subprocess.run(
        [sys.executable, "-m", "career_ladder", *data_dir, "readiness", "HEAD:me.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and done.stderr.startswith("ladder: HEAD:me.yaml:")
    assert done.stderr.rstrip().endswith("(and 5 more)")
    assert "(and 5 more: run `ladder assess check" in run(*data_dir, "readiness", str(path))[2]


def test_a_file_whose_ladder_is_gone_is_named(tmp_path: Path, write_ladder: Writer) -> None:
    data_dir, path = started(tmp_path, write_ladder)
    path.write_text(path.read_text().replace("target: lead", "target: chief"))
    assert run(*data_dir, "readiness", str(path))[2].startswith(f"ladder: {path} is of co:junior to chief, which")


def test_the_packet_says_the_ladder_changed_and_the_json_whose_it_is(tmp_path: Path, write_ladder: Writer) -> None:
    data_dir, path = started(tmp_path, write_ladder)
    path.write_text(path.read_text().replace("date:", "name: Ann\ndate:"))
    data = company()
    data["rungs"][1]["responsibilities"].append({"text": "Writes the plan.", "sources": ["s"]})
    (tmp_path / "ladders" / "co.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    packet = run(*data_dir, "readiness", str(path), "-f", "markdown")[1]
    assert "## The ladder asks differently since the file was written\n\n- new: [responsibilities] Writes" in packet
    assert json.loads(run(*data_dir, "readiness", str(path), "-f", "json")[1])["name"] == "Ann"
    assert "me.yaml (Ann): every status" in packet
    assert f"{path} (Ann) of " in run(*data_dir, "readiness", str(path), width=300)[1]


def test_only_targets_with_something_to_assess_are_offered(tmp_path: Path, write_ladder: Writer) -> None:
    data = company()
    data["rungs"].append({**data["rungs"][0], "id": "ghost", "title": "Ghost", "aliases": [], "level": 30})
    data["rungs"][-1]["responsibilities"] = []
    data["transitions"].append({"kind": "promotion", "from": "junior", "to": "ghost", "sources": ["s"]})
    ladders = write_ladder(tmp_path / "ladders", data).parent
    assert [p.target.rung.id for p in Ladders([ladders]).targets("co", "junior")] == ["lead"]
    code, _, _ = run("--data-dir", str(ladders), "assess", "start", "co", "junior", "-o", str(tmp_path / "a.yaml"))
    assert code == 0 and read_assessment(tmp_path / "a.yaml").target == "lead"
    code, _, err = run("--data-dir", str(ladders), "assess", "start", "co", "junior", "--target", "nosuch")
    assert code == 1 and "it leads to lead (and ghost, of which they name nothing to assess)" in err
