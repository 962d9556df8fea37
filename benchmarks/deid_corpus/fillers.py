"""Slot fillers for the synthetic notes: names, places, numbers, and clinical content that must survive.

These lists are the generator's own: the detector has no name list, and its city gazetteer holds large cities
while the towns here are small ones, so the evaluation measures the recognizers' patterns and context.
Each list is split in two (even / odd positions): the tuning set draws from one half, the held-out set
from the other, so a rule that memorised a corpus string would show up as a held-out miss.
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

FIRST_FEMALE = [
    "Adaeze",
    "Beatriz",
    "Caitlin",
    "Dolores",
    "Esperanza",
    "Fiona",
    "Gwendolyn",
    "Harriet",
    "Imogen",
    "Jolene",
    "Katarina",
    "Lorraine",
    "Marisol",
    "Nadia",
    "Ottilie",
    "Priscilla",
    "Rosalind",
    "Svetlana",
    "Theodora",
    "Ursula",
    "Valentina",
    "Wilhelmina",
    "Ximena",
    "Yolanda",
    "Zofia",
    "Annika",
    "Bernadette",
    "Cordelia",
    "Delphine",
    "Evangeline",
    "Francesca",
    "Giselle",
    "Henrietta",
    "Ingrid",
    "Juniper",
    "Kristiane",
    "Leonora",
    "Mirabel",
    "Noemi",
    "Oriana",
]
FIRST_MALE = [
    "Abelardo",
    "Bartholomew",
    "Cornelius",
    "Desmond",
    "Ezekiel",
    "Fitzgerald",
    "Gustavo",
    "Horatio",
    "Ignatius",
    "Jebediah",
    "Kwabena",
    "Leopold",
    "Mortimer",
    "Nikolai",
    "Oswaldo",
    "Percival",
    "Quentin",
    "Reginald",
    "Sebastiano",
    "Thaddeus",
    "Ulrich",
    "Vikram",
    "Wendell",
    "Xavier",
    "Yusuf",
    "Zebulon",
    "Anselm",
    "Benedikt",
    "Casimir",
    "Dashiell",
    "Emeric",
    "Florian",
    "Gideon",
    "Hamish",
    "Isidore",
    "Jaroslav",
    "Konstantin",
    "Lysander",
    "Matthias",
    "Nathaniel",
]
LAST = [
    "Abernathy",
    "Bergstrom",
    "Castellanos",
    "Dunleavy",
    "Eriksen",
    "Fairweather",
    "Gallagher",
    "Hollingsworth",
    "Iwasaki",
    "Jablonski",
    "Kowalczyk",
    "Lindqvist",
    "Montgomery",
    "Nakamura",
    "Okonkwo",
    "Pemberton",
    "Quintanilla",
    "Rasmussen",
    "Szczepanski",
    "Thistlewood",
    "Underhill",
    "Vanterpool",
    "Whitcombe",
    "Yamamoto",
    "Zielinski",
    "Achterberg",
    "Blackwood",
    "Cavanaugh",
    "Delacroix",
    "Etxeberria",
    "Fitzpatrick",
    "Grunewald",
    "Haverford",
    "Ibarguen",
    "Juarez-Mendoza",
    "Kettleborough",
    "Lombardo",
    "McAllister",
    "Novakovic",
    "O'Halloran",
    "Petrakis",
    "Rutherford",
    "Stavropoulos",
    "Tremblay",
    "Umberger",
    "Villanueva",
    "Wojcik",
    "Ashworth",
    "Brennan",
    "Chakraborty",
    "Dimitrov",
    "Esposito",
    "Falkenrath",
    "Gustafsson",
    "Hakimi",
    "Ivanova",
    "Jorgensen",
    "Kaczmarek",
    "Larkspur",
    "Mwangi",
]
# Small towns (none among the detector's large-city gazetteer), with state and a ZIP prefix.
TOWNS = [
    ("Bozeman", "MT", "Montana", "597"),
    ("Ithaca", "NY", "New York", "148"),
    ("Carbondale", "IL", "Illinois", "629"),
    ("Keene", "NH", "New Hampshire", "034"),
    ("Lewiston", "ME", "Maine", "042"),
    ("Marquette", "MI", "Michigan", "498"),
    ("Oshkosh", "WI", "Wisconsin", "549"),
    ("Ames", "IA", "Iowa", "500"),
    ("Hays", "KS", "Kansas", "676"),
    ("Laramie", "WY", "Wyoming", "820"),
    ("Bemidji", "MN", "Minnesota", "566"),
    ("Astoria", "OR", "Oregon", "971"),
    ("Walla Walla", "WA", "Washington", "993"),
    ("Prescott", "AZ", "Arizona", "863"),
    ("Taos", "NM", "New Mexico", "875"),
    ("Durango", "CO", "Colorado", "813"),
    ("Moab", "UT", "Utah", "845"),
    ("Elko", "NV", "Nevada", "898"),
    ("Eureka", "CA", "California", "955"),
    ("Paducah", "KY", "Kentucky", "420"),
    ("Natchez", "MS", "Mississippi", "391"),
    ("Dothan", "AL", "Alabama", "363"),
    ("Valdosta", "GA", "Georgia", "316"),
    ("Florence", "SC", "South Carolina", "295"),
    ("Boone", "NC", "North Carolina", "286"),
    ("Staunton", "VA", "Virginia", "244"),
    ("Frederick", "MD", "Maryland", "217"),
    ("Bangor", "ME", "Maine", "044"),
    ("Rutland", "VT", "Vermont", "057"),
    ("Pittsfield", "MA", "Massachusetts", "012"),
    ("Torrington", "CT", "Connecticut", "067"),
    ("Newport", "RI", "Rhode Island", "028"),
    ("Altoona", "PA", "Pennsylvania", "166"),
    ("Zanesville", "OH", "Ohio", "437"),
    ("Muncie", "IN", "Indiana", "473"),
    ("Joplin", "MO", "Missouri", "648"),
    ("Stillwater", "OK", "Oklahoma", "740"),
    ("Nacogdoches", "TX", "Texas", "759"),
    ("Ruston", "LA", "Louisiana", "712"),
    ("Conway", "AR", "Arkansas", "720"),
    ("Cookeville", "TN", "Tennessee", "385"),
    ("Morgantown", "WV", "West Virginia", "265"),
    ("Kearney", "NE", "Nebraska", "688"),
    ("Aberdeen", "SD", "South Dakota", "574"),
    ("Minot", "ND", "North Dakota", "587"),
    ("Pocatello", "ID", "Idaho", "832"),
    ("Kalispell", "MT", "Montana", "599"),
    ("Sitka", "AK", "Alaska", "998"),
    ("Hilo", "HI", "Hawaii", "967"),
    ("Grand Junction", "CO", "Colorado", "815"),
    ("Coeur d'Alene", "ID", "Idaho", "838"),
    ("Saint Cloud", "MN", "Minnesota", "563"),
]
STREET_WORDS = [
    "Maple",
    "Juniper",
    "Cobblestone",
    "Harrow",
    "Birchwood",
    "Old Mill",
    "Quarry",
    "Sycamore",
    "Wren",
    "Ridgeview",
    "Foxglove",
    "Larkin",
    "Pinecrest",
    "Tanager",
    "Kingfisher",
    "Meadowlark",
    "Copperfield",
    "Bramble",
    "Hawthorne",
    "Silverbell",
    "Orchard Hill",
    "Thornbury",
    "Elmstead",
    "Cinder",
    "Wintergreen",
    "Lantern",
    "Bluestem",
    "Ashgrove",
    "Dovetail",
    "Millbrook",
    "Crestline",
    "Stonegate",
]
STREET_SUFFIXES = [
    "Street",
    "St",
    "Avenue",
    "Ave",
    "Road",
    "Rd",
    "Lane",
    "Ln",
    "Drive",
    "Dr",
    "Court",
    "Ct",
    "Boulevard",
    "Blvd",
    "Way",
    "Place",
    "Terrace",
    "Circle",
    "Parkway",
    "Trail",
]
HOSPITAL_NAMES = [
    "Saint Agnes Hospital",
    "Riverbend Medical Center",
    "Cedar Valley Regional Hospital",
    "Harborview Clinic",
    "St. Brendan's Hospital",
    "Prairie Ridge Health Center",
    "Mount Carmel Infirmary",
    "Bluewater Family Clinic",
    "Good Shepherd Hospital",
    "Lakeshore Medical Center",
    "Willow Creek Clinic",
    "Sacred Heart Medical Center",
    "Pine Hollow Rehabilitation Center",
    "Northfield Community Hospital",
    "St. Elspeth's Hospital",
    "Copper Basin Medical Center",
    "Aspen Grove Clinic",
    "Ironwood Health System",
    "Fairhaven Nursing Home",
    "Three Rivers Hospital",
    "Mercy Lutheran Hospital",
    "Sandhill Urgent Care",
    "Valley Oaks Hospice",
    "Greystone Surgery Center",
    "Beacon Hill Medical Group",
    "Stonebridge Cancer Center",
    "Highland Park Hospital",
    "Evergreen Pediatrics",
    "Maplewood Dialysis Center",
    "Clearwater Imaging Center",
]
EMPLOYERS = [
    "Pinecrest Logistics",
    "Northfield Tool & Die",
    "Bluewater Foods",
    "Kestrel Aerospace",
    "Harlan County Schools",
    "Ridgeline Construction",
    "Tamarack Paper Mill",
    "Corvid Software",
    "Sundance Farms",
    "Halvorsen Trucking",
    "Ostrander Bakery",
    "Meridian Steelworks",
    "Lumen Insurance Group",
    "Whistler Rail Services",
    "Copperline Electric",
    "Brightwater Dairy",
    "Gannet Shipping",
    "Featherstone Books",
    "Ashby Plumbing",
    "Juniper Valley Vineyards",
    "Talbot Manufacturing",
    "Quarry Ridge Mining",
    "Osprey Airlines",
    "Driftwood Marina",
    "Larkfield Credit Union",
    "Stonehaven Hotel",
]
EMAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "proton.me", "comcast.net", "aol.com"]

# Clinical content, each piece annotated as a span the detector must leave alone.
EPONYMS = [
    "Parkinson's disease",
    "Hodgkin lymphoma",
    "Crohn's disease",
    "Graves' disease",
    "Alzheimer's dementia",
    "Cushing's syndrome",
    "Addison's disease",
    "Down syndrome",
    "Bell's palsy",
    "Guillain-Barre syndrome",
    "Hashimoto's thyroiditis",
    "Raynaud's phenomenon",
    "Kaposi sarcoma",
    "Wilson's disease",
    "Tourette syndrome",
    "Huntington's disease",
    "Sjogren's syndrome",
    "Barrett's esophagus",
    "Meniere's disease",
    "Paget's disease",
    "Wernicke encephalopathy",
    "Dupuytren's contracture",
    "Lyme disease",
    "Osgood-Schlatter disease",
]
EPONYM_SIGNS = [
    "Babinski sign",
    "Murphy's sign",
    "Homans' sign",
    "Kernig sign",
    "Romberg test",
    "Tinel's sign",
    "Phalen's test",
    "Trendelenburg gait",
    "McBurney's point tenderness",
]
DRUGS = [
    ("lisinopril", "10 mg daily"),
    ("metformin", "500 mg BID"),
    ("atorvastatin", "40 mg nightly"),
    ("apixaban", "5 mg twice daily"),
    ("furosemide", "40 mg IV BID"),
    ("levothyroxine", "75 mcg daily"),
    ("insulin glargine", "22 units at bedtime"),
    ("amlodipine", "5 mg daily"),
    ("sertraline", "50 mg daily"),
    ("gabapentin", "300 mg TID"),
    ("prednisone", "40 mg daily"),
    ("ceftriaxone", "1 g IV q24h"),
    ("vancomycin", "1.25 g IV q12h"),
    ("metoprolol succinate", "25 mg daily"),
    ("warfarin", "5 mg daily"),
    ("tamsulosin", "0.4 mg nightly"),
    ("carbidopa-levodopa", "25/100 mg TID"),
    ("Eliquis", "5 mg BID"),
    ("Lasix", "20 mg PO daily"),
    ("Zofran", "4 mg IV q6h PRN"),
    ("Tylenol", "650 mg q6h PRN"),
    ("oxycodone", "5 mg q4h PRN"),
    ("heparin", "5000 units subcut q8h"),
    ("pantoprazole", "40 mg daily"),
]
LABS = [
    "K 6.8 mmol/L (3.5-5.1)",
    "Na 128 mmol/L (135-145)",
    "Creatinine 2.4 mg/dL (0.6-1.2)",
    "BUN 48 mg/dL",
    "Hgb 8.1 g/dL",
    "WBC 14.2 K/uL",
    "Platelets 92 K/uL",
    "INR 2.8",
    "Troponin 0.42 ng/mL",
    "Lactate 3.1 mmol/L",
    "TSH 7.9 mIU/L",
    "HbA1c 9.4%",
    "Glucose 312 mg/dL",
    "ALT 88 U/L",
    "Bilirubin 2.3 mg/dL",
    "BNP 1240 pg/mL",
    "Ferritin 12 ng/mL",
    "Albumin 2.9 g/dL",
    "pH 7.29",
    "pCO2 52 mmHg",
    "LDL 162 mg/dL",
    "PSA 6.2 ng/mL",
]
VITALS = [
    "BP 140/90",
    "BP 98/62",
    "BP 172/104",
    "HR 88",
    "HR 112",
    "RR 16",
    "RR 24",
    "SpO2 94% on 2L NC",
    "T 38.6 C",
    "Temp 101.2 F",
    "Weight 82.4 kg",
    "BMI 31.2",
    "Pulse 56",
]
SCORES = [
    "GCS 15",
    "GCS 9",
    "NYHA III",
    "NYHA class II",
    "ASA 2",
    "ASA III",
    "MMSE 22/30",
    "Wells score 4.5",
    "CHA2DS2-VASc 4",
    "Apgar 8 and 9",
    "NIHSS 6",
    "PHQ-9 of 14",
    "Mallampati II",
    "ECOG 1",
    "Braden 14",
]
ICD = [
    "E11.9",
    "I10",
    "N18.3",
    "J44.1",
    "I48.91",
    "F32.1",
    "K21.9",
    "E78.5",
    "I50.22",
    "M54.5",
    "G20",
    "C81.90",
]
DURATIONS = [
    "for 2 weeks",
    "for 3 days",
    "for the past 6 months",
    "x 10 days",
    "over 48 hours",
    "for 1 year",
    "since last winter",
    "for several weeks",
]
MEASUREMENTS = [
    "2.3 x 1.8 cm",
    "4 mm",
    "12 x 9 x 7 mm",
    "ejection fraction of 35%",
    "1.2 cm nodule",
    "3.5 cm aneurysm",
    "LVEF 40-45%",
]
YEARS = ["2009", "2012", "2015", "2017", "2019", "2021"]


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One item."""
    return items[rng.randrange(len(items))]


