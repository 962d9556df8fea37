"""Report styles as printed by different laboratories: each result read whole, with its span and severity."""

from __future__ import annotations

import pytest
from lab_expectations import Expected, assert_findings

from multimed.findings.draft import Severity
from multimed.findings.labs import CriticalLimits, extract_labs, load_critical_limits

CRIT, ABN, NORM = Severity.CRITICAL, Severity.ABNORMAL, Severity.NORMAL


@pytest.fixture(scope="module")
def limits() -> CriticalLimits:
    return load_critical_limits()


ALIGNED_TABLE = """CITY HOSPITAL LABORATORY REPORT
Patient: [PATIENT_1]      MRN: [MRN_2]      DOB: 03/14/1957
Collected: 01/18/2023 07:45     Ordering: [CLINICIAN_1]
BASIC METABOLIC PANEL
Test                 Result    Flag   Units      Reference Range
Sodium               139              mmol/L     136-145
Potassium            6.8       HH     mmol/L     3.5-5.1
Chloride             101              mmol/L     98-107
CO2                  24               mmol/L     22-29
BUN                  31        H      mg/dL      7-20
Creatinine           1.9       H      mg/dL      0.6-1.2
Glucose              92               mg/dL      70-99
Calcium              8.1       L      mg/dL      8.6-10.3
Page 1 of 2
"""

PIPE_RULES = """| Test        | Result | Flag | Units    | Reference   |
|-------------|--------|------|----------|-------------|
| WBC         | 12.3   | H    | x10E3/uL | 4.0-11.0    |
| Hemoglobin  | 6.5    | LL   | g/dL     | 13.5-17.5   |
| Hematocrit  | 21     | L    | %        | 41-53       |
| Platelets   | 15     | LL   | K/uL     | 150-400     |
| MCV         | 88     |      | fL       | 80-100      |
"""

COLON_LINES = """Chemistry results
Sodium: 118 mmol/L (136-145) L
Potassium: 4.2 mmol/L (3.5-5.1)
Magnesium: 1.6 mg/dL (1.7-2.2) L
Lactate: 4.6 mmol/L (0.5-2.2) H
"""

FLAG_BEFORE_UNIT = """Potassium 6.8 H mmol/L 3.5-5.1
Sodium 131 L mmol/L 136 - 145
Glucose 452 H mg/dL 70-99
"""

RANGE_FIRST = """CARDIAC MARKERS
Test            Reference     Result     Units
Troponin I      <0.04         <0.01      ng/mL
CK              30-200        250        U/L
BNP             <100          850        pg/mL
"""

DOT_LEADERS = """Potassium.............. 2.6 mmol/L   [3.5 - 5.1]   LOW
Creatinine............. 1.0 mg/dL    [0.6 - 1.2]
Albumin................ 2.9 g/dL     [3.5 - 5.0]   Low
"""

INLINE_PANEL = """Assessment: labs this morning reviewed.
BMP: Na 139, K 6.8, Cl 101, CO2 24, BUN 15, Cr 1.0, Glu 92
Plan: repeat potassium in 2 hours.
"""

SIDE_BY_SIDE = """COMPLETE BLOOD COUNT
WBC   45.2 x10^9/L   H        Hgb   11.0 g/dL   L
Plt   250 K/uL                Hct   33 %        L
"""

SI_UNITS = """Laborbefund
Glucose        2,7   mmol/L   (3,9-5,5)    L
Hemoglobin     65    g/L      (120-160)    LL
Creatinine     88    umol/L   (62-106)
Calcium        1,55  mmol/L   (2,15-2,55)  L
"""

BLOOD_GAS = """ARTERIAL BLOOD GAS
pH        7.15          7.35-7.45   LL
pCO2      9.6   kPa     4.7-6.0     H
pO2       5.1   kPa     10.7-13.3   L
HCO3      18    mmol/L  22-26       L
"""

COAGULATION = """COAGULATION
PT          28.4   sec    11.0-13.5   H
INR         5.6           0.9-1.1     H
aPTT        102    s      25-35       H
Fibrinogen  1.2    g/L    2.0-4.0     L
"""

