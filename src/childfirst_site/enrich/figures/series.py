"""Gather figures that share a series key into charts, oldest first."""
from __future__ import annotations

from collections import defaultdict

from ...errors import Warning_
from ...model import Post, PostFigure, Series


def collect_series(posts: list[Post]) -> tuple[list[Series], list[Warning_]]:
    points: dict[str, list[PostFigure]] = defaultdict(list)
    for post in posts:
        for place, figure in enumerate(post.stats):
            if figure.series:
                points[figure.series].append(PostFigure(post, figure, place))
    series: list[Series] = []
    warnings: list[Warning_] = []
    for key in sorted(points):
        ordered = sorted(points[key], key=lambda p: (p.post.date, p.post.slug))
        unit = ordered[0].figure.unit
        for point in ordered:
            if point.figure.unit != unit:
                warnings.append(Warning_(point.post.source, f"figure {point.figure.value!r} is {point.figure.unit}, "
                                                            f"but series '{key}' is {unit}: left out of its chart"))
        kept = tuple(p for p in ordered if p.figure.unit == unit)
        series.append(Series(key=key, unit=unit, points=kept))
    return series, warnings
