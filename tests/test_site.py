"""`ladder export --site DIR`: every page there, every link leading somewhere, nothing a page could
run or fetch, a folder of the user's own never damaged; the charts drawn by a fake `mmdc` and, where
it is installed, by the real one."""

from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from career_ladder import Ladders
from career_ladder import site as site_module
from career_ladder.cli import app
from career_ladder.export_command import _paired
from career_ladder.render.html import POLICY
from career_ladder.site import MANIFEST, page_names
from conftest import minimal_ladder, run

EXAMPLES = Path(__file__).parents[1] / "examples"
LADDERS = ["acme", "globex", "pm", "tpm"]
PATH = os.environ.get("PATH", "")  # as the tests found it, before a test takes mmdc off it


@pytest.fixture(autouse=True)
def no_renderer(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH without `mmdc` (a test that wants one puts it in this folder)."""
    folder = tmp_path_factory.mktemp("bin")
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv("LADDER_PUPPETEER_CONFIG", raising=False)
    return folder


class _Page(html.parser.HTMLParser):
    """What the link checker needs of a page: its anchors, its addresses, its tags and policy."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.addresses: list[str] = []
        self.tags: set[str] = set()
        self.policy: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        self.addresses += [value or "" for name, value in attrs if name in ("href", "src", "xlink:href", "action")]
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.policy = values.get("content")


def parsed(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def dead_links(site: Path) -> list[str]:
    """Every address of every page that leads nowhere in the site: a missing file or anchor, an
    absolute path, a scheme other than http(s), an address out of the folder."""
    pages = {path: parsed(path) for path in site.rglob("*.html")}
    dead = []
    for path, page in pages.items():
        for address in page.addresses:
            where = f"{path.relative_to(site)}: {address!r}"
            parts = urlsplit(address)
            if parts.scheme:
                if parts.scheme not in ("http", "https") or not parts.netloc:
                    dead.append(f"{where}: scheme")
                continue
            if address.startswith(("/", "\\")) or parts.netloc:
                dead.append(f"{where}: absolute")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_relative_to(site.resolve()) or not target.is_file():
                dead.append(f"{where}: no file")
            elif parts.fragment and (target not in pages or unquote(parts.fragment) not in pages[target].ids):
                dead.append(f"{where}: no anchor")
    return dead


def _site(tmp_path: Path, *extra: str) -> Path:
    site = tmp_path / "site"
    code, out, err = run("--data-dir", str(EXAMPLES), "export", "--site", str(site), *extra)
    assert code == 0, err
    assert out == ""
    return site


def test_the_site_holds_every_page_and_says_what_it_wrote(tmp_path: Path) -> None:
    site = tmp_path / "site"
    code, _, err = run("--data-dir", str(EXAMPLES), "export", "--site", str(site), "--compare", "pm", "tpm")
    assert code == 0
    pages = ["index.html", "sources.html", "compare-pm--tpm.html", *(f"{ladder}.html" for ladder in LADDERS)]
    charts = [f"charts/{ladder}.md" for ladder in LADDERS]
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()) == sorted(
        [*pages, *charts, MANIFEST]
    )
    assert err == f"wrote {len(pages) + len(charts)} files; open {site / 'index.html'}\n"
    listed = (site / MANIFEST).read_text(encoding="utf-8").splitlines()
    assert sorted(line for line in listed if not line.startswith("#")) == sorted([*pages, *charts])


def test_no_page_has_a_dead_link_a_script_or_another_policy(tmp_path: Path) -> None:
    site = _site(tmp_path, "--compare", "pm", "tpm", "--compare", "acme", "globex")
    assert dead_links(site) == []
    for path in site.rglob("*.html"):
        page = parsed(path)
        assert "script" not in page.tags and "<script" not in path.read_text(encoding="utf-8").lower(), path
        assert page.policy == POLICY, path
    index = parsed(site / "index.html")
    for ladder in LADDERS:
        assert f"{ladder}.html" in index.addresses
    assert "pm.html#rung-director" in index.addresses  # a rung, on its ladder's page
    assert {"compare-pm--tpm.html", "compare-acme--globex.html", "sources.html"} <= set(index.addresses)


def test_the_link_checker_finds_what_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<p id="here"><a href="b.html">x</a><a href="a.html#gone">x</a><a href="/etc/passwd">x</a>'
        '<a href="file:///etc/passwd">x</a><a href="javascript:alert(1)">x</a><a href="../out.html">x</a>'
        '<a href="#here">x</a><a href="https://example.com/">x</a></p>',
        encoding="utf-8",
    )
    (tmp_path.parent / "out.html").touch()
    assert [line.rsplit(": ", 1)[1] for line in dead_links(tmp_path)] == [
        "no file",
        "no anchor",
        "absolute",
        "scheme",
        "scheme",
        "no file",
    ]


