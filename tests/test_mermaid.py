"""`ladder export -f mermaid`: the flowchart's text (rows by level, lanes, labels, the legend, other
ladders' rungs by title, escaping), Mermaid's own parser, and the chart drawn by Mermaid in headless
Chromium, read back from the SVG and photographed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from career_ladder import Ladders
from career_ladder.cli import app
from career_ladder.render.mermaid import LEGEND, mermaid
from conftest import minimal_ladder

EXAMPLES = Path(__file__).parents[1] / "examples"
LADDERS = ["pm", "tpm", "acme", "globex"]
RENDER = Path(__file__).parent / "browser" / "mermaid-render.mjs"


def export(ladder: str) -> str:
    result = CliRunner().invoke(app, ["--data-dir", str(EXAMPLES), "export", ladder, "-f", "mermaid"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def chart(ladder: str, data_dir: Path = EXAMPLES) -> str:
    """The chart with the other ladders' rungs named by title and level."""
    with Ladders([data_dir]) as ladders:
        return ladders.export(ladder, fmt="mermaid")


def odd_chart(tmp_path: Path, write_ladder: Callable[..., Path], title: str) -> str:
    data = minimal_ladder("odd")
    data["rungs"][0]["title"] = title
    write_ladder(tmp_path, data)
    return CliRunner().invoke(app, ["--data-dir", str(tmp_path), "export", "odd", "-f", "mermaid"]).stdout


# --- the text ------------------------------------------------------------------------------------

_LABEL = r'"[^"]*"'
_ID = r"(n\d+|exits|legend)"
_NODE = rf"n\d+(\[{_LABEL}\]|\(\[{_LABEL}\]\))(:::(other|role|move))?"
_ARROW = r"(-{2,}>|-\.+-|-\.+->(\|exit\|)?|~{3,})"
_LINES = [
    re.compile(r"flowchart BT"),
    re.compile(rf"  subgraph (lane\d+|exits)\[{_LABEL}\]"),
    re.compile(r"  end"),
    re.compile(rf" {{2,4}}{_NODE}"),
    re.compile(rf"  {_ID} {_ARROW} {_ID}"),
    re.compile(r"  classDef (other|role|move) [a-z-]+:[^;]+(,[a-z-]+:[^;]+)*"),
]
_LINK = re.compile(rf"  {_ID} {_ARROW} {_ID}")


class Drawn:
    """A chart's text read back: its nodes (id: label), links (start, arrow, end) and lanes."""

    def __init__(self, text: str) -> None:
        lines = text.replace("\n".join(LEGEND) + "\n", "").splitlines()
        self.labels = dict(re.findall(r'^ +(n\d+)[\[(]+"([^"]*)', "\n".join(lines), re.M))
        self.links = [(m[1], m[2], m[4]) for line in lines if (m := _LINK.fullmatch(line))]
        self.lanes: dict[str, list[str]] = {}
        lane = None
        for line in lines:
            if opened := re.fullmatch(rf"  subgraph (lane\d+)\[({_LABEL})\]", line):
                lane = opened.group(1)
                self.lanes[lane] = []
            elif line == "  end":
                lane = None
            elif lane and (node := re.match(r"    (n\d+)", line)):
                self.lanes[lane].append(node.group(1))

    def level(self, node: str) -> int | None:
        found = re.search(r"level (\d+)$", self.labels.get(node, ""))
        return int(found.group(1)) if found else None

    def kind(self, start: str, end: str) -> str:
        arrow = next(arrow for first, arrow, last in self.links if (first, last) == (start, end))
        if arrow.startswith("~"):
            return "tie"
        if "." not in arrow:
            return "promotion"
        return "exit" if arrow.endswith("|exit|") else "lateral"


