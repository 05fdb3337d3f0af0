"""Record ``python -m bot ask --json`` for every question in tests/data/*.jsonl as golden files.

Run ``python -m tests.record_golden`` after a deliberate behaviour change, and read the diff: it is
the change. tests/test_golden.py fails whenever the matcher's output moves without a new recording.
Frozen sets (tests/data/frozen/) are for measuring only and are never recorded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
GOLDEN = DATA / "golden"


def question_sets() -> list[Path]:
    """The own question sets, all about the shipped faq.json (dialogue sets are scored by eval --dialogues)."""
    return sorted(p for p in DATA.glob("*.jsonl") if not p.name.startswith("dialogues"))


def questions(path: Path) -> list[str]:
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    GOLDEN.mkdir(exist_ok=True)
    for path in question_sets():
        text = "".join(q.replace("\n", " ") + "\n" for q in questions(path))
        out = subprocess.run(
            [sys.executable, "-m", "bot", "--faq", str(ROOT / "faq.json"), "ask", "--json"],
            input=text,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "QUESTION_LOG": "off"},
            check=True,
        ).stdout
        (GOLDEN / path.name).write_text(out, encoding="utf-8")
        print(f"{GOLDEN / path.name}: {out.count(chr(10))} answers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
