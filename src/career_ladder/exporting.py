"""One ladder exported as text (`ladder export -f html|mermaid|jsonld|csv`): each format's renderer
imported for that format alone, so a chart costs no page renderer."""

from __future__ import annotations

from career_ladder.catalog import Catalog
from career_ladder.results import LadderView


def export_text(catalog: Catalog, view: LadderView, fmt: str) -> str:
    """`view` in `fmt`, one of html, mermaid, jsonld and csv (the caller has checked which)."""
    from career_ladder.queries import file_rows, page_context, shared_sources

    if fmt == "jsonld":
        from career_ladder.render.jsonld import jsonld

        return jsonld(view, shared_sources(catalog, view))
    if fmt == "csv":
        from career_ladder.tidy import tidy_csv

        return tidy_csv(file_rows(view))
    if fmt == "mermaid":
        from career_ladder.render.mermaid import mermaid

        return mermaid(view, others=page_context(catalog, view).others)
    from career_ladder.render.page import page

    return page(view, page_context(catalog, view))
