"""`ladder diff`: what a change to a ladder file changes, in the data, not in the text.

Both files are read and validated; then their data is compared as data: items with an `id` are
matched by it, points by their text, moves by their kind and ends, other items (figures) by their
content, mappings key by key, text with its spacing normalized. So reordering keys or list items
and reflowing text change nothing; a figure changed in place is compared field by field.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from career_ladder.currencies import figure_label
from career_ladder.errors import InvalidLadder, LadderError, printable
from career_ladder.results.diff import Change, LadderDiff
from career_ladder.yamlfile import field_path as _path

Where = tuple[str, ...]
_BY_TEXT = "\0"  # the key of a point: its text
_AGAIN = "\1"  # the key of a second item with the same key


class DiffError(LadderError):
    """A side of the diff that cannot be read: exit 2, as `diff` does."""


def diff(old: str, new: str) -> LadderDiff:
    """The changes from the ladder file `old` to `new`; either may be `REV:path`, read through git."""
    before, after = _read(old), _read(new)
    return LadderDiff(old, new, list(_changes(before, after, ())))


def _read(spec: str) -> dict[str, Any]:
    """A side's validated data, as the models dump it."""
    return _loaded(*side(spec, "a ladder file"), spec)


def side(spec: str, what: str) -> tuple[Path, str | None]:
    """The file `spec` names, and its text when it is `REV:path`, read through git (None: read the
    file itself); `what` says what it should be ("a ladder file"), in a message."""
    path = Path(spec)
    if not os.path.lexists(path) and re.fullmatch(r"[^:]+:.+", spec):
        revision, _, name = spec.partition(":")
        return Path(name), _git_blob(revision, name, spec, what)
    if not os.path.lexists(path):
        raise DiffError(f"no file '{printable(spec)}' (a revision is written REV:path, as in HEAD~1:{_example(what)})")
    return path, None


def _example(what: str) -> str:
    return "ladders/acme.yaml" if what == "a ladder file" else "assessments/me.yaml"


def _loaded(path: Path, text: str | None, spec: str) -> dict[str, Any]:
    """The side's data; any problem but a file name that differs from the id (`acme-v2.yaml`)."""
    from career_ladder.loading import checked_ladder
    from career_ladder.yamlfile import read_document

    try:
        ladder, problems, _ = checked_ladder(read_document(path, text))
    except InvalidLadder as error:
        ladder, problems = None, error.problems
    problems = [problem for problem in problems if problem.code != "LDR201"]
    if ladder is None or problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DiffError(f"{problems[0]._replace(path=spec)}{more}")
    data: dict[str, Any] = ladder.model_dump(mode="json", by_alias=True)
    return data


def _git_blob(revision: str, name: str, spec: str, what: str) -> str:
    """The file `name` (relative to the current directory, as git reads `REV:./name`) at `revision`.
    Git is asked on its standard input (no argument of ours is read as an option), and a blob is
    weighed before it is read."""
    from career_ladder.yamlfile import MAX_BYTES

    shown = printable(spec)
    if revision.startswith("-"):
        raise DiffError(f"'{shown}': a revision never starts with '-'")
    if ".." in revision or revision.startswith("^") or "\n" in spec:
        raise DiffError(f"'{printable(revision)}' is not a revision: name one commit, as in HEAD~1:{_example(what)}")
    target = name if name.startswith(("./", "../", "/")) else f"./{name}"
    reply = _git(["cat-file", "--batch-check"], spec, f"{revision}:{target}\n").decode("utf-8", "replace").strip()
    found = reply.split(" ")
    if reply.endswith((" missing", " ambiguous")) or len(found) != 3:  # git says why when asked directly
        _git(["cat-file", "-t", "--end-of-options", f"{revision}:{target}"], spec)
        raise DiffError(f"cannot read '{shown}' from git")
    sha, kind, size = found
    if kind == "tree":
        raise DiffError(f"'{shown}' is a folder in git, not {what}")
    if kind != "blob":
        raise DiffError(f"'{shown}' is a {printable(kind)} in git, not {what}")
    if int(size) > MAX_BYTES:
        raise DiffError(
            f"'{shown}' is larger than the {MAX_BYTES // 1024 // 1024} MiB {what.removesuffix(' file')} may be"
        )
    blob = _git(["cat-file", "blob", sha], spec)
    try:
        return blob.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DiffError(f"'{shown}' is not UTF-8 text (byte 0x{blob[error.start]:02x})") from None


