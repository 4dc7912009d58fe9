"""What a process that builds again and again (`serve`) does between builds, for the
next: the posts remembered before its first rebuild, and work left from the last build
done while the editor reads (see BuildOptions.memo)."""
from __future__ import annotations

from .cache import Cache, code_version
from .incremental import Manifest, file_stamp, list_inputs
from .pipeline import BuildOptions


def remember_sources(options: BuildOptions) -> int:
    """Fill options.memo with what a build would read now, from the cache, writing
    nothing; returns how many results it holds. For `serve`: a start that finds nothing
    changed reads nothing, and its first rebuild would load every post from the cache
    (for 10,000 posts, half a second more than the rebuilds after it). Sources the cache
    does not hold (changed since the last build) are read here, in this process."""
    memo, cache_dir = options.memo, options.cache_dir
    if memo is None or cache_dir is None:
        return 0
    from .sources.batch import read_all
    from .sources.loader import load_content
    # Only content is read, and files as the last build listed them are not read again.
    listed = list_inputs("", [options.content_dir], Manifest.load(cache_dir / "manifest.pickle").input_files)
    cache = Cache.open(cache_dir / "sources", code_version())
    try:
        load_content(options.content_dir, lambda jobs, config: read_all(jobs, config, cache, 1, memo=memo),
                     listed.digests)
    finally:
        cache.close()   # nothing saved: the next build saves what it uses
    return len(memo.results)


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
