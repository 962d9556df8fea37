"""Fake report headers (hospital, patient, MRN, DOB, physician, collection time, accession), three styles."""

from __future__ import annotations

import datetime as dt
import random

from factories.lab_reports.catalog import people
from factories.lab_reports.model import Header

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date(day: dt.date, style: int) -> str:
    if style == 0:
        return day.strftime("%m/%d/%Y")
    if style == 1:
        return day.isoformat()
    return f"{day.day:02d}-{_MONTHS[day.month - 1]}-{day.year}"


def _random_day(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    start = dt.date(first_year, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randrange(start, dt.date(last_year, 12, 31).toordinal()))


def make_header(rng: random.Random) -> tuple[Header, int]:
    """A header and its print style (0, 1 or 2)."""
    names = people()
    first, last = rng.choice(names["first_names"]), rng.choice(names["last_names"])
    doc_first = rng.choice([n for n in names["first_names"] if n != first])
    doc_last = rng.choice([n for n in names["last_names"] if n != last])
    middle = rng.choice(names["middle_initials"])
    style = rng.randrange(3)
    date_style = rng.randrange(3)
    collected_day = _random_day(rng, 2019, 2025)
    collected_date = _date(collected_day, date_style)
    time = f"{rng.randrange(0, 24):02d}:{rng.randrange(0, 60):02d}"
    mrn = str(rng.randrange(10**6, 10**9)).zfill(rng.choice((8, 9)))
    accession = rng.choice(
        (
            f"A{collected_day.year % 100:02d}-{rng.randrange(10**5, 10**6)}",
            f"{collected_day.year % 100:02d}-CH-{rng.randrange(10**6, 10**7):07d}",
            f"L{collected_day.strftime('%y%m%d')}{rng.randrange(1000, 9999)}",
        )
    )
    if style == 0:
        patient, physician = f"{last.upper()}, {first.upper()} {middle}", f"Dr. {doc_first} {doc_last}"
    elif style == 1:
        patient, physician = f"{first} {middle}. {last}", f"{doc_last}, {doc_first} MD"
    else:
        patient, physician = f"{last.upper()}, {first.upper()}", f"{doc_first.upper()} {doc_last.upper()}, MD"
    header = Header(
        hospital=rng.choice(names["hospitals"]),
        patient_first=first,
        patient_last=last,
        patient_printed=patient,
        mrn=mrn,
        dob=_date(_random_day(rng, 1930, 2004), date_style),
        physician_first=doc_first,
        physician_last=doc_last,
        physician_printed=physician,
        collected=f"{collected_date} {time}",
        collected_date=collected_date,
        accession=accession,
    )
    return header, style


def header_lines(header: Header, style: int, title: str, sex: str) -> list[str]:
    """The first lines of page 1."""
    if style == 0:
        return [
            header.hospital.upper(),
            title,
            f"{'Patient: ' + header.patient_printed:<44}MRN: {header.mrn}",
            f"{'DOB: ' + header.dob + '   Sex: ' + sex:<44}Accession: {header.accession}",
            f"Ordering Physician: {header.physician_printed}",
            f"Collected: {header.collected}",
        ]
    if style == 1:
        return [
            f"{header.hospital} - Laboratory Services",
            title.title(),
            f"Name: {header.patient_printed}    DOB: {header.dob}    MRN# {header.mrn}",
            f"Physician: {header.physician_printed}    Acc No: {header.accession}    Sex: {sex}",
            f"Specimen collected {header.collected}",
        ]
    return [
        header.hospital.upper(),
        title,
        f"{'PATIENT NAME: ' + header.patient_printed:<46}MEDICAL RECORD #: {header.mrn}",
        f"{'DATE OF BIRTH: ' + header.dob:<46}ACCESSION #: {header.accession}",
        f"{'ORDERED BY: ' + header.physician_printed:<46}COLLECTED: {header.collected}",
    ]


def continuation_lines(header: Header, page: int, pages: int) -> list[str]:
    """The running header of later pages (it repeats identifiers, as real reports do)."""
    return [f"{header.patient_printed}   MRN: {header.mrn}   (continued)   Page {page} of {pages}"]
