"""Front-matter validation: every mistake is a clear message with file and line."""
from __future__ import annotations

import datetime as dt
import random

import pytest

from childfirst_site.errors import ContentError, Warning_
from childfirst_site.sources.markdown_post import read_markdown_post

TOPICS = {"online-safety", "education"}


def read(text: str) -> tuple[object, list[ContentError], list[Warning_]]:
    errors: list[ContentError] = []
    warnings: list[Warning_] = []
    post = read_markdown_post(text, "content/posts/x.md", TOPICS, errors, warnings)
    return post, errors, warnings


def only_error(text: str) -> str:
    post, errors, _ = read(text)
    assert post is None
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0].format()


def test_valid_post():
    post, errors, warnings = read("---\ntitle: A title\ndate: 2024-03-01\nupdated: 2024-03-02\nauthor: Jo\n"
                                  "topics: [online-safety]\nsource_organisations: [NSPCC]\n---\n"
                                  "First paragraph.\n\n- one\n- two\n\n## Heading\n\nLast paragraph.\n")
    assert errors == [] and warnings == []
    assert post.title == "A title" and post.date == dt.date(2024, 3, 1) and post.updated == dt.date(2024, 3, 2)
    assert post.slug == "x"
    assert post.summary == "First paragraph."
    assert post.paragraphs == ["First paragraph.", "Last paragraph."]
    assert post.list_items == ["one", "two"]
    assert [b.kind for b in post.blocks] == ["paragraph", "list", "subheading", "paragraph"]
    assert post.word_count == 6  # the heading is not counted


def test_text_around_links_and_emphasis_reads_as_written():
    post, errors, _ = read("---\ntitle: T\ndate: 2024-03-01\n---\n"
                           "Read [the report](https://example.org/r), *now*. It's **short**!\n\n"
                           "- an [item](/i).\n- a line  \n  broken\n\n| A | B |\n|---|---|\n| 1 | 2 |\n")
    assert errors == []
    assert post.summary == "Read the report, now. It’s short!"
    assert post.list_items == ["an item.", "a line broken"]
    assert post.paragraphs[-1] == "A B 1 2"   # table cells stay apart


def test_slug_from_dated_filename_drops_the_date():
    errors: list[ContentError] = []
    post = read_markdown_post("---\ntitle: T\ndate: 2024-01-01\n---\nBody.\n", "posts/2024-01-01-my-story.md",
                              TOPICS, errors, [])
    assert post.slug == "my-story"


def test_invalid_date():
    assert only_error("---\ntitle: T\ndate: 31/02/2024\n---\n") == \
        'content/posts/x.md:3: date "31/02/2024" is not a valid date (use YYYY-MM-DD)'


def test_impossible_iso_date():
    assert only_error("---\ntitle: T\ndate: 2024-02-31\n---\n") == \
        'content/posts/x.md:3: date "2024-02-31" is not a valid date (use YYYY-MM-DD)'


def test_missing_title_and_date_are_both_reported():
    post, errors, _ = read("---\nauthor: Jo\n---\nText.\n")
    assert post is None
    assert [e.message for e in errors] == ["missing title", "missing date"]


def test_topics_as_a_string_is_a_type_error():
    message = only_error("---\ntitle: T\ndate: 2024-01-01\ntopics: online-safety\n---\n")
    assert message.startswith("content/posts/x.md:4: topics must be a list of topic slugs")


def test_draft_as_text_is_a_type_error():
    message = only_error('---\ntitle: T\ndate: 2024-01-01\ndraft: "yes"\n---\n')
    assert message.startswith("content/posts/x.md:4: draft must be true or false")


def test_undeclared_topic_names_the_line_of_the_item():
    message = only_error("---\ntitle: T\ndate: 2024-01-01\ntopics:\n  - education\n  - fostering\n---\n")
    assert message.startswith("content/posts/x.md:6: topic 'fostering' is not declared in site.yaml")


def test_unknown_key_is_a_warning_with_its_line():
    post, errors, warnings = read("---\ntitle: T\ndate: 2024-01-01\ncolour: blue\n---\nText.\n")
    assert post is not None and errors == []
    assert warnings[0].format().startswith("content/posts/x.md:4: unknown key 'colour' ignored")


