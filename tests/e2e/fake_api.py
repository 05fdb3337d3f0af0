"""A strict fake of the Telegram Bot API HTTP server, for end-to-end tests.

The bot under test talks HTTP to this server exactly as it would to
``https://api.telegram.org``: ``POST {url}/bot{token}/{method}`` with form-encoded,
multipart or JSON bodies.  The server validates requests the way Telegram does
(HTML/Markdown entity parsing, the 4096 UTF-16 code unit limit, 64-byte callback
data, reply targets, answer-once callback queries, ...) and answers with Telegram's
error wording, so bugs that only show up against the real API show up here too.

Tests drive it from the other side through thread-safe Python methods: they push
updates (``push_message``, ``push_callback_query``, ...), script faults
(``fail_next``), script who is a group admin (``set_member_status``, answered by
``getChatMember``), inspect what the bot did (``sent_messages``, ``calls``) and block
until something happens (``wait_for``, ``wait_for_reply``) without fixed sleeps.

All timestamps are ``time.monotonic()`` values.  Only the standard library is used.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import re
import select
import socket
import struct
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NoReturn
from urllib.parse import parse_qsl, urlsplit

JSONDict = dict[str, Any]

MAX_MESSAGE_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_INLINE_RESULTS = 50
MAX_INLINE_RESULT_ID_BYTES = 64
MAX_COMMANDS = 100
MAX_DESCRIPTION_LENGTH = 512
MAX_SHORT_DESCRIPTION_LENGTH = 120

QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
GET_UPDATES_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)

ALL_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
#: What Telegram delivers when ``allowed_updates`` was never set (or set to ``[]``).
DEFAULT_UPDATE_TYPES = ALL_UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "web_app",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
INLINE_RESULT_TYPES = frozenset(
    {
        "article",
        "photo",
        "gif",
        "mpeg4_gif",
        "video",
        "audio",
        "voice",
        "document",
        "location",
        "venue",
        "contact",
        "game",
        "sticker",
    }
)
MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "left", "kicked"})
COMMAND_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)

# Fields whose form-encoded value is a JSON document, an integer or a boolean.
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "link_preview_options",
        "commands",
        "results",
        "scope",
        "allowed_updates",
        "entities",
        "caption_entities",
        "button",
        "media",
    }
)
_INT_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "message_thread_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "reply_to_message_id",
        "from_chat_id",
        "user_id",
        "max_connections",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "is_personal",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "allow_paid_broadcast",
    }
)

_PATH_RE = re.compile(r"/bot([^/]*)/([^/]+)/?")
_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_AUTO_ENTITY_RES = (
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?!\w)")),
    ("mention", re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{4,32}(?!\w)")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")),
    ("url", re.compile(r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]'\"]")),
)


# --------------------------------------------------------------------------- text


class EntityParseError(ValueError):
    """Markup could not be parsed; the message is Telegram's text after "can't parse entities: "."""


def _clone(value: Any) -> Any:
    """Deep copy of JSON data (dicts, lists, scalars): several times faster than copy.deepcopy,
    which the fake would otherwise spend more CPU on than the bot spends answering."""
    if isinstance(value, dict):
        return {key: _clone(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clone(item) for item in value]
    return value


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, index: int) -> int:
    """UTF-8 byte offset of character ``index`` (Telegram reports byte offsets)."""
    return len(text[:index].encode("utf-8", "surrogatepass"))


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int  # UTF-16 offset in the parsed text
    out_index: int  # index into the output character list
    byte_offset: int


_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_HTML_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_HTML_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_SPACE = " \t\r\n\f\v"


def _pre_language(text: str, i: int) -> tuple[str, int]:
    """After an opening ``` : the optional language name, then skip one line break."""
    n = len(text)
    language, end = "", i
    while end < n and text[end] not in _HTML_SPACE + "`":
        end += 1
    if end != i and end < n and text[end] != "`":
        language, i = text[i:end], end
    if text[i : i + 2] in ("\r\n", "\n\r"):
        i += 2
    elif text[i : i + 1] in ("\n", "\r"):
        i += 1
    return language, i


def _decode_html_entity(text: str, start: int) -> tuple[str, int] | None:
    """Decode the entity at ``text[start] == '&'``; return (character, end) or None."""
    n = len(text)
    j = start + 1
    if j < n and text[j] == "#":
        j += 1
        hexadecimal = j < n and text[j] in "xX"
        if hexadecimal:
            j += 1
        digits_start = j
        allowed = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        while j < n and text[j] in allowed:
            j += 1
        digits = text[digits_start:j]
        if not digits or j - start >= 10:
            return None
        code = int(digits, 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while j < n and text[j].isascii() and text[j].isalpha():
            j += 1
        named = _HTML_NAMED_ENTITIES.get(text[start + 1 : j])
        if named is None:
            return None
        char = named
    if j >= n or text[j] != ";":
        return None
    return char, j + 1


def _bare_ampersand(text: str, i: int) -> NoReturn:
    """Reject an ``&`` that does not start a supported entity (stricter than tdlib)."""
    raise EntityParseError(
        f"Character '&' at byte offset {_byte_offset(text, i)} is not a part of a "
        'supported HTML entity and must be escaped as "&amp;"'
    )


def _html_attribute_value(text: str, i: int, tag: str, begin: int) -> tuple[str, int]:
    """Read a quoted or bare attribute value starting at ``i``; return (value, end)."""
    n = len(text)
    if text[i] not in "'\"":
        token_start = i
        while i < n and ((text[i].isascii() and text[i].isalnum()) or text[i] in ".-"):
            i += 1
        if i < n and text[i] not in _HTML_SPACE and text[i] != ">":
            raise EntityParseError(f"Unexpected end of name token at byte offset {_byte_offset(text, token_start)}")
        return text[token_start:i].lower(), i
    quote = text[i]
    i += 1
    value: list[str] = []
    while i < n and text[i] != quote:
        if text[i] == "&":
            decoded = _decode_html_entity(text, i) or _bare_ampersand(text, i)
            value.append(decoded[0])
            i = decoded[1]
            continue
        value.append(text[i])
        i += 1
    if i >= n:
        raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
    return "".join(value), i + 1


def _html_start_tag(text: str, i: int, begin: int) -> tuple[str, str, int]:
    """Parse a start tag whose name begins at ``i``; return (name, argument, end)."""
    n = len(text)
    j = i
    while j < n and text[j] not in _HTML_SPACE and text[j] != ">":
        j += 1
    if j >= n:
        raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
    name = text[i:j].lower()
    if name not in _HTML_TAGS:
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {begin}')
    i = j
    argument = ""
    while True:
        while i < n and text[i] in _HTML_SPACE:
            i += 1
        if i >= n:
            raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {begin}')
        if text[i] == ">":
            return name, argument, i + 1
        attr_start = i
        while i < n and text[i] not in _HTML_SPACE and text[i] not in "=>":
            i += 1
        attribute = text[attr_start:i].lower()
        if not attribute:
            raise EntityParseError(f'Empty attribute name in the tag "{name}" at byte offset {begin}')
        while i < n and text[i] in _HTML_SPACE:
            i += 1
        if i >= n or text[i] != "=":
            if name == "blockquote" and attribute == "expandable":
                argument = "expandable"
                continue
            raise EntityParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{name}" at byte offset {begin}'
            )
        i += 1
        while i < n and text[i] in _HTML_SPACE:
            i += 1
        if i >= n:
            raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {begin}')
        value, i = _html_attribute_value(text, i, name, begin)
        if name == "a" and attribute == "href":
            argument = value
        elif name == "code" and attribute == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif name == "span" and attribute == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif name == "tg-emoji" and attribute == "emoji-id":
            argument = value


def _html_entity(tag: _OpenTag, offset: int, length: int, out: list[str]) -> JSONDict | None:
    """The MessageEntity a closed tag produces (None for an empty link)."""
    entity: JSONDict = {"offset": offset, "length": length}
    if tag.name in _HTML_SIMPLE:
        entity["type"] = _HTML_SIMPLE[tag.name]
    elif tag.name == "a":
        url = tag.argument or "".join(out[tag.out_index :])
        if not url:
            return None
        entity.update(type="text_link", url=url)
    elif tag.name == "code":
        entity["type"] = "code"
        if tag.argument:
            entity["language"] = tag.argument
    elif tag.name == "pre":
        entity["type"] = "pre"
        if tag.argument:
            entity["language"] = tag.argument
    elif tag.name == "blockquote":
        entity["type"] = "expandable_blockquote" if tag.argument else "blockquote"
    else:  # tg-emoji
        entity.update(type="custom_emoji", custom_emoji_id=tag.argument)
    return entity


