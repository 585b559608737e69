"""The shape of a ladder file, and the rules one file must keep on its own.

Rules that need more than one file (a shared rung, a lateral move into another ladder) are
checked by `catalog.py`. Every rule raises a pydantic error whose type is its stable `LDR` code,
so the loader can report every problem with its field path.
"""

import datetime
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    Strict,
    StringConstraints,
    Tag,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from career_ladder import SCHEMA_VERSION
from career_ladder.currencies import ISO_4217
from career_ladder.errors import printable, unsafe_character
from career_ladder.names import SLUG

Slug = Annotated[str, StringConstraints(pattern=f"^{SLUG}$", max_length=64)]


def _safe_text(text: str) -> str:
    found = unsafe_character(text)
    if found is not None:
        raise PydanticCustomError(
            "LDR104",
            "text holds the control or direction character {char}, which could drive a terminal",
            {"char": printable(found)},
        )
    return text


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), AfterValidator(_safe_text)
]
Count = Annotated[int, Strict()]
MAX_AMOUNT = 1e12
# A rung in this ladder (`senior-pm`) or in another one (`pm:director`).
RungRef = Annotated[str, StringConstraints(pattern=f"^({SLUG}:)?{SLUG}$", max_length=129)]
SourceIds = Annotated[list[Slug], Field(min_length=1)]


def _whole_as_int(amount: float) -> int | float:
    return int(amount) if amount.is_integer() else amount


def _amount_text(amount: float) -> str:
    return f"{_whole_as_int(amount):,}"


# Written out as 83350, not 83350.0, in every output format. No pay is a trillion a year: a figure
# past that (1e300) is a typo.
Amount = Annotated[
    float,
    Strict(),
    Field(allow_inf_nan=False, le=MAX_AMOUNT),
    PlainSerializer(_whole_as_int, return_type=int | float),
]


def _date_as_written(value: Any) -> str:
    """A date (2024-01-31, quoted or not) or a year alone (2024), kept as written; never a number
    of seconds or days read as a date, as pydantic's lax mode would."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str) and _YEAR_OR_DATE.fullmatch(value):
        if len(value) > 4:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                raise PydanticCustomError("LDR103", "'{value}' is no date in the calendar", {"value": value}) from None
        return value
    raise PydanticCustomError(
        "LDR103", "a date is written 2024-01-31, or a year alone as 2024 (got {value})", {"value": repr(value)}
    )


_YEAR_OR_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}-[0-9]{2})?")
DateAsWritten = Annotated[
    str,
    BeforeValidator(_date_as_written),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": f"^{_YEAR_OR_DATE.pattern}$"}, {"type": "integer"}]}),
]


class Record(BaseModel):
    """A misspelt field is an error, never silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(Record):
    id: Slug
    title: Text
    publisher: Text | None = None
    date: DateAsWritten | None = Field(default=None, description="Publication or last-update date, or its year.")
    file: Text | None = Field(default=None, description="Where the text is kept, if anywhere.")
    url: Text | None = None
    covers: Text | None = Field(default=None, description="What the source is about, in brief.")


class Identified(Record):
    """A point or figure: its `id` is optional, for an overlay (`extends`) to change or remove it.

    No id is written out as no key at all, so json output and the cache stay as they were."""

    id: Slug | None = Field(default=None, description="Lets a ladder that extends this one change or remove it.")

    @model_serializer(mode="wrap")
    def _without_empty_id(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("id", "") is None:
            del data["id"]
        return data


class Point(Identified):
    """One statement (a duty, a quality, a signal, a note) and the sources behind it."""

    text: Text
    sources: SourceIds


class SalaryFigure(Identified):
    """A pay figure as a source gives it: a range (min and max) or a single average."""

    currency: str = Field(description="ISO 4217 code, e.g. USD, INR.")
    min: Amount | None = None
    max: Amount | None = None
    average: Amount | None = None
    period: Literal["year", "not-stated"] = Field(
        default="year", description="What time the figure pays for: a year, or not stated by the source."
    )
    covers: Literal["base", "total", "not-stated"] = Field(
        default="not-stated", description="What the figure pays: base pay, total pay, or not stated."
    )
    region: Text | None = Field(default=None, description="Country or region; null when not stated.")
    as_of: Count | None = Field(default=None, ge=1900, le=2100, description="Year the figure is from.")
    note: Text | None = None
    sources: SourceIds

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, code: str) -> str:
        if code not in ISO_4217:
            raise PydanticCustomError("LDR208", "unknown currency code '{code}' (ISO 4217, e.g. USD)", {"code": code})
        return code

    @field_validator("min", "max", "average")
    @classmethod
    def _positive(cls, amount: Amount | None) -> Amount | None:
        if amount is not None and amount <= 0:
            raise PydanticCustomError(
                "LDR207", "amount must be above zero, got {amount}", {"amount": _amount_text(amount)}
            )
        return amount

    @model_validator(mode="after")
    def _range_or_average(self) -> Self:
        has_range = self.min is not None or self.max is not None
        if has_range and (self.min is None or self.max is None):
            raise PydanticCustomError("LDR209", "a range needs both min and max")
        if has_range == (self.average is not None):
            raise PydanticCustomError("LDR209", "give either min and max, or an average")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PydanticCustomError(
                "LDR206",
                "min {min} is above max {max}",
                {"min": _amount_text(self.min), "max": _amount_text(self.max)},
            )
        return self


