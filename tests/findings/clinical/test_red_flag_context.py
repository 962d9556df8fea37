"""ConText on red flags: negated, historical, hypothetical, family and uncertain mentions."""

from __future__ import annotations

import threading

import pytest

from multimed.findings.clinical import extract_conditions
from multimed.findings.draft import FindingDraft, Severity


def one(text: str, name: str) -> FindingDraft:
    found = [f for f in extract_conditions(text) if f.name == name]
    assert len(found) == 1, extract_conditions(text)
    return found[0]


NEGATED = [
    ("No pneumothorax.", "pneumothorax"),
    ("Patient denies chest pain.", "chest pain"),
    ("CTPA negative for PE.", "pulmonary embolism"),
    ("PE was ruled out.", "pulmonary embolism"),
    ("MI ruled out by serial troponins.", "myocardial infarction"),
    ("Ruled out for MI.", "myocardial infarction"),
    ("Neuro exam without facial droop or slurred speech.", "facial droop"),
    ("Neuro exam without facial droop or slurred speech.", "slurred speech"),
    ("Denies SI/HI.", "suicidal ideation"),
    ("No evidence of intracranial hemorrhage.", "intracranial hemorrhage"),
    ("She has not had any syncope.", "syncope"),
    ("Chest pain resolved after nitroglycerin.", "chest pain"),
    ("No melena or hematemesis.", "hematemesis"),
    ("Aortic dissection unlikely given normal mediastinum.", "aortic dissection"),
]


@pytest.mark.parametrize(("text", "name"), NEGATED)
def test_negated(text: str, name: str) -> None:
    finding = one(text, name)
    assert finding.negated is True
    assert finding.severity is Severity.NORMAL
    assert finding.details["status"] == "negated"
    assert finding.details["negated"] is True


HISTORICAL = [
    ("History of MI in 2015.", "myocardial infarction"),
    ("Prior stroke in 2015 with no residual deficit.", "stroke"),
    ("h/o PE, on apixaban.", "pulmonary embolism"),
    ("s/p STEMI with stent to the LAD.", "ST elevation myocardial infarction"),
    ("PMH: DKA, hypertension.", "diabetic ketoacidosis"),
    ("Previous suicide attempt at age 19.", "suicide attempt"),
    ("Had a seizure 3 years ago.", "seizure"),
    ("He had a stroke last year.", "stroke"),
    ("In the past she had a PE.", "pulmonary embolism"),
]


@pytest.mark.parametrize(("text", "name"), HISTORICAL)
def test_historical(text: str, name: str) -> None:
    finding = one(text, name)
    assert finding.severity is Severity.NORMAL
    assert finding.negated is False
    assert finding.details["status"] == "historical"
    assert finding.details["historical"] is True


HYPOTHETICAL = [
    ("Return if chest pain develops.", "chest pain"),
    ("If he develops chest pain, call 911.", "chest pain"),
    ("Return to the ED if facial droop or slurred speech occur.", "facial droop"),
    ("Should she have syncope again, return immediately.", "syncope"),
    ("Educated on warning signs of stroke.", "stroke"),
    ("Seizure precautions.", "seizure"),
    ("Stroke education given to the family.", "stroke"),
]


@pytest.mark.parametrize(("text", "name"), HYPOTHETICAL)
def test_hypothetical(text: str, name: str) -> None:
    finding = one(text, name)
    assert finding.severity is Severity.NORMAL
    assert finding.details["status"] == "hypothetical"
    assert finding.details["hypothetical"] is True


FAMILY = [
    ("Mother had a stroke.", "stroke"),
    ("Father died of an MI at 52.", "myocardial infarction"),
    ("Family history of aortic dissection.", "aortic dissection"),
    ("Brother with subarachnoid hemorrhage at 40.", "subarachnoid hemorrhage"),
    ("Stroke in his mother at age 60.", "stroke"),
]


@pytest.mark.parametrize(("text", "name"), FAMILY)
def test_family(text: str, name: str) -> None:
    finding = one(text, name)
    assert finding.severity is Severity.NORMAL
    assert finding.details["status"] == "family"
    assert finding.details["family"] is True


UNCERTAIN = [
    ("Possible PE.", "pulmonary embolism", Severity.CRITICAL),
    ("Rule out PE.", "pulmonary embolism", Severity.CRITICAL),
    ("r/o MI", "myocardial infarction", Severity.CRITICAL),
    ("Concern for sepsis.", "sepsis", Severity.CRITICAL),
    ("CT to evaluate for aortic dissection.", "aortic dissection", Severity.CRITICAL),
    ("Cannot rule out testicular torsion.", "testicular torsion", Severity.CRITICAL),
    ("Suspected ectopic pregnancy.", "ectopic pregnancy", Severity.CRITICAL),
    ("Probable syncope.", "syncope", Severity.ABNORMAL),
    ("?PTX on the lateral film.", "pneumothorax", Severity.CRITICAL),
]


