"""Every kind of editor mistake the issue names: a clear message with file and line,
exit code 1, no traceback, and the published site left exactly as it was."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from childfirst_site.errors import BuildFailed
from childfirst_site.pipeline import build
from conftest import GOLD, make_content, options
from test_build import cli_build_args, run_cli, tree_digest

SEED = (GOLD / "000_c175f9f0b0a20727.txt").read_bytes()


def post(front: str, body: str = "Text.\n") -> bytes:
    return f"---\n{front}---\n{body}".encode()


# (case, file under content/, bytes, a line the error output must contain)
ERROR_CASES = [
    ("malformed yaml", "posts/bad.md", post("title: [unclosed\ndate: 2024-01-01\n"),
     "error: content/posts/bad.md:3:5: YAML syntax error"),
    ("front matter not closed", "posts/bad.md", b"---\ntitle: T\ndate: 2024-01-01\nText.\n",
     "error: content/posts/bad.md:1: front matter is not closed (add a line '---' after the last front-matter key)"),
    ("missing title", "posts/bad.md", post("date: 2024-01-01\n"),
     "error: content/posts/bad.md:1: missing title (add 'title: …' to the front matter)"),
    ("missing date", "posts/bad.md", post("title: T\n"),
     "error: content/posts/bad.md:1: missing date (add 'date: …' to the front matter)"),
    ("invalid date", "posts/bad.md", post("title: T\ndate: 31/02/2024\n"),
     'error: content/posts/bad.md:3: date "31/02/2024" is not a valid date (use YYYY-MM-DD)'),
    ("topics as a string", "posts/bad.md", post("title: T\ndate: 2024-01-01\ntopics: education\n"),
     "error: content/posts/bad.md:4: topics must be a list of topic slugs, e.g. [online-safety], not str 'education'"),
    ("draft as text", "posts/bad.md", post('title: T\ndate: 2024-01-01\ndraft: "yes"\n'),
     "error: content/posts/bad.md:4: draft must be true or false, not str 'yes'"),
    ("duplicate slug", "posts/bad.md", post("title: Another story\ndate: 2024-01-01\nslug: story-1\n"),
     "error: content/posts/bad.md:1: slug 'story-1' is already used by content/posts/2024-01-10-story-1.md"),
    ("two sources with one title", "sources/copy.txt", SEED,
     "error: content/sources/copy.txt:1: title 'Unhappy children reliant on social media are more exposed to "
     "grooming, warns NSPCC' is already used by content/sources/000_c175f9f0b0a20727.txt"),
    ("empty file", "posts/bad.md", b"  \n\n",
     "error: content/posts/bad.md: file is empty (write the article or delete the file)"),
    ("not UTF-8", "posts/bad.md", post("title: Caf\xe9\ndate: 2024-01-01\n".encode("latin-1").decode("latin-1")).replace(
        "Café".encode(), b"Caf\xe9"),
     "error: content/posts/bad.md:2: not UTF-8 text: byte 0xe9 at byte offset 14 (save the file as UTF-8)"),
    ("binary file posing as a post", "posts/photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
     "error: content/posts/photo.md: this is a binary file, not text (remove it from content/)"),
    ("10 MB source", "sources/huge.txt", b"Make an Enquiry\nContact Us\nTitle\n" + b"Words words words.\n" * 560_000,
     "error: content/sources/huge.txt: file is 10 MB, over the 5 MB limit for one source"),
    ("raw page with no article", "sources/empty-page.txt", b"Make an Enquiry\nContact Us\nMake an enquiry\nSubscribe Today\n",
     "error: content/sources/empty-page.txt:3: no article found: expected a headline line after the navigation"),
    ("sidecar without its source", "sources/orphan.yaml", b"date: 2024-01-01\n",
     "error: content/sources/orphan.yaml: sidecar without its source: no .txt or .html file named orphan beside it"),
    ("topic not declared", "posts/bad.md", post("title: T\ndate: 2024-01-01\ntopics: [fostering]\n"),
     "error: content/posts/bad.md:4: topic 'fostering' is not declared in site.yaml"),
    ("key written twice", "posts/bad.md", post("title: T\ndate: 2024-01-01\ntitle: U\n"),
     "error: content/posts/bad.md:4: key 'title' appears twice (lines 2 and 4) (keep one of them)"),
    ("broken site.yaml", "site.yaml", b"title: Test\nbase_url: [oops\n",
     "error: content/site.yaml:3:1: YAML syntax error"),
    # A quoted escape makes a character that feeds (and, for a lone surrogate, pages)
    # cannot hold: it stopped the build with a traceback as the feed was written.
    ("control character made by an escape", "posts/bad.md", post('title: T\ndate: 2024-01-01\nsummary: "a \\a b"\n'),
     "error: content/posts/bad.md:4: 'summary' holds the character U+0007, which no page or feed can show"),
    ("control character in site.yaml", "site.yaml", b'title: "Test\\u0000"\n',
     "error: content/site.yaml:1: 'title' holds the character U+0000, which no page or feed can show"),
    # A page is written at /<slug>/: this one would have made the site's feed a folder.
    ("page slug not a slug", "pages/bad.md", post("title: Feed\nslug: feed.xml\n"),
     'error: content/pages/bad.md:3: slug "feed.xml" is not a valid slug (use lower-case letters'),
    ("page at an address of the site's own", "pages/archive.md", post("title: Our archive\n"),
     "error: content/pages/archive.md:1: /archive/ is the address of the site's own page (archive.html) "
     "(give this page a slug of its own in its front matter, e.g. slug: archive-page)"),
    ("two pages with one slug", "pages/about-us.md", post("title: About us\nslug: about\n"),
     "error: content/pages/about.md:1: slug 'about' is already used by content/pages/about-us.md"),
]


def assert_failed_cleanly(result, expected: str, out: Path, before: dict[str, str]) -> None:
    """Exit 1, the expected message, no traceback, and the published site untouched."""
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert any(line.startswith(expected) for line in result.stderr.splitlines()), result.stderr
    assert tree_digest(out) == before


@pytest.fixture()
def published(tmp_path) -> tuple[Path, Path, dict[str, str]]:
    content = make_content(tmp_path)
    out = tmp_path / "public"
    result = run_cli(*cli_build_args(content, out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return content, out, tree_digest(out)


@pytest.mark.parametrize("case,relative,data,expected", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_content_error(published, tmp_path, case, relative, data, expected):
    content, out, before = published
    (content / relative).write_bytes(data)
    result = run_cli(*cli_build_args(content, out), cwd=tmp_path)
    assert_failed_cleanly(result, expected, out, before)


def test_all_errors_are_reported_in_one_run(published, tmp_path):
    content, out, before = published
    for case, relative, data, _ in ERROR_CASES[:8]:
        (content / relative.replace("bad.md", f"bad-{case.replace(' ', '-')}.md")).write_bytes(data)
    result = run_cli(*cli_build_args(content, out), cwd=tmp_path)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 8, result.stderr
    assert result.stderr.splitlines()[-1] == "build failed: 8 error(s); " + str(out) + " was not changed"
    assert tree_digest(out) == before


def test_unknown_key_and_stray_files_are_warnings_listed_in_the_report(published, tmp_path):
    content, out, _ = published
    (content / "posts" / "odd.md").write_bytes(post("title: Odd\ndate: 2024-01-01\ncolour: blue\n"))
    (content / "sources" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (content / "notes.txt").write_text("to do\n")
    result = run_cli(*cli_build_args(content, out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning: content/posts/odd.md:4: unknown key 'colour' ignored" in result.stdout
    assert "content/sources/photo.png: skipped (not a content file" in result.stdout
    assert "content/notes.txt: skipped" in result.stdout


@pytest.mark.parametrize("cached", [True, False], ids=["cached", "no cache"])
def test_links_to_nothing_or_to_a_folder_and_pipes_are_reported_as_skipped(published, tmp_path, cached):
    """Neither a file nor a folder: not read, and never left out without a word, in a
    build that lists its inputs to compare with the last (cached) or one that does not."""
    import shutil
    from conftest import STATIC, TEMPLATES
    content, out, _ = published
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "2023-story.md").write_bytes(post("title: Elsewhere\ndate: 2023-01-01\n"))
    os.symlink(tmp_path / "moved-away.md", content / "posts" / "gone.md")
    os.symlink(elsewhere, content / "posts" / "2023")
    os.mkfifo(content / "posts" / "pipe.md")
    os.symlink(tmp_path / "no-logo.svg", static / "logo.svg")
    os.symlink(tmp_path / "nothing", content / "posts" / ".hidden-link")   # hidden, as editors' own files are
    args = ["--content", str(content), "--out", str(out), "--templates", str(TEMPLATES), "--static", str(static),
            *([] if cached else ["--no-cache"])]
    expected = [
        "warning: content/posts/2023: skipped: a link to the folder " + str(elsewhere)
        + ", and links to folders are not followed; move the folder here instead",
        "warning: content/posts/gone.md: skipped: a link to " + str(tmp_path / "moved-away.md")
        + ", which is not there; fix or remove the link",
        "warning: content/posts/pipe.md: skipped: not a file but a pipe, a socket or a device",
        "warning: static/logo.svg: skipped: a link to " + str(tmp_path / "no-logo.svg")
        + ", which is not there; fix or remove the link",
    ]
    for attempt in range(2):   # the second finds nothing changed, and says it all again
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        told = [line.strip() for line in result.stdout.splitlines() if "skipped:" in line]
        assert told == expected, (attempt, result.stdout)
        assert "content/posts/gone.md: skipped (a link to" in result.stdout
        assert not (out / "articles" / "elsewhere").exists()
    for name in ("gone.md", "2023", "pipe.md"):
        (content / "posts" / name).unlink()
    (tmp_path / "moved-away.md").write_bytes(post("title: Back again\ndate: 2023-02-01\n"))
    (static / "logo.svg").unlink()
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "skipped:" not in result.stdout


@pytest.mark.parametrize("cached", [True, False], ids=["cached", "no cache"])
def test_names_that_are_not_utf8_are_skipped_and_reported(published, tmp_path, cached):
    """A file or folder named in another system's encoding (Latin-1 "café.md" out of an
    old archive), in content, templates or static, stopped the build with a traceback:
    nothing can write such a name out as UTF-8. It is skipped and told, its bytes shown
    escaped."""
    import shutil
    from conftest import STATIC, TEMPLATES
    content, out, _ = published
    static, templates = tmp_path / "static", tmp_path / "templates"
    shutil.copytree(STATIC, static)
    shutil.copytree(TEMPLATES, templates)
    posts, static_bytes = os.fsencode(content / "posts"), os.fsencode(static)
    with open(posts + b"/caf\xe9.md", "wb") as handle:
        handle.write(post("title: Latin-1 name\ndate: 2024-01-01\n"))
    os.mkdir(posts + b"/d\xe9j\xe0")
    with open(posts + b"/d\xe9j\xe0/inside.md", "wb") as handle:
        handle.write(post("title: Inside\ndate: 2024-01-01\n"))
    with open(static_bytes + b"/logo-\xe9.svg", "wb") as handle:
        handle.write(b"<svg/>")
    with open(os.fsencode(templates) + b"/caf\xe9.html", "wb") as handle:
        handle.write(b"<p>{{ 1 }}</p>")
    args = ["--content", str(content), "--out", str(out), "--templates", str(templates), "--static", str(static),
            *([] if cached else ["--no-cache"])]
    expected = [
        "warning: content/posts/caf\\xe9.md: skipped: the file's name is not UTF-8 text (saved from another "
        "system's encoding, perhaps); rename it",
        "warning: content/posts/d\\xe9j\\xe0: skipped: the folder's name is not UTF-8 text (saved from another "
        "system's encoding, perhaps); rename it",
        "warning: templates/caf\\xe9.html: skipped: the file's name is not UTF-8 text (saved from another "
        "system's encoding, perhaps); rename it",
        "warning: static/logo-\\xe9.svg: skipped: the file's name is not UTF-8 text (saved from another "
        "system's encoding, perhaps); rename it",
    ]
    for attempt in range(2):   # the second finds nothing changed, and says it all again
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        told = [line.strip() for line in result.stdout.splitlines() if "skipped:" in line]
        assert told == expected, (attempt, result.stdout)
    assert not (out / "articles" / "latin-1-name").exists() and not (out / "articles" / "inside").exists()
    for _, folders, files in os.walk(os.fsencode(out)):
        assert all(b"\xe9" not in name for name in folders + files)   # nothing of theirs published


@pytest.mark.parametrize("static_file,expected", [
    ("about/index.html", "error: static/about/index.html: the site makes a file at this path itself"),
    ("robots.txt", "error: static/robots.txt: the site makes a file at this path itself"),
    ("feed.xml/old.xml", "error: static/feed.xml/old.xml: the site makes a file at /feed.xml, where this is in a folder"),
    ("articles", "error: static/articles: the site makes a folder at /articles/, where this is a file"),
    ("pagefind/pagefind.js", "error: static/pagefind/pagefind.js: the build writes the folder /pagefind/ itself"),
], ids=["over a page", "over robots.txt", "a folder where the feed is", "a file where articles are",
        "in the search index's folder"])
def test_a_static_file_where_the_site_makes_one_is_an_error(published, tmp_path, static_file, expected):
    """Staged one over the other, the last written would win without a word: the About
    page, or the feed, replaced by a static file or folder."""
    import shutil
    from conftest import STATIC, TEMPLATES
    content, out, before = published
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    (static / static_file).parent.mkdir(parents=True, exist_ok=True)
    (static / static_file).write_text("a file of the editor's\n")
    result = run_cli("--content", str(content), "--out", str(out), "--templates", str(TEMPLATES),
                     "--static", str(static), cwd=tmp_path)
    assert_failed_cleanly(result, expected, out, before)
    assert result.stderr.splitlines()[-1] == f"build failed: 1 error(s); {out} was not changed"


def test_a_navigation_link_to_a_page_the_site_does_not_make_is_a_warning(published, tmp_path):
    """On every page, and only `check` on the built site would tell; links elsewhere, to
    a page's part, or to a page the site makes are not warned of."""
    content, out, _ = published
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace(
        "  - {title: About, url: /about/}\n",
        "  - {title: About, url: /about/#team}\n  - {title: Jobs, url: /jobs/}\n"
        "  - {title: Elsewhere, url: 'https://example.org/jobs/'}\n  - {title: Partners, url: /partners/}\n"))
    result = run_cli(*cli_build_args(content, out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [line.strip() for line in result.stdout.splitlines() if "navigation[" in line] == [
        "warning: content/site.yaml:17: navigation[4] links to /jobs/, which is not a page of this site",
        "warning: content/site.yaml:19: navigation[6] links to /partners/, which is not a page of this site"]
    (content / "pages" / "jobs.md").write_text("---\ntitle: Jobs\n---\nWe are hiring.\n")
    result = run_cli(*cli_build_args(content, out), cwd=tmp_path)
    assert [line.strip() for line in result.stdout.splitlines() if "navigation[" in line] == [
        "warning: content/site.yaml:19: navigation[6] links to /partners/, which is not a page of this site"]


def test_a_figure_edit_naming_no_figure_of_the_article_is_a_warning(published, tmp_path):
    """A value written otherwise than the article writes it ("12 %" for "12%") would
    drop or chart nothing, without a word."""
    content, out, _ = published
    (content / "posts" / "2024-02-02-referrals.md").write_bytes(post(
        'title: Referrals rise\ndate: 2024-02-02\nfigures:\n  drop: ["12 %"]\n'
        '  series: {"12%": referrals, "31%": referrals}\n  add:\n'
        '    - {value: "31%", number: 31, unit: percent, label: of referrals were repeats}\n',
        "Referrals to children's services rose by 12% last year, councils said.\n"))
    result = run_cli(*cli_build_args(content, out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [line.strip() for line in result.stdout.splitlines() if "figures." in line] == [
        "warning: content/posts/2024-02-02-referrals.md: figures.drop names '12 %', which is not a figure of the "
        "article (figures found: 12%)"]


@pytest.mark.parametrize("out,expected", [
    ("content", "error: content: this is the content folder: building here would replace it"),
    (".", "error: .: this holds the content folder content: building here would replace it"),
    ("content/public", "error: content/public: this is inside the content folder content: the site would be read "
                       "as content next time"),
    ("static", "error: static: this is the static folder: building here would replace it"),
    ("docs", "error: docs: this folder holds files and is not a site (it has no index.html): building here would "
             "replace them all"),
])
def test_an_output_folder_that_would_replace_sources_or_files_is_refused(tmp_path, out, expected):
    """The new site replaces the output folder whole: given the content folder, or the
    project's own, by a slip of the keyboard, it would have taken the editors' work away."""
    import shutil
    from conftest import STATIC, TEMPLATES
    make_content(tmp_path)
    shutil.copytree(STATIC, tmp_path / "static")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("an editor's notes\n")
    before = {folder: tree_digest(tmp_path / folder) for folder in ("content", "static", "docs")}
    result = run_cli("--content", "content", "--out", out, "--templates", str(TEMPLATES), "--static", "static",
                     cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith(expected), result.stderr
    assert {folder: tree_digest(tmp_path / folder) for folder in before} == before
    assert not (tmp_path / "content" / "public").exists()


def test_an_output_folder_holding_only_hidden_files_is_built_into(tmp_path):
    content = make_content(tmp_path)
    out = tmp_path / "public"
    out.mkdir()
    (out / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")   # a file manager's, made on opening the folder
    result = run_cli(*cli_build_args(content, out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file()


def test_report_accounts_for_every_file_in_content(tmp_path):
    from childfirst_site.pipeline import build
    from conftest import options
    content = make_content(tmp_path)
    (content / "pages" / "stray.bin").write_bytes(b"\x00\x01")
    report = build(options(content, tmp_path / "public"))
    files = {p.relative_to(content.parent).as_posix() for p in content.rglob("*") if p.is_file()}
    assert set(report.outcomes) == files


@pytest.mark.parametrize("template,text,expected", [
    ("404.html", "{% extends 'base.html' %}\n{% block main %}\n{{ 1 + }}\n{% endblock %}\n",
     "error: templates/404.html:3: template syntax error"),
    ("404.html", "{% extends 'base.html' %}\n{% block main %}\n\n{{ nothing.here }}\n{% endblock %}\n",
     "error: templates/404.html:4: template error: 'nothing' is undefined"),
    ("partials/pagination.html", "{{ pagination.nope.deeper }}\n",
     "error: templates/partials/pagination.html:1: template error:"),
    ("404.html", "{% extends 'base.html' %}{% block main %}{% include 'partials/missing.html' %}{% endblock %}",
     "error: templates/404.html: template 'partials/missing.html' not found"),
])
def test_template_mistakes_name_file_and_line(published, tmp_path, template, text, expected):
    import shutil
    from conftest import STATIC, TEMPLATES
    content, out, before = published
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / template).write_text(text)
    # Twice: the second build finds the templates that did compile in its bytecode cache.
    for _ in range(2):
        result = run_cli("--content", str(content), "--out", str(out), "--templates", str(templates),
                         "--static", str(STATIC), cwd=tmp_path)
        assert_failed_cleanly(result, expected, out, before)


def test_debug_shows_the_traceback(published, tmp_path):
    content, out, _ = published
    (content / "posts" / "bad.md").write_bytes(post("title: T\ndate: 31/02/2024\n"))
    result = run_cli(*cli_build_args(content, out), "--debug", cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "BuildFailed" in result.stderr


def test_missing_template_folder_is_a_clear_error(published, tmp_path):
    from conftest import STATIC
    content, out, before = published
    result = run_cli("--content", str(content), "--out", str(out), "--templates", str(tmp_path / "nowhere"),
                     "--static", str(STATIC), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "template 'home.html' not found" in result.stderr
    assert tree_digest(out) == before


def test_an_output_folder_that_cannot_be_made_is_a_clear_error(published, tmp_path):
    content, _, _ = published
    (tmp_path / "a-file").write_text("not a folder")
    result = run_cli(*cli_build_args(content, tmp_path / "a-file" / "public"), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: {tmp_path / 'a-file' / 'public'}: its folder cannot be made" in result.stderr


def test_what_the_system_refuses_is_told_without_a_traceback(published, tmp_path, monkeypatch, capsys):
    """A full disk, say, as the site is written: the error and that public/ was not
    changed, with --debug for the traceback."""
    import errno

    from childfirst_site import cli, pipeline
    content, out, before = published

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out.parent / ".public.new" / "index.html"))

    monkeypatch.setattr(pipeline, "publish_changes", disk_full)
    (content / "posts" / "new.md").write_bytes(post("title: A new story\ndate: 2024-01-02\n"))
    assert cli.main(cli_build_args(content, out)) == 1
    stderr = capsys.readouterr().err
    assert f"error: {out.parent / '.public.new' / 'index.html'}: No space left on device" in stderr
    assert f"build failed; {out} was not changed" in stderr and "Traceback" not in stderr
    assert tree_digest(out) == before
    with pytest.raises(OSError):
        cli.main([*cli_build_args(content, out), "--debug"])


def test_a_bug_met_reading_one_source_is_an_error_naming_it(published, monkeypatch):
    """A bug that one source's text sets off (in a worker process, among thousands) is an
    error naming that source and where in the code, not a traceback naming no file; the
    published site stays as it was."""
    from childfirst_site.enrich import per_post
    content, out, before = published
    real = per_post.extract_figures

    def trips_on_one_title(post):
        if "tripwire" in post.title:
            raise ValueError("tripped")
        return real(post)

    monkeypatch.setattr(per_post, "extract_figures", trips_on_one_title)
    (content / "posts" / "trip.md").write_bytes(post("title: The tripwire story\ndate: 2024-01-01\n"))
    with pytest.raises(BuildFailed) as failed:
        build(options(content, out))
    [error] = failed.value.errors
    assert error.path == "content/posts/trip.md"
    assert error.message.startswith("reading this file met a bug in childfirst-site (ValueError at test_bad_input.py:")
    assert error.message.endswith(": tripped)")
    assert tree_digest(out) == before


def test_every_mistake_in_site_yaml_is_counted(published, tmp_path):
    """site.yaml's mistakes are all reported at once; the last line said "1 error(s)"."""
    content, out, before = published
    config = content / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("posts_per_page: 10", "posts_per_page: 0")
                      .replace("title: Test Children First", "title: ''"), encoding="utf-8")
    result = run_cli(*cli_build_args(content, out), cwd=tmp_path)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2, result.stderr
    assert result.stderr.splitlines()[-1] == f"build failed: 2 error(s); {out} was not changed"
    assert tree_digest(out) == before
