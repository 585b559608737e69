"""`ladder export -f jsonld`: a ladder as JSON-LD in schema.org's words, for search engines and
linked-data tools.

One `@graph`: the ladder as a `CreativeWork` (it cites its sources) whose `mainEntity` is an
`ItemList` of its rungs in the ladder's order, each rung an `Occupation`, and each source a
`CreativeWork`. Every node has an `@id` relative to the document, made of ids the data fixes
(`#pm`, `#pm/rungs`, `#pm/rung/senior-pm`, `#pm/source/pm-career-path`): a kind in the path, so
that a rung and a source of one id never share a node.

Only schema.org's own terms are written, each where schema.org defines it. What it has no term
for is left out, not said in words of our own: the moves between rungs (no property leads from
one `Occupation` to another), signals, notes, tracks, levels, reporting lines, pay a ladder gives
for the role as a whole, and the statement that pay is not published (no figure is written then).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from career_ladder.currencies import figure_text
from career_ladder.render.labels import COVERS
from career_ladder.render.output import json_text
from career_ladder.results import LadderView, PlacedRung

if TYPE_CHECKING:
    from career_ladder.models import Point, Rung, SalaryFigure, Source, Years

Node = dict[str, Any]


def jsonld(view: LadderView, shared_sources: Mapping[str, Sequence[Source]]) -> str:
    """The document, deterministic (the data's order, keys in a fixed order) and UTF-8, with `<`
    escaped (`\\u003c`, the same text to a JSON reader) so that it can go in a
    `<script type="application/ld+json">` element as it is. `shared_sources` are the sources of the
    ladders its shared rungs come from, by ladder id, for the rungs that cite them."""
    ladder = view.ladder
    sources = [_source(ladder.id, source) for source in ladder.sources]
    others = [_source(home, source) for home, listed in sorted(shared_sources.items()) for source in listed]
    known = {node["@id"] for node in [*sources, *others]}
    occupations = [_occupation(view, placed, known) for placed in view.rungs]
    cited = {ref["@id"] for node in occupations for ref in node.get("subjectOf", [])}
    own = {node["@id"] for node in sources}
    sources += [node for node in others if node["@id"] in cited and node["@id"] not in own]  # shared rungs' homes
    work: Node = {"@id": _id(ladder.id), "@type": "CreativeWork", "name": ladder.name}
    if ladder.aliases:
        work["alternateName"] = list(ladder.aliases)
    work["description"] = ladder.summary
    work["mainEntity"] = {"@id": _id(ladder.id, "rungs")}
    work["citation"] = [{"@id": node["@id"]} for node in sources]
    document = {"@context": "https://schema.org", "@graph": [work, _rung_list(view), *occupations, *sources]}
    return json_text(document).replace("<", "\\u003c")


def _id(ladder: str, *parts: str | int) -> str:
    """A node's `@id`, relative to the document: no slug holds a `/`, so each path names one node."""
    return "#" + "/".join([ladder, *(str(part) for part in parts)])


def _rung_list(view: LadderView) -> Node:
    """The rungs in the ladder's order (lowest first; parallel tracks side by side at one level)."""
    ladder = view.ladder.id
    items = [
        {
            "@id": _id(ladder, "rungs", position),
            "@type": "ListItem",
            "position": position,
            "item": {"@id": _id(ladder, "rung", placed.rung.id)},
        }
        for position, placed in enumerate(view.rungs, start=1)
    ]
    return {"@id": _id(ladder, "rungs"), "@type": "ItemList", "numberOfItems": len(items), "itemListElement": items}


def _occupation(view: LadderView, placed: PlacedRung, known: set[str]) -> Node:
    """A rung as an `Occupation`, with its content as the view shows it (a shared rung's from the
    ladder that writes it), the subject of the sources it cites (`subjectOf`: a `CreativeWork`
    about it; `citation` is a creative work's, and an `Occupation` is none). Its expectations go
    to `skills` with its skills: schema.org's `skills` is "a statement of knowledge, skill,
    ability, task or any other assertion expressing a competency ... required to fulfill a role",
    while `qualifications` is for credentials."""
    rung = placed.rung
    at = _id(view.ladder.id, "rung", rung.id)
    node: Node = {"@id": at, "@type": "Occupation", "name": rung.title}
    if rung.aliases:
        node["alternateName"] = list(rung.aliases)
    if rung.summary:
        node["description"] = rung.summary
    if rung.responsibilities:
        node["responsibilities"] = [point.text for point in rung.responsibilities]
    skills = [point.text for point in rung.skills] + [point.text for point in _expectations(view, rung)]
    if skills:
        node["skills"] = skills
    if rung.years:
        node["experienceRequirements"] = _experience(rung.years, f"{at}/experience")
    if rung.salary:
        node["estimatedSalary"] = [_salary(figure, f"{at}/salary/{n}") for n, figure in enumerate(rung.salary, 1)]
        regions = {figure.region for figure in rung.salary}
        if len(regions) == 1 and (region := regions.pop()):
            node["occupationLocation"] = {"@id": f"{at}/location", "@type": "AdministrativeArea", "name": region}
    owner = placed.home or placed.ladder  # whose sources its parts cite
    if about := [{"@id": ref} for ref in (_id(owner, "source", s) for s in _cited(rung)) if ref in known]:
        node["subjectOf"] = about
    return node


def _expectations(view: LadderView, rung: Rung) -> Iterator[Point]:
    """The rung's expectations, area by area in the ladder's order of its competency areas (an area
    it does not list, as a shared rung's home may have, after them in the rung's order)."""
    areas = [area.id for area in view.ladder.competencies if area.id in rung.expectations]
    areas += [area for area in rung.expectations if area not in areas]
    for area in areas:
        yield from rung.expectations[area]


def _cited(rung: Rung) -> list[str]:
    """The sources of the rung and of every part of it written here, each once, in order."""
    ids = list(rung.sources)
    for point in [*rung.responsibilities, *rung.skills, *(p for points in rung.expectations.values() for p in points)]:
        ids += point.sources
    for figure in rung.salary:
        ids += figure.sources
    return list(dict.fromkeys(ids))


def _experience(years: Years, at: str) -> Node:
    """Typical years as `OccupationalExperienceRequirements`. Its one measure, `monthsOfExperience`,
    is the least experience asked for, so it is the range's low end (`min` alone means "or more");
    the sources give typical years, not a requirement, and `description` says so, with the range."""
    if years.max is None:
        span = f"{_years(years.min)} or more"
    elif years.max == years.min:
        span = _years(years.min)
    else:
        span = f"{years.min}–{years.max} years"
    return {
        "@id": at,
        "@type": "OccupationalExperienceRequirements",
        "monthsOfExperience": years.min * 12,
        "description": f"Typical experience: {span}.",
    }


def _years(count: int) -> str:
    return f"{count} year{'s' * (count != 1)}"


def _salary(figure: SalaryFigure, at: str) -> Node:
    """A pay figure as a `MonetaryAmount` whose `value` is a `QuantitativeValue`: `minValue` and
    `maxValue` for a range, `value` for an average, and `unitCode` `ANN` (UN/CEFACT: a year) when
    the figure is yearly; no unit when the source does not say. Not a `MonetaryAmountDistribution`:
    that holds percentiles (`percentile10` ... `median` ... `percentile90`), and a source's range
    is not its 10th to 90th percentile nor its average a median; `minValue` and `maxValue` are not
    a distribution's. `name` is the figure as people read it (`€70,000 – €90,000 base pay,
    Germany (2026)`): schema.org has no property for the region of an amount or the year it is
    from, and `occupationLocation` belongs to the whole rung (written only when all its figures
    share one region). `description` is the figure's note."""
    amounts = figure.model_dump(mode="json")  # whole amounts as integers
    value: Node = {"@id": f"{at}/value", "@type": "QuantitativeValue"}
    if figure.average is None:
        value |= {"minValue": amounts["min"], "maxValue": amounts["max"]}
    else:
        value["value"] = amounts["average"]
    if figure.period == "year":
        value["unitCode"] = "ANN"
    name = figure_text(figure) + (f" {COVERS[figure.covers]}" if figure.covers != "not-stated" else "")
    name += f", {figure.region}" if figure.region else ""
    name += f" ({figure.as_of})" if figure.as_of else ""
    node: Node = {"@id": at, "@type": "MonetaryAmount", "name": name, "currency": figure.currency, "value": value}
    if figure.note:
        node["description"] = figure.note
    return node


def _source(ladder: str, source: Source) -> Node:
    """A source as a `CreativeWork`. Its publisher is written as text, as the file has it: schema.org
    takes text where it expects a thing, and an `Organization` or a `Person` would be our guess. A
    `url` is written only when it is a web address (`url` is an IRI in schema.org's context)."""
    node: Node = {"@id": _id(ladder, "source", source.id), "@type": "CreativeWork", "name": source.title}
    if source.publisher:
        node["publisher"] = source.publisher
    if source.date:
        node["datePublished"] = source.date
    if source.url and re.match(r"https?://", source.url):
        node["url"] = source.url
    if source.covers:
        node["description"] = source.covers
    return node
