"""The layout of the open progression frameworks (Monzo's progression-framework and its forks), read
from the front matter of their Markdown pages into a ladder file's data.

A page's front matter has a `title`, `levels: N` and `topics`; a topic a `name` and a `title`, and
`content`: per `level`, its `criteria` and its `exampleCriteria` (a criterion and its `examples`).
Level N is a rung (`level-N`, at level 10 N, room between for a company's own rungs), a topic a
competency area (its id from its `name`), a criterion an expectation of its area at its level's rung,
and an example a note of that rung. The Markdown body and the keys the layout gives no meaning to
(`path`, `sidebarGroup`, ...) are notes of the ladder, each one listed. Several pages (a folder) are
one ladder with a parallel track per page, its rungs `backend-level-1`, ..., levels lined up by
number, and a topic of one `name` in several pages one area.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

from career_ladder.errors import Loc
from career_ladder.names import suggestion
from career_ladder.tidy import Placed

Row = tuple[int, int]  # a line, counted on across a folder's pages, and a column
MAX_LEVEL = 100  # a rung's level is at most 1000
# The keys the layout reads; any other key is kept as a note, unless it is a misspelling of one of
# these (`topcis`), which would lose what it holds.
PAGE_KEYS = ("title", "description", "levels", "topics")
TOPIC_KEYS = ("name", "title", "description", "content")
LEVEL_KEYS = ("level", "criteria", "exampleCriteria", "examples")
EXAMPLE_KEYS = ("criteria", "examples")
NOTE_LENGTH = 2000  # as much as a `Text` holds
_RULE = re.compile(r"([-*_])( *\1){2,}")  # a Markdown horizontal rule: no words
_BLOCK = re.compile(r"([-*+>|#]|[0-9]+[.)]|```)")  # a line that begins a block of its own


def kebab(text: str, most: int = 64) -> str:
    """`text` as an id: ascii letters and digits in words joined by hyphens, cut at a word to `most`
    characters (`🧠 Knowledge & Impact` → `knowledge-impact`); empty where it has no such letter."""
    folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    ident = ""
    for word in re.findall(r"[a-z0-9]+", folded):
        joined = f"{ident}-{word}" if ident else word
        if len(joined) > most:
            return ident or word[:most]
        ident = joined
    return ident


class Page(NamedTuple):
    """One Markdown page: its front matter, where each value of it is, and the body below it."""

    path: Path
    name: str  # as places name it: `product.md`, `engineering/backend.md`
    ident: str  # its source's id, and its track's in a folder
    offset: int  # its line N is row offset + N; offset + 0 is the page itself
    front: dict[str, Any]
    where: dict[Loc, Row]  # each front matter value's line and column in the file
    body: list[tuple[int, str]]  # each line below the front matter, with its number

    def at(self, loc: Loc) -> Row:
        """The row and column of `loc` in the front matter, or of its nearest ancestor there."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.where:
                line, column = self.where[loc[:end]]
                return self.offset + line, column
        return self.offset + 1, 1

    @property
    def title(self) -> str:
        title = self.front.get("title")
        return title.strip() if isinstance(title, str) and title.strip() else self.path.name

    @property
    def description(self) -> str | None:
        text = self.front.get("description")
        return text.strip() if isinstance(text, str) and text.strip() else None


class _Area(NamedTuple):
    name: str
    titled: bool  # its name is a page's `title` (else its `name`, where no page gives a title)
    covers: list[tuple[str, Row]]  # its descriptions, where pages give one, and where
    at: Row
    pages: list[Page]


class _Rung:
    def __init__(self, page: Page, number: int, at: Row) -> None:
        self.page, self.number, self.at = page, number, at
        self.expectations: dict[str, list[tuple[str, Row]]] = {}
        self.notes: list[tuple[str, Row]] = []


