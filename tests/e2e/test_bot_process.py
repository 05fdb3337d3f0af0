"""``python -m bot`` as a whole process, without Telegram: what only a fresh interpreter can show
(its exit code with no token, the modules it imports, a hash seed of its own). The commands
themselves are tested in-process through ``main(argv)`` (tests/test_cli.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_ask_does_not_import_telegram() -> None:
    code = "import sys; from bot.cli import main; main(['ask', 'hi']); print('telegram' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.stdout.strip().endswith("False")


def test_run_without_a_token_explains_and_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": "", "TELEGRAM_API_URL": "http://127.0.0.1:9", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2
    assert (
        "TELEGRAM_BOT_TOKEN" in result.stderr and "BotFather" in result.stderr and "python -m bot chat" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_outcomes_do_not_depend_on_hash_seed() -> None:
    """Set iteration order changes with PYTHONHASHSEED; answers must not."""
    questions = "\n".join(
        ["how many israelis are still hostages in gaza", "hamas vs israel", "who said what", "talks", "cairo"]
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--json"],
            input=questions,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(seed), "QUESTION_LOG": "off"},
            timeout=60,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(outputs) == 1 and next(iter(outputs)).count("\n") == 5
