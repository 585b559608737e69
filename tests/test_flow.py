"""A person's whole way with `ladder`, as they would take it, from a folder outside the repository
with the installed command: start an assessment, fill it in on a real terminal, read where they
stand, see the company's ladder change, go on filling it in, and read what moved since a commit."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import LADDER, Terminal, person_env
from test_readiness import company

Writer = Callable[..., Path]
MENU = "q quit: "


@pytest.mark.slow
def test_start_fill_in_read_ladder_changes_go_on_and_see_what_moved(
    terminal: Callable[..., Terminal], tmp_path: Path, write_ladder: Writer
) -> None:
    ladder_file = write_ladder(tmp_path / "ladders", company())
    data_dir = ["--data-dir", str(ladder_file.parent)]
    work = tmp_path / "work"
    env = person_env(tmp_path)

    def ladder(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(LADDER), *args], cwd=work, env=env, capture_output=True, text=True, check=False)

    # Start it and fill in the first two items on a terminal; quit.
    walk = terminal(*data_dir, "assess", "co", "junior", "-i", "-o", "me.yaml")
    assert "started me.yaml: 6 items" in walk.expect("item 1 of 6 (responsibilities)")
    walk.expect(MENU)
    walk.send("m\n")
    walk.expect("> ")
    walk.send("Ran the juniors' onboarding: https://wiki.example.com/onboarding\n")
    walk.expect("> ")
    walk.send("\n")
    assert "item 2 of 6" in walk.expect(MENU)
    walk.send("n\n")
    walk.expect("> ")
    walk.send("\n")
    walk.expect(MENU)
    walk.send("q\n")
    code, shown = walk.finish()
    assert code == 0 and "me.yaml holds your answers (2 of 6 assessed)" in shown

    # Where they stand, and a commit to compare with later.
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@t"]
    for step in (["init", "-q"], ["add", "me.yaml"], ["commit", "-qm", "first look"]):
        subprocess.run([*git, *step], check=True, capture_output=True)
    first = ladder(*data_dir, "readiness", "me.yaml")
    assert first.returncode == 0, first.stderr
    assert "not yet: Mentors the juniors of the team.  [s]" in first.stdout
    assert "signal: Has been mentoring newcomers for a year." in first.stdout
    assert "Met: 0" in first.stdout and "1 of 6 items met by your own account" in first.stdout
    assert "Folded away, as the rung you hold asks them too (1 met)" in first.stdout  # item 1: junior asks it

    # The company rewords a duty and adds one.
    data = company()
    data["rungs"][1]["responsibilities"][2]["text"] = "Runs the weekly review of the work."
    data["rungs"][1]["responsibilities"].append({"text": "Writes the team's plan.", "sources": ["s"]})
    ladder_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    changed = ladder(*data_dir, "readiness", "me.yaml")
    assert changed.returncode == 0, changed.stderr
    assert "The ladder asks differently since the file was written" in changed.stdout
    assert "new: [responsibilities] Writes the team's plan." in changed.stdout
    assert "reworded: [responsibilities] Runs the weekly review. → Runs the weekly review of the" in changed.stdout

    # They go on where they stopped: the third item.
    walk = terminal(*data_dir, "assess", "co", "junior", "-i", "-o", "me.yaml")
    assert "item 3 of 6" in walk.expect(MENU)
    walk.send("p\n")
    walk.expect("> ")
    walk.send("Chaired two of the reviews.\n")
    walk.expect("> ")
    walk.send("\n")
    walk.expect(MENU)
    walk.send("q\n")
    assert walk.finish()[0] == 0

    # What moved since the commit, and the packet to take to a manager.
    since = ladder(*data_dir, "readiness", "me.yaml", "--since", "HEAD:me.yaml")
    assert since.returncode == 0, since.stderr
    assert "Since HEAD:me.yaml" in since.stdout
    assert "partly now (was not assessed): Runs the weekly review.  [s]; new evidence: Chaired" in since.stdout
    moved = json.loads(ladder("assess", "diff", "HEAD:me.yaml", "me.yaml", "-f", "json").stdout)
    assert [change["change"] for change in moved["changes"]] == ["status", "evidence"]
    packet = ladder(*data_dir, "readiness", "me.yaml", "-f", "markdown").stdout
    assert "[https://wiki.example.com/onboarding](https://wiki.example.com/onboarding)" in packet
    assert "no count of items promises a promotion" in packet
