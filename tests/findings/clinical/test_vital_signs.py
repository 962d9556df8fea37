"""Vital signs: every printed and dictated form, units, OCR noise, plausibility and severity bands."""

from __future__ import annotations

import pytest

from multimed.findings.clinical import extract_vitals
from multimed.findings.clinical.vital_limits import parse_limits, vital_limits
from multimed.findings.draft import FindingDraft, FindingKind, Severity


def only(text: str) -> FindingDraft:
    found = extract_vitals(text)
    assert len(found) == 1, [text[f.start : f.end] for f in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "quote", "name", "value", "unit", "code"),
    [
        ("BP 160/95", "BP 160/95", "blood pressure", 160, "mm[Hg]", "85354-9"),
        ("BP: 160/95 mmHg", "BP: 160/95 mmHg", "blood pressure", 160, "mm[Hg]", "85354-9"),
        (
            "Blood pressure 160 over 95.",
            "Blood pressure 160 over 95",
            "blood pressure",
            160,
            "mm[Hg]",
            "85354-9",
        ),
        (
            "blood pressure was 160/95 mm Hg",
            "blood pressure was 160/95 mm Hg",
            "blood pressure",
            160,
            "mm[Hg]",
            None,
        ),
        ("B/P 160/95", "B/P 160/95", "blood pressure", 160, "mm[Hg]", None),
        ("160/95 mmHg sitting", "160/95 mmHg", "blood pressure", 160, "mm[Hg]", None),
        ("HR 112", "HR 112", "heart rate", 112, "/min", "8867-4"),
        ("He has a pulse of 112.", "pulse of 112", "heart rate", 112, "/min", "8867-4"),
        ("heart rate 112 bpm", "heart rate 112 bpm", "heart rate", 112, "/min", "8867-4"),
        ("Pulse: 112 beats per minute", "Pulse: 112 beats per minute", "heart rate", 112, "/min", None),
        ("tachycardic to 130s", "tachycardic to 130s", "heart rate", 130, "/min", None),
        ("RR 24", "RR 24", "respiratory rate", 24, "/min", "9279-1"),
        ("respiratory rate of 24 breaths per minute", None, "respiratory rate", 24, "/min", "9279-1"),
        ("Resp: 24/min", "Resp: 24/min", "respiratory rate", 24, "/min", None),
        ("SpO2 88%", "SpO2 88%", "oxygen saturation", 88, "%", "59408-5"),
        ("O2 sat 88 percent on room air", None, "oxygen saturation", 88, "%", "59408-5"),
        ("saturating 88% on 2 L nasal cannula", None, "oxygen saturation", 88, "%", "59408-5"),
        ("pulse ox 92% on RA", "pulse ox 92% on RA", "oxygen saturation", 92, "%", "59408-5"),
        ("SaO2 85%", "SaO2 85%", "oxygen saturation", 85, "%", "2708-6"),
        ("T 38.5 C", "T 38.5 C", "body temperature", 38.5, "Cel", "8310-5"),
        ("Temp 38.5°C", "Temp 38.5°C", "body temperature", 38.5, "Cel", "8310-5"),
        ("temperature of 101.3 degrees Fahrenheit", None, "body temperature", 38.5, "Cel", "8310-5"),
        ("Tmax 101.3F", "Tmax 101.3F", "body temperature", 38.5, "Cel", None),
        ("febrile to 39.4", "febrile to 39.4", "body temperature", 39.4, "Cel", None),
        ("Weight 70 kg", "Weight 70 kg", "body weight", 70, "kg", "29463-7"),
        ("Wt: 154 lbs", "Wt: 154 lbs", "body weight", 69.9, "kg", "29463-7"),
        ("he weighs 180 pounds", "weighs 180 pounds", "body weight", 81.6, "kg", "29463-7"),
    ],
)
def test_forms_and_units(
    text: str, quote: str | None, name: str, value: float, unit: str, code: str | None
) -> None:
    finding = only(text)
    assert finding.kind is FindingKind.VITAL
    assert finding.name == name
    assert finding.value == pytest.approx(value)
    assert finding.unit == unit
    assert text[finding.start : finding.end] == (quote if quote is not None else text.rstrip("."))
    if code is not None:
        assert finding.code == code


def test_blood_pressure_is_one_finding_with_both_components() -> None:
    finding = only("BP 160/95")
    assert finding.value_text == "160/95"
    assert finding.value == 160
    assert finding.details["systolic"] == 160
    assert finding.details["diastolic"] == 95
    assert finding.details["systolic_code"] == "8480-6"
    assert finding.details["diastolic_code"] == "8462-4"


def test_fahrenheit_keeps_the_printed_value_and_unit() -> None:
    finding = only("Temp 101.3 F")
    assert finding.value == pytest.approx(38.5)
    assert finding.value_text == "101.3"
    assert finding.details == {"printed_value": 101.3, "printed_unit": "°F", "unit_inferred": False}


