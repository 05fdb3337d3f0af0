"""The handlers in a private chat, buttons and inline mode, through Application.process_update
with a recording request (tests/fakes.py): fast, no network. Groups: test_telegram_groups.py."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

import pytest
import pytest_asyncio

from bot import knowledge, render
from bot.matcher import Matcher
from bot.questionlog import QuestionLog
from bot.telegram_app import keyboard_json, set_command_menus, warm_up
from tests.fakes import ADMIN, FastBot, button, buttons, plain, sent, start_fast_bot

TITLE = "Negotiations between Israel and Hamas Reach Impasse"
QUESTION = "who is bill burns"


def doesnt_say(text: str) -> bool:
    """The reply declines: a curated note ("doesn't say", "Not in the article") or not found at all."""
    return bool(re.search(r"doesn[’']t say|does not say|Not in the article|couldn[’']t find that", text))


def labels(call: dict) -> list[str]:
    return [label for label, _ in buttons(call)]


def data_of(call: dict) -> list[str]:
    return [data for _, data in buttons(call)]


# ---------------------------------------------------------------------------
# Questions


async def test_private_question_gets_one_quoted_answer_with_feedback_and_follow_ups(fast_bot: FastBot) -> None:
    calls = await fast_bot.say("who said we were very close")
    (reply,) = sent(calls)
    assert "<blockquote>" in reply["text"] and "Mousa Abu Marzouk" in reply["text"]
    assert re.search(r"\n— <i>[^<]+</i> \(¶\d+ of 12\)", reply["text"]), reply["text"]
    assert "as reported on May 19, 2024" in plain(reply["text"])
    assert reply["parse_mode"] == "HTML" and reply["reply_parameters"]["message_id"] > 0
    assert labels(reply)[:2] == ["👍", "👎"]
    assert any(d.startswith("c:") for d in data_of(reply)) and any(d.startswith("a:") for d in data_of(reply))


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("who is bill burns", "CIA Director"),
        ("Who said \u201cwe were very close\u201d?", "Mousa Abu Marzouk"),
        ("WHO IS BILL BURNS???", "CIA Director"),
    ],
    ids=["burns", "curly-quotes", "shouting"],
)
async def test_answers_contain_article_facts(fast_bot: FastBot, question: str, fact: str) -> None:
    assert fact in plain((await fast_bot.ask(question))["text"])


@pytest.mark.parametrize(
    "question",
    ["What did Netanyahu say about Iran?", "how many hostages are still held", "what is the weather in paris"],
    ids=["iran", "hostage-count", "weather"],
)
async def test_out_of_scope_is_never_answered_confidently(fast_bot: FastBot, question: str) -> None:
    reply = await fast_bot.ask(question)
    assert "👍" not in labels(reply), "a confident answer (feedback buttons) to a question the article does not answer"
    assert doesnt_say(plain(reply["text"])), reply["text"]
    if "<blockquote>" in reply["text"]:  # a curated note: says what the article does say nearby
        assert "The nearest thing the article says" in plain(reply["text"])
    else:
        assert len([d for d in data_of(reply) if d.startswith("a:")]) == 3, buttons(reply)


async def test_two_questions_in_one_message_get_both_answers_in_one_reply(fast_bot: FastBot) -> None:
    reply = await fast_bot.ask("who is bill burns and what is rafah?")
    text = plain(reply["text"])
    assert text.index("CIA Director") < text.index("the southernmost town in Gaza")
    assert reply["text"].count("<blockquote>") == 3 and text.count("as reported on May 19, 2024") == 1
    assert "👍" not in labels(reply), "a vote would not say which of the two answers it is on"
    assert [d for d in data_of(reply) if d.startswith("c:")] == ["c:who-is-bill-burns:0", "c:what-is-rafah:0"]
    follow_up = await fast_bot.ask("who threatened it?")
    assert "Rafah" in plain(follow_up["text"]), "a follow-up is read against the last part answered"


async def test_non_text_in_private_gets_a_hint(fast_bot: FastBot) -> None:
    photo = [{"file_id": "p", "file_unique_id": "p1", "width": 1, "height": 1}]
    update = fast_bot.message("", photo=photo)
    del update["message"]["text"]
    (reply,) = sent(await fast_bot.feed(update))
    assert reply["text"] == render.NON_TEXT_HINT


# ---------------------------------------------------------------------------
# Commands


async def test_start_introduces_the_article_with_three_examples(fast_bot: FastBot) -> None:
    reply = await fast_bot.ask("/start")
    assert TITLE in plain(reply["text"]) and "May 19, 2024" in plain(reply["text"])
    assert len(data_of(reply)) == 3 and all(d.startswith("a:") for d in data_of(reply))


@pytest.mark.parametrize(
    ("payload", "entry_id"),
    [("overview", "overview"), ("who_is_bill_burns", "who-is-bill-burns"), ("who-is-bill-burns", "who-is-bill-burns")],
    ids=["plain-id", "underscores", "dashes"],
)
async def test_start_deep_link_opens_an_entry(fast_bot: FastBot, payload: str, entry_id: str) -> None:
    reply = await fast_bot.ask(f"/start {payload}")
    assert "<blockquote>" in reply["text"] and f"c:{entry_id}:0" in data_of(reply)


async def test_start_with_an_unknown_payload_falls_back_to_the_intro(fast_bot: FastBot) -> None:
    reply = await fast_bot.ask("/start no-such-entry")
    assert TITLE in plain(reply["text"]) and len(data_of(reply)) == 3


async def test_help_explains_groups_and_commands(fast_bot: FastBot) -> None:
    text = plain((await fast_bot.ask("/help"))["text"])
    assert "In groups" in text and "@article_qa_bot" in text
    for command in ("/ask", "/topics", "/speakers", "/read", "/source", "/start", "/quiet"):
        assert command in text


@pytest.mark.parametrize(
    ("command", "fact"),
    [("/ask who is bill burns", "CIA Director"), ("/ask@article_qa_bot who said we were very close", "Abu Marzouk")],
    ids=["ask", "ask-addressed"],
)
async def test_ask_command_answers(fast_bot: FastBot, command: str, fact: str) -> None:
    assert fact in plain((await fast_bot.ask(command))["text"])


@pytest.mark.parametrize("command", ["/ask", "/ask   ", "/ask@article_qa_bot"], ids=["bare", "spaces", "addressed"])
async def test_ask_without_a_question_shows_usage(fast_bot: FastBot, command: str) -> None:
    reply = await fast_bot.ask(command)
    # the example is the knowledge base's first starter question, not text baked into the code
    assert "/ask What is this article about?" in plain(reply["text"]) and "<blockquote>" not in reply["text"]


async def test_unknown_command_gets_a_hint(fast_bot: FastBot) -> None:
    assert "/help" in (await fast_bot.ask("/weather"))["text"]


async def test_topics_then_a_topic_lists_its_questions_then_one_is_answered(fast_bot: FastBot) -> None:
    topics = await fast_bot.ask("/topics")
    assert len(data_of(topics)) >= 3 and all(d.startswith("t:") for d in data_of(topics))
    label, data = buttons(topics)[0]
    calls = await fast_bot.press(data, on=topics)
    assert calls[0] == {"method": "answerCallbackQuery", "callback_query_id": calls[0]["callback_query_id"]}
    (listing,) = sent(calls)
    assert label in plain(listing["text"]) and data_of(listing) and all(d.startswith("a:") for d in data_of(listing))
    (answer,) = sent(await fast_bot.press(data_of(listing)[0], on=listing))
    assert "<blockquote>" in answer["text"]


async def test_source_names_title_date_and_section_but_no_outlet(fast_bot: FastBot) -> None:
    text = plain((await fast_bot.ask("/source"))["text"])
    assert TITLE in text and "May 19, 2024" in text and "World" in text
    assert "no outlet" in text and "author" in text


async def test_speakers_then_a_speaker_lists_their_quotes(fast_bot: FastBot) -> None:
    speakers = await fast_bot.ask("/speakers")
    assert "Mousa Abu Marzouk" in plain(speakers["text"])
    (quotes,) = sent(await fast_bot.press(button(speakers, "Mousa Abu Marzouk"), on=speakers))
    assert "<blockquote>" in quotes["text"] and "We were very close" in plain(quotes["text"])


async def test_admin_commands_are_refused_to_others(fast_bot: FastBot) -> None:
    for command in ("/stats", "/reload"):
        assert (await fast_bot.ask(command))["text"] == render.ADMINS_ONLY
    assert "Questions: 0" in plain((await fast_bot.ask("/stats", sender=ADMIN))["text"])


# ---------------------------------------------------------------------------
# The reader


async def test_read_pages_by_editing_the_same_message(fast_bot: FastBot) -> None:
    page = await fast_bot.ask("/read")
    assert "¶1 of 12" in plain(page["text"]) and labels(page) == ["▶"]
    calls = await fast_bot.press(button(page, "▶"), on=page)
    assert [c["method"] for c in calls] == ["answerCallbackQuery", "editMessageText"]
    edit = calls[1]
    assert edit["message_id"] == page["message_id"] and "¶2 of 12" in plain(edit["text"])
    assert labels(edit) == ["◀", "▶"]
    back = (await fast_bot.press("r:1", on=page))[1]
    assert back["method"] == "editMessageText" and "¶1 of 12" in plain(back["text"])


async def test_a_double_tap_on_a_page_button_edits_once_and_stays_silent(fast_bot: FastBot) -> None:
    page = await fast_bot.ask("/read")
    await fast_bot.press("r:2", on=page)
    calls = await fast_bot.press("r:2", on=page)  # Telegram refuses the edit: "message is not modified"
    assert [c["method"] for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert not sent(calls), "no error message for the second tap"


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
async def test_read_with_a_paragraph_number(fast_bot: FastBot, command: str, paragraph: int, arrows: list[str]) -> None:
    page = await fast_bot.ask(command)
    assert f"¶{paragraph} of 12" in plain(page["text"]) and labels(page) == arrows


# ---------------------------------------------------------------------------
# Buttons under an answer


@pytest_asyncio.fixture
async def answered(fast_bot: FastBot) -> dict:
    """The bot's answer about Bill Burns in a private chat."""
    return await fast_bot.ask(QUESTION)


