"""Shared fixtures: the shipped knowledge base and a small synthetic second article."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot import knowledge
from bot.matcher import Matcher
from tests.fakes import FastBot, start_fast_bot

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_FAQ = ROOT / "faq.json"
SYNTHETIC_FAQ = ROOT / "tests" / "data" / "synthetic" / "faq.json"


@pytest.fixture(scope="session")
def kb() -> knowledge.KnowledgeBase:
    return knowledge.load(SHIPPED_FAQ)


@pytest.fixture(scope="session")
def matcher(kb: knowledge.KnowledgeBase) -> Matcher:
    return Matcher(kb)


@pytest.fixture(scope="session")
def synthetic_kb() -> knowledge.KnowledgeBase:
    return knowledge.load(SYNTHETIC_FAQ)


@pytest.fixture(scope="session")
def synthetic_matcher(synthetic_kb: knowledge.KnowledgeBase) -> Matcher:
    return Matcher(synthetic_kb)


@pytest.fixture
def synthetic_raw() -> dict:
    """A fresh, mutable copy of the synthetic faq.json for breaking in tests."""
    return json.loads(SYNTHETIC_FAQ.read_text(encoding="utf-8"))


@pytest_asyncio.fixture
async def fast_bot(kb: knowledge.KnowledgeBase, matcher: Matcher) -> AsyncIterator[FastBot]:
    """The bot on the shipped knowledge base, driven through process_update (tests/fakes.py)."""
    bot = await start_fast_bot(kb, matcher)
    yield bot
    await bot.app.shutdown()


def pytest_configure(config: pytest.Config) -> None:
    """The whole run (and every ``python -m bot`` it starts) keeps the user's cache folder, and
    so the caches' secret key, in a temporary folder: never the real ~/.cache. And numpy's BLAS
    keeps to one thread, as ``python -m bot`` has it (bot.cli.one_blas_thread)."""
    folder = tempfile.mkdtemp(prefix="article-qa-bot-test-cache-")
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    os.environ["XDG_CACHE_HOME"] = folder
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """`-m "not e2e"` deselects all of tests/e2e (below), so it is not even imported: its modules
    (the fake Bot API, the harness) would only add start-up time to the fast loop."""
    if config.option.markexpr.strip() == "not e2e" and collection_path == ROOT / "tests" / "e2e":
        return True
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is marked e2e, so `pytest -m "not e2e"` is the fast loop."""
    e2e = ROOT / "tests" / "e2e"
    for item in items:
        if item.path.is_relative_to(e2e):
            item.add_marker(pytest.mark.e2e)
