"""build(): load → enrich → route → render → publish, as one linear pipeline."""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .enrich import enrich
from .enrich.titles import title_key
from .errors import BuildFailed, ContentError, Warning_
from .model import Post
from .publish import publish
from .render import render_site
from .report import BuildReport
from .routes import plan_routes
from .sources.loader import SourceOutcome, load_content


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


def check_unique(posts: list[Post]) -> list[ContentError]:
    """Two sources may not share a slug (one would overwrite the other) or a title."""
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


def build(options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    loaded = load_content(options.content_dir)
    config = loaded.config.with_base_url(options.base_url) if options.base_url else loaded.config
    errors = [*loaded.errors, *check_unique(loaded.posts)]
    if errors:
        raise BuildFailed(errors)

    today = options.today or dt.date.today()
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

    posts, series, enrich_warnings = enrich(visible, config)
    warnings: list[Warning_] = [*loaded.warnings, *enrich_warnings]
    if options.strict and warnings:
        raise BuildFailed([ContentError(w.path, f"warning treated as error (--strict): {w.message}", line=w.line)
                           for w in warnings])
    routes = plan_routes(posts, series, loaded.pages, config)
    files = render_site(routes, posts, config, options.templates_dir, options.static_dir)
    publish(files, options.out_dir)
    return BuildReport(
        outcomes=outcomes, post_kinds=Counter(p.kind.value for p in posts), files_written=len(files),
        pages_written=sum(1 for path in files if path.endswith(".html")), warnings=warnings,
        seconds=time.perf_counter() - started, out_dir=str(options.out_dir),
    )
