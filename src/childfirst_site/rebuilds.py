"""What a process that builds again and again (`serve`) does between builds, for the
next: work left from the last build, done while the editor reads (see BuildOptions.memo)."""
from __future__ import annotations

from .cache import Cache, code_version
from .incremental import file_stamp
from .pipeline import BuildOptions


def settle(options: BuildOptions) -> None:
    """Work for the next build, done once the last was reported (`serve`, while the editor
    reads): the manifest and related-story scoring's memory saved, where the build left
    them to save, and the data files' records of a plan that has none (see
    plan.SitePlan.data)."""
    memo = options.memo
    if memo is None or options.cache_dir is None:
        return
    path = options.cache_dir / "manifest.pickle"
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
    cache = Cache.open(options.cache_dir / "data", data_salt(code_version(), config))
    try:
        plan.data = DataRecords.made(plan.posts, config, plan.related_scores, cache)
    finally:
        cache.close()
