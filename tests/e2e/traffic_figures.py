"""Traffic figures: the real bot process against the fake Bot API on loopback, one scenario each.

    python tests/e2e/traffic_figures.py [--only flood,steady,429,storm,webhook,lost,sigterm]

Prints what each scenario measured (seconds from pushing an update to the bot's reply arriving
at the fake, copies of an answer, seconds from SIGTERM to exit) and asserts nothing; the tests in
tests/e2e/test_bot_traffic.py and test_bot_webhook.py check the behaviour without timing it.
Every scenario is bounded: a few dozen updates, and a deadline on every wait.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import httpx  # noqa: E402
from conftest import BOT_USERNAME, TEST_TOKEN, BotProcess, free_port, start_bot  # noqa: E402
from fakeapi import FakeTelegramServer, JSONDict  # noqa: E402

QUESTION = "who is bill burns"
QUESTIONS = ("who is bill burns", "what is rafah", "who said we were very close", "what is kerem shalom")


def with_bot(env: dict[str, str] | None, scenario: Callable[[FakeTelegramServer, BotProcess], str]) -> str:
    api = FakeTelegramServer(TEST_TOKEN).start()
    bot = start_bot(
        api, {"QUESTION_LOG": "off", "LOG_LEVEL": "WARNING", **(env or {})}, log_dir=Path(tempfile.mkdtemp())
    )
    try:
        if not (env or {}).get("WEBHOOK_URL"):
            api.wait_until_polling(timeout=60)
        return scenario(api, bot)
    finally:
        bot.stop(timeout=15)
        api.stop()


def latency(api: FakeTelegramServer, update_id: int, timeout: float = 60.0) -> float:
    reply = api.wait_for_reply(update_id, timeout=timeout)
    return float(reply["received_at"] - api.update_record(update_id).pushed_at)


def flood(api: FakeTelegramServer, bot: BotProcess) -> str:
    group = api.supergroup_chat()
    for n in range(35):
        api.push_message(group, f"@{BOT_USERNAME} {QUESTIONS[n % 4]}", from_user=api.make_user(f"M{n}"))
    api.wait_for(lambda: len(api.sent_messages(group)) >= 20, timeout=30)
    private = latency(api, api.push_message(api.private_chat(), QUESTION))
    in_group = len(api.sent_messages(group))
    deadline = time.monotonic() + 10
    while (skipped := bot.stderr().count("this one is skipped")) < 7 and time.monotonic() < deadline:
        time.sleep(0.05)
    return (
        f"35 mentions in one group: a private question answered in {private:.3f} s "
        f"(the group had {in_group} answers by then; {skipped} skipped with a warning, the rest wait their turn)"
    )


def one_chat_429(api: FakeTelegramServer, bot: BotProcess) -> str:
    paused, other = api.private_chat(), api.private_chat()
    api.fail_next("sendMessage", status=429, retry_after=10, when=lambda p: p.get("chat_id") == paused["id"])
    first = api.push_message(paused, QUESTION)
    api.wait_for(lambda: api.calls("sendMessage", paused), timeout=30)
    other_s = latency(api, api.push_message(other, QUESTION))
    paused_s = latency(api, first, timeout=30)
    return f"429 retry_after=10 in chat A: chat B answered in {other_s:.3f} s; chat A itself after {paused_s:.1f} s"


def steady_group(api: FakeTelegramServer, bot: BotProcess) -> str:
    """A group asking once a second for 60 s (three times its 20 a minute), a private question every 3 s."""
    group = api.supergroup_chat()
    private_updates = []
    started = time.monotonic()
    for n in range(60):
        api.push_message(group, f"@{BOT_USERNAME} {QUESTIONS[n % 4]}", from_user=api.make_user(f"S{n}"))
        if n % 3 == 0:
            private_updates.append(api.push_message(api.private_chat(), QUESTION))
        time.sleep(max(0.0, started + n + 1 - time.monotonic()))  # pacing the load, not waiting on the bot
    waits = sorted(latency(api, u) for u in private_updates)
    p95 = waits[int(0.95 * (len(waits) - 1))]
    skipped = bot.stderr().count("this one is skipped")
    return (
        f"a group asking 1/s for 60 s: private p95 {p95:.3f} s (max {waits[-1]:.3f} s, {len(waits)} questions); "
        f"the group got {len(api.sent_messages(group))} messages, {skipped} questions skipped"
    )


def storm(api: FakeTelegramServer, bot: BotProcess) -> str:
    """40 users at once while Telegram answers the first 120 sends with 429 retry_after=1."""
    chats = [api.private_chat() for _ in range(40)]
    api.fail_next("sendMessage", status=429, retry_after=1, times=120)
    asked = [api.push_message(chat, QUESTION) for chat in chats]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and sum(bool(api.first_reply_after(u)) for u in asked) < len(asked):
        time.sleep(0.1)
    time.sleep(2.0)  # whatever else was coming
    answered = sum(any("CIA Director" in m["plain_text"] for m in api.sent_messages(c)) for c in chats)
    sorry = sum(any(m["plain_text"].startswith("Sorry") for m in api.sent_messages(c)) for c in chats)
    return f"a 429 storm (120 refusals) over 40 users: {answered} answered, {sorry} apologised to"


def forged_webhook(api: FakeTelegramServer, bot: BotProcess) -> str:
    port = int(bot.port)  # type: ignore[attr-defined]
    registered = api.wait_for_call("setWebhook", ok=True, timeout=60)
    secret = str(registered.params.get("secret_token") or "")
    chat = api.private_chat()
    url = f"http://127.0.0.1:{port}/tg/article/hook"
    refused = 0
    for n, headers in enumerate([{}] * 10 + [{"X-Telegram-Bot-Api-Secret-Token": "guess"}] * 10):
        update = {"update_id": 950000 + n, "message": forged_message(chat, n, "/stats")}
        for _ in range(50):
            try:
                refused += httpx.post(url, json=update, headers=headers, timeout=10).status_code == 403
                break
            except httpx.ConnectError:
                time.sleep(0.1)  # the webhook server is still starting
    real = {"update_id": 950100, "message": forged_message(chat, 100, QUESTION)}
    accepted = httpx.post(url, json=real, headers={"X-Telegram-Bot-Api-Secret-Token": secret}, timeout=10)
    api.wait_for(lambda: api.sent_messages(chat), timeout=30)
    answered = len(api.sent_messages(chat))
    return (
        f"webhook without WEBHOOK_SECRET: a {len(secret)}-character secret registered; "
        f"{refused} of 20 forged updates refused (403), {answered - 1} answered; "
        f"the real one {accepted.status_code}, answered once"
    )


def forged_message(chat: JSONDict, n: int, text: str) -> JSONDict:
    sender = {"id": chat["id"], "is_bot": False, "first_name": "Mallory"}
    entities = [{"type": "bot_command", "offset": 0, "length": len(text)}] if text.startswith("/") else []
    return {"message_id": 500 + n, "date": 0, "chat": chat, "from": sender, "text": text, "entities": entities}


def lost_after_delivery(api: FakeTelegramServer, bot: BotProcess) -> str:
    results = []
    for kind in ("drop", "truncate"):
        chat = api.private_chat()
        api.wait_for_reply(api.push_message(chat, "/help"))
        only = {"when": lambda p, c=chat: p.get("chat_id") == c["id"]}
        if kind == "drop":
            api.fail_next("sendMessage", drop=True, after_processing=True, **only)
        else:
            api.truncate_next("sendMessage", **only)
        asked = api.push_message(chat, QUESTION)
        api.wait_for_reply(asked)
        deadline = time.monotonic() + 3.0  # any retry would come within 1.7 s
        while time.monotonic() < deadline:
            time.sleep(0.1)
        message_id = api.update_record(asked).update["message"]["message_id"]
        copies = [
            m for m in api.sent_messages(chat) if (m.get("reply_parameters") or {}).get("message_id") == message_id
        ]
        results.append(f"{kind}: {len(copies)} cop{'y' if len(copies) == 1 else 'ies'}")
    return "reply lost after delivery: " + ", ".join(results)


def sigterm(api: FakeTelegramServer, bot: BotProcess) -> str:
    chat = api.private_chat()
    api.fail_next("sendMessage", status=429, retry_after=30, when=lambda p: p.get("chat_id") == chat["id"])
    api.push_message(chat, QUESTION)
    api.wait_for(lambda: api.calls("sendMessage", chat), timeout=30)
    started = time.monotonic()
    code = bot.stop(timeout=30)
    took = time.monotonic() - started
    named = [line.split(": ", 1)[-1] for line in bot.stderr().splitlines() if "not sent, to chats" in line]
    return (
        f"SIGTERM during a 30 s retry_after: exit {code} after {took:.2f} s; log: {named[-1] if named else 'nothing'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="flood,steady,429,storm,webhook,lost,sigterm")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    if "flood" in wanted:
        print(with_bot(None, flood), flush=True)
    if "steady" in wanted:
        print(with_bot(None, steady_group), flush=True)
    if "429" in wanted:
        print(with_bot(None, one_chat_429), flush=True)
    if "storm" in wanted:
        print(with_bot(None, storm), flush=True)
    if "webhook" in wanted:
        port = free_port()
        env = {
            "WEBHOOK_URL": "https://bot.example.invalid/tg/article/hook",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "WEBHOOK_SECRET": "",
            "ADMIN_USER_IDS": "200002",  # the forged updates come from an admin (the first private chat)
        }

        def scenario(api: FakeTelegramServer, bot: BotProcess) -> str:
            bot.port = port  # type: ignore[attr-defined]
            return forged_webhook(api, bot)

        print(with_bot(env, scenario), flush=True)
    if "lost" in wanted:
        print(with_bot(None, lost_after_delivery), flush=True)
    if "sigterm" in wanted:
        print(with_bot(None, sigterm), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
