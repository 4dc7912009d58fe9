"""Cold, warm, incremental and parallel builds give the same bytes; a damaged, stale or
foreign cache, or a hand-edited public/, is noticed and rebuilt, never trusted."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from childfirst_site import cache as cache_module
from childfirst_site import incremental, workers
from childfirst_site.pipeline import build
from conftest import make_content, options, write_post
from test_build import tree_digest


def files_and_inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture()
def site(tmp_path, monkeypatch):
    # The fixture site is small; let even it go through the worker pool.
    monkeypatch.setattr(workers, "MIN_PARALLEL_ITEMS", 1)
    content = make_content(tmp_path)
    return content, tmp_path


def test_output_is_the_same_when_render_workers_are_replaced_often(site, monkeypatch):
    import childfirst_site.render as render
    content, folder = site
    build(options(content, folder / "reference", workers=1))
    monkeypatch.setattr(render, "PAGES_PER_WORKER_ROUND", 7)
    build(options(content, folder / "public", workers=2))
    assert tree_digest(folder / "public") == tree_digest(folder / "reference")


def cached(content: Path, out: Path, **overrides):
    return build(options(content, out, cache_dir=content.parent / ".cache" / "build", **overrides))


def add_a_line(content: Path) -> None:
    story = content / "posts" / "2024-05-10-story-5.md"
    story.write_text(story.read_text() + "\nOne more line.\n")


def fresh_digest(content: Path, **overrides) -> str:
    """The files of the same site built from scratch, without the cache."""
    fresh = content.parent / "fresh"
    build(options(content, fresh, **overrides))
    return tree_digest(fresh)


def test_cold_warm_incremental_and_parallel_builds_give_the_same_bytes(site):
    content, folder = site
    out = folder / "public"
    reference = folder / "reference"
    build(options(content, reference, workers=1))           # no cache, one process
    expected = tree_digest(reference)

    first = cached(content, out, workers=3)                   # cold, cache empty, three workers
    assert first.published and tree_digest(out) == expected
    before = files_and_inodes(out)
    warm = cached(content, out, workers=2)
    assert not warm.published and "nothing changed" in warm.format()
    assert files_and_inodes(out) == before                   # not one file touched
    assert [w.format() for w in warm.warnings] == [w.format() for w in first.warnings]

    post = content / "posts" / "2024-05-10-story-5.md"
    original = post.read_text()
    post.write_text(original.replace("A second paragraph", "A rewritten second paragraph"))
    edited = cached(content, out, workers=2)
    assert edited.published and 0 < edited.files_written < 10 and edited.files_kept > 20
    page = (out / "articles/story-5/index.html").read_text()
    assert "A rewritten second paragraph" in page
    untouched = files_and_inodes(out)
    assert untouched["about/index.html"] == before["about/index.html"]  # carried over, not rewritten

    post.write_text(original)
    cached(content, out, workers=1)
    assert tree_digest(out) == expected


def test_added_and_deleted_posts_and_changed_templates_are_picked_up(site, tmp_path):
    content, folder = site
    out = folder / "public"
    templates = folder / "templates"
    import shutil
    from conftest import TEMPLATES
    shutil.copytree(TEMPLATES, templates)
    cached(content, out, templates_dir=templates)
    write_post(content, "2024-06-20-brand-new.md", "A brand new story", "2024-06-20", "education")
    (content / "posts" / "2024-02-10-story-2.md").unlink()
    cached(content, out, templates_dir=templates)
    assert (out / "articles/brand-new/index.html").is_file()
    assert not (out / "articles/story-2").exists()
    footer = templates / "partials" / "footer.html"
    footer.write_text(footer.read_text().replace("</footer>", "<p>Template changed.</p></footer>"))
    report = cached(content, out, templates_dir=templates)
    assert report.published
    pages = list(out.rglob("*.html"))
    assert all("Template changed." in p.read_text() for p in pages), "a template change must reach every page"
    assert tree_digest(out) == fresh_digest(content, templates_dir=templates)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "stale-code"])
def test_damaged_or_stale_cache_is_rebuilt_not_trusted(site, monkeypatch, damage):
    content, folder = site
    out = folder / "public"
    cached(content, out)
    expected = tree_digest(out)
    shards = sorted((folder / ".cache" / "build" / "sources").glob("*.pickle"))
    assert shards
    if damage == "garbage":
        for store in shards:
            store.write_bytes(os.urandom(4096))
    elif damage == "truncated":
        for store in shards:
            store.write_bytes(store.read_bytes()[: len(store.read_bytes()) // 2])
    elif damage == "foreign":
        for store in shards:
            store.write_bytes(pickle.dumps({"format": 999, "entries": {}}))
    else:
        monkeypatch.setattr(cache_module, "code_version", lambda: "another version of the code")
        import childfirst_site.pipeline as pipeline
        monkeypatch.setattr(pipeline, "code_version", lambda: "another version of the code")
    add_a_line(content)
    report = cached(content, out)
    assert "rebuilt" in report.cache and "0 sources reused" in report.cache, report.cache
    assert tree_digest(out) == fresh_digest(content) != expected


def test_damaged_compiled_templates_are_compiled_again(site):
    content, folder = site
    out = folder / "public"
    cached(content, out)
    compiled = sorted(path for path in (folder / ".cache" / "build" / "templates").rglob("*") if path.is_file())
    assert len(compiled) >= 10
    for index, path in enumerate(compiled):
        data = path.read_bytes()
        # Truncated (in its code, or in the checksum after its header), garbage, or empty.
        path.write_bytes([data[: len(data) // 2], data[:20], os.urandom(len(data)), b""][index % 4])
    for path in out.rglob("index.html"):
        path.unlink()   # every page must be rendered again, with every template
    report = cached(content, out)
    assert report.published
    assert tree_digest(out) == fresh_digest(content)


def test_compiled_templates_are_kept_for_the_configs_used_last(site):
    from childfirst_site.render import templates
    content, folder = site
    compiled = folder / ".cache" / "build" / "templates"
    (compiled / "left-by-an-older-layout.cache").parent.mkdir(parents=True)
    (compiled / "left-by-an-older-layout.cache").write_bytes(b"old")
    urls = [f"https://example.org/{n}/" for n in range(templates.KEPT_CONFIGS + 2)]
    folders: list[set[str]] = []
    for n, url in enumerate(urls):
        cached(content, folder / f"public-{n}", base_url=url)
        folders.append({path.name for path in compiled.iterdir()})
        assert all(path.is_dir() and any(path.iterdir()) for path in compiled.iterdir())
    assert [len(names) for names in folders] == [1, 2, 3, 4, 4, 4]
    # The oldest config's folder went first: the last four builds' are those kept.
    made = [next(iter(folders[0]))] + [next(iter(now - before)) for before, now in zip(folders, folders[1:])]
    assert folders[-1] == set(made[-templates.KEPT_CONFIGS:])
    # A build with a config whose templates were pruned compiles them again, to the same site.
    cached(content, folder / "again", base_url=urls[0])
    assert tree_digest(folder / "again") == tree_digest(folder / "public-0")
    assert made[0] in {path.name for path in compiled.iterdir()}


def test_pruning_compiled_templates_survives_a_folder_pruned_meanwhile(tmp_path, monkeypatch):
    """Two builds sharing a cache may prune at the same moment: a config's folder listed by
    one and deleted by the other before it is looked at must not fail the first."""
    import shutil

    from childfirst_site import kept_folders
    from childfirst_site.render import templates
    names = [f"config-{n}" for n in range(templates.KEPT_CONFIGS + 2)]
    for name in names:
        (tmp_path / name).mkdir()
    listed = list(os.scandir(tmp_path))
    shutil.rmtree(tmp_path / names[1])   # gone after it was listed
    scandir = os.scandir
    monkeypatch.setattr(kept_folders.os, "scandir",
                        lambda directory: iter(listed) if directory == str(tmp_path) else scandir(directory))
    kept_folders.prune(str(tmp_path), names[0], templates.KEPT_CONFIGS)
    assert (tmp_path / names[0]).is_dir()
    assert len(list(tmp_path.iterdir())) <= templates.KEPT_CONFIGS


def test_builds_into_two_folders_sharing_a_cache_each_rewrite_only_what_an_edit_changed(site):
    """`make site` run while `serve` previews (another folder, another base URL): each
    build finds its own folder's record, not the other's, and rewrites only the files
    an edit changed."""
    content, folder = site
    public, preview = folder / "public", folder / "preview"
    served = {"base_url": "http://127.0.0.1:8000/"}
    first = cached(content, public)
    cached(content, preview, **served)
    for step in range(2):
        story = content / "posts" / "2024-05-10-story-5.md"
        story.write_text(story.read_text() + f"\nOne more line, at step {step}.\n")
        for out, overrides in ((public, {}), (preview, served)):
            report = cached(content, out, **overrides)
            assert report.published and 0 < report.files_written < first.files_written // 4, (step, out.name)
            assert tree_digest(out) == fresh_digest(content, **overrides)
    assert len(list((folder / ".cache" / "build" / "outputs").iterdir())) == 2


def test_the_records_of_the_output_folders_built_last_are_kept_and_the_older_layouts_go(site):
    content, folder = site
    cache = folder / ".cache" / "build"
    cache.mkdir(parents=True)
    (cache / "manifest.pickle").write_bytes(b"one manifest for every output, as kept before")
    (cache / "data").mkdir()
    (cache / "data" / "00.pickle").write_bytes(b"the data records, likewise")
    outs = [folder / f"public-{n}" for n in range(incremental.KEPT_OUTPUTS + 1)]
    for out in outs:
        cached(content, out)
    assert not (cache / "manifest.pickle").exists() and not (cache / "data").exists()
    kept = {path.name for path in (cache / "outputs").iterdir()}
    assert kept == {incremental.output_cache(cache, out).name for out in outs[1:]}   # the first one's went
    assert all(incremental.manifest_file(cache, out).is_file() for out in outs[1:])
    # Built again, the first finds no record, and builds as a cold build does, to the same files.
    cached(content, outs[0])
    assert tree_digest(outs[0]) == tree_digest(outs[1])


def test_a_cold_build_compiles_its_templates_in_a_process_of_its_own(site, monkeypatch):
    """While the build's own process enriches the posts: it then loads them compiled."""
    import jinja2
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)   # whatever threads earlier tests left
    content, folder = site
    compiled_here: list[str] = []
    compile_ = jinja2.Environment.compile

    def compile_noted(self, source, name=None, *args, **kwargs):
        compiled_here.append(f"{os.getpid()}:{name}")
        return compile_(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_noted)
    cached(content, folder / "public", workers=2)
    assert not [name for name in compiled_here if name.startswith(f"{os.getpid()}:")]
    assert tree_digest(folder / "public") == fresh_digest(content)
    assert compiled_here   # the fresh build, without a cache, compiled them here


