"""Search: index the built site with Pagefind, as the last step before it is published."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError
from .canonical import UnexpectedFormat, canonicalise

BUNDLE = "pagefind"
# Pagefind writes its own ready-made interfaces too; the site has its own small one
# (static/js/search.js), so these would only be dead weight on the host.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


@dataclass(frozen=True)
class SearchIndex:
    pages: int
    files: int
    bytes: int

    def format(self) -> str:
        return f"search index: {self.pages} pages, {self.files} files, {self.bytes / 1024:.0f} KB"


def _executable() -> str:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise ContentError("pagefind", "the Pagefind binary is not installed",
                           hint="run 'make site' (it installs pagefind[bin]), or build with --no-search") from None
    return str(get_executable())


def index_site(site: Path) -> SearchIndex:
    """Index `site` in place into site/pagefind/, reproducibly."""
    bundle = site / BUNDLE
    result = subprocess.run([_executable(), "--site", str(site), "--output-subdir", BUNDLE, "--quiet"],
                            capture_output=True, text=True, env={**os.environ, "PAGEFIND_SITE": ""})
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise ContentError("pagefind", "search indexing failed: " + (detail[-1] if detail else f"exit {result.returncode}"),
                           hint="build with --no-search to publish without search, and report this")
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    try:
        canonicalise(bundle)
    except (UnexpectedFormat, KeyError, OSError) as exc:
        shutil.rmtree(bundle, ignore_errors=True)
        raise ContentError("pagefind", f"search index in an unexpected format: {exc}",
                           hint="the pinned Pagefind version may have changed; build with --no-search") from None
    files = [p for p in bundle.rglob("*") if p.is_file()]
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = sum(info.get("page_count", 0) for info in entry["languages"].values())
    return SearchIndex(pages=pages, files=len(files), bytes=sum(p.stat().st_size for p in files))