def test_malformed_yaml_names_line_and_column():
    message = only_error("---\ntitle: T\ndate: 2024-01-01\ntopics: [a, b\n---\n")
    assert message.startswith("content/posts/x.md:5:")
    assert "YAML syntax error" in message


def test_front_matter_not_closed():
    assert only_error("---\ntitle: T\ndate: 2024-01-01\nBody.\n").startswith(
        "content/posts/x.md:1: front matter is not closed")


def test_no_front_matter():
    assert "no front matter" in only_error("Just text.\n")


def test_bad_slug():
    message = only_error("---\ntitle: T\ndate: 2024-01-01\nslug: ../../etc\n---\n")
    assert message.startswith('content/posts/x.md:4: slug "../../etc" is not a valid slug')


def test_a_top_level_heading_in_the_body_is_a_section_heading():
    post, errors, _ = read("---\ntitle: T\ndate: 2024-01-01\n---\nFirst.\n\n# What [Ofsted](/o) found\n\n"
                           "Then.\n\n<h1 class=x>Raw</h1>\n")
    assert errors == []
    assert "<h1" not in post.body_html
    assert '<h2>What <a href="/o" rel="noopener">Ofsted</a> found</h2>' in post.body_html
    assert [(b.kind, b.lines) for b in post.blocks] == [("paragraph", ("First.",)),
                                                        ("subheading", ("What Ofsted found",)),
                                                        ("paragraph", ("Then.",)), ("subheading", ("Raw",))]


def test_raw_html_in_markdown_is_sanitised():
    post, errors, _ = read("---\ntitle: T\ndate: 2024-01-01\n---\nHello <script>alert(1)</script>"
                           "<a href=\"javascript:alert(2)\" onclick=\"x()\">link</a>\n\n<iframe src=x></iframe>\n")
    assert errors == []
    html = post.body_html
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html and "<iframe" not in html
    assert "link" in html


def test_an_update_dated_before_the_post_is_a_warning_naming_its_line():
    post, errors, warnings = read("---\ntitle: T\ndate: 2024-03-01\nupdated: 2024-01-01\n---\nText.\n")
    assert errors == [] and post is not None
    assert [w.format() for w in warnings] == [
        "content/posts/x.md:4: updated (2024-01-01) is before date (2024-03-01): were the two swapped?"]
    _, _, warnings = read("---\ntitle: T\ndate: 2024-03-01\nupdated: 2024-03-01\n---\nText.\n")
    assert warnings == []


def test_figure_corrections_are_read():
    post, errors, _ = read('---\ntitle: T\ndate: 2024-01-01\nfigures:\n  drop: ["2,000"]\n'
                           '  series: {"37%": instagram-share}\n'
                           '  add:\n    - {value: "1 in 5", number: 20, unit: ratio, label: of children}\n---\nText.\n')
    assert errors == []
    edits = post.figure_edits
    assert edits.drop == ("2,000",) and edits.series == {"37%": "instagram-share"}
    assert (edits.add[0].value, edits.add[0].number, edits.add[0].unit) == ("1 in 5", 20, "ratio")


@pytest.mark.parametrize("figures,expected", [
    ("figures: [1, 2]", "content/posts/x.md:4: figures must be a mapping"),
    ("figures:\n  add:\n    - {value: x, number: 2, unit: percent}", "content/posts/x.md:6: figures.add[0] is missing 'label'"),
    ("figures:\n  add:\n    - {value: x, number: 2, unit: furlongs, label: y}", "content/posts/x.md:6: unit 'furlongs' is not one of"),
    ("figures:\n  series: {\"37%\": Not A Slug}", "content/posts/x.md:5: series 'Not A Slug' is not a slug"),
    ("figures:\n  keep: [x]", "content/posts/x.md:5: unknown key 'figures.keep'"),
])
def test_figure_corrections_are_validated(figures, expected):
    assert only_error(f"---\ntitle: T\ndate: 2024-01-01\n{figures}\n---\n").startswith(expected)