def length(arrow: str) -> int:
    """How many ranks Mermaid reads a link as: `-->` 1, `--->` 2, `-..->` 2, `~~~` 1."""
    arrow = arrow.removesuffix("|exit|")
    if arrow.startswith("~"):
        return len(arrow) - 2
    return arrow.count(".") or arrow.count("-") - 1


@pytest.mark.parametrize("ladder", LADDERS)
def test_mermaid_keeps_the_flowchart_grammar(ladder: str) -> None:
    lines = export(ladder).splitlines()
    assert lines[0] == "flowchart BT"
    declared = {"exits", "legend"}
    depth = 0
    for line in lines:
        assert line in LEGEND or any(rule.fullmatch(line) for rule in _LINES), line
        depth += line.strip().startswith("subgraph") - (line.strip() == "end")
        assert depth in (0, 1), line
        if node := re.match(r"\s+(n\d+)[\[(]", line):
            assert node.group(1) not in declared, f"{line}: declared twice"
            declared.add(node.group(1))
        if line not in LEGEND and (link := _LINK.fullmatch(line)):
            assert {link.group(1), link.group(4)} <= declared, f"{line}: a node used before it is declared"
    assert depth == 0


def hard_ladder(directory: Path) -> Path:
    """A ladder that is hard to draw by level: two lanes, a lateral move inside one and one across
    levels and lanes, a rung with no move, a chain of rungs outside the lanes linked to nothing, a
    promotion over ten ranks, rungs leaving for different roles."""
    data = minimal_ladder("hard")
    data["parallel_tracks"] = [{"id": t, "name": f"Track {t.upper()}", "sources": ["s"]} for t in ("a", "b")]
    rungs = [("r10", 10, None), ("a20", 20, "a"), ("b20", 20, "b"), ("a30", 30, "a"), ("b35", 35, "b")]
    rungs += [("a40", 40, "a"), ("b50", 50, "b"), ("alone", 60, None), ("c70", 70, None), ("c80", 80, None)]
    rungs += [("a90", 90, "a")]
    data["rungs"] = [
        {"id": rung, "title": f"Rung {rung}", "level": level, "summary": "A rung.", "sources": ["s"]}
        | ({"track": track} if track else {})
        | {"responsibilities": [{"text": "Works.", "sources": ["s"]}]}
        for rung, level, track in rungs
    ]
    moves = [("promotion", "r10", "a20"), ("promotion", "a20", "a30"), ("promotion", "a30", "a40")]
    moves += [("lateral", "a20", "a30"), ("promotion", "b20", "b35"), ("promotion", "b35", "b50")]
    moves += [("lateral", "b35", "a30"), ("promotion", "r10", "a90"), ("promotion", "c70", "c80")]
    data["transitions"] = [{"kind": kind, "from": start, "to": end, "sources": ["s"]} for kind, start, end in moves]
    data["transitions"] += [
        {"kind": "exit", "from": start, "role": role, "sources": ["s"]}
        for start, role in (("a40", "Founder"), ("b50", "Consultant"), ("b50", "Founder"))
    ]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "hard.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return directory


@pytest.mark.parametrize("ladder", [*LADDERS, "hard"])
def test_every_link_spans_exactly_the_ranks_between_the_rows_of_its_ends(ladder: str, tmp_path: Path) -> None:
    """Mermaid's layout keeps links as short as it may: when every link can be exactly its length at
    once, and every node is linked, there is one layout, with a rank per level. Solved here as the
    layout solves it: a rank for each node from the links, which must agree; a link of ten ranks,
    the longest Mermaid reads, may be longer."""
    drawn = Drawn(chart(ladder, hard_ladder(tmp_path) if ladder == "hard" else EXAMPLES))
    ranks: dict[str, int] = {"legend": 0}
    pending = [link for link in drawn.links if length(link[1]) < 10]
    while pending:
        known = [link for link in pending if link[0] in ranks or link[2] in ranks]
        assert known, f"nodes linked to no row: {pending}"
        for start, arrow, end in known:
            if start in ranks and end in ranks:
                assert ranks[end] - ranks[start] == length(arrow), f"{start} {arrow} {end} is slack"
            elif start in ranks:
                ranks[end] = ranks[start] + length(arrow)
            else:
                ranks[start] = ranks[end] - length(arrow)
            pending.remove((start, arrow, end))
    for start, arrow, end in drawn.links:
        assert ranks[end] - ranks[start] >= length(arrow), f"{start} {arrow} {end}"
    levels: dict[int, set[int]] = {}
    for node in drawn.labels:
        level = drawn.level(node)
        if level is not None:
            levels.setdefault(level, set()).add(ranks[node])
    assert all(len(rows) == 1 for rows in levels.values()), levels  # a level, one row
    in_order = [rows.pop() for _, rows in sorted(levels.items())]
    assert in_order == sorted(set(in_order)), levels  # a higher level, a higher row


