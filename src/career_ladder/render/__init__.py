"""Turning query results into text; one module per kind of output."""

from career_ladder.render.compare import render_comparison
from career_ladder.render.ladders import render_ladder, render_list, render_report, render_rung
from career_ladder.render.output import json_text
from career_ladder.render.salary import render_salary

__all__ = [
    "json_text",
    "render_comparison",
    "render_ladder",
    "render_list",
    "render_report",
    "render_rung",
    "render_salary",
]
