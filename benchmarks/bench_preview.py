"""What an editor waits for: from saving a post to the open page showing the new site,
with `build.py serve` running on the benchmark's archive and the page open in headless
Chromium (Debian's package, as the browser tests use).

    .venv/bin/python benchmarks/bench_preview.py [--posts 10000] [--edits 6]

The time covers the watcher noticing the save, the rebuild, and the page learning of it
and reloading (it asks four times a second). Each edit adds a sentence to one post; the
first edit after `serve` starts plans the site afresh and is shown apart. The post is
restored at the end, and `serve` stopped.
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import bench_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# Long enough after a page has loaded for its first question to the server to be answered.
SETTLE_SECONDS = 1.5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def started(folder: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """`build.py serve` on the folder, once it answers (its first build done)."""
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--content", "content", "--out",
         "public", "--templates", str(ROOT / "templates"), "--static", str(ROOT / "static"), "--no-search"],
        cwd=folder, stdout=log.open("w"), stderr=subprocess.STDOUT)
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__preview/status", timeout=2).read()
            return server
        except (urllib.error.URLError, ConnectionError):
            if server.poll() is not None:
                raise SystemExit(f"build.py serve ended:\n{log.read_text()}")
            time.sleep(0.2)


def main(argv: list[str] | None = None, browser: Any = None) -> int:
    """`browser`: a Playwright browser already launched (the tests'), else one is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=6)
    parser.add_argument("--site", type=Path, help="a site folder (content/ inside) instead of the benchmark corpus")
    args = parser.parse_args(argv)
    folder = args.site or bench_site(ROOT, "site", args.posts)
    port = free_port()
    server = started(folder, port, folder / "preview.log")
    posts = sorted((folder / "content" / "posts").glob("*.md"))
    post = posts[len(posts) // 2]
    original = post.read_text(encoding="utf-8")
    seconds: list[float] = []
    try:
        with ExitStack() as stack:
            if browser is None:
                from playwright.sync_api import sync_playwright
                playwright = stack.enter_context(sync_playwright())
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
                stack.callback(browser.close)
            context = browser.new_context()
            stack.callback(context.close)
            page = context.new_page()
            for number in range(args.edits):
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_timeout(SETTLE_SECONDS * 1000)
                with page.expect_event("load", timeout=60_000):
                    saved = time.perf_counter()
                    post.write_text(original.replace("\n\n", f"\n\nAn editor added sentence {number + 1} about "
                                                              "Ofsted.\n\n", 1), encoding="utf-8")
                seconds.append(time.perf_counter() - saved)
                print(f"edit {number + 1}: {seconds[-1]:.2f} s from the save to the page reloaded", flush=True)
    finally:
        post.write_text(original, encoding="utf-8")
        time.sleep(SETTLE_SECONDS)   # let the watcher see the restored post before serve stops
        server.terminate()
        server.wait(timeout=30)
    later = seconds[1:]
    if later:
        print(f"{len(posts):,} posts in content/posts: median {statistics.median(later):.2f} s ({min(later):.2f}–{max(later):.2f}) "
              f"over {len(later)} edits after the first; the first {seconds[0]:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
