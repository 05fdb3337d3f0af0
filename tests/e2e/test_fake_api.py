"""Tests of the fake Telegram Bot API itself, via raw HTTP (httpx) and via PTB's ``Bot``."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from fakeapi import FakeTelegramServer, utf16_len
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

T = TypeVar("T")
_http = httpx.Client(timeout=10)  # shared: a new client costs ~20 ms of SSL setup


@pytest.fixture(autouse=True, scope="module")
def _close_http_client() -> Iterator[None]:
    yield
    _http.close()


def api(
    fake: FakeTelegramServer, method: str, *, token: str | None = None, **params: Any
) -> tuple[int, dict[str, Any]]:
    """POST form-encoded params like PTB does (nested values JSON-encoded)."""
    data = {
        key: json.dumps(value)
        if isinstance(value, dict | list)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
        for key, value in params.items()
    }
    response = _http.post(f"{fake.url}/bot{token or fake.token}/{method}", data=data)
    return response.status_code, response.json()


def with_bot(fake: FakeTelegramServer, action: Callable[[Bot], Awaitable[T]], token: str | None = None) -> T:
    """Run ``action(bot)`` with an initialized PTB Bot pointed at the fake."""

    async def main() -> T:
        async with Bot(token or fake.token, base_url=fake.base_url) as bot:
            return await action(bot)

    return asyncio.run(main())


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Press", callback_data=data)]])


def poll_in_thread(fake: FakeTelegramServer, **params: Any) -> tuple[threading.Thread, dict[str, Any]]:
    """Start a getUpdates request in a thread; the returned dict gets status/body/elapsed."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        started = time.monotonic()
        outcome["status"], outcome["body"] = api(fake, "getUpdates", **params)
        outcome["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


# ------------------------------------------------------------------- basics


def test_get_me_via_ptb(fake_api: FakeTelegramServer) -> None:
    me = with_bot(fake_api, lambda bot: bot.get_me())
    assert me.is_bot and me.username == "article_qa_bot"
    assert me.id == fake_api.bot_user["id"]
    assert me.can_join_groups is True and me.supports_inline_queries is True
    assert [c.status for c in fake_api.calls("getMe")] == [200, 200]  # initialize() + get_me()


def test_method_names_are_case_insensitive_and_json_bodies_work(fake_api: FakeTelegramServer) -> None:
    status, body = api(fake_api, "GETME")
    assert status == 200 and body["result"]["username"] == "article_qa_bot"
    chat = fake_api.private_chat()
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    response = _http.post(
        f"{fake_api.url}/bot{fake_api.token}/sendMessage",
        json={"chat_id": chat["id"], "text": "<b>hi</b>", "parse_mode": "HTML", "reply_markup": markup},
    )
    assert response.status_code == 200, response.text
    [sent] = fake_api.sent_messages(chat)
    assert sent["plain_text"] == "hi" and sent["reply_markup"] == markup


def test_wrong_token_is_unauthorized(fake_api: FakeTelegramServer) -> None:
    status, body = api(fake_api, "getMe", token="123456:WRONG-token")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    with pytest.raises(InvalidToken):
        with_bot(fake_api, lambda bot: bot.get_me(), token="999:another-token")
    assert {c.status for c in fake_api.calls("getMe")} == {401}


def test_unknown_method_is_not_found(fake_api: FakeTelegramServer) -> None:
    status, body = api(fake_api, "sendTelepathy", chat_id=1)
    assert (status, body["description"]) == (404, "Not Found")
    assert fake_api.calls("sendTelepathy")[0].status == 404


def test_send_message_requires_known_chat_and_text(fake_api: FakeTelegramServer) -> None:
    assert api(fake_api, "sendMessage", chat_id=42, text="hi")[1]["description"] == "Bad Request: chat not found"
    assert api(fake_api, "sendMessage", text="hi")[1]["description"] == "Bad Request: chat_id is empty"
    chat = fake_api.private_chat()
    for text in ("", "   \n "):
        status, body = api(fake_api, "sendMessage", chat_id=chat["id"], text=text)
        assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    assert fake_api.sent_messages() == []


def test_sent_count_counts_only_successful_sends(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    api(fake_api, "sendMessage", chat_id=chat["id"], text="")  # refused: not counted
    assert fake_api.sent_count() == 0
    threading.Timer(0.05, api, (fake_api, "sendMessage"), {"chat_id": chat["id"], "text": "one"}).start()
    fake_api.wait_for_sent_count(1, timeout=5)
    assert fake_api.sent_count() == 1
    with pytest.raises(AssertionError, match="2 sent message"):
        fake_api.wait_for_sent_count(2, timeout=0.2)


# ----------------------------------------------------------------- HTML rules


@pytest.mark.parametrize(
    ("html", "plain", "entities"),
    [
        (
            "<b>bold <i>both</i></b> plain",
            "bold both plain",
            [{"type": "bold", "offset": 0, "length": 9}, {"type": "italic", "offset": 5, "length": 4}],
        ),
        (
            "<blockquote expandable>long quote</blockquote>",
            "long quote",
            [{"type": "expandable_blockquote", "offset": 0, "length": 10}],
        ),
        (
            '<a href="https://example.com/?a=1&amp;b=2">link</a>',
            "link",
            [{"type": "text_link", "offset": 0, "length": 4, "url": "https://example.com/?a=1&b=2"}],
        ),
        ("1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;q&quot; &#39;s&#x27;", "1 < 2 && 3 > 2 \"q\" 's'", []),
        (
            '<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler>',
            "s t",
            [{"type": "spoiler", "offset": 0, "length": 1}, {"type": "spoiler", "offset": 2, "length": 1}],
        ),
        (
            '<pre><code class="language-python">x = 1</code></pre>',
            "x = 1",
            [{"type": "pre", "offset": 0, "length": 5, "language": "python"}],
        ),
        ("😀 <u>ü</u>", "😀 ü", [{"type": "underline", "offset": 3, "length": 1}]),
    ],
)
def test_html_accepts_valid_markup(
    fake_api: FakeTelegramServer, html: str, plain: str, entities: list[dict[str, Any]]
) -> None:
    chat = fake_api.private_chat()
    message = with_bot(fake_api, lambda bot: bot.send_message(chat["id"], html, parse_mode="HTML"))
    assert message.text == plain
    [sent] = fake_api.sent_messages(chat["id"])
    assert sent["text"] == html and sent["parse_mode"] == "HTML"
    assert sent["plain_text"] == plain and sent["entities"] == entities


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("é<foo>", 'Unsupported start tag "foo" at byte offset 2'),
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("Tom & Jerry", "Character '&' at byte offset 4"),
        ("&nbsp;", "Character '&' at byte offset 0"),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("a <b", "Unclosed start tag at byte offset 2"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<blockquote>a<blockquote>b</blockquote></blockquote>", "can't be nested"),
        ('<span class="x">a</span>', 'Tag "span" must have class "tg-spoiler"'),
    ],
)
def test_html_rejects_invalid_markup(fake_api: FakeTelegramServer, html: str, error: str) -> None:
    chat = fake_api.private_chat()
    status, body = api(fake_api, "sendMessage", chat_id=chat["id"], text=html, parse_mode="HTML")
    assert status == 400
    assert body["description"].startswith("Bad Request: can't parse entities: ")
    assert error in body["description"]
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        with_bot(fake_api, lambda bot: bot.send_message(chat["id"], html, parse_mode="HTML"))
    assert fake_api.sent_messages() == []


def test_only_html_and_plain_text_are_parsed(fake_api: FakeTelegramServer) -> None:
    """The bot sends HTML only, so the fake knows no other parse mode: a MarkdownV2 send is refused."""
    chat = fake_api.private_chat()
    status, body = api(fake_api, "sendMessage", chat_id=chat["id"], text="*Done*", parse_mode="MarkdownV2")
    assert (status, body["description"]) == (400, "Bad Request: unsupported parse_mode")
    status, body = api(fake_api, "sendMessage", chat_id=chat["id"], text="*Done* <b>")
    assert status == 200 and body["result"]["text"] == "*Done* <b>" and "entities" not in body["result"]
    assert len(fake_api.sent_messages()) == 1


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("<b>" + "a" * 4096 + "</b>", True),  # tags don't count
        ("a" * 4097, False),
        ("&lt;" * 4096, True),  # entities count as one character
        ("&lt;" * 4097, False),
        ("😀" * 2048, True),  # 4096 UTF-16 code units
        ("😀" * 2049, False),  # only 2049 code points, but 4098 UTF-16 code units
    ],
)
def test_length_limit_counts_parsed_utf16(fake_api: FakeTelegramServer, text: str, ok: bool) -> None:
    chat = fake_api.private_chat()
    status, body = api(fake_api, "sendMessage", chat_id=chat["id"], text=text, parse_mode="HTML")
    if ok:
        assert status == 200, body
        assert utf16_len(body["result"]["text"]) == 4096
    else:
        assert (status, body["description"]) == (400, "Bad Request: message is too long")


