"""The medspaCy pipeline for red flags: blank English tokenizer, pySBD sentences, TargetMatcher, ConText.

Built once per process. Measured here (2 cores, shared and busy): in a worker that has already imported
presidio for de-identification, importing this module takes ~2.8 s and building the pipeline ~0.7 s; in a
fresh process, spacy.blank() itself spends ~9 s because spaCy's plugin discovery imports presidio (and with it
torch and transformers). A 127-word dictation transcript (about a minute of speech) then takes 18-40 ms.
medspaCy's pySBD splitter is used rather than PyRuSH: PyRuSH took 3.7 s to load and kept "- r/o PE" and
"- hx MI 2015" (two note lines) in one sentence, letting one line's cue reach the other line's condition.
"""

from __future__ import annotations

import functools
import json
import threading
import warnings
from dataclasses import dataclass
from importlib import resources
from typing import Any

from multimed.findings.clinical.red_flag_rules import COMPANION, RED_FLAG, SHADOW, RuleBook, rule_book

with warnings.catch_warnings():
    # spaCy's CLI module (imported by medspaCy) uses a click API that click 8.2 deprecates.
    warnings.filterwarnings(
        "ignore", message="Importing 'parser.split_arg_string' is deprecated", category=DeprecationWarning
    )
    import spacy
    from medspacy.context import ConTextRule
    from medspacy.ner import TargetRule
    from spacy.language import Language

MODIFIERS_FILE = "context-modifiers.json"

# ConText categories as medspaCy names them.
NEGATED = "NEGATED_EXISTENCE"
UNCERTAIN = "POSSIBLE_EXISTENCE"
HISTORICAL = "HISTORICAL"
HYPOTHETICAL = "HYPOTHETICAL"
FAMILY = "FAMILY"
CATEGORIES = (NEGATED, UNCERTAIN, HISTORICAL, HYPOTHETICAL, FAMILY)


@dataclass(frozen=True)
class RedFlagPipeline:
    """The spaCy pipeline and the lock that serializes calls to it.

    spaCy and medspaCy make no promise that one Language object may process two texts at once (the tokenizer
    cache and the string store are shared and mutable), so calls take turns; a call costs milliseconds.
    """

    nlp: Language
    rules: RuleBook
    lock: threading.Lock


def _target_rules(book: RuleBook) -> list[TargetRule]:
    built: list[TargetRule] = []
    for index, rule in enumerate(book.red_flags):
        meta = {"rule": index}
        built += [TargetRule(phrase, RED_FLAG, metadata=meta) for phrase in rule.phrases]
        built += [
            TargetRule(rule.outcome.name, RED_FLAG, pattern=regex, metadata=meta) for regex in rule.regexes
        ]
        built += [
            TargetRule(rule.outcome.name, RED_FLAG, pattern=list(tokens), metadata=meta)
            for tokens in rule.token_patterns
        ]
    for name, phrases in book.companions.items():
        built += [TargetRule(phrase, COMPANION, metadata={"companion": name}) for phrase in phrases]
    built += [TargetRule(phrase, SHADOW) for phrase in book.shadows]
    return built


def _modifier_rules() -> list[Any]:
    text = resources.files(__package__).joinpath("data", MODIFIERS_FILE).read_text(encoding="utf-8")
    return [ConTextRule.from_dict(item) for item in json.loads(text)["context_rules"]]


@functools.cache
def red_flag_pipeline() -> RedFlagPipeline:
    """The pipeline, built on first use and shared by every thread of the process."""
    book = rule_book()
    nlp = spacy.blank("en")
    nlp.add_pipe("medspacy_pysbd")
    # add_pipe is typed as returning a plain callable; these are medspaCy's component objects.
    matcher: Any = nlp.add_pipe("medspacy_target_matcher")
    # A cue of another category closes a cue's scope, so "no fever, possible meningitis" leaves meningitis
    # uncertain rather than negated: each cue governs its own clause.
    context: Any = nlp.add_pipe("medspacy_context", config={"rules": None})
    # Set after construction: spaCy's config validation turns the lists into one-shot iterators.
    context.terminating_types = {
        category: [other for other in CATEGORIES if other != category] for category in CATEGORIES
    }
    # medspaCy runs each phrase rule through `nlp` to tokenize it; with the pipes disabled only the tokenizer
    # sees the phrases, not the sentence splitter and matchers.
    with nlp.select_pipes(disable=nlp.pipe_names):
        matcher.add(_target_rules(book))
        context.add(_modifier_rules())
    return RedFlagPipeline(nlp=nlp, rules=book, lock=threading.Lock())
