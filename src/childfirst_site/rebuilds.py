"""What a process that builds again and again (`serve`) keeps from one build for the
next, and does between builds: work left from the last build, done while the editor
reads (see BuildOptions.memo)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .cache import Cache, code_version
from .errors import BuildFailed, ContentError
from .incremental import file_stamp, manifest_file, output_cache
from .pipeline import BuildOptions, build
from .report import BuildReport
from .sources.batch import ReadMemo
from .watched import Watched

if TYPE_CHECKING:
    from .enrich.related import RelatedMemory
    from .helper import Helper
    from .incremental import Manifest
    from .plan import SitePlan


@dataclass
class Memory:
    """What the last build in this process left the next (`serve`): each field says what,
    and which build takes or leaves it."""

    # The sources the last build read (see sources.batch.ReadMemo).
    read: ReadMemo = field(default_factory=ReadMemo)
    # What the last build planned from what it read (plan.SitePlan), for the next; taken
    # by each build, and left by one that succeeds.
    plan: SitePlan | None = None
    # The input listing, brought up to date from what a watcher reports, if one does.
    watched: Watched = field(default_factory=Watched)
    # The manifest as the last build left it, with its file's stamp then (see
    # incremental.Manifest.load): not read back from disk while the file is as it was.
    manifest: tuple[tuple[int, ...] | None, Manifest] | None = None
    # Whoever builds runs `settle` after each build (`serve`), which saves the manifest,
    # left `unsaved` by the build: the editor need not wait for that.
    settles: bool = False
    unsaved: Manifest | None = None
    # A process forked while this one was small, for the jobs a rebuild hands off (helper.py).
    helper: Helper | None = None
    # Related-story scoring's memory as the last build left it, scored in this process (the
    # plan's picks are this memory's: see pipeline._build); saved by `settle`, unless
    # `related_saved`.
    related: RelatedMemory | None = None
    related_saved: bool = True


def settle(options: BuildOptions) -> None:
    """Work for the next build, done once the last was reported (`serve`, while the editor
    reads): the manifest and related-story scoring's memory saved, where the build left
    them to save, and the data files' records of a plan that has none (see
    plan.SitePlan.data)."""
    memo = options.memo
    if memo is None or options.cache_dir is None:
        return
    path = manifest_file(options.cache_dir, options.out_dir)
    if memo.unsaved is not None and memo.manifest is not None and memo.manifest[1] is memo.unsaved:
        if file_stamp(path) == memo.manifest[0]:   # else another process saved one since: left as it is
            memo.unsaved.save(path)
            memo.manifest = (file_stamp(path), memo.unsaved)
        else:
            memo.manifest = None
    memo.unsaved = None
    if memo.related is not None and not memo.related_saved:
        memo.related.save(options.cache_dir / "related.pickle")
        memo.related_saved = True
    plan = memo.plan
    if plan is None or plan.data is not None:
        return
    from .render.data import DataRecords, data_salt
    config = plan.config.with_base_url(options.base_url) if options.base_url else plan.config
    cache = Cache.open(output_cache(options.cache_dir, options.out_dir) / "data", data_salt(code_version(), config))
    try:
        plan.data = DataRecords.made(plan.posts, config, plan.related_scores, cache)
    finally:
        cache.close()


def plan_ahead(options: BuildOptions) -> BuildReport | None:
    """Where the last build found nothing changed, and so read and planned nothing, plan
    the site now, writing nothing, and settle: `serve` does this while the editor reads,
    so that its next rebuild keeps a plan rather than making one. The build's report, if
    it ran and did not fail (what fails here fails again in the next rebuild, which
    reports it). A change made since the last build is built and published here where
    this build's look at the files finds it; where the listing is brought up to date from
    a watcher's reports (watched.py), one not reported yet is left for the rebuild its
    report starts."""
    memo = options.memo
    if memo is None or memo.plan is not None or options.cache_dir is None:
        return None   # (without a cache, no build keeps a plan)
    try:
        report = build(dataclasses.replace(options, plan_unchanged=True, progress=None))
    except (BuildFailed, ContentError):
        return None
    settle(options)
    return report
