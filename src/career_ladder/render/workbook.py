"""`ladder export -f xlsx`: a ladder as a workbook for people who live in spreadsheets.

Six sheets. Four are views of the ladder as resolved (an overlay merged, shared rungs filled in),
protected, and drawn from the last: `Matrix` (rungs across in level order, a row per section and
competency area), `Rungs`, `Pay` (amounts as numbers in their currency's format) and `Sources`.
`Self-assessment` is a row per item a person would assess, with a Status list and an Evidence
column, theirs to fill in. `Ladder` is the file as written, as the tidy table of `export -f csv`:
what `ladder import` reads back.

The grids are plain values (`view_grids`), so that `workbook.py` can draw them again from an
imported ladder and find a view edited by hand. The digest of each, written in the workbook's
custom properties (`DRAWN`), tells a view edited from one left behind by an edit of the Ladder
sheet. Every text is a text cell: nothing from the data is ever a formula.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from career_ladder.errors import BadArgument
from career_ladder.render.labels import COVERS, no_figure_text, years_text
from career_ladder.results import LadderView, PlacedRung

if TYPE_CHECKING:
    from career_ladder.models import Point, Source
    from career_ladder.tidy import TidyRow

Cell = str | int | float | None
Grid = list[list[Cell]]

VIEWS = ("Matrix", "Rungs", "Pay", "Sources")
ASSESSMENT, LADDER = "Self-assessment", "Ladder"
DRAWN = "ladder-drawn"  # the custom property holding each view's digest: `Matrix=…;Rungs=…`
DRAWN_NOTE = "Drawn from the Ladder sheet"
_DRAWN_COMMENT = (
    "This sheet is drawn from the Ladder sheet, which `ladder import` reads: edit that sheet, not this "
    "one (it is protected, with no password, so that an edit is not lost by mistake)."
)
STATUSES = ("met", "partly", "not-yet")  # as an assessment file writes them
XLSX_EXTRA = "xlsx needs openpyxl, an optional part of ladder: pip install 'career-ladder[xlsx]'"
_CELL_LIMIT = 32_767  # the most characters a cell holds in Excel
# Currencies written with their symbol before the amount; any other with its code after it.
_SYMBOL_FIRST = {"USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}


def openpyxl_module() -> ModuleType:
    """openpyxl, imported only on the xlsx path; BadArgument saying how to install it when missing."""
    try:
        import openpyxl
    except ImportError:
        raise BadArgument(XLSX_EXTRA) from None
    return openpyxl


# --- the grids -------------------------------------------------------------------------------------


def view_grids(view: LadderView, shared_sources: Mapping[str, Sequence[Source]]) -> dict[str, Grid]:
    """The four views of a resolved ladder, by sheet name, as plain values."""
    sources = {view.ladder.id: list(view.ladder.sources), **shared_sources}
    return {
        "Matrix": matrix_grid(view),
        "Rungs": rungs_grid(view),
        "Pay": pay_grid(view, sources),
        "Sources": sources_grid(view, sources),
    }


def in_level_order(view: LadderView) -> list[PlacedRung]:
    return sorted(view.rungs, key=lambda placed: placed.rung.level)  # stable: a level keeps the file's order


def matrix_grid(view: LadderView) -> Grid:
    """Rungs across (title, then level and track), a row per section and competency area down,
    one statement a line; a row no rung fills is left out."""
    rungs = in_level_order(view)
    tracks = {track.id: track.name for track in view.ladder.parallel_tracks}
    names = {area.id: area.name for area in view.ladder.competencies}
    areas = list(names)
    areas += [area for placed in rungs for area in placed.rung.expectations if area not in areas]
    header: list[Cell] = [DRAWN_NOTE, *(_heading(placed, tracks) for placed in rungs)]
    rows: Grid = [header]
    sections: list[tuple[str, Callable[[PlacedRung], list[str]]]] = [
        ("Summary", lambda placed: [placed.rung.summary] if placed.rung.summary else []),
        ("Responsibilities", lambda placed: _texts(placed.rung.responsibilities)),
        ("Skills", lambda placed: _texts(placed.rung.skills)),
    ]
    sections += [(names.get(area, area), _area_texts(area)) for area in dict.fromkeys(areas)]
    sections.append(("Signals", lambda placed: _texts(placed.rung.signals)))
    for label, texts in sections:
        cells = [_joined(texts(placed)) for placed in rungs]
        if any(cells):
            rows.append([label, *cells])
    return rows


def _heading(placed: PlacedRung, tracks: Mapping[str, str]) -> str:
    rung = placed.rung
    facts = [f"level {rung.level}"]
    facts += [tracks.get(placed.track, placed.track)] if placed.track else []
    facts += ["optional"] if rung.optional else []
    return f"{rung.title}\n{' · '.join(facts)}"


def _texts(points: Sequence[Point]) -> list[str]:
    return [point.text for point in points]


def _area_texts(area: str) -> Callable[[PlacedRung], list[str]]:
    return lambda placed: _texts(placed.rung.expectations.get(area, []))


def _joined(texts: Sequence[str]) -> str | None:
    text = "\n".join(texts)
    return (text if len(text) <= _CELL_LIMIT else text[: _CELL_LIMIT - 1] + "…") or None


RUNG_COLUMNS = ("id", "title", "level", "track", "kind", "optional", "years", "reports_to", "summary", "sources")


def rungs_grid(view: LadderView) -> Grid:
    tracks = {track.id: track.name for track in view.ladder.parallel_tracks}
    rows: Grid = [[*RUNG_COLUMNS, "shared from"]]
    for placed in view.rungs:
        rung = placed.rung
        track = tracks.get(placed.track, placed.track) if placed.track else None
        rows.append(
            [
                rung.id,
                rung.title,
                rung.level,
                track,
                rung.kind,
                "yes" if rung.optional else None,
                years_text(rung.years) or None,
                _listed(rung.reports_to),
                rung.summary,
                _listed(rung.sources),
                placed.shared_from,
            ]
        )
    return rows


PAY_COLUMNS = ("rung", "title", "currency", "min", "max", "average", "period", "covers", "region", "as_of", "note")
AMOUNTS = (3, 4, 5)  # the columns of min, max and average (0-based)
_PERIODS = {"year": "a year", "not-stated": "not stated"}


def pay_grid(view: LadderView, sources: Mapping[str, Sequence[Source]]) -> Grid:
    """A row per salary figure, its amounts as numbers and its sources' titles beside it; a rung
    with none says why (its pay not published, or no figure in the sources)."""
    rows: Grid = [[*PAY_COLUMNS, "sources", "source titles"]]
    for placed in view.rungs:
        rung, owner = placed.rung, placed.home or placed.ladder  # whose sources its figures cite
        titles = {source.id: source.title for source in sources.get(owner, ())}
        for figure in rung.salary:
            rows.append(
                [
                    rung.id,
                    rung.title,
                    figure.currency,
                    figure.min,
                    figure.max,
                    figure.average,
                    _PERIODS[figure.period],
                    COVERS[figure.covers],
                    figure.region,
                    figure.as_of,
                    figure.note,
                    _listed(figure.sources),
                    _joined([titles.get(source, source) for source in figure.sources]),
                ]
            )
        if not rung.salary:
            statement = placed.pay_not_published
            note = no_figure_text(placed) + (f": {statement.note}" if statement and statement.note else "")
            cited = statement.sources if statement else []
            titled = _joined([titles.get(source, source) for source in cited])
            rows.append([rung.id, rung.title, *[None] * 8, note, _listed(cited), titled])
    return rows


def sources_grid(view: LadderView, sources: Mapping[str, Sequence[Source]]) -> Grid:
    """The ladder's sources, then those of the ladders its shared rungs come from: an id means what
    its own ladder says."""
    rows: Grid = [["ladder", "id", "title", "publisher", "date", "url", "covers"]]
    for ladder_id in [view.ladder.id, *(home for home in sources if home != view.ladder.id)]:
        for source in sources.get(ladder_id, ()):
            rows.append([ladder_id, source.id, source.title, source.publisher, source.date, source.url, source.covers])
    return rows


def assessment_grid(view: LadderView) -> Grid:
    """A row per item a person would assess against each rung, keyed as `ladder assess` keys it."""
    from career_ladder.assessment import item_key

    names = {area.id: area.name for area in view.ladder.competencies}
    rows: Grid = [["rung", "title", "key", "section", "area", "text", "sources", "status", "evidence"]]
    for placed in in_level_order(view):
        rung, where = placed.rung, f"{placed.ladder}.{placed.rung.id}"
        items: list[tuple[str, str | None, Point]] = [("responsibilities", None, p) for p in rung.responsibilities]
        items += [("skills", None, point) for point in rung.skills]
        items += [("expectations", area, point) for area, points in rung.expectations.items() for point in points]
        items += [("signals", None, point) for point in rung.signals]
        for section, area, point in items:
            key = item_key(where, section, area, point)
            area_name = names.get(area, area) if area else None
            rows.append([rung.id, rung.title, key, section, area_name, point.text, _listed(point.sources), None, None])
    return rows


def _listed(items: Sequence[str]) -> str | None:
    return ", ".join(items) or None


def cell_text(value: Any) -> str:
    """A cell's value as compared and digested: a number as written (120000, not 120000.0), line
    breaks as `\\n`, nothing as empty; so a workbook saved again by another program compares equal."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value).replace("\r\n", "\n")


