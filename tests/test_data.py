"""The shipped ladders: valid, complete where the sources give figures and lists, and cited.

Each test lists every offender at once, so one run says everything that needs fixing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from career_ladder.catalog import Catalog
from career_ladder.datadirs import DataDir, builtin_dir
from career_ladder.loading import read_ladder
from career_ladder.models import Ladder, Rung
from career_ladder.validation import validate

SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
ORIGINALITY = Path(__file__).parents[2] / "shared" / "tools" / "originality.py"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog([DataDir(builtin_dir(), "built-in")])


@pytest.fixture(scope="module")
def pm(catalog: Catalog) -> Ladder:
    return catalog.ladder("pm")


@pytest.fixture(scope="module")
def tpm(catalog: Catalog) -> Ladder:
    return catalog.ladder("tpm")


def own_rung(ladder: Ladder, rung_id: str) -> Rung:
    rung = ladder.rung(rung_id)
    assert isinstance(rung, Rung), f"{ladder.id} has no rung {rung_id} of its own"
    return rung


def test_every_shipped_file_is_valid_across_files(catalog: Catalog) -> None:
    report = validate(catalog)
    assert report.files >= 2
    assert [str(p) for p in report.problems] == []


def test_every_file_starts_with_the_schema_modeline() -> None:
    for path in builtin_dir().glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/ladder.schema.json", path.name


@pytest.mark.parametrize(
    ("ladder_id", "rung_id", "low", "high"),
    [
        ("tpm", "associate-tpm", 83350, 133305),
        ("tpm", "tpm", 120011, 180000),
        ("tpm", "senior-tpm", 135000, 185000),
        ("pm", "director", 150221, 220000),  # shared with tpm, written once
        ("pm", "vp", 191250, 215000),
    ],
)
def test_every_tpm_bracket_of_the_source_is_there(
    catalog: Catalog, ladder_id: str, rung_id: str, low: int, high: int
) -> None:
    figures = own_rung(catalog.ladder(ladder_id), rung_id).salary
    assert any((f.currency, f.min, f.max) == ("USD", low, high) and "tpm-career-path" in f.sources for f in figures)


def test_indian_average_is_for_the_role_as_a_whole_as_the_source_gives_it(tpm: Ladder) -> None:
    (figure,) = tpm.salary
    assert (figure.currency, figure.average, figure.region) == ("INR", 2650000, "India")
    assert figure.sources == ["emeritus-tpm-guide"]
    assert not [f for r in tpm.rungs if isinstance(r, Rung) for f in r.salary if f.currency == "INR"]


def test_a_figure_whose_source_states_no_period_says_so(pm: Ladder, tpm: Ladder) -> None:
    figures = [f for lad in (pm, tpm) for r in lad.rungs if isinstance(r, Rung) for f in r.salary]
    assert {f.period for f in figures if f.sources == ["tpm-career-path"]} == {"not-stated"}


def test_no_rung_has_an_invented_figure(pm: Ladder, tpm: Ladder) -> None:
    with_figures = {(lad.id, r.id) for lad in (pm, tpm) for r in lad.rungs if isinstance(r, Rung) and r.salary}
    assert with_figures == {
        ("tpm", "associate-tpm"),
        ("tpm", "tpm"),
        ("tpm", "senior-tpm"),
        ("pm", "director"),
        ("pm", "vp"),
    }


def test_director_vp_and_cpo_are_written_once_and_shared(tpm: Ladder) -> None:
    shared = {r.id: getattr(r, "shared", None) for r in tpm.rungs}
    assert (shared["director"], shared["vp"], shared["cpo"]) == ("pm:director", "pm:vp", "pm:cpo")


def test_levels_align_across_the_ladders(pm: Ladder, tpm: Ladder) -> None:
    assert own_rung(pm, "apm").level == own_rung(tpm, "associate-tpm").level
    assert own_rung(pm, "pm").level == own_rung(tpm, "tpm").level
    assert own_rung(pm, "senior-pm").level == own_rung(tpm, "senior-tpm").level


def test_the_pm_ladder_runs_from_apm_to_cpo_with_optional_rungs_marked(pm: Ladder) -> None:
    rungs = [r for r in pm.rungs if isinstance(r, Rung)]
    assert [r.id for r in rungs if not r.optional] == ["apm", "pm", "senior-pm", "director", "vp", "cpo"]
    assert {r.id for r in rungs if r.optional} == {"group-pm", "senior-manager", "senior-vp"}
    assert [r.level for r in rungs] == sorted(r.level for r in rungs)


def test_every_source_view_of_the_ladders_is_kept(pm: Ladder, tpm: Ladder) -> None:
    def cited(ladder: Ladder) -> set[str]:
        return {s for view in ladder.views for s in view.sources}

    assert {"pm-career-path", "pm-tech-companies", "tpm-career-2020"} <= cited(pm)
    assert {"tpm-career-2020", "tpm-career-path", "emeritus-tpm-guide"} <= cited(tpm)
    common = next(v for v in pm.views if "pm-tech-companies" in v.sources and len(v.steps) == 7)
    assert [s.title for s in common.steps][3::3] == ["Senior Manager", "Senior Vice President"]


def test_six_tpm_tracks_and_two_pm_specialisations(pm: Ladder, tpm: Ladder) -> None:
    assert [t.id for t in tpm.tracks] == [
        "operational",
        "strategic",
        "risk-management",
        "transformational",
        "startup",
        "compliance-focused",
    ]
    assert {t.id for t in pm.tracks} == {"growth-pm", "data-pm"}


def test_eight_outlook_scores_with_no_scale_as_the_source_gives_them(tpm: Ladder) -> None:
    assert [(o.score, o.out_of) for o in tpm.outlook] == [(s, None) for s in (9, 9, 8, 7, 9, 8, 9, 7)]


def test_pm_versus_tpm_comparison_has_its_four_points(tpm: Ladder) -> None:
    (comparison,) = tpm.comparisons
    assert comparison.with_ == "pm" and len(comparison.points) == 4


def test_entry_points_of_the_sources(pm: Ladder, tpm: Ladder) -> None:
    ids = {e.id for lad in (pm, tpm) for e in lad.entry_points}
    assert {
        "new-graduate",
        "former-entrepreneur",
        "near-pm-switcher",
        "from-marketing",
        "from-engineering",
        "from-design",
        "software-developer-or-analyst",
        "software-engineer",
    } <= ids


def test_exits_keep_both_views_of_the_top(pm: Ladder) -> None:
    """One source has CPOs move on to GM, COO or CEO; another offers those seats instead of CPO."""
    exits = [t for t in pm.transitions if t.kind == "exit"]
    by_rung = {rung: [t for t in exits if t.from_ == rung] for rung in ("cpo", "vp")}
    assert len(by_rung["cpo"]) == 3 and all("tpm-career-2020" in t.sources for t in by_rung["cpo"])
    assert len(by_rung["vp"]) == 3 and all("pm-tech-companies" in t.sources for t in by_rung["vp"])
    assert {t.from_ for t in exits} == {"cpo", "vp"}


def test_lateral_moves_link_the_two_ladders_both_ways(pm: Ladder, tpm: Ladder) -> None:
    assert {(t.from_, t.to) for t in pm.transitions if t.kind == "lateral"} >= {("pm", "tpm:tpm")}
    assert {(t.from_, t.to) for t in tpm.transitions if t.kind == "lateral"} >= {("tpm", "pm:pm")}


def test_degrees_and_certifications(tpm: Ladder) -> None:
    names = " ".join(q.name for q in tpm.education)
    for expected in ("Computer Science", "Engineering", "Information Systems", "MBA", "CPM", "CSPO"):
        assert expected in names


def test_ratio_of_product_managers_to_engineers(pm: Ladder) -> None:
    assert [(r.product_managers, r.engineers) for r in pm.ratios] == [(1, 10)]


def test_every_declared_source_is_cited_and_names_its_text(pm: Ladder, tpm: Ladder) -> None:
    for ladder in (pm, tpm):
        text = ladder.model_dump_json(by_alias=True)
        unused = [s.id for s in ladder.sources if text.count(f'"{s.id}"') < 2]
        assert unused == [], f"{ladder.id} declares sources it never cites"
        if SEEDS.is_dir():
            missing = [s.file for s in ladder.sources if not (SEEDS / str(s.file)).is_file()]
            assert missing == []


def test_every_rung_says_something(pm: Ladder, tpm: Ladder) -> None:
    core = [r for lad in (pm, tpm) for r in lad.rungs if isinstance(r, Rung) and not r.optional]
    assert [r.id for r in core if not r.responsibilities] == []


@pytest.mark.skipif(not ORIGINALITY.is_file(), reason="the originality tool lives beside the repository")
def test_no_sentence_is_copied_from_a_source() -> None:
    result = subprocess.run(
        [sys.executable, str(ORIGINALITY), str(builtin_dir())], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_shipped_files_load_on_their_own() -> None:
    for path in sorted(builtin_dir().glob("*.yaml")):
        assert read_ladder(path).ladder.id == path.stem
