"""The ladder's page (`ladder export`, html) as people read it: a contents list, headings that show
where a reader is, moves and ways in as words with links, sorted citations, sources in full, ranges
that hold together, and every data text escaped wherever it lands."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from typer.testing import CliRunner

from career_ladder import Ladders
from career_ladder.cli import app
from career_ladder.queries import page_context
from career_ladder.render.page import page
from conftest import minimal_ladder

EXAMPLES = Path(__file__).parents[1] / "examples"
LADDERS = ["pm", "tpm", "acme", "globex"]


def exported(ladder: str) -> str:
    return Ladders([EXAMPLES]).export(ladder)


class Outline(HTMLParser):
    """The headings of a page in order, as (level, text), and the ids it declares."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self._level = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if re.fullmatch(r"h[1-6]", tag):
            self._level = int(tag[1])
            self.headings.append((self._level, ""))

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self._level = 0

    def handle_data(self, data: str) -> None:
        if self._level:
            level, text = self.headings[-1]
            self.headings[-1] = (level, text + data)


def outline(text: str) -> Outline:
    parser = Outline()
    parser.feed(text)
    return parser


@pytest.mark.parametrize("ladder", LADDERS)
def test_headings_step_down_one_level_at_a_time_under_one_title(ladder: str) -> None:
    headings = outline(exported(ladder)).headings
    assert [level for level, _ in headings].count(1) == 1 and headings[0][0] == 1
    for (before, _), (after, text) in pairwise(headings):
        assert after <= before + 1, f"h{after} '{text}' follows an h{before}"


@pytest.mark.parametrize("ladder", LADDERS)
def test_the_contents_and_every_link_within_the_page_lead_somewhere(ladder: str) -> None:
    text = exported(ladder)
    parsed = outline(text)
    contents = re.search(r'<nav class="contents".*?</nav>', text)
    assert contents and "top" in parsed.ids and 'class="to-top" href="#top"' in text
    sections = re.findall(r'href="#([^"]+)"', contents.group())
    assert sections[0] == "rungs" and "details" in sections and sections[-1] == "sources"
    for address in parsed.links:
        if address.startswith("#"):
            assert address[1:] in parsed.ids, address


def test_an_area_sits_under_its_section_under_its_rung() -> None:
    headings = outline(exported("acme")).headings
    at = headings.index((3, "Senior Product Manager"))
    assert headings[at + 1 : at + 3] == [(4, "Responsibilities"), (4, "Expectations by competency area")]
    assert headings[at + 3] == (5, "Area: Execution")


def test_moves_and_ways_in_are_words_with_titles_that_link_to_their_rungs() -> None:
    text = exported("pm")
    moves = text.split('<section id="moves">')[1].split("</section>")[0]
    assert (
        'From <a href="#rung-apm">Associate Product Manager</a> up to <a href="#rung-pm">Product Manager</a>' in moves
    )
    assert "Between " in moves and "Technical Product Manager</a>" not in moves  # no page of tpm to link to
    assert '<span class="muted">(Technical product management)</span>' in moves
    assert "tpm:tpm" not in moves and "→" not in moves and "promotion:" not in moves
    assert "Ready when:" in moves  # the move's signals, as the terminal gives them
    ways = text.split('<section id="ways-in">')[1].split("</section>")[0]
    assert 'lands on <a href="#rung-apm">Associate Product Manager</a>' in ways


def test_a_site_links_the_rungs_of_other_ladders_to_their_pages() -> None:
    ladders = Ladders([EXAMPLES])
    view = ladders.ladder("pm")
    linked = page(
        view,
        page_context(ladders._catalog, view),
        href=lambda ladder, rung: f"{ladder}.html#rung-{rung}",
        home="index.html",
    )
    assert '<a href="tpm.html#rung-tpm">Technical Product Manager</a>' in linked
    assert '<p class="up"><a href="index.html">All ladders</a></p>' in linked


@pytest.mark.parametrize("ladder", LADDERS)
def test_citations_are_in_order_and_sources_numbered_as_the_ladder_lists_them(ladder: str) -> None:
    text = exported(ladder)
    for mark in re.findall(r"<sup>(.*?)</sup>", text):
        numbers = [int(n) for n in re.findall(r">(\d+)</a>", mark)]
        assert numbers == sorted(numbers) and len(numbers) == len(set(numbers)), mark
    listed = re.findall(r'<li id="source-([^"]+)" value="(\d+)"', text)
    own = [source.id for source in Ladders([EXAMPLES]).ladder(ladder).ladder.sources]
    assert [key for key, _ in listed[: len(own)]] == [f"{ladder}:{source}" for source in own]
    assert [int(number) for _, number in listed] == list(range(1, len(listed) + 1))