def test_a_compiled_template_that_cannot_be_saved_is_left_unsaved(site, monkeypatch):
    import jinja2
    content, folder = site

    def disk_full(self, bucket):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", disk_full)
    report = cached(content, folder / "public")
    assert report.published
    assert tree_digest(folder / "public") == fresh_digest(content)


def test_damaged_entry_and_manifest_and_hand_edited_output_are_rebuilt(site):
    content, folder = site
    out = folder / "public"
    cached(content, out)
    expected = tree_digest(out)
    store = sorted((folder / ".cache" / "build" / "sources").glob("*.pickle"))[0]
    data = bytearray(store.read_bytes())
    size = int.from_bytes(data[:8], "little")   # the shard's header: see cache.py
    key, (offset, length) = sorted(pickle.loads(data[8:8 + size])["index"].items())[0]
    data[8 + size + offset:8 + size + offset + length] = b"\xba" * length   # one entry, not a pickle any more
    store.write_bytes(bytes(data))
    incremental.manifest_file(folder / ".cache" / "build", out).write_bytes(b"truncated")
    (out / "about" / "index.html").write_text("edited by hand")
    report = cached(content, out)
    assert report.published and "partly unreadable" in report.cache
    assert tree_digest(out) == expected
    mended = cache_module.Cache.open(store.parent, cache_module.code_version())
    assert mended.get(key) is not None and not mended.note   # the entry was read again and stored whole
    mended.close()
    # A file changed by hand behind the build's back is noticed by its size and time.
    (out / "privacy" / "index.html").write_text("edited by hand again")
    report = cached(content, out)
    assert report.published and tree_digest(out) == expected


