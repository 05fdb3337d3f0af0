"""Fast handler tests: a recording BaseRequest and a driver that feeds updates to the real
Application through ``process_update`` (python-telegram-bot's own suite uses the same hook).

No sockets, no subprocess, no sleeps: a test builds updates as the Bot API would send them,
awaits ``process_update`` and asserts on the (method, params) the bot asked for. The wire format,
start-up, faults and shutdown stay with the subprocess suite in tests/e2e.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.config import load_settings
from bot.knowledge import KnowledgeBase
from bot.matcher import Matcher
from bot.questionlog import QuestionLog
from bot.telegram_app import build_application
from bot.telegram_state import App

BOT_USER = {
    "id": 4242,
    "is_bot": True,
    "first_name": "Article QA",
    "username": "article_qa_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
USER = {"id": 11, "is_bot": False, "first_name": "Ada"}
PRIVATE = {"id": 11, "type": "private", "first_name": "Ada"}
SUPERGROUP = {"id": -1001234567890, "type": "supergroup", "title": "News club"}
FORUM = {"id": -1009876543210, "type": "supergroup", "title": "Forum", "is_forum": True}
BASIC_GROUP = {"id": -4242, "type": "group", "title": "Old club"}

Call = dict[str, Any]  # {"method": ..., **params}
ADMIN_RIGHTS = (
    "can_be_edited",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


def user(first_name: str, user_id: int, **extra: Any) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name, **extra}


def _chat_type(chat_id: int) -> str:
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith("-100") else "group"


class RecordingRequest(BaseRequest):
    """Answers the Bot API methods the bot uses and records (method, params) for assertions.

    It remembers the text of every message it "sent" so a second identical edit is refused
    as "message is not modified", as Telegram does; ``statuses`` answers getChatMember;
    ``fail`` makes the next calls of a method fail with (error code, description)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.statuses: dict[tuple[int, int], str] = {}  # (chat id, user id) -> "creator", "administrator"...
        self.fail: dict[str, list[tuple[int, str]]] = {}
        self._texts: dict[tuple[int, int], str] = {}
        self._message_id = 100

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        await asyncio.sleep(0)  # a network round trip lets other updates in, as concurrent_updates does
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append((name, params))
        if self.fail.get(name):
            code, description = self.fail[name].pop(0)
            return code, json.dumps({"ok": False, "error_code": code, "description": description}).encode()
        result: Any = True
        if name == "getMe":
            result = BOT_USER
        elif name == "sendMessage":
            self._message_id += 1
            result = self._message(params, self._message_id)
            params["message_id"] = self._message_id  # recorded with the call, as the answer carried it
        elif name == "editMessageText":
            key = (int(params["chat_id"]), int(params["message_id"]))
            if self._texts.get(key) == params["text"]:
                description = "Bad Request: message is not modified: specified new message content is exactly the same"
                return 400, json.dumps({"ok": False, "error_code": 400, "description": description}).encode()
            result = self._message(params, key[1])
        elif name == "getChatMember":
            status = self.statuses.get((int(params["chat_id"]), int(params["user_id"])), "member")
            member_user = {"id": int(params["user_id"]), "is_bot": False, "first_name": "Member"}
            result = {"status": status, "user": member_user}
            if status in ("creator", "administrator"):
                result["is_anonymous"] = False
            if status == "administrator":
                result |= dict.fromkeys(ADMIN_RIGHTS, False)
        elif name == "getUpdates":
            result = []
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message(self, params: dict[str, Any], message_id: int) -> dict[str, Any]:
        chat_id = int(params["chat_id"]) if "chat_id" in params else 1
        self._texts[(chat_id, message_id)] = params.get("text", "")
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "text": params.get("text", ""),
            "chat": {"id": chat_id, "type": _chat_type(chat_id)},
            "from": BOT_USER,
        }
        if "message_thread_id" in params:
            message["message_thread_id"] = int(params["message_thread_id"])
            message["is_topic_message"] = True
        return message


ADMIN = user("Root", 99)  # in ADMIN_USER_IDS of the bot start_fast_bot builds


