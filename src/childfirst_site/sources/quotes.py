"""Find quotations in body paragraphs and who said them.

A quotation opens a paragraph ("“Through this survey…") or follows a lead that names
its speaker ("Andy Burrows, NSPCC Head of Child Safety Online Policy, said: “…").
It may run over several paragraphs: while a “ is left unclosed, the next paragraph
that opens with “ continues it. A pronoun in a trailing attribution ("…,” he added.)
refers to the last named speaker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Quote

_VERBS = r"(?:said|says|added|adds|explained|explains|warned|warns|commented|comments|stated|states|" \
         r"concluded|concludes|continued|continues|noted|notes|argued|argues|told\s+[^:“\"]{1,60}?)"
_LEAD = re.compile(r"^(?P<who>.{2,160}?),?\s+" + _VERBS + r"\s*[:,]?\s*$")
_TRAIL = re.compile(r"[”\"]\s*,?\s*(?:(?P<who>[^,.”“\"]{1,80}?)\s+" + _VERBS.replace("told\\s+[^:“\\\"]{1,60}?", "told")
                    + r"\b|(?:said|says|added|adds)\s+(?P<who2>[^,.]{2,80}))")
_PRONOUNS = {"he", "she", "they", "it", "we"}
OPEN_MARKS = "“\""
CLOSE_MARKS = "”\""


@dataclass
class _Open:
    speaker: str | None
    parts: list[str] = field(default_factory=list)
    paragraphs: list[int] = field(default_factory=list)


def _unclosed(text: str) -> bool:
    return text.count("“") > text.count("”")


def _trailing_speaker(text: str) -> str | None:
    match = _TRAIL.search(text)
    if not match:
        return None
    who = (match.group("who") or match.group("who2") or "").strip()
    return who or None


def _inner(text: str, opens: bool) -> str:
    """The quoted words of one paragraph, without marks or attribution."""
    start = text.find("“") if opens else 0
    body = text[start:]
    end = body.rfind("”")
    if end != -1:
        body = body[: end + 1]
    return body.strip().lstrip(OPEN_MARKS).rstrip(CLOSE_MARKS).rstrip(",").strip()


def find_quotes(paragraphs: list[str]) -> list[tuple[Quote, list[int]]]:
    """Quotations with the indexes of the paragraphs that hold them, in order."""
    found: list[tuple[Quote, list[int]]] = []
    current: _Open | None = None
    last_named: str | None = None
    previous_was_quote = False

    def close() -> None:
        nonlocal current
        if current is not None:
            found.append((Quote(text=" ".join(current.parts), speaker=current.speaker), current.paragraphs))
        current = None

    for index, text in enumerate(paragraphs):
        starts_with_mark = text[:1] in OPEN_MARKS
        if current is not None and starts_with_mark:
            current.parts.append(_inner(text, opens=False))
            current.paragraphs.append(index)
            if not _unclosed(text):
                close()
            previous_was_quote = True
            continue
        close()
        if "“" not in text:
            previous_was_quote = False
            continue
        lead = text[: text.find("“")].strip()
        speaker: str | None
        if not lead:
            speaker = _trailing_speaker(text)
            if speaker is None and previous_was_quote and found:
                # An unattributed quoted paragraph straight after a quotation continues it.
                quote, indexes = found.pop()
                found.append((Quote(text=f"{quote.text} {_inner(text, opens=True)}", speaker=quote.speaker),
                              [*indexes, index]))
                continue
        else:
            match = _LEAD.match(lead)
            if not match:
                previous_was_quote = False
                continue
            speaker = match.group("who").strip()
        if speaker and speaker.split()[0].lower() in _PRONOUNS and len(speaker.split()) == 1:
            speaker = last_named
        elif speaker:
            last_named = speaker
        current = _Open(speaker=speaker, parts=[_inner(text, opens=True)], paragraphs=[index])
        if not _unclosed(text):
            # A one-paragraph quotation may still name its speaker after it closes.
            if current.speaker is None:
                current.speaker = last_named if previous_was_quote else None
            close()
        previous_was_quote = True
    close()
    # Speakers named only at the end of a multi-paragraph quotation ("…,” he added.).
    resolved: list[tuple[Quote, list[int]]] = []
    for quote, indexes in found:
        if quote.speaker is None:
            trail = _trailing_speaker(paragraphs[indexes[-1]])
            if trail and trail.lower() not in _PRONOUNS:
                quote = Quote(quote.text, trail)
        resolved.append((quote, indexes))
    return resolved