def test_files_added_to_or_deleted_from_public_by_hand_are_noticed(site):
    """A build looks only at the files the last one published (a stat() each, not a walk
    of every folder), so a file added by hand is seen where it matters: with nothing
    else changed, the folder is then walked; otherwise the new site never had it."""
    content, folder = site
    out = folder / "public"
    cached(content, out)
    expected = tree_digest(out)
    strays = [out / "stray.html", out / "articles" / "stray" / "index.html"]

    def add_strays() -> None:
        for stray in strays:
            stray.parent.mkdir(parents=True, exist_ok=True)
            stray.write_text("put here by hand")

    add_strays()
    report = cached(content, out)
    assert report.published and not any(stray.exists() for stray in strays)
    assert tree_digest(out) == expected
    add_strays()
    add_a_line(content)
    report = cached(content, out)
    assert report.published and not any(stray.exists() for stray in strays)
    assert tree_digest(out) == fresh_digest(content)
    (out / "about" / "index.html").unlink()
    report = cached(content, out)
    assert report.published and tree_digest(out) == fresh_digest(content)


def test_a_preview_base_url_never_reaches_the_published_site(site):
    """Compiled templates are kept between builds, and Jinja works some filters out as it
    compiles (`'/feed.xml' | absolute`): they are kept by config, so a build with another
    base URL (`serve`'s) compiles its own, and the published site's next build has none
    of the preview's URLs."""
    content, folder = site
    out = folder / "public"
    cached(content, out)
    preview = "http://127.0.0.1:8000/"
    cached(content, out, base_url=preview)
    assert tree_digest(out) == fresh_digest(content, base_url=preview)
    cached(content, out)
    assert tree_digest(out) == fresh_digest(content)
    assert not [page for page in out.rglob("*.html") if "127.0.0.1" in page.read_text(encoding="utf-8")]


def test_the_replaced_site_refreshed_apart_leaves_the_next_build_little_to_link(site, monkeypatch):
    """After a build that rewrote every page (here, another base URL), the site it
    replaced, which the next build stages into, holds none of the published files;
    refresh_previous (which `serve` runs while the editor reads) links them in again,
    and the next build then links only what it changed, with a fresh build's bytes."""
    import childfirst_site.publish as publish
    content, folder = site
    out = folder / "public"
    previous = folder / ".public.prev"
    cached(content, out)
    cached(content, out)   # nothing changed: now there is a tree to stage into
    cached(content, out, base_url="https://preview.example.org/")
    published = files_and_inodes(out)

    def linked() -> int:
        return sum(1 for path, (inode, _) in files_and_inodes(previous).items()
                   if path in published and published[path][0] == inode)

    assert linked() < len(published) // 4
    publish.refresh_previous(out)
    assert linked() == len(published)
    links: list[Path] = []
    link_or_copy = publish._link_or_copy
    monkeypatch.setattr(publish, "_link_or_copy", lambda source: (links.append(source), link_or_copy(source))[1])
    add_a_line(content)
    report = cached(content, out, base_url="https://preview.example.org/")
    assert report.published and len(links) < 10
    assert tree_digest(out) == fresh_digest(content, base_url="https://preview.example.org/")


def test_progress_bar_only_for_long_builds_on_a_terminal(tmp_path):
    import io

    from childfirst_site.report import ProgressBar
    from test_build import cli_build_args, run_cli
    stream = io.StringIO()
    bar = ProgressBar(stream, after_seconds=0.0, width=10)
    bar("reading", 5, 10)
    bar("rendering", 10, 10)
    assert "reading [#####.....] 5/10" in stream.getvalue() and "rendering [##########] 10/10" in stream.getvalue()
    quiet = io.StringIO()
    short = ProgressBar(quiet, after_seconds=60.0)
    short("reading", 1, 2)
    short.clear()
    assert quiet.getvalue() == ""  # a short build shows no bar at all
    content = make_content(tmp_path)
    result = run_cli(*cli_build_args(content, tmp_path / "public"), cwd=tmp_path)
    assert result.returncode == 0 and "\r" not in result.stdout + result.stderr  # not a terminal: plain report


def test_the_replaced_site_is_staged_into_next_time_whatever_state_it_is_in(site):
    content, folder = site
    out = folder / "public"
    post = content / "posts" / "2024-05-10-story-5.md"
    original = post.read_text()
    cached(content, out)
    post.write_text(original + "\nA first edit.\n")
    cached(content, out)
    previous = folder / ".public.prev"
    assert previous.is_dir() and not (folder / ".public.new").exists()
    # Damage it every way a reused tree could be wrong.
    (previous / "junk.html").write_text("left over")
    (previous / "about" / "index.html").unlink()
    (previous / "about" / "index.html").mkdir()
    (previous / "about" / "index.html" / "deeper.txt").write_text("a folder where a file belongs")
    (previous / "feed.xml").unlink()
    (previous / "feed.xml").write_text("<rss>stale, and not the published file</rss>")
    import shutil
    shutil.rmtree(previous / "topics")
    (previous / "topics").write_text("a file where a folder belongs")
    (previous / "sitemap.xml").unlink()
    post.write_text(original + "\nA second edit.\n")
    report = cached(content, out)
    assert report.published
    assert tree_digest(out) == fresh_digest(content)
    assert not [p for p in out.rglob("*") if p.name.endswith(".publishing")]


@pytest.mark.parametrize("how", ["write", "place"])
def test_a_folder_the_staged_site_holds_where_a_file_now_goes_is_replaced_whole(tmp_path, how):
    """The site staged into is the one two builds back: a folder of it (static/img/,
    say) may be where this build writes a file, and nothing under it may be left."""
    from childfirst_site.publish import Staging, publish
    out = tmp_path / "public"
    publish({"img/logo.png": b"png", "img/deeper/icon.svg": b"svg", "index.html": b"one"}, out, reuse=True)
    publish({"img/logo.png": b"png", "index.html": b"two"}, out, reuse=True)
    assert (tmp_path / ".public.prev" / "img" / "deeper").is_dir()   # what the next build stages into
    staging = Staging(out, reuse=True)
    if how == "write":
        staging.write("img", b"a file now")
    else:   # a file made by another process (see publish.Placed)
        (tmp_path / "made").write_bytes(b"a file now")
        staging.place("img", tmp_path / "made")
    staging.write("index.html", b"three")
    staging.finish()
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == {
        "img": b"a file now", "index.html": b"three"}


