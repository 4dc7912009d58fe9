"""Reading many sources: from the cache where the same bytes were read before by the
same code and config, otherwise in worker processes."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ..cache import Cache, dumps, loads
from ..config import SiteConfig
from ..workers import Progress, ordered_map
from .reader import SourceJob, SourceResult, read_job

_CONFIG: tuple[SiteConfig, str] | None = None   # the config and its reading salt, per worker


def _set_config(config: SiteConfig) -> None:
    global _CONFIG
    _CONFIG = (config, reading_salt(config))


def _read_chunk(jobs: Sequence[SourceJob]) -> list[tuple[str, bytes]]:
    """(cache key, pickled result) of each job. Results are pickled here, in the worker:
    the cache stores them as they are, so the parent, which has the rest of the build to
    run, need not pickle them again. The key is of the bytes read now, which may not be
    the ones the build first looked at, if the file changed meanwhile."""
    assert _CONFIG is not None
    config, salt = _CONFIG
    done = []
    for job in jobs:
        loaded = job.loaded()
        done.append((loaded.key(salt), dumps(read_job(loaded, config))))
    return done


def reading_salt(config: SiteConfig) -> str:
    """What, besides a source's own bytes and the code, decides how it is read: the
    topics, and the names related-story scoring looks for."""
    return hashlib.sha256(repr((config.topics, config.related.entities)).encode()).hexdigest()


def read_all(jobs: list[SourceJob], config: SiteConfig, cache: Cache, workers: int,
             progress: Progress | None = None) -> list[SourceResult]:
    salt = reading_salt(config)
    keys = [job.key(salt) for job in jobs]
    results: list[SourceResult | None] = []
    for key in keys:
        found = cache.get(key)
        results.append(None if found is None else _with_digest(found, key))
    missing = [index for index, result in enumerate(results) if result is None]
    fresh = ordered_map(_read_chunk, [jobs[i] for i in missing], workers, _set_config, (config,), progress)
    for index, (key, stored) in zip(missing, fresh):
        results[index] = _with_digest(loads(stored), key)
        cache.put_pickled(key, stored)
    return [r for r in results if r is not None]


def _with_digest(result: SourceResult, key: str) -> SourceResult:
    """The cache key, a digest of the bytes read, the code that read them and the config
    it read them with, stands for the post as read: the same key, the same post."""
    if result.post is not None:
        result.post.read_digest = bytes.fromhex(key)
    return result
