"""Telegram traffic: flood limits per chat, retries that cannot duplicate a message, a fast stop.

Three pieces, each replacing a PTB default whose one global state let one chat hold up all others:

* ``ChatRateLimiter`` (PTB's ``BaseRateLimiter``): a group's 20 messages a minute and a 429's
  ``retry_after`` hold back only that chat. At most ``MAX_WAITING`` requests wait per chat;
  one more is refused with ``ChatFlooded`` (the handler's error says so once, in a note).
  Failed requests are sent again only when they cannot have reached Telegram, or when
  sending them twice changes nothing (``IDEMPOTENT``).
* ``SlotProcessor`` (PTB's ``BaseUpdateProcessor``): eight updates run at once, as before, but
  an update waiting for its chat's turn gives its slot back (``slot_released``), so a busy
  group never makes a private chat wait.
* ``install_stop_signals``: SIGTERM and SIGINT end every wait at once (those answers are
  logged as not sent) and cancel what still runs after ``STOP_GRACE_SECONDS``, so the
  process exits within a container runtime's 10 s even during a long ``retry_after``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, NoReturn, TypeGuard

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import BaseRateLimiter, BaseUpdateProcessor

from bot import render
from bot.telegram_http import RequestNotSent, ResponseLost

if TYPE_CHECKING:
    from telegram._utils.types import JSONDict
    from telegram.ext import Application

log = logging.getLogger("bot")

GROUP_MAX_RATE: Final = 20  # messages a group may get per GROUP_TIME_PERIOD (Telegram's limit)
GROUP_TIME_PERIOD: Final = 60.0
MAX_WAITING: Final = 8  # requests that may wait for one chat's turn (a group's 8 answers: 24 s)
MAX_RETRY_AFTER_RETRIES: Final = 3
NETWORK_RETRIES: Final = (0.2, 0.5, 1.0)  # waits between attempts after a 5xx or an unsent request
FLOOD_NOTE_INTERVAL: Final = 60.0  # at most one "too many questions" note per chat in this time
MAX_CHAT_STATES: Final = 4096  # chats with a rate state kept before idle ones are pruned
STOP_GRACE_SECONDS: Final = 3.0  # after SIGTERM, updates still running this long are cancelled
RUNNING_UPDATES: Final = 8

# Methods that post into a chat and so count against a group's per-minute limit.
_POSTING_PREFIXES: Final = ("send", "edit", "copy", "forward")
# Methods that may be sent twice when their answer was lost: they change nothing the second time.
IDEMPOTENT: Final = frozenset(
    {
        "setwebhook",
        "deletewebhook",
        "setmycommands",
        "deletemycommands",
        "setmydescription",
        "setmyshortdescription",
        "setmyname",
        "setchatmenubutton",
    }
)


class TrafficError(TelegramError):
    """A request the limiter did not send; the chat gets no answer to it (handlers need not apologise)."""

    def __init__(self, message: str, chat: int | str) -> None:
        super().__init__(message)
        self.chat = chat


class ChatFlooded(TrafficError):
    """Too many requests already wait for this chat's turn; ``note_due`` the first time in a while."""

    def __init__(self, chat: int | str, *, note_due: bool) -> None:
        super().__init__(f"too many answers already waiting for chat {chat}", chat)
        self.note_due = note_due


class NotAnswered(TrafficError):
    """The bot is stopping: a request still waiting for its chat's turn is given up."""

    def __init__(self, chat: int | str) -> None:
        super().__init__(f"stopping: the answer to chat {chat} was not sent", chat)


# ---------------------------------------------------------------------------
# Update slots that a wait gives back


class _Slot:
    """One of the processor's running slots, held by one update's task."""

    __slots__ = ("held", "semaphore")

    def __init__(self, semaphore: asyncio.Semaphore) -> None:
        self.semaphore = semaphore
        self.held = False

    async def acquire(self) -> None:
        await self.semaphore.acquire()
        self.held = True

    def release(self) -> None:
        if self.held:
            self.held = False
            self.semaphore.release()


