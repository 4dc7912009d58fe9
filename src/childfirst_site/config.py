"""`site.yaml`: one typed config object, validated once on load with messages naming the key."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .errors import ContentError, Warning_
from .model import Topic
from .yamltext import YamlDoc, load_yaml

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


_NOT_PHONE_DIGIT = re.compile(r"[^\d+]")


@dataclass(frozen=True)
class Publisher:
    name: str
    address: str
    phone: str
    email: str
    description: str

    @property
    def phone_uri(self) -> str:
        digits = _NOT_PHONE_DIGIT.sub("", self.phone)
        # UK numbers are written nationally (01206 …); tel: links want +44.
        if digits.startswith("0"):
            digits = "+44" + digits[1:]
        return f"tel:{digits}"


@dataclass(frozen=True)
class NavLink:
    title: str
    url: str
    line: int = field(default=0, compare=False)   # of its url in site.yaml, for warnings


@dataclass(frozen=True)
class Enquiry:
    endpoint: str | None
    email: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class SocialLink:
    name: str
    url: str


@dataclass(frozen=True)
class FeedSettings:
    items: int = 20
    full_content: bool = True


@dataclass(frozen=True)
class RelatedSettings:
    """How related posts are picked (site.yaml `related:`)."""

    count: int = 4
    min_score: float = 0.22
    text_weight: float = 0.6
    # A shared broad topic is weak evidence on its own; shared named actors (NSPCC, Instagram) are strong.
    topic_weight: float = 0.1
    entity_weight: float = 0.3
    recency_weight: float = 0.02
    excerpt_weight: float = 0.8      # a teaser is judged on its first lines only: weaker evidence
    entities: tuple[str, ...] = ()   # organisation and platform names to look for, beyond the built-in list


@dataclass(frozen=True)
class SiteConfig:
    title: str
    tagline: str
    base_url: str            # always ends with "/"
    language: str
    publisher: Publisher
    navigation: tuple[NavLink, ...]
    topics: tuple[Topic, ...]
    enquiry: Enquiry
    social: tuple[SocialLink, ...]
    feeds: FeedSettings
    posts_per_page: int = 10
    related: RelatedSettings = RelatedSettings()
    source: str = "site.yaml"
    warnings: tuple[Warning_, ...] = field(default=(), compare=False)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under ("/" or "/children-first/")."""
        return urlsplit(self.base_url).path or "/"

    def topic(self, slug: str) -> Topic:
        for topic in self.topics:
            if topic.slug == slug:
                return topic
        raise KeyError(slug)

    @property
    def topic_slugs(self) -> set[str]:
        return {t.slug for t in self.topics}

    def with_base_url(self, base_url: str) -> "SiteConfig":
        from dataclasses import replace
        return replace(self, base_url=normalise_base_url(base_url))


def _is_http_url(url: str) -> bool:
    """An absolute http(s) URL; malformed ones (urlsplit raises on some) are not."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


class _Reader:
    """Reads typed values out of the YAML document, naming the key and line on any mistake."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.errors: list[ContentError] = []

    def _name(self, key: tuple[Any, ...]) -> str:
        name = ""
        for part in key:
            name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
        return name

    def get(self, data: Any, key: tuple[Any, ...], kind: type | tuple[type, ...],
            default: Any = ..., hint: str | None = None) -> Any:
        parent = data
        if not isinstance(parent, dict):
            return None if default is ... else default
        name = key[-1]
        if name not in parent or parent[name] is None:
            if default is ...:
                self.errors.append(self.doc.error(key[:-1] or key, f"missing required key '{self._name(key)}'",
                                                  hint))
                return None
            return default
        value = parent[name]
        if kind is bool and not isinstance(value, bool) or not isinstance(value, kind) \
                or (kind is int and isinstance(value, bool)):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            self.errors.append(self.doc.error(
                key, f"key '{self._name(key)}' must be {_article(expected)}, not {type(value).__name__} "
                     f"{value!r}", hint))
            return None if default is ... else default
        if isinstance(value, str):
            value = value.strip()
        return value

    def unknown(self, data: Any, key: tuple[Any, ...], allowed: set[str]) -> None:
        if not isinstance(data, dict):
            return
        for name in data:
            if name not in allowed:
                full = (*key, name)
                self.errors.append(self.doc.error(
                    full, f"unknown key '{self._name(full)}'",
                    f"allowed here: {', '.join(sorted(allowed))}"))


def _article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


TOP_KEYS = {"title", "tagline", "base_url", "language", "publisher", "navigation", "topics",
            "enquiry", "social", "feeds", "posts_per_page", "related"}


