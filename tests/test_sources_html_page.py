"""An HTML capture of a page reads the same as its text capture."""
from __future__ import annotations

from childfirst_site.sources.html_page import LENIENT_NOTE, html_to_text
from childfirst_site.sources.raw_page import parse_raw_page
from conftest import FIXTURE_SITE, GOLD


def test_html_version_of_seed_reads_like_the_text_version():
    text = parse_raw_page((GOLD / "001_252e2a48f23fa4e9.txt").read_text(encoding="utf-8"), "a.txt")
    html = parse_raw_page(html_to_text((FIXTURE_SITE / "sources/001_instagram.html").read_text(encoding="utf-8")),
                          "a.html")
    assert html.title == text.title
    assert html.banner == text.banner
    assert html.blocks == text.blocks
    assert html.related == text.related
    assert html.quotes == text.quotes


def test_scripts_styles_and_markup_do_not_become_text():
    lines = html_to_text("<html><head><style>p{}</style><script>var x</script></head><body>"
                         "<p>One <b>bold</b> <a href='#'>word</a>.</p><div>Two<br>Three</div>"
                         "<ol><li>first</li><li>second</li></ol><ul><li>dot</li></ul>"
                         "<!-- a comment --><table><tr><td>a</td><td>b</td></tr></table></body></html>").splitlines()
    assert lines == ["One bold word.", "Two", "Three", "1. first", "2. second", "- dot", "a b"]


def test_markup_pythons_parser_gives_up_on_is_read_leniently_and_told():
    """"<![" opening no CDATA section or conditional comment makes Python's parser raise:
    such a scraped page is read with lxml's parser instead, with a warning, rather than
    stopping the build."""
    notes: list[str] = []
    lines = html_to_text("<html><body><h1>A <![headline]</h1><p>First <b>para</b>.</p><script>x()</script>"
                         "<p>Second.</p></body></html>", notes).splitlines()
    assert lines == ["A", "First para.", "Second."]
    assert notes == [LENIENT_NOTE]
    assert html_to_text("<p>Plain.</p>", notes) == "Plain.\n" and len(notes) == 1


def test_a_page_read_leniently_builds_with_a_warning(tmp_path):
    from childfirst_site.pipeline import build
    from conftest import make_content, options
    content = make_content(tmp_path)
    (content / "sources" / "odd.html").write_text(
        "<html><body><h1>Councils short of <![staff]</h1><p>12 March 2024</p>"
        "<p>Nearly 40% of councils were short of social workers, the survey found.</p></body></html>",
        encoding="utf-8")
    report = build(options(content, tmp_path / "public"))
    assert [w.message for w in report.warnings if w.path == "content/sources/odd.html"][:1] == [LENIENT_NOTE]
    assert (tmp_path / "public" / "articles" / "councils-short-of" / "index.html").is_file()


def test_a_page_nested_thousands_deep_is_read():
    """Read with a stack, not recursion: 3,000 nested elements went past Python's limit."""
    html = "<html><body><h1>Deep</h1>" + "<div>" * 3000 + "<ol><li>first</li></ol><p>Text.</p>" + "</div>" * 3000
    assert html_to_text(html + "</body></html>").splitlines() == ["Deep", "1. first", "Text."]
