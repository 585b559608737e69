"""The cache's promise: cached output is always what a fresh read gives, and a damaged cache is
thrown away and rebuilt."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from career_ladder import cache
from career_ladder.index import Index
from conftest import default_sigint, minimal_ladder, run


def run_in(directory: Path, *args: str, no_cache: bool = False) -> tuple[int, str, str]:
    return run("--data-dir", str(directory), *args, env={"LADDER_NO_CACHE": "1" if no_cache else "0"})


def failing_to_open(monkeypatch: pytest.MonkeyPatch, paths: set[str], error: OSError) -> None:
    real_open = os.open

    def refuse(target: str | os.PathLike[str], flags: int, *args: int) -> int:
        if os.fspath(target) in paths:
            raise error
        return real_open(target, flags, *args)

    monkeypatch.setattr(os, "open", refuse)


@pytest.mark.parametrize(
    "error", [PermissionError(13, "Permission denied"), FileNotFoundError(2, "No such file or directory")]
)
def test_a_file_that_could_not_be_read_once_is_read_again_next_time(
    tmp_path: Path, write_ladder: Callable[..., Path], error: OSError
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("acme"))
    with pytest.MonkeyPatch.context() as patched:  # unreadable (or gone) while one `list` runs
        failing_to_open(patched, {str(path)}, error)
        code, out, err = run_in(tmp_path, "list", "-f", "json")
        assert code == 0 and "acme" not in out and "LDR001" in err
    for args in (("list", "-f", "json"), ("salary", "senior", "-f", "json"), ("show", "acme")):
        code, out, err = run_in(tmp_path, *args)
        assert (code, err) == (0, ""), args
        assert "acme" in out.lower(), args


def test_a_rewrite_of_the_same_size_with_its_mtime_put_back_is_seen(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    path = write_ladder(tmp_path, minimal_ladder("acme", name="AAAA"))
    assert "AAAA" in run_in(tmp_path, "list", "-f", "json")[1] and "AAAA" in run_in(tmp_path, "show", "acme")[1]
    before = path.stat()
    time.sleep(0.01)  # the change time moves on; no one can set it back
    path.write_text(path.read_text().replace("AAAA", "BBBB"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert "BBBB" in run_in(tmp_path, "list", "-f", "json")[1]
    assert "BBBB" in run_in(tmp_path, "show", "acme")[1]


@pytest.mark.slow
def test_an_index_damaged_anywhere_never_fails_a_command(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    """SQLite keeps no checksums: damage it notices is an error, and then the index is thrown away
    and the answer comes from the files; damage it does not notice may go unseen, but never fails."""
    for number in range(12):
        shared = minimal_ladder(f"acme-{number}", aliases=[f"a{number}"])
        shared["rungs"].append({"shared": "pm:director"})
        write_ladder(tmp_path, shared)
    commands = [("list", "-f", "json"), ("salary", "director", "-f", "json"), ("show", "acme-3")]
    expected = [run_in(tmp_path, *args, no_cache=True) for args in commands]
    run_in(tmp_path, "list")
    index = cache.cache_dir() / "index.sqlite3"
    pristine = index.read_bytes()
    rebuilt = 0
    for spot in sorted(random.Random(7).sample(range(0, len(pristine) - 16), 40)):
        damaged = pristine[:spot] + b"\xff" * 16 + pristine[spot + 16 :]
        index.write_bytes(damaged)
        for args, answer in zip(commands, expected, strict=True):
            found = run_in(tmp_path, *args)
            assert (found[0], found[2]) == (0, ""), f"damage at byte {spot}: {args}"
            if not index.exists() or index.read_bytes() != damaged:  # noticed, thrown away: from the files
                rebuilt += 1
                assert found == answer, f"damage at byte {spot}: {args}"
                assert [run_in(tmp_path, *again) for again in commands] == expected
                break
    assert rebuilt  # some of the damage is noticed


def test_an_index_error_midway_is_answered_from_the_files_and_rebuilt(
    tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ladder(tmp_path, minimal_ladder("acme"))
    expected = run_in(tmp_path, "salary", "senior", "-f", "json", no_cache=True)
    run_in(tmp_path, "list")
    real = Index.rungs_named
    calls: list[object] = []

    def damaged_once(index: Index, name: str, exact: bool) -> list[tuple[str, str, str, int]]:
        """As when SQLite finds a damaged page while matching names, the first time."""
        calls.append(name)
        if len(calls) == 1:
            raise sqlite3.DatabaseError("database disk image is malformed")
        return real(index, name, exact)

    with monkeypatch.context() as patched:
        patched.setattr(Index, "rungs_named", damaged_once)
        assert run_in(tmp_path, "salary", "senior", "-f", "json") == expected
    assert len(calls) > 1
    assert run_in(tmp_path, "salary", "senior", "-f", "json") == expected


@pytest.mark.parametrize(
    "edit",
    [
        lambda entry: {**entry, "ladder": {"id": "acme"}},
        lambda entry: {"key": entry["key"], "problems": []},
        lambda entry: {"key": entry["key"], "problems": [{"path": 1}]},
        lambda entry: {**entry, "ladder": None},
        lambda entry: {**entry, "ladder": {**entry["ladder"], "rungs": [None]}},
    ],
    ids=["ladder-without-fields", "no-problems", "bad-problem", "null", "null-rung"],
)
@pytest.mark.damages_store
def test_a_hand_edited_cache_entry_is_ignored_and_written_anew(
    tmp_path: Path, write_ladder: Callable[..., Path], edit: Callable[[dict[str, object]], object]
) -> None:
    write_ladder(tmp_path, minimal_ladder("acme"))
    expected = run_in(tmp_path, "show", "acme", "-f", "json")
    (entry_path,) = cache.cache_dir().glob("*.json")
    entry_path.write_text(json.dumps(edit(json.loads(entry_path.read_text()))))
    for args in (("show", "acme", "-f", "json"), ("list", "-f", "json"), ("salary", "senior")):
        code, _, err = run_in(tmp_path, *args)
        assert (code, err) == (0, ""), args
    assert run_in(tmp_path, "show", "acme", "-f", "json") == expected
    assert json.loads(entry_path.read_text())["ladder"]["rungs"][0]["id"] == "junior"  # written anew


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_a_file_that_fails_with_an_io_error_is_ldr001_for_that_file(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    write_ladder(tmp_path, minimal_ladder("acme"))
    (tmp_path / "x.yaml").symlink_to("/proc/self/mem")
    for args in (("list",), ("salary", "senior")):
        code, out, err = run_in(tmp_path, *args)
        assert code == 0 and "acme" in out and "x.yaml:1:1: LDR001: cannot read the file" in err, args
    code, out, _ = run_in(tmp_path, "validate", str(tmp_path))
    assert code == 1 and "x.yaml:1:1: LDR001: cannot read the file" in out and "internal error" not in out


def many_ladders(directory: Path, count: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(minimal_ladder("ID"), sort_keys=False)
    for number in range(count):
        (directory / f"l-{number}.yaml").write_text(text.replace("ID", f"l-{number}"))


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores for worker processes")
def test_worker_processes_end_with_their_command(tmp_path: Path) -> None:
    many_ladders(tmp_path / "d", 3000)
    process = subprocess.Popen(
        [sys.executable, "-m", "career_ladder", "--data-dir", str(tmp_path / "d"), "list"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not (workers := children_of(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert workers, "no worker process was started"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while (alive := {pid for pid in workers if Path(f"/proc/{pid}").exists()}) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive, "worker processes outlived their command"


@pytest.mark.slow
def test_a_pool_that_cannot_start_reads_in_one_process(tmp_path: Path) -> None:
    many_ladders(tmp_path / "d", 400)
    command = f"ulimit -n 16; exec {sys.executable} -m career_ladder --data-dir {tmp_path / 'd'} list -f json"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) >= 400


READ_AND_SIGNAL = """
import multiprocessing, os, signal, sys
from pathlib import Path
from career_ladder.catalog import Catalog
from career_ladder.datadirs import DataDir