async def start_fast_bot(kb: KnowledgeBase, matcher: Matcher, question_log: QuestionLog | None = None) -> FastBot:
    """The real application with a recording request, initialised (getMe answered), not polling."""
    settings = load_settings(
        {"TELEGRAM_BOT_TOKEN": "1:TEST", "QUESTION_LOG": "off", "ADMIN_USER_IDS": str(ADMIN["id"])},
        dotenv=Path("/nonexistent/.env"),
    )
    request, polling = RecordingRequest(), RecordingRequest()
    app = build_application(
        settings, kb, matcher=matcher, question_log=question_log, request=request, get_updates_request=polling
    )
    await app.initialize()
    return FastBot(app, request)


class FastBot:
    """Drives the application like Telegram would: each method builds one update, hands it to
    ``process_update`` and returns the Bot API calls the bot made while handling it."""

    def __init__(self, app: App, request: RecordingRequest) -> None:
        self.app = app
        self.request = request
        self._ids = itertools.count(1)

    async def feed(self, update: dict[str, Any]) -> list[Call]:
        before = len(self.request.calls)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return [{"method": method, **params} for method, params in self.request.calls[before:]]

    def message(
        self,
        text: str,
        chat: dict[str, Any] = PRIVATE,
        *,
        sender: dict[str, Any] = USER,
        thread: int | None = None,
        reply_to: Call | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """A message update; a leading /command and every @username get their entities."""
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": chat,
            "from": sender,
            "text": text,
            **extra,
        }
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        for found in re.finditer(r"@\w{5,}", text):
            if not (text.startswith("/") and found.start() < len(text.split()[0])):  # /ask@bot is the command
                entities.append({"type": "mention", "offset": found.start(), "length": found.end() - found.start()})
        if entities:
            message["entities"] = entities
        if thread is not None:
            message |= {"message_thread_id": thread, "is_topic_message": True}
        if reply_to is not None:  # a message of the update kind (someone's), or a call the bot made
            message["reply_to_message"] = reply_to if "from" in reply_to else self.bot_message(reply_to, chat)
        return {"update_id": next(self._ids), "message": message}

    async def say(self, text: str, chat: dict[str, Any] = PRIVATE, **kwargs: Any) -> list[Call]:
        return await self.feed(self.message(text, chat, **kwargs))

    async def ask(self, text: str, chat: dict[str, Any] = PRIVATE, **kwargs: Any) -> Call:
        """The one message the bot sends in reply to ``text``."""
        calls = await self.say(text, chat, **kwargs)
        (reply,) = sent(calls)
        return reply

    def bot_message(self, sent_call: Call, chat: dict[str, Any] = PRIVATE) -> dict[str, Any]:
        """The Message Telegram would attach to a callback query (or a reply) for something the bot sent."""
        message = {
            "message_id": sent_call["message_id"],
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            "text": plain(sent_call.get("text", "")),
        }
        if sent_call.get("reply_markup"):
            message["reply_markup"] = _json(sent_call["reply_markup"])
        return message

    async def press(
        self, data: str, on: Call | None = None, chat: dict[str, Any] = PRIVATE, *, sender: dict[str, Any] = USER
    ) -> list[Call]:
        """A tap on a button with ``data`` under the bot's message ``on``."""
        query: dict[str, Any] = {"id": str(next(self._ids)), "from": sender, "chat_instance": "ci", "data": data}
        if on is not None:
            query["message"] = self.bot_message(on, chat)
            if "message_thread_id" in on:
                query["message"] |= {"message_thread_id": on["message_thread_id"], "is_topic_message": True}
        return await self.feed({"update_id": next(self._ids), "callback_query": query})

    async def inline(self, text: str, *, sender: dict[str, Any] = USER) -> Call:
        """An inline query; returns the answerInlineQuery call."""
        query = {"id": str(next(self._ids)), "from": sender, "query": text, "offset": ""}
        calls = await self.feed({"update_id": next(self._ids), "inline_query": query})
        (answer,) = [c for c in calls if c["method"] == "answerInlineQuery"]
        answer["results"] = _json(answer["results"])
        return answer


def sent(calls: list[Call], method: str = "sendMessage") -> list[Call]:
    return [c for c in calls if c["method"] == method]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def buttons(call: Call) -> list[tuple[str, str]]:
    """(label, callback data) of every button under a sent or edited message."""
    markup = _json(call.get("reply_markup")) or {"inline_keyboard": []}
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


def button(call: Call, label: str) -> str:
    """The callback data of the button whose label contains ``label``."""
    (data,) = [d for text, d in buttons(call) if label in text]
    return data


def plain(text: str) -> str:
    """What a reader sees of Telegram HTML (tests/test_render.py checks the HTML itself)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))
