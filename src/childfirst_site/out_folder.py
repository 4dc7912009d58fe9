"""Whether a folder may be built into. A build replaces its output folder whole (the new
site is swapped in, the old one kept aside and then staged into): given the content
folder, the project's own folder or a folder of someone's files by mistake, it would
take them away. Told before anything is touched."""
from __future__ import annotations

from pathlib import Path

from .errors import ContentError

HINT = "build into a folder of its own, such as public"


# Files every site this tool builds has at its top: a folder with none of them, and no
# record of a build into it, is someone's folder of files.
SITE_FILES = ("index.html", "404.html", "sitemap.xml", "robots.txt")


def check_out_folder(out_dir: Path, inputs: dict[str, Path], built_before: bool = False) -> None:
    """Raise ContentError if `out_dir` is, holds or lies inside one of `inputs` (the
    content, templates and static folders, by name), holds the folder the build runs in,
    or is a folder of files that is not a site: none of SITE_FILES at its top, and no
    record of a build into it (`built_before`: the build cache has one)."""
    out = out_dir.resolve()
    shown = str(out_dir)
    for name, folder in inputs.items():
        where = folder.resolve()
        if out == where:
            raise ContentError(shown, f"this is the {name} folder: building here would replace it", hint=HINT)
        if out in where.parents:
            raise ContentError(shown, f"this holds the {name} folder {folder}: building here would replace it",
                               hint=HINT)
        if where in out.parents:
            raise ContentError(shown, f"this is inside the {name} folder {folder}: the site would be read as "
                                      f"{name} next time", hint=HINT)
    here = Path.cwd().resolve()
    if out == here or out in here.parents:
        raise ContentError(shown, "this holds the folder the build runs in: building here would replace it",
                           hint=HINT)
    if not built_before and out.is_dir() and not any((out / name).exists() for name in SITE_FILES) \
            and any(not entry.name.startswith(".") for entry in out.iterdir()):   # .DS_Store is no one's work
        raise ContentError(shown, "this folder holds files and is not a site (it has no index.html): "
                                  "building here would replace them all",
                           hint="move the files elsewhere, or build into another folder, such as public")