def test_staging_into_the_replaced_site_never_writes_into_published_files(tmp_path):
    """The replaced site shares its unchanged files (hard links) with the published one:
    a file written there in place would change the live site before the swap."""
    from childfirst_site.publish import publish
    out = tmp_path / "public"
    publish({"a.html": b"one", "b.html": b"two"}, out, reuse=True)
    publish({"a.html": b"ONE"}, out, keep={"b.html"}, reuse=True)
    assert (tmp_path / ".public.prev" / "b.html").stat().st_ino == (out / "b.html").stat().st_ino
    live: list[dict[str, bytes]] = []
    publish({"b.html": b"TWO"}, out, keep={"a.html"}, reuse=True,
            before_swap=lambda staged: live.append({p.name: p.read_bytes() for p in out.iterdir()}))
    assert live == [{"a.html": b"ONE", "b.html": b"two"}]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"a.html": b"ONE", "b.html": b"TWO"}


def test_unchanged_inputs_are_not_read_again_but_a_same_size_same_time_edit_is_seen(site, monkeypatch):
    monkeypatch.setattr(incremental, "SETTLE_NS", 0)   # files written a moment ago count as settled
    content, folder = site
    out = folder / "public"
    cached(content, out)
    reads: list[int] = []
    real_digest = incremental.content_digest
    monkeypatch.setattr(incremental, "content_digest", lambda data: reads.append(1) or real_digest(data))
    assert not cached(content, out).published
    assert reads == [], "an input whose size, times and inode are unchanged was read again"
    post = content / "posts" / "2024-05-10-story-5.md"
    before = post.stat()
    post.write_text(post.read_text().replace("A second paragraph", "A SECOND paragraph"))
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))   # same size, same mtime: only ctime moved
    assert post.stat().st_size == before.st_size
    report = cached(content, out)
    assert report.published and len(reads) == 1
    assert "A SECOND paragraph" in (out / "articles/story-5/index.html").read_text()
    # Of the sources, only the edited one was read again (the others' posts are in the cache).
    from childfirst_site.sources import reader
    opened: list[str] = []
    real_read = reader.SourceFile.read
    monkeypatch.setattr(reader.SourceFile, "read",
                        lambda self: (self.data is None and opened.append(self.display)) or real_read(self))
    post.write_text(post.read_text().replace("A SECOND paragraph", "A second paragraph"))
    assert cached(content, out, workers=1).published
    assert opened == ["content/posts/2024-05-10-story-5.md"]


def test_a_first_build_leaves_the_content_for_its_readers_to_digest(site, monkeypatch):
    """With nothing to compare with, the content is digested by the readers as they read
    it, not first by the build alone; what the next build trusts is the same."""
    import hashlib

    monkeypatch.setattr(incremental, "SETTLE_NS", 0)
    content, folder = site
    templates = Path(options(content, folder).templates_dir)
    whole = incremental.list_inputs("salt", [content, templates], {})
    later = incremental.list_inputs("salt", [content, templates], {}, later=content)
    posts = {path for path in whole.digests if "/posts/" in path}
    assert posts and set(later.undigested) == {path for path in whole.digests if path.startswith(
        f"{content.resolve()}/")}
    assert all(later.digests[path] == whole.digests[path] for path in whole.digests if path not in later.undigested)
    with pytest.raises(ValueError, match="never digested"):
        later.digest()
    later.digest_rest()
    assert later.digests == whole.digests and later.digest() == whole.digest()
    whole.whole = ""   # as worked out while listing, and from the files' digests after
    assert whole.digest() == later.digest()
    assert later.kept_stamps() == whole.kept_stamps()

    # In a build: read in the readers (two, through the pool), digested once each, and
    # the next build finds nothing changed without reading anything again.
    digested: list[bytes] = []
    real_digest = incremental.content_digest
    monkeypatch.setattr(incremental, "content_digest", lambda data: digested.append(data) or real_digest(data))
    out = folder / "public"
    first = cached(content, out, workers=2)
    # Read without a look into the cache, and reported as read (it once said "0 read").
    sources = [*(content / "posts").glob("*.md"),
               *(path for path in (content / "sources").iterdir() if path.suffix in (".txt", ".html"))]
    assert f"0 sources reused, {len(sources)} read" in first.cache, first.cache
    manifest = incremental.Manifest.load(incremental.manifest_file(content.parent / ".cache" / "build", out))
    assert {path: stamp[4] for path, stamp in manifest.input_files.items() if path in posts} == {
        path: hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in posts}
    assert not any(data == Path(path).read_bytes() for data in digested for path in posts), \
        "the build digested a post itself"
    digested.clear()
    assert not cached(content, out).published
    assert digested == []


def test_a_file_gone_before_it_is_digested_is_not_trusted_next_time(tmp_path):
    content = make_content(tmp_path)
    gone = write_post(content, "gone.md", "Gone", "2024-05-01", "education")
    listed = incremental.list_inputs("salt", [content], {}, later=content)
    gone.unlink()
    listed.digest_rest()   # no OSError: the build still records what it read
    assert listed.digests[str(gone.resolve())] == "unreadable"


def test_a_source_changed_while_it_is_read_is_cached_by_the_bytes_read(tmp_path):
    """The build looks at a file's digest first and reads it later: if it changed in
    between, its post is what was read, stored under the digest of what was read."""
    import hashlib

    from childfirst_site.cache import Cache
    from childfirst_site.sources.batch import read_all
    from childfirst_site.sources.loader import load_config
    from childfirst_site.sources.reader import SourceFile, SourceJob
    content = make_content(tmp_path)
    path = write_post(content, "story.md", "The story as first seen", "2024-05-01", "education")
    seen = path.read_bytes()
    path.write_text(path.read_text().replace("as first seen", "as it is now"))
    config = load_config(content)
    stale = SourceJob("markdown", SourceFile("content/posts/story.md", str(path), hashlib.sha256(seen).hexdigest()))
    cache = Cache.open(tmp_path / "sources", "salt")
    [result] = read_all([stale], config, cache, 1)
    assert result.post is not None and result.post.title == "The story as it is now"
    cache.save()
    again = Cache.open(tmp_path / "sources", "salt")
    [reread] = read_all([stale], config, again, 1)
    assert again.misses == 1, "the post of the new bytes was kept under the old bytes' key"
    assert reread.post is not None and reread.post.title == "The story as it is now"
    now = SourceJob("markdown", SourceFile("content/posts/story.md", str(path),
                                           hashlib.sha256(path.read_bytes()).hexdigest()))
    read_all([now], config, again, 1)
    assert again.hits == 1


