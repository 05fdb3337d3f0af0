"""Real traffic: a busy group or a 429 holds back only its own chat, nothing is sent twice,
a stop during a long retry_after is quick, and odd updates end in a warning, not a traceback."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BOT_USERNAME, BotProcess, Harness, buttons, poll_until
from fakeapi import FakeTelegramServer, JSONDict

from bot import render

QUESTION = "who is bill burns"
FACT = "CIA Director"
GROUP_BURST = 20  # Telegram lets a group have 20 messages a minute; the bot sends that many at once


def mention(text: str) -> str:
    return f"@{BOT_USERNAME} {text}"


def replies_to(api: FakeTelegramServer, chat: JSONDict, message_id: int) -> list[JSONDict]:
    return [m for m in api.sent_messages(chat) if (m.get("reply_parameters") or {}).get("message_id") == message_id]


def message_id_of(api: FakeTelegramServer, update_id: int) -> int:
    return int(api.update_record(update_id).update["message"]["message_id"])


def flood(api: FakeTelegramServer, group: JSONDict, count: int) -> None:
    """``count`` mentions in one group, from different people, different questions."""
    questions = ("who is bill burns", "what is rafah", "who said we were very close", "what is kerem shalom")
    for n in range(count):
        api.push_message(group, mention(questions[n % len(questions)]), from_user=api.make_user(f"Member{n}"))


def test_a_flooding_group_holds_back_only_itself_and_a_stop_is_quick(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess]
) -> None:
    bot = bot_process()
    fake_api.wait_until_polling(timeout=30)
    group = fake_api.supergroup_chat()
    flood(fake_api, group, 35)
    fake_api.wait_for(lambda: len(fake_api.sent_messages(group)) >= GROUP_BURST, message="the group's first burst")

    private = fake_api.private_chat()
    asked = fake_api.push_message(private, QUESTION)
    reply = fake_api.wait_for_reply(asked, timeout=10)
    assert FACT in reply["plain_text"]
    # The group's next message may only go out 3 s after its burst: the private answer did not wait for it.
    assert len(fake_api.sent_messages(group)) == GROUP_BURST, "the private chat waited for the group's turn"
    assert reply["received_at"] < fake_api.sent_messages(group)[-1]["received_at"] + 3.0

    # 35 - 20 sent - 8 allowed to wait: the other 7 are skipped with a warning, not queued without end.
    skipped = poll_until(lambda: bot.stderr().count("this one is skipped") >= 7 and bot.stderr(), what="7 skips")
    assert skipped.count("this one is skipped") == 7

    started = time.monotonic()
    assert bot.stop(timeout=10) == 0
    assert time.monotonic() - started < 5, "SIGTERM waited out the group's queue"
    log = bot.stderr()
    assert "Traceback" not in log and " ERROR " not in log, log
    assert f"answer(s) not sent, to chats: {group['id']}" in log


def test_a_429_in_one_chat_pauses_only_that_chat_and_sigterm_does_not_wait_it_out(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess]
) -> None:
    bot = bot_process()
    fake_api.wait_until_polling(timeout=30)
    paused, other = fake_api.private_chat(), fake_api.private_chat()
    fake_api.fail_next("sendMessage", status=429, retry_after=30, when=lambda p: p.get("chat_id") == paused["id"])
    fake_api.push_message(paused, QUESTION)
    fake_api.wait_for(lambda: fake_api.calls("sendMessage", paused), message="the 429")

    answered = fake_api.wait_for_reply(fake_api.push_message(other, QUESTION), timeout=10)
    assert FACT in answered["plain_text"]
    assert len(fake_api.calls("sendMessage", paused)) == 1, "the paused chat was retried before its retry_after"

    started = time.monotonic()
    assert bot.stop(timeout=10) == 0
    assert time.monotonic() - started < 5, "SIGTERM waited out the retry_after"
    log = bot.stderr()
    assert "Traceback" not in log and " ERROR " not in log, log
    assert f"answer(s) not sent, to chats: {paused['id']}" in log
    assert not fake_api.sent_messages(paused), "no apology either"


@pytest.mark.parametrize("lose", ["drop", "truncate"])
def test_an_answer_lost_after_delivery_is_not_sent_again(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess], lose: str
) -> None:
    bot = bot_process()
    fake_api.wait_until_polling(timeout=30)
    chat = fake_api.private_chat()
    for_chat = {"when": lambda p: p.get("chat_id") == chat["id"]}
    fake_api.wait_for_reply(fake_api.push_message(chat, "/help"))  # so the answer goes on a reused connection
    if lose == "drop":
        fake_api.fail_next("sendMessage", drop=True, after_processing=True, **for_chat)
    else:
        fake_api.truncate_next("sendMessage", **for_chat)
    asked = fake_api.push_message(chat, QUESTION)
    assert FACT in fake_api.wait_for_reply(asked)["plain_text"]
    # The bot's verdict on the broken answer: sent again (a retry line) or left alone.
    log = poll_until(
        lambda: next((t for t in [bot.stderr()] if "retrying" in t or "may have arrived" in t), None),
        what="the warning about the lost answer",
    )
    assert "retrying" not in log, "an answer Telegram had already delivered was sent again"
    fake_api.wait_for_reply(fake_api.push_message(chat, "/help"))
    assert len(replies_to(fake_api, chat, message_id_of(fake_api, asked))) == 1
    assert render.ERROR_REPLY not in [m["plain_text"] for m in fake_api.sent_messages(chat)]
    assert "Traceback" not in bot.stderr()


def test_a_send_slower_than_the_old_read_timeout_gets_no_apology(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess]
) -> None:
    bot = bot_process()
    fake_api.wait_until_polling(timeout=30)
    chat = fake_api.private_chat()
    fake_api.delay_next("sendMessage", 6.0)
    asked = fake_api.push_message(chat, QUESTION)
    assert FACT in fake_api.wait_for_reply(asked, timeout=20)["plain_text"]
    fake_api.wait_for_reply(fake_api.push_message(chat, "/help"))
    assert [m for m in fake_api.sent_messages(chat) if m["plain_text"] == render.ERROR_REPLY] == []
    assert "Traceback" not in bot.stderr()


def test_command_menus_refused_at_start_up_are_a_warning(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess]
) -> None:
    fake_api.fail_next("setMyCommands", status=429, retry_after=1, times=8)
    bot = bot_process()
    fake_api.wait_until_polling(timeout=30)
    assert FACT in fake_api.wait_for_reply(fake_api.push_message(fake_api.private_chat(), QUESTION))["plain_text"]
    poll_until(lambda: "could not set the command menus" in bot.stderr(), what="the warning")
    assert bot.running and "Traceback" not in bot.stderr()


# ---------------------------------------------------------------------------
# Odd updates: a warning line, no traceback, the answer sent where it can be


@pytest.mark.allow_bad_requests  # the send into the deleted topic is refused, as Telegram would
def test_a_question_in_a_deleted_forum_topic(harness: Harness) -> None:
    forum = harness.api.supergroup_chat(is_forum=True)
    topic = harness.api.create_forum_topic(forum, "Talks")
    update_id = harness.api.push_message(forum, mention(QUESTION), thread_id=topic)
    harness.api.delete_forum_topic(forum, topic)
    harness.api.wait_for(lambda: harness.api.calls("sendMessage", forum), message="the refused send")
    harness.wait_log("thread not found")
    assert harness.ask(forum, mention("what is rafah"))  # the group still gets answers elsewhere
    assert harness.api.update_record(update_id).confirmed_at is not None


def test_a_lone_surrogate_in_a_group_mention(harness: Harness) -> None:
    group = harness.supergroup()
    reply = harness.ask(group, mention("who is bill burns \ud83d"))
    assert FACT in reply["plain_text"]


def test_a_lone_surrogate_in_a_private_question(harness: Harness) -> None:
    chat = harness.private_chat()
    assert harness.ask(chat, "who is \udc00bill burns")["plain_text"]


def test_a_forged_button_on_a_message_the_bot_did_not_send(harness: Harness) -> None:
    chat = harness.private_chat()
    _, users_message = harness.push(chat, "hello")
    harness.wait_reply(chat, users_message)
    stored = harness.api.message(chat, users_message)
    assert stored is not None
    entry = harness.ask(harness.private_chat(), QUESTION)  # any real answer's buttons give valid data
    for data in ["r:2", "o:1", *(d for _, d in buttons(entry) if d)]:
        query_id = f"forged-{data}-{users_message}"
        harness.api.push_raw_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": stored["from"],
                    "message": stored,
                    "chat_instance": "1",
                    "data": data,
                }
            }
        )
        harness.api.wait_for(lambda q=query_id: harness.api.callback_answer(q), message=f"an answer to {data}")
    harness.ask(chat, "/help")  # nothing else pending


def test_sigterm_with_nothing_pending_says_nothing_about_unanswered_chats(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess], tmp_path: Path
) -> None:
    bot = bot_process()
    fake_api.wait_until_polling(timeout=30)
    fake_api.wait_for_reply(fake_api.push_message(fake_api.private_chat(), QUESTION))
    bot.signal(signal.SIGTERM)
    assert bot.wait_exit(timeout=10) == 0
    assert "not sent" not in bot.stderr() and "cancelled" not in bot.stderr()


def test_sigterm_during_a_send_telegram_never_answers_still_exits(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess]
) -> None:
    bot = bot_process()
    fake_api.wait_until_polling(timeout=30)
    chat = fake_api.private_chat()
    fake_api.delay_next("sendMessage", 15.0)  # longer than the stop's grace, shorter than the read timeout
    fake_api.push_message(chat, QUESTION)
    poll_until(lambda: fake_api.in_flight >= 2, what="the send to be in flight")  # the long poll and the send
    started = time.monotonic()
    assert bot.stop(timeout=12) == 0
    assert time.monotonic() - started < 5, "SIGTERM waited for a send Telegram never answered"
    log = bot.stderr()
    assert "Traceback" not in log and f"chats maybe not answered: {chat['id']}" in log, log
