"""Clinical content that must survive: no span may touch any of it."""

from __future__ import annotations

import pytest

from multimed.ml.phi.base import PhiDetector

KEEP = [
    "History of Parkinson's disease on carbidopa-levodopa 25/100 mg TID.",
    "Hodgkin lymphoma in remission.",
    "Crohn's disease flare, started prednisone 40 mg daily.",
    "Graves' disease treated with methimazole.",
    "Babinski sign negative bilaterally.",
    "Alzheimer's dementia, MMSE 18/30.",
    "Cushing's syndrome workup pending.",
    "Addison's disease on hydrocortisone.",
    "Down syndrome with AV canal repair.",
    "Bell's palsy on the left.",
    "Apgar 8 and 9.",
    "K 6.8 mmol/L (3.5-5.1), Na 138, Creatinine 2.1 mg/dL.",
    "BP 140/90, HR 88, RR 16, SpO2 97% on 2L.",
    "GCS 15, NYHA III, ASA 2.",
    "Symptoms for 2 weeks.",
    "Diagnosed in 2019.",
    "Diagnoses: E11.9, I10, N18.3.",
    "Lisinopril 10 mg daily and metformin 500 mg BID.",
    "CLINICAL NOTE - INTERNAL MEDICINE",
    "HPI: cough and fever.",
    "Hgb 9.2 g/dL, WBC 11.4, platelets 250.",
    "Mass measures 2.3 x 1.8 cm.",
    "Pain 7/10, strength 5/5 in all extremities.",
    "A 67-year-old man with COPD.",
    "Patient denies chest pain.",
    "Foley catheter removed.",
    "Eliquis 5 mg twice daily.",
    # Aligned lab tables: "dL" of the unit is not a driver's-licence label for the range after it.
    "Glucose             182     H     mg/dL    70-99",
    "Hemoglobin          6.4     LL    g/dL     12.0-16.0",
]


@pytest.mark.parametrize("text", KEEP)
def test_no_span(detector: PhiDetector, text: str) -> None:
    assert detector.analyze(text) == []
