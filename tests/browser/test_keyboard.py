"""Keyboard only: the skip link is the first stop, and every link and control is reachable
with a visible focus ring."""
from __future__ import annotations

import pytest

FOCUSABLE = ("a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])")


@pytest.mark.parametrize("path", ["", "articles/instagram-increasingly-used-to-groom-children/", "enquiry/",
                                  "figures/"])
def test_tab_order_reaches_everything_with_a_visible_focus_ring(page, site_url, path):
    page.goto(site_url + path)
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.className")
    assert first == "skip-link"
    assert page.locator(".skip-link").is_visible()  # it appears when focused
    expected = page.evaluate(f"""() => Array.from(document.querySelectorAll("{FOCUSABLE}"))
        .filter(e => e.offsetParent !== null && !e.closest('[aria-hidden=true]') && !e.disabled)
        .filter(e => !(e.tagName === 'svg' || e.closest('svg')) || e.getAttribute('href'))
        .length""")
    seen = set()
    for _ in range(expected + 5):
        info = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            const r = e.getBoundingClientRect();
            return {key: (e.tagName + '|' + (e.getAttribute('href') || e.id || e.name || '') + '|' + Math.round(r.top) + '|' + Math.round(r.left)),
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                    shadow: s.boxShadow !== 'none', body: e === document.body}; }""")
        if info["body"]:
            break
        assert info["outline"] or info["shadow"], f"no visible focus on {info['key']}"
        seen.add(info["key"])
        page.keyboard.press("Tab")
    assert len(seen) >= expected, (len(seen), expected)


def test_skip_link_moves_focus_to_main(page, site_url):
    page.goto(site_url)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
