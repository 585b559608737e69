"""`readiness` and `assess diff`: where a person stands, drawn as bars; a promotion-packet draft in
markdown whose evidence links work; what moved between two assessments; a folder's calibration."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from career_ladder.render.document import Block, bullets, cited, grid, heading, markdown, paragraph, write_document
from career_ladder.render.output import Column, markdown_table, markdown_text, render
from career_ladder.results import Format
from career_ladder.results.readiness import STATUSES, Calibrations, Progress, Readiness, counted

if TYPE_CHECKING:
    from career_ladder.assessment import Item
    from career_ladder.models import Source

BAR_WIDTH = 12
_MARKS = {"met": "█", "partly": "▓", "not-yet": "░", "not-assessed": "·"}
LEGEND = "█ met  ▓ partly  ░ not yet  · not assessed"
_WORDS = {"met": "met", "partly": "partly", "not-yet": "not yet", "not-assessed": "not assessed"}
COUNT_COLUMNS = [Column(status, _WORDS[status]) for status in STATUSES]
STANDING_COLUMNS = [Column("name", "section or area"), *COUNT_COLUMNS]
ITEM_CSV = [Column(k, k) for k in ("section", "area", "key", "status", "carried_over", "text", "sources", "evidence")]
CHANGE_CSV = [Column(k, k) for k in ("change", "key", "section", "area", "text", "was", "now", "evidence")]
TALLY_CSV = [Column(k, k) for k in ("ladder", "target", "key", "section", "area", "text", *STATUSES, "names")]


def bar(counts: dict[str, int], width: int = BAR_WIDTH) -> str:
    """The counts as one bar of `width` cells, a mark per status, each its share of the cells
    (rounded, a status with any item at least one cell; the largest share gives way)."""
    total = sum(counts.values())
    if not total:
        return ""
    cells = {status: max(round(width * count / total), 1) if count else 0 for status, count in counts.items()}
    widest = max(cells, key=lambda status: (cells[status], -STATUSES.index(status)))
    cells[widest] += width - sum(cells.values())
    return "".join(_MARKS[status] * cells[status] for status in STATUSES)


def render_readiness(report: Readiness, fmt: Format, out: IO[str], *, everything: bool = False) -> None:
    """`ladder readiness FILE`: the standings, the gaps first, what is met, a verdict; in markdown,
    a promotion-packet draft."""
    if fmt is Format.markdown:
        out.write(packet(report))
        return
    carried = {item.key for item in report.carried}
    rows = [
        {**_item_row(item), "carried_over": item.key in carried, "sources": list(item.sources)}
        for item in report.assessment.items
    ]
    write_document(_blocks(report, everything), fmt, out, full=report.to_dict, rows=rows, columns=ITEM_CSV)


def _item_row(item: Item) -> dict[str, Any]:
    return {
        "section": item.section,
        "area": item.area,
        "key": item.key,
        "status": item.status,
        "text": item.text,
        "evidence": "\n".join(item.evidence),
    }


def _blocks(report: Readiness, everything: bool) -> list[Block]:
    now, target = report.current.rung, report.target.rung
    areas = {standing.area: standing.name for standing in report.standings if standing.area}
    blocks = [
        paragraph(
            f"Where you stand against {target.title} ({report.target.ref}), from {now.title}: "
            f"{report.path}{_whose(report)} of {report.assessment.date}"
        ),
        _standings(report),
        paragraph(LEGEND),
        heading("Gaps: not yet, then partly"),
    ]
    gap_lines: list[str | tuple[str, int, str]] = []
    for gap in report.gaps:
        gap_lines.append((f"{_WORDS[gap.item.status]}: {_cited(gap.item, areas)}", 2, "•"))
        gap_lines += [(f"signal: {_cited(signal, areas)}", 4, "–") for signal in gap.signals]
        gap_lines += [(f"evidence: {line}", 4, "–") for line in gap.item.evidence]
    blocks.append(bullets(gap_lines) if gap_lines else paragraph("None marked not yet or partly."))
    open_items = report.items("not-assessed")
    if open_items:
        blocks.append(heading(f"Not assessed yet: {len(open_items)}"))
        if everything:
            blocks.append(bullets([_cited(item, areas) for item in open_items]))
        else:
            blocks.append(paragraph("Set their status in the file; --all lists them here."))
    met = report.items("met")
    blocks.append(heading(f"Met: {len(met)}"))
    met_lines: list[str | tuple[str, int, str]] = []
    for item in met:
        met_lines.append((_cited(item, areas), 2, "•"))
        met_lines += [(f"evidence: {line}", 4, "–") for line in item.evidence]
        if not item.evidence:
            met_lines.append(("no evidence written yet", 4, "–"))
    blocks.append(bullets(met_lines) if met_lines else paragraph("None yet."))
    if report.carried:
        blocks.append(heading(f"What {now.title} asks too: {len(report.carried)}"))
        if everything:
            blocks.append(bullets([f"{_WORDS[item.status]}: {_cited(item, areas)}" for item in report.carried]))
        else:
            counts = _spelled(counted(report.carried))
            blocks.append(paragraph(f"Folded away, as the rung you hold asks them too ({counts}); --all shows them."))
    blocks += _ladder_changes(report)
    if report.progress is not None:
        blocks += progress_blocks(report.progress, areas)
    blocks += [heading("In a word"), paragraph(report.verdict)]
    return blocks


def _whose(report: Readiness) -> str:
    return f" ({report.assessment.name})" if report.assessment.name else ""


def _standings(report: Readiness) -> Block:
    records = [{"name": s.name, **s.counts, "bar": bar(s.counts)} for s in report.standings]
    return grid(records, [*STANDING_COLUMNS, Column("bar", "")])


def _cited(item: Item, areas: dict[str, str] | None = None) -> str:
    """An item with its sources, an expectation after its competency area's name (else its id)."""
    where = f"{(areas or {}).get(item.area, item.area)}: " if item.area else ""
    return cited(f"{where}{item.text}", item.sources)


def _ladder_changes(report: Readiness) -> list[Block]:
    changes = report.changes
    lines = [f"new: [{item.section}] {item.text}" for item in changes.new]
    lines += [f"removed: [{item.section}] {item.text}" for item in changes.removed]
    lines += [f"reworded: [{was.section}] {was.text} → {now.text}" for was, now in changes.reworded]
    if not lines:
        return []
    return [
        heading("The ladder asks differently since the file was written"),
        bullets(lines),
        paragraph("The counts above are of the file; `ladder assess start` writes a new one with it all."),
    ]


def progress_blocks(moved: Progress, areas: dict[str, str] | None = None) -> list[Block]:
    """What moved, an item a line: its change of status with the evidence it gained, then evidence
    gained alone, then what a ladder change added or removed."""
    gained = {item.key: added for item, added in moved.evidence}
    lines = []
    for then, now in [*moved.became_met, *moved.changed]:
        more = f"; new evidence: {'; '.join(gained.pop(now.key))}" if now.key in gained else ""
        lines.append(f"{_WORDS[now.status]} now (was {_WORDS[then.status]}): {_cited(now, areas)}{more}")
    lines += [
        f"new evidence for {_cited(item, areas)}: {'; '.join(gained[item.key])}"
        for item, _ in moved.evidence
        if item.key in gained
    ]
    lines += [f"asked since (a ladder change): {_cited(item, areas)}" for item in moved.added]
    lines += [f"no longer asked: {_cited(item, areas)}" for item in moved.removed]
    return [heading(f"Since {moved.old}"), bullets(lines) if lines else paragraph("Nothing moved.")]


def render_progress(moved: Progress, fmt: Format, out: IO[str]) -> None:
    """`ladder assess diff OLD NEW`: what moved, an item a line; a row per change for programs."""
    write_document(progress_blocks(moved), fmt, out, full=moved.to_dict, rows=_change_rows(moved), columns=CHANGE_CSV)


def _change_rows(moved: Progress) -> list[dict[str, Any]]:
    return [{**row, "evidence": "\n".join(row["evidence"])} for row in moved.rows()]


def render_calibration(found: Calibrations, fmt: Format, out: IO[str]) -> None:
    """`ladder readiness DIR`: per ladder and target, each expectation with how many stand where."""
    rows = [
        {
            "ladder": group.ladder,
            "target": group.target,
            **tally.record(),
            "names": "; ".join(f"{_WORDS[s]}: {', '.join(who)}" for s, who in tally.names.items() if who),
        }
        for group in found.groups
        for tally in group.tallies
    ]
    if fmt not in (Format.table, Format.markdown):
        render(rows, TALLY_CSV, fmt, out, full=found.to_dict)
        return
    tallies = [tally for group in found.groups for tally in group.tallies]
    named = any(tally.names for tally in tallies)
    blocks: list[Block] = [paragraph(f"{found.files} assessment files in {found.folder}"), paragraph(LEGEND)]
    for group in found.groups:
        people = f"{group.people} {'person' if group.people == 1 else 'people'}"
        blocks.append(heading(f"{group.ladder}: towards {group.target}, {people}"))
        records = [
            {
                "text": _where(row, group.area_names) + row["text"],
                "standing": f"{bar(counts)}\n{_spelled(counts)}",
                "names": who,
            }
            for row, tally in zip(rows, tallies, strict=True)
            if (row["ladder"], row["target"]) == (group.ladder, group.target)
            for counts in [{status: row[status] for status in STATUSES}]
            for who in ["\n".join(f"{_WORDS[s]}: {', '.join(names)}" for s, names in tally.names.items() if names)]
        ]
        columns = [Column("text", "expectation"), Column("standing", "where people stand")]
        blocks.append(grid(records, columns + ([Column("names", "who")] if named else [])))
    write_document(blocks, fmt, out, full=found.to_dict, rows=rows, columns=TALLY_CSV)


