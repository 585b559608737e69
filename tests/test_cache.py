"""The cache of validated ladders never serves stale data, and survives damage and concurrency."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml
from typer.testing import CliRunner

from career_ladder import cache, loading, rebuild
from career_ladder.catalog import Catalog
from career_ladder.cli import app
from career_ladder.datadirs import DataDir, builtin_dir
from career_ladder.errors import InvalidLadder
from career_ladder.index import Index, Indexed, RungNames
from career_ladder.loading import read_ladder
from career_ladder.results import LadderSummary
from conftest import bump, minimal_ladder


def fresh(directory: Path) -> Catalog:
    return Catalog([DataDir(directory, "t")])


def entries() -> list[Path]:
    return sorted(cache.cache_dir().glob("*.json")) if cache.cache_dir().is_dir() else []


def test_cache_lives_in_the_platform_cache_directory(isolated_dirs: Path) -> None:
    assert cache.cache_dir() == isolated_dirs.parents[2] / "cache" / "ladder" / "ladders"


def test_second_read_comes_from_the_cache_and_equals_the_file(
    tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo"))
    first = fresh(tmp_path).ladder("demo")
    assert len(entries()) == 1
    parsed = read_ladder(path).ladder

    def no_parsing(path: Path) -> None:
        raise AssertionError(f"parsed {path}")

    monkeypatch.setattr(loading, "read_ladder", no_parsing)
    assert fresh(tmp_path).ladder("demo") == first == parsed


def test_an_edited_file_shows_on_the_next_call(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo", name="Before"))
    assert fresh(tmp_path).ladder("demo").name == "Before"
    bump(path, yaml.safe_dump(minimal_ladder("demo", name="After")))
    assert fresh(tmp_path).ladder("demo").name == "After"


def test_an_edit_of_the_same_size_within_the_same_second_still_shows(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo", name="AAAA"))
    assert fresh(tmp_path).ladder("demo").name == "AAAA"
    stat = path.stat()
    path.write_text(path.read_text().replace("AAAA", "BBBB"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # 1 ns later, same size
    assert fresh(tmp_path).ladder("demo").name == "BBBB"


def test_added_and_deleted_files_show_on_the_next_call(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("one"))
    assert set(fresh(tmp_path).winners()) == {"one"}
    two = write_ladder(tmp_path, minimal_ladder("two"))
    assert set(fresh(tmp_path).winners()) == {"one", "two"}
    fresh(tmp_path).ladder("two")
    two.unlink()
    assert set(fresh(tmp_path).winners()) == {"one"}
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "show", "two"])
    assert result.exit_code == 1 and "no ladder 'two'" in result.stderr


def test_a_file_that_turned_broken_is_reported_as_without_the_cache(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo"))
    fresh(tmp_path).ladder("demo")
    bump(path, "id: demo\nname: [\n")
    for _ in range(2):  # the second time from the cache: the same problems
        with pytest.raises(InvalidLadder, match="LDR003"):
            fresh(tmp_path).ladder("demo")
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "list"])
    assert result.exit_code == 0 and "demo.yaml:3:1: LDR003" in result.stderr


@pytest.mark.parametrize("damage", ["", "{not json", "[1, 2]", '{"key": "foreign", "ladder": {}}', "\x00\xff"])
def test_a_corrupt_or_foreign_entry_is_ignored_and_rebuilt(
    tmp_path: Path, write_ladder: Callable[..., Path], damage: str
) -> None:
    write_ladder(tmp_path, minimal_ladder("demo"))
    fresh(tmp_path).ladder("demo")
    (entry,) = entries()
    entry.write_text(damage, encoding="utf-8", errors="surrogateescape")
    assert fresh(tmp_path).ladder("demo").id == "demo"
    assert json.loads(entry.read_text())["ladder"]["id"] == "demo"


def test_an_entry_of_another_schema_version_is_not_used(
    tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ladder(tmp_path, minimal_ladder("demo", name="Cached"))
    fresh(tmp_path).ladder("demo")
    (entry,) = entries()
    data = json.loads(entry.read_text())
    data["ladder"]["name"] = "Stale"
    entry.write_text(json.dumps(data))
    assert fresh(tmp_path).ladder("demo").name == "Stale"  # the entry is what is served...
    monkeypatch.setattr(cache, "CACHE_FORMAT", "ladder-cache/999/x")
    assert fresh(tmp_path).ladder("demo").name == "Cached"  # ...until the format moves on


def test_no_cache_bypasses_it(
    tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LADDER_NO_CACHE", "1")
    write_ladder(tmp_path, minimal_ladder("demo"))
    assert fresh(tmp_path).ladder("demo").id == "demo"
    assert entries() == []


def test_an_unwritable_cache_is_simply_not_used(
    tmp_path: Path, write_ladder: Callable[..., Path], isolated_dirs: Path
) -> None:
    blocker = cache.cache_dir()
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the directory should be")
    write_ladder(tmp_path, minimal_ladder("demo"))
    assert fresh(tmp_path).ladder("demo").id == "demo"


def test_validate_reads_the_files_themselves(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("demo"))
    fresh(tmp_path).ladder("demo")
    (entry,) = entries()
    data = json.loads(entry.read_text())
    data["ladder"]["rungs"][0]["level"] = 99  # a cache entry that lies
    entry.write_text(json.dumps(data))
    result = CliRunner().invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 0 and "no problems" in result.stdout


def test_processes_at_once_never_corrupt_the_cache(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    for index in range(20):
        write_ladder(tmp_path, minimal_ladder(f"demo-{index}"))
    command = [sys.executable, "-m", "career_ladder", "--data-dir", str(tmp_path), "list", "-f", "json"]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(6)]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert len(json.loads(out)) >= 20
    written = entries()
    assert len(written) >= 20 and not list(cache.cache_dir().glob("*.tmp"))
    assert all(json.loads(entry.read_text())["key"][0] == cache.CACHE_FORMAT for entry in written)


def listed(directory: Path) -> tuple[dict[str, str], str]:
    result = CliRunner().invoke(app, ["--data-dir", str(directory), "list", "-f", "json"])
    assert result.exit_code == 0
    return {row["id"]: row["name"] for row in json.loads(result.stdout)}, result.stderr


def test_list_reads_the_index_and_it_follows_every_change(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    one = write_ladder(tmp_path, minimal_ladder("one", name="First"))
    assert listed(tmp_path)[0]["one"] == "First"
    assert (cache.cache_dir() / "index.sqlite3").is_file()
    bump(one, yaml.safe_dump(minimal_ladder("one", name="Renamed")))
    assert listed(tmp_path)[0]["one"] == "Renamed"
    two = write_ladder(tmp_path, minimal_ladder("two"))
    assert "two" in listed(tmp_path)[0]
    two.unlink()
    assert "two" not in listed(tmp_path)[0]
    bump(one, "id: one\nname: [\n")
    names, err = listed(tmp_path)
    assert "one" not in names and "one.yaml:3:1: LDR003" in err
    names, err = listed(tmp_path)  # the broken file, from the index: reported the same way
    assert "one" not in names and "one.yaml:3:1: LDR003" in err


def test_list_from_the_index_equals_list_without_it(
    tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(5):
        write_ladder(tmp_path, minimal_ladder(f"demo-{index}", aliases=[f"d{index}"]))
    listed(tmp_path)
    warm = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "list", "-f", "json"]).stdout
    monkeypatch.setenv("LADDER_NO_CACHE", "1")
    assert CliRunner().invoke(app, ["--data-dir", str(tmp_path), "list", "-f", "json"]).stdout == warm


@pytest.mark.parametrize("damage", [b"", b"not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_damaged_index_is_rebuilt(tmp_path: Path, write_ladder: Callable[..., Path], damage: bytes) -> None:
    write_ladder(tmp_path, minimal_ladder("one"))
    listed(tmp_path)
    (cache.cache_dir() / "index.sqlite3").write_bytes(damage)
    assert "one" in listed(tmp_path)[0]
    assert "one" in listed(tmp_path)[0]


@pytest.mark.parametrize(
    "tables",
    [
        ["CREATE TABLE ladder (x)"],
        ["CREATE TABLE meta (format TEXT)", "INSERT INTO meta VALUES ('ladder-cache/0/0.0.1/1')"],
    ],
    ids=["someone else's tables", "another version's index"],
)
def test_a_foreign_index_is_rebuilt(tmp_path: Path, write_ladder: Callable[..., Path], tables: list[str]) -> None:
    write_ladder(tmp_path, minimal_ladder("one"))
    cache.cache_dir().mkdir(parents=True)
    with sqlite3.connect(cache.cache_dir() / "index.sqlite3") as connection:
        for statement in tables:
            connection.execute(statement)
    assert "one" in listed(tmp_path)[0]
    with sqlite3.connect(cache.cache_dir() / "index.sqlite3") as connection:
        assert connection.execute("SELECT format FROM meta").fetchall() == [(cache.CACHE_FORMAT,)]
        assert ("one",) in connection.execute("SELECT id FROM ladder").fetchall()


def test_no_cache_writes_no_index(
    tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LADDER_NO_CACHE", "1")
    write_ladder(tmp_path, minimal_ladder("one"))
    assert "one" in listed(tmp_path)[0]
    assert not (cache.cache_dir() / "index.sqlite3").exists()


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores")
def test_many_unindexed_files_are_read_on_every_core_with_the_same_result(
    tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(6):
        write_ladder(tmp_path, minimal_ladder(f"demo-{index}", aliases=[f"d{index}"]))
    write_ladder(tmp_path, "id: bad\nname: [unclosed\n", name="bad")
    cache.cache_dir().mkdir(parents=True, exist_ok=True)
    leftover = cache.cache_dir() / "killed.tmp"  # from a process killed while writing, long ago
    leftover.write_text("{")
    os.utime(leftover, (1, 1))
    steps: list[tuple[int, int]] = []
    workers: set[int] = set()

    def progress(done: int, total: int) -> None:
        steps.append((done, total))
        workers.update(child.pid or 0 for child in multiprocessing.active_children())

    overview = Catalog([DataDir(tmp_path, "t")], progress=progress, parallel_from=2).overview()
    assert len(workers) == 2
    assert steps[-1] == (7, 7) and [done for done, _ in steps] == list(range(1, 8))
    alone = Catalog([DataDir(tmp_path, "t")], use_cache=False).overview()
    assert overview.good == alone.good
    assert list(map(overview.summary, overview.good)) == list(map(alone.summary, alone.good))
    assert [str(e) for e in overview.broken] == [str(e) for e in alone.broken] != []
    assert len(entries()) == 7  # the workers wrote every file's cache entry
    assert not leftover.exists()

    def no_parsing(path: Path) -> None:
        raise AssertionError(f"parsed {path}")

    monkeypatch.setattr(loading, "read_ladder", no_parsing)
    again = fresh(tmp_path).overview()  # and the index holds every summary
    assert list(map(again.summary, again.good)) == list(map(overview.summary, overview.good))


def test_a_few_unindexed_files_are_read_in_process(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, minimal_ladder("one"))
    steps: list[tuple[int, int, int]] = []
    progress = lambda done, total: steps.append((done, total, len(multiprocessing.active_children())))  # noqa: E731
    Catalog([DataDir(tmp_path, "t")], progress=progress).overview()
    assert steps == [(1, 1, 0)]


@pytest.mark.parametrize("name", ["pm", "tpm"])
def test_a_ladder_from_the_cache_equals_the_validated_one_field_for_field(name: str) -> None:
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


def test_shares_are_looked_up_past_sqlites_limit_on_values_a_statement() -> None:
    index = Index.open(persistent=False)
    index.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)  # as older SQLite builds have it
    index.store(
        (
            f"/d/l{n}.yaml".encode(),
            (1, 1, n, 1),
            Indexed(LadderSummary(f"l{n}", "L", [], 1), [RungNames("x", f"base:r{n}", [])], None),
        )
        for n in range(1_200)
    )
    found = index.sharers([f"base:r{n}" for n in range(1_200)] + ["base:none"])
    assert sorted(found) == sorted((f"/d/l{n}.yaml".encode(), f"l{n}", "x", 0, f"base:r{n}") for n in range(1_200))
    assert sorted(index.shared_refs()) == sorted(f"base:r{n}" for n in range(1_200))


def test_shares_of_shares_are_found_and_a_circle_of_shares_ends() -> None:
    index = Index.open(persistent=False)
    shares = {"b": "a:x", "c": "b:x", "d": "e:y", "e": "d:y"}  # c -> b -> a, and d <-> e
    index.store(
        (
            f"/d/{ladder}.yaml".encode(),
            (1, 1, n, 1),
            Indexed(LadderSummary(ladder, "L", [], 1), [RungNames(ref[2], ref, [])], None),
        )
        for n, (ladder, ref) in enumerate(shares.items())
    )
    assert sorted(ladder for _, ladder, _, _, _ in index.sharers(["a:x"])) == ["b", "c"]
    assert sorted(ladder for _, ladder, _, _, _ in index.sharers(["d:y"])) == ["d", "e"]


def test_changes_show_when_the_index_cannot_be_written(
    tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("demo", name="Before"))
    broken = tmp_path / "fixed.yaml"
    broken.write_text("id: fixed\nrungs: [\n")
    fresh(tmp_path).overview()  # both indexed: one good, one broken
    store = Index.store

    def busy_on_disk(index: Index, rows: Any) -> None:
        """As when another process holds the index's lock past the timeout."""
        on_disk = any(name == "main" and file for _, name, file in index.connection.execute("PRAGMA database_list"))
        if on_disk:
            raise sqlite3.OperationalError("database is locked")
        store(index, rows)

    monkeypatch.setattr(Index, "store", busy_on_disk)
    renamed = minimal_ladder("demo", name="After")
    renamed["rungs"][1]["title"] = "Principal Thing"
    bump(path, yaml.safe_dump(renamed))
    bump(broken, yaml.safe_dump(minimal_ladder("fixed")))
    overview = fresh(tmp_path).overview()
    assert overview.broken == []
    assert [overview.summary(ladder).name for ladder in overview.good] == ["After", "Demo fixed"]
    assert overview.rungs_named("principal thing") == [("demo", "senior", None)]
    assert overview.rungs_named("senior thing") == [("fixed", "senior", None)]
    assert (cache.cache_dir() / "index.sqlite3").is_file()  # another process's index: not thrown away


def test_a_field_type_the_cache_cannot_rebuild_fails_loudly() -> None:
    class Odd(pydantic.BaseModel):
        tags: set[str]

    with pytest.raises(TypeError, match="cannot rebuild"):
        rebuild._built(Odd)


def test_temporary_entries_left_by_killed_processes_are_swept(tmp_path: Path) -> None:
    cache.cache_dir().mkdir(parents=True, exist_ok=True)
    old, new = cache.cache_dir() / "a.tmp", cache.cache_dir() / "b.tmp"
    for leftover in (old, new):
        leftover.write_text("{")
    long_ago = time.time() - cache.STALE_SECONDS - 10
    os.utime(old, (long_ago, long_ago))
    cache.sweep()
    assert not old.exists() and new.exists()  # one being written now is left alone