_HTML_MARKUP = re.compile("[&<]")


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram-flavoured HTML into (plain text, entities).

    Follows tdlib's parser (same error wording), but is stricter where the Bot API
    documentation is: every ``&`` must start a supported entity (``&lt; &gt; &amp;
    &quot; &#NNN; &#xHH;``, terminated by ``;``) and blockquotes must not nest.
    Entities inside ``code``/``pre`` are dropped silently, like Telegram does.
    """
    out: list[str] = []
    entities: list[JSONDict] = []
    stack: list[_OpenTag] = []
    offset = 0
    n = len(text)
    i = 0
    while i < n:
        char = text[i]
        if char == "&":
            decoded = _decode_html_entity(text, i) or _bare_ampersand(text, i)
            out.append(decoded[0])
            offset += utf16_len(decoded[0])
            i = decoded[1]
            continue
        if char != "<":
            end = _HTML_MARKUP.search(text, i)  # copy the plain run up to the next & or < at once
            run = text[i : end.start() if end else n]
            out.append(run)
            offset += utf16_len(run)
            i += len(run)
            continue
        begin = _byte_offset(text, i)
        i += 1
        if i < n and text[i] == "/":
            i = _html_end_tag(text, i + 1, begin, stack, entities, offset, out)
            continue
        name, argument, i = _html_start_tag(text, i, begin)
        if name == "span" and argument != "spoiler":
            raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        if name == "tg-emoji" and not argument.isdigit():
            raise EntityParseError(f'Tag "tg-emoji" must have a valid "emoji-id" attribute at byte offset {begin}')
        if name == "blockquote" and any(tag.name == "blockquote" for tag in stack):
            raise EntityParseError(f"Blockquote entities can't be nested (tag at byte offset {begin})")
        stack.append(_OpenTag(name, argument, offset, len(out), begin))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return "".join(out), _drop_entities_inside_code(entities)


def _html_end_tag(
    text: str,
    i: int,
    begin: int,
    stack: list[_OpenTag],
    entities: list[JSONDict],
    offset: int,
    out: list[str],
) -> int:
    """Handle ``</name>`` whose name starts at ``i``; return the index after ``>``."""
    n = len(text)
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
    j = i
    while j < n and text[j] not in _HTML_SPACE and text[j] != ">":
        j += 1
    end_name = text[i:j].lower()
    while j < n and text[j] in _HTML_SPACE:
        j += 1
    if j >= n or text[j] != ">":
        raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
    tag = stack.pop()
    if end_name and end_name != tag.name:
        raise EntityParseError(
            f'Unmatched end tag at byte offset {begin}, expected "</{tag.name}>", found "</{end_name}>"'
        )
    if offset > tag.offset:
        entity = _html_entity(tag, tag.offset, offset - tag.offset, out)
        if tag.name == "pre" and entities:
            inner = entities[-1]
            same_span = (inner["offset"], inner["length"]) == (tag.offset, offset - tag.offset)
            if inner["type"] == "code" and same_span:
                # <pre><code class="language-x">…</code></pre> is one pre entity.
                entities.pop()
                if "language" in inner and entity is not None:
                    entity["language"] = inner["language"]
        if entity is not None:
            entities.append(entity)
    return j + 1


def _drop_entities_inside_code(entities: list[JSONDict]) -> list[JSONDict]:
    """Sort entities and drop those nested in code/pre (Telegram ignores them)."""
    entities = sorted(entities, key=lambda e: (e["offset"], -e["length"]))
    code_spans = [(e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] in ("code", "pre")]

    def inside_code(entity: JSONDict) -> bool:
        start, end = entity["offset"], entity["offset"] + entity["length"]
        return entity["type"] not in ("code", "pre") and any(s <= start and end <= e for s, e in code_spans)

    return [e for e in entities if not inside_code(e)]


_MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MDV2_TYPE_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


def _mdv2_closes(kind: str, text: str, i: int) -> bool:
    """Whether ``text[i:]`` closes the innermost open MarkdownV2 entity ``kind``."""
    nxt = text[i + 1 : i + 2]
    return {
        "bold": text[i] == "*",
        "italic": text[i] == "_" and nxt != "_",
        "underline": text[i : i + 2] == "__",
        "strikethrough": text[i] == "~",
        "spoiler": text[i : i + 2] == "||",
        "code": text[i] == "`",
        "pre": text[i : i + 3] == "```",
        "text_link": text[i] == "]",
        "custom_emoji": text[i] == "]",
    }[kind]


def parse_markdown_v2(text: str) -> tuple[str, list[JSONDict]]:
    """Parse MarkdownV2 into (plain text, entities), mirroring tdlib's rules and errors."""
    out: list[str] = []
    entities: list[JSONDict] = []
    stack: list[_OpenTag] = []
    quote: tuple[int, bool] | None = None  # (offset, expandable) of an open blockquote
    offset = 0
    n = len(text)
    i = 0

    def close_quote(end: int) -> None:
        nonlocal quote
        if quote is not None and end > quote[0]:
            kind = "expandable_blockquote" if quote[1] else "blockquote"
            entities.append({"type": kind, "offset": quote[0], "length": end - quote[0]})
        quote = None

    while i < n:
        in_code = bool(stack) and stack[-1].name in ("code", "pre")
        if not in_code and (i == 0 or text[i - 1] == "\n"):
            if text.startswith("**>", i) or text[i] == ">":
                expandable = text.startswith("**>", i)
                i += 3 if expandable else 1
                if quote is None:
                    quote = (offset, expandable)
                continue
            if quote is not None:
                close_quote(offset - 1 if out and out[-1] == "\n" else offset)
        char = text[i]
        if char == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            out.append(text[i + 1])
            offset += 1
            i += 2
            continue
        if (
            quote is not None
            and text[i : i + 2] == "||"
            and text[i + 2 : i + 3] in ("", "\n")
            and not (stack and stack[-1].name == "spoiler")
        ):
            close_quote(offset)
            i += 2
            continue
        reserved = "`" if in_code else _MDV2_RESERVED
        if char not in reserved:
            out.append(char)
            offset += utf16_len(char)
            i += 1
            continue
        if stack and _mdv2_closes(stack[-1].name, text, i):
            i = _mdv2_close(text, i, stack.pop(), offset, out, entities)
            continue
        i = _mdv2_open(text, i, stack, offset, len(out))
    if stack:
        tag = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_MDV2_TYPE_NAMES[tag.name]} entity at byte offset {tag.byte_offset}"
        )
    close_quote(offset)
    return "".join(out), _drop_entities_inside_code(entities)


def _mdv2_open(text: str, i: int, stack: list[_OpenTag], offset: int, out_index: int) -> int:
    """Open the MarkdownV2 entity starting at ``text[i]``; return the next index."""
    begin = _byte_offset(text, i)
    char = text[i]
    argument = ""
    if char == "_" and text[i + 1 : i + 2] == "_":
        kind, i = "underline", i + 2
    elif char in "_*~":
        kind, i = {"_": "italic", "*": "bold", "~": "strikethrough"}[char], i + 1
    elif char == "|" and text[i + 1 : i + 2] == "|":
        kind, i = "spoiler", i + 2
    elif char == "[":
        kind, i = "text_link", i + 1
    elif char == "!" and text[i + 1 : i + 2] == "[":
        kind, i = "custom_emoji", i + 2
    elif text.startswith("```", i):
        kind = "pre"
        language, i = _pre_language(text, i + 3)
        argument = language
    elif char == "`":
        kind, i = "code", i + 1
    else:
        raise EntityParseError(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")
    stack.append(_OpenTag(kind, argument, offset, out_index, begin))
    return i


def _mdv2_close(text: str, i: int, tag: _OpenTag, offset: int, out: list[str], entities: list[JSONDict]) -> int:
    """Close ``tag`` at ``text[i]``; return the next index."""
    n = len(text)
    entity: JSONDict = {"type": tag.name, "offset": tag.offset, "length": offset - tag.offset}
    if tag.name in ("underline", "spoiler"):
        i += 2
    elif tag.name == "pre":
        i += 3
        if tag.argument:
            entity["language"] = tag.argument
    elif tag.name in ("text_link", "custom_emoji"):
        i += 1
        url = "".join(out[tag.out_index :])
        if text[i : i + 1] == "(":
            i += 1
            url_start = i
            chars: list[str] = []
            while i < n and text[i] != ")":
                if text[i] == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                    chars.append(text[i + 1])
                    i += 2
                    continue
                chars.append(text[i])
                i += 1
            if i >= n:
                raise EntityParseError(f"Can't find end of a URL at byte offset {_byte_offset(text, url_start)}")
            url = "".join(chars)
            i += 1
        elif tag.name == "custom_emoji":
            raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
        if tag.name == "custom_emoji":
            match = re.fullmatch(r"tg://emoji\?id=(\d+)", url)
            if match is None:
                raise EntityParseError(f'Invalid custom emoji URL "{url}" specified')
            entity["custom_emoji_id"] = match.group(1)
        else:
            entity["url"] = url
    else:
        i += 1
    if entity["length"] > 0:
        entities.append(entity)
    return i


def parse_markdown(text: str) -> tuple[str, list[JSONDict]]:
    """Parse legacy Markdown (``*bold* _italic_ `code` ```pre``` [text](url)``)."""
    out: list[str] = []
    entities: list[JSONDict] = []
    offset = 0
    n = len(text)
    i = 0
    while i < n:
        char = text[i]
        if char == "\\" and text[i + 1 : i + 2] in ("_", "*", "`", "["):
            out.append(text[i + 1])
            offset += 1
            i += 2
            continue
        if char not in "_*`[":
            out.append(char)
            offset += utf16_len(char)
            i += 1
            continue
        begin = _byte_offset(text, i)
        end_char = "]" if char == "[" else char
        i += 1
        is_pre = char == "`" and text[i : i + 2] == "``"
        language = ""
        if is_pre:
            language, i = _pre_language(text, i + 2)
        start_offset, start_index = offset, len(out)
        while i < n and (text[i] != end_char or (is_pre and text[i + 1 : i + 3] != "``")):
            out.append(text[i])
            offset += utf16_len(text[i])
            i += 1
        if i >= n:
            raise EntityParseError(f"Can't find end of the entity starting at byte offset {begin}")
        entity: JSONDict = {"offset": start_offset, "length": offset - start_offset}
        if char == "_":
            entity["type"] = "italic"
        elif char == "*":
            entity["type"] = "bold"
        elif char == "`":
            entity["type"] = "pre" if is_pre else "code"
            if language:
                entity["language"] = language
        else:
            url = "".join(out[start_index:])
            if text[i + 1 : i + 2] == "(":
                close = text.find(")", i + 2)
                url = text[i + 2 : close if close != -1 else n]
                i = close if close != -1 else n - 1
            entity.update(type="text_link", url=url)
        if entity["length"] > 0:
            entities.append(entity)
        i += 3 if is_pre else 1
    return "".join(out), entities


def _strip_text(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Trim surrounding whitespace like Telegram does, shifting/clipping entities."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    result = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        end = min(total, entity["offset"] + entity["length"] - lead)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


def auto_entities(text: str) -> list[JSONDict]:
    """Entities Telegram's clients/servers attach to user text: commands, mentions, ..."""
    found: list[JSONDict] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _AUTO_ENTITY_RES:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group()),
                }
            )
    return sorted(found, key=lambda e: e["offset"])


