"""Clinicians: "Dr. Lee", "Attending: Sarah Lee", "signed by", "cc:", names before MD/RN/NP/PA."""

from __future__ import annotations

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.name_grammar import CREDENTIAL, DOCTOR, LABELLED_NAME, NAME, NameRecognizer
from multimed.ml.phi.recognizers.regex_recognizer import compile_rule

_ROLE = (
    r"(?i:\b(?:attending(?:[ \t]+(?:physician|of[ \t]+record))?|(?:electronically[ \t]+)?signed(?:[ \t]+by)?"
    r"|dictated(?:[ \t]+by)?|transcribed(?:[ \t]+by)?|cc|referring(?:[ \t]+(?:physician|provider|doctor|md))?"
    r"|pcp|primary[ \t]+care(?:[ \t]+(?:physician|provider|doctor))?|provider|physician|surgeon"
    r"|anesthesiologist"
    r"|radiologist|pathologist|resident|fellow|intern|nurse|rn|np|pa|consultant|consulting"
    r"(?:[ \t]+physician)?"
    r"|interpreted(?:[ \t]+by)?|read[ \t]+by|reviewed[ \t]+by|verified[ \t]+by|author|ordering"
    r"(?:[ \t]+provider)?"
    r"|ordered[ \t]+by|referred[ \t]+by|seen[ \t]+by|discussed[ \t]+with|evaluated[ \t]+by|examined[ \t]+by"
    r"|covering(?:[ \t]+physician)?|on[- ]call|case[ \t]+manager|social[ \t]+worker|therapist|pharmacist"
    r"|midwife|hospitalist|oncologist|cardiologist|nephrologist|neurologist|psychiatrist|dentist)\b)"
)

RULES = (
    compile_rule(
        "doctor title", rf"{DOCTOR}[ \t]*(?P<phi>{NAME})", PhiType.CLINICIAN, 0.9, strong_trigger=True
    ),
    compile_rule(
        "role label",
        rf"{_ROLE}[ \t]*[:#][ \t]*(?:{DOCTOR}[ \t]*)?(?P<phi>{LABELLED_NAME})",
        PhiType.CLINICIAN,
        0.9,
        strong_trigger=True,
    ),
    compile_rule("role word", rf"{_ROLE}[ \t]+(?P<phi>{NAME})", PhiType.CLINICIAN, 0.8),
    compile_rule(
        "credential", rf"(?P<phi>{NAME})[ \t]*,?[ \t]*{CREDENTIAL}(?![ \t]*\d{{5}})", PhiType.CLINICIAN, 0.9
    ),
)


class ClinicianNameRecognizer(NameRecognizer):
    """Names the context marks as a physician's, nurse's or other clinician's."""

    def __init__(self, lexicon: Lexicon) -> None:
        super().__init__(name="ClinicianNameRecognizer", rules=RULES, lexicon=lexicon)
