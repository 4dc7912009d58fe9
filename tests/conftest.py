from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from childfirst_site.pipeline import BuildOptions, build  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLD = FIXTURES / "gold"
FIXTURE_SITE = FIXTURES / "site"
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
TODAY = dt.date(2026, 11, 23)

# Twelve editor posts over three topics: enough for a second home page.
GENERATED_POSTS = [
    (f"2024-{month:02d}-10-story-{month}.md", f"Story number {month} about {topic}", f"2024-{month:02d}-10", topic)
    for month, topic in zip(range(1, 13), ["online-safety", "child-protection", "education"] * 4)
]


def write_post(folder: Path, name: str, title: str, date: str, topic: str, extra: str = "") -> Path:
    path = folder / "posts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: \"{title}\"\ndate: {date}\nauthor: Jo Reporter\ntopics: [{topic}]\n{extra}---\n"
        f"The standfirst of {title.lower()}.\n\nA second paragraph with a [link](/about/).\n\n"
        "- first point\n- second point\n\n> A quoted line from someone.\n> — A Spokesperson\n",
        encoding="utf-8")
    return path


def make_content(folder: Path) -> Path:
    """A fresh copy of the fixture content, with generated posts, a draft and a future post."""
    content = folder / "content"
    shutil.copytree(FIXTURE_SITE, content)
    for name, title, date, topic in GENERATED_POSTS:
        write_post(content, name, title, date, topic)
    write_post(content, "draft.md", "A draft nobody should see", "2024-05-05", "education", "draft: true\n")
    write_post(content, "future.md", "A story from the future", "2030-01-01", "education")
    return content


def options(content: Path, out: Path, **overrides) -> BuildOptions:
    """Search indexing is off unless a test asks for it: it is tested on its own, and in
    the browser, and would otherwise add a Pagefind run to every build here."""
    settings = {"templates_dir": TEMPLATES, "static_dir": STATIC, "today": TODAY, "search": False, **overrides}
    return BuildOptions(content_dir=content, out_dir=out, **settings)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> tuple[Path, object]:
    """The fixture site, built once for the whole session: (public folder, report)."""
    base = tmp_path_factory.mktemp("site")
    content = make_content(base)
    out = base / "public"
    report = build(options(content, out, search=True))
    return out, report
