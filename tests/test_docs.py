"""Docs that cannot drift: every command is in the README and in /help, every CLI subcommand
has help (in the style of sqlite-utils' test_commands_are_documented)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from bot import commands, knowledge, render
from bot.cli import build_parser, main
from bot.telegram_app import COMMAND_HANDLERS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
BOT_COMMANDS = [c.name for c in commands.COMMANDS]


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    (sub,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


@pytest.fixture(scope="module")
def help_text(kb: knowledge.KnowledgeBase) -> str:
    return render.help_reply(kb, "article_qa_bot")


@pytest.mark.parametrize("name", BOT_COMMANDS)
def test_every_bot_command_is_in_the_readme(name: str) -> None:
    assert re.search(rf"`/{name}\b", README), f"/{name} is missing from the README's command table"


@pytest.mark.parametrize("name", BOT_COMMANDS)
def test_every_bot_command_is_in_help(name: str, help_text: str) -> None:
    assert re.search(rf"^/{name}\b", help_text, flags=re.MULTILINE), f"/{name} is missing from /help"


def test_every_command_has_a_handler_and_every_handler_a_command() -> None:
    assert set(COMMAND_HANDLERS) == set(BOT_COMMANDS)
    assert len(BOT_COMMANDS) == len(set(BOT_COMMANDS))


@pytest.mark.parametrize("command", commands.COMMANDS, ids=BOT_COMMANDS)
def test_command_menu_lines_fit_telegram(command: commands.Command) -> None:
    assert re.fullmatch(r"[a-z0-9_]{1,32}", command.name)
    assert 1 <= len(command.description) <= 256


def test_menus_hold_everyone_s_commands_and_the_admins_theirs() -> None:
    everyone = {c.name for c in commands.menu("everyone")}
    assert everyone == {"ask", "topics", "speakers", "read", "source", "help", "start"}
    assert {c.name for c in commands.menu("group_admins")} == everyone | {"quiet"}
    assert commands.menu("bot_admins") == ()


@pytest.mark.parametrize("name", list(_subcommands()))
def test_every_cli_subcommand_has_help_and_is_in_the_readme(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    parser = _subcommands()[name]
    assert parser.description, f"`{name}` has no help text"
    assert all(action.help for action in parser._actions), f"an option of `{name}` has no help"
    assert f"python -m bot {name}" in README or f"`{name}`" in README, f"`{name}` is missing from the README"
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0 and capsys.readouterr().out.startswith(f"usage: python -m bot {name}")
