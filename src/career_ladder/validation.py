"""`ladder validate`: every problem in the files, and the rules that span files.

Files are read afresh, not from the store, since a cross-file problem needs every value's position.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from career_ladder.catalog import Catalog, follow_share
from career_ladder.datadirs import DataDir, LadderFile, ladder_file, ladder_files, twin_files
from career_ladder.errors import InvalidLadder, LadderError, Loc, NotFound, Problem
from career_ladder.extending import Bases, Merged, extend
from career_ladder.loading import LoadedLadder, check_file
from career_ladder.models import Ladder, Rung, SharedRung
from career_ladder.names import named_suggestion, nearest_named, normalized, suggestion
from career_ladder.overlay import overlay_loc
from career_ladder.results import Origins, ValidationReport
from career_ladder.rules import falling_promotion, rung_refs
from career_ladder.yamlfile import Document


def validate(catalog: Catalog, paths: Sequence[Path] = ()) -> ValidationReport:
    """Every problem in `paths` (default: every data directory), references checked across files."""
    problems: list[Problem] = []
    targets: list[LadderFile] = []
    for path in paths:
        try:
            if path.is_dir():
                targets += ladder_files(DataDir(path, "argument"))
            elif os.path.lexists(path):
                targets.append(ladder_file(path))
            else:
                problems.append(Problem(str(path), 1, 1, "LDR001", "", "no such file or directory"))
        except OSError as error:
            problems.append(Problem(str(path), 1, 1, "LDR001", "", f"cannot read it: {error.strerror or error}"))
    unreadable = {problem.path for problem in problems}  # paths asked for that are not there: they count as files
    context: list[Ladder] = []
    unloadable: dict[str, Path] = {}
    in_view: Catalog | None = None
    if paths:
        # In view: the data directories, and the folders of the files named (a pre-commit hook names
        # only the files a commit touches; the ladders beside them are what they extend or share).
        folders = sorted({path if path.is_dir() else path.parent for path in paths if os.path.lexists(path)})
        in_view = Catalog([*catalog.directories, *(DataDir(folder, "argument") for folder in folders)])
        context, broken = in_view.loaded()
        unloadable = {error.path.stem: error.path for error in broken}
    else:
        targets = catalog.files()
    targets = list({_identity(t.path): t for t in targets}.values())  # `validate . x.yaml` reads x.yaml once
    checked: list[LoadedLadder] = []
    for target in targets:
        loaded, found = check_file(target.path)
        problems += found
        if loaded is not None:
            checked.append(loaded)
        else:
            unloadable[target.id] = target.path
    checked = _merged(catalog, in_view, checked, unloadable, problems)
    problems += twin_files(targets)
    overriders = _overriders(catalog, checked)
    problems += cross_problems(checked, context, unloadable, overriders)
    every = [*context, *(item.ladder for item in checked)]
    if paths and overriders:
        # The ladders in view that point into a ladder these files replace: does it still hold?
        checked_ids = {item.ladder.id for item in checked}
        dependents = []
        for other in context:
            if other.id not in checked_ids and any(_refers_to(other, ladder_id) for ladder_id in overriders):
                dependent_file = catalog.find(other.id)
                loaded = check_file(dependent_file.path)[0] if dependent_file else None
                if loaded is not None:
                    dependents.append(loaded)
        caused = cross_problems(dependents, every, unloadable, overriders)
        problems += [problem for problem in caused if problem.code == "LDR304"]
    problems = _folded(problems, checked, every)
    if paths and not targets and not problems:
        raise NotFound("no ladder files (*.yaml, *.yml) in the paths given")
    catalog.warnings = [warning for warning in catalog.warnings if warning not in problems]  # said once
    problems += [problem for item in checked for problem in unsummarised(item)]
    warnings = [warning for item in checked for warning in questionable(item)]
    return ValidationReport(len(targets) + len(unreadable), sorted(set(problems)), sorted(warnings))


def _own_rungs(item: LoadedLadder) -> Iterator[tuple[int, Rung]]:
    """The file's own rungs, with their index; an overlay answers only for those it writes or changes."""
    document = item.document
    overlay = document.overlay if isinstance(document, MergedDocument) else None
    own = {entry.id for entry in overlay.rungs} | set(overlay.change) if overlay else None
    for index, rung in enumerate(item.ladder.rungs):
        if isinstance(rung, Rung) and (own is None or rung.id in own):
            yield index, rung


