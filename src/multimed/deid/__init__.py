"""De-identification: policies, per-patient surrogates and date shifts, text and DICOM, the release gate."""
