"""{% cache %} fragments: rendered once per key, and a site built with them is the site
built without them, byte for byte."""
from __future__ import annotations

import re
import shutil

import jinja2

from childfirst_site.pipeline import build
from childfirst_site.render.fragments import FragmentCache
from conftest import TEMPLATES, make_content, options


def test_a_fragment_is_rendered_once_per_key():
    calls: list[str] = []
    env = jinja2.Environment(extensions=[FragmentCache], autoescape=True)
    env.globals["seen"] = lambda name: calls.append(name) or name
    template = env.from_string("{% cache key %}<b>{{ seen(key) }}</b>{% endcache %}")
    pages = [template.render(key=key) for key in ("a", "a", "b", "a")]
    assert pages == ["<b>a</b>", "<b>a</b>", "<b>b</b>", "<b>a</b>"]
    assert calls == ["a", "b"]


def test_the_site_is_the_same_with_and_without_its_cached_fragments(tmp_path):
    plain = tmp_path / "templates"
    shutil.copytree(TEMPLATES, plain)
    tags = 0
    for path in plain.rglob("*.html"):
        text, count = re.subn(r"{% (?:cache [^%]*|endcache) %}", "", path.read_text(encoding="utf-8"))
        tags += count
        path.write_text(text, encoding="utf-8")
    assert tags >= 8   # header, footer, sidebar (twice), enquiry call to action: opened and closed
    content = make_content(tmp_path)
    build(options(content, tmp_path / "cached"))
    build(options(content, tmp_path / "plain", templates_dir=plain))
    cached = {p.relative_to(tmp_path / "cached"): p.read_bytes() for p in (tmp_path / "cached").rglob("*") if p.is_file()}
    uncached = {p.relative_to(tmp_path / "plain"): p.read_bytes() for p in (tmp_path / "plain").rglob("*") if p.is_file()}
    assert len(cached) > 30 and cached == uncached
