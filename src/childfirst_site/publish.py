"""Publish stage: write the whole site to a sibling folder, then swap it into place, so a
failed or interrupted build never leaves a half-written public/."""
from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from .errors import ContentError


def _safe_relative(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ContentError(path, "output path escapes the output folder", hint="check the slug")
    return relative


def publish(files: dict[str, bytes], out_dir: Path) -> None:
    out_dir = out_dir.resolve()
    staging = out_dir.with_name(f".{out_dir.name}.new")
    retired = out_dir.with_name(f".{out_dir.name}.old")
    for leftover in (staging, retired):
        if leftover.exists():
            shutil.rmtree(leftover)  # from an earlier build that was killed
    staging.mkdir(parents=True)
    for path in sorted(files):
        target = staging / _safe_relative(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[path])
    if out_dir.exists():
        os.replace(out_dir, retired)
    os.replace(staging, out_dir)
    if retired.exists():
        shutil.rmtree(retired)
