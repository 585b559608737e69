"""`ladder export --site DIR`: every ladder of every data directory as a static site, written into a
folder of the user's own without ever losing a file of theirs.

What goes where: `index.html`, a page per ladder (`LADDER.html`), `sources.html`, a page per pair
compared (`compare-A-B.html`) and, when the charts are not drawn, `charts/LADDER.md`. The files of
the site are listed in `.ladder-site` in the folder, so that the next build replaces them and removes
those no longer part of it, while every other file stays as it is; a file of the site's name that no
earlier build wrote is never replaced. Each file is written to a folder beside them first, then
renamed into place, so a build that fails leaves the folder as it was, and a build cut short leaves
each file whole.

The charts are drawn by Mermaid's own command line (`mmdc`, on PATH), all in one run, when it is
installed; `LADDER_PUPPETEER_CONFIG` names the browser settings it is given (`-p`).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from career_ladder.datadirs import LADDER_SUFFIXES
from career_ladder.errors import BadArgument, LadderError, env_flag, printable
from career_ladder.names import SLUG

if TYPE_CHECKING:
    from career_ladder.catalog import Catalog
    from career_ladder.results import LadderComparison, LadderView, PageContext

MANIFEST = ".ladder-site"
_MANIFEST_HEAD = (
    "# The files `ladder export --site` wrote here, one a line: the next build replaces them and\n"
    "# removes those no longer part of the site. Other files in this folder are left alone.\n"
)
_SITE_FILE = re.compile(r"(charts/)?[a-z0-9]+(--?[a-z0-9]+)*\.(html|md)")
_FIXED = ("index", "sources")


class Site(NamedTuple):
    """What `Ladders.site` wrote."""

    directory: Path
    home: Path  # index.html, the page to open
    files: list[Path]  # every file of the site, written anew
    removed: list[Path]  # files of an earlier build no longer part of the site
    drawn: int  # charts drawn as SVG (the others are their Mermaid source)
    notes: list[str]  # what a reader should hear of: why charts are not drawn, when mmdc failed
    skipped: list[LadderError]  # ladders that could not be read, left out


def build_site(catalog: Catalog, directory: Path | str, pairs: Sequence[Sequence[str]] = ()) -> Site:
    """Write the site into `directory` (made when missing): see the module's docstring."""
    from career_ladder.queries import compare, list_ladders, page_context, show_ladder
    from career_ladder.render.mermaid import mermaid

    if not str(directory):  # Path("") would be the current folder
        raise BadArgument("--site needs a folder, got ''")
    folder = _checked_folder(Path(directory), [d.path for d in catalog.directories])
    comparisons: dict[tuple[str, ...], LadderComparison] = {}
    for pair in pairs:
        if len(pair) != 2:
            raise BadArgument("--compare takes two ladders, e.g. --compare pm tpm")
        comparison = compare(catalog, pair)
        comparisons.setdefault(tuple(view.ladder.id for view in comparison.views), comparison)
    listing = list_ladders(catalog)
    views: list[LadderView] = []
    skipped = list(listing.skipped)
    for row in listing.rows:
        try:
            views.append(show_ladder(catalog, row.summary.id))
        except LadderError as error:  # a ladder it shares rungs with is broken, say
            skipped.append(error)
    if not views:
        raise LadderError("no ladder could be read: no site written", skipped)
    names = page_names([view.ladder.id for view in views], list(comparisons))
    earlier = _earlier_files(folder)
    charts = {f"charts/{view.ladder.id}.md" for view in views}  # when not drawn
    _refuse_foreign([*names.values(), "index.html", "sources.html", *charts], folder, earlier)
    contexts = [page_context(catalog, view) for view in views]
    texts = [mermaid(view, others=context.others) for view, context in zip(views, contexts, strict=True)]
    with _drawn(texts) as (svgs, note):
        files = _pages(views, contexts, names, list(comparisons.values()), texts, svgs)
        written = _write(folder, files, earlier)
    index = folder / "index.html"
    removed = [folder / name for name in sorted(earlier - set(written))]
    drawn = sum(svg is not None for svg in svgs) if svgs else 0
    notes = [note] if note else []
    return Site(folder, index, [folder / name for name in written], removed, drawn, notes, skipped)


