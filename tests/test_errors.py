"""Unsafe characters never pass: removed from table text, escaped in messages and JSON."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from career_ladder.errors import json_escaped, printable, terminal_safe, unsafe_character

# The characters as the docs name them, written independently of errors.py's tables.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# Lone surrogates: a name that is not UTF-8, as Python decodes it (U+DC80 to U+DCFF hold its bytes).
SURROGATE = re.compile(r"[\udc80-\udcff]")
SOME_UNSAFE = st.sampled_from(
    ["\x00", "\x1b", "\r", "\x7f", "\x9b", "\u061c", "\u202e", "\u2067", "\u2028", "\udcff", "\udc80"]
)
TEXT = st.lists(st.one_of(st.characters(), SOME_UNSAFE)).map("".join)


def as_written(char: str) -> str:
    """A surrogate as the byte it stands for (`\\xff`), else as Python escapes it."""
    if SURROGATE.match(char):
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


@given(TEXT)
def test_terminal_safe_text_escapes_exactly_the_unsafe_characters(text: str) -> None:
    expected = "".join(as_written(char) if UNSAFE.match(char) or SURROGATE.match(char) else char for char in text)
    assert terminal_safe(text) == expected


@given(TEXT)
def test_the_first_unsafe_character_is_found(text: str) -> None:
    first = next((char for char in text if UNSAFE.match(char) or SURROGATE.match(char)), None)
    assert unsafe_character(text) == first


@given(TEXT)
def test_printable_text_is_one_line_without_unsafe_characters(text: str) -> None:
    shown = printable(text)
    assert not UNSAFE.search(shown) and not SURROGATE.search(shown) and "\n" not in shown and "\t" not in shown
    safe = SURROGATE.sub("", UNSAFE.sub("", text)).replace("\n", "").replace("\t", "")
    assert printable(safe) == safe  # the rest is shown as written


@given(TEXT)
def test_json_escaped_text_reads_back_the_same(text: str) -> None:
    written = json_escaped(json.dumps(text, ensure_ascii=False))
    assert not UNSAFE.search(written) and not SURROGATE.search(written)
    assert json.loads(written) == text


@given(TEXT)
def test_printable_escapes_as_python_does(text: str) -> None:
    expected = "".join(
        as_written(char) if UNSAFE.match(char) or SURROGATE.match(char) or char in "\t\n" else char for char in text
    )
    assert printable(text) == expected


def test_a_byte_that_is_not_utf8_is_shown_as_that_byte_and_never_written_raw() -> None:
    name = b"/data/caf\xe9/\xffx.yaml".decode("utf-8", "surrogateescape")  # as Python reads such a name
    assert printable(name) == terminal_safe(name) == "/data/caf\\xe9/\\xffx.yaml"
    assert json.loads(f'"{json_escaped(name)}"') == name  # JSON keeps the value, as escapes
    for shown in (printable(name), terminal_safe(name), json_escaped(name)):
        shown.encode("utf-8")  # a lone surrogate would raise here, as it does writing to stdout
    assert unsafe_character(name) == "\udce9"
