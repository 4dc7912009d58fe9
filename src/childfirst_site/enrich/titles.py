"""Title matching: the same story named by two pages, however its quotes are typed."""
from __future__ import annotations

from functools import lru_cache

_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


@lru_cache(maxsize=1 << 16)   # each title is looked up by several stages of a build
def title_key(title: str) -> str:
    return " ".join(title.translate(_FOLD).casefold().split())
