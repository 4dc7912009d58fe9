"""Reading written numbers: digits with separators, number words, scales and fractions."""
from __future__ import annotations

import re

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
}
SCALES = {"thousand": 1_000, "k": 1_000, "million": 1_000_000, "m": 1_000_000, "billion": 1_000_000_000,
          "bn": 1_000_000_000}
FRACTIONS = {"half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 33.3, "one third": 33.3,
             "two thirds": 66.7, "two-thirds": 66.7, "a quarter": 25.0, "one quarter": 25.0,
             "three quarters": 75.0, "three-quarters": 75.0, "a fifth": 20.0, "one fifth": 20.0,
             "two fifths": 40.0, "a tenth": 10.0, "one tenth": 10.0}

DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
WORDS = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
NUMBER_OR_WORD = rf"(?:{DIGITS}|(?:{WORDS}))"
FRACTION = "|".join(sorted((re.escape(f) for f in FRACTIONS), key=len, reverse=True))


# Letters that case-insensitive patterns take for ASCII ones though lower() leaves them as
# they are (long s, dotless i) or makes two characters of them (capital dotted I). (The
# Kelvin sign, the only other, lower-cases to "k".)
_TO_ASCII = str.maketrans({"\u017f": "s", "\u0131": "i", "\u0130": "i"})


def fold(text: str) -> str:
    """Text lower-cased as case-insensitive patterns read it: "ſix" and "fıve" are the
    number words a pattern of them matches."""
    if "\u017f" in text or "\u0131" in text or "\u0130" in text:   # rare: translate() is slow
        text = text.translate(_TO_ASCII)
    return text.lower()


def to_number(text: str) -> float:
    """"1,220" → 1220, "nine" → 9, "59.9" → 59.9."""
    lowered = fold(text.strip())
    if lowered in WORD_NUMBERS:
        return float(WORD_NUMBERS[lowered])
    return float(lowered.replace(",", ""))


def tidy(number: float) -> float | int:
    """Whole numbers as int, others to one decimal place (the house precision)."""
    rounded = round(number, 1)
    return int(rounded) if rounded == int(rounded) else rounded
