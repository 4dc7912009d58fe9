"""A reader's paths through the site, in Chromium, under the site's own CSP."""
from __future__ import annotations

import urllib.request

from .conftest import PAGE_TYPES


def test_home_to_article_to_related_to_topic_to_feed(page, site_url):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site_url)
    lead = page.locator("section.lead h2 a")
    lead_title = lead.inner_text()
    lead.click()
    assert page.locator("h1").inner_text() == lead_title
    related = page.locator("section.related a").first
    related_title = related.inner_text()
    related.click()
    assert page.locator("h1").inner_text() == related_title
    page.locator(".article__header .topic-tag").first.click()
    topic_name = page.locator("h1").inner_text()
    assert page.url.startswith(site_url + "topics/")
    feed_href = page.locator("a.feed-link").get_attribute("href")
    assert feed_href.endswith("/feed.xml")
    with urllib.request.urlopen(site_url.rstrip("/") + feed_href) as response:
        feed = response.read().decode("utf-8")
    assert response.status == 200 and "<rss" in feed and topic_name in feed
    assert errors == []


def test_home_pagination(page, site_url):
    page.goto(site_url)
    page.locator('nav.pagination a[rel="next"]').click()
    assert page.url == site_url + "page/2/"
    assert page.locator("nav.pagination [aria-current=page]").inner_text() == "Page 2 of 2"
    page.locator('nav.pagination a[rel="prev"]').click()
    assert page.url == site_url


def test_unknown_url_shows_the_404_page(page, site_url):
    response = page.goto(site_url + "no/such/page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    page.locator("main a", has_text="Latest stories").click()
    assert page.url == site_url


def test_no_csp_violations_or_console_errors_on_any_page(browser, site_url):
    for name, path in PAGE_TYPES.items():
        context = browser.new_context()
        tab = context.new_page()
        problems: list[str] = []
        tab.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        tab.on("pageerror", lambda e: problems.append(str(e)))
        tab.add_init_script("document.addEventListener('securitypolicyviolation',"
                            " e => console.error('CSP violation: ' + e.violatedDirective))")
        tab.goto(site_url + path.lstrip("/"))
        tab.wait_for_load_state("networkidle")
        # A 404 status is the point of the not-found page; nothing else may complain.
        problems = [p for p in problems if not (name == "not-found" and "404" in p)]
        assert problems == [], (name, problems)
        context.close()


def test_figures_filter_works_under_the_csp(page, site_url):
    page.goto(site_url + "figures/")
    box = page.locator("[data-figure-filter]")
    assert box.is_visible()
    total = page.locator("[data-figure]").count()
    page.fill("#figure-filter-input", "instagram")
    shown = page.locator("[data-figure]:visible").count()
    assert 0 < shown < total
    assert page.locator("#figure-filter-status").inner_text() == f"{shown} of {total} figures shown"


def test_figure_link_lands_on_highlighted_sentence(page, site_url):
    page.goto(site_url + "articles/instagram-increasingly-used-to-groom-children/")
    page.locator(".figures-panel a.figure__link").nth(2).click()
    target = page.locator(":target")
    assert "1,220" in target.inner_text()
    background = target.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert target.is_visible()
