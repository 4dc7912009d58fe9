"""Builds in one process (`serve`) keep the last build's plan where an edit leaves every
page's frame as it was, and plan afresh otherwise; either way each gives a fresh
build's bytes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from childfirst_site import workers
from childfirst_site.helper import Helper
from childfirst_site.incremental import Manifest, manifest_file
from childfirst_site.pipeline import build
from childfirst_site.rebuilds import settle
from childfirst_site.rebuilds import Memory
from conftest import FIXTURE_SITE, options
from test_build import tree_digest
from test_incremental import _corpus_content, fresh_digest


@pytest.fixture()
def site(tmp_path, monkeypatch):
    """30 posts of the benchmark's corpus, whose related stories depend on their words,
    with the fixture site's raw pages (and the teasers their related blocks make)."""
    monkeypatch.setattr(workers, "MIN_PARALLEL_ITEMS", 1)
    content = _corpus_content(tmp_path, 30)
    shutil.copytree(FIXTURE_SITE / "sources", content / "sources")
    return content


@pytest.fixture(autouse=True, params=["build", "serve"])
def like(request):
    """Every test twice: rebuilt as a build in one process would be, and as `serve`
    rebuilds, told what changed (as its watcher would tell it) and settling after each
    build (rebuilds.settle)."""
    _LIKE[0] = request.param
    yield request.param
    _SEEN.clear()
    for helper in _HELPERS:
        helper.close()
    _HELPERS.clear()


_LIKE = ["build"]
_HELPERS: list[Helper] = []
_SEEN: dict[int, dict[str, tuple[int, ...]]] = {}   # the files of each memo's content, as last built


def _files_now(content: Path) -> dict[str, tuple[int, ...]]:
    return {str(path): (path.stat().st_mtime_ns, path.stat().st_size, path.stat().st_ino)
            for path in content.rglob("*") if path.is_file()}


def rebuild(content: Path, memo: Memory):
    """Built again in the same process: the bytes of a build from scratch, and the
    fingerprints (what the next build compares with) of a cold build with a cache."""
    folder = content.parent
    serving = _LIKE[0] == "serve"
    memo.settles = serving
    if serving and memo.helper is None:   # forked now, as serve forks it before its first build
        memo.helper = Helper()
        _HELPERS.append(memo.helper)
    if serving and id(memo) in _SEEN:   # what a watcher would report: every path added, changed or gone
        before, now = _SEEN[id(memo)], _files_now(content)
        memo.watched.saw(path for path in before.keys() | now.keys() if before.get(path) != now.get(path))
    built = options(content, folder / "public", cache_dir=folder / ".cache" / "build", memo=memo, workers=2)
    report = build(built)
    if serving:
        settle(built)
        _SEEN[id(memo)] = _files_now(content)
    assert tree_digest(folder / "public") == fresh_digest(content)
    shutil.rmtree(folder / "cold", ignore_errors=True)
    build(options(content, folder / "cold" / "public", cache_dir=folder / "cold" / "cache", workers=2))
    assert fingerprints(folder / ".cache" / "build", folder / "public") == \
        fingerprints(folder / "cold" / "cache", folder / "cold" / "public")
    return report


def fingerprints(cache: Path, out: Path) -> dict[str, str]:
    return {path: entry.fingerprint for path, entry in Manifest.load(manifest_file(cache, out)).entries.items()
            if entry.fingerprint}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def corpus_post(content: Path, number: int) -> Path:
    return sorted((content / "posts").glob("post-*.md"))[number]


def prose_of(post: Path) -> str:
    """A post's paragraphs of words alone: its figures would change those of a post they
    are written into, and figures frame pages."""
    body = post.read_text(encoding="utf-8").split("---", 2)[2]
    return "\n\n".join(part for part in body.split("\n\n") if part[:1].isalpha()
                       and not any(c.isdigit() for c in part))


