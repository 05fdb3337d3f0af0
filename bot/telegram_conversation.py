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
import logging
import os
import pickle
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import replace
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
        """The member's last answer in the group, if still remembered."""
        return self._states.get((chat_id, user_id))

    def put(self, chat_id: int, user_id: int, state: ConversationState) -> None:
        """Remember the member's last answer, forgetting the least recent past ``LIMIT``."""
        key = (chat_id, user_id)
        self._states[key] = state
        self._states.move_to_end(key)
        while len(self._states) > self.LIMIT:
            self._states.popitem(last=False)


class Sending:
    """The answers on their way in each group, memory only: a reply to one of them can be handled
    before the send returned its message id, and is then read once they are out."""

    WAIT_SECONDS = 3.0

    def __init__(self) -> None:
        self._chats: dict[int, set[asyncio.Future[None]]] = {}

    def start(self, chat_id: int) -> asyncio.Future[None]:
        """An answer in the chat is on its way; ``finish`` it with the future returned."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._chats.setdefault(chat_id, set()).add(done)
        return done

    def finish(self, chat_id: int, done: asyncio.Future[None]) -> None:
        """The answer ``start`` announced is out (or failed): wake whoever waits for it."""
        if not done.done():
            done.set_result(None)
        pending = self._chats.get(chat_id)
        if pending is not None:
            pending.discard(done)
            if not pending:
                del self._chats[chat_id]

    async def settle(self, chat_id: int) -> None:
        """Wait (at most ``WAIT_SECONDS``) until the chat's answers on their way are out."""
        pending = self._chats.get(chat_id)
        if pending:
            await asyncio.wait(list(pending), timeout=self.WAIT_SECONDS)


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
    if replied is not None and _replies_to(message, bot_id):
        answers = chat_data.get(ANSWERS) or {}
        return _load(answers.get(replied.message_id)), conversation.REPLY_TTL
    user = message.from_user
    return (users.get(message.chat.id, user.id) if user else None), conversation.GROUP_USER_TTL


def remember(
    message: Message,
    chat_data: dict[Any, Any] | None,
    users: UserMemory,
    state: ConversationState | None,
    user_id: int | None,
) -> None:
    """Before the answer goes out (the next message may be handled while it is on its way): the
    private chat's context, or the group member's."""
    if state is None or chat_data is None:
        return
    if message.chat.type == Chat.PRIVATE:
        chat_data[CONVERSATION] = state.dump()
    elif user_id is not None:
        users.put(message.chat.id, user_id, state)


def remember_sent(
    message: Message, chat_data: dict[Any, Any] | None, state: ConversationState | None, sent_ids: list[int]
) -> None:
    """Once sent: in a group, the answer's own state, for replies to it."""
    if state is None or chat_data is None or message.chat.type == Chat.PRIVATE or not sent_ids:
        return
    answers: dict[int, Any] = chat_data.setdefault(ANSWERS, {})
    for message_id in sent_ids:
        answers[message_id] = state.dump()
    while len(answers) > MAX_ANSWERS:
        del answers[next(iter(answers))]


async def resolve(
    message: Message,
    question: str,
    chat_data: dict[Any, Any] | None,
    users: UserMemory,
    sending: Sending,
    bot_id: int,
    **core: Any,
) -> Resolution:
    """``conversation.resolve`` with the context this Telegram message continues.

    In a group, a reply that finds nothing and names nothing ("I couldn't find that") keeps the context
    it was read against as its own, as a private chat keeps its last answer: a reply to the bot's miss
    ("who is he?") is read against the answer before it, not against nothing."""
    state, ttl = context_for(message, chat_data, users, bot_id)
    if state is None and _replies_to(message, bot_id):  # maybe to an answer whose send has not returned yet
        await sending.settle(message.chat.id)
        state, ttl = context_for(message, chat_data, users, bot_id)
    now = time.time()
    read = conversation.resolve(question, state, now=now, ttl=ttl, **core)
    if read.state is None and state is not None and message.chat.type != Chat.PRIVATE and not state.expired(now, ttl):
        return replace(read, state=state)
    return read


