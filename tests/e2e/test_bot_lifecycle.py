"""Starting, stopping and restarting the bot process; bad tokens; the token never printed."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from conftest import REPO_ROOT, TEST_TOKEN, TOKEN_SECRET, BotProcess, assert_token_hidden, free_port, start_bot
from fakeapi import FakeTelegramServer

QUESTIONS = ("who is bill burns", "who said we were very close", "what is rafah")


def ask_all(api: FakeTelegramServer, chat: dict) -> list[int]:
    """Ask every question in QUESTIONS, wait for each answer; returns the update ids."""
    before = len(api.sent_messages(chat))
    update_ids = [api.push_message(chat, question) for question in QUESTIONS]
    api.wait_for_messages(before + len(QUESTIONS), chat)
    return update_ids


def test_sigterm_exits_cleanly_and_confirms_handled_updates(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess], tmp_path: Path
) -> None:
    bot = bot_process({"QUESTION_LOG": str(tmp_path / "q.sqlite3")})
    fake_api.wait_until_polling(timeout=30)
    chat = fake_api.private_chat()
    update_ids = ask_all(fake_api, chat)
    answered = len(fake_api.sent_messages(chat))
    assert answered == len(QUESTIONS)

    started = time.monotonic()
    code = bot.stop(timeout=5)
    assert time.monotonic() - started < 5, "did not exit within 5 s of SIGTERM"
    assert code == 0, bot.output_tail()
    assert fake_api.confirmed_offset > max(update_ids), "handled updates would be delivered again"
    assert "Traceback" not in bot.stderr()
    with closing(sqlite3.connect(tmp_path / "q.sqlite3")) as log:
        logged = log.execute("SELECT COUNT(*) FROM questions").fetchone()[0]
    assert logged == len(QUESTIONS), "a clean stop commits every question still queued for the log"

    second = bot_process({"QUESTION_LOG": str(tmp_path / "q.sqlite3")})
    fake_api.wait_until_polling(timeout=30)
    fresh = fake_api.push_message(chat, "what is kerem shalom")
    fake_api.wait_for_reply(fresh)
    assert len(fake_api.sent_messages(chat)) == answered + 1, "the restarted bot answered old updates again"
    assert second.stop(timeout=5) == 0


def test_updates_queued_while_the_bot_is_down_are_answered_after_a_restart(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess]
) -> None:
    first = bot_process()
    fake_api.wait_until_polling(timeout=30)
    assert first.stop(timeout=5) == 0
    chat = fake_api.private_chat()
    update_id = fake_api.push_message(chat, "who is bill burns")
    bot_process()
    assert "CIA Director" in fake_api.wait_for_reply(update_id, timeout=30)["plain_text"]


def test_sigint_also_exits_cleanly(fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess]) -> None:
    import signal

    bot = bot_process()
    fake_api.wait_until_polling(timeout=30)
    bot.signal(signal.SIGINT)
    assert bot.wait_exit(timeout=5) == 0
    assert "Traceback" not in bot.stderr() + bot.stdout()


def _run_without_api(tmp_path: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """Run ``python -m bot`` to completion (it must exit on its own); returns (code, stdout, stderr)."""
    import subprocess

    # A dead loopback API root: nothing here may reach the real Telegram API, whatever .env says.
    dead_api = {"TELEGRAM_API_URL": "http://127.0.0.1:9"}
    full_env = {**os.environ, **dead_api, "QUESTION_LOG": str(tmp_path / "q.sqlite3"), **env}
    done = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=REPO_ROOT, env=full_env, capture_output=True, text=True, timeout=30
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("token", ["", "   "], ids=["empty", "blank"])
def test_missing_token_is_one_clear_line(tmp_path: Path, token: str) -> None:
    code, stdout, stderr = _run_without_api(tmp_path, {"TELEGRAM_BOT_TOKEN": token})
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "TELEGRAM_BOT_TOKEN" in lines[0] and "BotFather" in lines[0]
    assert "Traceback" not in stderr + stdout


def test_wrong_token_is_refused_clearly(fake_api: FakeTelegramServer, tmp_path: Path, faq_snapshot: Path) -> None:
    wrong = "654321:WRONG-token-zyxwvutsrqponm"
    bot = start_bot(
        fake_api, {"TELEGRAM_BOT_TOKEN": wrong, "QUESTION_LOG": "off", "FAQ_PATH": str(faq_snapshot)}, log_dir=tmp_path
    )
    try:
        code = bot.wait_exit(timeout=20)
    finally:
        bot.stop()
    stderr = bot.stderr()
    assert code != 0
    assert "Traceback" not in stderr + bot.stdout()
    refusal = [line for line in stderr.splitlines() if "TELEGRAM_BOT_TOKEN" in line]
    assert len(refusal) == 1 and ("401" in refusal[0] or "rejected" in refusal[0]), stderr
    assert_token_hidden(bot, wrong)
    assert not fake_api.calls("sendMessage") and not fake_api.calls("getUpdates")


def test_unreachable_api_is_one_clear_line(tmp_path: Path, faq_snapshot: Path) -> None:
    api_url = f"http://127.0.0.1:{free_port()}"
    env = {"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TELEGRAM_API_URL": api_url, "FAQ_PATH": str(faq_snapshot)}
    code, stdout, stderr = _run_without_api(tmp_path, env)
    assert code != 0
    assert "Traceback" not in stderr + stdout
    assert any("cannot reach" in line for line in stderr.splitlines()), stderr
    assert TOKEN_SECRET not in stderr + stdout


def test_broken_faq_at_start_is_one_clear_line(tmp_path: Path) -> None:
    broken = tmp_path / "faq.json"
    broken.write_text('{"article": {', encoding="utf-8")
    code, stdout, stderr = _run_without_api(tmp_path, {"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "FAQ_PATH": str(broken)})
    assert code == 2
    assert "Traceback" not in stderr + stdout
    assert len(stderr.strip().splitlines()) == 1 and "faq.json" in stderr


def test_debug_logging_never_shows_the_token(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess]
) -> None:
    bot = bot_process({"LOG_LEVEL": "DEBUG"})
    fake_api.wait_until_polling(timeout=30)
    chat = fake_api.private_chat()
    fake_api.fail_next("sendMessage", status=502)
    ask_all(fake_api, chat)
    query_id = fake_api.push_inline_query("who is bill burns")
    fake_api.wait_for(lambda: fake_api.inline_answer(query_id))
    assert bot.stop(timeout=5) == 0
    log = bot.stderr()
    assert "DEBUG" in log, "LOG_LEVEL=DEBUG had no effect"
    assert_token_hidden(bot)
