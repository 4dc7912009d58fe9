"""Property-based tests: the readers, fed mutated seeds and generated text, only ever
raise ContentError, finish quickly, and never put a chrome line in an article body."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from childfirst_site.config import parse_site_config
from childfirst_site.errors import ContentError
from childfirst_site.sources.chrome import classify_line
from childfirst_site.sources.html_page import html_to_text
from childfirst_site.sources.markdown_post import read_markdown_post
from childfirst_site.sources.raw_page import parse_raw_page
from conftest import FIXTURE_SITE, GOLD

SEEDS = [p.read_text(encoding="utf-8") for p in sorted(GOLD.glob("*.txt"))]
LINE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)
PROPERTY = settings(max_examples=150, deadline=dt.timedelta(seconds=2),
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated_seed(draw) -> str:
    lines = draw(st.sampled_from(SEEDS)).splitlines()
    for _ in range(draw(st.integers(0, 8))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "swap", "blank", "nbsp", "wrap", "truncate"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
        elif op == "insert":
            lines.insert(i, draw(LINE_TEXT))
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "blank":
            lines.insert(i, "")
        elif op == "nbsp":
            lines[i] = "\u00a0 " + lines[i].replace(" ", "\u00a0", 2)
        elif op == "wrap" and " " in lines[i]:
            head, tail = lines[i].split(" ", 1)
            lines[i:i + 1] = [head, tail.lower()]
        elif op == "truncate":
            lines = lines[:i]
    return "\n".join(lines)


def body_texts(article) -> list[str]:
    return [line for block in article.blocks for line in block.lines]


@PROPERTY
@given(mutated_seed())
def test_raw_reader_never_leaks_chrome_or_crashes(text):
    try:
        article = parse_raw_page(text, "x.txt")
    except ContentError:
        return
    assert article.title and classify_line(article.title) is None
    for line in body_texts(article):
        assert classify_line(line) is None, line


@PROPERTY
@given(st.text(max_size=2000))
def test_raw_reader_on_any_text(text):
    try:
        parse_raw_page(text, "x.txt")
    except ContentError:
        pass


@PROPERTY
@given(mutated_seed())
def test_html_reader_on_seed_markup(text):
    html = "<html><body>" + "".join(f"<p>{line}</p>" if not line.startswith("-") else f"<ul><li>{line[1:]}</li></ul>"
                                    for line in text.splitlines()) + "</body></html>"
    try:
        article = parse_raw_page(html_to_text(html), "x.html")
    except ContentError:
        return
    for line in body_texts(article):
        assert classify_line(line) is None, line


FRONT_KEYS = st.sampled_from(["title", "date", "updated", "author", "summary", "topics", "draft", "slug",
                              "source_organisations", "related", "figures", "colour", "", "-", "? x"])
YAML_VALUES = st.one_of(LINE_TEXT, st.sampled_from(["2024-01-01", "31/02/2024", "[a, b", "{x: 1}", "yes", "~",
                                                     "[online-safety]", "- x", "'quoted", "!!python/object:os.system"]))


@st.composite
def front_matter(draw) -> str:
    lines = [f"{draw(FRONT_KEYS)}: {draw(YAML_VALUES)}" for _ in range(draw(st.integers(0, 8)))]
    fence_end = draw(st.sampled_from(["---", "", "--", "---  "]))
    return "---\n" + "\n".join(lines) + f"\n{fence_end}\n" + draw(LINE_TEXT)


@PROPERTY
@given(st.one_of(front_matter(), st.text(max_size=500)))
def test_front_matter_loader_only_raises_content_errors(text):
    errors: list[ContentError] = []
    post = read_markdown_post(text, "x.md", {"online-safety"}, errors, [])
    assert (post is None) == bool(errors)
    for error in errors:
        assert error.path == "x.md" and error.message


SITE = (FIXTURE_SITE / "site.yaml").read_text(encoding="utf-8")


@PROPERTY
@given(st.integers(0, len(SITE)), st.integers(0, 40), LINE_TEXT)
def test_site_config_loader_only_raises_content_errors(at, cut, insert):
    text = SITE[:at] + insert + SITE[at + cut:]
    try:
        parse_site_config(text, "site.yaml")
    except ContentError as error:
        assert error.path == "site.yaml"


# Words, number words, digits and the marks sentences end and start with, joined by
# assorted whitespace: what sentence splitting and figure finding both look at.
_PIECES = st.sampled_from(["Half", "half.", "one", "One", "twenty-one", "tenth", "often", "done", "Quarters!",
                           "12", "3.5%", "£4m", "said.", "“Yes.”", "(Two)", "e.g.", "I", "seven?", "A", "x",
                           "İone", "ﬁve", "ONE", "won", "none", "It", "'three'", "–", "…"])
_SPACES = st.sampled_from([" ", "  ", "\u00a0", "\t", "\n", " \u2009"])


@PROPERTY
@given(st.lists(st.tuples(_PIECES, _SPACES), max_size=14))
def test_a_line_may_hold_figures_exactly_when_one_of_its_sentences_may(pieces):
    # Key figures skip lines that may not hold one without splitting them into sentences.
    from childfirst_site.enrich.figures.extract import may_hold_figures
    from childfirst_site.sources.sentences import split_sentences
    line = "".join(word + space for word, space in pieces)
    assert may_hold_figures(line) == any(may_hold_figures(s) for s in split_sentences(line))