async def test_related_question_button_sends_a_new_answer(fast_bot: FastBot, answered: dict) -> None:
    label, data = next((label, data) for label, data in buttons(answered) if data.startswith("a:"))
    calls = await fast_bot.press(data, on=answered)
    assert calls[0]["method"] == "answerCallbackQuery" and "text" not in calls[0]
    (new,) = sent(calls)
    assert plain(new["text"]).startswith(label.rstrip("…")) and "<blockquote>" in new["text"]
    assert new["message_id"] != answered["message_id"]


async def test_show_context_bolds_the_quote_inside_its_whole_paragraph(fast_bot: FastBot, answered: dict) -> None:
    (context,) = sent(await fast_bot.press(button(answered, "Show context"), on=answered))
    quote = re.search(r"<blockquote expandable>(.*)</blockquote>", context["text"], flags=re.DOTALL)
    assert quote is not None
    bold = re.findall(r"<b>(.*?)</b>", quote.group(1))
    assert any("CIA Director Bill Burns" in b for b in bold), bold
    assert len(plain(quote.group(1))) > len(max(bold, key=len)), "the whole paragraph, not just the quote"


async def test_read_from_context_opens_the_reader_in_a_new_message(fast_bot: FastBot, answered: dict) -> None:
    (context,) = sent(await fast_bot.press(button(answered, "Show context"), on=answered))
    calls = await fast_bot.press(button(context, "Read the article"), on=context)
    (reader,) = sent(calls)
    assert re.search(r"¶\d+ of 12", plain(reader["text"])) and not sent(calls, "editMessageText")


