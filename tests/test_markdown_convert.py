"""The converter that leaves out unneeded Markdown syntax must give exactly the HTML of
Python-Markdown with every extension and pattern ("extra" and "sane_lists")."""
import random
from pathlib import Path

import markdown
import pytest

from childfirst_site.sources.markdown_convert import EXTENSION_NEEDS, PATTERN_NEEDS, convert, unneeded
from childfirst_site.sources.markdown_post import blocks_from_html, blocks_from_plain_html, render_markdown
from childfirst_site.sources.plain_markdown import plain_html

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def markdown_to_html(body: str) -> str:
    return convert(body)[0]


def reference_html(body: str) -> str:
    REFERENCE.reset()
    return REFERENCE.convert(body)


EDGE_CASES = [
    "Plain words only.\n\nA second paragraph.",
    "A [link](https://example.org) and ![an image](/a.png) and [a ref][r].\n\n[r]: https://example.org/r",
    "Emphasis with *stars*, __underscores__, ***both*** and a lone * star and snake_case_word.",
    "Code `x < y && z` and ``double `tick` code``.",
    "Escapes: \\*not emphasis\\*, \\[not a link\\], \\`not code\\`.",
    "Autolinks <https://example.org> and <someone@example.org>, and raw <b>bold</b> &amp; &#169; &copy;.",
    "A line that ends in two spaces  \nthen breaks.",
    "A tab\there  \nand\ta line\t\nbreak made by tabs.",
    "Carriage returns  \r\nmake line breaks too.\r\n\r\nNew paragraph.",
    "> A quote with a [link](/x) and *emphasis*\n> - a list in it\n> - !\n> [not an image](/y)",
    "Something!\n[a link](/z) after an exclamation mark on the line before.",
    "- item *one*\n- item [two](/2)\n    - nested `three`\n\n1. first\n2. second",
    "Footnote here[^1].\n\n[^1]: The note, with *emphasis*.",
    "| Year | Count |\n|------|-------|\n| 2024 | *12* |\n| 2025 | 15 |",
    "Term\n: Its definition, with a [link](/d).",
    "The HTML spec.\n\n*[HTML]: Hyper Text Markup Language",
    "A paragraph with attributes {: #para .lead }",
    "## A heading {#custom-id}\n\nA paragraph {.lead}",
    "```python\nx = [1, 2]  # not a [link]\n```",
    "~~~\n*not emphasis*\n~~~",
    '<div markdown="1">\n*Markdown* inside HTML\n</div>\n\nAfter.',
    "    indented code with *stars* and [brackets]\n\nthen text",
    "Heading\n=======\n\nSub\n---\n\n***\n\n* * *",
    "Ofsted: a colon at the start of a line\n: looks like a definition",
    "Quote markers > inside a line, and 5 > 3 < 4.",
    "",
]

# Pieces of Markdown syntax, strung together at random.
_PIECES = [
    "word", "Ofsted", "said", "12%", "*", "**", "_", "__", "`", "``", "[", "]", "(", ")", "![", "[^1]",
    "<", ">", "&", "&amp;", "|", "{", "}", "{: .x }", ":", "\\", "!", "#", "- ", "1. ", "> ", "  \n",
    "\n", "\n\n", "\n    ", "\t", "```", "~~~", "*[", "]:", "https://example.org", "a@b.org", "<b>", "</b>",
    "<div markdown=\"1\">", "</div>", "---", "=", "[^1]: note",
]


