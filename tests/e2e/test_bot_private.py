"""Start-up and one answer in a private chat, on the wire: the real bot process against the fake Bot API.

The commands' and answers' behaviour is tested fast in tests/test_telegram_handlers.py."""

from __future__ import annotations

import re

from conftest import Harness, buttons, callback_data

from bot import commands

EXPECTED_COMMANDS = {c.name for c in commands.menu("everyone")}


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
    assert set(first_poll.params["allowed_updates"]) == {
        "message",
        "callback_query",
        "inline_query",
        "chosen_inline_result",
    }


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
