"""Links and images in bodies that lead nowhere on the site, and images without alt text:
found in the HTML, and told at every build, the cached posts' included."""
from __future__ import annotations

import pytest

from childfirst_site.links import images_without_alt, leads_nowhere, site_references
from conftest import make_content
from test_build import cli_build_args, run_cli

PAGES = {"/", "/about/", "/articles/a-story/", "/404.html"}
FILES = {"css/site.css", "img/logo.svg"}


def test_addresses_on_the_site_are_found_once_each_and_others_are_not():
    html = ('<p><a href="/articles/a-story/">a</a> <img alt="x" src="/img/logo.svg"> <a href="//elsewhere.org/">b</a>'
            ' <a href="https://example.org/">c</a> <a href="#part">d</a> <a href="/articles/a-story/">again</a></p>')
    assert site_references(html) == ("/articles/a-story/", "/img/logo.svg")
    assert site_references("<p>No links.</p>") == ()


def test_images_without_alt_are_found_and_an_empty_alt_is_a_choice():
    html = '<p><img src="/a.png"><img alt="" src="/b.png"><img alt="A chart" src="/c.png"><img title="t"></p>'
    assert images_without_alt(html) == ["/a.png", "?"]


@pytest.mark.parametrize("reference,nowhere", [
    ("/articles/a-story/", False), ("/articles/a-story/#figure-1", False), ("/articles/a-story/index.html", False),
    ("/about", False), ("/css/site.css", False), ("/404.html", False), ("/feed.xml", False), ("/?q=care", False),
    ("/articles/no-story/", True), ("/aboutus", True), ("/css/missing.css", True), ("/img/chart.png", True),
    ("/articles/a%20story/", True),
])
def test_an_address_leads_somewhere_if_it_is_a_page_or_a_file(reference, nowhere):
    assert leads_nowhere(reference, PAGES, FILES) is nowhere


def test_a_site_under_a_path_is_looked_at_under_it():
    assert not leads_nowhere("/children-first/about/", PAGES, FILES, "/children-first/")
    assert leads_nowhere("/children-first/jobs/", PAGES, FILES, "/children-first/")


def build_warnings(tmp_path, content, source: str) -> list[str]:
    """The warning lines a build of `content` prints about `source`."""
    result = run_cli(*cli_build_args(content, tmp_path / "public"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return [line.strip() for line in result.stdout.splitlines() if line.strip().startswith(f"warning: {source}:")]


def test_a_build_warns_of_links_that_lead_nowhere_and_of_images_without_alt_text(tmp_path):
    content = make_content(tmp_path)
    (content / "posts" / "2024-03-01-linking.md").write_text(
        "---\ntitle: A post that links\ndate: 2024-03-01\n---\n"
        "See [the story](/articles/story-1/), [a draft](/articles/draft/) and "
        "[a typo](/articles/stroy-2/).\n\n![](/img/chart.png)\n\n<img src=\"/css/site.css\">\n")
    source = "content/posts/2024-03-01-linking.md"
    assert build_warnings(tmp_path, content, source) == [
        f"warning: {source}: the image /css/site.css has no alt text: a screen reader reads out its file name "
        "instead (describe it, as ![what it shows](…), or write alt=\"\" if it is only decoration)",
        f"warning: {source}: links to /articles/draft/, which is not a page of this site "
        "(the post or page may be a draft, or renamed)",
        f"warning: {source}: links to /articles/stroy-2/, which is not a page of this site "
        "(the post or page may be a draft, or renamed)",
        f"warning: {source}: refers to /img/chart.png, which is not a file of this site "
        "(put it in static/img/chart.png)",
    ]
    # The linking post is not read again (it is cached), but what it links to went.
    (content / "posts" / "2024-01-10-story-1.md").unlink()
    assert f"warning: {source}: links to /articles/story-1/, which is not a page of this site " \
           "(the post or page may be a draft, or renamed)" in build_warnings(tmp_path, content, source)


def test_a_build_warns_of_raw_html_it_takes_out_and_of_images_from_other_sites(tmp_path):
    content = make_content(tmp_path)
    (content / "pages" / "video.md").write_text(
        "---\ntitle: Our video\n---\nWatch:\n\n<iframe src=\"https://www.youtube.com/embed/x\" title=\"v\"></iframe>\n\n"
        "<div style=\"color: red\">Kept, unstyled.</div>\n\n![The chart](https://www.ons.gov.uk/chart.png)\n\n"
        "`<script>` in code, and\n\n    <form> in a code block\n\nare text.\n")
    source = "content/pages/video.md"
    assert build_warnings(tmp_path, content, source) == [
        f"warning: {source}: <iframe> removed: pages show no embedded players, scripts, styles or forms "
        "(link to what it showed instead)",
        f"warning: {source}: the image https://www.ons.gov.uk/chart.png is on another site: pages load nothing "
        "from other sites, so it would not show (save it in static/ and use its address there)",
    ]
    page = (tmp_path / "public" / "video" / "index.html").read_text()
    assert "Kept, unstyled." in page and "<iframe" not in page and "&lt;script&gt;" in page


def test_body_links_are_put_under_a_base_path_on_pages_and_made_absolute_in_feeds(tmp_path):
    """Bodies address the site from its root. Under a base path, a page's links are
    moved under it (build.py check then finds none broken); a feed, which readers show
    away from the site, carries them whole."""
    import feedparser
    from childfirst_site.check import check_site
    from childfirst_site.links import under
    content = make_content(tmp_path)
    (content / "posts" / "2024-03-01-linking.md").write_text(
        "---\ntitle: A post that links\ndate: 2024-12-01\n---\n"
        "See [the story](/articles/story-1/) and [us](/about/), [the same](/children-first/about/), "
        "[elsewhere](https://other.example.net/about/).\n")
    (content / "pages" / "about.md").write_text(
        (content / "pages" / "about.md").read_text() + "\nRead [a story](/articles/story-2/).\n")
    out = tmp_path / "public"
    base = "https://example.org/children-first/"
    result = run_cli(*cli_build_args(content, out), "--base-url", base, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (out / "articles" / "linking" / "index.html").read_text()
    assert ('href="/children-first/articles/story-1/"' in page and 'href="/children-first/about/"' in page
            and 'href="https://other.example.net/about/"' in page and 'href="/about/"' not in page)
    assert 'href="/children-first/articles/story-2/"' in (out / "about" / "index.html").read_text()
    assert check_site(out, base)[0] == []
    for name in ("feed.xml", "atom.xml"):
        entry = next(e for e in feedparser.parse((out / name).read_bytes()).entries if e.title == "A post that links")
        body = entry.content[0].value
        assert 'href="https://example.org/children-first/articles/story-1/"' in body, name
        assert body.count('href="https://example.org/children-first/about/"') == 2, name
    # At the root, pages are as the body wrote them.
    assert under('<a href="/about/">', "", "/") == '<a href="/about/">'
