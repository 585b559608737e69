"""`Ladders`, the library under the `ladder` command: one object over the data directories with a
method per question, each returning a `results` type whose `to_dict()` is that command's json.

The question modules are imported inside the methods that ask them, as the command line does, so
building a `Ladders` costs no more than the command's start-up.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from career_ladder import datadirs
from career_ladder.catalog import Catalog
from career_ladder.errors import BadArgument, LadderError, NotFound, printable
from career_ladder.names import SLUG

if TYPE_CHECKING:
    from career_ladder.assessment import Assessment
    from career_ladder.errors import Problem
    from career_ladder.importing import Imported
    from career_ladder.models import Source
    from career_ladder.results import (
        Copied,
        Created,
        ItemChanges,
        LadderComparison,
        LadderListing,
        LadderView,
        RungView,
        SalaryReport,
        Started,
        ValidationReport,
        Written,
    )
    from career_ladder.results.diff import LadderDiff
    from career_ladder.results.knowledge import AboutView, EntryReport, SourceFacts, SourceList, TrackList
    from career_ladder.results.moves import NextView, Promotion, Routes
    from career_ladder.results.readiness import Calibrations, Progress, Readiness
    from career_ladder.results.search import SearchResult
    from career_ladder.site import Site


class Ladders:
    """The ladders of the built-in data, the user's and `LADDER_PATH`'s directories, then
    `data_dirs` (a later directory's ladder replaces an earlier one of the same id).

    Each file is read at most once per `Ladders`; make a new one to see files changed since.
    """

    def __init__(
        self,
        data_dirs: Sequence[Path | str] = (),
        *,
        examples: bool = False,
        use_cache: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        if any(directory == "" for directory in data_dirs):  # Path("") would be the current directory
            raise BadArgument("a data directory needs a path, got ''")
        directories = datadirs.data_dirs([Path(directory) for directory in data_dirs], examples)
        self._catalog = Catalog(directories, use_cache=use_cache, progress=progress)

    def close(self) -> None:
        """Close the store (a `with Ladders() as ladders:` block does it at its end)."""
        self._catalog.close()

    def __enter__(self) -> Ladders:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def warnings(self) -> list[Problem]:
        """What the answers so far met that a reader should hear of (`x.yaml` beside `x.yml`)."""
        return self._catalog.warnings

    def __contains__(self, ladder_id: object) -> bool:
        """Whether a data directory holds a ladder file of this id."""
        return isinstance(ladder_id, str) and self._catalog.find(ladder_id) is not None

    def listing(self, *, limit: int = 0) -> LadderListing:
        """Every ladder that loads (`ladder list`); the first `limit` rows (0: all)."""
        from career_ladder import queries

        return queries.list_ladders(self._catalog, limit=limit)

    def ladder(self, name: str, *, origin: bool = False) -> LadderView:
        """A ladder by id, name or alias, rung by rung (`ladder show`); `origin`: where each part
        comes from, for a ladder that `extends` another."""
        from career_ladder import queries

        return queries.show_ladder(self._catalog, name, origin)

    def rung(self, ladder: str, rung: str, *, origin: bool = False) -> RungView:
        """One rung in full, with its moves, ways in and equivalents (`ladder show LADDER RUNG`)."""
        from career_ladder import queries

        return queries.show_rung(self._catalog, ladder, rung, origin)

    def compare(self, ladders: Sequence[str]) -> LadderComparison:
        """Two or more ladders side by side, rungs aligned by level, track and stated equivalence."""
        from career_ladder import queries

        if len(ladders) < 2:
            raise BadArgument("compare needs two or more ladders, e.g. `ladder compare pm tpm`")
        return queries.compare(self._catalog, ladders)

    def salary(
        self, role: str, *, ladder: str | None = None, region: str | None = None, limit: int = 0
    ) -> SalaryReport:
        """Every salary figure of every rung matching `role` (in `ladder` only, when given; of a
        region containing `region`, when given); the first `limit` rows (0: all)."""
        from career_ladder import queries

        return queries.salary(self._catalog, role, ladder=ladder, region=region, limit=limit)

    def next(self, ladder: str, rung: str) -> NextView:
        """What each promotion out of `rung` asks beyond it: signals, responsibilities, skills, pay."""
        from career_ladder import moves

        return moves.next_rung(self._catalog, ladder, rung)

    def path(self, start: str, end: str, *, routes: int = 5) -> Routes:
        """The shortest `routes` (0: up to 1,000) from a rung, way in or role to a rung or role."""
        from career_ladder import moves

        return moves.path(self._catalog, start, end, limit=routes)

    def search(self, words: str | Sequence[str], *, ladder: str | None = None, limit: int = 0) -> SearchResult:
        """The statements holding every word (a string is one argument, as the shell gives it:
        a phrase when it has spaces), best first; the first `limit` (0: all)."""
        from career_ladder import search

        return search.search(self._catalog, [words] if isinstance(words, str) else words, ladder=ladder, limit=limit)

    def validate(self, paths: Sequence[Path | str] = ()) -> ValidationReport:
        """Every problem in the files or directories `paths` (default: every data directory)."""
        from career_ladder.validation import validate

        return validate(self._catalog, [Path(path) for path in paths])

    def about(self, ladder: str) -> AboutView:
        """What the sources say of a ladder as a whole: outlook, skills, variance, ratios, views, notes."""
        from career_ladder import knowledge

        return knowledge.about(self._catalog, ladder)

    def entry(self, *, ladder: str | None = None) -> EntryReport:
        """The ways in, the steps in, degrees and certificates, of every ladder or of `ladder`."""
        from career_ladder import knowledge

        return knowledge.entry(self._catalog, ladder)

    def tracks(self, *, ladder: str | None = None) -> TrackList:
        """The specialisations the sources name, with their focus."""
        from career_ladder import knowledge

        return knowledge.tracks(self._catalog, ladder)

    def sources(self, *, ladder: str | None = None) -> SourceList:
        """Every source each ladder declares, with how many of its parts cite it."""
        from career_ladder import knowledge

        return knowledge.sources(self._catalog, ladder)

    def source(self, source_id: str, *, ladder: str | None = None) -> SourceFacts:
        """The facts one source backs, ladder by ladder (`ladder sources ID`)."""
        from career_ladder import knowledge

        return knowledge.source_facts(self._catalog, source_id, ladder)

    def shared_sources(self, view: LadderView) -> dict[str, list[Source]]:
        """The sources of the ladders that write `view`'s shared rungs and the moves it shows of them,
        by ladder id, for a page that cites them: an id means what its own ladder says it means."""
        from career_ladder.queries import shared_sources

        return shared_sources(self._catalog, view)

    def export(self, ladder: str, *, fmt: str = "html") -> str:
        """`ladder export`: the ladder as one self-contained HTML page (`html`), a Mermaid flowchart
        (`mermaid`), schema.org JSON-LD (`jsonld`) or its file as a tidy table (`csv`); each renderer
        imported for its own format only. `workbook` gives the xlsx."""
        from career_ladder.results import ExportFormat

        if fmt not in set(ExportFormat) or fmt == ExportFormat.xlsx:
            formats = [str(known) for known in ExportFormat if known != ExportFormat.xlsx]
            hint = ": a workbook is bytes, from Ladders.workbook" if fmt == ExportFormat.xlsx else ""
            raise BadArgument(
                f"an export format is {', '.join(formats[:-1])} or {formats[-1]}, got '{printable(fmt)}'{hint}"
            )
        from career_ladder.exporting import export_text

        return export_text(self._catalog, self.ladder(ladder), fmt)

    def site(self, directory: Path | str, *, compare: Sequence[Sequence[str]] = ()) -> Site:
        """`ladder export --site DIR`: every ladder as a static site in `directory`, a page per pair in `compare`."""
        from career_ladder.site import build_site

        return build_site(self._catalog, directory, compare)

    def workbook(self, ladder: str) -> bytes:
        """`ladder export -f xlsx`: the ladder as an xlsx workbook: the Matrix, Rungs, Pay and
        Sources of it as resolved, a Self-assessment, and the Ladder sheet that `import` reads back.
        BadArgument when openpyxl is not installed (`pip install 'career-ladder[xlsx]'`)."""
        from career_ladder.queries import file_rows
        from career_ladder.render.workbook import workbook

        view = self.ladder(ladder)
        return workbook(view, self.shared_sources(view), file_rows(view))

    def import_file(
        self,
        path: Path | str,
        *,
        ladder_id: str | None = None,
        encoding: str | None = None,
        header_row: int | None = None,
        sheet: str | None = None,
    ) -> Imported:
        """`ladder import`: the ladder of a tidy table (`export -f csv`, or the Ladder sheet of `export
        -f xlsx`), of a matrix (rung titles across, areas down; `sheet` of a workbook) or of Markdown
        pages, checked as a ladder file is; ImportFailed with every problem at its place in the input
        (`ladder.csv:12:3`, `book.xlsx:Matrix!C7`)."""
        from career_ladder.importing import import_path
        from career_ladder.queries import drawn_view

        if ladder_id is not None and not re.fullmatch(SLUG, ladder_id):
            raise BadArgument(f"an id is kebab-case (acme-pm), got '{printable(ladder_id)}'")
        if ladder_id is not None and len(ladder_id) > 64:
            raise BadArgument(f"an id is at most 64 characters, got {len(ladder_id)}")
        views = functools.partial(drawn_view, self._catalog)  # what a workbook's views are drawn from
        return import_path(
            Path(path),
            ladder_id=ladder_id,
            encoding=encoding,
            header_row=header_row,
            sheet=sheet,
            views=views,
            context=lambda written: self.validate([written]).problems,
        )

    def write_import(self, result: Imported, output: Path | str | None = None, *, force: bool = False) -> Written:
        """Write an import's YAML to `output` (default: `ID.yaml` here), named by the ladder's id as
        every ladder file is; never over a file unless `force` (then whole or not at all)."""
        from career_ladder.files import write_import

        return write_import(result, output, force=force)

    def write_file(self, target: Path | str, text: str | bytes) -> Written:
        """Write `text` (or a workbook's bytes) to `target` whole or not at all (through a temporary
        file renamed over it), never over a ladder file of a data directory; a symlink is written
        through when it leads to a file, refused when it leads nowhere."""
        from career_ladder.files import write_whole

        return write_whole(target, text, [directory.path for directory in self._catalog.directories])

    def start_assessment(
        self, ladder: str, rung: str, *, target: str | None = None, output: Path | str | None = None
    ) -> Started:
        """`ladder assess start`: an assessment against the rung a promotion from `rung` leads to
        (`target`, when several do), every item not assessed yet, written to `output` (default:
        `assessments/LADDER-TARGET-DATE.yaml` in the user data directory, a folder of yours alone)
        with its schema beside it; never over a file."""
        import datetime

        from career_ladder.assessment import assessment_text, default_path, started, write_assessment
        from career_ladder.results import Started

        view, promotion = self._promotion(ladder, rung, target)
        today = datetime.date.today()
        assessment = started(view.current.ladder, view.current, promotion, today)
        current, goal = view.current.rung, promotion.target.rung
        text = assessment_text(assessment, f"{goal.title} ({goal.id})", f"{current.title} ({current.id})")
        path = write_assessment(text, output or default_path(assessment), [d.path for d in self._catalog.directories])
        return Started(assessment, path)

    def assessment_in_progress(
        self, ladder: str, rung: str, *, target: str | None = None, output: Path | str | None = None
    ) -> Started | None:
        """`ladder assess LADDER RUNG`: the assessment it goes on with: the file `output` when it
        exists, else the one last changed in the assessments folder whose ladder, rung and target
        (any promotion's, without `target`) are these; None when there is none (start one)."""
        from career_ladder.assessment import assessments_folder, in_progress, read_assessment
        from career_ladder.results import Started

        view = self.next(ladder, rung)
        promotions = view.promotions if target is None else [self._promotion(ladder, rung, target)[1]]
        targets = [promotion.target.rung.id for promotion in promotions]
        here = (view.current.ladder, view.current.rung.id)
        if output is None:
            found = in_progress(assessments_folder(), *here, targets)
            return None if found is None else Started(found[1], found[0])
        path = Path(output)
        if not path.exists():
            return None
        assessment = read_assessment(path)
        if (assessment.ladder, assessment.rung) != here or assessment.target not in targets:
            raise BadArgument(
                f"{printable(str(path))} is an assessment of {assessment.ladder}:{assessment.rung} to "
                f"{assessment.target}, not of {here[0]}:{here[1]} to {' or '.join(targets)}: name another file with -o"
            )
        return Started(assessment, path)

    def save_assessment(self, assessment: Assessment, path: Path | str) -> Path:
        """Write `assessment` over its file `path`, whole or not at all (a temporary file renamed
        over it), the file's leading comments and its mode kept: what `ladder assess -i` does after
        each answer. Never a ladder file of a data directory."""
        from career_ladder.assessment import rewrite_assessment

        return rewrite_assessment(Path(path), assessment, [d.path for d in self._catalog.directories])

    def targets(self, ladder: str, rung: str) -> list[Promotion]:
        """The promotions out of `rung` an assessment can be written against: those to a rung the
        sources name something of (a duty, a skill, an expectation, a readiness signal)."""
        from career_ladder.assessment import assessable

        return [promotion for promotion in self.next(ladder, rung).promotions if assessable(promotion)]

    def _promotion(self, ladder: str, rung: str, target: str | None) -> tuple[NextView, Promotion]:
        """The promotion from `rung` to `target` (by id, title or alias), or the only one with
        something to assess."""
        from career_ladder.assessment import assessable
        from career_ladder.names import matches

        view = self.next(ladder, rung)
        named = [(p, [p.target.rung.id, p.target.rung.title, *p.target.rung.aliases]) for p in view.promotions]
        with_items = [promotion for promotion in view.promotions if assessable(promotion)]
        chosen = matches(target, named) if target is not None else with_items
        leads_to = ", ".join(p.target.rung.id for p in with_items) or "no rung the sources name anything of"
        if len(with_items) < len(view.promotions):
            empty = ", ".join(p.target.rung.id for p in view.promotions if not assessable(p))
            leads_to += f" (and {empty}, of which they name nothing to assess)"
        if not chosen:
            wanted = printable(target or "")
            said = f"'{wanted}'" if target is not None else "a rung with anything to assess"
            raise NotFound(f"no promotion from '{view.current.rung.id}' leads to {said}: it leads to {leads_to}")
        if len(chosen) > 1:
            raise BadArgument(f"'{view.current.rung.id}' leads to {leads_to}: name one with --target")
        return view, chosen[0]

    def since_written(self, assessment: Assessment) -> ItemChanges:
        """What the ladder asks differently now from when `assessment` was written: its items new,
        removed and reworded (by key and wording), none dropped silently. BadArgument when its
        ladder, rung or target is gone."""
        from career_ladder.assessment import changes

        return changes(assessment, self._asked_now(assessment)[2])

    def _asked_now(
        self, assessment: Assessment, shown: str = "the assessment"
    ) -> tuple[NextView, Promotion, Assessment]:
        """The promotion `assessment` (named `shown` in a message) is against, and the assessment
        it would start today."""
        import datetime

        from career_ladder.assessment import started

        try:
            view, promotion = self._promotion(assessment.ladder, assessment.rung, assessment.target)
        except LadderError as error:
            raise BadArgument(
                f"{shown} is of {assessment.ladder}:{assessment.rung} to {assessment.target}, which "
                f"the ladders no longer have: {error}"
            ) from None
        return view, promotion, started(view.current.ladder, view.current, promotion, datetime.date.today())

    @staticmethod
    def read_assessment(path: Path | str) -> Assessment:
        """An assessment file, checked as a ladder file is: InvalidLadder with every problem at its place."""
        from career_ladder.assessment import read_assessment

        return read_assessment(Path(path))

    def readiness(self, file: Path | str, *, since: Path | str | None = None) -> Readiness:
        """`ladder readiness FILE`: where the person of an assessment stands against the ladder as it
        is now: per section and area, the gaps with the signals that speak to them, a verdict that
        promises nothing; with `since` (an earlier assessment of the same target), what moved.
        Either file may be `REV:path`, read through git. BadArgument for a file that cannot be used."""
        from career_ladder.assessment import changes
        from career_ladder.readiness import readiness

        assessment = self._assessment(str(file))
        view, promotion, now = self._asked_now(assessment, printable(str(file)))
        ladder = self._catalog.ladder(view.current.ladder)
        areas = {area.id: area.name for area in ladder.competencies}
        homes = [home for home in (promotion.target.home, view.current.home) if home and home != ladder.id]
        sources = {source.id: source for home in homes for source in self._catalog.ladder(home).sources}
        sources |= {source.id: source for source in ladder.sources}  # an id means what the ladder says it means
        moved = None
        if since is not None:
            moved = self._progress(str(since), self._assessment(str(since)), str(file), assessment)
        return readiness(
            str(file), assessment, view, promotion, areas, changes(assessment, now), list(sources.values()), moved
        )

    def assessment_changes(self, old: Path | str, new: Path | str) -> Progress:
        """`ladder assess diff OLD NEW`: what moved between two assessments of one target (either
        may be `REV:path`): items that became met, other changes of status, evidence gained, items
        added or removed by a ladder change."""
        return self._progress(str(old), self._assessment(str(old)), str(new), self._assessment(str(new)))

    @staticmethod
    def _progress(old_name: str, old: Assessment, new_name: str, new: Assessment) -> Progress:
        from career_ladder.readiness import progress

        if (old.ladder, old.target) != (new.ladder, new.target):
            raise BadArgument(
                f"{printable(old_name)} is against {old.ladder}:{old.target} and {printable(new_name)} against "
                f"{new.ladder}:{new.target}: compare two assessments of one target"
            )
        return progress(old_name, old, new_name, new)

    def calibration(self, folder: Path | str, *, names: bool = False) -> Calibrations:
        """`ladder readiness DIR`: every assessment in `folder` (its .yaml and .yml files), grouped by
        ladder and target, with how many people stand where on each expectation; who, only when
        `names` (a person is the file's `name`, else the file; their newest file in the group
        counts). The texts are the files'; a competency area is named as its ladder names it, when
        the ladder is there to ask."""
        from career_ladder.assessment import assessment_files
        from career_ladder.readiness import calibration

        files = assessment_files(Path(folder))
        if not files:
            raise BadArgument(f"{printable(str(folder))} holds no assessment (.yaml) file")
        people = [(path.stem, Ladders._assessment(str(path))) for path in files]
        areas: dict[str, dict[str, str]] = {}
        for ladder_id in dict.fromkeys(assessment.ladder for _, assessment in people):
            try:
                areas[ladder_id] = {area.id: area.name for area in self._catalog.ladder(ladder_id).competencies}
            except LadderError:  # a ladder gone or broken: its areas by id
                areas[ladder_id] = {}
        return calibration(str(folder), people, names, areas)

    @staticmethod
    def _assessment(spec: str) -> Assessment:
        """The assessment `spec` names (a file, or `REV:path`); BadArgument, in one line, when it
        cannot be read or checked."""
        from career_ladder.assessment import read_assessment
        from career_ladder.diff import side
        from career_ladder.errors import InvalidLadder

        try:
            return read_assessment(*side(spec, "an assessment"))
        except InvalidLadder as error:
            first, more = error.problems[0]._replace(path=spec), len(error.problems) - 1
            check = f": run `ladder assess check {spec}`" if Path(spec).exists() else ""  # not REV:path
            lists_all = f" (and {more} more{check})" if more else ""
            raise BadArgument(f"{first}{lists_all}") from None
        except LadderError as error:
            raise BadArgument(str(error)) from None

    def init(self, ladder_id: str, directory: Path | str = ".", *, start: str | None = None) -> Created:
        """Write `ladder_id`.yaml in `directory`, valid from the start (the skeleton of the ladder
        `start`, when given), and the schema beside it; never over an existing file."""
        from career_ladder.init import init
        from career_ladder.models import ladder_schema

        data = self.ladder(start).to_dict() if start else None
        return init(ladder_id, Path(directory), data, ladder_schema())

    @staticmethod
    def write_examples(directory: Path | str = ".") -> Copied:
        """Copy the example company ladders (and a proposed change to one) into `directory`."""
        from career_ladder.init import write_examples
        from career_ladder.models import ladder_schema

        return write_examples(Path(directory), datadirs.examples_dir(), ladder_schema())

    @staticmethod
    def diff(old: str, new: str) -> LadderDiff:
        """The changes from ladder file `old` to `new`; either may be `REV:path`, read through git."""
        from career_ladder import diff

        return diff.diff(old, new)

    @staticmethod
    def schema() -> dict[str, Any]:
        """The JSON Schema of a ladder file."""
        from career_ladder.models import ladder_schema

        return ladder_schema()