@pytest.mark.parametrize(("text", "name", "severity"), UNCERTAIN)
def test_uncertain_keeps_the_rule_severity(text: str, name: str, severity: Severity) -> None:
    finding = one(text, name)
    assert finding.severity is severity
    assert finding.negated is False
    assert finding.details["status"] == "uncertain"
    assert finding.details["uncertain"] is True


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("HPI: crushing chest pain for two hours.", "chest pain"),  # history of present illness is current
        ("History of present illness: acute left hemiparesis.", "hemiparesis"),
        ("His wife noticed facial droop this morning.", "facial droop"),  # collateral history, not family
        ("Per daughter, he has been confused and had a syncopal episode.", "syncope"),
        ("67 year old man with chest pain.", "chest pain"),
        ("Pain-free prior to arrival, now with chest pain.", "chest pain"),
        ("Sepsis protocol initiated.", "sepsis"),
        ("c/o sob since this morning", "dyspnea"),
    ],
)
def test_current_mentions_are_not_mistaken_for_context(text: str, name: str) -> None:
    finding = one(text, name)
    assert finding.details["status"] == "affirmed"
    assert finding.severity is not Severity.NORMAL


def test_each_clause_keeps_its_own_context() -> None:
    text = (
        "He has chest pain but no pneumothorax. No fever, possible meningitis. History of MI, now with STEMI."
    )
    found = {(f.name, f.details["status"]) for f in extract_conditions(text)}
    assert found == {
        ("chest pain", "affirmed"),
        ("pneumothorax", "negated"),
        ("meningitis", "uncertain"),
        ("myocardial infarction", "historical"),
        ("ST elevation myocardial infarction", "affirmed"),
    }


def test_neck_stiffness_counts_as_meningitis_signs_only_with_affirmed_fever() -> None:
    assert one("Neck stiffness and fever.", "meningitis signs").severity is Severity.CRITICAL
    alone = one("Neck stiffness, no fever.", "neck stiffness")
    assert alone.severity is Severity.ABNORMAL
    assert [f.name for f in extract_conditions("Denies fever or neck stiffness.")] == ["neck stiffness"]


def test_dictation_transcript() -> None:
    text = (
        "This is a 71 year old man brought in by his wife. Patient denies chest pain. "
        "Blood pressure 182 over 124. His wife noticed a left facial droop and slurred speech "
        "at about 7 this morning. He has a history of stroke in 2015 and his mother had a stroke. "
        "No headache. We will rule out intracranial hemorrhage with a CT of the head. "
        "Return if symptoms worsen or if he develops chest pain."
    )
    found = [(f.name, f.details["status"], f.severity) for f in extract_conditions(text)]
    assert found == [
        ("chest pain", "negated", Severity.NORMAL),
        ("facial droop", "affirmed", Severity.CRITICAL),
        ("slurred speech", "affirmed", Severity.CRITICAL),
        ("stroke", "historical", Severity.NORMAL),
        ("stroke", "family", Severity.NORMAL),
        ("intracranial hemorrhage", "uncertain", Severity.CRITICAL),
        ("chest pain", "hypothetical", Severity.NORMAL),
    ]
    for finding in extract_conditions(text):
        quote = text[finding.start : finding.end]
        assert quote == quote.strip()
        assert str(finding.details["trigger"]) in quote


def test_note_style() -> None:
    text = (
        "CC: chest pain\n"
        "HPI: [PATIENT_1] is a 58F with sudden tearing chest pain radiating to the back.\n"
        "ROS: Denies syncope, hemoptysis, melena.\n"
        "PMH: HTN, prior PE (2019)\n"
        "FHx: father - MI at 50\n"
        "A/P: r/o aortic dissection - CTA chest now\n"
    )
    found = [(f.name, f.details["status"]) for f in extract_conditions(text)]
    assert found == [
        ("chest pain", "affirmed"),
        ("chest pain", "affirmed"),
        ("syncope", "negated"),
        ("hemoptysis", "negated"),
        ("melena", "negated"),
        ("pulmonary embolism", "historical"),
        ("myocardial infarction", "family"),
        ("aortic dissection", "uncertain"),
    ]
    first = extract_conditions(text)[0]
    assert text[first.start : first.end] == "CC: chest pain"


def test_threads_share_one_pipeline_and_get_the_same_answers() -> None:
    texts = [text for text, _ in NEGATED] + [text for text, _ in HISTORICAL]
    expected = {text: extract_conditions(text) for text in texts}
    results: dict[str, list[FindingDraft]] = {}
    errors: list[BaseException] = []

    def work(chunk: list[str]) -> None:
        try:
            for text in chunk * 3:
                results[text] = extract_conditions(text)
        except BaseException as error:  # re-raised in the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(texts[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == expected