def random_documents(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        parts = rng.choices(_PIECES, k=rng.randint(1, 40))
        docs.append("".join(p if p.strip() == "" or rng.random() < 0.5 else " " + p for p in parts))
    return docs


def repository_markdown() -> list[Path]:
    return sorted(p for folder in ("content", "tests") for p in (ROOT / folder).rglob("*.md"))


@pytest.mark.parametrize("body", EDGE_CASES)
def test_edge_cases_convert_as_with_every_extension(body: str) -> None:
    assert markdown_to_html(body) == reference_html(body)


def test_random_markdown_converts_as_with_every_extension() -> None:
    docs = random_documents(1500, seed=7)
    different = [doc for doc in docs if markdown_to_html(doc) != reference_html(doc)]
    assert different == []
    # The fuzz must exercise both sides: documents that left syntax out, and ones that kept all of it.
    left_out = [len(unneeded(doc)) for doc in docs]
    assert max(left_out) == len(EXTENSION_NEEDS) + len(PATTERN_NEEDS)
    assert min(left_out) == 0


def test_every_markdown_file_in_the_repository_converts_as_with_every_extension() -> None:
    paths = repository_markdown()
    assert len(paths) >= 3
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert markdown_to_html(text) == reference_html(text), path


def test_plain_prose_leaves_out_everything_but_the_syntax_it_uses() -> None:
    left_out = unneeded("Ofsted said 40% of [councils](/c) were short of staff.")
    assert {"link", "reference", "short_reference"}.isdisjoint(left_out)
    assert {"tables", "footnotes", "em_strong", "html", "backtick", "image_link"} <= left_out
    assert unneeded("a\tb") == frozenset()


# Lines and pieces for documents on both sides of what plain_html accepts: mostly plain
# Markdown, with now and then a piece that makes it something else.
_WORDS = ["Ofsted", "said", "40%", "of", "councils", "were", "short", "of", "staff.", "“quoted”", "'a'",
          '"b"', "(1)", "&", "—", "C#", "1.5", "x:", "end."]
_SPOILERS = ["*", "_", "`", "<b>", "&amp;", "&x", "[", "]", "[^1]", "![i](/i.png)", "\\", "{", "|", ">",
             "#", "  ", "\t", "[t](/u \"title\")", "[ t](/u)", "[t](/a&b)", "[t]", "]:", "\u00a0", "\u2028",
             "\x85", "\u3000", "-", "=", "+", "1.", "#1", ":", "(", ")", "!", "[t](</u>)", "[t]()", "[t](/a(b))"]
_STARTS = ["", "", "", "", "#", "## ", "###### ", "####### ", "> ", ">", "- ", "+ ", "* ", "1. ", "3. ",
           "01. ", "2024. ", ": ", "=", "---", " ", "    ", "[r]: /x"]


def _line(rng: random.Random, spoil: float) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(1, 8))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), f"[{rng.choice(_WORDS)} {rng.choice(_WORDS)}](/about/)")
    if rng.random() < spoil:
        words.insert(rng.randrange(len(words) + 1), rng.choice(_SPOILERS))
    return " ".join(words)


def near_plain_documents(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        spoil = rng.choice([0.0, 0.0, 0.02, 0.1])
        blocks = []
        for _ in range(rng.randint(1, 6)):
            kind = rng.choice(["p", "p", "h", "q", "ul", "ol", "mixed"])
            n = rng.randint(1, 3)
            if kind == "h":
                lines = [rng.choice(["#", "##", "###"]) + " " + _line(rng, spoil)]
            elif kind == "q":
                lines = ["> " + _line(rng, spoil) for _ in range(n)]
            elif kind == "ul":
                lines = [rng.choice(["- ", "+ "]) + _line(rng, spoil) for _ in range(n)]
            elif kind == "ol":
                lines = [f"{i + 1}. " + _line(rng, spoil) for i in range(n)]
            elif kind == "mixed":
                lines = [rng.choice(_STARTS) + _line(rng, spoil) for _ in range(n)]
            else:
                lines = [_line(rng, spoil) for _ in range(n)]
            blocks.append("\n".join(lines))
        docs.append("".join(block + rng.choice(["\n\n", "\n\n", "\n\n\n", "\n"]) for block in blocks))
    return docs


def test_plain_markdown_gives_python_markdowns_html_or_declines() -> None:
    docs = near_plain_documents(4000, seed=11)
    made = [(doc, plain_html(doc)) for doc in docs]
    different = [(doc, html, reference_html(doc)) for doc, html in made if html is not None
                 and html != reference_html(doc)]
    assert different == []
    # Both sides must be exercised, and plain posts taken on.
    accepted = sum(html is not None for _, html in made)
    assert 0.15 * len(docs) < accepted < 0.75 * len(docs)


@pytest.mark.parametrize("body", EDGE_CASES)
def test_plain_markdown_declines_or_agrees_on_edge_cases(body: str) -> None:
    html = plain_html(body)
    assert html is None or html == reference_html(body)


def test_a_typical_post_is_plain() -> None:
    body = ("Ofsted said 40% of [councils](/c) were short of staff.\nA second line & more.\n\n"
            "## What it found\n\n> “We need more,” said a spokesperson.\n\n- 2% of a.\n- 75% of b.\n\n"
            "1. One.\n2. Two.")
    assert plain_html(body) == reference_html(body)
    assert "<ol>" in (plain_html(body) or "")


def test_plain_bodies_give_the_blocks_a_parse_of_their_html_gives() -> None:
    docs = near_plain_documents(3000, seed=13)
    docs += [path.read_text(encoding="utf-8").split("---\n", 2)[-1] for path in repository_markdown()]
    compared = 0
    for doc in docs:
        html, plain = render_markdown(doc)
        if plain:
            assert blocks_from_plain_html(html) == blocks_from_html(html), doc
            compared += 1
    assert compared > 500
