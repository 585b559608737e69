"""`ladder export -f jsonld`, read by a JSON-LD processor (PyLD) against schema.org's own context.

tests/fixtures/schemaorg-context.jsonld holds the terms the export writes, each definition copied
as it is from schema.org's context (`data/releases/30.0/schemaorgcontext.jsonld` of the
schemaorg/schemaorg repository), without its `@vocab`: a term it does not define is dropped by
expansion, so a misspelt one shows. That context maps its terms to `http://schema.org/`, as
schema.org's own does today (its FAQ: `http` and `https` are both fine). There is no network here:
the document loader serves that file for schema.org's addresses and refuses every other one.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from career_ladder import Ladders
from career_ladder.errors import BadArgument
from career_ladder.results import LadderView
from conftest import minimal_ladder, regional_ladder, run

CONTEXT = json.loads((Path(__file__).parent / "fixtures" / "schemaorg-context.jsonld").read_text(encoding="utf-8"))
SCHEMA = CONTEXT["@context"]["schema"]
SCHEMA_ORG = {
    f"{scheme}://schema.org{path}"
    for scheme in ("http", "https")
    for path in ("", "/", "/docs/jsonldcontext.json", "/docs/jsonldcontext.jsonld")
}
BASE = "https://example.org/ladder.jsonld"
EXPORTS = [("pm", False), ("tpm", False), ("acme", True), ("globex", True)]


def schema_org_only(url: str, options: Any = None) -> dict[str, Any]:
    """PyLD's document loader: schema.org's context from the fixture, and nothing else at all."""
    if url not in SCHEMA_ORG:
        raise jsonld.JsonLdError(f"refused: {url}", "jsonld.LoadDocumentError", code="loading document failed")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": CONTEXT}


def expanded(document: dict[str, Any]) -> list[Any]:
    result: list[Any] = jsonld.expand(document, {"documentLoader": schema_org_only, "base": BASE})
    return result


def exported(ladder: str, examples: bool = False, *more: str) -> dict[str, Any]:
    code, out, err = run(*(["--examples"] if examples else []), *more, "export", ladder, "-f", "jsonld")
    assert (code, err) == (0, ""), err
    document: dict[str, Any] = json.loads(out)
    return document


def written_terms(node: Any) -> Iterator[str]:
    """Every term the document writes: keys that are no keyword, and the types it names."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                yield from [value] if isinstance(value, str) else value
            elif not key.startswith("@"):
                yield key
            if key != "@context":
                yield from written_terms(value)
    elif isinstance(node, list):
        for item in node:
            yield from written_terms(item)


def expanded_iris(node: Any) -> Iterator[str]:
    """Every property and node type of an expanded document (a value's datatype aside)."""
    if isinstance(node, dict):
        if "@value" in node:
            return
        for key, value in node.items():
            if key == "@type":
                yield from value
            elif not key.startswith("@"):
                yield key
            yield from expanded_iris(value)
    elif isinstance(node, list):
        for item in node:
            yield from expanded_iris(item)


def unexpanded_terms(document: dict[str, Any]) -> set[str]:
    """The terms written that do not come out of expansion as schema.org's term of that name."""
    iris = set(expanded_iris(expanded(document)))
    return {term for term in written_terms(document) if SCHEMA + term not in iris} | {
        iri for iri in iris if not iri.startswith(SCHEMA)
    }


def nodes_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every node of the expanded document that says something, by its (absolute) `@id`."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict) and "@value" not in node:
            if "@id" in node and len(node) > 1:
                assert node["@id"] not in found, f"{node['@id']} twice"
                found[node["@id"]] = node
            for key, value in node.items():
                if not key.startswith("@"):
                    walk(value)

    walk(expanded(document))
    return found


def values(node: dict[str, Any], term: str) -> list[Any]:
    """A property's values: a literal as itself, a node or a reference by its `@id`."""
    return [item.get("@value", item.get("@id")) for item in node.get(SCHEMA + term, [])]


