"""Files to start from. `ladder init`: a new ladder file to fill in, valid from the start, with a
comment per section, or the skeleton of an existing ladder (its rungs, tracks, areas and moves,
citing its sources). `ladder examples`: copies of the example ladders to try the commands on."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from career_ladder.errors import BadArgument, LadderError, printable
from career_ladder.files import write_new
from career_ladder.names import SLUG
from career_ladder.results import Copied, Created

SCHEMA_NAME = "ladder.schema.json"

_HEADER = """\
# yaml-language-server: $schema=./{schema}
#
# {id}: a career ladder for `ladder`. Fill in each section, then check it with
# `ladder validate {file}` (it names every problem with its line). Every field is described in
# `ladder schema`; a company's tracks, competencies and pay: docs/company-ladders.md.
"""

_COMMENTS = {
    "id": "",
    "sources": "\n# Where the facts come from: every statement below cites one of these ids.\n",
    "parallel_tracks": "\n# Tracks that run side by side at one seniority (delete this section for a single track).\n",
    "competencies": "\n# The areas each rung states expectations in (a rung's `expectations`, by area id).\n",
    "rungs": (
        "\n# The rungs, lowest first. `level` lines rungs up across ladders: 10 associate, 20 PM,\n"
        "# 30 senior, 40 director, 50 VP, 60 CPO, with gaps for your own. Add `responsibilities`,\n"
        "# `signals` (readiness for the next rung), `expectations`, `years` and `salary` (or\n"
        "# `pay_not_published`); `ladder validate` warns about a rung with no responsibilities.\n"
    ),
    "transitions": "\n# The moves: promotion (up), lateral (across), exit (out, to a `role`).\n",
}


def _made_directory(directory: Path) -> Path | None:
    """`directory`, made with its parents when missing; the first folder made is returned, for a
    failed run to take away all it made. A file in its place is an error."""
    if directory.is_dir():
        return None
    if os.path.lexists(directory):
        raise LadderError(f"{printable(str(directory))} is not a directory")
    first = directory
    while not os.path.lexists(first.parent) and first.parent != first:
        first = first.parent
    try:
        directory.mkdir(parents=True)
    except OSError as error:
        raise LadderError(f"cannot make the directory {printable(str(directory))}: {error.strerror or error}") from None
    return first


def init(ladder_id: str, directory: Path, start: dict[str, Any] | None, schema: dict[str, Any]) -> Created:
    """Write `directory/ladder_id.yaml` (never over a file) and the schema beside it if missing;
    `start`: the data of the ladder to start from (`--from`), as `show -f json` gives it."""
    import re

    if not re.fullmatch(SLUG, ladder_id) or len(ladder_id) > 64:
        raise BadArgument(
            f"a ladder id is kebab-case (lowercase letters, digits, hyphens), got '{printable(ladder_id)}'"
        )
    path = directory / f"{ladder_id}.yaml"
    for existing in (path, directory / f"{ladder_id}.yml"):  # either would be the ladder's file
        if os.path.lexists(existing):
            raise LadderError(f"{printable(str(existing))} already exists: `ladder init` never overwrites a file")
    schema_path = directory / SCHEMA_NAME
    kept = _schema_kept(schema_path)
    made = _made_directory(directory)
    text = _HEADER.format(schema=SCHEMA_NAME, id=ladder_id, file=path) + _yaml(_skeleton(ladder_id, start))
    try:
        write_new(path, text)
        if kept:
            return Created(path, None, directory if made else None)
        try:
            write_new(schema_path, json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
        except OSError:
            path.unlink()  # all or nothing: a retry starts from where this one did
            raise
    except OSError as error:
        if made:
            shutil.rmtree(made, ignore_errors=True)
        if isinstance(error, FileExistsError) and error.filename == str(path):
            raise LadderError(f"{printable(str(path))} already exists: `ladder init` never overwrites a file") from None
        raise LadderError(f"cannot write in {printable(str(directory))}: {error.strerror or error}") from None
    return Created(path, schema_path, directory if made else None)


def _schema_kept(path: Path) -> bool:
    """Whether a schema of `ladder` is already at `path` (kept: it may be an older version's); an
    error when something else is in its place, before anything is written."""
    if not os.path.lexists(path):
        return False
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "not JSON"
        found, why = None, reason
    else:
        why = "another file"
    if isinstance(found, dict) and found.get("title") == "ladder file" and "$schema" in found:
        return True
    raise LadderError(
        f"{printable(str(path))} is in the way: it is not the schema of a ladder file ({why}); move it, then run again"
    )


def write_examples(directory: Path, examples: Path, schema: dict[str, Any]) -> Copied:
    """Copy every ladder file under `examples` into `directory`, its first line pointing at the
    schema, which is written beside them when missing; all or nothing, never over a file."""
    sources = sorted(path for path in examples.rglob("*.y*ml") if path.is_file())
    targets = [directory / path.relative_to(examples) for path in sources]
    for target in targets:
        if os.path.lexists(target):
            raise LadderError(f"{printable(str(target))} already exists: `ladder examples` never overwrites a file")
    kept = _schema_kept(directory / SCHEMA_NAME)
    made = _made_directory(directory)
    written: list[Path] = []
    try:
        for source, target in zip(sources, targets, strict=True):
            target.parent.mkdir(exist_ok=True)
            up = "../" * (len(target.relative_to(directory).parts) - 1) or "./"
            body = source.read_text(encoding="utf-8").split("\n", 1)[1]  # the first line points at the schema
            with open(target, "x", encoding="utf-8") as file:
                written.append(target)
                file.write(f"# yaml-language-server: $schema={up}{SCHEMA_NAME}\n{body}")
        if not kept:
            with open(directory / SCHEMA_NAME, "x", encoding="utf-8") as file:
                written.append(directory / SCHEMA_NAME)
                file.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    except OSError as error:
        for path in reversed(written):  # nothing half made is left behind
            path.unlink(missing_ok=True)
        if made:
            shutil.rmtree(made, ignore_errors=True)
        raise LadderError(f"cannot write in {printable(str(directory))}: {error.strerror or error}") from None
    return Copied(written, directory if made else None)


def _skeleton(ladder_id: str, start: dict[str, Any] | None) -> dict[str, Any]:
    own = {"id": "handbook", "title": "Our career framework"}
    if start is None:
        cite = ["handbook"]
        return {
            "id": ladder_id,
            "name": f"{ladder_id} product management",
            "summary": "How product managers grow here.",
            "sources": [own],
            "rungs": [
                {"id": "pm", "title": "Product Manager", "level": 20, "sources": cite},
                {"id": "senior-pm", "title": "Senior Product Manager", "level": 30, "sources": cite},
            ],
            "transitions": [{"kind": "promotion", "from": "pm", "to": "senior-pm", "sources": cite}],
        }
    kept = ("id", "title", "aliases", "level", "kind", "track", "optional", "sources")
    rungs = []
    for rung in start["rungs"]:
        if rung.get("shared"):  # the very rung of another ladder stays shared
            rungs.append({"shared": rung["shared"], **({"track": rung["track"]} if rung.get("track") else {})})
        else:
            rungs.append({key: rung[key] for key in kept if rung.get(key) not in (None, [], False)})
    # What the other ladder says of its sources, without the fields it leaves empty, nor the file
    # of our own seed texts a source names (no such file is beside a team's ladder).
    theirs = [{k: v for k, v in source.items() if v is not None and k != "file"} for source in start["sources"]]
    data: dict[str, Any] = {
        "id": ladder_id,
        "name": f"{ladder_id} (from {start['name']})",
        "summary": f"Starts from the structure of the '{start['id']}' ladder.",
        "sources": theirs if any(source["id"] == own["id"] for source in theirs) else [own, *theirs],
    }
    for section in ("parallel_tracks", "competencies"):
        if start.get(section):
            data[section] = [{k: v for k, v in item.items() if v is not None} for item in start[section]]
    data["rungs"] = rungs
    ids = {rung.get("id") or rung["shared"].partition(":")[2] for rung in rungs}
    moves = [
        {key: move[key] for key in ("kind", "from", "to", "role", "sources") if move.get(key)}
        for move in start.get("transitions", [])
        if move["from"] in ids and (move.get("to") in ids or ":" in (move.get("to") or "") or move.get("role"))
    ]
    if moves:
        data["transitions"] = moves
    return data


def _yaml(data: dict[str, Any]) -> str:
    """The data as block YAML, each section under its comment."""
    from career_ladder.yamlfile import block_yaml

    return "".join(_COMMENTS.get(key, "") + block_yaml({key: value}) for key, value in data.items())
