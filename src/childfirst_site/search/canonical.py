"""Make Pagefind's filter index byte-for-byte reproducible.

Pagefind 1.5 writes each filter's values in hash-map order, which changes from run to
run (upstream issue CloudCannon/pagefind#638), and names files after their content.
We rewrite each filter file with its values sorted, rename it after its new content,
and carry the new names into the metadata file (sorting its lists of filters and
sorts, also written in hash-map order) and the entry file that point at it.
Only the small CBOR subset those files use is handled: arrays, text and unsigned ints.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Union

Cbor = Union[int, str, list["Cbor"]]
FILTER_SIGNATURE = b"pagefind_dcd"


class UnexpectedFormat(Exception):
    """The index is not in the shape this Pagefind version writes."""


def _head(data: bytes, at: int) -> tuple[int, int, int]:
    """(major type, argument, offset after the head) of the CBOR item at `at`."""
    initial = data[at]
    major, info = initial >> 5, initial & 0x1F
    if info < 24:
        return major, info, at + 1
    if info > 27:
        raise UnexpectedFormat(f"indefinite or reserved CBOR length at byte {at}")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def decode(data: bytes, at: int = 0) -> tuple[Cbor, int]:
    major, argument, at = _head(data, at)
    if major == 0:
        return argument, at
    if major == 3:
        return data[at:at + argument].decode("utf-8"), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    raise UnexpectedFormat(f"CBOR major type {major} at byte {at}")


def _encode_head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise UnexpectedFormat("integer too large")


def encode(item: Cbor) -> bytes:
    if isinstance(item, int):
        return _encode_head(0, item)
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return _encode_head(3, len(raw)) + raw
    return _encode_head(4, len(item)) + b"".join(encode(each) for each in item)


def sorted_filter(data: bytes) -> bytes:
    """A decompressed filter file with its values in sorted order."""
    if not data.startswith(FILTER_SIGNATURE):
        raise UnexpectedFormat("filter file without its signature")
    item, end = decode(data, len(FILTER_SIGNATURE))
    if end != len(data) or not isinstance(item, list) or len(item) != 2 or not isinstance(item[1], list):
        raise UnexpectedFormat("filter file is not [name, [[value, pages]…]]")
    name, values = item
    return FILTER_SIGNATURE + encode([name, sorted(values, key=lambda pair: pair[0])])  # type: ignore[index]


def sorted_meta(data: bytes, renamed: dict[str, str]) -> bytes:
    """A decompressed metadata file pointing at the renamed filter files, with its filter
    and sort lists in name order. Its layout in Pagefind 1.5: [version, pages, index
    chunks, [[filter, file]…], [[sort, pages]…], meta field names]."""
    if not data.startswith(FILTER_SIGNATURE):
        raise UnexpectedFormat("metadata file without its signature")
    item, end = decode(data, len(FILTER_SIGNATURE))
    if end != len(data) or not isinstance(item, list) or len(item) < 5:
        raise UnexpectedFormat("metadata file is not in Pagefind 1.5's layout")
    filters, sorts = item[3], item[4]
    if not isinstance(filters, list) or not isinstance(sorts, list):
        raise UnexpectedFormat("metadata file has no filter and sort lists")
    for pair in filters:
        if not (isinstance(pair, list) and len(pair) == 2 and pair[1] in renamed):
            raise UnexpectedFormat(f"metadata names a filter file that is not there: {pair!r}")
        pair[1] = renamed[pair[1]]
    if len(filters) != len(renamed):
        raise UnexpectedFormat("a filter file is not named in the metadata")
    item[3] = sorted(filters, key=lambda pair: pair[0])  # type: ignore[index]
    item[4] = sorted(sorts, key=lambda pair: pair[0])  # type: ignore[index]
    return FILTER_SIGNATURE + encode(item)


def _renamed(stem_prefix: str, old_hash: str, content: bytes) -> str:
    """A content hash of the same length as Pagefind's, so names keep their shape."""
    return stem_prefix + hashlib.sha256(content).hexdigest()[:len(old_hash)]


def canonicalise(bundle: Path) -> None:
    """Rewrite the filter files, metadata file and entry file of a Pagefind bundle in place."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        replacements: dict[str, str] = {}
        for path in sorted((bundle / "filter").glob(f"{language}_*.pf_filter")):
            old = path.name.removesuffix(".pf_filter")
            content = gzip.compress(sorted_filter(gzip.decompress(path.read_bytes())), mtime=0)
            new = _renamed(f"{language}_", old.removeprefix(f"{language}_"), content)
            path.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(content)
            replacements[old] = new
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = sorted_meta(gzip.decompress(meta_path.read_bytes()), replacements)
        content = gzip.compress(meta, mtime=0)
        new_hash = _renamed(f"{language}_", info["hash"].removeprefix(f"{language}_"), content)
        meta_path.unlink()
        (bundle / f"pagefind.{new_hash}.pf_meta").write_bytes(content)
        info["hash"] = new_hash
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
