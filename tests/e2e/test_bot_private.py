"""Start-up, questions and commands in a private chat: the real bot process against the fake Bot API."""

from __future__ import annotations

import re

import pytest
from conftest import BOT_USERNAME, TITLE, Harness, button_data, buttons, callback_data

from bot import commands

EXPECTED_COMMANDS = {c.name for c in commands.menu("everyone")}


def doesnt_say(text: str) -> bool:
    return bool(re.search(r"doesn[’']t say|does not say|Not in the article", text))


def test_start_up_registers_commands_then_polls(harness: Harness) -> None:
    api = harness.api
    get_me, set_commands = api.wait_for_call("getMe", ok=True), api.wait_for_call("setMyCommands", ok=True)
    assert api.first_get_updates_at is not None
    assert get_me.finished_at <= set_commands.started_at <= set_commands.finished_at <= api.first_get_updates_at

    menu = {c["command"]: c["description"] for c in api.commands()}
    assert set(menu) == EXPECTED_COMMANDS
    assert all(description.strip() for description in menu.values())
    admin_commands = {c["command"] for c in api.commands({"type": "all_chat_administrators"})}
    assert admin_commands == {c.name for c in commands.menu("group_admins")} > EXPECTED_COMMANDS

    harness.ask(harness.private_chat(), "/help")  # ends the first long poll, so it is on record
    first_poll = api.wait_for_call("getUpdates", ok=True)
    assert set(first_poll.params["allowed_updates"]) == {"message", "callback_query", "inline_query"}


def test_question_gets_one_quoted_html_answer(harness: Harness) -> None:
    chat = harness.private_chat()
    _, message_id = harness.push(chat, "who is bill burns")
    reply = harness.wait_reply(chat, message_id)

    assert reply["parse_mode"] == "HTML"
    assert "CIA Director" in reply["plain_text"]
    assert "<blockquote>" in reply["text"]
    assert re.search(r"\n— <i>[^<]+</i> \(¶\d+ of 12\)", reply["text"]), reply["text"]
    assert "as reported on May 19, 2024" in reply["plain_text"]
    data = callback_data(reply)
    assert [label for label, _ in buttons(reply)[:2]] == ["👍", "👎"]
    assert any(d.startswith("c:") for d in data), data
    assert any(d.startswith("a:") for d in data), data
    assert (reply["link_preview_options"] or {}).get("is_disabled") is True

    harness.ask(chat, "/help")  # a later exchange, so a duplicate answer would have shown by now
    assert harness.replies_to(chat, message_id) == [reply]


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("who is bill burns", "CIA Director"),
        ("who said we were very close", "Mousa Abu Marzouk"),
        ("Who said \u201cwe were very close\u201d?", "Mousa Abu Marzouk"),
        ("WHO IS BILL BURNS???", "CIA Director"),
    ],
    ids=["burns", "very-close", "curly-quotes", "shouting"],
)
def test_answers_contain_article_facts(harness: Harness, question: str, fact: str) -> None:
    reply = harness.ask(harness.private_chat(), question)
    assert fact in reply["plain_text"]


@pytest.mark.parametrize(
    "question",
    ["What did Netanyahu say about Iran?", "how many hostages are still held", "what is the weather in paris"],
    ids=["iran", "hostage-count", "weather"],
)
def test_out_of_scope_is_never_answered_confidently(harness: Harness, question: str) -> None:
    reply = harness.ask(harness.private_chat(), question)
    labels = [label for label, _ in buttons(reply)]
    assert "👍" not in labels, "a confident answer (feedback buttons) to a question the article does not answer"
    assert doesnt_say(reply["plain_text"]), reply["plain_text"]
    if "<blockquote>" in reply["text"]:  # a curated note: says what the article does say nearby
        assert "The nearest thing the article says" in reply["plain_text"]
    else:
        suggestions = [d for d in callback_data(reply) if d.startswith("a:")]
        assert len(suggestions) == 3, buttons(reply)


# ---------------------------------------------------------------------------
# Commands


def test_start_introduces_the_article_with_three_examples(harness: Harness) -> None:
    reply = harness.ask(harness.private_chat(), "/start")
    assert TITLE in reply["plain_text"]
    assert "May 19, 2024" in reply["plain_text"]
    examples = callback_data(reply)
    assert len(examples) == 3 and all(d.startswith("a:") for d in examples), examples


@pytest.mark.parametrize(
    ("payload", "entry_id"),
    [("overview", "overview"), ("who_is_bill_burns", "who-is-bill-burns"), ("who-is-bill-burns", "who-is-bill-burns")],
    ids=["plain-id", "underscores", "dashes"],
)
def test_start_deep_link_opens_an_entry(harness: Harness, payload: str, entry_id: str) -> None:
    reply = harness.ask(harness.private_chat(), f"/start {payload}")
    assert "<blockquote>" in reply["text"]
    assert f"c:{entry_id}:0" in callback_data(reply)