_SLOT: ContextVar[_Slot | None] = ContextVar("update_slot", default=None)
_NOTE: ContextVar[bool] = ContextVar("flood_note", default=False)


@contextlib.asynccontextmanager
async def slot_released() -> AsyncIterator[None]:
    """Give the current update's running slot to another update while this one waits."""
    slot = _SLOT.get()
    if slot is None or not slot.held:
        yield
        return
    slot.release()
    try:
        yield
    finally:
        await slot.acquire()  # if cancelled here the slot stays released, and nothing releases it twice


@contextlib.contextmanager
def flood_note() -> Iterator[None]:
    """The note that tells a flooded chat some questions were skipped may wait beyond MAX_WAITING."""
    token = _NOTE.set(True)
    try:
        yield
    finally:
        _NOTE.reset(token)


class SlotProcessor(BaseUpdateProcessor):
    """``running`` updates at once, like ``concurrent_updates(running)``, except that an update
    waiting for its chat's turn does not count (see ``slot_released``)."""

    __slots__ = ("_chats", "_running", "_tasks")

    def __init__(self, running: int = RUNNING_UPDATES, in_flight: int = 4096) -> None:
        super().__init__(in_flight)  # PTB's own bound: updates started (running or waiting)
        self._running = asyncio.Semaphore(running)
        self._tasks: dict[asyncio.Task[Any], int | None] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        slot = _Slot(self._running)
        task = asyncio.current_task()
        if task is not None:
            self._tasks[task] = _chat_id_of(update)
        try:
            try:
                await slot.acquire()
            except asyncio.CancelledError:
                if isinstance(coroutine, Coroutine):
                    coroutine.close()  # never started: no "never awaited" warning
                raise
            token = _SLOT.set(slot)
            try:
                await coroutine
            finally:
                _SLOT.reset(token)
        finally:
            slot.release()
            if task is not None:
                self._tasks.pop(task, None)

    def cancel_running(self) -> None:
        """Cancel every update still being processed (at exit, once the grace time is over)."""
        if not self._tasks:
            return
        chats = sorted({str(chat) for chat in self._tasks.values() if chat is not None})
        log.warning(
            "stopping: cancelled %d update(s) still running; chats maybe not answered: %s",
            len(self._tasks),
            ", ".join(chats) or "none",
        )
        for task in list(self._tasks):
            task.cancel()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def _chat_id_of(update: object) -> int | None:
    chat = getattr(update, "effective_chat", None)
    return getattr(chat, "id", None)


# ---------------------------------------------------------------------------
# The rate limiter


@dataclass(slots=True)
class _ChatState:
    """What the limiter knows about one chat: only groups and chats that got a 429 have one."""

    tat: float = 0.0  # GCRA's theoretical arrival time of the next message (groups)
    paused_until: float = 0.0  # a 429's retry_after ends here
    waiting: int = 0
    noted_at: float | None = None  # the last flood note

    def idle(self, now: float) -> bool:
        """Nothing to remember: no waiter, no pause, and the group's burst allowance is whole again."""
        return not self.waiting and self.paused_until <= now and self.tat <= now


