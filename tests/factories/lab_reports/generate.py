"""Deterministic generation of whole reports: panels, values (a third of reports with a critical), pages."""

from __future__ import annotations

import random
from dataclasses import dataclass

from factories.lab_reports.catalog import Analyte, analytes, people, scenarios
from factories.lab_reports.featured import Featured, featured
from factories.lab_reports.header import continuation_lines, header_lines, make_header
from factories.lab_reports.layouts import ABBREVIATING, LAYOUTS, MAX_LINE, PANEL_TITLES, SINGLE, Block, Cells
from factories.lab_reports.layouts import two_column as two_column_block
from factories.lab_reports.model import Header, LabReport, PrintedResult
from factories.lab_reports.values import (
    FLAG_TEXT,
    Printing,
    can_draw,
    draw,
    lab_flag,
    parse_value,
    printing,
    severity_of,
)
from multimed.findings.draft import Severity

LINES_PER_PAGE = 40
MAX_PAGES = 2
OTHER_PANELS = ("CBC", "LIPIDS", "COAG", "CARDIAC", "THYROID", "GAS")
FLAG_STYLES = ("hl7", "hl7", "word", "crit", "abnormal", "star", "none")


@dataclass
class _Slot:
    """One analyte on the report while its value is being decided."""

    printing: Printing
    value_text: str
    force_critical_flag: bool = False


def generate_reports(n: int, seed: int) -> list[LabReport]:
    """`n` reports; the same (n, seed) always gives the same reports, and report i does not depend on n."""
    return [_report(seed, index) for index in range(n)]


def _panels(rng: random.Random) -> list[str]:
    return [rng.choice(("BMP", "CMP")), *rng.sample(OTHER_PANELS, rng.randint(1, 4))]


def _panel_analytes(panel: str, rng: random.Random, feature: Featured) -> list[Analyte]:
    # A comprehensive panel is the basic one plus liver tests and proteins.
    members = ("BMP", "CMP") if panel == "CMP" else (panel,)
    chosen = [a for a in analytes() if a.panel in members]
    # Magnesium is an add-on test, not part of the basic panel.
    return [a for a in chosen if a.name != "magnesium" or a is feature.analyte or rng.random() < 0.5]


def _scenario_slots(slots: list[_Slot], si: bool, flags: str) -> list[tuple[str, _Slot, str, bool]]:
    """(kind, slot, value, forced flag) for every scenario that fits an analyte printed on this report."""
    found = []
    for kind, items in scenarios().items():
        if kind == "lab_critical_flags" and flags == "none":
            continue
        for item in items:
            for slot in slots:
                p = slot.printing
                printed_si = si and p.analyte.si_unit is not None
                if p.analyte.name == item["analyte"] and printed_si == item["si"]:
                    found.append((kind, slot, item["value"], kind == "lab_critical_flags"))
    return found


def _severity(slot: _Slot, value: str, forced: bool) -> Severity:
    return severity_of(slot.printing, value, lab_flag(slot.printing, value, force_critical=forced))


def _place_values(slots: list[_Slot], *, feature: Featured, si: bool, flags: str, rng: random.Random) -> None:
    """Normal or abnormal values, the featured value, then maybe other placed values or criticals."""
    for slot in slots:
        target = (
            Severity.ABNORMAL if rng.random() < 0.25 and can_draw(slot.printing, Severity.ABNORMAL) else None
        )
        slot.value_text = draw(slot.printing, target or Severity.NORMAL, rng) or slot.value_text
    home = next(s for s in slots if s.printing.analyte is feature.analyte)
    home.value_text, home.force_critical_flag = feature.value, feature.forced_flag
    others = [o for o in _scenario_slots(slots, si, flags) if o[1] is not home]
    fitting = [o for o in others if (_severity(o[1], o[2], o[3]) is Severity.CRITICAL) == feature.critical]
    if fitting and rng.random() < 0.5:
        _, slot, value, forced = rng.choice(fitting)
        slot.value_text, slot.force_critical_flag = value, forced
    if feature.critical and rng.random() < 0.4:
        candidates = [s for s in slots if can_draw(s.printing, Severity.CRITICAL) and s is not home]
        for slot in rng.sample(candidates, min(len(candidates), rng.randint(1, 2))):
            if not slot.force_critical_flag:
                slot.value_text = draw(slot.printing, Severity.CRITICAL, rng) or slot.value_text


def _result(slot: _Slot, flags: str, layout: str, evidence: str, page: int) -> PrintedResult:
    p = slot.printing
    hl7 = lab_flag(p, slot.value_text, force_critical=slot.force_critical_flag)
    flag = FLAG_TEXT[flags][hl7] if hl7 else ""
    value, qualifier = parse_value(slot.value_text)
    return PrintedResult(
        panel=p.analyte.panel,
        analyte=p.analyte.name,
        label=_label(p.analyte, layout),
        value=value,
        value_text=slot.value_text,
        qualifier=qualifier,
        unit=p.unit,
        decimals=p.decimals,
        ref_low=p.ref_low,
        ref_high=p.ref_high,
        ref_text=p.ref_text(),
        flag=flag or None,
        severity=severity_of(p, slot.value_text, flag or None),
        limit_loinc=p.analyte.limit_loinc,
        evidence=evidence,
        page=page,
    )


