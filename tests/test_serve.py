"""`build.py serve`: builds, then serves the site on 127.0.0.1 with the 404 page for unknown URLs."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bs4 import BeautifulSoup

from childfirst_site.incremental import manifest_file
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


def first_answer(server: subprocess.Popen, url: str) -> tuple[int, str]:
    """What `url` answers once `serve` (started as `server`) serves, within 30 seconds."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return fetch(url)
        except (urllib.error.URLError, ConnectionError):
            assert server.poll() is None, server.stderr.read() if server.stderr else "serve ended before it served"
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)


def test_serve_builds_and_serves_the_site(tmp_path):
    content = make_content(tmp_path)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--content", str(content),
         "--out", str(tmp_path / "public"), "--templates", str(TEMPLATES), "--static", str(STATIC)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        status, body = first_answer(server, f"http://127.0.0.1:{port}/")
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


def _serving(tmp_path: Path, content: Path, port: int, out: Path, **popen) -> subprocess.Popen:
    """`build.py serve` on `content`, building into `out`, in a process group of its own."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--content", str(content),
         "--out", str(out), "--templates", str(TEMPLATES), "--static", str(STATIC), "--no-search"],
        cwd=tmp_path, env=env, text=True, start_new_session=True, **popen)


def _fresh_digest(content: Path, out: Path, port: int) -> str:
    """The files of a fresh build of `content` into `out`, as the preview on `port` links them."""
    import datetime as dt

    from childfirst_site.pipeline import BuildOptions, build
    from test_build import tree_digest
    shutil.rmtree(out, ignore_errors=True)
    build(BuildOptions(content_dir=content, out_dir=out, templates_dir=TEMPLATES, static_dir=STATIC,
                       base_url=f"http://127.0.0.1:{port}/", search=False, today=dt.date.today()))
    return tree_digest(out)


def _started(tmp_path, port: int) -> subprocess.Popen:
    server = _serving(tmp_path, make_content(tmp_path), port, tmp_path / "public",
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first_answer(server, f"http://127.0.0.1:{port}/__preview/status")
    return server


def _gone(port: int) -> bool:
    """Whether nothing serves the port any more, within five seconds."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            fetch(f"http://127.0.0.1:{port}/")
        except (urllib.error.URLError, ConnectionError):
            return True
        time.sleep(0.1)
    return False