def test_a_lane_is_held_to_its_rows_top_and_bottom(tmp_path: Path) -> None:
    """Mermaid draws a box (a lane) as short as it can before it keeps links short: a lane's lowest
    and highest rungs are tied to the rows around them, or the lane would be squeezed off its rows."""
    drawn = Drawn(chart("hard", hard_ladder(tmp_path)))
    b20 = next(node for node, label in drawn.labels.items() if label.startswith("Rung b20"))
    a30 = next(node for node, label in drawn.labels.items() if label.startswith("Rung a30"))
    assert (b20, "~~~~", a30) in drawn.links


def test_a_management_rung_stands_on_the_row_of_an_ic_rung_of_its_level() -> None:
    drawn = Drawn(chart("acme"))
    (ic, management) = drawn.lanes.values()
    at_35 = [node for node in drawn.labels if drawn.level(node) == 35]
    assert len(at_35) == 2 and {*at_35} & {*ic} and {*at_35} & {*management}
    assert not any({start, end} == set(at_35) for start, _, end in drawn.links)  # no link holds one above


def test_parallel_tracks_are_lanes_of_their_own_rungs() -> None:
    text = chart("acme")
    assert 'subgraph lane1["Individual contributor"]' in text and 'subgraph lane2["Management"]' in text
    drawn = Drawn(text)
    titles = [[drawn.labels[node].split("<br/>")[0] for node in nodes] for nodes in drawn.lanes.values()]
    assert titles == [
        ["Senior Product Manager (Senior PM)", "Principal Product Manager", "Distinguished Product Manager"],
        ["Group Product Manager (GPM)", "Director of Product", "Vice President of Product (VP Product)"],
    ]


@pytest.mark.parametrize("ladder", LADDERS)
def test_only_moves_that_are_not_promotions_are_labelled(ladder: str) -> None:
    drawn = Drawn(chart(ladder))
    for start, arrow, end in drawn.links:
        kind = drawn.kind(start, end)
        assert ("|" in arrow) == (kind == "exit"), f"{start} {arrow} {end}"
        if kind == "lateral":  # through its own node, which says what it is
            assert drawn.labels.get(start) == "lateral move", f"{start} {arrow} {end}"


def test_a_lateral_move_goes_from_its_rung_through_its_node_to_the_rung_it_leads_to() -> None:
    text = chart("acme")
    principal, group_manager, move = (
        re.search(rf'(n\d+)[\[(]+"{title}', text).group(1)  # type: ignore[union-attr]
        for title in ("Principal Product Manager", "Group Product Manager", "lateral move")
    )
    assert f"  {move} -.- {principal}\n  {move} -.-> {group_manager}\n" in text


def test_the_roles_left_for_are_one_box_each_rung_one_link_to_it() -> None:
    text = chart("pm")
    box = text[text.index('  subgraph exits["Leaving the ladder"]') :].split("  end")[0]
    assert [*re.findall(r'\(\["([^"]+)"\]\):::role', box)] == [
        "General Manager",
        "Chief Operating Officer (COO)",
        "Chief Executive Officer (CEO)",
    ]
    exits = re.findall(r"  (n\d+) -\.+->\|exit\| (\S+)", text)
    assert [end for _, end in exits] == ["exits", "exits"]  # the VP and the CPO, once each