# ------------------------------------------------------------------------ records


class ApiError(Exception):
    """An error answer: HTTP status plus Telegram's description."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class _ClientGone(Exception):
    """The client closed the connection while a long poll was waiting."""


@dataclass
class Call:
    """One HTTP request the bot made.  Unpacks as ``method, params, status``.

    ``status`` is the HTTP status sent, or None when no response was sent (dropped by
    fault injection, or the client hung up first).
    """

    method: str
    params: JSONDict
    status: int | None
    description: str | None = None
    result: Any = None
    started_at: float = 0.0
    finished_at: float = 0.0
    injected: bool = False

    def __iter__(self) -> Iterator[Any]:
        return iter((self.method, self.params, self.status))

    @property
    def ok(self) -> bool:
        return self.status == 200

    def __str__(self) -> str:
        params = json.dumps(self.params, ensure_ascii=False, default=str)
        if len(params) > 160:
            params = params[:157] + "..."
        outcome = self.description or ("ok" if self.ok else "")
        injected = " [injected]" if self.injected else ""
        return f"{self.method} -> {self.status}{injected} {outcome} {params}"


@dataclass
class UpdateRecord:
    """An update pushed by the test and what became of it."""

    update_id: int
    update: JSONDict
    kind: str
    chat_id: int | None
    pushed_at: float
    delivered_at: float | None = None
    confirmed_at: float | None = None
    dropped: bool = False


@dataclass
class _Fault:
    method: str
    status: int | None
    description: str | None
    retry_after: int | None
    drop: bool
    delay: float
    after_processing: bool
    when: Callable[[JSONDict], bool] | None
    remaining: int
    truncate: bool = False


@dataclass
class _QueryState:
    kind: str
    from_user: JSONDict
    answered: bool = False
    answer: JSONDict = field(default_factory=dict)


def _json_bytes(payload: JSONDict) -> bytes:
    """UTF-8 JSON; text with a lone surrogate (which UTF-8 cannot carry) goes as a \\u escape, as Telegram sends it."""
    text = json.dumps(payload, ensure_ascii=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(payload).encode("ascii")


def _socket_alive(sock: socket.socket) -> bool:
    """False once the peer has closed ``sock`` (readable with EOF)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return True
        return bool(sock.recv(1, socket.MSG_PEEK))
    except (OSError, ValueError):
        return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle plus the
        # client's delayed ACK stalls every keep-alive response by ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.fake._track_connection(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track_connection(self.connection, add=False)

    def do_POST(self) -> None:
        fake = self.server.fake
        with fake._cond:
            fake._in_flight += 1
        try:
            fake._serve(self)
        finally:
            with fake._cond:
                fake._in_flight -= 1
                fake._cond.notify_all()

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's default backlog of 5 drops connects (1 s SYN retry) under a burst
    fake: FakeTelegramServer


# ------------------------------------------------------------------------- server


