"""A short label saying what a figure measures, and the period it covers, both taken
from the figure's own sentence."""
from __future__ import annotations

import re

from .extract import Found

# Where a clause ends, reading outwards from a figure.
_AFTER_END = re.compile(r"[;:!?]|\.(?:\s|$)|,\s(?=compared|meaning|making|while|whereas|with|from|and|but|an?\s|"
                        r"the\s|according|which|where|up\b)|\s[–—-]\s|\s(?=compared (?:to|with)\b)")
_BEFORE_START = re.compile(r"[;:!?“”\"]|\.(?:\s)|,\s|\s[–—-]\s")
_TRAILING = re.compile(r"(?:\s+(?:by|to|of|in|at|with|on|for|a|an|the|and|from))+\s*$", re.IGNORECASE)
# A clause after the figure that says when or how, not what: the label comes from before it.
_NOT_WHAT = re.compile(r"^(?:over the|in (?:the )?\w+ (?:years?|months?)|from|between|last|since|during|when|as|"
                       r"while|and|but|compared|because|after|before|to|by)\b", re.IGNORECASE)
_NEW_CLAUSE = re.compile(r"\s+and\s+(?=(?:the|it|they|he|she|this|that|its|their|we)\b)", re.IGNORECASE)
_COMPARED = re.compile(r"\s+compared (?:to|with)\s*$", re.IGNORECASE)
_PRONOUN_START = re.compile(r"^(?:this|that|it|they|these|those)\b", re.IGNORECASE)
MAX_LABEL_WORDS = 14

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_PERIODS = [re.compile(p) for p in (
    rf"\b{_MONTH} \d{{4}} (?:and|to) {_MONTH} \d{{4}}\b",
    rf"\b{_MONTH} \d{{4}}\b",
    r"\b(?:19|20)\d\d/\d\d\b",
    r"\b(?:the )?(?:first|last|previous|past) (?:\w+ )?(?:months?|years?|weeks?)(?: of [a-z]+)?\b",
    r"\bin (?:\w+ )?(?:months?|years?)\b",
    r"\b(?:last|this) year\b",
    r"\bsince (?:19|20)\d\d\b",
    r"\bin (?:19|20)\d\d\b",
)]


def _clip(words: str) -> str:
    parts = words.split()
    return " ".join(parts[:MAX_LABEL_WORDS]).rstrip(",") + (" …" if len(parts) > MAX_LABEL_WORDS else "")


def make_label(found: Found, previous: Found | None = None) -> str:
    """`previous` is the figure before this one in the same sentence, if any: a baseline
    ("37% … compared to 29%") is labelled by what it is compared with."""
    sentence = found.sentence
    after_text = sentence[found.end:]
    end = _AFTER_END.search(after_text)
    after = after_text[: end.start() if end else len(after_text)].strip(" ,.")
    after = _NEW_CLAUSE.split(after, maxsplit=1)[0]
    before_text = sentence[: found.start]
    if found.qualifier:
        before_text = before_text.rstrip()[: -len(found.qualifier)]
    starts = list(_BEFORE_START.finditer(before_text))
    before = before_text[starts[-1].end():] if starts else before_text
    if _PRONOUN_START.match(before.strip()):
        before = before_text  # "…, this more than doubled to 9%": the subject is earlier
    comparison = bool(_COMPARED.search(before))
    before = _TRAILING.sub("", _COMPARED.sub("", before.strip(" ,“”\""))).strip()
    after_says_what = bool(after) and not _NOT_WHAT.match(after)
    if after.lower().startswith("of ") and before.lower() not in ("of which", "which"):
        label = after
    elif before.lower() in ("", "only", "of which", "which") or (after_says_what and len(after.split()) >= 3):
        label = after or before
    elif after == "times":
        label = f"times {before}"
    else:
        label = before + (f" ({after})" if after_says_what else "")
    if comparison and previous is not None:
        return _clip(f"compared with {previous.value} {make_label(previous)}")
    return _clip(label)


def find_period(found: Found) -> str | None:
    """The time span the sentence gives, nearest to the figure."""
    best: tuple[int, str] | None = None
    for pattern in _PERIODS:
        for match in pattern.finditer(found.sentence):
            distance = abs(match.start() - found.end) if match.start() >= found.end else found.start - match.end()
            if best is None or distance < best[0]:
                best = (distance, match.group(0).replace(" and ", " to "))
        if best:
            return best[1]
    return None