def _spelled(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {_WORDS[status]}" for status, count in counts.items() if count)


def _where(row: dict[str, Any], area_names: dict[str, str]) -> str:
    """`[Execution] `, or `[responsibilities] `: where in the rung an expectation stands."""
    return f"[{area_names.get(row['area'], row['area']) if row['area'] else row['section']}] "


# --- the promotion packet --------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"]+")
_CLOSING = {")": "(", "]": "["}


def _address(found: str) -> str:
    """A web address as a sentence holds it: without the punctuation after it, nor a closing
    bracket it does not open (`(see https://x/a(1))` holds `https://x/a(1)`)."""
    while found and (
        found[-1] in ".,;:!?'" or (found[-1] in _CLOSING and found.count(found[-1]) > found.count(_CLOSING[found[-1]]))
    ):
        found = found[:-1]
    return found


def linked(text: str) -> str:
    """Evidence as markdown: its web addresses as links, the rest shown as written."""
    parts, at = [], 0
    for found in _URL.finditer(text):
        url = _address(found.group())
        if url.endswith("://"):
            continue
        shown = markdown_text(url).replace("[", "\\[").replace("]", "\\]")
        parts += [markdown_text(text[at : found.start()]), f"[{shown}]({quote(url, safe=_URL_SAFE)})"]
        at = found.start() + len(url)
    return "".join([*parts, markdown_text(text[at:])])


# What may stand in a link's address as it is: not a space, `<`, `>` or a parenthesis, which end it.
_URL_SAFE = ":/?#[]@!$&'*+,;=%~-._"


def packet(report: Readiness) -> str:
    """A promotion-packet draft: the case, expectation by expectation, with the evidence as links;
    the gaps as what the person is growing; the sources; and the caveat that it promises nothing."""
    now, target = report.current.rung, report.target.rung
    lines = [
        f"# Towards {markdown_text(target.title)}: where I stand",
        "",
        f"From {markdown_text(now.title)} ({markdown_text(report.current.ref)}) towards "
        f"{markdown_text(target.title)} ({markdown_text(report.target.ref)}), as of "
        f"{markdown_text(str(report.assessment.date))}. A draft from {markdown_text(report.path + _whose(report))}: "
        "every status and piece of evidence is my own account.",
        "",
        "## Summary",
        "",
        markdown_table([{"name": s.name, **s.counts} for s in report.standings], STANDING_COLUMNS),
    ]
    areas = {standing.area: standing.name for standing in report.standings if standing.area}
    lines += _packet_section("Met, with the evidence", report.items("met"), areas)
    lines += _packet_section("Partly there", report.items("partly"), areas)
    lines += _packet_section("Not yet: where I am growing", report.items("not-yet"), areas)
    lines += _packet_section("Not assessed yet", report.items("not-assessed"), areas)
    if report.carried:
        lines += _packet_section(f"Asked of {now.title} too", report.carried, areas)
    changed = _ladder_changes(report)
    if changed:
        lines += [markdown(changed)]
    if report.progress is not None:
        lines += [markdown(progress_blocks(report.progress, areas))]
    cited_ids = {source for item in report.assessment.items for source in item.sources}
    lines += _packet_sources([source for source in report.sources if source.id in cited_ids])
    lines += ["## In a word", "", markdown_text(report.verdict), ""]
    return "\n".join(lines)


def _packet_section(title: str, items: Sequence[Item], areas: dict[str, str]) -> list[str]:
    if not items:
        return []
    lines = [f"## {markdown_text(title)}", ""]
    for item in items:
        sources = f" \\[{', '.join(markdown_text(s) for s in item.sources)}\\]" if item.sources else ""
        where = f"{markdown_text(areas.get(item.area, item.area))}: " if item.area else ""
        lines.append(f"- {where}{markdown_text(item.text)}{sources}")
        lines += [f"  - {linked(line)}" for line in item.evidence]
    return [*lines, ""]


def _packet_sources(sources: Sequence[Source]) -> list[str]:
    if not sources:
        return []
    lines = ["## Sources", ""]
    for source in sources:
        said = ", ".join(markdown_text(str(part)) for part in (source.publisher, source.date) if part)
        address = f" {linked(source.url)}" if source.url else ""
        lines.append(
            f"- {markdown_text(source.id)}: {markdown_text(source.title)}{f' ({said})' if said else ''}{address}"
        )
    return [*lines, ""]
