"""A listing brought up to date from the paths a watcher reported (watched.relist) is the
listing a fresh look at every file gives, or None where it cannot be told so."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from childfirst_site import incremental
from childfirst_site.incremental import list_inputs
from childfirst_site.watched import Watched, relist


@pytest.fixture()
def folders(tmp_path, monkeypatch) -> list[Path]:
    monkeypatch.setattr(incremental, "SETTLE_NS", 0)   # files written a moment ago count as settled
    content, templates = tmp_path / "content", tmp_path / "templates"
    for path in ["posts/b.md", "posts/d.md", "posts/sub/a.md", "site.yaml", "pages/about.md"]:
        (content / path).parent.mkdir(parents=True, exist_ok=True)
        (content / path).write_text(f"text of {path}\n", encoding="utf-8")
    templates.mkdir()
    (templates / "base.html").write_text("<html></html>", encoding="utf-8")
    return [content, templates]


def same(listed, fresh) -> None:
    assert listed is not None
    assert listed.folders == fresh.folders
    assert listed.digests == fresh.digests
    assert listed.digest() == fresh.digest()
    assert listed.stamps == fresh.stamps


def test_edits_additions_and_deletions_give_a_fresh_listing(folders):
    content, templates = folders
    before = list_inputs("salt", folders)
    (content / "posts/b.md").write_text("edited\n", encoding="utf-8")
    (content / "posts/c.md").write_text("added between b and d\n", encoding="utf-8")
    (content / "posts/sub/0.md").write_text("added in a folder\n", encoding="utf-8")
    (content / "posts/d.md").unlink()
    (templates / "extra.html").write_text("{{ x }}", encoding="utf-8")
    reported = [content / "posts/b.md", content / "posts/c.md", content / "posts/sub/0.md", content / "posts/d.md",
                templates / "extra.html", content / "posts/.b.md.swp"]   # an editor's file, made and gone since
    same(relist(before, [str(path) for path in reported], "salt"), list_inputs("salt", folders))


def test_a_change_reported_under_the_folder_as_given_is_found(folders, monkeypatch):
    content, _ = folders
    monkeypatch.chdir(content.parent)
    before = list_inputs("salt", [Path("content"), Path("templates")])
    (content / "posts/b.md").write_text("edited\n", encoding="utf-8")
    watched = Watched(before)
    watched.saw(["content/posts/b.md"])   # the first report: the listing is let go of
    assert watched.take("salt") is None
    watched.keep(before)
    watched.saw(["content/posts/b.md"])
    same(watched.take("salt"), list_inputs("salt", [Path("content"), Path("templates")]))


def test_a_listing_made_once_the_watcher_started_is_kept_from_the_first_report(folders):
    """`serve` starts its watcher before its first build: the listing that build makes is
    brought up to date from the first report, not made again."""
    content, _ = folders
    watched = Watched()
    watched.started()
    before = list_inputs("salt", folders)
    watched.keep(before)
    (content / "posts/b.md").write_text("edited\n", encoding="utf-8")
    watched.saw([str(content / "posts/b.md")])
    listed = watched.take("salt")
    same(listed, list_inputs("salt", folders))
    assert listed.digests != before.digests


def test_a_file_changed_without_a_report_is_not_seen_unless_it_had_no_stamp(folders):
    """A file is taken as unchanged unless reported, but one listed just after it was
    written (no stamp kept) is looked at again."""
    content, _ = folders
    before = list_inputs("salt", folders)
    del before.stamps[str(content.resolve() / "posts/b.md")]
    (content / "posts/b.md").write_text("edited, not reported\n", encoding="utf-8")
    same(relist(before, [], "salt"), list_inputs("salt", folders))


@pytest.mark.parametrize("change", ["folder made", "folder deleted", "watched folder deleted", "link", "pipe made",
                                    "skipped before", "salt"])
def test_what_cannot_be_told_from_the_reports_lists_every_file(folders, change):
    content, _ = folders
    before = list_inputs("salt", folders)
    salt = "salt"
    if change == "folder made":
        (content / "posts/new").mkdir()
        (content / "posts/new/e.md").write_text("in a new folder\n", encoding="utf-8")
        reported = [content / "posts/new"]
    elif change == "folder deleted":
        for path in (content / "posts/sub").iterdir():
            path.unlink()
        (content / "posts/sub").rmdir()
        reported = [content / "posts/sub"]
    elif change == "watched folder deleted":
        reported = [content]
    elif change == "link":
        os.symlink(content / "posts/b.md", content / "posts/e.md")
        before = list_inputs("salt", folders)
        (content / "posts/b.md").write_text("edited\n", encoding="utf-8")
        reported = [content / "posts/b.md"]
    elif change == "pipe made":   # list_inputs says why it is skipped
        os.mkfifo(content / "posts/pipe.md")
        reported = [content / "posts/pipe.md"]
    elif change == "skipped before":   # whether it is mended is not told by its path
        os.mkfifo(content / "posts/pipe.md")
        before = list_inputs("salt", folders)
        assert list(before.skipped) == [str(content.resolve() / "posts/pipe.md")]
        reported = []
    else:
        salt, reported = "other", []
    assert relist(before, [str(path) for path in reported], salt) is None


def test_a_folder_inside_another_is_brought_up_to_date_in_both(folders):
    content, _ = folders
    nested = [content, content / "pages"]
    before = list_inputs("salt", nested)
    (content / "pages/contact.md").write_text("a new page\n", encoding="utf-8")
    (content / "pages/about.md").unlink()
    same(relist(before, [str(content / "pages/contact.md"), str(content / "pages/about.md")], "salt"),
         list_inputs("salt", nested))