def trimmed(rows: Sequence[Sequence[Any]]) -> list[list[str]]:
    """The grid as texts, without the empty cells at the end of each row nor the empty rows at the end."""
    texts = [[cell_text(value) for value in row] for row in rows]
    texts = [row[: max((i + 1 for i, text in enumerate(row) if text), default=0)] for row in texts]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def digest(rows: Sequence[Sequence[Any]]) -> str:
    joined = "\x1e".join("\x1f".join(row) for row in trimmed(rows))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


# --- the workbook ----------------------------------------------------------------------------------


def workbook(view: LadderView, shared_sources: Mapping[str, Sequence[Source]], tidy: Sequence[TidyRow]) -> bytes:
    """The workbook's bytes: the four views of `view`, the Self-assessment, and `tidy` (the rows
    of the ladder's own file) as the Ladder sheet."""
    openpyxl = openpyxl_module()
    from openpyxl.packaging.custom import StringProperty

    from career_ladder.tidy import COLUMNS

    book = openpyxl.Workbook()
    book.remove(book.active)
    grids = view_grids(view, shared_sources)
    for name, rows in grids.items():
        sheet = _sheet(book, name, rows, frozen="B2" if name == "Matrix" else "A2", wide=60 if name != "Matrix" else 50)
        if name == "Pay":
            _amount_formats(sheet, rows)
        _protect(sheet)
    assessment = _sheet(book, ASSESSMENT, assessment_grid(view), frozen="A2", wide=80, every=False)
    _offer_statuses(assessment)
    ladder = _sheet(book, LADDER, [list(COLUMNS), *tidy], frozen="A2", wide=80, every=False)
    ladder["A1"].comment = book_comment(
        "`ladder import` reads this sheet back: a row per value of the ladder file (`export -f csv` "
        "writes the same table). The other sheets are drawn from it."
    )
    drawn = ";".join(f"{name}={digest(rows)}" for name, rows in grids.items())
    book.custom_doc_props.append(StringProperty(name=DRAWN, value=drawn))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: Any, name: str, rows: Sequence[Sequence[Cell]], *, frozen: str, wide: int, every: bool = True) -> Any:
    """A sheet of `rows`, every text a text cell, wrapped and top-aligned (not `every` cell: those
    that need it, on a long sheet, where styling each cell would cost seconds); the header bold,
    frozen, filterable; each column as wide as its longest line, within bounds."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(name)
    wrapped, bold = Alignment(wrap_text=True, vertical="top"), Font(bold=True)
    widths: dict[int, int] = {}
    for row_number, row in enumerate(rows, 1):
        for column, value in enumerate(row, 1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl takes a text starting with = for a formula
            if every or (isinstance(value, str) and ("\n" in value or len(value) > wide)):
                cell.alignment = wrapped
            if row_number == 1:
                cell.font = bold
            longest = max((len(line) for line in str(value).splitlines()), default=0)
            widths[column] = max(widths.get(column, 0), longest)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), wide)
    sheet.freeze_panes = frozen
    if name != "Matrix" and rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
    if name in VIEWS:
        note = sheet["A1"]
        note.comment = book_comment(_DRAWN_COMMENT)
    return sheet


def book_comment(text: str) -> Any:
    from openpyxl.comments import Comment

    comment = Comment(text, "ladder")
    comment.width, comment.height = 300, 100
    return comment


def _amount_formats(sheet: Any, rows: Grid) -> None:
    """Each amount in its currency's format: `"$"#,##0`, or `#,##0 "EUR"` for a currency without a symbol here."""
    for row_number, row in enumerate(rows[1:], 2):
        currency = str(row[2] or "")
        for column in AMOUNTS:
            value = row[column]
            if isinstance(value, int | float):
                number = "#,##0" if float(value).is_integer() else "#,##0.00"
                symbol = _SYMBOL_FIRST.get(currency)
                shown = f'"{symbol}"{number}' if symbol else f'{number} "{currency}"'
                sheet.cell(row=row_number, column=column + 1).number_format = shown


def _protect(sheet: Any) -> None:
    """Protected, with no password: its cells are drawn, not typed; its columns may be widened and
    its rows filtered and sorted."""
    from openpyxl.worksheet.protection import SheetProtection

    sheet.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False, autoFilter=False, sort=False)


def _offer_statuses(sheet: Any) -> None:
    """The Status column offers met, partly and not-yet (and refuses anything else); the Evidence
    column is the person's."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last = max(sheet.max_row, 2)
    status = get_column_letter(8)
    choices = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
    choices.prompt, choices.promptTitle = "met, partly or not-yet", "Status"
    choices.error, choices.errorTitle = "Choose met, partly or not-yet.", "Status"
    choices.showInputMessage = choices.showErrorMessage = True
    sheet.add_data_validation(choices)
    choices.add(f"{status}2:{status}{last}")
    for column, width in ((8, 12), (9, 60)):
        sheet.column_dimensions[get_column_letter(column)].width = width