def types(node: dict[str, Any]) -> list[str]:
    return [iri.removeprefix(SCHEMA) for iri in node.get("@type", [])]


def at(ladder: str, *parts: str | int) -> str:
    return f"{BASE}#" + "/".join([ladder, *(str(part) for part in parts)])


def view_of(ladder: str, examples: bool) -> tuple[LadderView, Ladders]:
    ladders = Ladders(examples=examples)
    return ladders.ladder(ladder), ladders


@pytest.mark.parametrize(("ladder", "examples"), EXPORTS)
def test_every_term_written_is_schema_org_s_own(ladder: str, examples: bool) -> None:
    document = exported(ladder, examples)
    assert document["@context"] == "https://schema.org"
    assert unexpanded_terms(document) == set()


def test_a_misspelt_term_is_caught() -> None:
    """The check above, shown to work: expansion drops a term schema.org does not define."""
    document = exported("acme", True)
    node = next(node for node in document["@graph"] if node["@type"] == "Occupation")
    node["responsibilites"] = node.pop("responsibilities")
    node["@type"] = "Ocupation"
    assert unexpanded_terms(document) >= {"responsibilites"}
    assert any(not iri.startswith(SCHEMA) for iri in expanded_iris(expanded(document)))  # a type is kept as written


def test_the_loader_serves_schema_org_alone() -> None:
    with pytest.raises(jsonld.JsonLdError):
        expanded({"@context": "https://example.org/context.jsonld", "name": "x"})


@pytest.mark.parametrize(("ladder", "examples"), EXPORTS)
def test_every_node_has_one_stable_id(ladder: str, examples: bool) -> None:
    document = exported(ladder, examples)
    ids: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if "@type" in node:
                assert re.fullmatch(r"#[a-z0-9-]+(/[a-z0-9-]+)*", node.get("@id", "")), node
                ids.append(node["@id"])
            for value in node.values():
                walk(value)

    walk(document["@graph"])
    assert len(ids) == len(set(ids))
    assert exported(ladder, examples) == document  # the same data, the same document


@pytest.mark.parametrize(("ladder", "examples"), EXPORTS)
def test_every_rung_of_the_view_is_an_occupation_with_its_content(ladder: str, examples: bool) -> None:
    view, _ = view_of(ladder, examples)
    nodes = nodes_of(exported(ladder, examples))
    occupations = [iri for iri, node in nodes.items() if types(node) == ["Occupation"]]
    assert occupations == [at(ladder, "rung", placed.rung.id) for placed in view.rungs]
    rung_list = nodes[at(ladder, "rungs")]
    assert types(rung_list) == ["ItemList"] and values(rung_list, "numberOfItems") == [len(view.rungs)]
    for position, (item, placed) in enumerate(zip(values(rung_list, "itemListElement"), view.rungs, strict=True), 1):
        assert values(nodes[item], "position") == [position]
        assert values(nodes[item], "item") == [at(ladder, "rung", placed.rung.id)]
    for placed in view.rungs:
        rung, node = placed.rung, nodes[at(ladder, "rung", placed.rung.id)]
        assert values(node, "name") == [rung.title]
        assert values(node, "alternateName") == list(rung.aliases)
        assert values(node, "description") == ([rung.summary] if rung.summary else [])
        assert values(node, "responsibilities") == [point.text for point in rung.responsibilities]
        expectations = [point.text for points in rung.expectations.values() for point in points]
        assert sorted(values(node, "skills")) == sorted([point.text for point in rung.skills] + expectations)
        experience = values(node, "experienceRequirements")
        assert len(experience) == (1 if rung.years else 0)
        if rung.years:
            requirement = nodes[experience[0]]
            assert types(requirement) == ["OccupationalExperienceRequirements"]
            assert values(requirement, "monthsOfExperience") == [rung.years.min * 12]


