"""After an edit, pages showing no changed post keep their last fingerprint without it
being worked out again (page_inputs): the site and every fingerprint recorded must be
what a cold build of the edited content gives, whatever the edit."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from childfirst_site import fingerprint, workers
from childfirst_site.incremental import Manifest, manifest_file
from childfirst_site.page_inputs import PageInputs, frame_outline
from childfirst_site.pipeline import build
from conftest import make_content, options, write_post
from test_build import tree_digest


def _replace(path: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        file = content / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, count), encoding="utf-8")
    return edit


GROOMING = "posts/2023-06-01-grooming-figures-update.md"
RAW = "sources/000_c175f9f0b0a20727.txt"

# Edits that change a post's body only (its own page, and pages listing it, change), and
# edits that change what shapes other pages (the frame): each must give a cold build's site.
EDITS: dict[str, Callable[[Path], None]] = {
    "body": _replace("posts/2024-05-10-story-5.md", "A second paragraph", "A rewritten second paragraph"),
    "standfirst": _replace("posts/2024-07-10-story-7.md", "The standfirst of", "The new standfirst of"),
    "figure label": _replace(GROOMING, 'of offences", series', 'of recorded offences", series'),
    "series figure": _replace(GROOMING, '{value: "41%", number: 41', '{value: "43%", number: 43'),
    "figure added": _replace(GROOMING, "in the region.", "in the region. Referrals rose to 5,400 last year."),
    "figure no longer dropped": _replace(GROOMING, "2,000 offences", "2,500 offences"),
    "figure out of its series": _replace(GROOMING, "in 32% of", "in 34% of"),
    "title": _replace("posts/2024-05-10-story-5.md", "Story number 5", "A retitled story"),
    "topic": _replace("posts/2024-04-10-story-4.md", "topics: [online-safety]", "topics: [education]"),
    "date": _replace("posts/2024-03-10-story-3.md", "date: 2024-03-10", "date: 2024-09-30"),
    "latest post's body": _replace("posts/2024-12-10-story-12.md", "A second paragraph", "A longer second paragraph"),
    "page": _replace("pages/about.md", "A fixture **about** page.", "A rewritten **about** page."),
    "raw source": _replace(RAW, "Lonely, unhappy children", "Lonely and unhappy children"),
    "raw related block": _replace(RAW, "WillisPalmer launches Remote Assessment Service",
                                  "WillisPalmer opens a Remote Assessment Service"),
    "new post": lambda content: write_post(content, "2024-08-20-late.md", "A late story", "2024-08-20", "education"),
}


def _fingerprints(cache: Path, out: Path) -> dict[str, str]:
    return {path: entry.fingerprint for path, entry in Manifest.load(manifest_file(cache, out)).entries.items()
            if entry.fingerprint}


# Edits that leave the frame as it was: with no related links (which in a site this small
# an edit moves on the latest posts, which every page shows), they settle most pages.
SETTLING = {"body", "standfirst", "figure label", "series figure", "raw source"}


@pytest.mark.parametrize("related", ["scored", "none"])
@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edit_build_gives_a_cold_builds_site_and_fingerprints(tmp_path, monkeypatch, edit, related):
    monkeypatch.setattr(workers, "MIN_PARALLEL_ITEMS", 1)
    # Work apart runs forked (related stories, data files), as in build.py, whatever idle
    # threads earlier tests (the browser tests' servers) left: none holds a lock it needs.
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    content = make_content(tmp_path)
    if related == "none":
        _replace("site.yaml", "related: {count: 4, min_score: 0.22}", "related: {count: 4, min_score: 100}")(content)
    out, cache = tmp_path / "public", tmp_path / "cache"
    build(options(content, out, cache_dir=cache, workers=2))
    EDITS[edit](content)

    worked_out: list[str] = []
    route = fingerprint.Fingerprinter.route

    def counted(self, url, *args, **kwargs):
        worked_out.append(url)
        return route(self, url, *args, **kwargs)

    monkeypatch.setattr(fingerprint.Fingerprinter, "route", counted)
    report = build(options(content, out, cache_dir=cache, workers=2))
    monkeypatch.setattr(fingerprint.Fingerprinter, "route", route)
    assert report.published

    cold_out, cold_cache = tmp_path / "cold", tmp_path / "cold-cache"
    build(options(content, cold_out, cache_dir=cold_cache, workers=1))
    assert tree_digest(out) == tree_digest(cold_out)
    assert _fingerprints(cache, out) == _fingerprints(cold_cache, cold_out)
    if edit in SETTLING and (related == "none" or edit == "body"):
        # The edited post's page, pages that list it or link to it, the feeds and data
        # files: a handful of the site's pages, not all of them.
        assert len(worked_out) < report.pages_written / 2, worked_out


def test_every_page_is_fingerprinted_when_its_inputs_are_not_known(tmp_path, monkeypatch):
    """No inputs recorded, or damaged ones: nothing is settled, the site still right."""
    content = make_content(tmp_path)
    out, cache = tmp_path / "public", tmp_path / "cache"
    build(options(content, out, cache_dir=cache, workers=1))
    manifest = Manifest.load(manifest_file(cache, out))
    assert PageInputs.unpacked(manifest.pages) is not None
    for damaged in (b"", b"garbage", manifest.pages[:-9]):
        manifest.pages = damaged
        manifest.save(manifest_file(cache, out))
        EDITS["body"](content)
        worked_out: list[str] = []
        route = fingerprint.Fingerprinter.route
        monkeypatch.setattr(fingerprint.Fingerprinter, "route",
                            lambda self, url, *a, **k: worked_out.append(url) or route(self, url, *a, **k))
        report = build(options(content, out, cache_dir=cache, workers=1))
        monkeypatch.setattr(fingerprint.Fingerprinter, "route", route)
        assert len(worked_out) >= report.pages_written
        _replace("posts/2024-05-10-story-5.md", "A rewritten second paragraph", "A second paragraph")(content)
        build(options(content, out, cache_dir=cache, workers=1))
        manifest = Manifest.load(manifest_file(cache, out))
    build(options(content, tmp_path / "cold", workers=1))
    assert tree_digest(out) == tree_digest(tmp_path / "cold")


def test_the_frame_covers_each_outline_field(tmp_path):
    """What the frame is made of: a change to any of it gives another frame."""
    from childfirst_site.enrich import enrich
    from childfirst_site.render import shared_parts
    from childfirst_site.routes import plan_routes
    from childfirst_site.sources.loader import load_content
    from childfirst_site.sources.reader import read_job

    content = make_content(tmp_path)
    loaded = load_content(content, lambda jobs, config: [read_job(job.loaded(), config) for job in jobs])
    posts, series, *_ = enrich([p for p in loaded.posts if not p.draft and p.date.year < 2030], loaded.config)
    printer = fingerprint.Fingerprinter("salt")

    def frame() -> bytes:
        routes = plan_routes(posts, series, loaded.pages, loaded.config)
        return frame_outline(printer, posts, series, loaded.pages, routes).framed(
            shared_parts(printer, posts, loaded.config).values())

    first = frame()
    assert frame() == first
    for post in posts:   # equal values in other objects (as a post read afresh, not from the cache)
        post.slug, post.title = "".join(list(post.slug)), "".join(list(post.title))
        post.topics = ["".join(list(slug)) for slug in post.topics]
    assert frame() == first
    post = next(p for p in posts[5:] if p.stats)   # not among the latest, which every page shows
    changes = {"title": "Another title", "topics": ["education"], "updated": post.date,
               "date": post.date - dt.timedelta(days=1), "stats": post.stats[:-1],
               "stats ": [post.stats[0]._replace(topic="education"), *post.stats[1:]]}
    for name, value in changes.items():
        kept = getattr(post, name.strip())
        setattr(post, name.strip(), value)
        assert frame() != first, name
        setattr(post, name.strip(), kept)
        assert frame() == first
    chart = series[0]
    series[0] = dataclasses.replace(chart, points=chart.points[:-1])
    assert frame() != first, "series"
    series[0] = chart
    loaded.pages["about"] = dataclasses.replace(loaded.pages["about"], body_html="<p>Another page.</p>")
    assert frame() != first, "pages"


def test_a_settled_page_deleted_by_hand_is_made_again(tmp_path):
    content = make_content(tmp_path)
    out, cache = tmp_path / "public", tmp_path / "cache"
    build(options(content, out, cache_dir=cache, workers=1))
    (out / "articles" / "story-1" / "index.html").unlink()
    EDITS["body"](content)
    build(options(content, out, cache_dir=cache, workers=1))
    build(options(content, tmp_path / "cold", workers=1))
    assert tree_digest(out) == tree_digest(tmp_path / "cold")


def test_routes_made_later_are_the_same_context_and_pickle_as_it(tmp_path):
    """An article page's context is made when first looked at (routes._Later): the same
    mapping as made at once, and pickled as a plain dict where workers are spawned."""
    import pickle

    from childfirst_site.enrich import enrich
    from childfirst_site.routes import plan_routes
    from childfirst_site.sources.loader import load_content
    from childfirst_site.sources.reader import read_job

    content = make_content(tmp_path)
    loaded = load_content(content, lambda jobs, config: [read_job(job.loaded(), config) for job in jobs])
    posts, series, *_ = enrich([p for p in loaded.posts if not p.draft and p.date.year < 2030], loaded.config)
    articles = [route for route in plan_routes(posts, series, loaded.pages, loaded.config)
                if route.template == "article.html"]
    assert len(articles) == len(posts)
    for route, post in zip(articles, posts):
        context = dict(route.context)
        assert context["post"] is post and [p.slug for p in context["related"]] == [s for s in post.related]
        assert set(context) == {"post", "related", "listed", "listed_by", "charts"}
        again = pickle.loads(pickle.dumps(route))
        assert type(again.context) is dict and again.context.keys() == context.keys()
        assert again.output_path == route.output_path
    assert any(dict(route.context)["listed"] for route in articles)   # raw pages' related blocks matched by title
