"""The exported pages in a real browser: printed to US Letter (page count, no heading left at a
page's foot, no page left more than half empty) and checked by axe-core in light and dark. The
checks take any list of HTML files, so a static site's pages go through the same ones.

Chromium is driven by playwright-core, for printing too: one browser for every page, print media
and the paper, margins and header set by the test rather than by the defaults of a Chromium
version (the CLI's `--print-to-pdf` renamed its no-header flag once already), and the margins
each page really got read back (a page's own `@page` rule wins over the printer's)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from career_ladder.cli import app

ROOT = Path(__file__).parents[1]
SCRIPTS = Path(__file__).parent / "browser"
# Where each ladder's data is: the shipped ladders, and the examples with `--data-dir examples`.
LADDERS = {"pm": None, "tpm": None, "acme": ROOT / "examples", "globex": ROOT / "examples"}
MARGIN_INCHES = 0.4  # what Chrome's print dialog gives by default (about 1 cm)
PM_PAGES = 10
SCHEMES = ("light", "dark")
BLOCKING = ("serious", "critical")  # color-contrast (WCAG AA) is serious

NPM_INSTALL = "npm install --prefix DIR playwright-core@1.57.0 axe-core@4.14.1, then LADDER_NPM=DIR (`.ci/run` does it)"


# --- the tools -------------------------------------------------------------------------------------


def chromium() -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no Chromium: install it (Debian: `apt-get install chromium`) to check pages in a browser")
    return browser


def npm_folder() -> Path:
    folder = os.environ.get("LADDER_NPM")
    modules = Path(folder or "-") / "node_modules"
    if (
        not folder
        or not shutil.which("node")
        or not all((modules / p).is_dir() for p in ("playwright-core", "axe-core"))
    ):
        pytest.skip(f"no playwright-core and axe-core for node: {NPM_INSTALL}")
    return Path(folder)


def pdftotext() -> str:
    tool = shutil.which("pdftotext")
    if tool is None or shutil.which("pdfinfo") is None:
        pytest.skip("no pdftotext or pdfinfo: install poppler's tools (Debian: `apt-get install poppler-utils`)")
    return tool


def node(script: str, *args: str) -> str:
    """Runs tests/browser/SCRIPT with ARGS against the system's Chromium; what it printed."""
    env = {**os.environ, "LADDER_NPM": str(npm_folder()), "LADDER_CHROMIUM": chromium()}
    ran = subprocess.run(
        ["node", str(SCRIPTS / script), *args], capture_output=True, text=True, timeout=600, env=env, check=False
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    return ran.stdout


# --- printing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A line of text as printed, in points from the page's top."""

    text: str
    left: float
    top: float
    bottom: float


@dataclass(frozen=True)
class PrintedPage:
    lines: list[Line]
    height: float
    margin_top: float
    margin_bottom: float

    @property
    def fill(self) -> float:
        """How much of the space inside the margins the text reaches down to, 0 to 1."""
        if not self.lines:
            return 0.0
        lowest = max(line.bottom for line in self.lines)
        return (lowest - self.margin_top) / (self.height - self.margin_top - self.margin_bottom)

    def last_rows(self) -> list[str]:
        """The page's bottom rows of text, last first: lines side by side (table cells, a footnote
        mark raised above its line) read left to right as one."""
        rows: list[list[Line]] = []
        for line in sorted(self.lines, key=lambda line: line.top):
            if rows and _overlap(rows[-1], line) > 0.3 * min(each.bottom - each.top for each in [*rows[-1], line]):
                rows[-1].append(line)
            else:
                rows.append([line])
        return [" ".join(each.text for each in sorted(row, key=lambda line: line.left)) for row in reversed(rows)]


def _overlap(row: list[Line], line: Line) -> float:
    """How far, in points, `line` reaches into the height of `row` (negative: the gap between)."""
    return min(line.bottom, *(each.bottom for each in row)) - max(line.top, *(each.top for each in row))


def words(text: str) -> str:
    """Text as compared between HTML and PDF: ligatures and the like undone, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


_X = "{http://www.w3.org/1999/xhtml}"


def printed_pages(pdf: Path, margin_top: float, margin_bottom: float) -> list[PrintedPage]:
    """Each page of `pdf` as poppler's pdftotext lays it out (`-bbox-layout`: lines with their boxes)."""
    layout = subprocess.run(
        [pdftotext(), "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    pages = []
    for page in ElementTree.fromstring(layout).iter(f"{_X}page"):
        lines = [
            Line(
                words(" ".join(word.text or "" for word in line.iter(f"{_X}word"))),
                float(line.attrib["xMin"]),
                float(line.attrib["yMin"]),
                float(line.attrib["yMax"]),
            )
            for line in page.iter(f"{_X}line")
        ]
        pages.append(PrintedPage(lines, float(page.attrib["height"]), margin_top, margin_bottom))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=True).stdout
    assert re.search(rf"^Pages:\s+{len(pages)}$", info, re.MULTILINE), info  # pdfinfo counts as many
    return pages


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-4]", tag):
            self.open = []

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-4]", tag) and self.open is not None:
            self.found.append(words("".join(self.open)))
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.open.append(data)