def test_the_index_shows_every_ladder_its_rungs_and_the_tracks_side_by_side(tmp_path: Path) -> None:
    text = (_site(tmp_path) / "index.html").read_text(encoding="utf-8")
    for name in ("Product management", "Technical product management", "Acme Product Management (fictional)"):
        assert f">{name}</a>" in text
    assert '<a href="tpm.html#rung-associate-tpm">Associate Technical Product Manager (ATPM)</a>' in text
    tracks = text[text.index('id="tracks"') :]
    assert "Individual contributor" in tracks and "Management" in tracks  # acme's parallel tracks
    assert tracks.count("<tr>") == 1 + len({10, 20, 30, 35, 38, 40, 50, 55, 60})  # a row per level


def test_a_compare_page_shows_what_compare_shows(tmp_path: Path) -> None:
    text = (_site(tmp_path, "--compare", "pm", "tpm") / "compare-pm--tpm.html").read_text(encoding="utf-8")
    comparison = Ladders().compare(["pm", "tpm"])
    assert text.count("<tr>") == 1 + len(comparison.rows)
    assert '<a href="tpm.html#rung-director">Director of Product (Director)</a>' in text
    assert "shared: pm:director" in text and "$150,221 – $220,000" in text
    assert '<a href="sources.html#source-tpm:tpm-career-path">tpm-career-path</a>' in text
    assert 'href="#note-1"' in text and 'id="note-1"' in text
    for point in comparison.points:
        assert f"<strong>{point.aspect}</strong>" in text


def test_a_compare_page_by_names_is_named_by_ids_and_asked_twice_is_one(tmp_path: Path) -> None:
    site = _site(tmp_path, "--compare", "PM", "TPM", "--compare", "pm", "tpm")
    assert sorted(path.name for path in site.glob("compare-*")) == ["compare-pm--tpm.html"]


def test_the_sources_page_lists_every_source_of_every_ladder_with_an_anchor(tmp_path: Path) -> None:
    page = parsed(_site(tmp_path) / "sources.html")
    ladders = Ladders([EXAMPLES])
    for ladder in LADDERS:
        for source in ladders.ladder(ladder).ladder.sources:
            assert f"source-{ladder}:{source.id}" in page.ids


