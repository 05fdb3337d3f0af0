"""Inline keyboards and inline mode on the wire: every keyboard, a context's entities, a refused
double edit and an inline answer as the strict fake API takes them.

Each button's and inline query's behaviour is tested fast in tests/test_telegram_handlers.py."""

from __future__ import annotations

import pytest
from conftest import Harness, button_data, buttons, callback_data, poll_until
from fakeapi import parse_html

QUESTION = "who is bill burns"


@pytest.fixture
def answered(harness: Harness) -> tuple[dict, dict]:
    """A private chat and the bot's answer about Bill Burns in it."""
    chat = harness.private_chat()
    return chat, harness.ask(chat, QUESTION)


def test_thumbs_up_thanks_is_stored_once_and_takes_the_vote_buttons_away(harness: Harness) -> None:
    chat = harness.private_chat()
    answer = harness.ask(chat, "Who is Bill Burns?")
    entry_id = button_data(answer, "👍").split(":")[1]
    up, down = button_data(answer, "👍"), button_data(answer, "👎")
    count = "SELECT COUNT(*) FROM feedback WHERE entry_id = ? AND vote = ?"
    before = harness.db_rows(count, (entry_id, 1))[0][0]
    callback_answer = harness.press(chat, answer, up)
    assert "thank" in callback_answer["text"].lower()
    poll_until(lambda: harness.db_rows(count, (entry_id, 1))[0][0] == before + 1, what="the vote in the log")

    # The vote buttons go; the others stay.
    harness.api.wait_for(lambda: harness.api.calls("editMessageReplyMarkup", chat))
    labels = [label for label, _ in buttons(harness.api.message(chat, answer["message_id"]) or {})]
    assert labels and "👍" not in labels and "👎" not in labels
    assert labels == [label for label, _ in buttons(answer) if label not in ("👍", "👎")]

    # A stale client taps again, or changes its mind: neither is stored.
    for data in (up, down, up):
        harness.press(chat, answer, data, check_button=False)
    # A barrier: a vote on another answer. The log keeps order, so once it is written the taps
    # above would be too.
    other = harness.ask(chat, "Who is Bill Burns?")
    harness.press(chat, other, button_data(other, "👍"))
    poll_until(lambda: harness.db_rows(count, (entry_id, 1))[0][0] == before + 2, what="the barrier vote")
    assert harness.db_rows(count, (entry_id, 1))[0][0] == before + 2
    assert harness.db_rows(count, (entry_id, -1))[0][0] == 0


def test_show_context_bolds_the_quote_inside_the_paragraph(harness: Harness, answered: tuple[dict, dict]) -> None:
    chat, answer = answered
    context = harness.press_for_message(chat, answer, button_data(answer, "Show context"))
    assert "<blockquote expandable>" in context["text"]
    entity_types = {e["type"] for e in context["entities"]}
    assert {"expandable_blockquote", "bold"} <= entity_types
    bold = [e for e in context["entities"] if e["type"] == "bold"]
    bold_texts = [context["plain_text"][e["offset"] : e["offset"] + e["length"]] for e in bold]  # BMP-only text
    assert any("CIA Director Bill Burns" in t for t in bold_texts), bold_texts
    quote_block = next(e for e in context["entities"] if e["type"] == "expandable_blockquote")
    paragraph = context["plain_text"][quote_block["offset"] : quote_block["offset"] + quote_block["length"]]
    assert len(paragraph) > len(max(bold_texts, key=len)), "the whole paragraph, not just the quote"


