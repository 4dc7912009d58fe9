"""The build cache: what reading each source produced, keyed by the source's bytes, the
code that read it and the config it was read with. Never trusted blindly: an unreadable,
foreign or stale cache is set aside and rebuilt, and the build report says so."""
from __future__ import annotations

import hashlib
import mmap
import os
import pickle
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__

FORMAT = 3
_PACKAGE = Path(__file__).resolve().parent


def code_version() -> str:
    """A digest of this package's own source: any change to the code invalidates the cache."""
    digest = hashlib.sha256(f"{__version__}:{FORMAT}".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# A length before the pickle and before each buffer (read in place: an edit build loads
# tens of thousands of entries).
_LENGTH = struct.Struct("<Q")
# Where a mapped file cannot be replaced while mapped (Windows), buffers are copied instead.
_VIEWS = os.name == "posix"


def dumps(value: Any) -> bytes:
    """An entry: the value pickled, then, out of band, the large byte strings that offer
    themselves as pickle buffers (a post's body, blocks and term counts: see model.py), each
    after its length. Loaded from a mapped shard, those are views of the file, not copies:
    an edit build loads every cached post, a hundred megabytes of them for 10,000."""
    buffers: list[pickle.PickleBuffer] = []
    data = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    parts = [_LENGTH.pack(len(data)), data]
    for buffer in buffers:
        raw = buffer.raw()
        parts += [_LENGTH.pack(len(raw)), raw]
    return b"".join(parts)


def loads(stored: bytes | memoryview) -> Any:
    view = memoryview(stored)
    size, = _LENGTH.unpack_from(view)
    if 8 + size == len(view):   # no buffers (most entries but posts)
        return pickle.loads(view[8:])
    at, buffers = 8 + size, []
    while at < len(view):
        length, = _LENGTH.unpack_from(view, at)
        at += 8
        if at + length > len(view):
            raise ValueError("a buffer runs past the end of the entry")
        buffers.append(view[at:at + length] if _VIEWS else bytes(view[at:at + length]))
        at += length
    return pickle.loads(view[8:8 + size], buffers=buffers)


def _shard(key: str) -> str:
    return key[:2]


# A shard file: the length of its header (8 bytes, little-endian), the header (a pickle of
# {"format", "salt", "index": {key: (offset, length)}}), then the entries (see dumps), one
# after another. Entries are read where they lie in the file (mapped, not copied), and
# only the ones a build asks for are unpickled.
_HEADER_LENGTH = 8


@dataclass
class Cache:
    """Results in a folder of files (shards, by the first two characters of the key), each
    result pickled on its own when it is stored: what later stages do to a result cannot
    leak into the cache, and a damaged entry costs only itself. Entries not used by a
    build are dropped when it saves, so the folder holds one site's worth; a build that
    read one source again rewrites only the shards that changed, not every result."""

    path: Path | None
    salt: str
    entries: dict[str, bytes | memoryview] = field(default_factory=dict)
    used: dict[str, bytes | memoryview] = field(default_factory=dict)
    note: str = ""          # why the cache was not used, for the build report
    hits: int = 0
    misses: int = 0
    stored: dict[str, set[str]] = field(default_factory=dict)   # shard → the keys its file holds
    dirty: set[str] = field(default_factory=set)                # shards to write whatever keys they hold
    _maps: list[mmap.mmap] = field(default_factory=list, repr=False)

    @classmethod
    def open(cls, path: Path | None, salt: str) -> "Cache":
        cache = cls(path, salt)
        if path is None:
            cache.note = "off"
            return cache
        shards = sorted(path.glob("*.pickle")) if path.is_dir() else []
        if not shards:
            cache.note = "empty (first build)"
            return cache
        notes = []
        for shard in shards:
            try:
                found = cache._read_shard(shard)
                if found is None:
                    notes.append("from another version: rebuilt")
                elif found[0] != salt:
                    notes.append("stale (code or config changed): rebuilt")
                else:
                    cache.entries.update(found[1])
                    cache.stored[shard.stem] = set(found[1])
                    continue
            except Exception:  # noqa: BLE001 - any unreadable shard is rebuilt, whatever broke it
                notes.append("unreadable: rebuilt")
            cache.dirty.add(shard.stem)   # rewritten, or removed, at the end of this build
            cache.stored[shard.stem] = set()
        if notes:
            cache.note = notes[0] if len(notes) == len(shards) else "partly unreadable: those sources read again"
        return cache

    def _read_shard(self, shard: Path) -> tuple[str, dict[str, memoryview]] | None:
        """(salt, entries) of a shard file; None if it is not in this format."""
        with shard.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        view = memoryview(mapped)
        try:
            size = int.from_bytes(view[:_HEADER_LENGTH], "little")
            header = pickle.loads(view[_HEADER_LENGTH:_HEADER_LENGTH + size])
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                return None
            start = _HEADER_LENGTH + size
            index = header["index"]
            if any(offset < 0 or length < 0 or start + offset + length > len(view)
                   for offset, length in index.values()):
                raise ValueError("an entry runs past the end of the file")
            entries = {key: view[start + offset:start + offset + length] for key, (offset, length) in index.items()}
            salt = header["salt"]
        except BaseException:
            view.release()
            mapped.close()
            raise
        self._maps.append(mapped)
        view.release()   # the entries' views keep the mapping
        return salt, entries

    @staticmethod
    def holds_entries(path: Path) -> bool:
        """Whether the cache at `path` has anything in it (of any version)."""
        return path.is_dir() and any(path.glob("*.pickle"))

    def get(self, key: str) -> Any | None:
        stored = self.entries.get(key)
        value = None
        if stored is not None:
            try:
                value = loads(stored)
            except Exception:  # noqa: BLE001 - a damaged entry is read again from its source
                self.note = "partly unreadable: those sources read again"
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self.used[key] = stored
        return value

    def holds(self, key: str) -> bool:
        """Whether this build's cache can keep the entry for `key` without being given it
        again: it holds it, or there is no cache."""
        return self.path is None or key in self.entries

    def keep(self, key: str) -> None:
        """Keep the entry for `key` as it is, its value taken from elsewhere (see sources.batch.ReadMemo)."""
        stored = self.entries.get(key)
        if stored is not None:
            self.used[key] = stored
        self.hits += 1

    def keep_all(self, keys: list[str]) -> None:
        """keep(key) for each key."""
        entries = self.entries
        self.used.update({key: entries[key] for key in keys if key in entries})
        self.hits += len(keys)

    def put(self, key: str, value: Any) -> None:
        self.put_pickled(key, dumps(value))

    def put_pickled(self, key: str, stored: bytes) -> None:
        """Store a value already made an entry (with dumps)."""
        self.used[key] = stored
        self.dirty.add(_shard(key))

    def save(self) -> None:
        """Write the shards whose entries this build changed, then let go of them: a
        large archive's results are hundreds of megabytes the rest of the build does
        not need."""
        replaced = self._write_shards() if self.path is not None else []
        self.entries, self.used, self.stored, self.dirty = {}, {}, {}, set()
        self.close()
        for temporary, file in replaced:   # once no file is mapped any more (Windows will not replace one that is)
            if temporary is None:
                file.unlink(missing_ok=True)
            else:
                os.replace(temporary, file)

    def _write_shards(self) -> list[tuple[Path | None, Path]]:
        """Each changed shard written beside its file: (the new file, or None for none, the file)."""
        assert self.path is not None
        by_shard: dict[str, dict[str, bytes | memoryview]] = {}
        for key, stored in self.used.items():
            by_shard.setdefault(_shard(key), {})[key] = stored
        replaced: list[tuple[Path | None, Path]] = []
        for shard in sorted(by_shard.keys() | self.stored.keys()):
            entries = by_shard.get(shard, {})
            if shard not in self.dirty and self.stored.get(shard) == entries.keys():
                continue
            file = self.path / f"{shard}.pickle"
            if not entries:
                replaced.append((None, file))
                continue
            self.path.mkdir(parents=True, exist_ok=True)
            temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
            index, offset = {}, 0
            for key, stored in entries.items():
                index[key] = (offset, len(stored))
                offset += len(stored)
            header = pickle.dumps({"format": FORMAT, "salt": self.salt, "index": index},
                                  protocol=pickle.HIGHEST_PROTOCOL)
            with temporary.open("wb") as handle:
                handle.write(len(header).to_bytes(_HEADER_LENGTH, "little") + header)
                for stored in entries.values():
                    handle.write(stored)
            replaced.append((temporary, file))
        return replaced

    def close(self) -> None:
        """Let go of the mapped shard files (entries still held keep theirs mapped)."""
        for mapped in self._maps:
            try:
                mapped.close()
            except BufferError:
                pass   # an entry is still held somewhere: unmapped when it goes
        self._maps = []

    def describe(self) -> str:
        if self.path is None:
            return "cache: off"
        text = f"cache: {self.hits} sources reused, {self.misses} read"
        return text + (f" (cache {self.note})" if self.note else "")
