"""Fixtures for end-to-end tests against the fake Telegram Bot API (the ``fakeapi`` package).

* ``fake_api`` – a started :class:`FakeTelegramServer` on an ephemeral port.
* ``start_bot(fake_api, env_overrides=None)`` – run the real bot (``python -m bot``)
  against it; ``bot_process`` is the fixture form that always tears the bot down.
* ``harness`` – one fake plus one running bot shared by every test of a module (a module may
  set ``BOT_ENV = {...}`` for extra settings), with helpers to talk to it: :class:`Harness`.
* ``faq_snapshot`` – a copy of ``faq.json`` taken once per session: every bot answers from it,
  so an edit of the real file during a run cannot change answers half-way (``E2E_FAQ_PATH``
  points the suite at another file).

Every bot gets ``QUESTION_LOG`` inside a temporary folder (or what the test passes), never
the repo's; every bot's output is checked for the token when it is torn down.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The e2e modules import the fake as a top-level module (``from fakeapi import ...``):
# make that work however pytest was started (the package's rootdir is on sys.path, this folder is not).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fakeapi import FakeTelegramServer, JSONDict

REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_TOKEN = "123456:TEST-token-abcdefghijklmnop"
TOKEN_SECRET = TEST_TOKEN.split(":", 1)[1]
BOT_USERNAME = "article_qa_bot"
TITLE = "Negotiations between Israel and Hamas Reach Impasse"  # the article's title, as the page gives it
STARTUP_TIMEOUT = 30.0


def free_port() -> int:
    """A loopback port nobody listens on (for now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "allow_bot_errors: the test expects ERROR lines in the bot's log")
    config.addinivalue_line("markers", "allow_bad_requests: the test expects the bot to get a 400 from the API")


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

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

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

    def wait_exit(self, timeout: float = 15.0) -> int:
        """Wait for the bot to exit on its own; returns the exit code."""
        self.stopping = True
        return self.proc.wait(timeout=timeout)


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
        proc = subprocess.Popen([sys.executable, "-m", "bot"], cwd=REPO_ROOT, env=env, stdout=stdout, stderr=stderr)
    bot = BotProcess(proc, stdout_path, stderr_path)
    fake_api.add_diagnostics(bot.output_tail)
    fake_api.add_abort_check(bot.unexpected_exit)
    # Wake pending wait_for calls as soon as the process ends, so a crash fails fast.
    threading.Thread(target=lambda: (proc.wait(), fake_api.notify()), daemon=True).start()
    return bot


def assert_token_hidden(bot: BotProcess, token: str = TEST_TOKEN) -> None:
    """Neither the token nor its secret half may appear in anything the bot printed."""
    secret = token.split(":", 1)[-1]
    for name, text in (("stdout", bot.stdout()), ("stderr", bot.stderr())):
        assert secret not in text, f"the bot token leaked into {name}:\n{bot.output_tail()}"


# ---------------------------------------------------------------------------
# The knowledge base the bots answer from


def validate_faq(path: Path, *, lint: bool = True) -> list[str]:
    """The problems ``python -m bot check`` would report (empty when the file is usable).

    With ``lint=False`` only what the bot needs to start (schema, verbatim quotes); a reload
    also needs the matcher's lint to pass."""
    from bot import knowledge
    from bot.matcher import lint as lint_kb

    kb, problems = knowledge.read(path)
    if kb is not None and lint:
        problems = lint_kb(kb)
    return [str(p) for p in problems]


