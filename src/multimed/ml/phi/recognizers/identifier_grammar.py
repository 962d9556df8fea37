"""How labelled record numbers are printed: "MRN: 12345678", "MRN# 00-123-456", "Acct #: 55-9876-1"."""

from __future__ import annotations

# Between a label and its value: spaces, then at most a colon, hash, "=", "is", "no." or "number".
SEP = r"[ \t]*(?:[:#=][ \t]*[:#]?|(?i:is|no\.?|number|num)\b[ \t]*[:#]?)?[ \t]*"
# A value with at least one digit: letters, digits and inner - . / separators.
VALUE = r"(?=[A-Za-z0-9./-]*\d)[A-Za-z0-9]+(?:[-./][A-Za-z0-9]+)*"
# Words that make a label a number label ("member ID", "policy no.", "account #").
MARKER = r"(?:[ \t]+(?i:id|identification|identifier|number|no\.?|num|#)(?![a-z]))"
END = r"(?![A-Za-z0-9])"


def labelled(label: str) -> str:
    """`label` then the separator then the value as the `phi` group."""
    return rf"{label}{SEP}(?P<phi>{VALUE}){END}"
