"""Speed and memory of `ladder`, as ratios to references measured in the same run.

Each case runs alternated with its reference (case, reference, case, reference, ...), so a noisy
machine slows both alike; the table shows the medians, their ratio and the peak memory (max RSS)
of each. References:

- the stack floor: the smallest Typer app that prints a six-row rich table (written here);
- the same `ladder` command without the extra ladders;
- for the first, cold run over many files: a bare sequential `yaml.load(..., CSafeLoader)` of the
  same files in one Python process.

The extra ladders are copies of the shipped TPM ladder under new ids, in a temporary directory
with its own cache and data directories, so nothing of the user's is read or written.

    python benchmarks/bench.py            # sizes 10, 1,000 and 10,000; 11 runs a case
    python benchmarks/bench.py --quick    # sizes 10 and 50; 2 runs (CI: proves it runs)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from career_ladder.datadirs import builtin_dir
from career_ladder.render.output import yaml_text
from career_ladder.yamlfile import read_document

PEAK_MIB = 300

FLOOR_APP = """
import typer

app = typer.Typer()


@app.command()
def main(name: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("Level", "Rung")
    for level in range(6):
        table.add_row(str(level * 10), name)
    Console().print(table)


app()
"""


SAME_POINTS = """\
id: same
name: Same
summary: A rung that says one thing many times.
sources: [{{id: s, title: S}}]
rungs:
  - id: one
    title: One
    level: 10
    summary: Says it again.
    sources: [s]
    responsibilities:
{points}
"""

YAML_LOAD = """
import sys
from pathlib import Path

import yaml

for path in sorted(Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""


def run_once(command: Sequence[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) and peak memory (KiB) of one run of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss


def alternate(
    case: Sequence[str],
    reference: Sequence[str],
    runs: int,
    env: dict[str, str],
    reference_env: dict[str, str] | None = None,
) -> dict[str, float]:
    """Medians of `case` and `reference`, run alternately, and their ratios."""
    case_times, case_memory, ref_times, ref_memory = [], [], [], []
    run_once(case, env)  # warm the cache and the file system
    run_once(reference, reference_env or env)
    for _ in range(runs):
        seconds, memory = run_once(case, env)
        case_times.append(seconds)
        case_memory.append(memory)
        seconds, memory = run_once(reference, reference_env or env)
        ref_times.append(seconds)
        ref_memory.append(memory)
    result = {
        "case_ms": statistics.median(case_times) * 1000,
        "ref_ms": statistics.median(ref_times) * 1000,
        "case_mib": statistics.median(case_memory) / 1024,
        "ref_mib": statistics.median(ref_memory) / 1024,
    }
    result["ratio"] = result["case_ms"] / result["ref_ms"]
    result["memory_ratio"] = result["case_mib"] / result["ref_mib"]
    return result


def copies(directory: Path, count: int) -> Path:
    """`count` copies of the shipped TPM ladder under new ids (aliases dropped: they would clash)."""
    directory.mkdir(parents=True)
    data = read_document(builtin_dir() / "tpm.yaml").data
    # Dumped once: PyYAML's emitter is pure Python and would take minutes for 10,000 files.
    template = yaml_text({**data, "id": "tpm-copy-NUMBER", "aliases": []})
    assert template.count("tpm-copy-NUMBER") == 1
    for index in range(count):
        ladder_id = f"tpm-copy-{index:05d}"
        (directory / f"{ladder_id}.yaml").write_text(template.replace("tpm-copy-NUMBER", ladder_id), encoding="utf-8")
    return directory


def assessed(folder: Path, start: Sequence[str], env: dict[str, str]) -> Path:
    """An assessment started in `folder`, every other item met and the rest not yet, with evidence."""
    folder.mkdir()
    path = folder / "person-0000.yaml"
    run_once([*start, str(path)], env)
    text = path.read_text(encoding="utf-8")
    parts = text.split("  status: not-assessed\n  evidence: []\n")
    answers = [
        "  status: met\n  evidence:\n  - Led it, see https://example.com/doc\n",
        "  status: not-yet\n  evidence: []\n",
    ]
    path.write_text(parts[0] + "".join(answers[i % 2] + part for i, part in enumerate(parts[1:])), encoding="utf-8")
    return path


_TITLE = "title: Associate Technical Product Manager\n"


def site_rows(root: Path, ladder: Sequence[str], env: dict[str, str], size: int) -> list[tuple[str, dict[str, float]]]:
    """`ladder export --site` of `size` extra ladders (issue 26: under 60 s and 300 MiB for 1,000),
    cold (an empty store) then warm, and of the built-in ladders and examples (under 2 s); each
    once, in a subprocess, its peak memory from ru_maxrss. Charts as Mermaid source: `mmdc` is
    taken off PATH unless LADDER_BENCH_MMDC is set."""
    extra = copies(root / f"site-extra-{size}", size)
    for number, path in enumerate(sorted(extra.glob("*.yaml"))):  # a chart of its own each, as real ladders
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(_TITLE, f"{_TITLE[:-1]} {number}\n", 1), encoding="utf-8")
    env = {**env, "XDG_CACHE_HOME": str(root / f"site-cache-{size}")}
    if not os.environ.get("LADDER_BENCH_MMDC"):
        env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not Path(p, "mmdc").exists())
    examples = str(Path(__file__).resolve().parents[1] / "examples")
    rows = []
    for label, data in [(f"{size:,} extra, cold", extra), (f"{size:,} extra, warm", extra), ("examples", examples)]:
        seconds, memory = run_once([*ladder, "--data-dir", str(data), "export", "--site", str(root / "site")], env)
        shutil.rmtree(root / "site")
        rows.append((f"export --site, {label}", {"case_ms": seconds * 1000, "case_mib": memory / 1024}))
    shutil.rmtree(extra)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 10 and 50, 2 runs: proves the script runs")
    parser.add_argument("--runs", type=int, help="runs a case (default 11, or 2 with --quick)")
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of extra ladders")
    options = parser.parse_args()
    runs = options.runs or (2 if options.quick else 11)
    sizes = options.sizes or ([10, 50] if options.quick else [10, 1_000, 10_000])
    ladder = [sys.executable, "-m", "career_ladder"]
    rows: list[tuple[str, dict[str, float], float]] = []  # label, figures, target ratio

    with tempfile.TemporaryDirectory(prefix="ladder-bench-") as scratch:
        root = Path(scratch)
        floor = root / "floor.py"
        floor.write_text(FLOOR_APP, encoding="utf-8")
        loader = root / "yaml_load.py"
        loader.write_text(YAML_LOAD, encoding="utf-8")
        base_env = {
            **os.environ,
            "XDG_DATA_HOME": str(root / "data"),
            "XDG_CACHE_HOME": str(root / "cache"),
            "COLUMNS": "100",
            "NO_COLOR": "1",
        }
        base_env.pop("LADDER_PATH", None)
        base_env.pop("LADDER_NO_CACHE", None)
        floor_command = [sys.executable, str(floor), "tpm"]

        for label, args in [
            ("ladder show tpm", ["show", "tpm"]),
            ("ladder --help", ["--help"]),
            ("ladder list", ["list"]),
            ("ladder compare pm tpm", ["compare", "pm", "tpm"]),
            ("ladder salary director", ["salary", "director"]),
            ("ladder next tpm tpm", ["next", "tpm", "tpm"]),
            ("ladder path apm cpo", ["path", "apm", "cpo"]),
            ("ladder entry", ["entry"]),
            ("ladder tracks", ["tracks"]),
            ("ladder sources", ["sources"]),
            ("ladder about tpm", ["about", "tpm"]),
            ("ladder search director", ["search", "director"]),
        ]:
            rows.append((f"{label}  vs stack floor", alternate([*ladder, *args], floor_command, runs, base_env), 1.20))

        # Bounded work: two files of 8,000 identical points, written apart (a duplicate was matched
        # against every earlier one: 16.5 s). Target: under 2 s, about 5 stack floors.
        same = [root / "same-old.yaml", root / "same-new.yaml"]
        for path, point in zip(
            same, ["{text: Same duty., sources: [s]}", "{sources: [s], text: Same duty.}"], strict=True
        ):
            path.write_text(SAME_POINTS.format(points="\n".join([f"      - {point}"] * 8_000)), encoding="utf-8")
        diff = [*ladder, "diff", *map(str, same)]
        label = "ladder diff, 8,000 identical points  vs stack floor"
        rows.append((label, alternate(diff, floor_command, runs, base_env), 5.0))

        # The built-in data plus the two company examples (tracks and competencies; an overlay of pm).
        examples = ["--data-dir", str(Path(__file__).resolve().parents[1] / "examples")]
        for label, args in [
            ("show acme", ["show", "acme"]),
            ("show acme --competencies", ["show", "acme", "--competencies"]),
            ("show globex --origin", ["show", "globex", "--origin"]),
            ("compare pm tpm acme", ["compare", "pm", "tpm", "acme"]),
            ("salary director", ["salary", "director"]),
            ("list", ["list"]),
        ]:
            case = [*ladder, *examples, *args]
            rows.append((f"examples: {label}  vs stack floor", alternate(case, floor_command, runs, base_env), 1.20))

        # Where a person stands: one assessment against the rung it aims for, as every command, and a
        # folder of them (a team, a calibration) against `list`.
        assessment = assessed(root / "team", [*ladder, "assess", "start", "pm", "pm", "-o"], base_env)
        rows.append(
            (
                "ladder readiness FILE  vs stack floor",
                alternate([*ladder, "readiness", str(assessment)], floor_command, runs, base_env),
                1.20,
            )
        )
        people = 50 if options.quick else 1_000
        for index in range(1, people):
            text = assessment.read_text(encoding="utf-8").replace("status: met", "status: partly", index % 3)
            (assessment.parent / f"person-{index:04d}.yaml").write_text(text, encoding="utf-8")
        label = f"ladder readiness DIR of {people:,} files  vs list"
        rows.append(
            (label, alternate([*ladder, "readiness", str(root / "team")], [*ladder, "list"], runs, base_env), 1.6)
        )

        for size in sizes:
            extra = copies(root / f"extra-{size}", size)
            env = {**base_env, "LADDER_PATH": str(extra), "XDG_CACHE_HOME": str(root / f"cache-{size}")}
            cold_env = {**env, "XDG_CACHE_HOME": str(root / f"cold-{size}")}
            start = time.perf_counter()
            _, cold_memory = run_once([*ladder, "list", "-f", "json"], cold_env)
            cold = time.perf_counter() - start
            start = time.perf_counter()
            run_once([sys.executable, str(loader), str(extra)], env)
            bare = time.perf_counter() - start
            rows.append(
                (
                    f"{size:>6} extra, cold list  vs bare yaml.load of the files",
                    {
                        "case_ms": cold * 1000,
                        "ref_ms": bare * 1000,
                        "ratio": cold / bare,
                        "case_mib": cold_memory / 1024,
                        "ref_mib": 0.0,
                        "memory_ratio": 0.0,
                    },
                    1.5 if size >= 1_000 else 0.0,  # under that, start-up outweighs reading
                )
            )
            # The same number of rows shown on both sides: --limit 3.
            for label, args, target in [
                ("show tpm", ["show", "tpm"], 1.2),
                ("list --limit 3", ["list", "--limit", "3"], 1.6),
                ("salary director --limit 3", ["salary", "director", "--limit", "3"], 1.6),
                ("salary director -f json", ["salary", "director", "-f", "json"], 0.0),
                ("search director --limit 3", ["search", "director", "--limit", "3"], 1.6),
            ]:
                rows.append(
                    (
                        f"{size:>6} extra, {label}  vs without them",
                        alternate(
                            [*ladder, *args],
                            [*ladder, *args],
                            max(1, runs // 2 if size > 1000 else runs),
                            env,
                            base_env,
                        ),
                        target,
                    )
                )
            # Routes and next steps look across every ladder (moves may lead into any of them): as
            # `list` does, from the store.
            for label, args in [("path apm cpo", ["path", "apm", "cpo"]), ("next tpm tpm", ["next", "tpm", "tpm"])]:
                rows.append(
                    (
                        f"{size:>6} extra, {label}  vs list --limit 3",
                        alternate(
                            [*ladder, *args],
                            [*ladder, "list", "--limit", "3"],
                            max(1, runs // 2 if size > 1000 else runs),
                            env,
                        ),
                        1.6,
                    )
                )
            shutil.rmtree(extra)
        site = site_rows(root, ladder, base_env, 50 if options.quick else 1_000)

    print(
        f"ladder benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {runs} runs a case, "
        "medians of alternated runs"
    )
    print(
        f"{'case':<62} {'ms':>9} {'ref ms':>9} {'ratio':>6} {'target':>6} {'MiB':>7} {'ref MiB':>7} {'mem':>5}  verdict"
    )
    for label, result, target in rows:
        memory = f"{result['memory_ratio']:5.2f}" if result["ref_mib"] else "    -"
        ref_mib = f"{result['ref_mib']:7.1f}" if result["ref_mib"] else "      -"
        goal = f"{target:6.2f}" if target else "     -"
        met = result["ratio"] <= target and result["case_mib"] < PEAK_MIB
        verdict = ("met" if met else "NOT MET") if target else ""
        print(
            f"{label:<62} {result['case_ms']:9.1f} {result['ref_ms']:9.1f} {result['ratio']:6.2f} {goal} "
            f"{result['case_mib']:7.1f} {ref_mib} {memory}  {verdict}"
        )
    print(f"targets: each ratio at most its target, and every case's peak memory under {PEAK_MIB} MiB")
    print(f"\n{'static site (issue 26), one run each':<62} {'s':>9} {'target':>9} {'MiB':>7}  verdict")
    for label, result in site:
        goal = 60.0 if "extra" in label else 2.0
        met = result["case_ms"] / 1000 <= goal and result["case_mib"] < PEAK_MIB
        verdict = "met" if met else "NOT MET"
        print(f"{label:<62} {result['case_ms'] / 1000:9.2f} {goal:9.1f} {result['case_mib']:7.1f}  {verdict}")
    print(f"targets: the built-in ladders and examples under 2 s; 1,000 extra under 60 s; under {PEAK_MIB} MiB")


if __name__ == "__main__":
    main()
