"""Numbers for people: 12,925; £280m; 37%."""
from __future__ import annotations


def format_number(number: float, unit: str) -> str:
    if unit in ("percent", "ratio"):
        return f"{number:.0f}%" if number >= 10 else f"{number:.1f}%".replace(".0%", "%")
    prefix = {"currency_gbp": "£", "currency_eur": "€", "currency_usd": "$"}.get(unit, "")
    if number >= 1_000_000_000:
        return f"{prefix}{number / 1_000_000_000:.1f}bn".replace(".0bn", "bn")
    if number >= 1_000_000:
        return f"{prefix}{number / 1_000_000:.1f}m".replace(".0m", "m")
    return f"{prefix}{number:,.0f}"
