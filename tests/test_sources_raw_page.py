"""The raw-page reader against the gold annotations, and against variants of its own."""
from __future__ import annotations


import pytest
import yaml

from childfirst_site.errors import ContentError
from childfirst_site.model import Block
from childfirst_site.sources.raw_page import RawArticle, parse_raw_page
from childfirst_site.sources.sentences import split_sentences

from conftest import GOLD

GOLD_FILES = sorted(GOLD.glob("*.yaml"))


def norm(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def last_block_text(article: RawArticle) -> str:
    block: Block = next(b for b in reversed(article.blocks) if b.kind in ("paragraph", "quote", "list"))
    return block.lines[-1]


def paragraphs(article: RawArticle) -> list[str]:
    return [line for b in article.blocks if b.kind in ("paragraph", "quote") for line in b.lines]


def list_items(article: RawArticle) -> list[str]:
    return [line for b in article.blocks if b.kind == "list" for line in b.lines]


@pytest.fixture(params=GOLD_FILES, ids=lambda p: p.stem)
def gold_case(request) -> tuple[dict, RawArticle, str]:
    gold = yaml.safe_load(request.param.read_text(encoding="utf-8"))
    text = (GOLD / gold["source"]).read_text(encoding="utf-8")
    return gold, parse_raw_page(text, gold["source"]), text


def test_gold_files_present():
    assert len(GOLD_FILES) == 5


def test_title_banner_byline(gold_case):
    gold, article, _ = gold_case
    assert norm(article.title) == norm(gold["title"])
    assert norm(article.banner) == norm(gold["banner"])
    assert article.byline == gold["byline"]


def test_first_and_last_body_sentence(gold_case):
    gold, article, _ = gold_case
    body = paragraphs(article)
    assert norm(body[0]) == norm(gold["standfirst"])
    assert split_sentences(body[0])[0] == norm(gold["first_body_sentence"])
    assert split_sentences(last_block_text(article))[-1] == norm(gold["last_body_sentence"])


def test_paragraph_count_and_list_items(gold_case):
    gold, article, _ = gold_case
    assert len(paragraphs(article)) == gold["paragraph_count"]
    assert [norm(i) for i in list_items(article)] == [norm(i) for i in gold["list_items"]]
    assert [b.lines[0] for b in article.blocks if b.kind == "subheading"] == gold["subheadings"]
    assert article.campaign_line == gold["campaign_line"]


def test_related_stories(gold_case):
    gold, article, _ = gold_case
    assert len(article.related) == len(gold["related"])
    for got, want in zip(article.related, gold["related"]):
        assert got.title == norm(want["title"])
        assert (got.date.isoformat() if got.date else None) == want["date"]
        assert got.extra == want["extra"]
        assert " ".join(got.teaser.split()[:8]) == norm(want["teaser_start"])
        assert not got.teaser.endswith("[...]")


def test_no_boilerplate_in_body(gold_case):
    gold, article, _ = gold_case
    body = paragraphs(article) + list_items(article)
    for line in gold["boilerplate_lines"]:
        for text in body:
            # A label may be quoted mid-sentence ("our Wild West Web campaign"); a chrome
            # line must never be, or be joined onto, a paragraph.
            assert not (text == norm(line) or text.startswith(norm(line)) or text.endswith(norm(line))), \
                f"boilerplate {line!r} leaked into {text!r}"
    assert norm(article.title) not in body
    related_titles = {r.title for r in article.related}
    assert not related_titles & set(body)


def test_chrome_lines_are_the_gold_boilerplate(gold_case):
    gold, article, _ = gold_case
    assert set(article.chrome_lines) == {norm(line) for line in gold["boilerplate_lines"]}


# ---- variants written for the case -------------------------------------------------

SEED = GOLD / "000_c175f9f0b0a20727.txt"


def seed_text(name: str = SEED.name) -> str:
    return (GOLD / name).read_text(encoding="utf-8")


def test_no_blank_lines_between_paragraphs_gives_same_article():
    text = seed_text()
    squeezed = "\n".join(line for line in text.splitlines() if line.strip())
    a, b = parse_raw_page(text, "a.txt"), parse_raw_page(squeezed, "b.txt")
    assert a.blocks == b.blocks
    assert a.related == b.related
    assert a.title == b.title and a.banner == b.banner


def test_byline_is_kept_apart_from_body():
    text = seed_text().replace(
        "Unhappy children reliant on social media are more exposed to grooming, warns NSPCC\n",
        "Unhappy children reliant on social media are more exposed to grooming, warns NSPCC\n\nBy Clare Jerrom\n", 1)
    article = parse_raw_page(text, "x.txt")
    assert article.byline == "By Clare Jerrom"
    assert paragraphs(article)[0].startswith("Lonely, unhappy children")
    assert "By Clare Jerrom" not in paragraphs(article)


def test_banner_with_phone_number_and_read_more():
    text = ("Our assessment service is open throughout the holidays.\n"
            "Call 01206 878178 to book an assessment.\nRead more\nMake an Enquiry\nContact Us\n\n"
            "Councils report record demand for foster carers\n\n"
            "Councils across England report record demand for foster carers, a survey has found.\n\n"
            "The survey of directors found that 61% had too few carers for teenagers.\n")
    article = parse_raw_page(text, "x.txt")
    assert article.banner == ("Our assessment service is open throughout the holidays.\n"
                              "Call 01206 878178 to book an assessment.")
    assert article.title == "Councils report record demand for foster carers"
    assert len(paragraphs(article)) == 2
    assert article.related == []


def test_page_opening_with_title_has_no_banner():
    text = "Foster care placements fall\n\nThe number of placements fell last year.\n\nMore detail follows here.\n"
    article = parse_raw_page(text, "x.txt")
    assert article.banner is None
    assert article.title == "Foster care placements fall"
    assert paragraphs(article) == ["The number of placements fell last year.", "More detail follows here."]


def test_numbered_lists_and_bullet_glyphs_without_blank_lines():
    text = ("Make an Enquiry\nContact Us\nTitle of the piece\nThe report found:\n"
            "1) First finding.\n2) Second finding\n3. Third finding\n"
            "Then a paragraph.\n•\u00a0\u00a0 Bullet one\n  ● Bullet two\nClosing words.\n")
    article = parse_raw_page(text, "x.txt")
    kinds = [(b.kind, b.ordered) for b in article.blocks]
    assert kinds == [("paragraph", False), ("list", True), ("paragraph", False), ("list", False),
                     ("paragraph", False)]
    assert list_items(article) == ["First finding.", "Second finding", "Third finding", "Bullet one", "Bullet two"]


def test_hard_wrapped_lines_join_their_paragraph():
    text = ("Make an Enquiry\nContact Us\nA title\nThe charity said that children were\n"
            "at greater risk than before.\nA second paragraph.\n")
    article = parse_raw_page(text, "x.txt")
    assert paragraphs(article) == ["The charity said that children were at greater risk than before.",
                                   "A second paragraph."]


def test_title_printed_twice_is_read_once():
    text = "Make an Enquiry\nContact Us\nA title\nA title\nThe body.\nMore body.\n"
    article = parse_raw_page(text, "x.txt")
    assert article.title == "A title"
    assert paragraphs(article) == ["The body.", "More body."]


def test_subheadings_inside_features():
    text = ("Make an Enquiry\nContact Us\nA day in the life of a social worker\n"
            "Jo tells us about her work.\nStarting out\nI qualified in 2010.\nWhat keeps me going\n"
            "The children.\nMake an enquiry\n")
    article = parse_raw_page(text, "x.txt")
    assert [b.lines[0] for b in article.blocks if b.kind == "subheading"] == ["Starting out", "What keeps me going"]
    assert paragraphs(article) == ["Jo tells us about her work.", "I qualified in 2010.", "The children."]


def test_quotes_with_speaker():
    article = parse_raw_page(seed_text(), "x.txt")
    assert len(article.quotes) == 1
    quote = article.quotes[0]
    assert quote.speaker == "Andy Burrows, NSPCC Head of Child Safety Online Policy"
    assert quote.text.startswith("Through this survey")
    assert quote.text.endswith("tech firms must protect our young people")


def test_related_entry_without_date_or_read_full_story_link_at_page_end():
    text = ("Make an Enquiry\nContact Us\nTitle\nBody text.\nMore text.\nKnowledge & Resources\n"
            "A story\n\nIts teaser starts here and runs [...]\nRead Full Story\n"
            "Another story\n01/02/2023\nSecond teaser text [...]\n")
    article = parse_raw_page(text, "x.txt")
    assert [(r.title, r.date and r.date.isoformat(), r.teaser) for r in article.related] == [
        ("A story", None, "Its teaser starts here and runs"),
        ("Another story", "2023-02-01", "Second teaser text")]


def test_page_with_no_article_is_a_content_error():
    with pytest.raises(ContentError) as info:
        parse_raw_page("Make an Enquiry\nContact Us\nMake an enquiry\nKnowledge & Resources\n", "empty.txt")
    assert info.value.path == "empty.txt"
    assert "no article" in info.value.message


def test_chrome_line_wrapped_over_two_lines_is_still_chrome():
    # Found by the property tests: "Make" / "an enquiry" must not become a paragraph.
    text = "Make an Enquiry\nContact Us\nA title\nThe body.\nMore body.\nMake\nan enquiry\nA multi-disciplinary organisation providing x.\n"
    article = parse_raw_page(text, "x.txt")
    assert paragraphs(article) == ["The body.", "More body."]


@pytest.mark.parametrize("wrapped", ["Working\ntogether for children", "Working\ntogether\nfor children",
                                     "Working together\nfor\nchildren"])
def test_closing_chrome_hard_wrapped_over_several_lines_ends_the_body(wrapped):
    # Found by the property test: the tagline wrapped over three lines, and no
    # "Make an enquiry" after it to end the body, once leaked into the last paragraph.
    name = "002_c8b7df16b02c1dfe.txt"
    text = seed_text(name).replace("Working Together For Children\n\nMake an enquiry\n", wrapped + "\n", 1)
    assert wrapped in text
    article = parse_raw_page(text, "x.txt")
    assert article.blocks == parse_raw_page(seed_text(name), "x.txt").blocks