@pytest.mark.allow_bad_requests  # the second edit is refused as "not modified", and must be shrugged off
def test_double_tap_on_a_page_button_edits_once_and_stays_silent(harness: Harness) -> None:
    chat = harness.private_chat()
    page = harness.ask(chat, "/read")
    first = harness.api.push_callback_query(chat, page["message_id"], "r:2")
    second = harness.api.push_callback_query(chat, page["message_id"], "r:2")
    for query_id in (first, second):
        harness.api.wait_for(lambda q=query_id: harness.api.callback_answer(q), message="both taps answered")
    # Each tap is answered before its edit goes out: wait for both edit attempts, or a late
    # "not modified" would land in the next test.
    harness.api.wait_for(
        lambda: (
            len(harness.api.calls("editMessageText", chat)) == 2
            and all(c.status is not None for c in harness.api.calls("editMessageText"))
        ),
        message="both edit attempts",
    )
    harness.ask(chat, "/help")
    assert len(harness.api.edited_messages(chat)) == 1
    assert harness.sent_count(chat) == 2, "no error message for the second tap"


def test_every_keyboard_fits_telegram_limits(harness: Harness) -> None:
    """Walk every topic and speaker: each keyboard the bot sends is accepted by the (strict) fake."""
    chat = harness.private_chat()
    topics = harness.ask(chat, "/topics")
    for data in callback_data(topics):
        listing = harness.press_for_message(chat, topics, data)
        assert all(len(d.encode()) <= 64 for d in callback_data(listing))
    speakers = harness.ask(chat, "/speakers")
    for data in callback_data(speakers):
        harness.press_for_message(chat, speakers, data)
    assert all(c.ok for c in harness.api.calls("sendMessage", chat))


# ---------------------------------------------------------------------------
# Inline mode


def test_inline_query_offers_matching_answers(harness: Harness) -> None:
    query_id = harness.api.push_inline_query("who is bill burns")
    answer = harness.api.wait_for(lambda: harness.api.inline_answer(query_id), message="answerInlineQuery")
    results = answer["results"]
    assert results and int(answer["cache_time"]) > 0
    best = results[0]
    assert best["type"] == "article" and best["title"].endswith("?")
    content = best["input_message_content"]
    assert content["parse_mode"] == "HTML"
    plain, _ = parse_html(content["message_text"])  # the fake already refused invalid HTML
    assert "CIA Director" in plain
    assert len({r["id"] for r in results}) == len(results)


def test_an_inline_query_is_logged_once_when_typing_stops_or_a_result_is_chosen(harness: Harness) -> None:
    """A client sends a query per keystroke: only the finished one is logged (the report's top
    unanswered cluster was '52x who: also who is; wh; who i')."""
    typist = harness.user("Typist")
    phrase = "where is the kerem shalom crossing zq"
    prefixes = [phrase[:n] for n in (1, 3, 5, 11, 18, 24, 30)] + [phrase]
    for prefix in prefixes:
        query_id = harness.api.push_inline_query(prefix, typist)
        harness.api.wait_for(lambda query_id=query_id: harness.api.inline_answer(query_id))

    def inline_rows(*questions: str) -> int:
        marks = ", ".join("?" * len(questions))
        sql = f"SELECT COUNT(*) FROM questions WHERE channel = 'inline' AND question IN ({marks})"
        return int(harness.db_rows(sql, questions)[0][0])

    poll_until(lambda: inline_rows(phrase) == 1, 15, "the finished inline query logged")
    assert inline_rows(*[p.strip() for p in prefixes[:-1]]) == 0

    # Picking a result finishes the query at once; the timer then logs nothing more.
    chooser = harness.user("Chooser")
    picked = "who is bill burns zq"
    query_id = harness.api.push_inline_query(picked, chooser)
    harness.api.wait_for(lambda: harness.api.inline_answer(query_id))
    harness.api.push_raw_update(
        {"chosen_inline_result": {"result_id": "who-is-bill-burns", "from": chooser, "query": picked}}
    )
    poll_until(lambda: inline_rows(picked) == 1, 15, "the chosen inline query logged")
    barrier = "what is hamas zq"  # typed after: once it has settled, the first timer has run out too
    query_id = harness.api.push_inline_query(barrier, chooser)
    harness.api.wait_for(lambda: harness.api.inline_answer(query_id))
    poll_until(lambda: inline_rows(barrier) == 1, 15, "the barrier query logged")
    assert inline_rows(picked) == 1
