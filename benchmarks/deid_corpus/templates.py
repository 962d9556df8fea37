"""Hand-written note templates. `{slot}` is filled by `slots.Profile.slot`; everything else is plain text.

TUNING templates are the ones the recognizers were tuned on; HOLDOUT templates are used only for the held-out
set, so a rule fitted to a template's wording shows up as a held-out miss.
"""

from __future__ import annotations

TUNING: list[tuple[str, str]] = [
    ("discharge_summary", """DISCHARGE SUMMARY
Patient: {pt}    {mrn}    DOB: {dob}
Admission date: {date}    Discharge date: {date}
Attending: {dr}
Facility: {hospital}

HISTORY OF PRESENT ILLNESS: {pt_title} is a {age} with {eponym} and CKD stage 3 who presented with dyspnea {duration}. Initial labs showed {lab} and {lab}. {vital}, {vital}.

HOSPITAL COURSE: Treated with {drug}. Repeat {lab} on {date}. Seen by cardiology ({dr2}), who recommended {drug}.
DIAGNOSES: {icd}, {icd}.
DISPOSITION: Home with {rel}. Follow up with {dr2} on {date}. Call {phone} with questions.
"""),
    ("discharge_summary", """HOSPITAL DISCHARGE SUMMARY - {hospital}
Name: {pt}  |  {mrn}  |  {account}
Admitted {date}, discharged {date}.

Brief history: {age} with a history of {eponym} diagnosed in {year}, admitted with sepsis. {vital}, {vital}, {score}.
Pertinent results: {lab}; {lab}; CT chest showed a {measure} nodule.
Discharge medications: {drug}; {drug}; {drug}.
Patient lives at {address} with {rel}.
Electronically signed by {dr} on {date}.
"""),
    ("radiology_report", """RADIOLOGY REPORT
Patient: {pt_caps}   {mrn}   DOB: {dob}
Exam: CT abdomen/pelvis with contrast   Date of service: {date}
Ordering provider: {dr2}
{other_id}

CLINICAL INDICATION: {age} with right lower quadrant pain {duration}.
COMPARISON: Prior study from {year}.
FINDINGS: There is a {measure} hypodense lesion in the liver. No free air. Appendix measures {measure}.
IMPRESSION: Findings most consistent with {eponym}. Recommend follow up imaging.
Interpreted by: {dr}
Report sent to {hospital2}, {fax}.
"""),
    ("radiology_report", """MRI BRAIN WITHOUT CONTRAST
{pt}, {mrn}
Study date: {date}. Referring physician: {dr2}.
History: {age} with new headaches and {sign} on exam.
Technique: multiplanar multisequence imaging. Scanner {device}. {other_id}.
Findings: Scattered T2 hyperintensities. No mass effect. Ventricles measure {measure}.
Impression: Chronic small vessel ischemic change. No acute infarct.
Dictated by {dr}; transcribed {date}.
"""),
    ("progress_note", """PROGRESS NOTE - INTERNAL MEDICINE
Date: {date}
S: {pt_title} reports feeling better today. Denies chest pain. Tolerating diet.
O: {vital}, {vital}, {vital}. Labs: {lab}, {lab}. {score}.
A/P: {age} with {eponym}, {icd}.
 1. Continue {drug}.
 2. Hold {drug} for now, recheck {lab} in the morning.
 3. Discussed plan with {rel} at bedside.
{dr}, hospitalist
"""),
    ("progress_note", """Progress Note
Pt: {pt}  {mrn}
Hospital day 4 at {hospital}.
Overnight events: none. {pt_last} slept well.
Exam: {vital}. Lungs clear. {sign} negative.
Assessment: {eponym}, stable. {score}.
Plan: continue {drug} {duration}; PT/OT; anticipate discharge on {date}.
Seen and examined with {dr2}. Signed: {dr}
"""),
    ("ed_note", """EMERGENCY DEPARTMENT NOTE
Arrival: {date} 14:32 via EMS
Patient: {pt}   DOB {dob}   {mrn}
Chief complaint: fall at home.
HPI: {age} who lives alone in {town_name} fell this morning. Found by neighbor. Took {drug} this morning.
PMH: {eponym}, hypertension ({icd}), atrial fibrillation.
Vitals: {vital}, {vital}, {vital}. {score}.
Labs: {lab}, {lab}.
Emergency contact: {rel_contact} {phone}
Disposition: admit to {hospital}. Discussed with {dr}.
"""),
    ("ed_note", """ED PROVIDER NOTE - {hospital}
{pt_title}, {age}, presents with chest pain {duration}.
Home address: {address}
Insurance: {account}   {ssn}
Social: works at {employer}. Former smoker, quit in {year}.
ROS negative except as above. {vital}, {vital}.
ECG: sinus rhythm. {lab}.
MDM: low risk, {score}. Discharged with {drug}.
Follow-up: {dr2}, {phone}.
Attending: {dr}
"""),
    ("referral_letter", """{hospital}
{street}
{city_line}
Tel {phone}    {fax}

{date}

Dear {dr2},

RE: {pt}, DOB {dob}, {mrn}

Thank you for seeing {pt_title}, a {age} with {eponym} whom I followed since {year}. Recent {lab} and {lab}. Current medications include {drug} and {drug}.
I would appreciate your opinion regarding further management. {pt_first} can be reached at {phone} or {email}.

Sincerely,
{dr}
cc: {nurse}
"""),
    ("referral_letter", """REFERRAL
To: {dr2}, Neurology, {hospital2}
From: {dr}, {hospital}
Date: {date}
Patient: {pt}    Date of birth: {dob}
Reason: progressive tremor, concern for {eponym}. {sign} positive on exam.
Meds: {drug}. Allergies: penicillin.
Insurance {account}.
Please contact our office at {phone}.
"""),
    ("nursing_note", """NURSING NOTE {date} 0700-1900
Patient {pt} resting in bed. {vital}, {vital}, {vital}.
{score}. Pain 3/10.
Administered {drug} as ordered. Foley catheter draining clear yellow urine.
{rel} visited and asked about discharge; phone {phone}.
Fall precautions in place. Bed alarm on.
{nurse}
"""),
    ("nursing_note", """Nursing shift summary - {hospital}
Pt: {pt_caps}    Room 412B    {mrn}    {other_id}
Assessment: alert and oriented x3. {vital}. Skin intact. {score}.
Meds given: {drug}; {drug}.
Pt states {rel} will pick him up tomorrow. Contact number {phone}.
Pacemaker {device} noted on chart.
Report given to oncoming nurse. {nurse}
"""),
    ("dictation", """this is {dr_spoken_lc} dictating a clinic note on patient {pt_spoken} date of birth {dob_lc}
the patient is a {age_lc} seen today on {spoken_date} for follow up of {eponym_lc}
he was started on {drug_lc} {duration_lc} ago and is doing well
{vital_lc} and {vital_lc}
his {rel_spoken} was present for the visit and she can be reached at {phone}
plan continue current medications and return in three months end of dictation
"""),
    ("dictation", """dictation for patient {pt_spoken} medical record number {mrn_lc}
history the patient is a {age_lc} with {eponym_lc} diagnosed in {year}
lives at {street_lc} in {town_name_lc} with {rel_spoken}
works at {employer_lc} as a machinist
exam {vital_lc} lungs clear {sign_lc} absent
labs {lab_lc}
assessment and plan stable continue {drug_lc} follow up with {dr_spoken_lc} on {spoken_date}
"""),
    ("discharge_summary", """DISCHARGE INSTRUCTIONS
Name: {pt}
You were treated at {hospital} from {date} to {date} for pneumonia.
Take {drug} {duration}. Take {drug}.
Your follow up appointment is with {dr2} on {date} at {hospital2}.
If you have questions call {phone}. Online portal: {url}
Your emergency contact on file: {rel_contact}, {phone}.
"""),
    ("progress_note", """CARDIOLOGY CLINIC NOTE
Patient name: {pt}   {mrn}   Visit: {date}
Referring: {dr2}
HPI: {age} with ischemic cardiomyopathy, {measure}, NYHA class II symptoms. Device check: ICD {device}, functioning normally.
Meds: {drug}, {drug}, {drug}.
Exam: {vital}, {vital}. JVP not elevated.
Data: {lab}. Echo {date} with {measure}.
Plan: uptitrate therapy. Return in 3 months. {dr}
"""),
    ("ed_note", """TRAUMA NOTE
Unknown patient later identified as {pt}, {age}.
Mechanism: MVC, restrained driver. Vehicle {vehicle}. Police report attached.
Arrived {date} by ground EMS from {town_state}.
Primary survey intact. {score}. {vital}, {vital}.
FAST negative. CT head negative.
Next of kin: {rel_contact}, reached at {phone}.
Trauma attending {dr}.
"""),
    ("progress_note", """ONCOLOGY FOLLOW-UP
{pt_title} returns for cycle 3 of ABVD for {eponym}.
Diagnosed {date}. PET on {date} showed {measure} residual mass.
{score}. {vital}, {vital}.
Labs today: {lab}, {lab}, {lab}.
Plan: proceed with chemotherapy. Continue {drug}.
Discussed with {rel} and patient. Next visit {date}.
{dr}
"""),
    ("referral_letter", """To whom it may concern,

{pt}, date of birth {dob}, has been under my care at {hospital} since {year}. {pt_title} has {eponym} and requires assistance at home.
{pt_title} lives at {address}. Please direct correspondence to {email} or {fax}.

{dr}
{license}
"""),
    ("nursing_note", """HOME HEALTH NURSING VISIT
Client: {pt}   {mrn}   Visit date: {date}
Address: {address}
Client is a {age} living with {rel}. {vital}, {vital}.
Medication reconciliation: {drug}; {drug}.
Wound measures {measure}, {score}.
Caregiver contact {phone}. Next visit scheduled {date}.
Nurse: {nurse}
"""),
    ("discharge_summary", """OPERATIVE SUMMARY AND DISCHARGE
Patient: {pt}   {mrn}   DOS: {date}
Surgeon: {dr}    Assistant: {dr2}
Procedure: laparoscopic cholecystectomy for {eponym}.
Implant: none. Drain removed {date}.
Post-op course unremarkable. {vital}. {lab}.
Discharged to {town_name} with {rel}.
"""),
    ("radiology_report", """CHEST X-RAY 2 VIEWS
Name: {pt_caps}    DOB: {dob}    {mrn}    Exam date: {date}
Indication: cough {duration}, {age}.
Findings: Heart size normal. {measure} opacity in the left lower lobe. No effusion.
Impression: left lower lobe pneumonia.
Electronically signed: {dr} {date}
Images stored at {url} (workstation {ip}). {other_id}
"""),
    ("ed_note", """ED TRIAGE
{date} 02:14  {pt}  {age}  {mrn}
CC: shortness of breath {duration}.
{vital} {vital} {vital}
Hx: {eponym}, COPD ({icd}).
Meds: {drug}
Pt states she lives at {street} and her {rel} brought her in.
Triage RN: {nurse}
"""),
    ("progress_note", """PSYCHIATRY CONSULT
Reason: depression. Requested by {dr2}.
ID: {pt}, {age}, employed by {employer}, lives in {town_name}.
HPI: low mood {duration}. {score}. Denies SI.
PMH: {eponym}. Meds: {drug}.
MSE: calm, cooperative, linear.
Plan: start {drug}. Follow up in clinic. Collateral from {rel}, {phone}.
{dr}
"""),
    ("nursing_note", """Telephone encounter {date}
Caller: {rel_contact}
Regarding: {pt}, {mrn}, DOB {dob}
Concern: increased confusion {duration}. Takes {drug}.
Advised ED evaluation at {hospital}. Call back number {phone}.
{nurse}
"""),
    ("discharge_summary", """DEATH SUMMARY
Patient: {pt}    {mrn}    Age: {age_old}
Date of admission: {date}. Date of death: {date}.
{pt_title} was a {age_old} with {eponym} and {eponym} admitted from {hospital2} with aspiration pneumonia.
Despite treatment with {drug}, {pt_last} declined. Family, including {rel}, at bedside.
Pronounced by {dr}.
"""),
    ("referral_letter", """INSURANCE PRIOR AUTHORIZATION
Member: {pt}   {account}   {ssn}
Provider: {dr}   {license}
Diagnosis: {eponym} ({icd}).
Requested: {drug} {duration}.
Clinical: {lab}; {score}.
Submit to fax {fax_value}. Contact {email}.
"""),
    ("progress_note", """Pediatric well visit {date}
Patient: {pt}   DOB: {dob}
Birth history: term, {score}.
Parents: {rel_contact}, {phone}. Lives at {address}.
Growth: weight 50th percentile. Development normal.
Assessment: healthy child. {eponym} screening negative.
{dr}
"""),
    ("ed_note", """CODE NOTE
{date} 03:12 - Code blue called for {pt}, {mrn}, {age_old}.
Initial rhythm PEA. CPR initiated. Epinephrine 1 mg IV x 3. {lab}.
ROSC after 12 minutes. {vital}. Transferred to ICU.
{rel} notified by phone at {phone} by {dr}.
"""),
    ("nursing_note", """DISCHARGE CHECKLIST
Patient: {pt_title}   Room 3W-12
Ride home: {rel}, vehicle {vehicle}
Home: {address}
Equipment: oxygen concentrator {device}
Medications reviewed: {drug}, {drug}.
Follow-up with {dr2} on {date}.
"""),
]

