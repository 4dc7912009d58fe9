"""Build-time SVG charts for figure series: no chart library and no script in the page.

The chart sits in a labelled group (an SVG with role="img" would hide its point links
from assistive technology); the data table beside it says the same in text.

A line chart for three or more points, a bar chart for fewer. Every point is one mark
(<circle class="point"> or <rect class="bar">) carrying its value, linked to its article."""
from __future__ import annotations

from html import escape

from markupsafe import Markup

from ..model import Series
from .numbers_format import format_number

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 28, 56


def _y_top(series: Series) -> float:
    top = max(float(p.figure.number) for p in series.points) * 1.15
    return top or 1.0


def chart_svg(series: Series, url_for) -> Markup:
    """The chart for one series; `url_for` turns a site path into a link."""
    points = series.points
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _y_top(series)
    n = len(points)
    step = plot_w / n
    xs = [LEFT + step * (i + 0.5) for i in range(n)]
    ys = [TOP + plot_h - float(p.figure.number) / top * plot_h for p in points]
    title_id, desc_id = f"chart-{series.key}-title", f"chart-{series.key}-desc"
    described = "; ".join(f"{p.post.date:%B %Y}: {p.figure.display}" for p in points)
    parts = [
        f'<div class="series__chart" role="group" aria-labelledby="{title_id}" aria-describedby="{desc_id}">',
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(series.title)}</title>',
        f'<desc id="{desc_id}">{escape(_unit_name(series.unit))} by date of article: {escape(described)}.</desc>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}"/>',
        f'<text class="axis-label" x="{LEFT - 8}" y="{TOP + plot_h}" text-anchor="end">0</text>',
        f'<text class="axis-label" x="{LEFT - 8}" y="{TOP + 10}" text-anchor="end">'
        f'{escape(format_number(top / 1.15, series.unit))}</text>',
        f'<text class="axis-title" x="{LEFT}" y="{TOP - 12}">{escape(_unit_name(series.unit))}</text>',
        f'<text class="axis-title" x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end">Date of article</text>',
    ]
    if n >= 3:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(zip(xs, ys)))
        parts.append(f'<path class="line" d="{path}" fill="none"/>')
    bar_w = min(64.0, step * 0.6)
    for point, x, y in zip(points, xs, ys):
        href = escape(url_for(point.url))
        label = f"{point.figure.display}, {point.post.title}"
        parts.append(f'<a href="{href}" aria-label="{escape(label)}">')
        if n >= 3:
            parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="6" data-value="{point.figure.number}"/>')
        else:
            parts.append(f'<rect class="bar" x="{x - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                         f'height="{TOP + plot_h - y:.1f}" data-value="{point.figure.number}"/>')
        parts.append(f'<text class="value" x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle">'
                     f'{escape(point.figure.display)}</text></a>')
        parts.append(f'<text class="axis-label" x="{x:.1f}" y="{TOP + plot_h + 20}" text-anchor="middle">'
                     f'{point.post.date:%b %Y}</text>')
    parts.append("</svg></div>")
    return Markup("".join(parts))


def _unit_name(unit: str) -> str:
    return {"percent": "Per cent", "count": "Number", "currency_gbp": "Pounds (£)", "currency_eur": "Euros (€)",
            "currency_usd": "Dollars ($)", "ratio": "Share (%)"}.get(unit, "Value")