def _label(analyte: Analyte, layout: str) -> str:
    return analyte.labels[-1] if layout in ABBREVIATING else analyte.labels[0]


def _cells(slot: _Slot, flags: str, layout: str) -> Cells:
    p = slot.printing
    hl7 = lab_flag(p, slot.value_text, force_critical=slot.force_critical_flag)
    return Cells(
        _label(p.analyte, layout),
        slot.value_text,
        FLAG_TEXT[flags][hl7] if hl7 else "",
        p.unit or "",
        p.ref_text(),
    )


def _blocks(
    panels: list[tuple[str, list[_Slot]]], layout: str, flags: str
) -> list[tuple[Block, list[_Slot]]]:
    if layout != "two_column":
        return [
            (SINGLE[layout](PANEL_TITLES[name], [_cells(s, flags, layout) for s in slots]), slots)
            for name, slots in panels
        ]
    blocks = []
    for index in range(0, len(panels), 2):
        left = panels[index]
        right = panels[index + 1] if index + 1 < len(panels) else None
        block = two_column_block(
            (PANEL_TITLES[left[0]], [_cells(s, flags, layout) for s in left[1]]),
            (PANEL_TITLES[right[0]], [_cells(s, flags, layout) for s in right[1]]) if right else None,
        )
        blocks.append((block, left[1] + (right[1] if right else [])))
    return blocks


def _paginate(first: list[str], blocks: list[tuple[Block, list[_Slot]]]) -> tuple[list[list[str]], list[int]]:
    """Pages of lines (whole panels move to the next page) and, per block, the page it landed on."""
    pages = [[*first, ""]]
    where = []
    for block, _ in blocks:
        if len(pages[-1]) + len(block.lines) > LINES_PER_PAGE:
            pages.append(["<continuation>", ""])
        where.append(len(pages))
        pages[-1].extend([*block.lines, ""])
    if len(pages[-1]) + 1 > LINES_PER_PAGE:
        pages.append(["<continuation>", ""])
    pages[-1].append("*** END OF REPORT ***")
    return pages, where


def _report(seed: int, index: int) -> LabReport:
    rng = random.Random(f"lab-report:{seed}:{index}")
    layout = LAYOUTS[(seed + index) % len(LAYOUTS)]
    feature = featured(index)
    si = feature.si if feature.analyte.si_unit else rng.random() < 0.3
    styles = [s for s in FLAG_STYLES if not (layout == "two_column" and s in ("word", "abnormal"))]
    flags = rng.choice([s for s in styles if s != "none"] if feature.forced_flag else styles)
    header, header_style = make_header(rng)
    title = rng.choice(people()["lab_titles"])
    sex = rng.choice("FM")
    names = _panels(rng)
    home = "BMP" if feature.analyte.panel == "BMP" else feature.analyte.panel
    if home != "BMP" and home not in names:
        names.append(home)
    while True:
        panels = [
            (n, [_Slot(printing(a, si=si, rng=rng), "") for a in _panel_analytes(n, rng, feature)])
            for n in names
        ]
        slots = [s for _, ss in panels for s in ss]
        _place_values(slots, feature=feature, si=si, flags=flags, rng=rng)
        blocks = _blocks(panels, layout, flags)
        pages, where = _paginate(header_lines(header, header_style, title, sex), blocks)
        if len(pages) <= MAX_PAGES:
            break
        # Drop the last panel that does not hold the featured value (chemistry comes first and stays).
        names.remove(next(n for n in reversed(names) if n != home and n not in ("BMP", "CMP")))
    return _finish(
        f"LR-{seed}-{index:04d}", layout, si, flags, header, pages, blocks, where, feature.critical
    )


def _finish(
    report_id: str,
    layout: str,
    si: bool,
    flags: str,
    header: Header,
    pages: list[list[str]],
    blocks: list[tuple[Block, list[_Slot]]],
    where: list[int],
    critical: bool,
) -> LabReport:
    for number, page in enumerate(pages, start=1):
        if page[0] == "<continuation>":
            page[:1] = continuation_lines(header, number, len(pages))
    results = tuple(
        _result(slot, flags, layout, evidence, page)
        for (block, slots), page in zip(blocks, where, strict=True)
        for slot, evidence in zip(slots, block.evidence, strict=True)
    )
    report = LabReport(
        report_id, layout, si, flags, header, results, tuple(tuple(line for line in p) for p in pages)
    )
    too_long = [line for page in report.pages for line in page if len(line) > MAX_LINE]
    if too_long:
        raise ValueError(f"{report_id}: {len(too_long)} lines wider than {MAX_LINE} characters")
    if bool(report.criticals) != critical:
        raise ValueError(f"{report_id}: expected critical={critical}, got {len(report.criticals)} criticals")
    return report
