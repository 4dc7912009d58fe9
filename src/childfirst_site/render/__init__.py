"""Render stage: routes and posts in, {output path: bytes} out. Nothing here touches disk
except reading templates and static assets."""
from __future__ import annotations

from pathlib import Path

from ..config import SiteConfig
from ..model import Post
from ..routes import Route, topic_listings
from .data import figures_csv, figures_json, posts_json
from .feeds import feed_pair
from .sitemap import robots_txt, sitemap_xml
from .templates import make_environment, render_routes


def read_static(static_dir: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if static_dir.is_dir():
        for path in sorted(static_dir.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[path.relative_to(static_dir).as_posix()] = path.read_bytes()
    return files


def render_site(routes: list[Route], posts: list[Post], config: SiteConfig,
                templates_dir: Path, static_dir: Path) -> dict[str, bytes]:
    files = read_static(static_dir)
    env = make_environment(templates_dir, config, posts)
    files.update(render_routes(env, routes, templates_dir.name))
    articles = [p for p in posts if not p.is_excerpt]
    files["feed.xml"], files["atom.xml"] = feed_pair(articles, config, "", "/", config.title, config.tagline)
    for listing in topic_listings(posts, config):
        feed_posts = [p for p in listing.posts if not p.is_excerpt]
        base = listing.url
        files[f"{base.lstrip('/')}feed.xml"], files[f"{base.lstrip('/')}atom.xml"] = feed_pair(
            feed_posts, config, base, base, f"{config.title}: {listing.topic.name}", listing.topic.description)
    files["sitemap.xml"] = sitemap_xml(routes, posts, config)
    files["robots.txt"] = robots_txt(config)
    files["data/posts.json"] = posts_json(posts, config)
    files["data/figures.json"] = figures_json(posts, config)
    files["data/figures.csv"] = figures_csv(posts, config)
    return files
