"""The preview server: a saved edit reloads the open page; a content error is shown on
the page (and the terminal) while the last good site stays up; the published site never
carries the preview script."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from conftest import ROOT, STATIC, TEMPLATES, make_content, write_post


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def preview(tmp_path):
    content = make_content(tmp_path)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--content", str(content),
         "--out", str(tmp_path / "public"), "--templates", str(TEMPLATES), "--static", str(STATIC), "--no-search"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "__preview/status", timeout=2).read()
            break
        except (urllib.error.URLError, ConnectionError):
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "preview server did not start"
            time.sleep(0.2)
    yield url, content, tmp_path
    server.terminate()
    server.wait(timeout=10)
    log.close()


def test_edit_reloads_the_open_page_and_errors_show_in_it(page, preview):
    url, content, folder = preview
    page.set_default_timeout(20_000)
    page.goto(url + "articles/story-3/")
    expect(page.locator("h1")).to_have_text("Story number 3 about education")
    # The page was loaded once; the reload is the preview's doing, not the test's.
    page.evaluate("window.__loadedBefore = true")

    write_post(content, "2024-03-10-story-3.md", "Story number 3, corrected", "2024-03-10", "education",
               "slug: story-3\n")
    expect(page.locator("h1")).to_have_text("Story number 3, corrected")
    assert page.evaluate("window.__loadedBefore === undefined")

    broken = content / "posts" / "2024-03-10-story-3.md"
    broken.write_text(broken.read_text().replace("date: 2024-03-10", "date: 2024-13-45"))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("2024-03-10-story-3.md:3")
    expect(alert).to_contain_text("not a valid date")
    assert "corrected" in page.locator("h1").inner_text()  # the last good page is still there
    assert "not a valid date" in (folder / "serve.log").read_text()  # and the terminal says so too

    broken.write_text(broken.read_text().replace("date: 2024-13-45", "date: 2024-03-10"))
    expect(page.get_by_role("alert")).to_have_count(0)

    published = (folder / "public" / "articles" / "story-3" / "index.html").read_text()
    assert "__preview" not in published


def test_the_preview_benchmark_times_edits_until_the_page_reloads(tmp_path, capsys, browser):
    """benchmarks/bench_preview.py still runs against the code it measures, and leaves
    the edited post as it found it."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.bench_preview import main
    content = make_content(tmp_path)
    posts = {path: path.read_bytes() for path in (content / "posts").glob("*.md")}
    assert main(["--site", str(tmp_path), "--edits", "2"], browser) == 0
    shown = capsys.readouterr().out
    assert shown.count("from the save to the page reloaded") == 2
    assert f"{len(posts)} posts in content/posts: median" in shown
    assert {path: path.read_bytes() for path in (content / "posts").glob("*.md")} == posts
