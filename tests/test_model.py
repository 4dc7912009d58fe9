"""Posts as the cache stores them: pickled lean (see Post.__reduce__), unpickled whole."""
from __future__ import annotations

import copy
import dataclasses
import pickle

from childfirst_site.model import AddedFigure, FigureEdits, PackedBlocks, Post, PostKind
from childfirst_site.sources.loader import load_content
from conftest import ROOT


def state(post: Post) -> dict[str, object]:
    values = dict(post.__dict__)
    values["blocks"] = list(post.blocks)   # packed or not, the same blocks
    values["body_html"] = post.body_html   # as read, or as UTF-8 until first read
    return values


def test_every_post_comes_back_from_a_pickle_with_every_field_as_it_was():
    posts = load_content(ROOT / "content").posts
    assert {post.kind for post in posts} >= {PostKind.ARTICLE, PostKind.AGGREGATED}
    assert any(post.stats for post in posts)
    edited = dataclasses.replace(posts[0], figure_edits=FigureEdits(
        add=(AddedFigure("12", 12.0, "count", "cases"),), drop=("37%",), series={"37%": "grooming"}))
    for post in [*posts, edited]:
        again = pickle.loads(pickle.dumps(post, protocol=pickle.HIGHEST_PROTOCOL))
        assert state(again) == state(post), post.source
        assert again.kind is post.kind and isinstance(again.blocks, PackedBlocks)
        assert [type(figure) for figure in again.stats] == [type(figure) for figure in post.stats]
        assert state(copy.deepcopy(post)) == state(post)
    assert pickle.loads(pickle.dumps(edited)).figure_edits == edited.figure_edits


def test_a_cached_post_holds_views_of_the_cache_file_and_is_the_post_as_read(tmp_path):
    """Long byte strings of a post loaded from the cache (body, blocks, term counts) are
    views of the mapped shard, not copies; the post is the one read from its source, and
    pickles and copies as one."""
    from childfirst_site.cache import Cache
    from childfirst_site.sources.batch import read_all

    def cached_read() -> tuple[Cache, list[Post]]:
        cache = Cache.open(tmp_path / "sources", "salt")
        posts = load_content(ROOT / "content", lambda jobs, config: read_all(jobs, config, cache, 1)).posts
        cache.save()
        return cache, posts

    def plain(post: Post) -> dict[str, object]:
        values = state(post)
        values["related_terms"] = tuple(bytes(part) for part in post.related_terms)
        del values["read_digest"]   # set by the build from the cache key
        return values

    fresh = sorted(load_content(ROOT / "content").posts, key=lambda p: p.source)
    cached_read()
    cache, cached = cached_read()
    assert cache.hits == len(cached) == len(fresh) and cache.misses == 0
    cached.sort(key=lambda p: p.source)
    viewed = [post for post in cached if type(post.__dict__["body_html"]) is memoryview]
    assert viewed and all(type(post.blocks._data) is memoryview for post in viewed)   # type: ignore[attr-defined]
    assert any(type(post.related_terms[0]) is memoryview for post in viewed)
    for read, loaded in zip(fresh, cached, strict=True):
        assert plain(loaded) == plain(read), read.source
        assert plain(pickle.loads(pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))) == plain(read)
        assert plain(copy.deepcopy(loaded)) == plain(read)
