"""Key figures on the built site: the article panel, marked sentences, /figures/ pages,
data files and series charts."""
from __future__ import annotations

import csv
import functools
import io
import json

import pytest

from childfirst_site.slugs import slugify
from test_site_pages import BASE, page

INSTAGRAM = "/articles/instagram-increasingly-used-to-groom-children/"
UPDATE = "/articles/grooming-figures-update/"


def test_article_panel_links_each_figure_to_its_marked_sentence(built_site):
    out, _ = built_site
    doc = page(out, INSTAGRAM)
    panel = doc.select_one("section.figures-panel")
    assert panel.find("h2").get_text() == "Key figures"
    figures = panel.select("li.figure")
    values = [f.select_one(".figure__value").get_text() for f in figures]
    assert values == ["37%", "29%", "1,220", "51%", "20%", "12,925", "Up to €20 million"]
    assert all(f.select_one(".figure__label").get_text().strip() for f in figures)
    body = doc.select_one(".article__body")
    for figure in figures:
        anchor = figure.find("a")["href"]
        assert anchor.startswith("#")
        target = body.find(id=anchor[1:])
        assert target is not None and "figure-source" in target["class"]
        value = figure.select_one(".figure__value").get_text().removeprefix("Up to ")
        assert value in target.get_text()
    # 37% and 29% share one sentence, so one marked target.
    assert figures[0].find("a")["href"] == figures[1].find("a")["href"]
    assert figures[1].select_one(".figure__label").get_text() == "compared with 37% of online grooming offences"


def test_sentence_marking_survives_inline_markdown(built_site):
    out, _ = built_site
    doc = page(out, UPDATE)
    target = doc.select_one(".article__body").find(id="figure-1")
    # The sentence crosses <em>, so the paragraph carries the anchor.
    assert target.name == "p" and "32%" in target.get_text()
    values = [v.get_text() for v in doc.select(".figures-panel .figure__value")]
    assert values == ["32%", "41%"]  # 2,000 was dropped by the editor, 41% added


