"""`ladder import` of Markdown pages with YAML front matter: one page, or a folder of them, each read
safely (a regular file, within the import's limit, UTF-8), its front matter split from its body and
read as YAML with a line per value (`yamlfile.read_document`). What the front matter says is the
layout of the progression frameworks (`progression.py`).

A folder's pages are numbered on one after the other, so that a row names a page and a line of it:
page k's line N is row `offset + N`, its row `offset` the page itself, and row 0 the folder. `place`
turns a row back into `engineering/backend.md:34`.
"""

from __future__ import annotations

import bisect
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from career_ladder.errors import InvalidLadder, Loc, printable
from career_ladder.progression import Framework, Page, kebab
from career_ladder.tidy import Placed

SUFFIXES = (".md", ".markdown")


class Pages(NamedTuple):
    """What the pages say: a ladder file's data, where each value came from (a row and a column),
    the problems met, and what was kept as notes (`product.md:3: sidebarGroup: engineering`)."""

    data: dict[str, Any]
    positions: dict[Loc, tuple[int, int]]
    problems: list[Placed]
    place: Callable[[int, int], str]  # `product.md:34`, `engineering/backend.md:34`
    kept_as_notes: list[str]
    stand_ins: list[str]  # the fields written as not given (a summary, an area's covers): to replace
    refused: bool  # the problems are of the input itself: it gives no ladder to check


def is_pages(path: Path) -> bool:
    """Whether `ladder import` reads `path` as Markdown pages: a `.md` file, or a folder."""
    return path.suffix.lower() in SUFFIXES or path.is_dir()


def read_pages(path: Path, *, ladder_id: str | None, encoding: str | None, limit: int) -> Pages:
    """The ladder of a Markdown page, or of a folder's pages (`limit` bytes in all at most)."""
    return _Reader(path, encoding, limit).read(ladder_id)


