"""What the handlers share, typed: ``context.bot_data`` is a ``BotState``.

PTB builds ``bot_data`` itself, with no arguments (``ContextTypes(bot_data=BotState)``), so the
fields without a default are filled in by ``BotState.attach`` in ``build_application`` before
any update is handled. Add new shared state as a field with a default (``field(default_factory=...)``).
Nothing here is persisted: it holds futures, tasks and a database handle.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from telegram import CallbackQuery
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.config import Settings
from bot.inline_log import InlineQueries
from bot.knowledge import KnowledgeBase
from bot.matcher import Matcher
from bot.questionlog import QuestionLog
from bot.telegram_conversation import Sending, UserMemory
from bot.telegram_groups import RepeatMemory


class VoteMemory:
    """Who voted on which answer, for the latest MAX_VOTES votes: a second tap by the same user
    on the same message (a stale client, or 👎 after 👍) is not stored. Memory only: the buttons
    are gone once voted, so a restart forgetting it costs little."""

    MAX_VOTES = 10_000

    def __init__(self) -> None:
        self._seen: OrderedDict[tuple[int, int, int], None] = OrderedDict()

    def first(self, query: CallbackQuery) -> bool:
        """Whether this is the user's first vote on this message (the later ones are not stored)."""
        message = query.message
        key = (message.chat.id, message.message_id, query.from_user.id) if message else (0, 0, query.from_user.id)
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self.MAX_VOTES:
            self._seen.popitem(last=False)
        return True


@dataclass(slots=True, eq=False)
class BotState:
    """The knowledge base and matcher (swapped together on reload), settings, the question log,
    the group repeat memory and the background tasks the bot owns."""

    settings: Settings = field(init=False, repr=False)
    kb: KnowledgeBase = field(init=False, repr=False)
    matcher: Matcher = field(init=False, repr=False)
    question_log: QuestionLog = field(init=False, repr=False)
    repeats: RepeatMemory = field(default_factory=RepeatMemory, repr=False)
    tasks: set[asyncio.Task[Any]] = field(default_factory=set, repr=False)
    votes: VoteMemory = field(default_factory=lambda: VoteMemory(), repr=False)
    inline_queries: InlineQueries = field(default_factory=InlineQueries, repr=False)
    users: UserMemory = field(default_factory=UserMemory, repr=False)  # group members' last answers, memory only
    sending: Sending = field(default_factory=Sending, repr=False)  # group answers on their way

    def attach(self, settings: Settings, kb: KnowledgeBase, matcher: Matcher, question_log: QuestionLog) -> None:
        """Set what the bot starts with (``build_application``); later knowledge bases come by ``swap``."""
        self.settings, self.question_log = settings, question_log
        self.swap(kb, matcher)

    def swap(self, kb: KnowledgeBase, matcher: Matcher) -> None:
        """A new knowledge base and its matcher, in one step: no handler ever sees a mixed pair."""
        self.kb, self.matcher = kb, matcher


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotState]
# Only bot_data's type matters to the code that takes an App (reload, start and stop).
App = Application[Any, Any, Any, Any, BotState, Any]
CONTEXT_TYPES: ContextTypes[Context, dict[Any, Any], dict[Any, Any], BotState] = ContextTypes(
    context=CallbackContext, bot_data=BotState
)
