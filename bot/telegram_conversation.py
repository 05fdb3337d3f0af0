"""Which conversation a Telegram message continues, and the PTB persistence that keeps it.

* Private chat: the chat's last answer (``chat_data["conversation"]``), for ``PRIVATE_TTL``.
* Group, a reply to one of the bot's answers: that answer (``chat_data["answers"]``: the bot's
  message id -> its state, the newest ``MAX_ANSWERS`` per group).
* Group, a mention or /ask: the same member's previous answer, for ``GROUP_USER_TTL``. Kept in
  memory only (``UserMemory``), so no user id is ever written to disk; a restart forgets it.
* Inline mode: no context.

Only builtins go into ``chat_data`` (``ConversationState.dump()``), never a future or a socket.
``ChatStore`` is a ``PicklePersistence`` for chat_data alone that prunes old states and writes
its file from a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from telegram import Chat, Message
from telegram.ext import PersistenceInput, PicklePersistence

from bot import conversation
from bot.conversation import ConversationState, Resolution

log = logging.getLogger("bot")

CONVERSATION = "conversation"  # chat_data key: a private chat's last answer
ANSWERS = "answers"  # chat_data key: in a group, the bot's message id -> the state of that answer
QUIET = "quiet"
MAX_ANSWERS = 64  # answers remembered per group for replies
MAX_CHATS = 200_000  # chats kept in the store; the least recently answered go first
SAVE_SECONDS = 30.0


class UserMemory:
    """(group, member) -> that member's last answer there, in memory only and bounded."""

    LIMIT = 20_000

    def __init__(self) -> None:
        self._states: OrderedDict[tuple[int, int], ConversationState] = OrderedDict()

    def get(self, chat_id: int, user_id: int) -> ConversationState | None:
        return self._states.get((chat_id, user_id))

    def put(self, chat_id: int, user_id: int, state: ConversationState) -> None:
        key = (chat_id, user_id)
        self._states[key] = state
        self._states.move_to_end(key)
        while len(self._states) > self.LIMIT:
            self._states.popitem(last=False)


def _load(data: object) -> ConversationState | None:
    return ConversationState.load(data)


def context_for(
    message: Message, chat_data: dict[Any, Any] | None, users: UserMemory, bot_id: int
) -> tuple[ConversationState | None, float]:
    """The state a message is read against, and how long that kind of context lasts."""
    if chat_data is None:
        return None, 0.0
    if message.chat.type == Chat.PRIVATE:
        return _load(chat_data.get(CONVERSATION)), conversation.PRIVATE_TTL
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        answers = chat_data.get(ANSWERS) or {}
        return _load(answers.get(replied.message_id)), conversation.REPLY_TTL
    user = message.from_user
    return (users.get(message.chat.id, user.id) if user else None), conversation.GROUP_USER_TTL


def remember(
    message: Message,
    chat_data: dict[Any, Any] | None,
    users: UserMemory,
    state: ConversationState | None,
    sent_ids: list[int],
    user_id: int | None,
) -> None:
    """After an answer: the chat's (or the member's) context, and the answer's own for replies."""
    if state is None or chat_data is None:
        return
    if message.chat.type == Chat.PRIVATE:
        chat_data[CONVERSATION] = state.dump()
        return
    if user_id is not None:
        users.put(message.chat.id, user_id, state)
    answers: dict[int, Any] = chat_data.setdefault(ANSWERS, {})
    for message_id in sent_ids:
        answers[message_id] = state.dump()
    while len(answers) > MAX_ANSWERS:
        del answers[next(iter(answers))]


def resolve(
    message: Message, question: str, chat_data: dict[Any, Any] | None, users: UserMemory, bot_id: int, **core: Any
) -> Resolution:
    """``conversation.resolve`` with the context this Telegram message continues."""
    state, ttl = context_for(message, chat_data, users, bot_id)
    return conversation.resolve(question, state, now=time.time(), ttl=ttl, **core)


# ---------------------------------------------------------------------------
# Persistence


def prune(chat_data: dict[Any, Any], now: float) -> bool:
    """Drop states too old to be read against again; True when nothing worth keeping is left."""
    state = _load(chat_data.get(CONVERSATION))
    if CONVERSATION in chat_data and (state is None or state.expired(now, conversation.PRIVATE_TTL)):
        del chat_data[CONVERSATION]
    answers = chat_data.get(ANSWERS)
    if isinstance(answers, dict):
        for key in [k for k, v in answers.items() if (s := _load(v)) is None or s.expired(now, conversation.REPLY_TTL)]:
            del answers[key]
        if not answers:
            del chat_data[ANSWERS]
    return not chat_data


def _last_used(chat_data: dict[Any, Any]) -> float:
    times = [s.at for v in (chat_data.get(ANSWERS) or {}).values() if (s := _load(v)) is not None]
    if (state := _load(chat_data.get(CONVERSATION))) is not None:
        times.append(state.at)
    return max(times, default=float("inf") if chat_data.get(QUIET) else 0.0)


def snapshot(chats: dict[int, dict[Any, Any]], now: float) -> dict[int, dict[Any, Any]]:
    """A pruned, bounded copy of every chat's data that a thread can pickle while the loop goes on."""
    copy: dict[int, dict[Any, Any]] = {}
    for chat_id, data in chats.items():
        kept = {
            k: dict(v) if isinstance(v, dict) else v for k, v in data.items() if k in (CONVERSATION, ANSWERS, QUIET)
        }
        if not prune(kept, now):
            copy[chat_id] = kept
    if len(copy) > MAX_CHATS:
        newest = sorted(copy, key=lambda c: _last_used(copy[c]), reverse=True)[:MAX_CHATS]
        copy = {c: copy[c] for c in newest}
    return copy


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("wb") as file:
        pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


class ChatStore(PicklePersistence):  # type: ignore[type-arg]
    """chat_data only (conversation states and quiet mode), pruned and written off the event loop.

    PTB keeps its copy of chat_data here (``on_flush=True``: no write per update); ``save`` runs
    every ``SAVE_SECONDS`` from a task and writes a pruned snapshot from a worker thread."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            filepath=path,
            store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=False, callback_data=False),
            single_file=True,
            on_flush=True,
            update_interval=5,
        )
        self.path = path
        self._lock = asyncio.Lock()

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        try:
            chats = await super().get_chat_data()
        except (TypeError, ValueError, OSError) as exc:  # a broken or foreign file: start empty, say so
            log.warning("conversation store %s unreadable (%s); starting empty", self.path, exc.__class__.__name__)
            self.chat_data = {}
            return {}
        now = time.time()
        for chat_id in [c for c, data in chats.items() if prune(data, now)]:
            del chats[chat_id]
        return chats

    async def save(self) -> None:
        async with self._lock:
            data = {"chat_data": snapshot(self.chat_data or {}, time.time())}
            await asyncio.to_thread(_write, self.path, data)

    async def flush(self) -> None:
        await self.save()


async def keep_saving(store: ChatStore) -> None:
    """The periodic save, for as long as the bot runs."""
    while True:
        await asyncio.sleep(SAVE_SECONDS)
        with contextlib.suppress(OSError):
            await store.save()
