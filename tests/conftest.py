"""Small ladders built in tmp_path, and a runner that sees only the directories a test gives it."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from career_ladder.cli import app

Ladder = dict[str, Any]


def overlay(ladder_id: str, extends: str, **fields: Any) -> dict[str, Any]:
    """A ladder that extends `extends` and says nothing of its own but `fields`."""
    return {
        "id": ladder_id,
        "extends": extends,
        "name": ladder_id,
        "summary": "An overlay.",
        "sources": [{"id": "own", "title": "Own"}],
        **fields,
    }


def minimal_ladder(ladder_id: str = "demo", **fields: Any) -> Ladder:
    """A valid two-rung ladder; keyword arguments replace or add top-level fields."""
    ladder: Ladder = {
        "id": ladder_id,
        "name": f"Demo {ladder_id}",
        "summary": "A ladder for tests.",
        "sources": [{"id": "s", "title": "A source"}],
        "rungs": [
            {
                "id": "junior",
                "title": "Junior Thing",
                "aliases": ["JT"],
                "level": 10,
                "summary": "Starts out.",
                "responsibilities": [{"text": "Learns the trade.", "sources": ["s"]}],
                "sources": ["s"],
            },
            {
                "id": "senior",
                "title": "Senior Thing",
                "aliases": ["ST"],
                "level": 20,
                "summary": "Leads.",
                "responsibilities": [{"text": "Leads the work.", "sources": ["s"]}],
                "sources": ["s"],
                "salary": [{"currency": "USD", "min": 100, "max": 200, "sources": ["s"]}],
            },
        ],
        "transitions": [{"kind": "promotion", "from": "junior", "to": "senior", "sources": ["s"]}],
    }
    ladder.update(fields)
    return ladder


def regional_ladder(ladder_id: str = "regional") -> Ladder:
    """A ladder whose senior rung has figures in two currencies and regions."""
    data = minimal_ladder(ladder_id)
    data["rungs"][1]["salary"] = [
        {"currency": "USD", "min": 100, "max": 200, "region": "United States", "sources": ["s"]},
        {"currency": "INR", "average": 2650000, "region": "India", "sources": ["s"]},
    ]
    return data


@pytest.fixture
def write_ladder() -> Callable[..., Path]:
    def write(directory: Path, data: Ladder | str, name: str | None = None) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
        stem = name or (data["id"] if isinstance(data, dict) else "ladder")
        path = directory / (stem if "." in stem else f"{stem}.yaml")
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own empty user data directory and no LADDER_PATH."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("LADDER_PATH", raising=False)
    monkeypatch.delenv("LADDER_DEBUG", raising=False)
    return home / "data" / "ladder" / "ladders"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "damages_store: the test breaks rows of the store on purpose")


@pytest.fixture(autouse=True)
def every_stored_row_rebuilds(request: pytest.FixtureRequest) -> Iterator[None]:
    """A stored row that cannot be rebuilt costs a parse, silently: no test may meet one unless it
    damages the store on purpose (`@pytest.mark.damages_store`)."""
    from career_ladder import store

    store.unrebuilt.clear()
    yield
    if request.node.get_closest_marker("damages_store") is None:
        assert store.unrebuilt == [], "a stored row could not be rebuilt"


def run(*args: str, width: int = 200, env: Mapping[str, str] | None = None) -> tuple[int, str, str]:
    """`ladder ARGS` through Typer's CliRunner, `width` columns wide with colour off, `env` added to
    the environment: (exit code, stdout, stderr). An exception other than an exit fails the test."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": str(width), "NO_COLOR": "1", **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def default_sigint() -> None:
    """For `preexec_fn`: a child that should feel Ctrl-C gets SIGINT's default back, since an ignored
    signal stays ignored across exec (pytest under nohup or a CI runner) and Python then installs no
    KeyboardInterrupt handler."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def bump(path: Path, text: str) -> None:
    """Rewrite a file so that its modification time surely moves on."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


# Box drawing (U+2500 to U+257F): how rich draws a table's lines is rich's to change, not ours.
_BOX = re.compile("[\u2500-\u257f]")


def drawn_cells(text: str) -> list[list[str]]:
    """What a drawn table says, line by line: each line's cells (its text between rules), with the
    lines that are only rules left out. Holds what the project controls, whatever rich's borders."""
    rows = [[cell.strip() for cell in _BOX.split(line)] for line in text.splitlines()]
    return [[cell for cell in row if cell] for row in rows if any(row)]


def drawn_words(text: str) -> list[str]:
    """Every word a drawn page shows, sorted: the same however rich wraps lines and draws rules."""
    return sorted(_BOX.sub(" ", text).split())


# --- a real terminal -----------------------------------------------------------------------------

LADDER = Path(sys.executable).parent / "ladder"


class Terminal:
    """The installed `ladder` on a pseudo-terminal of its own (its controlling terminal, so that
    Ctrl-C there is SIGINT); what it shows is read until an expected text appears."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        master, slave = os.openpty()

        def own_terminal() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # even when pytest runs with SIGINT ignored

        self.process = subprocess.Popen(
            [str(LADDER), *args], stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, preexec_fn=own_terminal
        )
        os.close(slave)
        self.master = master
        self.shown = ""
        self.seen = 0

    def read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 4096)
        except OSError:  # EIO: the process has closed its end
            return False
        self.shown += data.decode("utf-8", "replace").replace("\r\n", "\n")
        return bool(data)

    def expect(self, text: str, timeout: float = 60) -> str:
        """What was shown up to and with `text`, from where the last `expect` stopped."""
        end = time.monotonic() + timeout
        while text not in self.shown[self.seen :]:
            assert time.monotonic() < end and self.read(end - time.monotonic()), f"no {text!r} in {self.shown!r}"
        found = self.shown.index(text, self.seen) + len(text)
        before, self.seen = self.shown[self.seen : found], found
        return before

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        """The exit code, and what was shown after the last `expect`."""
        end = time.monotonic() + timeout
        while time.monotonic() < end and self.read(end - time.monotonic()):
            pass
        code = self.process.wait(timeout=max(end - time.monotonic(), 1))
        os.close(self.master)
        return code, self.shown[self.seen :]


def person_env(home: Path) -> dict[str, str]:
    """The environment of a person at a terminal, 100 columns wide, with data and cache under `home`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("LADDER_")}
    env |= {"XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"), "TERM": "dumb"}
    return env | {"NO_COLOR": "1", "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"}


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    if not LADDER.exists():
        pytest.skip("`ladder` is not installed beside this Python")
    work = tmp_path / "work"  # outside the repository
    work.mkdir()
    env = person_env(tmp_path)
    opened: list[Terminal] = []

    def start(*args: str) -> Terminal:
        opened.append(Terminal(list(args), work, env))
        return opened[-1]

    yield start
    for each in opened:
        if each.process.poll() is None:
            each.process.kill()
            each.process.wait()