def frame_edit(post: Path, change: str) -> None:
    """An edit to what frames pages: the post's title, figures, date or topics."""
    if change == "title":
        edit(post, 'title: "', 'title: "Revised: ')
    elif change == "figure":
        edit(post, "\n\n", "\n\nReferrals rose by 37% in the year to March.\n\n")
    elif change == "date":
        edit(post, "date: 20", "date: 19")
    else:
        edit(post, "topics: [", "topics: [social-work-practice, ")


@pytest.fixture()
def loads(monkeypatch) -> list[Path]:
    """The content folders walked and read whole (sources.loader.load_content)."""
    import childfirst_site.sources.loader as loader
    walked: list[Path] = []
    load_content = loader.load_content
    monkeypatch.setattr(loader, "load_content", lambda folder, *args: (walked.append(folder),
                                                                      load_content(folder, *args))[1])
    return walked


@pytest.fixture()
def shortcuts(monkeypatch) -> list[str]:
    """Which of serve's shortcuts each build took: the listing brought up to date from
    what the watcher reported ("relisted"), the data files made from the plan's records
    ("data kept")."""
    import childfirst_site.render as render
    from childfirst_site.watched import Watched
    taken: list[str] = []
    take, again = Watched.take, render.data_files_again
    monkeypatch.setattr(Watched, "take", lambda self, salt: (lambda listed: (
        listed is not None and taken.append("relisted"), listed)[1])(take(self, salt)))
    monkeypatch.setattr(render, "data_files_again", lambda *args: (lambda made: (
        made is not None and taken.append("data kept"), made)[1])(again(*args)))
    return taken


def test_a_body_edit_keeps_the_plan_and_its_objects(site, loads, shortcuts, like):
    memo = Memory()
    assert rebuild(site, memo).plan == "plan: made afresh"
    plan = memo.plan
    planned = {post.source: post for post in plan.posts}

    post = corpus_post(site, 7)
    edit(post, "\n\n", "\n\nAn editor added this sentence about Ofsted.\n\n")
    loads.clear()
    report = rebuild(site, memo)
    assert report.plan == "plan: the last build's, kept (1 published post read afresh)"
    assert loads == [site] * 2   # the fresh and cold builds' (see rebuild): the edit read its source alone
    assert report.cache.startswith("cache: ") and "1 read" in report.cache
    assert memo.plan is not plan and memo.plan.routes is plan.routes
    # The edited post's new contents are in the object every list and route holds.
    edited = next(p for p in memo.plan.posts if p.source.endswith(post.name))
    assert edited is planned[edited.source] and "Ofsted" in edited.body_html
    # ... and in what the next build takes from memory: not read again, nor a new object.
    edit(corpus_post(site, 8), "\n\n", "\n\nAnother sentence about Ofsted.\n\n")
    again = rebuild(site, memo)
    assert again.plan == "plan: the last build's, kept (1 published post read afresh)"
    assert "1 read" in again.cache
    assert next(p for p in memo.plan.posts if p.source.endswith(post.name)) is edited
    # As serve: the first rebuild lists every file (a change before the watcher started
    # was never reported), the next what the watcher reported; both keep the data records.
    assert shortcuts == (["data kept", "relisted", "data kept"] if like == "serve" else [])
    # Related stories were scored in this process, their memory saved once the build was reported.
    from childfirst_site.enrich.related import RelatedMemory
    assert memo.related is not None and memo.related_saved == (like == "serve")
    if like == "serve":
        saved = RelatedMemory.load(site.parent / ".cache" / "build" / "related.pickle")
        assert saved is not None and saved.picked == memo.related.picked and saved.slugs == memo.related.slugs


def test_an_edit_that_changes_related_stories_keeps_the_plan(site):
    """Another post's words written into one: its related stories change, and the pages
    showing them, and a fresh build's bytes say which."""
    memo = Memory()
    rebuild(site, memo)
    before = {p.slug: list(p.related) for p in memo.plan.posts}
    edit(corpus_post(site, 20), "\n\n", f"\n\n{prose_of(corpus_post(site, 3))}\n\n")
    assert rebuild(site, memo).plan.startswith("plan: the last build's, kept")
    after = {p.slug: list(p.related) for p in memo.plan.posts}
    assert after != before


