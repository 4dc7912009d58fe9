"""Search in the browser: the Pagefind index built with the site, queried through the
site's own search page. Expected results are worked out from the built pages themselves."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from .conftest import dump
from .test_accessibility import TAGS


def indexed_text(page: Path) -> str | None:
    """The text Pagefind is meant to index from a page: its article body minus the
    ignored parts; None for pages that are not indexed."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    body = soup.find(attrs={"data-pagefind-body": True})
    if body is None:
        return None
    for ignored in body.find_all(attrs={"data-pagefind-ignore": True}):
        ignored.decompose()
    return " ".join(body.get_text(" ").split())


@pytest.fixture(scope="module")
def indexed(served_site) -> dict[str, str]:
    """URL path → indexed text, for every page of the built site that is indexed."""
    out = served_site[1]
    pages = {}
    for page in sorted(out.rglob("index.html")):
        text = indexed_text(page)
        if text is not None:
            pages["/" + page.parent.relative_to(out).as_posix() + "/"] = text
    return pages


def wait_for_results(tab) -> None:
    # Polled by Playwright, not evaluated as a string: the page's CSP forbids eval.
    expect(tab.locator("[data-search-status]")).to_contain_text("found")


def run_search(tab, site_url: str, query: str = "", **fields: str) -> list[dict[str, str]]:
    """Search through the form on /search/ and return every result (all pages of them)."""
    tab.goto(site_url + "search/")
    tab.get_by_label("Search every story").fill(query)
    for label, value in fields.items():
        tab.get_by_label(label.capitalize()).select_option(value)
    tab.get_by_role("button", name="Search", exact=True).last.click()
    wait_for_results(tab)
    more = tab.get_by_role("button", name="Show more results")
    while more.count() and more.is_visible():
        before = tab.locator(".search-result").count()
        more.click()
        expect(tab.locator(".search-result")).not_to_have_count(before)
    return tab.eval_on_selector_all(".search-result", """items => items.map(item => ({
        url: new URL(item.querySelector('a').href).pathname,
        title: item.querySelector('a').textContent,
        meta: item.querySelector('.post-meta').textContent,
        excerpt: item.querySelector('.search-result__excerpt').innerHTML}))""")


def mentioning(indexed: dict[str, str], word: str) -> set[str]:
    return {url for url, text in indexed.items() if re.search(rf"\b{word}\b", text, re.IGNORECASE)}


def test_instagram_finds_the_articles_that_mention_it_and_no_others(page, site_url, indexed):
    expected = mentioning(indexed, "instagram")
    assert 0 < len(expected) < len(indexed)  # a real test: some pages mention it, some do not
    results = run_search(page, site_url, "Instagram")
    assert {r["url"] for r in results} == expected, dump(results)
    for result in results:
        assert result["title"] and re.search(r"\d{4}", result["meta"])  # title, and a dated meta line
    assert any("<mark>" in r["excerpt"].lower() for r in results)  # the match is highlighted


def test_topic_filter_narrows_the_results(page, site_url, indexed, served_site):
    everything = run_search(page, site_url, "children")
    assert {r["url"] for r in everything} == mentioning(indexed, "children")
    topics = {}
    for url in {r["url"] for r in everything}:
        soup = BeautifulSoup((served_site[1] / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")
        topics[url] = {tag["data-pagefind-filter"].split(":", 1)[1] for tag in soup.find_all(
            attrs={"data-pagefind-filter": re.compile("^topic:")})}
    # A topic some but not all of those stories carry.
    topic = next(t for t in sorted(set().union(*topics.values())) if 0 < sum(t in ts for ts in topics.values()) < len(topics))
    narrowed = run_search(page, site_url, "children", topic=topic)
    assert {r["url"] for r in narrowed} == {url for url, ts in topics.items() if topic in ts}
    assert all(topic in r["meta"] for r in narrowed)
    assert page.get_by_label("Topic").input_value() == topic  # the form shows the filter in use


def test_a_term_only_in_a_key_figure_sentence_finds_its_article(page, site_url, indexed, served_site):
    figures = json.loads((served_site[1] / "data/figures.json").read_text(encoding="utf-8"))["figures"]
    chosen = None
    for figure in figures:
        url = "/" + figure["article_url"].split("/", 3)[3].split("#")[0]
        for word in sorted(set(re.findall(r"[A-Za-z]{6,}", figure["sentence"]))):
            if mentioning(indexed, word) == {url}:
                chosen = (word, url)
                break
        if chosen:
            break
    assert chosen, "no key-figure sentence has a word of its own in the fixture site"
    results = run_search(page, site_url, chosen[0])
    assert [r["url"] for r in results] == [chosen[1]]


def test_newest_first_sorts_by_date(page, site_url):
    results = run_search(page, site_url, "children", order="Newest first")
    dates = [re.search(r"\d{1,2} \w+ \d{4}", r["meta"]).group(0) for r in results]
    parsed = [dt.datetime.strptime(d, "%d %B %Y") for d in dates]
    assert len(parsed) > 2 and parsed == sorted(parsed, reverse=True)


def test_header_search_box_leads_to_the_search_page(page, site_url):
    page.goto(site_url)
    page.get_by_label("Search stories").fill("Instagram")
    page.get_by_label("Search stories").press("Enter")
    page.wait_for_url("**/search/?q=Instagram")
    wait_for_results(page)
    assert page.get_by_label("Search every story").input_value() == "Instagram"
    assert page.locator(".search-result").count() > 0


def test_without_javascript_the_search_page_offers_topics_and_archive(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "search/?q=Instagram")
    links = tab.eval_on_selector_all(".search-browse a", "links => links.map(a => new URL(a.href).pathname)")
    context.close()
    assert "/topics/online-safety/" in links and any(re.fullmatch(r"/archive/\d{4}/", link) for link in links)


def test_search_results_have_no_axe_violations(browser, site_url, axe_source):
    context = browser.new_context(bypass_csp=True)
    tab = context.new_page()
    tab.goto(site_url + "search/?q=Instagram")
    wait_for_results(tab)
    tab.add_script_tag(content=axe_source)
    result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    context.close()
    assert [v["id"] for v in result["violations"]] == [], dump(result["violations"])
