"""Mark the sentences that key figures come from, so a figure's link lands on its sentence."""
from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag

from ..model import Figure

_BLOCKS = ("p", "li", "blockquote", "td", "h2", "h3")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def mark_figure_sentences(body_html: str, figures: list[Figure]) -> str:
    """Wrap each figure's sentence in <mark id="figure-N">; where the sentence crosses
    markup, the block that holds it carries the id instead."""
    wanted: dict[str, str] = {}
    for figure in figures:
        if figure.anchor and figure.sentence:
            wanted.setdefault(_collapse(figure.sentence), figure.anchor)
    if not wanted:
        return body_html
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