def _group(leader: int) -> list[int]:
    """The processes of a process group, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            # The fields after the command's closing bracket: state, parent, group, ...
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[2] == str(leader) and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def test_the_server_runs_apart_and_ends_with_serve_however_serve_ends(tmp_path):
    """The preview server is a process of its own (so rebuilds can fork workers: see
    serve.serve_apart), beside the helper serve forks first (helper.py); Ctrl-C ends all
    three, and so does serve being killed outright."""
    import signal
    for number, ending in enumerate((signal.SIGINT, signal.SIGKILL)):
        port = free_port()
        server = _started(tmp_path / str(number), port)
        try:
            group = _group(server.pid)
            assert len(group) == 3, group   # serve, its helper, and the server it forked
            if ending == signal.SIGINT:
                os.killpg(server.pid, signal.SIGINT)   # as a terminal's Ctrl-C does
                assert server.wait(timeout=10) == 0
            else:
                server.kill()
                server.wait(timeout=10)
            assert _gone(port)
            deadline = time.monotonic() + 5
            while _group(server.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _group(server.pid) == []
        finally:
            for pid in _group(server.pid):
                os.kill(pid, signal.SIGKILL)


def _refused(tmp_path: Path, content: Path, port: int, out: Path) -> str:
    """What `serve` prints as it ends at once with an error, leaving nothing running."""
    server = _serving(tmp_path, content, port, out, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _, stderr = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    assert server.returncode == 1 and "Traceback" not in stderr, stderr
    assert not _group(server.pid)   # the helper it forked first ended with it
    return stderr


def test_a_port_in_use_is_a_clear_error_and_serve_leaves_nothing_running(tmp_path):
    content = make_content(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        stderr = _refused(tmp_path, content, port, tmp_path / "preview")
    assert f"error: 127.0.0.1:{port}: cannot serve the preview there (Address already in use)" in stderr


def test_a_first_build_that_fails_shows_its_errors_on_a_page_that_waits_for_the_site(tmp_path):
    """With no earlier preview, the folder served was empty: the editor saw a directory
    listing, not the errors, and nothing reloaded once they were mended."""
    content = make_content(tmp_path)
    (content / "posts" / "broken.md").write_text("---\ntitle: [broken\ndate: 2024-01-01\n---\nText.\n")
    port = free_port()
    server = _serving(tmp_path, content, port, tmp_path / "preview", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        status, body = first_answer(server, f"http://127.0.0.1:{port}/")
        assert status == 503
        page = BeautifulSoup(body, "html.parser")
        assert page.find("h1").get_text() == "No preview yet"
        assert page.find("script", src="/__preview.js") is not None   # shows the errors, reloads when mended
        told = json.loads(fetch(f"http://127.0.0.1:{port}/__preview/status")[1])
        assert told["build"] == 0 and told["errors"][0].startswith(f"{content.name}/posts/broken.md:")
        (content / "posts" / "broken.md").unlink()
        deadline = time.monotonic() + 60
        while json.loads(fetch(f"http://127.0.0.1:{port}/__preview/status")[1])["build"] == 0:
            assert time.monotonic() < deadline, "no rebuild after the mend"
            time.sleep(0.2)
        status, body = fetch(f"http://127.0.0.1:{port}/")
        assert status == 200 and BeautifulSoup(body, "html.parser").find("link", rel="canonical") is not None
    finally:
        os.killpg(server.pid, signal.SIGINT)
        _, stderr = server.communicate(timeout=30)
    assert "build failed: 1 error(s); no preview until a build succeeds" in stderr


def test_serve_refuses_to_build_its_preview_into_the_content_folder(tmp_path):
    """Refused before it builds or serves anything: each rebuild would fail, and the
    content folder, drafts and all, would be served as though it were the site."""
    from test_build import tree_digest
    content = make_content(tmp_path)
    before = tree_digest(content)
    stderr = _refused(tmp_path, content, free_port(), content)
    assert stderr.startswith(f"error: {content}: this is the content folder: building here would replace it"), stderr
    assert tree_digest(content) == before


def test_serve_builds_its_preview_apart_and_leaves_public_as_it_was(tmp_path):
    """A preview's pages link to the preview server: by default `serve` builds them into
    .cache/preview beside the content folder, never into public/."""
    content = make_content(tmp_path)
    published = tmp_path / "public"
    published.mkdir()
    (published / "index.html").write_text("the published site")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--content", str(content),
         "--templates", str(TEMPLATES), "--static", str(STATIC), "--no-search"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        status, body = first_answer(server, f"http://127.0.0.1:{port}/")
        preview = tmp_path / ".cache" / "preview"
        assert status == 200 and "__preview.js" in body   # the preview, served
        assert f"http://127.0.0.1:{port}/" in (preview / "index.html").read_text()
        assert [path.name for path in published.iterdir()] == ["index.html"]
        assert (published / "index.html").read_text() == "the published site"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _status(port: int) -> int:
    return json.loads(fetch(f"http://127.0.0.1:{port}/__preview/status")[1])["build"]


def _rebuilt(server: subprocess.Popen, port: int, last: int) -> int:
    """The preview's build number once a rebuild after `last` is done and no other
    follows within a second (one save can be reported in two batches)."""
    deadline = time.monotonic() + 60
    while (now := _status(port)) <= last:
        assert server.poll() is None and time.monotonic() < deadline, "serve did not rebuild"
        time.sleep(0.05)
    while True:
        time.sleep(1)
        if (later := _status(port)) == now:
            return now
        now = later


def test_serve_rebuilds_after_each_save_give_a_fresh_builds_bytes(tmp_path):
    """Saves one after another while `serve` runs, its watcher reporting them: after the
    first rebuild, each looks only at the files reported (watched.py), keeps the plan
    where it holds, its data records and related-story memory. After every save, the
    preview is a fresh build's, byte for byte."""
    from test_build import tree_digest
    content, port = make_content(tmp_path), free_port()
    preview = tmp_path / "preview"
    server = _serving(tmp_path, content, port, preview, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    posts = sorted((content / "posts").glob("*.md"))
    saves = [
        lambda: posts[0].write_text(posts[0].read_text() + "\nA sentence added about Ofsted.\n"),
        lambda: posts[1].write_text(posts[1].read_text() + "\nAnother about the Local Government Association.\n"),
        lambda: posts[0].write_text(posts[0].read_text() + "\nA third, to the first post again.\n"),
        lambda: (content / "posts" / "added.md").write_text(
            posts[1].read_text().replace("title: ", "title: Added, ", 1)),
        lambda: posts[1].write_text(posts[1].read_text() + "\nOne more after a file was added.\n"),
        lambda: (content / "posts" / "added.md").unlink(),
    ]
    try:
        first_answer(server, f"http://127.0.0.1:{port}/__preview/status")
        number = _rebuilt(server, port, 0)
        for save in saves:
            save()
            number = _rebuilt(server, port, number)
            assert tree_digest(preview) == _fresh_digest(content, tmp_path / "fresh", port)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def test_a_save_while_serve_builds_first_is_rebuilt_once_it_is_done(tmp_path):
    """`serve` watches from before its first build: a post saved while that build runs,
    after it looked at the files, is reported, and rebuilt once the build is done."""
    from test_build import tree_digest
    content, port = make_content(tmp_path), free_port()
    preview = tmp_path / "preview"
    server = _serving(tmp_path, content, port, preview, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    post = sorted((content / "posts").glob("*.md"))[0]
    try:
        # The first build stages its pages once it has read every source (publish.Staging);
        # should it be done before that is seen, the save comes after it.
        deadline = time.monotonic() + 30
        while not (tmp_path / ".preview.new").exists() and not preview.exists():
            assert server.poll() is None and time.monotonic() < deadline, "serve did not build"
            time.sleep(0.002)
        post.write_text(post.read_text() + "\nA sentence saved while the first build ran.\n")
        first_answer(server, f"http://127.0.0.1:{port}/__preview/status")
        _rebuilt(server, port, 1)
        assert tree_digest(preview) == _fresh_digest(content, tmp_path / "fresh", port)
        assert "A sentence saved while the first build ran." in "".join(
            path.read_text() for path in preview.rglob("index.html"))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def test_serve_started_on_an_unchanged_site_keeps_a_plan_from_its_first_rebuild(tmp_path):
    """A start that finds nothing changed is told so at once; `serve` then plans the site
    while the editor reads (rebuilds.plan_ahead, which saves the manifest once done), and
    its first rebuild after a save keeps that plan."""
    content = make_content(tmp_path)
    preview = tmp_path / "preview"
    manifest = manifest_file(tmp_path / ".cache" / "build", preview)
    log, port = tmp_path / "serve.log", free_port()   # one port: a preview's pages hold its base URL
    for session in range(2):
        with log.open("w") as output:
            server = _serving(tmp_path, content, port, preview, stdout=output, stderr=subprocess.STDOUT)
        try:
            saved = manifest.stat().st_mtime_ns if session else 0
            first_answer(server, f"http://127.0.0.1:{port}/__preview/status")
            if session == 0:
                continue
            deadline = time.monotonic() + 30
            while manifest.stat().st_mtime_ns == saved:   # planned
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.05)
            post = sorted((content / "posts").glob("*.md"))[0]
            post.write_text(post.read_text() + "\nA sentence about Ofsted.\n")
            _rebuilt(server, port, 1)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
    started, rebuilt = log.read_text().split("\nchanged: ", 1)
    assert "nothing changed" in started and "plan: made afresh" not in started, started
    assert "plan: the last build's, kept (1 published post read afresh)" in rebuilt, rebuilt


def test_a_file_name_the_watcher_cannot_read_does_not_stop_serve(tmp_path):
    """watchfiles fails on a path that is not UTF-8 (a Latin-1 "café.md" saved into
    posts/) and reports nothing more: `serve` stopped with a traceback. It now watches
    again, rebuilds listing every file (the name is reported as skipped), and goes on
    rebuilding after later saves, each giving a fresh build's bytes."""
    from test_build import tree_digest
    content, port = make_content(tmp_path), free_port()
    preview, log = tmp_path / "preview", tmp_path / "serve.log"
    with log.open("w") as output:
        server = _serving(tmp_path, content, port, preview, stdout=output, stderr=subprocess.STDOUT)
    try:
        first_answer(server, f"http://127.0.0.1:{port}/__preview/status")
        number = _rebuilt(server, port, 0)
        with open(os.fsencode(content / "posts") + b"/caf\xe9.md", "wb") as handle:
            handle.write(b"---\ntitle: Latin-1 name\ndate: 2024-01-01\n---\nText.\n")
        number = _rebuilt(server, port, number)
        told = log.read_text(errors="replace")
        assert "warning: the watcher failed (on a file name that is not UTF-8, perhaps) and watches again" in told
        assert "warning: content/posts/caf\\xe9.md: skipped: the file's name is not UTF-8 text" in told
        post = sorted((content / "posts").glob("*.md"))[0]
        post.write_text(post.read_text() + "\nA sentence added after the watcher failed.\n")
        number = _rebuilt(server, port, number)
        assert server.poll() is None
        assert tree_digest(preview) == _fresh_digest(content, tmp_path / "fresh", port)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def test_paths_no_file_can_have_are_not_found(tmp_path):
    """A NUL in the path, or a name too long for the file system: the standard library's
    handler let the error through, and the browser got no answer (the terminal, a
    traceback). Both are 404s now, to GET and to HEAD."""
    content, port = make_content(tmp_path), free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = _serving(tmp_path, content, port, tmp_path / "preview", stdout=output, stderr=subprocess.STDOUT)
    try:
        first_answer(server, f"http://127.0.0.1:{port}/__preview/status")
        for path in ("/%00", "/about/%00/", "/" + "a" * 5000):
            status, body = fetch(f"http://127.0.0.1:{port}{path}")
            assert status == 404 and BeautifulSoup(body, "html.parser").find("h1").get_text() == "Page not found"
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="HEAD")
            try:
                urllib.request.urlopen(request, timeout=5)
                raise AssertionError("HEAD was answered 200")
            except urllib.error.HTTPError as error:
                assert error.code == 404
        assert fetch(f"http://127.0.0.1:{port}/about/")[0] == 200
        assert server.poll() is None
        assert "Traceback" not in log.read_text()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def test_a_folder_with_no_index_page_is_not_found_rather_than_listed(tmp_path):
    """As on the host the site is published to: the preview listed /css/'s files."""
    port = free_port()
    server = _started(tmp_path, port)
    try:
        status, body = fetch(f"http://127.0.0.1:{port}/css/")
        assert status == 404 and BeautifulSoup(body, "html.parser").find("h1").get_text() == "Page not found"
        assert fetch(f"http://127.0.0.1:{port}/about/")[0] == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
