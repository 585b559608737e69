"""What `ladder` keeps between runs and within one: never a wrong answer from a stale, damaged or
half-made record."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from career_ladder import catalog, store
from career_ladder.datadirs import DataDir, builtin_dir
from career_ladder.errors import InvalidLadder
from conftest import bump, minimal_ladder, run

Writer = Callable[..., Path]


def test_a_failed_overlay_lends_no_origin_to_a_good_one(tmp_path: Path, write_ladder: Writer) -> None:
    """The parts of a merge that failed are never taken for the parts of one that did (their
    memory is reused: 16 runs in 40 showed a good figure as 'changed by a-bad')."""
    write_ladder(tmp_path, minimal_ladder("base"))
    bad = {"id": "a-bad", "extends": "base", "name": "Bad", "summary": "Fails.", "sources": [{"id": "t", "title": "T"}]}
    bad |= {"remove": ["nosuch"], "change": {"junior": {"title": "J"}, "senior": {"title": "S"}}}
    write_ladder(tmp_path, bad)
    good = {
        "id": "good",
        "extends": "base",
        "name": "Good",
        "summary": "Own pay.",
        "sources": [{"id": "g", "title": "G"}],
    }
    good["change"] = {"senior": {"salary": [{"currency": "EUR", "min": 500, "max": 600, "sources": ["g"]}]}}
    write_ladder(tmp_path, good)
    loaded = catalog.Catalog([DataDir(builtin_dir(), "built-in"), DataDir(tmp_path, "t")])
    with pytest.raises(InvalidLadder):
        loaded.ladder("a-bad")
    origins = loaded.origins(loaded.ladder("good"))
    assert origins.of(("rungs", 1, "salary", 0)) == "good"
    assert not [label for label in origins.to_dict().values() if "a-bad" in label]  # nothing of the failed merge
    for _ in range(10):
        code, out, _ = run("--data-dir", str(tmp_path), "salary", "senior", "-f", "json")
        assert code == 0 and "a-bad" not in out
        code, out, _ = run("--data-dir", str(tmp_path), "show", "good", "--origin", "-f", "csv")
        assert code == 0 and "a-bad" not in out


@pytest.mark.damages_store
def test_a_row_that_lists_no_problems_and_no_ladder_is_made_anew(tmp_path: Path, write_ladder: Writer) -> None:
    write_ladder(tmp_path, minimal_ladder("one"))
    assert run("--data-dir", str(tmp_path), "list")[0] == 0
    with sqlite3.connect(store.store_path()) as connection:
        assert connection.execute("UPDATE ladder SET problems = '[]' WHERE ladder_id = 'one'").rowcount == 1
    for _ in range(2):  # the row is mended by the first run
        code, out, err = run("--data-dir", str(tmp_path), "list", "-f", "json")
        assert (code, err) == (0, "") and [row["id"] for row in json.loads(out)] == ["one", "pm", "tpm"]
        code, out, err = run("--data-dir", str(tmp_path), "salary", "senior", "-f", "json")
        assert (code, err) == (0, "") and [row["ladder"] for row in json.loads(out)] == ["one"]
    assert store.unrebuilt == [tmp_path / "one.yaml"]  # once: the first run wrote it anew


@pytest.mark.damages_store
def test_a_row_that_cannot_be_used_is_said_under_ladder_debug_and_counted(
    tmp_path: Path, write_ladder: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ladder(tmp_path, minimal_ladder("one"))
    assert run("--data-dir", str(tmp_path), "show", "one")[0] == 0
    with sqlite3.connect(store.store_path()) as connection:
        damaged = json.dumps({"id": "one"})  # no rungs
        assert connection.execute("UPDATE ladder SET data = ? WHERE ladder_id = 'one'", (damaged,)).rowcount == 1
    monkeypatch.setenv("LADDER_DEBUG", "1")
    code, _, err = run("--data-dir", str(tmp_path), "show", "one")
    assert code == 0 and f"ladder: debug: the store's row for {tmp_path / 'one.yaml'} could not be used" in err
    assert store.unrebuilt == [tmp_path / "one.yaml"]
    store.unrebuilt.clear()
    assert run("--data-dir", str(tmp_path), "show", "one")[:3:2] == (0, "")  # written anew, and used
    assert store.unrebuilt == []


def retitling_overlay() -> dict[str, Any]:
    """`mine`, which extends `base` and retitles its senior rung `Lead Thing`."""
    mine = {"id": "mine", "extends": "base", "name": "Mine", "summary": "Ours.", "sources": [{"id": "m", "title": "M"}]}
    return mine | {"change": {"senior": {"title": "Lead Thing"}}}


def test_an_overlay_is_read_from_the_cache_like_any_ladder(tmp_path: Path, write_ladder: Writer) -> None:
    """An overlay that adds no rung of its own was taken for a damaged entry: parsed on every run."""
    write_ladder(tmp_path, minimal_ladder("base"))
    write_ladder(tmp_path, retitling_overlay())
    first = run("--data-dir", str(tmp_path), "show", "mine", "-f", "json")
    assert first[0] == 0 and run("--data-dir", str(tmp_path), "show", "mine", "-f", "json") == first
    assert store.unrebuilt == []


def test_search_in_an_overlay_finds_what_it_inherits_and_follows_its_base(tmp_path: Path, write_ladder: Writer) -> None:
    base = minimal_ladder("base")
    write_ladder(tmp_path, base)
    write_ladder(tmp_path, retitling_overlay())

    def found(*words: str) -> list[tuple[str, str]]:
        code, out, _ = run("--data-dir", str(tmp_path), "search", *words, "--ladder", "mine", "-f", "json")
        return [(hit["ladder"], hit["text"]) for hit in json.loads(out)["hits"]] if code == 0 else []

    assert found("leads", "work") == [("mine", "Leads the work.")]  # the base's duty, as the overlay has it
    assert found("lead", "thing") == [("mine", "Lead Thing")]  # the overlay's own change
    base["rungs"][1]["responsibilities"][0]["text"] = "Runs the roadmap."
    bump(tmp_path / "base.yaml", yaml.safe_dump(base, sort_keys=False))  # the overlay's own file is unchanged
    assert found("leads", "work") == [] and found("roadmap") == [("mine", "Runs the roadmap.")]


@pytest.mark.slow
def test_first_searches_at_once_both_answer_and_neither_takes_the_other_for_damage(tmp_path: Path) -> None:
    """Two processes making the store at once: with the old search file, the one that waited read
    what the other wrote as damage (a UNIQUE constraint) and deleted its file (6 trials in 10)."""
    for trial in range(6):
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / f"cache-{trial}"), "LADDER_DEBUG": "1"}
        started = [
            subprocess.Popen(
                [sys.executable, "-m", "career_ladder", "search", "strategy", "-f", "json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        answers = [process.communicate(timeout=120) for process in started]
        assert [process.returncode for process in started] == [0, 0]
        assert [err for _, err in answers] == ["", ""]  # nothing said under LADDER_DEBUG: nothing mended
        assert answers[0][0] == answers[1][0]


def test_path_reads_no_ladder_whole_once_the_store_holds_them(
    tmp_path: Path, write_ladder: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`path` looks across every ladder: it reads what the store keeps of each for it, so that ten
    thousand ladders cost a query, not ten thousand ladders rebuilt (about 30 s at 6,000 before)."""
    for number in range(5):
        copy = minimal_ladder(f"copy-{number}")
        copy["rungs"].append({"shared": "pm:director"})
        copy["transitions"].append({"kind": "lateral", "from": "senior", "to": "pm:director", "sources": ["s"]})
        write_ladder(tmp_path, copy)
    write_ladder(tmp_path, minimal_ladder("base"))
    write_ladder(tmp_path, retitling_overlay())
    asked = [("path", "apm", "cpo", "-f", "json"), ("path", "copy-3:junior", "vp", "-f", "json")]
    asked.append(("path", "mine:junior", "lead thing", "-f", "json"))  # an overlay, merged
    expected = [run("--data-dir", str(tmp_path), *args, env={"LADDER_NO_CACHE": "1"}) for args in asked]
    assert [code for code, _, _ in expected] == [0, 0, 0]
    assert [run("--data-dir", str(tmp_path), *args) for args in asked] == expected  # the store filled

    def whole(*_: Any) -> None:
        raise AssertionError("a ladder was read whole")

    from career_ladder import rebuild

    monkeypatch.setattr(rebuild, "construct_ladder", whole)
    monkeypatch.setattr(store, "parsed", whole)
    for args, answer in zip(asked, expected, strict=True):
        assert run("--data-dir", str(tmp_path), *args) == answer, args


