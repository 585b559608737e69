"""The shape of a ladder file: its records and the fields of each (single values: `values.py`).

The rules of a whole file are in `rules.py`, those that need more than one file in `validation.py`.
A record's own rule raises a pydantic error whose type is its stable `LDR` code, so the loader can
report every problem with its field path.
"""

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    Strict,
    Tag,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from career_ladder import SCHEMA_VERSION
from career_ladder.currencies import ISO_4217
from career_ladder.errors import Loc
from career_ladder.values import (
    Amount,
    Count,
    DateAsWritten,
    RungRef,
    Slug,
    SourceIds,
    Text,
    number_text,
)


class Record(BaseModel):
    """A misspelt field is an error, never silently ignored."""

    # A field named for a Python keyword (`from_`, `with_`) is written by its alias in a file.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, populate_by_name=True)


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

    No id is written out as no key at all, so json output and the store stay as they were."""

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
                "LDR207", "amount must be above zero, got {amount}", {"amount": number_text(amount)}
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
                {"min": number_text(self.min), "max": number_text(self.max)},
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

    def names(self) -> list[str]:
        """Every name the rung answers to: id, title and aliases."""
        return [self.id, self.title, *self.aliases]


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

    def rung(self, rung_id: str) -> Rung | SharedRung | None:
        return next((r for r in self.rungs if r.id == rung_id), None)

    def rung_names(self) -> list[tuple[str, str | None, list[str]]]:
        """Each rung's id, title and aliases (a shared one's id alone), for a did-you-mean."""
        return [
            (entry.id, entry.title, list(entry.aliases)) if isinstance(entry, Rung) else (entry.id, None, [])
            for entry in self.rungs
        ]


def parts(node: Any, loc: Loc = ()) -> Iterator[tuple[Loc, BaseModel]]:
    """Every rung, point, figure and other item under `node`, each after its own parts, with its
    place there (a field by its name in the file)."""
    children: Iterable[tuple[str | int, Any]]
    if isinstance(node, BaseModel):
        children = ((key, getattr(node, name)) for name, key in _field_keys(type(node)))
    else:
        children = enumerate(node) if isinstance(node, list) else node.items()
    for key, value in children:
        if isinstance(value, _NESTED):
            yield from parts(value, (*loc, key))
            if isinstance(value, BaseModel):
                yield (*loc, key), value


# What may hold an item; a text or a number holds none.
_NESTED = (BaseModel, list, dict)


@cache
def _field_keys(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """A model's fields: each one's name, and its name in the file."""
    return tuple((name, info.alias or name) for name, info in model.model_fields.items())


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
