"""What `serve` does between builds (rebuilds.py): work a build leaves for after it is reported."""
from __future__ import annotations

from childfirst_site.incremental import Manifest
from childfirst_site.pipeline import build
from childfirst_site.rebuilds import settle
from childfirst_site.rebuilds import Memory
from conftest import options
from test_build import tree_digest
from test_incremental import fresh_digest
from test_plan import corpus_post, edit, site  # noqa: F401 - site is a fixture


def test_a_manifest_left_for_settle_is_saved_by_it_unless_another_build_saved_one(site):
    """serve's builds leave the manifest for rebuilds.settle to save, while the editor
    reads; one saved meanwhile by another build (`make site` on the same cache) is newer,
    and stays."""
    folder = site.parent
    cache = folder / ".cache" / "build"
    memo = Memory(settles=True)
    served = options(site, folder / "public", cache_dir=cache, memo=memo, workers=2)
    build(served)
    assert not (cache / "manifest.pickle").exists() and memo.unsaved is not None
    settle(served)
    saved = (cache / "manifest.pickle").read_bytes()
    assert Manifest.load(cache / "manifest.pickle").entries == memo.manifest[1].entries
    edit(corpus_post(site, 3), "\n\n", "\n\nA sentence for the preview.\n\n")
    build(served)
    assert (cache / "manifest.pickle").read_bytes() == saved   # not yet
    build(options(site, folder / "other", cache_dir=cache, workers=2))   # another build's, meanwhile
    other = (cache / "manifest.pickle").read_bytes()
    settle(served)
    assert (cache / "manifest.pickle").read_bytes() == other
    # The next build finds a manifest of another folder: it trusts none of its files.
    edit(corpus_post(site, 4), "\n\n", "\n\nAnother sentence for the preview.\n\n")
    build(served)
    assert tree_digest(folder / "public") == fresh_digest(site)
