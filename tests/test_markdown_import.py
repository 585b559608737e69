"""`ladder import` of Markdown pages with YAML front matter (the progression frameworks' layout):
a page, a folder of pages, what is kept as notes, and each way an input fails, at its place."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from career_ladder import importing
from career_ladder.api import Ladders
from career_ladder.importing import Imported, ImportFailed
from career_ladder.loading import checked_ladder
from career_ladder.models import Rung
from career_ladder.progression import kebab
from career_ladder.yamlfile import read_document
from conftest import run

FRAMEWORK = Path(__file__).parent / "fixtures" / "markdown" / "framework"
# A page with one topic and one criterion, to which a test adds its fault.
FRONT = "---\ntitle: T\nlevels: 2\ntopics:\n  - name: a\n    content:\n      - level: 1\n        criteria: [x]\n"


def imported(path: Path, ladder_id: str | None = None) -> Imported:
    return Ladders(examples=False).import_file(path, ladder_id=ladder_id)


def failure(path: Path) -> list[str]:
    """The problems of an input that gives no ladder, each as the command prints it."""
    with pytest.raises(ImportFailed) as failed:
        imported(path)
    return [str(problem) for problem in failed.value.problems]


def page(tmp_path: Path, text: str, name: str = "page.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def own_rungs(result: Imported) -> list[Rung]:
    return [rung for rung in result.ladder.rungs if isinstance(rung, Rung)]


def counts(rung: Rung) -> dict[str, int]:
    return {area: len(points) for area, points in rung.expectations.items()}


# --- a page --------------------------------------------------------------------------------------


def test_a_page_is_a_ladder_with_a_rung_per_level_and_an_area_per_topic() -> None:
    result = imported(FRAMEWORK / "product.md")
    ladder = result.ladder
    assert (ladder.id, ladder.name, ladder.summary) == (
        "product",
        "🧭 Product Management Framework",
        "Imported from product.md.",
    )
    assert result.layout == "Markdown pages"
    rungs = own_rungs(result)
    assert [(r.id, r.title, r.level) for r in rungs] == [
        ("level-1", "Level 1", 10),
        ("level-2", "Level 2", 20),
        ("level-3", "Level 3", 30),
    ]
    assert [(area.id, area.name) for area in ladder.competencies] == [
        ("discovery", "🔍 Discovery"),
        ("delivery", "🚚 Delivery"),
        ("communication", "💬 Communication"),
    ]
    assert all(area.covers == "A topic of product.md." for area in ladder.competencies)
    # A criterion of `exampleCriteria` is a criterion too; a level with no criteria gives no points.
    assert [counts(rung) for rung in rungs] == [
        {"discovery": 2, "delivery": 1, "communication": 1},
        {"discovery": 2, "delivery": 2, "communication": 1},
        {"discovery": 1, "delivery": 1},
    ]
    assert rungs[1].expectations["communication"][0].text == "Fits the message to its audience"
    assert all(rung.summary and rung.summary.startswith(f"Level {n} of 🧭 Product") for n, rung in enumerate(rungs, 1))


def test_the_page_is_the_source_every_point_cites() -> None:
    ladder = imported(FRAMEWORK / "product.md").ladder
    assert [source.model_dump(exclude_none=True) for source in ladder.sources] == [
        {"id": "product", "title": "🧭 Product Management Framework", "file": "product.md"}
    ]
    cited = {
        source
        for rung in ladder.rungs
        if isinstance(rung, Rung)
        for points in [*rung.expectations.values(), rung.notes]
        for point in points
        for source in point.sources
    }
    assert cited == {"product"}


def test_examples_are_notes_of_their_rung_naming_the_area_and_the_criterion() -> None:
    rungs = own_rungs(imported(FRAMEWORK / "product.md"))
    assert [note.text for note in rungs[1].notes] == [
        '🔍 Discovery, an example of "Turns research into a short list of bets the squad can test": '
        "A one-page brief naming three bets and how each is measured",
        '🔍 Discovery, an example of "Turns research into a short list of bets the squad can test": '
        "A test plan that drops the weakest bet within two weeks",
        '💬 Communication, an example of "Fits the message to its audience": '
        "Shows engineers the trade-off, and leaders the outcome",
    ]
    assert rungs[0].notes == rungs[2].notes == []


def test_every_key_with_no_field_and_the_body_are_kept_as_notes_and_listed() -> None:
    result = imported(FRAMEWORK / "product.md")
    assert result.kept_as_notes == [
        "product.md:2: path: /product",
        "product.md:4: sidebarTitle: 🧭 Product",
        "product.md:5: sidebarGroup: product",
        "product.md:6: yaml: true",
        "product.md:8: homepage: true",
        "product.md:23: level 2, topic discovery: example: A one-page brief naming three bets and how each is measured",
        "product.md:24: level 2, topic discovery: example: A test plan that drops the weakest bet within two weeks",
        "product.md:51: level 2, topic communication: example: Shows engineers the trade-off, and leaders the outcome",
        "product.md:54: the Markdown below the front matter, lines 54–60, as 5 notes",
    ]
    assert [note.text for note in result.ladder.notes] == [
        "Front matter of product.md: path: /product",
        "Front matter of product.md: sidebarTitle: 🧭 Product",
        "Front matter of product.md: sidebarGroup: product",
        "Front matter of product.md: yaml: true",
        "Front matter of product.md: homepage: true",
        "### How to read this framework",
        "Each level builds on the one before it.",
        "- Show most of the behaviours of a level before moving on.",
        "- Talk to your manager about where you stand.",
        "This page guides a conversation; it is not a checklist.",
    ]


def test_the_yaml_says_where_each_part_came_from_and_reads_back_the_same() -> None:
    result = imported(FRAMEWORK / "product.md")
    assert "# level-2: product.md:17 to product.md:51\n" in result.text
    assert "# sources: product.md:3\n" in result.text
    again, problems, _ = checked_ladder(read_document(Path("product.yaml"), result.text))
    assert problems == [] and again == result.ladder


def test_a_description_is_the_summary_and_an_unknown_key_is_kept_where_it_stands(tmp_path: Path) -> None:
    path = page(
        tmp_path,
        "---\n"
        "title: Support\n"
        "description: How our support people grow.\n"
        "levels: 2\n"
        "topics:\n"
        "  - name: Care\n"
        "    description: How we look after a customer.\n"
        "    icon: heart\n"
        "    content:\n"
        "      - level: 1\n"
        "        criteria: [Answers within a day]\n"
        "        owner: team leads\n"
        "        examples: [A reply sent before lunch]\n"
        "---\n",
        "support.md",
    )
    result = imported(path)
    ladder = result.ladder
    assert ladder.summary == "How our support people grow."
    assert [(area.id, area.name, area.covers) for area in ladder.competencies] == [
        ("care", "Care", "How we look after a customer.")
    ]
    level_1, level_2 = own_rungs(result)
    assert [note.text for note in level_1.notes] == [
        "Care: owner: team leads",
        "Care, an example: A reply sent before lunch",
    ]
    assert (
        level_2.duties_not_stated is not None
        and level_2.duties_not_stated.note == "support.md gives no criteria at level 2."
    )
    assert [note.text for note in ladder.notes] == ["Topic Care: icon: heart"]
    assert result.kept_as_notes == [
        "support.md:8: topic care: icon: heart",
        "support.md:12: level 1, topic care: owner: team leads",
        "support.md:13: level 1, topic care: example: A reply sent before lunch",
    ]


def test_a_key_of_its_own_is_kept_though_it_looks_like_one_the_layout_reads(tmp_path: Path) -> None:
    text = FRONT.replace("levels: 2", "levels: 2\nlevelNames: [Junior, Senior]\nsidebarTitle: T") + "---\n"
    assert imported(page(tmp_path, text)).kept_as_notes == [
        'page.md:4: levelNames: ["Junior", "Senior"]',
        "page.md:5: sidebarTitle: T",
    ]


def test_the_levels_the_content_names_are_the_rungs_when_the_page_gives_no_count(tmp_path: Path) -> None:
    path = page(
        tmp_path, "---\ntitle: T\ntopics:\n  - name: a\n    content:\n      - level: 2\n        criteria: [x]\n---\n"
    )
    assert [rung.id for rung in own_rungs(imported(path))] == ["level-2"]


def test_a_topic_with_no_title_is_named_by_its_name(tmp_path: Path) -> None:
    text = "---\ntitle: T\nlevels: 1\ntopics:\n  - name: Comms and feedback\n    title:\n    content: []\n---\n"
    competencies = imported(page(tmp_path, text)).ladder.competencies
    assert [(area.id, area.name) for area in competencies] == [("comms-and-feedback", "Comms and feedback")]


@pytest.mark.parametrize(
    ("title", "ident"),
    [("🧠 Knowledge & Impact", "knowledge-impact"), ("Café crème", "cafe-creme"), ("Straße", "strasse"), ("🧠", "")],
)
def test_an_id_is_a_title_folded_to_ascii_kebab_case(title: str, ident: str) -> None:
    assert kebab(title) == ident


def test_a_long_title_gives_an_id_cut_at_a_word() -> None:
    assert kebab("word " * 30) == "-".join(["word"] * 13)  # 64 characters
    assert kebab("x" * 100) == "x" * 64


# --- a folder ------------------------------------------------------------------------------------


def test_a_folder_is_one_ladder_with_a_parallel_track_per_page_lined_up_by_level() -> None:
    result = imported(FRAMEWORK)
    ladder = result.ladder
    assert (ladder.id, ladder.name) == ("framework", "framework")
    assert (
        ladder.summary
        == "Imported from the Markdown pages of framework/, a parallel track each: design.md, product.md."
    )
    assert [(track.id, track.name) for track in ladder.parallel_tracks] == [
        ("design", "🎨 Product Design Framework"),
        ("product", "🧭 Product Management Framework"),
    ]
    assert [(source.id, source.file) for source in ladder.sources] == [
        ("design", "framework/design.md"),
        ("product", "framework/product.md"),
    ]
    assert [(rung.id, rung.level, rung.track) for rung in own_rungs(result)] == [
        ("design-level-1", 10, "design"),
        ("product-level-1", 10, "product"),
        ("design-level-2", 20, "design"),
        ("product-level-2", 20, "product"),
        ("design-level-3", 30, "design"),
        ("product-level-3", 30, "product"),
        ("design-level-4", 40, "design"),
    ]
    assert own_rungs(result)[0].title == "Level 1 (🎨 Product Design Framework)"
    # Level 4 of design.md states nothing: the rung says so rather than being left empty.
    last = own_rungs(result)[-1]
    assert last.expectations == {} and last.duties_not_stated is not None


def test_a_topic_of_one_name_in_several_pages_is_one_area_titled_by_the_first_title_given() -> None:
    ladder = imported(FRAMEWORK).ladder
    areas = {area.id: area for area in ladder.competencies}
    assert list(areas) == ["craft", "communication", "discovery", "delivery"]
    assert areas["communication"].name == "💬 Communication"  # design.md gives it no title
    assert areas["communication"].sources == ["design", "product"]
    assert areas["communication"].covers == "A topic of design.md, product.md."


def test_what_a_folder_keeps_is_listed_by_page_and_line() -> None:
    kept = imported(FRAMEWORK).kept_as_notes
    assert kept[:6] == [
        "framework/design.md:2: path: /design",
        "framework/design.md:4: sidebarTitle: 🎨 Design",
        "framework/design.md:5: sidebarGroup: product",
        "framework/design.md:6: yaml: true",
        "framework/design.md:8: homepage: false",
        "framework/design.md:35: the Markdown below the front matter, line 35, as 1 note",
    ]
    assert kept[6] == "framework/product.md:2: path: /product"
    assert len(kept) == 15


def test_the_yaml_of_a_folder_names_the_page_of_each_part() -> None:
    text = imported(FRAMEWORK).text
    assert "# design-level-1: framework/design.md:13 to framework/design.md:27\n" in text
    assert "# rungs: framework/design.md:7 to framework/product.md:51\n" in text


def test_a_problem_in_a_folder_names_its_page_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    good = FRONT.replace("[x]", "[fine]") + "---\n"
    page(folder, good, "a.md")
    page(folder, good.replace("[fine]", "[fine, fine]"), "b.md")
    assert failure(folder) == ["team/b.md:8: LDR526: the same criterion twice in level 1, topic a (first on line 8)"]


def test_two_pages_of_one_id_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    good = "---\ntitle: A\nlevels: 1\ntopics: [{name: x, content: [{level: 1, criteria: [y]}]}]\n---\n"
    page(folder, good, "a_b.md")
    page(folder, good, "a-b.md")
    assert failure(folder) == [
        "team/a_b.md: LDR527: its id 'a-b' is that of team/a-b.md too: rename one of the two files"
    ]


def test_a_folder_reads_its_own_visible_pages_only(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    (folder / "archive").mkdir(parents=True)
    page(folder, FRONT + "---\n", "a.md")
    page(folder, "not a page\n", ".#a.md")  # an editor's lock file
    page(folder / "archive", "not a page either\n", "old.md")
    page(folder, FRONT + "---\n", "B.MARKDOWN")
    assert [source.file for source in imported(folder).ladder.sources] == ["team/B.MARKDOWN", "team/a.md"]


def test_a_folder_with_no_page_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("hello\n", encoding="utf-8")
    assert failure(tmp_path / "notes") == ["notes/: LDR520: the folder holds no Markdown pages (*.md, *.markdown)"]


# --- each way a page fails, at its place ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Product\n", "page.md:1: LDR521: no front matter: a page begins with a line `---`"),
        ("---\ntitle: T\n", "page.md:1: LDR521: the front matter begun on line 1 is never closed by a line `---`"),
        ("---\n- a\n- b\n---\n", "page.md:1: LDR521: the front matter is a list, not a mapping of keys"),
        ("---\n---\nbody\n", "page.md:1: LDR521: the front matter is empty, not a mapping of keys"),
        (
            "---\ntitle: T\ntitle: U\n---\n",
            "page.md:3: LDR522: the front matter is not clean YAML: duplicate key 'title'",
        ),
        ("---\ntitle: T\n\tlevels: 2\n---\n", "page.md:3: LDR522: the front matter is not clean YAML: a tab"),
        (
            "---\ntitle: T\nlevels: 3\ntopcis: []\n---\n",
            "page.md:4: LDR523: unknown key 'topcis' (did you mean 'topics'?)",
        ),
        (
            FRONT.replace("criteria:", "critera:") + "---\n",
            "page.md:8: LDR523: unknown key 'critera' (did you mean 'criteria'?)",
        ),
        (
            FRONT.replace("levels: 2", "levels: many") + "---\n",
            "page.md:3: LDR524: `levels` is a whole number from 1 to 100, got many",
        ),
        (
            FRONT.replace("level: 1", "level: 3") + "---\n",
            "page.md:7: LDR524: `level` is a whole number within the page's `levels: 2`, got 3",
        ),
        (FRONT.replace("[x]", "x") + "---\n", "page.md:8: LDR524: `criteria` is a list of texts, got text"),
        (FRONT.replace("[x]", "[x, '  ']") + "---\n", "page.md:8: LDR525: a criterion is blank"),
        (FRONT.replace("[x]", "[x, 12]") + "---\n", "page.md:8: LDR524: a criterion is text, got a number"),
        (FRONT.replace("[x]", "[x, x]") + "---\n", "page.md:8: LDR526: the same criterion twice in level 1, topic a"),
        (
            FRONT + "      - level: 1\n---\n",
            "page.md:9: LDR526: level 1 of topic a again (first on line 7): join the two",
        ),
        (
            FRONT + "  - name: A\n---\n",
            "page.md:9: LDR527: topic 'A' has the id 'a' of the topic on line 5: rename one",
        ),
        (FRONT + "  - title: 🧠\n---\n", "page.md:9: LDR525: the topic's title gives no id"),
        (FRONT + "  - content: []\n---\n", "page.md:9: LDR525: a topic with neither `name` nor `title`: name it"),
        (FRONT + "  - name: ''\n    title:\n---\n", "page.md:9: LDR525: a topic with neither `name` nor `title`"),
        ("---\ntitle: T\nyaml: false\n---\n## Level 1\n", "page.md:2: LDR528: no `topics`: this page (`yaml: false`)"),
        ("---\ntitle: T\ntopics: [{name: a}]\n---\n", "page.md:2: LDR528: no levels: give `levels: N`"),
        (
            FRONT.replace("[x]", '["a \\e[31m text"]') + "---\n",
            "page.md:8: LDR104: rungs[level-1].expectations.a[0].text: text holds",
        ),
        (
            FRONT.replace("[x]", f"[{'w ' * 1100}]") + "---\n",
            "page.md:8: LDR103: rungs[level-1].expectations.a[0].text: String should",
        ),
    ],
)
def test_a_bad_page_is_refused_with_the_place_of_its_problem(tmp_path: Path, text: str, expected: str) -> None:
    problems = failure(page(tmp_path, text))
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_a_page_that_is_not_utf8_is_refused_at_its_byte(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    assert failure(path) == [
        "page.md:2: LDR520: not UTF-8 text (byte 0xe9): save it as UTF-8, or name its encoding: --encoding cp1252"
    ]


def test_a_page_with_windows_line_ends_and_a_byte_order_mark_keeps_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(b"\xef\xbb\xbf" + FRONT.replace("[x]", "[x, x]").replace("\n", "\r\n").encode() + b"---\r\n")
    assert failure(path) == ["page.md:8: LDR526: the same criterion twice in level 1, topic a (first on line 8)"]


def test_a_page_in_another_encoding_is_read_when_it_is_named(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(FRONT.replace("[x]", "[Café]").encode("cp1252") + b"---\n")
    result = Ladders(examples=False).import_file(path, encoding="cp1252")
    assert own_rungs(result)[0].expectations["a"][0].text == "Café"


def test_a_page_over_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "MAX_INPUT_BYTES", 1024 * 1024)
    path = tmp_path / "page.md"
    path.write_bytes(b"---\n" + b"#" * (1024 * 1024) + b"\n---\n")
    assert failure(path) == ["page.md: LDR520: larger than the 1 MiB an import reads"]


def test_a_missing_page_and_a_fifo_are_refused(tmp_path: Path) -> None:
    assert failure(tmp_path / "gone.md") == ["gone.md: LDR520: cannot be read: No such file or directory"]
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert failure(fifo) == ["pipe.md: LDR520: not a Markdown file: give a .md file, or a folder of them"]


def test_a_name_that_gives_no_id_asks_for_one(tmp_path: Path) -> None:
    path = page(tmp_path, FRONT + "---\n", "🧠.md")
    assert failure(path) == ["🧠.md: LDR525: the file's name gives no id: name it in Latin letters or digits"]


def test_every_problem_of_a_page_is_told_in_the_order_of_its_lines(tmp_path: Path) -> None:
    text = FRONT.replace("[x]", "[x, '', x]") + "      - level: 9\n  - title: 🧠\n---\n"
    problems = failure(page(tmp_path, text))
    assert [problem.split(": ")[0:2] for problem in problems] == [
        ["page.md:8", "LDR525"],
        ["page.md:8", "LDR526"],
        ["page.md:9", "LDR524"],
        ["page.md:10", "LDR525"],
    ]


# --- the command -----------------------------------------------------------------------------------


def test_ladder_import_writes_a_page_as_a_ladder_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "product.yaml"
    code, out, err = run("import", str(FRAMEWORK / "product.md"), "-o", str(target))
    assert (code, out) == (0, "")
    lines = err.splitlines()
    assert lines[0] == f"wrote {target}: ladder product, 3 rungs, from {FRAMEWORK / 'product.md'} (Markdown pages)"
    assert lines[1:6] == [
        "written as not given, to replace (4):",
        "  summary",
        "  competencies[discovery].covers",
        "  competencies[delivery].covers",
        "  competencies[communication].covers",
    ]
    assert lines[6] == "kept as notes, having no field of their own (9):"
    assert lines[7] == "  product.md:2: path: /product"
    assert lines[-1] == "  product.md:54: the Markdown below the front matter, lines 54–60, as 5 notes"
    assert run("validate", str(target))[0] == 0


def test_ladder_import_of_a_folder_validates(tmp_path: Path) -> None:
    target = tmp_path / "framework.yaml"
    code, _, err = run("import", str(FRAMEWORK), "-o", str(target))
    assert code == 0 and "ladder framework, 7 rungs" in err
    code, out, err = run("validate", str(target))
    assert code == 0, out + err


def test_ladder_import_names_the_ladder_with_id(tmp_path: Path) -> None:
    code, out, _ = run("import", str(FRAMEWORK / "product.md"), "--id", "acme-product", "-o", "-")
    assert code == 0 and "\nid: acme-product\n" in out


def test_ladder_import_of_a_bad_page_prints_each_problem_and_fails(tmp_path: Path) -> None:
    path = page(tmp_path, FRONT.replace("[x]", "[x, x]") + "---\n")
    code, out, err = run("import", str(path), "-o", "-")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "page.md:8: LDR526: the same criterion twice in level 1, topic a (first on line 8)",
        f"ladder: {path} gives no valid ladder: 1 problem",
    ]


@pytest.mark.parametrize(
    ("name", "content", "told"),
    [
        ("page.md", b"# Product\n", "page.md:1: LDR521: no front matter"),
        ("page.md", b"---\n- a\n---\n", "page.md:1: LDR521: the front matter is a list"),
        ("page.md", b"---\ntitle: [a\n---\n", "page.md:3: LDR522: the front matter is not clean YAML"),
        ("page.md", b"---\ntitle: \xff\n---\n", "page.md:2: LDR520: not UTF-8 text (byte 0xff)"),
        ("empty", None, "empty/: LDR520: the folder holds no Markdown pages"),
    ],
)
def test_ladder_import_tells_a_bad_input_in_one_line_and_fails(
    tmp_path: Path, name: str, content: bytes | None, told: str
) -> None:
    path = tmp_path / name
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    code, out, err = run("import", str(path), "-o", "-")
    assert (code, out) == (1, "")
    assert err.splitlines()[0].startswith(told), err
    assert err.splitlines()[1] == f"ladder: {path} gives no valid ladder: 1 problem"
    assert "Traceback" not in err


def test_ladder_import_help_names_markdown() -> None:
    code, out, _ = run("import", "--help")
    assert code == 0 and "Markdown" in out


# --- any front matter ------------------------------------------------------------------------------


def front_matters(texts: st.SearchStrategy[str], names: st.SearchStrategy[str], level: Any, fair: bool) -> Any:
    """Front matter of the layout, its texts, topic names and levels drawn from these; a fair one
    repeats no level, criterion or topic and names its levels."""
    content = st.fixed_dictionaries(
        {"level": level},
        optional={
            "criteria": st.lists(texts, max_size=3, unique=fair),
            "examples": st.lists(texts, max_size=2),
            "exampleCriteria": st.lists(
                st.fixed_dictionaries({"criteria": texts, "examples": st.lists(texts, unique=fair)}), max_size=1
            ),
        },
    )
    topic = st.fixed_dictionaries(
        {"name": st.one_of(names, st.none())},
        optional={
            "title": st.one_of(texts, st.none()),
            "content": st.lists(content, max_size=4, unique_by=(lambda item: item["level"]) if fair else None),
        },
    )
    topics = st.lists(
        topic, min_size=int(fair), max_size=4, unique_by=(lambda t: kebab(t["name"] or "")) if fair else None
    )
    levels = {"levels": st.integers(4, 6)}
    return st.builds(
        lambda given, extra: {**extra, **given},
        st.fixed_dictionaries(
            {"title": st.one_of(texts, st.none()), "topics": topics, **(levels if fair else {})},
            optional={} if fair else levels,
        ),
        st.dictionaries(st.text("abcdefghijklmnopqrstuvwxyz", min_size=1), texts, max_size=2),
    )


# What a framework holds, and anything at all: both ends of the import are exercised.
words = st.text(st.characters(categories=("L", "N", "P", "Zs", "So")), min_size=1, max_size=40).filter(str.strip)
wild = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
fair = front_matters(words, st.text("abcdefgh &-", min_size=1, max_size=12).filter(kebab), st.integers(1, 4), True)
anything = front_matters(wild, wild, st.one_of(st.integers(-1, 7), st.booleans(), wild), False)
pages = st.one_of(st.tuples(fair, words), st.tuples(anything, wild))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=st.one_of(fair, anything), body=wild)
def test_any_front_matter_gives_a_valid_ladder_or_placed_problems(
    tmp_path: Path, front: dict[str, Any], body: str
) -> None:
    path = tmp_path / "any.md"
    path.write_text(f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n{body}\n", encoding="utf-8")
    try:
        result = imported(path)
    except ImportFailed as failed:
        assert failed.problems
        assert all(re.fullmatch(r"any\.md(:[0-9]+)?", problem.place) for problem in failed.problems), failed.problems
        assert all(re.fullmatch(r"LDR[0-9]{3}", problem.code) for problem in failed.problems)
        return
    again, problems, _ = checked_ladder(read_document(Path(f"{result.ladder.id}.yaml"), result.text))
    assert again is not None and problems == []