@pytest.mark.parametrize(("text", "celsius"), [("T 98.6", 37.0), ("T 37.2", 37.2), ("temp 102", 38.9)])
def test_temperature_without_unit_is_read_by_its_range(text: str, celsius: float) -> None:
    finding = only(text)
    assert finding.value == pytest.approx(celsius)
    assert finding.details["unit_inferred"] is True


def test_pounds_keep_the_printed_value() -> None:
    finding = only("Weight: 220 lb")
    assert finding.value == pytest.approx(99.8)
    assert finding.details == {"printed_value": 220, "printed_unit": "lb"}


def test_oxygen_wording_is_kept() -> None:
    room_air = only("SpO2 90% on RA")
    assert room_air.details == {"air_or_oxygen": "room air", "supplemental_oxygen": False}
    oxygen = only("sats 94% on 4L NC")
    assert oxygen.details == {"air_or_oxygen": "supplemental oxygen", "supplemental_oxygen": True}


@pytest.mark.parametrize(
    ("text", "value_text"),
    [
        ("BP l6O/95", "160/95"),
        ("HR l12", "112"),
        ("T 38 . 5 C", "38.5"),
        ("Temp 37,9", "37.9"),
        ("BP  160/95  mmHg", "160/95"),
        ("BP | 160/95 |", "160/95"),
    ],
)
def test_ocr_noise(text: str, value_text: str) -> None:
    assert only(text).value_text == value_text


@pytest.mark.parametrize(
    "text",
    [
        "HR 1200",
        "HR 5",
        "RR 200",
        "SpO2 130%",
        "T 12",
        "Temp 150 F",
        "Weight 900 kg",
        "BP 95/160",  # diastolic above systolic
        "BP 400/95",
        "BP 12/05/2021",  # a date after the label
        "sat 60 minutes",  # bare "sat" needs a % or oxygen wording
        "pulses 2+ bilaterally",
        "Weight 70",  # weight needs its unit
        "hr 10 min",  # lower-case hr is hours
        "[MRN_2] seen 03/04/2021",
    ],
)
def test_implausible_or_not_a_vital(text: str) -> None:
    assert extract_vitals(text) == []


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        # heart rate: NEWS2 <=40 | 41-50 | 51-90 | 91-130 | >=131
        ("HR 40", Severity.CRITICAL),
        ("HR 41", Severity.ABNORMAL),
        ("HR 50", Severity.ABNORMAL),
        ("HR 51", Severity.NORMAL),
        ("HR 90", Severity.NORMAL),
        ("HR 91", Severity.ABNORMAL),
        ("HR 130", Severity.ABNORMAL),
        ("HR 131", Severity.CRITICAL),
        # respiratory rate: <=8 | 9-11 | 12-20 | 21-24 | >=25
        ("RR 8", Severity.CRITICAL),
        ("RR 9", Severity.ABNORMAL),
        ("RR 11", Severity.ABNORMAL),
        ("RR 12", Severity.NORMAL),
        ("RR 20", Severity.NORMAL),
        ("RR 21", Severity.ABNORMAL),
        ("RR 24", Severity.ABNORMAL),
        ("RR 25", Severity.CRITICAL),
        # SpO2 scale 1: <=91 | 92-95 | >=96
        ("SpO2 91%", Severity.CRITICAL),
        ("SpO2 92%", Severity.ABNORMAL),
        ("SpO2 95%", Severity.ABNORMAL),
        ("SpO2 96%", Severity.NORMAL),
        ("SpO2 100%", Severity.NORMAL),
        # temperature: <=35.0 | 35.1-36.0 | 36.1-38.0 | >=38.1 (no critical band above)
        ("T 35.0 C", Severity.CRITICAL),
        ("T 35.1 C", Severity.ABNORMAL),
        ("T 36.0 C", Severity.ABNORMAL),
        ("T 36.1 C", Severity.NORMAL),
        ("T 38.0 C", Severity.NORMAL),
        ("T 38.1 C", Severity.ABNORMAL),
        ("T 41.0 C", Severity.ABNORMAL),
        ("T 95 F", Severity.CRITICAL),
        ("T 100.6 F", Severity.ABNORMAL),
        # systolic: <=90 | 91-110 | 111-139 | 140-179 | >=180
        ("BP 90/60", Severity.CRITICAL),
        ("BP 91/60", Severity.ABNORMAL),
        ("BP 110/70", Severity.ABNORMAL),
        ("BP 111/70", Severity.NORMAL),
        ("BP 139/70", Severity.NORMAL),
        ("BP 140/70", Severity.ABNORMAL),
        ("BP 179/70", Severity.ABNORMAL),
        ("BP 180/70", Severity.CRITICAL),
        # diastolic: <=89 | 90-119 | >=120
        ("BP 130/89", Severity.NORMAL),
        ("BP 130/90", Severity.ABNORMAL),
        ("BP 130/119", Severity.ABNORMAL),
        ("BP 130/120", Severity.CRITICAL),
        # weight has no bands
        ("Weight 250 kg", Severity.NORMAL),
    ],
)
def test_severity_on_both_sides_of_each_bound(text: str, severity: Severity) -> None:
    assert only(text).severity is severity


