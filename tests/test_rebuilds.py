"""What `serve` does between builds (rebuilds.py): work a build leaves for after it is reported."""
from __future__ import annotations

from childfirst_site.incremental import Manifest, manifest_file
from childfirst_site.pipeline import build
from childfirst_site.rebuilds import settle
from childfirst_site.rebuilds import Memory
from conftest import options
from test_build import tree_digest
from test_incremental import fresh_digest
from test_plan import corpus_post, edit, site  # noqa: F401 - site is a fixture


def test_a_manifest_left_for_settle_is_saved_by_it_unless_another_build_saved_one(site):
    """serve's builds leave the manifest for rebuilds.settle to save, while the editor
    reads; one saved meanwhile by another build into the same folder is newer, and stays.
    A build into another folder (`make site` beside `serve`'s preview) keeps its own."""
    folder = site.parent
    cache = folder / ".cache" / "build"
    manifest = manifest_file(cache, folder / "public")
    memo = Memory(settles=True)
    served = options(site, folder / "public", cache_dir=cache, memo=memo, workers=2)
    build(served)
    assert not manifest.exists() and memo.unsaved is not None
    settle(served)
    saved = manifest.read_bytes()
    assert Manifest.load(manifest).entries == memo.manifest[1].entries
    edit(corpus_post(site, 3), "\n\n", "\n\nA sentence for the preview.\n\n")
    build(served)
    assert manifest.read_bytes() == saved   # not yet
    build(options(site, folder / "other", cache_dir=cache, workers=2))   # into another folder
    assert manifest.read_bytes() == saved and manifest_file(cache, folder / "other").is_file()
    build(options(site, folder / "public", cache_dir=cache, workers=2))   # into this one, meanwhile
    other = manifest.read_bytes()
    settle(served)
    assert manifest.read_bytes() == other
    # The next build finds the manifest the other build left, and trusts what it says.
    edit(corpus_post(site, 4), "\n\n", "\n\nAnother sentence for the preview.\n\n")
    build(served)
    assert tree_digest(folder / "public") == fresh_digest(site)
