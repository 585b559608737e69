"""The store's promise (store.py): what a command answers from it is always what a fresh read of the
files gives; a damaged row, a damaged or foreign file and a busy one are mended or gone around,
never a wrong answer or a failed command; processes at once leave one good store."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml

from career_ladder import loading, rebuild, store
from career_ladder.catalog import Catalog
from career_ladder.datadirs import DataDir, builtin_dir
from career_ladder.errors import InvalidLadder
from career_ladder.loading import read_ladder
from career_ladder.names import normalized
from career_ladder.store import Entry, Store
from conftest import bump, default_sigint, minimal_ladder, run

Writer = Callable[..., Path]
Fresh = Callable[..., Catalog]


# --- helpers ---------------------------------------------------------------------------------------


@pytest.fixture
def fresh() -> Iterator[Fresh]:
    """A new catalog of one directory, as a new command has it; closed after the test."""
    made: list[Catalog] = []

    def make(directory: Path, **options: Any) -> Catalog:
        made.append(Catalog([DataDir(directory, "t")], **options))
        return made[-1]

    yield make
    for catalog in made:
        catalog.close()


def query(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """A statement run on the store file, as someone else's process would (committed)."""
    with contextlib.closing(sqlite3.connect(store.store_path())) as connection, connection:
        return connection.execute(sql, params).fetchall()


def key(path: Path) -> bytes:
    return os.fsencode(path.absolute())


def run_in(directory: Path, *args: str, no_cache: bool = False, debug: bool = False) -> tuple[int, str, str]:
    env = {"LADDER_NO_CACHE": "1" if no_cache else "0", "LADDER_DEBUG": "1" if debug else "0"}
    return run("--data-dir", str(directory), *args, env=env)


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, a file parsed is a failure: the answer must come from the store."""

    def refuse(path: Path) -> None:
        raise AssertionError(f"parsed {path}")

    monkeypatch.setattr(loading, "read_ladder", refuse)


def good_store() -> None:
    """The store file is one whole store of this format: no damage, no row of a row that is gone."""
    assert query("PRAGMA integrity_check") == [("ok",)]
    assert query("SELECT format FROM meta") == [(store.STORE_FORMAT,)]
    query("INSERT INTO statement_text (statement_text, rank) VALUES ('integrity-check', 1)")  # FTS5's, with its content
    for table in ("rung", "statement"):
        assert query(f"SELECT count(*) FROM {table} WHERE ladder NOT IN (SELECT id FROM ladder)") == [(0,)], table
    assert query("SELECT count(*) FROM statement WHERE searched NOT IN (SELECT id FROM searched)") == [(0,)]
    assert query("SELECT count(*) FROM searched WHERE id NOT IN (SELECT searched FROM statement)") == [(0,)]


def let_go() -> None:
    """Commands run in this process leave their store connection to the garbage collector: closed
    now, as a process's would be at its end, before the file is damaged from outside."""
    gc.collect()


def debug_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("ladder: debug:")]


def overlay(ladder_id: str = "mine", extends: str = "base", **fields: Any) -> dict[str, Any]:
    """A ladder that extends `extends` and retitles its senior rung `Lead Thing`."""
    data = {
        "id": ladder_id,
        "extends": extends,
        "name": "Mine",
        "summary": "Ours.",
        "sources": [{"id": "m", "title": "M"}],
    }
    return data | {"change": {"senior": {"title": "Lead Thing"}}} | fields


# --- where it is, and what a second read gives -------------------------------------------------------


def test_the_store_lives_in_the_platform_cache_directory(isolated_dirs: Path) -> None:
    assert store.store_path() == isolated_dirs.parents[2] / "cache" / "ladder" / "store.sqlite3"


