"""`ladder diff`: what a change to a ladder file changes, in the data, not in the text.

Both files are read and validated; then their data is compared as data: items with an `id` are
matched by it, points by their text (case and spacing aside), other items (moves) by their
content, mappings key by key, text with its spacing normalized. So reordering keys or list items
and reflowing text change nothing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from career_ladder.errors import InvalidLadder, LadderError, printable

Where = tuple[str, ...]
_BY_TEXT = "\0"  # the key of a point: its text


class Change(NamedTuple):
    where: str  # `rungs[director].level`
    change: str  # added, removed, changed
    before: Any
    after: Any

    def record(self) -> dict[str, Any]:
        return self._asdict()


class LadderDiff(NamedTuple):
    old: str
    new: str
    changes: list[Change]

    def record(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "equal": not self.changes,
            "changes": [change.record() for change in self.changes],
        }


class DiffError(LadderError):
    """A side of the diff that cannot be read: exit 2, as `diff` does."""


def diff(old: str, new: str) -> LadderDiff:
    """The changes from the ladder file `old` to `new`; either may be `REV:path`, read through git."""
    before, after = _read(old), _read(new)
    return LadderDiff(old, new, list(_changes(before, after, ())))


def _read(spec: str) -> dict[str, Any]:
    """A side's validated data, as the models dump it."""
    from career_ladder.loading import read_ladder

    path = Path(spec)
    if not os.path.lexists(path) and re.fullmatch(r"[^:]+:.+", spec):
        revision, _, name = spec.partition(":")
        text = _git_show(revision, name, spec)
        with tempfile.TemporaryDirectory(prefix="ladder-diff-") as folder:
            copy = Path(folder) / Path(name).name
            copy.write_text(text, encoding="utf-8")
            return _loaded(copy, spec, read_ladder)
    if not os.path.lexists(path):
        raise DiffError(f"no file '{printable(spec)}' (a revision is written REV:path, as in HEAD~1:ladders/acme.yaml)")
    return _loaded(path, spec, read_ladder)


def _loaded(path: Path, spec: str, read: Any) -> dict[str, Any]:
    try:
        data: dict[str, Any] = read(path).ladder.model_dump(mode="json", by_alias=True)
        return data
    except InvalidLadder as error:
        first = error.problems[0]
        more = f" (and {len(error.problems) - 1} more)" if len(error.problems) > 1 else ""
        raise DiffError(f"{printable(spec)}:{first.line}:{first.column}: {first.code}: {first.message}{more}") from None


def _git_show(revision: str, name: str, spec: str) -> str:
    """The file `name` (relative to the current directory, as git reads `REV:./name`) at `revision`."""
    target = name if name.startswith(("./", "../", "/")) else f"./{name}"
    try:
        shown = subprocess.run(
            ["git", "show", f"{revision}:{target}"], capture_output=True, text=True, check=False, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DiffError(f"cannot run git to read '{printable(spec)}': {error}") from None
    if shown.returncode != 0:
        reason = (shown.stderr.strip().splitlines() or ["git failed"])[-1]
        raise DiffError(f"cannot read '{printable(spec)}' from git: {printable(reason)}")
    return shown.stdout


def _changes(before: Any, after: Any, where: Where) -> Iterator[Change]:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*before, *(k for k in after if k not in before)]:
            if key not in after:
                yield Change(_path((*where, key)), "removed", before[key], None)
            elif key not in before:
                yield Change(_path((*where, key)), "added", None, after[key])
            else:
                yield from _changes(before[key], after[key], (*where, key))
    elif isinstance(before, list) and isinstance(after, list):
        yield from _list_changes(before, after, where)
    elif _same(before, after):
        return
    else:
        yield Change(_path(where), "changed", before, after)


def _list_changes(before: list[Any], after: list[Any], where: Where) -> Iterator[Change]:
    """Items matched by id, by text (points) or by content, whatever their order."""
    old = {_key(item): item for item in before}
    new = {_key(item): item for item in after}
    for key, item in old.items():
        if key not in new:
            yield Change(_path((*where, *_label(key))), "removed", item, None)
        elif isinstance(item, dict):
            yield from _changes(item, new[key], (*where, *_label(key)))
    for key, item in new.items():
        if key not in old:
            yield Change(_path((*where, *_label(key))), "added", None, item)


def _key(item: Any) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"[{item['id']}]"
    if isinstance(item, dict) and isinstance(item.get("shared"), str):
        return f"[{item['shared'].partition(':')[2]}]"
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        return _BY_TEXT + _normal(item["text"])
    if isinstance(item, dict) and isinstance(item.get("from"), str):  # a move: by its kind and ends
        return f"[{item.get('kind')} {item['from']} → {item.get('to') or item.get('role')}]"
    return json.dumps(_normalized(item), sort_keys=True, ensure_ascii=False)


def _label(key: str) -> tuple[str, ...]:
    """Where an item stands under its list: `[id]` or `[promotion a → b]`; a point or a figure, shown
    whole beside it, by its list alone."""
    return (key,) if key.startswith("[") else ()


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, str) and isinstance(after, str):
        return _normal(before) == _normal(after)
    return bool(before == after)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _normalized(value: Any) -> Any:
    if isinstance(value, str):
        return _normal(value)
    if isinstance(value, list):
        return [_normalized(item) for item in value]
    if isinstance(value, dict):
        return {key: _normalized(item) for key, item in value.items()}
    return value


def _path(where: Where) -> str:
    text = ""
    for part in where:
        text += part if part.startswith("[") else (f".{part}" if text else part)
    return text