def headings(page: str) -> set[str]:
    """The texts of the page's h1 to h4."""
    parser = _Headings()
    parser.feed(page)
    return set(parser.found)


def stranded_headings(pages: Sequence[PrintedPage], titles: Iterable[str]) -> list[tuple[int, str]]:
    """(page number, heading) for each page but the last whose bottom row of text is a heading, or
    the end of one wrapped over two or three rows: its text printed there, its content overleaf."""
    titles = set(titles)
    found = []
    for number, page in enumerate(pages[:-1], start=1):
        rows = page.last_rows()[:3]
        for count in range(1, len(rows) + 1):
            text = " ".join(reversed(rows[:count]))
            if text in titles:
                found.append((number, text))
                break
    return found


def underfilled(pages: Sequence[PrintedPage]) -> list[tuple[int, float]]:
    """(page number, fill) for each page but the last that is filled less than half."""
    return [(number, page.fill) for number, page in enumerate(pages[:-1], start=1) if page.fill < 0.5]


@dataclass(frozen=True)
class Printout:
    """An HTML file as printed, and the headings it has."""

    page: Path
    pages: list[PrintedPage]
    headings: set[str]

    def summary(self) -> str:
        fills = " ".join(f"{page.fill:.2f}" for page in self.pages)
        return f"{self.page.name}: {len(self.pages)} Letter pages, filled {fills}"

    def problems(self) -> list[str]:
        """Each heading left at a page's foot and each page but the last less than half full."""
        name = self.page.name
        stranded = [f"{name}: {text!r} ends page {n}" for n, text in stranded_headings(self.pages, self.headings)]
        return stranded + [f"{name}: page {n} filled {fill:.2f}" for n, fill in underfilled(self.pages)]


def print_pages(files: Sequence[Path]) -> dict[Path, Printout]:
    """Each HTML file printed to US Letter in Chromium (PDF beside it), read back page by page."""
    pdftotext()
    margins = json.loads(node("print.mjs", str(MARGIN_INCHES), *map(str, files)))
    found = {}
    for file, margin in zip(files, margins, strict=True):
        pages = printed_pages(file.with_suffix(".pdf"), margin["top"], margin["bottom"])
        found[file] = Printout(file, pages, headings(file.read_text(encoding="utf-8")))
    return found


# --- axe-core --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AxeReport:
    """What axe-core found on one page in one colour scheme: its violations as axe gives them (rule,
    impact, help, nodes: target and summary) and the rules it could not decide, with their counts."""

    page: Path
    scheme: str
    violations: list[dict[str, Any]]
    undecided: list[dict[str, Any]]

    def blocking(self) -> str:
        """The serious and critical violations, each element under its rule: what to fix, or ""."""
        lines = []
        for violation in (v for v in self.violations if v["impact"] in BLOCKING):
            lines.append(
                f"{self.page.name} ({self.scheme}): {violation['rule']} [{violation['impact']}] {violation['help']}"
            )
            for node in violation["nodes"][:8]:
                summary = " / ".join(part.strip() for part in node["summary"].splitlines()[1:] if part.strip())
                lines.append(f"    {node['target']}: {summary}")
            if len(violation["nodes"]) > 8:
                lines.append(f"    ... and {len(violation['nodes']) - 8} more")
        return "\n".join(lines)

    def others(self) -> str:
        """The moderate and minor violations and the undecided rules, counted: reported, not failed."""
        lesser = [
            f"{v['rule']} ({v['impact']}, {len(v['nodes'])})" for v in self.violations if v["impact"] not in BLOCKING
        ]
        lesser += [f"{u['rule']} (undecided, {u['count']})" for u in self.undecided]
        return f"axe {self.page.name} ({self.scheme}), not failed on: {', '.join(lesser) or 'nothing'}"


