"""What the last build published, so the next one can tell what changed: every file's
fingerprint (what it was made from), content digest, size and modification time. A file
in public/ is trusted only while its size and time are as we left them."""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import stat
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from . import kept_folders
from .files import files_under, walk

FORMAT = 6

# A file changed this soon after its digest was recorded could keep the same size and
# times (they tick coarsely on some file systems), so its digest is not kept for next time.
SETTLE_NS = 2_000_000_000

# What a build records about the folder it publishes into (the manifest, the data files'
# records) is kept in a folder of the cache for each output folder, for this many of them,
# those built last. `serve` builds its preview into a folder of its own, with another base
# URL: with one record for both, a build of public/ between two of its rebuilds found the
# preview's, and rewrote every page (8 s rather than 1.6 s for an edit to one post of 10,000).
KEPT_OUTPUTS = 4


def output_cache(cache_dir: Path, out_dir: Path) -> Path:
    """The folder of the build cache that keeps what builds into `out_dir` record."""
    return cache_dir / "outputs" / hashlib.sha256(os.fsencode(out_dir.resolve())).hexdigest()[:16]


def manifest_file(cache_dir: Path, out_dir: Path) -> Path:
    return output_cache(cache_dir, out_dir) / "manifest.pickle"


def use_output_cache(cache_dir: Path, out_dir: Path) -> Path:
    """output_cache(cache_dir, out_dir), made if need be and marked used (see KEPT_OUTPUTS).
    The first time, what the cache's older layout kept for every output at once goes."""
    own = output_cache(cache_dir, out_dir)
    if not own.is_dir():
        (cache_dir / "manifest.pickle").unlink(missing_ok=True)
        shutil.rmtree(cache_dir / "data", ignore_errors=True)
    kept_folders.use(str(own.parent), own.name, KEPT_OUTPUTS)
    return own


FileStamp = tuple[int, int, int, int, str]   # size, mtime_ns, ctime_ns, inode, sha256 of the bytes


class Entry(NamedTuple):   # a tuple: 13,000 of them are made each time the manifest loads
    fingerprint: str     # of the inputs (pages), or "" for files compared by content
    sha256: str
    size: int
    mtime_ns: int


# The manifest is stored by columns: a few long strings and arrays of integers, not a
# pickled object per file (13,000 pages and 10,000 sources for 10,000 posts): a third of
# the time to save and load (0.06-0.08 s and 0.04-0.06 s before, a cost of every build).
_Packed = tuple[str, list[str], list[bytes]]


def _packed(paths: list[str], texts: list[list[str]], numbers: list[list[int]]) -> _Packed:
    """Paths, and columns of text and of integers, one item per path."""
    return ("\0".join(paths), ["\0".join(column) for column in texts],
            [array("q", column).tobytes() for column in numbers])


def _unpacked(packed: _Packed, texts: int, numbers: int) -> tuple[list[str], list[list[str]], list[list[int]]]:
    joined, text_columns, number_columns = packed
    count = joined.count("\0") + 1 if joined else 0

    def split(text: str) -> list[str]:
        column = text.split("\0") if count else []
        if len(column) != count:
            raise ValueError("a column of the manifest is not as long as its paths")
        return column

    def integers(data: bytes) -> list[int]:
        column = array("q")
        column.frombytes(data)
        if len(column) != count:
            raise ValueError("a column of the manifest is not as long as its paths")
        return column.tolist()

    if len(text_columns) != texts or len(number_columns) != numbers:
        raise ValueError("the manifest does not have the columns it should")
    return split(joined) if count else [], [split(t) for t in text_columns], [integers(n) for n in number_columns]


