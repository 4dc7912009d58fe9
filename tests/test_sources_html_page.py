"""An HTML capture of a page reads the same as its text capture."""
from __future__ import annotations

from childfirst_site.sources.html_page import html_to_text
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
