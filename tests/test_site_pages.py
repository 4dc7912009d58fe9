"""Every page type of the built fixture site, parsed and checked."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from childfirst_site.slugs import slugify
from conftest import GENERATED_POSTS

BASE = "https://fixture.example.test"


def page(out: Path, url: str) -> BeautifulSoup:
    path = out / urlsplit(url).path.lstrip("/")
    if url.endswith("/"):
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def resolves(out: Path, href: str) -> bool:
    """Whether a site link (root-relative or absolute on the site) names a file in out."""
    parts = urlsplit(href)
    if parts.netloc and f"{parts.scheme}://{parts.netloc}" != BASE:
        return True  # external: not ours to check here
    path = parts.path
    target = out / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    return target.is_file()


def all_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_report_counts_every_source(built_site):
    out, report = built_site
    outcomes = {o.path.split("content/")[-1]: o.outcome for o in report.outcomes.values()}
    assert outcomes["posts/draft.md"] == "draft"
    assert outcomes["posts/future.md"] == "future"
    assert outcomes["sources/000_c175f9f0b0a20727.txt"] == "published"
    assert outcomes["sources/001_instagram.html"] == "published"
    assert outcomes["sources/001_instagram.yaml"] == "sidecar"
    # 12 generated + 1 fixture post + draft + future + 2 raw + 2 sidecars + 3 pages + site.yaml
    assert len(outcomes) == 23
    assert report.post_kinds["article"] == 13 and report.post_kinds["aggregated"] == 2
    assert report.post_kinds["teaser"] == 6


def test_drafts_and_future_posts_are_not_published(built_site):
    out, _ = built_site
    assert not (out / "articles" / "draft").exists()
    assert not (out / "articles" / "future").exists()
    text = " ".join(p.read_text(encoding="utf-8") for p in all_pages(out))
    assert "A draft nobody should see" not in text and "A story from the future" not in text


def test_home_page_has_lead_and_ten_a_page(built_site):
    out, _ = built_site
    home = page(out, "/")
    lead = home.select_one("section.lead")
    assert lead is not None
    assert " ".join(lead.select_one(".post-meta").get_text().split()) == "10 December 2024 · By Jo Reporter · 1 min read"
    lead_link = lead.find("a")
    assert lead_link.get_text() == "Story number 12 about education"
    cards = home.select("article.card")
    assert len(cards) == 9  # the lead plus nine cards make ten
    next_link = home.select_one('nav.pagination a[rel="next"]')
    assert next_link["href"] == "/page/2/"
    second = page(out, "/page/2/")
    titles = [a.get_text() for a in second.select("article.card h3 a")]
    # 15 articles in all (13 editor posts, 2 aggregated): 5 on page 2, oldest last.
    assert len(titles) == 5
    assert titles[-1] == "Unhappy children reliant on social media are more exposed to grooming, warns NSPCC"
    assert second.select_one('nav.pagination a[rel="prev"]')["href"] == "/"


def test_article_page_structure(built_site):
    out, _ = built_site
    doc = page(out, "/articles/instagram-increasingly-used-to-groom-children/")
    article = doc.select_one("main article")
    assert article.find("h1").get_text() == "Instagram increasingly used to groom children"
    assert article.find("time")["datetime"] == "2020-08-21"
    meta = " ".join(article.select_one(".post-meta").get_text().split())
    assert meta == "21 August 2020 · 2 min read"
    assert [a.get_text() for a in article.select(".article__header .topic-tag")] == ["Online safety",
                                                                                       "Child protection"]
    notice = article.select_one("aside.notice")
    assert notice.get_text(strip=True).startswith("Support the #Respect4SocialWork campaign")
    body = article.select_one(".article__body")
    assert len(body.select("ul")) == 2 and len(body.select("ul li")) == 10
    assert len(body.select("blockquote")) == 2
    paragraphs = [p.get_text() for p in body.find_all("p", recursive=False)]
    assert paragraphs[0] == "Instagram is increasingly being used to groom children, the NSPCC has warned."
    assert doc.select_one('a[href="/enquiry/"].button') is not None
    sidebar = doc.select_one("aside.sidebar")
    assert sidebar.find("h2").get_text() == "Knowledge & Resources"
    assert len(sidebar.select("li")) == 3
    related = [a["href"] for a in doc.select("section.related a")]
    assert related and all(resolves(out, href) for href in related)
    reasons = [r.get_text() for r in doc.select("section[aria-labelledby=related-heading] .reason")]
    assert reasons and all(r.startswith(("Also about: ", "Chosen by the editor")) for r in reasons)


def test_article_sidebars_list_three_of_the_latest_stories_but_never_the_page_itself(built_site):
    out, _ = built_site
    shown: set[str] = set()
    articles = 0
    for path in all_pages(out):
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if doc.select_one('meta[property="og:type"][content="article"]') is None:
            continue   # not a story's page
        articles += 1
        own = urlsplit(doc.find("link", rel="canonical")["href"]).path
        links = [a["href"] for a in doc.select("aside.sidebar li a")]
        assert len(links) == 3 and own not in links, path
        shown.update(links)
    assert articles > 4
    assert len(shown) == 4   # the four newest: each page leaves itself out of them


def test_article_head_has_canonical_social_tags_and_json_ld(built_site):
    out, _ = built_site
    url = "/articles/instagram-increasingly-used-to-groom-children/"
    doc = page(out, url)
    assert doc.find("link", rel="canonical")["href"] == BASE + url
    assert doc.find("meta", property="og:type")["content"] == "article"
    assert doc.find("meta", property="og:url")["content"] == BASE + url
    data = json.loads(doc.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Instagram increasingly used to groom children"
    assert data["datePublished"] == "2020-08-21"
    assert data["mainEntityOfPage"] == BASE + url


def test_hostile_markup_in_html_source_never_reaches_pages(built_site):
    out, _ = built_site
    for path in all_pages(out):
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for script in doc.find_all("script"):
            # Only JSON-LD data blocks, or our own script files with no inline code.
            own_file = script.get("src", "").startswith("/js/") and not script.string
            assert script.get("type") == "application/ld+json" or own_file, (path, script)
        for tag in doc.find_all(True):
            assert not any(attr.startswith("on") for attr in tag.attrs), (path, tag)
            assert not str(tag.get("href", "")).lower().startswith("javascript:"), (path, tag)
    text = (out / "articles/instagram-increasingly-used-to-groom-children/index.html").read_text()
    assert "injected" not in text and "steal()" not in text


def test_teaser_posts_resolve_related_links(built_site):
    out, _ = built_site
    slug = slugify("Unhappy children reliant on social media are more exposed to grooming, warns NSPCC")
    doc = page(out, f"/articles/{slug}/")
    listed = doc.select_one("section.related[aria-labelledby=listed-heading]")
    links = [a["href"] for a in listed.select("a")]
    assert len(links) == 3
    assert all(resolves(out, href) for href in links)
    teaser = page(out, links[0])
    assert teaser.find("h1").get_text().startswith("Education secretary acted unlawfully")
    assert teaser.select_one(".excerpt-note") is not None
    body = teaser.select_one(".article__body")
    assert [p.get_text()[:30] for p in body.find_all("p")] == ["Education secretary Gavin Will", "Gavin Williamson acted lawfull"]
    assert body.get_text().strip().endswith("changes …")


def test_every_page_links_feeds_and_internal_links_resolve(built_site):
    out, _ = built_site
    pages = all_pages(out)
    assert len(pages) > 30
    for path in pages:
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        feeds = {link["type"]: link["href"] for link in doc.find_all("link", rel="alternate")}
        assert feeds["application/rss+xml"] == f"{BASE}/feed.xml" or "/topics/" in feeds["application/rss+xml"]
        assert "application/atom+xml" in feeds
        assert doc.find("a", class_="skip-link")["href"] == "#main"
        assert doc.find("main", id="main") is not None
        assert doc.find("html")["lang"] == "en-GB"
        assert len(doc.find_all("h1")) == 1, path
        for tag in doc.find_all(["a", "link"], href=True):
            href = tag["href"]
            if href.startswith(("mailto:", "tel:", "#")):
                continue
            assert resolves(out, href), f"{path}: broken link {href}"


def test_topic_pages_and_feeds(built_site):
    out, _ = built_site
    topics = page(out, "/topics/")
    assert [a.get_text() for a in topics.select("h2 a")] == ["Online safety", "Child protection", "Education"]
    topic = page(out, "/topics/education/")
    assert topic.find("h1").get_text().strip() == "Education"
    titles = [a.get_text() for a in topic.select("article.card h3 a")]
    generated = [t for _, t, _, topic_slug in GENERATED_POSTS if topic_slug == "education"]
    assert set(generated) <= set(titles)
    feed_links = {link["type"] for link in topic.find_all("link", rel="alternate") if "/topics/" in link["href"]}
    assert feed_links == {"application/rss+xml", "application/atom+xml"}
    assert (out / "topics/education/feed.xml").is_file()


def test_archive_pages(built_site):
    out, _ = built_site
    archive = page(out, "/archive/")
    years = [a.get_text() for a in archive.select(".year-list a")]
    assert years == sorted(years, reverse=True) and "2024" in years and "2020" in years
    year = page(out, "/archive/2024/")
    months = [h.get_text() for h in year.select("main h2")]
    assert months[0] == "December 2024" and months[-1] == "January 2024"


@pytest.mark.parametrize("url,heading", [("/about/", "About the fixture"), ("/privacy/", "Privacy"),
                                         ("/404.html", "Page not found")])
def test_simple_pages(built_site, url, heading):
    out, _ = built_site
    assert page(out, url).find("h1").get_text() == heading


def test_enquiry_form(built_site):
    out, _ = built_site
    doc = page(out, "/enquiry/")
    form = doc.select_one("main form")
    assert form["action"] == "https://forms.fixture.example.test/enquiry"
    assert form["method"] == "post"
    names = [field["name"] for field in form.find_all(["input", "select", "textarea"])]
    assert names == ["name", "email", "phone", "organisation", "role", "service", "message", "website", "consent"]
    for name in ("name", "email", "organisation", "role", "service", "message", "consent"):
        field = form.find(attrs={"name": name})
        assert field.has_attr("required"), name
        assert doc.find("label", attrs={"for": field["id"]}) is not None, name
    assert not form.find(attrs={"name": "phone"}).has_attr("required")
    assert form.find("input", attrs={"name": "email"})["type"] == "email"
    options = [o.get_text() for o in form.find("select").find_all("option") if o["value"]]
    assert options == ["Social work assessment", "Psychological assessment", "Training"]
    honeypot = form.find("input", attrs={"name": "website"})
    wrapper = honeypot.find_parent("div")
    assert wrapper["aria-hidden"] == "true" and "field--honeypot" in wrapper["class"]
    assert honeypot["tabindex"] == "-1"
    contact = doc.select_one(".enquiry__contact")
    assert contact.find("a", href="tel:+441206000000") is not None
    assert contact.find("a", href="mailto:hello@fixture.example.test") is not None
    assert "CO4 3ZL" in contact.get_text()


def test_posts_json(built_site):
    out, _ = built_site
    data = json.loads((out / "data/posts.json").read_text(encoding="utf-8"))
    posts = {p["slug"]: p for p in data["posts"]}
    assert len(posts) == 21
    instagram = posts["instagram-increasingly-used-to-groom-children"]
    assert instagram["url"] == f"{BASE}/articles/instagram-increasingly-used-to-groom-children/"
    assert instagram["date"] == "2020-08-21" and instagram["topics"] == ["online-safety", "child-protection"]
    assert instagram["summary"].startswith("Instagram is increasingly")
    assert set(instagram["related"]) <= set(posts) and instagram["related"]
    scores = instagram["related_scores"]
    assert len(scores) == len(instagram["related"])
    assert all(0.22 <= s <= 1.5 for s in scores)
    assert [(f["value"], f["unit"]) for f in instagram["stats"]] == [
        ("37%", "percent"), ("29%", "percent"), ("1,220", "count"), ("51%", "percent"), ("20%", "percent"),
        ("12,925", "count"), ("€20 million", "currency_eur")]
    assert all(f["topic"] == "online-safety" for f in instagram["stats"])
    for post in posts.values():
        assert resolves(out, post["url"])


def test_sitemap_and_robots(built_site):
    out, _ = built_site
    soup = BeautifulSoup((out / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    locs = [loc.get_text() for loc in soup.find_all("loc")]
    assert f"{BASE}/" in locs and f"{BASE}/enquiry/" in locs
    assert f"{BASE}/404.html" not in locs
    assert all(resolves(out, loc) for loc in locs)
    assert len(locs) == len(set(locs))
    assert f"Sitemap: {BASE}/sitemap.xml" in (out / "robots.txt").read_text().splitlines()


@pytest.mark.parametrize("base", ["https://fixture.example.test/", "https://fixture.example.test/children-first/",
                                  "https://fixture.example.test/a&b/"])
def test_sitemap_locations_are_absolute_escaped_and_dated(base):
    """Every listed page at its absolute URL under the base URL's path, escaped as XML
    needs; a post's page dated by its update, else its date; pages kept out stay out."""
    import datetime as dt

    from childfirst_site.config import parse_site_config
    from childfirst_site.model import Post, PostKind
    from childfirst_site.render.sitemap import sitemap_xml
    from childfirst_site.routes import Route
    from test_config import VALID

    config = parse_site_config(VALID, "content/site.yaml").with_base_url(base)
    post = Post(source="p.md", kind=PostKind.ARTICLE, title="A story", slug="a-story", date=dt.date(2024, 5, 1),
                updated=dt.date(2024, 6, 2))
    routes = [Route(post.url, "article.html"), Route("/", "home.html"), Route("/q&a<1>/", "page.html"),
              Route("/404.html", "404.html", in_sitemap=False)]
    soup = BeautifulSoup(sitemap_xml(routes, [post], config), "xml")
    entries = {url.find("loc").get_text(): url.find("lastmod") for url in soup.find_all("url")}
    assert list(entries) == [base, f"{base}articles/a-story/", f"{base}q&a<1>/"]   # by path, as routes sort
    assert entries[f"{base}articles/a-story/"].get_text() == "2024-06-02"
    assert entries[base] is None and entries[f"{base}q&a<1>/"] is None
