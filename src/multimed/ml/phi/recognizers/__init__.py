"""The recognizers the Presidio engine runs: ours, one per file, and the Presidio ones that hold on notes."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer
from presidio_analyzer.predefined_recognizers import IpRecognizer, PhoneRecognizer, UsSsnRecognizer

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.account import AccountRecognizer
from multimed.ml.phi.recognizers.age import AgeOver89Recognizer
from multimed.ml.phi.recognizers.caps_header_name import CapsHeaderNameRecognizer
from multimed.ml.phi.recognizers.city import CityRecognizer
from multimed.ml.phi.recognizers.clinician_name import ClinicianNameRecognizer
from multimed.ml.phi.recognizers.date import ClinicalDateRecognizer
from multimed.ml.phi.recognizers.device import DeviceRecognizer
from multimed.ml.phi.recognizers.dictated_name import DictatedNameRecognizer
from multimed.ml.phi.recognizers.email import OfflineEmailRecognizer
from multimed.ml.phi.recognizers.employer import EmployerRecognizer
from multimed.ml.phi.recognizers.license import LicenseRecognizer
from multimed.ml.phi.recognizers.mrn import MrnRecognizer
from multimed.ml.phi.recognizers.organization import OrganizationRecognizer
from multimed.ml.phi.recognizers.other_id import OtherIdRecognizer
from multimed.ml.phi.recognizers.patient_name import PatientNameRecognizer
from multimed.ml.phi.recognizers.phone_fax import PhoneFaxRecognizer
from multimed.ml.phi.recognizers.relative_name import RelativeNameRecognizer
from multimed.ml.phi.recognizers.spacy_ner import ClinicalSpacyRecognizer
from multimed.ml.phi.recognizers.state import StateRecognizer
from multimed.ml.phi.recognizers.street_address import StreetAddressRecognizer
from multimed.ml.phi.recognizers.url import ClinicalUrlRecognizer
from multimed.ml.phi.recognizers.vehicle import VehicleRecognizer
from multimed.ml.phi.recognizers.zip_code import ZipCodeRecognizer

# Recognizers whose findings give way to a clinical term they overlap ("Parkinson's", "Bell's palsy").
WEAK_RECOGNIZERS = frozenset(
    {"SpacyRecognizer", "DictatedNameRecognizer", "CityRecognizer", "NamePropagation"}
)


def build_recognizers(lexicon: Lexicon) -> list[EntityRecognizer]:
    """Every recognizer, built once.

    Presidio's bank, driver's licence, passport, ITIN, NRP, crypto, IBAN, credit card and date recognizers are
    left out: on notes they mostly flag lab values, doses and durations.
    """
    return [
        ClinicalSpacyRecognizer(lexicon),
        PatientNameRecognizer(lexicon),
        ClinicianNameRecognizer(lexicon),
        RelativeNameRecognizer(lexicon),
        CapsHeaderNameRecognizer(lexicon),
        DictatedNameRecognizer(lexicon),
        ClinicalDateRecognizer(),
        AgeOver89Recognizer(),
        PhoneFaxRecognizer(),
        PhoneRecognizer(
            supported_entity=PhiType.PHONE.value,
            supported_regions=("US",),
            context=["phone", "telephone", "cell", "mobile", "call", "tel"],
        ),
        OfflineEmailRecognizer(),
        ClinicalUrlRecognizer(),
        IpRecognizer(supported_entity=PhiType.IP.value, context=["ip", "ipv4", "ipv6", "host", "server"]),
        UsSsnRecognizer(supported_entity=PhiType.SSN.value, context=["ssn", "social", "security", "ss#"]),
        MrnRecognizer(),
        AccountRecognizer(),
        LicenseRecognizer(),
        OtherIdRecognizer(),
        VehicleRecognizer(),
        DeviceRecognizer(),
        StreetAddressRecognizer(lexicon),
        CityRecognizer(lexicon),
        StateRecognizer(lexicon),
        ZipCodeRecognizer(lexicon),
        OrganizationRecognizer(lexicon),
        EmployerRecognizer(lexicon),
    ]
