"""Host names as a reader sees them: mixed alphabets and the ASCII form of non-ASCII hosts."""

from __future__ import annotations

import pytest

from annotator.text.web_addresses import ascii_url, is_mixed_script, mixed_script_label


@pytest.mark.parametrize(("label", "mixed"), [
    ("example", False), ("пример", False), ("παράδειγμα", False), ("例え", False),
    ("テスト例", False), ("日本語abc", False), ("한국어abc", False), ("co-op2", False),
    ("exаmple", True),   # Cyrillic а among Latin letters
    ("pаypal", True), ("gооgle", True), ("αpple", True), ("приmer", True),
    ("한국어テスト", True),  # Hangul with kana: no real writing mixes them
])
def test_a_label_mixing_alphabets_is_mixed_script(label, mixed):
    assert is_mixed_script(label) is mixed


def test_the_first_mixed_label_of_a_host_is_named():
    assert mixed_script_label("news.exаmple.com") == "exаmple"
    assert mixed_script_label("пример.рф") is None


@pytest.mark.parametrize(("url", "shown"), [
    ("https://example.org/a?b=c#d", "https://example.org/a?b=c#d"),
    ("https://пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/путь"),
    ("http://bücher.example:8080/x", "http://xn--bcher-kva.example:8080/x"),
])
def test_a_non_ascii_host_is_shown_in_its_ascii_form(url, shown):
    assert ascii_url(url) == shown