def test_an_edit_build_saves_the_related_memory_a_cold_build_would(site):
    """The memory is saved by the process that picks related stories after an edit
    (apart.related_apart), or by the one that makes the data files (apart.data_files_apart)."""
    from childfirst_site.enrich.related import RelatedMemory
    content, folder = site
    cached(content, folder / "public", workers=2)
    add_a_line(content)
    cached(content, folder / "public", workers=2)
    build(options(content, folder / "other", workers=2, cache_dir=folder / "other-cache"))
    mine = RelatedMemory.load(folder / ".cache" / "build" / "related.pickle")
    cold = RelatedMemory.load(folder / "other-cache" / "related.pickle")
    assert mine is not None and cold is not None
    assert (mine.slugs, mine.settings, mine.picked) == (cold.slugs, cold.settings, cold.picked)


@pytest.mark.parametrize("apart", ["picks", "nothing", "too few picks"])
def test_after_an_edit_related_stories_are_picked_apart_or_else_by_the_build(site, monkeypatch, apart):
    """With the last build's memory, related stories are picked in a process of their
    own (apart.related_apart) while the build plans its pages; where that process gives
    nothing (every row to score in workers it cannot start) or too little, the build
    picks them itself. Either way the site and the memory are a cold build's."""
    import childfirst_site.apart as apart_module
    import childfirst_site.enrich.related as related
    from childfirst_site.enrich.related import RelatedMemory
    from childfirst_site.workers import Then
    content, folder = site
    out = folder / "public"
    # An earlier test's idle thread may still be waiting: it holds no lock a child could need.
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    cached(content, out, workers=2)
    picked_here: list[int] = []
    pick_related = related.pick_related
    monkeypatch.setattr(related, "pick_related", lambda posts, *a, **k: picked_here.append(len(posts))
                        or pick_related(posts, *a, **k))
    if apart == "nothing":
        monkeypatch.setattr(apart_module, "related_apart", lambda *args: Then(None, lambda: None))
    elif apart == "too few picks":
        monkeypatch.setattr(apart_module, "related_apart", lambda *args: Then({0: None}, lambda: None))
    add_a_line(content)
    assert cached(content, out, workers=2).published
    assert bool(picked_here) == (apart != "picks")
    build(options(content, folder / "cold", workers=1, cache_dir=folder / "cold-cache"))
    assert tree_digest(out) == tree_digest(folder / "cold")
    mine = RelatedMemory.load(folder / ".cache" / "build" / "related.pickle")
    cold = RelatedMemory.load(folder / "cold-cache" / "related.pickle")
    assert mine is not None and cold is not None
    assert (mine.slugs, mine.views[0].keys.tolist(), mine.picked) == (cold.slugs, cold.views[0].keys.tolist(),
                                                                     cold.picked)


def test_related_stories_picked_apart_send_only_the_rows_that_changed(site):
    from childfirst_site.apart import related_apart, with_picks
    from childfirst_site.enrich import with_teasers
    from childfirst_site.enrich.related import pick_related
    from childfirst_site.sources.loader import load_content
    content, _ = site
    loaded = load_content(content)
    config = loaded.config
    posts = with_teasers(loaded.posts, config)
    _, _, memory = pick_related(posts, config)
    unchanged = related_apart(posts, config, memory, "", None, 2).value
    # Nothing changed: only rows an editor pinned or excluded posts in are sent (scored again each time).
    assert unchanged is not None and len(unchanged) < len(posts)
    assert with_picks(memory, unchanged, len(posts)) == memory.picked
    posts[0].title += " again"
    posts[0].related_terms = (b"", b"")   # its terms worked out again from the new title
    changed = related_apart(posts, config, memory, "", None, 2).value
    assert changed and 0 in changed and len(changed) < len(posts)
    picked = with_picks(memory, changed, len(posts))
    _, _, fresh = pick_related(posts, config)
    assert picked == fresh.picked
    assert with_picks(memory, changed, len(posts) + 1) is None


def test_related_stories_picked_apart_give_way_at_once_when_every_row_needs_workers(site, monkeypatch):
    """A post added (or redated, or the settings changed) means scoring every row, in
    workers the process apart cannot start: it says so before working anything out."""
    import childfirst_site.enrich.related as related
    from childfirst_site.apart import related_apart
    from childfirst_site.enrich import with_teasers
    from childfirst_site.enrich.related import pick_related
    from childfirst_site.sources.loader import load_content
    content, _ = site
    loaded = load_content(content)
    posts = with_teasers(loaded.posts, loaded.config)
    _, _, memory = pick_related(posts, loaded.config)
    monkeypatch.setattr(related, "PARALLEL_BLOCKS", 1)   # the fixture's few posts, scored as a large archive's

    def no_matrix(*args, **kwargs):
        raise AssertionError("the text matrix was worked out")

    text_matrix = related.text_matrix
    monkeypatch.setattr(related, "text_matrix", no_matrix)
    assert related_apart(posts[1:], loaded.config, memory, "", None, 2).value is None
    monkeypatch.setattr(related, "text_matrix", text_matrix)
    assert related_apart(posts, loaded.config, memory, "", None, 2).value is not None   # the same posts: scored


@pytest.mark.parametrize("damage", ["garbage", "another-site"])
def test_damaged_or_foreign_related_memory_is_not_trusted(site, damage):
    content, folder = site
    out = folder / "public"
    cached(content, out)
    memory = folder / ".cache" / "build" / "related.pickle"
    assert memory.is_file()
    if damage == "garbage":
        memory.write_bytes(os.urandom(2048))
    else:
        from childfirst_site.enrich.related import RelatedMemory
        foreign = RelatedMemory.load(memory)
        foreign.picked = [(["no-such-post"], {"no-such-post": 1.0}, {"no-such-post": "?"}, []) for _ in foreign.picked]
        foreign.salt = "another site's"
        foreign.save(memory)
    add_a_line(content)
    cached(content, out)
    assert tree_digest(out) == fresh_digest(content)


