"""Live reload against hostile files: deep nesting, an endless device, a FIFO. Each is refused
with one log line, the bot keeps answering from what it had, the watcher keeps watching, and
the bot still stops cleanly (a FIFO used to hang the exit: a thread blocked opening it)."""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path

from conftest import BotProcess, poll_until
from fakeapi import FakeTelegramServer


def test_hostile_faq_files_are_refused_in_one_line_and_the_watcher_survives(
    fake_api: FakeTelegramServer, bot_process: Callable[..., BotProcess], tmp_path: Path, faq_snapshot: Path
) -> None:
    faq = tmp_path / "faq.json"
    shutil.copyfile(faq_snapshot, faq)
    original = faq.read_bytes()
    bot = bot_process({"FAQ_PATH": str(faq)})
    fake_api.wait_until_polling(timeout=30)

    def lines(pattern: str) -> list[str]:
        return [line for line in bot.stderr().splitlines() if pattern in line]

    def replace(make: Callable[[Path], None]) -> None:
        """Put a new file in place atomically, as an editor would (a new mtime and size)."""
        staged = tmp_path / "staged"
        staged.unlink(missing_ok=True)
        make(staged)
        os.replace(staged, faq)

    def refused_after(count: int, why: str) -> str:
        found = poll_until(lambda: len(lines("reload refused")) > count and lines("reload refused"), 15, why)
        return str(found[count])

    cases: list[tuple[str, Callable[[Path], None], str]] = [
        ("nested", lambda p: p.write_text("[" * 200_000 + "]" * 200_000), "nested too deeply"),
        ("/dev/zero", lambda p: p.symlink_to("/dev/zero"), "not a regular file"),
        ("fifo", lambda p: os.mkfifo(p), "not a regular file"),
    ]
    started = time.monotonic()
    for name, make, reason in cases:
        before = len(lines("reload refused"))
        replace(make)
        line = refused_after(before, f"the {name} file refused")
        assert reason in line, line
    # SIGHUP with the FIFO still there: refused the same way, nothing left hanging.
    before = len(lines("reload refused"))
    bot.signal(signal.SIGHUP)
    assert "not a regular file" in refused_after(before, "the SIGHUP reload refused")
    chat = fake_api.private_chat(fake_api.make_user("Reader"))
    update_id = fake_api.push_message(chat, "who is bill burns?")
    assert "Burns" in fake_api.wait_for_reply(update_id, timeout=15)["plain_text"]

    # The watcher is alive: a good file again is reloaded.
    reloaded = len(lines("INFO bot: reloaded"))
    replace(lambda p: p.write_bytes(original))
    poll_until(lambda: len(lines("INFO bot: reloaded")) > reloaded, 15, "the good file reloaded")
    print(
        "\nFIGURE reload faults: nested, /dev/zero, FIFO, SIGHUP on the FIFO all refused;"
        f" {time.monotonic() - started:.1f} s in all"
    )

    replace(lambda p: os.mkfifo(p))  # and a FIFO in place at exit does not hang the stop
    before = len(lines("reload refused"))
    refused_after(before, "the last FIFO refused")
    stopping = time.monotonic()
    assert bot.stop(timeout=15) == 0, bot.output_tail()
    print(f"FIGURE stop with a FIFO at FAQ_PATH: {time.monotonic() - stopping:.1f} s")
    assert "Traceback" not in bot.stderr(), bot.output_tail()