def test_blood_pressure_severity_is_the_worse_component() -> None:
    finding = only("BP 135/121")
    assert finding.severity is Severity.CRITICAL
    assert finding.details["systolic_severity"] == "NORMAL"
    assert finding.details["diastolic_severity"] == "CRITICAL"


def test_reference_range_is_the_normal_band() -> None:
    finding = only("HR 112")
    assert (finding.reference_low, finding.reference_high) == (51, 90)


def test_a_vitals_row_gives_one_finding_per_vital_each_with_its_own_span() -> None:
    text = "Vitals: BP 182/124 | HR 112 | RR 26 | SpO2 90% on RA | T 39.2 C | Wt 81 kg\nPlan: admit"
    found = extract_vitals(text)
    assert [text[f.start : f.end] for f in found] == [
        "BP 182/124",
        "HR 112",
        "RR 26",
        "SpO2 90% on RA",
        "T 39.2 C",
        "Wt 81 kg",
    ]
    assert [f.severity for f in found] == [
        Severity.CRITICAL,
        Severity.ABNORMAL,
        Severity.CRITICAL,
        Severity.CRITICAL,
        Severity.ABNORMAL,
        Severity.NORMAL,
    ]


def test_dictation_transcript() -> None:
    text = (
        "Patient denies chest pain. Blood pressure 182 over 124. Pulse of 112 and regular. "
        "Respiratory rate 22. He is saturating 93 percent on room air. Temperature 100.6 Fahrenheit."
    )
    found = extract_vitals(text)
    assert [(f.name, f.value_text, f.severity) for f in found] == [
        ("blood pressure", "182/124", Severity.CRITICAL),
        ("heart rate", "112", Severity.ABNORMAL),
        ("respiratory rate", "22", Severity.ABNORMAL),
        ("oxygen saturation", "93", Severity.ABNORMAL),
        ("body temperature", "100.6", Severity.ABNORMAL),
    ]
    assert text[found[3].start : found[3].end] == "saturating 93 percent on room air"


def test_a_match_never_crosses_a_line() -> None:
    assert extract_vitals("BP\n160/95") == []
    assert extract_vitals("Heart rate\n112") == []


def test_limits_table_rejects_a_repeated_key() -> None:
    text = (
        "key,name,loinc,unit,plausible_low,plausible_high,"
        "critical_low,normal_low,normal_high,critical_high,source\n"
    )
    row = "hr,heart rate,8867-4,/min,20,300,40,51,90,131,x\n"
    with pytest.raises(ValueError, match="appears twice"):
        parse_limits(text + row + row)


def test_every_row_cites_a_source_and_orders_its_bounds() -> None:
    for limits in vital_limits().values():
        assert limits.source
        bounds = [limits.critical_low, limits.normal_low, limits.normal_high, limits.critical_high]
        present = [b for b in bounds if b is not None]
        assert present == sorted(present), limits.key


def test_single_letter_labels_count_only_in_a_vitals_row() -> None:
    text = "T: 37.2C  P: 88  R: 18  BP: 128/76"
    assert [(f.name, text[f.start : f.end]) for f in extract_vitals(text)] == [
        ("body temperature", "T: 37.2C"),
        ("heart rate", "P: 88"),
        ("respiratory rate", "R: 18"),
        ("blood pressure", "BP: 128/76"),
    ]
    assert extract_vitals("P 88") == []
    assert [f.name for f in extract_vitals("Plan: P 120\nBP 120/80")] == ["blood pressure"]


@pytest.mark.parametrize(
    ("text", "quote", "air"),
    [
        ("SpO2 98% RA", "SpO2 98% RA", "room air"),
        ("O2 98% RA", "O2 98% RA", "room air"),
        ("SpO2 94%, O2 2L", "SpO2 94%, O2 2L", "supplemental oxygen"),
        ("SpO2 94% on oxygen at 3 L/min", "SpO2 94% on oxygen at 3 L/min", "supplemental oxygen"),
    ],
)
def test_oxygen_wording_without_on(text: str, quote: str, air: str) -> None:
    finding = only(text)
    assert text[finding.start : finding.end] == quote
    assert finding.details["air_or_oxygen"] == air


def test_bare_o2_needs_a_percent() -> None:
    assert extract_vitals("O2 2L") == []
