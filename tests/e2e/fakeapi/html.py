"""Telegram's HTML parse mode (the only one the bot sends): tags, entities, UTF-16 offsets, the
stripping of surrounding whitespace and the entities Telegram finds by itself in user text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NoReturn

from .rules import ApiError, JSONDict

_AUTO_ENTITY_RES = (
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?!\w)")),
    ("mention", re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{4,32}(?!\w)")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")),
    ("url", re.compile(r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]'\"]")),
)


class EntityParseError(ValueError):
    """Markup could not be parsed; the message is Telegram's text after "can't parse entities: "."""


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
