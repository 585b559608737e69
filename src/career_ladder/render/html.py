"""What every exported HTML page shares: its style (light, dark and print), the escaping of data text,
sources as numbered notes, and the document around a body: no script, and a policy that lets the
page load nothing."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from career_ladder.models import Point, Source

STYLE = """
:root { color-scheme: light dark; --ink: #1b1f24; --paper: #ffffff; --muted: #545d68; --line: #d0d7de;
  --accent: #0a58a8; --band: #f3f5f8; --rung: #e8f0fa; }
@media (prefers-color-scheme: dark) { :root { --ink: #e6edf3; --paper: #0d1117; --muted: #9da5ae;
  --line: #3d444d; --accent: #6cb6ff; --band: #161b22; --rung: #14243a; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem; font: 16px/1.5 system-ui, sans-serif;
  color: var(--ink); background: var(--paper); overflow-wrap: break-word; }
h1 { font-size: 1.7rem; margin: 0.5rem 0; line-height: 1.2; }
h2 { font-size: 1.35rem; margin: 2.25rem 0 0.5rem; padding-bottom: 0.2rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.15rem; margin: 1.5rem 0 0.4rem; }
section.rung > h3 { background: var(--rung); padding: 0.3rem 0.5rem; border-left: 4px solid var(--accent); }
h4 { font-size: 0.95rem; margin: 1rem 0 0.2rem; text-transform: uppercase; letter-spacing: 0.04em; }
h5 { font-size: 1rem; font-weight: 600; font-style: italic; margin: 0.6rem 0 0.1rem 0.75rem; }
h5 + ul { margin-left: 0.75rem; }
h2, h3, h4, h5, dl.facts { break-after: avoid; }
a { color: var(--accent); } .muted { color: var(--muted); } sup a { text-decoration: none; }
sup { line-height: 0; font-size: 0.75em; }
code { font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid var(--line);
  padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; } th { background: var(--band); }
.scroll { overflow-x: auto; } td:first-child, th:first-child { white-space: nowrap; width: 1%; }
ul, ol { padding-left: 1.25rem; margin: 0.25rem 0; } li { margin: 0.1rem 0; }
li, tr, dl.facts > div { break-inside: avoid; }
.nowrap { white-space: nowrap; }
.bar { display: block; height: 0.45rem; margin-top: 0.2rem; background: var(--accent); }
table.outlook td:first-child { white-space: normal; width: auto; } table.outlook td:last-child { width: 30%; }
.tag { display: inline-block; white-space: nowrap; border: 1px solid var(--line); border-radius: 1rem;
  padding: 0 0.45rem;
  font-size: 0.75rem; font-weight: normal; color: var(--muted); margin-left: 0.25rem; vertical-align: middle;
  text-transform: none; letter-spacing: 0; }
dl.facts { display: flex; flex-wrap: wrap; gap: 0.1rem 1.25rem; margin: 0.25rem 0; }
dl.facts dt { display: inline; color: var(--muted); } dl.facts dt::after { content: ": "; }
dl.facts > div { min-width: 0; } dl.facts dd { display: inline; margin: 0; overflow-wrap: anywhere; }
dl.areas dt { font-weight: 600; } dl.areas dd { margin: 0 0 0.4rem 1rem; }
.ready { margin: 0.1rem 0 0.4rem; } .ready > span { color: var(--muted); }
nav.contents { background: var(--band); border: 1px solid var(--line); padding: 0.25rem 1rem 0.5rem; }
nav.contents h2 { font-size: 1rem; border: 0; margin: 0.5rem 0 0.25rem; }
nav.contents ol { columns: 2 14rem; }
.back { margin: 0.25rem 0 0; font-size: 0.9rem; }
.to-top { display: none; }
@media (max-width: 600px) { body { padding: 0.75rem; font-size: 15px; } th, td { padding: 0.25rem; }
  table { font-size: 0.9rem; }
  .to-top { display: block; position: fixed; right: 0.75rem; bottom: 0.75rem; padding: 0.35rem 0.75rem;
    background: var(--paper); border: 1px solid var(--line); border-radius: 1rem; } }
@page { size: letter; margin: 0.5in 0.55in; }
@media print { :root { --ink: #000; --paper: #fff; --muted: #3b3b3b; --line: #999; --accent: #000; --band: #eee;
  --rung: #e6e6e6; }
  body { max-width: none; padding: 0; font-size: 9pt; line-height: 1.3; } li { margin: 0; }
  h2 { margin-top: 1rem; } h3 { margin-top: 0.9rem; } h4 { margin-top: 0.5rem; }
  #chart:has(.chart-source) { display: none; } #chart svg { max-width: 100%; height: auto; }
  a { text-decoration: none; } nav.contents, .back, .to-top, .up, .onward { display: none; }
  .scroll { overflow: visible; }
  section.rung > .body, #moves > .body, #ways-in > .body, #specialisations > .body, #about > .body,
  #sources > .body, #areas > .body { columns: 2; column-gap: 0.3in; }
  .body .scroll { column-span: all; } }
"""

POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def e(text: Any) -> str:
    """Data text as HTML text or an attribute's value: never markup."""
    return html.escape(str(text), quote=True)


def link(text: str, address: str | None) -> str:
    """`text` as a link to `address`, or as plain text where it has none."""
    return f'<a href="{e(address)}">{e(text)}</a>' if address else e(text)


def nowrap(text: str) -> str:
    """Text that must not break across lines: a pay range."""
    return f'<span class="nowrap">{e(text)}</span>'


def document(title: str, body: str, *, top: bool = False) -> str:
    """A whole page around `body` (HTML), titled `title` (text); `top` adds a way back to the top
    of a long page on a narrow screen."""
    back = '<footer><a class="to-top" href="#top">Top</a></footer>' if top else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{e(title)}</title><style>{STYLE}</style></head>\n<body id="top">\n{body}\n{back}</body></html>\n'
    )


class Cites:
    """Sources as numbered notes: the ladder's own in the order it lists them, then those of other
    ladders (its shared rungs' and moves') as they are first cited. A source is its ladder's: two
    ladders may give one id to two sources."""

    def __init__(self, ladder: str, own: Sequence[Source], others: Mapping[str, Sequence[Source]]) -> None:
        self.ladder = ladder
        self.known = {(home, source.id): source for home, listed in others.items() for source in listed}
        self.known |= {(ladder, source.id): source for source in own}
        self.numbers = {(ladder, source.id): number for number, source in enumerate(own, 1)}

    def number(self, source: str, ladder: str) -> int:
        """The source's number, the next one where it has none yet (one no ladder here declares)."""
        return self.numbers.setdefault((ladder, source), len(self.numbers) + 1)

    def mark(self, sources: Sequence[str], ladder: str, *, sup: bool = True) -> str:
        """The numbers of `sources` (of `ladder`), in order, each a link to its note."""
        numbered = sorted((self.number(source, ladder), source) for source in sources)
        links = [f'<a href="#{e(anchor(ladder, source))}" title="{e(source)}">{n}</a>' for n, source in numbered]
        if not links:
            return ""
        return f"<sup>{', '.join(links)}</sup>" if sup else ", ".join(links)

    def listed(self) -> list[tuple[int, str, str, Source | None]]:
        """Every source numbered: (number, ladder, id, the source, or None where no ladder here
        declares it)."""
        return [(n, ladder, source, self.known.get((ladder, source))) for (ladder, source), n in self.numbers.items()]


def anchor(ladder: str, source: str) -> str:
    """`source-LADDER:ID`, a source's note on a ladder's page and on a site's sources page: no id
    holds a colon, so no two sources share one."""
    return f"source-{ladder}:{source}"


def cited_list(points: Sequence[Point], cites: Cites, ladder: str, *, label: str = "") -> str:
    """Points as a list, each with its sources' numbers; `label` names a list that sits under
    another item."""
    if not points:
        return ""
    items = "".join(f"<li>{e(point.text)}{cites.mark(point.sources, ladder)}</li>" for point in points)
    return f'<div class="ready"><span>{e(label)}:</span><ul>{items}</ul></div>' if label else f"<ul>{items}</ul>"
