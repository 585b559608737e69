"""README.md and docs/ as a new user meets them: every example run word for word, in order, from an
empty directory outside the repository, at 80 columns, with the installed `ladder`.

A ```text block is a terminal: each `$ COMMAND` line is run and what it prints (stdout, then stderr)
must be what the block shows under it; a line `…` stands for lines left out. `$ cat FILE` shows a
file the reader writes: the test writes it. A ```sh block is run as a script and must succeed,
except one that installs (`pip install`): that is the quick start, which CI runs from the clone.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Box drawing (U+2500 to U+257F): rich's to draw; the words on each line are ours.
_BOX = re.compile("[\u2500-\u257f]")
GAP = "…"


class Step(NamedTuple):
    kind: str  # run (a command and what it prints), write (a file shown by `cat`), script (a sh block)
    text: str
    shown: list[str]
    line: int


def steps(page: Path) -> list[Step]:
    """The examples of a page, in order."""
    text = page.read_text(encoding="utf-8")
    found = []
    for fence in _FENCE.finditer(text):
        language, body = fence.group(1), fence.group(2)
        line = text.count("\n", 0, fence.start()) + 1
        if language == "sh" and "pip install" not in body:
            found.append(Step("script", body, [], line))
        elif language == "text" and body.startswith("$ "):
            for chunk in body.rstrip("\n").split("\n$ "):
                command, *shown = chunk.removeprefix("$ ").split("\n")
                kind = "write" if re.fullmatch(r"cat [\w./-]+", command) else "run"
                found.append(Step(kind, command, shown, line))
    return found


def drawn(line: str) -> str:
    """A line's words, rules and padding aside."""
    return " ".join(_BOX.sub(" ", line).split())


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether `printed` is `shown`, each `…` line in `shown` standing for one or more lines."""
    pattern = "".join(
        r"(?:[^\n]*\n)+?" if line == GAP else re.escape(drawn(line)) + r"\n" for line in shown if drawn(line)
    )
    lines = "".join(drawn(line) + "\n" for line in printed if drawn(line))
    return re.fullmatch(pattern, lines) is not None


def user_environment(home: Path) -> dict[str, str]:
    """What a new user's shell holds: the installed `ladder` first on PATH, 80 columns, no colour,
    no ladders of their own, and a git that knows who they are."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LADDER_", "GIT_"))}
    return {
        **env,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "COLUMNS": "80",
        "NO_COLOR": "1",
        "PYTHONIOENCODING": "utf-8",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "A User",
        "GIT_AUTHOR_EMAIL": "user@example.com",
        "GIT_COMMITTER_NAME": "A User",
        "GIT_COMMITTER_EMAIL": "user@example.com",
    }


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_example_prints_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    if shutil.which("ladder", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("`ladder` is not installed beside this Python: `pip install .` first")
    work = tmp_path / "work"  # an empty directory outside the repository
    work.mkdir()
    env = user_environment(tmp_path / "home")
    wrong = []
    for step in steps(page):
        where = f"{page.name}:{step.line}: {step.text.splitlines()[0]}"
        if step.kind == "write":
            target = work / step.text.removeprefix("cat ")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(step.shown) + "\n", encoding="utf-8")
            continue
        script = step.text if step.kind == "script" else f"{step.text}\n"
        ran = subprocess.run(
            ["bash", "-e", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        printed = (ran.stdout + ran.stderr).splitlines()
        if step.kind == "script" and ran.returncode != 0:
            wrong.append(f"{where}: exit {ran.returncode}\n{ran.stdout}{ran.stderr}")
        elif ran.returncode not in (0, 1) or "Traceback" in ran.stderr:
            wrong.append(f"{where}: exit {ran.returncode}\n{ran.stderr}")
        elif step.kind == "run" and not matches(step.shown, printed):
            wrong.append(f"{where}: prints\n" + "\n".join(printed) + "\nnot\n" + "\n".join(step.shown))
    assert not wrong, "\n\n".join(wrong)


def test_a_gap_stands_for_lines_left_out_and_nothing_else() -> None:
    assert matches(["a", GAP, "d"], ["a", "b", "c", "d"])
    assert matches(["┃ a ┃", GAP], ["┏━━━┓", "┃ a  ┃", "b"])
    assert not matches(["a", GAP, "d"], ["a", "d"])  # a gap is at least one line
    assert not matches(["a", "d"], ["a", "b", "d"])
    assert not matches(["a"], ["a", "b"])  # no gap: nothing more
    assert not matches(["a b"], ["a", "b"])  # the words of each line, not of the whole


def test_readme_stays_a_quick_start_and_a_tour_under_25_kb() -> None:
    assert (ROOT / "README.md").stat().st_size < 25_000  # the reference belongs in docs/