LIPIDS_SI = """Lipid panel (fasting)
Cholesterol total    6.2   mmol/L   <5.2    H
LDL cholesterol      4.1   mmol/L   <3.4    H
HDL cholesterol      1.0   mmol/L   >1.0
Triglycerides        2.3   mmol/L   <1.7    H
"""

THYROID = """THYROID FUNCTION
TSH          0.02   L   mIU/L    0.40-4.00
Free T4      45     H   pmol/L   10-23
"""

LEGEND_STAR = """Potassium   5.9*   mmol/L   3.5-5.1
Sodium      140    mmol/L   136-145
* = critical value, called to [CLINICIAN_1] at 08:10
"""

URINALYSIS = """URINALYSIS
Specimen: Urine
pH             5.0               5.0-8.0
Glucose        500      H   mg/dL    negative
CHEMISTRY
Specimen: Serum
Glucose        38       LL  mg/dL    70-99
"""

CASES: list[tuple[str, str, list[Expected]]] = [
    (
        "aligned table with header",
        ALIGNED_TABLE,
        [
            Expected(
                "Sodium               139              mmol/L     136-145",
                "sodium",
                139,
                "mmol/L",
                None,
                NORM,
            ),
            Expected(
                "Potassium            6.8       HH     mmol/L     3.5-5.1",
                "potassium",
                6.8,
                "mmol/L",
                "HH",
                CRIT,
            ),
            Expected(
                "Chloride             101              mmol/L     98-107",
                "chloride",
                101,
                "mmol/L",
                None,
                NORM,
            ),
            Expected(
                "CO2                  24               mmol/L     22-29",
                "carbon dioxide (total)",
                24,
                "mmol/L",
                None,
                NORM,
            ),
            Expected("BUN                  31        H      mg/dL      7-20", "BUN", 31, "mg/dL", "H", ABN),
            Expected(
                "Creatinine           1.9       H      mg/dL      0.6-1.2",
                "creatinine",
                1.9,
                "mg/dL",
                "H",
                ABN,
            ),
            Expected(
                "Glucose              92               mg/dL      70-99", "glucose", 92, "mg/dL", None, NORM
            ),
            Expected(
                "Calcium              8.1       L      mg/dL      8.6-10.3", "calcium", 8.1, "mg/dL", "L", ABN
            ),
        ],
    ),
    (
        "column rules",
        PIPE_RULES,
        [
            Expected("WBC         | 12.3   | H    | x10E3/uL | 4.0-11.0", "WBC", 12.3, "10*9/L", "H", ABN),
            Expected(
                "Hemoglobin  | 6.5    | LL   | g/dL     | 13.5-17.5", "hemoglobin", 6.5, "g/dL", "LL", CRIT
            ),
            Expected("Hematocrit  | 21     | L    | %        | 41-53", "hematocrit", 21, "%", "L", ABN),
            Expected(
                "Platelets   | 15     | LL   | K/uL     | 150-400", "platelets", 15, "10*9/L", "LL", CRIT
            ),
            Expected("MCV         | 88     |      | fL       | 80-100", "MCV", 88, "fL", None, NORM),
        ],
    ),
    (
        "name: value unit (range) flag",
        COLON_LINES,
        [
            Expected("Sodium: 118 mmol/L (136-145) L", "sodium", 118, "mmol/L", "L", CRIT),
            Expected("Potassium: 4.2 mmol/L (3.5-5.1)", "potassium", 4.2, "mmol/L", None, NORM),
            Expected("Magnesium: 1.6 mg/dL (1.7-2.2) L", "magnesium", 1.6, "mg/dL", "L", ABN),
            Expected("Lactate: 4.6 mmol/L (0.5-2.2) H", "lactate", 4.6, "mmol/L", "H", CRIT),
        ],
    ),
    (
        "flag before unit",
        FLAG_BEFORE_UNIT,
        [
            Expected("Potassium 6.8 H mmol/L 3.5-5.1", "potassium", 6.8, "mmol/L", "H", CRIT),
            Expected("Sodium 131 L mmol/L 136 - 145", "sodium", 131, "mmol/L", "L", ABN),
            Expected("Glucose 452 H mg/dL 70-99", "glucose", 452, "mg/dL", "H", CRIT),
        ],
    ),
    (
        "reference column before result",
        RANGE_FIRST,
        [
            Expected(
                "Troponin I      <0.04         <0.01      ng/mL", "troponin I", 0.01, "ng/mL", None, NORM
            ),
            Expected("CK              30-200        250        U/L", "CK", 250, "U/L", None, ABN),
            Expected("BNP             <100          850        pg/mL", "BNP", 850, "pg/mL", None, ABN),
        ],
    ),
    (
        "dot leaders and bracketed ranges",
        DOT_LEADERS,
        [
            Expected(
                "Potassium.............. 2.6 mmol/L   [3.5 - 5.1]   LOW",
                "potassium",
                2.6,
                "mmol/L",
                "L",
                CRIT,
            ),
            Expected(
                "Creatinine............. 1.0 mg/dL    [0.6 - 1.2]", "creatinine", 1.0, "mg/dL", None, NORM
            ),
            Expected(
                "Albumin................ 2.9 g/dL     [3.5 - 5.0]   Low", "albumin", 2.9, "g/dL", "L", ABN
            ),
        ],
    ),
    (
        "inline panel in a note",
        INLINE_PANEL,
        [
            Expected("Na 139", "sodium", 139, "mmol/L", None, NORM),
            Expected("K 6.8", "potassium", 6.8, "mmol/L", None, CRIT),
            Expected("Cl 101", "chloride", 101, "mmol/L", None, NORM),
            Expected("CO2 24", "carbon dioxide (total)", 24, "mmol/L", None, NORM),
            Expected("BUN 15", "BUN", 15, "mg/dL", None, NORM),
            Expected("Cr 1.0", "creatinine", 1.0, "mg/dL", None, NORM),
            Expected("Glu 92", "glucose", 92, "mg/dL", None, NORM),
        ],
    ),
    (
        "two results per line",
        SIDE_BY_SIDE,
        [
            Expected("WBC   45.2 x10^9/L   H", "WBC", 45.2, "10*9/L", "H", CRIT),
            Expected("Hgb   11.0 g/dL   L", "hemoglobin", 11.0, "g/dL", "L", ABN),
            Expected("Plt   250 K/uL", "platelets", 250, "10*9/L", None, NORM),
            Expected("Hct   33 %        L", "hematocrit", 33, "%", "L", ABN),
        ],
    ),
    (
        "SI units with decimal commas",
        SI_UNITS,
        [
            Expected("Glucose        2,7   mmol/L   (3,9-5,5)    L", "glucose", 48.6432, "mg/dL", "L", CRIT),
            Expected("Hemoglobin     65    g/L      (120-160)    LL", "hemoglobin", 6.5, "g/dL", "LL", CRIT),
            Expected("Creatinine     88    umol/L   (62-106)", "creatinine", 88 / 88.4, "mg/dL", None, NORM),
            Expected(
                "Calcium        1,55  mmol/L   (2,15-2,55)  L", "calcium", 1.55 * 4.008, "mg/dL", "L", CRIT
            ),
        ],
    ),
    (
        "arterial blood gas in kPa",
        BLOOD_GAS,
        [
            Expected("pH        7.15          7.35-7.45   LL", "pH", 7.15, "[pH]", "LL", CRIT),
            Expected("pCO2      9.6   kPa     4.7-6.0     H", "pCO2", 9.6 * 7.50062, "mm[Hg]", "H", CRIT),
            Expected("pO2       5.1   kPa     10.7-13.3   L", "pO2", 5.1 * 7.50062, "mm[Hg]", "L", CRIT),
            Expected("HCO3      18    mmol/L  22-26       L", "bicarbonate", 18, "mmol/L", "L", ABN),
        ],
    ),
    (
        "coagulation",
        COAGULATION,
        [
            Expected("PT          28.4   sec    11.0-13.5   H", "PT", 28.4, "s", "H", ABN),
            Expected("INR         5.6           0.9-1.1     H", "INR", 5.6, "{INR}", "H", CRIT),
            Expected("aPTT        102    s      25-35       H", "aPTT", 102, "s", "H", CRIT),
            Expected("Fibrinogen  1.2    g/L    2.0-4.0     L", "fibrinogen", 120, "mg/dL", "L", ABN),
        ],
    ),
    (
        "lipids in mmol/L",
        LIPIDS_SI,
        [
            Expected(
                "Cholesterol total    6.2   mmol/L   <5.2    H", "cholesterol", 6.2 * 38.67, "mg/dL", "H", ABN
            ),
            Expected(
                "LDL cholesterol      4.1   mmol/L   <3.4    H",
                "LDL cholesterol",
                4.1 * 38.67,
                "mg/dL",
                "H",
                ABN,
            ),
            Expected(
                "HDL cholesterol      1.0   mmol/L   >1.0", "HDL cholesterol", 38.67, "mg/dL", None, ABN
            ),
            Expected(
                "Triglycerides        2.3   mmol/L   <1.7    H",
                "triglycerides",
                2.3 * 88.57,
                "mg/dL",
                "H",
                ABN,
            ),
        ],
    ),
    (
        "thyroid",
        THYROID,
        [
            Expected("TSH          0.02   L   mIU/L    0.40-4.00", "TSH", 0.02, "mIU/L", "L", ABN),
            Expected("Free T4      45     H   pmol/L   10-23", "free T4", 45 / 12.87, "ng/dL", "H", ABN),
        ],
    ),
    (
        "star legend means critical",
        LEGEND_STAR,
        [
            Expected("Potassium   5.9*   mmol/L   3.5-5.1", "potassium", 5.9, "mmol/L", "HH", CRIT),
            Expected("Sodium      140    mmol/L   136-145", "sodium", 140, "mmol/L", None, NORM),
        ],
    ),
    (
        "urine results are not judged by blood limits",
        URINALYSIS,
        [
            Expected("pH             5.0               5.0-8.0", "pH", 5.0, "[pH]", None, NORM),
            Expected("Glucose        500      H   mg/dL", "glucose", 500, "mg/dL", "H", ABN),
            Expected("Glucose        38       LL  mg/dL    70-99", "glucose", 38, "mg/dL", "LL", CRIT),
        ],
    ),
]