def test_sources_say_who_published_them_when_where_and_what_they_cover(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = minimal_ladder("co")
    data["sources"] = [
        {
            "id": "s",
            "title": "Handbook",
            "publisher": "Co",
            "date": "2024-05-01",
            "url": "https://example.com/ladder",
            "covers": "The whole ladder.",
        },
        {"id": "t", "title": "Notes", "url": "javascript:alert(1)", "file": "notes.txt"},
    ]
    write_ladder(tmp_path, data)
    text = Ladders([tmp_path]).export("co")
    sources = text.split('<section id="sources">')[1]
    assert "Handbook (Co, 2024-05-01)" in sources and "Covers: The whole ladder." in sources
    assert 'Address: <a href="https://example.com/ladder">https://example.com/ladder</a>' in sources
    assert "Address: javascript:alert(1)" in sources and 'href="javascript' not in text
    assert "Text kept in: <code>notes.txt</code>" in sources


def test_a_range_never_breaks_inside_and_pay_says_all_its_source_says() -> None:
    text = exported("pm")
    assert '<span class="nowrap">$150,221 – $220,000</span>' in text
    director = text.split('id="rung-director"')[1].split("</section>")[0]
    assert (
        "$150,221 – $220,000</span> (period not stated) (region not stated, year not stated, pay basis not stated, USD)"
        in director
    )
    tpm = exported("tpm")
    role = tpm.split('<section id="about">')[1]
    assert "Pay for the role as a whole, not for one rung" in role and "₹26.5 lakh average" in role


def test_optional_and_duty_less_rungs_are_marked_where_they_are_listed_and_described() -> None:
    text = exported("pm")
    overview = text.split('<section id="rungs">')[1].split("</section>")[0]
    row = overview.split('href="#rung-senior-manager"')[1].split("</tr>")[0]
    assert '<span class="tag">optional</span>' in row and '<span class="tag">no duties stated</span>' in row
    rung = text.split('<section class="rung" id="rung-senior-manager"')[1].split("</h3>")[0]
    assert "optional" in rung and "no duties stated" in rung


def test_what_the_terminal_says_of_the_role_is_on_the_page() -> None:
    tpm = exported("tpm")
    for heading in ("Specialisations", "About the role", "Outlook", "Why it varies: Level by organisation"):
        assert f">{heading}</h" in tpm
    assert tpm.count('<span class="bar" style="width: ') == 8
    acme = exported("acme")
    assert "Reports to" in acme and "Equivalent to" in acme and '<dl class="areas">' in acme


def test_every_text_is_escaped_wherever_the_page_puts_it(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    bad = "<b>x</b>&"
    data = minimal_ladder(
        "odd",
        aliases=[bad],
        competencies=[{"id": "area", "name": bad, "covers": bad, "sources": ["s"]}],
        parallel_tracks=[{"id": "ic", "name": bad, "summary": bad, "sources": ["s"]}],
        tracks=[{"id": "t", "name": bad, "focus": bad, "sources": ["s"]}],
        entry_points=[{"id": "e", "name": bad, "lands_on": ["junior"], "sources": ["s"]}],
        notes=[{"text": bad, "sources": ["s"]}],
    )
    data["rungs"][0]["expectations"] = {"area": [{"text": bad, "sources": ["s"]}]}
    data["rungs"][0]["track"] = "ic"
    data["sources"][0]["covers"] = bad
    write_ladder(tmp_path, data)
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "export", "odd"])
    assert result.exit_code == 0, result.stderr
    assert "<b>" not in result.stdout and result.stdout.count("&lt;b&gt;x&lt;/b&gt;&amp;") >= 9


def test_no_rung_id_takes_the_id_of_a_section_or_another_anchor(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = minimal_ladder("odd")
    for rung, rung_id in zip(data["rungs"], ("by-rung", "top"), strict=True):
        rung["id"] = rung_id
    data["transitions"][0].update({"from": "by-rung", "to": "top"})
    write_ladder(tmp_path, data)
    text = Ladders([tmp_path]).export("odd")
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    parsed = outline(text)
    assert all(address[1:] in parsed.ids for address in parsed.links if address.startswith("#"))


def test_a_rung_shows_what_its_equivalents_pay_in_their_own_ladders() -> None:
    director = exported("acme").split('id="rung-director"')[1].split("</section>")[0]
    assert "Pay of the equivalent rungs, as their own ladders give it:" in director
    assert '<span class="nowrap">$150,221 – $220,000</span>' in director


def test_a_shared_rung_is_reached_by_the_moves_and_ways_in_of_its_home_ladder() -> None:
    tpm = exported("tpm")
    moves = tpm.split('<section id="moves">')[1].split("</section>")[0]
    assert "From Senior Manager" in moves and 'up to <a href="#rung-director">Director of Product</a>' in moves
    director = tpm.split('id="rung-director"')[1].split("</section>")[0]
    assert "<strong>Reached from:</strong> promotion from <a" in director and "from Senior Manager" in director
    assert director.count('promotion to <a href="#rung-vp">') == 1