def unsummarised(item: LoadedLadder) -> Iterator[Problem]:
    """A rung with duties but neither a summary nor `duties_not_stated` (LDR218), which the format does
    not allow. Only `validate` refuses it: the other commands show the rung scoped by its first duty."""
    for index, rung in _own_rungs(item):
        if (rung.responsibilities or rung.expectations) and rung.summary is None and rung.duties_not_stated is None:
            message = (
                f"rung '{rung.id}' has duties but no summary: add `summary:`, what the rung is in a sentence or two"
            )
            yield item.document.problem("LDR218", ("rungs", index), message)


def questionable(item: LoadedLadder) -> Iterator[Problem]:
    """What loads but reads wrong: a rung with no duties that does not say its sources give none
    (LDR401); two rungs equivalent to one rung, which `compare` lines up with one only (LDR402)."""
    own = dict(_own_rungs(item))
    for index, rung in own.items():
        # Expectations in competency areas are duties too: a company framework often has only those.
        if not (rung.responsibilities or rung.expectations) and rung.duties_not_stated is None:
            also = " (and a `summary`)" if rung.summary is None else ""
            message = (
                f"rung '{rung.id}' lists no responsibilities: add them{also}, or say the sources give none "
                "with `duties_not_stated: {sources: [...]}`"
            )
            yield item.document.problem("LDR401", ("rungs", index), message)
    claimed: dict[str, str] = {}
    for index, entry in enumerate(item.ladder.rungs):
        for ref_index, ref in enumerate(entry.equivalent if isinstance(entry, Rung) else ()):
            if ref in claimed and index in own:
                message = (
                    f"'{claimed[ref]}' is equivalent to '{ref}' too: `compare` lines up one rung with it, "
                    "the first; keep the equivalence on the rung that corresponds"
                )
                yield item.document.problem("LDR402", ("rungs", index, "equivalent", ref_index), message)
            claimed.setdefault(ref, entry.id)


def _merged(
    catalog: Catalog,
    in_view: Catalog | None,
    checked: list[LoadedLadder],
    unloadable: dict[str, Path],
    problems: list[Problem],
) -> list[LoadedLadder]:
    """The files checked, each overlay merged over the ladder it extends (among them or `in_view`);
    its problems join `problems` at their place in its file, and a broken one is left out."""
    items = {item.ladder.id: item for item in checked}
    done: dict[str, Merged | InvalidLadder] = {}

    def resolved(item: LoadedLadder) -> Merged:
        """An overlay checked, merged once; its problems are told once."""
        ladder_id = item.ladder.id
        if ladder_id not in done:
            document = item.document
            bases = Bases(
                extended=extended,
                replaced=lambda: _in_catalog(catalog, catalog.replaced_by(document.path)),
                ladder_ids=lambda: [*items, *(in_view.winners() if in_view else ())],
                level_of=level_of,
                extends_of=extends_of,
            )
            try:
                done[ladder_id] = extend(item.ladder, document.path, lambda loc: _where(document, loc), bases)
            except InvalidLadder as error:
                problems.extend(error.problems)
                done[ladder_id] = error
        found = done[ladder_id]
        if isinstance(found, InvalidLadder):
            raise found
        return found

    def extended(ladder_id: str) -> Merged | None:
        """The ladder of `ladder_id`: a file checked (unless it has problems), else one in view."""
        item = items.get(ladder_id)
        path = item.document.path if item else unloadable.get(ladder_id)
        told = [problem for problem in problems if path is not None and problem.path == str(path)]
        if path is not None and told:
            raise InvalidLadder(path, told)
        if item is not None:
            return resolved(item) if item.ladder.extends is not None else Merged(item.ladder, Origins())
        return _in_catalog(in_view, in_view.find(ladder_id)) if in_view else None

    def extends_of(ladder_id: str) -> str | None:
        item = items.get(ladder_id)
        if item is not None:
            return item.ladder.extends
        return in_view.extends_of(ladder_id) if in_view and ladder_id not in unloadable else None

    def ladder_of(ladder_id: str) -> Ladder | None:
        found = extended(ladder_id)
        return found.ladder if found else None

    def level_of(entry: Rung | SharedRung) -> int | None:
        try:
            return entry.level if isinstance(entry, Rung) else follow_share(entry.shared, ladder_of)[1].level
        except LadderError:
            return None

    def below(item: LoadedLadder) -> Iterator[LoadedLadder]:
        """The overlays checked under `item`, top down, to the first merged already or a circle."""
        seen = [item]
        base = items.get(item.ladder.extends or "")
        while base is not None and base.ladder.extends is not None and base.ladder.id not in done and base not in seen:
            yield base
            seen.append(base)
            base = items.get(base.ladder.extends)

    kept = []
    for item in checked:
        if item.ladder.extends is None or items[item.ladder.id] is not item:  # a file another one replaces
            kept.append(item)
            continue
        for base in reversed(list(below(item))):  # merged from the bottom up: no chain is too long
            with contextlib.suppress(InvalidLadder):  # said when it is checked
                resolved(base)
        try:
            merged = resolved(item).ladder
        except InvalidLadder:  # a ladder that refers to it is told its file does not load
            unloadable[item.ladder.id] = item.document.path
            continue
        kept.append(LoadedLadder(merged, MergedDocument(item.document, merged, item.ladder)))
    return kept