# ---------------------------------------------------------------- keyboards


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        ("x" * 64, True),
        ("x" * 65, False),
        ("é" * 32, True),  # 64 bytes, 32 characters
        ("é" * 32 + "x", False),  # 65 bytes, 33 characters
        ("😀" * 16, True),  # 64 bytes
        ("😀" * 16 + "x", False),
    ],
)
def test_callback_data_limit_is_in_bytes(fake_api: FakeTelegramServer, data: str, ok: bool) -> None:
    chat = fake_api.private_chat()

    def send(bot: Bot) -> Awaitable[Any]:
        return bot.send_message(chat["id"], "pick", reply_markup=keyboard(data))

    if ok:
        message = with_bot(fake_api, send)
        assert message.reply_markup.inline_keyboard[0][0].callback_data == data
    else:
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            with_bot(fake_api, send)
        assert fake_api.calls("sendMessage")[-1].description == "Bad Request: BUTTON_DATA_INVALID"


def test_inline_button_needs_exactly_one_action(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    for button in ({"text": "bare"}, {"text": "two", "callback_data": "a", "url": "https://a.example"}):
        status, body = api(
            fake_api, "sendMessage", chat_id=chat["id"], text="x", reply_markup={"inline_keyboard": [[button]]}
        )
        assert status == 400 and "inline keyboard button" in body["description"]


# ------------------------------------------------------------------ replies


def test_reply_parameters_must_reference_existing_message(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    user_update = fake_api.push_message(chat, "question")
    user_message_id = fake_api.pending_updates()[0]["message"]["message_id"]
    assert fake_api.update_record(user_update).chat_id == chat["id"]

    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        with_bot(fake_api, lambda bot: bot.send_message(chat["id"], "x", reply_parameters=ReplyParameters(999)))
    lenient = ReplyParameters(999, allow_sending_without_reply=True)
    orphan = with_bot(fake_api, lambda bot: bot.send_message(chat["id"], "x", reply_parameters=lenient))
    assert orphan.reply_to_message is None

    answer = with_bot(
        fake_api, lambda bot: bot.send_message(chat["id"], "answer", reply_parameters=ReplyParameters(user_message_id))
    )
    assert answer.reply_to_message.text == "question"
    assert fake_api.sent_messages(chat)[-1]["reply_parameters"] == {"message_id": user_message_id}
    assert answer.message_id > user_message_id

    # The user replies to the bot's answer: the update embeds the bot's message.
    update_id = fake_api.push_message(chat, "follow-up", reply_to=answer.message_id)
    raw = next(u for u in fake_api.pending_updates() if u["update_id"] == update_id)
    update = Update.de_json(raw, None)
    assert update.message.reply_to_message.from_user.id == fake_api.bot_user["id"]
    assert update.message.reply_to_message.text == "answer"


def test_pushed_messages_carry_entities_for_ptb_filters(fake_api: FakeTelegramServer) -> None:
    group = fake_api.supergroup_chat("Readers")
    fake_api.push_message(group, "/ask@article_qa_bot when? cc @article_qa_bot")
    raw = fake_api.pending_updates()[0]
    entities = raw["message"]["entities"]
    assert [e["type"] for e in entities] == ["bot_command", "mention"]
    assert entities[0] == {"type": "bot_command", "offset": 0, "length": 19}
    update = Update.de_json(raw, None)
    assert filters.COMMAND.check_update(update)
    assert filters.Mention("article_qa_bot").check_update(update)
    assert update.effective_chat.type == "supergroup" and update.effective_user.is_bot is False


def test_forum_topics(fake_api: FakeTelegramServer) -> None:
    forum = fake_api.supergroup_chat("Forum", is_forum=True)
    topic = fake_api.create_forum_topic(forum, "Questions")
    fake_api.push_message(forum, "hi", thread_id=topic)
    message = fake_api.pending_updates()[0]["message"]
    assert message["message_thread_id"] == topic and message["is_topic_message"] is True
    assert message["reply_to_message"]["forum_topic_created"]["name"] == "Questions"

    status, body = api(fake_api, "sendMessage", chat_id=forum["id"], text="hello", message_thread_id=topic)
    assert status == 200 and body["result"]["message_thread_id"] == topic
    assert fake_api.sent_messages(forum)[0]["message_thread_id"] == topic
    status, body = api(fake_api, "sendMessage", chat_id=forum["id"], text="x", message_thread_id=topic + 100)
    assert (status, body["description"]) == (400, "Bad Request: message thread not found")


# ---------------------------------------------------------------- getUpdates


def test_long_poll_wakes_on_push_and_offset_confirms(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    thread, outcome = poll_in_thread(fake_api, timeout=5)
    fake_api.wait_until_polling()
    assert fake_api.first_get_updates_at is not None
    update_id = fake_api.push_message(chat, "/start")
    thread.join(timeout=5)
    assert outcome["status"] == 200 and outcome["elapsed"] < 2.0, outcome
    assert [u["update_id"] for u in outcome["body"]["result"]] == [update_id]
    record = fake_api.update_record(update_id)
    assert record.delivered_at is not None and record.delivered_at >= record.pushed_at

    # Not confirmed yet: delivered again.
    assert [u["update_id"] for u in api(fake_api, "getUpdates")[1]["result"]] == [update_id]
    assert fake_api.confirmed_offset == 0

    status, body = api(fake_api, "getUpdates", offset=update_id + 1, timeout=0)
    assert (status, body["result"]) == (200, [])
    fake_api.wait_until_confirmed(update_id, timeout=1)
    assert fake_api.confirmed_offset == update_id + 1
    assert fake_api.update_record(update_id).confirmed_at is not None
    assert fake_api.pending_updates() == []


def test_long_poll_times_out_with_empty_result(fake_api: FakeTelegramServer) -> None:
    started = time.monotonic()
    status, body = api(fake_api, "getUpdates", timeout=1)
    assert (status, body["result"]) == (200, [])
    assert 0.9 <= time.monotonic() - started < 3


def test_limit_and_allowed_updates(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    ids = [fake_api.push_message(chat, f"m{n}") for n in range(3)]
    assert [u["update_id"] for u in api(fake_api, "getUpdates", limit=2)[1]["result"]] == ids[:2]
    query_id = fake_api.push_inline_query("search")
    result = api(fake_api, "getUpdates", allowed_updates=["inline_query"])[1]["result"]
    assert [u["inline_query"]["id"] for u in result] == [query_id]
    assert all(fake_api.update_record(i).dropped for i in ids)  # filtered out, as Telegram does


def test_second_poller_terminates_the_first(fake_api: FakeTelegramServer) -> None:
    thread, outcome = poll_in_thread(fake_api, timeout=5)
    fake_api.wait_until_polling()
    status, _ = api(fake_api, "getUpdates", timeout=0)
    thread.join(timeout=5)
    assert status == 200
    assert outcome["status"] == 409 and "terminated by other getUpdates" in outcome["body"]["description"]


def test_stop_releases_waiting_long_poll() -> None:
    fake = FakeTelegramServer("1:stop-test").start()
    thread, outcome = poll_in_thread(fake, timeout=30)
    fake.wait_until_polling()
    started = time.monotonic()
    fake.stop()
    thread.join(timeout=5)
    assert not thread.is_alive() and time.monotonic() - started < 3
    assert outcome["status"] == 200 and outcome["body"]["result"] == []


# ----------------------------------------------------------- fault injection


def retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


# PTB 22 warns about RetryAfter.retry_after turning into a timedelta in v23.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_fail_next_429_sets_retry_after(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    fake_api.fail_next("sendMessage", status=429, retry_after=3)
    status, body = api(fake_api, "sendMessage", chat_id=chat["id"], text="hi")
    assert status == 429 and body["parameters"] == {"retry_after": 3}
    assert body["description"] == "Too Many Requests: retry after 3"

    fake_api.fail_next("sendMessage", status=429, retry_after=2)
    with pytest.raises(RetryAfter) as caught:
        with_bot(fake_api, lambda bot: bot.send_message(chat["id"], "hi"))
    assert retry_seconds(caught.value) == 2

    with_bot(fake_api, lambda bot: bot.send_message(chat["id"], "hi"))
    assert [c.status for c in fake_api.calls("sendMessage")] == [429, 429, 200]
    assert len(fake_api.sent_messages(chat)) == 1  # only the successful send was delivered


def test_fail_next_5xx_and_dropped_connections(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    fake_api.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        with_bot(fake_api, lambda bot: bot.send_message(chat["id"], "hi"))

    fake_api.fail_next("getUpdates", status=500)
    assert api(fake_api, "getUpdates")[0] == 500

    fake_api.drop_next("sendMessage")  # never carried out: a reset
    with pytest.raises(httpx.ReadError, match="reset"):
        api(fake_api, "sendMessage", chat_id=chat["id"], text="hi")
    method, _params, status = fake_api.calls("sendMessage")[-1]
    assert (method, status) == ("sendMessage", None)
    assert fake_api.sent_messages() == []


def test_failure_after_processing_still_delivers(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    fake_api.drop_next("sendMessage", after_processing=True)
    with pytest.raises(httpx.RemoteProtocolError):
        api(fake_api, "sendMessage", chat_id=chat["id"], text="maybe")
    assert [m["text"] for m in fake_api.sent_messages(chat)] == ["maybe"]


def test_truncated_answer_still_delivers(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    fake_api.truncate_next("sendMessage")
    with pytest.raises(httpx.RemoteProtocolError):
        api(fake_api, "sendMessage", chat_id=chat["id"], text="half")
    assert [m["text"] for m in fake_api.sent_messages(chat)] == ["half"]
    assert fake_api.calls("sendMessage")[-1].injected


def test_fault_can_target_matching_calls_only(fake_api: FakeTelegramServer) -> None:
    first, second = fake_api.private_chat(), fake_api.private_chat()
    fake_api.fail_next("sendMessage", status=403, when=lambda p: p.get("chat_id") == second["id"])
    assert api(fake_api, "sendMessage", chat_id=first["id"], text="a")[0] == 200
    assert api(fake_api, "sendMessage", chat_id=second["id"], text="b")[0] == 403
    assert api(fake_api, "sendMessage", chat_id=second["id"], text="c")[0] == 200


# --------------------------------------------------------- queries & edits


def test_callback_query_must_be_answered_once(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    message = with_bot(fake_api, lambda bot: bot.send_message(chat["id"], "pick", reply_markup=keyboard("yes")))
    with pytest.raises(ValueError, match="no button"):
        fake_api.push_callback_query(chat, message.message_id, "no")
    query_id = fake_api.push_callback_query(chat, message.message_id, "yes")
    raw = fake_api.pending_updates()[0]["callback_query"]
    assert raw["data"] == "yes" and raw["message"]["from"]["id"] == fake_api.bot_user["id"]

    status, body = api(fake_api, "answerCallbackQuery", callback_query_id=query_id, text="x" * 201)
    assert (status, body["description"]) == (400, "Bad Request: MESSAGE_TOO_LONG")
    assert with_bot(fake_api, lambda bot: bot.answer_callback_query(query_id, text="Saved")) is True
    assert fake_api.callback_answer(query_id)["text"] == "Saved"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        with_bot(fake_api, lambda bot: bot.answer_callback_query(query_id))
    status, body = api(fake_api, "answerCallbackQuery", callback_query_id="12345")
    assert status == 400 and "query ID is invalid" in body["description"]


def test_edit_message_text_rules(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    sent = api(fake_api, "sendMessage", chat_id=chat["id"], text="v1", reply_markup=keyboard("a").to_dict())
    message_id = sent[1]["result"]["message_id"]
    same = api(
        fake_api,
        "editMessageText",
        chat_id=chat["id"],
        message_id=message_id,
        text="v1",
        reply_markup=keyboard("a").to_dict(),
    )
    assert same[0] == 400 and same[1]["description"].startswith("Bad Request: message is not modified")

    status, body = api(
        fake_api, "editMessageText", chat_id=chat["id"], message_id=message_id, text="<i>v2</i>", parse_mode="HTML"
    )
    assert status == 200 and body["result"]["text"] == "v2"
    assert "reply_markup" not in body["result"]  # no reply_markup in the edit removes the keyboard
    assert fake_api.edited_messages(chat)[0]["plain_text"] == "v2"

    missing = api(fake_api, "editMessageText", chat_id=chat["id"], message_id=999, text="x")
    assert missing[1]["description"] == "Bad Request: message to edit not found"
    fake_api.push_message(chat, "mine")
    user_message_id = fake_api.pending_updates()[0]["message"]["message_id"]
    foreign = api(fake_api, "editMessageText", chat_id=chat["id"], message_id=user_message_id, text="x")
    assert foreign[1]["description"] == "Bad Request: message can't be edited"


def test_answer_inline_query_validation(fake_api: FakeTelegramServer) -> None:
    def article(result_id: str, text: str = "answer", **content: Any) -> dict[str, Any]:
        return {
            "type": "article",
            "id": result_id,
            "title": "T",
            "input_message_content": {"message_text": text, **content},
        }

    cases = [
        ([article(str(n)) for n in range(51)], "Bad Request: RESULTS_TOO_MUCH"),
        ([article("é" * 33)], "Bad Request: RESULT_ID_INVALID"),  # 66 bytes
        ([article("a"), article("a")], "Bad Request: RESULT_ID_DUPLICATE"),
        ([article("a", "<b>x", parse_mode="HTML")], "can't parse entities"),
    ]
    query_id = fake_api.push_inline_query("q")
    for results, error in cases:
        status, body = api(fake_api, "answerInlineQuery", inline_query_id=query_id, results=results)
        assert status == 400 and error in body["description"]
    results = [article("é" * 32), article("b", "<b>ok</b>", parse_mode="HTML")]
    assert api(fake_api, "answerInlineQuery", inline_query_id=query_id, results=results)[0] == 200
    assert len(fake_api.inline_answer(query_id)["results"]) == 2
    again = api(fake_api, "answerInlineQuery", inline_query_id=query_id, results=results)
    assert again[0] == 400 and "query is too old" in again[1]["description"]


def test_set_my_commands_validation(fake_api: FakeTelegramServer) -> None:
    good = [BotCommand("start", "Start"), BotCommand("ask_2", "Ask a question")]
    assert with_bot(fake_api, lambda bot: bot.set_my_commands(good)) is True
    assert fake_api.commands() == [c.to_dict() for c in good]
    bad = [
        ([{"command": "Start", "description": "x"}], "BOT_COMMAND_INVALID"),
        ([{"command": "a" * 33, "description": "x"}], "BOT_COMMAND_INVALID"),
        ([{"command": "ok", "description": ""}], "BOT_COMMAND_DESCRIPTION_INVALID"),
        ([{"command": "ok", "description": "d" * 257}], "BOT_COMMAND_DESCRIPTION_INVALID"),
        ([{"command": f"c{n}", "description": "d"} for n in range(101)], "BOT_COMMANDS_TOO_MUCH"),
    ]
    for commands, error in bad:
        status, body = api(fake_api, "setMyCommands", commands=commands)
        assert (status, body["description"]) == (400, f"Bad Request: {error}")
    assert fake_api.commands() == [c.to_dict() for c in good]


# ------------------------------------------------------------------ waiting


def test_wait_for_wakes_on_send_and_reports_calls_on_timeout(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    update_id = fake_api.push_message(chat, "hello")
    sender = threading.Thread(target=api, args=(fake_api, "sendMessage"), kwargs={"chat_id": chat["id"], "text": "hi"})
    sender.start()
    reply = fake_api.wait_for_reply(update_id, timeout=5)
    sender.join()
    assert reply["text"] == "hi" and reply["received_at"] >= fake_api.update_record(update_id).pushed_at
    assert [m["text"] for m in fake_api.wait_for_messages(1, chat, timeout=1)] == ["hi"]

    with pytest.raises(AssertionError, match=r"(?s)2 sent message\(s\).*sendMessage -> 200"):
        fake_api.wait_for_messages(2, chat, timeout=0.1)


# ------------------------------------------------------- other update kinds


def test_other_update_kinds_parse_with_ptb(fake_api: FakeTelegramServer) -> None:
    user = fake_api.make_user("Bob", username="bob")
    chat = fake_api.private_chat(user)
    group = fake_api.supergroup_chat("Club", username="club")
    ids = [
        fake_api.push_photo(chat, caption="look /here"),
        fake_api.push_sticker(group, emoji="🔥"),
        fake_api.push_raw_update(
            {
                "my_chat_member": {
                    "chat": group,
                    "from": user,
                    "date": 1,
                    "old_chat_member": {"status": "left", "user": fake_api.bot_user},
                    "new_chat_member": {"status": "member", "user": fake_api.bot_user},
                }
            }
        ),
    ]
    query_id = fake_api.push_inline_query("quotes", from_user=user)
    ids.append(fake_api.updates()[-1].update_id)
    updates = {u["update_id"]: Update.de_json(u, None) for u in fake_api.pending_updates()}
    assert list(updates) == ids
    photo, sticker, member, inline = updates.values()
    assert photo.message.photo[-1].width == 1280 and photo.message.caption == "look /here"
    assert photo.message.from_user.id == user["id"]
    assert sticker.message.sticker.emoji == "🔥" and sticker.effective_chat.id == group["id"]
    assert inline.inline_query.query == "quotes" and inline.inline_query.id == query_id
    assert member.my_chat_member.new_chat_member.status == "member"
    # The bot may answer in every chat it has seen, including @username addressing.
    assert api(fake_api, "sendMessage", chat_id="@club", text="ok")[0] == 200
    assert api(fake_api, "sendMessage", chat_id=group["id"], text="ok")[0] == 200


def test_webhook_and_blocked_chats(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    bad = api(fake_api, "setWebhook", url="http://insecure.example/hook")
    assert bad[0] == 400 and "HTTPS URL" in bad[1]["description"]
    assert api(fake_api, "setWebhook", url="https://example.com/hook")[0] == 200
    assert fake_api.webhook_url == "https://example.com/hook"
    status, body = api(fake_api, "getUpdates")
    assert status == 409 and "webhook is active" in body["description"]

    fake_api.push_message(chat, "stale")
    assert api(fake_api, "deleteWebhook", drop_pending_updates=True)[0] == 200
    assert fake_api.webhook_url == ""
    assert api(fake_api, "getUpdates")[1]["result"] == []
    # methods the bot never calls are not served, as an unknown method is not
    for method in ("sendChatAction", "deleteMessage", "setMyDescription", "getWebhookInfo", "logOut"):
        assert api(fake_api, method, chat_id=chat["id"])[0] == 404, method

    fake_api.block_bot(chat["id"])
    blocked = api(fake_api, "sendMessage", chat_id=chat["id"], text="hi")
    assert blocked == (403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"})


def test_multipart_bodies_are_parsed(fake_api: FakeTelegramServer) -> None:
    chat = fake_api.private_chat()
    response = _http.post(
        f"{fake_api.url}/bot{fake_api.token}/sendMessage",
        data={"chat_id": str(chat["id"]), "text": "Grüße 😀"},
        files={"unused": ("a.txt", b"abc", "text/plain")},
    )
    assert response.status_code == 200, response.text
    assert fake_api.sent_messages(chat)[0]["text"] == "Grüße 😀"
    assert fake_api.calls("sendMessage")[0].params["unused"] == {"filename": "a.txt", "size": 3}


# ------------------------------------------------------ PTB Application loop


def test_ptb_application_polls_replies_and_confirms(fake_api: FakeTelegramServer) -> None:
    """A real PTB Application (Updater + handlers) works against the fake end to end."""
    chat = fake_api.private_chat()

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_html("<b>Hi</b> &amp; welcome", reply_markup=keyboard("more"))

    async def more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("More!")

    async def main() -> None:
        app = Application.builder().token(fake_api.token).base_url(fake_api.base_url).build()
        app.add_handler(CommandHandler("start", start))
        app.add_handler(CallbackQueryHandler(more))
        async with app:
            await app.updater.start_polling(timeout=1, drop_pending_updates=True)
            await app.start()
            start_update = fake_api.push_message(chat, "/start")
            reply = await asyncio.to_thread(fake_api.wait_for_reply, start_update, None, 5)
            assert reply["plain_text"] == "Hi & welcome"
            query_id = fake_api.push_callback_query(chat, reply["message_id"], "more")
            await asyncio.to_thread(fake_api.wait_for, lambda: fake_api.edited_messages(), 5)
            assert fake_api.callback_answer(query_id) is not None
            await app.updater.stop()
            await app.stop()

    asyncio.run(main())
    last_update = fake_api.updates()[-1].update_id
    fake_api.wait_until_confirmed(last_update, timeout=2)  # PTB's shutdown getUpdates
    assert fake_api.message(chat, fake_api.sent_messages(chat)[0]["message_id"])["text"] == "More!"
    assert all(call.status != 409 for call in fake_api.calls("getUpdates"))


def test_abort_check_makes_wait_for_fail_fast(fake_api: FakeTelegramServer) -> None:
    dead = threading.Event()
    fake_api.add_abort_check(lambda: "the bot died" if dead.is_set() else None)
    threading.Timer(0.05, lambda: (dead.set(), fake_api.notify())).start()
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"Gave up waiting for a reply.*the bot died"):
        fake_api.wait_for(lambda: False, timeout=5, message="a reply")
    assert time.monotonic() - started < 2
