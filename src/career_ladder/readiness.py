"""Where a person stands, read from their assessment: per section and competency area how the
items stand, the gaps with the readiness signals that speak to them, what moved since an earlier
assessment, and how many people of a folder meet each expectation. The ladder describes a rung; it
is no checklist, so nothing here says a person will or should be promoted."""

from __future__ import annotations

import re
from collections.abc import Sequence

from career_ladder.assessment import Assessment, Item
from career_ladder.models import Source
from career_ladder.names import normalized
from career_ladder.results import ItemChanges
from career_ladder.results.moves import NextView, Promotion
from career_ladder.results.readiness import (
    STATUSES,
    Calibration,
    Calibrations,
    Gap,
    Progress,
    Readiness,
    Standing,
    Tally,
    counted,
)

SECTION_NAMES = {
    "responsibilities": "Responsibilities",
    "skills": "Skills",
    "expectations": "Expectations",
    "signals": "Readiness signals",
}


def readiness(
    path: str,
    assessment: Assessment,
    view: NextView,
    promotion: Promotion,
    area_names: dict[str, str],
    changes: ItemChanges,
    sources: list[Source],
    progress: Progress | None = None,
) -> Readiness:
    """The readiness report of `assessment` against the ladder as it is now (`view`, `promotion`)."""
    current = view.current.rung
    asked_now: set[tuple[str, str | None, str]] = {
        ("responsibilities", None, normalized(p.text)) for p in current.responsibilities
    }
    asked_now |= {("skills", None, normalized(p.text)) for p in current.skills}
    asked_now |= {("expectations", area, normalized(p.text)) for area, ps in current.expectations.items() for p in ps}
    carried = [item for item in assessment.items if (item.section, item.area, normalized(item.text)) in asked_now]
    folded = {item.key for item in carried}
    signals = [item for item in assessment.items if item.section == "signals"]
    gaps = [
        Gap(item, _speaking_to(item, signals) if item.section != "signals" else [])
        for status in ("not-yet", "partly")
        for item in assessment.items
        if item.status == status and item.key not in folded
    ]
    return Readiness(
        path,
        assessment,
        view.current,
        promotion.target,
        _standings(assessment.items, area_names),
        gaps,
        carried,
        changes,
        verdict(assessment.items, changes),
        sources,
        progress,
    )


def _standings(items: list[Item], area_names: dict[str, str]) -> list[Standing]:
    """A standing per section, and per competency area (in the ladder's order) of the expectations."""
    groups: dict[tuple[str, str | None], list[Item]] = {}
    order = {section: rank for rank, section in enumerate(SECTION_NAMES)}
    areas = {area: rank for rank, area in enumerate(area_names)}
    for item in sorted(items, key=lambda i: (order[i.section], areas.get(i.area or "", len(areas)))):
        groups.setdefault((item.section, item.area), []).append(item)
    return [
        Standing(section, area, _group_name(section, area, area_names), counted(members))
        for (section, area), members in groups.items()
    ]


def _group_name(section: str, area: str | None, area_names: dict[str, str]) -> str:
    """A section's name, or for an expectation its competency area's alone ("Execution")."""
    return area_names.get(area, area) if area else SECTION_NAMES[section]


_WORD = re.compile(r"[a-z]{4,}")
# Words too common in a ladder's sentences to tie a gap to a signal.
_COMMON = frozenset(
    {
        *("with", "that", "they", "them", "their", "this", "from", "what", "have", "into", "more", "most", "such"),
        *("work", "well", "than", "when", "make", "made", "ready", "role", "roles", "team", "teams", "able"),
        *("product", "products", "manager", "managers", "other", "every", "each"),
    }
)


def _stems(text: str) -> set[str]:
    """The words of `text` that carry meaning, cut to five letters so that `mentor` meets `mentoring`."""
    return {word[:5] for word in _WORD.findall(text.casefold()) if word not in _COMMON}


def _speaking_to(gap: Item, signals: list[Item], most: int = 2) -> list[Item]:
    """The readiness signals of the move that share the most words of weight with `gap`."""
    words = _stems(gap.text)
    shared = [(len(words & _stems(signal.text)), rank, signal) for rank, signal in enumerate(signals)]
    best = sorted((entry for entry in shared if entry[0]), key=lambda entry: (-entry[0], entry[1]))
    return [signal for _, _, signal in best[:most]]


