"""Webhook mode: the bot registers its URL and answers updates POSTed to it with the secret token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from conftest import BotProcess, free_port
from fake_api import FakeTelegramServer

SECRET = "s3cret-token_for-tests"


def test_webhook_mode_registers_and_answers_only_with_the_secret(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess], tmp_path: Path
) -> None:
    port = free_port()
    bot_process(
        {
            "WEBHOOK_URL": "https://bot.example.invalid/hook",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "WEBHOOK_SECRET": SECRET,
            "QUESTION_LOG": "off",
        }
    )
    registered = fake_api.wait_for_call("setWebhook", ok=True, timeout=30)
    assert registered.params["url"] == "https://bot.example.invalid/hook"
    assert registered.params["secret_token"] == SECRET
    assert not fake_api.calls("getUpdates"), "a webhook bot must not poll"

    chat = fake_api.private_chat()
    update = {
        "update_id": 900001,
        "message": {
            "message_id": 41,
            "date": 0,
            "chat": chat,
            "text": "who is bill burns",
            "from": {"id": chat["id"], "is_bot": False, "first_name": "Ada"},
        },
    }
    url = f"http://127.0.0.1:{port}/hook"
    forged = httpx.post(url, json={**update, "update_id": 900000}, timeout=10)
    assert forged.status_code == 403
    accepted = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=10)
    assert accepted.status_code == 200
    fake_api.wait_for(lambda: len(fake_api.sent_messages(chat["id"])) >= 1, timeout=15)
    (reply,) = fake_api.sent_messages(chat["id"])
    assert "CIA Director" in reply["plain_text"]
