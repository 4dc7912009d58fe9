"""Smart punctuation over finished HTML: text is curled and dashed, tags and code are not."""
from __future__ import annotations

import pytest

from childfirst_site.sources.typography import smarten


@pytest.mark.parametrize(("html", "expected"), [
    ('<p>"Hello," she said -- it\'s the \'90s...</p>', "<p>“Hello,” she said – it’s the ’90s…</p>"),
    ("<p>Before---after</p>", "<p>Before—after</p>"),
    # A quote after a block's edge opens, whatever ended the block before.
    ('<p>end.</p>\n<p>"Start"</p>', "<p>end.</p>\n<p>“Start”</p>"),
    ('<p>word <a href="/x">"quoted"</a></p>', '<p>word <a href="/x">“quoted”</a></p>'),
    # Attributes are not text: a link's address keeps its dashes and dots.
    ('<p><a href="/a--b...">x--y</a></p>', '<p><a href="/a--b...">x–y</a></p>'),
    ('<p><a href="/a--b">x</a></p>', '<p><a href="/a--b">x</a></p>'),
])
def test_text_is_smartened_and_tags_are_not(html: str, expected: str) -> None:
    assert smarten(html) == expected


def test_code_keeps_its_straight_quotes_and_dashes() -> None:
    assert smarten('<p>a <code>"x" -- y...</code> "b"</p>') == '<p>a <code>"x" -- y...</code> “b”</p>'
    assert smarten("<pre><code>'a' -- b</code></pre><p>'c'</p>") == "<pre><code>'a' -- b</code></pre><p>‘c’</p>"
    assert smarten("<PRE>'a'</PRE><p>'b'</p>") == "<PRE>'a'</PRE><p>‘b’</p>"


def test_many_different_links_are_each_read_as_tags() -> None:
    # More distinct tags than are remembered: those beyond are still tags, not text.
    html = "".join(f'<p><a href="/p-{n}--x">"{n}"</a></p>' for n in range(6000))
    assert smarten(html) == "".join(f'<p><a href="/p-{n}--x">“{n}”</a></p>' for n in range(6000))