def test_a_rung_leaving_for_roles_of_its_own_links_to_each(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder("co")
    data["transitions"] += [
        {"kind": "exit", "from": "senior", "role": "Founder", "sources": ["s"]},
        {"kind": "exit", "from": "senior", "role": "Consultant", "sources": ["s"]},
        {"kind": "exit", "from": "junior", "role": "Consultant", "sources": ["s"]},
    ]
    write_ladder(tmp_path, data)
    text = chart("co", tmp_path)
    assert not re.search(r"\|exit\| exits$", text, re.M)
    assert len(re.findall(r"-\.+->\|exit\| n\d+", text)) == 3


def test_the_legend_shows_each_arrow_and_box() -> None:
    text = export("acme")  # a ladder with no other ladder and no exit has the legend all the same
    legend = text[text.index('  subgraph legend["Legend"]') :].split("  end")[0]
    assert "-->|promotion|" in legend and ':::move -.- key3["rung"]' in legend and "-.->|exit|" in legend
    assert '["rung of<br/>another ladder"]:::other' in legend and '(["role outside<br/>the ladders"]):::role' in legend
    assert re.search(r"  legend ~{3,} n\d+\n", text)  # under the lowest row


def test_other_ladders_rungs_are_drawn_by_title_and_ladder() -> None:
    text = chart("pm")
    assert '["Technical Product Manager<br/>TPM ladder, level 20"]:::other' in text
    assert not [label for label in Drawn(text).labels.values() if _RAW_REF.search(label)]
    tpm = chart("tpm")
    assert '["Senior Vice President<br/>PM ladder, level 55"]:::other' in tpm
    assert "Director of Product (Director)<br/>from the PM ladder, level 40" in tpm  # a shared rung


def test_an_other_ladders_rung_whose_level_is_given_stands_on_its_row() -> None:
    text = chart("tpm")
    assert '["Senior Vice President<br/>PM ladder, level 55"]:::other' in text
    drawn = Drawn(text)
    vp, svp, cpo = (
        next(node for node, label in drawn.labels.items() if label.startswith(title))
        for title in ("Vice President of Product", "Senior Vice President", "Chief Product Officer")
    )
    assert (vp, "-->", svp) in drawn.links and (vp, "--->", cpo) in drawn.links  # a row 55 between 50 and 60


def test_a_rung_of_another_ladder_whose_level_is_not_given_stands_a_rank_above_or_across() -> None:
    with Ladders([EXAMPLES]) as ladders:
        drawn = Drawn(mermaid(ladders.ladder("tpm")))  # no other ladder's rung named: no level known
    vp, svp, apm, atpm = (
        next(node for node, label in drawn.labels.items() if label.startswith(title))
        for title in ("Vice President of Product", "pm:senior-vp", "pm:apm", "Associate Technical")
    )
    assert (vp, "-->", svp) in drawn.links
    move = next(start for start, _, end in drawn.links if end == apm)
    assert (move, "-.-", atpm) in drawn.links  # across, from a node a rank below the row


def test_without_their_titles_other_ladders_rungs_keep_their_reference() -> None:
    with Ladders([EXAMPLES]) as ladders:
        text = mermaid(ladders.ladder("tpm"))
    assert '["pm:apm"]:::other' in text and '["pm:senior-vp"]:::other' in text


def test_an_exit_role_with_a_colon_is_a_role(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder("co")
    data["transitions"].append({"kind": "exit", "from": "senior", "role": "Head: of <b>Ops</b>", "sources": ["s"]})
    write_ladder(tmp_path, data)
    text = chart("co", tmp_path)
    assert '(["Head: of #lt;b#gt;Ops#lt;/b#gt;"]):::role' in text and ":::other" not in text.split("subgraph legend")[0]


def test_mermaid_labels_carry_no_raw_quote_or_markup(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    text = odd_chart(tmp_path, write_ladder, 'The "best" <b>rung</b> #1')
    assert '["The #quot;best#quot; #lt;b#gt;rung#lt;/b#gt; #35;1 (JT)<br/>level 10"]' in text


def test_mermaid_escapes_directives_backticks_and_markup_in_titles(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    label = odd_chart(tmp_path, write_ladder, "%%{init: {'theme':'forest'}}%% `Group` a<br/>b").splitlines()[1]
    assert "%" not in label and "`" not in label and label.count("<br/>") == 1  # only the chart's own break
    assert "#37;#37;{init" in label and "#96;Group#96;" in label and "a#lt;br/#gt;b" in label


# --- Mermaid itself ------------------------------------------------------------------------------

MERMAID_PARSE = """
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import fs from "node:fs";
const modules = process.env.MERMAID_DIR + "/node_modules/";
const { JSDOM } = createRequire(modules)("jsdom");
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(pathToFileURL(modules + "mermaid/dist/mermaid.core.mjs"));
let failed = 0;
for (const file of process.argv.slice(2)) {
  try { await mermaid.parse(fs.readFileSync(file, "utf8")); }
  catch (error) { failed++; console.log(file + ": " + String(error.message || error).slice(0, 500)); }
}
process.exit(failed ? 1 : 0);
"""


def npm_folder(*packages: str) -> Path | None:
    """The folder of node_modules the browser tests use (LADDER_NPM; LADDER_MERMAID_CHECK, which CI
    sets for the parser alone, will do for it), if node is installed and it holds `packages`."""
    for name in ("LADDER_NPM", "LADDER_MERMAID_CHECK"):
        folder = os.environ.get(name)
        if folder and shutil.which("node") and all((Path(folder) / "node_modules" / p).is_dir() for p in packages):
            return Path(folder)
    return None


def test_mermaid_parses_with_mermaid_itself(tmp_path: Path) -> None:
    """Mermaid's own parser, from the npm registry (`npm install --prefix DIR mermaid jsdom`)."""
    folder = npm_folder("mermaid", "jsdom")
    if folder is None:
        pytest.skip("no Mermaid parser: `npm install --prefix DIR mermaid@11.17.2 jsdom`, then LADDER_NPM=DIR")
    charts = []
    for ladder in LADDERS:
        for name, text in ((ladder, export(ladder)), (f"{ladder}-titled", chart(ladder))):
            (tmp_path / f"{name}.mmd").write_text(text, encoding="utf-8")
            charts.append(str(tmp_path / f"{name}.mmd"))
    script = tmp_path / "parse.mjs"
    script.write_text(MERMAID_PARSE, encoding="utf-8")
    ran = subprocess.run(
        ["node", str(script), *charts],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "MERMAID_DIR": str(folder)},
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr


# --- drawn in a browser --------------------------------------------------------------------------

_RAW_REF = re.compile(r"\b[a-z0-9]+(-[a-z0-9]+)*:[a-z0-9]+(-[a-z0-9]+)*\b")


def inside(inner: dict[str, float], outer: dict[str, float], slack: float = 0.5) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack
    )


def overlap(one: dict[str, float], other: dict[str, float]) -> bool:
    return not (
        one["x"] + one["width"] <= other["x"]
        or other["x"] + other["width"] <= one["x"]
        or one["y"] + one["height"] <= other["y"]
        or other["y"] + other["height"] <= one["y"]
    )


@pytest.mark.slow
@pytest.mark.parametrize("ladder", [*LADDERS, "hard"])
def test_mermaid_draws_rows_by_level_lanes_and_a_legend_in_a_browser(ladder: str, tmp_path: Path) -> None:
    """Mermaid's renderer (mermaid.min.js) in headless Chromium, through playwright-core; the nodes'
    boxes read back from the SVG; screenshots at 390 and 1280 px in LADDER_SHOTS (else tmp_path)."""
    folder = npm_folder("mermaid", "playwright-core")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if folder is None or browser is None:
        pytest.skip(
            "no browser or no Mermaid: `npm install --prefix DIR mermaid@11.17.2 playwright-core`, then "
            "LADDER_NPM=DIR; and Chromium (Debian: `apt-get install chromium`)"
        )
    text = chart(ladder, hard_ladder(tmp_path / "data") if ladder == "hard" else EXAMPLES)
    (tmp_path / f"{ladder}.mmd").write_text(text, encoding="utf-8")
    shots = Path(os.environ.get("LADDER_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    ran = subprocess.run(
        ["node", str(RENDER), str(shots), "390,1280", str(tmp_path / f"{ladder}.mmd")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "LADDER_NPM": str(folder), "LADDER_CHROMIUM": browser},
    )
    assert ran.returncode == 0, ran.stdout[-2000:] + ran.stderr[-2000:]
    widths = json.loads(ran.stdout)[ladder]
    drawn = Drawn(text)
    for width, seen in widths.items():
        print(f"screenshot: {seen['screenshot']}")
        assert seen["problems"] == [], seen["problems"]
        assert Path(seen["screenshot"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        boxes = {node["id"]: node["box"] for node in seen["nodes"]}
        clusters = {cluster["id"]: cluster for cluster in seen["clusters"]}

        rows: dict[int, list[float]] = {}
        for node, box in boxes.items():
            if (level := drawn.level(node)) is not None:
                rows.setdefault(level, []).append(box["y"] + box["height"] / 2)
        assert all(max(ys) - min(ys) < 1 for ys in rows.values()), rows  # a level, one row
        heights = [min(ys) for _, ys in sorted(rows.items())]
        assert all(lower > higher + 1 for lower, higher in pairwise(heights)), rows

        lanes = [clusters[lane]["box"] for lane in drawn.lanes]
        for lane, nodes in drawn.lanes.items():
            assert all(inside(boxes[node], clusters[lane]["box"]) for node in nodes), lane
        assert not any(overlap(one, other) for i, one in enumerate(lanes) for other in lanes[i + 1 :])
        placed = list(boxes.items())
        for i, (node, box) in enumerate(placed):
            for other, other_box in placed[i + 1 :]:
                assert not overlap(box, other_box), f"{node} and {other} overlap at {width} px"

        for edge in seen["edges"]:
            start, end = re.fullmatch(r"L_(\w+?)_(\w+?)_\d+", edge["id"]).groups()  # type: ignore[union-attr]
            if start.startswith("key") or start == "legend":
                continue
            kind = drawn.kind(start, end)
            assert edge["label"] == ("exit" if kind == "exit" else ""), f"{start} -> {end}: {edge['label']}"
        legend = clusters["legend"]
        assert legend["text"] == "Legend"
        keys = {node: box for node, box in boxes.items() if node.startswith("key")}
        assert len(keys) == 7 and all(inside(box, legend["box"]) for box in keys.values())
        legend_words = " ".join(node["text"] for node in seen["nodes"] if node["id"].startswith("key"))
        assert "lateral move" in legend_words and "another ladder" in legend_words and "the ladders" in legend_words
        assert {"promotion", "exit"} <= {edge["label"] for edge in seen["edges"]}

        words = [node["text"] for node in seen["nodes"]] + [c["text"] for c in seen["clusters"]]
        assert not [word for word in words if _RAW_REF.search(word)]
        if "subgraph exits" in text:
            assert clusters["exits"]["text"] == "Leaving the ladder"
        assert seen["width"] == widths["1280"]["width"]  # its own size at any width: the box scrolls
