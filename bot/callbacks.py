"""The callback-data protocol of the inline buttons: ``"<verb>:<arg>[:<arg>]"``.

Pure (no Telegram import): ``render`` encodes buttons with ``encode``, the shell registers one
``CallbackQueryHandler`` per verb with ``pattern(verb)`` and reads the arguments back with
``decode``. Telegram allows 64 bytes of callback data; entry ids are short slugs, so a button
stays far below that. Data from an older knowledge base (or forged) decodes fine and is then
refused by ``render.button_reply``, which checks every argument against the current one.
"""

from __future__ import annotations

import re

ANSWER = "a"  # a:<entry id>: that entry's answer, as a new message
CONTEXT = "c"  # c:<entry id>:<quote index>: the paragraph around one of its quotes
TOPIC = "t"  # t:<topic number>: the questions of one topic
SPEAKER = "s"  # s:<speaker number>: what one speaker said
READ = "r"  # r:<paragraph>: turn the reader's page (edits the same message)
OPEN_READER = "o"  # o:<paragraph>: like READ, but opens the reader as a new message
FEEDBACK = "f"  # f:<entry id>:<1|0>: 👍 / 👎 under an answer in a private chat

VERBS = (ANSWER, CONTEXT, TOPIC, SPEAKER, READ, OPEN_READER, FEEDBACK)
SEPARATOR = ":"


def encode(verb: str, *args: object) -> str:
    """Callback data for a button: the verb and its arguments joined by ``SEPARATOR`` (``decode`` reads it)."""
    return SEPARATOR.join((verb, *map(str, args)))


def decode(data: str | None) -> tuple[str, list[str]]:
    """(verb, arguments); ``("", [])`` for missing data."""
    verb, _, rest = (data or "").partition(SEPARATOR)
    return verb, rest.split(SEPARATOR) if rest else []


def is_feedback(data: object) -> bool:
    """Whether a button's data is a 👍/👎 vote (for taking those buttons off once voted)."""
    return isinstance(data, str) and decode(data)[0] == FEEDBACK


def pattern(*verbs: str) -> re.Pattern[str]:
    """The ``CallbackQueryHandler`` pattern for data of these verbs (the whole verb, so "a" is not "ab")."""
    return re.compile(rf"^(?:{'|'.join(map(re.escape, verbs))})(?:{SEPARATOR}|$)")


def parse_number(text: str) -> int | None:
    """A small whole number typed or sent back in callback data; None for anything else
    (str.isdigit would let "²" through to int(), which raises)."""
    return int(text) if text.isdecimal() and len(text) <= 6 else None