def test_start_with_an_unknown_payload_falls_back_to_the_intro(harness: Harness) -> None:
    reply = harness.ask(harness.private_chat(), "/start no-such-entry")
    assert TITLE in reply["plain_text"] and len(callback_data(reply)) == 3


def test_help_explains_groups_and_commands(harness: Harness) -> None:
    reply = harness.ask(harness.private_chat(), "/help")
    text = reply["plain_text"]
    assert "In groups" in text and f"@{BOT_USERNAME}" in text
    for command in ("/ask", "/topics", "/speakers", "/read", "/source"):
        assert command in text


@pytest.mark.parametrize(
    ("command", "fact"),
    [("/ask who is bill burns", "CIA Director"), (f"/ask@{BOT_USERNAME} who said we were very close", "Abu Marzouk")],
    ids=["ask", "ask-addressed"],
)
def test_ask_command_answers(harness: Harness, command: str, fact: str) -> None:
    assert fact in harness.ask(harness.private_chat(), command)["plain_text"]


@pytest.mark.parametrize("command", ["/ask", "/ask   ", f"/ask@{BOT_USERNAME}"], ids=["bare", "spaces", "addressed"])
def test_ask_without_a_question_shows_usage(harness: Harness, command: str) -> None:
    reply = harness.ask(harness.private_chat(), command)
    assert "/ask" in reply["plain_text"] and "<blockquote>" not in reply["text"]


def test_topics_then_a_topic_lists_its_questions(harness: Harness) -> None:
    chat = harness.private_chat()
    topics = harness.ask(chat, "/topics")
    topic_buttons = callback_data(topics)
    assert len(topic_buttons) >= 3 and all(d.startswith("t:") for d in topic_buttons)
    label, data = buttons(topics)[0]
    listing = harness.press_for_message(chat, topics, data)
    assert label in listing["plain_text"]
    questions = callback_data(listing)
    assert questions and all(d.startswith("a:") for d in questions)
    answer = harness.press_for_message(chat, listing, questions[0])
    assert "<blockquote>" in answer["text"]


def test_source_names_title_date_and_section_but_no_outlet(harness: Harness) -> None:
    text = harness.ask(harness.private_chat(), "/source")["plain_text"]
    assert TITLE in text and "May 19, 2024" in text and "World" in text
    assert re.search(r"no outlet", text) and re.search(r"author", text), text


def test_speakers_then_a_speaker_lists_their_quotes(harness: Harness) -> None:
    chat = harness.private_chat()
    speakers = harness.ask(chat, "/speakers")
    assert "Mousa Abu Marzouk" in speakers["plain_text"]
    quotes = harness.press_for_message(chat, speakers, button_data(speakers, "Mousa Abu Marzouk"))
    assert "Mousa Abu Marzouk" in quotes["plain_text"]
    assert "<blockquote>" in quotes["text"] and "We were very close" in quotes["plain_text"]


def test_read_pages_by_editing_the_same_message(harness: Harness) -> None:
    chat = harness.private_chat()
    page = harness.ask(chat, "/read")
    assert "¶1 of 12" in page["plain_text"] and [label for label, _ in buttons(page)] == ["▶"]

    harness.press(chat, page, button_data(page, "▶"))
    edit = harness.api.wait_for(lambda: harness.api.edited_messages(chat), message="an edit of the /read message")[0]
    assert edit["method"] == "editMessageText" and edit["message_id"] == page["message_id"]
    assert "¶2 of 12" in edit["plain_text"]
    current = harness.api.message(chat, page["message_id"])
    assert [b["text"] for b in current["reply_markup"]["inline_keyboard"][0]] == ["◀", "▶"]

    harness.press(chat, page, "r:1")
    harness.api.wait_for(lambda: len(harness.api.edited_messages(chat)) == 2, message="a second edit")
    assert "¶1 of 12" in harness.api.message(chat, page["message_id"])["text"]
    assert harness.sent_count(chat) == 1, "paging must edit, not send"


@pytest.mark.parametrize(
    ("command", "paragraph", "arrows"),
    [
        ("/read 12", 12, ["◀"]),
        ("/read 99", 12, ["◀"]),
        ("/read 0", 1, ["▶"]),
        ("/read ٣", 3, ["◀", "▶"]),
        ("/read ²", 1, ["▶"]),
        ("/read abc", 1, ["▶"]),
    ],
    ids=["last", "past-the-end", "zero", "arabic-digit", "superscript", "word"],
)
def test_read_with_a_paragraph_number(harness: Harness, command: str, paragraph: int, arrows: list[str]) -> None:
    page = harness.ask(harness.private_chat(), command)
    assert f"¶{paragraph} of 12" in page["plain_text"]
    assert [label for label, _ in buttons(page)] == arrows


def test_unknown_command_gets_a_hint(harness: Harness) -> None:
    reply = harness.ask(harness.private_chat(), "/weather")
    assert "/help" in reply["plain_text"]
