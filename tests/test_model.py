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
