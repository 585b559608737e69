"""`ladder diff`: what a change to a ladder file changes, as data."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from career_ladder.diff import diff
from conftest import drawn_cells, minimal_ladder, run

ROOT = Path(__file__).parents[1]


def test_reordered_keys_and_reflowed_text_are_no_change(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder("acme")
    old = write_ladder(tmp_path / "old", data)
    shuffled = {key: data[key] for key in reversed(list(data))}
    shuffled["summary"] = "A   ladder\n for tests."
    shuffled["rungs"] = [dict(reversed(list(rung.items()))) for rung in data["rungs"]]
    new = write_ladder(tmp_path / "new", shuffled)
    assert diff(str(old), str(new)).changes == []
    code, out, _ = run("diff", str(old), str(new))
    assert code == 0 and "No change" in out


def test_the_changes_a_reviewer_needs(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    before = minimal_ladder("acme")
    after = minimal_ladder("acme")
    after["rungs"][1]["level"] = 25
    after["rungs"][1]["title"] = "Lead Thing"
    after["rungs"][1]["responsibilities"].append({"text": "Hires the team.", "sources": ["s"]})
    after["rungs"][1]["salary"] = [{"currency": "USD", "min": 110, "max": 210, "sources": ["s"]}]
    after["sources"].append({"id": "t", "title": "Another source"})
    after["transitions"] = []
    found = {
        (c.where, c.change)
        for c in diff(str(write_ladder(tmp_path / "a", before)), str(write_ladder(tmp_path / "b", after))).changes
    }
    assert found == {
        ("rungs[senior].level", "changed"),
        ("rungs[senior].title", "changed"),
        ("rungs[senior].responsibilities", "added"),
        ("rungs[senior].salary[$100 – $200].min", "changed"),  # a figure changed in place, by its amounts
        ("rungs[senior].salary[$100 – $200].max", "changed"),
        ("sources[t]", "added"),
        ("transitions[promotion junior → senior]", "removed"),
    }


def test_the_readme_example_and_its_formats() -> None:
    args = ("diff", "examples/acme.yaml", "examples/proposed/acme.yaml")
    os.chdir(ROOT)
    code, out, _ = run(*args, "-f", "json")
    record = json.loads(out)
    assert code == 1 and record["equal"] is False and len(record["changes"]) == 4
    assert {"where": "rungs[principal-pm].level", "change": "changed", "before": 35, "after": 36} in record["changes"]
    markdown = run(*args, "-f", "markdown")[1]
    assert (
        markdown.startswith("## ladder diff") and "| rungs[staff-pm] | added |  | Staff Product Manager |" in markdown
    )


def test_a_revision_is_read_through_git(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    path = write_ladder(tmp_path / "ladders", minimal_ladder("acme"))
    subprocess.run([*git, "add", "."], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "first"], check=True, env=env)
    changed = minimal_ladder("acme")
    changed["rungs"][0]["level"] = 15
    path.write_text(yaml.safe_dump(changed), encoding="utf-8")
    os.chdir(tmp_path)
    try:
        code, out, _ = run("diff", "HEAD:ladders/acme.yaml", "ladders/acme.yaml", "-f", "json")
        assert code == 1 and json.loads(out)["changes"][0]["where"] == "rungs[junior].level"
        code, _, err = run("diff", "HEAD~5:ladders/acme.yaml", "ladders/acme.yaml")
        assert code == 2 and "cannot read 'HEAD~5:ladders/acme.yaml' from git" in err
    finally:
        os.chdir(ROOT)


@pytest.mark.parametrize(
    ("old", "message"),
    [
        ("nowhere.yaml", "no file 'nowhere.yaml'"),
        ("tests/fixtures/invalid/ldr206.yaml", "LDR206"),
    ],
)
def test_a_side_that_cannot_be_read_is_exit_2(old: str, message: str) -> None:
    os.chdir(ROOT)
    code, out, err = run("diff", old, "examples/acme.yaml")
    assert code == 2 and message in err and out == "" and len(err.strip().splitlines()) == 1


def test_case_duplicates_sources_and_shares_are_told(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    before = minimal_ladder("acme")
    after = minimal_ladder("acme")
    after["rungs"][0]["title"] = "JUNIOR THING"  # a change of case is a change
    after["rungs"][0]["responsibilities"].append(dict(after["rungs"][0]["responsibilities"][0]))  # written twice
    before["rungs"][1]["id"] = "senior-pm"
    after["rungs"][1] = {"shared": "pm:senior-pm"}  # the same rung id, now the built-in rung itself
    before["transitions"] = after["transitions"] = []
    old = write_ladder(tmp_path / "a", before)
    new = write_ladder(tmp_path / "b", after, name="acme-v2")  # another file name, the same ladder
    found = {(c.where, c.change) for c in diff(str(old), str(new)).changes}
    assert ("rungs[junior].title", "changed") in found
    assert ("rungs[junior].responsibilities", "added") in found
    assert ("rungs[senior-pm]", "changed") in found  # an own rung that became a shared one: one row
    assert not any(where.startswith("rungs[senior-pm].") for where, _ in found)


def test_a_point_changed_inside_is_named_by_its_first_words(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    before = minimal_ladder("acme")
    after = minimal_ladder("acme")
    after["rungs"][1]["responsibilities"][0]["sources"] = ["s", "t"]
    after["sources"].append({"id": "t", "title": "T"})
    found = [
        (c.where, c.change)
        for c in diff(str(write_ladder(tmp_path / "a", before)), str(write_ladder(tmp_path / "b", after))).changes
    ]
    assert ("rungs[senior].responsibilities[Leads the work.].sources", "added") in found


def test_a_reviewer_reads_amounts_rungs_and_moves_as_people_write_them(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    before = minimal_ladder("acme")
    before["competencies"] = [{"id": a, "name": a, "covers": a, "sources": ["s"]} for a in ("craft", "people")]
    before["rungs"].append(
        {
            "id": "staff",
            "title": "Staff Thing",
            "level": 30,
            "summary": "Goes wide.",
            "expectations": {"craft": [{"text": f"Craft {n}.", "sources": ["s"]} for n in range(3)]}
            | {"people": [{"text": "Mentors.", "sources": ["s"]}]},
            "sources": ["s"],
        }
    )
    before["rungs"][1]["salary"] = [{"currency": "USD", "min": 120000, "max": 150000, "sources": ["s"]}]
    after = minimal_ladder("acme")
    after["rungs"][1]["salary"] = [{"currency": "USD", "min": 125000, "max": 150000, "sources": ["s"]}]
    after["transitions"] = [{"kind": "lateral", "from": "junior", "to": "senior", "sources": ["s"]}]
    after["competencies"] = before["competencies"]
    old, new = str(write_ladder(tmp_path / "a", before)), str(write_ladder(tmp_path / "b", after))
    expected = [
        ("rungs[senior].salary[$120,000 – $150,000].min", "changed", "$120,000", "$125,000"),
        ("rungs[staff]", "removed", "Staff Thing, with 4 expectations in 2 areas", ""),
        ("transitions[promotion junior → senior]", "removed", "promotion junior → senior", ""),
        ("transitions[lateral junior → senior]", "added", "", "lateral junior → senior"),
    ]
    code, out, _ = run("diff", old, new, "-f", "csv")
    assert code == 1 and sorted(tuple(row) for row in csv.reader(out.splitlines()[1:])) == sorted(expected)
    markdown = run("diff", old, new, "-f", "markdown")[1]
    assert all(f"| {' | '.join(row)} |" in markdown for row in expected)
    table = drawn_cells(run("diff", old, new)[1])  # on a terminal, the field under its item
    at = table.index(["rungs[senior]", "changed", "$120,000", "$125,000"])
    assert table[at + 1 : at + 3] == [[".salary[$120,000 – $150,000]"], [".min"]]
    assert ["rungs[staff]", "removed", "Staff Thing, with 4 expectations in 2 areas"] in table
    data = json.loads(run("diff", old, new, "-f", "json")[1])["changes"]
    assert {"where": expected[0][0], "change": "changed", "before": 120000, "after": 125000} in data  # numbers stay


@pytest.fixture
def repository(tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with one commit of ladders/acme.yaml, the current directory."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    write_ladder(tmp_path / "ladders", minimal_ladder("acme"))
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "first"], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("old", "message"),
    [
        ("--output=o:acme.yaml", "'--output=o:acme.yaml': a revision never starts with '-'"),
        ("-O/etc/passwd:x", "'-O/etc/passwd:x': a revision never starts with '-'"),
        ("HEAD~1..HEAD:ladders/acme.yaml", "'HEAD~1..HEAD' is not a revision: name one commit"),
        ("^HEAD:ladders/acme.yaml", "'^HEAD' is not a revision: name one commit"),
        ("HEAD:ladders", "'HEAD:ladders' is a folder in git, not a ladder file"),
        ("HEAD:ladders/nosuch.yaml", "from git: fatal: path 'ladders/nosuch.yaml' does not exist in 'HEAD'"),
        ("HEAD:x blob", "from git: fatal: path 'x blob' does not exist in 'HEAD'"),  # git's reply is not split
        ("HEAD:a tree.yaml", "from git: fatal: path 'a tree.yaml' does not exist in 'HEAD'"),
    ],
)
def test_a_revision_never_steers_git(repository: Path, old: str, message: str) -> None:
    """Nothing of the argument reaches git as an option (`--output=o` wrote a file `o`)."""
    before = sorted(p.name for p in repository.iterdir())
    code, out, err = run("diff", "--", old, "ladders/acme.yaml")
    assert (code, out) == (2, "") and err.startswith("ladder: ") and message in err, err
    assert sorted(p.name for p in repository.iterdir()) == before


def test_the_parent_of_the_current_folder_is_a_folder_not_an_error(repository: Path) -> None:
    os.chdir(repository / "ladders")
    assert run("diff", "HEAD:..", "acme.yaml") == (2, "", "ladder: 'HEAD:..' is a folder in git, not a ladder file\n")


def test_a_blob_over_the_size_limit_is_refused_before_it_is_read(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repository / "ladders" / "big.yaml").write_text("# " + "x" * (3 * 1024 * 1024) + "\n")
    subprocess.run(["git", "add", "."], check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "big"], check=True)
    asked: list[list[str]] = []
    real = subprocess.run

    def recorded(args: list[str], **kwargs: object) -> object:
        asked.append(list(args))
        return real(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", recorded)
    code, _, err = run("diff", "HEAD:ladders/big.yaml", "ladders/acme.yaml")
    assert (code, err) == (2, "ladder: 'HEAD:ladders/big.yaml' is larger than the 2 MiB a ladder may be\n")
    assert not [args for args in asked if args[1:3] == ["cat-file", "blob"]]


def test_git_is_quoted_whole_when_it_refuses_the_repository(repository: Path) -> None:
    """A repository owned by another user: git's whole message, with the command that allows it."""
    if os.geteuid() != 0:
        pytest.skip("only root can give the repository to another user")
    subprocess.run(["chown", "-R", "nobody", str(repository)], check=True)
    code, _, err = run("diff", "HEAD:ladders/acme.yaml", "ladders/acme.yaml")
    assert code == 2 and "detected dubious ownership" in err and "safe.directory" in err and err.count("\n") == 1