def page_names(ladder_ids: Sequence[str], compared: Sequence[Sequence[str]]) -> dict[str, str]:
    """The file of each page by its key: a ladder's by id (`pm.html`), a comparison's by `compare:`
    and the ids joined by `--`, which no id holds (`compare:pm--tpm`: `compare-pm--tpm.html`), so no
    two comparisons share a file. The index, the sources and the comparisons keep their names; a
    ladder whose id would take one of them (a ladder `index`) gets `-ladder` added until it is free."""
    from career_ladder.render.site import compare_file

    names = {f"compare:{'--'.join(ids)}": compare_file(ids) for ids in compared}
    taken = {*(name.removesuffix(".html") for name in names.values()), *_FIXED}
    wanted = set(ladder_ids)
    for ladder_id in ladder_ids:
        name = ladder_id
        while name in taken or (name != ladder_id and name in wanted):
            name += "-ladder"
        taken.add(name)
        names[ladder_id] = f"{name}.html"
    return names


def _pages(
    views: Sequence[LadderView],
    contexts: Sequence[PageContext],
    names: dict[str, str],
    comparisons: Sequence[LadderComparison],
    charts: Sequence[str],
    svgs: Sequence[Path | None] | None,
) -> Iterator[tuple[str, str]]:
    """Each file of the site, (name, text), one at a time."""
    from career_ladder.render import site
    from career_ladder.render.page import page

    pages = site.Pages({view.ladder.id: names[view.ladder.id] for view in views})
    compared = [[view.ladder.id for view in comparison.views] for comparison in comparisons]
    yield "index.html", site.index_page(views, pages, compared)
    yield "sources.html", site.sources_page(views, pages)
    for comparison, ids in zip(comparisons, compared, strict=True):
        yield names[f"compare:{'--'.join(ids)}"], site.compare_page(comparison, pages)
    for number, view in enumerate(views):
        name = names[view.ladder.id]
        drawn = svgs[number] if svgs else None
        svg = _safe_svg(drawn) if drawn else None
        if svg is None:
            text, markdown = charts[number], f"charts/{view.ladder.id}.md"
            yield markdown, site.chart_markdown(view, text, name)
            chart = site.chart_source(text, markdown)
        else:
            chart = site.drawn_chart(svg)
        yield name, page(view, contexts[number], href=pages.rung, chart=chart, home=site.INDEX)


# --- the folder ----------------------------------------------------------------------------------


def _checked_folder(directory: Path, data_dirs: Sequence[Path]) -> Path:
    """The folder to write the site into: not a file, not a data directory, holding no ladder file."""
    shown = printable(str(directory))
    if directory.exists() and not directory.is_dir():
        raise BadArgument(f"{shown} is a file: --site needs a folder")
    for data_dir in data_dirs:
        if directory.is_dir() and data_dir.is_dir() and os.path.samefile(directory, data_dir):
            raise BadArgument(f"{shown} is the data directory {printable(str(data_dir))}: write the site elsewhere")
    if directory.is_dir():
        try:
            ladders = sorted(name for name in os.listdir(directory) if _ladder_file(name))
        except OSError as error:
            raise LadderError(f"cannot read {shown}: {error.strerror or error}") from None
        if ladders:
            raise BadArgument(
                f"{shown} holds ladder files ({printable(ladders[0])}): write the site to a folder of its own"
            )
    return directory


def _ladder_file(name: str) -> bool:
    """A file a data directory would read as a ladder: `pm.yaml`, not `_config.yml` (Jekyll's, in a
    GitHub Pages folder) nor `.pre-commit-config.yaml`."""
    stem, dot, suffix = name.rpartition(".")
    return bool(dot) and f".{suffix.lower()}" in LADDER_SUFFIXES and re.fullmatch(SLUG, stem) is not None


