"""A ladder from one file: the file's data (`yamlfile`) validated by the models and by the rules of
the whole file, each problem with its line and column; and, for `validate`, the ladder of a file
with problems, without the items whose fields are wrong, so that one run reports everything.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from career_ladder.errors import InvalidLadder, Loc, Problem
from career_ladder.messages import describe
from career_ladder.models import UNION_TAGS, Ladder
from career_ladder.yamlfile import Document, Position, child, read_document


@dataclass(frozen=True)
class LoadedLadder:
    ladder: Ladder
    document: Document


def read_ladder(path: Path) -> LoadedLadder:
    """The validated ladder in `path`, or InvalidLadder with every problem found in it."""
    document = read_document(path)
    ladder, problems, _ = checked_ladder(document)
    if ladder is None or problems:
        raise InvalidLadder(path, problems)
    return LoadedLadder(ladder, document)


def check_file(path: Path) -> tuple[LoadedLadder | None, list[Problem]]:
    """For `validate`: the file's every problem, and its ladder when its fields are whole (whatever
    rules of the file it breaks), so that the rules across files are checked in the same run."""
    try:
        document = read_document(path)
    except InvalidLadder as error:
        return None, error.problems
    ladder, problems, cuts = checked_ladder(document)
    if ladder is None:
        return None, problems
    return LoadedLadder(ladder, CutDocument(document, cuts) if cuts else document), problems


class CutDocument(Document):
    """A file whose ladder left out items with a wrong field: places in it are mapped back."""

    def __init__(self, document: Document, cuts: Cuts) -> None:
        super().__init__(document.path, document.data, document.positions)
        self.cuts = cuts

    def position(self, loc: Loc) -> Position:
        return super().position(_in_file(loc, self.cuts))

    def field_path(self, loc: Loc) -> str:
        return super().field_path(_in_file(loc, self.cuts))


def checked_ladder(document: Document) -> tuple[Ladder | None, list[Problem], Cuts]:
    """The file's ladder, every problem with its place, and the items left out for a wrong field."""
    path, data = document.path, document.data
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {_YAML_KINDS.get(type(data), type(data).__name__)}"
        message = f"a ladder file holds a mapping at the top, this one is {kind}"
        return None, [Problem(str(path), 1, 1, "LDR007", "", message)], {}
    problems = []
    stated_id = data.get("id")
    if isinstance(stated_id, str) and stated_id != path.stem:
        message = f"id '{stated_id}' differs from the file name '{path.name}' (name the file {stated_id}{path.suffix})"
        problems.append(document.problem("LDR201", ("id",), message))
    removed: set[str] = set()  # the ids of the items left out because a field of theirs is wrong
    cuts: Cuts = {}
    try:
        ladder = Ladder.model_validate(data)
    except ValidationError as error:
        placed = placed_problems(error, document)
        locs = [loc for loc, _ in placed]
        problems += [problem for _, problem in placed]
        # The rest of the file is still checked, without the items those fields are in, so that one
        # round of fixes is enough; a reference to a left-out item is not told.
        repaired, cuts = _without(data, locs, removed)
        try:
            ladder = Ladder.model_validate(repaired)
        except ValidationError:
            return None, problems, cuts
    from career_ladder.rules import ladder_problems

    for fault in ladder_problems(ladder):  # the rules of the whole file, the ladder kept for the rest
        loc = _in_file(fault.loc, cuts)
        if not cuts or (fault.value not in removed and loc not in cuts):  # else a knock-on of a left-out item
            problems.append(document.problem(fault.code, loc, fault.message))
    return ladder, problems, cuts


def placed_problems(
    error: ValidationError, document: Document, root: type[BaseModel] = Ladder
) -> list[tuple[Loc, Problem]]:
    """Each error pydantic found in the data of `document` (a file of `root`), with its code,
    message and place in the file: the one way a field's problem is told, for any kind of file."""
    placed = []
    for detail in error.errors(include_url=False):
        loc = tuple(part for part in detail["loc"] if part not in UNION_TAGS and part != "[key]")
        code, message = describe(detail, loc, document.data, root)
        placed.append((loc, document.problem(code, loc, message)))
    return placed


_YAML_KINDS: dict[type, str] = {list: "list", str: "string"}
Cuts = dict[Loc, set[int]]  # by list (as the file has it), the indices of the items left out


def _in_file(loc: Loc, cuts: Cuts) -> Loc:
    """A place in the data without the left-out items, as it stands in the file."""
    placed: list[str | int] = []
    for part in loc:
        if isinstance(part, int):
            for gone in sorted(cuts.get(tuple(placed), ())):
                if gone <= part:
                    part += 1
        placed.append(part)
    return tuple(placed)


def _without(data: dict[str, Any], locs: list[Loc], removed: set[str]) -> tuple[dict[str, Any], Cuts]:
    """A copy of `data` without the innermost list item that holds each of `locs` (the ids of the
    items left out are added to `removed`), and what was cut; a wrong top-level text gets a stand-in."""
    repaired = copy.deepcopy(data)
    cuts: Cuts = {}
    for loc in locs:
        last = max((i for i, part in enumerate(loc) if isinstance(part, int)), default=None)
        if last is None:
            if len(loc) == 1 and loc[0] in ("name", "summary"):
                repaired[str(loc[0])] = "(to be fixed)"
            continue
        cuts.setdefault(loc[:last], set()).add(int(loc[last]))
    for parent, indices in sorted(cuts.items(), key=lambda cut: -len(cut[0])):
        node = functools.reduce(child, parent, repaired)
        if not isinstance(node, list):
            continue
        for index in sorted(indices, reverse=True):
            if index < len(node):
                item = node.pop(index)
                if isinstance(item, dict):
                    ident = item.get("id") or str(item.get("shared", "")).partition(":")[2]
                    removed.update([ident] if isinstance(ident, str) and ident else [])
    return repaired, cuts