def scan(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Path → (size, mtime_ns, inode) of every file under folder."""
    found: dict[str, tuple[int, int, int]] = {}
    if folder.is_dir():
        for relative, entry in walk(folder):
            if not entry.is_dir(follow_symlinks=False):
                info = entry.stat(follow_symlinks=False)
                found[relative] = (info.st_size, info.st_mtime_ns, info.st_ino)
    return found


def stat_known(folder: Path, paths: list[str]) -> dict[str, tuple[int, int, int]]:
    """scan(folder), but of these paths only, those that are files: a stat() each, rather
    than opening every folder of the site. For 10,000 posts (13,000 pages, each in a
    folder of its own) 0.05-0.07 s, against 0.2 s. A file not among `paths` is not seen."""
    found: dict[str, tuple[int, int, int]] = {}
    root, status, is_dir = str(folder), os.stat, stat.S_ISDIR
    for path in paths:
        try:
            info = status(f"{root}/{path}", follow_symlinks=False)
        except (OSError, ValueError):
            continue
        if not is_dir(info.st_mode):
            found[path] = (info.st_size, info.st_mtime_ns, info.st_ino)
    return found


def stamp_of(info: os.stat_result) -> tuple[int, int, int, int]:
    """Size, times and inode: what an edit, a touch or a file saved again (into a new file,
    then renamed) changes, whatever it does to the modification time."""
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def file_stamp(path: Path) -> tuple[int, ...] | None:
    """stamp_of the file at `path`, or None if there is none."""
    try:
        return stamp_of(os.stat(path))
    except OSError:
        return None


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class InputFiles:
    """Every file a build reads (see list_inputs), each with its sha256."""

    salt: str
    folders: list[tuple[str, str, list[str]]]   # each folder as given, resolved, and its files' absolute paths
    digests: dict[str, str]     # absolute path → sha256 of the bytes; "" where not worked out yet
    stamps: dict[str, tuple[int, int, int, int]]   # of files not changed just before they were listed
    whole: str = ""             # the digest of it all, once worked out
    links: bool = False         # whether a folder holds a symbolic link (see watched.relist)
    # What is neither a file nor a folder (see files.files_under), by absolute path, with
    # why it is not read: a build reports each, and one made or mended is a change.
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def undigested(self) -> list[str]:
        return [path for path, sha in self.digests.items() if not sha]

    def digest(self) -> str:
        """Everything a build reads: the code and options (in `salt`) and every file, by
        name and bytes."""
        if not self.whole:
            digest = hashlib.sha256(self.salt.encode())
            for folder, where, paths in self.folders:
                digest.update(b"\1" + folder.encode())
                start = len(where) + 1
                for path in paths:
                    sha = self.digests[path]
                    if not sha:
                        raise ValueError(f"{path} was listed but never digested")
                    digest.update(b"\0" + path[start:].encode() + b"\0" + sha.encode())
            _digest_skipped(digest, self.skipped)
            self.whole = digest.hexdigest()
        return self.whole

    def kept_stamps(self) -> dict[str, FileStamp]:
        """The stamps the next build can trust instead of reading the files again."""
        digests = self.digests
        return {path: (*stamp, digests[path]) for path, stamp in self.stamps.items() if digests[path]}

    def digest_rest(self) -> None:
        """Read and digest the files still without a digest. One that cannot be read now
        (deleted since it was listed) gets a digest no bytes have: the next build reads
        everything again."""
        for path in self.undigested:
            try:
                self.digests[path] = content_digest(Path(path).read_bytes())
            except OSError:
                self.digests[path] = "unreadable"


def list_inputs(salt: str, folders: list[Path], known: dict[str, FileStamp] | None = None,
                later: Path | None = None) -> InputFiles:
    """Every file of the content, templates and static folders, with its sha256, and the
    digest of them all and `salt`. A file whose size, times and inode are as in `known`
    (the last build's stamps) is not read again: editing, replacing or touching a file
    changes its ctime, which no tool can set back. Files under `later` are not read here
    but left without a digest (see InputFiles.undigested), for the readers, who read
    them anyway, to digest in every core: a first build of a large archive would
    otherwise read all of it here first, alone, before its readers start."""
    known = known or {}
    settled = time.time_ns() - SETTLE_NS
    listed = InputFiles(salt, [], {}, {})
    stamps, digests = listed.stamps, listed.digests
    left = f"{later.resolve()}/" if later is not None else None
    # Worked out as files are listed (the same as InputFiles.digest), unless one is left.
    digest: Any = hashlib.sha256(salt.encode())
    for folder in folders:
        paths: list[str] = []
        where = folder.resolve()
        listed.folders.append((str(folder), str(where), paths))
        if digest is not None:
            digest.update(b"\1" + str(folder).encode())
        if not folder.is_dir():
            continue
        links: list[str] = []
        skipped: dict[str, str] = {}
        for relative, info in files_under(folder, links, skipped):
            key = f"{where}/{relative}"
            paths.append(key)
            stamp = stamp_of(info)
            old = known.get(key)
            if old is not None and tuple(old[:4]) == stamp:
                sha = old[4]
            elif left is not None and key.startswith(left):
                sha = digest = None
            else:
                sha = content_digest((folder / relative).read_bytes())
            if max(info.st_mtime_ns, info.st_ctime_ns) < settled:
                stamps[key] = stamp
            digests[key] = sha or ""
            if digest is not None:
                digest.update(b"\0" + relative.encode() + b"\0" + sha.encode())
        listed.links = listed.links or bool(links)
        listed.skipped.update((f"{where}/{relative}", reason) for relative, reason in skipped.items())
    if digest is not None:
        _digest_skipped(digest, listed.skipped)
        listed.whole = digest.hexdigest()
    return listed


def _digest_skipped(digest: Any, skipped: dict[str, str]) -> None:
    for path, reason in sorted(skipped.items()):
        digest.update(b"\2" + path.encode() + b"\0" + reason.encode())


@dataclass
class Manifest:
    out_dir: str = ""
    search: bool = False
    entries: dict[str, Entry] = field(default_factory=dict)
    # For a build that finds nothing changed: the digest of all it read, the first day
    # a future-dated post would appear (after which the same inputs give another site),
    # and what the build report said.
    inputs: str = ""
    input_files: dict[str, FileStamp] = field(default_factory=dict)
    valid_until: str | None = None
    report: dict[str, Any] = field(default_factory=dict)
    # Which posts each page was made from (page_inputs.PageInputs, packed): saved with the
    # fingerprints it vouches for, never apart from them.
    pages: bytes = b""

    @classmethod
    def load(cls, path: Path | None, kept: tuple[tuple[int, ...] | None, Manifest] | None = None) -> "Manifest":
        """The manifest saved at `path`; or `kept`'s (stamp, manifest), if the file still has
        that stamp (see file_stamp; None: no file): this process's, not read back (and
        perhaps not saved yet: see rebuilds.Memory.settles)."""
        if kept is not None and path is not None and file_stamp(path) == kept[0]:
            return kept[1]
        if path is None or not path.is_file():
            return cls()
        try:
            data = pickle.loads(path.read_bytes())
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                return cls()
            paths, (fingerprints, digests), (sizes, times) = _unpacked(data["entries"], 2, 2)
            entries = dict(zip(paths, map(Entry._make, zip(fingerprints, digests, sizes, times, strict=True)),
                               strict=True))
            paths, (digests,), numbers = _unpacked(data["input_files"], 1, 4)
            input_files = dict(zip(paths, zip(*numbers, digests, strict=True), strict=True))
            return cls(out_dir=data["out_dir"], search=bool(data["search"]), entries=entries, inputs=data["inputs"],
                       input_files=input_files, valid_until=data["valid_until"], report=data["report"],
                       pages=data["pages"])
        except Exception:  # noqa: BLE001 - damaged, whatever broke it: everything is rebuilt
            return cls()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        entries = sorted(self.entries.items())
        stamps = sorted(self.input_files.items())
        temporary.write_bytes(pickle.dumps({
            "format": FORMAT, "out_dir": self.out_dir, "search": self.search, "inputs": self.inputs,
            "valid_until": self.valid_until, "report": self.report, "pages": self.pages,
            "entries": _packed([p for p, _ in entries], [[e.fingerprint for _, e in entries],
                                                        [e.sha256 for _, e in entries]],
                               [[e.size for _, e in entries], [e.mtime_ns for _, e in entries]]),
            "input_files": _packed([p for p, _ in stamps], [[s[4] for _, s in stamps]],
                                   [[s[k] for _, s in stamps] for k in range(4)]),
        }, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)

    def trusted(self, out_dir: Path, on_disk: dict[str, tuple[int, int, int]]) -> dict[str, Entry]:
        """The entries whose file in out_dir is still exactly as the last build left it."""
        if self.out_dir != str(out_dir.resolve()):
            return {}
        return {path: entry for path, entry in self.entries.items()
                if on_disk.get(path, (-1, -1))[:2] == (entry.size, entry.mtime_ns)}

    def unchanged_site(self, inputs: str, today: str, out_dir: Path) -> bool:
        """True when the inputs are the last build's and public/ is exactly as it left it."""
        if not self.inputs or inputs != self.inputs or (self.valid_until is not None and today >= self.valid_until):
            return False
        on_disk = scan(out_dir.resolve())
        return on_disk.keys() == self.entries.keys() and len(self.trusted(out_dir, on_disk)) == len(on_disk)
