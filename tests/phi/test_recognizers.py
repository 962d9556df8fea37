"""Each recognizer on the forms it exists for: (text, [(substring, type)]); every substring is covered."""

from __future__ import annotations

import pytest

from multimed.ml.phi.base import PhiDetector, PhiType
from phi.span_checks import covered_by

P = PhiType

NAMES = [
    ("Patient: Harold Whitfield presented with chest pain.", [("Harold Whitfield", P.PATIENT)]),
    ("Pt: Whitfield, Harold J. DOB 03/04/1950", [("Whitfield, Harold J.", P.PATIENT)]),
    ("Mr. Okonkwo was admitted overnight.", [("Okonkwo", P.PATIENT)]),
    ("Mrs. Delacroix-Hunt tolerated the procedure.", [("Delacroix-Hunt", P.PATIENT)]),
    ("Ms. O'Sullivan reports no pain.", [("O'Sullivan", P.PATIENT)]),
    ("Seen today: J. Abernathy, follow-up in clinic.", [("J. Abernathy", None)]),
    ("Harold Whitfield is a 67-year-old man with CHF.", [("Harold Whitfield", P.PATIENT)]),
    ("PATIENT: WHITFIELD, HAROLD", [("WHITFIELD, HAROLD", P.PATIENT)]),
    ("NAME: HAROLD WHITFIELD", [("HAROLD WHITFIELD", P.PATIENT)]),
    ("Attending: Dr. Priya Raman", [("Priya Raman", P.CLINICIAN)]),
    ("Discussed with Dr. Raman from cardiology.", [("Raman", P.CLINICIAN)]),
    ("Electronically signed by Lucas Brennan, MD", [("Lucas Brennan", P.CLINICIAN)]),
    ("Note by Tessa Vaughn, RN, at 14:00.", [("Tessa Vaughn", P.CLINICIAN)]),
    ("cc: Dr. Emeka Obi; Dr. Lina Haddad", [("Emeka Obi", P.CLINICIAN), ("Lina Haddad", P.CLINICIAN)]),
    ("Marcus Feld, NP will follow.", [("Marcus Feld", P.CLINICIAN)]),
    ("ATTENDING: DR. RAMAN, PRIYA", [("RAMAN, PRIYA", P.CLINICIAN)]),
    ("His wife Greta Lindqvist is at the bedside.", [("Greta Lindqvist", P.RELATIVE)]),
    ("Daughter, Inez Carvalho, will drive him home.", [("Inez Carvalho", P.RELATIVE)]),
    ("Emergency contact: Tobias Wren (brother) 312-555-0187", [("Tobias Wren", P.RELATIVE)]),
    ("Collateral from Rosalind Park (sister).", [("Rosalind Park", P.RELATIVE)]),
    ("patient harold whitfield seen today for follow up", [("harold whitfield", P.PATIENT)]),
    ("this is dr raman dictating on the patient", [("raman", P.CLINICIAN)]),
    ("her husband tobias said she fell", [("tobias", P.RELATIVE)]),
]

DATES = [
    ("Admitted 01/15/2023 for sepsis.", [("01/15/2023", P.DATE)]),
    ("Seen 1/5/23 in clinic.", [("1/5/23", P.DATE)]),
    ("Study date 2023-01-15.", [("2023-01-15", P.DATE)]),
    ("Surgery on Jan 15 2023 went well.", [("Jan 15 2023", P.DATE)]),
    ("Surgery on January 15, 2023 went well.", [("January 15, 2023", P.DATE)]),
    ("Born 15 January 1948.", [("15 January 1948", P.DATE)]),
    ("Follow up on January 15th.", [("January 15th", P.DATE)]),
    ("Specimen collected 15-Jan-2023.", [("15-Jan-2023", P.DATE)]),
    ("Last colonoscopy 01/2023.", [("01/2023", P.DATE)]),
    ("She fell on the 3rd of May.", [("3rd of May", P.DATE)]),
    ("Started in March 2021.", [("March 2021", P.DATE)]),
    ("seen on march third for a recheck", [("march third", P.DATE)]),
    ("Scheduled on 3/14 for imaging.", [("3/14", P.DATE)]),
    ("Labs 3/2: Na 131, K 4.0", [("3/2", P.DATE)]),
    ("works at northfield tool & die as a welder", [("northfield tool & die", P.EMPLOYER)]),
]