Kind = Literal["individual-contributor", "people-leader"]


class NotPublished(Record):
    """Something a framework deliberately leaves out (its pay), unlike a figure nobody entered."""

    by: Text = Field(description="Who does not publish it: the company or source.")
    note: Text | None = None
    sources: SourceIds


class NotStated(Record):
    """A rung the sources name but give no duties for: valid, and said, rather than filled in."""

    note: Text | None = None
    sources: SourceIds


class Years(Record):
    """Typical years of experience at a rung: `min` alone means "min or more"."""

    min: Count = Field(ge=0, le=60)
    max: Count | None = Field(default=None, ge=0, le=60)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.max is not None and self.max < self.min:
            raise PydanticCustomError(
                "LDR215", "years min {min} is above max {max}", {"min": self.min, "max": self.max}
            )
        return self


class Rung(Record):
    id: Slug
    title: Text
    aliases: list[Text] = Field(default=[], description="Abbreviations and other titles (APM, Sr PM).")
    level: Count = Field(ge=0, le=1000, description="Aligns rungs across ladders: rungs of one seniority share it.")
    kind: Kind | None = Field(default=None, description="Set only where the sources say.")
    track: Slug | None = Field(default=None, description="The parallel track (of `parallel_tracks`) it belongs to.")
    optional: Annotated[bool, Strict()] = Field(
        default=False, description="Only some sources or companies have this rung."
    )
    summary: Text | None = Field(default=None, description="What the rung is, in a sentence or two.")
    responsibilities: list[Point] = []
    duties_not_stated: NotStated | None = Field(
        default=None, description="The sources name this rung but give no duties for it."
    )
    skills: list[Point] = []
    expectations: dict[Slug, list[Point]] = Field(
        default={}, description="What the rung shows in each competency area, by the area's id."
    )
    years: Years | None = Field(default=None, description="Typical years of experience.")
    reports_to: list[RungRef] = Field(default=[], description="The rungs it reports to.")
    equivalent: list[RungRef] = Field(
        default=[],
        description="Rungs of other ladders (`pm:director`) it corresponds to, while keeping its own "
        "title, duties and pay (unlike `shared`, which makes it the very same rung).",
    )
    signals: list[Point] = Field(default=[], description="Readiness for the next rung.")
    salary: list[SalaryFigure] = []
    pay_not_published: NotPublished | None = Field(default=None, description="Pay exists but is not published.")
    notes: list[Point] = []
    sources: SourceIds


class Additions(Record):
    """Points and figures an overlay adds to a rung it extends; one whose `id` the rung already
    has replaces that one."""

    responsibilities: list[Point] = []
    skills: list[Point] = []
    expectations: dict[Slug, list[Point]] = {}
    signals: list[Point] = []
    salary: list[SalaryFigure] = []
    notes: list[Point] = []


class RungChange(Record):
    """What an overlay changes in a rung of the ladder it extends: a field given replaces the
    rung's (a list replaces the whole list); `add` appends; `remove` drops points and figures by id."""

    title: Text | None = None
    aliases: list[Text] | None = None
    level: Count | None = Field(default=None, ge=0, le=1000)
    kind: Kind | None = None
    track: Slug | None = None
    optional: Annotated[bool, Strict()] | None = None
    summary: Text | None = None
    responsibilities: list[Point] | None = None
    duties_not_stated: NotStated | None = None
    skills: list[Point] | None = None
    expectations: dict[Slug, list[Point]] | None = None
    years: Years | None = None
    reports_to: list[RungRef] | None = None
    equivalent: list[RungRef] | None = None
    signals: list[Point] | None = None
    salary: list[SalaryFigure] | None = None
    pay_not_published: NotPublished | None = None
    notes: list[Point] | None = None
    sources: SourceIds | None = None
    add: Additions | None = None
    remove: list[Slug] = Field(default=[], description="Ids of points and figures to drop.")