def _git(args: list[str], spec: str, given: str = "") -> bytes:
    """What `git ARGS` writes; DiffError with all git says (every line of it) when it fails."""
    try:
        done = subprocess.run(["git", *args], input=given.encode(), capture_output=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DiffError(f"cannot run git to read '{printable(spec)}': {error}") from None
    if done.returncode != 0:
        said = " ".join(line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip())
        raise DiffError(f"cannot read '{printable(spec)}' from git: {printable(said or 'git failed')}")
    return done.stdout


def _changes(before: Any, after: Any, where: Where) -> Iterator[Change]:
    if isinstance(before, dict) and isinstance(after, dict):
        if ("shared" in before) != ("shared" in after):  # an own rung became a shared one, or back
            yield Change(_path(where), "changed", before, after)
            return
        for key in [*before, *(k for k in after if k not in before)]:
            if key not in after:
                yield Change(_path((*where, key)), "removed", before[key], None)
            elif key not in before:
                yield Change(_path((*where, key)), "added", None, after[key])
            else:
                yield from _changes(before[key], after[key], (*where, key))
    elif isinstance(before, list) and isinstance(after, list):
        yield from _list_changes(before, after, where)
    elif _normalized(before) == _normalized(after):
        return
    else:
        yield Change(_path(where), "changed", before, after)


def _list_changes(before: list[Any], after: list[Any], where: Where) -> Iterator[Change]:
    """Items matched by id, text or ends, whatever their order; the figures a list lost and gained
    (matched by content) paired in order and compared field by field, each named by its amounts."""
    old, new = _keyed(before), _keyed(after)
    for key, item in old.items():
        if key in new and isinstance(item, dict):
            yield from _changes(item, new[key], (*where, *_label(key, inside=True)))
    lost = [key for key in old if key not in new]
    gained = [key for key in new if key not in old]
    pairs = list(zip([k for k in lost if _figure(old[k])], [k for k in gained if _figure(new[k])], strict=False))
    for was, now in pairs:
        for change in _changes(old[was], new[now], (*where, f"[{figure_label(old[was])}]")):
            amount = change.where.rpartition(".")[2] in ("min", "max", "average")
            yield change._replace(currency=old[was].get("currency")) if amount else change
    paired = {key for pair in pairs for key in pair}
    for key in lost:
        if key not in paired:
            yield Change(_path((*where, *_label(key))), "removed", old[key], None)
    for key in gained:
        if key not in paired:
            yield Change(_path((*where, *_label(key))), "added", None, new[key])


def _keyed(items: list[Any]) -> dict[str, Any]:
    """Items by key; a second item of the same key (a point written twice) keeps its own."""
    keyed: dict[str, Any] = {}
    counted: dict[str, int] = {}  # how often each key came: the nth copy of a point is its own key
    for item in items:
        key = _key(item)
        counted[key] = count = counted.get(key, 0) + 1
        keyed[key if count == 1 else f"{key}{_AGAIN}{count}"] = item
    return keyed


def _figure(item: Any) -> bool:
    """A pay figure without an id: matched by content, so one changed in place is lost and gained."""
    return isinstance(item, dict) and "currency" in item and not isinstance(item.get("id"), str)


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


def _label(key: str, inside: bool = False) -> tuple[str, ...]:
    """Where an item stands under its list: `[id]` or `[promotion a → b]`; a point (or figure) added
    or removed, shown whole beside it, by its list alone; a point changed inside, by its first words."""
    key = key.split(_AGAIN)[0]
    if key.startswith(_BY_TEXT):
        text = key[len(_BY_TEXT) :]
        return (f"[{text if len(text) <= 30 else text[:27] + '...'}]",) if inside else ()
    return (key,) if key.startswith("[") else ()


def _normal(text: str) -> str:
    """Text as compared: its spacing and line breaks aside (a reflowed paragraph is the same)."""
    return " ".join(text.split())


def _normalized(value: Any) -> Any:
    if isinstance(value, str):
        return _normal(value)
    if isinstance(value, list):
        return [_normalized(item) for item in value]
    if isinstance(value, dict):
        return {key: _normalized(item) for key, item in value.items()}
    return value
