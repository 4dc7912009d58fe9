"""The search index built with the site: what goes in, what stays out, reproducibility,
and failures that leave the published site alone. The browser tests query it."""
from __future__ import annotations

import gzip
import json

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from childfirst_site import search
from childfirst_site.errors import ContentError
from childfirst_site.pipeline import build
from childfirst_site.search.canonical import FILTER_SIGNATURE, UnexpectedFormat, decode, encode, sorted_filter
from conftest import make_content, options
from test_build import cli_build_args, run_cli, tree_digest

cbor = st.recursive(st.integers(0, 2**40) | st.text(max_size=20), lambda inner: st.lists(inner, max_size=5), max_leaves=30)


@given(cbor)
def test_cbor_subset_round_trips(item):
    data = encode(item)
    assert decode(data) == (item, len(data))


def test_filter_values_are_sorted_and_pages_kept():
    raw = FILTER_SIGNATURE + encode(["year", [["2024", [3, 1]], ["2019", [0]], ["2021", [2, 400]]]])
    name, values = decode(sorted_filter(raw), len(FILTER_SIGNATURE))[0]
    assert name == "year" and values == [["2019", [0]], ["2021", [2, 400]], ["2024", [3, 1]]]
    with pytest.raises(UnexpectedFormat):
        sorted_filter(b"something else")


def test_index_holds_every_article_and_nothing_else(built_site):
    out, report = built_site
    articles = sorted(p for p in out.glob("articles/*/index.html"))
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(articles) == report.search.pages
    assert "search index:" in report.format() and "KB" in report.format()
    # Pagefind's own ready-made interfaces are not shipped; the site has its own.
    assert not list((out / "pagefind").glob("pagefind-*ui*")) and (out / "pagefind/pagefind.js").is_file()
    for page in out.rglob("*.html"):
        marked = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all(attrs={"data-pagefind-body": True})
        assert len(marked) == (1 if page in articles else 0), page


def test_articles_carry_filters_sort_and_ignore_the_chrome(built_site):
    out, _ = built_site
    soup = BeautifulSoup((out / "articles/instagram-increasingly-used-to-groom-children/index.html").read_text(), "html.parser")
    body = soup.find(attrs={"data-pagefind-body": True})
    filters = [tag["data-pagefind-filter"] for tag in body.find_all(attrs={"data-pagefind-filter": True})]
    assert "topic:Online safety" in filters and any(f.startswith("year:20") for f in filters)
    sort = body.find(attrs={"data-pagefind-sort": True})["data-pagefind-sort"]
    assert sort.startswith("date:20") and len(sort) == len("date:2024-01-01")
    # Navigation, sidebar and footer are outside the indexed element; the article's own
    # extras (related lists, the enquiry invitation) are marked as ignored.
    for chrome in ("nav", "footer", "aside.sidebar"):
        assert all(tag.find_parent(attrs={"data-pagefind-body": True}) is None for tag in soup.select(chrome))
    for extra in body.select(".related, .enquiry-cta, .cta"):
        assert extra.find_parent(attrs={"data-pagefind-ignore": True}) or extra.has_attr("data-pagefind-ignore")


def test_search_page_and_header_box(built_site):
    out, _ = built_site
    home = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    box = home.select_one("header form[role=search]")
    assert box["action"] == "/search/" and box["method"] == "get" and box.select_one("input[name=q]")
    page = BeautifulSoup((out / "search/index.html").read_text(), "html.parser")
    form = page.select_one("main form[role=search]")
    field = form.select_one("input[name=q]")
    assert page.select_one(f"label[for={field['id']}]").get_text(strip=True)
    # Only the search page may compile WebAssembly.
    csp = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "'wasm-unsafe-eval'" in csp
    assert "wasm" not in home.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "/search/" not in (out / "sitemap.xml").read_text()


def test_index_is_byte_identical_across_builds(tmp_path):
    content = make_content(tmp_path)
    digests = []
    for name in ("one", "two", "three"):
        build(options(content, tmp_path / name, search=True))
        digests.append({k: v for k, v in tree_digest(tmp_path / name).items() if k.startswith("pagefind/")})
    assert len(digests[0]) > 5 and any(k.startswith("pagefind/filter/") for k in digests[0])
    assert digests[0] == digests[1] == digests[2]
    # The canonical files are still valid gzip that Pagefind's reader can open.
    for path in (tmp_path / "one/pagefind").rglob("*.pf_*"):
        assert gzip.decompress(path.read_bytes()).startswith(b"pagefind_")


def test_no_search_skips_the_index(tmp_path):
    content = make_content(tmp_path)
    result = run_cli(*cli_build_args(content, tmp_path / "public"), "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "search index: not built (--no-search)" in result.stdout
    assert not (tmp_path / "public/pagefind").exists() and (tmp_path / "public/search/index.html").is_file()
    result = run_cli(*cli_build_args(content, tmp_path / "public"), cwd=tmp_path)
    assert result.returncode == 0 and "search index: " in result.stdout and "pages" in result.stdout
    assert (tmp_path / "public/pagefind/pagefind.js").is_file()


def test_failed_indexing_fails_the_build_and_keeps_the_site(tmp_path, monkeypatch):
    content = make_content(tmp_path)
    out = tmp_path / "public"
    build(options(content, out))
    before = tree_digest(out)
    monkeypatch.setattr(search, "_executable", lambda: "/bin/false")
    with pytest.raises(ContentError, match="search indexing failed"):
        build(options(content, out, search=True))
    assert tree_digest(out) == before
    assert not list(tmp_path.glob(".public.*"))