def _replies_to(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


# ---------------------------------------------------------------------------
# Persistence


def _at(value: object) -> float | None:
    """When a dumped state was answered, without building it (pruning 100,000 chats must be cheap)."""
    if isinstance(value, tuple) and len(value) in (6, 7) and isinstance(value[4], float):
        return value[4]
    return None


def prune(chat_data: dict[Any, Any], now: float) -> bool:
    """Drop states too old to be read against again; True when nothing worth keeping is left."""
    if CONVERSATION in chat_data:
        at = _at(chat_data[CONVERSATION])
        if at is None or now - at > conversation.PRIVATE_TTL:
            del chat_data[CONVERSATION]
    answers = chat_data.get(ANSWERS)
    if isinstance(answers, dict):
        for key in [k for k, v in answers.items() if (at := _at(v)) is None or now - at > conversation.REPLY_TTL]:
            del answers[key]
        if not answers:
            del chat_data[ANSWERS]
    elif ANSWERS in chat_data:
        del chat_data[ANSWERS]
    if chat_data.get(QUIET) is False:
        del chat_data[QUIET]  # the default needs no storing
    for key in [k for k in chat_data if k not in (CONVERSATION, ANSWERS, QUIET)]:
        del chat_data[key]
    return not chat_data


def _copy(chat_data: dict[Any, Any]) -> Any:
    """A copy a worker thread may prune and pickle while the loop changes the original; a private
    chat's is its state alone (the states are immutable tuples, shared with the live chat_data)."""
    if chat_data.keys() == {CONVERSATION}:
        return chat_data[CONVERSATION]
    return {k: dict(v) if isinstance(v, dict) else v for k, v in chat_data.items()}


def _expand(stored: Any) -> dict[Any, Any]:
    return stored if isinstance(stored, dict) else {CONVERSATION: stored}


def _expired(stored: Any, now: float) -> bool:
    """``prune`` for a stored copy: True when nothing in it is worth keeping any more."""
    if isinstance(stored, dict):
        return prune(stored, now)
    at = _at(stored)
    return at is None or now - at > conversation.PRIVATE_TTL


def _last_used(stored: Any) -> float:
    chat_data = _expand(stored)
    times = [at for v in (chat_data.get(ANSWERS) or {}).values() if (at := _at(v)) is not None]
    if (at := _at(chat_data.get(CONVERSATION))) is not None:
        times.append(at)
    return max(times, default=float("inf") if chat_data.get(QUIET) else 0.0)


class ChatStore(PicklePersistence):  # type: ignore[type-arg]
    """chat_data only (conversation states and quiet mode), pruned, bounded and written off the loop.

    PTB hands over each changed chat's data (``update_chat_data``, every ``update_interval``); only
    those are copied on the event loop. ``save`` (every ``SAVE_SECONDS`` and at shutdown) merges
    them into the stored set, prunes expired states and writes the file from a worker thread."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            filepath=path,
            store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=False, callback_data=False),
            single_file=True,
            on_flush=True,
            update_interval=5,
        )
        self.path = path
        self._stored: dict[int, Any] = {}  # touched only by the worker thread (under _lock)
        self._dirty: dict[int, Any] = {}  # chat id -> its new data (see _copy), None: dropped
        self._lock = asyncio.Lock()

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        chats: dict[int, dict[Any, Any]] = {}
        try:
            with self.path.open("rb") as file:
                loaded = pickle.load(file)  # builtins only: nothing here needs PTB's unpickler
            if isinstance(loaded, dict) and isinstance(loaded.get("chat_data"), dict):
                chats = {chat_id: _expand(data) for chat_id, data in loaded["chat_data"].items()}
        except FileNotFoundError:
            pass
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError) as exc:
            log.warning("conversation store %s unreadable (%s); starting empty", self.path, exc.__class__.__name__)
        now = time.time()
        chats = {chat_id: data for chat_id, data in chats.items() if isinstance(data, dict) and not prune(data, now)}
        self._stored = {chat_id: _copy(data) for chat_id, data in chats.items()}
        self.chat_data = None  # PTB's own copy is not kept: ``_stored`` is what gets written
        return chats

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        self._dirty[chat_id] = _copy(data)

    async def drop_chat_data(self, chat_id: int) -> None:
        self._dirty[chat_id] = None

    async def save(self) -> list[int]:
        """Write the store; returns the chats it dropped because everything in them expired."""
        async with self._lock:
            dirty, self._dirty = self._dirty, {}
            return await asyncio.to_thread(self._merge_and_write, dirty, time.time())

    def _merge_and_write(self, dirty: dict[int, Any], now: float) -> list[int]:
        stored = self._stored
        for chat_id, data in dirty.items():
            if data is None:
                stored.pop(chat_id, None)
            else:
                stored[chat_id] = data
        expired = [c for c, data in stored.items() if _expired(data, now)]
        for chat_id in expired:
            del stored[chat_id]
        if len(stored) > MAX_CHATS:
            for chat_id in sorted(stored, key=lambda c: _last_used(stored[c]))[: len(stored) - MAX_CHATS]:
                del stored[chat_id]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        with tmp.open("wb") as file:
            pickle.dump({"chat_data": stored}, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)
        return expired

    async def flush(self) -> None:
        """Save now (at shutdown), whatever the schedule."""
        await self.save()


async def keep_saving(store: ChatStore, chats: Mapping[int, dict[Any, Any]], drop: Callable[[int], None]) -> None:
    """The periodic save, for as long as the bot runs (a failed write is logged and retried).
    Chats whose states all expired are dropped from memory too, so memory stays bounded."""
    while True:
        await asyncio.sleep(SAVE_SECONDS)
        try:
            expired = await store.save()
        except OSError as exc:
            log.warning("could not save conversations to %s: %s", store.path, exc.__class__.__name__)
            continue
        now = time.time()
        for chat_id in expired:
            if chat_id in chats and prune(chats[chat_id], now):
                drop(chat_id)
