"""Reading faq.json safely: only a regular file of bounded size, and every failure one line
(the bot's reload, its file watcher and `check` all read through knowledge.read)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot import knowledge, telegram_ops

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = ROOT / "tests" / "data" / "synthetic" / "faq.json"


def problems(path: Path) -> list[str]:
    kb, found = knowledge.read(path)
    assert kb is None
    return [str(p) for p in found]


def check(path: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot check` on a file, as a curator runs it (a hang guard, not a speed limit)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "check", "--faq", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QUESTION_LOG": "off"},
    )


def test_deeply_nested_json_is_one_problem_in_read_and_in_check(tmp_path: Path) -> None:
    nested = tmp_path / "faq.json"
    nested.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    assert problems(nested) == [f"{nested}: top level: field '(json)': invalid JSON: nested too deeply"]
    assert knowledge.read_json(nested) is None
    done = check(nested)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stdout.strip() == problems(nested)[0]


def test_a_symlink_to_an_endless_device_is_not_read(tmp_path: Path) -> None:
    link = tmp_path / "faq.json"
    link.symlink_to("/dev/zero")
    assert problems(link) == [
        f"{link}: top level: field '(file)': not a regular file (a folder, device, pipe or socket)"
    ]


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "faq.json"
    os.mkfifo(fifo)
    done = check(fifo)  # opening a FIFO for reading blocks until someone writes: it must not be opened so
    assert done.returncode == 1 and "not a regular file" in done.stdout and "Traceback" not in done.stderr


def test_a_folder_an_oversized_file_and_bad_utf8_are_one_line_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "not a regular file" in problems(tmp_path)[0]
    monkeypatch.setattr(knowledge, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_bytes(SYNTHETIC.read_bytes())
    assert "larger than" in problems(big)[0]
    monkeypatch.undo()
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"article": "caf\u00e9"}'.encode("latin-1"))
    [line] = problems(latin1)
    assert "not UTF-8 text (byte 16" in line
    assert knowledge.read(SYNTHETIC)[0] is not None  # a good file still reads


def test_the_file_watcher_survives_any_exception_with_one_log_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    faq = tmp_path / "faq.json"
    faq.write_text("{}", encoding="utf-8")
    calls: list[int] = []

    async def flaky_reload(app: object) -> str:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("a bug in the reload")
        return "reloaded"

    monkeypatch.setattr(telegram_ops, "reload_knowledge", flaky_reload)
    monkeypatch.setattr(telegram_ops, "RELOAD_POLL_SECONDS", 0.01)
    app = SimpleNamespace(bot_data=SimpleNamespace(settings=SimpleNamespace(faq_path=faq)))

    async def main() -> None:
        watcher = asyncio.create_task(telegram_ops.watch_knowledge(app))  # type: ignore[arg-type]
        for n in range(2):  # two edits: the first reload raises, the second must still happen
            await asyncio.sleep(0.05)
            faq.write_text("{}" + " " * (n + 1), encoding="utf-8")
            while len(calls) < n + 1:
                await asyncio.sleep(0.01)
        assert not watcher.done()
        watcher.cancel()

    asyncio.run(asyncio.wait_for(main(), 30))  # a hang guard
    assert calls == [0, 1]
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "a bug in the reload" in errors[0].getMessage() and errors[0].exc_info is None
