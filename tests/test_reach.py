"""Nothing in the data is out of reach: every non-empty field of the built-in ladders and of the two
company examples shows in some command's table output and in some command's markdown output, so a
field added later cannot hide in json and yaml alone."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from career_ladder.catalog import Catalog
from career_ladder.cli import app
from career_ladder.currencies import amount_text
from career_ladder.datadirs import data_dirs
from career_ladder.models import Rung
from career_ladder.names import normalized

AMOUNTS = ("min", "max", "average")
EXAMPLES = Path(__file__).parents[1] / "examples"
LADDERS = ("pm", "tpm", "acme", "globex")


def leaves(value: Any, path: tuple[Any, ...] = (), parent: Any = None) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every non-empty value in dumped data, with its path and the text a reader would see."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key), value)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index), parent)
    elif isinstance(value, bool) or value is None or value == "":
        return  # a flag shows as a marker ([optional]); nothing to show for no value
    elif isinstance(value, int | float) and path[-1] in AMOUNTS and "currency" in parent:
        yield path, amount_text(value, parent["currency"])
    else:
        yield path, str(value)


@cache
def ladders() -> dict[str, Any]:
    catalog = Catalog(data_dirs([EXAMPLES]))
    return {ladder_id: catalog.ladder(ladder_id) for ladder_id in LADDERS}


def commands() -> list[list[str]]:
    found = [["compare", "pm", "tpm", "--limit", "0"], ["entry"], ["tracks"], ["sources"]]
    found += [["compare", "pm", "acme", "--competencies", "--limit", "0"]]
    for ladder_id, ladder in ladders().items():
        found += [["show", ladder_id, "--detail", "--limit", "0"], ["about", ladder_id]]
        found += [["show", ladder_id, "--competencies"]] if ladder.competencies else []
        found += [["show", ladder_id, entry.id] for entry in ladder.rungs]
        found += [["sources", source.id, "--ladder", ladder_id] for source in ladder.sources]
    return found


@cache
def shown(fmt: str) -> str:
    """Everything the human format prints for the built-in data, as names compare (no case, spacing
    or punctuation), markdown's escapes undone."""
    runner = CliRunner()
    printed = []
    for command in commands():
        arguments = ["--data-dir", str(EXAMPLES), *command, "--format", fmt]
        result = runner.invoke(app, arguments, env={"COLUMNS": "5000", "NO_COLOR": "1"})
        assert result.exit_code == 0, (command, result.stderr)
        printed.append(result.stdout)
    text = "\n".join(printed)
    for escaped, plain in (("<br>", " "), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")):
        text = text.replace(escaped, plain)
    return normalized(text)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "markdown"])
@pytest.mark.parametrize("ladder_id", LADDERS)
def test_every_field_of_the_data_shows_in_a_human_format(ladder_id: str, fmt: str) -> None:
    data = ladders()[ladder_id].model_dump(mode="json", by_alias=True)
    hidden = [path for path, text in leaves(data) if normalized(text) not in shown(fmt)]
    assert hidden == []


def test_the_walk_finds_amounts_as_people_read_them() -> None:
    figure = {"currency": "INR", "average": 2650000, "sources": ["x"]}
    assert list(leaves({"salary": [figure]})) == [
        (("salary", 0, "currency"), "INR"),
        (("salary", 0, "average"), "₹26.5 lakh"),
        (("salary", 0, "sources", 0), "x"),
    ]


class _PageText(HTMLParser):
    """The text a reader of a page sees: its body, not its markup, style or attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


@cache
def page_text(ladder_id: str) -> str:
    result = CliRunner().invoke(app, ["--data-dir", str(EXAMPLES), "export", ladder_id])
    assert result.exit_code == 0, result.stderr
    parser = _PageText()
    parser.feed(result.stdout)
    return normalized(" ".join(parser.parts))


REFERENCES = {"from", "to", "shared", "equivalent", "reports_to", "lands_on", "rungs"}


def as_shown(ladder_id: str, path: tuple[Any, ...], text: str) -> str:
    """A field as a page shows it: a reference to a rung (`tpm:tpm`, `apm`) by the rung's title."""
    if not any(key in REFERENCES for key in path[-2:] if isinstance(key, str)):
        return text
    if ":" in text:
        return Catalog(data_dirs([EXAMPLES])).shared_rung(text)[1].title
    ladder = ladders()[ladder_id]
    titles = {entry.id: entry.title for entry in ladder.rungs if isinstance(entry, Rung)}
    return titles.get(text) or as_shown(ladder_id, path, ladder.rung(text).shared)  # type: ignore[union-attr]


@pytest.mark.slow
@pytest.mark.parametrize("ladder_id", LADDERS)
def test_every_field_of_the_data_shows_on_the_ladders_page(ladder_id: str) -> None:
    data = ladders()[ladder_id].model_dump(mode="json", by_alias=True)
    shown = page_text(ladder_id)
    hidden = [(path, text) for path, text in leaves(data) if normalized(as_shown(ladder_id, path, text)) not in shown]
    assert hidden == []