def parse_site_config(text: str, path: str = "site.yaml") -> SiteConfig:
    """Validate `site.yaml` text; raises ContentError (the first of all problems found)."""
    doc = load_yaml(text, path)
    data = doc.data
    if not isinstance(data, dict):
        raise ContentError(path, "site.yaml must be a mapping of keys to values", line=1)
    r = _Reader(doc)
    r.unknown(data, (), TOP_KEYS)
    warnings: list[Warning_] = []

    base_url = r.get(data, ("base_url",), str) or "https://example.org/"
    if not _is_http_url(base_url):
        r.errors.append(doc.error(("base_url",), f"key 'base_url' must be an absolute http(s) URL, not {base_url!r}",
                                  "for example https://childrenfirst.example.org/"))

    pub_data = r.get(data, ("publisher",), dict) or {}
    r.unknown(pub_data, ("publisher",), {"name", "address", "phone", "email", "description"})
    publisher = Publisher(
        name=r.get(pub_data, ("publisher", "name"), str) or "",
        address=r.get(pub_data, ("publisher", "address"), str) or "",
        phone=r.get(pub_data, ("publisher", "phone"), str) or "",
        email=r.get(pub_data, ("publisher", "email"), str) or "",
        description=r.get(pub_data, ("publisher", "description"), str) or "",
    )
    if publisher.email and not EMAIL_RE.match(publisher.email):
        r.errors.append(doc.error(("publisher", "email"), f"key 'publisher.email' is not an email address: "
                                                          f"{publisher.email!r}"))

    navigation = []
    for i, item in enumerate(r.get(data, ("navigation",), list, default=[])):
        key = ("navigation", i)
        if not isinstance(item, dict):
            r.errors.append(doc.error(key, f"key 'navigation[{i}]' must be a mapping with title and url"))
            continue
        r.unknown(item, key, {"title", "url"})
        title, url = r.get(item, (*key, "title"), str), r.get(item, (*key, "url"), str)
        for name, value in (("title", title), ("url", url)):
            if value == "":   # a link with no words would be read out as nothing, or lead nowhere
                r.errors.append(doc.error((*key, name), f"key 'navigation[{i}].{name}' is empty"))
        navigation.append(NavLink(title or "", url or "", doc.line_of(*key, "url")))

    topics: list[Topic] = []
    seen_slugs: set[str] = set()
    for i, item in enumerate(r.get(data, ("topics",), list)or []):
        key = ("topics", i)
        if not isinstance(item, dict):
            r.errors.append(doc.error(key, f"key 'topics[{i}]' must be a mapping with name, slug, description"))
            continue
        r.unknown(item, key, {"name", "slug", "description", "keywords"})
        slug = r.get(item, (*key, "slug"), str) or ""
        if slug and not SLUG_RE.match(slug):
            r.errors.append(doc.error((*key, "slug"), f"key 'topics[{i}].slug' {slug!r} is not a slug",
                                      "use lower-case letters, digits and hyphens"))
        if slug in seen_slugs:
            r.errors.append(doc.error((*key, "slug"), f"key 'topics[{i}].slug' repeats {slug!r}"))
        seen_slugs.add(slug)
        keywords = r.get(item, (*key, "keywords"), list, default=[])
        if not all(isinstance(k, str) for k in keywords):
            r.errors.append(doc.error((*key, "keywords"), f"key 'topics[{i}].keywords' must be a list of text"))
            keywords = []
        topics.append(Topic(name=r.get(item, (*key, "name"), str) or slug, slug=slug,
                            description=r.get(item, (*key, "description"), str) or "",
                            keywords=tuple(k.strip().lower() for k in keywords)))

    enq_data = r.get(data, ("enquiry",), dict) or {}
    r.unknown(enq_data, ("enquiry",), {"endpoint", "email", "services"})
    endpoint = r.get(enq_data, ("enquiry", "endpoint"), str, default="") or None
    if endpoint and not _is_http_url(endpoint):
        r.errors.append(doc.error(("enquiry", "endpoint"), f"key 'enquiry.endpoint' must be an http(s) URL, "
                                                           f"not {endpoint!r}", "or leave it empty to use email"))
    enq_email = r.get(enq_data, ("enquiry", "email"), str, default=publisher.email) or ""
    services = r.get(enq_data, ("enquiry", "services"), list, default=[])
    if not services or not all(isinstance(s, str) for s in services):
        r.errors.append(doc.error(("enquiry", "services"), "key 'enquiry.services' must be a non-empty list of text"))
        services = []
    if not endpoint:
        warnings.append(Warning_(path, "no enquiry.endpoint configured: the enquiry form falls back to "
                                       f"an email to {enq_email}", line=doc.line_of("enquiry")))
    enquiry = Enquiry(endpoint=endpoint, email=enq_email, services=tuple(s.strip() for s in services))

    social = []
    for i, item in enumerate(r.get(data, ("social",), list, default=[])):
        key = ("social", i)
        if not isinstance(item, dict):
            r.errors.append(doc.error(key, f"key 'social[{i}]' must be a mapping with name and url"))
            continue
        r.unknown(item, key, {"name", "url"})
        url = r.get(item, (*key, "url"), str) or ""
        if url and not _is_http_url(url):
            r.errors.append(doc.error((*key, "url"), f"key 'social[{i}].url' must be an absolute http(s) URL, not {url!r}"))
        social.append(SocialLink(r.get(item, (*key, "name"), str) or "", url))

    feed_data = r.get(data, ("feeds",), dict, default={})
    r.unknown(feed_data, ("feeds",), {"items", "full_content"})
    feeds = FeedSettings(items=r.get(feed_data, ("feeds", "items"), int, default=20),
                         full_content=r.get(feed_data, ("feeds", "full_content"), bool, default=True))

    per_page = r.get(data, ("posts_per_page",), int, default=10)
    if per_page is not None and per_page < 1:
        r.errors.append(doc.error(("posts_per_page",), "key 'posts_per_page' must be 1 or more"))

    rel_data = r.get(data, ("related",), dict, default={})
    r.unknown(rel_data, ("related",), {"count", "min_score", "weights", "entities"})
    weights = r.get(rel_data, ("related", "weights"), dict, default={})
    r.unknown(weights, ("related", "weights"), {"text", "topics", "entities", "recency", "excerpt"})
    defaults = RelatedSettings()

    def weight(name: str, default: float) -> float:
        value = r.get(weights, ("related", "weights", name), (int, float), default=default)
        if value is not None and value < 0:
            r.errors.append(doc.error(("related", "weights", name), f"key 'related.weights.{name}' must be 0 or more"))
        return float(value if value is not None else default)

    entity_names = r.get(rel_data, ("related", "entities"), list, default=[]) or []
    for index, name in enumerate(entity_names):
        if not isinstance(name, str) or not name.strip():
            r.errors.append(doc.error(("related", "entities", index), "each of related.entities must be a name, "
                                                                      f"not {name!r}"))
        elif not "A" <= name[:1] <= "Z":
            # Names are searched for from a capital A-Z (entities.entity_pattern: fast), so
            # any other would never be found, which is said rather than left unseen.
            warnings.append(Warning_(path, f"related.entities: '{name}' is not looked for: names are found only "
                                           "where they start with a capital A-Z",
                                     line=doc.line_of("related", "entities", index)))
    count = r.get(rel_data, ("related", "count"), int, default=defaults.count)
    if count is not None and count < 0:
        r.errors.append(doc.error(("related", "count"), "key 'related.count' must be 0 or more",
                                  "0 shows no related stories"))
    related = RelatedSettings(
        count=count if count is not None and count >= 0 else defaults.count,
        min_score=float(r.get(rel_data, ("related", "min_score"), (int, float), default=defaults.min_score)),
        text_weight=weight("text", defaults.text_weight), topic_weight=weight("topics", defaults.topic_weight),
        entity_weight=weight("entities", defaults.entity_weight),
        recency_weight=weight("recency", defaults.recency_weight),
        excerpt_weight=weight("excerpt", defaults.excerpt_weight),
        entities=tuple(e for e in entity_names if isinstance(e, str) and e.strip()),
    )

    title = r.get(data, ("title",), str)
    for key, value in ((("title",), title), (("publisher", "name"), publisher.name if pub_data else None)):
        if value == "":   # every page's title, feed and footer names them
            r.errors.append(doc.error(key, f"key '{'.'.join(key)}' is empty"))
    config = SiteConfig(
        title=title or "",
        tagline=r.get(data, ("tagline",), str, default="") or "",
        base_url=normalise_base_url(base_url),
        language=r.get(data, ("language",), str, default="en-GB") or "en-GB",
        publisher=publisher, navigation=tuple(navigation), topics=tuple(topics), enquiry=enquiry,
        social=tuple(social), feeds=feeds, posts_per_page=per_page or 10,
        related=related,
        source=path, warnings=tuple(warnings),
    )
    if r.errors:
        raise ConfigErrors(r.errors)
    return config


class ConfigErrors(ContentError):
    """Every problem found in site.yaml at once; formats as the first, carries them all."""

    def __init__(self, errors: list[ContentError]) -> None:
        first = errors[0]
        self.errors = errors
        super().__init__(first.path, first.message, first.line, first.hint, first.column)
