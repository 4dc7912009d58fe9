"""Publish stage, as a build runs it: the rendered files written into the staged site as
they come, those unchanged carried over from the published one, the search index built,
the site swapped in, and what was published recorded in the cache (the manifest)."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import interrupts
from .incremental import Entry, Manifest, content_digest, manifest_file, scan
from .publish import Placed, Staging
from .search import SearchIndex, index_site

if TYPE_CHECKING:
    from .pipeline import BuildOptions
    from .render import Rendered


def publish_changes(rendered: Rendered, options: BuildOptions, previous_search: bool, record: Manifest,
                    on_disk: dict[str, tuple[int, int, int]], trusted: dict[str, Entry],
                    lap: Callable[[str], None], listed_previous: tuple[dict[str, int], set[str]] | None = None,
                    whole: bool = True) -> tuple[int, int, SearchIndex | None, bool]:
    """Write what changed, as it is rendered, carry over what did not, and record what
    was published in `record` (saved in the cache folder). `trusted`: the last build's
    files still in `on_disk` as it left them; `whole`: whether on_disk lists every file
    of the output folder, or only those the last build published. Returns (files
    written, files carried over, search index, whether anything was published)."""
    from .render import Kept, Written
    entries: dict[str, Entry] = {path: trusted[path] for path in rendered.unchanged}
    staging = Staging(options.out_dir, reuse=options.cache_dir is not None, listed=listed_previous)
    try:
        # With nothing to compare pages with, and nothing staged to replace, every page is
        # written: the render workers write them themselves.
        for path, data in rendered.files(staging.path if staging.fresh and not trusted else None):
            mark = rendered.fingerprints.get(path, "")
            if isinstance(data, Kept):   # only where the last build's fingerprint for it is the same
                entries[path] = trusted[path]
                continue
            if isinstance(data, Written):   # its size and time as the worker wrote it: not looked at again
                staging.note_written(path)
                entries[path] = Entry(mark, data.sha256, data.size, data.mtime_ns)
                continue
            placed = isinstance(data, Placed)
            digest, old = data.sha256 if placed else content_digest(data), trusted.get(path)
            if old is not None and old.sha256 == digest:
                entries[path] = Entry(mark, digest, old.size, old.mtime_ns)
                if placed:
                    os.unlink(data.file)
            else:
                if placed:
                    staging.place(path, Path(data.file))
                else:
                    staging.write(path, data)
                entries[path] = Entry(mark, digest, -1, -1)
        lap("render")
        changed = staging.written
        keep = set(entries) - changed
        index_files = {path for path in trusted if path.startswith("pagefind/")} if options.search else set()
        if (options.cache_dir is not None and not changed and previous_search == options.search
                and set(on_disk if whole else scan(options.out_dir.resolve())) == keep | index_files
                and (index_files or not options.search)):
            staging.abandon()
            # Pages may have new fingerprints for the same bytes: record those, not the old ones.
            record.entries = {**{path: trusted[path] for path in index_files}, **entries}
            save_manifest(record, options)
            return 0, 0, None, False
        search: list[SearchIndex] = []

        def finish(staged: Path) -> None:
            interrupts.stop_if_requested()
            if options.search:
                search.append(index_site(staged))
            if options.cache_dir is not None:
                # Carried-over files are hard links: same size and time as before. Only files
                # written now (and the search index) need looking at.
                for path in keep:
                    record.entries[path] = entries[path]
                new_index = [f"pagefind/{name}" for name in scan(staged / "pagefind")] if options.search else []
                for path in [*changed, *new_index]:
                    # The index is rebuilt whenever anything changed, never compared: no digest.
                    entry = entries.get(path) or Entry("", "", -1, -1)
                    if entry.size < 0:
                        info = (staged / path).stat()
                        entry = Entry(entry.fingerprint, entry.sha256, info.st_size, info.st_mtime_ns)
                    record.entries[path] = entry
                save_manifest(record, options)
            interrupts.publishing()

        staging.finish(keep, before_swap=finish, published={path: info[2] for path, info in on_disk.items()}
                       if options.cache_dir is not None else None)
    except BaseException:
        staging.abandon()
        raise
    return len(changed), len(keep), search[0] if search else None, True


def save_manifest(record: Manifest, options: BuildOptions) -> None:
    """Saved now, or, where the caller settles after each build, left for that (see
    rebuilds.Memory.settles): a manifest older than the site it describes is safe, as a file is
    trusted only while its size and time are as recorded."""
    assert options.cache_dir is not None
    if options.memo is not None and options.memo.settles:
        options.memo.unsaved = record
    else:
        record.save(manifest_file(options.cache_dir, options.out_dir))
