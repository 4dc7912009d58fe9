"""Fingerprints of what a page is made from, so a page whose inputs have not changed
since the last build need not be rendered again. A fingerprint covers every object the
template is given, the templates, the config and the code; equal fingerprints mean the
same page. Unequal ones only cost a render."""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import pickle
from pathlib import Path
from typing import Any

from .model import Post


class Fingerprinter:
    def __init__(self, salt: str) -> None:
        self.salt = salt.encode()
        # id → (object, digest): the object is kept so that its id cannot be reused.
        self._memo: dict[int, tuple[Any, bytes]] = {}

    def digest(self, obj: Any) -> bytes:
        if obj is None or isinstance(obj, (str, int, float, bool, dt.date, enum.Enum)):
            return hashlib.sha256(repr(obj).encode()).digest()
        seen = self._memo.get(id(obj))
        if seen is not None:
            return seen[1]
        if isinstance(obj, Post):
            # A post holds slugs, not other posts, so its pickle is all of it and is quick.
            value = hashlib.sha256(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)).digest()
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            parts = [type(obj).__qualname__.encode()]
            parts += [self.digest(getattr(obj, f.name)) for f in dataclasses.fields(obj)]
            value = hashlib.sha256(b"\0".join(parts)).digest()
        elif isinstance(obj, (list, tuple)):
            value = hashlib.sha256(b"[" + b"".join(self.digest(item) for item in obj)).digest()
        elif isinstance(obj, dict):
            value = hashlib.sha256(b"{" + b"".join(self.digest(k) + self.digest(v) for k, v in obj.items())).digest()
        else:
            value = hashlib.sha256(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)).digest()
        self._memo[id(obj)] = (obj, value)
        return value

    def route(self, url: str, template: str, context: dict[str, Any]) -> str:
        return hashlib.sha256(self.salt + b"\0" + url.encode() + b"\0" + template.encode()
                              + self.digest(context)).hexdigest()


def folder_digest(folder: Path) -> str:
    """Every file under a folder (templates, static assets), names and bytes."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
