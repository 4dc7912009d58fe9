"""Words for similarity: lower-cased, stop words removed, lightly stemmed."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache

import numpy as np

# Weighted term counts as scoring reads them: (keys, counts), little-endian int64 keys
# in ascending order and int32 counts. Each key is a 64-bit hash of its term: two of a
# site's ten thousand or so terms sharing one is a chance of about 1 in 10^11. Bytes,
# not a dict of strings: a large archive's cache holds millions of them, and bytes
# load and stack into a matrix at once.
TermCounts = tuple[bytes, bytes]

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off
on once only or other our ours ourselves out over own said same say says she should so some such than that the
their theirs them themselves then there these they this those through to too under until up very was we were what
when where which while who whom why will with would you your yours yourself yourselves one two three four five
six seven eight nine ten new last year years month months week weeks day days time many much make made may might
must per cent percent us within without according told added including however around across among being still
""".split())
_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")
_LONG_WORD = re.compile(r"[a-z][a-z'’-]+[a-z]")  # three letters or more


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix stripper: enough to meet "offences"/"offence", "grooming"/"groom"."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + replacement
    return word


def terms(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("’", "'"))
    return [stem(w.strip("'-")) for w in words if len(w) > 2 and w not in STOP_WORDS]


_EDGE_PUNCTUATION = "\"'“”‘’()[]{},.;:!?–—-…*_/"


def clean_token(token: str) -> str | None:
    """The stemmed term for one whitespace-separated token, or None if it is not one."""
    word = token.strip(_EDGE_PUNCTUATION).replace("’", "'")
    if len(word) < 3 or word in STOP_WORDS or not _LONG_WORD.fullmatch(word):
        return None
    return stem(word.strip("'-"))


class TermCounter:
    """Counts stemmed terms in texts. Tokens are split and counted in C, and each distinct
    token is cleaned once per counter, however many texts it appears in."""

    def __init__(self) -> None:
        self._terms: dict[str, str | None] = {}

    def counts(self, text: str, weight: int = 1, into: dict[str, int] | None = None) -> dict[str, int]:
        counts: dict[str, int] = {} if into is None else into
        known = self._terms
        for token, count in Counter(text.lower().split()).items():
            term = known.get(token, "")
            if term == "":
                term = known[token] = clean_token(token)
            if term is not None:
                counts[term] = counts.get(term, 0) + count * weight
        return counts


@lru_cache(maxsize=200_000)
def term_key(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little", signed=True)


def encode_counts(counts: dict[str, int]) -> TermCounts:
    keys = np.fromiter(map(term_key, counts), dtype="<i8", count=len(counts))
    order = np.argsort(keys, kind="stable")   # by key: the text matrix's columns are in key order
    return keys[order].tobytes(), np.fromiter(counts.values(), dtype="<i4", count=len(counts))[order].tobytes()
