"""`ladder init`: a new ladder file that validates from the start, never written over another."""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from career_ladder.catalog import Catalog
from career_ladder.datadirs import DataDir, builtin_dir
from career_ladder.validation import validate
from conftest import run

EXAMPLES = Path(__file__).parents[1] / "examples"


def test_a_new_ladder_validates_and_points_the_editor_at_its_schema(tmp_path: Path) -> None:
    code, out, _ = run("init", "acme", "--dir", str(tmp_path))
    path = tmp_path / "acme.yaml"
    assert code == 0 and f"wrote {path}" in out and "ladder validate" in out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./ladder.schema.json\n")
    assert "\n# The rungs, lowest first." in text and "&id" not in text  # a comment per section, no anchors
    schema = json.loads((tmp_path / "ladder.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "ladder file"
    report = validate(Catalog([DataDir(builtin_dir(), "built-in")]), [path])
    assert report.problems == [] and {w.code for w in report.warnings} == {"LDR401"}  # duties to fill in


def test_from_a_ladder_takes_its_structure_and_declares_its_sources(tmp_path: Path) -> None:
    code, _, _ = run("--data-dir", str(EXAMPLES), "init", "co", "--from", "acme", "--dir", str(tmp_path))
    data = yaml.safe_load((tmp_path / "co.yaml").read_text(encoding="utf-8"))
    acme = yaml.safe_load((EXAMPLES / "acme.yaml").read_text(encoding="utf-8"))
    assert code == 0 and [r["id"] for r in data["rungs"]] == [r["id"] for r in acme["rungs"]]
    assert {s["id"] for s in data["sources"]} == {"handbook", "acme-handbook"}
    assert data["parallel_tracks"] == acme["parallel_tracks"] and "responsibilities" not in data["rungs"][0]
    assert len(data["transitions"]) == len(acme["transitions"])
    catalog = Catalog([DataDir(builtin_dir(), "built-in"), DataDir(EXAMPLES, "examples")])
    assert validate(catalog, [tmp_path / "co.yaml"]).problems == []
    code, _, _ = run("init", "tpm-co", "--from", "tpm", "--dir", str(tmp_path))
    shared = yaml.safe_load((tmp_path / "tpm-co.yaml").read_text(encoding="utf-8"))["rungs"]
    assert code == 0 and {"shared": "pm:director"} in shared
    assert validate(Catalog([DataDir(builtin_dir(), "built-in")]), [tmp_path / "tpm-co.yaml"]).problems == []


def test_init_never_writes_over_a_file_and_refuses_a_bad_id(tmp_path: Path) -> None:
    (tmp_path / "acme.yaml").write_text("mine\n", encoding="utf-8")
    code, _, err = run("init", "acme", "--dir", str(tmp_path))
    assert code == 1 and "already exists" in err and (tmp_path / "acme.yaml").read_text() == "mine\n"
    assert run("init", "Not An Id", "--dir", str(tmp_path))[0] == 2
    assert run("init", "ok", "--dir", str(tmp_path / "missing"))[0] == 0  # the directory is made
    assert run("init", "x", "--from", "nope", "--dir", str(tmp_path))[0] == 1


def test_init_minds_a_yml_twin_and_a_folder_it_cannot_write(tmp_path: Path) -> None:
    (tmp_path / "acme.yml").write_text("mine\n", encoding="utf-8")
    code, _, err = run("init", "acme", "--dir", str(tmp_path))
    assert code == 1 and "acme.yml already exists" in err and not (tmp_path / "acme.yaml").exists()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = run("init", "acme", "--dir", str(locked))
        if os.geteuid() != 0:  # root writes anywhere
            assert code == 1 and err.startswith("ladder: cannot write in") and list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)
    code, _, err = run("init", "pm", "--dir", str(tmp_path))
    assert code == 0 and "replaces the ladder 'pm'" in err


def test_a_missing_directory_is_made_and_the_file_names_its_own_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("init", "acme", "--from", "pm", "--dir", "ladders/product")
    assert code == 0
    assert out.splitlines()[0] == "made the directory ladders/product"
    assert "next: fill it in, then `ladder validate ladders/product/acme.yaml`" in out
    text = (tmp_path / "ladders" / "product" / "acme.yaml").read_text(encoding="utf-8")
    assert "`ladder validate ladders/product/acme.yaml`" in text  # the path it has, not its bare name


def test_a_file_where_the_directory_should_be_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "ladders").write_text("", encoding="utf-8")
    code, out, err = run("init", "acme", "--dir", str(tmp_path / "ladders"))
    assert code == 1 and out == "" and err == f"ladder: {tmp_path / 'ladders'} is not a directory\n"


def test_examples_are_written_out_to_try_the_commands_on(tmp_path: Path) -> None:
    code, out, _ = run("examples", "--dir", str(tmp_path / "ex"))
    written = [tmp_path / "ex" / name for name in ("acme.yaml", "globex.yaml", "proposed/acme.yaml")]
    assert code == 0 and out.splitlines() == [
        f"made the directory {tmp_path / 'ex'}",
        *(f"wrote {path}" for path in written),
        f"wrote {tmp_path / 'ex' / 'ladder.schema.json'}",
    ]
    assert written[2].read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../ladder.schema.json\n")
    report = validate(Catalog([DataDir(builtin_dir(), "built-in")]), written)
    assert report.files == 3 and report.problems == [] and report.warnings == []
    code, out, _ = run("diff", str(written[0]), str(written[2]))
    assert code == 1 and "rungs[staff-pm]" in out  # the proposed change is a change


def test_examples_never_write_over_a_file_and_write_nothing_then(tmp_path: Path) -> None:
    (tmp_path / "proposed").mkdir()
    (tmp_path / "proposed" / "acme.yaml").write_text("mine\n", encoding="utf-8")
    code, out, err = run("examples", "--dir", str(tmp_path))
    assert code == 1 and out == ""
    assert (
        err
        == f"ladder: {tmp_path / 'proposed' / 'acme.yaml'} already exists: `ladder examples` never overwrites a file\n"
    )
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["acme.yaml", "proposed"]
    assert (tmp_path / "proposed" / "acme.yaml").read_text(encoding="utf-8") == "mine\n"


def test_from_a_built_in_ladder_the_sources_carry_what_they_say_and_no_empty_field(tmp_path: Path) -> None:
    code, _, _ = run("init", "co", "--from", "pm", "--dir", str(tmp_path))
    text = (tmp_path / "co.yaml").read_text(encoding="utf-8")
    sources = yaml.safe_load(text)["sources"]
    assert code == 0 and "null" not in text and all("file" not in source for source in sources)
    assert all(source.get("title") and (source["id"] == "handbook" or source.get("covers")) for source in sources)