class FakeTelegramServer:
    """Strict in-process fake of the Telegram Bot API (see module docstring).

    ``url`` is what the bot gets as ``TELEGRAM_API_URL``; PTB's ``base_url`` is
    ``f"{server.url}/bot"`` (available as ``server.base_url``).
    """

    def __init__(
        self,
        token: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "article_qa_bot",
        bot_id: int = 7770001,
        bot_first_name: str = "Article QA",
        can_read_all_group_messages: bool = False,
        supports_inline_queries: bool = True,
    ) -> None:
        self.token = token
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._me: JSONDict = {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": can_read_all_group_messages,
            "supports_inline_queries": supports_inline_queries,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self._host, self._port = host, port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._cond = threading.Condition(threading.RLock())
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._in_flight = 0  # requests being answered (stop() lets released long polls finish)
        self._diagnostics: list[Callable[[], str]] = []
        self._abort_checks: list[Callable[[], str | None]] = []
        #: Tracebacks of exceptions inside the fake itself (should stay empty).
        self.internal_errors: list[str] = []

        self._ids = itertools.count(1)
        self._update_ids = itertools.count(100001)
        self._user_ids = itertools.count(200001)
        self._group_ids = itertools.count(4000001)
        self._query_ids = itertools.count(7000000000000000001)
        self._users: dict[int, JSONDict] = {}
        self.default_user = self.make_user("Alice", username="alice")
        self._chats: dict[int, JSONDict] = {}
        self._blocked: set[int] = set()
        self._messages: dict[int, dict[int, JSONDict]] = {}
        self._next_message_id: dict[int, int] = {}
        self._topics: dict[int, dict[int, JSONDict]] = {}
        self._inline_messages: set[str] = set()
        self._member_status: dict[tuple[int, int], str] = {}

        self._updates: list[UpdateRecord] = []
        self._updates_by_id: dict[int, UpdateRecord] = {}
        self._queue: list[UpdateRecord] = []
        self._allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._poll_generation = 0
        self._pollers_waiting = 0
        self.confirmed_offset = 0
        self.first_get_updates_at: float | None = None

        self._calls: list[Call] = []
        self._faults: list[_Fault] = []
        self._sent: list[JSONDict] = []
        self._edits: list[JSONDict] = []
        self._deleted: list[JSONDict] = []
        self._chat_actions: list[JSONDict] = []
        self._queries: dict[str, _QueryState] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._descriptions: dict[tuple[str, str], str] = {}
        self.webhook_url = ""

        self._methods: dict[str, tuple[str, Callable[[JSONDict], Any]]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "logOut": self._true,
                "close": self._true,
                "deleteWebhook": self._delete_webhook,
                "setWebhook": self._set_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "setMyDescription": self._set_my_description,
                "getMyDescription": self._get_my_description,
                "setMyShortDescription": self._set_my_short_description,
                "getMyShortDescription": self._get_my_short_description,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "sendChatAction": self._send_chat_action,
                "answerCallbackQuery": self._answer_callback_query,
                "answerInlineQuery": self._answer_inline_query,
                "getChatMember": self._get_chat_member,
            }.items()
        }

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeTelegramServer:
        """Bind and serve in a background thread; returns ``self``."""
        httpd = _HTTPServer((self._host, self._port), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="fake-telegram-api",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release long polls, stop serving and close every open connection."""
        self._stopping.set()
        deadline = time.monotonic() + 2.0
        with self._cond:
            self._cond.notify_all()
            while self._in_flight and (remaining := deadline - time.monotonic()) > 0:
                self._cond.wait(remaining)  # released long polls write their (empty) answer first
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        with self._cond:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeTelegramServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return self._httpd.server_address[1]

    @property
    def in_flight(self) -> int:
        """Requests being answered right now (a long poll counts)."""
        with self._cond:
            return self._in_flight

    @property
    def url(self) -> str:
        """API root, e.g. ``http://127.0.0.1:PORT`` (the bot's ``TELEGRAM_API_URL``)."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """PTB ``base_url``: ``Bot(token, base_url=server.base_url)``."""
        return f"{self.url}/bot"

    def add_diagnostics(self, provider: Callable[[], str]) -> None:
        """Register extra text (e.g. the bot's log tail) for ``wait_for`` timeout errors."""
        with self._cond:
            self._diagnostics.append(provider)

    def add_abort_check(self, check: Callable[[], str | None]) -> None:
        """Make ``wait_for`` fail at once when ``check()`` returns a reason (e.g. the bot
        process died); call :meth:`notify` when the checked condition may have changed."""
        with self._cond:
            self._abort_checks.append(check)

    def notify(self) -> None:
        """Wake every ``wait_for`` so it re-evaluates its predicate and abort checks."""
        with self._cond:
            self._cond.notify_all()

    # ------------------------------------------------------------ users & chats

    def make_user(
        self,
        first_name: str = "User",
        *,
        username: str | None = None,
        user_id: int | None = None,
        last_name: str | None = None,
        language_code: str | None = "en",
        is_bot: bool = False,
    ) -> JSONDict:
        """Create (and remember) a User dict."""
        user: JSONDict = {
            "id": user_id if user_id is not None else next(self._user_ids),
            "is_bot": is_bot,
            "first_name": first_name,
        }
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        with self._cond:
            self._users[user["id"]] = user
        return dict(user)

    def private_chat(self, user: JSONDict | None = None) -> JSONDict:
        """The private chat with ``user`` (a new user when omitted)."""
        user = user or self.make_user()
        chat: JSONDict = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if key in user:
                chat[key] = user[key]
        with self._cond:
            self._users.setdefault(user["id"], user)
            return self._register_chat(chat)

    def group_chat(self, title: str = "Test group") -> JSONDict:
        """A basic group (negative id)."""
        return self._register_chat({"id": -next(self._group_ids), "type": "group", "title": title})

    def supergroup_chat(
        self, title: str = "Test supergroup", *, is_forum: bool = False, username: str | None = None
    ) -> JSONDict:
        """A supergroup (``-100…`` id); ``is_forum=True`` enables topics."""
        chat: JSONDict = {
            "id": -1000000000000 - next(self._group_ids),
            "type": "supergroup",
            "title": title,
        }
        if is_forum:
            chat["is_forum"] = True
        if username:
            chat["username"] = username
        return self._register_chat(chat)

    def channel_chat(self, title: str = "Test channel", *, username: str | None = None) -> JSONDict:
        """A channel (``-100…`` id)."""
        chat: JSONDict = {
            "id": -1000000000000 - next(self._group_ids),
            "type": "channel",
            "title": title,
        }
        if username:
            chat["username"] = username
        return self._register_chat(chat)

    def create_forum_topic(
        self, chat: int | JSONDict, name: str = "Topic", *, from_user: JSONDict | None = None
    ) -> int:
        """Create a topic in a forum supergroup; returns its ``message_thread_id``."""
        with self._cond:
            chat_obj = self._chat_arg(chat, "supergroup")
            if not chat_obj.get("is_forum"):
                raise ValueError(f"chat {chat_obj['id']} is not a forum supergroup")
            thread_id = self._alloc_message_id(chat_obj["id"])
            service = {
                "message_id": thread_id,
                "from": from_user or self.default_user,
                "chat": chat_obj,
                "date": int(time.time()),
                "message_thread_id": thread_id,
                "is_topic_message": True,
                "forum_topic_created": {"name": name, "icon_color": 7322096},
            }
            self._store_message(chat_obj["id"], service)
            self._topics.setdefault(chat_obj["id"], {})[thread_id] = service
            return thread_id

    def delete_forum_topic(self, chat: int | JSONDict, thread_id: int) -> None:
        """Delete a forum topic with every message in it, as an admin can."""
        with self._cond:
            chat_id = self._chat_id_of(chat)
            self._topics.get(chat_id, {}).pop(thread_id, None)
            messages = self._messages.get(chat_id, {})
            for message_id in [i for i, m in messages.items() if m.get("message_thread_id") == thread_id]:
                del messages[message_id]

    def block_bot(self, user_or_chat_id: int, blocked: bool = True) -> None:
        """Make sends to this private chat fail with 403 "bot was blocked by the user"."""
        with self._cond:
            (self._blocked.add if blocked else self._blocked.discard)(user_or_chat_id)

    def set_member_status(self, chat: int | JSONDict, user: JSONDict | int, status: str) -> None:
        """Script what ``getChatMember`` answers for ``user`` in ``chat``.

        ``status`` is one of MEMBER_STATUSES ("creator", "administrator", "member",
        "left", "kicked"); users never scripted are plain members.
        """
        if status not in MEMBER_STATUSES:
            raise ValueError(f"status must be one of {sorted(MEMBER_STATUSES)}, got {status!r}")
        with self._cond:
            chat_id = self._chat_arg(chat, "supergroup")["id"]
            user_id = user["id"] if isinstance(user, dict) else int(user)
            self._member_status[(chat_id, user_id)] = status

    def delete_user_message(self, chat: int | JSONDict, message_id: int) -> None:
        """The user deletes their message: replies to it then fail with "message to be
        replied not found" unless ``allow_sending_without_reply`` is set."""
        with self._cond:
            chat_id = self._chat_arg(chat, "private")["id"]
            if self._messages.get(chat_id, {}).pop(message_id, None) is None:
                raise ValueError(f"no message {message_id} in chat {chat_id}")

    # ------------------------------------------------------------- push updates

    def push_message(
        self,
        chat: int | JSONDict,
        text: str,
        *,
        from_user: JSONDict | None = None,
        reply_to: int | None = None,
        thread_id: int | None = None,
        entities: list[JSONDict] | None = None,
        chat_type: str = "private",
        extra: JSONDict | None = None,
    ) -> int:
        """Queue a ``message`` update with ``text``; returns its update_id.

        ``chat`` is a chat dict or id (unknown ids become chats of ``chat_type``).
        ``reply_to`` is a message id in that chat (e.g. a bot message, embedded with
        ``from`` = the bot).  ``entities=None`` auto-detects bot_command, mention,
        hashtag and url entities; pass ``[]`` for none.  ``extra`` is merged into the
        Message.
        """
        content: JSONDict = {"text": text}
        found = auto_entities(text) if entities is None else entities
        if found:
            content["entities"] = found
        return self._push_user_message("message", chat, content, from_user, reply_to, thread_id, chat_type, extra)

    def push_photo(
        self,
        chat: int | JSONDict,
        *,
        caption: str | None = None,
        from_user: JSONDict | None = None,
        reply_to: int | None = None,
        thread_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """Queue a photo message (three PhotoSize variants); returns its update_id."""
        n = next(self._ids)
        photo = [
            {
                "file_id": f"AgACAgFake{n}x{size}",
                "file_unique_id": f"AQADFake{n}x{size}",
                "width": size,
                "height": size * 3 // 4,
                "file_size": size * 100,
            }
            for size in (90, 320, 1280)
        ]
        content: JSONDict = {"photo": photo}
        if caption:
            content["caption"] = caption
            if found := auto_entities(caption):
                content["caption_entities"] = found
        return self._push_user_message("message", chat, content, from_user, reply_to, thread_id, chat_type, None)

    def push_sticker(
        self,
        chat: int | JSONDict,
        *,
        emoji: str = "👍",
        from_user: JSONDict | None = None,
        chat_type: str = "private",
    ) -> int:
        """Queue a sticker message; returns its update_id."""
        n = next(self._ids)
        sticker = {
            "file_id": f"CAACAgFake{n}",
            "file_unique_id": f"AgADFake{n}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "set_name": "FakeStickers",
            "file_size": 20000,
        }
        return self._push_user_message("message", chat, {"sticker": sticker}, from_user, None, None, chat_type, None)

    def push_channel_post(self, chat: int | JSONDict, text: str) -> int:
        """Queue a ``channel_post`` (no ``from``; ``sender_chat`` is the channel)."""
        content: JSONDict = {"text": text}
        if found := auto_entities(text):
            content["entities"] = found
        return self._push_user_message("channel_post", chat, content, None, None, None, "channel", None)

    def push_edited_message(
        self,
        chat: int | JSONDict,
        message_id: int,
        text: str,
        *,
        entities: list[JSONDict] | None = None,
    ) -> int:
        """Queue an ``edited_message`` update for a user message pushed earlier."""
        with self._cond:
            chat_obj = self._chat_arg(chat, "private")
            message = self._messages.get(chat_obj["id"], {}).get(message_id)
            if message is None or message.get("from", {}).get("id") == self.bot_user["id"]:
                raise ValueError(f"no user message {message_id} in chat {chat_obj['id']}")
            message["text"] = text
            found = auto_entities(text) if entities is None else entities
            message.pop("entities", None)
            if found:
                message["entities"] = found
            message["edit_date"] = int(time.time())
            key = "edited_channel_post" if chat_obj["type"] == "channel" else "edited_message"
            return self._enqueue({key: _clone(message)})

    def push_callback_query(
        self,
        chat: int | JSONDict,
        message_id: int,
        data: str,
        from_user: JSONDict | None = None,
        *,
        check_button: bool = True,
    ) -> str:
        """Queue a button press on bot message ``message_id``; returns the query id.

        With ``check_button`` the message's current inline keyboard must contain a
        button with this ``callback_data`` (a real client can't send anything else).
        """
        with self._cond:
            chat_obj = self._chat_arg(chat, "private")
            message = self._messages.get(chat_obj["id"], {}).get(message_id)
            if message is None or message.get("from", {}).get("id") != self.bot_user["id"]:
                raise ValueError(f"no bot message {message_id} in chat {chat_obj['id']}")
            if check_button:
                rows = message.get("reply_markup", {}).get("inline_keyboard", [])
                if data not in [b.get("callback_data") for row in rows for b in row]:
                    raise ValueError(f"message {message_id} has no button with callback_data {data!r}")
            user = from_user or self._default_sender(chat_obj)
            query_id = str(next(self._query_ids))
            self._queries[query_id] = _QueryState("callback", user)
            query = {
                "id": query_id,
                "from": user,
                "message": _clone(message),
                "chat_instance": str(abs(chat_obj["id"]) * 7919),
                "data": data,
            }
            self._enqueue({"callback_query": query})
            return query_id

    def push_inline_query(
        self,
        query: str,
        from_user: JSONDict | None = None,
        *,
        offset: str = "",
        chat_type: str | None = "private",
    ) -> str:
        """Queue an ``inline_query``; returns its id (answer with answerInlineQuery)."""
        with self._cond:
            user = from_user or self.default_user
            query_id = str(next(self._query_ids))
            self._queries[query_id] = _QueryState("inline", user)
            inline: JSONDict = {"id": query_id, "from": user, "query": query, "offset": offset}
            if chat_type:
                inline["chat_type"] = chat_type
            self._enqueue({"inline_query": inline})
            return query_id

    def push_raw_update(self, update: JSONDict) -> int:
        """Queue any update dict (``update_id`` is assigned if missing); chats in it
        become known so the bot may answer them."""
        with self._cond:
            update = copy.deepcopy(update)
            kind = next((k for k in update if k != "update_id"), "")
            payload = update.get(kind)
            if not isinstance(payload, dict):
                raise ValueError(f"update has no payload object: {update!r}")
            if kind in ("callback_query", "inline_query"):
                state_kind = "callback" if kind == "callback_query" else "inline"
                self._queries[str(payload["id"])] = _QueryState(state_kind, payload.get("from", {}))
                if payload.get("inline_message_id"):
                    self._inline_messages.add(str(payload["inline_message_id"]))
            message = payload.get("message") if kind == "callback_query" else payload
            if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                self._register_chat(message["chat"])
                if "message_id" in message and kind != "callback_query":
                    self._store_message(message["chat"]["id"], _clone(message))
            return self._enqueue(update)

    # --------------------------------------------------------- fault injection

    def fail_next(
        self,
        method: str,
        status: int = 500,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
        drop: bool = False,
        delay: float = 0.0,
        after_processing: bool = False,
        when: Callable[[JSONDict], bool] | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        ``status`` 429 adds ``parameters.retry_after`` (default 1); 502/503/504 answer
        with an nginx-style HTML page like the real front end.  ``drop=True`` closes
        the connection without any response: with a TCP reset (the request was never
        carried out, as when a front end drops it unread), or with ``after_processing=True``
        a clean close after the call was carried out (the message *is* delivered and
        only the answer is lost).  ``after_processing=True`` with a status performs the
        call first and then replaces the response.  ``when(params)`` restricts the fault to matching calls.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        self._add_fault(
            _Fault(
                method.lower(),
                status,
                description,
                retry_after,
                drop,
                delay,
                after_processing,
                when,
                times,
            )
        )

    def drop_next(self, method: str, *, times: int = 1, after_processing: bool = False) -> None:
        """Close the connection of the next ``method`` call(s) without answering."""
        self.fail_next(method, times=times, drop=True, after_processing=after_processing)

    def truncate_next(self, method: str, *, times: int = 1, when: Callable[[JSONDict], bool] | None = None) -> None:
        """Carry out the next ``method`` call(s), then send only half of the answer and hang up."""
        self._add_fault(_Fault(method.lower(), None, None, None, False, 0.0, True, when, times, truncate=True))

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next ``method`` call(s) normally, but only after ``seconds``."""
        self._add_fault(_Fault(method.lower(), None, None, None, False, seconds, False, None, times))

    def clear_faults(self) -> None:
        """Forget all scripted faults that have not fired yet."""
        with self._cond:
            self._faults.clear()

    # --------------------------------------------------------------- inspection

    def calls(self, method: str | None = None, chat: int | JSONDict | None = None) -> list[Call]:
        """Every request so far (failed ones too), optionally for one method and one ``chat_id``."""
        chat_id = None if chat is None else self._chat_id_of(chat)
        with self._cond:
            calls = [
                c
                for c in self._calls
                if (method is None or c.method.lower() == method.lower())
                and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]
            return copy.deepcopy(calls)

    def sent_messages(self, chat_id: int | JSONDict | None = None) -> list[JSONDict]:
        """Messages the bot successfully sent, oldest first.

        Each dict has ``chat_id, message_id, text`` (as sent, markup included),
        ``plain_text``, ``entities``, ``parse_mode``, ``reply_markup``,
        ``reply_parameters``, ``message_thread_id``, ``link_preview_options``,
        ``disable_notification``, ``params`` (everything sent), ``message`` (the
        Message returned) and ``received_at``.
        """
        with self._cond:
            return _clone(self._filter_chat(self._sent, chat_id))

    def edited_messages(self, chat_id: int | JSONDict | None = None) -> list[JSONDict]:
        """Successful editMessageText/editMessageReplyMarkup calls (same keys as sends)."""
        with self._cond:
            return _clone(self._filter_chat(self._edits, chat_id))

    def deleted_messages(self, chat_id: int | JSONDict | None = None) -> list[JSONDict]:
        """Successful deleteMessage calls: ``{chat_id, message_id, received_at}``."""
        with self._cond:
            return _clone(self._filter_chat(self._deleted, chat_id))

    def chat_actions(self, chat_id: int | JSONDict | None = None) -> list[JSONDict]:
        """Successful sendChatAction calls: ``{chat_id, action, message_thread_id, ...}``."""
        with self._cond:
            return _clone(self._filter_chat(self._chat_actions, chat_id))

    def message(self, chat_id: int | JSONDict, message_id: int) -> JSONDict | None:
        """Current state of any message in a chat (bot's or user's), or None."""
        with self._cond:
            found = self._messages.get(self._chat_id_of(chat_id), {}).get(message_id)
            return _clone(found)

    def callback_answer(self, query_id: str) -> JSONDict | None:
        """The answerCallbackQuery params for this query, or None if unanswered."""
        with self._cond:
            state = self._queries.get(query_id)
            return _clone(state.answer) if state and state.answered else None

    def inline_answer(self, query_id: str) -> JSONDict | None:
        """The answerInlineQuery params for this query, or None if unanswered."""
        return self.callback_answer(query_id)

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """Commands currently set for ``scope`` (default scope) and language."""
        with self._cond:
            return _clone(self._commands.get((_scope_key(scope), language_code), []))

    def description(self, language_code: str = "", *, short: bool = False) -> str:
        """The description (or short description) set via setMy(Short)Description."""
        with self._cond:
            return self._descriptions.get(("short" if short else "long", language_code), "")

    def updates(self) -> list[UpdateRecord]:
        """Every pushed update with its timing (pushed/delivered/confirmed)."""
        with self._cond:
            return copy.deepcopy(self._updates)

    def update_record(self, update_id: int) -> UpdateRecord:
        with self._cond:
            return copy.deepcopy(self._update(update_id))

    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed by the bot."""
        with self._cond:
            return [_clone(r.update) for r in self._queue]

    def first_reply_after(self, update_id: int, chat_id: int | None = None) -> JSONDict | None:
        """First message the bot sent to the update's chat after it was pushed."""
        with self._cond:
            record = self._update(update_id)
            target = chat_id if chat_id is not None else record.chat_id
            for sent in self._sent:
                if sent["chat_id"] == target and sent["received_at"] >= record.pushed_at:
                    return _clone(sent)
            return None

    @property
    def polling(self) -> bool:
        """True while a getUpdates long poll is waiting for updates."""
        with self._cond:
            return self._pollers_waiting > 0

    # ------------------------------------------------------------------ waiting

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0, message: str | None = None) -> Any:
        """Block until ``predicate()`` is truthy and return its value.

        Re-evaluated on every state change (requests, pushes, confirmations).  On
        timeout raises AssertionError listing the recent calls.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                what = message or repr(predicate)
                for check in self._abort_checks:
                    reason = check()
                    if reason:
                        raise AssertionError(self._report(f"Gave up waiting for {what}: {reason}."))
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._report(f"Timed out after {timeout:g}s waiting for {what}."))
                self._cond.wait(remaining)

    def sent_count(self) -> int:
        """How many messages the bot has sent so far (cheap: no copies, for load drivers)."""
        with self._cond:
            return len(self._sent)

    def wait_for_sent_count(self, n: int, timeout: float = 10.0) -> None:
        """Wait until the bot has sent at least ``n`` messages in all (nothing is copied)."""
        self.wait_for(lambda: len(self._sent) >= n, timeout, f"{n} sent message(s)")

    def wait_for_messages(self, n: int, chat_id: int | JSONDict | None = None, timeout: float = 10.0) -> list[JSONDict]:
        """Wait until at least ``n`` messages were sent (to ``chat_id``); return them all."""
        where = "" if chat_id is None else f" to chat {self._chat_id_of(chat_id)}"
        self.wait_for(
            lambda: len(self._filter_chat(self._sent, chat_id)) >= n,
            timeout,
            f"{n} sent message(s){where}",
        )
        return self.sent_messages(chat_id)

    def wait_for_reply(self, update_id: int, chat_id: int | None = None, timeout: float = 10.0) -> JSONDict:
        """Wait for the first message sent to the update's chat after it was pushed."""
        return self.wait_for(
            lambda: self.first_reply_after(update_id, chat_id),
            timeout,
            f"a reply to update {update_id}",
        )

    def wait_until_confirmed(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until the bot confirmed ``update_id`` (getUpdates offset > update_id)."""
        self.wait_for(
            lambda: self.confirmed_offset > update_id,
            timeout,
            f"getUpdates to confirm update {update_id}",
        )

    def wait_until_polling(self, timeout: float = 10.0) -> None:
        """Wait until the bot sits in a getUpdates long poll (i.e. is ready)."""
        self.wait_for(lambda: self._pollers_waiting > 0, timeout, "a waiting getUpdates poll")

    def wait_for_call(self, method: str, timeout: float = 10.0, *, ok: bool = False) -> Call:
        """Wait for a (successful, with ``ok``) call of ``method``; return the first."""

        def found() -> Call | None:
            for call in self._calls:
                if call.method.lower() == method.lower() and (call.ok or not ok):
                    return copy.deepcopy(call)
            return None

        return self.wait_for(found, timeout, f"a{' successful' if ok else ''} {method} call")

    def _report(self, headline: str) -> str:
        """Failure text for ``wait_for``: state, recent calls and diagnostics."""
        lines = [headline]
        lines.append(
            f"confirmed_offset={self.confirmed_offset}, pending updates="
            f"{[r.update_id for r in self._queue]}, sent messages={len(self._sent)}"
        )
        recent = self._calls[-20:]
        lines.append(f"Last {len(recent)} of {len(self._calls)} calls:")
        lines.extend(f"  {call}" for call in recent)
        for provider in self._diagnostics:
            try:
                lines.append(provider())
            except Exception as exc:  # diagnostics must never hide the real failure
                lines.append(f"(diagnostics failed: {exc!r})")
        return "\n".join(lines)

    # ---------------------------------------------------------------- internals

    def _track_connection(self, conn: socket.socket, *, add: bool) -> None:
        with self._cond:
            (self._connections.add if add else self._connections.discard)(conn)

    def _add_fault(self, fault: _Fault) -> None:
        with self._cond:
            self._faults.append(fault)

    def _take_fault(self, method: str, params: JSONDict) -> _Fault | None:
        with self._cond:
            for fault in self._faults:
                if fault.method == method.lower() and (fault.when is None or fault.when(params)):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
            return None

    def _register_chat(self, chat: JSONDict) -> JSONDict:
        with self._cond:
            known = self._chats.setdefault(chat["id"], dict(chat))
            self._messages.setdefault(chat["id"], {})
            return dict(known)

    def _chat_id_of(self, chat: int | JSONDict) -> int:
        return chat["id"] if isinstance(chat, dict) else int(chat)

    def _chat_arg(self, chat: int | JSONDict, chat_type: str) -> JSONDict:
        """Resolve a test-side chat argument, creating unknown chats."""
        if isinstance(chat, dict):
            return dict(self._chats.get(chat["id"]) or self._register_chat(chat))
        if chat in self._chats:
            return dict(self._chats[chat])
        if chat_type == "private":
            user = self._users.get(chat) or self.make_user(f"User{chat}", user_id=chat)
            return self.private_chat(user)
        kind = {"group": "Group", "supergroup": "Supergroup", "channel": "Channel"}[chat_type]
        return self._register_chat({"id": chat, "type": chat_type, "title": f"{kind} {chat}"})

    def _default_sender(self, chat: JSONDict) -> JSONDict:
        if chat["type"] == "private":
            return self._users.get(chat["id"]) or self.make_user(chat["first_name"], user_id=chat["id"])
        return self.default_user

    def _filter_chat(self, records: list[JSONDict], chat_id: int | JSONDict | None) -> list[JSONDict]:
        if chat_id is None:
            return list(records)
        wanted = self._chat_id_of(chat_id)
        return [r for r in records if r["chat_id"] == wanted]

    def _alloc_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _store_message(self, chat_id: int, message: JSONDict) -> None:
        self._messages.setdefault(chat_id, {})[message["message_id"]] = message
        following = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = max(following, message["message_id"] + 1)

    def _embedded(self, chat_id: int, message_id: int) -> JSONDict | None:
        """A stored message as Telegram embeds it in ``reply_to_message``."""
        message = self._messages.get(chat_id, {}).get(message_id)
        if message is None:
            return None
        embedded = _clone(message)
        embedded.pop("reply_to_message", None)
        return embedded

    def _apply_thread(self, chat: JSONDict, message: JSONDict, thread_id: int | None) -> None:
        """Set thread fields; in forums a topic message implicitly replies to the topic."""
        if thread_id is None:
            return
        message["message_thread_id"] = thread_id
        if chat.get("is_forum"):
            message["is_topic_message"] = True
            topic = self._topics.get(chat["id"], {}).get(thread_id)
            if topic is not None and "reply_to_message" not in message:
                message["reply_to_message"] = _clone(topic)

    def _push_user_message(
        self,
        key: str,
        chat: int | JSONDict,
        content: JSONDict,
        from_user: JSONDict | None,
        reply_to: int | None,
        thread_id: int | None,
        chat_type: str,
        extra: JSONDict | None,
    ) -> int:
        with self._cond:
            chat_obj = self._chat_arg(chat, chat_type)
            chat_id = chat_obj["id"]
            if thread_id is not None and chat_obj.get("is_forum") and thread_id not in self._topics.get(chat_id, {}):
                raise ValueError(f"unknown topic {thread_id} in chat {chat_id}; use create_forum_topic()")
            message: JSONDict = {"message_id": self._alloc_message_id(chat_id)}
            if chat_obj["type"] == "channel":
                message["sender_chat"] = chat_obj
            else:
                sender = from_user or self._default_sender(chat_obj)
                self._users.setdefault(sender["id"], sender)
                message["from"] = sender
            message.update(chat=chat_obj, date=int(time.time()))
            if reply_to is not None:
                replied = self._embedded(chat_id, reply_to)
                if replied is None:
                    raise ValueError(f"no message {reply_to} in chat {chat_id} to reply to")
                message["reply_to_message"] = replied
            self._apply_thread(chat_obj, message, thread_id)
            message.update(content)
            message.update(extra or {})
            self._store_message(chat_id, message)
            return self._enqueue({key: _clone(message)})

    def _enqueue(self, update: JSONDict) -> int:
        with self._cond:
            if "update_id" not in update:
                update = {"update_id": next(self._update_ids), **update}
            kind = next((k for k in update if k != "update_id"), "")
            payload = update.get(kind)
            chat_id = None
            if isinstance(payload, dict):
                holder = payload.get("message", payload)
                if isinstance(holder, dict) and isinstance(holder.get("chat"), dict):
                    chat_id = holder["chat"].get("id")
                elif isinstance(payload.get("from"), dict):
                    chat_id = payload["from"].get("id")
            record = UpdateRecord(update["update_id"], update, kind, chat_id, time.monotonic())
            self._updates.append(record)
            self._updates_by_id[record.update_id] = record
            self._queue.append(record)
            self._cond.notify_all()
            return record.update_id

    def _update(self, update_id: int) -> UpdateRecord:
        record = self._updates_by_id.get(update_id)
        if record is None:
            raise KeyError(f"unknown update_id {update_id}")
        return record

    def _record(self, call: Call) -> None:
        with self._cond:
            call.finished_at = time.monotonic()
            self._calls.append(call)
            self._cond.notify_all()

    # --------------------------------------------------------------------- HTTP

    def _serve(self, handler: _Handler) -> None:
        """Handle one HTTP request end to end."""
        started = time.monotonic()
        split = urlsplit(handler.path)
        match = _PATH_RE.fullmatch(split.path)
        try:
            params = self._read_params(handler, split.query)
        except ApiError as exc:
            name = match.group(2) if match else split.path
            self._finish(
                handler, Call(name, {}, exc.status, exc.description, started_at=started), exc.status, exc.payload()
            )
            return
        if match is None:
            self._not_found(handler, split.path, params, started)
            return
        token, raw_method = match.groups()
        if token != self.token:
            error = ApiError(401, "Unauthorized")
            call = Call(raw_method, params, 401, error.description, started_at=started)
            self._finish(handler, call, 401, error.payload())
            return
        if raw_method.lower() == "getupdates":
            method, api_method = "getUpdates", None
            with self._cond:
                if self.first_get_updates_at is None:
                    self.first_get_updates_at = started
        elif raw_method.lower() in self._methods:
            method, api_method = self._methods[raw_method.lower()]
        else:
            self._not_found(handler, raw_method, params, started)
            return
        call = Call(method, params, None, started_at=started)
        fault = self._take_fault(method, params)
        if fault is not None and fault.delay:
            self._stopping.wait(fault.delay)
        if fault is not None and fault.status is not None and not fault.after_processing:
            self._inject(handler, call, fault)
            return
        try:
            if api_method is None:
                result = self._get_updates(params, lambda: _socket_alive(handler.connection))
            else:
                with self._cond:
                    result = api_method(params)
            status, payload = 200, {"ok": True, "result": result}
            call.result = _clone(result)
        except ApiError as exc:
            status, payload = exc.status, exc.payload()
            call.description = exc.description
        except _ClientGone:
            call.description = "client disconnected before the response"
            handler.close_connection = True
            self._record(call)
            return
        except Exception as exc:  # a bug in the fake: answer 500 and remember it
            with self._cond:
                self.internal_errors.append(f"{method}: {exc!r}\n{traceback.format_exc()}")
            status, payload = 500, ApiError(500, f"Internal Server Error: fake bug: {exc!r}").payload()
            call.description = payload["description"]
        if fault is not None and fault.status is not None:
            self._inject(handler, call, fault)
            return
        call.status = status
        if fault is not None and fault.truncate:
            self._truncate(handler, call, status, payload)
            return
        self._finish(handler, call, status, payload)

    def _truncate(self, handler: _Handler, call: Call, status: int, payload: JSONDict) -> None:
        """Send the head and half the body of the real answer, then close the connection."""
        call.injected, call.description = True, "answer cut off half-way (fault injection)"
        self._record(call)
        body = _json_bytes(payload)
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            handler.connection.shutdown(socket.SHUT_RDWR)

    def _not_found(self, handler: _Handler, name: str, params: JSONDict, started: float) -> None:
        error = ApiError(404, "Not Found")
        self._finish(handler, Call(name, params, 404, error.description, started_at=started), 404, error.payload())

    def _inject(self, handler: _Handler, call: Call, fault: _Fault) -> None:
        """Answer (or not) with the scripted fault instead of the real response."""
        call.injected = True
        if fault.drop:
            call.status, call.description = None, "connection dropped (fault injection)"
            self._record(call)
            handler.close_connection = True
            with contextlib.suppress(OSError):
                if fault.after_processing:  # carried out, then the answer is lost: a clean close
                    handler.connection.shutdown(socket.SHUT_RDWR)
                else:  # never carried out: reset, as a front end does that drops a request unread
                    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    handler.connection.close()
            return
        status = fault.status or 500
        call.status = status
        if status in (502, 503, 504) and fault.description is None:
            phrase = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Time-out"}
            call.description = phrase[status]
            html = (
                f"<html>\r\n<head><title>{status} {phrase[status]}</title></head>\r\n<body>\r\n"
                f"<center><h1>{status} {phrase[status]}</h1></center>\r\n<hr><center>nginx"
                "</center>\r\n</body>\r\n</html>\r\n"
            )
            self._record(call)
            self._write(handler, status, html.encode(), "text/html")
            return
        default = {
            400: "Bad Request",
            401: "Unauthorized",
            403: "Forbidden: bot was blocked by the user",
            404: "Not Found",
            409: GET_UPDATES_CONFLICT,
            429: f"Too Many Requests: retry after {fault.retry_after}",
            500: "Internal Server Error",
        }
        description = fault.description or default.get(status, f"Error {status}")
        parameters = {"retry_after": fault.retry_after} if fault.retry_after is not None else None
        error = ApiError(status, description, parameters)
        call.description = description
        self._finish(handler, call, status, error.payload())

    def _finish(self, handler: _Handler, call: Call, status: int, payload: JSONDict) -> None:
        self._record(call)
        body = _json_bytes(payload)
        self._write(handler, status, body, "application/json")

    def _write(self, handler: _Handler, status: int, body: bytes, content_type: str) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            handler.close_connection = True

    def _read_params(self, handler: _Handler, query: str) -> JSONDict:
        """Merge query-string and body parameters, decoding per Telegram field types."""
        raw: JSONDict = {}
        try:
            raw.update(parse_qsl(query, keep_blank_values=True, errors="strict"))
            body = self._read_body(handler)
            content_type = handler.headers.get_content_type()
            if body and content_type == "application/json":
                decoded = json.loads(body.decode("utf-8"))
                if not isinstance(decoded, dict):
                    raise ApiError(400, "Bad Request: JSON object expected")
                raw.update(decoded)
            elif body and content_type == "multipart/form-data":
                raw.update(_parse_multipart(handler.headers.get("Content-Type", ""), body))
            elif body:
                form = body.decode("latin-1")
                raw.update(parse_qsl(form, keep_blank_values=True, errors="strict"))
        except UnicodeDecodeError as exc:
            raise ApiError(400, "Bad Request: strings must be encoded in UTF-8") from exc
        except ValueError as exc:
            raise ApiError(400, "Bad Request: can't parse JSON object") from exc
        return _normalize_params(raw)

    def _read_body(self, handler: _Handler) -> bytes:
        if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    handler.rfile.readline()
                    return b"".join(chunks)
                chunks.append(handler.rfile.read(size))
                handler.rfile.readline()
        length = int(handler.headers.get("Content-Length") or 0)
        return handler.rfile.read(length) if length else b""

    # ------------------------------------------------------------ param helpers

    def _target_chat(self, params: JSONDict) -> JSONDict:
        """The chat named by ``chat_id``; Telegram's errors when missing/unknown."""
        value = params.get("chat_id")
        if value is None or value == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat: JSONDict | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            chat = self._chats.get(value)
        elif isinstance(value, str) and value.startswith("@"):
            chat = next(
                (c for c in self._chats.values() if c.get("username", "").lower() == value[1:].lower()),
                None,
            )
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat["id"] in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _parse_text(self, text: Any, parse_mode: Any, entities: Any) -> tuple[str, list[JSONDict]]:
        """Validate message text like Telegram; returns (plain text, entities)."""
        if text is None or text == "":
            raise ApiError(400, "Bad Request: message text is empty")
        text = str(text)
        mode = str(parse_mode or "").lower()
        try:
            if entities is not None:
                plain, found = text, _check_entities(entities, text)
            elif mode == "html":
                plain, found = parse_html(text)
            elif mode == "markdownv2":
                plain, found = parse_markdown_v2(text)
            elif mode == "markdown":
                plain, found = parse_markdown(text)
            elif mode == "":
                plain, found = text, []
            else:
                raise ApiError(400, "Bad Request: unsupported parse_mode")
        except EntityParseError as exc:
            raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from exc
        plain, found = _strip_text(plain, found)
        if not plain:
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(plain) > MAX_MESSAGE_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        return plain, found

    def _thread_param(self, chat: JSONDict, params: JSONDict) -> int | None:
        thread_id = _int_param(params, "message_thread_id")
        if thread_id is not None and chat.get("is_forum") and thread_id not in self._topics.get(chat["id"], {}):
            raise ApiError(400, "Bad Request: message thread not found")
        return thread_id

    def _reply_target(self, chat: JSONDict, params: JSONDict) -> tuple[JSONDict | None, JSONDict | None]:
        """Resolve reply_parameters (or legacy reply_to_message_id): (params, message)."""
        reply = params.get("reply_parameters")
        if reply is None and params.get("reply_to_message_id") is not None:
            reply = {"message_id": params["reply_to_message_id"]}
            if params.get("allow_sending_without_reply") is not None:
                reply["allow_sending_without_reply"] = params["allow_sending_without_reply"]
        if reply is None:
            return None, None
        if not isinstance(reply, dict):
            raise ApiError(400, "Bad Request: can't parse reply parameters JSON object")
        message_id = _int_param(reply, "message_id")
        if message_id is None:
            raise ApiError(400, "Bad Request: can't parse reply parameters JSON object")
        chat_id = chat["id"]
        if reply.get("chat_id") is not None:
            chat_id = self._target_chat({"chat_id": _int_or_str(reply["chat_id"])})["id"]
        replied = self._embedded(chat_id, message_id)
        if replied is None:
            if _truthy(reply.get("allow_sending_without_reply")):
                return reply, None
            raise ApiError(400, "Bad Request: message to be replied not found")
        quote = reply.get("quote")
        if quote is not None and str(quote) not in (replied.get("text") or replied.get("caption") or ""):
            raise ApiError(400, "Bad Request: quote not found")
        return reply, replied

    # ------------------------------------------------------------ API methods

    def _true(self, params: JSONDict) -> bool:
        return True

    def _get_me(self, params: JSONDict) -> JSONDict:
        return dict(self._me)

    def _get_updates(self, params: JSONDict, alive: Callable[[], bool]) -> list[JSONDict]:
        """Long polling with Telegram's offset/limit/timeout/allowed_updates semantics."""
        offset = _int_param(params, "offset") or 0
        limit = _int_param(params, "limit") or 100
        limit = min(max(limit, 1), 100)
        timeout = max(_int_param(params, "timeout") or 0, 0)
        with self._cond:
            if self.webhook_url:
                raise ApiError(409, WEBHOOK_CONFLICT)
            allowed = params.get("allowed_updates")
            if allowed is not None:
                if not isinstance(allowed, list):
                    raise ApiError(400, "Bad Request: can't parse allowed updates JSON array")
                chosen = frozenset(str(a) for a in allowed) & ALL_UPDATE_TYPES
                self._allowed_updates = chosen or DEFAULT_UPDATE_TYPES
            self._confirm(offset)
            self._poll_generation += 1
            generation = self._poll_generation
            deadline = time.monotonic() + timeout
            self._pollers_waiting += 1
            self._cond.notify_all()
            try:
                while True:
                    if generation != self._poll_generation:
                        if not alive():
                            raise _ClientGone
                        raise ApiError(409, GET_UPDATES_CONFLICT)
                    ready = self._deliverable(limit)
                    if ready or self._stopping.is_set():
                        break
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
            finally:
                self._pollers_waiting -= 1
            if not alive():
                raise _ClientGone
            now = time.monotonic()
            for record in ready:
                if record.delivered_at is None:
                    record.delivered_at = now
            self._cond.notify_all()
            return [_clone(r.update) for r in ready]

    def _confirm(self, offset: int) -> None:
        """Forget updates below ``offset`` (or all but the last -offset ones)."""
        now = time.monotonic()
        if offset < 0:
            keep = self._queue[offset:]
            confirmed = self._queue[: len(self._queue) - len(keep)]
        else:
            confirmed = [r for r in self._queue if r.update_id < offset]
        for record in confirmed:
            record.confirmed_at = now
        self._queue = [r for r in self._queue if r.confirmed_at is None]
        if offset > self.confirmed_offset:
            self.confirmed_offset = offset
        elif confirmed:
            self.confirmed_offset = max(self.confirmed_offset, confirmed[-1].update_id + 1)

    def _deliverable(self, limit: int) -> list[UpdateRecord]:
        """Queued updates of allowed types (others are dropped, as Telegram does)."""
        for record in self._queue:
            if record.kind not in self._allowed_updates:
                record.dropped = True
        self._queue = [r for r in self._queue if not r.dropped]
        return self._queue[:limit]

    def _delete_webhook(self, params: JSONDict) -> bool:
        self.webhook_url = ""
        if _truthy(params.get("drop_pending_updates")):
            self._drop_pending()
        return True

    def _drop_pending(self) -> None:
        for record in self._queue:
            record.dropped = True
        self._queue = []
        self._cond.notify_all()

    def _set_webhook(self, params: JSONDict) -> bool:
        url = str(params.get("url") or "")
        if url and not url.lower().startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook_url = url
        if _truthy(params.get("drop_pending_updates")):
            self._drop_pending()
        self._cond.notify_all()
        return True

    def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        if self.webhook_url:
            info["max_connections"] = 40
        return info

    def _commands_key(self, params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope")
        if scope is not None:
            if not isinstance(scope, dict) or scope.get("type") not in COMMAND_SCOPES:
                raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
            if scope["type"] in ("chat", "chat_administrators", "chat_member"):
                self._target_chat({"chat_id": _int_or_str(scope.get("chat_id"))})
        language = str(params.get("language_code") or "")
        if language and not _LANGUAGE_RE.fullmatch(language):
            raise ApiError(400, "Bad Request: invalid language code specified")
        return _scope_key(scope), language

    def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON array")
        if len(commands) > MAX_COMMANDS:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        cleaned = []
        for command in commands:
            if not isinstance(command, dict):
                raise ApiError(400, "Bad Request: can't parse BotCommand JSON object")
            name, description = command.get("command"), command.get("description")
            if not isinstance(name, str) or not _COMMAND_NAME_RE.fullmatch(name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self._commands_key(params)
        if cleaned:
            self._commands[key] = cleaned
        else:
            self._commands.pop(key, None)
        return True

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        return _clone(self._commands.get(self._commands_key(params), []))

    def _delete_my_commands(self, params: JSONDict) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _set_description(self, params: JSONDict, kind: str, limit: int) -> bool:
        field_name = "short_description" if kind == "short" else "description"
        value = str(params.get(field_name) or "")
        if len(value) > limit:
            raise ApiError(400, f"Bad Request: {field_name} is too long")
        language = str(params.get("language_code") or "")
        if language and not _LANGUAGE_RE.fullmatch(language):
            raise ApiError(400, "Bad Request: invalid language code specified")
        self._descriptions[(kind, language)] = value
        return True

    def _set_my_description(self, params: JSONDict) -> bool:
        return self._set_description(params, "long", MAX_DESCRIPTION_LENGTH)

    def _set_my_short_description(self, params: JSONDict) -> bool:
        return self._set_description(params, "short", MAX_SHORT_DESCRIPTION_LENGTH)

    def _get_my_description(self, params: JSONDict) -> JSONDict:
        language = str(params.get("language_code") or "")
        value = self._descriptions.get(("long", language)) or self._descriptions.get(("long", ""), "")
        return {"description": value}

    def _get_my_short_description(self, params: JSONDict) -> JSONDict:
        language = str(params.get("language_code") or "")
        value = self._descriptions.get(("short", language)) or self._descriptions.get(("short", ""), "")
        return {"short_description": value}

    def _send_message(self, params: JSONDict) -> JSONDict:
        chat = self._target_chat(params)
        plain, entities = self._parse_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        markup = _check_reply_markup(params.get("reply_markup"))
        thread_id = self._thread_param(chat, params)
        reply_params, replied = self._reply_target(chat, params)
        message: JSONDict = {
            "message_id": self._alloc_message_id(chat["id"]),
            "from": dict(self.bot_user),
            "chat": dict(chat),
            "date": int(time.time()),
        }
        if chat["type"] == "channel":
            message.pop("from")
            message["sender_chat"] = dict(chat)
        if replied is not None:
            message["reply_to_message"] = replied
        self._apply_thread(chat, message, thread_id)
        message["text"] = plain
        if entities:
            message["entities"] = entities
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._store_message(chat["id"], message)
        self._sent.append(
            {
                "chat_id": chat["id"],
                "message_id": message["message_id"],
                "text": str(params["text"]),
                "plain_text": plain,
                "entities": entities,
                "parse_mode": params.get("parse_mode"),
                "reply_markup": markup,
                "reply_parameters": reply_params,
                "message_thread_id": thread_id,
                "link_preview_options": params.get("link_preview_options"),
                "disable_notification": _truthy(params.get("disable_notification")),
                "params": _clone(params),
                "message": _clone(message),
                "received_at": time.monotonic(),
            }
        )
        return _clone(message)

    def _message_to_edit(self, params: JSONDict) -> tuple[JSONDict, JSONDict]:
        chat = self._target_chat(params)
        message_id = _int_param(params, "message_id")
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        message = self._messages.get(chat["id"], {}).get(message_id)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"] and chat["type"] != "channel":
            raise ApiError(400, "Bad Request: message can't be edited")
        return chat, message

    def _inline_edit(self, params: JSONDict) -> bool:
        if str(params["inline_message_id"]) not in self._inline_messages:
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        return True

    def _edit_message_text(self, params: JSONDict) -> JSONDict | bool:
        plain, entities = self._parse_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        markup = _check_reply_markup(params.get("reply_markup"), inline_only=True)
        if params.get("inline_message_id") is not None:
            return self._inline_edit(params)
        chat, message = self._message_to_edit(params)
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        unchanged = (
            message["text"] == plain
            and message.get("entities", []) == entities
            and message.get("reply_markup") == markup
        )
        if unchanged:
            raise ApiError(400, NOT_MODIFIED)
        message["text"] = plain
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        self._set_markup(message, markup)
        self._record_edit("editMessageText", chat, message, params, plain, entities, markup)
        return _clone(message)

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict | bool:
        markup = _check_reply_markup(params.get("reply_markup"), inline_only=True)
        if params.get("inline_message_id") is not None:
            return self._inline_edit(params)
        chat, message = self._message_to_edit(params)
        if message.get("reply_markup") == markup:
            raise ApiError(400, NOT_MODIFIED)
        self._set_markup(message, markup)
        self._record_edit(
            "editMessageReplyMarkup",
            chat,
            message,
            params,
            message.get("text"),
            message.get("entities", []),
            markup,
        )
        return _clone(message)

    @staticmethod
    def _set_markup(message: JSONDict, markup: JSONDict | None) -> None:
        """Editing without reply_markup removes the keyboard, as on Telegram."""
        message["edit_date"] = int(time.time())
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup

    def _record_edit(
        self,
        method: str,
        chat: JSONDict,
        message: JSONDict,
        params: JSONDict,
        plain: str | None,
        entities: list[JSONDict],
        markup: JSONDict | None,
    ) -> None:
        self._edits.append(
            {
                "method": method,
                "chat_id": chat["id"],
                "message_id": message["message_id"],
                "text": params.get("text"),
                "plain_text": plain,
                "entities": entities,
                "parse_mode": params.get("parse_mode"),
                "reply_markup": markup,
                "params": _clone(params),
                "message": _clone(message),
                "received_at": time.monotonic(),
            }
        )

    def _delete_message(self, params: JSONDict) -> bool:
        chat = self._target_chat(params)
        message_id = _int_param(params, "message_id")
        message = self._messages.get(chat["id"], {}).get(message_id or 0)
        if message is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        own = message.get("from", {}).get("id") == self.bot_user["id"]
        if not own and chat["type"] != "private":
            raise ApiError(400, "Bad Request: message can't be deleted")
        del self._messages[chat["id"]][message["message_id"]]
        self._deleted.append(
            {
                "chat_id": chat["id"],
                "message_id": message["message_id"],
                "received_at": time.monotonic(),
            }
        )
        return True

    def _send_chat_action(self, params: JSONDict) -> bool:
        chat = self._target_chat(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        self._chat_actions.append(
            {
                "chat_id": chat["id"],
                "action": action,
                "message_thread_id": self._thread_param(chat, params),
                "received_at": time.monotonic(),
            }
        )
        return True

    def _get_chat_member(self, params: JSONDict) -> JSONDict:
        chat = self._target_chat(params)
        user_id = _int_param(params, "user_id")
        if user_id is None:
            raise ApiError(400, "Bad Request: user_id is empty")
        user = self.bot_user if user_id == self.bot_user["id"] else self._users.get(user_id)
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        status = self._member_status.get((chat["id"], user_id), "member")
        member: JSONDict = {"status": status, "user": dict(user)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                    "can_pin_messages": True,
                }
            )
        elif status == "kicked":
            member["until_date"] = 0
        return member

    def _query(self, params: JSONDict, key: str, kind: str) -> _QueryState:
        state = self._queries.get(str(params.get(key) or ""))
        if state is None or state.kind != kind or state.answered:
            raise ApiError(400, QUERY_INVALID)
        return state

    def _answer_callback_query(self, params: JSONDict) -> bool:
        state = self._query(params, "callback_query_id", "callback")
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        state.answered = True
        state.answer = _clone(params)
        return True

    def _answer_inline_query(self, params: JSONDict) -> bool:
        state = self._query(params, "inline_query_id", "inline")
        results = params.get("results")
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse inline query results JSON array")
        if len(results) > MAX_INLINE_RESULTS:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            self._check_inline_result(result, seen)
        next_offset = params.get("next_offset")
        if next_offset is not None and len(str(next_offset).encode()) > 64:
            raise ApiError(400, "Bad Request: NEXT_OFFSET_INVALID")
        state.answered = True
        state.answer = _clone(params)
        return True

    def _check_inline_result(self, result: Any, seen: set[str]) -> None:
        if not isinstance(result, dict) or result.get("type") not in INLINE_RESULT_TYPES:
            raise ApiError(400, "Bad Request: can't parse InlineQueryResult JSON object")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not result_id:
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        if len(result_id.encode("utf-8")) > MAX_INLINE_RESULT_ID_BYTES:
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        if result_id in seen:
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        seen.add(result_id)
        if result["type"] == "article":
            if not isinstance(result.get("title"), str) or not result["title"]:
                raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
            if not isinstance(result.get("input_message_content"), dict):
                raise ApiError(400, "Bad Request: can't parse InputMessageContent JSON object")
        content = result.get("input_message_content")
        if isinstance(content, dict) and "message_text" in content:
            self._parse_text(content.get("message_text"), content.get("parse_mode"), content.get("entities"))
        if result.get("reply_markup") is not None:
            _check_reply_markup(result["reply_markup"], inline_only=True)


# ------------------------------------------------------------- module helpers


def _parse_multipart(content_type: str, body: bytes) -> JSONDict:
    """Decode multipart/form-data; uploaded files become ``{filename, size}`` dicts."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    params: JSONDict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            params[name] = {"filename": part.get_filename(), "size": len(payload)}
        else:
            params[name] = payload.decode("utf-8")
    return params


def _normalize_params(raw: JSONDict) -> JSONDict:
    """Decode JSON-valued fields and type integer/boolean fields of a request."""
    params: JSONDict = {}
    for key, value in raw.items():
        if key in _JSON_FIELDS and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as exc:
                raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from exc
        elif key in _INT_FIELDS and isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            value = int(value)
        elif key in _BOOL_FIELDS and isinstance(value, str):
            value = value.strip().lower() in ("true", "1")
        params[key] = value
    return params


def _int_param(params: JSONDict, name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ApiError(400, f'Bad Request: field "{name}" must be of type Integer')
    try:
        return int(value)
    except ValueError as exc:
        raise ApiError(400, f'Bad Request: field "{name}" must be of type Integer') from exc


def _int_or_str(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value)


def _scope_key(scope: JSONDict | None) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


def _check_entities(entities: Any, text: str) -> list[JSONDict]:
    """Validate an explicit ``entities`` array against the text."""
    if not isinstance(entities, list):
        raise ApiError(400, "Bad Request: can't parse entities JSON array")
    total = utf16_len(text)
    for entity in entities:
        if not isinstance(entity, dict) or not isinstance(entity.get("type"), str):
            raise ApiError(400, "Bad Request: can't parse MessageEntity JSON object")
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            raise ApiError(400, "Bad Request: can't parse MessageEntity JSON object")
        if offset < 0 or length <= 0 or offset + length > total:
            raise ApiError(400, "Bad Request: entity beginning/end is out of the text bounds")
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _check_button(button: Any) -> None:
    """Validate one InlineKeyboardButton like Telegram."""
    if not isinstance(button, dict):
        raise ApiError(400, "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str):
        raise ApiError(400, 'Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String')
    if not button["text"].strip():
        raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
    actions = [name for name in BUTTON_ACTIONS if button.get(name) is not None]
    if not actions:
        raise ApiError(
            400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise ApiError(
            400,
            "Bad Request: can't parse inline keyboard button: exactly one of "
            f"the optional fields must be used, got {', '.join(actions)}",
        )
    if "callback_data" in actions:
        data = button["callback_data"]
        size = len(data.encode("utf-8")) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    if "url" in actions:
        url = button["url"]
        if not isinstance(url, str) or not re.match(r"(?i)(https?://[^\s/]+|tg://)\S*$", url):
            raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")


def _check_reply_markup(markup: Any, *, inline_only: bool = False) -> JSONDict | None:
    """Validate reply_markup; returns it (or None when absent)."""
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise ApiError(
                400,
                "Bad Request: can't parse reply keyboard markup JSON object: "
                'Field "inline_keyboard" must be of type Array of Arrays',
            )
        for row in rows:
            for button in row:
                _check_button(button)
        return markup
    if inline_only:
        raise ApiError(400, "Bad Request: inline keyboard expected")
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in rows:
            for button in row:
                text = button if isinstance(button, str) else (button.get("text") if isinstance(button, dict) else None)
                if not isinstance(text, str) or not text:
                    raise ApiError(400, "Bad Request: keyboard button text must be non-empty")
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
