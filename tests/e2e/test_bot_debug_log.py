"""LOG_LEVEL=DEBUG shows what the bot does, never who asked, where, or what they wrote
(python-telegram-bot's own DEBUG lines carry whole updates: names, ids and texts)."""

from __future__ import annotations

from collections.abc import Callable

from conftest import BotProcess
from fakeapi import FakeTelegramServer

NAME, SURNAME, HANDLE, USER_ID = "Zebediah", "Quarrington", "zeb_private_handle", 917364528
GROUP_TITLE = "Marmalade Readers Circle"
WORDS = "marmalade7731"


def test_debug_logs_carry_no_names_ids_or_message_texts(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess]
) -> None:
    bot = bot_process({"LOG_LEVEL": "DEBUG"})
    fake_api.wait_until_polling(timeout=30)
    user = fake_api.make_user(NAME, last_name=SURNAME, username=HANDLE, user_id=USER_ID)
    chat = fake_api.private_chat(user)
    asked = fake_api.push_message(chat, f"who is bill burns, {WORDS}?")
    assert "Burns" in fake_api.wait_for_reply(asked, timeout=15)["plain_text"]
    group = fake_api.supergroup_chat(GROUP_TITLE)
    mention = fake_api.push_message(group, f"/ask who is bill burns {WORDS}", from_user=user)
    fake_api.wait_for_reply(mention, timeout=15)
    log = bot.stderr()
    assert " DEBUG bot: private question: answered " in log, log[-2000:]
    for secret in (NAME, SURNAME, HANDLE, str(USER_ID), str(group["id"]), GROUP_TITLE, WORDS):
        assert secret not in log, f"{secret!r} in the DEBUG log"
