"""Where a person stands against a rung: an assessment is a YAML file the person owns, holding one
item per expectation of the rung they aim for (its duties, skills, expectations by competency area,
and the readiness signals of the move), each with a key that survives the ladder being reordered,
its status and its evidence. It is never read as a ladder, nor searched.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError

from career_ladder.errors import InvalidLadder, LadderError, NotFound, Problem, printable
from career_ladder.loading import placed_problems
from career_ladder.models import Point, Record
from career_ladder.names import normalized
from career_ladder.results import ItemChanges, PlacedRung
from career_ladder.results.moves import Promotion
from career_ladder.values import DateAsWritten, Slug, Text
from career_ladder.yamlfile import read_document

SCHEMA_NAME = "assessment.schema.json"
Status = Literal["not-assessed", "met", "partly", "not-yet"]
Section = Literal["responsibilities", "skills", "expectations", "signals"]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.:-]*$", max_length=200)]


class Item(Record):
    """One expectation of the target rung, as the ladder words it, and where the person stands."""

    key: Key = Field(description="Stable: the point's id, or where it stands and a digest of its text.")
    section: Section
    area: Slug | None = Field(default=None, description="The competency area, for an expectation.")
    text: Text
    sources: list[Slug] = Field(default_factory=list)
    status: Status = "not-assessed"
    evidence: list[Text] = Field(default_factory=list, description="What shows it: a sentence or a link each.")


class Assessment(Record):
    """A person's assessment against the rung they aim for, in ladder `ladder`."""

    ladder: Slug
    rung: Slug = Field(description="The rung the person holds now.")
    target: Slug = Field(description="The rung they aim for.")
    date: DateAsWritten
    name: Text | None = Field(
        default=None, description="Whose it is, as `ladder readiness DIR --names` shows it (default: the file's name)."
    )
    items: Annotated[list[Item], Field(min_length=1)]