def axe(files: Sequence[Path], scheme: str) -> dict[Path, AxeReport]:
    """axe-core's rules run on each HTML file in the colour scheme `scheme` (light or dark)."""
    results = json.loads(node("axe.mjs", scheme, *map(str, files)))
    return {
        Path(result["page"]): AxeReport(Path(result["page"]), scheme, result["violations"], result["undecided"])
        for result in results
    }


# --- the exported pages ----------------------------------------------------------------------------


def export_page(ladder: str, data_dir: Path | None, target: Path, home: Path) -> Path:
    """`ladder export LADDER` (html) into `target`, with a user data directory of its own in `home`."""
    options = ["--data-dir", str(data_dir)] if data_dir else []
    env = {"XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"), "LADDER_PATH": None}
    result = CliRunner().invoke(app, [*options, "export", ladder, "-o", str(target)], env=env)
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exported")
    home = tmp_path_factory.mktemp("home")
    return {ladder: export_page(ladder, data, folder / f"{ladder}.html", home) for ladder, data in LADDERS.items()}


@pytest.fixture(scope="session")
def printouts(exported: dict[str, Path]) -> dict[str, Printout]:
    printed = print_pages(list(exported.values()))
    return {ladder: printed[page] for ladder, page in exported.items()}


@pytest.fixture(scope="session")
def axe_reports(exported: dict[str, Path]) -> dict[tuple[str, str], AxeReport]:
    found: dict[tuple[str, str], AxeReport] = {}
    for scheme in SCHEMES:
        by_page = axe(list(exported.values()), scheme)
        found |= {(ladder, scheme): by_page[page] for ladder, page in exported.items()}
    return found


# --- the exported pages, printed -------------------------------------------------------------------


@pytest.mark.slow
def test_pm_prints_on_at_most_ten_letter_pages(
    printouts: dict[str, Printout], capsys: pytest.CaptureFixture[str]
) -> None:
    with capsys.disabled():  # every ladder's count and fill, failed or not
        print("\n" + "\n".join(printout.summary() for printout in printouts.values()))
    pages = len(printouts["pm"].pages)
    assert pages <= PM_PAGES, f"pm prints on {pages} Letter pages, more than {PM_PAGES}"


@pytest.mark.slow
@pytest.mark.parametrize("ladder", LADDERS)
def test_no_heading_is_the_last_line_of_a_printed_page(ladder: str, printouts: dict[str, Printout]) -> None:
    printout = printouts[ladder]
    stranded = stranded_headings(printout.pages, printout.headings)
    assert stranded == [], f"{ladder}: a heading ends a page, its content overleaf: " + ", ".join(
        f"{heading!r} on page {number}" for number, heading in stranded
    )


@pytest.mark.slow
@pytest.mark.parametrize("ladder", LADDERS)
def test_no_printed_page_but_the_last_is_less_than_half_full(ladder: str, printouts: dict[str, Printout]) -> None:
    printout = printouts[ladder]
    empty = underfilled(printout.pages)
    assert empty == [], f"{printout.summary()}; left more than half empty: " + ", ".join(
        f"page {number} ({fill:.2f})" for number, fill in empty
    )


# --- the exported pages, by axe-core ---------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("ladder", LADDERS)
def test_axe_finds_nothing_serious_or_critical_so_contrast_meets_wcag_aa(
    ladder: str, scheme: str, axe_reports: dict[tuple[str, str], AxeReport], capsys: pytest.CaptureFixture[str]
) -> None:
    report = axe_reports[ladder, scheme]
    with capsys.disabled():
        print(f"\n{report.others()}")
    assert report.blocking() == "", "\n" + report.blocking()


