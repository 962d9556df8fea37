"""Red-flag conditions: every rule fires on a current, affirmed mention, with its code, severity and span."""

from __future__ import annotations

import pytest

from multimed.findings.clinical import extract_conditions
from multimed.findings.clinical.red_flag_rules import parse_rules, red_flag_names, rule_book
from multimed.findings.draft import FindingDraft, FindingKind, Severity

# (sentence, finding name, trigger words): note style and dictation style mixed.
AFFIRMED = [
    ("54M presenting with substernal chest pain radiating to the left arm.", "chest pain", "chest pain"),
    ("CT head consistent with acute ischemic stroke.", "stroke", "ischemic stroke"),
    ("Dx: CVA", "stroke", "CVA"),
    ("Episode this morning consistent with TIA.", "transient ischemic attack", "TIA"),
    ("On exam there is a left facial droop.", "facial droop", "facial droop"),
    ("His speech is slurred.", "slurred speech", "speech is slurred"),
    ("She was slurring her words when the paramedics arrived.", "slurred speech", "slurring her words"),
    ("New right-sided weakness since 0800.", "hemiparesis", "right-sided weakness"),
    ("Dense left hemiparesis.", "hemiparesis", "hemiparesis"),
    ("He is aphasic.", "aphasia", "aphasic"),
    ("Meets criteria for sepsis, source likely urinary.", "sepsis", "sepsis"),
    ("Admitted to ICU with septic shock on norepinephrine.", "septic shock", "septic shock"),
    ("CXR shows a large right pneumothorax.", "pneumothorax", "pneumothorax"),
    ("Small apical PTX on the left.", "pneumothorax", "PTX"),
    ("CTPA confirms bilateral PE.", "pulmonary embolism", "PE"),
    ("Saddle pulmonary embolism on CT.", "pulmonary embolism", "pulmonary embolism"),
    ("Patient endorses SI with a plan.", "suicidal ideation", "SI"),
    ("He reports thoughts of killing himself.", "suicidal ideation", "thoughts of killing himself"),
    ("Brought in after a suicide attempt by overdose.", "suicide attempt", "suicide attempt"),
    ("Troponin rising, consistent with MI.", "myocardial infarction", "MI"),
    ("He is having a heart attack.", "myocardial infarction", "heart attack"),
    ("ECG shows inferior STEMI, cath lab activated.", "ST elevation myocardial infarction", "STEMI"),
    ("Admitted with NSTEMI.", "non-ST elevation myocardial infarction", "NSTEMI"),
    ("Working diagnosis ACS, started on heparin.", "acute coronary syndrome", "ACS"),
    ("Found down in cardiac arrest, ROSC after 10 minutes.", "cardiac arrest", "cardiac arrest"),
    ("CT angiogram shows a type A aortic dissection.", "aortic dissection", "type A aortic dissection"),
    ("CT head: large left intracerebral hemorrhage.", "intracranial hemorrhage", "intracerebral hemorrhage"),
    ("CT head shows ICH with midline shift.", "intracranial hemorrhage", "ICH"),
    ("Thunderclap headache; CT shows SAH.", "subarachnoid hemorrhage", "SAH"),
    ("Anaphylaxis after peanut exposure, given IM epinephrine.", "anaphylaxis", "Anaphylaxis"),
    ("Two days of hemoptysis.", "hemoptysis", "hemoptysis"),
    ("He has been coughing up blood since Monday.", "hemoptysis", "coughing up blood"),
    ("Admitted for upper GI bleed.", "gastrointestinal hemorrhage", "upper GI bleed"),
    ("Three episodes of coffee ground emesis today.", "hematemesis", "coffee ground emesis"),
    ("Black tarry stools for two days.", "melena", "Black tarry stools"),
    ("Reports melena.", "melena", "melena"),
    ("Bright red blood per rectum this morning.", "hematochezia", "Bright red blood per rectum"),
    ("MRI confirms cauda equina syndrome.", "cauda equina syndrome", "cauda equina syndrome"),
    ("Low back pain with saddle anesthesia.", "cauda equina signs", "saddle anesthesia"),
    ("LP consistent with bacterial meningitis.", "meningitis", "bacterial meningitis"),
    ("Fever, headache and neck stiffness since last night.", "meningitis signs", "neck stiffness"),
    ("Neck stiffness after sleeping awkwardly.", "neck stiffness", "Neck stiffness"),
    ("Meningismus on exam.", "meningitis signs", "Meningismus"),
    ("Glucose 540 with anion gap, in DKA.", "diabetic ketoacidosis", "DKA"),
    (
        "Arrived in respiratory distress with accessory muscle use.",
        "respiratory distress",
        "respiratory distress",
    ),
    ("Intubated for hypoxic respiratory failure.", "respiratory failure", "hypoxic respiratory failure"),
    ("Increasing SOB over three days.", "dyspnea", "SOB"),
    ("She gets short of breath walking to the mailbox.", "dyspnea", "short of breath"),
    ("Syncopal episode at church.", "syncope", "Syncopal episode"),
    ("He passed out while standing in line.", "syncope", "passed out"),
    ("Daughter brought him in for AMS.", "altered mental status", "AMS"),
    ("Altered mental status since yesterday.", "altered mental status", "Altered mental status"),
    ("Witnessed generalized seizure at home.", "seizure", "seizure"),
    ("Status epilepticus, loaded with levetiracetam.", "status epilepticus", "Status epilepticus"),
    ("Ultrasound consistent with testicular torsion.", "testicular torsion", "testicular torsion"),
    (
        "Positive hCG, ultrasound shows ruptured ectopic pregnancy.",
        "ectopic pregnancy",
        "ruptured ectopic pregnancy",
    ),
]