def half(items: Sequence[T], holdout: bool) -> list[T]:
    """The tuning half (even positions) or the held-out half (odd positions) of a filler list."""
    return list(items[1::2] if holdout else items[0::2])


def digits(rng: random.Random, n: int) -> str:
    """n random digits."""
    return "".join(rng.choice(string.digits) for _ in range(n))


def letters(rng: random.Random, n: int) -> str:
    """n random upper-case letters."""
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(n))


def dea_number(rng: random.Random, last_name: str) -> str:
    """A DEA number with a valid check digit."""
    d = [int(c) for c in digits(rng, 6)]
    check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    return rng.choice("ABFM") + last_name[0].upper() + "".join(map(str, d)) + str(check)


def npi_number(rng: random.Random) -> str:
    """A 10-digit NPI with a valid Luhn check digit (prefix 80840)."""
    body = rng.choice("12") + digits(rng, 8)
    for check in range(10):
        candidate = body + str(check)
        total = 0
        for i, digit in enumerate(int(c) for c in reversed("80840" + candidate)):
            if i % 2 == 1:
                digit = digit * 2 - (9 if digit * 2 > 9 else 0)
            total += digit
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_number(rng: random.Random) -> str:
    """A 17-character VIN with a valid check digit."""
    chars = [rng.choice(_VIN_CHARS) for _ in range(17)]
    chars[0] = rng.choice("12345")
    check = sum(_VIN_VALUES[c] * w for c, w in zip(chars, _VIN_WEIGHTS, strict=True)) % 11
    chars[8] = "X" if check == 10 else str(check)
    return "".join(chars)
