"""The Jinja environment: filters for formatting, globals for what every page shows."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from jinja2.bccache import Bucket
from markupsafe import Markup

from .. import kept_folders
from ..config import SiteConfig
from ..errors import ContentError
from ..links import under
from ..model import Post
from ..routes import Route
from .charts import chart_svg
from .fragments import FragmentCache
from .marks import mark_figure_sentences
from .numbers_format import format_number

SIDEBAR_LATEST = 3


def site_url(config: SiteConfig) -> Callable[[str], str]:
    """Root-relative URL for a site path, under the base URL's path. Pages ask dozens of
    times each: the base path (a URL parse) is worked out once."""
    under = config.base_path.rstrip("/") + "/"
    return lambda path: under + path.lstrip("/")


def absolute_url(config: SiteConfig, path: str) -> str:
    """A site path's full URL: the base URL holds the base path already."""
    return config.base_url + path.lstrip("/")


@functools.lru_cache(maxsize=8192)  # strftime is slow, and a site shows the same dates many times
def date_long(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def json_ld(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block; '<', '>' and '&' are escaped
    so no string in it can close the script element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def content_security_policy(config: SiteConfig, wasm: bool = False) -> str:
    """No inline script, no third-party origins; forms post only where the site says.
    `wasm` lets the search page compile Pagefind's WebAssembly (and nothing else)."""
    endpoint = config.enquiry.endpoint
    form_target = f"{urlsplit(endpoint).scheme}://{urlsplit(endpoint).netloc}" if endpoint else "mailto:"
    scripts = "'self' 'wasm-unsafe-eval'" if wasm else "'self'"
    return (f"default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            f"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self' {form_target}")


# Compiled templates are kept for this many configs, those used last: the published
# site's, the preview's (`serve`), and a few before them. Each edit to site.yaml is
# another config, so keeping every one would grow the cache for as long as the site lives.
KEPT_CONFIGS = 4


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between builds. Jinja checks each against its template's
    source; a damaged file (which Jinja may fail to read) is compiled again. They are kept
    by config too, in a folder each: Jinja works out a filter given a constant as it
    compiles the template (`'/feed.xml' | absolute`, whatever its optimiser setting), so
    a compiled template can hold this config's base URL, and would give it to the pages of
    a build with another (a preview's base URL in the published site)."""

    def __init__(self, directory: str, config: SiteConfig) -> None:
        super().__init__(kept_folders.use(directory, _config_folder(config), KEPT_CONFIGS))

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - whatever is wrong with the file, compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass   # a disk full, or the folder pruned by another build: compiled again next time


class _Environment(jinja2.Environment):
    """Each template's globals as one dict, not a ChainMap over the environment's: Jinja
    copies them into every page's context, and compares their keys on every `{% from %}`
    import, both in pure Python for a ChainMap (a tenth of an article page's rendering).
    Globals are all set before the first template is loaded, and never changed after."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def _config_folder(config: SiteConfig) -> str:
    return hashlib.sha256(repr(config).encode()).hexdigest()[:32]


def compiled_before(bytecode_dir: Path, config: SiteConfig) -> bool:
    """Whether templates were compiled for this config before (perhaps not all of them,
    nor from the templates as they are now: Jinja checks each)."""
    try:
        with os.scandir(bytecode_dir / _config_folder(config)) as entries:
            return any(entries)
    except OSError:
        return False


def make_environment(templates_dir: Path, config: SiteConfig, posts: list[Post],
                     bytecode_dir: Path | None = None) -> jinja2.Environment:
    """`bytecode_dir`: where compiled templates are kept between builds (Jinja checks each
    against its template's source before use)."""
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir.resolve())),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat() per include
        cache_size=-1,      # a plain dict, not an LRU cache with a lock: looked up for every import
        # Compiling every template took a tenth of a second or more of each build.
        bytecode_cache=_CompiledTemplates(str(bytecode_dir), config) if bytecode_dir is not None else None,
        extensions=[FragmentCache],
    )
    url = site_url(config)
    env.filters["url"] = url
    env.filters["absolute"] = lambda path: absolute_url(config, path)
    env.filters["date_long"] = date_long
    env.filters["json_ld"] = json_ld
    # config.topic's answers, by a lookup made once (pages look topics up dozens of times).
    env.filters["topic"] = {topic.slug: topic for topic in reversed(config.topics)}.__getitem__
    # Bodies address the site from its root ("/about/"): under a base path, they are moved under it.
    prefix = config.base_path.rstrip("/")
    env.filters["marked_body"] = lambda post: Markup(under(mark_figure_sentences(post.body_html, post.stats), prefix,
                                                           config.base_path))
    env.filters["site_body"] = lambda html: Markup(under(html, prefix, config.base_path))
    env.filters["chart"] = lambda series: chart_svg(series, url)
    env.filters["format_number"] = format_number
    articles = [p for p in posts if not p.is_excerpt]
    # One spare, so an article's sidebar can leave itself out and still show three.
    latest = articles[:SIDEBAR_LATEST + 1]
    # nav_urls and latest_urls: the pages on which the header and sidebar differ (see
    # fragments.py).
    env.globals.update(csp=content_security_policy(config), csp_wasm=content_security_policy(config, wasm=True),
                       site=config, latest=latest, sidebar_count=SIDEBAR_LATEST,
                       nav_urls=frozenset(link.url for link in config.navigation),
                       latest_urls=frozenset(post.url for post in latest))
    return env


def _template_location(exc: BaseException, fallback: str, root: Path) -> tuple[str, int | None]:
    """The template file and line a rendering error happened at: Jinja rewrites its
    tracebacks so that template frames carry the template's own file name and line."""
    found: tuple[str, int | None] = (fallback, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = Path(tb.tb_frame.f_code.co_filename)
        if filename.is_relative_to(root):
            found = (filename.relative_to(root).as_posix(), tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_route(env: jinja2.Environment, route: Route, templates_label: str) -> bytes:
    """One page; template mistakes become ContentErrors naming templates_label/FILE:LINE."""
    try:
        template = env.get_template(route.template)
        html = template.render(route=route, **route.context)
    except jinja2.TemplateNotFound as exc:
        raise ContentError(f"{templates_label}/{route.template}", f"template '{exc.name}' not found",
                           hint="restore it, or check the name in {% extends %} / {% include %}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError(f"{templates_label}/{exc.name or route.template}", f"template syntax error: {exc.message}",
                           line=exc.lineno) from None
    except jinja2.TemplateError as exc:
        templates_root = Path(env.loader.searchpath[0]).resolve()  # type: ignore[union-attr]
        name, line = _template_location(exc, route.template, templates_root)
        raise ContentError(f"{templates_label}/{name}", f"template error: {exc.message or exc}", line=line,
                           hint="a variable, attribute or filter the template uses does not exist"
                           if isinstance(exc, jinja2.UndefinedError) else None) from None
    return html.encode("utf-8")
