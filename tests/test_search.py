"""`ladder search`: ranked, every word required, phrases, case and accents aside, where each hit
stands, highlighted safely, and an index that follows the files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from career_ladder import store
from career_ladder.catalog import Catalog
from career_ladder.cli import app
from career_ladder.datadirs import DataDir, data_dirs
from career_ladder.errors import BadArgument, NotFound
from career_ladder.search import search
from conftest import bump, minimal_ladder, run


def with_notes(ladder_id: str, *notes: str) -> dict[str, object]:
    return minimal_ladder(ladder_id, notes=[{"text": note, "sources": ["s"]} for note in notes])


def found(directory: Path, *words: str, **options: object) -> list[tuple[str, str, str]]:
    result = search(Catalog([DataDir(directory, "t")]), list(words), **options)  # type: ignore[arg-type]
    return [(hit.ladder, hit.place, hit.text) for hit in result.hits]


def test_every_word_must_match_and_a_quoted_phrase_matches_as_a_phrase(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    write_ladder(tmp_path, with_notes("acme", "The technical roadmap is ours.", "A roadmap for the technical team."))
    assert len(found(tmp_path, "technical", "roadmap")) == 2
    assert [text for _, _, text in found(tmp_path, "technical roadmap")] == ["The technical roadmap is ours."]
    with pytest.raises(NotFound, match="nothing says 'technical' 'unicorn'"):
        found(tmp_path, "technical", "unicorn")


def test_case_and_accents_do_not_matter(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, with_notes("acme", "Write a résumé for the Café team."))
    assert found(tmp_path, "RESUME") == found(tmp_path, "Résumé") == found(tmp_path, "cafe")
    hits = search(Catalog([DataDir(tmp_path, "t")]), ["RESUME"]).hits
    assert hits[0].text[slice(*hits[0].spans[0])] == "résumé"


def test_the_best_match_comes_first(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(
        tmp_path,
        with_notes("acme", "Strategy is one word among very many other words in this long note here.", "Strategy."),
    )
    assert next(text for _, _, text in found(tmp_path, "strategy")) == "Strategy."


def test_a_word_of_the_place_counts_too() -> None:
    hits = search(Catalog(data_dirs([])), ["director", "strategy"]).hits
    assert hits and all("director" in hit.place for hit in hits[:3])


def test_each_hit_says_where_it_stands_and_its_sources() -> None:
    code, out, _ = run("search", "technical roadmap", "-f", "json")
    data = json.loads(out)
    assert code == 0 and data["words"] == ["technical roadmap"] and data["total"] == len(data["hits"])
    hit = data["hits"][0]
    assert hit["ladder"] == "tpm" and hit["place"].startswith("rungs \u203a ") and hit["sources"]
    assert [hit["text"][start:end].lower() for start, end in hit["matches"]] == ["technical roadmap"]


def test_limit_and_ladder_narrow_the_hits() -> None:
    code, out, _ = run("search", "strategy", "--limit", "2")
    assert code == 0 and "more rows: use --limit 0" in out
    code, out, _ = run("search", "strategy", "--ladder", "tpm", "-f", "csv")
    rows = [line.split(",") for line in out.splitlines()[1:]]
    assert code == 0 and {row[0] for row in rows} == {"tpm", "pm"}  # pm: the rungs tpm shares from it
    assert all(row[1].split(" \u203a ")[1] in {"director", "vp", "cpo"} for row in rows if row[0] == "pm")


def test_matches_stand_out_in_markdown_and_on_a_terminal_but_not_under_no_color() -> None:
    code, out, _ = run("search", "technical roadmap", "-f", "markdown")
    assert code == 0 and "**technical roadmap**" in out
    styled = CliRunner().invoke(
        app, ["search", "technical roadmap"], env={"FORCE_COLOR": "1", "NO_COLOR": None, "COLUMNS": "200"}
    )
    assert "\x1b[1mtechnical roadmap" in styled.stdout
    plain = CliRunner().invoke(
        app, ["search", "technical roadmap"], env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "200"}
    )
    assert "technical roadmap" in plain.stdout and "\x1b[1mtechnical roadmap" not in plain.stdout


def test_text_found_is_shown_as_written(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, with_notes("acme", "Say [red]unicorn[/red] | <b>unicorn</b> *as is*."))
    code, out, _ = run("--data-dir", str(tmp_path), "search", "unicorn", "--ladder", "acme")
    assert code == 0 and "Say [red]unicorn[/red] | <b>unicorn</b> *as is*." in out
    code, out, _ = run("--data-dir", str(tmp_path), "search", "unicorn", "-l", "acme", "-f", "markdown")
    assert "Say [red]**unicorn**[/red] \\| &lt;b&gt;**unicorn**&lt;/b&gt; \\*as is\\*." in out


def test_the_index_follows_edits_deletions_and_broken_files(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    path = write_ladder(tmp_path, with_notes("acme", "A unicorn note."))
    assert found(tmp_path, "unicorn")
    bump(path, path.read_text().replace("unicorn", "narwhal"))
    assert found(tmp_path, "narwhal") and not _quiet(tmp_path, "unicorn")
    path.write_text("id: acme\nname: [\n")
    assert not _quiet(tmp_path, "narwhal")
    path.unlink()
    assert not _quiet(tmp_path, "narwhal")


def _quiet(directory: Path, *words: str) -> list[tuple[str, str, str]]:
    try:
        return found(directory, *words)
    except NotFound:
        return []


def test_a_store_that_is_no_database_is_made_anew(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, with_notes("acme", "A unicorn note."))
    assert found(tmp_path, "unicorn")
    store.store_path().write_bytes(b"not a database" * 100)
    assert found(tmp_path, "unicorn")


@pytest.mark.parametrize(
    ("word", "hits"),
    [
        ("unicorn!", 1),
        ("(unicorn)", 1),
        ("AND", 0),
        ("NEAR(unicorn note)", 0),
        ("uni*", 0),
        ("-unicorn", 1),
        ("a:unicorn", 1),
    ],
)
def test_query_syntax_in_words_is_only_text(
    tmp_path: Path, write_ladder: Callable[..., Path], word: str, hits: int
) -> None:
    write_ladder(tmp_path, with_notes("acme", "A unicorn note."))
    assert len(_quiet(tmp_path, word)) == hits


def test_no_hit_is_exit_1_and_no_word_is_a_usage_error() -> None:
    assert run("search", "zzzqqq") == (1, "", "ladder: nothing says 'zzzqqq'\n")
    assert run("search", "--")[0] == 2
    assert run("search", "!!")[0] == 2


def test_a_ladder_another_directory_overrides_is_not_searched(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    write_ladder(tmp_path / "a", with_notes("acme", "An early unicorn."))
    write_ladder(tmp_path / "b", with_notes("acme", "A later unicorn."))
    assert found(tmp_path / "a", "unicorn") == [("acme", "notes \u203a 1", "An early unicorn.")]  # a is held now
    both = search(Catalog([DataDir(tmp_path / "a", "a"), DataDir(tmp_path / "b", "b")]), ["unicorn"])
    assert [hit.text for hit in both.hits] == ["A later unicorn."] and both.total == 1


@pytest.mark.parametrize(
    ("text", "word", "marked"),
    [
        ("Die Straße", "strasse", "Straße"),
        ("\uff26\uff35\uff2c\uff2c width", "full", "\uff26\uff35\uff2c\uff2c"),  # fullwidth FULL
        ("a ﬁsh", "fish", "ﬁsh"),
        ("strategy_docs here", "strategy", "strategy"),
        ("Re\u0301sume\u0301 cafe\u0301", "cafe", "cafe\u0301"),
    ],
)
def test_what_is_found_is_what_stands_out(
    tmp_path: Path, write_ladder: Callable[..., Path], text: str, word: str, marked: str
) -> None:
    write_ladder(tmp_path, with_notes("acme", text))
    [hit] = search(Catalog([DataDir(tmp_path, "t")]), [word]).hits
    assert [hit.text[start:end] for start, end in hit.spans] == [marked]


def test_edited_and_deleted_statements_leave_the_store(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    import sqlite3

    path = write_ladder(tmp_path, with_notes("acme", "Note zero."))
    found(tmp_path, "note")
    database = sqlite3.connect(store.store_path(), isolation_level=None)
    counts = "SELECT (SELECT count(*) FROM statement), (SELECT count(*) FROM searched)"
    first = database.execute(counts).fetchone()
    for number in range(1, 4):
        bump(path, path.read_text().replace(f"Note {number - 1}" if number > 1 else "Note zero", f"Note {number}"))
        found(tmp_path, "note")
    assert database.execute(counts).fetchone() == first
    database.execute("INSERT INTO statement_text (statement_text, rank) VALUES ('integrity-check', 1)")
    path.unlink()
    write_ladder(tmp_path, with_notes("other", "Something else."))
    found(tmp_path, "something")
    texts = {text for (text,) in database.execute("SELECT text FROM statement")}
    texts |= {text for (text,) in database.execute("SELECT folded FROM statement_text")}
    assert not any(text.casefold().startswith("note") for text in texts)


def test_a_store_with_damaged_pages_is_made_anew(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    import sqlite3

    write_ladder(tmp_path, with_notes("acme", "A unicorn note."))
    found(tmp_path, "unicorn")
    path = store.store_path()
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file itself
    data = bytearray(path.read_bytes())
    for page in range(4096, len(data), 4096):
        data[page : page + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    assert found(tmp_path, "unicorn")
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_store_another_process_holds_is_left_alone(
    tmp_path: Path, write_ladder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    path = write_ladder(tmp_path, with_notes("acme", "A unicorn note."))
    found(tmp_path, "unicorn")
    bump(path, path.read_text().replace("unicorn", "narwhal"))
    holder = sqlite3.connect(store.store_path(), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    real_connect = sqlite3.connect
    monkeypatch.setattr(store.sqlite3, "connect", lambda *a, **k: real_connect(*a, **{**k, "timeout": 0.1}))
    try:
        assert found(tmp_path, "narwhal")  # answered in memory, from the files
        assert store.store_path().exists()
        (held,) = holder.execute("SELECT count(*) FROM statement WHERE text LIKE '%unicorn%'").fetchone()
        assert held == 1  # left as it was
    finally:
        holder.execute("ROLLBACK")


def test_a_ladder_s_search_holds_the_rungs_it_shares_and_no_others() -> None:
    hits = search(Catalog(data_dirs([])), ["strategy"], ladder="tpm").hits
    places = {(hit.ladder, hit.place.split(" \u203a ")[1]) for hit in hits if hit.place.startswith("rungs")}
    assert ("pm", "director") in places and ("tpm", "tpm") in places
    assert {rung for ladder, rung in places if ladder == "pm"} <= {"director", "vp", "cpo"}  # what tpm shares


# Issue 21, point 6: search that finds what people type.


def with_ratio(ladder_id: str, text: str | None = None) -> dict[str, object]:
    ratio: dict[str, object] = {"product_managers": 1, "engineers": 4, "sources": ["s"]}
    if text is not None:
        ratio["text"] = text
    return minimal_ladder(ladder_id, ratios=[ratio])


@pytest.mark.parametrize("word", ["review", "reviews", "reviewing", "REVIEWED"])
def test_a_word_finds_its_other_forms(tmp_path: Path, write_ladder: Callable[..., Path], word: str) -> None:
    write_ladder(tmp_path, with_notes("acme", "Reviews happen every 2 to 3 months.", "A roadmap note."))
    [hit] = search(Catalog([DataDir(tmp_path, "t")]), [word]).hits
    assert hit.text == "Reviews happen every 2 to 3 months."
    assert [hit.text[start:end] for start, end in hit.spans] == ["Reviews"]


def test_other_forms_keep_accents_folded(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, with_notes("acme", "Two résumés for the café."))
    [hit] = search(Catalog([DataDir(tmp_path, "t")]), ["RESUME", "cafes"]).hits
    assert [hit.text[start:end] for start, end in hit.spans] == ["résumés", "café"]


@pytest.mark.parametrize(
    ("text", "words", "marked"),
    [
        ("Keep the technical roadmap.", ["technical roadmap"], ["technical roadmap"]),
        ("Résumé and resume", ["RESUME"], ["Résumé", "resume"]),
        ("roadmaps roadmap", ["roadmap"], ["roadmaps", "roadmap"]),
        ("The reviewer reviewed the reviews; a preview.", ["review"], ["reviewer", "reviewed", "reviews"]),
        ("Keep the technical roadmaps.", ["technical roadmap"], ["technical roadmaps"]),
        ("a b", ["a b", "b"], ["a b"]),
        ("Straße", ["strasse"], ["Straße"]),
    ],
)
def test_the_words_marked_are_the_words_that_matched(
    tmp_path: Path, write_ladder: Callable[..., Path], text: str, words: list[str], marked: list[str]
) -> None:
    write_ladder(tmp_path, with_notes("acme", text))
    [hit] = search(Catalog([DataDir(tmp_path, "t")]), words).hits
    assert [hit.text[start:end] for start, end in hit.spans] == marked


def test_a_list_position_is_not_a_word(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, with_notes("acme", *[f"Note number {word}." for word in "abcdefghijklmnopqrstuvwxy"]))
    with pytest.raises(NotFound):
        found(tmp_path, "20")  # `notes > 20` is a place, not something the ladder says
    write_ladder(tmp_path, with_notes("acme", "Twenty.", "Reviews come after 20 weeks."))
    assert [place for _, place, _ in found(tmp_path, "20")] == ["notes \u203a 2"]


def test_a_position_in_the_built_in_data_is_not_a_word() -> None:
    with pytest.raises(NotFound):  # the data says no 20, though rungs have 20 responsibilities or more
        search(Catalog(data_dirs([])), ["20"])
    assert all("12" in hit.text for hit in search(Catalog(data_dirs([])), ["12"]).hits)


@pytest.mark.parametrize(
    "words", [["1:10"], ["ratio"], ["ratios"], ["1/10"], ["1 to 10"], ["1", "to", "10"], ["pm", "engineer", "ratio"]]
)
def test_the_pm_to_engineer_ratio_is_found_by_its_figures_and_by_the_word_ratio(words: list[str]) -> None:
    hits = search(Catalog(data_dirs([])), words).hits
    assert ("pm", "ratios \u203a 1") in [(hit.ladder, hit.place) for hit in hits[:3]]


def test_a_ratio_without_text_is_found_by_its_figures(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, with_ratio("acme"))
    assert [(place, text) for _, place, text in found(tmp_path, "1:4")] == [
        ("ratios \u203a 1", "1 product manager to 4 engineers")
    ]
    assert found(tmp_path, "ratio") == found(tmp_path, "1:4")
    write_ladder(tmp_path, with_ratio("acme", "A small team."))
    assert [text for _, _, text in found(tmp_path, "1:4")] == ["A small team."]
    with pytest.raises(NotFound):
        found(tmp_path, "1:10")


@pytest.mark.parametrize(
    "word", ["1:10", ":", 'say "hi', '"', "x^y", "{a b}", "col:word", "a OR b", "NOT", "pm:director", "+", "*"]
)
def test_punctuation_in_a_query_is_never_a_syntax_error(word: str) -> None:
    code, _, err = run("search", word)
    assert code in (0, 1, 2) and "Traceback" not in err and "syntax" not in err.lower()
    assert not err or err.startswith("ladder: ")


def test_a_store_of_an_older_format_is_made_anew(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    import sqlite3

    write_ladder(tmp_path, with_notes("acme", "Reviews happen every 2 to 3 months."))
    found(tmp_path, "reviews")
    database = sqlite3.connect(store.store_path(), isolation_level=None)
    database.execute("DROP TABLE statement_text")  # as an older format made it: no stemming
    database.execute(
        "CREATE VIRTUAL TABLE statement_text USING fts5(folded, folded_about, tokenize='unicode61 remove_diacritics 2')"
    )
    database.execute(
        "INSERT INTO statement_text (rowid, folded, folded_about) SELECT id, lower(text), '' FROM statement"
    )
    database.execute("UPDATE meta SET format = ?", (f"{store.STORE_FORMAT}-older",))
    assert found(tmp_path, "review")
    assert database.execute("SELECT format FROM meta").fetchall() == [(store.STORE_FORMAT,)]


# For each question, the ways a person might type it; the right statement must be among the first three.
QUESTIONS = {
    "how reviews work": (
        ["review", "reviews", "reviewing", "how often are reviews", "review months", "when do reviews happen"],
        lambda hit: hit.text == "Reviews happen every 2 to 3 months, with a written summary.",
    ),
    "the PM-to-engineer ratio": (
        [
            "ratio",
            "1:10",
            "pm to engineer ratio",
            "PM-to-engineer ratio",
            "engineers per pm",
            "how many engineers per PM",
            "product manager engineer ratio",
        ],
        lambda hit: (hit.ladder, hit.place) == ("pm", "ratios \u203a 1"),
    ),
    "how to become a TPM": (
        ["become tpm", "how to become a TPM", "how do I become a TPM", "steps to become a tpm", "becoming a tpm"],
        lambda hit: hit.ladder == "tpm" and hit.place.split(" \u203a ")[0] in {"steps", "entry_points"},
    ),
    "what a director earns": (
        [
            "director salary",
            "director pay",
            "what does a director earn",
            "how much is a director paid",
            "director of product salary",
        ],
        lambda hit: hit.ladder == "pm" and hit.place.startswith("rungs \u203a director \u203a salary"),
    ),
}


@pytest.mark.parametrize(
    ("question", "phrasing"),
    [(question, phrasing) for question, (phrasings, _) in QUESTIONS.items() for phrasing in phrasings],
)
def test_each_phrasing_of_a_question_finds_its_answer_in_the_first_three(
    tmp_path: Path, write_ladder: Callable[..., Path], question: str, phrasing: str
) -> None:
    write_ladder(
        tmp_path,
        with_notes(
            "acme",
            "Reviews happen every 2 to 3 months, with a written summary.",
            "Reviewers of a design doc sign it off.",
            "Peers preview the roadmap each quarter.",
            "Engineers review code every day.",
        ),
    )
    _, is_answer = QUESTIONS[question]
    hits = search(Catalog(data_dirs([tmp_path])), phrasing.split(), limit=3).hits
    assert any(is_answer(hit) for hit in hits), [(hit.ladder, hit.place, hit.text) for hit in hits]


def test_a_question_s_own_words_are_left_out_but_a_quoted_phrase_keeps_them(
    tmp_path: Path, write_ladder: Callable[..., Path]
) -> None:
    write_ladder(tmp_path, with_notes("acme", "How to write a review.", "A review comes first."))
    assert len(found(tmp_path, "how", "to", "review")) == 2
    assert [text for _, _, text in found(tmp_path, "how to", "review")] == ["How to write a review."]
    assert len(found(tmp_path, "a")) == 3  # nothing but a question's words: they are searched (the summary too)


def test_the_form_that_matched_stands_out_in_markdown(tmp_path: Path, write_ladder: Callable[..., Path]) -> None:
    write_ladder(tmp_path, with_notes("acme", "Reviews happen every 2 to 3 months."))
    code, out, _ = run("--data-dir", str(tmp_path), "search", "review", "-l", "acme", "-f", "markdown")
    assert code == 0 and "**Reviews** happen every 2 to 3 months." in out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12), max_size=4))
def test_no_query_is_an_fts5_error(words: list[str]) -> None:
    try:
        result = search(Catalog(data_dirs([])), words)
    except (NotFound, BadArgument):
        return
    assert result.hits and all(0 <= start < end <= len(hit.text) for hit in result.hits for start, end in hit.spans)


@given(st.text(max_size=60) | st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_text_is_stored_folded_as_the_marks_of_a_hit_read_it(text: str) -> None:
    """The stored text is folded whole (and ASCII without a walk); the marks of a hit are placed by
    folding it character by character: both must give the same text."""
    import unicodedata

    from career_ladder.statements import fold, folded

    def walked(char: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).casefold()

    parts = [walked(char) for char in text]
    assert folded(text) == ("".join(parts), [index for index, part in enumerate(parts) for _ in part])
    assert fold(text) == folded(text)[0]