def test_a_revision_is_read_without_writing_a_file(repository: Path) -> None:
    """`ulimit -f 4` below the ladder's size: the blob is parsed as read (a temporary copy of it
    stopped on the limit, an internal error, exit 70)."""
    import resource
    import sys

    pm = (ROOT / "data" / "ladders" / "pm.yaml").read_text(encoding="utf-8")
    (repository / "ladders" / "pm.yaml").write_text(pm, encoding="utf-8")
    subprocess.run(["git", "add", "."], check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "pm"], check=True)
    (repository / "ladders" / "pm.yaml").write_text(pm.replace("level: 20", "level: 21", 1), encoding="utf-8")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run(
        [sys.executable, "-m", "career_ladder", "diff", "HEAD:ladders/pm.yaml", "ladders/pm.yaml", "-f", "json"],
        preexec_fn=small_files,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (1, "") and json.loads(done.stdout)["changes"]


def test_many_copies_of_one_point_are_counted_not_matched_pairwise(tmp_path: Path) -> None:
    """8,000 copies of a point: each copy has its own key from a count (each was matched against
    every earlier one: 16.5 s); three copies fewer are three removed."""
    data = minimal_ladder("same")
    data["rungs"][0]["responsibilities"] = [{"text": "Same duty.", "sources": ["s"]}] * 8_000
    old = tmp_path / "old" / "same.yaml"
    old.parent.mkdir()
    old.write_text(yaml.safe_dump(data), encoding="utf-8")
    data["rungs"][0]["responsibilities"] = [{"text": "Same duty.", "sources": ["s"]}] * 7_997
    new = tmp_path / "same.yaml"
    new.write_text(yaml.safe_dump(data), encoding="utf-8")
    changes = diff(str(old), str(new)).changes
    assert [(c.where, c.change, c.before["text"]) for c in changes] == [
        ("rungs[junior].responsibilities", "removed", "Same duty.")
    ] * 3