def test_a_build_into_another_folder_between_two_rebuilds_hides_no_change_from_the_next(site):
    """`make site` run beside `serve`: it reads an edit first, and leaves the cache's
    related-story memory as of that edit. The next rebuild keeps its plan, and must
    still see which related stories the edit moved since that plan was made."""
    memo = Memory()
    rebuild(site, memo)
    before = {p.slug: list(p.related) for p in memo.plan.posts}
    edit(corpus_post(site, 20), "\n\n", f"\n\n{prose_of(corpus_post(site, 3))}\n\n")
    build(options(site, site.parent / "published", cache_dir=site.parent / ".cache" / "build", workers=2))
    assert rebuild(site, memo).plan.startswith("plan: the last build's, kept")
    moved = [slug for slug, related in before.items() if slug != "post-00020" and
             related != next(p.related for p in memo.plan.posts if p.slug == slug)]
    assert moved   # another post's related stories, which the plan kept from before the edit


@pytest.mark.parametrize("change", ["title", "figure", "date", "topics"])
def test_an_edit_to_what_frames_pages_plans_afresh(site, change):
    memo = Memory()
    rebuild(site, memo)
    post = corpus_post(site, 11)
    text = post.read_text(encoding="utf-8")
    frame_edit(post, change)
    assert rebuild(site, memo).plan == "plan: made afresh"
    post.write_text(text, encoding="utf-8")
    assert rebuild(site, memo).plan == "plan: made afresh"


def test_an_edit_to_a_raw_page_and_to_the_newest_post_keep_the_plan(site):
    memo = Memory()
    rebuild(site, memo)
    raw = sorted((site / "sources").glob("*.txt"))[0]
    text = raw.read_text(encoding="utf-8")
    paragraph = max(text.split("\n"), key=len)
    edit(raw, paragraph, paragraph + " An editor's sentence about social workers.")
    assert rebuild(site, memo).plan.startswith("plan: the last build's, kept (1 ")
    newest = max(memo.plan.posts, key=lambda p: (p.date, p.slug))
    edit(site.parent / newest.source, "\n\n", "\n\nAn editor added this sentence to the newest story.\n\n")
    assert rebuild(site, memo).plan.startswith("plan: the last build's, kept (1 ")


def test_a_failed_build_drops_the_plan_and_the_next_plans_afresh(site):
    from childfirst_site.errors import BuildFailed
    memo = Memory()
    rebuild(site, memo)
    post = corpus_post(site, 5)
    text = post.read_text(encoding="utf-8")
    edit(post, "title: ", "title: [unclosed ")
    with pytest.raises(BuildFailed):
        build(options(site, site.parent / "public", cache_dir=site.parent / ".cache" / "build", memo=memo,
                      workers=2))
    assert memo.plan is None
    post.write_text(text.replace("\n\n", "\n\nFixed, and one sentence more.\n\n", 1), encoding="utf-8")
    assert rebuild(site, memo).plan == "plan: made afresh"


def test_a_plan_that_does_not_hold_changes_nothing(site):
    """Checked whole before anything is put into its posts: one post edited in its body
    and another retitled leave the plan's posts as they were."""
    from childfirst_site.sources.loader import load_content
    memo = Memory()
    rebuild(site, memo)
    plan = memo.plan
    contents = {id(post): dict(post.__dict__) for post in plan.read}
    edit(corpus_post(site, 2), "\n\n", "\n\nA new sentence.\n\n")
    edit(corpus_post(site, 9), 'title: "', 'title: "Revised: ')
    loaded = load_content(site)
    assert plan.edited(loaded.posts, loaded.config, loaded.pages, loaded.warnings, plan.today, plan.drafts,
                       plan.salt) is None
    assert all(post.__dict__ == contents[id(post)] for post in plan.read)


