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


@dataclass
class Cache:
    """Results in one file, each pickled on its own when it is stored: what later stages
    do to a result cannot leak into the cache, and a damaged entry costs only itself.
    Entries not used by a build are dropped when it saves, so the file holds one site's worth."""

    path: Path | None
    salt: str
    entries: dict[str, bytes] = field(default_factory=dict)
    used: dict[str, bytes] = field(default_factory=dict)
    note: str = ""          # why the cache was not used, for the build report
    hits: int = 0
    misses: int = 0

    @classmethod
    def open(cls, path: Path | None, salt: str) -> "Cache":
        cache = cls(path, salt)
        if path is None:
            cache.note = "off"
            return cache
        if not path.is_file():
            cache.note = "empty (first build)"
            return cache
        try:
            with path.open("rb") as handle:
                stored = pickle.load(handle)
            if not isinstance(stored, dict) or stored.get("format") != FORMAT or not isinstance(stored.get("entries"), dict):
                cache.note = "from another version: rebuilt"
            elif stored.get("salt") != salt:
                cache.note = "stale (code or config changed): rebuilt"
            else:
                cache.entries = stored["entries"]
        except Exception:  # noqa: BLE001 - any unreadable cache is rebuilt, whatever broke it
            cache.note = "unreadable: rebuilt"
        return cache

    def get(self, key: str) -> Any | None:
        found = self.get_stored(key)
        return None if found is None else found[0]

    def get_stored(self, key: str) -> tuple[Any, bytes] | None:
        """The value and the pickle it was loaded from."""
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
        return value, stored

    def put(self, key: str, value: Any) -> None:
        self.used[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def put_pickled(self, key: str, stored: bytes) -> None:
        """Store a value already pickled (with pickle.HIGHEST_PROTOCOL)."""
        self.used[key] = stored

    def save(self) -> None:
        """Write the entries this build used, then let go of them: a large archive's
        results are hundreds of megabytes that the rest of the build does not need."""
        if self.path is None or (self.used.keys() == self.entries.keys() and not self.misses):
            self.entries, self.used = {}, {}
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump({"format": FORMAT, "salt": self.salt, "entries": self.used}, handle,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.path)
        self.entries, self.used = {}, {}

    def describe(self) -> str:
        if self.path is None:
            return "cache: off"
        text = f"cache: {self.hits} sources reused, {self.misses} read"
        return text + (f" (cache {self.note})" if self.note else "")
