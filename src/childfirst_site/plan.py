"""The site's plan, kept by `serve` from one build to the next in the same process, so that
a rebuild after an edit that leaves every page's frame as it was (a post's body, say,
not its title, date, topics or figures) skips the passes over every post that would
give the same plan again: teasers, series, routes and the frame's outline (for 10,000
posts, about a third of a second), and fingerprints again only the posts whose contents
or related stories changed.

The edited posts' new contents are put into the objects the plan holds, so that every
list, listing and route holding them holds them as they are now. A build that finds the
plan unusable, for whatever reason, plans everything again, as a first build does."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .cache import Cache
from .config import SiteConfig
from .errors import Warning_
from .model import Page, Post, RelatedScores, Series, SourceOutcome
from .page_inputs import FrameOutline
from .routes import Route, reset_contexts
from .sources.batch import ReadMemo
from .sources.loader import LoadedContent
from .sources.reader import SourceFile, SourceJob, SourceResult

if TYPE_CHECKING:
    from .render.data import DataRecords

_TERMS_AT = Post.ENRICHED.index("related_terms")


def frame_key(post: Post) -> tuple[Any, ...]:
    """What of a post, besides its related stories, any page or list but its own can
    hold (see page_inputs: the frame), or teasers, series and routes are planned from."""
    return (post.source, post.slug, post.kind, post.date, post.updated, post.title, post.topics, post.draft,
            post.related_stories, post.stats, post.listed_by)


@dataclass
class SitePlan:
    """What a build planned from what it read; see the module's docstring."""

    read: list[Post]                 # every post read, in the order read (drafts too)
    config: SiteConfig               # site.yaml's, as read
    pages: dict[str, Page]
    warnings: list[Warning_]         # reading's
    today: dt.date
    drafts: bool
    salt: bytes                      # the fingerprinter's: code and templates
    posts: list[Post]                # published, teasers included, newest first
    series: list[Series]
    series_warnings: list[Warning_]
    routes: list[Route]
    outline: FrameOutline
    digests: list[bytes]             # each post's (in `posts`), as fingerprinted
    jobs: list[SourceJob]            # what was read, in order: jobs[i] gave read[i]
    files: dict[str, str]            # every file the build listed (absolute path → sha256)
    outcomes: dict[str, SourceOutcome]
    related_scores: RelatedScores
    # The data files' records (render.data.DataRecords): made once the build that planned
    # is reported (rebuilds.settle), then kept up to date by the builds that keep the plan.
    data: DataRecords | None = None
    keys: list[str] = field(default_factory=list)   # each post's (in `read`) read digest in hex, if known
    _places: dict[str, int] = field(default_factory=dict)   # a source's or sidecar's path → its job's place

    def reread(self, digests: Mapping[str, str], read: Callable[[list[SourceJob]], list[SourceResult]],
               cache: Cache, memo: ReadMemo) -> LoadedContent | None:
        """What load_content would give now, where only sources' bytes changed since the
        plan's build (`digests`: every file listed now): those sources read, by `read`,
        the others as the plan holds them, taken from `memo` and kept in `cache`, rather
        than each taken from the memo again and the content's files sorted out again.
        None (nothing read, nothing changed) where anything else changed: a file came or went; site.yaml, a page, a
        template or a static file changed; or a source read has warnings or errors."""
        files = self.files
        if digests.keys() != files.keys():
            return None
        if not self._places:
            for number, job in enumerate(self.jobs):
                for file in (job.source, job.sidecar):
                    if file is not None:
                        self._places[file.path] = number
        changed = {self._places.get(path, -1) for path, sha in digests.items() if files[path] != sha}
        remembered = memo.results
        keys = self.keys or [post.read_digest.hex() for post in self.read]
        if not changed or -1 in changed or len(changed) > len(self.jobs) // 5 or not remembered.keys() >= set(keys):
            return None
        numbers = sorted(changed)
        warned = {warning.path for warning in self.warnings}
        jobs = [_with_digests(self.jobs[number], digests) for number in numbers]
        if any(file is not None and file.display in warned for job in jobs for file in (job.source, job.sidecar)):
            return None
        counted = cache.hits, cache.misses
        results = read(jobs)
        if any(result.post is None or result.errors or result.warnings for result in results):
            cache.hits, cache.misses = counted   # counted again by the build that reads everything
            return None
        posts, read_jobs, read_keys = list(self.read), list(self.jobs), list(keys)
        for number, job, result in zip(numbers, jobs, results):
            del remembered[keys[number]]
            assert result.post is not None
            posts[number], read_jobs[number] = result.post, job
            read_keys[number] = result.post.read_digest.hex()
            remembered[read_keys[number]] = ReadMemo.entry(result)
        # The others, as ReadMemo.take would give them but for their related stories,
        # which related-story scoring does not read: they keep the last build's picks.
        fresh = set(numbers)
        unchanged = [(post, key) for number, (post, key) in enumerate(zip(self.read, keys)) if number not in fresh]
        cache.keep_all([key for _, key in unchanged])
        for post, key in unchanged:
            post.related_terms = remembered[key][1][_TERMS_AT]
        return LoadedContent(config=self.config, posts=posts, pages=self.pages, warnings=list(self.warnings),
                             errors=[], outcomes=dict(self.outcomes), jobs=read_jobs, keys=read_keys)

    def edited(self, read: list[Post], config: SiteConfig, pages: dict[str, Page], warnings: Sequence[Warning_],
               today: dt.date, drafts: bool, salt: bytes, memo: ReadMemo | None = None) -> list[int] | None:
        """Where this plan still holds for what a build read now: the places (in `posts`)
        of the posts read afresh, whose new contents are now in this plan's objects (and
        in `read`, and in what `memo` remembers, which then hold those objects). None
        where it does not hold: then nothing has been changed."""
        if (len(read) != len(self.read) or today != self.today or drafts != self.drafts or salt != self.salt
                or config != self.config or pages != self.pages or list(warnings) != self.warnings):
            return None
        fresh = [(number, post) for number, (post, planned) in enumerate(zip(read, self.read)) if post is not planned]
        if any(frame_key(post) != frame_key(self.read[number]) for number, post in fresh):
            return None
        if len(fresh) > len(self.read) // 5:
            return None   # planning again costs no more
        place = {id(post): number for number, post in enumerate(self.posts)} if fresh else {}
        edited = []
        for number, post in fresh:
            planned = self.read[number]
            state = planned.__dict__
            # Equal, and the ones routes and series hold: a figure is told by identity (fingerprint.py).
            kept = {name: state[name] for name in ("stats", "topics", "related_stories")}
            state.clear()
            state.update(post.__dict__, **kept)
            if id(planned) in place:
                edited.append(place[id(planned)])
        for number, _ in fresh:
            read[number] = self.read[number]
        if memo is not None:
            memo.adopt([read[number] for number, _ in fresh])
        reset_contexts(self.routes)
        return sorted(edited)


def _with_digests(job: SourceJob, digests: Mapping[str, str]) -> SourceJob:
    def now(file: SourceFile | None) -> SourceFile | None:
        return None if file is None else SourceFile(file.display, file.path, digests[file.path])
    source = now(job.source)
    assert source is not None
    return SourceJob(job.kind, source, now(job.sidecar))
