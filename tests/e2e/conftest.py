"""Fixtures for end-to-end tests against the fake Telegram Bot API (``fake_api.py``).

* ``fake_api`` – a started :class:`FakeTelegramServer` on an ephemeral port.
* ``start_bot(fake_api, env_overrides=None)`` – run the real bot (``python -m bot``)
  against it; ``bot_process`` is the fixture form that always tears the bot down.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fake_api import FakeTelegramServer

REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_TOKEN = "123456:TEST-token-abcdefghijklmnop"


@pytest.fixture
def fake_api() -> Iterator[FakeTelegramServer]:
    """A running fake Bot API for ``TEST_TOKEN``; fails the test if the fake itself crashed."""
    server = FakeTelegramServer(TEST_TOKEN).start()
    try:
        yield server
    finally:
        server.stop()
    assert not server.internal_errors, "fake_api raised internally:\n" + "\n".join(server.internal_errors)


class BotProcess:
    """The bot running as a subprocess, with stdout/stderr captured to files."""

    def __init__(self, proc: subprocess.Popen[bytes], stdout_path: Path, stderr_path: Path) -> None:
        self.proc = proc
        self.stdout_path = stdout_path
        self.stderr_path = stderr_path
        self.stopping = False  # set by stop(): exiting is then expected

    def unexpected_exit(self) -> str | None:
        """Why waiting on the bot is pointless (it died on its own), or None."""
        if self.stopping or self.running:
            return None
        return f"the bot process exited with status {self.proc.returncode}"

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    def stdout(self) -> str:
        return self.stdout_path.read_text(encoding="utf-8", errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def output_tail(self, lines: int = 40) -> str:
        """Exit status plus the last lines of stderr and stdout, for failure messages."""
        status = "running" if self.running else f"exited with {self.proc.returncode}"
        err = "\n".join(self.stderr().splitlines()[-lines:])
        out = "\n".join(self.stdout().splitlines()[-lines:])
        return f"--- bot process ({status}) stderr:\n{err}\n--- stdout:\n{out}"

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM the bot and wait for it (SIGKILL after ``timeout``); returns the exit code."""
        self.stopping = True
        if self.running:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=timeout)
        return self.proc.returncode


def start_bot(
    fake_api: FakeTelegramServer,
    env_overrides: dict[str, str] | None = None,
    *,
    log_dir: Path | None = None,
) -> BotProcess:
    """Start ``python -m bot`` from the repo root, pointed at ``fake_api``.

    Sets ``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_API_URL``; ``env_overrides`` win over
    both.  The bot's output tail is attached to ``fake_api.wait_for`` failures, and
    ``wait_for`` gives up at once if the bot exits before :meth:`BotProcess.stop`.
    The caller must call :meth:`BotProcess.stop` (the ``bot_process`` fixture does).
    """
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="bot-e2e-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake_api.token,
        "TELEGRAM_API_URL": fake_api.url,
        "PYTHONUNBUFFERED": "1",
        **(env_overrides or {}),
    }
    stdout_path, stderr_path = log_dir / "bot.stdout.log", log_dir / "bot.stderr.log"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=REPO_ROOT, env=env, stdout=stdout, stderr=stderr
        )
    bot = BotProcess(proc, stdout_path, stderr_path)
    fake_api.add_diagnostics(bot.output_tail)
    fake_api.add_abort_check(bot.unexpected_exit)
    # Wake pending wait_for calls as soon as the process ends, so a crash fails fast.
    threading.Thread(target=lambda: (proc.wait(), fake_api.notify()), daemon=True).start()
    return bot


@pytest.fixture
def bot_process(fake_api: FakeTelegramServer, tmp_path: Path) -> Iterator[Callable[..., BotProcess]]:
    """Factory ``bot_process(env_overrides=None)``; every bot started is stopped at teardown."""
    started: list[BotProcess] = []

    def factory(env_overrides: dict[str, str] | None = None) -> BotProcess:
        bot = start_bot(fake_api, env_overrides, log_dir=tmp_path / f"bot{len(started)}")
        started.append(bot)
        return bot

    yield factory
    for bot in started:
        bot.stop()
