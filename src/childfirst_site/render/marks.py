"""Mark the sentences that key figures come from, so a figure's link lands on its sentence."""
from __future__ import annotations

import html

from ..model import Figure

_BLOCKS = ("p", "li", "blockquote", "td", "h2", "h3")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _outside_tags(markup: str, at: int) -> bool:
    return markup.rfind("<", 0, at) <= markup.rfind(">", 0, at)


def _mark_in_text(body_html: str, wanted: dict[str, str]) -> str | None:
    """The fast way, for the usual case: every sentence sits whole inside one text node,
    so it can be wrapped where it stands. None when any sentence does not."""
    for sentence, anchor in wanted.items():
        escaped = html.escape(sentence, quote=False)
        at = body_html.find(escaped)
        while at >= 0 and not _outside_tags(body_html, at):
            at = body_html.find(escaped, at + 1)
        end = at + len(escaped)
        if at < 0 or "<" in body_html[at:end] or body_html.rfind("<mark", 0, at) > body_html.rfind("</mark>", 0, at):
            return None
        body_html = (f'{body_html[:at]}<mark id="{anchor}" class="figure-source">{escaped}</mark>'
                     f"{body_html[end:]}")
    return body_html


def mark_figure_sentences(body_html: str, figures: list[Figure]) -> str:
    """Wrap each figure's sentence in <mark id="figure-N">; where the sentence crosses
    markup, the block that holds it carries the id instead."""
    wanted: dict[str, str] = {}
    for figure in figures:
        if figure.anchor and figure.sentence:
            wanted.setdefault(_collapse(figure.sentence), figure.anchor)
    if not wanted:
        return body_html
    fast = _mark_in_text(body_html, wanted)
    if fast is not None:
        return fast
    # Only here: Beautiful Soup and its CSS parser take 0.04 s to import, which a build
    # whose pages all take the fast way need not pay.
    from bs4 import BeautifulSoup, NavigableString, Tag
    soup = BeautifulSoup(body_html, "html.parser")
    for sentence, anchor in wanted.items():
        placed = False
        for node in soup.find_all(string=True):
            text = str(node)
            collapsed = _collapse(text)
            if sentence not in collapsed or node.find_parent("mark"):
                continue
            # Raw-page text is already whitespace-collapsed, so offsets carry over.
            start = text.find(sentence) if sentence in text else -1
            if start < 0:
                continue
            mark = soup.new_tag("mark", attrs={"id": anchor, "class": "figure-source"})
            mark.string = sentence
            node.replace_with(NavigableString(text[:start]), mark, NavigableString(text[start + len(sentence):]))
            placed = True
            break
        if not placed:
            for block in soup.find_all(_BLOCKS):
                if isinstance(block, Tag) and sentence in _collapse(block.get_text()) and not block.get("id"):
                    block["id"] = anchor
                    block["class"] = [*block.get("class", []), "figure-source"]
                    break
    return str(soup)
