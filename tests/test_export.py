"""`ladder export`: the HTML page, checked as text and, where Chromium is installed, in a real headless
browser. The Mermaid chart is tests/test_mermaid.py's."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from career_ladder import Ladders
from career_ladder.cli import app
from conftest import minimal_ladder

EXAMPLES = Path(__file__).parents[1] / "examples"
LADDERS = ["pm", "tpm", "acme", "globex"]


def export(ladder: str, fmt: str, *extra: str) -> str:
    result = CliRunner().invoke(app, ["--data-dir", str(EXAMPLES), *extra, "export", ladder, "-f", fmt])
    assert result.exit_code == 0, result.stderr
    return result.stdout


# --- HTML -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("ladder", LADDERS)
def test_html_is_one_page_that_asks_for_nothing_outside_it(ladder: str) -> None:
    page = export(ladder, "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "default-src 'none'" in page and "<script" not in page
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert "@media (prefers-color-scheme: dark)" in page and "@media print" in page and 'name="viewport"' in page
    cited = set(re.findall(r'href="#(source-[^"]+)"', page))
    assert cited and cited <= set(re.findall(r'id="(source-[^"]+)"', page))  # every footnote has its note
    for target in re.findall(r'href="#(rung-[^"]+)"', page):
        assert f'id="{target}"' in page


def test_html_shows_every_rung_track_and_pay_statement() -> None:
    page = export("acme", "html")
    for text in (
        "The tracks side by side",
        "Principal Product Manager",
        "Distinguished Product Manager",
        "Mentors senior PMs",
    ):
        assert text in page
    assert "not published by Acme" in page and "Moves" in page


def test_html_escapes_what_the_data_says(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    data = minimal_ladder("odd")
    data["summary"] = "<script>alert(1)</script> & more"
    write_ladder(tmp_path, data)
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "export", "odd"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in result.stdout and "<script" not in result.stdout


def test_export_writes_a_file_with_output(tmp_path: Path) -> None:
    target = tmp_path / "pm.html"
    result = CliRunner().invoke(app, ["export", "pm", "-o", str(target)])
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    missing = CliRunner().invoke(app, ["export", "pm", "-o", str(tmp_path / "no" / "pm.html")])
    assert missing.exit_code == 1 and "cannot write" in missing.stderr


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.slow
@pytest.mark.parametrize("ladder", ["acme", "pm"])
def test_html_in_a_real_browser_logs_nothing_and_fits_a_phone(
    ladder: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium: install it (Debian: `apt-get install chromium`) to load the page in a browser")
    page = tmp_path / f"{ladder}.html"
    page.write_text(export(ladder, "html"), encoding="utf-8")
    shots = tmp_path_factory.getbasetemp() / "screenshots"
    shots.mkdir(exist_ok=True)
    for width in (390, 1280):
        shot = shots / f"{ladder}-{width}.png"
        ran = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={tmp_path / f'profile-{width}'}",
                "--enable-logging=stderr",
                "--v=0",
                f"--screenshot={shot}",
                f"--window-size={width},2400",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        console = [line for line in ran.stderr.splitlines() if ":CONSOLE" in line]
        assert console == [], console  # an error, or a request the page's policy blocked
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        print(f"screenshot: {shot}")


def test_each_citation_names_the_source_of_its_own_ladder(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    """A ladder may give its own source the id its shared rung's home gives another: each citation
    leads to the title its own ladder declares (the page took the ladder's title for both)."""
    data = minimal_ladder("co")
    data["sources"] = [{"id": "pm-career-path", "title": "Co's own handbook"}]
    for rung in data["rungs"]:
        rung["sources"] = ["pm-career-path"]
        for point in rung["responsibilities"]:
            point["sources"] = ["pm-career-path"]
        for figure in rung.get("salary", []):
            figure["sources"] = ["pm-career-path"]
    data["transitions"][0]["sources"] = ["pm-career-path"]
    data["rungs"].append({"shared": "pm:director"})
    write_ladder(tmp_path, data)
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "export", "co"])
    assert result.exit_code == 0
    page = result.stdout
    pm_title = next(s.title for s in Ladders().ladder("pm").ladder.sources if s.id == "pm-career-path")
    sources = page.split("<h2>Sources</h2>")[1]
    anchors = re.findall(r'id="(source-[^"]*)"', page)
    assert len(anchors) == len(set(anchors))  # `source-LADDER:ID`: no two sources share one
    assert sources.count('id="source-co:') == 1 and sources.count('id="source-pm:pm-career-path"') == 1
    assert '<li id="source-co:pm-career-path" value="1">Co&#x27;s own handbook <code' in sources
    assert re.search(f'<li id="source-pm:pm-career-path" value="[0-9]+">{re.escape(html.escape(pm_title))}', sources)
    director = page.split('id="rung-director"')[1].split("</section>")[0]
    assert 'href="#source-pm:pm-career-path"' in director and "#source-co:" not in director
    own = page.split('id="rung-junior"')[1].split("</section>")[0]
    assert 'href="#source-co:pm-career-path"' in own and "#source-pm:" not in own


def test_one_rung_names_the_sources_of_the_ladder_that_writes_it(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    data = minimal_ladder("co")
    data["sources"] = [{"id": "pm-career-path", "title": "Co's own handbook"}, *data["sources"]]
    data["rungs"].append({"shared": "pm:director"})
    write_ladder(tmp_path, data)
    pm_title = next(s.title for s in Ladders().ladder("pm").ladder.sources if s.id == "pm-career-path")
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "show", "co", "director", "-f", "markdown"])
    assert result.exit_code == 0
    assert f"- pm-career-path: {pm_title}" in result.stdout and "handbook" not in result.stdout
