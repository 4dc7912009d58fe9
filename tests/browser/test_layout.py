"""Phones, tablets and desktops: nothing scrolls sideways, text is at least 16 px, tap
targets are at least 24 px; a screenshot of every page type at 375 and 1280 px is kept
in .cache/test-artifacts/."""
from __future__ import annotations

import pytest

from .conftest import PAGE_TYPES, artifact

WIDTHS = (375, 768, 1280)

MEASURE = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) problems.push(`scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('svg') || el.closest('[hidden]') || !el.offsetParent && el.tagName !== 'BODY') continue;
    if (el.closest('.visually-hidden')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 16) problems.push(`text ${size}px: ${node.textContent.trim().slice(0, 40)}`);
  }
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea')) {
    if (!el.offsetParent || el.closest('[aria-hidden=true]') || el.closest('svg')) continue;
    // Links inside a line of text are exempt (WCAG 2.5.8, inline targets).
    const parent = el.parentElement;
    const inline = getComputedStyle(el).display === 'inline' && parent &&
      parent.textContent.trim().length > el.textContent.trim().length + 1;
    if (inline) continue;
    const r = el.getBoundingClientRect();
    if (el.type === 'checkbox' || el.type === 'radio') { if (r.width < 24 || r.height < 24) problems.push(`small control ${el.name}`); continue; }
    if (r.height < 24 || r.width < 24) problems.push(`target ${Math.round(r.width)}x${Math.round(r.height)}: ${el.tagName} ${(el.textContent || el.name || '').trim().slice(0, 30)}`);
  }
  return problems;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_type_fits_and_is_readable(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    failures = {}
    for name, path in PAGE_TYPES.items():
        tab.goto(site_url + path.lstrip("/"))
        problems = tab.evaluate(MEASURE)
        if problems:
            failures[name] = problems[:6]
        if width in (375, 1280):
            tab.screenshot(path=str(artifact(f"{name}-{width}.png")), full_page=True)
    context.close()
    assert failures == {}