# Flat front matter is read without the YAML parser (yamltext._flat_yaml) where it can be:
# its reading must be the parser's, or it must decline.
_KEYS = ["title", "date", "topics", "summary", "author", "slug", "Title", "_x", "key_2", "yes", "on", "No",
         "null", "True", "y", "n", "a b", "2024", "-k", "ti#tle", "title "]
_VALUES = [
    "Plain words", "Children's services", "A headline – with a dash", "Nine out of 10", "x", "Y", "n", "yes", "No",
    "off", "ON", "true", "FALSE", "null", "Null", "~", "3", "3.5", "1e3", "1_000", "0x1F", "0o17", ".inf", ".NaN",
    "-1", "+2", "12:30", "190:20:30", "2024-05-05", "2024-5-5", "2024-05-05 10:00", "2024-05-05T10:00:00Z",
    "20240505", "a: b", "a:b", "a #b", "a#b", "#x", "-x", "- x", "x-", "?x", "!x", "&x", "*x", "|x", ">x", "%x",
    "@x", "`x", "a [b]", "a {b}", "a, b", "a,b", "'q'", "'it''s'", "'a", "'a' b", '"q"', '"a \\"b"', '"a \\n b"',
    '"a # b"', '"a: b"', '""', "''", '"a', '"a" b', "[a, b]", "[a,b]", "[ a , b ]", "[]", "[ ]", "[a, , b]",
    "[a,]", "[a b, c]", "[yes, no]", "[a: b]", "[a, [b]]", "['a', b]", '["a", b]', "[3, a]", "[a, b] c",
    "[a, b", "a]", "É accent", "Éire", "naïve", "tab\there", "nbsp\u00a0here", "zero\u200bwidth",
    "line\u2028sep", "\ufeffbom", "emoji 🙂 here", "Ofsted & NSPCC", "5 Things", "Q&A", "A - B", "a  b",
]

_USUAL_VALUES = ["Plain words", "Children's services", '"Quoted: with a colon"', "'it''s'", "2024-05-05",
                 "[a, b]", "[online-safety]", "[]", "[Barnardo's, NSPCC]", "[a, 'b']", "Ofsted & NSPCC", "yes", "3", "a: b"]


def _front_matter(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 6)):
        if rng.random() < 0.05:
            lines.append(rng.choice(["", "  ", "# a comment", "  indented: x", "---", "- item", "key"]))
            continue
        usual = rng.random() < 0.85
        key = rng.choice(_KEYS[:6] if usual else _KEYS)
        separator = ": " if usual else rng.choice([": ", ":  ", ":", ":\t", " : "])
        value = rng.choice(_USUAL_VALUES if usual else _VALUES)
        lines.append(key + separator + value + ("" if usual else rng.choice(["", " ", "  ", "\t", " # note"])))
    return "\n".join(lines)


def test_flat_front_matter_is_read_as_the_yaml_parser_reads_it_or_declined():
    from childfirst_site.errors import ContentError
    from childfirst_site.yamltext import _flat_yaml, parse_yaml
    rng = random.Random(5)
    taken = 0
    for _ in range(6000):
        text = _front_matter(rng)
        flat = _flat_yaml(text, "x.md", 2)
        if flat is None:
            continue
        taken += 1
        try:
            parsed = parse_yaml(text, "x.md", 2)
        except ContentError as exc:
            raise AssertionError(f"read without the parser, an error with it: {text!r}: {exc}") from None
        assert (flat.data, flat.lines) == (parsed.data, parsed.lines), text
    assert 600 < taken < 5000   # both sides exercised


def test_an_editors_usual_front_matter_is_read_without_the_parser():
    from childfirst_site.yamltext import _flat_yaml
    text = ('title: "Ofsted: children\'s homes inspected"\ndate: 2024-03-01\nauthor: Jo Reporter\n'
            "topics: [online-safety, child-protection]\nsummary: What the figures say, and why it matters.")
    flat = _flat_yaml(text, "x.md", 2)
    assert flat is not None and flat.data["title"] == "Ofsted: children's homes inspected"
    assert flat.line_of("topics", 1) == 5 and flat.data["topics"] == ["online-safety", "child-protection"]
