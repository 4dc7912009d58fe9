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
    seconds = markdown_alone(tmp_path)
    assert seconds.endswith(" s") and float(seconds.split()[0]) > 0
    shown = subprocess.run([sys.executable, "-c", MARKDOWN_ALONE.replace("    markdown.markdown(body)",
                                                                         "    print(markdown.markdown(body))"),
                            str(tmp_path / "content" / "posts")], capture_output=True, text=True, check=True).stdout
    assert shown.count("<p>") >= 5 and "title:" not in shown and "---" not in shown