def test_a_shared_rung_shows_its_content_under_its_own_ladder_s_id() -> None:
    nodes = nodes_of(exported("tpm"))
    director = nodes[at("tpm", "rung", "director")]
    title = next(placed.rung.title for placed in Ladders().ladder("pm").rungs if placed.rung.id == "director")
    assert values(director, "name") == [title]
    cited = values(director, "subjectOf")
    assert cited and all(ref.startswith(at("pm", "source")) for ref in cited)  # pm's sources, not tpm's


@pytest.mark.parametrize(("ladder", "examples"), EXPORTS)
def test_each_salary_figure_keeps_its_numbers_currency_and_period(ladder: str, examples: bool) -> None:
    view, _ = view_of(ladder, examples)
    nodes = nodes_of(exported(ladder, examples))
    for placed in view.rungs:
        node = nodes[at(ladder, "rung", placed.rung.id)]
        amounts = values(node, "estimatedSalary")
        assert len(amounts) == len(placed.rung.salary)  # no figure, no estimatedSalary (not published: none)
        for figure, iri in zip(placed.rung.salary, amounts, strict=True):
            amount = nodes[iri]
            assert types(amount) == ["MonetaryAmount"] and values(amount, "currency") == [figure.currency]
            value = nodes[values(amount, "value")[0]]
            assert types(value) == ["QuantitativeValue"]
            if figure.average is None:
                assert (values(value, "minValue"), values(value, "maxValue")) == ([figure.min], [figure.max])
            else:
                assert values(value, "value") == [figure.average] and not values(value, "minValue")
            assert values(value, "unitCode") == (["ANN"] if figure.period == "year" else [])
            assert values(amount, "description") == ([figure.note] if figure.note else [])


def test_pay_that_is_not_published_has_no_salary() -> None:
    nodes = nodes_of(exported("acme", True))
    assert not any(types(node) == ["MonetaryAmount"] for node in nodes.values())
    assert not any(values(node, "estimatedSalary") for node in nodes.values())


