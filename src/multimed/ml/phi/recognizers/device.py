"""Device identifiers and serial numbers: "S/N 4471-AB", "pacemaker serial PJN123456", UDI, IMEI."""

from __future__ import annotations

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.recognizers.identifier_grammar import SEP
from multimed.ml.phi.recognizers.regex_recognizer import RegexRecognizer, compile_rule

_LABEL = (
    r"(?i:\b(?:s/n|sn|serial(?:[ \t]+(?:number|no\.?|num|#))?|device[ \t]+(?:id|identifier|serial"
    r"(?:[ \t]+number)?)"
    r"|udi|unique[ \t]+device[ \t]+identifier|imei|mac[ \t]+address|model[ \t]*/[ \t]*serial)(?![a-z]))"
)
_VALUE = r"(?=[A-Za-z0-9()/.:-]*\d)[A-Za-z0-9(][A-Za-z0-9()/.:-]*[A-Za-z0-9)]"

RULES = (compile_rule("labelled", rf"{_LABEL}{SEP}(?P<phi>{_VALUE})(?![A-Za-z0-9])", PhiType.DEVICE, 0.9),)


class DeviceRecognizer(RegexRecognizer):
    """Values after a serial-number or device-identifier label."""

    def __init__(self) -> None:
        super().__init__(
            name="DeviceRecognizer",
            rules=RULES,
            context=["serial", "device", "pacemaker", "defibrillator", "icd", "pump", "implant"],
        )
