"""Search at archive scale: builds the seeded synthetic site, indexes it with Pagefind,
and times queries in headless Chromium (the same set-up as the browser tests).

    .venv/bin/python benchmarks/bench_search.py [--posts 10000] [--seed 1]

Prints the index size (all of it, and what one query downloads) and query latency: the
time from calling Pagefind's search to having the first ten results' titles and excerpts.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import bench_site  # noqa: E402
from childfirst_site.pipeline import BuildOptions, build  # noqa: E402
from childfirst_site.serve import make_server  # noqa: E402

# Names the synthetic corpus mentions in some posts, and a phrase in every post.
QUERIES = ["NSPCC", "Ofsted", "Instagram", "Department for Education", "Childline", "said a spokesperson"]
CHROMIUM = "/usr/bin/chromium"

TIMED_SEARCH = """async ([bundle, query, first]) => {
  const pagefind = await import(bundle + "pagefind.js");
  await pagefind.options({baseUrl: "/"});
  const started = performance.now();
  const search = await pagefind.search(query);
  const pages = await Promise.all(search.results.slice(0, first).map(r => r.data()));
  return {ms: performance.now() - started, count: search.results.length, shown: pages.length};
}"""


def site_for(posts: int, seed: int) -> Path:
    return bench_site(ROOT, "search", posts, seed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = site_for(args.posts, args.seed)
    out = folder / "public"
    server = make_server(out if out.exists() else folder, 0)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    server.server_close()
    report = build(BuildOptions(content_dir=folder / "content", out_dir=out, templates_dir=ROOT / "templates",
                                static_dir=ROOT / "static", base_url=url, search=True))
    assert report.search is not None
    print(f"{args.posts} posts: {report.search.format()}; whole build {report.seconds:.1f} s")

    server = make_server(out, int(url.rsplit(":", 1)[1].strip("/")))
    server.handle_error = lambda request, address: None  # a navigation cut a response short: expected here
    threading.Thread(target=server.serve_forever, daemon=True).start()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for cold in (True, False):
            context = browser.new_context()
            tab = context.new_page()
            responses = []
            tab.on("response", lambda r: responses.append(r) if "/pagefind/" in r.url else None)
            tab.goto(url + "search/")
            timings = []
            for query in QUERIES:
                if cold:  # a fresh page each time: nothing of the index cached in memory
                    tab.goto(url + "search/")
                result = tab.evaluate(TIMED_SEARCH, ["/pagefind/", query, 10])
                timings.append(result["ms"])
                print(f"  {'first' if cold else 'later'} query {query!r}: {result['count']} results, "
                      f"{result['ms']:.0f} ms")
            downloaded = sum(int(r.headers.get("content-length", 0)) for r in responses if r.ok)
            label = "fresh page per query" if cold else "one page, queries in turn"
            print(f"{label}: median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms; "
                  f"fetched from the index {downloaded / 1024:.0f} KB in all")
            context.close()
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