def test_a_source_address_is_a_link_only_on_the_web(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    sources = [
        {"id": "s", "title": "Web", "url": "https://example.com/a?b=1&c=2"},
        {"id": "t", "title": "Script", "url": "javascript:alert(1)"},
        {"id": "u", "title": "Local", "url": "/etc/passwd"},
    ]
    write_ladder(tmp_path / "data", minimal_ladder("demo", sources=sources))
    site = tmp_path / "site"
    Ladders([tmp_path / "data"]).site(site)
    page = parsed(site / "sources.html")
    assert "https://example.com/a?b=1&c=2" in page.addresses
    assert not [a for a in page.addresses if "alert" in a or "passwd" in a]
    assert "Address: javascript:alert(1)" in (site / "sources.html").read_text(encoding="utf-8")
    assert dead_links(site) == []


def test_text_of_the_data_is_never_markup(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    write_ladder(tmp_path / "data", minimal_ladder("demo", name=evil, summary=evil))
    site = tmp_path / "site"
    Ladders([tmp_path / "data"]).site(site, compare=[["demo", "pm"]])
    for path in site.rglob("*.html"):
        assert "<script" not in path.read_text(encoding="utf-8") and "<img" not in path.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in (site / "index.html").read_text(encoding="utf-8")


def test_a_ladder_whose_id_is_a_page_of_the_site_gets_a_name_of_its_own(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    for ladder_id in ("index", "sources", "index-ladder", "compare-pm-tpm"):
        write_ladder(tmp_path / "data", minimal_ladder(ladder_id))
    site = tmp_path / "site"
    Ladders([tmp_path / "data"]).site(site, compare=[["pm", "tpm"]])
    assert "Demo index" in (site / "index-ladder-ladder.html").read_text(encoding="utf-8")
    assert "Demo index-ladder" in (site / "index-ladder.html").read_text(encoding="utf-8")
    assert "Demo sources" in (site / "sources-ladder.html").read_text(encoding="utf-8")
    assert "Demo compare-pm-tpm" in (site / "compare-pm-tpm.html").read_text(encoding="utf-8")  # no page of a pair
    assert "Career ladders" in (site / "index.html").read_text(encoding="utf-8")
    assert dead_links(site) == []
    assert page_names(["a", "pm-tpm"], [["pm", "tpm"]]) == {
        "a": "a.html",
        "pm-tpm": "pm-tpm.html",
        "compare:pm--tpm": "compare-pm--tpm.html",
    }
    pairs = page_names([], [["a-b", "c"], ["a", "b-c"]])
    assert len(set(pairs.values())) == 2  # compare-a-b--c.html, compare-a--b-c.html


# --- the folder ------------------------------------------------------------------------------------


def test_a_second_build_replaces_its_own_files_removes_its_stale_ones_and_keeps_the_rest(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    write_ladder(tmp_path / "data", minimal_ladder("demo"))
    site = tmp_path / "site"
    first = Ladders([tmp_path / "data"]).site(site, compare=[["pm", "tpm"]])
    (site / "CNAME").write_text("ladders.example.com\n", encoding="utf-8")
    (site / ".nojekyll").touch()
    (tmp_path / "data" / "demo.yaml").unlink()
    second = Ladders([tmp_path / "data"]).site(site)
    assert sorted(path.name for path in second.removed) == ["compare-pm--tpm.html", "demo.html", "demo.md"]
    assert not (site / "demo.html").exists() and not (site / "charts" / "demo.md").exists()
    assert (site / "CNAME").read_text(encoding="utf-8") == "ladders.example.com\n" and (site / ".nojekyll").exists()
    assert set(second.files) < set(first.files)
    assert [path.name for path in site.iterdir() if path.name.endswith(".tmp")] == []


def test_a_file_of_the_sites_name_that_no_build_wrote_is_never_replaced(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("mine", encoding="utf-8")
    code, _, err = run("export", "--site", str(site))
    assert code == 2
    assert err == (
        f"ladder: {site / 'index.html'} is not a file of an earlier site ({MANIFEST} does not list it): "
        "move it, or write the site to another folder\n"
    )
    assert [path.name for path in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "mine"


def test_a_manifest_cannot_make_a_build_remove_anything_else(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "precious.html").write_text("keep", encoding="utf-8")
    (site / "notes.txt").write_text("keep", encoding="utf-8")
    (site / MANIFEST).write_text("../precious.html\nnotes.txt\n/etc/passwd\nold.html\n", encoding="utf-8")
    built = Ladders().site(site)
    assert built.removed == [site / "old.html"]  # listed, a site's name, absent: nothing to remove
    assert (tmp_path / "precious.html").exists() and (site / "notes.txt").exists()


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("data", "is the data directory"),
        ("yaml", "holds ladder files (pm.YML): write the site to a folder of its own"),
        ("file", "is a file: --site needs a folder"),
    ],
)
def test_a_folder_of_ladders_or_a_file_is_refused(
    tmp_path: Path, write_ladder: Callable[..., Path], where: str, said: str
) -> None:
    write_ladder(tmp_path / "data", minimal_ladder("demo"))
    (tmp_path / "yaml").mkdir()
    (tmp_path / "yaml" / "pm.YML").write_text("x", encoding="utf-8")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, out, err = run("--data-dir", str(tmp_path / "data"), "export", "--site", str(tmp_path / where))
    assert (code, out) == (2, "")
    assert err.startswith(f"ladder: {tmp_path / where} ") and said in err and err.count("\n") == 1


def test_a_site_that_cannot_be_written_fails_in_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, _, err = run("export", "--site", str(tmp_path / "file" / "site"))
    assert code == 1 and err.startswith(f"ladder: cannot write {tmp_path / 'file' / 'site'}: ") and err.count("\n") == 1
    assert (tmp_path / "file").read_text(encoding="utf-8") == "x"


def test_a_build_that_fails_leaves_no_folder_it_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import career_ladder.render.site as render_site

    def broken(*_: object) -> str:
        raise RuntimeError("a bug in a page")

    monkeypatch.setattr(render_site, "sources_page", broken)
    with pytest.raises(RuntimeError):
        Ladders().site(tmp_path / "new" / "site")
    assert list((tmp_path / "new").iterdir()) == []


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["pm", "--site", "s"], "--site writes every ladder, each as a page: give it without a LADDER, -f or -o"),
        (["--site", "s", "-o", "x.html"], "--site writes every ladder"),
        (["--site", "s", "-f", "html"], "--site writes every ladder"),
        (["--compare", "pm", "tpm"], "--compare adds a page to a site: give --site DIR too"),
        (["pm", "--compare", "pm", "tpm"], "--compare adds a page to a site"),
        (["--site", "s", "--compare", "pm", "pm"], "ladder 'pm' is named twice: compare different ladders"),
        (["--site", ""], "--site needs a folder, got ''"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], said: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("export", *args)
    assert (code, out) == (2, "")
    assert err.startswith(f"ladder: {said}") and err.count("\n") == 1, err
    assert not (tmp_path / "s").exists()


def test_export_without_a_ladder_or_a_site_is_the_usage_error_it_was() -> None:
    code, _, err = run("export")
    assert code == 2 and re.search(r"missing argument '\[?ladder\]?'", err.lower())  # as Click or Typer words it


def test_an_unknown_ladder_to_compare_is_not_found_with_a_suggestion(tmp_path: Path) -> None:
    code, _, err = run("export", "--site", str(tmp_path / "s"), "--compare", "pm", "tmp")
    assert (code, err) == (1, "ladder: no ladder 'tmp' (did you mean 'tpm'?)\n")
    assert not (tmp_path / "s").exists()


def test_compare_takes_two_ladders_each_time(tmp_path: Path) -> None:
    for given in (["pm"], ["pm", "--compare", "tpm", "acme"]):
        code, _, err = run("export", "--site", str(tmp_path / "s"), "--compare", *given)
        assert code == 2 and err.startswith("ladder: --compare takes two ladders") and "Traceback" not in err, given
    assert _paired(["--compare", "pm", "tpm", "--compare=a", "b", "--", "--compare"]) == [
        "--compare",
        "pm\0tpm",
        "--compare",
        "a\0b",
        "--",
        "--compare",
    ]


def test_export_of_one_ladder_is_as_it_was() -> None:
    code, out, _ = run("export", "pm", "-f", "mermaid")
    assert code == 0 and out == Ladders().export("pm", fmt="mermaid")


# --- the charts ------------------------------------------------------------------------------------

FAKE_MMDC = """#!{python}
import json, os, re, sys
from pathlib import Path

args = sys.argv[1:]
source, output = Path(args[args.index("-i") + 1]), Path(args[args.index("-o") + 1])
charts = re.findall(r"^```mermaid\\n(.*?)^```", source.read_text(), re.M | re.S)
log = Path(os.environ["FAKE_MMDC_LOG"])
call = json.dumps({{"args": args, "charts": charts}}) + "\\n"
log.write_text(log.read_text() + call if log.exists() else call)
mode = os.environ.get("FAKE_MMDC", "draw")
if mode == "fail":
    sys.exit("Error: Failed to launch the browser process!\\nno usable sandbox")
for number, chart in enumerate(charts, 1):
    body = "<script>alert(1)</script>" if mode == "script" and number == 1 else ""
    Path(str(output)[:-3] + f"-{{number}}.svg").write_text(
        f'<?xml version="1.0"?>\\n<svg id="my-svg" data-points="abc"><style>#my-svg{{{{fill:red}}}}</style>'
        f'<text>{{chart.splitlines()[0]}} {{number}}</text>{{body}}</svg>'
    )
output.write_text("drawn")
"""


@pytest.fixture
def fake_mmdc(no_renderer: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An `mmdc` on PATH that writes an SVG per chart, as the real one does; its calls logged."""
    script = no_renderer / "mmdc"
    script.write_text(FAKE_MMDC.format(python=sys.executable), encoding="utf-8")
    script.chmod(0o755)
    log = tmp_path / "mmdc.log"
    monkeypatch.setenv("FAKE_MMDC_LOG", str(log))
    return log


def test_with_mmdc_every_chart_is_drawn_in_one_run_and_inlined(tmp_path: Path, fake_mmdc: Path) -> None:
    site = _site(tmp_path, "--compare", "pm", "tpm")
    calls = [json.loads(line) for line in fake_mmdc.read_text(encoding="utf-8").splitlines()]
    assert len(calls) == 1 and "-p" not in calls[0]["args"] and len(calls[0]["charts"]) == len(LADDERS)
    for ladder in LADDERS:
        text = (site / f"{ladder}.html").read_text(encoding="utf-8")
        assert '<svg id="my-svg"><style>' in text and "flowchart BT" in text and "data-points" not in text
        assert "<?xml" not in text and "language-mermaid" not in text
    assert not (site / "charts").exists()
    assert dead_links(site) == []


def test_mmdc_gets_the_browser_settings_named_in_the_environment(
    tmp_path: Path, fake_mmdc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LADDER_PUPPETEER_CONFIG", str(tmp_path / "puppeteer.json"))
    _site(tmp_path)
    (call,) = [json.loads(line)["args"] for line in fake_mmdc.read_text(encoding="utf-8").splitlines()]
    assert call[call.index("-p") + 1] == str(tmp_path / "puppeteer.json")


def test_when_mmdc_fails_the_charts_are_their_source_and_a_note_says_why(
    tmp_path: Path, fake_mmdc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MMDC", "fail")
    site = tmp_path / "site"
    code, _, err = run("--data-dir", str(EXAMPLES), "export", "--site", str(site))
    assert code == 0
    assert err.splitlines()[0] == "ladder: note: the charts are Mermaid source: mmdc failed (no usable sandbox)"
    assert '<code class="language-mermaid">flowchart BT' in (site / "pm.html").read_text(encoding="utf-8")
    assert (site / "charts" / "pm.md").read_text(encoding="utf-8").count("```mermaid\nflowchart BT\n") == 1


def test_a_drawn_chart_with_a_script_is_not_inlined(tmp_path: Path, fake_mmdc: Path) -> None:
    os.environ["FAKE_MMDC"] = "script"
    try:
        built = Ladders([EXAMPLES]).site(tmp_path / "site")
    finally:
        del os.environ["FAKE_MMDC"]
    assert built.drawn == len(LADDERS) - 1
    assert built.notes == ["1 of the charts are Mermaid source: mmdc drew them wrong or not at all"]
    assert dead_links(tmp_path / "site") == []
    assert not [p for p in (tmp_path / "site").rglob("*.html") if "<script" in p.read_text(encoding="utf-8")]


def test_a_chart_drawn_before_is_not_drawn_again(
    tmp_path: Path, fake_mmdc: Path, write_ladder: Callable[..., Path]
) -> None:
    write_ladder(tmp_path / "data", minimal_ladder("demo"))
    Ladders([tmp_path / "data"]).site(tmp_path / "site")
    assert Ladders([tmp_path / "data"]).site(tmp_path / "site").drawn == 3
    changed = minimal_ladder("demo")
    changed["rungs"][0]["title"] = "Apprentice"
    write_ladder(tmp_path / "data", changed)
    Ladders([tmp_path / "data"]).site(tmp_path / "site")
    calls = [json.loads(line) for line in fake_mmdc.read_text(encoding="utf-8").splitlines()]
    assert [len(call["charts"]) for call in calls] == [3, 1]  # all three; none; demo's alone
    assert "Apprentice" in calls[1]["charts"][0]
    assert (tmp_path / "site" / "demo.html").read_text(encoding="utf-8").count("<svg") == 1


def test_no_chart_is_kept_without_the_cache(tmp_path: Path, fake_mmdc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LADDER_NO_CACHE", "1")
    for _ in range(2):
        assert Ladders().site(tmp_path / "site").drawn == 2
    assert len(fake_mmdc.read_text(encoding="utf-8").splitlines()) == 2
    assert not (Path(os.environ["XDG_CACHE_HOME"]) / "ladder" / "charts").exists()


def _real_mmdc() -> str | None:
    npm = os.environ.get("LADDER_NPM")
    found = Path(npm, "node_modules", ".bin", "mmdc") if npm else None
    return str(found) if found and found.exists() else shutil.which("mmdc", path=PATH)


@pytest.mark.slow
def test_the_real_mmdc_draws_every_chart(tmp_path: Path, no_renderer: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mmdc = _real_mmdc()
    if mmdc is None:
        pytest.skip("no mmdc: `npm install @mermaid-js/mermaid-cli` and put it on PATH (or export LADDER_NPM)")
    (no_renderer / "mmdc").symlink_to(mmdc)
    monkeypatch.setenv("PATH", f"{no_renderer}{os.pathsep}{PATH}")
    browser = next(filter(None, (shutil.which(name, path=PATH) for name in ("chromium", "google-chrome"))), None)
    if browser and os.geteuid() == 0:  # a browser as root runs only without its sandbox
        config = tmp_path / "puppeteer.json"
        config.write_text(json.dumps({"executablePath": browser, "args": ["--no-sandbox"]}), encoding="utf-8")
        monkeypatch.setenv("LADDER_PUPPETEER_CONFIG", str(config))
    built = Ladders([EXAMPLES]).site(tmp_path / "site")
    assert built.notes == [] and built.drawn == len(LADDERS)
    text = (tmp_path / "site" / "acme.html").read_text(encoding="utf-8")
    assert re.search(r"<svg [^>]*>.*Individual contributor.*</svg>", text, re.S)
    assert "<script" not in text
    assert dead_links(tmp_path / "site") == []


def test_a_cache_folder_that_cannot_be_written_is_not_used(
    tmp_path: Path, fake_mmdc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    site = _site(tmp_path)
    assert '<svg id="my-svg">' in (site / "pm.html").read_text(encoding="utf-8")


def test_no_readable_ladder_writes_no_site(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    for ladder_id in ("pm", "tpm"):
        write_ladder(tmp_path / "data", "id: [broken", name=f"{ladder_id}.yaml")
    earlier = tmp_path / "site"
    Ladders([EXAMPLES]).site(earlier)
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "data"), "export", "--site", str(earlier)])
    assert result.exit_code == 1 and "no ladder could be read: no site written" in result.stderr
    assert "skipped" in result.stderr and (earlier / "acme.html").exists()  # the earlier site stands


def test_a_pages_folder_with_jekylls_config_is_not_taken_for_a_data_directory(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "_config.yml").write_text("theme: minima\n", encoding="utf-8")
    (docs / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    Ladders().site(docs)
    assert (docs / "index.html").exists() and (docs / "_config.yml").exists()


def test_a_build_killed_outright_leaves_nothing_the_next_one_keeps(tmp_path: Path) -> None:
    site = tmp_path / "site"
    Ladders().site(site)
    (site / ".ladder-site-abc123.tmp").mkdir()  # a staging folder, as SIGKILL leaves it
    (site / ".ladder-site-abc123.tmp" / "pm.html").write_text("half", encoding="utf-8")
    Ladders().site(site)
    assert not list(site.glob(".ladder-site-*.tmp"))


def test_a_renderer_past_its_time_is_stopped_with_what_it_started(tmp_path: Path) -> None:
    child = tmp_path / "child.pid"
    sleeper = "import subprocess, sys; p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], "
    sleeper += "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    sleeper += f"open({str(child)!r}, 'w').write(str(p.pid)); p.wait()"
    with pytest.raises(subprocess.TimeoutExpired):
        site_module._run_alone([sys.executable, "-c", sleeper], timeout=2)
    status = Path(f"/proc/{int(child.read_text(encoding='utf-8'))}/status")
    time.sleep(0.2)
    assert not status.exists() or "\nState:\tZ" in status.read_text(encoding="utf-8")  # gone, or dead unreaped


def test_a_drawn_chart_keeps_its_width_and_scrolls_on_a_phone() -> None:
    from career_ladder.render.site import drawn_chart

    svg = '<svg id="my-svg" width="100%" style="max-width: 856.3px; background-color: white;"><g/></svg>'
    assert drawn_chart(svg) == (
        '<div class="scroll"><svg id="my-svg" width="856.3" style="max-width: 856.3px; background-color: white;">'
        "<g/></svg></div>"
    )


def test_a_third_ladder_after_compare_is_named_as_such(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--site", str(tmp_path / "s"), "--compare", "pm", "tpm", "pm"])
    assert result.exit_code == 2 and "--compare takes two ladders: 'pm' is a third" in result.stderr
