"""Reading a YAML file safely into plain data, with the line and column of every value.

PyYAML's loaders are not enough here: they keep the last of two duplicate keys (silently losing
data), expand aliases without limit (a "billion laughs" file eats all memory), recurse once per
level of nesting (a deep file overflows the C stack), read `010` as 8 and `yes` as true, and the
unsafe ones build Python objects from tags. So this module reads the parser's *events* (the C
parser where available, which is iterative) and builds plain data itself, in one pass with its
own stack: it knows every value's position, refuses duplicate keys and tags, resolves scalars as
YAML 1.2's core schema does, and caps depth and the size aliases expand to before it is reached.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from career_ladder.errors import InvalidLadder, Loc, Problem, printable

if TYPE_CHECKING:
    import yaml

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 100

Position = tuple[int, int]


@dataclass
class Document:
    """A file's data as plain Python values, and where each value stands in the file."""

    path: Path
    data: Any
    positions: dict[Loc, Position] = field(default_factory=dict)

    def field_path(self, loc: Loc) -> str:
        """`loc` as a path, an item of a list named by its id where it has one: `rungs[principal-pm].level`."""
        named: list[str | int] = []
        node = self.data
        for part in loc:
            item = child(node, part)
            ident = (item.get("id") or item.get("shared")) if isinstance(item, dict) and isinstance(part, int) else None
            named.append(f"[{ident}]" if isinstance(ident, str) and _NAMEABLE.fullmatch(ident) else part)
            node = item
        return field_path(tuple(named))

    def position(self, loc: Loc) -> Position:
        """The position of `loc`, or of its nearest ancestor that the file has."""
        for end in range(len(loc), -1, -1):
            found = self.positions.get(loc[:end])
            if found:
                return found
        return (1, 1)

    def problem(self, code: str, loc: Loc, message: str) -> Problem:
        return Problem(str(self.path), *self.position(loc), code, self.field_path(loc), message)


def child(node: Any, part: str | int) -> Any:
    """The value under `part` in a mapping or list of the data; None where there is none."""
    if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
        return node[part]
    return node.get(part) if isinstance(part, str) and isinstance(node, dict) else None


class _Stop(Exception):
    """A problem that ends reading the file (no position makes sense after it)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def read_document(path: Path, text: str | None = None) -> Document:
    """The plain data of a YAML file (or of `text`, read as that file: a blob from git); raises
    InvalidLadder for anything that is not clean YAML."""
    try:
        builder = _Builder(path)
        data = builder.build(_read_text(path) if text is None else text)
    except _Stop as stop:
        raise InvalidLadder(path, [stop.problem]) from None
    document = Document(path, data, builder.positions)
    if builder.problems:  # the data is whole: a list item is named by its id
        raise InvalidLadder(path, [p._replace(field=document.field_path(loc)) for p, loc in builder.problems])
    return document


def field_path(loc: Loc) -> str:
    """`("rungs", 2, "salary", 0, "min")` as `rungs[2].salary[0].min`; a part already in brackets
    (`"[principal-pm]"`, from `Document.field_path`) as it is."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.startswith("["):
            text += part
        else:
            text += f".{part}" if text else part
    return text


_NAMEABLE = re.compile(r"([a-z0-9][a-z0-9-]{0,63}:)?[a-z0-9][a-z0-9-]{0,63}")  # an id, or a shared rung's ref


def _read_text(path: Path) -> str:
    try:
        # O_NONBLOCK: a FIFO named like a ladder must not hang the reader.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            os.close(descriptor)
            kind = "is a directory, not a YAML file" if stat.S_ISDIR(mode) else "is not a regular file"
            raise _Stop(Problem(str(path), 1, 1, "LDR001", "", kind))
        with open(descriptor, "rb") as file:  # and closes the descriptor
            raw = file.read(MAX_BYTES + 1)
    except OSError as error:  # the file cannot be opened, or EIO and the like once it is
        reason = error.strerror or str(error)
        raise _Stop(Problem(str(path), 1, 1, "LDR001", "", f"cannot read the file: {reason}")) from None
    if len(raw) > MAX_BYTES:
        limit = MAX_BYTES // 1024 // 1024
        message = f"the file is larger than the {limit} MiB a ladder or an assessment may be"
        raise _Stop(Problem(str(path), 1, 1, "LDR002", "", message))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"not UTF-8 text (byte 0x{raw[error.start]:02x})"
        raise _Stop(Problem(str(path), line, column, "LDR001", "", message)) from None


def _tab_in_indent(text: str, line: int) -> tuple[int, int] | None:
    """The place of a tab in the indentation of `line` or of the one before: the parser names it
    only as a character that "cannot start any token", sometimes a line late."""
    lines = text.splitlines()
    for number in (line, line - 1):
        if 1 <= number <= len(lines):
            content = lines[number - 1]
            indent = content[: len(content) - len(content.lstrip(" \t-"))]  # `- ` items are indentation too
            if "\t" in indent:
                return number, indent.index("\t") + 1
    return None


_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
# Numbers with a leading zero (`010`) stay text: YAML 1.1 reads them as octal, 1.2 as decimal.
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|(0|[1-9][0-9]*)(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NULLS = {"", "~", "null", "Null", "NULL"}
_MAY_BE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def plain_scalar(text: str) -> Any:
    """A plain (unquoted) scalar as YAML 1.2's core schema reads it; a bad date raises ValueError."""
    if text and text[0] not in _MAY_BE_NOT_TEXT:  # most values are sentences: no pattern to try
        return text
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text) and ("." in text or "e" in text.lower()):
        return float(text)
    if text.lower() in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text.lower()]
    if _DATE.fullmatch(text):
        return datetime.date.fromisoformat(text)
    return text