async def test_source_read_button_keeps_the_source_message(fast_bot: FastBot) -> None:
    source = await fast_bot.ask("/source")
    calls = await fast_bot.press(button(source, "Read"), on=source)
    (reader,) = sent(calls)
    assert "¶1 of 12" in plain(reader["text"]) and not sent(calls, "editMessageText")


async def test_a_vote_is_stored_once_thanked_and_its_buttons_taken_away(
    kb: knowledge.KnowledgeBase, matcher: Matcher, tmp_path: Path
) -> None:
    path = tmp_path / "questions.sqlite3"
    bot = await start_fast_bot(kb, matcher, QuestionLog(path))
    try:
        answer = await bot.ask(QUESTION)
        entry_id = button(answer, "👍").split(":")[1]
        thanks, edit = await bot.press(button(answer, "👍"), on=answer)
        assert thanks["method"] == "answerCallbackQuery" and "thank" in thanks["text"].lower()
        assert edit["method"] == "editMessageReplyMarkup" and edit["message_id"] == answer["message_id"]
        assert labels(edit) == [label for label in labels(answer) if label not in ("👍", "👎")]
        changed_mind = await bot.press(button(answer, "👎"), on=answer)  # a stale client still shows the buttons
        assert "thank" in changed_mind[0]["text"].lower()
        await bot.app.bot_data.question_log.aclose()  # writes what is queued
        with contextlib.closing(sqlite3.connect(path)) as db:
            votes = db.execute("SELECT vote FROM feedback WHERE entry_id = ?", (entry_id,)).fetchall()
        assert votes == [(1,)], "one vote per user and answer"
    finally:
        await bot.app.shutdown()


