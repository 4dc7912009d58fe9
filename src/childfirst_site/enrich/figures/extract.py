"""Find the key figures in an article's body: percentages, counts of what the story is
about, money, ratios and fractions in words, and changes. Pure functions of text."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...model import Block
from ...sources.sentences import split_sentences
from . import rules
from .numbers import DIGITS, FRACTION, FRACTIONS, NUMBER_OR_WORD, SCALES, WORD_NUMBERS, fold, tidy, to_number

_CURRENCY = re.compile(rf"(?P<sym>[£€$])\s?(?P<num>{DIGITS})(?:\s?(?P<scale>million|billion|bn|m|k)\b)?")
_PERCENT = re.compile(rf"(?<![\w.,])(?P<num>{DIGITS})(?:\s?%|\s?per\s?cent\b|\s?percent\b)")
_RATIO = re.compile(rf"\b(?P<n>{NUMBER_OR_WORD})\s+(?:in|out of(?: the)?|of every)\s+(?P<m>{NUMBER_OR_WORD})\b",
                    re.IGNORECASE)
_FRACTION = re.compile(rf"\b(?P<frac>{FRACTION})\b", re.IGNORECASE)
_COUNT = re.compile(rf"(?<![\w£€$.,/\-])(?P<num>{DIGITS})(?:\s(?P<scale>million|billion|thousand)\b)?"
                    r"(?![\w%/\-]|\.\d|\s?per\s?cent|\s?percent)")
_WORD_MILLIONS = re.compile(rf"\b(?P<num>{NUMBER_OR_WORD})\s(?P<scale>million|billion)\b", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_ANY_DIGIT = re.compile(r"\d")
_WORD_BEFORE = re.compile(r"[\w'’:.-]+")
_WORD_AFTER = re.compile(r"[\w'’-]+")
_LETTERS = re.compile(r"[a-z]+")
# Every word that a number-word or fraction pattern needs at least one of.
_NUMBER_WORDS = frozenset(word for phrase in (*WORD_NUMBERS, *FRACTIONS) for word in _LETTERS.findall(phrase)
                          if word != "a")
# What a case-insensitive pattern's match must hold, folded: a sentence without it is not
# searched (most sentences hold no fraction and no "million": searching for them took 8 of
# the 23 µs of finding a sentence's figures, on the benchmark's posts).
_FRACTION_WORDS = tuple(sorted({re.split(r"[ -]", phrase)[-1] for phrase in FRACTIONS}))
_SCALE_WORDS = ("million", "billion")
# UK telephone numbers, written in groups ("01206 878178", "020 7664 3000", "+44 1206 878178").
_PHONE = re.compile(r"(?:\+44\s?\(?0?\)?|(?<![\d,.])0)\d{2,4}(?:[\s-]?\d{3,4}){1,2}\b")


@dataclass(frozen=True)
class Found:
    """One figure as written, before labelling."""

    value: str
    number: float | int
    unit: str
    qualifier: str | None
    sentence: str
    start: int   # offset of the value in the sentence
    end: int


def _has_number_word(text: str) -> bool:
    return not _NUMBER_WORDS.isdisjoint(_LETTERS.findall(fold(text)))


def may_hold_figures(text: str) -> bool:
    """False where no figure pattern can match: no digit and no number word. Most
    sentences, and most paragraphs, are so."""
    return _ANY_DIGIT.search(text) is not None or _has_number_word(text)


def body_sentences(blocks: list[Block]) -> list[tuple[int, str]]:
    """(block index, sentence) for paragraphs, quotes and list items, in order, leaving
    out the lines in which no figure can be found.

    Subheadings are not prose; the title, banner and related stories are not in `blocks`.
    Sentences split only between letter runs, so a line with no digit or number word
    holds no sentence with one: such lines are not split at all."""
    sentences: list[tuple[int, str]] = []
    for index, block in enumerate(blocks):
        if block.kind == "subheading":
            continue
        for line in block.lines:
            if may_hold_figures(line):
                sentences.extend((index, sentence) for sentence in split_sentences(line))
    return sentences


def _words_before(text: str, start: int, count: int) -> list[str]:
    return _WORD_BEFORE.findall(text[:start].lower())[-count:]


def _qualifier(sentence: str, start: int) -> str | None:
    before = sentence[:start].rstrip().lower()
    for qualifier in rules.QUALIFIERS:
        if before.endswith(qualifier) and (len(before) == len(qualifier) or not before[-len(qualifier) - 1].isalnum()):
            return qualifier
    return None


def _after(sentence: str, end: int, words: int = 3) -> str:
    return " ".join(_WORD_AFTER.findall(sentence[end:].lower())[:words])


def _is_time(after: str) -> bool:
    first = after.split(" ", 1)[0] if after else ""
    return first in rules.TIME_UNITS or first.startswith(("year", "-year"))


def _count_is_finding(sentence: str, match: re.Match[str], number: float) -> bool:
    raw = match.group("num")
    after = _after(sentence, match.end(), 3)
    before = _words_before(sentence, match.start(), 4)
    if _YEAR.match(raw) or raw.startswith("0"):
        return False  # a year, or a phone number
    if _is_time(after) or (after.split(" ", 1)[0] if after else "") in rules.MONTHS:
        return False
    if before and (before[-1] in rules.REFERENCE_WORDS or before[-1] in rules.MONTHS):
        return False
    if any(after.startswith(m) for m in rules.MULTIPLIER_AFTER):
        return False
    if any(after.startswith(noun) for noun in rules.SOURCE_NOUNS) or any(w in rules.SAMPLE_CUES for w in before):
        return False
    if not after:
        return False  # a bare number: nothing is counted
    if any(w in rules.ANECDOTE_WORDS for w in before):
        return False
    small = number < rules.SMALL_COUNT and not match.group("scale") and "," not in raw
    if small and not any(after.startswith(noun) for noun in rules.MEASURE_NOUNS):
        return False
    return True


def _fraction_is_finding(sentence: str, match: re.Match[str]) -> bool:
    after = _after(sentence, match.end(), 2)
    before = _words_before(sentence, match.start(), 2)
    if before and before[-1] in rules.FRACTION_ORDINAL_BEFORE:
        return False
    if _is_time(after) or any(after.startswith(t) for t in rules.FRACTION_TIME_AFTER):
        return False
    at_start = not sentence[: match.start()].strip() or _qualifier(sentence, match.start()) is not None \
        and not sentence[: match.start()].strip()[: -len(_qualifier(sentence, match.start()) or "")].strip()
    return after.startswith("of ") or after == "of" or (before and before[-1] in ("which", "than", "of")) \
        or _qualifier(sentence, match.start()) is not None or at_start


def find_figures(sentence: str) -> list[Found]:
    """Every key figure written in one sentence, in reading order."""
    found: list[Found] = []
    # Most sentences hold no digit, and then only the patterns with number words can
    # match; most hold no number word either. Skipping patterns that cannot match is
    # the same answer, sooner.
    has_digit = _ANY_DIGIT.search(sentence) is not None
    if not has_digit and not _has_number_word(sentence):   # may_hold_figures, the digit kept
        return found
    # Spans that are never figures; found figures are added as they are claimed.
    taken: list[tuple[int, int]] = [m.span() for m in _PHONE.finditer(sentence)] if has_digit else []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(start: int, end: int, number: float, unit: str) -> None:
        taken.append((start, end))
        found.append(Found(sentence[start:end], tidy(number), unit, _qualifier(sentence, start), sentence,
                           start, end))

    for match in _CURRENCY.finditer(sentence) if has_digit else ():
        if not free(match.start(), match.end()):
            continue
        number = to_number(match.group("num")) * SCALES.get((match.group("scale") or "").lower(), 1)
        unit = {"£": "currency_gbp", "€": "currency_eur", "$": "currency_usd"}[match.group("sym")]
        add(match.start(), match.end(), number, unit)
    for match in _PERCENT.finditer(sentence) if has_digit else ():
        if free(match.start(), match.end()):
            add(match.start(), match.end(), to_number(match.group("num")), "percent")
    for match in _RATIO.finditer(sentence):
        n, m = to_number(match.group("n")), to_number(match.group("m"))
        after = _after(sentence, match.end(), 1)
        if not free(match.start(), match.end()) or m <= 1 or n > m or _YEAR.match(match.group("m")) \
                or _is_time(after):
            continue
        add(match.start(), match.end(), n / m * 100, "ratio")
    folded = fold(sentence)
    if any(word in folded for word in _FRACTION_WORDS):
        for match in _FRACTION.finditer(sentence):
            if free(match.start(), match.end()) and _fraction_is_finding(sentence, match):
                add(match.start(), match.end(), FRACTIONS[fold(match.group("frac"))], "ratio")
    patterns = [_WORD_MILLIONS] if any(word in folded for word in _SCALE_WORDS) else []
    if has_digit:
        patterns.append(_COUNT)
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            if not free(match.start(), match.end()):
                continue
            number = to_number(match.group("num")) * SCALES.get(fold(match.group("scale") or ""), 1)
            if _count_is_finding(sentence, match, number):
                add(match.start(), match.end(), number, "count")
    return sorted(found, key=lambda f: f.start)
