"""Webhook mode: the bot registers its URL and answers updates POSTed to it with the secret token."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from conftest import BotProcess, free_port, poll_until
from fakeapi import FakeTelegramServer

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


def _webhook_bot(bot_process: Callable[..., BotProcess], url: str, **env: str) -> int:
    port = free_port()
    bot_process(
        {"WEBHOOK_URL": url, "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port), "QUESTION_LOG": "off", **env}
    )
    return port


def _connected(port: int) -> socket.socket | None:
    try:
        return socket.create_connection(("127.0.0.1", port), timeout=10)
    except ConnectionRefusedError:
        return None


def _update(chat: dict, update_id: int, text: str = "who is bill burns") -> dict:
    sender = {"id": chat["id"], "is_bot": False, "first_name": "Ada"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "text": text, "from": sender}
    return {"update_id": update_id, "message": message}


def test_without_webhook_secret_a_random_one_is_registered_and_forged_updates_are_refused(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess]
) -> None:
    port = _webhook_bot(bot_process, "https://bot.example.invalid/hook", WEBHOOK_SECRET="")
    registered = fake_api.wait_for_call("setWebhook", ok=True, timeout=30)
    secret = registered.params.get("secret_token") or ""
    assert len(secret) >= 32, "no secret registered: anyone who finds the URL can post updates"
    admin_chat = fake_api.private_chat()
    url = f"http://127.0.0.1:{port}/hook"
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
        assert httpx.post(url, json=_update(admin_chat, 910001), headers=headers, timeout=10).status_code == 403
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
    assert httpx.post(url, json=_update(admin_chat, 910002), headers=headers, timeout=10).status_code == 200
    reply = fake_api.wait_for(lambda: fake_api.sent_messages(admin_chat), timeout=15)
    assert len(reply) == 1 and reply[0]["reply_parameters"]["message_id"] == 910002


@pytest.mark.parametrize(
    ("public_url", "path"),
    [("https://bot.example.invalid/tg/article.v2/hook", "/tg/article.v2/hook"), ("https://bot.example.invalid", "/")],
    ids=["nested-path", "no-path"],
)
def test_the_bot_listens_on_the_whole_path_of_the_public_url(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess], public_url: str, path: str
) -> None:
    port = _webhook_bot(bot_process, public_url, WEBHOOK_SECRET=SECRET)
    fake_api.wait_for_call("setWebhook", ok=True, timeout=30)
    chat = fake_api.private_chat()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    if path != "/":
        assert (
            httpx.post(f"http://127.0.0.1:{port}/hook", json=_update(chat, 920001), headers=headers).status_code == 404
        )
        assert (
            httpx.post(
                f"http://127.0.0.1:{port}/tg/articlexv2/hook", json=_update(chat, 920002), headers=headers
            ).status_code
            == 404
        )
    assert httpx.post(f"http://127.0.0.1:{port}{path}", json=_update(chat, 920003), headers=headers).status_code == 200
    fake_api.wait_for(lambda: fake_api.sent_messages(chat), timeout=15)


def test_an_oversized_body_is_refused_before_it_is_read(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess]
) -> None:
    port = _webhook_bot(bot_process, "https://bot.example.invalid/hook", WEBHOOK_SECRET=SECRET)
    fake_api.wait_for_call("setWebhook", ok=True, timeout=30)
    head = (
        "POST /hook HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
        f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Length: {90 * 1024 * 1024}\r\n\r\n"
    )
    with poll_until(lambda: _connected(port), what="the webhook server") as sock:
        sock.sendall(head.encode())  # and not one byte of the body: the answer must come anyway
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]
    assert status_line.split()[1] in (b"400", b"413"), status_line
    chat = fake_api.private_chat()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert httpx.post(f"http://127.0.0.1:{port}/hook", json=_update(chat, 930002), headers=headers).status_code == 200
    fake_api.wait_for(lambda: fake_api.sent_messages(chat), timeout=15)
