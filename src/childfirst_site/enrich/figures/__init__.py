"""Key figures: every statistic an article reports, with what it measures and where it says so."""
from __future__ import annotations

import re

from ...model import Figure, Post
from .extract import Found, body_sentences, find_figures
from .labels import find_period, make_label

_STOPWORDS = {"that", "this", "with", "from", "have", "been", "were", "which", "their", "there", "they",
              "when", "than", "more", "also", "over", "under", "into", "about", "will", "would", "could"}


def _content_words(sentence: str) -> set[str]:
    words = re.findall(r"[a-z]{4,}", sentence.lower())
    return {w.rstrip("s") for w in words if w not in _STOPWORDS}


def _is_repeat(first: tuple[int, Found], later: tuple[int, Found]) -> bool:
    """The same number and unit again, in another block, about something the first also names.

    Two equal figures in one list or paragraph are different measures side by side
    ("9% of all children … rising to 9% of lonely ones" reads as two findings)."""
    (block_a, a), (block_b, b) = first, later
    return (a.number, a.unit) == (b.number, b.unit) and block_a != block_b \
        and bool(_content_words(a.sentence) & _content_words(b.sentence))


def extract_figures(post: Post) -> list[Figure]:
    """The post's key figures in reading order, with editors' corrections applied."""
    if post.is_excerpt:
        return []  # a teaser is the publisher's blurb for another story, not an article
    kept: list[tuple[int, Found, list[str]]] = []
    for block_index, sentence in body_sentences(post.blocks):
        for found in find_figures(sentence):
            original = next((k for k in kept if _is_repeat((k[0], k[1]), (block_index, found))), None)
            if original is not None:
                if sentence != original[1].sentence and sentence not in original[2]:
                    original[2].append(sentence)
                continue
            kept.append((block_index, found, []))
    edits = post.figure_edits
    topic = post.topics[0] if post.topics else None
    sentence_anchor: dict[str, str] = {}
    figures: list[Figure] = []
    previous_in_sentence: dict[str, Found] = {}
    for _, found, also_in in kept:
        previous = previous_in_sentence.get(found.sentence)
        previous_in_sentence[found.sentence] = found
        if found.value in edits.drop:
            continue
        anchor = sentence_anchor.setdefault(found.sentence, f"figure-{len(sentence_anchor) + 1}")
        figures.append(Figure(value=found.value, number=found.number, unit=found.unit, qualifier=found.qualifier,
                              label=make_label(found, previous), sentence=found.sentence, period=find_period(found),
                              topic=topic, series=edits.series.get(found.value), also_in=tuple(also_in),
                              anchor=anchor))
    for added in edits.add:
        anchor = sentence_anchor.setdefault(added.sentence, f"figure-{len(sentence_anchor) + 1}") \
            if added.sentence else ""
        figures.append(Figure(value=added.value, number=added.number, unit=added.unit, qualifier=added.qualifier,
                              label=added.label, sentence=added.sentence, period=added.period, topic=topic,
                              series=added.series or edits.series.get(added.value), anchor=anchor))
    return figures


def edits_matching_nothing(post: Post) -> list[str]:
    """What figures.drop and figures.series name that is no figure of the post (a value
    written otherwise than the article writes it, say): told, or the edit would do
    nothing without a word."""
    edits = post.figure_edits
    if not (edits.drop or edits.series) or post.is_excerpt:
        return []
    found = list(dict.fromkeys(f.value for _, sentence in body_sentences(post.blocks) for f in find_figures(sentence)))
    known = {*found, *(added.value for added in edits.add)}
    listed = ", ".join(found) if found else "none"
    return [f"figures.{key} names {value!r}, which is not a figure of the article (figures found: {listed})"
            for key, values in (("drop", edits.drop), ("series", tuple(edits.series)))
            for value in values if value not in known]
