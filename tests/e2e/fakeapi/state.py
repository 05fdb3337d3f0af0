"""What the fake records: the calls it served, the updates it queued, the state of each query."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .rules import JSONDict


def _clone(value: Any) -> Any:
    """Deep copy of JSON data (dicts, lists, scalars): several times faster than copy.deepcopy,
    which the fake would otherwise spend more CPU on than the bot spends answering."""
    if isinstance(value, dict):
        return {key: _clone(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clone(item) for item in value]
    return value


class _ClientGone(Exception):
    """The client closed the connection while a long poll was waiting."""


@dataclass
class Call:
    """One HTTP request the bot made.  Unpacks as ``method, params, status``.

    ``status`` is the HTTP status sent, or None when no response was sent (dropped by
    fault injection, or the client hung up first).
    """

    method: str
    params: JSONDict
    status: int | None
    description: str | None = None
    result: Any = None
    started_at: float = 0.0
    finished_at: float = 0.0
    injected: bool = False

    def __iter__(self) -> Iterator[Any]:
        return iter((self.method, self.params, self.status))

    @property
    def ok(self) -> bool:
        return self.status == 200

    def __str__(self) -> str:
        params = json.dumps(self.params, ensure_ascii=False, default=str)
        if len(params) > 160:
            params = params[:157] + "..."
        outcome = self.description or ("ok" if self.ok else "")
        injected = " [injected]" if self.injected else ""
        return f"{self.method} -> {self.status}{injected} {outcome} {params}"


@dataclass
class UpdateRecord:
    """An update pushed by the test and what became of it."""

    update_id: int
    update: JSONDict
    kind: str
    chat_id: int | None
    pushed_at: float
    delivered_at: float | None = None
    confirmed_at: float | None = None
    dropped: bool = False


@dataclass
class _QueryState:
    kind: str
    from_user: JSONDict
    answered: bool = False
    answer: JSONDict = field(default_factory=dict)
