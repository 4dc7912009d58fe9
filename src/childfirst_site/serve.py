"""A preview server for the built site on 127.0.0.1 (not for production).

With a `Preview`, it also tells open pages when the site has been rebuilt: every HTML
page it serves gets one extra script, /__preview.js (never part of the built site), which
asks /__preview/status four times a second; when the build number changes the page
reloads, and when a rebuild failed it shows the errors over the last good page. (Asked
once a second, a page reloaded up to a second after its rebuild, half a second on
average: as long as the rebuild itself. A question held open until the status moves
would answer at once, but each open page would hold one of the six connections a
browser opens to a server.)"""
from __future__ import annotations

import functools
import gc
import http.server
import json
import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

PREVIEW_SCRIPT = b"""(function () {
  var seen = null;
  var panel = null;
  function show(errors) {
    if (!panel) {
      panel = document.createElement("div");
      panel.setAttribute("role", "alert");
      panel.id = "preview-errors";
      panel.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;z-index:9999;" +
        "background:#fff;color:#7a0000;border-top:4px solid #b00020;padding:1rem;font:14px/1.4 monospace;white-space:pre-wrap";
      document.body.appendChild(panel);
    }
    panel.textContent = "The last change did not build; this is the last good version.\\n\\n" + errors.join("\\n");
  }
  function check() {
    fetch("/__preview/status", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.build !== seen) { window.location.reload(); return; }
      seen = s.build;
      if (s.errors.length) { show(s.errors); } else if (panel) { panel.remove(); panel = null; }
    }).catch(function () {}).then(function () { setTimeout(check, 250); });
  }
  check();
})();
"""


@dataclass
class Preview:
    """What the watcher tells the pages: the number of the last good build, and the
    errors of the latest try if it failed."""

    build: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Where the server runs in a process of its own (serve_apart): what it is told.
    told: Connection | None = field(default=None, repr=False)

    def succeeded(self) -> None:
        with self.lock:
            self.build += 1
            self.errors = []
            self._tell()

    def failed(self, errors: list[str]) -> None:
        with self.lock:
            self.errors = errors
            self._tell()

    def _tell(self) -> None:
        if self.told is not None:
            self.told.send((self.build, self.errors))

    def follow(self, told: Connection) -> None:
        """In the server's process: take in what the builds' process tells, until it
        ends (closed, or killed), and then end this process too."""
        try:
            while True:
                build, errors = told.recv()
                with self.lock:
                    self.build, self.errors = build, errors
        except (EOFError, OSError):
            os._exit(0)

    def status(self) -> bytes:
        with self.lock:
            return json.dumps({"build": self.build, "errors": self.errors}).encode()


# Where no build has succeeded yet (the first failed, and no earlier preview is in the
# folder): a page for the errors to show on, which reloads once a build succeeds.
NO_SITE_YET = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>No preview yet</title></head>
<body><main><h1>No preview yet</h1>
<p>The build failed; its errors are listed on this page and in the terminal. Save a fix, and this page
reloads with the site.</p></main></body></html>
"""


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    preview: Preview | None = None

    def _send(self, code: int, body: bytes, content_type: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._answer(super().do_GET)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
        self._answer(super().do_HEAD)

    def _answer(self, plainly: Callable[[], None]) -> None:
        """The request answered (`plainly`: as the standard library answers it, for what
        is not a page of the preview's own). A path no file can have, one with a NUL in it
        or a name too long, is not found: the standard library's handler let the error
        through, and the browser got no answer and the terminal a traceback."""
        try:
            self._respond(plainly)
        except ConnectionError:
            pass   # the browser went away
        except (ValueError, OSError):
            self.send_error(404)

    def _respond(self, plainly: Callable[[], None]) -> None:
        path = self.path.split("?", 1)[0]
        if self.preview is not None and path == "/__preview.js":
            return self._send(200, PREVIEW_SCRIPT, "text/javascript; charset=utf-8")
        if self.preview is not None and path == "/__preview/status":
            return self._send(200, self.preview.status(), "application/json")
        if self.preview is not None and (path.endswith("/") or path.endswith(".html")) \
                and not (Path(self.directory) / "index.html").is_file():
            return self._send(503, self._with_script(NO_SITE_YET), "text/html; charset=utf-8")
        if self.preview is not None:
            file = Path(self.translate_path(path))
            if file.is_dir():
                file = file / "index.html"
            if file.suffix == ".html" and file.is_file() and (path.endswith("/") or path.endswith(".html")):
                return self._send(200, self._with_script(file.read_bytes()), "text/html; charset=utf-8")
        return plainly()

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """A folder with no index.html is not found, as on the host the site is published
        to, rather than listed (the standard library's handler lists it)."""
        self.send_error(404)

    def _with_script(self, page: bytes) -> bytes:
        tag = b'<script src="/__preview.js" defer></script>'
        at = page.rfind(b"</body>")
        return page[:at] + tag + page[at:] if at >= 0 else page + tag

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.is_file():
            body = not_found.read_bytes()
            self._send(404, self._with_script(body) if self.preview else body, "text/html; charset=utf-8")
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def make_server(directory: Path, port: int, host: str = "127.0.0.1",
                preview: Preview | None = None) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (_SiteHandler,), {"preview": preview})
    server = http.server.ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(directory)))
    server.daemon_threads = True
    return server


def serve_apart(server: http.server.ThreadingHTTPServer, preview: Preview) -> Callable[[], None]:
    """Serve in a forked process where processes can be forked, else in a thread of this
    one; returns what stops it. Builds in a process with a thread of the server's fork
    no workers (see workers.Background): one post of 10,000 edited, `serve` rebuilt in
    1.62-1.81 s, one process doing it all, against 1.32-1.40 s forking (2026-12-02)."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        threading.Thread(target=server.serve_forever, daemon=True).start()

        def stop_thread() -> None:
            server.shutdown()
            server.server_close()
        return stop_thread
    context = multiprocessing.get_context("fork")
    told, tell = context.Pipe(duplex=False)
    process = context.Process(target=_serve_forked, args=(server, preview, told, tell), daemon=True)
    process.start()
    told.close()
    server.server_close()   # the server's process listens on its copy of the socket
    preview.told = tell

    def stop_process() -> None:
        preview.told = None
        tell.close()
        process.terminate()
        process.join(5)
    return stop_process


def _serve_forked(server: http.server.ThreadingHTTPServer, preview: Preview, told: Connection,
                  tell: Connection) -> None:
    # The builds' objects this process was forked with are never freed here: no
    # collection is to walk them (and copy every page of them).
    gc.freeze()
    tell.close()   # so that the builds' process ending closes the pipe: see Preview.follow
    threading.Thread(target=preview.follow, args=(told,), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:   # Ctrl-C reaches the whole process group
        pass


# A rebuild that wrote more files than this has the tree the next one stages into made
# to match again while the editor reads (see publish.refresh_previous).
REFRESH_AFTER_WRITING = 500


def refresh_apart(out_dir: Path, written: int) -> Callable[[], None]:
    """After a rebuild that wrote `written` files: publish.refresh_previous in a forked
    process, where processes can be forked and the rebuild wrote enough for it to pay;
    returns what waits for it to finish (before the next rebuild, which stages into that
    tree, or when `serve` stops)."""
    if written <= REFRESH_AFTER_WRITING or "fork" not in multiprocessing.get_all_start_methods():
        return lambda: None
    from .publish import refresh_previous
    process = multiprocessing.get_context("fork").Process(target=refresh_previous, args=(out_dir,), daemon=True)
    process.start()
    return process.join
