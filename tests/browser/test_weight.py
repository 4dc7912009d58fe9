"""Every page type is under 60 KB (HTML + CSS + JS, uncompressed), measured from the
browser's own network log, with no request leaving the site."""
from __future__ import annotations

from urllib.parse import urlsplit

from .conftest import PAGE_TYPES

LIMIT = 60 * 1024


def test_page_weight_and_no_third_party_requests(browser, site_url):
    origin = urlsplit(site_url).netloc
    report = []
    for name, path in PAGE_TYPES.items():
        context = browser.new_context()
        tab = context.new_page()
        responses = []
        tab.on("response", lambda r: responses.append(r))
        tab.goto(site_url + path.lstrip("/"))
        tab.wait_for_load_state("networkidle")
        total = 0
        for response in responses:
            assert urlsplit(response.url).netloc == origin, (name, response.url)
            kind = response.request.resource_type
            if kind in ("document", "stylesheet", "script"):
                total += len(response.body())
        context.close()
        report.append((name, total))
        assert total < LIMIT, (name, total)
    print("\npage weight (HTML + CSS + JS, bytes):")
    for name, total in report:
        print(f"  {name:18} {total:6d}")