class _Reader:
    def __init__(self, path: Path, encoding: str | None, limit: int) -> None:
        self.path, self.encoding, self.limit = path, encoding, limit
        self.folder = path.is_dir()
        self.name = path.name if path.name not in ("", ".", "..") else path.resolve().name
        self.shown = printable(self.name or str(path)) + ("/" if self.folder else "")
        self.pages: list[Page] = []
        self.framework = Framework()

    def place(self, row: int, column: int = 0) -> str:
        index = bisect.bisect_right([page.offset for page in self.pages], row) - 1
        if index < 0:
            return self.shown
        line = row - self.pages[index].offset
        return f"{self.pages[index].name}:{line}" if line else self.pages[index].name

    def problem(self, row: int, column: int, message: str, code: str = "LDR520") -> None:
        self.framework.problem((row, column), code, message)

    def read(self, ladder_id: str | None) -> Pages:
        framework = self.framework
        row, total = (1 if self.folder else 0), 0
        for file in self._files():
            name = f"{self.shown}{printable(file.name)}" if self.folder else self.shown
            raw = self._bytes(file, row)
            total += len(raw or b"")
            if raw is not None and total > self.limit:
                self.problem(row, 0, f"the pages are larger than the {self.limit // 1024 // 1024} MiB an import reads")
                raw = None
            self.pages.append(self._page(file, name, row, raw))
            row += (raw.count(b"\n") + 2) if raw is not None else 1
        if not framework.problems:
            self._identify()
        refused = not self.pages or bool(framework.problems)  # no page to read, or none read
        data: dict[str, Any] = {}
        if not refused:
            for page in self.pages:
                framework.read(page)
            if not framework.rungs:  # each page said why: no topics, no levels
                return self._pages({}, refused=True)
            ladder_id = ladder_id or kebab(self.name if self.folder else self.pages[0].path.stem)
            if ladder_id:
                data = framework.ladder(ladder_id, self.pages, self.name if self.folder else None)
            else:
                self.problem(0, 0, "the name gives no ladder id: give one with --id", "LDR525")
                refused = True
        return self._pages(data, refused)

    def _pages(self, data: dict[str, Any], refused: bool) -> Pages:
        framework = self.framework
        kept = [f"{self.place(*at)}: {what}" for at, what in sorted(framework.kept, key=lambda kept: kept[0])]
        stand_ins = framework.stand_ins if data else []
        return Pages(data, framework.positions, framework.problems, self.place, kept, stand_ins, refused)

    def _files(self) -> list[Path]:
        if not self.folder:
            return [self.path]
        try:
            files = sorted(
                p
                for p in self.path.iterdir()
                if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file()  # an editor's `.#x.md`
            )
        except OSError as error:
            self.problem(0, 0, f"the folder cannot be read: {error.strerror or error}")
            return []
        if not files:
            self.problem(0, 0, "the folder holds no Markdown pages (*.md, *.markdown)")
        return files

    def _bytes(self, file: Path, row: int) -> bytes | None:
        """The file's bytes: one regular file, not over the limit."""
        try:
            descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not hang the reader
            mode = os.fstat(descriptor).st_mode
            if not stat.S_ISREG(mode):
                os.close(descriptor)
                self.problem(row, 0, "not a Markdown file: give a .md file, or a folder of them")
                return None
            with open(descriptor, "rb") as opened:
                raw = opened.read(self.limit + 1)
        except OSError as error:
            self.problem(row, 0, f"cannot be read: {error.strerror or error}")
            return None
        if len(raw) > self.limit:
            self.problem(row, 0, f"larger than the {self.limit // 1024 // 1024} MiB an import reads")
            return None
        return raw

    def _page(self, file: Path, name: str, row: int, raw: bytes | None) -> Page:
        """The page: its front matter read as YAML, each value with its line, and its body; a page
        with nothing read, and a problem, where it cannot be read so."""
        from career_ladder.yamlfile import read_document

        page = Page(file, name, "", row, {}, {}, [])
        text = self._text(raw, row) if raw is not None else None
        if text is None:
            return page
        lines = [line.removesuffix("\r") for line in text.split("\n")]
        if lines[0].rstrip() != "---":
            message = "no front matter: a page begins with a line `---`, its YAML (title, levels, topics), then `---`"
            self.problem(row + 1, 1, message, "LDR521")
            return page
        end = next((index for index, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
        if end is None:
            self.problem(row + 1, 1, "the front matter begun on line 1 is never closed by a line `---`", "LDR521")
            return page
        try:
            document = read_document(Path(name), "\n" + "\n".join(lines[1:end]))
        except InvalidLadder as invalid:
            for p in invalid.problems:
                self.problem(row + p.line, p.column, f"the front matter is not clean YAML: {p.message}", "LDR522")
            return page
        if not isinstance(document.data, dict):
            kind = {type(None): "empty", list: "a list"}.get(type(document.data), "a single value")
            message = f"the front matter is {kind}, not a mapping of keys (title, levels, topics)"
            self.problem(row + 1, 1, message, "LDR521")
            return page
        body = list(enumerate(lines[end + 1 :], end + 2))
        return page._replace(front=document.data, where=document.positions, body=body)

    def _text(self, raw: bytes, row: int) -> str | None:
        try:
            return raw.decode(self.encoding or "utf-8-sig")
        except LookupError:
            self.problem(row, 0, f"no text encoding '{printable(self.encoding or '')}' (say utf-8, cp1252, latin-1)")
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
            hint = "save it as UTF-8, or name its encoding: --encoding cp1252"
            self.problem(
                row + line, column, f"not {self.encoding or 'UTF-8'} text (byte 0x{raw[error.start]:02x}): {hint}"
            )
        return None

    def _identify(self) -> None:
        """Each page's id, its source's, from its file name; two pages of one id are a problem."""
        seen: dict[str, str] = {}
        for index, page in enumerate(self.pages):
            ident = kebab(page.path.stem, 48)  # room for `-level-100` in a rung's id
            self.pages[index] = page._replace(ident=ident)
            if not ident:
                self.problem(
                    page.offset, 0, "the file's name gives no id: name it in Latin letters or digits", "LDR525"
                )
            elif ident in seen:
                message = f"its id '{ident}' is that of {seen[ident]} too: rename one of the two files"
                self.problem(page.offset, 0, message, "LDR527")
            seen.setdefault(ident, page.name)