class SharedRung(Record):
    """A rung written once in another ladder (`pm:director`) and shown in this one too."""

    shared: RungRef
    track: Slug | None = Field(default=None, description="The parallel track of this ladder it sits on.")

    @property
    def id(self) -> str:
        return self.shared.partition(":")[2] or self.shared


# The union's tags appear in pydantic's error locations; the loader drops them from field paths.
UNION_TAGS = ("own-rung", "shared-rung")


def _rung_kind(value: Any) -> str:
    shared = "shared" in value if isinstance(value, dict) else isinstance(value, SharedRung)
    return UNION_TAGS[1] if shared else UNION_TAGS[0]


RungEntry = Annotated[
    Annotated[Rung, Tag(UNION_TAGS[0])] | Annotated[SharedRung, Tag(UNION_TAGS[1])],
    Discriminator(_rung_kind),
]


class Transition(Record):
    """A move out of a rung: up (promotion), across (lateral), or out of the ladder (exit)."""

    kind: Literal["promotion", "lateral", "exit"]
    from_: RungRef = Field(alias="from")
    to: RungRef | None = Field(default=None, description="The rung moved to; not for exits.")
    role: Text | None = Field(default=None, description="The role outside the ladder, for exits.")
    signals: list[Point] = Field(default=[], description="What readiness for the move looks like.")
    sources: SourceIds

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _target(self) -> Self:
        if self.kind == "exit" and (self.role is None or self.to is not None):
            raise PydanticCustomError("LDR210", "an exit names a role, not a rung (use `role`)")
        if self.kind != "exit" and (self.to is None or self.role is not None):
            raise PydanticCustomError("LDR210", "a {kind} names the rung it leads to (use `to`)", {"kind": self.kind})
        return self


class EntryPoint(Record):
    """A way into the career from outside it, and the rung it lands on."""

    id: Slug
    name: Text
    lands_on: list[RungRef] = Field(min_length=1)
    notes: list[Point] = Field(default=[], description="What the sources say: how rare, how slow, what helps.")
    sources: SourceIds


class Track(Record):
    """A specialisation the sources name (platform TPM), not a parallel track of rungs."""

    id: Slug
    name: Text
    focus: Text
    sources: SourceIds


class ParallelTrack(Record):
    """Rungs side by side at the same seniority: an individual-contributor track beside a
    management one, or any track a company names."""

    id: Slug
    name: Text
    kind: Kind | None = Field(default=None, description="Lines tracks of different ladders up in `compare`.")
    summary: Text | None = None
    sources: SourceIds


class Competency(Record):
    """An area each rung states expectations in (execution, communication, people management)."""

    id: Slug
    name: Text
    covers: Text = Field(description="What the area is about.")
    sources: SourceIds


class ViewStep(Record):
    title: Text = Field(description="The title as this source gives it.")
    rungs: list[Slug] = Field(min_length=1, description="The rungs of this ladder it stands for.")


class View(Record):
    """How one source lays out this ladder, where it differs from the rung list."""

    id: Slug
    summary: Text
    steps: list[ViewStep] = Field(min_length=1)
    sources: SourceIds


class ComparisonPoint(Record):
    aspect: Text
    this: Text = Field(description="What the source says of this ladder.")
    other: Text = Field(description="What the source says of the other ladder.")
    sources: SourceIds


class Comparison(Record):
    """A source's point-by-point comparison of this ladder with another one."""

    with_: Slug = Field(alias="with")
    points: list[ComparisonPoint] = Field(min_length=1)

    model_config = ConfigDict(populate_by_name=True)


class OutlookScore(Record):
    factor: Text
    score: Count = Field(ge=0)
    out_of: Count | None = Field(default=None, ge=1, description="The scale, only where the source states one.")
    text: Text | None = None
    sources: SourceIds

    @model_validator(mode="after")
    def _within_scale(self) -> Self:
        if self.out_of is not None and self.score > self.out_of:
            raise PydanticCustomError(
                "LDR211", "score {score} is above its scale of {out_of}", {"score": self.score, "out_of": self.out_of}
            )
        return self


class Qualification(Record):
    name: Text
    kind: Literal["degree", "certification"]
    text: Text | None = None
    sources: SourceIds


class VarianceDriver(Record):
    """Why the same title means different things at different companies."""

    name: Text
    points: list[Point] = Field(min_length=1)


class Ratio(Record):
    product_managers: Count = Field(ge=1)
    engineers: Count = Field(ge=1)
    text: Text | None = None
    sources: SourceIds


