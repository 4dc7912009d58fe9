"""What a build does in processes of its own (workers.Background) while it goes on: its
own process is where an edit build spends most of its time, one step after another."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .incremental import content_digest
from .publish import Placed
from .workers import Then

if TYPE_CHECKING:
    from .config import SiteConfig
    from .enrich.related import Picked, RelatedMemory
    from .model import Post
    from .render import SiteFiles
    from .render.data import Kept

# Each post's picks, by its place among the posts: those that differ from the last
# build's (RelatedMemory.picked), or all of them.
Picks = dict[int, "Picked"]


def related_apart(posts: list[Post], config: SiteConfig, previous: RelatedMemory, salt: str,
                  memory_path: Path | None, workers: int) -> Then[Picks | None]:
    """After an edit, related stories, picked while the build plans its pages: the
    picks that changed (see Picks), then, once they are sent, the memory for next time
    saved. None where every row would be scored in `workers` processes, which this one
    cannot start: the build then scores them itself."""
    from .enrich.related import score_related
    scored = score_related(posts, config, workers, previous, salt, alone=True)
    if scored is None:
        return Then(None, lambda: None)
    picked, memory = scored
    return Then(changed_picks(previous, picked), lambda: memory.save(memory_path) if memory_path is not None else None)


def changed_picks(previous: RelatedMemory, picked: list[Picked]) -> Picks:
    """The picks that are not the last build's: scoring keeps a row's object where it
    picked the same."""
    before = previous.picked if len(previous.picked) == len(picked) else []
    return {i: row for i, row in enumerate(picked) if not before or row is not before[i]}


def with_picks(previous: RelatedMemory, changed: Picks, count: int) -> list[Picked] | None:
    """Every post's picks: the last build's, with those related_apart found changed
    (None if that leaves any post without)."""
    picked: list[Any] = list(previous.picked) if len(previous.picked) == count else [None] * count
    for place, row in changed.items():
        picked[place] = row
    return None if any(row is None for row in picked) else picked


def data_files_apart(memory: RelatedMemory | None, memory_path: Path | None, place_in: Path,
                     *data_files: Any) -> SiteFiles:
    """The data files (render.make_data_files(*data_files)), left in `place_in` (see
    publish.Placed), made while the build fingerprints its pages; and the related-story
    memory saved, where related_apart did not. If this process fails, the build does it
    all again itself: saving the memory twice does no harm."""
    from .render import make_data_files
    if memory is not None and memory_path is not None:
        memory.save(memory_path)
    files, marks = make_data_files(*data_files)
    placed: list[tuple[str, bytes | Kept | Placed]] = []
    for number, (path, data) in enumerate(files):
        if isinstance(data, bytes):
            file = place_in / f"{number}-{path.rsplit('/', 1)[-1]}"
            file.write_bytes(data)
            placed.append((path, Placed(str(file), content_digest(data))))
        else:
            placed.append((path, data))
    return placed, marks
