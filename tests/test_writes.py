"""Writes that cannot destroy: `export -o` writes a page whole or not at all, and never over a ladder."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import minimal_ladder, run

Writer = Callable[..., Path]


def test_a_page_is_never_written_over_the_ladder_it_shows(tmp_path: Path, write_ladder: Writer) -> None:
    ladder = write_ladder(tmp_path, minimal_ladder("co"))
    before = ladder.read_bytes()
    code, out, err = run("--data-dir", str(tmp_path), "export", "co", "-o", str(ladder))
    assert (code, out) == (2, "")
    refused = f"{ladder} is a ladder file of the data directory {tmp_path}: an export is never written over a ladder"
    assert err == f"ladder: {refused}\n"
    assert ladder.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["co.yaml"]


@pytest.mark.parametrize("name", ["pm.yaml", "new.yml"])
def test_no_ladder_file_of_any_data_directory_is_written(tmp_path: Path, write_ladder: Writer, name: str) -> None:
    """Another ladder's file, or a new one (it would be read as a broken ladder), in a directory the
    command reads, named by any path to it."""
    write_ladder(tmp_path, minimal_ladder("co"))
    other = tmp_path / "other"
    other.mkdir()
    write_ladder(other, minimal_ladder("pm"))
    before = {p: p.read_bytes() for p in other.iterdir()}
    target = tmp_path / "other" / ".." / "other" / name
    code, _, err = run("--data-dir", str(tmp_path), "--data-dir", str(other), "export", "co", "-o", str(target))
    assert code == 2 and "is a ladder file of the data directory" in err
    assert {p: p.read_bytes() for p in other.iterdir()} == before


def test_a_symlink_to_a_ladder_is_refused_and_one_to_a_page_is_written_through(
    tmp_path: Path, write_ladder: Writer
) -> None:
    ladder = write_ladder(tmp_path, minimal_ladder("co"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "to-ladder.html").symlink_to(ladder)
    code, _, err = run("--data-dir", str(tmp_path), "export", "co", "-o", str(out / "to-ladder.html"))
    assert code == 2 and "is a ladder file" in err and ladder.read_text().startswith("id: co")
    page = out / "page.html"
    page.write_text("old page")
    page.chmod(0o644)
    (out / "link.html").symlink_to("page.html")
    code, _, err = run("--data-dir", str(tmp_path), "export", "co", "-o", str(out / "link.html"))
    assert (code, err) == (0, f"wrote {page} (through the symlink {out / 'link.html'})\n")
    assert (out / "link.html").is_symlink() and page.read_text().startswith("<!DOCTYPE html>")
    assert page.stat().st_mode & 0o777 == 0o644  # the file's mode kept
    assert sorted(p.name for p in out.iterdir()) == ["link.html", "page.html", "to-ladder.html"]


def test_a_dangling_symlink_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "link.html").symlink_to(tmp_path / "elsewhere" / "page.html")
    code, out, err = run("export", "pm", "-o", str(tmp_path / "link.html"))
    assert (code, out) == (2, "")
    leads_to = tmp_path / "elsewhere" / "page.html"
    assert err == f"ladder: {tmp_path / 'link.html'} is a symlink to {leads_to}, which does not exist: not followed\n"
    assert [p.name for p in tmp_path.iterdir()] == ["link.html"]


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("", "ladder: an output file needs a name (use `-o -` for standard output)\n"),
        (".", "ladder: . is a folder: name a file in it\n"),
    ],
)
def test_an_output_that_names_no_file_is_a_clear_error(output: str, message: str) -> None:
    assert run("export", "pm", "-o", output) == (2, "", message)


def test_dash_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("export", "pm", "-f", "mermaid", "-o", "-")
    assert (code, err) == (0, "") and out.startswith("flowchart")
    assert list(tmp_path.iterdir()) == []


def test_a_write_cut_short_leaves_the_page_that_was_there(tmp_path: Path) -> None:
    """`ulimit -f 4`: the write fails part-way; the previous page stays whole, no temporary file is left."""
    page = tmp_path / "pm.html"
    page.write_text("the previous good page")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = subprocess.run(
        [sys.executable, "-m", "career_ladder", "export", "pm", "-o", str(page)],
        preexec_fn=small_files,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        check=False,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"ladder: cannot write {page}: File too large\n"
    assert page.read_text() == "the previous good page" and [p.name for p in tmp_path.iterdir()] == ["pm.html"]


def test_a_new_page_is_made_as_the_umask_allows(tmp_path: Path) -> None:
    code, _, err = run("export", "pm", "-o", str(tmp_path / "pm.html"))
    umask = os.umask(0)
    os.umask(umask)
    assert (code, err) == (0, f"wrote {tmp_path / 'pm.html'}\n")
    assert (tmp_path / "pm.html").stat().st_mode & 0o777 == 0o666 & ~umask


def _init_limited(directory: Path, limit: int) -> subprocess.CompletedProcess[str]:
    """`ladder init acme --dir DIRECTORY` in a process that may write files of `limit` bytes at most."""

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "career_ladder", "init", "acme", "--dir", str(directory)],
        preexec_fn=small_files,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("limit", [2048, 8192])
def test_init_is_all_or_nothing_and_a_retry_starts_afresh(tmp_path: Path, limit: int) -> None:
    """`ulimit -f 2` cuts the ladder (retries said "already exists"); a larger limit cuts the schema
    (an empty schema was left, and later runs said they kept it). Nothing is left either way, not
    even the folder it made."""
    target = tmp_path / "new"
    failed = _init_limited(target, limit)
    assert failed.returncode == 1 and failed.stderr == f"ladder: cannot write in {target}: File too large\n"
    assert not target.exists()
    code, out, err = run("init", "acme", "--dir", str(target))
    assert (code, err) == (0, "") and f"wrote {target / 'ladder.schema.json'}" in out
    assert json.loads((target / "ladder.schema.json").read_text())["title"] == "ladder file"
    assert sorted(p.name for p in target.iterdir()) == ["acme.yaml", "ladder.schema.json"]


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda path: path.mkdir(), "Is a directory"),
        (lambda path: path.write_text(""), "not JSON"),
        (lambda path: path.write_text('{"title": "my notes"}'), "another file"),
    ],
)
def test_init_keeps_only_a_schema_where_its_schema_goes(
    tmp_path: Path, make: Callable[[Path], object], why: str
) -> None:
    make(tmp_path / "ladder.schema.json")
    for command in (["init", "acme"], ["examples"]):
        code, _, err = run(*command, "--dir", str(tmp_path))
        assert code == 1
        assert err == (
            f"ladder: {tmp_path / 'ladder.schema.json'} is in the way: it is not the schema of a ladder file ({why}); "
            "move it, then run again\n"
        )
        assert [p.name for p in tmp_path.iterdir()] == ["ladder.schema.json"]


def test_init_keeps_a_schema_of_an_earlier_version(tmp_path: Path) -> None:
    older = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "ladder file", "type": "object"}
    (tmp_path / "ladder.schema.json").write_text(json.dumps(older))
    code, out, _ = run("init", "acme", "--dir", str(tmp_path))
    assert code == 0 and "kept the" in out and json.loads((tmp_path / "ladder.schema.json").read_text()) == older


def test_a_ladder_file_is_refused_however_it_is_named(tmp_path: Path, write_ladder: Writer) -> None:
    """A link in a data directory to a ladder kept elsewhere, a hard link outside to a ladder of a
    data directory, and a suffix in capitals (one file on a case-insensitive disk)."""
    store = tmp_path / "store"
    team = write_ladder(store, minimal_ladder("team"))
    data = tmp_path / "data"
    data.mkdir()
    (data / "team.yaml").symlink_to(team)
    own = write_ladder(data, minimal_ladder("own"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.link(own, elsewhere / "page.html")
    before = {path: path.read_bytes() for path in (team, own)}
    for target in (data / "team.yaml", data / "OWN.YAML", elsewhere / "page.html"):
        code, _, err = run("--data-dir", str(data), "export", "pm", "-o", str(target))
        assert code == 2 and "is a ladder file of the data directory" in err, target
    assert {path: path.read_bytes() for path in (team, own)} == before


def test_a_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _, err = run("export", "pm", "-f", "mermaid", "-o", str(fifo))
    reader.join(timeout=30)
    assert (code, err) == (0, f"wrote {fifo}\n") and received[0].startswith(b"flowchart")
    assert fifo.is_fifo()


def test_a_failed_init_takes_away_every_folder_it_made(tmp_path: Path) -> None:
    failed = _init_limited(tmp_path / "nest" / "b" / "c", 2048)
    assert failed.returncode == 1 and list(tmp_path.iterdir()) == []
