"""build(): load → enrich → route → render → publish, as one linear pipeline."""
from __future__ import annotations

import datetime as dt
import functools
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import interrupts, output_lock
from .cache import Cache, code_version
from .collector import fewer_full_collections
from .errors import BuildFailed, ContentError, Warning_
from .model import Page, Post, SourceOutcome
from .out_folder import check_out_folder
from .fingerprint import Fingerprinter, folder_digest
from .incremental import (InputFiles, Manifest, file_stamp, list_inputs, manifest_file, scan, stat_known,
                          use_output_cache)
from .publish import placing_folder, staging_tree
from .publish_changes import publish_changes
from .report import BuildReport, replay_data, replayed_report
from .workers import Background, Progress, available_cores

if TYPE_CHECKING:
    from .apart import Picks
    from .config import SiteConfig
    from .render import SiteFiles
    from .rebuilds import Memory
    from .routes import Route
    from .sources.batch import ReadMemo
    from .sources.reader import SourceJob, SourceResult


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path = Path("content")
    out_dir: Path = Path("public")
    templates_dir: Path = Path("templates")
    static_dir: Path = Path("static")
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    today: dt.date | None = None
    search: bool = True
    workers: int | None = None        # worker processes; None: one per core
    cache_dir: Path | None = None     # the build cache; None: no cache, every file written
    progress: Callable[[str, int, int], None] | None = None   # (stage, done, in all), for a progress bar
    # The process ends once the report is printed (build.py): the build's objects are left
    # for the exit to reclaim at once, not freed one by one (a tenth of a second for a
    # large archive). Never for `serve`, which builds again and again in one process.
    process_ends: bool = False
    # What the last build in this process left this one (`serve`): see rebuilds.Memory.
    memo: Memory | None = field(default=None, compare=False)
    # Where nothing changed, plan the site all the same, writing nothing (rebuilds.plan_ahead).
    plan_unchanged: bool = False


# What builds in a process that ends after them leave behind (see BuildOptions.process_ends).
_LEFT_FOR_EXIT: list[object] = []


def check_unique(posts: list[Post]) -> list[ContentError]:
    """Two sources may not share a slug (one would overwrite the other) or a title."""
    from .enrich.titles import title_key  # here: its package imports NumPy, which a warm build never needs
    if len({post.slug for post in posts}) == len({title_key(post.title) for post in posts}) == len(posts):
        return []   # the usual case, told at once; the errors' order needs the posts sorted
    errors = []
    seen_slugs: dict[str, Post] = {}
    seen_titles: dict[str, Post] = {}
    for post in sorted(posts, key=lambda p: p.source):
        if post.slug in seen_slugs:
            errors.append(ContentError(post.source, f"slug '{post.slug}' is already used by "
                                                    f"{seen_slugs[post.slug].source}", line=1,
                                       hint="give one of them a different 'slug:'"))
        else:
            seen_slugs[post.slug] = post
        key = title_key(post.title)
        if key in seen_titles:
            errors.append(ContentError(post.source, f"title '{post.title}' is already used by "
                                                    f"{seen_titles[key].source}", line=1,
                                       hint="the same story twice? delete one, or retitle it"))
        else:
            seen_titles[key] = post
    return errors


def _site_warnings(options: BuildOptions, config: SiteConfig, routes: list[Route], posts: list[Post],
                   pages: Iterable[Page], listed: InputFiles | None) -> list[Warning_]:
    """What the site as planned would get wrong without a word, besides what reading and
    enriching the posts warned of: navigation links and links in bodies that lead to no
    page or file, and what the templates and static folders hold that is not read."""
    from .links import link_warnings
    from .render.outputs import static_paths
    from .routes import navigation_warnings
    from .sources.loader import skipped_warnings
    skipped = listed.skipped if listed is not None else None
    page_urls = {route.url for route in routes}
    return [*navigation_warnings(config, page_urls),
            *link_warnings(posts, pages, page_urls, static_paths(options.static_dir), config.base_path,
                           options.static_dir.name),
            *(warning for folder in (options.templates_dir, options.static_dir)
              for warning in skipped_warnings(folder, skipped))]


