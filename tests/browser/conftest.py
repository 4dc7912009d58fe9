"""Browser tests: the fixture site built into a temporary folder, served on 127.0.0.1,
and driven in Debian's Chromium through Playwright. No browser is ever downloaded."""
from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from childfirst_site.pipeline import build
from childfirst_site.serve import make_server
from conftest import ROOT, make_content, options

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / ".cache/npm/node_modules/axe-core/axe.min.js"
ARTIFACTS = ROOT / ".cache/test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
               "--disable-background-networking", "--disable-component-update"]

# One page of every type, by path.
PAGE_TYPES = {
    "home": "/",
    "home-page-2": "/page/2/",
    "article": "/articles/instagram-increasingly-used-to-groom-children/",
    "article-markdown": "/articles/grooming-figures-update/",
    "teaser": "/articles/why-i-became-an-independent-social-worker/",
    "topics": "/topics/",
    "topic": "/topics/online-safety/",
    "archive": "/archive/",
    "archive-year": "/archive/2024/",
    "figures": "/figures/",
    "figures-topic": "/figures/online-safety/",
    "about": "/about/",
    "privacy": "/privacy/",
    "enquiry": "/enquiry/",
    "search": "/search/",
    "not-found": "/no/such/page/",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class EnquiryRecorder(BaseHTTPRequestHandler):
    """Stands in for the enquiry endpoint: records what the form posts."""

    received: list[dict[str, list[str]]] = []

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length).decode("utf-8")
        EnquiryRecorder.received.append(urllib.parse.parse_qs(body, keep_blank_values=True))
        reply = b"<!doctype html><title>Thank you</title><h1>Thank you</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _serve(server: ThreadingHTTPServer) -> None:
    threading.Thread(target=server.serve_forever, daemon=True).start()


@pytest.fixture(scope="session")
def enquiry_endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), EnquiryRecorder)
    _serve(server)
    yield f"http://127.0.0.1:{server.server_address[1]}/enquiry", EnquiryRecorder.received
    server.shutdown()


@pytest.fixture(scope="session")
def served_site(tmp_path_factory, enquiry_endpoint) -> tuple[str, Path]:
    """(base URL, output folder) of the fixture site, built with its search index and its
    enquiry form pointing at the recorder."""
    base = tmp_path_factory.mktemp("browser-site")
    content = make_content(base)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("https://forms.fixture.example.test/enquiry",
                                                       enquiry_endpoint[0]))
    out = base / "public"
    out.mkdir()
    server = make_server(out, 0)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    build(options(content, out, base_url=url, search=True))
    _serve(server)
    yield url, out
    server.shutdown()


@pytest.fixture(scope="session")
def site_url(served_site) -> str:
    return served_site[0]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Chromium is not installed at /usr/bin/chromium. Install Debian's package with "
                    "'apt-get install chromium' (CI does this in .ci/run); the tests never download a browser.")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    context.set_default_timeout(5000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE.relative_to(ROOT)}: run 'make test' "
                    "(it installs axe-core from the npm registry)")
    return AXE.read_text(encoding="utf-8")


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def dump(data: object) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False)