HOLDOUT: list[tuple[str, str]] = [
    ("pathology_report", """SURGICAL PATHOLOGY REPORT
Patient: {pt}          {mrn}
Collected: {date}      Received: {date}
{other_id}
Submitting physician: {dr2}, {hospital}
SPECIMEN: Lymph node, excisional biopsy.
GROSS: {measure} tan node.
DIAGNOSIS: Classic {eponym}, nodular sclerosis type.
Pathologist: {dr}
"""),
    ("operative_note", """OPERATIVE NOTE
Date of surgery: {date}
Patient: {pt_caps}, {age}
Surgeon: {dr}; Anesthesia: {dr2}
Preoperative diagnosis: symptomatic bradycardia, {icd}.
Procedure: dual chamber pacemaker implantation; generator {device}.
Estimated blood loss minimal. {vital}.
The patient's {rel} was updated in the waiting room ({phone}).
"""),
    ("social_work_note", """SOCIAL WORK ASSESSMENT
{pt_title} ({pt}) is a {age} who resides at {address}. Previously employed by {employer}.
Supports: {rel_contact}, phone {phone}, and a neighbor.
Insurance: {account}. SSN on file: {ssn}.
Barriers: transportation; patient no longer drives (vehicle {vehicle} sold).
Plan: home health referral to {hospital2}.
"""),
    ("dictation", """ok this is a phone note on patient {pt_spoken} calling from {town_name_lc}
she says her {rel_spoken} noticed more confusion since {spoken_date}
she is a {age_lc} with {eponym_lc} on {drug_lc}
advised to come to the emergency department at {hospital_spoken}
signed {dr_spoken_lc}
"""),
    ("consult_note", """INFECTIOUS DISEASE CONSULT - {hospital}
Requesting: {dr2}. Date: {date}.
{pt}, {mrn}, {age}. Works at {employer}; travel to {town_state} {duration}.
Portal login from {ip}; contact {email}.
Cultures: {lab}. {vital}, {vital}.
Impression: {eponym}. Recommend {drug}.
{dr}
"""),
]
