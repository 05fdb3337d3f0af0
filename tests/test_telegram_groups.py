"""Groups through Application.process_update (tests/fakes.py): answer only when addressed, keep
forum topics, link to a recent answer instead of repeating it, quiet mode; and RepeatMemory."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from bot import render
from bot.telegram_groups import RepeatMemory
from tests.fakes import BASIC_GROUP, FORUM, PRIVATE, SUPERGROUP, FastBot, buttons, plain, sent, user

OTHER_GROUP = {"id": -1005555555555, "type": "supergroup", "title": "Another club"}
ANN, BEN = user("Ann", 21), user("Ben", 22)


def mention(text: str) -> str:
    return f"@article_qa_bot {text}"


def link(chat: dict[str, Any], message_id: int, topic: int | None = None) -> str:
    internal = str(chat["id"]).removeprefix("-100")
    return f"https://t.me/c/{internal}/{topic}/{message_id}" if topic else f"https://t.me/c/{internal}/{message_id}"


def full(reply: dict[str, Any]) -> bool:
    return "<blockquote>" in reply["text"]


# ---------------------------------------------------------------------------
# Who is addressed


@pytest.mark.parametrize(
    "text",
    [
        mention("who is bill burns"),
        "who is bill burns, @article_qa_bot?",
        "@ARTICLE_QA_BOT who is bill burns",
        "/ask@article_qa_bot who is bill burns",
        "/ask who is bill burns",
    ],
    ids=["mention", "mention-at-end", "mention-upper-case", "ask-addressed", "ask"],
)
async def test_addressed_questions_are_answered(fast_bot: FastBot, text: str) -> None:
    reply = await fast_bot.ask(text, SUPERGROUP)
    assert "CIA Director" in plain(reply["text"]) and full(reply)
    assert "👍" not in [label for label, _ in buttons(reply)], "no feedback buttons in groups"
    assert "message_thread_id" not in reply


async def test_a_bare_mention_gets_the_intro(fast_bot: FastBot) -> None:
    reply = await fast_bot.ask("@article_qa_bot", SUPERGROUP)
    assert "Negotiations between Israel and Hamas Reach Impasse" in plain(reply["text"])


async def test_basic_groups_work_too(fast_bot: FastBot) -> None:
    assert "Mousa Abu Marzouk" in (await fast_bot.ask(mention("who said we were very close"), BASIC_GROUP))["text"]


async def test_a_reply_to_the_bot_is_answered(fast_bot: FastBot) -> None:
    answer = await fast_bot.ask(mention("who is bill burns"), SUPERGROUP)
    follow_up = await fast_bot.ask("and who said we were very close?", SUPERGROUP, reply_to=answer, sender=BEN)
    assert "Mousa Abu Marzouk" in follow_up["text"]


def _someones_message() -> dict[str, Any]:
    return {"message_id": 1, "date": 0, "chat": SUPERGROUP, "from": user("Carol", 23), "text": "hello all"}


def _update(fast_bot: FastBot, kind: str) -> dict[str, Any]:
    """A group update the bot must leave alone."""
    robot = {"id": 77, "is_bot": True, "first_name": "Robot", "username": "otherbot"}
    photo = [{"file_id": "p", "file_unique_id": "p1", "width": 1, "height": 1}]
    sticker = {"file_id": "s", "file_unique_id": "s1", "width": 1, "height": 1, "is_animated": False}
    sticker |= {"is_video": False, "type": "regular"}
    question = mention("who is bill burns")
    updates: dict[str, Callable[[], dict[str, Any]]] = {
        "chatter": lambda: fast_bot.message("who is bill burns anyway", SUPERGROUP),
        "ask-other-bot": lambda: fast_bot.message("/ask@otherbot who is bill burns", SUPERGROUP),
        "mention-other-bot": lambda: fast_bot.message("@otherbot who is bill burns", SUPERGROUP),
        "from-a-bot": lambda: fast_bot.message(question, SUPERGROUP, sender=robot),
        "reply-to-someone-else": lambda: fast_bot.message(
            "who is bill burns", SUPERGROUP, reply_to=_someones_message()
        ),
        "unknown-command": lambda: fast_bot.message("/weather", SUPERGROUP),
    }
    if kind in updates:
        return updates[kind]()
    update = fast_bot.message(question, SUPERGROUP)
    message = update["message"]
    if kind == "photo":
        message |= {"photo": photo, "caption": message.pop("text"), "caption_entities": message.pop("entities")}
    elif kind == "sticker":
        del message["text"], message["entities"]
        message["sticker"] = sticker
    elif kind == "edited":
        update["edited_message"] = update.pop("message") | {"edit_date": 1}
    elif kind == "channel-post":
        channel = {"id": -1007777777777, "type": "channel", "title": "News"}
        update["channel_post"] = update.pop("message") | {"chat": channel, "sender_chat": channel}
        del update["channel_post"]["from"]
    return update


@pytest.mark.parametrize(
    "kind",
    [
        "chatter",
        "ask-other-bot",
        "mention-other-bot",
        "from-a-bot",
        "reply-to-someone-else",
        "photo",
        "sticker",
        "edited",
        "unknown-command",
        "channel-post",
    ],
)
async def test_group_messages_not_for_the_bot_are_ignored_without_any_request(fast_bot: FastBot, kind: str) -> None:
    assert await fast_bot.feed(_update(fast_bot, kind)) == []


# ---------------------------------------------------------------------------
# Forum topics


async def test_forum_topic_answers_stay_in_the_topic(fast_bot: FastBot) -> None:
    reply = await fast_bot.ask(mention("who is bill burns"), FORUM, thread=7)
    assert reply["message_thread_id"] == 7 and "CIA Director" in reply["text"]
    assert (await fast_bot.ask("/ask", FORUM, thread=7))["message_thread_id"] == 7


async def test_buttons_in_a_forum_topic_answer_in_that_topic(fast_bot: FastBot) -> None:
    answer = await fast_bot.ask(mention("who is bill burns"), FORUM, thread=7)
    related = next(data for _, data in buttons(answer) if data.startswith("a:"))
    (new,) = sent(await fast_bot.press(related, on=answer, chat=FORUM, sender=BEN))
    assert new["message_thread_id"] == 7 and full(new)


# ---------------------------------------------------------------------------
# Etiquette: the same answer twice in a few minutes is a link, not a copy


async def test_a_repeat_in_the_same_group_links_to_the_earlier_answer(fast_bot: FastBot) -> None:
    first = await fast_bot.ask(mention("who is bill burns"), SUPERGROUP, sender=ANN)
    repeat = await fast_bot.ask("/ask Who is Bill Burns?", SUPERGROUP, sender=BEN)
    assert f'<a href="{link(SUPERGROUP, first["message_id"])}">' in repeat["text"]
    assert not full(repeat) and len(plain(repeat["text"])) < 200

    assert full(await fast_bot.ask(mention("who said we were very close"), SUPERGROUP)), "another entry: in full"
    assert full(await fast_bot.ask(mention("who is bill burns"), OTHER_GROUP)), "another group: in full"
    assert full(await fast_bot.ask("who is bill burns", PRIVATE))
    assert full(await fast_bot.ask("who is bill burns", PRIVATE)), "private chats always get it"


async def test_a_message_in_parts_is_answered_in_full_though_its_first_part_was_answered_here(
    fast_bot: FastBot,
) -> None:
    await fast_bot.ask(mention("who is bill burns"), SUPERGROUP, sender=ANN)
    both = await fast_bot.ask(mention("who is bill burns and what is rafah?"), SUPERGROUP, sender=BEN)
    text = plain(both["text"])
    assert full(both) and "t.me" not in both["text"], "a link to the earlier answer would answer one part"
    assert text.index("CIA Director") < text.index("the southernmost town in Gaza")


async def test_simultaneous_repeats_get_one_full_answer(fast_bot: FastBot) -> None:
    updates = [
        fast_bot.message(mention("who is bill burns"), SUPERGROUP, sender=user(f"U{n}", 30 + n)) for n in range(4)
    ]
    await asyncio.gather(*(fast_bot.feed(update) for update in updates))
    replies = fast_bot.request.sent()
    answers = [r for r in replies if full(r)]
    assert len(replies) == 4 and len(answers) == 1, [plain(r["text"])[:60] for r in replies]
    assert all(link(SUPERGROUP, answers[0]["message_id"]) in r["text"] for r in replies if r is not answers[0])


async def test_a_repeat_in_a_basic_group_replies_to_the_earlier_answer(fast_bot: FastBot) -> None:
    first = await fast_bot.ask(mention("who is bill burns"), BASIC_GROUP)
    repeat = await fast_bot.ask(mention("who is bill burns?"), BASIC_GROUP)
    assert repeat["reply_parameters"]["message_id"] == first["message_id"], "basic groups have no message links"
    assert not full(repeat) and "t.me" not in repeat["text"]


async def test_repeats_are_counted_per_forum_topic(fast_bot: FastBot) -> None:
    first = await fast_bot.ask(mention("who is bill burns"), FORUM, thread=7)
    assert full(await fast_bot.ask(mention("who is bill burns"), FORUM, thread=8))
    repeat = await fast_bot.ask(mention("who is bill burns"), FORUM, thread=7)
    assert link(FORUM, first["message_id"], 7) in repeat["text"] and repeat["message_thread_id"] == 7


async def test_an_answer_that_failed_to_send_is_not_linked_to(fast_bot: FastBot) -> None:
    fast_bot.request.fail["sendMessage"] = [(400, "Bad Request: not enough rights to send text messages")]
    failed = sent(await fast_bot.say(mention("who is bill burns"), SUPERGROUP))
    assert [plain(c["text"]) for c in failed][-1] == render.ERROR_REPLY
    assert full(await fast_bot.ask(mention("who is bill burns"), SUPERGROUP))


# ---------------------------------------------------------------------------
# Quiet mode


async def test_quiet_mode_is_for_admins_and_silences_mentions_only(fast_bot: FastBot) -> None:
    group = SUPERGROUP
    admin, member, owner = user("Admin", 41), user("Member", 42), user("Owner", 43)
    fast_bot.request.statuses |= {(group["id"], admin["id"]): "administrator", (group["id"], owner["id"]): "creator"}

    assert (await fast_bot.ask("/quiet on", group, sender=member))["text"] == render.QUIET_REFUSED
    assert "CIA Director" in (await fast_bot.ask(mention("who is bill burns"), group, sender=member))["text"]
    confirmed = await fast_bot.ask("/quiet@article_qa_bot on", group, sender=admin)
    assert "Quiet mode is on" in confirmed["text"]
    assert [c["user_id"] for c in fast_bot.request.sent("getChatMember")] == [member["id"], admin["id"]]

    assert await fast_bot.say(mention("what is rafah"), group, sender=member) == []
    answer = await fast_bot.ask("/ask who is mousa abu marzouk", group, sender=member)
    assert (await fast_bot.ask("and who is bill burns?", group, reply_to=answer, sender=member))["text"], "replies"
    assert "Quiet mode is on" in (await fast_bot.ask("/quiet", group, sender=member))["text"]
    assert "Quiet mode is off" in (await fast_bot.ask("/quiet", OTHER_GROUP))["text"], "per group"

    assert "Quiet mode is off" in (await fast_bot.ask("/quiet off", group, sender=owner))["text"]
    assert full(await fast_bot.ask(mention("what is rafah"), group, sender=member))


async def test_quiet_in_a_private_chat_explains_itself(fast_bot: FastBot) -> None:
    calls = await fast_bot.say("/quiet on")
    assert [c["method"] for c in calls] == ["sendMessage"] and calls[0]["text"] == render.QUIET_PRIVATE


# ---------------------------------------------------------------------------
# RepeatMemory


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_repeat_memory_remembers_within_the_window_only() -> None:
    clock = Clock()
    memory = RepeatMemory(window=300, clock=clock)
    key = (SUPERGROUP["id"], None, "who-is-bill-burns")
    record = memory.start(key)
    assert memory.earlier(key) is record and not record.message_id.done(), "known while still being sent"
    memory.finish(key, record, 501)
    assert await memory.earlier(key).message_id == 501  # type: ignore[union-attr]
    assert memory.earlier((SUPERGROUP["id"], 7, "who-is-bill-burns")) is None, "another topic"
    clock.now += 299
    assert memory.earlier(key) is record
    clock.now += 1
    assert memory.earlier(key) is None


async def test_repeat_memory_forgets_old_answers_and_failed_ones() -> None:
    clock = Clock()
    memory = RepeatMemory(window=300, clock=clock)
    for n in range(3):
        memory.finish((n, None, "e"), memory.start((n, None, "e")), 100 + n)
        clock.now += 100
    assert len(memory) == 3
    memory.finish((9, None, "e"), memory.start((9, None, "e")), None)  # the oldest is 300 s old now
    assert len(memory) == 2 and memory.earlier((0, None, "e")) is None and memory.earlier((9, None, "e")) is None


async def test_an_answer_given_again_later_is_remembered_anew() -> None:
    clock = Clock()
    memory = RepeatMemory(window=300, clock=clock)
    memory.finish((1, None, "e"), memory.start((1, None, "e")), 101)
    clock.now += 200
    memory.finish((2, None, "e"), memory.start((2, None, "e")), 102)
    clock.now += 200  # the first answer is out of the window: given again, in full
    again = memory.start((1, None, "e"))
    memory.finish((1, None, "e"), again, 103)
    clock.now += 150  # the second is 350 s old and forgotten; the new first one is kept
    memory.start((3, None, "e"))
    assert memory.earlier((1, None, "e")) is again and memory.earlier((2, None, "e")) is None


async def test_group_members_keep_their_own_context(fast_bot: FastBot) -> None:
    await fast_bot.ask(mention("What did Abu Marzouk say?"), SUPERGROUP, sender=ANN)
    await fast_bot.ask(mention("who is bill burns?"), SUPERGROUP, sender=BEN)
    for_ann = await fast_bot.ask(mention("who is he?"), SUPERGROUP, sender=ANN)
    for_ben = await fast_bot.ask("/ask who did he meet?", SUPERGROUP, sender=BEN)
    assert "senior Hamas official" in for_ann["text"]
    assert "Al Thani" in for_ben["text"] and "Abu Marzouk" not in for_ben["text"]
    stranger = await fast_bot.ask(mention("who is he?"), SUPERGROUP, sender=user("Cy", 24))
    assert "Read as a follow-up" not in stranger["text"]


async def test_a_reply_is_read_against_the_answer_it_replies_to(fast_bot: FastBot) -> None:
    marzouk = await fast_bot.ask(mention("What did Abu Marzouk say?"), SUPERGROUP, sender=ANN)
    await fast_bot.ask(mention("who is bill burns?"), SUPERGROUP, sender=ANN)
    older = await fast_bot.ask("who is he?", SUPERGROUP, reply_to=marzouk, sender=BEN)
    assert "senior Hamas official" in older["text"]


async def test_a_reply_to_a_no_answer_is_read_against_the_answer_before_it(fast_bot: FastBot) -> None:
    """A reply to the bot's "I couldn't find that" reads against the answer that question was read
    against, as a private chat's next message does (and `eval --dialogues` plays it): "who is he?"
    replying to the miss after Abu Marzouk's words is Abu Marzouk, not "I'm not sure what that refers to"."""
    marzouk = await fast_bot.ask(mention("what did abu marzouk say?"), SUPERGROUP, sender=ANN)
    missed = await fast_bot.ask("what is the weather in paris?", SUPERGROUP, reply_to=marzouk, sender=ANN)
    assert "couldn't find" in plain(missed["text"])
    who = await fast_bot.ask("who is he?", SUPERGROUP, reply_to=missed, sender=BEN)
    assert "senior Hamas official" in plain(who["text"]) and "Read as a follow-up" in plain(who["text"])


async def test_a_reply_to_a_first_no_answer_has_no_context(fast_bot: FastBot) -> None:
    missed = await fast_bot.ask(mention("what is the weather in paris?"), SUPERGROUP, sender=ANN)
    who = await fast_bot.ask("who is he?", SUPERGROUP, reply_to=missed, sender=BEN)
    assert "Read as a follow-up" not in plain(who["text"]) and "senior Hamas official" not in plain(who["text"])
