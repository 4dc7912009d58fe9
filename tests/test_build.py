"""The build as an editor runs it: atomic output, determinism, errors without tracebacks."""
from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from childfirst_site.errors import BuildFailed
from childfirst_site.pipeline import build
from conftest import ROOT, STATIC, TEMPLATES, make_content, options


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def cli_build_args(content: Path, out: Path) -> list[str]:
    return ["--content", str(content), "--out", str(out), "--templates", str(TEMPLATES), "--static", str(STATIC)]


def test_same_sources_give_byte_identical_output(tmp_path):
    content = make_content(tmp_path)
    build(options(content, tmp_path / "one"))
    build(options(content, tmp_path / "two"))
    one, two = tree_digest(tmp_path / "one"), tree_digest(tmp_path / "two")
    assert one == two
    assert len(one) > 40


def test_failed_build_leaves_published_site_untouched(tmp_path):
    content = make_content(tmp_path)
    out = tmp_path / "public"
    build(options(content, out))
    before = tree_digest(out)
    (content / "posts" / "broken.md").write_text("---\ntitle: Broken\ndate: 31/02/2024\n---\nText.\n")
    with pytest.raises(BuildFailed) as failed:
        build(options(content, out))
    assert [e.format() for e in failed.value.errors] == [
        'posts/broken.md:3: date "31/02/2024" is not a valid date (use YYYY-MM-DD)'.replace(
            "posts/", f"{content.name}/posts/")]
    assert tree_digest(out) == before
    assert not list(tmp_path.glob(".public.*"))


def test_template_error_is_reported_and_site_untouched(tmp_path):
    content = make_content(tmp_path)
    out = tmp_path / "public"
    build(options(content, out))
    before = tree_digest(out)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "404.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{{ 1 + }}\n{% endblock %}\n")
    result = run_cli("--content", str(content), "--out", str(out), "--templates", str(templates),
                     "--static", str(STATIC), cwd=tmp_path)
    assert result.returncode == 1
    assert "templates/404.html:3: template syntax error" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(out) == before
    assert not (tmp_path / ".public.made").exists()   # the data files left for publishing (publish.Placed)


def test_cli_reports_every_content_error_with_file_and_line(tmp_path):
    content = make_content(tmp_path)
    (content / "posts" / "no-title.md").write_text("---\ndate: 2024-01-01\n---\nText.\n")
    (content / "posts" / "bad-topic.md").write_text("---\ntitle: T\ndate: 2024-01-01\ntopics: [nope]\n---\nText.\n")
    result = run_cli(*cli_build_args(content, tmp_path / "public"), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith("error: content/posts/no-title.md:1: missing title") for line in lines), lines
    assert any("content/posts/bad-topic.md:4: topic 'nope' is not declared in site.yaml" in line for line in lines)
    assert not (tmp_path / "public").exists()