class Framework:
    """What a framework's pages say, read page by page: its areas, rungs and notes, where each value
    is, each problem, and what was kept as a note (`place: what`)."""

    def __init__(self) -> None:
        self.problems: list[Placed] = []
        self.positions: dict[Loc, Row] = {(): (0, 0)}
        self.kept: list[tuple[Row, str]] = []
        self.stand_ins: list[str] = []  # the fields written as not given: to replace
        self.notes: list[tuple[str, Page, Row]] = []  # the ladder's
        self.areas: dict[str, _Area] = {}
        self.rungs: dict[tuple[int, int], _Rung] = {}  # by page (its offset) and level

    def problem(self, at: Row, code: str, message: str) -> None:
        self.problems.append(Placed(at[0], at[1], code, message))

    def _keep(self, at: Row, what: str, note: str, page: Page, rung: _Rung | None = None) -> None:
        """A value with no field of its own: a note of the rung (else of the ladder), and listed."""
        self.kept.append((at, what if len(what) <= 120 else what[:119] + "…"))
        for chunk in _chunks(note):
            if rung is None:
                self.notes.append((chunk, page, at))
            else:
                rung.notes.append((chunk, at))

    def _others(self, page: Page, loc: Loc, mapping: dict[str, Any], read: tuple[str, ...]) -> list[str]:
        """The keys of `mapping` the layout does not read, each to keep; a misspelling of one it
        reads (`topcis`, a letter or two off) is a problem instead: a key of its own (`levelNames`)
        is not."""
        others = []
        for key in mapping:
            near = "" if key in read else suggestion(key, read)
            if near and abs(len(key) - len(near.split("'")[1])) <= 2:
                self.problem(page.at((*loc, key)), "LDR523", f"unknown key '{key}'{near}")
            elif key not in read:
                others.append(key)
        return others

    def _text(self, page: Page, loc: Loc, value: Any, what: str, optional: bool = False) -> str | None:
        """`value` as a text; None (and a problem, unless it may be left out) for a blank or no text."""
        if value is None and optional:
            return None
        if not isinstance(value, str):
            self.problem(page.at(loc), "LDR524", f"{what} is text, got {_kind(value)}")
        elif value.strip():
            return value.strip()
        elif not optional:
            self.problem(page.at(loc), "LDR525", f"{what} is blank")
        return None

    def _list(self, page: Page, loc: Loc, value: Any, what: str) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self.problem(page.at(loc), "LDR524", f"`{loc[-1]}` is a list of {what}, got {_kind(value)}")
        return []

    def read(self, page: Page) -> None:
        """Read a page's front matter and body into the framework."""
        front, before = page.front, len(self.problems)
        for key in self._others(page, (), front, PAGE_KEYS):
            said = f"{key}: {_shown(front[key])}"
            self._keep(page.at((key,)), said, f"Front matter of {page.path.name}: {said}", page)
        for key in ("title", "description"):
            self._text(page, (key,), front.get(key), f"`{key}`", optional=True)
        levels = _levels(front.get("levels"))
        if levels is None and front.get("levels") is not None:
            message = f"`levels` is a whole number from 1 to {MAX_LEVEL}, got {_shown(front['levels'])}"
            self.problem(page.at(("levels",)), "LDR524", message)
        topics = self._list(page, ("topics",), front.get("topics"), "topics")
        misspelt = any(p.code == "LDR523" and "'topics'" in p.message for p in self.problems[before:])
        if not topics and not misspelt and isinstance(front.get("topics"), list | None):
            self.problem(page.at(()), "LDR528", _no_topics(front))
        seen: dict[str, Row] = {}
        for index, topic in enumerate(topics):
            self._topic(page, ("topics", index), topic, seen)
        read = sorted(number for offset, number in self.rungs if offset == page.offset)
        for number in range(1, levels + 1) if levels else read:
            self._rung(page, number, page.at(("levels",)))
        if topics and not levels and not read:
            self.problem(page.at(()), "LDR528", "no levels: give `levels: N`, or `level: N` in a topic's `content`")
        self._body(page)

    def _topic(self, page: Page, loc: Loc, topic: Any, seen: dict[str, Row]) -> None:
        if not isinstance(topic, dict):
            self.problem(page.at(loc), "LDR524", f"a topic is a mapping (name, title, content), got {_kind(topic)}")
            return
        before = len(self.problems)
        name = self._text(page, (*loc, "name"), topic.get("name"), "a topic's `name`", optional=True)
        title = self._text(page, (*loc, "title"), topic.get("title"), "a topic's `title`", optional=True)
        covers = self._text(page, (*loc, "description"), topic.get("description"), "`description`", optional=True)
        named_by = "name" if name else "title"
        ident = kebab(name or title or "")
        if not ident:
            if name or title:
                message = f"the topic's {named_by} gives no id: give it a `name` in Latin letters or digits"
                self.problem(page.at((*loc, named_by)), "LDR525", message)
            elif len(self.problems) == before:  # else its name or title is no text, and said so
                self.problem(page.at(loc), "LDR525", "a topic with neither `name` nor `title`: name it")
            return
        if ident in seen:
            first = seen[ident][0] - page.offset
            message = f"topic '{name or title}' has the id '{ident}' of the topic on line {first}: rename one"
            self.problem(page.at((*loc, named_by)), "LDR527", message)
            return
        seen[ident] = page.at(loc)
        shown = title or name or ident
        area = self.areas.setdefault(ident, _Area(shown, bool(title), [], page.at((*loc, named_by)), []))
        if title and not area.titled:  # the first title any page of a folder gives it
            area = self.areas[ident] = area._replace(name=title, titled=True, at=page.at((*loc, "title")))
        elif title and area.name != title:  # a topic of another page, titled otherwise: kept
            said = f"topic {ident} is titled '{title}' in {page.path.name}"
            self._keep(page.at((*loc, "title")), said, f"Topic {ident} is titled '{title}' in {page.path.name}.", page)
        if covers and covers not in [said for said, _ in area.covers]:
            area.covers.append((covers, page.at((*loc, "description"))))
        area.pages.append(page)
        for key in self._others(page, loc, topic, TOPIC_KEYS):
            said = f"{key}: {_shown(topic[key])}"
            self._keep(page.at((*loc, key)), f"topic {ident}: {said}", f"Topic {shown}: {said}", page)
        levels: dict[int, Row] = {}
        for index, item in enumerate(self._list(page, (*loc, "content"), topic.get("content"), "levels")):
            self._level(page, (*loc, "content", index), item, (ident, shown), levels)

    def _level(self, page: Page, loc: Loc, item: Any, area: tuple[str, str], levels: dict[int, Row]) -> None:
        """One level of a topic: its criteria expectations of the level's rung, its examples notes."""
        ident, shown = area
        if not isinstance(item, dict):
            self.problem(
                page.at(loc), "LDR524", f"a level of a topic is a mapping (level, criteria), got {_kind(item)}"
            )
            return
        number, most = item.get("level"), _levels(page.front.get("levels")) or MAX_LEVEL
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= most:
            within = f"the page's `levels: {most}`" if most != MAX_LEVEL else f"1 to {MAX_LEVEL}"
            message = f"`level` is a whole number within {within}, got {'none' if number is None else _shown(number)}"
            self.problem(page.at((*loc, "level")), "LDR524", message)
            return
        if number in levels:
            message = f"level {number} of topic {ident} again (first on line {levels[number][0] - page.offset})"
            self.problem(page.at(loc), "LDR526", f"{message}: join the two")
            return
        levels[number] = page.at(loc)
        rung = self._rung(page, number, page.at(loc))
        points = rung.expectations.setdefault(ident, [])
        where = f"level {number}, topic {ident}"
        for key in self._others(page, loc, item, LEVEL_KEYS):
            said = f"{key}: {_shown(item[key])}"
            self._keep(page.at((*loc, key)), f"{where}: {said}", f"{shown}: {said}", page, rung)
        for index, criterion in enumerate(self._list(page, (*loc, "criteria"), item.get("criteria"), "texts")):
            self._point(page, (*loc, "criteria", index), criterion, points, where)
        for index, example in enumerate(self._list(page, (*loc, "examples"), item.get("examples"), "texts")):
            text = self._text(page, (*loc, "examples", index), example, "an example")
            if text is not None:
                at = page.at((*loc, "examples", index))
                self._keep(at, f"{where}: example: {text}", f"{shown}, an example: {text}", page, rung)
        examples = self._list(page, (*loc, "exampleCriteria"), item.get("exampleCriteria"), "criteria and examples")
        for index, example in enumerate(examples):
            self._example(page, (*loc, "exampleCriteria", index), example, rung, (ident, shown))

    def _example(self, page: Page, loc: Loc, example: Any, rung: _Rung, area: tuple[str, str]) -> None:
        """A criterion with its examples: the criterion an expectation, each example a note of the rung."""
        ident, shown = area
        where = f"level {rung.number}, topic {ident}"
        if not isinstance(example, dict):
            message = f"an example criterion is a mapping (criteria, examples), got {_kind(example)}"
            self.problem(page.at(loc), "LDR524", message)
            return
        text = self._point(page, (*loc, "criteria"), example.get("criteria"), rung.expectations[ident], where)
        if text is None:
            return
        quoted = text if len(text) <= 120 else text[:119] + "…"
        for key in self._others(page, loc, example, EXAMPLE_KEYS):
            said = f"{key}: {_shown(example[key])}"
            self._keep(page.at((*loc, key)), f"{where}: {said}", f'{shown}, of "{quoted}": {said}', page, rung)
        given: list[str] = []
        for index, instance in enumerate(self._list(page, (*loc, "examples"), example.get("examples"), "texts")):
            told = self._text(page, (*loc, "examples", index), instance, "an example")
            at = page.at((*loc, "examples", index))
            if told in given:
                self.problem(at, "LDR526", "the same example twice for one criterion")
            elif told is not None:
                given.append(told)
                note = f'{shown}, an example of "{quoted}": {told}'
                self._keep(at, f"{where}: example: {told}", note, page, rung)

    def _point(self, page: Page, loc: Loc, value: Any, points: list[tuple[str, Row]], where: str) -> str | None:
        """A criterion, as an expectation; None (and a problem) for a blank one or one given already."""
        text = self._text(page, loc, value, "a criterion")
        first = next((at for said, at in points if said == text), None)
        if first is not None:
            self.problem(
                page.at(loc), "LDR526", f"the same criterion twice in {where} (first on line {first[0] - page.offset})"
            )
            return None
        if text is not None:
            points.append((text, page.at(loc)))
        return text

    def _rung(self, page: Page, number: int, at: Row) -> _Rung:
        return self.rungs.setdefault((page.offset, number), _Rung(page, number, at))

    def _body(self, page: Page) -> None:
        """The Markdown below the front matter: a note per line as written (a paragraph's wrapped
        lines joined, horizontal rules left out), listed once."""
        lines: list[tuple[int, str]] = []
        for number, line in page.body:
            text = line.strip()
            if lines and text and lines[-1][1] and not _BLOCK.match(text) and not lines[-1][1].startswith("#"):
                lines[-1] = (lines[-1][0], f"{lines[-1][1]} {text}")
            else:
                lines.append((number, "" if _RULE.fullmatch(text) else text))
        said = [(number, text) for number, text in lines if text]
        for number, text in said:
            for chunk in _chunks(text):
                self.notes.append((chunk, page, (page.offset + number, 1)))
        if said:
            first, last = said[0][0], max(number for number, line in page.body if line.strip())
            span = f"line {first}" if first == last else f"lines {first}–{last}"
            what = f"the Markdown below the front matter, {span}, as {len(said)} note"
            self.kept.append(((page.offset + first, 1), what + ("s" if len(said) > 1 else "")))

    def ladder(self, ladder_id: str, pages: list[Page], folder: str | None) -> dict[str, Any]:
        """The ladder file's data of what was read from `pages` (the pages of `folder`, if given)."""
        first = pages[0]
        if folder is None:
            name, summary = first.title, first.description or f"Imported from {first.path.name}."
            for field, key in (("name", "title"), ("summary", "description")):
                if (key,) in first.where:
                    self.positions[(field,)] = first.at((key,))
        else:
            name = folder
            listed = ", ".join(page.path.name for page in pages)
            summary = f"Imported from the Markdown pages of {folder}/, a parallel track each: {listed}."
            if len(summary) > NOTE_LENGTH:
                summary = f"Imported from the {len(pages)} Markdown pages of {folder}/, a parallel track each."
        if folder is not None or not first.description:
            self.stand_ins.append("summary")
        data: dict[str, Any] = {"id": ladder_id, "name": name, "summary": summary, "sources": []}
        for index, page in enumerate(pages):
            file = page.path.name if folder is None else f"{folder}/{page.path.name}"
            data["sources"].append({"id": page.ident, "title": page.title, "file": file})
            self.positions[("sources", index)] = self.positions[("sources", index, "title")] = page.at(("title",))
            if folder is not None:
                track = {"id": page.ident, "name": page.title, "summary": page.description, "sources": [page.ident]}
                data.setdefault("parallel_tracks", []).append({k: v for k, v in track.items() if v is not None})
                self.positions[("parallel_tracks", index)] = page.at(("title",))
                if page.description:
                    self.positions[("parallel_tracks", index, "summary")] = page.at(("description",))
        data["competencies"] = []
        for index, (ident, area) in enumerate(self.areas.items()):
            covers = " ".join(said for said, _ in area.covers)
            if not covers:
                covers = f"A topic of {', '.join(page.path.name for page in area.pages)}."
                self.stand_ins.append(f"competencies[{ident}].covers")
            sources = list(dict.fromkeys(page.ident for page in area.pages))
            data["competencies"].append({"id": ident, "name": area.name, "covers": covers, "sources": sources})
            self.positions[("competencies", index)] = self.positions[("competencies", index, "name")] = area.at
            self.positions[("competencies", index, "covers")] = area.covers[0][1] if area.covers else area.at
        ordered = sorted(self.rungs.values(), key=lambda rung: (rung.number, rung.page.offset))
        data["rungs"] = [self._rung_data(("rungs", index), rung, folder) for index, rung in enumerate(ordered)]
        if self.notes:
            data["notes"] = [{"text": text, "sources": [page.ident]} for text, page, _ in self.notes]
            for index, (_, _, at) in enumerate(self.notes):
                self.positions[("notes", index)] = self.positions[("notes", index, "text")] = at
        return data

    def _rung_data(self, loc: Loc, rung: _Rung, folder: str | None) -> dict[str, Any]:
        page, number = rung.page, rung.number
        data: dict[str, Any] = {
            "id": f"level-{number}" if folder is None else f"{page.ident}-level-{number}",
            "title": f"Level {number}" if folder is None else f"Level {number} ({page.title})",
            "level": number * 10,
            "track": None if folder is None else page.ident,
            "summary": f"Level {number} of {page.title}, as {page.path.name} gives it.",
        }
        self.positions[loc] = rung.at
        expectations = {area: points for area, points in rung.expectations.items() if points}
        for area, points in expectations.items():
            data.setdefault("expectations", {})[area] = [{"text": text, "sources": [page.ident]} for text, _ in points]
            for index, (_, at) in enumerate(points):
                self.positions[(*loc, "expectations", area, index)] = at
                self.positions[(*loc, "expectations", area, index, "text")] = at
        if not expectations:
            note = f"{page.path.name} gives no criteria at level {number}."
            data["duties_not_stated"] = {"note": note, "sources": [page.ident]}
        if rung.notes:
            data["notes"] = [{"text": text, "sources": [page.ident]} for text, _ in rung.notes]
            for index, (_, at) in enumerate(rung.notes):
                self.positions[(*loc, "notes", index)] = self.positions[(*loc, "notes", index, "text")] = at
        return {key: value for key, value in data.items() if value is not None} | {"sources": [page.ident]}