class Ladder(Record):
    id: Slug = Field(description="Equals the file name without .yaml.")
    name: Text
    aliases: list[Text] = []
    summary: Text
    sources: list[Source] = Field(min_length=1)
    extends: Slug | None = Field(
        default=None, description="Start from this ladder: its rungs and facts, changed by `change` and `remove`."
    )
    rungs: list[RungEntry] = Field(
        default=[], description="In order, lowest first; with `extends`, rungs added (or replaced by id)."
    )
    change: dict[Slug, RungChange] = Field(default={}, description="With `extends`: changes to its rungs, by id.")
    remove: list[Slug] = Field(default=[], description="With `extends`: its rungs to leave out, by id.")
    parallel_tracks: list[ParallelTrack] = Field(default=[], description="Tracks that run side by side.")
    competencies: list[Competency] = Field(default=[], description="Areas every rung states expectations in.")
    views: list[View] = []
    transitions: list[Transition] = []
    entry_points: list[EntryPoint] = []
    tracks: list[Track] = []
    comparisons: list[Comparison] = []
    outlook: list[OutlookScore] = []
    steps: list[Point] = Field(default=[], description="Steps into the career, in order.")
    education: list[Qualification] = []
    skills: list[Point] = Field(default=[], description="Skills the whole ladder asks for.")
    variance: list[VarianceDriver] = []
    ratios: list[Ratio] = []
    salary: list[SalaryFigure] = Field(default=[], description="Pay for the role as a whole, not for one rung.")
    pay_not_published: NotPublished | None = Field(default=None, description="No rung's pay is published.")
    notes: list[Point] = []

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = list(ladder_problems(self))
        if problems:
            raise ValidationError.from_exception_data(type(self).__name__, problems)
        return self

    def rung(self, rung_id: str) -> Rung | SharedRung | None:
        return next((r for r in self.rungs if r.id == rung_id), None)


Loc = tuple[str | int, ...]


def _problem(code: str, message: str, loc: Loc, value: Any, **context: Any) -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError(code, message, context), loc=loc, input=value)