def _stage(options: BuildOptions, name: str) -> Progress | None:
    report = options.progress
    return (lambda done, total: report(name, done, total)) if report else None


def build(options: BuildOptions) -> BuildReport:
    check_out_folder(options.out_dir, {"content": options.content_dir, "templates": options.templates_dir,
                                       "static": options.static_dir},
                     built_before=options.cache_dir is not None
                     and manifest_file(options.cache_dir, options.out_dir).is_file())
    try:
        with output_lock.held(options.out_dir), fewer_full_collections(none_at_all=options.process_ends), \
                ExitStack() as cleanup:
            return _build(options, cleanup)
    finally:
        interrupts.build_ended()


def _build(options: BuildOptions, cleanup: ExitStack) -> BuildReport:
    started = time.perf_counter()
    stages: dict[str, float] = {}

    def lap(stage: str) -> None:
        stages[stage] = time.perf_counter() - started - sum(stages.values())

    workers = options.workers or available_cores()
    cache_dir = options.cache_dir
    salt = code_version()
    today = options.today or dt.date.today()
    memo = options.memo
    own_cache = use_output_cache(cache_dir, options.out_dir) if cache_dir is not None else None
    manifest_path = own_cache / "manifest.pickle" if own_cache is not None else None
    if memo is not None:
        memo.unsaved = None   # a failed build's: what it describes was never published
    manifest = Manifest.load(manifest_path, memo.manifest if memo is not None else None)
    listed: InputFiles | None = None
    inputs_salt = f"{salt}|{options.drafts}|{options.strict}|{options.base_url}|{options.search}"
    if cache_dir is not None:
        # With no stamps from a last build and no posts cached, nothing can be found
        # unchanged: the readers digest the content as they read it.
        first = not manifest.input_files and not Cache.holds_entries(cache_dir / "sources")
        listed = memo.watched.take(inputs_salt) if memo is not None else None
        if listed is None:
            listed = list_inputs(inputs_salt, [options.content_dir, options.templates_dir, options.static_dir],
                                 manifest.input_files, later=options.content_dir if first else None)
        if memo is not None:
            memo.watched.keep(listed)
        if not first and not options.plan_unchanged \
                and manifest.unchanged_site(listed.digest(), today.isoformat(), options.out_dir):
            return replayed_report(manifest.report, options, time.perf_counter() - started, workers)
    # What is published is listed, and the site a build stages into listed or, the first
    # time after a cold build, made (13,000 files for a 10,000-post archive), each in a
    # process of its own while posts load. The build needs the first once posts are
    # enriched, the second only to publish: making it can take a second or more.
    # Where the last build's files are known, only they are looked at: a file put there
    # since is seen only where it matters, when nothing else changed (see publish_changes).
    out_dir = options.out_dir.resolve()
    known_files = list(manifest.entries) if manifest.entries and manifest.out_dir == str(out_dir) else []
    helper = memo.helper if memo is not None else None   # `serve`'s: see helper.py
    listing = (Background(workers, stat_known, out_dir, known_files, helper=helper) if known_files
               else Background(workers, scan, out_dir, helper=helper)) if cache_dir is not None else None
    tree = Background(workers, staging_tree, options.out_dir, helper=helper) if cache_dir is not None else None
    for started_apart in (listing, tree):
        if started_apart is not None:
            cleanup.callback(started_apart.close)
    # The stages' modules (Markdown, Jinja, NumPy and the rest) take most of a second to
    # import, and a build that finds nothing changed needs none of them.
    from .apart import changed_picks as picks_changed
    from .apart import data_files_apart, related_apart, with_picks
    from .enrich import collect_series, let_go_of_terms, with_teasers
    from .enrich.related import RelatedMemory, apply_picks, import_sparse, pick_related, score_related
    from .page_inputs import PageInputs, frame_outline
    from .plan import SitePlan
    from .render import compile_templates, data_files_again, render_site, shared_parts
    from .render.templates import compiled_before
    from .render.data import data_salt, fresh_shares, post_data
    from .routes import plan_routes
    from .sources.batch import read_all
    from .sources.loader import load_content

    cache = Cache.open(cache_dir / "sources" if cache_dir else None, salt)
    # Each post's share of the data files is made as it is read, in the read workers.
    made_data: dict[str, bytes] = {}

    def published(config: SiteConfig) -> SiteConfig:   # site.yaml's, with --base-url if given
        return config.with_base_url(options.base_url) if options.base_url else config

    read_memo = memo.read if memo is not None else None

    def read(jobs: list[SourceJob], config: SiteConfig, memo: ReadMemo | None = read_memo) -> list[SourceResult]:
        # Where workers read, this process mostly waits: it imports what scoring related
        # stories will need meanwhile.
        return read_all(jobs, config, cache, workers, _stage(options, "reading"),
                        functools.partial(post_data, config=published(config)), made_data,
                        listed.digests if listed is not None else None, memo, import_sparse)

    # The last build's plan, if this process made one (`serve`): left again only by a
    # build that succeeds, as what this one reads may be put into its posts.
    plan: SitePlan | None = options.memo.plan if options.memo is not None else None
    if options.memo is not None:
        options.memo.plan = None
    # Where only sources changed, they alone are read, the rest taken from the plan.
    # (Not where something is skipped: the plan's warnings would not tell what changed there.)
    loaded = plan.reread(listed.digests, lambda jobs: read(jobs, plan.config, None), cache, read_memo) \
        if plan is not None and listed is not None and read_memo is not None and not listed.skipped else None
    reread = loaded is not None   # the posts not read again keep the last build's related stories
    if loaded is None:
        loaded = load_content(options.content_dir, read, listed.digests if listed is not None else None,
                              listed.skipped if listed is not None else None)
    cache.save()
    if listed is not None:
        listed.digest_rest()   # what the readers did not read (site.yaml, pages, files skipped)
    lap("read")
    config = published(loaded.config)
    # Templates never compiled for this config (a cold build's) are compiled in a process of
    # its own while this one enriches the posts, rather than just before rendering (let
    # finish, if the build stops first: Jinja would leave a half-written file behind).
    templates_cache = cache_dir / "templates" if cache_dir is not None else None
    compiling = Background(workers, compile_templates, options.templates_dir, config, templates_cache,
                           collect=False, finish=True) \
        if templates_cache is not None and not compiled_before(templates_cache, config) \
        and Background.forks(workers) else None
    if compiling is not None:
        cleanup.callback(compiling.close)
    fingerprinter = Fingerprinter(f"{salt}:{folder_digest(options.templates_dir)}") if cache_dir else None
    # The places (among the published posts) of those read afresh, where the last plan holds.
    # Its posts' related stories are those of the scoring memory the same build left in
    # this process: one read from the cache folder may be another build's since (`make
    # site` beside `serve`), and would hide what changed from the plan's picks.
    edited = plan.edited(loaded.posts, loaded.config, loaded.pages, loaded.warnings, today, options.drafts,
                         fingerprinter.salt, read_memo) \
        if plan is not None and fingerprinter is not None and not loaded.errors and memo is not None \
        and memo.related is not None else None
    # Slugs and titles are in the frame: where the plan holds, they are as they were.
    errors = [*loaded.errors, *(check_unique(loaded.posts) if edited is None else [])]
    if errors:
        raise BuildFailed(errors)

    outcomes = loaded.outcomes
    visible: list[Post] = []
    for post in loaded.posts:
        if post.draft and not options.drafts:
            outcomes[post.source] = SourceOutcome(post.source, "draft", "draft: true; shown with --drafts")
        elif post.date > today and not options.drafts:
            outcomes[post.source] = SourceOutcome(post.source, "future", f"dated {post.date.isoformat()}; "
                                                                         "shown with --drafts or on that day")
        else:
            outcomes[post.source] = SourceOutcome(post.source, "published")
            visible.append(post)

    memory_path = cache_dir / "related.pickle" if cache_dir is not None else None
    last_memory = memo.related if memo is not None and memo.related is not None else RelatedMemory.load(memory_path)
    if memo is not None:
        memo.related = None
    posts = with_teasers(visible, config, prepared=True) if edited is None else plan.posts
    # In `serve`, related stories are scored here, so that the memory for the next build
    # stays in this process (see `edited`): where the plan was kept, from the memory the
    # last build left here, for 10,000 posts a tenth of a second, against about a quarter
    # for loading that memory and scoring in a process of its own.
    changed_picks: Picks | None = None
    if memo is not None and last_memory is not None:
        scored = score_related(posts, config, workers, last_memory, salt, alone=True)
        if scored is not None:
            changed_picks = picks_changed(last_memory, scored[0])
            memo.related, memo.related_saved = scored[1], False
    # Otherwise, after an edit, related stories are picked again in a process of its own
    # while this one plans the pages, which need them only once a page's context is made
    # (in an edit build of 10,000 posts, 0.17-0.2 s and 0.10-0.15 s).
    picking = Background(workers, related_apart, posts, config, last_memory, salt, memory_path, workers,
                         collect=False, finish=True) \
        if memo is None and last_memory is not None and changed_picks is None and Background.forks(workers) else None
    if picking is not None:
        cleanup.callback(picking.close)
    if edited is None:
        series, series_warnings = collect_series(posts)
        routes = plan_routes(posts, series, loaded.pages, config)
    else:
        series, series_warnings, routes = plan.series, plan.series_warnings, plan.routes
    # Whatever needs no related stories is done while they are picked.
    on_disk = listing.result() if listing is not None else {}
    trusted = manifest.trusted(options.out_dir, on_disk)
    previous = {path: entry.fingerprint for path, entry in trusted.items() if entry.fingerprint} \
        if fingerprinter is not None else None
    outline = (frame_outline(fingerprinter, posts, series, loaded.pages, routes) if edited is None else plan.outline) \
        if fingerprinter is not None else None
    known = PageInputs.unpacked(manifest.pages) if fingerprinter is not None and manifest.pages and previous else None
    if picking is not None:
        changed_picks = picking.result()
    picked = with_picks(last_memory, changed_picks, len(posts)) \
        if changed_picks is not None and last_memory is not None else None
    memory: RelatedMemory | None = None   # saved with the data files, where related_apart did not
    # Where the plan holds, only posts read afresh, or whose related stories were picked
    # again, can differ from the last build's: their digests alone are worked out again.
    again = {*edited, *changed_picks} if edited is not None and changed_picks is not None else None
    if picked is not None:
        related_warnings, related_scores = apply_picks(posts, picked, again if reread else None,
                                                       plan.related_scores if reread and plan is not None else None)
    else:
        related_warnings, related_scores, memory = pick_related(posts, config, workers, last_memory, salt)
        if memo is not None:   # saved with the data files (data_files_apart)
            memo.related, memo.related_saved = memory, True
    let_go_of_terms(posts)
    warnings: list[Warning_] = [*loaded.warnings, *related_warnings, *series_warnings,
                                *_site_warnings(options, config, routes, posts, loaded.pages.values(), listed)]
    if options.strict and warnings:
        raise BuildFailed([ContentError(w.path, f"warning treated as error (--strict): {w.message}", line=w.line)
                           for w in warnings])
    lap("enrich")
    # Where the plan and its data records were kept, the data files are made here at once
    # (see render.data.DataRecords). Otherwise they are made (and related-story scoring's
    # memory saved, where related_apart did not) in a process of their own while this one
    # fingerprints the pages (in an edit build of 10,000 posts, a quarter of a second each).
    kept_data = plan.data if plan is not None and again is not None and picked is not None and memory is None \
        else None
    made_here = data_files_again(kept_data, posts, fresh_shares(posts, edited or [], again or set(), made_data,
                                                                 config),
                                 related_scores, config, fingerprinter, previous) \
        if kept_data is not None and fingerprinter is not None else None
    place_in = placing_folder(options.out_dir)
    cleanup.callback(shutil.rmtree, place_in, True)
    apart = Background(workers, data_files_apart, memory, memory_path, place_in, posts, related_scores, config,
                       fingerprinter, previous,
                       (lambda: Cache.open(own_cache / "data", data_salt(salt, config)))
                       if own_cache is not None else None, made_data, collect=False, finish=True) \
        if made_here is None else None
    if apart is not None:
        cleanup.callback(apart.close)
    # After an edit, only pages showing a post whose digest changed are fingerprinted again.
    settled: set[int] = set()
    frame, digests = b"", list[bytes]()
    if fingerprinter is not None and outline is not None:
        frame = outline.framed(shared_parts(fingerprinter, posts, config).values())
        if again is not None and picked is not None and plan is not None:
            for number, (post, digest) in enumerate(zip(posts, plan.digests, strict=True)):
                if number in again:
                    digest = fingerprinter.digest(post)
                else:
                    fingerprinter.know(post, digest)   # for the listings that hold it
                digests.append(digest)
        else:
            digests = [fingerprinter.digest(post) for post in posts]
        if known is not None and previous is not None:
            settled = known.settled(frame, digests, routes, previous)

    def site_files() -> SiteFiles:   # asked for just before the render workers start
        made = apart.result() if apart is not None else made_here
        assert made is not None
        if compiling is not None:
            compiling.result()
        made_data.clear()   # before the render workers are forked: tens of megabytes
        return made

    rendered = render_site(routes, posts, config, options.templates_dir, options.static_dir,
                           workers, fingerprinter, previous, _stage(options, "rendering"),
                           templates_cache,
                           site_files=site_files, settled=settled, frame=frame)
    future = [p.date for p in loaded.posts if p.date > today and not p.draft and not options.drafts]
    pages_written = sum(1 for route in routes if route.output_path.endswith(".html"))
    record = Manifest(str(options.out_dir.resolve()), options.search,
                      inputs=listed.digest() if listed is not None else "",
                      input_files=listed.kept_stamps() if listed is not None else {},
                      valid_until=min(future).isoformat() if future else None,
                      report=replay_data(outcomes, posts, warnings, pages_written),
                      pages=PageInputs.made(frame, digests, routes, posts, settled, known).packed()
                      if fingerprinter is not None else b"")
    listed_previous = tree.result() if tree is not None else None
    written, kept, search, published = publish_changes(rendered, options, manifest.search, record, on_disk,
                                                         trusted, lap, listed_previous, whole=not known_files)
    lap("publish")
    if memo is not None and manifest_path is not None:
        memo.manifest = (file_stamp(manifest_path), record)
    if options.memo is not None and fingerprinter is not None and outline is not None:
        options.memo.plan = SitePlan(
            read=loaded.posts, config=loaded.config, pages=loaded.pages, warnings=list(loaded.warnings), today=today,
            drafts=options.drafts, salt=fingerprinter.salt, posts=posts, series=series,
            series_warnings=series_warnings, routes=routes, outline=outline, digests=digests, jobs=loaded.jobs,
            files=dict(listed.digests) if listed is not None else {}, outcomes=dict(outcomes),
            related_scores=related_scores, data=kept_data if made_here is not None else None, keys=loaded.keys)
    if options.process_ends:
        _LEFT_FOR_EXIT.append((loaded, visible, posts, series, related_scores, memory, last_memory, routes, rendered, cache,
                               manifest, record, trusted, on_disk, previous, fingerprinter, listed_previous))
    return BuildReport(
        outcomes=outcomes, post_kinds=Counter(p.kind.value for p in posts), files_written=written,
        files_kept=kept, published=published,
        pages_written=pages_written, warnings=warnings,
        seconds=time.perf_counter() - started, out_dir=str(options.out_dir), search=search,
        search_requested=options.search, cache=cache.describe(), workers=workers, stages=stages,
        plan="" if options.memo is None else "plan: made afresh" if edited is None else
        f"plan: the last build's, kept ({len(edited)} published post{'' if len(edited) == 1 else 's'} read afresh)",
    )
