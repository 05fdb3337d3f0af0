"""Inline queries are logged once per finished query, not per keystroke."""

from __future__ import annotations

import asyncio

from bot import inline_log
from bot.inline_log import InlineQueries
from bot.matcher import Match


def typed(text: str) -> Match:
    return Match(text, "no_match", 0.0, None, ())


async def test_only_the_query_a_user_settles_on_is_logged() -> None:
    logged: list[str] = []
    queries = InlineQueries(settle=0.05)
    for prefix in ("w", "wh", "who", "who i", "who is bill burns"):
        queries.typed(1, typed(prefix), lambda m: logged.append(m.query))
        await asyncio.sleep(0)
    queries.typed(2, typed("hamas"), lambda m: logged.append(m.query))  # another user, their own query
    while len(queries):
        await asyncio.sleep(0.01)
    assert sorted(logged) == ["hamas", "who is bill burns"]


async def test_a_chosen_result_logs_at_once_and_only_once() -> None:
    logged: list[str] = []
    queries = InlineQueries(settle=0.05)
    queries.typed(1, typed("who is bill burns"), lambda m: logged.append(m.query))
    queries.chosen(1)
    assert logged == ["who is bill burns"]
    queries.chosen(1)  # a second update for the same pick
    await asyncio.sleep(0.1)  # past the settle time: the cancelled timer logs nothing
    assert logged == ["who is bill burns"]


async def test_flush_logs_what_is_unfinished_and_the_pending_set_is_bounded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(inline_log, "MAX_PENDING", 3)
    logged: list[str] = []
    queries = InlineQueries(settle=60)
    for user in range(5):
        queries.typed(user, typed(f"query {user}"), lambda m: logged.append(m.query))
    assert len(queries) == 3 and logged == ["query 0", "query 1"]  # the oldest logged as they stood
    queries.flush()
    assert len(queries) == 0 and logged == [f"query {user}" for user in range(5)]
