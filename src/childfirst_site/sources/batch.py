"""Reading many sources: from the cache where the same bytes were read before by the
same code and config, otherwise in worker processes."""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..cache import Cache, dumps, loads
from ..config import SiteConfig
from ..model import Post
from ..workers import Progress, ordered_results
from .reader import SourceJob, SourceResult, read_job

# Per worker: the config, its reading salt, and what else is made of each post read (see read_all).
_CONFIG: tuple[SiteConfig, str, Callable[[Post], Any] | None] | None = None


def _set_config(config: SiteConfig, also: Callable[[Post], Any] | None = None) -> None:
    global _CONFIG
    _CONFIG = (config, reading_salt(config), also)


_Read = tuple[str, bytes, bytes | None, str, str]


def _read_chunk(jobs: Sequence[SourceJob]) -> list[_Read]:
    """(cache key, pickled result, pickled `also` of its post, sha256 of the source's
    bytes and of its sidecar's) of each job. Results are pickled here, in the worker:
    the cache stores them as they are, so the parent, which has the rest of the build to
    run, need not pickle them again. The key is of the bytes read now, which may not be
    the ones the build first looked at, if the file changed meanwhile."""
    assert _CONFIG is not None
    config, salt, also = _CONFIG
    done = []
    for job in jobs:
        loaded = job.loaded()
        result = read_job(loaded, config)
        stored = dumps(result)
        extra = dumps(also(result.post)) if also is not None and result.post is not None else None
        done.append((loaded.key(salt), stored, extra, loaded.source.digest,
                     loaded.sidecar.digest if loaded.sidecar is not None else ""))
    return done


# A result, and its post's enriched fields as reading left them.
_Remembered = tuple[SourceResult, tuple[Any, ...]]


def _unshared(value: Any) -> Any:
    """A list or dict copied: nothing enrichment is handed may be shared with what is remembered."""
    return value.copy() if type(value) in (list, dict) else value


@dataclass
class ReadMemo:
    """What the last build in this process read, kept for the next (`serve`, which builds
    again on every change; see rebuilds.Memory): each result by its cache key, with its
    post's enriched fields as reading left them. Taken from here, a post is the object
    read before, its enrichment undone, rather than unpickled again from the cache (for
    10,000 posts, most of half a second a rebuild)."""

    results: dict[str, _Remembered] = field(default_factory=dict)

    def adopt(self, posts: list[Post]) -> None:
        """Remember each of these posts as the object its result holds: a build puts a
        post's new contents into the object its plan holds (see plan.py)."""
        results = self.results
        for post in posts:
            remembered = results.get(post.read_digest.hex())
            if remembered is not None and remembered[0].post is not post:
                remembered[0].post = post

    @staticmethod
    def take(remembered: _Remembered) -> SourceResult:
        """The result, its post's enriched fields as reading left them."""
        result, as_read = remembered
        if result.post is not None:
            # Into the post's own dict: the enriched fields are plain ones, and this is done
            # for every post of every rebuild.
            state = result.post.__dict__
            for name, value in zip(Post.ENRICHED, as_read):
                state[name] = _unshared(value)
        return result

    @staticmethod
    def entry(result: SourceResult) -> _Remembered:
        """What to remember of a result as read."""
        post = result.post
        as_read = tuple(getattr(post, name) for name in Post.ENRICHED) if post is not None else ()
        return result, tuple(map(_unshared, as_read))


def reading_salt(config: SiteConfig) -> str:
    """What, besides a source's own bytes and the code, decides how it is read: the
    topics, and the names related-story scoring looks for."""
    return hashlib.sha256(repr((config.topics, config.related.entities)).encode()).hexdigest()


def read_all(jobs: list[SourceJob], config: SiteConfig, cache: Cache, workers: int,
             progress: Progress | None = None, also: Callable[[Post], Any] | None = None,
             made: dict[str, bytes] | None = None, digests: dict[str, str] | None = None,
             memo: ReadMemo | None = None, meanwhile: Callable[[], None] | None = None) -> list[SourceResult]:
    """Every job's result, from the cache or read in `workers` processes. `also(post)`, a
    pure function of a post as read, is made in the worker that reads it, and put into
    `made` (pickled with cache.dumps, by the post's read digest in hex): work that would
    otherwise wait for the build's own process after reading (a post's share of the data
    files) is done in every core. A job whose files' digests are not known yet ("") is
    read, not looked up; `digests` (absolute path → sha256) gets those its readers
    worked out. `memo`: the last build's results in this process, taken where the cache
    still holds them (so that it keeps them), and replaced by this build's. `meanwhile()`
    runs in a thread of this process while worker processes read, if they do; it is done
    when this returns."""
    salt = reading_salt(config)
    results: list[SourceResult | None] = []
    keys: list[str] = []
    last = memo.results if memo is not None else {}
    remembered: dict[str, _Remembered] = {}
    for job in jobs:
        known = bool(job.source.digest) and (job.sidecar is None or bool(job.sidecar.digest))
        key = job.key(salt) if known else ""
        found = None
        if known:
            kept = last.get(key) if last and cache.holds(key) else None
            if kept is not None:
                cache.keep(key)
                remembered[key] = kept
                found = ReadMemo.take(kept)
            else:
                found = cache.get(key)
        else:
            cache.misses += 1   # read without a look: its bytes are not digested yet (a first build)
        keys.append(key)
        results.append(None if found is None else _with_digest(found, key))
    missing = [index for index, result in enumerate(results) if result is None]
    helper: list[threading.Thread] = []

    def forked() -> None:
        if meanwhile is not None:
            helper.append(threading.Thread(target=_quietly, args=(meanwhile,), daemon=True))
            helper[0].start()

    # Each result is taken in as soon as it and those before it are read, while the
    # workers read on: for 10,000 posts, taking them all in after the last was read kept
    # the other core idle for 0.19-0.25 s.
    fresh = ordered_results(_read_chunk, [jobs[i] for i in missing], workers, _set_config, (config, also), progress,
                            forked=forked)
    try:
        for index, (key, stored, extra, source_digest, sidecar_digest) in zip(missing, fresh, strict=True):
            results[index] = _with_digest(loads(stored), key)
            cache.put_pickled(key, stored)
            if made is not None and extra is not None:
                made[key] = extra
            if digests is not None:
                job = jobs[index]
                for file, sha in ((job.source, source_digest), (job.sidecar, sidecar_digest)):
                    if file is not None and not digests.get(file.path, "x"):
                        digests[file.path] = sha
            keys[index] = key
    finally:
        fresh.close()   # the workers stopped, if reading failed
        for thread in helper:
            thread.join()   # before the build forks again: a child of a process amid an import can hang
    if memo is not None:
        memo.results = {key: remembered.get(key) or ReadMemo.entry(result)
                        for key, result in zip(keys, results) if result is not None and key}
    return [r for r in results if r is not None]


def _quietly(work: Callable[[], None]) -> None:
    """Work done ahead of need: whatever fails fails again, and is reported, where needed."""
    try:
        work()
    except Exception:  # noqa: BLE001
        pass


def _with_digest(result: SourceResult, key: str) -> SourceResult:
    """The cache key, a digest of the bytes read, the code that read them and the config
    it read them with, stands for the post as read: the same key, the same post."""
    if result.post is not None:
        result.post.read_digest = bytes.fromhex(key)
    return result
