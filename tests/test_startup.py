"""Start-up stays lean: the commands people run most import only what they need."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPORT = """
import atexit, sys
atexit.register(lambda: print(" ".join(sorted(sys.modules)), file=sys.stderr))
sys.argv = ["ladder", *sys.argv[1:]]
from career_ladder.cli import main
main()
"""

# Parsing YAML, the survey of every ladder and validation across files belong to other commands.
HEAVY = {"yaml", "multiprocessing", "career_ladder.loading", "career_ladder.yamlfile"}
HEAVY |= {"career_ladder.overview", "career_ladder.validation", "jsonschema"}
HEAVY |= {"openpyxl", "career_ladder.workbook", "career_ladder.render.workbook"}  # the xlsx path alone


def imported(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", REPORT, *args], capture_output=True, text=True, check=True)
    return set(result.stderr.split())


@pytest.mark.parametrize("args", [("--help",), ("--version",)])
def test_help_and_version_import_neither_models_nor_yaml(args: tuple[str, ...]) -> None:
    assert imported(*args) & (HEAVY | {"pydantic", "career_ladder.models", "career_ladder.render"}) == set()


def test_show_from_the_store_parses_no_yaml_and_surveys_no_other_ladder() -> None:
    imported("show", "tpm")  # the first run fills the store
    assert imported("show", "tpm") & HEAVY == set()
    assert {"career_ladder.models", "rich.table"} <= imported("show", "tpm")  # the report itself is real


def test_only_the_xlsx_path_imports_openpyxl(tmp_path: Path) -> None:
    assert "openpyxl" not in imported("export", "pm", "-f", "csv")
    book = tmp_path / "pm.xlsx"
    assert {"openpyxl", "career_ladder.render.workbook"} <= imported("export", "pm", "-f", "xlsx", "-o", str(book))
