"""Reading one ladder file safely, with a line and column for every problem.

PyYAML on its own is not enough here: it keeps the last of two duplicate keys (silently losing
data), it expands aliases without limit (a "billion laughs" file eats all memory) and, with the
unsafe loaders, builds Python objects from tags. So the file is only *composed* into a node tree
(by the C parser where available), and this module turns nodes into plain data itself: it knows
every node's position, refuses duplicate keys and unknown tags, and caps the expanded size.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ladder.errors import InvalidLadder, Problem
from ladder.models import UNION_TAGS, Ladder

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 100
LADDER_SUFFIXES = (".yaml", ".yml")

Loc = tuple[str | int, ...]
Position = tuple[int, int]

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_SEQUENCE_TAG = "tag:yaml.org,2002:seq"
_MAPPING_TAG = "tag:yaml.org,2002:map"


@dataclass
class Document:
    """A file's data as plain Python values, and where each value stands in the file."""

    path: Path
    data: Any
    positions: dict[Loc, Position] = field(default_factory=dict)

    def position(self, loc: Loc) -> Position:
        """The position of `loc`, or of its nearest ancestor that the file has."""
        for end in range(len(loc), -1, -1):
            found = self.positions.get(loc[:end])
            if found:
                return found
        return (1, 1)


@dataclass(frozen=True)
class LoadedLadder:
    ladder: Ladder
    document: Document


class _Stop(Exception):
    """A problem that ends reading the file (no position makes sense after it)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def read_ladder(path: Path) -> LoadedLadder:
    """The validated ladder in `path`, or InvalidLadder with every problem found in it."""
    document = read_document(path)
    problems = list(ladder_problems(document))
    if problems:
        raise InvalidLadder(path, problems)
    return LoadedLadder(Ladder.model_validate(document.data), document)


def read_document(path: Path) -> Document:
    """The plain data of a YAML file; raises InvalidLadder for anything that is not clean YAML."""
    try:
        text = _read_text(path)
        node = _compose(path, text)
        builder = _Builder(path)
        data = builder.build(node, ())
    except _Stop as stop:
        raise InvalidLadder(path, [stop.problem]) from None
    if builder.problems:
        raise InvalidLadder(path, builder.problems)
    return Document(path, data, builder.positions)


def ladder_problems(document: Document) -> Iterator[Problem]:
    """Every schema and rule problem in a parsed file, each with its line, column and field."""
    path, data = document.path, document.data
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {_yaml_kind(data)}"
        yield Problem(str(path), 1, 1, "LDR007", "", f"a ladder file holds a mapping at the top, this one is {kind}")
        return
    stated_id = data.get("id")
    if isinstance(stated_id, str) and stated_id != path.stem:
        line, column = document.position(("id",))
        yield Problem(
            str(path),
            line,
            column,
            "LDR201",
            "id",
            f"id '{stated_id}' differs from the file name '{path.name}' (name the file {stated_id}{path.suffix})",
        )
    try:
        Ladder.model_validate(data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            loc = tuple(part for part in detail["loc"] if part not in UNION_TAGS)
            line, column = document.position(loc)
            code, message = _describe(detail, loc)
            yield Problem(str(path), line, column, code, field_path(loc), message)


def field_path(loc: Loc) -> str:
    """`("rungs", 2, "salary", 0, "min")` as `rungs[2].salary[0].min`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(detail: Mapping[str, Any], loc: Loc) -> tuple[str, str]:
    kind = str(detail["type"])
    if kind.startswith("LDR"):
        return kind, str(detail["msg"])
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else ""
        hint = difflib.get_close_matches(name, _fields_at(loc[:-1]), n=1)
        return "LDR101", f"unknown field '{name}'" + (f" (did you mean '{hint[0]}'?)" if hint else "")
    if kind == "missing":
        return "LDR102", f"missing required field '{loc[-1]}'" if loc else "missing required field"
    given = repr(detail.get("input"))
    if len(given) > 60:
        given = given[:57] + "..."
    return "LDR103", f"{detail['msg']} (got {given})"