AGES = [
    ("A 92-year-old woman with dementia.", [("92", P.AGE)]),
    ("Patient is age 93 and lives alone.", [("93", P.AGE)]),
    ("Aged 101, she remains independent.", [("101", P.AGE)]),
    ("95 yo M with fever", [("95", P.AGE)]),
    ("a ninety-four year old man", [("ninety-four", P.AGE)]),
]

CONTACT = [
    ("Call (217) 555-0134 with results.", [("(217) 555-0134", P.PHONE)]),
    ("Cell: 217-555-0134", [("217-555-0134", P.PHONE)]),
    ("Phone 217.555.0134 ext 22", [("217.555.0134 ext 22", P.PHONE)]),
    ("Fax: (217) 555-0199", [("(217) 555-0199", P.FAX)]),
    ("Tel 217-555-0134, fax 217-555-0199", [("217-555-0134", P.PHONE), ("217-555-0199", P.FAX)]),
    ("Reach her at rwren@example.org for records.", [("rwren@example.org", P.EMAIL)]),
    (
        "Portal: https://portal.lakeviewhealth.org/p/88412",
        [("https://portal.lakeviewhealth.org/p/88412", P.URL)],
    ),
    ("Uploaded from 192.168.14.22 by the scanner.", [("192.168.14.22", P.IP)]),
    ("Device IP fe80::1ff:fe23:4567:890a logged.", [("fe80::1ff:fe23:4567:890a", P.IP)]),
    ("SSN: 219-09-9999", [("219-09-9999", P.SSN)]),
]

NUMBERS = [
    ("MRN: 12345678", [("12345678", P.MRN)]),
    ("MRN# 00-123-456", [("00-123-456", P.MRN)]),
    ("Med Rec No. 445566", [("445566", P.MRN)]),
    ("Medical record number 7781203 was verified.", [("7781203", P.MRN)]),
    ("Acct #: 55-9876-1", [("55-9876-1", P.ACCOUNT)]),
    ("Member ID: XYZ123456789", [("XYZ123456789", P.ACCOUNT)]),
    ("Policy number HP-7731-0042", [("HP-7731-0042", P.ACCOUNT)]),
    ("Health plan beneficiary number 1EG4TE5MK73", [("1EG4TE5MK73", P.ACCOUNT)]),
    ("DEA AB1234563 on file.", [("AB1234563", P.LICENSE)]),
    ("NPI: 1234567893", [("1234567893", P.LICENSE)]),
    ("State license no. MD-448812", [("MD-448812", P.LICENSE)]),
    ("DL: D1234-5678-901", [("D1234-5678-901", P.LICENSE)]),
    ("VIN 1HGCM82633A004352 in the crash report.", [("1HGCM82633A004352", P.VEHICLE)]),
    ("License plate 7ABC123 noted by EMS.", [("7ABC123", P.VEHICLE)]),
    ("Pacemaker serial PJN123456 interrogated.", [("PJN123456", P.DEVICE)]),
    ("Pump S/N: 4471-AB-09", [("4471-AB-09", P.DEVICE)]),
    ("Accession number 22-RAD-004512", [("22-RAD-004512", P.ID)]),
]

