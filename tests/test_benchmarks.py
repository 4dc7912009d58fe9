"""The benchmark tools still run against the code they measure."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, STATIC, TEMPLATES, make_content


def test_stage_times_times_every_stage_it_names(tmp_path):
    content = make_content(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "stage_times.py"), "--content", str(content),
         "--out", str(tmp_path / "public"), "--templates", str(TEMPLATES), "--static", str(STATIC), "--no-search"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    timed = {line.split()[-1] for line in result.stdout.splitlines() if " s  " in line}   # "   0.365 s  load_content"
    # A first build goes through every stage, feeds included.
    assert {"load_content", "pick_related", "render_site", "feed_pair", "data_files", "Staging.finish"} <= timed


def test_the_machine_is_measured_as_the_issue_measured_it(tmp_path):
    """bench_build times Python-Markdown alone over the corpus's bodies, the issue's own
    measure of the machine; it must convert the bodies, not the front matter."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.bench_build import MARKDOWN_ALONE, markdown_alone
    from benchmarks.corpus import write_corpus
    write_corpus(tmp_path / "content" / "posts", 5)
    assert markdown_alone(tmp_path) > 0
    shown = subprocess.run([sys.executable, "-c", MARKDOWN_ALONE.replace("    markdown.markdown(body)",
                                                                         "    print(markdown.markdown(body))"),
                            str(tmp_path / "content" / "posts")], capture_output=True, text=True, check=True).stdout
    assert shown.count("<p>") >= 5 and "title:" not in shown and "---" not in shown


def test_targets_are_judged_at_the_speed_the_machine_had_during_the_run():
    """A time is held against its target scaled by Python-Markdown alone on the same run
    against the issue's 24-28 s: a machine twice as slow is allowed twice as long."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.targets import judge

    def verdicts(cold: float, markdown_alone: float, peak: int = 500) -> dict[str, str]:
        return {v.measure: v.verdict for v in judge(10_000, {"cold": cold, "warm": 1.0}, {"cold": peak}, markdown_alone)}

    # At the reference speed (26 s: within the issue's range), 20 s is the target.
    assert verdicts(18.0, 26.0)["cold"] == "met"
    assert verdicts(30.0, 26.0)["cold"] == "not met"
    # Within the range's spread: 20 s × 26 / 28 = 18.6 s, × 26 / 24 = 21.7 s.
    assert verdicts(20.0, 26.0)["cold"] == "within the machine's uncertainty"
    # The same 30 s, on a machine half as fast (Markdown alone 52-56 s), meets it; 18 s on one
    # twice as fast (13 s) does not.
    assert verdicts(30.0, 56.0)["cold"] == "met"
    assert verdicts(18.0, 13.0)["cold"] == "not met"
    assert verdicts(1.0, 26.0)["warm"] == "met"
    # Memory is not scaled.
    assert verdicts(18.0, 13.0, peak=1100)["peak memory"] == "not met"
    assert verdicts(18.0, 52.0, peak=900)["peak memory"] == "met"
    # Sizes the issue set no targets for are not judged.
    assert judge(500, {"cold": 1.0}, {"cold": 100}, 1.0) == []


def test_serve_benchmark_times_rebuilds_with_and_without_the_posts_kept(tmp_path, capsys):
    sys.path.insert(0, str(ROOT))
    from benchmarks.bench_serve import main
    content = make_content(tmp_path)
    posts = {path: path.read_bytes() for path in (content / "posts").glob("*.md")}
    assert main(["--site", str(tmp_path), "--rounds", "1", "--edits", "2"]) == 0
    shown = capsys.readouterr().out
    assert "kept in memory: median" in shown and "from the cache: median" in shown
    assert "(the plan kept in 1)" in shown   # the second edit, as the first planned afresh
    assert {path: path.read_bytes() for path in (content / "posts").glob("*.md")} == posts   # edits undone