def test_a_one_source_edit_rewrites_only_the_cache_shards_it_touches(site):
    content, folder = site
    out = folder / "public"
    cached(content, out)
    shards = folder / ".cache" / "build" / "sources"
    before = {path.name: path.stat().st_mtime_ns for path in shards.glob("*.pickle")}
    assert len(before) > 3
    add_a_line(content)
    report = cached(content, out)
    assert "1 read" in report.cache
    after = {path.name: path.stat().st_mtime_ns for path in shards.glob("*.pickle")}
    rewritten = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert 1 <= len(rewritten) <= 2   # the new result's shard, and the old one's if it differs
    assert tree_digest(out) == fresh_digest(content)


def test_feeds_are_made_again_only_when_what_they_show_changed(site, monkeypatch):
    content, folder = site
    settings = content / "site.yaml"
    settings.write_text(settings.read_text().replace("feeds: {items: 20,", "feeds: {items: 3,"))
    out = folder / "public"
    cached(content, out)
    from childfirst_site.render import feeds
    made: list[str] = []
    real = feeds.feed_pair
    monkeypatch.setattr(feeds, "feed_pair", lambda posts, *rest: made.append(rest[1]) or real(posts, *rest))
    older = content / "posts" / "2024-01-10-story-1.md"   # in no feed's three newest
    older.write_text(older.read_text() + "\nOne more line.\n")
    assert cached(content, out).published
    assert made == []
    assert tree_digest(out) == fresh_digest(content)
    newest = content / "posts" / "2024-12-10-story-12.md"
    newest.write_text(newest.read_text() + "\nOne more line.\n")
    assert cached(content, out).published
    assert "" in made   # the site's own feed, which shows the newest post
    assert tree_digest(out) == fresh_digest(content)


def test_figure_files_are_made_again_only_when_a_figure_changed(site, monkeypatch):
    content, folder = site
    out = folder / "public"
    cached(content, out)
    from childfirst_site.render import data
    # Noted in a file: the data files are made in a process of their own.
    log = folder / "made.log"
    real = data._json_document

    def noted(title: str, key: str, records: list[str]) -> bytes:
        with log.open("a") as handle:
            handle.write(key + "\n")
        return real(title, key, records)

    def made() -> list[str]:
        keys = log.read_text().split()
        log.unlink()
        return keys

    monkeypatch.setattr(data, "_json_document", noted)
    add_a_line(content)   # a story reporting no figure: its record in posts.json changes, no figure does
    assert cached(content, out).published
    assert made() == ["posts"]
    assert tree_digest(out) == fresh_digest(content)
    story = content / "posts" / "2024-05-10-story-5.md"
    story.write_text(story.read_text() + "\nSome 42% of councils said the same.\n")
    log.unlink()   # what the fresh build made
    assert cached(content, out).published
    assert made() == ["posts", "figures"]
    assert "42%" in (out / "data" / "figures.json").read_text() and "42%" in (out / "data" / "figures.csv").read_text()
    assert tree_digest(out) == fresh_digest(content)


def test_the_first_build_after_a_cold_one_stages_into_links_made_while_it_worked(site, monkeypatch):
    """A cold build leaves nothing beside public/ to stage into; the next build has the
    tree of links to the published files made while it reads and renders (staging_tree),
    so that it has none to make at the end: whatever it keeps is there already."""
    content, folder = site
    out = folder / "public"
    cached(content, out)
    previous = folder / ".public.prev"
    assert not previous.exists()
    from childfirst_site import publish
    linked: list[Path] = []
    real = publish._link_or_copy
    monkeypatch.setattr(publish, "_link_or_copy", lambda source: linked.append(source) or real(source))
    published = files_and_inodes(out)
    add_a_line(content)
    assert cached(content, out).published
    assert linked == []
    assert tree_digest(out) == fresh_digest(content)
    assert previous.is_dir() and not (folder / ".public.prev.part").exists()
    # The replaced site is now the tree to stage into, its files the ones published before.
    assert files_and_inodes(previous) == published


def test_where_no_links_can_be_made_the_first_build_after_a_cold_one_copies(site, monkeypatch):
    content, folder = site
    out = folder / "public"
    cached(content, out)

    def no_links(*args, **kwargs):
        raise OSError(1, "hard links not supported here")

    monkeypatch.setattr(os, "link", no_links)
    add_a_line(content)
    assert cached(content, out).published
    assert tree_digest(out) == fresh_digest(content)
    assert not (folder / ".public.prev.part").exists()


def test_the_manifest_loads_as_it_was_saved_and_a_damaged_one_is_not_trusted(tmp_path):
    from childfirst_site.incremental import Entry, Manifest
    path = tmp_path / "manifest.pickle"
    saved = Manifest(out_dir="/site/public", search=True,
                     entries={"b/index.html": Entry("f" * 64, "a" * 64, 10, 1_700_000_000_123_456_789),
                              "a.css": Entry("", "b" * 64, 5, -1), "pagefind/x.pf": Entry("", "", 0, 0)},
                     inputs="digest", input_files={"/c/posts/x.md": (1, 2, 3, 4, "c" * 64),
                                                   "/c/site.yaml": (9, 8, 7, 6, "d" * 64)},
                     valid_until="2026-12-31", report={"pages": 2})
    saved.save(path)
    assert Manifest.load(path) == saved
    Manifest().save(path)
    assert Manifest.load(path) == Manifest()
    saved.save(path)
    data = pickle.loads(path.read_bytes())
    paths, texts, numbers = data["entries"]
    data["entries"] = (paths, texts, [numbers[0][:-8], numbers[1]])   # one size short
    path.write_bytes(pickle.dumps(data))
    assert Manifest.load(path) == Manifest()   # nothing trusted: every page is made again


@pytest.mark.parametrize("path", ["a/b/index.html", "feed.xml", "a.b/c", "x/..y/z", "x/y../z", ".well-known/x",
                                  "/a", "../a", "a/../b", "a/./b", "a//b", "a/b/", ".", "..", "a/.", "a/..", ""])
