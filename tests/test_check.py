"""`build.py check` on the fixture site, on the real content, and on a site broken on purpose."""
from __future__ import annotations

import shutil

from childfirst_site.check import check_site
from childfirst_site.pipeline import BuildOptions, build
from conftest import ROOT, STATIC, TEMPLATES
from test_build import run_cli

BASE = "https://fixture.example.test/"


def test_fixture_site_has_no_broken_references(built_site):
    out, _ = built_site
    broken, checked = check_site(out, BASE)
    assert broken == []
    assert checked > 500


def test_real_content_has_no_broken_references(tmp_path):
    out = tmp_path / "public"
    build(BuildOptions(content_dir=ROOT / "content", out_dir=out, templates_dir=TEMPLATES, static_dir=STATIC))
    result = run_cli("check", "--out", str(out), "--content", str(ROOT / "content"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith(": 0 broken")


def test_broken_links_anchors_and_assets_are_listed(built_site, tmp_path):
    out, _ = built_site
    copy = tmp_path / "public"
    shutil.copytree(out, copy)
    about = copy / "about/index.html"
    html = about.read_text(encoding="utf-8").replace(
        "</main>", '<a href="/articles/nope/">x</a><a href="/about/#missing">y</a><img src="/img/gone.png" alt="">'
                   '<a href="../archive/">ok</a><a href="#main">ok</a></main>')
    about.write_text(html, encoding="utf-8")
    (copy / "css/site.css").unlink()
    broken, _ = check_site(copy, BASE)
    listed = {(b.page, b.target, b.reason) for b in broken}
    assert ("about/index.html", "/articles/nope/", "no such file") in listed
    assert ("about/index.html", "/about/#missing", "no element with id 'missing'") in listed
    assert ("about/index.html", "/img/gone.png", "no such file") in listed
    assert ("index.html", "/css/site.css", "no such file") in listed  # every page loses its stylesheet
    assert not any(b.target in ("../archive/", "#main") for b in broken)
    result = run_cli("check", "--out", str(copy), "--base-url", BASE, cwd=tmp_path)
    assert result.returncode == 1
    assert "broken: about/index.html: /articles/nope/ (no such file)" in result.stdout