class ChatRateLimiter(BaseRateLimiter[None]):
    """Per-chat flood control and safe retries (see the module docstring)."""

    def __init__(
        self,
        *,
        group_max_rate: int = GROUP_MAX_RATE,
        group_time_period: float = GROUP_TIME_PERIOD,
        max_waiting: int = MAX_WAITING,
        max_retries: int = MAX_RETRY_AFTER_RETRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._interval = group_time_period / group_max_rate
        self._tolerance = (group_max_rate - 1) * self._interval  # a burst of group_max_rate at once
        self._max_waiting = max_waiting
        self._max_retries = max_retries
        self._clock = clock
        self._chats: dict[int | str, _ChatState] = {}
        self._stopping: asyncio.Event | None = None
        self._unanswered: list[int | str] = []

    async def initialize(self) -> None:
        self._stopping = asyncio.Event()

    async def shutdown(self) -> None:
        if self._unanswered:
            chats = ", ".join(str(c) for c in dict.fromkeys(self._unanswered))
            log.warning("stopped with %d answer(s) not sent, to chats: %s", len(self._unanswered), chats)
            self._unanswered.clear()

    def abandon(self) -> None:
        """End every wait now (the bot is stopping); those requests raise ``NotAnswered``."""
        if self._stopping is not None:
            self._stopping.set()

    def chat_states(self) -> int:
        """How many chats the limiter remembers (for tests: state only where there is state)."""
        return len(self._chats)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat = _chat_key(data.get("chat_id"))
        method = endpoint.lower()
        key: int | str = chat if chat is not None else f"method:{method}"
        counted = _is_group(chat) and method.startswith(_POSTING_PREFIXES) and method != "sendchataction"
        rate_limited = network_failures = 0
        while True:
            await self._wait_turn(key, counted)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                rate_limited += 1
                seconds = exc._retry_after.total_seconds()  # the timedelta, whatever PTB's int/float setting
                self._state(key).paused_until = max(self._state(key).paused_until, self._clock() + seconds)
                if rate_limited > self._max_retries:
                    raise
                log.info("%s to %s: Telegram asks to wait %gs (this chat only)", endpoint, key, seconds)
            except NetworkError as exc:
                if network_failures >= len(NETWORK_RETRIES) or not _retryable(exc, method):
                    raise
                wait = NETWORK_RETRIES[network_failures]
                network_failures += 1
                log.warning("%s failed (%s); retrying in %.1fs", endpoint, first_sentence(exc.message), wait)
                async with slot_released():
                    await self._sleep(key, wait)
            finally:
                self._prune()

    async def _wait_turn(self, key: int | str, counted: bool, *, queued: bool = False) -> None:
        """Wait (without an update slot) until ``key`` may send; reserve its turn if ``counted``.

        ``queued``: this request already waited its turn and only a 429 since holds it back."""
        now = self._clock()
        state = self._chats.get(key)
        if state is None and not counted:
            return  # the common case: a private chat nobody paused
        state = state or self._state(key)
        start = max(now, state.paused_until)
        if counted:
            start = max(start, state.tat - self._tolerance)
        wait = start - now
        if wait > 0 and state.waiting >= self._max_waiting and not queued and not _NOTE.get():
            note_due = state.noted_at is None or now - state.noted_at >= FLOOD_NOTE_INTERVAL
            if note_due:
                state.noted_at = now
            raise ChatFlooded(key, note_due=note_due)
        if counted:
            state.tat = max(state.tat, start) + self._interval
        if wait <= 0:
            return
        state.waiting += 1
        try:
            async with slot_released():
                await self._sleep(key, wait)
        finally:
            state.waiting -= 1
        if state.paused_until > self._clock():  # a 429 came in for this chat meanwhile
            await self._wait_turn(key, counted=False, queued=True)

    async def _sleep(self, key: int | str, seconds: float) -> None:
        """Sleep, unless the bot is stopping: then give up at once."""
        stopping = self._stopping
        if stopping is None:
            await asyncio.sleep(seconds)
            return
        if not stopping.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(seconds):
                    await stopping.wait()
        if stopping.is_set():
            if isinstance(key, int):
                self._unanswered.append(key)
            raise NotAnswered(key)

    def _state(self, key: int | str) -> _ChatState:
        state = self._chats.get(key)
        if state is None:
            state = self._chats[key] = _ChatState()
        return state

    def _prune(self) -> None:
        """Forget chats with nothing to remember once there are many (a state is tiny, a million
        are not); past the bound, the oldest without a waiter go too (at worst Telegram then
        answers one of them with a 429, which pauses just that chat)."""
        if len(self._chats) <= MAX_CHAT_STATES:
            return
        now = self._clock()
        for key in [k for k, state in self._chats.items() if state.idle(now)]:
            del self._chats[key]
        excess = len(self._chats) - MAX_CHAT_STATES * 3 // 4  # room to grow before the next scan
        if excess > 0:
            for key in [k for k, state in self._chats.items() if not state.waiting][:excess]:
                del self._chats[key]


def _chat_key(chat_id: object) -> int | str | None:
    if chat_id is None:
        return None
    if isinstance(chat_id, int):
        return chat_id
    text = str(chat_id)
    with contextlib.suppress(ValueError):
        return int(text)
    return text  # "@channelusername"


def _is_group(chat: int | str | None) -> bool:
    return (isinstance(chat, int) and chat < 0) or isinstance(chat, str)


def _retryable(exc: NetworkError, method: str) -> bool:
    """Only what cannot have been carried out, or what changes nothing when carried out twice."""
    if isinstance(exc, RequestNotSent):
        return True  # including a pool time-out: the request never left
    if isinstance(exc, BadRequest | TimedOut):
        return False  # refused for good; or timed out, and perhaps delivered
    idempotent = method.startswith("get") or method in IDEMPOTENT
    if isinstance(exc, ResponseLost) or exc.message.startswith(("httpx.", "Unknown error in HTTP")):
        # PTB's httpx client: only a failed connect is known not to have reached Telegram.
        return idempotent or exc.message.startswith("httpx.ConnectError")
    return True  # the Bot API answered with a 5xx: it did not carry the request out


def first_sentence(text: str) -> str:
    """PTB appends the whole error page of a 5xx to the message; the status is enough for a log line."""
    return text.split(". Parsing the server response", 1)[0][:200]


# ---------------------------------------------------------------------------
# What the error handler says about an answer that did not (or may not) go out


# Refusals that mean the place to answer is gone (a forum topic deleted or closed meanwhile):
# an apology would be refused the same way.
GONE: Final = ("message thread not found", "topic_deleted", "topic_closed")


def no_apology(error: object) -> TypeGuard[TelegramError]:
    """No apology after these: the answer may be there already (a time-out, a lost answer,
    a 429 that outlasted its retries), was given up on purpose (flooded, stopping), or has
    nowhere to go; an apology would arrive next to the answer, take its place, or fail too."""
    if isinstance(error, BadRequest):
        return any(gone in error.message.lower() for gone in GONE)
    return isinstance(error, TrafficError | TimedOut | RetryAfter | ResponseLost)


async def tell_unsent(update: object, error: TelegramError) -> None:
    """One warning line, no traceback; a flooded chat gets one note now and then."""
    chat = getattr(getattr(update, "effective_chat", None), "id", None)
    if isinstance(error, ChatFlooded):
        log.warning("chat %s: too many answers already waiting, this one is skipped", chat)
        message = update.effective_message if isinstance(update, Update) else None
        if error.note_due and message is not None:
            with flood_note(), contextlib.suppress(TelegramError):  # the note may be refused too (stopping)
                await message.reply_html(render.FLOOD_NOTE)
        return
    if isinstance(error, NotAnswered):
        log.warning("chat %s: not answered, the bot is stopping", chat)
        return
    if isinstance(error, BadRequest):
        log.warning("chat %s: nowhere to answer (%s)", chat, error.message)
        return
    log.warning(
        "chat %s: %s (%s); no apology sent, the answer may have arrived",
        chat,
        type(error).__name__,
        first_sentence(error.message) or "no details",
    )


# ---------------------------------------------------------------------------
# Stopping


def install_stop_signals(app: Application) -> None:  # type: ignore[type-arg]
    """Replace PTB's SIGTERM/SIGINT handlers with ones that first end every rate-limit wait.

    PTB's stop waits for every update being processed, and one waiting out a 30 s
    ``retry_after`` would keep the process up past a container's kill deadline."""
    loop = asyncio.get_running_loop()
    limiter = app.bot.rate_limiter
    processor = app.update_processor

    def stop() -> NoReturn:
        if isinstance(limiter, ChatRateLimiter):
            limiter.abandon()
        if isinstance(processor, SlotProcessor):
            loop.call_later(STOP_GRACE_SECONDS, processor.cancel_running)
        raise SystemExit  # what PTB's own handler does: run_polling/run_webhook then stop cleanly

    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on every platform
            loop.add_signal_handler(sig, stop)
