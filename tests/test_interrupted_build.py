"""A build stopped half way (Ctrl-C, or SIGKILL during the write phase) leaves the
published site complete and unchanged, and the next build recovers by itself."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, make_content, write_post
from test_build import cli_build_args, run_cli, tree_digest

BULK = 600
TOPICS = ["online-safety", "education", "child-protection"]


@pytest.fixture()
def big_site(tmp_path) -> tuple[Path, Path, dict[str, str]]:
    content = make_content(tmp_path)
    for i in range(BULK):
        write_post(content, f"bulk-{i}.md", f"Bulk story {i}", f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}", TOPICS[i % 3])
    out = tmp_path / "public"
    result = run_cli(*cli_build_args(content, out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # The next build has something new to write, so an unchanged public/ proves the old one survived.
    write_post(content, "new.md", "A new story", "2024-12-31", "education")
    return content, out, tree_digest(out)


def start_build(content: Path, out: Path, cwd: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), *cli_build_args(content, out), *extra], cwd=cwd,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, "the build finished before it could be interrupted"
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.0005)


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_sigkill_during_write_phase_leaves_site_intact(big_site, tmp_path):
    content, out, before = big_site
    build = start_build(content, out, tmp_path)
    wait_for(tmp_path / ".public.new", build)
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)
    assert build.returncode == -signal.SIGKILL
    assert tree_digest(out) == before
    # The next build clears what the killed one left and publishes.
    result = run_cli(*cli_build_args(content, out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "articles/new/index.html").is_file()
    assert not (tmp_path / ".public.new").exists() and not (tmp_path / ".public.old").exists()


@pytest.mark.parametrize("removed", [True, False])
def test_a_build_waits_while_another_is_publishing_into_the_same_folder(big_site, tmp_path, removed):
    """Two builds at once into one folder (`make site` in two terminals) would share the
    folders beside it that a build stages its site in. The second says it waits, stages
    and publishes nothing until the first is done, then builds as usual. (A build removes
    the lock's file as it lets go; one killed leaves it.)"""
    import fcntl
    content, out, before = big_site
    lock = os.open(tmp_path / ".public.lock", os.O_RDWR | os.O_CREAT)
    fcntl.lockf(lock, fcntl.LOCK_EX)   # as the first build holds it
    try:
        second = start_build(content, out, tmp_path)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            assert second.poll() is None, second.communicate()
            assert not (tmp_path / ".public.new").exists() and tree_digest(out) == before
            time.sleep(0.1)
    finally:
        if removed:
            os.unlink(tmp_path / ".public.lock")
        os.close(lock)
    stdout, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr
    assert f"waiting: another build is publishing into {out}" in stderr
    assert (out / "articles" / "new" / "index.html").is_file() and not (tmp_path / ".public.lock").exists()


def test_ctrl_c_while_waiting_for_another_build_stops_at_once(big_site, tmp_path):
    import fcntl
    import threading
    content, out, before = big_site
    lock = os.open(tmp_path / ".public.lock", os.O_RDWR | os.O_CREAT)
    fcntl.lockf(lock, fcntl.LOCK_EX)   # as another build holds it
    try:
        waiting = start_build(content, out, tmp_path)
        guard = threading.Timer(60, waiting.kill)   # should it never say it waits
        guard.start()
        try:
            said = waiting.stderr.readline()
            assert said.startswith(f"waiting: another build is publishing into {out}"), said
            waiting.send_signal(signal.SIGINT)
            _, stderr = waiting.communicate(timeout=30)
        finally:
            guard.cancel()
    finally:
        os.close(lock)
    assert waiting.returncode == 130 and "Traceback" not in stderr, stderr
    assert "interrupted; the published site was not changed" in stderr
    assert tree_digest(out) == before


def test_ctrl_c_leaves_site_intact_and_says_so(big_site, tmp_path):
    content, out, before = big_site
    # Without the cache, in one process, it reads and renders all 600 posts again: seconds
    # of work, where the cached build of one new post can be done before the signal arrives.
    build = start_build(content, out, tmp_path, "--no-cache", "--jobs", "1")
    # Past starting Python and importing (about 0.35 s of CPU), inside
    # loading and rendering 600 posts, however busy the machine is.
    while cpu_seconds(build.pid) < 0.6:
        assert build.poll() is None, "the build finished before it could be interrupted"
        time.sleep(0.01)
    build.send_signal(signal.SIGINT)
    _, stderr = build.communicate(timeout=30)
    assert build.returncode == 130, stderr
    assert "Traceback" not in stderr
    if "interrupted after the new site was published" in stderr:
        pytest.fail("the build was done before the signal: the test did not interrupt it")
    assert "interrupted; the published site was not changed" in stderr
    assert tree_digest(out) == before


def test_ctrl_c_once_the_site_is_being_swapped_in_is_told_truthfully(big_site, tmp_path, monkeypatch, capsys):
    """Past the point of no return the build completes: the message must not claim the
    published site was left as it was."""
    from childfirst_site import cli, interrupts, publish
    content, out, before = big_site
    real = publish._exchange

    def interrupted_swap(staging, target):
        done = real(staging, target)
        interrupts._on_interrupt(2, None)   # noted, not raised: past the point of no return
        return done

    monkeypatch.setattr(publish, "_exchange", interrupted_swap)
    code = cli.main([*cli_build_args(content, out), "--quiet"])
    assert code == 130
    assert "interrupted after the new site was published (it is complete)" in capsys.readouterr().err
    assert (out / "articles/new/index.html").is_file() and tree_digest(out) != before


def test_ctrl_c_during_write_phase_cleans_up(big_site, tmp_path):
    content, out, before = big_site
    build = start_build(content, out, tmp_path)
    wait_for(tmp_path / ".public.new", build)
    build.send_signal(signal.SIGINT)
    build.communicate(timeout=30)
    assert tree_digest(out) == before or (out / "articles/new/index.html").is_file()  # too late to stop the swap
    assert not (tmp_path / ".public.new").exists()


def test_unexpected_exception_leaves_site_intact(big_site, tmp_path, monkeypatch):
    from childfirst_site import pipeline, render
    from conftest import options
    content, out, before = big_site

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in rendering")

    monkeypatch.setattr(render, "render_site", broken)
    with pytest.raises(RuntimeError):
        pipeline.build(options(content, out))
    assert tree_digest(out) == before


def test_interrupted_fallback_swap_is_recovered(tmp_path):
    """If the two-rename fallback was killed between its renames, the old site is restored."""
    from childfirst_site.publish import publish
    out = tmp_path / "public"
    publish({"index.html": b"old"}, out)
    os.replace(out, tmp_path / ".public.old")  # as if killed right after the first rename
    publish({"index.html": b"new"}, out)
    assert (out / "index.html").read_bytes() == b"new"
    assert not (tmp_path / ".public.old").exists()


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../b.html"])
def test_output_paths_cannot_escape(tmp_path, path):
    from childfirst_site.errors import ContentError
    from childfirst_site.publish import publish
    with pytest.raises(ContentError):
        publish({path: b"x"}, tmp_path / "public")
    assert not (tmp_path / "escape.html").exists()


def test_swallowed_ctrl_c_still_stops_the_build(big_site, tmp_path, monkeypatch):
    """Python may swallow the KeyboardInterrupt (a handler run around fork prints
    'Exception ignored' and carries on): the build must still not publish."""
    from childfirst_site import interrupts, pipeline, render
    from conftest import options
    content, out, before = big_site
    real = render.render_site

    def interrupted_while_rendering(*args, **kwargs):
        try:
            interrupts._on_interrupt(2, None)
        except KeyboardInterrupt:
            pass  # swallowed, as in an at-fork handler
        return real(*args, **kwargs)

    monkeypatch.setattr(render, "render_site", interrupted_while_rendering)
    with interrupts.remembered(), pytest.raises(KeyboardInterrupt):
        pipeline.build(options(content, out))
    assert tree_digest(out) == before
    # The next build is a new one: it publishes.
    monkeypatch.setattr(render, "render_site", real)
    with interrupts.remembered():
        pipeline.build(options(content, out))
    assert (out / "articles/new/index.html").is_file()


def test_error_while_cleaning_up_after_ctrl_c_is_reported_as_an_interrupt(monkeypatch, capsys):
    from childfirst_site import cli, interrupts

    def build_interrupted_then_cleanup_fails(args):
        try:
            interrupts._on_interrupt(2, None)
        except KeyboardInterrupt:
            raise OSError("directory not empty")  # as an interrupted rmtree can leave it

    monkeypatch.setattr(cli, "_run_build", build_interrupted_then_cleanup_fails)
    assert cli.main(["build"]) == 130
    assert "interrupted; the published site was not changed" in capsys.readouterr().err


@pytest.mark.parametrize("bug", [RuntimeError("a bug"), OSError("a bug: no error number, raised by code")])
def test_errors_without_ctrl_c_are_not_reported_as_interrupts(monkeypatch, capsys, bug):
    """A bug raises; what the system refused (an OSError with its error number) is an
    error, exit code 1."""
    import errno

    from childfirst_site import cli

    def broken(args):
        raise bug

    monkeypatch.setattr(cli, "_run_build", broken)
    with pytest.raises(type(bug)):
        cli.main(["build"])

    def refused(args):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), "public/index.html")

    monkeypatch.setattr(cli, "_run_build", refused)
    assert cli.main(["build"]) == 1
    stderr = capsys.readouterr().err
    assert "error: public/index.html: Permission denied" in stderr and "interrupted" not in stderr