# --- a site's pages --------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_page_of_a_site_prints_well_and_passes_axe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ladder export --site DIR --compare pm tpm`: every page it writes, through the same checks
    (but pm's page count, which is the exported page's)."""
    if "--site" not in CliRunner().invoke(app, ["export", "--help"], env={"COLUMNS": "200"}).output:
        pytest.skip("`ladder export --site` is not there yet")
    site = tmp_path / "site"
    args = ["--data-dir", str(ROOT / "examples"), "export", "--site", str(site), "--compare", "pm", "tpm"]
    home = tmp_path / "home"
    result = CliRunner().invoke(app, args, env={"XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home)})
    assert result.exit_code == 0, result.output
    files = sorted(site.glob("*.html"))
    expected = {"index.html", "compare-pm--tpm.html", "sources.html", *(f"{ladder}.html" for ladder in LADDERS)}
    assert expected <= {file.name for file in files}, [file.name for file in files]
    printed = print_pages(files)
    reports = [report for scheme in SCHEMES for report in axe(files, scheme).values()]
    with capsys.disabled():
        print("\n" + "\n".join([*(p.summary() for p in printed.values()), *(r.others() for r in reports)]))
    problems = [problem for printout in printed.values() for problem in printout.problems()]
    problems += [report.blocking() for report in reports if report.blocking()]
    assert problems == [], "\n" + "\n".join(problems)


# --- the checks catch what they claim --------------------------------------------------------------


def filler(paragraphs: int) -> str:
    return "".join(f"<p>Paragraph {n} of the filler, a line of the page.</p>" for n in range(paragraphs))


def crafted(tmp_path: Path, name: str, body: str, style: str = "") -> Path:
    page = tmp_path / f"{name}.html"
    page.write_text(
        f"<!DOCTYPE html><html lang='en'><head><title>{name}</title><style>{style}</style></head>"
        f"<body><main>{body}</main></body></html>",
        encoding="utf-8",
    )
    return page


@pytest.mark.slow
def test_the_print_checks_catch_a_heading_forced_to_a_page_foot_and_a_half_empty_page(tmp_path: Path) -> None:
    forced = crafted(
        tmp_path,
        "forced",
        f"<h1>Crafted</h1>{filler(5)}<h2>A heading left behind</h2>{filler(60)}",
        "h2 { break-after: page; }",
    )
    fine = crafted(
        tmp_path,
        "fine",
        f"<h1>Crafted</h1>{filler(60)}<h2>A heading with its text</h2>{filler(60)}",
        "@media print { @page { margin: 1.5in 0.4in } }",  # its fill is measured inside these
    )
    printed = print_pages([forced, fine])
    assert stranded_headings(printed[forced].pages, printed[forced].headings) == [(1, "A heading left behind")]
    assert [number for number, _ in underfilled(printed[forced].pages)] == [1]
    assert len(printed[fine].pages) > 2 and printed[fine].problems() == []
    assert printed[fine].pages[0].margin_top == pytest.approx(108) and printed[fine].pages[0].fill > 0.9


@pytest.mark.slow
def test_axe_check_catches_low_contrast_in_the_scheme_it_is_in(tmp_path: Path) -> None:
    page = crafted(
        tmp_path,
        "contrast",
        "<h1>Crafted</h1><p>Grey on grey, in the dark only.</p>",
        "p { color: #000; background: #fff; }"
        " @media (prefers-color-scheme: dark) { p { color: #555; background: #333; } }",
    )
    assert axe([page], "light")[page].blocking() == ""
    assert "contrast.html (dark): color-contrast [serious]" in axe([page], "dark")[page].blocking()


# --- the checks' reading, without a browser --------------------------------------------------------


def test_a_heading_wrapped_over_two_rows_at_a_page_foot_is_found() -> None:
    def page(*lines: str) -> PrintedPage:
        return PrintedPage([Line(text, 40, 40 + 14 * n, 52 + 14 * n) for n, text in enumerate(lines)], 792, 28.8, 28.8)

    pages = [page("Intro", "Principal Product", "Manager"), page("Owns the strategy."), page("Pay")]
    assert stranded_headings(pages, {"Principal Product Manager", "Pay"}) == [(1, "Principal Product Manager")]


def test_a_footnote_mark_beside_a_line_is_read_on_that_line() -> None:
    lines = [
        Line("Leads the work.", 40, 100, 112),
        Line("1", 130, 98, 106),
        Line("Pay", 40, 130, 142),
        Line("2", 62, 128, 136),
    ]
    assert PrintedPage(lines, 792, 28.8, 28.8).last_rows() == ["Pay 2", "Leads the work. 1"]


def test_headings_are_read_from_h1_to_h4_with_their_markup_as_text() -> None:
    page = "<h1>A &amp; B</h1><h2><a href='#x'>Rung</a>  by\nrung</h2><h5>Not this</h5><p>Nor this</p>"
    assert headings(page) == {"A & B", "Rung by rung"}
