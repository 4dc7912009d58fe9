"""HTML for a body read from a raw page. Every piece of text is escaped: raw pages are
untrusted and their text never becomes markup."""
from __future__ import annotations

from html import escape

from ..model import Block


def blocks_to_html(blocks: list[Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        if block.kind == "paragraph":
            parts.append(f"<p>{escape(block.lines[0])}</p>")
        elif block.kind == "subheading":
            parts.append(f"<h2>{escape(block.lines[0])}</h2>")
        elif block.kind == "list":
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{escape(item)}</li>" for item in block.lines)
            parts.append(f"<{tag}>{items}</{tag}>")
        elif block.kind == "quote":
            paragraphs = "".join(f"<p>{escape(line)}</p>" for line in block.lines)
            parts.append(f"<blockquote>{paragraphs}</blockquote>")
    return "\n".join(parts)