def verdict(items: list[Item], changes: ItemChanges | None = None) -> str:
    """One line in words: how the items the ladder asks now stand (one it asks that the file lacks
    is not assessed; one it no longer asks does not count), what to do next, and that no count
    promises a move."""
    gone = {item.key for item in changes.removed} if changes else set()
    new = list(changes.new) if changes else []
    asked = [item for item in items if item.key not in gone] + new
    counts = counted(asked)
    total = len(asked)
    caveat = "the ladder describes the rung, it is not a checklist, and no count of items promises a promotion"
    missing = f" ({len(new)} of them asked since the file was written, not in it)" if new else ""
    if counts["not-assessed"] == total:
        return f"Nothing assessed yet{missing}: set each item's status and evidence first ({caveat})."
    stand = (
        f"{counts['met']} of {total} items met by your own account, {counts['partly']} partly, "
        f"{counts['not-yet']} not yet, {counts['not-assessed']} not assessed{missing}"
    )
    if counts["met"] == total:
        return f"{stand}: a case to talk through with your manager, evidence in hand; {caveat}."
    if counts["not-yet"] + counts["partly"] == 0:
        return f"{stand}: assess the rest before you draw a conclusion; {caveat}."
    return f"{stand}: the gaps are where to grow and what to ask for; {caveat}."


def progress(old_name: str, old: Assessment, new_name: str, new: Assessment) -> Progress:
    """What moved from `old` to `new`: items that became met, other changes of status, evidence
    gained, and items one file has and the other lacks (a ladder change between them)."""
    before = {item.key: item for item in old.items}
    after = {item.key: item for item in new.items}
    became_met: list[tuple[Item, Item]] = []
    changed: list[tuple[Item, Item]] = []
    evidence: list[tuple[Item, list[str]]] = []
    for key, now in after.items():
        then = before.get(key)
        if then is None:
            continue
        if now.status != then.status:
            (became_met if now.status == "met" else changed).append((then, now))
        gained = [line for line in now.evidence if line not in then.evidence]
        if gained:
            evidence.append((now, gained))
    added = [item for key, item in after.items() if key not in before]
    removed = [item for key, item in before.items() if key not in after]
    return Progress(old_name, new_name, became_met, changed, evidence, added, removed)


def calibration(
    folder: str,
    assessments: Sequence[tuple[str, Assessment]],
    names: bool,
    areas: dict[str, dict[str, str]] | None = None,
) -> Calibrations:
    """Expectation by expectation, how many of the people assessed against one target stand where;
    a person (`name`, else the file's) counts once in a ladder and target, by their newest file
    there. `areas`: each ladder's competency areas, id to name."""
    newest: dict[tuple[str, str, str], tuple[str, Assessment]] = {}
    for name, assessment in assessments:
        person = (assessment.ladder, assessment.target, assessment.name or name)
        known = newest.get(person)
        if known is None or str(assessment.date) >= str(known[1].date):
            newest[person] = (assessment.name or name, assessment)
    groups: dict[tuple[str, str], list[tuple[str, Assessment]]] = {}
    for (ladder, target, _), entry in sorted(newest.items(), key=lambda pair: pair[0]):
        groups.setdefault((ladder, target), []).append(entry)
    calibrations = [
        Calibration(ladder, target, len(people), _tallies(people, names), (areas or {}).get(ladder, {}))
        for (ladder, target), people in groups.items()
    ]
    return Calibrations(folder, len(assessments), calibrations)


def _tallies(people: list[tuple[str, Assessment]], names: bool) -> list[Tally]:
    """Each expectation any of `people` is assessed on, worded as the newest file words it."""
    texts: dict[str, Item] = {}
    standing: dict[str, dict[str, list[str]]] = {}
    for name, assessment in sorted(people, key=lambda entry: str(entry[1].date)):
        for item in assessment.items:
            texts[item.key] = item
            standing.setdefault(item.key, {status: [] for status in STATUSES})[item.status].append(name)
    return [
        Tally(
            key,
            item.section,
            item.area,
            item.text,
            {status: len(who) for status, who in standing[key].items()},
            {status: sorted(who) for status, who in standing[key].items()} if names else {},
        )
        for key, item in texts.items()
    ]
