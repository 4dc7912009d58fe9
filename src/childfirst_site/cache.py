"""The build cache: what reading each source produced, keyed by the source's bytes, the
code that read it and the config it was read with. Never trusted blindly: an unreadable,
foreign or stale cache is set aside and rebuilt, and the build report says so."""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__

FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent


def code_version() -> str:
    """A digest of this package's own source: any change to the code invalidates the cache."""
    digest = hashlib.sha256(f"{__version__}:{FORMAT}".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _shard(key: str) -> str:
    return key[:2]


@dataclass
class Cache:
    """Results in a folder of files (shards, by the first two characters of the key), each
    result pickled on its own when it is stored: what later stages do to a result cannot
    leak into the cache, and a damaged entry costs only itself. Entries not used by a
    build are dropped when it saves, so the folder holds one site's worth; a build that
    read one source again rewrites only the shards that changed, not every result."""

    path: Path | None
    salt: str
    entries: dict[str, bytes] = field(default_factory=dict)
    used: dict[str, bytes] = field(default_factory=dict)
    note: str = ""          # why the cache was not used, for the build report
    hits: int = 0
    misses: int = 0
    stored: dict[str, set[str]] = field(default_factory=dict)   # shard → the keys its file holds
    dirty: set[str] = field(default_factory=set)                # shards to write whatever keys they hold

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
                with shard.open("rb") as handle:
                    stored = pickle.load(handle)
                if (not isinstance(stored, dict) or stored.get("format") != FORMAT
                        or not isinstance(stored.get("entries"), dict)):
                    notes.append("from another version: rebuilt")
                elif stored.get("salt") != salt:
                    notes.append("stale (code or config changed): rebuilt")
                else:
                    cache.entries.update(stored["entries"])
                    cache.stored[shard.stem] = set(stored["entries"])
                    continue
            except Exception:  # noqa: BLE001 - any unreadable shard is rebuilt, whatever broke it
                notes.append("unreadable: rebuilt")
            cache.dirty.add(shard.stem)   # rewritten, or removed, at the end of this build
            cache.stored[shard.stem] = set()
        if notes:
            cache.note = notes[0] if len(notes) == len(shards) else "partly unreadable: those sources read again"
        return cache

    def get(self, key: str) -> Any | None:
        stored = self.entries.get(key)
        value = None
        if stored is not None:
            try:
                value = pickle.loads(stored)
            except Exception:  # noqa: BLE001 - a damaged entry is read again from its source
                self.note = "partly unreadable: those sources read again"
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self.used[key] = stored
        return value

    def put(self, key: str, value: Any) -> None:
        self.put_pickled(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_pickled(self, key: str, stored: bytes) -> None:
        """Store a value already pickled (with pickle.HIGHEST_PROTOCOL)."""
        self.used[key] = stored
        self.dirty.add(_shard(key))

    def save(self) -> None:
        """Write the shards whose entries this build changed, then let go of them: a
        large archive's results are hundreds of megabytes the rest of the build does
        not need."""
        if self.path is not None:
            by_shard: dict[str, dict[str, bytes]] = {}
            for key, stored in self.used.items():
                by_shard.setdefault(_shard(key), {})[key] = stored
            for shard in sorted(by_shard.keys() | self.stored.keys()):
                entries = by_shard.get(shard, {})
                if shard not in self.dirty and self.stored.get(shard) == entries.keys():
                    continue
                file = self.path / f"{shard}.pickle"
                if not entries:
                    file.unlink(missing_ok=True)
                    continue
                self.path.mkdir(parents=True, exist_ok=True)
                temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
                with temporary.open("wb") as handle:
                    pickle.dump({"format": FORMAT, "salt": self.salt, "entries": entries}, handle,
                                protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, file)
        self.entries, self.used, self.stored, self.dirty = {}, {}, {}, set()

    def describe(self) -> str:
        if self.path is None:
            return "cache: off"
        text = f"cache: {self.hits} sources reused, {self.misses} read"
        return text + (f" (cache {self.note})" if self.note else "")
