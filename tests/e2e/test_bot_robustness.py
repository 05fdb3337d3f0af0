"""Odd input and a flaky Bot API: every question is answered once, and the bot stays up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import Harness, buttons
from fakeapi import FakeTelegramServer

from bot.render import NON_TEXT_HINT

QUESTION = "who is bill burns"
FACT = "CIA Director"


def for_chat(chat: dict) -> Callable[[dict[str, Any]], bool]:
    """A fault filter: only requests for this chat fail (other tests' traffic is left alone)."""
    return lambda params: params.get("chat_id") == chat["id"]


def answers_to(harness: Harness, chat: dict, message_id: int) -> list[dict]:
    harness.ask(chat, "/help")  # a later exchange in the same chat: any duplicate would have arrived by now
    return harness.replies_to(chat, message_id)


@pytest.mark.parametrize(
    "push",
    [
        lambda api, chat: api.push_photo(chat),
        lambda api, chat: api.push_photo(chat, caption=QUESTION),
        lambda api, chat: api.push_sticker(chat),
    ],
    ids=["photo", "photo-with-caption", "sticker"],
)
def test_non_text_in_private_gets_a_hint(harness: Harness, push: Callable[[FakeTelegramServer, dict], int]) -> None:
    chat = harness.private_chat()
    update_id = push(harness.api, chat)
    reply = harness.wait_reply(chat, harness.message_id(update_id))
    assert reply["plain_text"] == NON_TEXT_HINT


@pytest.mark.parametrize(
    "text",
    [
        "<b>&amp;</b><script>alert(1)</script>",
        "&lt;&gt;&amp; & < > \" '",
        "who is bill burns " * 227,  # 4086 characters
        "x" * 4096,
        "\u200b\u200c\u200d\u2060\ufeff",
        "who\u200b is bill\u200d burns",
        "مرحبا ما هو",
        "‏who is bill burns‏",
        "🤔🤔🤔",
        "👨‍👩‍👧‍👦" * 100,
        "/",
        "/ ",
        "\u3000\u00a0",
        ".",
        "\U0001d54e\U0001d559\U0001d560 is bill burns",
        "a\x00b\x1bc",
        "ｗｈｏ ｉｓ ｂｉｌｌ ｂｕｒｎｓ",
    ],
    ids=[
        "html",
        "entities",
        "4086-chars",
        "4096-chars",
        "zero-width-only",
        "zero-width-inside",
        "rtl",
        "rtl-marks",
        "emoji",
        "zwj-emoji",
        "slash",
        "slash-space",
        "wide-spaces",
        "dot",
        "math-letters",
        "control-chars",
        "fullwidth",
    ],
)
def test_hostile_text_gets_a_valid_reply(harness: Harness, text: str) -> None:
    chat = harness.private_chat()
    _, message_id = harness.push(chat, text)
    reply = harness.wait_reply(chat, message_id)
    assert reply["plain_text"].strip()
    assert "<script>" not in reply["plain_text"], "user text must never be echoed as markup"
    assert len(answers_to(harness, chat, message_id)) == 1


def test_hostile_text_in_a_group_and_via_ask(harness: Harness) -> None:
    group = harness.supergroup()
    for text in ("/ask <b>&amp;</b><script>", "/ask " + "x" * 4000, "@article_qa_bot \u200b"):
        assert harness.ask(group, text)["plain_text"]


# ---------------------------------------------------------------------------
# A flaky API


@pytest.mark.parametrize(
    "fault",
    [
        dict(status=502),
        dict(status=503),
        dict(status=500),
        dict(status=502, times=2),
        dict(status=429, retry_after=1),
        dict(drop=True),
    ],
    ids=["502", "503", "500", "502-twice", "429", "dropped-connection"],
)
def test_send_failures_before_delivery_are_retried_once_delivered(harness: Harness, fault: dict) -> None:
    chat = harness.private_chat()
    harness.api.fail_next("sendMessage", when=for_chat(chat), **fault)
    _, message_id = harness.push(chat, QUESTION)
    reply = harness.wait_reply(chat, message_id, timeout=15)
    assert FACT in reply["plain_text"]
    attempts = harness.api.calls("sendMessage", chat)
    assert [c.injected for c in attempts] == [True] * fault.get("times", 1) + [False]
    assert len(answers_to(harness, chat, message_id)) == 1


def test_rate_limit_waits_for_retry_after(harness: Harness) -> None:
    chat = harness.private_chat()
    harness.api.fail_next("sendMessage", status=429, retry_after=1, when=for_chat(chat))
    _, message_id = harness.push(chat, QUESTION)
    harness.wait_reply(chat, message_id, timeout=15)
    failed, delivered = harness.api.calls("sendMessage", chat)
    assert failed.status == 429 and delivered.ok
    assert delivered.started_at - failed.finished_at >= 0.9, "retried before retry_after was over"


def test_answer_callback_failure_is_retried(harness: Harness) -> None:
    chat = harness.private_chat()
    answer = harness.ask(chat, QUESTION)
    harness.api.fail_next("answerCallbackQuery", status=502)
    data = next(d for label, d in buttons(answer) if label == "👍")
    assert "thank" in harness.press(chat, answer, data)["text"].lower()


def test_get_updates_failure_is_survived(harness: Harness) -> None:
    chat = harness.private_chat()
    harness.api.fail_next("getUpdates", status=500)
    first = harness.ask(chat, QUESTION)  # ends the current long poll; the next one fails
    harness.api.wait_for(lambda: any(c.injected for c in harness.api.calls("getUpdates")), message="the 500")
    second = harness.ask(chat, "who said we were very close", timeout=15)
    assert FACT in first["plain_text"] and "Mousa Abu Marzouk" in second["plain_text"]
    assert len(answers_to(harness, chat, first["reply_parameters"]["message_id"])) == 1


def test_get_updates_dropped_connection_is_survived(harness: Harness) -> None:
    chat = harness.private_chat()
    harness.api.drop_next("getUpdates")
    first = harness.ask(chat, QUESTION)
    harness.api.wait_for(lambda: any(c.injected for c in harness.api.calls("getUpdates")), message="the drop")
    assert "Mousa Abu Marzouk" in harness.ask(chat, "who said we were very close", timeout=15)["plain_text"]
    assert len(answers_to(harness, chat, first["reply_parameters"]["message_id"])) == 1


@pytest.mark.parametrize("fault", [dict(status=502), dict(status=500), dict(drop=True)], ids=["502", "500", "dropped"])
def test_response_lost_after_delivery_does_not_break_the_bot(harness: Harness, fault: dict) -> None:
    """The message went out but the answer was lost: a retry may duplicate it (at least once is
    all HTTP allows here); the bot must simply carry on."""
    chat = harness.private_chat()
    harness.api.fail_next("sendMessage", after_processing=True, when=for_chat(chat), **fault)
    _, message_id = harness.push(chat, QUESTION)
    harness.wait_reply(chat, message_id, timeout=15)
    assert "Mousa Abu Marzouk" in harness.ask(chat, "who said we were very close", timeout=15)["plain_text"]
    assert 1 <= len(harness.replies_to(chat, message_id)) <= 2


def test_question_deleted_before_the_answer_still_gets_answered(harness: Harness) -> None:
    group = harness.supergroup()
    _, message_id = harness.push(group, "/ask who is bill burns")
    harness.api.delete_user_message(group, message_id)  # gone before the bot could answer it
    answer = harness.api.wait_for_messages(1, group)[0]
    assert FACT in answer["plain_text"]
    assert "reply_to_message" not in answer["message"]


@pytest.mark.allow_bad_requests
def test_blocked_user_does_not_break_the_bot(harness: Harness) -> None:
    chat = harness.private_chat()
    harness.api.block_bot(chat["id"])
    harness.api.push_message(chat, QUESTION)
    harness.api.wait_for(
        lambda: harness.api.calls("sendMessage", chat),
        message="the refused send",
    )
    other = harness.private_chat()
    assert FACT in harness.ask(other, QUESTION)["plain_text"]


def test_bot_survives_a_burst_of_concurrent_questions(harness: Harness) -> None:
    chats = [harness.private_chat() for _ in range(20)]
    pushed = [(chat, harness.push(chat, QUESTION)[1]) for chat in chats]
    for chat, message_id in pushed:
        assert FACT in harness.wait_reply(chat, message_id, timeout=20)["plain_text"]
