"""Hostile sources: nothing from them can inject script or markup into pages, feeds or
data files, and every text they carry is still shown, escaped."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, make_content, options

DANGEROUS_TAGS = ("script", "iframe", "object", "embed", "style", "frame", "frameset", "applet", "base", "form")
ALERT = re.compile(r"alert\(\d+\)")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, object]:
    from childfirst_site.pipeline import build
    base = tmp_path_factory.mktemp("hostile")
    content = make_content(base)
    for path in (FIXTURES / "hostile").rglob("*"):
        if path.is_file():
            target = content / path.relative_to(FIXTURES / "hostile")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    out = base / "public"
    report = build(options(content, out))
    return out, report


def test_no_executable_markup_in_any_page(hostile_site):
    out, _ = hostile_site
    for path in out.rglob("*.html"):
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in doc.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.lower().startswith("on"), (path, tag.name, name)
                text = " ".join(value) if isinstance(value, list) else str(value)
                assert not text.strip().lower().startswith(("javascript:", "data:text")), (path, tag.name, name)
            if tag.name in DANGEROUS_TAGS and tag.name != "form":
                assert tag.name == "script" and (tag.get("type") == "application/ld+json" or
                                                 (tag.get("src", "").startswith("/js/") and not tag.string)), \
                    (path, str(tag)[:120])
        if path.parent.name != "enquiry":
            # The site's own search forms (header, search page) are the only other forms.
            assert all(form.get("action") == "/search/" and form.get("method") == "get"
                       for form in doc.find_all("form")), path
        for script in doc.find_all("script", type="application/ld+json"):
            json.loads(script.string)  # still valid JSON …
            assert "</" not in script.string  # … and nothing in it can close the element


def test_hostile_text_is_shown_escaped(hostile_site):
    out, _ = hostile_site
    raw = BeautifulSoup((out / "articles/hostile-page/index.html").read_text(encoding="utf-8"), "html.parser")
    # Escaped markup in the page is text and is shown; a real <script> element is code and is dropped.
    assert raw.find("h1").get_text() == 'Breakout "><script>alert(1)</script> & title'
    body = raw.select_one(".article__body").get_text()
    assert "<iframe src=\"https://evil.example\"></iframe>" in body  # the entity trick stays text
    assert "\x07" not in body and "\x1b" not in body
    post = BeautifulSoup((out / "articles/hostile/index.html").read_text(encoding="utf-8"), "html.parser")
    assert post.find("h1").get_text() == "Quote \" breakout '><script>alert(8)</script> and </script> too"
    data = json.loads(post.find("script", type="application/ld+json").string)
    assert data["headline"] == "Quote \" breakout '><script>alert(8)</script> and </script> too"
    assert data["description"].startswith("</script><script>alert(9)</script>")
    assert post.find("meta", property="og:title")["content"] == data["headline"]


def test_feeds_and_data_files_carry_no_markup(hostile_site):
    out, _ = hostile_site
    for name in ("feed.xml", "atom.xml", "topics/online-safety/feed.xml"):
        feed = feedparser.parse((out / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        for entry in feed.entries:
            for content in entry.get("content", []):
                html = BeautifulSoup(content.value, "html.parser")
                assert not html.find(DANGEROUS_TAGS), (name, entry.title)
                assert not any(a.startswith("on") for t in html.find_all(True) for a in t.attrs)
    posts = json.loads((out / "data/posts.json").read_text(encoding="utf-8"))["posts"]
    hostile = next(p for p in posts if p["slug"] == "hostile")
    assert hostile["title"].startswith("Quote")  # data keeps the text as it is: consumers escape
    rows = list(csv.reader(io.StringIO((out / "data/figures.csv").read_text(encoding="utf-8"))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_control_characters_are_reported(hostile_site):
    _, report = hostile_site
    messages = [w.format() for w in report.warnings]
    assert any(m.startswith("content/posts/hostile.md: removed 2 invisible control character(s)") for m in messages), messages
    assert any(m.startswith("content/sources/hostile.html: removed 2") for m in messages), messages


def test_every_page_carries_a_strict_content_security_policy(hostile_site):
    out, _ = hostile_site
    for path in out.rglob("*.html"):
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        policy = doc.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        # The search page alone may also compile WebAssembly (Pagefind); never eval JavaScript.
        allowed = "'self' 'wasm-unsafe-eval'" if path.parent.name == "search" else "'self'"
        assert directives["script-src"] == allowed and directives["default-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert "unsafe-inline" not in policy and "*" not in policy


def test_characters_no_feed_can_hold_are_taken_out_with_a_warning(tmp_path):
    """Character references that decode to control characters (`&#1;`) and the two
    non-characters XML forbids, written or referred to, in a Markdown post and in an HTML
    page: the build used to stop with a traceback as it wrote the feeds."""
    from lxml import etree

    from childfirst_site.pipeline import build
    content = make_content(tmp_path)
    (content / "posts" / "2024-06-01-refs.md").write_text(
        "---\ntitle: References to nothing\ndate: 2024-06-01\n---\n"
        "Councils&#1; said *so* &#xFFFE;and&#x81; more \ufffftoo.\n", encoding="utf-8")
    (content / "sources" / "refs.html").write_text(
        "<html><body><h1>A page of references</h1><p>3 June 2024</p>"
        "<p>Nearly 40% of councils&#1; were short of staff&#xFFFF;, it said.</p></body></html>", encoding="utf-8")
    out = tmp_path / "public"
    report = build(options(content, out))
    notes = {(w.path, w.message) for w in report.warnings}
    assert ("content/posts/2024-06-01-refs.md", "removed 1 invisible control character(s)") in notes
    assert ("content/posts/2024-06-01-refs.md", "removed 3 invisible control character(s) written as character "
            "references (such as &#1;): no page or feed can hold them") in notes
    assert ("content/sources/refs.html", "removed 2 invisible control character(s) written as character "
            "references (such as &#1;): no page or feed can hold them") in notes
    for feed in ("feed.xml", "atom.xml"):
        text = etree.tostring(etree.parse(str(out / feed)), encoding="unicode")
        assert "Councils said" in text and "councils were short of staff, it said" in text
    page = (out / "articles" / "refs" / "index.html").read_text(encoding="utf-8")
    assert "Councils said <em>so</em> and more too." in page