def test_a_region_is_the_rung_s_location_only_when_every_figure_shares_it(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = regional_ladder("regional")  # senior: USD in the United States, an INR average in India
    data["rungs"][0]["salary"] = [
        {"currency": "EUR", "min": 50000, "max": 60000, "region": "Germany", "period": "year", "sources": ["s"]}
    ]
    write_ladder(tmp_path, data)
    nodes = nodes_of(exported("regional", False, "--data-dir", str(tmp_path)))
    junior, senior = nodes[at("regional", "rung", "junior")], nodes[at("regional", "rung", "senior")]
    place = nodes[values(junior, "occupationLocation")[0]]
    assert types(place) == ["AdministrativeArea"] and values(place, "name") == ["Germany"]
    assert values(senior, "occupationLocation") == []  # two regions: each figure names its own
    names = [values(nodes[iri], "name")[0] for iri in values(senior, "estimatedSalary")]
    assert names[0].endswith(", United States") and names[1] == "₹26.5 lakh average, India"
    assert values(nodes[values(nodes[values(senior, "estimatedSalary")[1]], "value")[0]], "value") == [2650000]


def test_experience_says_or_more_only_without_a_maximum() -> None:
    nodes = nodes_of(exported("acme", True))
    pm = nodes[values(nodes[at("acme", "rung", "pm")], "experienceRequirements")[0]]
    group = nodes[values(nodes[at("acme", "rung", "group-manager")], "experienceRequirements")[0]]
    assert values(pm, "monthsOfExperience") == [12] and values(pm, "description") == ["Typical experience: 1–4 years."]
    assert values(group, "monthsOfExperience") == [72]
    assert values(group, "description") == ["Typical experience: 6 years or more."]


@pytest.mark.parametrize(("ladder", "examples"), EXPORTS)
def test_citations_resolve_to_the_ladder_s_sources(ladder: str, examples: bool) -> None:
    view, ladders = view_of(ladder, examples)
    nodes = nodes_of(exported(ladder, examples))
    work = nodes[at(ladder)]
    assert types(work) == ["CreativeWork"] and values(work, "name") == [view.ladder.name]
    assert values(work, "mainEntity") == [at(ladder, "rungs")]
    declared = {(ladder, source.id): source for source in view.ladder.sources}
    declared |= {(home, s.id): s for home, listed in ladders.shared_sources(view).items() for s in listed}
    cited = values(work, "citation")
    assert {at(ladder, "source", source.id) for source in view.ladder.sources} <= set(cited)
    for placed in view.rungs:
        for ref in values(nodes[at(ladder, "rung", placed.rung.id)], "subjectOf"):
            assert ref in cited  # what a rung is the subject of, the ladder cites
    for ref in cited:
        home, _, source_id = ref.removeprefix(f"{BASE}#").partition("/source/")
        source, node = declared[(home, source_id)], nodes[ref]
        assert types(node) == ["CreativeWork"] and values(node, "name") == [source.title]
        assert values(node, "publisher") == ([source.publisher] if source.publisher else [])
        assert values(node, "datePublished") == ([source.date] if source.date else [])


def test_data_text_comes_back_exactly_and_the_page_can_hold_it(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    title = '</script><b>"R&D" \\ Lead</b> ₹ — naïve'
    data = minimal_ladder("odd")
    data["rungs"][0]["title"] = title
    data["sources"] = [
        {
            "id": "s",
            "title": "A <source>",
            "publisher": "Ünïcode Press",
            "date": 2026,
            "url": "https://example.org/a?b=1&c=2",
        },
        {"id": "t", "title": "Not a web page", "url": "javascript:alert(1)"},
    ]
    write_ladder(tmp_path, data)
    code, out, _ = run("--data-dir", str(tmp_path), "export", "odd", "-f", "jsonld")
    assert code == 0 and "<" not in out and "₹ — naïve" in out  # UTF-8 as is; `<` as \u003c
    nodes = nodes_of(json.loads(out))
    assert values(nodes[at("odd", "rung", "junior")], "name") == [title]
    assert values(nodes[at("odd", "source", "s")], "url") == ["https://example.org/a?b=1&c=2"]
    assert values(nodes[at("odd", "source", "s")], "datePublished") == ["2026"]
    assert values(nodes[at("odd", "source", "t")], "url") == []  # only a web address is a url


def test_export_jsonld_writes_a_file_with_output(tmp_path: Path) -> None:
    target = tmp_path / "tpm.jsonld"
    code, out, err = run("export", "tpm", "-f", "jsonld", "-o", str(target))
    assert (code, out) == (0, "") and err.startswith("wrote ")
    assert json.loads(target.read_text(encoding="utf-8")) == exported("tpm")


def test_export_help_names_jsonld() -> None:
    code, out, _ = run("export", "--help")
    assert code == 0 and "jsonld" in out


def test_an_unknown_ladder_is_one_line_on_stderr() -> None:
    code, out, err = run("export", "nope", "-f", "jsonld")
    assert (code, out) == (1, "") and err.startswith("ladder: no ladder 'nope'") and err.count("\n") == 1


def test_an_unknown_format_names_every_format() -> None:
    with pytest.raises(BadArgument, match="an export format is html, mermaid, csv or jsonld, got 'pdf'"):
        Ladders().export("pm", fmt="pdf")
    code, _, err = run("export", "pm", "-f", "pdf")
    assert code == 2 and "jsonld" in err


def test_each_export_format_imports_its_own_renderer_alone() -> None:
    script = (
        "import sys; from career_ladder import Ladders; Ladders().export('pm', fmt=sys.argv[1]); "
        "print(' '.join(m for m in sys.modules if m.startswith('career_ladder.render.')))"
    )
    for fmt, own, other in (("jsonld", "jsonld", "page"), ("mermaid", "mermaid", "page"), ("html", "page", "jsonld")):
        ran = subprocess.run([sys.executable, "-c", script, fmt], capture_output=True, text=True, check=True)
        loaded = ran.stdout.split()
        assert f"career_ladder.render.{own}" in loaded and f"career_ladder.render.{other}" not in loaded
