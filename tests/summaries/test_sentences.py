"""Which sentences of a de-identified text the note summarizer may choose from."""

from __future__ import annotations

from multimed.summaries.sentences import narrative_sentences

REPORT = (
    "Test                Result  Flag  Units    Reference\n"
    "Potassium           6.8     HH    mmol/L   3.5-5.1\n"
    "Ordering physician: [CLINICIAN_1]\n"
    "Comment: Critical potassium and hemoglobin called to the ward nurse and read back.\n"
    "Patient reports chest pain for two days. Start lisinopril 10 milligrams daily.\n"
)


def test_narrative_sentences_skip_headers_results_and_labels() -> None:
    lab_line = (REPORT.index("Potassium"), REPORT.index("3.5-5.1") + 7)
    chosen = [REPORT[s:e] for s, e in narrative_sentences(REPORT, exclude=[lab_line])]
    assert chosen == [
        "Comment: Critical potassium and hemoglobin called to the ward nurse and read back.",
        "Patient reports chest pain for two days.",
        "Start lisinopril 10 milligrams daily.",
    ]