def _levels(value: Any) -> int | None:
    """A page's `levels`, where it is a number of levels a ladder can have."""
    whole = isinstance(value, int) and not isinstance(value, bool)
    return value if whole and 1 <= value <= MAX_LEVEL else None


_KINDS = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "a mapping", str: "text"}


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return next((kind for type_, kind in _KINDS.items() if isinstance(value, type_)), type(value).__name__)


def _shown(value: Any) -> str:
    """A value of the front matter as a note reads it."""
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _chunks(text: str) -> list[str]:
    """`text` in pieces a note holds (2,000 characters), cut at line breaks, else at spaces."""
    pieces: list[str] = []
    for line in text.split("\n"):
        while len(line) > NOTE_LENGTH:
            cut = line.rfind(" ", 1, NOTE_LENGTH)
            cut = cut if cut > 0 else NOTE_LENGTH
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        if pieces and len(pieces[-1]) + 1 + len(line) <= NOTE_LENGTH:
            pieces[-1] += "\n" + line
        else:
            pieces.append(line)
    return [piece for piece in (p.strip() for p in pieces) if piece]


def _no_topics(front: dict[str, Any]) -> str:
    if front.get("yaml") is False:
        return (
            "no `topics`: this page (`yaml: false`) gives its levels as prose in the Markdown body, which "
            "`ladder import` does not read as rungs; write them as `topics` in the front matter"
        )
    return "no `topics`: a page lists its topics, each with its `content`: a `level` and its `criteria`"
