"""bot/lazy_pattern.py: a pattern compiles on first use and then behaves as ``re.compile``'s."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bot.lazy_pattern import LazyPattern

ROOT = Path(__file__).resolve().parents[1]


def test_a_pattern_is_not_compiled_until_used() -> None:
    pattern = LazyPattern(r"\bwhy\b", re.IGNORECASE)
    assert pattern._compiled is None
    assert pattern.search("so WHY?") is not None
    assert pattern._compiled is pattern.compiled


def test_it_answers_as_the_compiled_pattern_does() -> None:
    lazy, eager = LazyPattern(r"(\w+)@(\w+)"), re.compile(r"(\w+)@(\w+)")
    text = "ask a@b or c@d"
    assert lazy.pattern == eager.pattern
    assert lazy.findall(text) == eager.findall(text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in eager.finditer(text)]
    assert lazy.sub(r"\2", text) == eager.sub(r"\2", text)
    assert lazy.subn("x", text, 1) == eager.subn("x", text, 1)
    assert lazy.split(text) == eager.split(text)
    assert lazy.match(text) is None and eager.match(text) is None
    assert lazy.fullmatch("a@b") is not None


def test_importing_the_resolver_compiles_none_of_its_module_patterns() -> None:
    """In a fresh process: importing bot.conversation leaves every module-level pattern uncompiled."""
    probe = (
        "from bot import conversation; from bot.lazy_pattern import LazyPattern as L;"
        "p = [v for v in vars(conversation).values() if isinstance(v, L)];"
        "print(len(p), sum(v._compiled is not None for v in p))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    patterns, compiled = map(int, done.stdout.split())
    assert patterns > 20
    assert compiled == 0