def test_the_store_is_readable_by_its_owner_alone(tmp_path: Path, write_ladder: Writer) -> None:
    """It holds every statement of a company's private ladders."""
    write_ladder(tmp_path, minimal_ladder("one"))
    assert run("--data-dir", str(tmp_path), "search", "leads")[0] == 0
    assert store.store_path().stat().st_mode & 0o777 == 0o600
    assert store.store_path().parent.stat().st_mode & 0o777 == 0o700


def test_a_store_replaced_between_questions_is_surveyed_before_the_next(tmp_path: Path, write_ladder: Writer) -> None:
    """A store made anew (after damage met while reading one ladder) holds no scope yet: the next
    question across every ladder surveys it first instead of finding nothing."""
    write_ladder(tmp_path, minimal_ladder("one"))
    loaded = catalog.Catalog([DataDir(builtin_dir(), "built-in"), DataDir(tmp_path, "t")])
    overview = loaded.overview()
    before = overview.rungs_named("senior")
    assert before[0] == [("one", "senior", None)]
    loaded.store_failed(sqlite3.DatabaseError("database disk image is malformed"))
    assert overview.rungs_named("senior") == before
    assert loaded.overview().rungs_named("senior") == before
    loaded.close()


def _locked_at_once(failures: int) -> Callable[[sqlite3.Connection], sqlite3.Connection]:
    """store._ready that answers 'database is locked' at once `failures` times (as SQLite may
    while another process makes the file WAL), then does its work."""
    ready = store._ready
    calls = {"count": 0}

    def answer(connection: sqlite3.Connection) -> sqlite3.Connection:
        calls["count"] += 1
        if calls["count"] <= failures:
            connection.close()
            error = sqlite3.OperationalError("database is locked")
            error.sqlite_errorcode = sqlite3.SQLITE_BUSY  # type: ignore[attr-defined]
            raise error
        return ready(connection)

    return answer


def test_a_lock_answered_at_once_is_waited_out_not_taken_for_a_busy_store(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LADDER_DEBUG", "1")
    monkeypatch.setattr(store, "_ready", _locked_at_once(3))
    opened = store.Store.open()
    try:
        assert opened.path == store.store_path()  # on disk, not in memory
    finally:
        opened.close()
    assert capsys.readouterr().err == ""


def test_a_lock_that_lasts_leaves_the_command_in_memory_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LADDER_DEBUG", "1")
    monkeypatch.setattr(store, "_ready", _locked_at_once(store._OPEN_TRIES))
    opened = store.Store.open()
    assert opened.path is None
    assert "cannot be used (OperationalError('database is locked')): kept in memory" in capsys.readouterr().err
