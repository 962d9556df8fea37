"""Account and health-plan numbers: account/acct #, member ID, policy number, Medicare/Medicaid IDs."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.recognizers.identifier_grammar import END, MARKER, VALUE, labelled
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

_NOUN = (
    r"(?:account|acct\.?|billing(?:[ \t]+account)?|health[ \t]+plan(?:[ \t]+(?:beneficiary|member))?"
    r"|insurance"
    r"|insurer|member(?:ship)?|subscriber|policy(?:[ \t]*holder)?|beneficiary|medicaid|medicare|group|claim"
    r"|plan|coverage|payer|guarantor)"
)

RULES = (
    compile_rule("marked", labelled(rf"(?i:\b{_NOUN}){MARKER}{{1,2}}"), PhiType.ACCOUNT, 0.9),
    compile_rule("colon", rf"(?i:\b{_NOUN})[ \t]*[:#][ \t]*(?P<phi>{VALUE}){END}", PhiType.ACCOUNT, 0.85),
    compile_rule(
        "bare",
        rf"(?i:\b(?:account|acct\.?|medicaid|medicare|policy|subscriber))[ \t]+(?P<phi>{VALUE}){END}",
        PhiType.ACCOUNT,
        0.6,
    ),
)


class AccountRecognizer(RegexRecognizer):
    """Values after an account or health-plan label."""

    def __init__(self) -> None:
        super().__init__(
            name="AccountRecognizer", rules=RULES, context=["account", "insurance", "member", "policy"]
        )

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """A value needs three digits ("Plan: 2 weeks" is not an account)."""
        value = match.group("phi")
        if sum(c.isdigit() for c in value) < 3 or len(value) < 4:
            return None
        return super().check(match, rule, text)
