"""`validate`'s report: a line per problem (`PATH:LINE:COL: CODE: field: message`) for people and
editors, JSON for tools, GitHub Actions annotations for pull requests, and a one-line summary."""

from __future__ import annotations

from typing import IO

from career_ladder.errors import Problem, printable
from career_ladder.render.output import json_text
from career_ladder.results import ReportFormat, ValidationReport


def render_report(report: ValidationReport, fmt: ReportFormat, out: IO[str], err: IO[str]) -> None:
    """`validate`'s findings: one line per problem (or JSON), and a one-line summary."""
    if fmt is ReportFormat.json:
        out.write(json_text(report.to_dict()))
        return
    if fmt is ReportFormat.github:
        for kind, found in (("error", report.problems), ("warning", report.warnings)):
            for problem in found:
                out.write(github_annotation(kind, problem) + "\n")
    else:
        for problem in report.problems:
            out.write(f"{problem}\n")
        for warning in report.warnings:
            out.write(f"{warning._replace(code=f'warning: {warning.code}')}\n")
    files = f"{report.files} file{'s' * (report.files != 1)}"
    warned = f", {_count(len(report.warnings), 'warning')}" if report.warnings else ""
    if report.problems:
        broken = len({problem.path for problem in report.problems})
        where = files if broken == report.files else f"{broken} of {files}"
        err.write(f"{_count(len(report.problems), 'problem')} in {where}{warned}\n")
    else:
        (err if fmt is ReportFormat.github else out).write(f"ok: {files} checked, no problems{warned}\n")


def github_annotation(kind: str, problem: Problem) -> str:
    """A GitHub Actions workflow command that marks the problem on its line in a pull request:
    `::error file=…,line=…,col=…,title=LDR…::message`, escaped as the runner reads it."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def value(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    field = f"{problem.field}: " if problem.field else ""
    where = f"file={value(problem.path)},line={problem.line},col={problem.column},title={value(problem.code)}"
    return printable(f"::{kind} {where}::{data(field + problem.message)}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"