def assessment_schema() -> dict[str, Any]:
    """The JSON Schema of an assessment file, for editors (`ladder schema --assessment`)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **Assessment.model_json_schema(by_alias=True),
        "title": "assessment file",
        "description": "A self-assessment against a rung of a `ladder` career ladder.",
    }


def assessable(promotion: Promotion) -> bool:
    """Whether the sources name anything an assessment against `promotion` could hold."""
    rung = promotion.target.rung
    return bool(rung.responsibilities or rung.skills or any(rung.expectations.values()) or promotion.signals)


def started(ladder: str, current: PlacedRung, promotion: Promotion, today: datetime.date) -> Assessment:
    """A new assessment: every expectation of the rung `promotion` leads to, not assessed yet;
    NotFound when the sources name none (nor any signal of the move)."""
    target = promotion.target
    where = f"{target.ladder}.{target.rung.id}"
    items = [_item(where, section, None, point) for section, point in _points(target)]
    items += [
        _item(where, "expectations", area, point)
        for area, points in target.rung.expectations.items()
        for point in points
    ]
    items += [_item(where, "signals", None, point) for point in promotion.signals]
    if not items:
        raise NotFound(
            f"the sources name no expectation of '{target.rung.id}' nor any readiness signal of the move to it: "
            "nothing to assess"
        )
    return Assessment(ladder=ladder, rung=current.rung.id, target=target.rung.id, date=today.isoformat(), items=items)


def _points(target: PlacedRung) -> list[tuple[Section, Point]]:
    rung = target.rung
    return [("responsibilities", p) for p in rung.responsibilities] + [("skills", p) for p in rung.skills]


def _item(where: str, section: Section, area: str | None, point: Point) -> Item:
    return Item(
        key=item_key(where, section, area, point), section=section, area=area, text=point.text, sources=point.sources
    )


def item_key(where: str, section: str, area: str | None, point: Point) -> str:
    """A point's id where the data gives one (ids name one item rung-wide); else its place and a
    digest of its text as compared (spacing and case aside), so that reordering changes nothing."""
    if point.id is not None:
        return f"{where}.{point.id}"
    digest = hashlib.sha256(normalized(point.text).encode()).hexdigest()[:10]
    return ".".join(part for part in (where, section, area, digest) if part)


def changes(written: Assessment, now: Assessment) -> ItemChanges:
    """The items of `now` (the ladder today) that `written` lacks, those it has that `now` lacks,
    and of these, the pairs in one section and area whose texts are near (reworded)."""
    before = {item.key: item for item in written.items}
    after = {item.key: item for item in now.items}
    new = [item for key, item in after.items() if key not in before]
    removed = [item for key, item in before.items() if key not in after]
    reworded = []
    for item in list(removed):
        near = [
            (_likeness(item, other), other) for other in new if (other.section, other.area) == (item.section, item.area)
        ]
        score, other = max(near, key=lambda pair: pair[0], default=(0.0, None))
        if other is not None and score >= REWORDED:
            reworded.append((item, other))
            removed.remove(item)
            new.remove(other)
    return ItemChanges(new, removed, reworded)


# How near two texts must be (difflib's ratio, normalized) to be one item reworded.
REWORDED = 0.6


def _likeness(one: Item, other: Item) -> float:
    return difflib.SequenceMatcher(None, normalized(one.text), normalized(other.text)).ratio()


def assessment_text(assessment: Assessment, target_title: str, current_title: str) -> str:
    """The file a person fills in: a modeline for their editor, how to fill it in, then the data."""
    return (
        f"# yaml-language-server: $schema=./{SCHEMA_NAME}\n"
        "#\n"
        f"# Where you stand against {target_title} in ladder {assessment.ladder}, from {current_title}.\n"
        "# For each item, set `status` to met, partly or not-yet, and list under `evidence` what shows\n"
        "# it: a sentence or a link each. An item you have not looked at yet stays not-assessed.\n"
        "# The ladder describes the rung; it is not a checklist, and no count of items met promises a\n"
        "# promotion. `ladder assess check FILE` says whether the file is well formed.\n"
        f"{data_text(assessment)}"
    )


def data_text(assessment: Assessment) -> str:
    """The data of an assessment file, as YAML, below its leading comments."""
    import yaml

    data = assessment.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def leading_comments(text: str) -> str:
    """The comment block a file opens with (its editor's modeline, how to fill it in), as written:
    its lines up to the first that is neither a comment nor blank."""
    kept = []
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.startswith("#"):
            break
        kept.append(line)
    return "".join(kept)


def assessments_folder() -> Path:
    """`assessments/` in the user data directory, where `assess start` writes by default."""
    from career_ladder.datadirs import user_dir

    return user_dir().parent / "assessments"


def default_path(assessment: Assessment) -> Path:
    """`assessments/LADDER-TARGET-DATE.yaml` in the user data directory, a folder of its owner's alone."""
    folder = assessments_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / f"{assessment.ladder}-{assessment.target}-{assessment.date}.yaml"


def write_assessment(text: str, output: Path | str, guarded: Iterable[Path]) -> Path:
    """Write a new assessment file, readable by its owner alone, with its schema beside it when
    missing; never over a file, nor as a ladder file of a data directory (`guarded`)."""
    from career_ladder.files import refuse_ladder_file, write_new
    from career_ladder.render.output import json_text

    path = Path(output)
    shown = printable(str(path))
    refuse_ladder_file(path, guarded, shown, "an assessment is never read as a ladder")
    try:
        write_new(path, text, mode=0o600)  # private: it says where a person stands
        if not path.with_name(SCHEMA_NAME).exists():
            write_new(path.with_name(SCHEMA_NAME), json_text(assessment_schema()))
    except FileExistsError:
        raise LadderError(f"{shown} already exists: name another file with -o") from None
    except OSError as error:
        raise LadderError(f"cannot write {shown}: {error.strerror or error}") from None
    return path


def read_assessment(path: Path, text: str | None = None) -> Assessment:
    """The assessment in `path` (or `text`, read as that file: a blob from git); InvalidLadder with
    every problem at its place, as a ladder's are."""
    document = read_document(path, text)
    if not isinstance(document.data, dict) or "items" not in document.data:
        raise InvalidLadder(path, [Problem(str(path), 1, 1, "LDR007", "", "not an assessment: it holds no `items`")])
    try:
        assessment = Assessment.model_validate(document.data)
    except ValidationError as error:
        problems = [problem for _, problem in placed_problems(error, document, Assessment)]
        raise InvalidLadder(path, problems, "ladder assess check") from None
    first: dict[str, int] = {}
    twice = []
    for index, item in enumerate(assessment.items):
        if item.key in first:
            said = f"the key '{item.key}' is also item {first[item.key]}'s: one item an expectation"
            twice.append(document.problem("LDR202", ("items", index, "key"), said))
        first.setdefault(item.key, index)
    if twice:
        raise InvalidLadder(path, twice, "ladder assess check")
    return assessment


def in_progress(folder: Path, ladder: str, rung: str, targets: Sequence[str]) -> tuple[Path, Assessment] | None:
    """The assessment of `ladder`'s `rung` to one of `targets` last changed among the files of
    `folder` named as `assess start` names them (`LADDER-TARGET-DATE.yaml`), and its path; None when
    there is none. A file so named that is no valid assessment is an error (InvalidLadder), not
    passed over: it may be the one in progress, waiting to be mended."""
    named = re.compile("(?:" + "|".join(re.escape(f"{ladder}-{target}-") for target in targets) + r")[0-9][^/]*\.yaml")
    try:
        paths = [path for path in folder.iterdir() if named.fullmatch(path.name) and path.is_file()]
    except OSError:  # no folder yet
        return None
    for path in sorted(paths, key=lambda path: (path.stat().st_mtime_ns, path.name), reverse=True):
        assessment = read_assessment(path)
        if (assessment.ladder, assessment.rung) == (ladder, rung) and assessment.target in targets:
            return path, assessment
    return None


def answered(assessment: Assessment, key: str, status: Status, evidence: Sequence[str] = ()) -> Assessment:
    """`assessment` with the item `key` given `status` and `evidence` added to its own (a sentence
    or a link each); LadderError for evidence that is no text a file may hold."""
    items = list(assessment.items)
    index = next((i for i, item in enumerate(items) if item.key == key), None)
    if index is None:
        raise LadderError(f"the assessment has no item '{printable(key)}'")
    item = items[index]
    try:
        items[index] = Item.model_validate(
            {**item.model_dump(), "status": status, "evidence": [*item.evidence, *evidence]}
        )
    except ValidationError as error:
        reason = error.errors()[0]["msg"]
        raise LadderError(f"not kept: {printable(reason)}") from None
    return assessment.model_copy(update={"items": items})


def rewrite_assessment(path: Path, assessment: Assessment, guarded: Iterable[Path]) -> Path:
    """Write `assessment` over the file `path`, whole or not at all (a temporary file renamed over
    it): its leading comments as they were, then the data; its mode kept (a file gone meanwhile is
    made again, readable by its owner alone)."""
    from career_ladder.files import write_new, write_whole

    try:
        comments = leading_comments(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        try:
            write_new(path, data_text(assessment), mode=0o600)
        except OSError as error:
            raise LadderError(f"cannot write {printable(str(path))}: {error.strerror or error}") from None
        return path
    except (OSError, UnicodeDecodeError) as error:
        raise LadderError(f"cannot read {printable(str(path))}: {getattr(error, 'strerror', None) or error}") from None
    write_whole(path, comments + data_text(assessment), guarded, "an assessment is never read as a ladder")
    return path


def assessment_files(folder: Path) -> list[Path]:
    """The YAML files of `folder` (regular files, not its subfolders, nor names starting with `.`),
    by name: the assessments of a team."""
    try:
        return sorted(
            path
            for path in folder.iterdir()
            if path.suffix.lower() in (".yaml", ".yml") and not path.name.startswith(".") and path.is_file()
        )
    except OSError as error:
        raise LadderError(f"cannot read {printable(str(folder))}: {error.strerror or error}") from None