def test_staged_paths_are_spelt_as_folder_listings_spell_them(path):
    """publish._canonical tells most paths apart with string tests alone: the same
    answers as looking at every part."""
    from childfirst_site.errors import ContentError
    from childfirst_site.publish import _canonical, safe_relative

    def reference(text: str) -> str:
        parts = text.split("/")
        return str(safe_relative(text)) if text.startswith("/") or any(p in ("", ".", "..") for p in parts) else text

    try:
        expected = reference(path)
    except ContentError:
        with pytest.raises(ContentError):
            _canonical(path)
    else:
        assert _canonical(path) == expected


def test_a_render_worker_writes_pages_into_new_folders_and_never_outside(tmp_path):
    from childfirst_site.errors import ContentError
    from childfirst_site.publish import write_new
    root = tmp_path / "staged"
    root.mkdir()
    write_new(str(root), "articles/a-story/index.html", b"<p>one</p>")
    written = write_new(str(root), "articles/b-story/index.html", b"x" * 300_000)
    on_disk = (root / "articles/b-story/index.html").stat()
    assert (written.st_size, written.st_mtime_ns) == (300_000, on_disk.st_mtime_ns)
    write_new(str(root), "articles/a-story/index.html", b"<p>again</p>")
    write_new(str(root), "feed.xml", b"<rss/>")
    assert (root / "articles/a-story/index.html").read_bytes() == b"<p>again</p>"
    assert (root / "articles/b-story/index.html").read_bytes() == b"x" * 300_000
    assert (root / "feed.xml").read_bytes() == b"<rss/>"
    for unsafe in ("../outside.html", "/tmp/outside.html", "a/../../outside.html"):
        with pytest.raises(ContentError):
            write_new(str(root), unsafe, b"no")
    assert not (tmp_path / "outside.html").exists()


def _corpus_content(folder: Path, posts: int) -> Path:
    """A content folder of the benchmark's corpus (its related stories depend on their
    words), with the repository's pages and site.yaml."""
    import shutil
    import sys

    from conftest import ROOT
    sys.path.insert(0, str(ROOT))
    from benchmarks.corpus import write_corpus
    content = folder / "corpus" / "content"
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    shutil.copy(ROOT / "content" / "site.yaml", content / "site.yaml")
    write_corpus(content / "posts", posts)
    return content


@pytest.mark.parametrize("with_cache", [True, False])
def test_builds_in_one_process_reuse_what_the_last_read_and_give_a_fresh_builds_bytes(site, monkeypatch,
                                                                                         with_cache):
    """`serve` builds again in the same process on every change: posts read by the last
    build are taken from memory, their related stories and term counts as reading left
    them (enrichment sets the first and lets go of the second), whatever the cache holds.
    Posts of the benchmark's corpus: their related stories depend on their words. (Scoring
    would work a post's terms out again if they were missing: correct, but slow.)"""
    import childfirst_site.enrich.related as related
    from childfirst_site.model import Post
    from childfirst_site.rebuilds import Memory
    _, folder = site
    content = _corpus_content(folder, 40)
    out, memo = folder / "public", Memory()
    cache_dir = content.parent / ".cache" / "build" if with_cache else None
    build(options(content, out, cache_dir=cache_dir, memo=memo, workers=2))
    assert tree_digest(out) == fresh_digest(content)
    first = dict(memo.read.results)
    assert first

    post = sorted((content / "posts").glob("post-*.md"))[7]
    original = post.read_text()
    post.write_text(original + "\nThe Local Government Association said more was needed.\n")
    worked_out_again: list[str] = []
    features = related.add_related_features
    monkeypatch.setattr(related, "add_related_features",
                        lambda post, config: (worked_out_again.append(post.slug), features(post, config)))
    edited = build(options(content, out, cache_dir=cache_dir, memo=memo, workers=2))
    # Without a cache every row is scored here, where a missing term count would be seen;
    # with one, after an edit, the changed rows are scored in a process of its own (see
    # pipeline), where this list cannot see: there it holds whatever the memo does.
    assert edited.published and worked_out_again == []
    assert tree_digest(out) == fresh_digest(content)
    again = memo.read.results
    unchanged = first.keys() & again.keys()
    assert len(unchanged) == len(first) - 1 and len(again) == len(first)
    assert all(again[key][0] is first[key][0] for key in unchanged)   # the same objects, not read again
    # Remembered as read: the build let go of the posts' own term counts once it had scored them.
    terms_at = Post.ENRICHED.index("related_terms")
    assert all(as_read[terms_at] != (b"", b"") for result, as_read in again.values() if result.post is not None)

    post.write_text(original)
    build(options(content, out, cache_dir=cache_dir, memo=memo, workers=2))
    assert tree_digest(out) == fresh_digest(content)


def test_serve_plans_an_unchanged_site_after_its_start_writing_nothing(site, monkeypatch):
    """A preview that starts on an unchanged site is told so at once, then plans it all the
    same (rebuilds.plan_ahead), its posts taken from the cache and nothing written: the
    first rebuild after an edit keeps that plan, taking the other posts from memory, with
    a fresh build's bytes."""
    import childfirst_site.sources.batch as batch
    from childfirst_site.rebuilds import Memory, plan_ahead
    _, folder = site
    content = _corpus_content(folder, 30)
    out, cache_dir = folder / "public", content.parent / ".cache" / "build"
    build(options(content, out, cache_dir=cache_dir, workers=2))   # an earlier session's
    before = files_and_inodes(out)

    chunks_read: list[int] = []
    read_chunk = batch._read_chunk
    monkeypatch.setattr(batch, "_read_chunk", lambda jobs: (chunks_read.append(len(jobs)), read_chunk(jobs))[1])
    memo = Memory()
    started = build(options(content, out, cache_dir=cache_dir, memo=memo, workers=2))
    assert started.plan == "" and memo.plan is None and not started.published   # told at once
    planned = plan_ahead(options(content, out, cache_dir=cache_dir, memo=memo, workers=2))
    assert planned is not None and planned.plan == "plan: made afresh" and memo.plan is not None
    assert not planned.published and planned.files_written == 0 and files_and_inodes(out) == before
    assert chunks_read == [] and len(memo.read.results) == 30   # all from the cache
    plan = memo.plan
    assert plan_ahead(options(content, out, cache_dir=cache_dir, memo=memo, workers=2)) is None
    assert memo.plan is plan   # a plan held is kept
    monkeypatch.setattr(batch, "_read_chunk", read_chunk)   # workers are handed it by name
    remembered = dict(memo.read.results)

    post = sorted((content / "posts").glob("post-*.md"))[4]
    original = post.read_text()
    post.write_text(original + "\nThe Local Government Association said more was needed.\n")
    edited = build(options(content, out, cache_dir=cache_dir, memo=memo, workers=2))
    assert edited.published and edited.cache == "cache: 29 sources reused, 1 read"
    assert edited.plan == "plan: the last build's, kept (1 published post read afresh)"
    unchanged = remembered.keys() & memo.read.results.keys()
    assert len(unchanged) == 29 and all(memo.read.results[key][0] is remembered[key][0] for key in unchanged)
    assert tree_digest(out) == fresh_digest(content)
    post.write_text(original)
    build(options(content, out, cache_dir=cache_dir, memo=memo, workers=2))
    assert tree_digest(out) == fresh_digest(content)


