"""files_under lists what sorted(rglob("*")) lists, in the same order, without following
links to folders."""
from __future__ import annotations

import os

from childfirst_site.files import files_under


def test_same_files_and_order_as_sorted_rglob(tmp_path):
    for name in ["a/b.md", "a-b/c.md", "a b/d.md", "A/e.md", "a/z/y.md", ".hidden.md", "top.yaml", "a/.x/f.md"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    os.symlink(tmp_path / "a", tmp_path / "linked")            # a link to a folder: not followed
    os.symlink(tmp_path / "top.yaml", tmp_path / "alias.yaml")  # a link to a file: a file
    os.symlink(tmp_path / "missing", tmp_path / "broken.md")    # a broken link: not a file
    expected = [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    listed = files_under(tmp_path)
    assert [relative for relative, _ in listed] == expected
    assert "linked/b.md" not in expected and "alias.yaml" in expected
    assert all(info.st_size == (tmp_path / relative).stat().st_size for relative, info in listed)
    assert files_under(tmp_path / "nowhere") == []
