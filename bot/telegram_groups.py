"""Group chats: who is addressing the bot, and not answering the same question twice in a row.

The filters decide which group messages are questions (a mention, a reply to the bot); the
``RepeatMemory`` remembers what was answered where, so a question answered in a group a few
minutes ago gets a link to that answer instead of a second copy.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Chat, Message, MessageEntity, ReplyParameters
from telegram.ext import filters

from bot import knowledge, render

REPEAT_WINDOW_SECONDS = 300  # in a group, the same answer again within this time is a link to the first one


@dataclass(slots=True)
class GroupAnswer:
    """An answer given in a group: its message id (None if sending failed) and when."""

    message_id: asyncio.Future[int | None]
    at: float


RepeatKey = tuple[int, int | None, str]  # (chat id, forum topic or None, entry id)


class RepeatMemory:
    """The answers given in groups in the last ``window`` seconds, per chat, forum topic and entry.

    It holds futures (an answer still being sent has no message id yet), so it lives in
    ``BotState``, never in ``chat_data``: nothing here must be persisted. Entries are kept in
    the order they were given, so forgetting the old ones looks only at the oldest."""

    def __init__(self, window: float = REPEAT_WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._answers: dict[RepeatKey, GroupAnswer] = {}

    def __len__(self) -> int:
        return len(self._answers)

    def earlier(self, key: RepeatKey) -> GroupAnswer | None:
        """The answer given there within the window, if any (it may still be on its way)."""
        record = self._answers.get(key)
        return record if record is not None and self._clock() - record.at < self.window else None

    def start(self, key: RepeatKey) -> GroupAnswer:
        """Note an answer about to be sent: before sending, so a repeat arriving meanwhile finds it."""
        now = self._clock()
        self._forget_before(now - self.window)
        record = GroupAnswer(asyncio.get_running_loop().create_future(), now)
        self._answers.pop(key, None)  # re-inserted at the end: the dict stays oldest first
        self._answers[key] = record
        return record

    def finish(self, key: RepeatKey, record: GroupAnswer, message_id: int | None) -> None:
        """The answer went out as ``message_id`` (None: it failed, so forget it)."""
        record.message_id.set_result(message_id)
        if message_id is None and self._answers.get(key) is record:
            del self._answers[key]

    def _forget_before(self, cutoff: float) -> None:
        while self._answers:
            key, record = next(iter(self._answers.items()))
            if record.at > cutoff:
                return
            del self._answers[key]


def topic_of(message: Message) -> int | None:
    return message.message_thread_id if message.is_topic_message else None


def repeat_key(message: Message, entry: knowledge.Entry) -> RepeatKey:
    return message.chat.id, topic_of(message), entry.id


def message_link(chat: Chat, message_id: int, thread_id: int | None = None) -> str | None:
    """A t.me link to a message, for supergroups (basic groups have no message links)."""
    if chat.type != Chat.SUPERGROUP or not str(chat.id).startswith("-100"):
        return None
    internal = str(chat.id).removeprefix("-100")
    return (
        f"https://t.me/c/{internal}/{thread_id}/{message_id}"
        if thread_id
        else f"https://t.me/c/{internal}/{message_id}"
    )


async def point_to_earlier(message: Message, entry: knowledge.Entry, answer_id: int, answered_at: float) -> None:
    minutes = int((time.monotonic() - answered_at) // 60)
    link = message_link(message.chat, answer_id, topic_of(message))
    text = render.repeat_html(entry, link, minutes)
    if link is not None:
        await message.reply_html(text)  # quotes the question (Defaults.do_quote)
    else:  # no link to give: reply to the earlier answer itself
        await message.reply_html(text, reply_parameters=ReplyParameters(answer_id, allow_sending_without_reply=True))


class _FromHuman(filters.MessageFilter):
    """Messages sent by a person (not by a bot, not on behalf of a channel)."""

    def filter(self, message: Message) -> bool:
        user = message.from_user
        return user is not None and not user.is_bot and message.sender_chat is None


class _AddressedToBot(filters.MessageFilter):
    """Group messages that mention the bot or reply to one of its messages."""

    def filter(self, message: Message) -> bool:
        return replies_to_bot(message) or _mentions_bot(message)


def replies_to_bot(message: Message) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == message.get_bot().id


def _mentions_bot(message: Message) -> bool:
    bot = message.get_bot()
    username = (bot.username or "").casefold()
    return any(
        (entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot.id)
        or (entity.type == MessageEntity.MENTION and text[1:].casefold() == username)
        for entity, text in _entities(message, (MessageEntity.MENTION, MessageEntity.TEXT_MENTION))
    )


def _entities(message: Message, types: tuple[str, ...]) -> list[tuple[MessageEntity, str]]:
    """PTB's ``parse_entities``, except that a lone surrogate (broken text some clients send)
    does not make it raise: offsets count UTF-16 code units, so the text is encoded as they do."""
    text = message.text or ""
    if not _SURROGATE.search(text):
        return list(message.parse_entities(list(types)).items())
    units = text.encode("utf-16-le", "surrogatepass")
    return [
        (entity, units[entity.offset * 2 : (entity.offset + entity.length) * 2].decode("utf-16-le", "replace"))
        for entity in message.entities
        if entity.type in types
    ]


_SURROGATE = re.compile("[\ud800-\udfff]")


def question_text(message: Message) -> str:
    """The message text without the bot's @mention (a lone surrogate, which nothing downstream
    can encode, becomes U+FFFD)."""
    bot = message.get_bot()
    text = _SURROGATE.sub("\ufffd", message.text or "")
    username = re.escape(bot.username or "")
    return re.sub(rf"@{username}\b", " ", text, flags=re.IGNORECASE).strip() if username else text


HUMAN = _FromHuman()
ADDRESSED = _AddressedToBot()
NEW_MESSAGE = filters.UpdateType.MESSAGE & HUMAN
