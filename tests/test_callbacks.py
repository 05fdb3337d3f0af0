"""The callback-data protocol: what render encodes, the handlers' patterns take and decode reads back."""

from __future__ import annotations

import pytest

from bot import callbacks


@pytest.mark.parametrize(
    ("verb", "args"), [(callbacks.ANSWER, ("who-is-burns",)), (callbacks.CONTEXT, ("x", 2)), (callbacks.READ, (7,))]
)
def test_encode_and_decode_round_trip(verb: str, args: tuple[object, ...]) -> None:
    assert callbacks.decode(callbacks.encode(verb, *args)) == (verb, [str(a) for a in args])


@pytest.mark.parametrize(("data", "decoded"), [(None, ("", [])), ("", ("", [])), ("a", ("a", [])), ("a:", ("a", []))])
def test_missing_or_bare_data_decodes_to_no_arguments(data: str | None, decoded: tuple[str, list[str]]) -> None:
    assert callbacks.decode(data) == decoded


def test_a_pattern_takes_its_whole_verb_only() -> None:
    answer = callbacks.pattern(callbacks.ANSWER)
    assert answer.match("a:x") and answer.match("a")
    assert not answer.match("ab:x") and not answer.match("c:a:1") and not answer.match("")
    several = callbacks.pattern(callbacks.TOPIC, callbacks.SPEAKER)
    assert several.match("t:1") and several.match("s:0") and not several.match("r:1")


def test_every_verb_is_one_distinct_character() -> None:
    assert len(set(callbacks.VERBS)) == len(callbacks.VERBS)
    assert all(len(v) == 1 and v != callbacks.SEPARATOR for v in callbacks.VERBS)


@pytest.mark.parametrize(
    ("text", "number"), [("3", 3), ("0", 0), ("²", None), ("-1", None), ("1234567", None), ("", None)]
)
def test_parse_number_takes_small_whole_numbers_only(text: str, number: int | None) -> None:
    assert callbacks.parse_number(text) == number