@pytest.mark.parametrize(
    "data",
    [
        "a:nope",
        "zz",
        "c:x:99",
        "c:who-is-bill-burns:99",
        "t:999",
        "s:-1",
        "r:0",
        "r:²",
        "r:99999999999999999999",
        "f:who-is-bill-burns:7",
        "f:nope:1",
        "a:",
        ":",
        "",
        "a:who-is-bill-burns:extra",
        "o:13",
        "ab:who-is-bill-burns",
    ],
    ids=[
        "unknown-entry",
        "unknown-verb",
        "unknown-context",
        "context-index",
        "topic",
        "speaker",
        "page-0",
        "superscript",
        "huge-page",
        "vote",
        "vote-entry",
        "empty-arg",
        "colon",
        "empty",
        "extra-arg",
        "reader-13",
        "longer-verb",
    ],
)
async def test_forged_or_stale_button_data_is_answered_politely(fast_bot: FastBot, answered: dict, data: str) -> None:
    calls = await fast_bot.press(data, on=answered)
    assert calls == [
        {
            "method": "answerCallbackQuery",
            "callback_query_id": calls[0]["callback_query_id"],
            "text": render.STALE_BUTTON,
            "show_alert": True,
        }
    ]
    assert "Mousa Abu Marzouk" in (await fast_bot.ask("who said we were very close"))["text"]  # still answering


async def test_every_topic_and_speaker_button_opens_something(fast_bot: FastBot) -> None:
    for command in ("/topics", "/speakers"):
        listing = await fast_bot.ask(command)
        for data in data_of(listing):
            calls = await fast_bot.press(data, on=listing)
            assert len(sent(calls)) >= 1 and "show_alert" not in calls[0], data


# ---------------------------------------------------------------------------
# Inline mode


async def test_inline_query_offers_matching_answers(fast_bot: FastBot) -> None:
    answer = await fast_bot.inline("who is bill burns")
    results = answer["results"]
    assert results and answer["cache_time"] > 0 and answer["is_personal"] is False
    best = results[0]
    assert best["type"] == "article" and best["title"].endswith("?")
    assert best["input_message_content"]["parse_mode"] == "HTML"
    assert "CIA Director" in plain(best["input_message_content"]["message_text"])
    assert len({r["id"] for r in results}) == len(results)


async def test_empty_inline_query_offers_the_starter_questions(fast_bot: FastBot, kb: knowledge.KnowledgeBase) -> None:
    results = (await fast_bot.inline(""))["results"]
    assert [r["id"] for r in results] == [e.id for e in kb.starter_entries()] and len(results) >= 3
    assert all(r["title"] and r["input_message_content"]["message_text"] for r in results)


@pytest.mark.parametrize(
    "query",
    ["<script>&amp;", "x" * 256, "What did Netanyahu say about Iran?", "🤔"],
    ids=["markup", "long", "out-of-scope", "emoji"],
)
async def test_odd_inline_queries_are_answered(fast_bot: FastBot, query: str) -> None:
    results = (await fast_bot.inline(query))["results"]
    assert isinstance(results, list)
    assert all("<script>" not in r["input_message_content"]["message_text"] for r in results)


# ---------------------------------------------------------------------------
# Start-up


async def test_start_up_sets_both_command_menus(fast_bot: FastBot) -> None:
    await set_command_menus(fast_bot.app.bot)
    menus = fast_bot.request.sent("setMyCommands")
    assert [m.get("scope", {"type": "default"})["type"] for m in menus] == ["default", "all_chat_administrators"]
    default, admins = ([c["command"] for c in m["commands"]] for m in menus)
    assert set(default) == {"ask", "topics", "speakers", "read", "source", "help", "start"}
    assert admins == [*default, "quiet"]


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


async def test_a_private_follow_up_is_read_against_the_last_answer(fast_bot: FastBot) -> None:
    await fast_bot.ask("What did Abu Marzouk say?")
    follow_up = await fast_bot.ask("who is he?")
    assert "Read as a follow-up to" in follow_up["text"] and "senior Hamas official" in follow_up["text"]
    said = await fast_bot.ask("who said that?")
    assert "attributes it to Mousa Abu Marzouk" in plain(said["text"])