@dataclass
class _Open:
    """A mapping or sequence still being read."""

    value: dict[str, Any] | list[Any]
    loc: Loc
    anchor: str | None
    size_at_start: int
    key: str | None = None  # a mapping's key waiting for its value
    key_is_bad: bool = False
    first_line: dict[str, int] = field(default_factory=dict)
    flow: bool = False  # written `{a: b, c: d}`
    key_end: int = 0  # where the waiting key ends in the text
    text: tuple[str, str] | None = None  # the last key whose value is text, and that text
    cut_off: list[str] = field(default_factory=list)  # the keys with no value after it


class _Builder:
    """Plain data from the parser's events, with positions, and every problem YAML hides."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.positions: dict[Loc, Position] = {}
        self.problems: list[tuple[Problem, Loc]] = []  # and where each stands
        self.size = 0
        self.used_aliases = False
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.text = ""

    def _report(self, event: Any, code: str, message: str, loc: Loc) -> None:
        self.problems.append((self._problem(event, code, message, loc), loc))

    def _problem(self, event: Any, code: str, message: str, loc: Loc) -> Problem:
        mark = event.start_mark
        return Problem(str(self.path), mark.line + 1, mark.column + 1, code, field_path(loc), message)

    def build(self, text: str) -> Any:
        import yaml  # here, not at the top: a command served from the store never parses YAML

        try:
            loader: Any = yaml.CSafeLoader
        except AttributeError:  # PyYAML built without libyaml
            loader = yaml.SafeLoader
        self.text = text
        stack: list[_Open] = []
        result: Any = None
        documents = 0
        try:
            scalar, mapping = yaml.ScalarEvent, yaml.MappingStartEvent
            sequence, alias = yaml.SequenceStartEvent, yaml.AliasEvent
            ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
            for event in yaml.parse(text, Loader=loader):
                kind = type(event)  # dispatch on the exact class: this loop runs once per value
                if kind in ends:
                    done = stack.pop()
                    self._cut_text(done)
                    if done.anchor:
                        self.anchors[done.anchor] = (done.value, self.size - done.size_at_start)
                    result = self._attach(stack, done.value, event, done.loc)
                    continue
                if kind is not scalar and kind is not mapping and kind is not sequence and kind is not alias:
                    if kind is yaml.DocumentStartEvent:
                        documents += 1
                        if documents > 1:
                            message = "YAML syntax: a ladder or an assessment is one document"
                            raise _Stop(self._problem(event, "LDR003", message, ()))
                    continue
                loc = self._next_loc(stack)
                self.size += 1
                if self.size > MAX_NODES or len(stack) >= MAX_DEPTH:
                    raise _Stop(self._problem(event, "LDR005", self._too_big(len(stack) >= MAX_DEPTH), loc))
                node: Any = event
                mark = node.start_mark
                if loc not in self.positions:
                    self.positions[loc] = (mark.line + 1, mark.column + 1)
                if kind is not alias and node.tag:
                    message = f"the tag '{node.tag}' is not allowed in a ladder or an assessment; write plain values"
                    self._report(event, "LDR006", message, loc)
                if kind is scalar:
                    value = self._scalar(node, loc)
                    if node.anchor:
                        self.anchors[node.anchor] = (value, 1)
                    result = self._attach(stack, value, event, loc)
                elif kind is mapping:
                    stack.append(_Open({}, loc, node.anchor, self.size, flow=bool(node.flow_style)))
                elif kind is sequence:
                    stack.append(_Open([], loc, node.anchor, self.size))
                else:
                    result = self._attach(stack, self._alias(node, loc), event, loc)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            # libyaml 0.2.6 (PyYAML 6.0.4's wheels) refuses nesting deeper than 1,000 levels itself,
            # and in flow style it does so before any event reaches our own check.
            if "nesting depth" in f"{error.context} {error.problem}":
                raise _Stop(Problem(str(self.path), line, column, "LDR005", "", self._too_big(True))) from None
            reason = " ".join(filter(None, [error.context, error.problem]))
            # The parser says "a tab character that violates indentation", or "found character '\t'
            # that cannot start any token" (the C parser, or where the tab leads a `- ` item).
            tab = _tab_in_indent(text, line) if "tab" in reason or "cannot start any token" in reason else None
            if tab:
                at, where = tab
                message = f"a tab in the indentation of line {at} (column {where}): YAML indents with spaces only"
                raise _Stop(Problem(str(self.path), at, where, "LDR003", "", message)) from None
            raise _Stop(Problem(str(self.path), line, column, "LDR003", "", f"YAML syntax: {reason}")) from None
        except yaml.reader.ReaderError as error:
            line = text.count("\n", 0, error.position) + 1
            column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
            message = f"YAML syntax: the character {printable(chr(error.character))} is not allowed"
            raise _Stop(Problem(str(self.path), line, column, "LDR003", "", message)) from None
        except yaml.YAMLError as error:
            raise _Stop(Problem(str(self.path), 1, 1, "LDR003", "", f"YAML syntax: {error}")) from None
        return result

    def _too_big(self, too_deep: bool) -> str:
        if too_deep:
            return f"the YAML is nested deeper than {MAX_DEPTH} levels"
        expands = " once its aliases are expanded" if self.used_aliases else ""
        return f"the file holds more than {MAX_NODES:,} values{expands}"

    def _next_loc(self, stack: list[_Open]) -> Loc:
        if not stack:
            return ()
        parent = stack[-1]
        if isinstance(parent.value, list):
            return (*parent.loc, len(parent.value))
        return (*parent.loc, parent.key) if parent.key is not None else parent.loc

    def _alias(self, event: yaml.AliasEvent, loc: Loc) -> Any:
        self.used_aliases = True
        if event.anchor not in self.anchors:
            message = f"YAML syntax: the alias *{event.anchor} has no anchor before it"
            raise _Stop(self._problem(event, "LDR003", message, loc))
        value, size = self.anchors[event.anchor]
        # An alias costs what its anchor holds: that is what validation will walk.
        self.size += size
        if self.size > MAX_NODES:
            raise _Stop(self._problem(event, "LDR005", self._too_big(False), loc))
        return value

    def _scalar(self, event: yaml.ScalarEvent, loc: Loc) -> Any:
        if not event.implicit[0]:  # quoted, or tagged: text as written
            return event.value
        try:
            return plain_scalar(event.value)
        except ValueError as error:
            self._report(event, "LDR003", f"'{event.value}' is not a valid date: {error}", loc)
            return event.value

    def _attach(self, stack: list[_Open], value: Any, event: Any, loc: Loc) -> Any:
        """Put a finished value into its parent; the top-level value is returned."""
        if not stack:
            return value
        parent = stack[-1]
        if isinstance(parent.value, list):
            parent.value.append(value)
        elif parent.key is None and not parent.key_is_bad:
            if not isinstance(value, str):
                self._report(event, "LDR003", "a mapping key must be text", loc)
                parent.key_is_bad = True
            elif value in parent.first_line:
                key_loc = (*parent.loc, value)
                message = (
                    f"duplicate key '{value}' (first at line {parent.first_line[value]}); YAML would keep only the last"
                )
                self._report(event, "LDR004", message, key_loc)
                parent.key_is_bad = True
            else:
                parent.key, parent.key_end = value, event.end_mark.index
                parent.first_line[value] = event.start_mark.line + 1
                self.positions[(*parent.loc, value)] = (event.start_mark.line + 1, event.start_mark.column + 1)
        else:
            if parent.key is not None:
                parent.value[parent.key] = value
                # `{text: research, and more}`: the comma ends the text and `and more` is a key with
                # no value at all (not even `:`), which no ladder file means to write.
                empty = value is None and event.start_mark.index == event.end_mark.index
                if parent.flow and empty and ":" not in self.text[parent.key_end : event.start_mark.index]:
                    parent.cut_off.append(parent.key)
                else:
                    self._cut_text(parent)
                    parent.text = (parent.key, value) if isinstance(value, str) else None
            parent.key, parent.key_is_bad = None, False
        return None

    def _cut_text(self, mapping: _Open) -> None:
        """Report the keys with no value that a comma cut off the text before them, if any."""
        if not mapping.cut_off:
            return
        line, column = self.positions.get((*mapping.loc, mapping.cut_off[0]), (1, 1))
        named = ", ".join(f"'{key}'" for key in mapping.cut_off)
        became = "a field" if len(mapping.cut_off) == 1 else "fields"
        if mapping.text is None:
            message = f"{named} has no value: inside `{{…}}` write `key: value`, and quote text that holds a comma"
        else:
            key, text = mapping.text
            whole = ", ".join([text, *mapping.cut_off])
            quoted = '"' + whole + '"' if '"' not in whole else "'" + whole.replace("'", "''") + "'"
            message = (
                f"a comma ends the text inside `{{…}}`, so {named} became {became}: quote the text, {key}: {quoted}"
            )
        problem = Problem(str(self.path), line, column, "LDR003", field_path(mapping.loc), message)
        self.problems.append((problem, mapping.loc))
        mapping.cut_off, mapping.text = [], None


def block_yaml(value: Any) -> str:
    """`value` as block YAML a person edits, which `read_document` reads back as the same data: no
    `&anchors`, short lists of names on one line (`sources: [handbook]`), and a text quoted where
    YAML 1.2 would read it as something else (`0E0`, `2024-01-31`, `null`)."""
    import yaml

    class Plain(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]  # libyaml's emitter when built
        def ignore_aliases(self, data: Any) -> bool:
            return True

    def text(dumper: yaml.SafeDumper, data: str) -> Any:
        try:
            same = plain_scalar(data) == data and isinstance(plain_scalar(data), str)
        except ValueError:
            same = False
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=None if same else "'")

    def items(dumper: yaml.SafeDumper, data: list[Any]) -> Any:
        short = len(data) <= 8 and all(isinstance(item, str) and len(item) <= 40 for item in data)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=bool(data) and short)

    Plain.add_representer(str, text)
    Plain.add_representer(list, items)
    return yaml.dump(value, Dumper=Plain, sort_keys=False, allow_unicode=True, width=100)
