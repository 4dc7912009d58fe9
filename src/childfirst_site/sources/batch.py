"""Reading many sources: from the cache where the same bytes were read before by the
same code and config, otherwise in worker processes."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from ..cache import Cache, dumps, loads
from ..config import SiteConfig
from ..model import Post
from ..workers import Progress, ordered_map
from .reader import SourceJob, SourceResult, read_job

# Per worker: the config, its reading salt, and what else is made of each post read (see read_all).
_CONFIG: tuple[SiteConfig, str, Callable[[Post], Any] | None] | None = None


def _set_config(config: SiteConfig, also: Callable[[Post], Any] | None = None) -> None:
    global _CONFIG
    _CONFIG = (config, reading_salt(config), also)


def _read_chunk(jobs: Sequence[SourceJob]) -> list[tuple[str, bytes, bytes | None]]:
    """(cache key, pickled result, pickled `also` of its post) of each job. Results are
    pickled here, in the worker: the cache stores them as they are, so the parent, which
    has the rest of the build to run, need not pickle them again. The key is of the bytes
    read now, which may not be the ones the build first looked at, if the file changed
    meanwhile."""
    assert _CONFIG is not None
    config, salt, also = _CONFIG
    done = []
    for job in jobs:
        loaded = job.loaded()
        result = read_job(loaded, config)
        stored = dumps(result)
        extra = dumps(also(result.post)) if also is not None and result.post is not None else None
        done.append((loaded.key(salt), stored, extra))
    return done


def reading_salt(config: SiteConfig) -> str:
    """What, besides a source's own bytes and the code, decides how it is read: the
    topics, and the names related-story scoring looks for."""
    return hashlib.sha256(repr((config.topics, config.related.entities)).encode()).hexdigest()


def read_all(jobs: list[SourceJob], config: SiteConfig, cache: Cache, workers: int,
             progress: Progress | None = None, also: Callable[[Post], Any] | None = None,
             made: dict[str, bytes] | None = None) -> list[SourceResult]:
    """Every job's result, from the cache or read in `workers` processes. `also(post)`, a
    pure function of a post as read, is made in the worker that reads it, and put into
    `made` (pickled with cache.dumps, by the post's read digest in hex): work that would
    otherwise wait for the build's own process after reading (a post's share of the data
    files) is done in every core."""
    salt = reading_salt(config)
    keys = [job.key(salt) for job in jobs]
    results: list[SourceResult | None] = []
    for key in keys:
        found = cache.get(key)
        results.append(None if found is None else _with_digest(found, key))
    missing = [index for index, result in enumerate(results) if result is None]
    fresh = ordered_map(_read_chunk, [jobs[i] for i in missing], workers, _set_config, (config, also), progress)
    for index, (key, stored, extra) in zip(missing, fresh):
        results[index] = _with_digest(loads(stored), key)
        cache.put_pickled(key, stored)
        if made is not None and extra is not None:
            made[key] = extra
    return [r for r in results if r is not None]


def _with_digest(result: SourceResult, key: str) -> SourceResult:
    """The cache key, a digest of the bytes read, the code that read them and the config
    it read them with, stands for the post as read: the same key, the same post."""
    if result.post is not None:
        result.post.read_digest = bytes.fromhex(key)
    return result