@pytest.fixture(scope="session")
def faq_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``faq.json`` (or ``$E2E_FAQ_PATH``) copied once for the session; it must load."""
    source = Path(os.environ.get("E2E_FAQ_PATH") or REPO_ROOT / "faq.json")
    target = tmp_path_factory.mktemp("faq-snapshot") / "faq.json"
    shutil.copyfile(source, target)
    problems = validate_faq(target, lint=False)
    if problems:
        pytest.fail(f"{source} does not load (being edited?):\n" + "\n".join(problems[:5]))
    return target


@pytest.fixture
def bot_process(
    fake_api: FakeTelegramServer, tmp_path: Path, faq_snapshot: Path
) -> Iterator[Callable[..., BotProcess]]:
    """Factory ``bot_process(env_overrides=None)``; every bot started is stopped at teardown.

    Defaults: ``FAQ_PATH`` is the session snapshot and ``QUESTION_LOG`` a file in ``tmp_path``.
    """
    started: list[BotProcess] = []

    def factory(env_overrides: dict[str, str] | None = None) -> BotProcess:
        defaults = {"FAQ_PATH": str(faq_snapshot), "QUESTION_LOG": str(tmp_path / "questions.sqlite3")}
        bot = start_bot(fake_api, {**defaults, **(env_overrides or {})}, log_dir=tmp_path / f"bot{len(started)}")
        started.append(bot)
        return bot

    yield factory
    for bot in started:
        bot.stop()
    for bot in started:
        assert_token_hidden(bot)


# ---------------------------------------------------------------------------
# A bot shared by a module, and helpers to talk to it


def poll_until(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "a condition") -> Any:
    """Wait for a condition the fake cannot signal (a log line, a database row), checking often."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.02)


def callback_data(message: JSONDict) -> list[str]:
    """Every button's callback data in a sent message, row by row."""
    return [data for _, data in buttons(message) if data]


def buttons(message: JSONDict) -> list[tuple[str, str]]:
    """(label, callback data) of every button in a sent message."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def button_data(message: JSONDict, label_part: str) -> str:
    """The callback data of the one button whose label contains ``label_part``."""
    found = [data for label, data in buttons(message) if label_part in label]
    assert len(found) == 1, f"expected one button labelled like {label_part!r}, got {buttons(message)}"
    return found[0]


class Harness:
    """The fake API and the bot talking to it, with the steps tests repeat.

    Every helper waits on a condition (a reply, an answer, an edit), never a fixed time.
    """

    def __init__(self, api: FakeTelegramServer, bot: BotProcess, db_path: Path | None, faq_path: Path) -> None:
        self.api = api
        self.bot = bot
        self.db_path = db_path
        self.faq_path = faq_path

    # -- chats ---------------------------------------------------------------

    def user(self, name: str = "User", **kwargs: Any) -> JSONDict:
        return self.api.make_user(name, **kwargs)

    def private_chat(self, name: str = "User", **kwargs: Any) -> JSONDict:
        """A private chat with a new user (fresh chats keep tests independent)."""
        return self.api.private_chat(self.user(name, **kwargs))

    def supergroup(self, **kwargs: Any) -> JSONDict:
        return self.api.supergroup_chat(**kwargs)

    # -- messages ------------------------------------------------------------

    def push(self, chat: JSONDict, text: str, **kwargs: Any) -> tuple[int, int]:
        """Push a text message; returns (update_id, message_id)."""
        update_id = self.api.push_message(chat, text, **kwargs)
        return update_id, self.message_id(update_id)

    def message_id(self, update_id: int) -> int:
        update = self.api.update_record(update_id).update
        return next(v for k, v in update.items() if k != "update_id")["message_id"]

    def replies_to(self, chat: JSONDict, message_id: int) -> list[JSONDict]:
        """Messages the bot sent to ``chat`` replying to ``message_id``."""
        return [
            m for m in self.api.sent_messages(chat) if (m.get("reply_parameters") or {}).get("message_id") == message_id
        ]

    def wait_reply(self, chat: JSONDict, message_id: int, timeout: float = 10.0) -> JSONDict:
        """The bot's reply to ``message_id`` (its first message quoting it)."""
        return self.api.wait_for(
            lambda: self.replies_to(chat, message_id), timeout, f"a reply to message {message_id} in {chat['id']}"
        )[0]

    def ask(self, chat: JSONDict, text: str, *, timeout: float = 10.0, **kwargs: Any) -> JSONDict:
        """Send ``text`` and return the bot's reply to it."""
        _, message_id = self.push(chat, text, **kwargs)
        return self.wait_reply(chat, message_id, timeout)

    def sent_count(self, chat: JSONDict) -> int:
        return len(self.api.sent_messages(chat))

    def wait_new_message(self, chat: JSONDict, after: int, timeout: float = 10.0) -> JSONDict:
        """The first message sent to ``chat`` once it had ``after`` messages."""
        return self.api.wait_for_messages(after + 1, chat, timeout)[after]

    # -- buttons -------------------------------------------------------------

    def press(
        self,
        chat: JSONDict,
        message: JSONDict | int,
        data: str,
        *,
        user: JSONDict | None = None,
        check_button: bool = True,
        timeout: float = 10.0,
    ) -> JSONDict:
        """Press a button and return the answerCallbackQuery parameters."""
        message_id = message if isinstance(message, int) else message["message_id"]
        query_id = self.api.push_callback_query(chat, message_id, data, user, check_button=check_button)
        return self.api.wait_for(lambda: self.api.callback_answer(query_id), timeout, f"an answer to button {data!r}")

    def press_for_message(self, chat: JSONDict, message: JSONDict, data: str, **kwargs: Any) -> JSONDict:
        """Press a button that makes the bot send a new message; return that message."""
        before = self.sent_count(chat)
        self.press(chat, message, data, **kwargs)
        return self.wait_new_message(chat, before)

    # -- the question log ----------------------------------------------------

    def db_rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        assert self.db_path is not None, "this bot runs with QUESTION_LOG=off"
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    # -- the bot's log -------------------------------------------------------

    def log_lines(self, pattern: str) -> list[str]:
        return [line for line in self.bot.stderr().splitlines() if re.search(pattern, line)]

    def wait_log(self, pattern: str, count: int = 1, timeout: float = 10.0) -> list[str]:
        """Wait until at least ``count`` stderr lines match ``pattern``; returns them."""
        return poll_until(
            lambda: (lines := self.log_lines(pattern)) and len(lines) >= count and lines,
            timeout,
            f"{count} log line(s) matching {pattern!r}",
        )


