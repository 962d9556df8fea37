"""What a template's `{slot}` becomes: text segments, each PHI (with its type), clinical (labelled) or plain.

A profile fixes the people and places of one note; each slot call picks one of several printed forms.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from fillers import (
    DRUGS,
    DURATIONS,
    EMAIL_DOMAINS,
    EMPLOYERS,
    EPONYM_SIGNS,
    EPONYMS,
    FIRST_FEMALE,
    FIRST_MALE,
    HOSPITAL_NAMES,
    ICD,
    LABS,
    LAST,
    MEASUREMENTS,
    SCORES,
    STREET_SUFFIXES,
    STREET_WORDS,
    TOWNS,
    VITALS,
    YEARS,
    dea_number,
    digits,
    half,
    letters,
    npi_number,
    pick,
    vin_number,
)

Segment = tuple[str, str | None, str | None]  # (text, "phi" | "keep" | None, type or label)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ORDINAL_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
RELATIONS_F = ["wife", "daughter", "sister", "mother", "niece", "granddaughter"]
RELATIONS_M = ["husband", "son", "brother", "father", "nephew", "grandson"]
AGE_WORDS = {
    90: "ninety",
    91: "ninety-one",
    92: "ninety-two",
    93: "ninety-three",
    94: "ninety-four",
    95: "ninety-five",
    96: "ninety-six",
    97: "ninety-seven",
    98: "ninety-eight",
    99: "ninety-nine",
}


def phi(text: str, kind: str) -> Segment:
    return (text, "phi", kind)


def keep(text: str, label: str) -> Segment:
    return (text, "keep", label)


def plain(text: str) -> Segment:
    return (text, None, None)


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass
class Person:
    first: str
    last: str
    middle: str
    female: bool


class Profile:
    """The people, places and numbers of one note."""

    def __init__(self, rng: random.Random, holdout: bool) -> None:
        self.rng = rng
        firsts_f, firsts_m, lasts = (
            half(FIRST_FEMALE, holdout),
            half(FIRST_MALE, holdout),
            half(LAST, holdout),
        )

        def person() -> Person:
            female = rng.random() < 0.5
            return Person(
                pick(rng, firsts_f if female else firsts_m),
                pick(rng, lasts),
                pick(rng, "ABCDEFGHJKLMNPRSTW"),
                female,
            )

        self.patient = person()
        self.clinicians = [person() for _ in range(3)]
        self.relative = person()
        self.relative.last = self.patient.last if rng.random() < 0.6 else self.relative.last
        self.town = pick(rng, half(TOWNS, holdout))
        self.other_town = pick(rng, half(TOWNS, holdout))
        self.hospital_name = pick(rng, half(HOSPITAL_NAMES, holdout))
        self.other_hospital_name = pick(rng, half(HOSPITAL_NAMES, holdout))
        self.employer_name = pick(rng, half(EMPLOYERS, holdout))
        self.street_line = (
            f"{rng.randint(2, 9899)} {pick(rng, half(STREET_WORDS, holdout))} {pick(rng, STREET_SUFFIXES)}"
        )
        self.mrn_value = digits(rng, rng.choice([7, 8, 9]))
        self.old_age = rng.randint(90, 104)
        self.young_age = rng.randint(19, 88)

    # --- dates
    def date(self, *, year_from: int = 2015, year_to: int = 2025) -> list[Segment]:
        r = self.rng
        y, m, d = r.randint(year_from, year_to), r.randint(1, 12), r.randint(1, 28)
        month = MONTHS[m - 1]
        forms = [
            f"{m:02d}/{d:02d}/{y}",
            f"{m}/{d}/{y % 100:02d}",
            f"{y}-{m:02d}-{d:02d}",
            f"{month[:3]} {d} {y}",
            f"{month} {d}, {y}",
            f"{d} {month} {y}",
            f"{month} {ordinal(d)}",
            f"{d:02d}-{month[:3]}-{y}",
            f"{m:02d}/{y}",
            f"{month} {y}",
            f"{m}-{d}-{y}",
            f"{month[:3]}. {d}, {y}",
        ]
        form = r.randrange(len(forms) + 1)
        if form == len(forms):
            return [plain("the "), phi(f"{ordinal(d)} of {month}", "DATE")]
        return [phi(forms[form], "DATE")]

    def dob(self) -> list[Segment]:
        return self.date(year_from=1921, year_to=1975)

    def spoken_date(self) -> list[Segment]:
        m, d = self.rng.randint(1, 12), self.rng.randint(1, 20)
        month = MONTHS[m - 1].lower()
        return [
            phi(
                pick(self.rng, [f"{month} {ORDINAL_WORDS[d - 1]}", f"{month} {ordinal(d)}", f"{month} {d}"]),
                "DATE",
            )
        ]

    # --- people
    def _name(self, p: Person, kind: str) -> list[Segment]:
        form = self.rng.randrange(5)
        if form == 0:
            return [phi(f"{p.first} {p.last}", kind)]
        if form == 1:
            return [phi(f"{p.first} {p.middle}. {p.last}", kind)]
        if form == 2:
            return [phi(f"{p.last}, {p.first}", kind)]
        if form == 3:
            return [phi(f"{p.first[0]}. {p.last}", kind)]
        return [phi(f"{p.first} {p.last}", kind)]

    def pt(self) -> list[Segment]:
        return self._name(self.patient, "PATIENT")

    def pt_first(self) -> list[Segment]:
        return [phi(self.patient.first, "PATIENT")]

    def pt_last(self) -> list[Segment]:
        return [phi(self.patient.last, "PATIENT")]

    def pt_title(self) -> list[Segment]:
        return [plain("Mrs. " if self.patient.female else "Mr. "), phi(self.patient.last, "PATIENT")]

    def pt_caps(self) -> list[Segment]:
        p = self.patient
        return [
            phi(
                pick(
                    self.rng, [f"{p.last.upper()}, {p.first.upper()}", f"{p.first.upper()} {p.last.upper()}"]
                ),
                "PATIENT",
            )
        ]

    def pt_spoken(self) -> list[Segment]:
        return [phi(f"{self.patient.first} {self.patient.last}".lower(), "PATIENT")]

    def _clinician(self, i: int) -> list[Segment]:
        c = self.clinicians[i]
        form = self.rng.randrange(5)
        if form == 0:
            return [plain("Dr. "), phi(c.last, "CLINICIAN")]
        if form == 1:
            return [plain("Dr. "), phi(f"{c.first} {c.last}", "CLINICIAN")]
        if form == 2:
            return [phi(f"{c.first} {c.last}", "CLINICIAN"), plain(", MD")]
        if form == 3:
            return [
                phi(f"{c.first} {c.middle}. {c.last}", "CLINICIAN"),
                plain(", " + pick(self.rng, ["MD", "DO"])),
            ]
        return [plain("Dr. "), phi(f"{c.first[0]}. {c.last}", "CLINICIAN")]

    def dr(self) -> list[Segment]:
        return self._clinician(0)

    def dr2(self) -> list[Segment]:
        return self._clinician(1)

    def dr_caps(self) -> list[Segment]:
        c = self.clinicians[0]
        return [phi(f"{c.last.upper()}, {c.first.upper()}", "CLINICIAN")]

    def dr_spoken(self) -> list[Segment]:
        return [plain(pick(self.rng, ["dr ", "doctor "])), phi(self.clinicians[0].last.lower(), "CLINICIAN")]

    def nurse(self) -> list[Segment]:
        c = self.clinicians[2]
        return [
            phi(f"{c.first} {c.last}", "CLINICIAN"),
            plain(pick(self.rng, [", RN", ", LPN", " RN", ", NP"])),
        ]

    def rel(self) -> list[Segment]:
        r = self.relative
        relation = pick(self.rng, RELATIONS_F if r.female else RELATIONS_M)
        name = pick(self.rng, [r.first, f"{r.first} {r.last}"])
        return [plain(f"{relation} "), phi(name, "RELATIVE")]

    def rel_contact(self) -> list[Segment]:
        r = self.relative
        relation = pick(self.rng, RELATIONS_F if r.female else RELATIONS_M)
        return [phi(f"{r.first} {r.last}", "RELATIVE"), plain(f" ({relation})")]

    def rel_spoken(self) -> list[Segment]:
        r = self.relative
        relation = pick(self.rng, RELATIONS_F if r.female else RELATIONS_M)
        return [plain(f"{relation} "), phi(r.first.lower(), "RELATIVE")]

    # --- ages
    def age_old(self) -> list[Segment]:
        n = self.old_age
        form = self.rng.randrange(6)
        if form == 0:
            return [phi(str(n), "AGE"), plain("-year-old")]
        if form == 1:
            return [plain("age "), phi(str(n), "AGE")]
        if form == 2:
            return [plain("aged "), phi(str(n), "AGE")]
        if form == 3:
            return [phi(str(n), "AGE"), plain(" yo")]
        if form == 4 and n in AGE_WORDS:
            return [phi(AGE_WORDS[n], "AGE"), plain("-year-old")]
        return [phi(str(n), "AGE"), plain(" year old")]

    def age(self) -> list[Segment]:
        """Mostly ordinary ages (kept), sometimes one over 89."""
        if self.rng.random() < 0.35:
            return self.age_old()
        return [keep(f"{self.young_age}-year-old", "age<=89")]

    # --- contact and numbers
    def phone(self) -> list[Segment]:
        a, b, c = self.rng.randint(201, 989), self.rng.randint(201, 989), digits(self.rng, 4)
        return [
            phi(
                pick(
                    self.rng,
                    [f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a}-{b}-{c}", f"({a}){b}-{c}"],
                ),
                "PHONE",
            )
        ]

    def fax(self) -> list[Segment]:
        a, b, c = self.rng.randint(201, 989), self.rng.randint(201, 989), digits(self.rng, 4)
        return [plain(pick(self.rng, ["Fax: ", "fax ", "Fax # ", "F: "])), phi(f"({a}) {b}-{c}", "FAX")]

    def fax_value(self) -> list[Segment]:
        return self.fax()[1:]

    def email(self) -> list[Segment]:
        p = self.patient
        user = pick(
            self.rng, [f"{p.first[0]}{p.last}", f"{p.first}.{p.last}", f"{p.last}{digits(self.rng, 2)}"]
        )
        return [phi(f"{user.lower().replace(chr(39), '')}@{pick(self.rng, EMAIL_DOMAINS)}", "EMAIL")]

    def url(self) -> list[Segment]:
        host = self.hospital_name.split()[0].lower().replace("'", "").replace(".", "")
        return [
            phi(
                pick(
                    self.rng,
                    [
                        f"https://portal.{host}health.org/patient/{digits(self.rng, 6)}",
                        f"www.{host}clinic.com/records?id={digits(self.rng, 5)}",
                        f"http://{host}.net/u/{letters(self.rng, 3).lower()}{digits(self.rng, 4)}",
                    ],
                ),
                "URL",
            )
        ]

    def ip(self) -> list[Segment]:
        r = self.rng
        if r.random() < 0.7:
            return [
                phi(f"{r.randint(10, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}", "IP")
            ]
        groups = [f"{r.randint(0, 65535):x}" for _ in range(8)]
        return [phi(":".join(groups) if r.random() < 0.5 else "fe80::" + ":".join(groups[:4]), "IP")]

    def ssn(self) -> list[Segment]:
        area = self.rng.choice([n for n in range(101, 899) if n != 666])
        value = f"{area:03d}-{self.rng.randint(10, 99)}-{self.rng.randint(1000, 9999)}"
        return [plain(pick(self.rng, ["SSN: ", "SSN ", "Social Security #: "])), phi(value, "SSN")]

    def mrn(self) -> list[Segment]:
        v = self.mrn_value
        form = self.rng.randrange(6)
        if form == 0:
            return [plain("MRN: "), phi(v, "MRN")]
        if form == 1:
            return [plain("MRN# "), phi(f"{v[:2]}-{v[2:5]}-{v[5:]}", "MRN")]
        if form == 2:
            return [plain("Med Rec No. "), phi(v, "MRN")]
        if form == 3:
            return [plain("Medical record number "), phi(v, "MRN")]
        if form == 4:
            return [plain("MR#: "), phi(v, "MRN")]
        return [plain("Record number: "), phi(v, "MRN")]

    def account(self) -> list[Segment]:
        r = self.rng
        label, value = pick(
            r,
            [
                ("Acct #: ", f"{digits(r, 2)}-{digits(r, 4)}-{digits(r, 1)}"),
                ("Account number ", digits(r, 9)),
                ("Member ID: ", f"{letters(r, 3)}{digits(r, 9)}"),
                ("Policy number ", f"{letters(r, 2)}-{digits(r, 4)}-{digits(r, 4)}"),
                ("Health plan ID: ", f"{letters(r, 1)}{digits(r, 8)}"),
                (
                    "Medicare ID ",
                    f"{digits(r, 1)}{letters(r, 2)}{digits(r, 1)}-{letters(r, 2)}{digits(r, 1)}-"
                    f"{letters(r, 2)}{digits(r, 2)}",
                ),
                ("Medicaid #: ", digits(r, 10)),
                ("Subscriber ID ", f"{letters(r, 2)}{digits(r, 7)}"),
            ],
        )
        return [plain(label), phi(value, "ACCOUNT")]

    def license(self) -> list[Segment]:
        r = self.rng
        c = self.clinicians[0]
        label, value = pick(
            r,
            [
                ("DEA ", dea_number(r, c.last)),
                ("DEA#: ", dea_number(r, c.last)),
                ("NPI: ", npi_number(r)),
                ("NPI ", npi_number(r)),
                ("State license no. ", f"{letters(r, 2)}-{digits(r, 6)}"),
                ("Lic #: ", digits(r, 7)),
                ("Driver's license ", f"{letters(r, 1)}{digits(r, 8)}"),
            ],
        )
        return [plain(label), phi(value, "LICENSE")]

    def vehicle(self) -> list[Segment]:
        r = self.rng
        if r.random() < 0.5:
            return [plain(pick(r, ["VIN ", "VIN: ", "vehicle VIN "])), phi(vin_number(r), "VEHICLE")]
        plate = pick(
            r,
            [
                f"{digits(r, 1)}{letters(r, 3)}{digits(r, 3)}",
                f"{letters(r, 3)}-{digits(r, 4)}",
                f"{letters(r, 2)}{digits(r, 5)}",
            ],
        )
        return [plain(pick(r, ["license plate ", "plate number ", "Plate: "])), phi(plate, "VEHICLE")]

    def device(self) -> list[Segment]:
        r = self.rng
        label = pick(r, ["serial ", "S/N ", "serial number ", "SN: ", "device serial # "])
        value = pick(
            r,
            [
                f"{letters(r, 3)}{digits(r, 6)}",
                f"{digits(r, 4)}-{letters(r, 2)}-{digits(r, 2)}",
                f"{letters(r, 2)}{digits(r, 8)}",
            ],
        )
        return [plain(label), phi(value, "DEVICE")]

    def other_id(self) -> list[Segment]:
        r = self.rng
        label = pick(
            r, ["Accession number ", "Accession #: ", "Encounter ID: ", "Specimen ID ", "Case number "]
        )
        return [
            plain(label),
            phi(
                pick(
                    r,
                    [
                        f"{digits(r, 2)}-{letters(r, 3)}-{digits(r, 6)}",
                        digits(r, 10),
                        f"{letters(r, 1)}{digits(r, 8)}",
                    ],
                ),
                "ID",
            ),
        ]

    # --- places
    def street(self) -> list[Segment]:
        unit = pick(
            self.rng,
            [
                "",
                "",
                f", Apt {self.rng.randint(1, 40)}",
                f" Unit {self.rng.randint(1, 9)}{pick(self.rng, 'ABC')}",
                f", Suite {self.rng.randint(100, 450)}",
            ],
        )
        return [phi(self.street_line + unit, "ADDRESS")]

    def city_line(self) -> list[Segment]:
        town, abbr, state, zip3 = self.town
        zip_code = zip3 + digits(self.rng, 2) + (f"-{digits(self.rng, 4)}" if self.rng.random() < 0.3 else "")
        st = abbr if self.rng.random() < 0.75 else state
        return [phi(town, "CITY"), plain(", "), phi(st, "STATE"), plain(" "), phi(zip_code, "ZIP")]

    def address(self) -> list[Segment]:
        return [*self.street(), plain(", "), *self.city_line()]

    def town_name(self) -> list[Segment]:
        return [phi(self.town[0], "CITY")]

    def town_state(self) -> list[Segment]:
        town, abbr, _, _ = self.other_town
        return [phi(town, "CITY"), plain(", "), phi(abbr, "STATE")]

    def hospital(self) -> list[Segment]:
        return [phi(self.hospital_name, "ORGANIZATION")]

    def hospital2(self) -> list[Segment]:
        return [phi(self.other_hospital_name, "ORGANIZATION")]

    def hospital_spoken(self) -> list[Segment]:
        return [phi(self.hospital_name.lower(), "ORGANIZATION")]

    def employer(self) -> list[Segment]:
        return [phi(self.employer_name, "EMPLOYER")]

    # --- clinical content (kept)
    def eponym(self) -> list[Segment]:
        return [keep(pick(self.rng, EPONYMS), "eponym")]

    def sign(self) -> list[Segment]:
        return [keep(pick(self.rng, EPONYM_SIGNS), "eponym")]

    def drug(self) -> list[Segment]:
        name, dose = pick(self.rng, DRUGS)
        return [keep(f"{name} {dose}", "drug")]

    def lab(self) -> list[Segment]:
        return [keep(pick(self.rng, LABS), "lab")]

    def vital(self) -> list[Segment]:
        return [keep(pick(self.rng, VITALS), "vital")]

    def score(self) -> list[Segment]:
        return [keep(pick(self.rng, SCORES), "score")]

    def icd(self) -> list[Segment]:
        return [keep(pick(self.rng, ICD), "icd")]

    def duration(self) -> list[Segment]:
        return [keep(pick(self.rng, DURATIONS), "duration")]

    def measure(self) -> list[Segment]:
        return [keep(pick(self.rng, MEASUREMENTS), "measurement")]

    def year(self) -> list[Segment]:
        return [keep(pick(self.rng, YEARS), "year")]

    def slot(self, name: str) -> list[Segment]:
        """The segments for `{name}`; a `_lc` suffix lower-cases them (dictation)."""
        lower = name.endswith("_lc")
        method: Callable[[], list[Segment]] = getattr(self, name.removesuffix("_lc"))
        segments = method()
        return [(t.lower(), k, v) for t, k, v in segments] if lower else segments