def test_plan_ahead_builds_and_publishes_a_save_made_since_the_build_before(site):
    """`serve` plans ahead after a build that found nothing changed; a save made in
    between is built and published by that planning build, as by any other."""
    from childfirst_site.rebuilds import Memory, plan_ahead
    _, folder = site
    content = _corpus_content(folder, 30)
    out, cache_dir = folder / "public", content.parent / ".cache" / "build"
    build(options(content, out, cache_dir=cache_dir, workers=2))
    memo = Memory()
    assert not build(options(content, out, cache_dir=cache_dir, memo=memo, workers=2)).published
    post = sorted((content / "posts").glob("post-*.md"))[7]
    post.write_text(post.read_text() + "\nThe Local Government Association said more was needed.\n")
    planned = plan_ahead(options(content, out, cache_dir=cache_dir, memo=memo, workers=2))
    assert planned is not None and planned.published and planned.plan == "plan: made afresh"
    assert memo.plan is not None and tree_digest(out) == fresh_digest(content)


def test_random_edits_each_built_from_the_cache_give_a_builds_bytes_from_scratch(tmp_path):
    """Edits of every kind, in a random order, each followed by a build as `build.py` makes
    it (the cache kept, nothing kept in memory): every build's files are those of a build
    from scratch of the same sources."""
    import random
    import re
    import shutil

    from conftest import FIXTURE_SITE, STATIC, TEMPLATES
    content = _corpus_content(tmp_path, 30)
    shutil.copytree(FIXTURE_SITE / "sources", content / "sources")
    templates, static = shutil.copytree(TEMPLATES, tmp_path / "templates"), shutil.copytree(STATIC, tmp_path / "static")
    dirs = {"templates_dir": templates, "static_dir": static}
    out = content.parent / "public"
    cached(content, out, **dirs)
    chooser = random.Random(5)

    def posts() -> list[Path]:
        return sorted((content / "posts").glob("*.md"))

    def change(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path.name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def front_matter(path: Path, line: str) -> None:
        change(path, "\n---\n", f"\n{line}\n---\n")

    kinds = ["body", "title", "date", "topics", "delete", "add", "pin", "unpin", "raw", "sidecar", "per page",
             "tagline", "template", "stylesheet", "draft", "summary", "figure", "copied paragraph"]
    chooser.shuffle(kinds)
    published = 0
    for step, kind in enumerate(kinds):
        post, other = chooser.sample(posts(), 2)
        if kind == "body":
            change(post, "\n\n", f"\n\nAt step {step} Ofsted said 37% of councils had changed their plans.\n\n")
        elif kind == "title":
            change(post, 'title: "', f'title: "Step {step}: ')
        elif kind == "date":
            post.write_text(re.sub(r"date: \S+", f"date: 20{chooser.randint(10, 24)}-0{chooser.randint(1, 9)}-1"
                                                 f"{chooser.randint(0, 9)}", post.read_text(encoding="utf-8"), count=1),
                            encoding="utf-8")
        elif kind == "topics":
            post.write_text(re.sub(r"topics: \[[^\]]*\]", "topics: [online-safety, child-protection]",
                                   post.read_text(encoding="utf-8"), count=1), encoding="utf-8")
        elif kind == "delete":
            post.unlink()
        elif kind == "add":
            (content / "posts" / f"post-new-{step}.md").write_text(
                other.read_text(encoding="utf-8").replace('title: "', f'title: "New at step {step}: ', 1), encoding="utf-8")
        elif kind in ("pin", "unpin"):
            front_matter(post, f"{'related' if kind == 'pin' else 'not_related'}: [{other.stem}]")
        elif kind == "raw":
            raw = sorted((content / "sources").glob("*.txt"))[0]
            paragraph = max(raw.read_text(encoding="utf-8").split("\n"), key=len)
            change(raw, paragraph, f"{paragraph} A sentence added at step {step}, when 12% more were seen.")
        elif kind == "sidecar":
            change(sorted((content / "sources").glob("*.yaml"))[0], "source_organisations: [",
                   "source_organisations: [Barnardo's, ")
        elif kind == "per page":
            change(content / "site.yaml", "posts_per_page: 10", "posts_per_page: 7")
        elif kind == "tagline":
            change(content / "site.yaml", "tagline: ", f"tagline: Step {step}, ")
        elif kind == "template":
            change(templates / "article.html", "</article>", f"<!-- step {step} --></article>")
        elif kind == "stylesheet":
            sheet = sorted(static.rglob("*.css"))[0]
            sheet.write_text(sheet.read_text(encoding="utf-8") + f"\n/* step {step} */\n", encoding="utf-8")
        elif kind == "draft":
            front_matter(post, "draft: true")
        elif kind == "summary":
            front_matter(post, f"summary: A summary written at step {step}.")
        elif kind == "figure":
            change(post, "\n- ", f"\n- {chooser.randint(2, 95)}% of ")
        else:
            paragraph = max(other.read_text(encoding="utf-8").split("\n"), key=len)
            change(post, "\n\n", f"\n\n{paragraph}\n\n")
        published += cached(content, out, **dirs).published
        assert tree_digest(out) == fresh_digest(content, **dirs), f"step {step}: {kind}"
    # Some edits change no file (excluding a post that was not related anyway): most do.
    assert published >= len(kinds) - 3
