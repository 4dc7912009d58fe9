"""axe-core, injected into every page type, finds no WCAG 2.2 A/AA violations."""
from __future__ import annotations

import pytest

from .conftest import PAGE_TYPES, dump

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_axe_violations(browser, site_url, axe_source, name):
    # The site's CSP rightly forbids injected scripts; the audit alone bypasses it.
    context = browser.new_context(bypass_csp=True)
    tab = context.new_page()
    tab.goto(site_url + PAGE_TYPES[name].lstrip("/"))
    tab.add_script_tag(content=axe_source)
    result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    context.close()
    violations = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                  for v in result["violations"]]
    assert violations == [], dump(violations)
    assert len(result["passes"]) > 10  # the audit really ran


def test_enquiry_errors_have_no_axe_violations(browser, site_url, axe_source):
    context = browser.new_context(bypass_csp=True)
    tab = context.new_page()
    tab.goto(site_url + "enquiry/")
    tab.get_by_role("button", name="Send enquiry").click()
    tab.add_script_tag(content=axe_source)
    result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    context.close()
    assert [v["id"] for v in result["violations"]] == []