@pytest.mark.parametrize(("style", "text", "expected"), CASES, ids=[case[0] for case in CASES])
def test_report_style(limits: CriticalLimits, style: str, text: str, expected: list[Expected]) -> None:
    findings = extract_labs(text, limits)

    assert_findings(text, findings, expected)


def test_codes_specimens_and_details(limits: CriticalLimits) -> None:
    findings = extract_labs(URINALYSIS + BLOOD_GAS, limits)

    urine_ph, urine_glucose, serum_glucose, blood_ph = findings[:4]
    assert (urine_ph.code, urine_ph.specimen) == ("2744-1", "urine")
    assert urine_glucose.specimen == "urine"
    assert (serum_glucose.code, serum_glucose.specimen) == ("2345-7", "serum")
    assert blood_ph.specimen == "arterial blood"
    pco2 = findings[4]
    assert pco2.details["printed_unit"] == "kPa"
    assert pco2.details["printed_value"] == 9.6
    assert pco2.details["panel"] == "blood gas"
    assert pco2.reference_low == pytest.approx(4.7 * 7.50062)
    assert pco2.reference_high == pytest.approx(6.0 * 7.50062)


def test_value_text_and_qualifier_as_printed(limits: CriticalLimits) -> None:
    [troponin, _, _] = extract_labs(RANGE_FIRST, limits)

    assert troponin.value_text == "<0.01"
    assert troponin.qualifier == "<"
    assert troponin.reference_high == 0.04
    assert troponin.reference_low is None


def test_findings_keep_text_offsets_across_lines(limits: CriticalLimits) -> None:
    text = "Header\r\n\r\nPotassium 6.8 mmol/L (3.5-5.1) HH\r\nSodium 139 mmol/L\r\n"

    findings = extract_labs(text, limits)

    assert [text[f.start : f.end] for f in findings] == [
        "Potassium 6.8 mmol/L (3.5-5.1) HH",
        "Sodium 139 mmol/L",
    ]
