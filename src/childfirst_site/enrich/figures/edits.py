"""Editors' corrections to extracted figures, from front matter or a sidecar:

    figures:
      add:
        - {value: "1 in 5", number: 20, unit: ratio, label: "children who …", sentence: "…"}
      drop: ["2,000"]                 # by value as written
      series: {"37%": instagram-share} # value as written → series key
"""
from __future__ import annotations

from typing import Any

from ...model import AddedFigure, FigureEdits
from ...slugs import is_valid_slug
from ...yamltext import YamlDoc

UNITS = ("percent", "count", "currency_gbp", "currency_eur", "currency_usd", "ratio", "other")


def read_figure_edits(doc: YamlDoc, value: Any) -> FigureEdits:
    """Check the `figures:` mapping; raises ContentError naming the line of the mistake."""
    if not isinstance(value, dict):
        raise doc.error(("figures",), "figures must be a mapping with add:, drop: and/or series:")
    unknown = set(value) - {"add", "drop", "series"}
    if unknown:
        key = sorted(unknown)[0]
        raise doc.error(("figures", key), f"unknown key 'figures.{key}'", "use add:, drop: or series:")
    added = []
    for index, item in enumerate(value.get("add") or []):
        where = ("figures", "add", index)
        if not isinstance(item, dict):
            raise doc.error(where, "each figures.add entry must be a mapping (value:, number:, unit:, label:)")
        for required in ("value", "number", "unit", "label"):
            if item.get(required) in (None, ""):
                raise doc.error(where, f"figures.add[{index}] is missing '{required}'")
        if item["unit"] not in UNITS:
            raise doc.error((*where, "unit"), f"unit '{item['unit']}' is not one of {', '.join(UNITS)}")
        if not isinstance(item["number"], (int, float)) or isinstance(item["number"], bool):
            raise doc.error((*where, "number"), f"figures.add[{index}].number must be a number")
        series = item.get("series")
        if series is not None and not is_valid_slug(str(series)):
            raise doc.error((*where, "series"), f"series '{series}' is not a slug", "use lower-case words and hyphens")
        added.append(AddedFigure(value=str(item["value"]), number=item["number"], unit=item["unit"],
                                 label=str(item["label"]), sentence=str(item.get("sentence") or ""),
                                 qualifier=item.get("qualifier"), period=item.get("period"),
                                 series=str(series) if series else None))
    drop = value.get("drop") or []
    if not isinstance(drop, list):
        raise doc.error(("figures", "drop"), "figures.drop must be a list of values, e.g. [\"2,000\"]")
    series = value.get("series") or {}
    if not isinstance(series, dict):
        raise doc.error(("figures", "series"), "figures.series must map a value to a series key, "
                                               "e.g. {\"37%\": instagram-share}")
    for figure_value, key in series.items():
        if not is_valid_slug(str(key)):
            raise doc.error(("figures", "series", figure_value), f"series '{key}' is not a slug",
                            "use lower-case words and hyphens")
    return FigureEdits(add=tuple(added), drop=tuple(str(v) for v in drop),
                       series={str(k): str(v) for k, v in series.items()})