def progress(done, total):
    if done == 1:
        {send}

try:
    overview = Catalog([DataDir(Path(sys.argv[1]), "t")], progress=progress, parallel_from=100).overview()
except KeyboardInterrupt:
    sys.exit(130)
print(len(overview.good))
"""


def read_and_signal(tmp_path: Path, send: str) -> subprocess.CompletedProcess[str]:
    """400 ladders read on two workers by a process of its own, which runs `send` at the first result."""
    many_ladders(tmp_path / "d", 400)
    return subprocess.run(
        [sys.executable, "-c", READ_AND_SIGNAL.format(send=send), str(tmp_path / "d")],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        timeout=120,
        start_new_session=True,
        preexec_fn=default_sigint,  # as from a terminal, even when pytest runs with SIGINT ignored
    )


@pytest.mark.slow
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores for worker processes")
def test_a_worker_killed_mid_read_leaves_the_rest_to_the_command(tmp_path: Path) -> None:
    kill = "[os.kill(child.pid, signal.SIGKILL) for child in multiprocessing.active_children()]"
    result = read_and_signal(tmp_path, kill)
    assert (result.returncode, result.stdout) == (0, "400\n"), result.stderr


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores for worker processes")
def test_ctrl_c_during_a_parallel_read_is_one_quiet_interruption(tmp_path: Path) -> None:
    # Ctrl-C reaches every process of the terminal's foreground group: the command and its workers.
    result = read_and_signal(tmp_path, "os.killpg(0, signal.SIGINT)")
    assert (result.returncode, result.stderr) == (130, "")  # no worker's traceback
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_salary_after_a_ladder_in_a_chain_of_shares_is_deleted(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    middle = minimal_ladder("middle", rungs=[{"shared": "pm:director"}], transitions=[])
    write_ladder(tmp_path, middle)
    write_ladder(tmp_path, minimal_ladder("top", rungs=[{"shared": "middle:director"}], transitions=[]))
    assert "top" in run_in(tmp_path, "salary", "director", "-f", "json")[1]
    (tmp_path / "middle.yaml").unlink()  # the index still holds top's share of middle:director
    code, out, err = run_in(tmp_path, "salary", "director", "-f", "json")
    assert code == 0, err
    assert {row["ladder"] for row in json.loads(out)} == {"pm", "tpm"}
    assert "skipped ladder 'top' shares 'middle:director'" in err


def test_problems_kept_for_a_file_name_it_as_this_run_does(
    tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ladder(tmp_path / "d", "id: bad\nname: [unclosed\n", name="bad")
    assert run_in(tmp_path / "d", "show", "bad")[0] == 1  # cached under the absolute path
    monkeypatch.chdir(tmp_path)
    for command in (["show", "bad"], ["list"]):
        err = run_in(Path("d"), *command)[2]
        assert f"{os.path.join('d', 'bad.yaml')}:3:1: LDR003" in err and str(tmp_path) not in err, err


def test_a_path_through_a_link_and_back_is_the_file_it_names(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    # The kernel follows `link` before `..`: `link/../d` is `real/d`, not `d` as the text reads.
    write_ladder(tmp_path / "real" / "d", minimal_ladder("same", name="There"))
    write_ladder(tmp_path / "d", minimal_ladder("same", name="Here"))
    (tmp_path / "real" / "x").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real" / "x", target_is_directory=True)
    assert '"Here"' in run_in(tmp_path / "d", "list", "-f", "json")[1]  # indexed as tmp_path/d
    code, out, err = run_in(tmp_path / "link" / ".." / "d", "list", "-f", "json")
    assert code == 0, err
    assert [item["name"] for item in json.loads(out) if item["id"] == "same"] == ["There"]