def test_a_sidecar_edit_rereads_its_source_alone(site, loads):
    memo = Memory()
    rebuild(site, memo)
    sidecar = sorted((site / "sources").glob("*.yaml"))[0]
    edit(sidecar, "source_organisations: [", "source_organisations: [Ofsted, ")
    loads.clear()
    report = rebuild(site, memo)
    assert loads == [site] * 2
    assert report.plan.startswith("plan: the last build's, kept (1 ") and "1 read" in report.cache


@pytest.mark.parametrize("change", ["warning", "new file", "page"])
def test_what_else_changes_is_read_with_everything(site, loads, change):
    """A source read with a warning, a file added, a page edited: the content folder is
    read whole, and the report counts each source once."""
    memo = Memory()
    first = rebuild(site, memo)
    if change == "warning":
        edit(corpus_post(site, 4), "title: ", "colour: blue\ntitle: ")
    elif change == "new file":
        (site / "posts" / "notes.txt").write_text("not a post", encoding="utf-8")
    else:
        edit(site / "pages" / "about.md", "\n\n", "\n\nOne more sentence about us.\n\n")
    loads.clear()
    report = rebuild(site, memo)
    assert loads == [site] * 3
    sources = sum(1 for outcome in first.outcomes.values() if outcome.outcome in ("published", "draft", "future"))
    read = 1 if change == "warning" else 0
    assert report.cache == f"cache: {sources - read} sources reused, {read} read"
    assert len(report.warnings) == len(first.warnings) + (0 if change == "page" else 1)


def test_a_run_of_mixed_edits_in_one_process_gives_fresh_builds_every_time(site):
    """Edits of every kind, one after another in one process (as an editor works with
    `serve` running): whether each keeps the plan or plans afresh, every rebuild gives
    a fresh build's bytes and a cold cached build's fingerprints (see rebuild)."""
    import random
    chooser = random.Random(26)
    memo = Memory()
    rebuild(site, memo)
    originals = {path: path.read_text(encoding="utf-8") for path in site.rglob("*") if path.is_file()}
    kinds = ["body", "body", "related", "title", "figure", "topics", "delete", "add", "raw", "sidecar", "revert"]
    kept = afresh = 0
    for step in range(12):
        kind = kinds[step] if step < len(kinds) else chooser.choice(kinds)
        posts = sorted((site / "posts").glob("post-*.md"))
        post = chooser.choice(posts)
        if kind == "body":
            edit(post, "\n\n", f"\n\nStep {'one two three four five six seven eight nine ten eleven twelve'.split()[step]} "
                               "of the editor's work on this story.\n\n")
        elif kind == "related":
            edit(post, "\n\n", f"\n\n{prose_of(chooser.choice(posts))}\n\n")
        elif kind in ("title", "figure", "topics"):
            frame_edit(post, kind)
        elif kind == "delete":
            post.unlink()
        elif kind == "add":
            text = post.read_text(encoding="utf-8").replace('title: "', 'title: "A new story: ', 1)
            (site / "posts" / f"post-new-{step}.md").write_text(text, encoding="utf-8")
        elif kind == "raw":
            raw = sorted((site / "sources").glob("*.txt"))[0]
            paragraph = max(raw.read_text(encoding="utf-8").split("\n"), key=len)
            edit(raw, paragraph, paragraph + f" A sentence added at step {step}.")
        elif kind == "sidecar":
            edit(sorted((site / "sources").glob("*.yaml"))[0], "source_organisations: [",
                 "source_organisations: [Barnardo's, ")
        else:
            for path in [*site.rglob("*")]:
                if path.is_file() and path not in originals:
                    path.unlink()
            for path, text in originals.items():
                path.write_text(text, encoding="utf-8")
        report = rebuild(site, memo)
        if report.plan.startswith("plan: the last build's, kept"):
            kept += 1
        else:
            afresh += 1
    assert kept >= 4 and afresh >= 4   # both ways taken, again and again

