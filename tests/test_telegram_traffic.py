"""The rate limiter and the update processor on their own: who waits for whom, what is sent
again, what a stop gives up, what state is kept. Waits are made tiny (a group limit of a
few messages per fraction of a second); the assertions are about order and counts, not time."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from telegram import Update
from telegram.error import NetworkError, RetryAfter, TimedOut

from bot import knowledge, telegram_traffic, telegram_webhook
from bot.config import load_settings
from bot.telegram_app import build_application
from bot.telegram_http import PoolTimedOut, RequestNotSent, ResponseLost
from bot.telegram_traffic import (
    MAX_CHAT_STATES,
    ChatFlooded,
    ChatRateLimiter,
    NotAnswered,
    SlotProcessor,
    flood_note,
    slot_released,
)
from tests.fakes import RecordingRequest

GROUP, OTHER_GROUP, PRIVATE = -100111, -100222, 42


@pytest_asyncio.fixture
async def limiter() -> AsyncIterator[ChatRateLimiter]:
    # A group may send 2 messages at once, then one every 0.05 s; one request may wait.
    limiter = ChatRateLimiter(group_max_rate=2, group_time_period=0.1, max_waiting=1)
    await limiter.initialize()
    yield limiter
    await limiter.shutdown()


class Recorder:
    """A stand-in for PTB's request callback: records the order requests went out."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.failures: dict[str, list[Exception]] = {}

    async def __call__(self, label: str) -> bool:
        if self.failures.get(label):
            raise self.failures[label].pop(0)
        self.sent.append(label)
        return True


async def post(
    limiter: ChatRateLimiter, recorder: Recorder, label: str, chat: int | None, method: str = "sendMessage"
) -> Any:
    data = {} if chat is None else {"chat_id": chat}
    return await limiter.process_request(recorder, (label,), {}, method, data, None)


@pytest.mark.asyncio
async def test_a_group_over_its_limit_waits_and_then_is_refused_with_one_note(limiter: ChatRateLimiter) -> None:
    recorder = Recorder()
    burst = [asyncio.create_task(post(limiter, recorder, f"g{n}", GROUP)) for n in range(3)]
    await asyncio.sleep(0)  # all three have taken their turn: two sent, one waiting
    assert recorder.sent == ["g0", "g1"]
    with pytest.raises(ChatFlooded) as first:
        await post(limiter, recorder, "g3", GROUP)
    with pytest.raises(ChatFlooded) as second:
        await post(limiter, recorder, "g4", GROUP)
    assert first.value.note_due and not second.value.note_due, "one note per flood, not one per skipped answer"
    await asyncio.gather(*burst)
    assert recorder.sent == ["g0", "g1", "g2"]


@pytest.mark.asyncio
async def test_the_note_about_skipped_answers_waits_its_turn_instead_of_being_skipped(limiter: ChatRateLimiter) -> None:
    recorder = Recorder()
    burst = [asyncio.create_task(post(limiter, recorder, f"g{n}", GROUP)) for n in range(3)]
    await asyncio.sleep(0)
    with pytest.raises(ChatFlooded):
        await post(limiter, recorder, "skipped", GROUP)
    with flood_note():
        await post(limiter, recorder, "note", GROUP)
    await asyncio.gather(*burst)
    assert recorder.sent == ["g0", "g1", "g2", "note"]


@pytest.mark.asyncio
async def test_a_busy_group_does_not_hold_back_other_chats(limiter: ChatRateLimiter) -> None:
    recorder = Recorder()
    waiting = [asyncio.create_task(post(limiter, recorder, f"g{n}", GROUP)) for n in range(3)]
    await asyncio.sleep(0)
    await post(limiter, recorder, "private", PRIVATE)
    await post(limiter, recorder, "other group", OTHER_GROUP)
    assert recorder.sent == ["g0", "g1", "private", "other group"]
    await asyncio.gather(*waiting)


@pytest.mark.asyncio
async def test_a_429_pauses_only_the_chat_it_names(limiter: ChatRateLimiter) -> None:
    recorder = Recorder()
    recorder.failures["paused"] = [RetryAfter(dt.timedelta(seconds=1))]
    paused = asyncio.create_task(post(limiter, recorder, "paused", PRIVATE))
    await asyncio.sleep(0)
    await post(limiter, recorder, "private elsewhere", PRIVATE + 1)
    await post(limiter, recorder, "group", GROUP)
    assert recorder.sent == ["private elsewhere", "group"]
    limiter.abandon()  # no need to wait the second out
    with pytest.raises(NotAnswered):
        await paused


