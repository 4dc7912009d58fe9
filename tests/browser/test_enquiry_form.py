"""The enquiry form, with and without JavaScript: accessible errors, a real submission
to the configured endpoint, and a honeypot no person or screen reader meets."""
from __future__ import annotations

REQUIRED = ["name", "email", "organisation", "role", "service", "message", "consent"]


def test_empty_submission_with_javascript_shows_tied_errors(page, site_url):
    page.goto(site_url + "enquiry/")
    page.get_by_role("button", name="Send enquiry").click()
    summary = page.locator("#enquiry-errors")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "enquiry-errors"
    assert summary.get_attribute("role") == "alert"
    assert summary.locator("li").count() == len(REQUIRED)
    for name in REQUIRED:
        field = page.locator(f"[name={name}]")
        assert field.get_attribute("aria-invalid") == "true", name
        error_id = f"enquiry-{name}-error"
        assert error_id in field.get_attribute("aria-describedby").split()
        error = page.locator(f"#{error_id}")
        assert error.is_visible() and error.inner_text().strip(), name
    assert page.locator("[name=phone]").get_attribute("aria-invalid") is None
    # The summary's links lead to their fields.
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.name") == "name"
    assert page.url.startswith(site_url + "enquiry/")


def test_empty_submission_without_javascript_is_stopped_by_the_browser(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "enquiry/")
    tab.get_by_role("button", name="Send enquiry").click()
    assert tab.url == site_url + "enquiry/"
    # The browser's own validation: the first missing field has focus and a message for assistive tech.
    assert tab.evaluate("document.activeElement.name") == "name"
    for name in REQUIRED:
        assert tab.evaluate(f"document.querySelector('[name={name}]').validity.valueMissing"), name
        assert tab.evaluate(f"document.querySelector('[name={name}]').validationMessage")
    context.close()


def fill_valid(page) -> None:
    page.fill("[name=name]", "Alex Practitioner")
    page.fill("[name=email]", "alex@example.org")
    page.fill("[name=phone]", "01206 000000")
    page.fill("[name=organisation]", "Essex County Council")
    page.fill("[name=role]", "Social worker")
    page.select_option("[name=service]", label="Training")
    page.fill("[name=message]", "We would like training for our team.")
    page.check("[name=consent]")


def test_valid_submission_posts_every_field_to_the_endpoint(page, site_url, enquiry_endpoint):
    endpoint, received = enquiry_endpoint
    before = len(received)
    page.goto(site_url + "enquiry/")
    fill_valid(page)
    page.get_by_role("button", name="Send enquiry").click()
    page.wait_for_url(endpoint)
    assert page.locator("h1").inner_text() == "Thank you"
    record = received[before]
    assert record["name"] == ["Alex Practitioner"] and record["email"] == ["alex@example.org"]
    assert record["organisation"] == ["Essex County Council"] and record["role"] == ["Social worker"]
    assert record["service"] == ["Training"] and record["consent"] == ["yes"]
    assert record["message"] == ["We would like training for our team."]
    assert record["website"] == [""]  # the honeypot, empty as a person leaves it


def test_honeypot_is_hidden_from_people_and_assistive_technology(page, site_url):
    page.goto(site_url + "enquiry/")
    honeypot = page.locator("[name=website]")
    assert not honeypot.is_visible()
    assert honeypot.get_attribute("tabindex") == "-1"
    wrapper_hidden = honeypot.evaluate("e => e.closest('[aria-hidden=true]') !== null")
    assert wrapper_hidden
    snapshot = page.locator("main form").aria_snapshot()
    assert "Leave this field empty" not in snapshot and "website" not in snapshot.lower()
