"""Sentence splitting by the house rules: a sentence ends at . ! or ? (plus closing
quotes) when what follows can start a sentence. A colon never ends one."""
from __future__ import annotations

import re

_CLOSERS = "”’\"')"
_OPENERS = "“‘\"'([£€"
_END = re.compile(r"[.!?]+[%s]*(?=\s+[%s\d\w])" % (re.escape(_CLOSERS), re.escape(_OPENERS)))


def split_sentences(text: str) -> list[str]:
    """Split one paragraph into sentences, keeping quote marks with their sentence."""
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(text):
        rest = text[match.end():].lstrip()
        first = rest[:1]
        if not (first in _OPENERS or first.isdigit() or first.isupper()):
            continue
        sentences.append(text[start:match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences
