"""Plain text and HTML of a summary. HTML: CRITICAL statements red, ABNORMAL amber, citations as links.

Everything inserted into HTML is escaped; the stylesheet is inline so the fragment renders the same in any
dashboard. Citation links open the de-identified file at the cited page (`#page=`, PDF open parameters) or
time (`#t=`, W3C Media Fragments); DICOM citations open the preview. Files the summary leaves out (not
analyzed) are named first, before any finding, so nobody reads an incomplete summary as complete.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

from multimed.findings.citation import Citation
from multimed.findings.draft import Severity
from multimed.summaries.builder import Section
from multimed.summaries.coverage import UncoveredFile

_COLOURS = {Severity.CRITICAL: "#b00020", Severity.ABNORMAL: "#b26a00", Severity.NORMAL: "#1f1f1f"}


def where(citation: Citation) -> str:
    """ "page 2", "0:12-0:18" or "metadata": the place inside the file."""
    if citation.start_seconds is not None:
        end = citation.end_seconds if citation.end_seconds is not None else citation.start_seconds
        return f"{_clock(citation.start_seconds)}-{_clock(end)}"
    if citation.page is not None:
        return f"page {citation.page}"
    return "metadata" if citation.char_start is None else f"chars {citation.char_start}-{citation.char_end}"


def link(citation: Citation) -> str:
    """The file view that shows the cited evidence."""
    base = f"/files/{citation.file_id}"
    if citation.char_start is None:
        return f"{base}/preview"
    fragment = ""
    if citation.start_seconds is not None:
        end = citation.end_seconds if citation.end_seconds is not None else citation.start_seconds
        fragment = f"#t={citation.start_seconds:g},{end:g}"
    elif citation.page is not None:
        fragment = f"#page={citation.page}"
    return f"{base}/content?variant=deidentified{fragment}"


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _numbered(sections: Sequence[Section]) -> dict[Citation, int]:
    numbers: dict[Citation, int] = {}
    for section in sections:
        for statement in section.statements:
            for citation in statement.citations:
                numbers.setdefault(citation, len(numbers) + 1)
    return numbers


def not_covered_notice(uncovered: Sequence[UncoveredFile]) -> str:
    """ "2 files were not analyzed; their findings are not in this summary." """
    count = len(uncovered)
    files = "1 file was" if count == 1 else f"{count} files were"
    return f"{files} not analyzed; their findings are not in this summary."


def render_text(
    sections: Sequence[Section],
    *,
    patient_token: str,
    version: int,
    created_at: datetime,
    uncovered: Sequence[UncoveredFile] = (),
) -> str:
    """The summary as plain text: files left out first, then the sections with numbered citations and a
    source list."""
    numbers = _numbered(sections)
    lines = [f"Summary v{version} of patient {patient_token}, {created_at:%Y-%m-%d %H:%M} UTC", ""]
    if uncovered:
        lines += ["NOT COVERED", f"- {not_covered_notice(uncovered)}"]
        lines += [f"- {u.sentence()}" for u in uncovered]
        lines.append("")
    for section in sections:
        lines.append(section.title.upper())
        if not section.statements:
            lines.append("- none")
        for st in section.statements:
            refs = "".join(f"[{numbers[c]}]" for c in st.citations)
            lines.append(f"- [{st.severity.value}] {st.text} {refs}")
        lines.append("")
    lines.append("SOURCES")
    for citation, number in numbers.items():
        quote = " ".join(citation.quote.split())
        lines.append(f'[{number}] file {citation.file_id} v{citation.version}, {where(citation)}: "{quote}"')
    return "\n".join(lines) + "\n"


def render_html(
    sections: Sequence[Section],
    *,
    patient_token: str,
    version: int,
    created_at: datetime,
    uncovered: Sequence[UncoveredFile] = (),
) -> str:
    """The summary as an HTML fragment; each citation links to the cited place in the de-identified file."""
    numbers = _numbered(sections)
    esc = html.escape
    out = [
        '<article class="multimed-summary">',
        f"<h1>Summary v{version} of patient {esc(patient_token)}</h1>",
        f'<p class="generated">{created_at:%Y-%m-%d %H:%M} UTC</p>',
    ]
    if uncovered:
        colour = _COLOURS[Severity.ABNORMAL]
        out.append(
            f'<section class="not-covered" style="color:{colour}"><h2>Not covered</h2>'
            f"<p><strong>{esc(not_covered_notice(uncovered))}</strong></p><ul>"
        )
        out += [f"<li>{esc(u.sentence())}</li>" for u in uncovered]
        out.append("</ul></section>")
    for section in sections:
        out.append(f"<section><h2>{esc(section.title)}</h2>")
        if not section.statements:
            out.append('<p class="none">None.</p></section>')
            continue
        out.append("<ul>")
        for st in section.statements:
            refs = " ".join(
                f'<a class="citation" href="{esc(link(c))}" title="{esc(" ".join(c.quote.split()))}">'
                f"[{numbers[c]}]</a>"
                for c in st.citations
            )
            level = st.severity.value.lower()
            out.append(
                f'<li class="severity-{level}" style="color:{_COLOURS[st.severity]}">'
                f"<strong>{st.severity.value}</strong> {esc(st.text)} {refs}</li>"
            )
        out.append("</ul></section>")
    out.append("<section><h2>Sources</h2><ol>")
    for citation, number in numbers.items():
        quote = esc(" ".join(citation.quote.split()))
        out.append(
            f'<li value="{number}"><a href="{esc(link(citation))}">file {citation.file_id} '
            f"v{citation.version}, {esc(where(citation))}</a>: &quot;{quote}&quot;</li>"
        )
    out.append("</ol></section></article>")
    return "\n".join(out)
