"""Patient failures."""

from multimed.core.errors import InvalidInput, NotFound


class InvalidMrn(InvalidInput):
    code = "invalid_mrn"

    def __init__(self) -> None:
        super().__init__("patient MRN must be 1-64 letters or digits (spaces, '-', '.' and '/' are ignored)")


class PatientNotFound(NotFound):
    code = "patient_not_found"

    def __init__(self) -> None:
        super().__init__("patient not found")
