"""Title matching: the same story named by two pages, however its quotes are typed."""
from __future__ import annotations

_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def title_key(title: str) -> str:
    return " ".join(title.translate(_FOLD).casefold().split())
