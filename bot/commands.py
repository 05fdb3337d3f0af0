"""The bot's commands, in one table: the shell builds its ``CommandHandler``s and both command
menus (``set_my_commands``) from it, and ``render.help_reply`` lists it in /help, so adding a
command is one row here and one handler in ``telegram_app.COMMAND_HANDLERS``.

Pure data, no Telegram import. ``tests/test_docs.py`` checks the README names every command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Audience = Literal["everyone", "group_admins", "bot_admins"]


@dataclass(frozen=True, slots=True)
class Command:
    """One /command. ``usage`` follows the name in /help; ``audience`` decides the menus:
    everyone's commands are in every chat's menu, group admins' only in the menu Telegram shows
    a group's administrators, and the bot admins' (``ADMIN_USER_IDS``) in no menu at all."""

    name: str
    description: str  # the menu line; Telegram allows 1-256 characters
    usage: str = ""
    audience: Audience = "everyone"


COMMANDS: tuple[Command, ...] = (
    Command("ask", "Ask a question about the article", usage="<question>"),
    Command("topics", "Browse questions by topic"),
    Command("speakers", "Who is quoted, and what they said"),
    Command("read", "Read the article paragraph by paragraph", usage="[paragraph]"),
    Command("source", "Title, date and source of the article"),
    Command("help", "How to ask, in private and in groups"),
    Command("start", "What this bot is"),
    Command("quiet", "on|off: in this group, answer only /ask and replies to me", audience="group_admins"),
    Command("reload", "Reload faq.json after checking it", audience="bot_admins"),
    Command("stats", "Today's questions and the top unanswered", audience="bot_admins"),
)


def menu(audience: Audience) -> tuple[Command, ...]:
    """The commands a menu shows: everyone's, plus the audience's own (bot admins get no menu)."""
    if audience == "bot_admins":
        return ()
    return tuple(c for c in COMMANDS if c.audience in ("everyone", audience))