def _fields_at(loc: Loc) -> list[str]:
    """The field names the model allows at `loc`, for did-you-mean hints."""
    annotation: Any = Ladder
    for part in loc:
        annotation = _step(annotation, part)
    models = [m for m in _models_in(annotation)]
    return [f.alias or name for m in models for name, f in m.model_fields.items()]


def _step(annotation: Any, part: str | int) -> Any:
    for model in _models_in(annotation):
        if isinstance(part, str):
            for name, info in model.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation
    if isinstance(part, int):
        for arg in _args(annotation):
            if typing.get_origin(arg) is list:
                return typing.get_args(arg)[0]
    return None


def _args(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _args(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in _args(arg)]
    return [annotation]


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    for arg in _args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            yield arg


def _yaml_kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise _Stop(Problem(str(path), 1, 1, "LDR001", "", "is a directory, not a ladder file")) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise _Stop(Problem(str(path), 1, 1, "LDR001", "", f"cannot read the file: {reason}")) from None
    if len(raw) > MAX_BYTES:
        raise _Stop(
            Problem(
                str(path),
                1,
                1,
                "LDR002",
                "",
                f"the file is larger than the {MAX_BYTES // 1024 // 1024} MiB a ladder may be",
            )
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise _Stop(
            Problem(str(path), line, column, "LDR001", "", f"not UTF-8 text (byte 0x{raw[error.start]:02x})")
        ) from None


def _compose(path: Path, text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = " ".join(filter(None, [error.context, error.problem]))
        raise _Stop(Problem(str(path), line, column, "LDR003", "", f"YAML syntax: {reason}")) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        raise _Stop(
            Problem(str(path), line, column, "LDR003", "", f"YAML syntax: character {error.character!r} is not allowed")
        ) from None
    except yaml.YAMLError as error:
        raise _Stop(Problem(str(path), 1, 1, "LDR003", "", f"YAML syntax: {error}")) from None
    except RecursionError:
        raise _Stop(Problem(str(path), 1, 1, "LDR005", "", "the YAML is nested too deeply")) from None


class _Builder:
    """Turns a node tree into plain data, noting positions and refusing what YAML should not do here."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.positions: dict[Loc, Position] = {}
        self.problems: list[Problem] = []
        self.nodes = 0
        self._scalars = yaml.constructor.SafeConstructor()

    def _problem(self, node: yaml.Node, code: str, message: str, loc: Loc) -> Problem:
        return Problem(
            str(self.path), node.start_mark.line + 1, node.start_mark.column + 1, code, field_path(loc), message
        )

    def build(self, node: yaml.Node | None, loc: Loc) -> Any:
        if node is None:
            return None
        self.nodes += 1
        if self.nodes > MAX_NODES or len(loc) > MAX_DEPTH:
            what = f"more than {MAX_NODES:,} values" if self.nodes > MAX_NODES else f"deeper than {MAX_DEPTH} levels"
            raise _Stop(self._problem(node, "LDR005", f"the file expands to {what} (aliases?)", loc))
        self.positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode) and node.tag == _MAPPING_TAG:
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQUENCE_TAG:
            return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.tag in _SCALAR_TAGS:
            return self._scalars.construct_object(node)
        self.problems.append(
            self._problem(node, "LDR006", f"the tag '{node.tag}' is not allowed in a ladder file", loc)
        )
        return None

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    self._problem(key_node, "LDR006", "merge keys (<<) are not supported; write the fields out", loc)
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self.problems.append(self._problem(key_node, "LDR003", "a mapping key must be a plain value", loc))
                continue
            key = self._scalars.construct_object(key_node)
            key_loc = (*loc, str(key))
            if key in first_seen:
                self.problems.append(
                    self._problem(
                        key_node,
                        "LDR004",
                        f"duplicate key '{key}' (first at line {first_seen[key]}); YAML would keep only the last",
                        key_loc,
                    )
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.positions[key_loc] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, key_loc)
        return result