def test_cli_build_succeeds_and_reports(tmp_path):
    content = make_content(tmp_path)
    result = run_cli(*cli_build_args(content, tmp_path / "public"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "posts published: 2 aggregated, 13 article, 6 teaser" in result.stdout
    assert "content/posts/draft.md: draft" in result.stdout
    assert "content/posts/future.md: future" in result.stdout
    assert (tmp_path / "public" / "index.html").is_file()


def test_drafts_option_publishes_drafts_and_future_posts(tmp_path):
    content = make_content(tmp_path)
    report = build(options(content, tmp_path / "public", drafts=True))
    assert (tmp_path / "public/articles/draft/index.html").is_file()
    assert (tmp_path / "public/articles/future/index.html").is_file()
    assert report.post_kinds["article"] == 15


def test_strict_turns_warnings_into_errors(tmp_path):
    content = make_content(tmp_path)
    (content / "posts" / "odd.md").write_text("---\ntitle: Odd\ndate: 2024-01-01\nmood: happy\n---\nText.\n")
    report = build(options(content, tmp_path / "public"))
    assert [w.format() for w in report.warnings if "mood" in w.message][0].startswith(
        f"{content.name}/posts/odd.md:4: unknown key 'mood'")
    with pytest.raises(BuildFailed):
        build(options(content, tmp_path / "strict", strict=True))
    assert not (tmp_path / "strict").exists()


def test_base_url_override_changes_absolute_links(tmp_path):
    content = make_content(tmp_path)
    build(options(content, tmp_path / "public", base_url="http://127.0.0.1:8123"))
    doc = BeautifulSoup((tmp_path / "public/index.html").read_text(), "html.parser")
    assert doc.find("link", rel="canonical")["href"] == "http://127.0.0.1:8123/"


def test_site_under_a_sub_path_prefixes_internal_links(tmp_path):
    content = make_content(tmp_path)
    build(options(content, tmp_path / "public", base_url="https://example.test/news/"))
    doc = BeautifulSoup((tmp_path / "public/index.html").read_text(), "html.parser")
    hrefs = [a["href"] for a in doc.find_all("a", href=True) if not a["href"].startswith(("http", "mailto", "tel", "#"))]
    assert hrefs and all(h.startswith("/news/") for h in hrefs)
    # Full URLs (canonical links, feeds, sitemap, data) hold the sub-path once.
    assert doc.find("link", rel="canonical")["href"] == "https://example.test/news/"
    article = next(h for h in hrefs if h.startswith("/news/articles/"))
    page = BeautifulSoup((tmp_path / "public" / article.removeprefix("/news/") / "index.html").read_text(),
                         "html.parser")
    assert page.find("link", rel="canonical")["href"] == f"https://example.test{article}"
    locs = [loc.get_text() for loc in BeautifulSoup((tmp_path / "public/sitemap.xml").read_text(), "xml")("loc")]
    assert f"https://example.test{article}" in locs and all(loc.startswith("https://example.test/news/") and
                                                            "/news/news/" not in loc for loc in locs)
    feed = BeautifulSoup((tmp_path / "public/feed.xml").read_text(), "xml")
    assert f"https://example.test{article}" in [link.get_text() for link in feed("link")]
    posts = json.loads((tmp_path / "public/data/posts.json").read_text())["posts"]
    assert all(post["url"].startswith("https://example.test/news/articles/") for post in posts)


def test_no_enquiry_endpoint_falls_back_to_email_with_a_warning(tmp_path):
    content = make_content(tmp_path)
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("endpoint: https://forms.fixture.example.test/enquiry", 'endpoint: ""'))
    report = build(options(content, tmp_path / "public"))
    assert any("enquiry.endpoint" in w.message for w in report.warnings)
    form = BeautifulSoup((tmp_path / "public/enquiry/index.html").read_text(), "html.parser").select_one("main form")
    assert form["action"] == "mailto:hello@fixture.example.test"
    assert form["enctype"] == "text/plain"


def test_duplicate_slug_is_an_error_naming_both_files(tmp_path):
    content = make_content(tmp_path)
    (content / "posts" / "copy.md").write_text("---\ntitle: Another\ndate: 2024-01-01\nslug: story-1\n---\nText.\n")
    with pytest.raises(BuildFailed) as failed:
        build(options(content, tmp_path / "public"))
    messages = [e.format() for e in failed.value.errors]
    assert any("slug 'story-1' is already used by" in m and "copy.md" in m for m in messages), messages


def test_help_explains_every_option(tmp_path):
    result = run_cli("build", "--help", cwd=tmp_path)
    assert result.returncode == 0
    for option in ("--out", "--base-url", "--drafts", "--strict", "--content", "--debug"):
        assert option in result.stdout
    assert "serve" in run_cli("--help", cwd=tmp_path).stdout


def test_a_reader_that_stops_reading_the_report_gets_no_traceback(tmp_path):
    content = make_content(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    build = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *cli_build_args(content, tmp_path / "public")],
                             cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    build.stdout.close()   # as `build.py | head -0` would
    stderr = build.stderr.read()
    build.wait(timeout=120)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert (tmp_path / "public" / "index.html").is_file()


def test_only_a_build_whose_process_ends_leaves_its_objects_for_the_exit(tmp_path):
    """build.py leaves the build's objects to the exit; a build in a process that goes on
    (the preview server, tests) must not keep a whole site alive per build."""
    from childfirst_site import pipeline
    from childfirst_site.cli import main
    content = make_content(tmp_path)
    before = len(pipeline._LEFT_FOR_EXIT)
    assert main([*cli_build_args(content, tmp_path / "kept"), "-q", "--no-search"]) == 0
    assert len(pipeline._LEFT_FOR_EXIT) == before
    try:
        assert main([*cli_build_args(content, tmp_path / "left"), "-q", "--no-search"], process_ends=True) == 0
        assert len(pipeline._LEFT_FOR_EXIT) == before + 1
    finally:
        del pipeline._LEFT_FOR_EXIT[before:]
        gc.unfreeze()   # what that build made is collectable again in this process, which goes on
    assert tree_digest(tmp_path / "kept") == tree_digest(tmp_path / "left")


def test_what_a_build_that_finds_nothing_changed_imports_leaves_out_the_heavy_libraries(tmp_path):
    """A warm build answers in a fraction of a second: it must not load SciPy, NumPy,
    Jinja or Markdown, which take longer to import than all the rest of it."""
    content = make_content(tmp_path)
    args = cli_build_args(content, tmp_path / "public")
    assert run_cli(*args, cwd=tmp_path).returncode == 0
    probe = ("import sys\n"
             "from childfirst_site.cli import main\n"
             "assert main(sys.argv[1:]) == 0\n"
             "print(sorted(m for m in ('scipy', 'numpy', 'jinja2', 'markdown', 'bs4') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-c", probe, *args, "-q"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_one_post_edit_scores_related_stories_again_without_scipy(tmp_path):
    """SciPy scores blocks of rows against every post in a first build; after an edit, the
    few rows it changes are scored in NumPy alone (a tenth of a second less to import),
    and the site is byte for byte the one a first build makes."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.corpus import write_corpus
    content = tmp_path / "content"   # the project's settings and pages, with enough posts for blocks of rows
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    shutil.copy(ROOT / "content" / "site.yaml", content / "site.yaml")
    write_corpus(content / "posts", 60, seed=4)
    args = cli_build_args(content, tmp_path / "public")
    probe = ("import sys\n"
             "from childfirst_site.cli import main\n"
             "assert main(sys.argv[1:]) == 0\n"
             "print(sorted(m for m in ('scipy', 'numpy') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

    def imported() -> str:
        result = subprocess.run([sys.executable, "-c", probe, *args, "-q"], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert imported() == "['numpy', 'scipy']"
    edited = sorted((content / "posts").glob("post-*.md"))[30]
    edited.write_text(edited.read_text() + "\nAn editor added a line on Ofsted and the NSPCC.\n")
    assert imported() == "['numpy']"
    assert run_cli(*cli_build_args(content, tmp_path / "fresh"), "-q", "--no-cache", cwd=tmp_path).returncode == 0
    assert tree_digest(tmp_path / "public") == tree_digest(tmp_path / "fresh")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc (Linux)")
def test_numpy_starts_no_blas_threads_in_a_build():
    """OpenBLAS would start a spinning thread per core as NumPy loads; the build needs none."""
    probe = ("import os, childfirst_site.cli, numpy\n"
             "print(len(os.listdir('/proc/self/task')), os.cpu_count())")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    env["PYTHONPATH"] = str(ROOT / "src")
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    threads, cores = map(int, result.stdout.split())
    assert threads == 1, f"{threads} threads on {cores} cores"


@pytest.mark.parametrize("leftover", ["file", "folder"])
def test_what_a_killed_build_left_beside_the_output_is_cleared(tmp_path, leftover):
    """The data files are left beside public/ to be moved in (publish.Placed); whatever a
    killed build left there does not stop the next one, and is gone after it."""
    content = make_content(tmp_path)
    out = tmp_path / "public"
    made = tmp_path / ".public.made"
    if leftover == "file":
        made.write_text("not a folder")
    else:
        (made / "data").mkdir(parents=True)
        (made / "data" / "0-posts.json").write_text("{}")
    build(options(content, out))
    assert (out / "data" / "posts.json").read_text().startswith('{"site"')
    assert not made.exists()