def launch_harness(
    api: FakeTelegramServer, work_dir: Path, faq_snapshot: Path, env: dict[str, str] | None = None
) -> Harness:
    """Start a bot on ``api`` answering from a private copy of the FAQ, logging questions into ``work_dir``."""
    faq_path = work_dir / "faq.json"
    shutil.copyfile(faq_snapshot, faq_path)
    db_path = work_dir / "questions.sqlite3"
    settings = {"QUESTION_LOG": str(db_path), "FAQ_PATH": str(faq_path), **(env or {})}
    bot = start_bot(api, settings, log_dir=work_dir / "logs")
    api.wait_until_polling(timeout=STARTUP_TIMEOUT)
    question_log = settings["QUESTION_LOG"]
    return Harness(api, bot, None if question_log == "off" else Path(question_log), faq_path)


@pytest.fixture(scope="module")
def harness(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, faq_snapshot: Path
) -> Iterator[Harness]:
    """One fake and one bot for the whole module (settings from the module's ``BOT_ENV``)."""
    work_dir = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    api = FakeTelegramServer(TEST_TOKEN).start()
    try:
        running = launch_harness(api, work_dir, faq_snapshot, getattr(request.module, "BOT_ENV", None))
        yield running
        code = running.bot.stop()
        assert code == 0, f"the shared bot exited with {code}\n{running.bot.output_tail()}"
        assert_token_hidden(running.bot)
    finally:
        api.stop()
    assert not api.internal_errors, "fake_api raised internally:\n" + "\n".join(api.internal_errors)


@pytest.fixture(autouse=True)
def _bot_invariants(request: pytest.FixtureRequest) -> Iterator[None]:
    """For tests on the shared bot: no handler error, no traceback and no request the API refused
    while the test ran (markers allow the expected ones). The fake refuses what Telegram would:
    HTML it cannot parse, over 4096 characters, callback data over 64 bytes."""
    if "harness" not in request.fixturenames:
        yield
        return
    running: Harness = request.getfixturevalue("harness")
    calls_before = len(running.api.calls())
    log_before = len(running.bot.stderr())
    yield
    log = running.bot.stderr()[log_before:]
    assert "Traceback" not in log, log
    if request.node.get_closest_marker("allow_bot_errors") is None:
        errors = [line for line in log.splitlines() if " ERROR " in line]
        assert not errors, "\n".join(errors)
    if request.node.get_closest_marker("allow_bad_requests") is None:
        refused = [
            str(c)
            for c in running.api.calls()[calls_before:]
            if c.status is not None and 400 <= c.status < 500 and not c.injected
        ]
        assert not refused, "\n".join(refused)
