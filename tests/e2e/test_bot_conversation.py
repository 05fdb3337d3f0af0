"""Conversations through the real bot: follow-ups in private chats, group replies, two members
interleaving in one group, a related-question button, and a restart between two turns."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

from conftest import BOT_USERNAME, BotProcess, Harness, button_data
from fakeapi import FakeTelegramServer

FOLLOW_UP_LINE = "Read as a follow-up to"


def mention(text: str) -> str:
    return f"@{BOT_USERNAME} {text}"


def test_a_private_dialogue_keeps_its_context(harness: Harness) -> None:
    chat = harness.private_chat("Ann")
    first = harness.ask(chat, "What did Abu Marzouk say?")
    assert "Abu Marzouk" in first["plain_text"]
    who = harness.ask(chat, "who is he?")
    assert "senior Hamas official" in who["plain_text"] and FOLLOW_UP_LINE in who["plain_text"]
    said = harness.ask(chat, "who said that?")
    assert "attributes it to Mousa Abu Marzouk" in said["plain_text"]
    where = harness.ask(chat, "where does it say that?")
    assert "¶4 of 12" in where["plain_text"]
    unrelated = harness.ask(chat, "ok unrelated: what's bitcoin at?")
    assert FOLLOW_UP_LINE not in unrelated["plain_text"] and "Abu Marzouk" not in unrelated["plain_text"]
    assert "You could ask" in unrelated["plain_text"]


def test_a_group_dialogue_by_replies(harness: Harness) -> None:
    group = harness.supergroup()
    rockets = harness.ask(group, mention("how many rockets did hamas fire?"))
    assert "approximately ten rockets" in rockets["plain_text"]
    where = harness.ask(group, "from where?", reply_to=rockets["message_id"])
    assert "from the Rafah area" in where["plain_text"] and FOLLOW_UP_LINE in where["plain_text"]
    said = harness.ask(group, "is that confirmed?", reply_to=where["message_id"])
    assert "no other confirmation" in said["plain_text"]


def test_two_members_interleaving_in_one_group_keep_their_own_context(harness: Harness) -> None:
    group = harness.supergroup()
    ann, bob = harness.user("Ann"), harness.user("Bob")
    harness.ask(group, mention("What did Abu Marzouk say?"), from_user=ann)
    harness.ask(group, mention("who is bill burns?"), from_user=bob)
    for_ann = harness.ask(group, mention("who is he?"), from_user=ann)
    for_bob = harness.ask(group, "/ask who did he meet?", from_user=bob)
    assert "senior Hamas official" in for_ann["plain_text"]
    assert "Al Thani" in for_bob["plain_text"] and "Abu Marzouk" not in for_bob["plain_text"]
    newcomer = harness.ask(group, mention("who is he?"), from_user=harness.user("Cy"))
    assert FOLLOW_UP_LINE not in newcomer["plain_text"], "nobody else's context"


def test_a_reply_is_read_against_the_answer_replied_to(harness: Harness) -> None:
    group = harness.supergroup()
    ann = harness.user("Ann")
    marzouk = harness.ask(group, mention("What did Abu Marzouk say?"), from_user=ann)
    harness.ask(group, mention("who is bill burns?"), from_user=ann)
    older = harness.ask(group, "who is he?", reply_to=marzouk["message_id"], from_user=harness.user("Bob"))
    assert "senior Hamas official" in older["plain_text"]


def test_a_related_question_button_continues_the_conversation(harness: Harness) -> None:
    chat = harness.private_chat("Dee")
    answer = harness.ask(chat, "who is bill burns?")
    meeting = harness.press_for_message(chat, answer, button_data(answer, "discuss"))
    assert "Doha" in meeting["plain_text"]
    said = harness.ask(chat, "who said that?")
    assert "states it itself" in said["plain_text"] or "attributes it" in said["plain_text"]
    assert "discuss restarting the talks" in said["plain_text"]


def test_the_context_survives_a_restart(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess], tmp_path: Path
) -> None:
    store = tmp_path / "conversations.pickle"
    env = {"CONVERSATION_STORE": str(store)}
    first = bot_process(env)
    fake_api.wait_until_polling(timeout=30)
    chat = fake_api.private_chat()
    group = fake_api.supergroup_chat()
    fake_api.wait_for_reply(fake_api.push_message(chat, "What did Abu Marzouk say?"))
    admin = fake_api.make_user("Admin")
    fake_api.set_member_status(group, admin, "administrator")
    quiet = fake_api.wait_for_reply(fake_api.push_message(group, "/quiet on", from_user=admin))
    assert "Quiet mode is on" in quiet["plain_text"]
    assert first.stop(timeout=10) == 0
    with store.open("rb") as file:
        stored = pickle.load(file)["chat_data"]
    assert chat["id"] in stored and "Abu Marzouk" in str(stored[chat["id"]])
    bot_process(env)
    fake_api.wait_until_polling(timeout=30)
    who = fake_api.wait_for_reply(fake_api.push_message(chat, "who is he?"))
    assert "senior Hamas official" in who["plain_text"] and FOLLOW_UP_LINE in who["plain_text"]
    status = fake_api.wait_for_reply(fake_api.push_message(group, "/quiet"))
    assert "Quiet mode is on" in status["plain_text"], "/quiet survives the restart"


def test_the_store_can_be_switched_off(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess], tmp_path: Path
) -> None:
    bot = bot_process({"CONVERSATION_STORE": "off"})
    fake_api.wait_until_polling(timeout=30)
    chat = fake_api.private_chat()
    fake_api.wait_for_reply(fake_api.push_message(chat, "What did Abu Marzouk say?"))
    assert bot.stop(timeout=10) == 0
    assert not list(tmp_path.glob("*.pickle"))