def _earlier_files(folder: Path) -> set[str]:
    """The files an earlier build listed in the manifest (only names a site writes: a line naming
    anything else is not ours to replace or remove)."""
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    return {line for line in text.splitlines() if _SITE_FILE.fullmatch(line)}


def _refuse_foreign(names: Sequence[str], folder: Path, earlier: set[str]) -> None:
    """BadArgument, before anything is written, for a file of the site's name no earlier build wrote
    (a page of the user's own), or a folder where the site would write a file."""
    for name in [*names, MANIFEST, "charts"]:
        path = folder / name
        if name == "charts":
            if path.exists() and not path.is_dir():
                raise BadArgument(f"{printable(str(path))} is a file: the site keeps its charts in a folder so named")
        elif path.is_dir():
            raise BadArgument(f"{printable(str(path))} is a folder: the site writes a file of that name")
        elif os.path.lexists(path) and name not in earlier and name != MANIFEST:
            raise BadArgument(
                f"{printable(str(path))} is not a file of an earlier site ({MANIFEST} does not list it): "
                "move it, or write the site to another folder"
            )


def _write(folder: Path, files: Iterator[tuple[str, str]], earlier: set[str]) -> list[str]:
    """Every file into a folder beside them, then each renamed into place; the manifest lists the
    files of both builds until the last is in place, then this build's alone, and those of the
    earlier build no longer part of it are removed. Nothing is left of a build that fails first."""
    import shutil
    import tempfile

    made = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(".ladder-site-*.tmp"):  # of a build killed outright (SIGKILL, SIGTERM)
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=".ladder-site-", suffix=".tmp", dir=folder))
    except OSError as error:
        raise LadderError(f"cannot write {printable(str(folder))}: {error.strerror or error}") from None
    written: list[str] = []
    placing = False
    try:
        for name, text in files:
            (staging / name).parent.mkdir(exist_ok=True)
            (staging / name).write_text(text, encoding="utf-8")
            written.append(name)
        placing = True
        _write_manifest(folder, staging, sorted(earlier | set(written)))
        for name in written:
            (folder / name).parent.mkdir(exist_ok=True)
            os.replace(staging / name, folder / name)
        _write_manifest(folder, staging, sorted(written))
        for name in sorted(earlier - set(written)):
            (folder / name).unlink(missing_ok=True)
        if any(name.startswith("charts/") for name in earlier - set(written)):
            with contextlib.suppress(OSError):  # a folder of the user's files too stays
                (folder / "charts").rmdir()
    except OSError as error:
        raise LadderError(f"cannot write the site in {printable(str(folder))}: {error.strerror or error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if made and not placing:
            shutil.rmtree(folder, ignore_errors=True)
    return written


def _write_manifest(folder: Path, staging: Path, names: Sequence[str]) -> None:
    temporary = staging / MANIFEST
    temporary.write_text(_MANIFEST_HEAD + "".join(f"{name}\n" for name in names), encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)


# --- the charts ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _drawn(texts: Sequence[str]) -> Iterator[tuple[list[Path | None] | None, str]]:
    """Each chart's SVG file, drawn by `mmdc` (None for one it did not draw safely), with a note
    when it failed; (None, "") when it is not installed. A chart drawn before by the same `mmdc`
    with the same settings is taken from the cache of drawn charts; the others are drawn in one run."""
    import shutil
    import tempfile

    mmdc = shutil.which("mmdc")
    if mmdc is None or not texts:
        yield None, ""
        return
    config = os.environ.get("LADDER_PUPPETEER_CONFIG")
    with tempfile.TemporaryDirectory(prefix="ladder-charts-") as work:
        cache = _chart_cache() or Path(work, "cache")
        try:
            cache.mkdir(parents=True, exist_ok=True)
            tempfile.TemporaryFile(dir=cache).close()
        except OSError:  # a cache that cannot be written is not used, as the store's is not
            cache = Path(work, "cache")
            cache.mkdir()
        drawn = [cache / f"{key}.svg" for key in _chart_keys(mmdc, config, texts)]
        wanted = {path: text for path, text in zip(drawn, texts, strict=True) if not _used(path)}
        note = _draw(mmdc, config, wanted, Path(work)) if wanted else ""
        missing = [path for path in drawn if not path.exists()]
        if missing and not note:
            note = f"{len(missing)} of the charts are Mermaid source: mmdc drew them wrong or not at all"
        yield [None if path in missing else path for path in drawn], note


def _draw(mmdc: str, config: str | None, charts: dict[Path, str], work: Path) -> str:
    """Draw `charts` (their text by the file each goes to) in one run of `mmdc`; keep each SVG that
    is safe to put into a page; what went wrong, or ""."""
    import subprocess

    source, output = work / "charts.md", work / "drawn.md"
    source.write_text("".join(f"```mermaid\n{text}```\n\n" for text in charts.values()), encoding="utf-8")
    command = [mmdc, "--quiet", "-i", str(source), "-o", str(output), "-j", str(min(os.cpu_count() or 1, 8))]
    command += ["-p", config] if config else []
    try:
        returncode, stderr = _run_alone(command, timeout=60 + 10 * len(charts))
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"the charts are Mermaid source: mmdc did not finish ({printable(str(error))})"
    if returncode != 0:
        said = (stderr.strip().splitlines() or [f"exit {returncode}"])[-1]
        return f"the charts are Mermaid source: mmdc failed ({printable(said[:300])})"
    for number, path in enumerate(charts, 1):
        svg = _safe_svg(work / f"drawn-{number}.svg")
        if svg is not None:
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_text(svg, encoding="utf-8")
            os.replace(temporary, path)  # whole or not at all: another build may read it
    return ""


def _run_alone(command: Sequence[str], timeout: float) -> tuple[int, str]:
    """Run `command` in a process group of its own, so that on a timeout the browser it started goes
    with it; its exit code and stderr."""
    import signal
    import subprocess

    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            process.kill()
            process.communicate()
            raise
    return process.returncode, stderr


def _chart_cache() -> Path | None:
    """`charts/` beside the store, or None under LADDER_NO_CACHE; its files unused for 30 days go."""
    import time

    import platformdirs

    if env_flag("LADDER_NO_CACHE"):
        return None
    folder = Path(platformdirs.user_cache_dir("ladder")) / "charts"
    with contextlib.suppress(OSError):
        for path in folder.glob("*.svg"):
            if path.stat().st_mtime < time.time() - 30 * 86400:
                path.unlink()
    return folder


def _chart_keys(mmdc: str, config: str | None, texts: Sequence[str]) -> list[str]:
    """A key per chart: what would draw it otherwise changes it (the text, which `mmdc` and when
    installed, the browser settings)."""
    import hashlib

    found = Path(mmdc).resolve()
    try:
        settings = Path(config).read_bytes() if config else b""
        installed = found.stat().st_mtime_ns
    except OSError:
        settings, installed = os.urandom(16), 0  # unreadable: draw again
    base = hashlib.sha256(f"{found}\0{installed}\0{config}\0".encode() + settings + b"\0")
    keys = []
    for text in texts:
        digest = base.copy()
        digest.update(text.encode())
        keys.append(digest.hexdigest())
    return keys


def _used(path: Path) -> bool:
    """Whether a drawn chart is there to use (its time touched: it is kept another 30 days)."""
    try:
        os.utime(path)
    except OSError:
        return False
    return True


_UNSAFE = re.compile(r"<script|<iframe|<object|<embed|\son[a-z]+\s*=|(?:href|src)\s*=\s*[\"'](?!#)", re.IGNORECASE)


def _safe_svg(path: Path) -> str | None:
    """The SVG mmdc wrote, inline as it goes into a page: None when missing, not an SVG, or holding
    a script, an event handler or an address of anything outside it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    text = re.sub(r"^<\?xml[^>]*\?>\s*", "", text.strip())
    if not text.startswith("<svg") or _UNSAFE.search(text):
        return None
    return re.sub(r' data-points="[^"]*"', "", text)
