"""Inline queries, logged once per finished query.

A Telegram client sends an inline query for every keystroke ("w", "wh", "who", "who i", ...),
so logging each one fills the curator's unanswered list with prefixes. Here a user's query is
logged only once it has settled (no newer query from the same user for SETTLE_SECONDS), or at
once when the user picks a result (a chosen_inline_result update, sent when inline feedback is
on in BotFather). Pure asyncio, no Telegram: the user id is a key in memory only, never stored.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from bot.matcher import Match

SETTLE_SECONDS = 2.0  # typing pauses shorter than this are taken as still typing
MAX_PENDING = 10_000  # users typing at once; past that the oldest query is logged as it stands

Record = Callable[[Match], None]


@dataclass(slots=True)
class _Pending:
    match: Match
    record: Record
    timer: asyncio.TimerHandle


class InlineQueries:
    """The latest unfinished query per user, waiting to be logged."""

    def __init__(self, settle: float = SETTLE_SECONDS) -> None:
        self.settle = settle
        self._pending: OrderedDict[int, _Pending] = OrderedDict()

    def typed(self, user_id: int, match: Match, record: Record) -> None:
        """A query as the user typed it so far; replaces their earlier, unfinished one."""
        earlier = self._pending.pop(user_id, None)
        if earlier is not None:
            earlier.timer.cancel()
        timer = asyncio.get_running_loop().call_later(self.settle, self._settled, user_id)
        self._pending[user_id] = _Pending(match, record, timer)
        while len(self._pending) > MAX_PENDING:
            self._settled(next(iter(self._pending)))

    def chosen(self, user_id: int) -> None:
        """The user picked a result: their query is finished, log it now (once)."""
        self._settled(user_id)

    def flush(self) -> None:
        """Log every unfinished query as it stands (at shutdown)."""
        for user_id in list(self._pending):
            self._settled(user_id)

    def __len__(self) -> int:
        return len(self._pending)

    def _settled(self, user_id: int) -> None:
        pending = self._pending.pop(user_id, None)
        if pending is not None:
            pending.timer.cancel()
            pending.record(pending.match)