def findings_named(text: str, name: str) -> list[FindingDraft]:
    return [f for f in extract_conditions(text) if f.name == name]


@pytest.mark.parametrize(("text", "name", "trigger"), AFFIRMED)
def test_every_red_flag_affirmed(text: str, name: str, trigger: str) -> None:
    found = findings_named(text, name)
    assert len(found) == 1, extract_conditions(text)
    finding = found[0]
    assert finding.kind is FindingKind.CONDITION
    assert finding.details["status"] == "affirmed"
    assert finding.negated is False
    assert finding.severity is not Severity.NORMAL
    assert trigger in text[finding.start : finding.end]
    assert finding.details["trigger"] == trigger
    assert (
        text[int(finding.details["trigger_start"] or 0) : int(finding.details["trigger_end"] or 0)] == trigger
    )


def test_the_table_covers_every_rule() -> None:
    assert {name for _, name, _ in AFFIRMED} == set(red_flag_names())


@pytest.mark.parametrize(
    ("name", "code", "severity"),
    [
        ("chest pain", "29857009", Severity.ABNORMAL),
        ("pulmonary embolism", "59282003", Severity.CRITICAL),
        ("stroke", "230690007", Severity.CRITICAL),
        ("facial droop", None, Severity.CRITICAL),
        ("syncope", "271594007", Severity.ABNORMAL),
    ],
)
def test_code_and_severity_come_from_the_rule(name: str, code: str | None, severity: Severity) -> None:
    text = next(sentence for sentence, rule, _ in AFFIRMED if rule == name)
    finding = findings_named(text, name)[0]
    assert (finding.code, finding.severity) == (code, severity)


@pytest.mark.parametrize(
    "text",
    [
        "PE: lungs clear, heart regular.",  # physical examination heading
        "Pain over the SI joint.",
        "Heat stroke last summer while hiking.",
        "Echo: stroke volume 70 mL.",
        "Septic arthritis of the knee was drained.",  # not sepsis
        "Frequent ectopic beats on telemetry.",
        "Patient seen by [CLINICIAN_1] on 03/04/2021.",
    ],
)
def test_look_alikes_are_not_red_flags(text: str) -> None:
    assert extract_conditions(text) == []


def test_span_is_the_stating_sentence_and_nothing_of_the_next_line() -> None:
    text = "HPI: crushing chest pain x 2 hours\nPMH: hypertension\nCXR:  small left PTX  \n"
    found = extract_conditions(text)
    assert [(f.name, text[f.start : f.end]) for f in found] == [
        ("chest pain", "HPI: crushing chest pain x 2 hours"),
        ("pneumothorax", "CXR:  small left PTX"),
    ]
    assert all(f.details["status"] == "affirmed" for f in found)


def test_surrogates_do_not_disturb_matching() -> None:
    text = "[PATIENT_1] ([MRN_2]) was seen by [CLINICIAN_1] on 2019-03-04 with facial droop and aphasia."
    assert [f.name for f in extract_conditions(text)] == ["facial droop", "aphasia"]


def test_the_same_condition_twice_in_one_sentence_is_one_finding() -> None:
    found = extract_conditions("PE on CT, large PE burden in both lungs.")
    assert [f.name for f in found] == ["pulmonary embolism"]


def test_empty_text() -> None:
    assert extract_conditions("") == []
    assert extract_conditions("   \n") == []


def test_a_rule_without_patterns_is_refused() -> None:
    spec = {"red_flags": [{"name": "x", "snomed": "", "severity": "CRITICAL"}]}
    with pytest.raises(ValueError, match="no pattern"):
        parse_rules(spec)


def test_a_rule_needing_an_unknown_companion_is_refused() -> None:
    spec = {
        "red_flags": [
            {
                "name": "x",
                "snomed": "",
                "severity": "CRITICAL",
                "phrases": ["x"],
                "requires": {
                    "companion": "nope",
                    "otherwise": {"name": "y", "snomed": "", "severity": "NORMAL"},
                },
            }
        ]
    }
    with pytest.raises(ValueError, match="unknown"):
        parse_rules(spec)


def test_packaged_rules_have_names_and_severities() -> None:
    for rule in rule_book().red_flags:
        assert rule.outcome.name
        assert rule.outcome.severity in (Severity.CRITICAL, Severity.ABNORMAL)
