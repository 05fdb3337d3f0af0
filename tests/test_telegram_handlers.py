"""Handler behaviour through Application.process_update with a recording request: fast, no network."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from telegram import Update

from bot import knowledge, render
from bot.config import load_settings
from bot.matcher import Matcher
from bot.telegram_app import build_application, keyboard_json, warm_up
from bot.telegram_state import App
from tests.fakes import BOT_USER, RecordingRequest

USER = {"id": 11, "is_bot": False, "first_name": "Ada"}
GROUP = {"id": -100200, "type": "supergroup", "title": "News club"}
PRIVATE = {"id": 11, "type": "private", "first_name": "Ada"}


@dataclass
class Bot:
    """The application as the tests drive it, and the requests it made."""

    app: App
    request: RecordingRequest


@pytest_asyncio.fixture
async def app(kb: knowledge.KnowledgeBase, tmp_path) -> AsyncIterator[Bot]:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "1:TEST", "QUESTION_LOG": "off"}, dotenv=tmp_path / "none")
    request = RecordingRequest()
    application = build_application(settings, kb, request=request, get_updates_request=RecordingRequest())
    await application.initialize()
    yield Bot(application, request)
    await application.shutdown()


_update_id = iter(range(1, 10_000))


def message_update(text: str, chat: dict = PRIVATE, **extra: Any) -> dict:
    entities = []
    if text.startswith("/"):
        entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
    at = text.find("@" + BOT_USER["username"])
    if at >= 0 and not text.startswith("/"):
        entities.append({"type": "mention", "offset": at, "length": len(BOT_USER["username"]) + 1})
    message = {"message_id": 5, "date": 0, "chat": chat, "from": USER, "text": text, **extra}
    if entities:
        message["entities"] = entities
    return {"update_id": next(_update_id), "message": message}


async def feed(bot: Bot, update: dict) -> list[dict]:
    before = len(bot.request.calls)
    await bot.app.process_update(Update.de_json(update, bot.app.bot))
    return [{"method": m, **p} for m, p in bot.request.calls[before:]]


@pytest.mark.asyncio
async def test_private_question_gets_a_quoted_answer(app: Bot) -> None:
    calls = await feed(app, message_update("who said we were very close"))
    (sent,) = [c for c in calls if c["method"] == "sendMessage"]
    assert "<blockquote>" in sent["text"] and "Mousa Abu Marzouk" in sent["text"]
    assert sent["parse_mode"] == "HTML"
    assert sent["reply_parameters"]["message_id"] == 5


@pytest.mark.asyncio
async def test_group_chatter_is_ignored_and_mentions_answered(app: Bot) -> None:
    assert await feed(app, message_update("what a day, talks stalled again", chat=GROUP)) == []
    calls = await feed(app, message_update("@article_qa_bot who is bill burns", chat=GROUP))
    assert any("CIA Director" in c.get("text", "") for c in calls)


@pytest.mark.asyncio
async def test_ask_alone_explains_usage(app: Bot) -> None:
    calls = await feed(app, message_update("/ask"))
    # the example is the knowledge base's first starter question, not text baked into the code
    assert "/ask What is this article about?" in calls[0]["text"]


@pytest.mark.asyncio
async def test_forged_callback_gets_a_polite_alert(app: Bot) -> None:
    update = {
        "update_id": next(_update_id),
        "callback_query": {
            "id": "cb1",
            "from": USER,
            "chat_instance": "x",
            "data": "a:../../etc",
            "message": {"message_id": 7, "date": 0, "chat": PRIVATE, "from": BOT_USER, "text": "old"},
        },
    }
    calls = await feed(app, update)
    assert calls[0]["method"] == "answerCallbackQuery" and "out of date" in calls[0]["text"]
    assert not [c for c in calls if c["method"] == "sendMessage"]


def test_warm_up_prepares_every_answer_keyboard(
    synthetic_kb: knowledge.KnowledgeBase, synthetic_matcher: Matcher
) -> None:
    """The first burst after a start should not pay for building each reply's keyboard."""
    keyboard_json.cache_clear()
    warm_up(synthetic_kb, synthetic_matcher)
    before = keyboard_json.cache_info()
    for entry in synthetic_kb.entries:
        keyboard_json(render.match_reply(synthetic_matcher.match(entry.question), synthetic_kb, feedback=True))
    after = keyboard_json.cache_info()
    assert after.misses == before.misses and after.hits == before.hits + len(synthetic_kb.entries)