def _where(document: Document, loc: Loc) -> tuple[int, int, str]:
    return (*document.position(loc), document.field_path(loc))


def _in_catalog(catalog: Catalog, found: LadderFile | None) -> Merged | None:
    """The ladder of a file in `catalog`, with where its parts come from; raises InvalidLadder."""
    if found is None:
        return None
    ladder = catalog.load(found)
    return Merged(ladder, catalog.origins(ladder, found.path))


class MergedDocument(Document):
    """An overlay's file, asked for the place of a part of the merged ladder."""

    def __init__(self, document: Document, merged: Ladder, overlay: Ladder) -> None:
        super().__init__(document.path, document.data, document.positions)
        self.merged, self.overlay = merged, overlay

    def position(self, loc: Loc) -> tuple[int, int]:
        return super().position(overlay_loc(loc, self.merged, self.overlay))


def _folded(problems: list[Problem], checked: Sequence[LoadedLadder], every: Sequence[Ladder]) -> list[Problem]:
    """A misspelt `shared:` (`pm:directr`) is told as the cause of the references to the rung it meant."""
    by_id = {ladder.id: ladder for ladder in every}
    folded = list(problems)
    for item in checked:
        path = str(item.document.path)
        for index, entry in enumerate(item.ladder.rungs):
            if not isinstance(entry, SharedRung):
                continue
            home_id, _, rung_id = entry.shared.partition(":")
            home = by_id.get(home_id)
            if home is None or home.rung(rung_id) is not None:
                continue
            near = nearest_named(rung_id, home.rung_names())  # as LDR303's did-you-mean has it
            if near is None or item.ladder.rung(near.id) is not None:
                continue
            knock_on = f"no rung '{near.id}' in this ladder"
            followers = [p for p in folded if p.path == path and p.code == "LDR203" and p.message.startswith(knock_on)]
            line = item.document.position(("rungs", index, "shared"))[0]
            causes = [p for p in folded if p.path == path and p.code == "LDR303" and p.line == line]
            if not followers or not causes:
                continue
            cause, where = causes[0], ", ".join(f"{p.field} (line {p.line})" for p in followers)
            told = cause._replace(
                message=f"{cause.message}; the references to '{near.id}' in this file wait on it: {where}"
            )
            folded = [told if p is cause else p for p in folded if p not in followers]
    return folded


def _overriders(catalog: Catalog, checked: Sequence[LoadedLadder]) -> dict[str, tuple[LoadedLadder, list[str]]]:
    """By ladder id, the file checked that replaces other files of that id, and their paths."""
    last = {item.ladder.id: item for item in checked}
    found = {}
    for ladder_id, item in last.items():
        mine = _identity(item.document.path)
        others = [str(f.path) for f in catalog.files() if f.id == ladder_id and _identity(f.path) != mine]
        if others:
            found[ladder_id] = (item, others)
    return found


def _refers_to(ladder: Ladder, ladder_id: str) -> bool:
    """Whether `ladder` names a rung of ladder `ladder_id`, or compares itself with it."""
    compared = any(c.with_ == ladder_id for c in ladder.comparisons)
    named = any(ref.startswith(f"{ladder_id}:") for _, ref in rung_refs(ladder))
    return ladder.extends == ladder_id or compared or named


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop still names one file
        return path.absolute()


