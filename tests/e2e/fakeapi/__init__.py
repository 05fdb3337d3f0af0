"""A strict fake of the Telegram Bot API HTTP server, for end-to-end tests (see ``server``).

``server`` (the HTTP side and what tests drive), ``methods`` (the Bot API methods the bot calls),
``html`` (the HTML parse mode), ``rules`` (limits, error wording, request parameters), ``faults``
(scripted errors, drops, truncations, delays), ``state`` (calls and updates as recorded).
Only the standard library is used.
"""

from .html import EntityParseError, auto_entities, parse_html, utf16_len
from .rules import (
    MAX_CALLBACK_DATA_BYTES,
    MAX_MESSAGE_LENGTH,
    ApiError,
    JSONDict,
)
from .server import FakeTelegramServer
from .state import Call, UpdateRecord

__all__ = [
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_MESSAGE_LENGTH",
    "ApiError",
    "Call",
    "EntityParseError",
    "FakeTelegramServer",
    "JSONDict",
    "UpdateRecord",
    "auto_entities",
    "parse_html",
    "utf16_len",
]
