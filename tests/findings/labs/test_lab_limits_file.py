"""Critical limits: the packaged table, a hospital's own file, and files that must be refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from multimed.findings.draft import Severity
from multimed.findings.labs import InvalidLimitsFile, extract_labs, load_critical_limits

HEADER = "analyte,loinc,specimen,unit,critical_low,critical_high,note\n"


def test_packaged_limits_map_every_row_to_canonical_names() -> None:
    limits = load_critical_limits()

    assert sorted({limit.analyte for limit in limits.limits}) == sorted(
        [
            "potassium",
            "sodium",
            "glucose",
            "calcium",
            "magnesium",
            "carbon dioxide (total)",
            "bicarbonate",
            "hemoglobin",
            "platelets",
            "WBC",
            "INR",
            "aPTT",
            "troponin I",
            "troponin I (high sensitivity)",
            "pH",
            "pCO2",
            "pO2",
            "lactate",
        ]
    )
    [hs] = limits.for_analyte("troponin I (high sensitivity)")
    assert (hs.unit, hs.low, hs.high) == ("ng/L", None, 100)
    [calcium] = limits.for_analyte("calcium")
    assert (calcium.unit, calcium.low, calcium.high, calcium.code) == ("mg/dL", 6.5, 13.0, "17861-6")


def test_packaged_copy_keeps_the_shared_rows() -> None:
    shared = Path(__file__).parents[4] / "shared" / "reference" / "critical-values.csv"
    if not shared.exists():
        pytest.skip("the shared reference folder is not beside this checkout")
    packaged = Path(__file__).parents[3] / "src/multimed/findings/labs/data/critical-values.csv"

    kept = [line for line in packaged.read_text().splitlines() if not line.startswith("#")]

    assert kept[: len(shared.read_text().splitlines())] == shared.read_text().splitlines()


def test_hospital_file_in_its_own_units(tmp_path: Path) -> None:
    path = tmp_path / "our-limits.csv"
    path.write_text(
        "# St. Elsewhere critical values, 2024 review\n"
        + HEADER
        + "glucose,2345-7,serum/plasma,mmol/L,3.0,20.0,\n"
        + "potassium,2823-3,serum/plasma,mEq/L,3.0,6.0,\n"
        + "hemoglobin,718-7,blood,g/L,80,,\n"
    )

    limits = load_critical_limits(path)
    text = (
        "Glucose 52 mg/dL\nGlucose 380 mg/dL\nPotassium 6.1 mmol/L\nHemoglobin 7.5 g/dL\nSodium 118 mmol/L\n"
    )
    findings = extract_labs(text, limits)

    assert limits.source == "our-limits.csv"
    # 52 mg/dL is 2.89 mmol/L (< 3.0); 380 mg/dL is 21.1 mmol/L (> 20.0); sodium has no limit in this file.
    assert [f.severity for f in findings] == [
        Severity.CRITICAL,
        Severity.CRITICAL,
        Severity.CRITICAL,
        Severity.CRITICAL,
        Severity.NORMAL,
    ]


def test_hospital_file_specimen_limits_do_not_judge_urine(tmp_path: Path) -> None:
    path = tmp_path / "limits.csv"
    path.write_text(HEADER + "glucose,2345-7,serum/plasma,mg/dL,50,450,\nglucose,,CSF,mg/dL,40,,\n")
    limits = load_critical_limits(path)

    text = (
        "Specimen: Urine\nGlucose 1000 mg/dL\n"
        "Specimen: CSF\nGlucose 35 mg/dL\n"
        "Specimen: Serum\nGlucose 35 mg/dL\n"
    )
    findings = extract_labs(text, limits)

    assert [(f.specimen, f.severity) for f in findings] == [
        ("urine", Severity.NORMAL),
        ("cerebrospinal fluid", Severity.CRITICAL),
        ("serum", Severity.CRITICAL),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "analyte,unit,critical_low\npotassium,mmol/L,2.8\n",
            "missing columns loinc, specimen, critical_high",
        ),
        (HEADER, "no limits"),
        (HEADER + "unobtainium,,serum,mg/dL,1,2,\n", "line 2: unknown analyte 'unobtainium'"),
        (
            HEADER + "potassium,2951-2,serum,mmol/L,2.8,6.2,\n",
            "line 2: LOINC 2951-2 is sodium, not 'potassium'",
        ),
        (HEADER + "potassium,2823-3,serum,furlongs,2.8,6.2,\n", "line 2: unknown unit 'furlongs'"),
        (HEADER + "potassium,2823-3,serum,mg/dL,2.8,6.2,\n", "line 2: unit mg/dL does not measure potassium"),
        (HEADER + "potassium,2823-3,serum,mmol/L,low,6.2,\n", "line 2: critical_low 'low' is not a number"),
        (HEADER + "potassium,2823-3,serum,mmol/L,,,\n", "line 2: no limit on either side"),
        (
            HEADER + "potassium,2823-3,serum,mmol/L,6.2,2.8,\n",
            "line 2: critical_low 6.2 is not below critical_high 2.8",
        ),
        (HEADER + "potassium,2823-3,saliva,mmol/L,2.8,6.2,\n", "line 2: unknown specimen 'saliva'"),
        (HEADER + ",2823-3,serum,mmol/L,2.8,6.2,\n", "line 2: the analyte is empty"),
        (
            "# our file\n" + HEADER + "potassium,2823-3,serum,mmol/L,2.8,6.2,\nK,,plasma,mmol/L,3.0,6.0,\n",
            "line 4: a second limit for potassium (the first is on line 3)",
        ),
    ],
)
def test_invalid_file_names_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)

    with pytest.raises(InvalidLimitsFile) as caught:
        load_critical_limits(path)

    assert str(caught.value).startswith("critical limits file bad.csv")
    assert str(caught.value).endswith(message)


def test_missing_file_is_an_invalid_limits_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidLimitsFile, match=r"missing\.csv: cannot be read"):
        load_critical_limits(tmp_path / "missing.csv")