def cross_problems(
    ladders: Iterable[LoadedLadder],
    every: Sequence[Ladder],
    unloadable: Mapping[str, Path],
    overriders: Mapping[str, tuple[LoadedLadder, list[str]]],
) -> Iterator[Problem]:
    """The rules that span files, for `ladders`, resolving references against `every` (the ladders
    in view: a company ladder may point at a built-in one) too. `unloadable`: the files of ladders
    that do not load; `overriders`: by ladder id, a file that replaces others of that id (and their
    paths), where a reference into it that breaks is told, the cause (LDR304)."""
    checked = list(ladders)
    by_id = {ladder.id: ladder for ladder in [*every, *(item.ladder for item in checked)]}

    def problem(item: LoadedLadder, code: str, loc: Loc, message: str, ref: str = "") -> Problem:
        cause = overriders.get(ref.partition(":")[0])
        if cause is None or cause[0] is item:
            return item.document.problem(code, loc, message)
        overrider, replaced = cause
        rung_id = ref.partition(":")[2]
        index = next((i for i, rung in enumerate(overrider.ladder.rungs) if rung.id == rung_id), None)
        line, column = item.document.position(loc)
        message = (
            f"{message}: ladder '{item.ladder.id}' needs it at {item.document.path}:{line}:{column} "
            f"({item.document.field_path(loc)}), written for the '{overrider.ladder.id}' this file replaces "
            f"({', '.join(replaced)})"
        )
        return overrider.document.problem("LDR304", ("rungs", index) if index is not None else ("rungs",), message)

    def resolve(ref: str, within: Ladder) -> Rung | str:
        """The rung `ref` names (`x`, in `within`, or `other:x`), or why it names none."""

        def ladder_of(ladder_id: str) -> Ladder | None:
            if ladder_id not in by_id and ladder_id in unloadable:
                raise NotFound(
                    f"ladder '{ladder_id}' (for '{ref}') is in a file that does not load: {unloadable[ladder_id]}"
                )
            return by_id.get(ladder_id)

        ladder_id, _, rung_id = ref.partition(":") if ":" in ref else (within.id, ":", ref)
        home = by_id.get(ladder_id)
        if home is not None and home.rung(rung_id) is None:  # the rung the user meant, by its title too
            return f"no rung '{rung_id}' in ladder '{ladder_id}'{named_suggestion(rung_id, home.rung_names())}"
        try:
            return follow_share(ref if ":" in ref else f"{within.id}:{ref}", ladder_of, lambda: list(by_id))[1]
        except NotFound as error:
            return str(error)

    for item in checked:
        ladder = item.ladder
        for loc, ref in rung_refs(ladder):
            if (":" in ref or loc[2] == "shared") and isinstance(found := resolve(ref, ladder), str):
                yield problem(item, "LDR303", loc, found, ref)
        for index, transition in enumerate(ladder.transitions):
            refs = (transition.from_, transition.to or "")
            # Promotions between two rungs of this file were checked when the file loaded.
            if transition.kind != "promotion" or all(":" not in r and isinstance(ladder.rung(r), Rung) for r in refs):
                continue
            low, high = (resolve(ref, ladder) for ref in refs)
            message = falling_promotion(transition, low, high)
            if message:
                across = next((ref for ref in reversed(refs) if ":" in ref), "")
                yield problem(item, "LDR205", ("transitions", index, "to"), message, across)
        for index, comparison in enumerate(ladder.comparisons):
            loc = ("comparisons", index, "with")
            if comparison.with_ in unloadable:
                message = f"ladder '{comparison.with_}' is in a file that does not load: {unloadable[comparison.with_]}"
                yield problem(item, "LDR303", loc, message)
            elif comparison.with_ not in by_id:
                hint = suggestion(comparison.with_, list(by_id))
                message = f"no ladder '{comparison.with_}' to compare with{hint}"
                yield problem(item, "LDR303", loc, message, comparison.with_)

    yield from _name_clashes(checked, every)


def _name_clashes(checked: list[LoadedLadder], every: Sequence[Ladder]) -> Iterator[Problem]:
    """A ladder name (id or alias) must lead to one ladder only; ids are claimed before aliases."""
    checked_ids = {item.ladder.id for item in checked}
    # Only the ladders checked have positions to report; the others are in view to claim names.
    in_view: list[tuple[LoadedLadder | None, Ladder]] = [(None, lad) for lad in every if lad.id not in checked_ids]
    in_view += [(item, item.ladder) for item in checked]
    names: list[tuple[LoadedLadder | None, Ladder, Loc, str]] = [(item, lad, ("id",), lad.id) for item, lad in in_view]
    names += [(item, lad, ("aliases", i), alias) for item, lad in in_view for i, alias in enumerate(lad.aliases)]
    owners: dict[str, str] = {}
    for item, lad, loc, name in names:
        owner = owners.setdefault(normalized(name), lad.id)
        if owner != lad.id and item is not None:
            yield item.document.problem("LDR302", loc, f"the name '{name}' already stands for ladder '{owner}'")