def cited(node: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, list[str]]]:
    """Every `sources` list of ids under `node`, with where it stands."""
    for name, info in type(node).model_fields.items():
        key, value = info.alias or name, getattr(node, name)
        if key == "sources" and value and isinstance(value[0], str):
            yield (*loc, key), value
        elif isinstance(value, BaseModel):
            yield from cited(value, (*loc, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from cited(item, (*loc, key, index))
        elif isinstance(value, dict):  # expectations: points by competency area
            for area, points in value.items():
                for index, item in enumerate(points):
                    yield from cited(item, (*loc, key, area, index))


def ladder_problems(ladder: Ladder) -> Iterator[InitErrorDetails]:
    """Every rule a single file breaks: duplicate ids, dangling references, falling promotions.

    A file that extends another ladder is checked for what it says itself here; its references to
    the other ladder's rungs and sources once the two are merged (`overlay.py`)."""
    if ladder.extends is None:
        if not ladder.rungs:
            yield _problem("LDR102", "missing required field 'rungs'", ("rungs",), None)
        for field in ("change", "remove"):
            if getattr(ladder, field):
                message = "`{field}` changes the ladder this one extends: add `extends: LADDER`"
                yield _problem("LDR210", message, (field,), None, field=field)
    elif ladder.extends == ladder.id:
        yield _problem("LDR305", "a ladder cannot extend itself", ("extends",), ladder.extends)
    yield from _duplicate_ids(ladder)
    if ladder.extends is None:
        yield from whole_ladder_problems(ladder)


def _duplicate_ids(ladder: Ladder) -> Iterator[InitErrorDetails]:
    for field in ("sources", "rungs", "entry_points", "tracks", "views", "parallel_tracks", "competencies"):
        seen: set[str] = set()
        for index, item in enumerate(getattr(ladder, field)):
            if item.id in seen:
                yield _problem(
                    "LDR202", "duplicate id '{id}' in {field}", (field, index, "id"), item.id, id=item.id, field=field
                )
            seen.add(item.id)


def whole_ladder_problems(ladder: Ladder) -> Iterator[InitErrorDetails]:
    """The rules a whole ladder keeps: sources declared, tracks and areas declared, references that
    resolve, rungs in order (for an overlay, checked on the merged ladder)."""
    declared = {source.id for source in ladder.sources}
    for loc, cited_ids in cited(ladder):
        for index, source_id in enumerate(cited_ids):
            if source_id not in declared:
                yield _problem(
                    "LDR204", "source '{id}' is not declared under `sources`", (*loc, index), source_id, id=source_id
                )

    tracks = {track.id for track in ladder.parallel_tracks}
    areas = [area.id for area in ladder.competencies]
    for index, entry in enumerate(ladder.rungs):
        if entry.track is not None and entry.track not in tracks:
            yield _problem(
                "LDR213",
                "no track '{track}' under `parallel_tracks`{hint}",
                ("rungs", index, "track"),
                entry.track,
                track=entry.track,
                hint=_nearest(entry.track, tracks),
            )
        for area in entry.expectations if isinstance(entry, Rung) else ():
            if area not in areas:
                yield _problem(
                    "LDR214",
                    "no competency area '{area}' under `competencies`{hint}",
                    ("rungs", index, "expectations", area),
                    area,
                    area=area,
                    hint=_nearest(area, areas),
                )
        for ref_index, ref in enumerate(entry.equivalent if isinstance(entry, Rung) else ()):
            if ref.partition(":")[0] in ("", ladder.id) or ":" not in ref:
                yield _problem(
                    "LDR210",
                    "an equivalent rung is in another ladder, written `ladder:rung`",
                    ("rungs", index, "equivalent", ref_index),
                    ref,
                )

    own = [(index, rung) for index, rung in enumerate(ladder.rungs) if isinstance(rung, Rung)]
    for (_, lower), (index, rung) in itertools.pairwise(own):
        if rung.level < lower.level:
            yield _problem(
                "LDR212",
                "rungs go lowest first: '{id}' (level {level}) comes after '{lower}' (level {low})",
                ("rungs", index, "level"),
                rung.level,
                id=rung.id,
                level=rung.level,
                lower=lower.id,
                low=lower.level,
            )

    rungs = {rung.id: rung for rung in ladder.rungs}
    for loc, ref in _local_refs(ladder):
        if ":" not in ref and ref not in rungs:
            hint = _nearest(ref, rungs)
            yield _problem("LDR203", "no rung '{ref}' in this ladder{hint}", loc, ref, ref=ref, hint=hint)
    for index, transition in enumerate(ladder.transitions):
        low, high = rungs.get(transition.from_), rungs.get(transition.to or "")
        falls = isinstance(low, Rung) and isinstance(high, Rung) and high.level <= low.level
        if transition.kind == "promotion" and falls:
            assert isinstance(low, Rung) and isinstance(high, Rung)
            yield _problem(
                "LDR205", falling_promotion(transition, low, high), ("transitions", index, "to"), transition.to
            )
    for index, rung_entry in enumerate(ladder.rungs):
        if isinstance(rung_entry, SharedRung) and ":" not in rung_entry.shared:
            yield _problem(
                "LDR210",
                "a shared rung names its ladder too, as `ladder:rung`",
                ("rungs", index, "shared"),
                rung_entry.shared,
            )


def _nearest(name: str, known: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" for the known name nearest `name`, or nothing."""
    import difflib

    found = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{found[0]}'?)" if found else ""


def _local_refs(ladder: Ladder) -> Iterator[tuple[Loc, str]]:
    """Every reference to a rung in the file, with where it stands."""
    for index, rung_entry in enumerate(ladder.rungs):
        for ref_index, ref in enumerate(rung_entry.reports_to if isinstance(rung_entry, Rung) else ()):
            yield ("rungs", index, "reports_to", ref_index), ref
    for index, transition in enumerate(ladder.transitions):
        yield ("transitions", index, "from"), transition.from_
        if transition.to is not None:
            yield ("transitions", index, "to"), transition.to
    for index, entry in enumerate(ladder.entry_points):
        for ref_index, ref in enumerate(entry.lands_on):
            yield ("entry_points", index, "lands_on", ref_index), ref
    for index, view in enumerate(ladder.views):
        for step_index, step in enumerate(view.steps):
            for ref_index, ref in enumerate(step.rungs):
                yield ("views", index, "steps", step_index, "rungs", ref_index), ref


def falling_promotion(transition: Transition, low: Rung, high: Rung) -> str:
    """LDR205's message, for a promotion within a file or across files."""
    return (
        f"a promotion must rise: '{transition.to}' (level {high.level}) "
        f"is not above '{transition.from_}' (level {low.level})"
    )


def ladder_schema() -> dict[str, Any]:
    """The JSON Schema of a ladder file, generated from the models."""
    schema = Ladder.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "anyOf": [{"required": ["rungs"]}, {"required": ["extends"]}],  # an overlay may add no rung
        "title": "ladder file",
        "description": f"A career ladder for the `ladder` tool (schema version {SCHEMA_VERSION}).",
    }
