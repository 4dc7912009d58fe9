"""A date for a raw page whose sidecar gives none, taken from the page's own text
(never the build time). The evidence is returned so the build report can say it."""
from __future__ import annotations

import datetime as dt
import re

from .raw_page import RawArticle

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_FULL_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)? (%s) (\d{4})\b" % "|".join(m.title() for m in _MONTHS))
_MONTH_YEAR = re.compile(r"\b(%s) (\d{4})\b" % "|".join(m.title() for m in _MONTHS))
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def infer_page_date(article: RawArticle) -> tuple[dt.date, str] | None:
    """The best date the page itself supports, latest evidence first, with a reason."""
    if article.dateline:
        return article.dateline, "the date line under the headline"
    body = " ".join(line for block in article.blocks for line in block.lines)
    full = [_safe_date(int(y), _MONTHS[m.lower()], int(d)) for d, m, y in _FULL_DATE.findall(body)]
    full = [d for d in full if d]
    if full:
        return max(full), "the latest full date named in the article"
    month_years = [dt.date(int(y), _MONTHS[m.lower()], 1) for m, y in _MONTH_YEAR.findall(body)]
    if month_years:
        return max(month_years), "the latest month named in the article"
    listed = [story.date for story in article.related if story.date]
    if listed:
        return max(listed), "the newest story in its Knowledge & Resources block"
    years = [int(y) for y in _YEAR.findall(body)]
    if years:
        return dt.date(max(years), 1, 1), "the latest year named in the article"
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