PLACES = [
    ("Lives at 123 Main Street, Apt 4 with her son.", [("123 Main Street, Apt 4", P.ADDRESS)]),
    ("Address: 4500 N. Oak Ridge Blvd Suite 210", [("4500 N. Oak Ridge Blvd Suite 210", P.ADDRESS)]),
    ("Mail to PO Box 881.", [("PO Box 881", P.ADDRESS)]),
    ("Springfield, IL 62704", [("Springfield", P.CITY), ("IL", P.STATE), ("62704", P.ZIP)]),
    (
        "Moved here from Bozeman, Montana 59715-1234.",
        [("Bozeman", P.CITY), ("Montana", P.STATE), ("59715-1234", P.ZIP)],
    ),
    ("He lives in Ithaca with his partner.", [("Ithaca", P.CITY)]),
    ("Transferred from Houston for ECMO.", [("Houston", P.CITY)]),
    ("Transferred from St. Mary's Hospital.", [("St. Mary's Hospital", P.ORGANIZATION)]),
    ("Follows at Mercy Medical Center.", [("Mercy Medical Center", P.ORGANIZATION)]),
    ("PCP at Lakeside Clinic.", [("Lakeside Clinic", P.ORGANIZATION)]),
    ("He works at Brightline Logistics as a driver.", [("Brightline Logistics", P.EMPLOYER)]),
    ("She is employed by Harlan County Schools.", [("Harlan County Schools", P.EMPLOYER)]),
    ("Employer: Kestrel Aerospace", [("Kestrel Aerospace", P.EMPLOYER)]),
]


@pytest.mark.parametrize(("text", "expected"), NAMES + DATES + AGES + CONTACT + NUMBERS + PLACES)
def test_finds(detector: PhiDetector, text: str, expected: list[tuple[str, PhiType | None]]) -> None:
    spans = detector.analyze(text)
    for substring, kind in expected:
        assert covered_by(spans, text, substring, kind), (substring, kind, spans)


# Lab slips: headers the generated lab reports print (tests/phi/test_lab_reports.py runs whole reports).
LAB_HEADERS = [
    ("Physician: Thornbury, Winifred MD    Acc No: A21-313758", [("A21-313758", P.ID)]),
    ("Acc No: A21-313758", [("A21-313758", P.ID)]),
    ("Accn #: 22-CH-0012345", [("22-CH-0012345", P.ID)]),
    ("Lab No. L2305151234", [("L2305151234", P.ID)]),
    ("Sample ID: 88-4410-2", [("88-4410-2", P.ID)]),
    (
        "ORDERED BY: AGATHA QUIROGA, MD               COLLECTED: 2023-02-22 21:19",
        [("AGATHA QUIROGA", P.CLINICIAN)],
    ),
    ("ORDERING PHYSICIAN: DR. AGATHA QUIROGA", [("AGATHA QUIROGA", P.CLINICIAN)]),
    ("VERIFIED BY: JONAS PELL", [("JONAS PELL", P.CLINICIAN)]),
    ("Results reviewed. AGATHA QUIROGA, MD", [("AGATHA QUIROGA", P.CLINICIAN)]),
    ("Physician: whitlock, Octavia MD", [("whitlock, Octavia", P.CLINICIAN)]),
    ("Name: hargreaves, Marguerite J.    DOB: 08/25/1971", [("hargreaves, Marguerite J", P.PATIENT)]),
]


@pytest.mark.parametrize(("text", "expected"), LAB_HEADERS)
def test_finds_on_lab_slips(
    detector: PhiDetector, text: str, expected: list[tuple[str, PhiType | None]]
) -> None:
    spans = detector.analyze(text)
    for substring, kind in expected:
        assert covered_by(spans, text, substring, kind), (substring, kind, spans)


# Upper-case clinical lines that look like "NAME, CREDENTIAL" or "LABEL: NAME".
CAPS_CLINICAL = ["XR CHEST, PA AND LATERAL", "CC: SHORTNESS OF BREATH", "ORDERED BY: ED TRIAGE PROTOCOL"]


@pytest.mark.parametrize("text", CAPS_CLINICAL)
def test_caps_clinical_lines_are_not_names(detector: PhiDetector, text: str) -> None:
    assert detector.analyze(text) == []
