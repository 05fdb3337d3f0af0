"""Groups: answer only when addressed, keep forum topics, don't repeat answers, quiet mode."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import BOT_USERNAME, TITLE, Harness, buttons

BARRIER = "/ask who said we were very close"  # always answered in a group, in quiet mode too


def mention(text: str) -> str:
    return f"@{BOT_USERNAME} {text}"


def internal_id(chat: dict) -> str:
    return str(chat["id"]).removeprefix("-100")


@pytest.mark.parametrize(
    "text",
    [
        mention("who is bill burns"),
        "who is bill burns, @article_qa_bot?",
        "@ARTICLE_QA_BOT who is bill burns",
        f"/ask@{BOT_USERNAME} who is bill burns",
        "/ask who is bill burns",
    ],
    ids=["mention", "mention-at-end", "mention-upper-case", "ask-addressed", "ask"],
)
def test_addressed_questions_are_answered(harness: Harness, text: str) -> None:
    group = harness.supergroup()
    reply = harness.ask(group, text)
    assert "CIA Director" in reply["plain_text"] and "<blockquote>" in reply["text"]
    assert "👍" not in [label for label, _ in buttons(reply)], "no feedback buttons in groups"
    assert reply["message_thread_id"] is None


def test_a_bare_mention_gets_the_intro(harness: Harness) -> None:
    reply = harness.ask(harness.supergroup(), f"@{BOT_USERNAME}")
    assert TITLE in reply["plain_text"]


def test_basic_groups_work_too(harness: Harness) -> None:
    reply = harness.ask(harness.api.group_chat(), mention("who said we were very close"))
    assert "Mousa Abu Marzouk" in reply["plain_text"]


def test_reply_to_the_bot_is_answered(harness: Harness) -> None:
    group = harness.supergroup()
    answer = harness.ask(group, mention("who is bill burns"))
    follow_up = harness.ask(
        group, "and who said we were very close?", reply_to=answer["message_id"], from_user=harness.user("Bob")
    )
    assert "Mousa Abu Marzouk" in follow_up["plain_text"]


def _chatter(harness: Harness, group: dict) -> int:
    return harness.api.push_message(group, "who is bill burns anyway")


def _other_bot_command(harness: Harness, group: dict) -> int:
    return harness.api.push_message(group, "/ask@otherbot who is bill burns")


def _other_bot_mention(harness: Harness, group: dict) -> int:
    return harness.api.push_message(group, "@otherbot who is bill burns")


def _from_a_bot(harness: Harness, group: dict) -> int:
    robot = harness.user("Robot", username="otherbot", is_bot=True)
    return harness.api.push_message(group, mention("who is bill burns"), from_user=robot)


def _reply_to_someone_else(harness: Harness, group: dict) -> int:
    _, first = harness.push(group, "hello all", from_user=harness.user("Carol"))
    return harness.api.push_message(group, "who is bill burns", reply_to=first, from_user=harness.user("Dan"))


def _photo_with_mention(harness: Harness, group: dict) -> int:
    return harness.api.push_photo(group, caption=mention("who is bill burns"))


def _sticker(harness: Harness, group: dict) -> int:
    return harness.api.push_sticker(group, chat_type="supergroup")


def _edited_into_a_mention(harness: Harness, group: dict) -> int:
    _, message_id = harness.push(group, "who is bill burns")
    return harness.api.push_edited_message(group, message_id, mention("who is bill burns"))


def _edit_of_an_answered_question(harness: Harness, group: dict) -> int:
    _, message_id = harness.push(group, mention("who is bill burns"))
    harness.wait_reply(group, message_id)
    return harness.api.push_edited_message(group, message_id, mention("who is mousa abu marzouk"))


def _unknown_command(harness: Harness, group: dict) -> int:
    return harness.api.push_message(group, "/weather")


@pytest.mark.parametrize(
    "push",
    [
        _chatter,
        _other_bot_command,
        _other_bot_mention,
        _from_a_bot,
        _reply_to_someone_else,
        _photo_with_mention,
        _sticker,
        _edited_into_a_mention,
        _edit_of_an_answered_question,
        _unknown_command,
    ],
    ids=[
        "chatter",
        "ask-other-bot",
        "mention-other-bot",
        "from-a-bot",
        "reply-to-someone-else",
        "photo",
        "sticker",
        "edited-into-mention",
        "edit-of-answered",
        "unknown-command",
    ],
)
def test_group_messages_not_for_the_bot_are_ignored(harness: Harness, push: Callable[[Harness, dict], int]) -> None:
    group = harness.supergroup()
    before = harness.sent_count(group)
    update_id = push(harness, group)
    harness.assert_ignored(group, update_id, BARRIER)
    assert harness.sent_count(group) - before <= 2  # at most the earlier answer and the barrier's


def test_buttons_in_a_forum_topic_answer_in_that_topic(harness: Harness) -> None:
    forum = harness.supergroup(is_forum=True)
    topic = harness.api.create_forum_topic(forum, "Questions")
    answer = harness.ask(forum, mention("who is bill burns"), thread_id=topic)
    related = next(data for _, data in buttons(answer) if data.startswith("a:"))
    new = harness.press_for_message(forum, answer, related, user=harness.user("Presser"))
    assert new["message_thread_id"] == topic and "<blockquote>" in new["text"]


def test_channel_posts_are_ignored(harness: Harness) -> None:
    channel = harness.api.channel_chat()
    update_id = harness.api.push_channel_post(channel, mention("who is bill burns"))
    harness.ask(harness.private_chat(), "who is bill burns")  # processed after the post
    harness.api.wait_until_confirmed(update_id)
    assert not harness.api.calls(chat=channel)


def test_forum_topic_answers_stay_in_the_topic(harness: Harness) -> None:
    forum = harness.supergroup(is_forum=True)
    topic = harness.api.create_forum_topic(forum, "Ceasefire talks")
    reply = harness.ask(forum, mention("who is bill burns"), thread_id=topic)
    assert reply["message_thread_id"] == topic
    assert "CIA Director" in reply["plain_text"]
    usage = harness.ask(forum, "/ask", thread_id=topic)
    assert usage["message_thread_id"] == topic


# ---------------------------------------------------------------------------
# Etiquette: the same answer twice in a few minutes is a link, not a copy


def test_a_repeat_in_the_same_group_links_to_the_earlier_answer(harness: Harness) -> None:
    group = harness.supergroup()
    first = harness.ask(group, mention("who is bill burns"), from_user=harness.user("Ann"))
    _, asked_again = harness.push(group, "/ask Who is Bill Burns?", from_user=harness.user("Ben"))
    repeat = harness.wait_reply(group, asked_again)
    assert f"https://t.me/c/{internal_id(group)}/{first['message_id']}" in repeat["text"]
    assert "<blockquote>" not in repeat["text"] and len(repeat["plain_text"]) < 200
    assert any(e["type"] == "text_link" for e in repeat["entities"])

    other_entry = harness.ask(group, mention("who said we were very close"))
    assert "<blockquote>" in other_entry["text"], "a different question is answered in full"
    elsewhere = harness.ask(harness.supergroup(), mention("who is bill burns"))
    assert "<blockquote>" in elsewhere["text"], "another group gets the full answer"
    private = harness.private_chat()
    assert "<blockquote>" in harness.ask(private, "who is bill burns")["text"]
    assert "<blockquote>" in harness.ask(private, "who is bill burns")["text"], "private chats always get it"


def test_simultaneous_repeats_get_one_full_answer(harness: Harness) -> None:
    group = harness.supergroup()
    asked = [harness.push(group, mention("who is bill burns"), from_user=harness.user(f"U{n}"))[1] for n in range(4)]
    replies = [harness.wait_reply(group, message_id) for message_id in asked]
    full = [r for r in replies if "<blockquote>" in r["text"]]
    assert len(full) == 1, [r["plain_text"][:60] for r in replies]
    link = f"https://t.me/c/{internal_id(group)}/{full[0]['message_id']}"
    assert all(link in r["text"] for r in replies if r is not full[0])


def test_a_repeat_in_a_basic_group_replies_to_the_earlier_answer(harness: Harness) -> None:
    group = harness.api.group_chat()
    first = harness.ask(group, mention("who is bill burns"))
    _, again = harness.push(group, mention("who is bill burns?"))
    repeat = harness.api.wait_for(lambda: harness.api.sent_messages(group)[1:], message="the repeat")[0]
    assert repeat["reply_parameters"]["message_id"] == first["message_id"]
    assert "<blockquote>" not in repeat["text"] and "t.me" not in repeat["text"]
    assert not harness.replies_to(group, again)


def test_repeats_are_counted_per_forum_topic(harness: Harness) -> None:
    forum = harness.supergroup(is_forum=True)
    talks, rockets = (harness.api.create_forum_topic(forum, name) for name in ("Talks", "Rockets"))
    first = harness.ask(forum, mention("who is bill burns"), thread_id=talks)
    assert "<blockquote>" in harness.ask(forum, mention("who is bill burns"), thread_id=rockets)["text"]
    repeat = harness.ask(forum, mention("who is bill burns"), thread_id=talks)
    assert f"https://t.me/c/{internal_id(forum)}/{talks}/{first['message_id']}" in repeat["text"]
    assert repeat["message_thread_id"] == talks


# ---------------------------------------------------------------------------
# Quiet mode


def test_quiet_mode_is_for_admins_and_silences_mentions_only(harness: Harness) -> None:
    api = harness.api
    group = harness.supergroup()
    admin, member, owner = harness.user("Admin"), harness.user("Member"), harness.user("Owner")
    api.set_member_status(group, admin, "administrator")
    api.set_member_status(group, owner, "creator")

    refused = harness.ask(group, "/quiet on", from_user=member)
    assert "admins" in refused["plain_text"]
    assert "CIA Director" in harness.ask(group, mention("who is bill burns"), from_user=member)["plain_text"]

    confirmed = harness.ask(group, f"/quiet@{BOT_USERNAME} on", from_user=admin)
    assert "Quiet mode is on" in confirmed["plain_text"]
    checked = [c.params["user_id"] for c in api.calls("getChatMember", group)]
    assert checked == [member["id"], admin["id"]]

    update_id = api.push_message(group, mention("what is rafah"), from_user=member)
    harness.assert_ignored(group, update_id, "/ask what is kerem shalom", from_user=member)
    answer = harness.ask(group, "/ask who is mousa abu marzouk", from_user=member)
    follow_up = harness.ask(group, "and who is bill burns?", reply_to=answer["message_id"], from_user=member)
    assert follow_up["plain_text"], "replies to the bot are still answered"
    assert "Quiet mode is on" in harness.ask(group, "/quiet", from_user=member)["plain_text"]
    assert "Quiet mode is on" not in harness.ask(harness.supergroup(), "/quiet")["plain_text"], "per group"

    assert "Quiet mode is off" in harness.ask(group, "/quiet off", from_user=owner)["plain_text"]
    assert "<blockquote>" in harness.ask(group, mention("what is rafah"), from_user=member)["text"]


def test_quiet_in_a_private_chat_explains_itself(harness: Harness) -> None:
    chat = harness.private_chat()
    reply = harness.ask(chat, "/quiet on")
    assert "groups" in reply["plain_text"]
    assert not harness.api.calls("getChatMember", chat)
