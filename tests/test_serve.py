"""`build.py serve`: builds, then serves the site on 127.0.0.1 with the 404 page for unknown URLs."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from bs4 import BeautifulSoup

from conftest import ROOT, STATIC, TEMPLATES, make_content


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_serve_builds_and_serves_the_site(tmp_path):
    content = make_content(tmp_path)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--content", str(content),
         "--out", str(tmp_path / "public"), "--templates", str(TEMPLATES), "--static", str(STATIC)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = fetch(f"http://127.0.0.1:{port}/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert status == 200
        home = BeautifulSoup(body, "html.parser")
        # Preview builds point canonical URLs at the preview server.
        assert home.find("link", rel="canonical")["href"] == f"http://127.0.0.1:{port}/"
        article = home.select_one("section.lead a")["href"]
        status, body = fetch(f"http://127.0.0.1:{port}{article}")
        assert status == 200 and BeautifulSoup(body, "html.parser").find("h1").get_text()
        status, body = fetch(f"http://127.0.0.1:{port}/no/such/page/")
        assert status == 404
        assert BeautifulSoup(body, "html.parser").find("h1").get_text() == "Page not found"
    finally:
        server.terminate()
        server.wait(timeout=10)