def test_figures_page_groups_by_topic_newest_first(built_site):
    out, _ = built_site
    doc = page(out, "/figures/")
    groups = doc.select("section.figure-group")
    assert [g.find("h2").get_text() for g in groups] == ["Online safety"]
    entries = groups[0].select("li.figure")
    dates = [e.find("time")["datetime"] for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert len(entries) == 2 + 7 + 4  # update post, Instagram page, seed 000
    links = [e.select_one(".figure__source a")["href"] for e in entries]
    # Every extracted figure links to its sentence; the editor's added one (no sentence) to its article.
    assert [href for href in links if "#figure-" not in href] == [UPDATE]
    topic_links = [a["href"] for a in doc.select("nav.figure-topics a")]
    assert topic_links == ["/figures/", "/figures/online-safety/"]
    assert doc.select_one("[data-figure-filter]").has_attr("hidden")  # shown only by the script
    assert doc.find("script", src="/js/figures-filter.js") is not None
    assert (out / "js/figures-filter.js").is_file()
    topic_page = page(out, "/figures/online-safety/")
    assert topic_page.find("h1").get_text() == "Key figures: Online safety"


def test_figures_json_and_csv(built_site):
    out, _ = built_site
    data = json.loads((out / "data/figures.json").read_text(encoding="utf-8"))["figures"]
    assert len(data) == 13
    first = next(f for f in data if f["value"] == "€20 million")
    assert first["article_url"].startswith(f"{BASE}{INSTAGRAM}#figure-")
    assert (first["number"], first["unit"], first["qualifier"]) == (20000000, "currency_eur", "up to")
    rows = list(csv.DictReader(io.StringIO((out / "data/figures.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 13
    assert [r["value"] for r in rows if r["article_title"] == "Grooming figures update"] == ["32%", "41%"]
    injected = next(r for r in rows if r["value"] == "41%")
    assert injected["label"].startswith("'=HYPERLINK")  # a spreadsheet shows it as text


def test_series_chart_has_one_mark_per_point_with_values(built_site):
    out, _ = built_site
    for url in ("/figures/", INSTAGRAM, UPDATE):
        doc = page(out, url)
        charts = doc.select("figure#series-instagram-share")
        assert len(charts) == 1, url   # once, however many of its points the page's post reports
        chart = charts[0]
        svg = chart.find("svg")
        group = svg.parent
        assert group["role"] == "group"
        title_id, desc_id = group["aria-labelledby"], group["aria-describedby"]
        assert svg.find("title", id=title_id).get_text() == "Instagram share"
        assert "37%" in svg.find("desc", id=desc_id).get_text()
        marks = svg.select("circle.point")
        assert [float(m["data-value"]) for m in marks] == [37, 32, 41]
        assert [t.get_text() for t in svg.select("text.value")] == ["37%", "32%", "41%"]
        links = [a["href"] for a in svg.find_all("a")]
        assert links[0] == f"{INSTAGRAM}#figure-1"
        rows = chart.select("table tbody tr")
        assert [r.find_all("td")[1].get_text() for r in rows] == ["37%", "32%", "41%"]
    # Seed 000 has figures but none in a series: no chart on its page.
    slug = slugify("Unhappy children reliant on social media are more exposed to grooming, warns NSPCC")
    assert page(out, f"/articles/{slug}/").select_one("figure.series") is None


def test_chart_points_are_ordered_oldest_first_and_scaled(built_site):
    out, _ = built_site
    svg = page(out, "/figures/").select_one("figure#series-instagram-share svg")
    ys = [float(c["cy"]) for c in svg.select("circle.point")]
    # Larger values sit higher (smaller y): 41 > 37 > 32.
    assert ys[2] < ys[0] < ys[1]


def test_figures_index_shows_the_newest_of_each_topic_and_topic_pages_list_all_in_pages(tmp_path, monkeypatch):
    """A large archive reports tens of thousands of figures: the index shows the newest
    few of each topic, and each topic's figures are listed in pages."""
    from childfirst_site import routes
    from childfirst_site.pipeline import build
    from conftest import make_content, options
    monkeypatch.setattr(routes, "FIGURES_ON_INDEX", 4)
    monkeypatch.setattr(routes, "FIGURES_PER_PAGE", 5)
    content = make_content(tmp_path)
    out = tmp_path / "public"
    build(options(content, out))
    full = json.loads((out / "data/figures.json").read_text(encoding="utf-8"))["figures"]
    index = page(out, "/figures/")
    group = index.select_one("section.figure-group")
    assert len(group.select("li.figure")) == 4
    more = group.select_one("p.more a")
    assert more["href"] == "/figures/online-safety/" and more.get_text() == f"All {len(full)} figures on Online safety"
    listed: list[str] = []
    url, titles = "/figures/online-safety/", []
    while url:
        doc = page(out, url)
        titles.append(doc.find("title").get_text())
        listed += [e.select_one(".figure__source a")["href"] + e.select_one(".figure__value").get_text()
                   for e in doc.select("li.figure")]
        assert doc.select_one("p.more") is None
        assert (doc.select_one("section.charts") is not None) == (url == "/figures/online-safety/")
        older = doc.select_one('nav.pagination a[rel="next"]')
        assert older is None or older.get_text() == "Older figures"
        url = older["href"] if older else None
    pages = -(-len(full) // 5)
    assert len(titles) == pages == len(set(titles)) and titles[1].startswith("Key figures: Online safety (page 2 of")
    assert len(listed) == len(set(listed)) == len(full)  # every figure once, none twice
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"/figures/online-safety/page/{pages}/" in sitemap


def test_data_files_kept_from_a_build_before_are_the_bytes_made_afresh(tmp_path, monkeypatch):
    """Each post's share of the data files is kept between builds: what is put together
    from kept shares must be exactly what encoding every post again gives, and what
    json.dumps gives for the same records."""
    from childfirst_site.cache import Cache
    from childfirst_site.enrich import enrich
    from childfirst_site.render.data import data_files, figure_record, post_data
    from childfirst_site.render.templates import absolute_url
    from childfirst_site.sources.batch import read_all
    from childfirst_site.sources.loader import load_content
    from conftest import ROOT

    loaded = load_content(ROOT / "content", lambda jobs, config: read_all(jobs, config, Cache.open(None, ""), 1))
    posts, _, _, scores, _ = enrich(loaded.posts, loaded.config, prepared=True)
    assert any(post.read_digest for post in posts) and any(post.stats for post in posts)
    fresh = data_files(posts, loaded.config, scores)
    memo = Cache.open(tmp_path / "data", "salt")
    assert data_files(posts, loaded.config, scores, memo) == fresh
    memo.save()
    kept = Cache.open(tmp_path / "data", "salt")
    assert data_files(posts, loaded.config, scores, kept) == fresh
    assert kept.hits == sum(1 for post in posts if post.read_digest) and kept.misses == 0

    # Shares made by the read workers (two, forked, every source read once, as a first
    # build reads them) give the same bytes, and go into an empty store as they are.
    from childfirst_site import workers
    monkeypatch.setattr(workers, "MIN_PARALLEL_ITEMS", 1)
    made: dict[str, bytes] = {}
    again = load_content(ROOT / "content", lambda jobs, config: read_all(
        jobs, config, Cache.open(None, ""), 2, None, functools.partial(post_data, config=config), made))
    posts_again, _, _, scores_again, _ = enrich(again.posts, again.config, prepared=True)
    assert set(made) == {post.read_digest.hex() for post in again.posts}
    empty = Cache.open(tmp_path / "made", "salt")
    assert data_files(posts_again, again.config, scores_again, empty, made=made) == fresh
    assert empty.hits == empty.misses == 0 and set(empty.used) == set(made)

    files = dict(fresh)
    records = json.loads(files["data/posts.json"])["posts"]
    lines = files["data/posts.json"].decode().split("\n")[1:-2]   # one record a line
    assert [line.removesuffix(",") for line in lines] == [json.dumps(record, ensure_ascii=False) for record in records]
    assert [record["slug"] for record in records] == [post.slug for post in posts]
    assert records[0]["stats"] == [figure_record(figure) for figure in posts[0].stats]
    figures = json.loads(files["data/figures.json"])["figures"]
    rows = list(csv.DictReader(io.StringIO(files["data/figures.csv"].decode())))
    assert len(figures) == len(rows) == sum(len(post.stats) for post in posts)
    with_figures = next(post for post in posts if post.stats)
    assert rows[0]["article_title"] == figures[0]["article_title"] == with_figures.title
    assert figures[0]["article_url"].startswith(absolute_url(loaded.config, with_figures.url))


@pytest.mark.parametrize("values", [[], ["a-story", "another-1"], ['Odd "slug"', "é"], ["plain", "Not Plain"]])
def test_related_slugs_are_encoded_as_json_encodes_them(values):
    from childfirst_site.render.data import _slugs_json
    assert _slugs_json(values) == json.dumps(values, ensure_ascii=False)


@pytest.mark.parametrize("values", [[], [0.1234, 1.0, 0.5], [None, 0.25], [float("nan")], [1e-07], [0.5, float("-inf")], [1, 0.5]])
def test_related_scores_are_encoded_as_json_encodes_them(values):
    from childfirst_site.render.data import _scores_json
    assert _scores_json(values) == json.dumps(values)
