"""Turn a raw HTML article page into the same lines a text capture of it would have,
so one reader (raw_page) serves both. Nothing of the page's markup survives: every
line is plain text and is escaped when rendered, so a hostile page cannot inject."""
from __future__ import annotations

from collections.abc import Callable, Iterator

from bs4 import BeautifulSoup, NavigableString, PageElement, ParserRejectedMarkup, Tag

from .text import REFERENCES_NOTE, without_controls

# Elements whose content is never article text.
_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
         "head", "form", "button", "select", "textarea", "input", "video", "audio", "picture", "img"}
_BLOCKS = {"address", "article", "aside", "blockquote", "body", "dd", "details", "div", "dl", "dt",
           "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
           "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tr", "ul",
           "html", "caption", "tbody", "thead", "tfoot"}
_CELLS = {"td", "th"}


LENIENT_NOTE = ("the HTML holds markup that Python's HTML parser gives up on (such as '<![' not opening a "
                "CDATA section or a conditional comment); it was read with lxml's more lenient parser: check "
                "that the post reads as it should")


def html_to_text(html: str, notes: list[str] | None = None) -> str:
    """The page's text, a line a block. Where Python's parser rejects the markup, lxml's
    reads it instead, and `notes` is told (LENIENT_NOTE); so it is of control characters
    that character references decode to (`&#1;`), which are taken out."""
    try:
        soup = BeautifulSoup(html, "html.parser")
    except ParserRejectedMarkup:
        soup = BeautifulSoup(html, "lxml")
        if notes is not None:
            notes.append(LENIENT_NOTE)
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    # Depth first, with a stack of the elements entered rather than recursion: a page
    # nested a thousand deep (a hostile one, say) went past Python's recursion limit.
    # Each entry: the element's children yet to read, and what to do once they are read.
    entered: list[tuple[Iterator[PageElement], Callable[[], None] | None]] = [(iter(soup.children), None)]
    lists: list[list[int]] = []   # per list entered, its next number (0: a bulleted list)

    def left_list() -> None:
        lists.pop()
        flush()

    while entered:
        children, then = entered[-1]
        child = next(children, None)
        if child is None:
            entered.pop()
            if then is not None:
                then()
            continue
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not comments, CDATA or doctype
                current.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name in _DROP:
            continue
        if name == "br":
            flush()
            continue
        if name in _CELLS:
            current.append(" ")
            entered.append((iter(child.children), lambda: current.append(" ")))
            continue
        if name not in _BLOCKS:
            entered.append((iter(child.children), None))
            continue
        flush()
        if name in ("ul", "ol"):
            lists.append([1 if name == "ol" else 0])
            entered.append((iter(child.children), left_list))
            continue
        if name == "li":
            counter = lists[-1] if lists else [0]
            if counter[0]:
                current.append(f"{counter[0]}. ")
                counter[0] += 1
            else:
                current.append("- ")
        entered.append((iter(child.children), flush))

    flush()
    text, removed = without_controls("\n".join(lines) + "\n")
    if removed and notes is not None:
        notes.append(REFERENCES_NOTE.format(count=removed))
    return text
