"""`build.py parse FILE --json`: stable keys, gold values, sidecar honoured."""
from __future__ import annotations

import json
import shutil

import yaml

from conftest import FIXTURE_SITE, GOLD
from test_build import run_cli

KEYS = ["title", "slug", "date", "date_inferred", "banner", "byline", "summary", "paragraphs", "list_items",
        "quotes", "related", "topics", "word_count", "reading_minutes", "stats"]


def test_parse_raw_seed_without_sidecar_infers_date_and_warns(tmp_path):
    gold = yaml.safe_load((GOLD / "000_c175f9f0b0a20727.yaml").read_text(encoding="utf-8"))
    source = tmp_path / "page.txt"
    shutil.copy(GOLD / "000_c175f9f0b0a20727.txt", source)
    result = run_cli("parse", str(source), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == KEYS
    assert data["title"] == gold["title"]
    assert data["date"] == "2020-11-24" and data["date_inferred"] is True
    assert "no date in a sidecar" in result.stderr and "page.txt" in result.stderr
    assert len(data["paragraphs"]) == gold["paragraph_count"]
    assert data["paragraphs"][0] == gold["standfirst"]
    assert data["list_items"] == gold["list_items"]
    assert [r["title"] for r in data["related"]] == [r["title"] for r in gold["related"]]
    assert data["related"][0]["date"] == "2020-11-24"
    assert data["quotes"][0]["speaker"] == "Andy Burrows, NSPCC Head of Child Safety Online Policy"
    assert data["word_count"] == sum(len(t.split()) for t in data["paragraphs"] + data["list_items"])
    assert data["reading_minutes"] >= 1
    stats = [(s["value"], s["number"], s["unit"], s["qualifier"]) for s in data["stats"]]
    assert stats == [(g["value"], g["number"], g["unit"], g["qualifier"]) for g in gold["stats"]]
    assert all(s["label"] and s["sentence"] for s in data["stats"])
    assert set(data["stats"][0]) >= {"value", "number", "unit", "qualifier", "label", "period", "sentence", "topic"}


def test_parse_honours_sidecar_and_site_topics(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    result = run_cli("parse", str(content / "sources/001_instagram.html"), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["slug"] == "instagram-increasingly-used-to-groom-children"
    assert data["date"] == "2020-08-21" and data["date_inferred"] is False
    assert data["topics"] == ["online-safety", "child-protection"]
    assert data["byline"] is None


def test_parse_reports_missing_file_without_traceback(tmp_path):
    result = run_cli("parse", "nope.txt", "--json", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: nope.txt: no such file")
    assert "Traceback" not in result.stderr
    (tmp_path / "sources").mkdir()
    result = run_cli("parse", "sources", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: sources: a folder, not a source file (give one .txt, .html or .md file)")
