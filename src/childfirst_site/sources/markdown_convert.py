"""Markdown to HTML: Python-Markdown with "extra" and "sane_lists", without the parts a
document cannot need; plain bodies (most posts) written out without it (plain_markdown).

Python-Markdown tries every inline pattern (links, emphasis, code, raw HTML…) on every
run of text, and every block extension on every block: about two fifths of its time on
our posts went on syntax they did not use. Each pattern and extension below cannot match
unless the body holds the text it needs: the block stage only ever removes characters
from the start of a line (quote markers, list indents), so it makes none of these
strings that were not in the body already. A body without them is converted by a
converter without those parts, and gives the same HTML; tests check this against a
converter with all of them."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .plain_markdown import plain_html

if TYPE_CHECKING:   # imported when first needed: a build of plain posts never needs it (0.07 s)
    import markdown
    from markdown.extensions import Extension

# "extra", spelled out (in its order) so that unneeded parts can be left out.
EXTENSIONS = ("fenced_code", "footnotes", "attr_list", "def_list", "tables", "abbr", "md_in_html", "sane_lists")

# Extension → strings one of which the body must contain for it to do anything.
EXTENSION_NEEDS: dict[str, tuple[str, ...]] = {
    "fenced_code": ("```", "~~~"),
    "footnotes": ("[^",),
    "attr_list": ("{",),
    "tables": ("|",),
    "abbr": ("*[",),
    "md_in_html": ("<",),
}

# Inline pattern (Python-Markdown's name) → strings one of which the body must contain
# for the pattern to match anywhere. Patterns not named here are always kept.
PATTERN_NEEDS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
    "not_strong": ("*", "_"),
}

# Converting tabs to spaces and carriage returns to newlines could make a line break
# out of text that holds none: with either in the body, every pattern is kept.
_REWRITTEN_BY_MARKDOWN = ("\t", "\r")

# One converter per set of parts left out, per process, reset between documents:
# making one costs more than converting a typical post.
_CONVERTERS: dict[frozenset[str], markdown.Markdown] = {}


def unneeded(body: str) -> frozenset[str]:
    """The extensions and inline patterns that cannot match anything in body."""
    if any(char in body for char in _REWRITTEN_BY_MARKDOWN):
        return frozenset()
    return frozenset(name for table in (EXTENSION_NEEDS, PATTERN_NEEDS) for name, needs in table.items()
                     if not any(text in body for text in needs))


def _extension(name: str) -> Extension:
    # Made from its module: given a name, Python-Markdown first looks it up among every
    # installed package's entry points (0.03 s, once a process: most of reading one post).
    module: Any = importlib.import_module(f"markdown.extensions.{name}")
    return module.makeExtension()


def converter(left_out: frozenset[str] = frozenset()) -> markdown.Markdown:
    md = _CONVERTERS.get(left_out)
    if md is None:
        import markdown
        md = markdown.Markdown(extensions=[_extension(name) for name in EXTENSIONS if name not in left_out],
                               output_format="html")
        for name in left_out & PATTERN_NEEDS.keys():
            md.inlinePatterns.deregister(name, strict=False)
        _CONVERTERS[left_out] = md
    return md


def convert(body: str) -> tuple[str, bool]:
    """The body's HTML, and whether the body was plain Markdown (see plain_markdown):
    then the HTML has the few shapes plain_html writes."""
    plain = plain_html(body)
    if plain is not None:
        return plain, True
    md = converter(unneeded(body))
    md.reset()
    return md.convert(body), False