@pytest.mark.asyncio
async def test_a_stop_ends_every_wait_and_names_the_chats(
    limiter: ChatRateLimiter, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    recorder.failures["slow"] = [RetryAfter(dt.timedelta(hours=1))]
    waiting = asyncio.create_task(post(limiter, recorder, "slow", PRIVATE))
    await asyncio.sleep(0)
    limiter.abandon()
    with pytest.raises(NotAnswered):
        await waiting
    with caplog.at_level(logging.WARNING, logger="bot"):
        await limiter.shutdown()
    assert f"not sent, to chats: {PRIVATE}" in caplog.text


@pytest.mark.parametrize(
    ("error", "method", "sent_again"),
    [
        pytest.param(RequestNotSent("refused"), "sendMessage", True, id="not-sent"),
        pytest.param(ResponseLost("closed"), "sendMessage", False, id="lost-send"),
        pytest.param(ResponseLost("closed"), "getChatMember", True, id="lost-get"),
        pytest.param(ResponseLost("closed"), "setMyCommands", True, id="lost-idempotent"),
        pytest.param(NetworkError("Bad Gateway"), "sendMessage", True, id="5xx"),
        pytest.param(NetworkError("httpx.ConnectError: refused"), "sendMessage", True, id="httpx-connect"),
        pytest.param(NetworkError("httpx.ReadError: reset"), "sendMessage", False, id="httpx-read"),
        pytest.param(TimedOut(), "sendMessage", False, id="timed-out"),
        pytest.param(PoolTimedOut("pool"), "sendMessage", True, id="pool-timed-out"),
    ],
)
@pytest.mark.asyncio
async def test_only_what_cannot_duplicate_is_sent_again(
    limiter: ChatRateLimiter, error: Exception, method: str, sent_again: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(telegram_traffic, "NETWORK_RETRIES", (0.001, 0.001, 0.001))  # as many tries, no 0.2 s wait
    recorder = Recorder()
    recorder.failures["m"] = [error]
    if sent_again:
        await post(limiter, recorder, "m", PRIVATE, method)
        assert recorder.sent == ["m"]
    else:
        with pytest.raises(type(error)):
            await post(limiter, recorder, "m", PRIVATE, method)
        assert recorder.sent == []


@pytest.mark.asyncio
async def test_state_only_for_chats_with_state_and_pruned() -> None:
    now = [0.0]
    limiter = ChatRateLimiter(group_max_rate=20, group_time_period=60, clock=lambda: now[0])
    await limiter.initialize()
    recorder = Recorder()
    for n in range(100):
        await post(limiter, recorder, "p", PRIVATE + n)
    assert limiter.chat_states() == 0, "private chats nobody paused need no state"
    for n in range(5000):
        await post(limiter, recorder, "g", -1000 - n)
    assert limiter.chat_states() <= MAX_CHAT_STATES
    now[0] += 10  # every group's allowance is whole again: nothing left to remember about them
    for n in range(2000):
        await post(limiter, recorder, "g", -10000 - n)
    assert limiter.chat_states() <= 2000


@pytest.mark.asyncio
async def test_an_update_waiting_its_turn_gives_its_slot_to_another() -> None:
    processor = SlotProcessor(running=1)
    waiting = asyncio.Event()
    order: list[str] = []

    async def rate_limited() -> None:
        async with slot_released():
            waiting.set()
            await asyncio.sleep(0.05)
        order.append("rate-limited")

    async def quick() -> None:
        await waiting.wait()
        order.append("quick")

    await asyncio.gather(
        processor.process_update(object(), rate_limited()), processor.process_update(object(), quick())
    )
    assert order == ["quick", "rate-limited"]


# ---------------------------------------------------------------------------
# Per-chat state in the application


@pytest.mark.asyncio
async def test_asking_about_quiet_mode_keeps_no_chat_data(kb: knowledge.KnowledgeBase, tmp_path: Any) -> None:
    """Quiet mode is read in every group message; reading it must not make a dict per group."""
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "1:TEST", "QUESTION_LOG": "off"}, dotenv=tmp_path / "none")
    app = build_application(settings, kb, request=RecordingRequest(), get_updates_request=RecordingRequest())
    await app.initialize()
    try:
        user = {"id": 11, "is_bot": False, "first_name": "Ada"}
        for n, text in enumerate(["@article_qa_bot", "/quiet"] * 3):
            chat = {"id": -100500 - n, "type": "supergroup", "title": "Club"}
            kind = "mention" if text.startswith("@") else "bot_command"
            message = {"message_id": 5, "date": 0, "chat": chat, "from": user, "text": text}
            message["entities"] = [{"type": kind, "offset": 0, "length": len(text)}]
            await app.process_update(Update.de_json({"update_id": n + 1, "message": message}, app.bot))
        assert len(app.chat_data) == 0
    finally:
        await app.shutdown()


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://bot.example/tg/article/hook", "tg/article/hook"),
        ("https://bot.example/hook/", "hook"),
        ("https://bot.example", ""),
        ("https://bot.example/a.b/hook", "a\\.b/hook"),
    ],
)
def test_the_webhook_listens_on_the_whole_path(url: str, path: str) -> None:
    assert telegram_webhook.listen_path(url) == path


def test_an_unset_webhook_secret_is_random_and_a_set_one_is_kept(tmp_path: Any) -> None:
    unset = load_settings({"WEBHOOK_URL": "https://bot.example/hook"}, dotenv=tmp_path / "none")
    first, made = telegram_webhook.secret_for(unset)
    second, _ = telegram_webhook.secret_for(unset)
    assert made and first != second and len(first) >= 32 and re.fullmatch(r"[A-Za-z0-9_-]{1,256}", first)
    given = load_settings({"WEBHOOK_SECRET": "s3cret"}, dotenv=tmp_path / "none")
    assert telegram_webhook.secret_for(given) == ("s3cret", False)