def test_second_read_comes_from_the_store_and_equals_the_file(
    tmp_path: Path, write_ladder: Writer, fresh: Fresh, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo"))
    first = fresh(tmp_path).ladder("demo")
    assert query("SELECT ladder_id, merged FROM ladder WHERE path = ?", key(path)) == [("demo", 0)]
    parsed = read_ladder(path).ladder
    no_parsing(monkeypatch)
    again = fresh(tmp_path).ladder("demo")
    assert again == first == parsed
    assert repr(again) == repr(parsed)


@pytest.mark.parametrize("name", ["pm", "tpm"])
def test_a_ladder_from_the_store_equals_the_validated_one_field_for_field(
    name: str, fresh: Fresh, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = builtin_dir() / f"{name}.yaml"
    validated = read_ladder(path).ladder
    dumped = json.loads(json.dumps(validated.model_dump(mode="json", by_alias=True)))
    built = rebuild.construct_ladder(dumped)
    assert built == validated
    assert repr(built) == repr(validated)  # the same types too: floats, dates, nested models
    assert built.model_dump(mode="json", by_alias=True) == dumped
    assert built.model_dump() == validated.model_dump()
    with pytest.raises(pydantic.ValidationError):  # frozen like a validated one
        built.name = "changed"
    fresh(builtin_dir()).ladder(name)  # and through the store itself
    no_parsing(monkeypatch)
    assert repr(fresh(builtin_dir()).ladder(name)) == repr(validated)


def test_a_field_type_the_store_cannot_rebuild_fails_loudly() -> None:
    class Odd(pydantic.BaseModel):
        tags: set[str]

    with pytest.raises(TypeError, match="cannot rebuild"):
        rebuild._built(Odd)


# --- changes of the files -----------------------------------------------------------------------------


def test_an_edited_file_shows_on_the_next_call(tmp_path: Path, write_ladder: Writer, fresh: Fresh) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo", name="Before"))
    assert fresh(tmp_path).ladder("demo").name == "Before"
    bump(path, yaml.safe_dump(minimal_ladder("demo", name="After")))
    assert fresh(tmp_path).ladder("demo").name == "After"
    assert query("SELECT name FROM ladder WHERE path = ?", key(path)) == [("After",)]  # the row replaced


def test_an_edit_of_the_same_size_within_the_same_second_still_shows(
    tmp_path: Path, write_ladder: Writer, fresh: Fresh
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo", name="AAAA"))
    assert fresh(tmp_path).ladder("demo").name == "AAAA"
    stat = path.stat()
    path.write_text(path.read_text().replace("AAAA", "BBBB"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # 1 ns later, same size
    assert fresh(tmp_path).ladder("demo").name == "BBBB"


def test_a_rewrite_of_the_same_size_with_its_mtime_put_back_is_seen(tmp_path: Path, write_ladder: Writer) -> None:
    path = write_ladder(tmp_path, minimal_ladder("acme", name="AAAA"))
    assert "AAAA" in run_in(tmp_path, "list", "-f", "json")[1] and "AAAA" in run_in(tmp_path, "show", "acme")[1]
    before = path.stat()
    time.sleep(0.01)  # the change time moves on; no one can set it back
    path.write_text(path.read_text().replace("AAAA", "BBBB"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert "BBBB" in run_in(tmp_path, "list", "-f", "json")[1]
    assert "BBBB" in run_in(tmp_path, "show", "acme")[1]


def test_added_and_deleted_files_show_on_the_next_call(tmp_path: Path, write_ladder: Writer, fresh: Fresh) -> None:
    write_ladder(tmp_path, minimal_ladder("one"))
    assert set(fresh(tmp_path).overview().good) == {"one"}
    two = write_ladder(tmp_path, minimal_ladder("two"))
    assert set(fresh(tmp_path).overview().good) == {"one", "two"}
    fresh(tmp_path).ladder("two")
    two.unlink()  # its row stays in the store, and must not count
    assert set(fresh(tmp_path).overview().good) == {"one"}
    assert fresh(tmp_path).overview().rungs_named("senior thing")[0] == [("one", "senior", None)]
    code, _, err = run_in(tmp_path, "show", "two")
    assert code == 1 and "no ladder 'two'" in err


def test_a_file_that_turned_broken_is_reported_as_without_the_store(
    tmp_path: Path, write_ladder: Writer, fresh: Fresh
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo"))
    fresh(tmp_path).ladder("demo")
    bump(path, "id: demo\nname: [\n")
    for _ in range(2):  # the second time from the store: the same problems
        with pytest.raises(InvalidLadder, match="LDR003"):
            fresh(tmp_path).ladder("demo")
    assert query("SELECT data IS NULL, problems IS NOT NULL FROM ladder WHERE path = ?", key(path)) == [(1, 1)]
    for _ in range(2):
        code, out, err = run_in(tmp_path, "list", "-f", "json")
        assert code == 0 and "demo.yaml:3:1: LDR003" in err and '"demo"' not in out


def listed(directory: Path) -> tuple[dict[str, str], str]:
    code, out, err = run_in(directory, "list", "-f", "json")
    assert code == 0, err
    return {row["id"]: row["name"] for row in json.loads(out)}, err


def test_list_reads_the_store_and_it_follows_every_change(tmp_path: Path, write_ladder: Writer) -> None:
    one = write_ladder(tmp_path, minimal_ladder("one", name="First"))
    assert listed(tmp_path)[0]["one"] == "First"
    assert store.store_path().is_file()
    bump(one, yaml.safe_dump(minimal_ladder("one", name="Renamed")))
    assert listed(tmp_path)[0]["one"] == "Renamed"
    two = write_ladder(tmp_path, minimal_ladder("two"))
    assert "two" in listed(tmp_path)[0]
    two.unlink()
    assert "two" not in listed(tmp_path)[0]
    bump(one, "id: one\nname: [\n")
    names, err = listed(tmp_path)
    assert "one" not in names and "one.yaml:3:1: LDR003" in err
    names, err = listed(tmp_path)  # the broken file, from the store: reported the same way
    assert "one" not in names and "one.yaml:3:1: LDR003" in err


def test_list_salary_and_search_from_the_store_equal_them_without_it(tmp_path: Path, write_ladder: Writer) -> None:
    for index in range(5):
        write_ladder(tmp_path, minimal_ladder(f"demo-{index}", aliases=[f"d{index}"]))
    write_ladder(tmp_path, minimal_ladder("base"))
    write_ladder(tmp_path, overlay())
    write_ladder(tmp_path, minimal_ladder("sharer", rungs=[{"shared": "mine:senior"}], transitions=[]))
    write_ladder(tmp_path, "id: bad\nname: [unclosed\n", name="bad")
    commands = [
        ("list", "-f", "json"),
        ("salary", "senior", "-f", "json"),
        ("salary", "lead thing", "-f", "json"),
        ("search", "leads", "work", "-f", "json"),
        ("search", "lead", "--ladder", "mine", "-f", "json"),
    ]
    cold = [run_in(tmp_path, *args) for args in commands]
    warm = [run_in(tmp_path, *args) for args in commands]
    without = [run_in(tmp_path, *args, no_cache=True) for args in commands]
    assert cold == warm == without
    assert all(code == 0 for code, _, _ in cold)


@pytest.mark.parametrize(
    "error", [PermissionError(13, "Permission denied"), FileNotFoundError(2, "No such file or directory")]
)
def test_a_file_that_could_not_be_read_once_is_read_again_next_time_and_not_kept(
    tmp_path: Path, write_ladder: Writer, error: OSError
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("acme"))
    real_open = os.open

    def refuse(target: str | os.PathLike[str], flags: int, *args: int) -> int:
        if os.fspath(target) == str(path):
            raise error
        return real_open(target, flags, *args)

    with pytest.MonkeyPatch.context() as patched:  # unreadable (or gone) while one `list` runs
        patched.setattr(os, "open", refuse)
        code, out, err = run_in(tmp_path, "list", "-f", "json")
        assert code == 0 and "acme" not in out and "LDR001" in err
    assert query("SELECT count(*) FROM ladder WHERE path = ?", key(path)) == [(0,)]  # nothing kept of it
    for args in (("list", "-f", "json"), ("salary", "senior", "-f", "json"), ("show", "acme")):
        code, out, err = run_in(tmp_path, *args)
        assert (code, err) == (0, ""), args
        assert "acme" in out.lower(), args


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_a_file_that_fails_with_an_io_error_is_ldr001_for_that_file(tmp_path: Path, write_ladder: Writer) -> None:
    write_ladder(tmp_path, minimal_ladder("acme"))
    (tmp_path / "x.yaml").symlink_to("/proc/self/mem")
    for args in (("list",), ("salary", "senior")):
        code, out, err = run_in(tmp_path, *args)
        assert code == 0 and "acme" in out and "x.yaml:1:1: LDR001: cannot read the file" in err, args
    code, out, _ = run_in(tmp_path, "validate", str(tmp_path))
    assert code == 1 and "x.yaml:1:1: LDR001: cannot read the file" in out and "internal error" not in out


def test_problems_kept_for_a_file_name_it_as_this_run_does(
    tmp_path: Path, write_ladder: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ladder(tmp_path / "d", "id: bad\nname: [unclosed\n", name="bad")
    assert run_in(tmp_path / "d", "show", "bad")[0] == 1  # stored under the absolute path
    monkeypatch.chdir(tmp_path)
    for command in (["show", "bad"], ["list"]):
        err = run_in(Path("d"), *command)[2]
        assert f"{os.path.join('d', 'bad.yaml')}:3:1: LDR003" in err and str(tmp_path) not in err, err


def test_a_path_through_a_link_and_back_is_the_file_it_names(tmp_path: Path, write_ladder: Writer) -> None:
    # The kernel follows `link` before `..`: `link/../d` is `real/d`, not `d` as the text reads.
    write_ladder(tmp_path / "real" / "d", minimal_ladder("same", name="There"))
    write_ladder(tmp_path / "d", minimal_ladder("same", name="Here"))
    (tmp_path / "real" / "x").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real" / "x", target_is_directory=True)
    assert '"Here"' in run_in(tmp_path / "d", "list", "-f", "json")[1]  # stored as tmp_path/d
    code, out, err = run_in(tmp_path / "link" / ".." / "d", "list", "-f", "json")
    assert code == 0, err
    assert [item["name"] for item in json.loads(out) if item["id"] == "same"] == ["There"]
    assert '"There"' in run_in(tmp_path / "link" / ".." / "d", "show", "same", "-f", "json")[1]


# --- overlays: the merged row follows its whole chain ---------------------------------------------------


def figures(directory: Path, rung: str) -> dict[str, tuple[Any, Any, Any]]:
    code, out, err = run_in(directory, "salary", rung, "-f", "json")
    assert code == 0, err
    return {row["ladder"]: (row["min"], row["max"], row["inherited_from"]) for row in json.loads(out)}


def rung_counts(directory: Path) -> dict[str, int]:
    code, out, err = run_in(directory, "list", "-f", "json")
    assert code == 0, err
    return {row["id"]: row["rungs"] for row in json.loads(out)}


def test_a_merged_row_is_made_again_when_the_file_it_extends_is_edited(tmp_path: Path, write_ladder: Writer) -> None:
    base = minimal_ladder("base")
    write_ladder(tmp_path, base)
    write_ladder(tmp_path, overlay())
    assert figures(tmp_path, "lead thing") == {"mine": (100, 200, "base")}
    assert rung_counts(tmp_path)["mine"] == 2
    mine = key(tmp_path / "mine.yaml")
    assert query("SELECT count(*) FROM ladder WHERE path = ? AND merged = 1", mine) == [(1,)]
    base["rungs"][1]["salary"][0] |= {"min": 300, "max": 400}
    base["rungs"].append({**base["rungs"][1], "id": "staff", "title": "Staff Thing", "aliases": [], "level": 30})
    bump(tmp_path / "base.yaml", yaml.safe_dump(base, sort_keys=False))  # the overlay's own file is unchanged
    assert figures(tmp_path, "lead thing") == {"mine": (300, 400, "base")}
    assert figures(tmp_path, "staff thing") == {"base": (300, 400, None), "mine": (300, 400, "base")}
    assert rung_counts(tmp_path)["mine"] == 3
    assert [run_in(tmp_path, "list", "-f", "json") for _ in range(2)] == [
        run_in(tmp_path, "list", "-f", "json", no_cache=True)
    ] * 2
    assert query("SELECT rungs FROM ladder WHERE path = ? AND merged = 1", mine) == [(3,)]


def test_an_overlay_whose_base_stops_fitting_is_broken_until_it_fits_again(
    tmp_path: Path, write_ladder: Writer
) -> None:
    base = minimal_ladder("base")
    write_ladder(tmp_path, base)
    write_ladder(tmp_path, overlay())
    assert "mine" in rung_counts(tmp_path)
    renamed = minimal_ladder("base")
    renamed["rungs"][1]["id"] = "lead"
    renamed["transitions"][0]["to"] = "lead"
    bump(tmp_path / "base.yaml", yaml.safe_dump(renamed, sort_keys=False))  # no `senior` to change now
    for _ in range(2):
        code, out, err = run_in(tmp_path, "list", "-f", "json")
        assert code == 0 and "mine" not in {row["id"] for row in json.loads(out)} and "mine.yaml" in err
        code, out, err = run_in(tmp_path, "salary", "senior thing", "-f", "json")
        assert code == 0 and [row["ladder"] for row in json.loads(out)] == ["base"] and "mine.yaml" in err
    bump(tmp_path / "base.yaml", yaml.safe_dump(base, sort_keys=False))
    assert rung_counts(tmp_path)["mine"] == 2 and figures(tmp_path, "lead thing") == {"mine": (100, 200, "base")}


def test_an_overlay_of_the_ladder_it_replaces_follows_the_file_it_replaces(
    tmp_path: Path, write_ladder: Writer
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    base = minimal_ladder("base")
    write_ladder(first, base)
    write_ladder(second, overlay("base", "base"))

    def salary() -> list[tuple[Any, ...]]:
        code, out, err = run("--data-dir", str(first), "--data-dir", str(second), "salary", "lead thing", "-f", "json")
        assert code == 0, err
        return [(row["ladder"], row["min"], row["max"]) for row in json.loads(out)]

    assert salary() == [("base", 100, 200)]
    base["rungs"][1]["salary"][0] |= {"min": 500, "max": 600}
    bump(first / "base.yaml", yaml.safe_dump(base, sort_keys=False))
    assert salary() == [("base", 500, 600)]
    assert salary() == [("base", 500, 600)]


def test_shares_of_shares_are_found_and_a_circle_of_shares_ends(tmp_path: Path, write_ladder: Writer) -> None:
    write_ladder(tmp_path, minimal_ladder("a"))
    shares = {"b": "a:senior", "c": "b:senior", "d": "e:senior", "e": "d:senior"}  # c -> b -> a, and d <-> e
    for ladder, ref in shares.items():
        write_ladder(tmp_path, minimal_ladder(ladder, rungs=[{"shared": ref}], transitions=[]))
    code, out, err = run_in(tmp_path, "salary", "senior thing", "-f", "json")
    assert code == 0, err
    assert [(row["ladder"], row["shared"]) for row in json.loads(out)] == [
        ("a", None),
        ("b", "a:senior"),
        ("c", "b:senior"),
    ]
    # And in the store itself: the recursive query ends on a circle that also reaches a named rung.
    with contextlib.closing(Store.open(persistent=False)) as memory:
        ladders = {ladder_id: read_ladder(tmp_path / f"{ladder_id}.yaml").ladder for ladder_id in "abcde"}
        memory.put(Entry(f"/x/{i}.yaml".encode(), False, "1:1:1:1", ladder) for i, ladder in ladders.items())
        memory.scope(memory.connection.execute("SELECT path, merged FROM ladder").fetchall())
        found = memory.rungs_named(normalized("Senior Thing"), exact=True)
        assert sorted(found) == [
            ("a", "senior", 1, None),
            ("b", "senior", 0, "a:senior"),
            ("c", "senior", 0, "b:senior"),
        ]
        assert memory.shares_of_none("abcde") == []
        assert sorted(memory.shares_of_none("a")) == sorted(item for item in shares.items() if item[1][0] != "a")
        memory.scope([])  # rows that do not count are not found
        assert memory.rungs_named(normalized("Senior Thing"), exact=True) == []


def test_salary_after_a_ladder_in_a_chain_of_shares_is_deleted(tmp_path: Path, write_ladder: Writer) -> None:
    middle = minimal_ladder("middle", rungs=[{"shared": "pm:director"}], transitions=[])
    write_ladder(tmp_path, middle)
    write_ladder(tmp_path, minimal_ladder("top", rungs=[{"shared": "middle:director"}], transitions=[]))
    assert "top" in run_in(tmp_path, "salary", "director", "-f", "json")[1]
    (tmp_path / "middle.yaml").unlink()  # the store still holds top's share of middle:director
    code, out, err = run_in(tmp_path, "salary", "director", "-f", "json")
    assert code == 0, err
    assert {row["ladder"] for row in json.loads(out)} == {"pm", "tpm"}
    assert "skipped ladder 'top' shares 'middle:director'" in err


# --- without the store ---------------------------------------------------------------------------------


def test_no_cache_keeps_the_store_in_memory_and_writes_no_file(
    tmp_path: Path, write_ladder: Writer, fresh: Fresh, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LADDER_NO_CACHE", "1")
    write_ladder(tmp_path, minimal_ladder("one"))
    assert fresh(tmp_path).ladder("one").id == "one"
    for args in (("list",), ("salary", "senior"), ("search", "leads"), ("show", "one")):
        assert run_in(tmp_path, *args, no_cache=True)[0] == 0, args
    assert not store.store_path().exists() and not store.store_path().parent.exists()


def test_an_unwritable_cache_directory_is_simply_not_used(
    tmp_path: Path, write_ladder: Writer, fresh: Fresh, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = store.store_path().parent
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the directory should be")
    write_ladder(tmp_path, minimal_ladder("demo"))
    assert fresh(tmp_path).ladder("demo").id == "demo"
    code, out, err = run_in(tmp_path, "list", "-f", "json", debug=True)
    assert code == 0 and "demo" in out
    assert [line for line in debug_lines(err) if "cannot be used" in line and "kept in memory" in line]
    assert blocker.read_text() == "a file where the directory should be"


def test_validate_reads_the_files_themselves(tmp_path: Path, write_ladder: Writer) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo"))
    assert run_in(tmp_path, "show", "demo")[0] == 0
    lie = [{"path": str(path), "line": 1, "column": 1, "code": "LDR003", "field": "", "message": "a lie"}]
    query("UPDATE ladder SET data = NULL, problems = ? WHERE path = ?", json.dumps(lie), key(path))
    assert "a lie" in run_in(tmp_path, "show", "demo")[2]  # what the store says is what commands use...
    code, out, _ = run_in(tmp_path, "validate", str(tmp_path))
    assert code == 0 and "no problems" in out and "a lie" not in out  # ...but not validate


# --- damage ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("merged", "change"),
    [
        (0, "data = ''"),
        (0, "data = '{not json'"),
        (0, "data = '[1, 2]'"),
        (0, "data = 'null'"),
        (0, "data = X'00ff'"),
        (0, "data = '{}'"),
        (0, """data = '{"id": "acme"}'"""),
        (0, "data = json_set(data, '$.rungs[0]', json('null'))"),
        (0, "data = (SELECT data FROM ladder WHERE ladder_id = 'other' AND merged = 0)"),
        (0, "data = NULL, problems = '[]'"),
        (0, """data = NULL, problems = '[{"path": 1}]'"""),
        (0, "problems = '[]'"),
        (0, "name = NULL"),
        (0, "rungs = 'two'"),
        (0, "ladder_id = NULL"),
        (1, "data = '{not json'"),
        (1, """data = '{"id": "mine"}'"""),
    ],
    ids=[
        "empty",
        "not-json",
        "a-list",
        "null",
        "bytes",
        "no-fields",
        "id-only",
        "null-rung",
        "another-ladder",
        "no-problems",
        "bad-problem",
        "problems-beside-data",
        "no-name",
        "rungs-text",
        "no-ladder-id",
        "merged-not-json",
        "merged-id-only",
    ],
)
@pytest.mark.slow
@pytest.mark.damages_store
def test_a_damaged_row_is_said_under_ladder_debug_counted_once_and_written_anew(
    tmp_path: Path, write_ladder: Writer, merged: int, change: str
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("acme"))
    write_ladder(tmp_path, minimal_ladder("other", name="Other"))
    write_ladder(tmp_path, minimal_ladder("base"))
    write_ladder(tmp_path, overlay())
    target = path if not merged else tmp_path / "mine.yaml"
    commands = [
        ("show", target.stem, "-f", "json"),
        ("list", "-f", "json"),
        ("salary", "senior", "-f", "json"),
        ("salary", "lead thing", "-f", "json"),
        ("search", "leads", "-f", "json"),
    ]
    expected = [run_in(tmp_path, *args, no_cache=True) for args in commands]
    assert [run_in(tmp_path, *args) for args in commands] == expected
    assert store.unrebuilt == []
    updated = query(f"UPDATE ladder SET {change} WHERE path = ? AND merged = ? RETURNING id", key(target), merged)
    assert len(updated) == 1
    found = [run_in(tmp_path, *args, debug=True) for args in commands]
    notes = [line for _, _, err in found for line in debug_lines(err)]
    assert notes and all(f"the store's row for {target} could not be used" in line for line in notes), notes
    assert [(code, out) for code, out, _ in found] == [(code, out) for code, out, _ in expected]
    assert store.unrebuilt == [target]  # counted once: the first command that met it wrote it anew
    assert [run_in(tmp_path, *args, debug=True) for args in commands] == expected  # then every run is clean
    assert store.unrebuilt == [target]
    good_store()


@pytest.mark.parametrize("damage", [b"", b"not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_damaged_store_file_is_made_anew(tmp_path: Path, write_ladder: Writer, damage: bytes) -> None:
    write_ladder(tmp_path, minimal_ladder("one"))
    listed(tmp_path)
    let_go()
    for leftover in ("-wal", "-shm"):
        Path(f"{store.store_path()}{leftover}").unlink(missing_ok=True)
    store.store_path().write_bytes(damage)
    code, out, err = run_in(tmp_path, "list", "-f", "json", debug=True)
    assert code == 0 and "one" in out
    if damage:
        assert any("is damaged" in line and "made anew" in line for line in debug_lines(err)), err
    assert run_in(tmp_path, "list", "-f", "json", debug=True) == (0, out, "")  # then clean
    good_store()
    assert query("SELECT ladder_id FROM ladder WHERE path = ?", key(tmp_path / "one.yaml")) == [("one",)]


@pytest.mark.parametrize(
    "tables",
    [
        ["CREATE TABLE ladder (x)"],
        ["CREATE TABLE meta (format TEXT)", "INSERT INTO meta VALUES ('ladder-store/0/0.0.1/1')"],
        ["CREATE TABLE meta (format TEXT)", "INSERT INTO meta VALUES ('a'), ('b')"],
        [
            "CREATE TABLE meta (format TEXT)",
            "INSERT INTO meta VALUES ('ladder-store/0/0.0.1/1')",
            "CREATE VIRTUAL TABLE statement_text USING fts5(words)",
            "CREATE TABLE statement (x)",
        ],
    ],
    ids=["someone else's tables", "another version's store", "two formats", "another version's search table"],
)
def test_a_foreign_store_is_made_anew(tmp_path: Path, write_ladder: Writer, tables: list[str]) -> None:
    write_ladder(tmp_path, minimal_ladder("one"))
    store.store_path().parent.mkdir(parents=True)
    for statement in tables:
        query(statement)
    assert "one" in listed(tmp_path)[0]
    good_store()
    assert query("SELECT ladder_id FROM ladder WHERE path = ?", key(tmp_path / "one.yaml")) == [("one",)]
    assert run_in(tmp_path, "search", "leads", "--ladder", "one")[0] == 0


def test_a_store_of_another_format_is_not_used(
    tmp_path: Path, write_ladder: Writer, fresh: Fresh, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo", name="Stored"))
    fresh(tmp_path).ladder("demo")
    query("UPDATE ladder SET data = json_set(data, '$.name', 'Stale') WHERE path = ?", key(path))
    assert fresh(tmp_path).ladder("demo").name == "Stale"  # the row is what is served...
    monkeypatch.setattr(store, "STORE_FORMAT", "ladder-store/999/x/1")
    assert fresh(tmp_path).ladder("demo").name == "Stored"  # ...until the format moves on
    assert query("SELECT format FROM meta") == [("ladder-store/999/x/1",)]


@pytest.mark.slow
@pytest.mark.damages_store
def test_a_store_damaged_anywhere_never_fails_a_command(tmp_path: Path, write_ladder: Writer) -> None:
    """SQLite keeps no checksums: damage it notices is an error, and then the store is made anew
    and the answer comes from the files; damage it does not notice may go unseen, but never fails."""
    for number in range(12):
        shared = minimal_ladder(f"acme-{number}", aliases=[f"a{number}"])
        shared["rungs"].append({"shared": "pm:director"})
        write_ladder(tmp_path, shared)
    write_ladder(tmp_path, minimal_ladder("base"))
    write_ladder(tmp_path, overlay())
    commands = [
        ("list", "-f", "json"),
        ("salary", "director", "-f", "json"),
        ("show", "acme-3"),
        ("search", "leads", "work", "-f", "json"),
    ]
    expected = [run_in(tmp_path, *args, no_cache=True) for args in commands]
    for args in commands:
        run_in(tmp_path, *args)
    let_go()
    query("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the file itself
    path = store.store_path()
    pristine = path.read_bytes()
    rebuilt = 0
    for spot in sorted(random.Random(7).sample(range(0, len(pristine) - 16), 40)):
        damaged = pristine[:spot] + b"\xff" * 16 + pristine[spot + 16 :]
        let_go()
        path.write_bytes(damaged)
        for args, answer in zip(commands, expected, strict=True):
            code, out, err = run_in(tmp_path, *args, debug=True)
            said = debug_lines(err)
            assert (code, err.splitlines()) == (0, said), f"damage at byte {spot}: {args}: {err}"
            if any("is damaged" in line and "made anew" in line for line in said):  # noticed: from the files
                rebuilt += 1
                assert (code, out) == answer[:2], f"damage at byte {spot}: {args}"
                assert [run_in(tmp_path, *again) for again in commands] == expected
                break
    assert rebuilt  # some of the damage is noticed


def test_a_store_error_midway_is_answered_from_the_files_and_made_anew(
    tmp_path: Path, write_ladder: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ladder(tmp_path, minimal_ladder("acme"))
    expected = run_in(tmp_path, "salary", "senior", "-f", "json", no_cache=True)
    run_in(tmp_path, "list")
    real = Store.rungs_named
    calls: list[object] = []

    def damaged_once(self: Store, name: str, exact: bool) -> list[tuple[str, str, int, str | None]]:
        """As when SQLite finds a damaged page while matching names, the first time."""
        calls.append(name)
        if len(calls) == 1:
            error = sqlite3.DatabaseError("database disk image is malformed")
            error.sqlite_errorcode = sqlite3.SQLITE_CORRUPT  # type: ignore[attr-defined]
            raise error
        return real(self, name, exact)

    with monkeypatch.context() as patched:
        patched.setattr(Store, "rungs_named", damaged_once)
        assert run_in(tmp_path, "salary", "senior", "-f", "json") == expected
    assert len(calls) > 1
    assert run_in(tmp_path, "salary", "senior", "-f", "json") == expected


# --- a store that cannot be written now ---------------------------------------------------------------


def test_changes_show_when_the_store_is_busy_and_it_is_left_to_its_owner(
    tmp_path: Path,
    write_ladder: Writer,
    fresh: Fresh,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo", name="Before"))
    broken = tmp_path / "fixed.yaml"
    broken.write_text("id: fixed\nrungs: [\n")
    fresh(tmp_path).overview()  # both stored: one good, one broken
    real_connect = sqlite3.connect

    def impatient(*args: Any, **options: Any) -> sqlite3.Connection:
        """The store's own busy timeout, short: the test need not wait it out."""
        options["timeout"] = min(options.get("timeout", 5.0), 0.2)
        return real_connect(*args, **options)

    monkeypatch.setattr(sqlite3, "connect", impatient)
    renamed = minimal_ladder("demo", name="After")
    renamed["rungs"][1]["title"] = "Principal Thing"
    bump(path, yaml.safe_dump(renamed))
    bump(broken, yaml.safe_dump(minimal_ladder("fixed")))
    monkeypatch.setenv("LADDER_DEBUG", "1")
    with contextlib.closing(real_connect(store.store_path(), isolation_level=None)) as owner:
        owner.execute("BEGIN IMMEDIATE")  # another process writing, past the timeout
        overview = fresh(tmp_path).overview()
        assert overview.broken == []
        assert [overview.summary(ladder).name for ladder in overview.good] == ["After", "Demo fixed"]
        assert overview.rungs_named("principal thing")[0] == [("demo", "senior", None)]
        assert overview.rungs_named("senior thing")[0] == [("fixed", "senior", None)]
        assert fresh(tmp_path).ladder("demo").name == "After"
        owner.execute("ROLLBACK")
    err = capsys.readouterr().err
    assert "kept in memory" in err and "damaged" not in err, err
    assert query("SELECT name FROM ladder WHERE path = ?", key(path)) == [("Before",)]  # not thrown away
    overview = fresh(tmp_path).overview()  # free again: written now
    assert [overview.summary(ladder).name for ladder in overview.good] == ["After", "Demo fixed"]
    assert query("SELECT name FROM ladder WHERE path = ?", key(path)) == [("After",)]
    good_store()


# --- many files, many processes ---------------------------------------------------------------------------


def many_ladders(directory: Path, count: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(minimal_ladder("ID"), sort_keys=False)
    for number in range(count):
        (directory / f"l-{number}.yaml").write_text(text.replace("ID", f"l-{number}"))


def test_a_cold_read_of_many_files_reads_each_once_with_progress_and_the_store_answers_after(
    tmp_path: Path, write_ladder: Writer, fresh: Fresh, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(6):
        write_ladder(tmp_path, minimal_ladder(f"demo-{index}", aliases=[f"d{index}"]))
    write_ladder(tmp_path, "id: bad\nname: [unclosed\n", name="bad")
    steps: list[tuple[int, int]] = []
    overview = fresh(tmp_path, progress=lambda done, total: steps.append((done, total))).overview()
    assert steps == [(done, 7) for done in range(1, 8)]
    alone = fresh(tmp_path, use_cache=False).overview()
    assert overview.good == alone.good
    assert list(map(overview.summary, overview.good)) == list(map(alone.summary, alone.good))
    assert [str(e) for e in overview.broken] == [str(e) for e in alone.broken] != []
    assert query("SELECT count(*) FROM ladder WHERE merged = 0") == [(7,)]
    no_parsing(monkeypatch)
    steps.clear()
    again = fresh(tmp_path, progress=lambda done, total: steps.append((done, total))).overview()
    assert steps == []  # nothing to read: the store holds every summary, and the broken file's problems
    assert list(map(again.summary, again.good)) == list(map(overview.summary, overview.good))
    assert [str(e) for e in again.broken] == [str(e) for e in overview.broken]


@pytest.mark.slow
def test_processes_at_once_all_answer_right_and_leave_one_good_store(tmp_path: Path, write_ladder: Writer) -> None:
    for index in range(20):
        write_ladder(tmp_path, minimal_ladder(f"demo-{index}"))
    write_ladder(tmp_path, minimal_ladder("base"))
    write_ladder(tmp_path, overlay())
    commands = [("list", "-f", "json"), ("salary", "senior", "-f", "json"), ("search", "leads", "-f", "json")]
    env = {**os.environ, "LADDER_DEBUG": "1"}
    for trial in range(2):
        expected = [json.loads(run_in(tmp_path, *args, no_cache=True)[1]) for args in commands]
        started = [
            (
                args,
                subprocess.Popen(
                    [sys.executable, "-m", "career_ladder", "--data-dir", str(tmp_path), *args],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=env,
                ),
            )
            for args in commands * 2
        ]
        notes: list[str] = []
        for args, process in started:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            assert json.loads(out) == expected[commands.index(args)], (trial, args)
            notes += debug_lines(err)
        # Nothing was taken for damage, nothing went on in memory.
        assert notes == [], notes
        good_store()
        assert query("SELECT count(*) FROM ladder WHERE merged = 0") == [(24,)]  # 22 files and pm, tpm
        for index in range(0, 20, 3):  # and again, while some files changed
            bump(tmp_path / f"demo-{index}.yaml", yaml.safe_dump(minimal_ladder(f"demo-{index}", name=f"New {index}")))
        base = minimal_ladder("base")
        base["rungs"][1]["salary"][0]["min"] = 150
        bump(tmp_path / "base.yaml", yaml.safe_dump(base))


@pytest.mark.slow
def test_a_cold_read_with_few_file_descriptors_still_answers(tmp_path: Path) -> None:
    many_ladders(tmp_path / "d", 400)
    command = f"ulimit -n 16; exec {sys.executable} -m career_ladder --data-dir {tmp_path / 'd'} list -f json"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) >= 400


# A `ladder` command that sends itself `{signal}` the 50th time `{where}` is called: mid-read
# (`parsed`, one file) or mid-write (`statements`, inside the one transaction that writes the rows).
INTERRUPTED = """
import os, signal, sys
import career_ladder.{module} as where
from career_ladder.cli import main

real, calls = where.{where}, []

def interrupted(*args):
    calls.append(1)
    if len(calls) == 50:
        os.kill(os.getpid(), signal.{signal})
    return real(*args)

where.{where} = interrupted
sys.argv = ["ladder", "--data-dir", sys.argv[1], "list", "-f", "json"]
main()
"""


def interrupted(tmp_path: Path, module: str, where: str, signal_name: str) -> subprocess.CompletedProcess[str]:
    many_ladders(tmp_path / "d", 120)
    script = INTERRUPTED.format(module=module, where=where, signal=signal_name)
    return subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "d")],
        capture_output=True,
        text=True,
        env={**os.environ, "LADDER_DEBUG": "0"},
        timeout=120,
        start_new_session=True,
        preexec_fn=default_sigint,  # as from a terminal, even when pytest runs with SIGINT ignored
    )


def answers_right_after(tmp_path: Path) -> None:
    """The next command answers as the files say, finds nothing to mend, and leaves one good store."""
    code, out, err = run_in(tmp_path / "d", "list", "-f", "json", debug=True)
    assert code == 0 and err == "" and len(json.loads(out)) == 122
    good_store()
    assert query("SELECT count(*) FROM ladder WHERE merged = 0") == [(122,)]


@pytest.mark.slow
@pytest.mark.parametrize(("module", "where"), [("overview", "parsed"), ("statements", "statements")])
def test_ctrl_c_during_a_cold_read_is_one_quiet_interruption_and_leaves_a_good_store(
    tmp_path: Path, module: str, where: str
) -> None:
    result = interrupted(tmp_path, module, where, "SIGINT")
    assert (result.returncode, result.stdout, result.stderr.strip()) == (130, "", "")
    assert query("SELECT count(*) FROM ladder") == [(0,)]  # all or nothing
    answers_right_after(tmp_path)


@pytest.mark.slow
def test_a_process_killed_while_it_writes_leaves_a_good_store(tmp_path: Path) -> None:
    result = interrupted(tmp_path, "statements", "statements", "SIGKILL")
    assert result.returncode == -signal.SIGKILL
    assert query("SELECT count(*) FROM ladder") == [(0,)]
    answers_right_after(tmp_path)
