"""site.yaml validation: a wrong or missing key is named, with its line."""
from __future__ import annotations

import pytest

from childfirst_site.config import ConfigErrors, parse_site_config
from conftest import FIXTURE_SITE

VALID = (FIXTURE_SITE / "site.yaml").read_text(encoding="utf-8")


def errors_for(text: str) -> list[str]:
    with pytest.raises(ConfigErrors) as info:
        parse_site_config(text, "content/site.yaml")
    return [e.format() for e in info.value.errors]


def test_fixture_config_loads_typed():
    config = parse_site_config(VALID, "content/site.yaml")
    assert config.title == "Test Children First"
    assert config.base_url == "https://fixture.example.test/" and config.base_path == "/"
    assert [t.slug for t in config.topics] == ["online-safety", "child-protection", "education"]
    assert config.enquiry.services == ("Social work assessment", "Psychological assessment", "Training")
    assert config.publisher.phone_uri == "tel:+441206000000"
    assert config.feeds.items == 20 and config.posts_per_page == 10
    assert config.warnings == ()


def test_missing_key_is_named():
    text = VALID.replace("title: Test Children First\n", "")
    assert errors_for(text) == ["content/site.yaml:1: missing required key 'title'"]


def test_missing_nested_key_is_named_with_its_parent_line():
    text = VALID.replace("  phone: 01206 000000\n", "")
    messages = errors_for(text)
    assert len(messages) == 1
    assert "missing required key 'publisher.phone'" in messages[0]
    assert messages[0].startswith("content/site.yaml:6:")


def test_wrong_type_is_named():
    text = VALID.replace("posts_per_page: 10", "posts_per_page: ten")
    assert errors_for(text) == ["content/site.yaml:5: key 'posts_per_page' must be an int, not str 'ten'"]


def test_unknown_key_is_an_error_in_site_config():
    messages = errors_for(VALID + "colour: blue\n")
    assert len(messages) == 1 and "unknown key 'colour'" in messages[0]


def test_bad_topic_slug_and_base_url_are_both_reported():
    text = VALID.replace("slug: education", "slug: Education Stuff").replace(
        "https://fixture.example.test/", "fixture.example.test")
    messages = errors_for(text)
    assert any("base_url" in m for m in messages) and any("topics[2].slug" in m for m in messages)


def test_a_navigation_link_with_no_words_or_no_address_is_an_error():
    text = VALID.replace("{title: Archive, url: /archive/}", "{title: '', url: /archive/}").replace(
        "{title: About, url: /about/}", "{title: About, url: ' '}")
    assert errors_for(text) == ["content/site.yaml:15: key 'navigation[2].title' is empty",
                                "content/site.yaml:16: key 'navigation[3].url' is empty"]


def test_an_empty_title_or_publisher_and_a_negative_related_count_are_errors():
    """An empty title crashed the build in the feed writer, which requires one."""
    text = VALID.replace("title: Test Children First", "title: ''").replace(
        "name: Fixture Publisher", "name: ' '").replace("{count: 4,", "{count: -1,")
    assert errors_for(text) == ["content/site.yaml:29: key 'related.count' must be 0 or more "
                                "(0 shows no related stories)",
                                "content/site.yaml:1: key 'title' is empty",
                                "content/site.yaml:7: key 'publisher.name' is empty"]


def test_no_endpoint_is_a_warning():
    config = parse_site_config(VALID.replace("endpoint: https://forms.fixture.example.test/enquiry", "endpoint:"),
                               "content/site.yaml")
    assert config.enquiry.endpoint is None
    assert "no enquiry.endpoint" in config.warnings[0].message


def test_related_settings_are_read_and_checked():
    text = VALID.replace("related: {count: 4, min_score: 0.22}\n", "") + \
        "related:\n  count: 6\n  min_score: 0.3\n  weights: {text: 0.5, topics: 0.2, excerpt: 1}\n  entities: [Cafcass]\n"
    related = parse_site_config(text, "content/site.yaml").related
    assert (related.count, related.min_score, related.text_weight, related.topic_weight) == (6, 0.3, 0.5, 0.2)
    assert related.excerpt_weight == 1.0 and related.entities == ("Cafcass",)
    assert related.entity_weight == 0.3  # the default where none is given
    messages = errors_for(VALID.replace("related: {count: 4, min_score: 0.22}\n", "related:\n  weights: {text: -1, colour: 2}\n"))
    assert any("related.weights.text' must be 0 or more" in m for m in messages)
    assert any("unknown key 'related.weights.colour'" in m for m in messages)


def test_entity_names_that_would_never_be_found_are_told():
    """Names are looked for from a capital A-Z: any other was dropped without a word."""
    base = VALID.replace("related: {count: 4, min_score: 0.22}\n", "")
    config = parse_site_config(base + "related:\n  entities: [Cafcass, eBay]\n", "content/site.yaml")
    assert config.related.entities == ("Cafcass", "eBay")
    assert [w.format() for w in config.warnings] == [
        f"content/site.yaml:{base.count(chr(10)) + 2}: related.entities: 'eBay' is not looked for: names are found "
        "only where they start with a capital A-Z"]
    messages = errors_for(base + "related:\n  entities:\n    - Cafcass\n    - 42\n    - ''\n")
    assert [m.partition(": ")[2] for m in messages] == ["each of related.entities must be a name, not 42",
                                                         "each of related.entities must be a name, not ''"]


def test_a_key_written_twice_is_an_error_naming_both_lines():
    with pytest.raises(Exception) as info:
        parse_site_config(VALID + "title: Again\n", "content/site.yaml")
    assert "key 'title' appears twice (lines 1 and" in str(info.value)
