"""The server: a strict fake of the Telegram Bot API HTTP server, for end-to-end tests.

The bot under test talks HTTP to this server exactly as it would to
``https://api.telegram.org``: ``POST {url}/bot{token}/{method}`` with form-encoded,
multipart or JSON bodies.  The server validates requests the way Telegram does
(HTML entity parsing, the 4096 UTF-16 code unit limit, 64-byte callback
data, reply targets, answer-once callback queries, ...) and answers with Telegram's
error wording, so bugs that only show up against the real API show up here too.

Tests drive it from the other side through thread-safe Python methods: they push
updates (``push_message``, ``push_callback_query``, ...), script faults
(``fail_next``), script who is a group admin (``set_member_status``, answered by
``getChatMember``), inspect what the bot did (``sent_messages``, ``calls``) and block
until something happens (``wait_for``, ``wait_for_reply``) without fixed sleeps.

All timestamps are ``time.monotonic()`` values.  Only the standard library is used.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import select
import socket
import threading
import time
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .faults import Faults, _Fault
from .html import auto_entities
from .methods import BotApiMethods
from .rules import (
    _PATH_RE,
    DEFAULT_UPDATE_TYPES,
    MEMBER_STATUSES,
    ApiError,
    JSONDict,
    _json_bytes,
    _normalize_params,
    _parse_multipart,
    _scope_key,
)
from .state import Call, UpdateRecord, _ClientGone, _clone, _QueryState


def _socket_alive(sock: socket.socket) -> bool:
    """False once the peer has closed ``sock`` (readable with EOF)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return True
        return bool(sock.recv(1, socket.MSG_PEEK))
    except (OSError, ValueError):
        return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle plus the
        # client's delayed ACK stalls every keep-alive response by ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.fake._track_connection(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track_connection(self.connection, add=False)

    def do_POST(self) -> None:
        fake = self.server.fake
        with fake._cond:
            fake._in_flight += 1
        try:
            fake._serve(self)
        finally:
            with fake._cond:
                fake._in_flight -= 1
                fake._cond.notify_all()

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's default backlog of 5 drops connects (1 s SYN retry) under a burst
    fake: FakeTelegramServer


class FakeTelegramServer(Faults, BotApiMethods):
    """Strict in-process fake of the Telegram Bot API (see module docstring).

    ``url`` is what the bot gets as ``TELEGRAM_API_URL``; PTB's ``base_url`` is
    ``f"{server.url}/bot"`` (available as ``server.base_url``).
    """

    def __init__(
        self,
        token: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "article_qa_bot",
        bot_id: int = 7770001,
        bot_first_name: str = "Article QA",
        can_read_all_group_messages: bool = False,
        supports_inline_queries: bool = True,
    ) -> None:
        self.token = token
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._me: JSONDict = {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": can_read_all_group_messages,
            "supports_inline_queries": supports_inline_queries,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self._host, self._port = host, port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._cond = threading.Condition(threading.RLock())
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._in_flight = 0  # requests being answered (stop() lets released long polls finish)
        self._diagnostics: list[Callable[[], str]] = []
        self._abort_checks: list[Callable[[], str | None]] = []
        #: Tracebacks of exceptions inside the fake itself (should stay empty).
        self.internal_errors: list[str] = []

        self._ids = itertools.count(1)
        self._update_ids = itertools.count(100001)
        self._user_ids = itertools.count(200001)
        self._group_ids = itertools.count(4000001)
        self._query_ids = itertools.count(7000000000000000001)
        self._users: dict[int, JSONDict] = {}
        self.default_user = self.make_user("Alice", username="alice")
        self._chats: dict[int, JSONDict] = {}
        self._blocked: set[int] = set()
        self._messages: dict[int, dict[int, JSONDict]] = {}
        self._next_message_id: dict[int, int] = {}
        self._topics: dict[int, dict[int, JSONDict]] = {}
        self._inline_messages: set[str] = set()
        self._member_status: dict[tuple[int, int], str] = {}

        self._updates: list[UpdateRecord] = []
        self._updates_by_id: dict[int, UpdateRecord] = {}
        self._queue: list[UpdateRecord] = []
        self._allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._poll_generation = 0
        self._pollers_waiting = 0
        self.confirmed_offset = 0
        self.first_get_updates_at: float | None = None

        self._calls: list[Call] = []
        self._faults: list[_Fault] = []
        self._sent: list[JSONDict] = []
        self._edits: list[JSONDict] = []
        self._queries: dict[str, _QueryState] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.webhook_url = ""

        self._methods: dict[str, tuple[str, Callable[[JSONDict], Any]]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "deleteWebhook": self._delete_webhook,
                "setWebhook": self._set_webhook,
                "setMyCommands": self._set_my_commands,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "answerCallbackQuery": self._answer_callback_query,
                "answerInlineQuery": self._answer_inline_query,
                "getChatMember": self._get_chat_member,
            }.items()
        }

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeTelegramServer:
        """Bind and serve in a background thread; returns ``self``."""
        httpd = _HTTPServer((self._host, self._port), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="fake-telegram-api",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release long polls, stop serving and close every open connection."""
        self._stopping.set()
        deadline = time.monotonic() + 2.0
        with self._cond:
            self._cond.notify_all()
            while self._in_flight and (remaining := deadline - time.monotonic()) > 0:
                self._cond.wait(remaining)  # released long polls write their (empty) answer first
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        with self._cond:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeTelegramServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return self._httpd.server_address[1]

    @property
    def in_flight(self) -> int:
        """Requests being answered right now (a long poll counts)."""
        with self._cond:
            return self._in_flight

    @property
    def url(self) -> str:
        """API root, e.g. ``http://127.0.0.1:PORT`` (the bot's ``TELEGRAM_API_URL``)."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """PTB ``base_url``: ``Bot(token, base_url=server.base_url)``."""
        return f"{self.url}/bot"

    def add_diagnostics(self, provider: Callable[[], str]) -> None:
        """Register extra text (e.g. the bot's log tail) for ``wait_for`` timeout errors."""
        with self._cond:
            self._diagnostics.append(provider)

    def add_abort_check(self, check: Callable[[], str | None]) -> None:
        """Make ``wait_for`` fail at once when ``check()`` returns a reason (e.g. the bot
        process died); call :meth:`notify` when the checked condition may have changed."""
        with self._cond:
            self._abort_checks.append(check)

    def notify(self) -> None:
        """Wake every ``wait_for`` so it re-evaluates its predicate and abort checks."""
        with self._cond:
            self._cond.notify_all()

    # ------------------------------------------------------------ users & chats

    def make_user(
        self,
        first_name: str = "User",
        *,
        username: str | None = None,
        user_id: int | None = None,
        last_name: str | None = None,
        language_code: str | None = "en",
        is_bot: bool = False,
    ) -> JSONDict:
        """Create (and remember) a User dict."""
        user: JSONDict = {
            "id": user_id if user_id is not None else next(self._user_ids),
            "is_bot": is_bot,
            "first_name": first_name,
        }
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        with self._cond:
            self._users[user["id"]] = user
        return dict(user)

    def private_chat(self, user: JSONDict | None = None) -> JSONDict:
        """The private chat with ``user`` (a new user when omitted)."""
        user = user or self.make_user()
        chat: JSONDict = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if key in user:
                chat[key] = user[key]
        with self._cond:
            self._users.setdefault(user["id"], user)
            return self._register_chat(chat)

    def supergroup_chat(
        self, title: str = "Test supergroup", *, is_forum: bool = False, username: str | None = None
    ) -> JSONDict:
        """A supergroup (``-100…`` id); ``is_forum=True`` enables topics."""
        chat: JSONDict = {
            "id": -1000000000000 - next(self._group_ids),
            "type": "supergroup",
            "title": title,
        }
        if is_forum:
            chat["is_forum"] = True
        if username:
            chat["username"] = username
        return self._register_chat(chat)

    def create_forum_topic(
        self, chat: int | JSONDict, name: str = "Topic", *, from_user: JSONDict | None = None
    ) -> int:
        """Create a topic in a forum supergroup; returns its ``message_thread_id``."""
        with self._cond:
            chat_obj = self._chat_arg(chat, "supergroup")
            if not chat_obj.get("is_forum"):
                raise ValueError(f"chat {chat_obj['id']} is not a forum supergroup")
            thread_id = self._alloc_message_id(chat_obj["id"])
            service = {
                "message_id": thread_id,
                "from": from_user or self.default_user,
                "chat": chat_obj,
                "date": int(time.time()),
                "message_thread_id": thread_id,
                "is_topic_message": True,
                "forum_topic_created": {"name": name, "icon_color": 7322096},
            }
            self._store_message(chat_obj["id"], service)
            self._topics.setdefault(chat_obj["id"], {})[thread_id] = service
            return thread_id

    def delete_forum_topic(self, chat: int | JSONDict, thread_id: int) -> None:
        """Delete a forum topic with every message in it, as an admin can."""
        with self._cond:
            chat_id = self._chat_id_of(chat)
            self._topics.get(chat_id, {}).pop(thread_id, None)
            messages = self._messages.get(chat_id, {})
            for message_id in [i for i, m in messages.items() if m.get("message_thread_id") == thread_id]:
                del messages[message_id]

    def block_bot(self, user_or_chat_id: int, blocked: bool = True) -> None:
        """Make sends to this private chat fail with 403 "bot was blocked by the user"."""
        with self._cond:
            (self._blocked.add if blocked else self._blocked.discard)(user_or_chat_id)

    def set_member_status(self, chat: int | JSONDict, user: JSONDict | int, status: str) -> None:
        """Script what ``getChatMember`` answers for ``user`` in ``chat``.

        ``status`` is one of MEMBER_STATUSES ("creator", "administrator", "member",
        "left", "kicked"); users never scripted are plain members.
        """
        if status not in MEMBER_STATUSES:
            raise ValueError(f"status must be one of {sorted(MEMBER_STATUSES)}, got {status!r}")
        with self._cond:
            chat_id = self._chat_arg(chat, "supergroup")["id"]
            user_id = user["id"] if isinstance(user, dict) else int(user)
            self._member_status[(chat_id, user_id)] = status

    def delete_user_message(self, chat: int | JSONDict, message_id: int) -> None:
        """The user deletes their message: replies to it then fail with "message to be
        replied not found" unless ``allow_sending_without_reply`` is set."""
        with self._cond:
            chat_id = self._chat_arg(chat, "private")["id"]
            if self._messages.get(chat_id, {}).pop(message_id, None) is None:
                raise ValueError(f"no message {message_id} in chat {chat_id}")

    # ------------------------------------------------------------- push updates

    def push_message(
        self,
        chat: int | JSONDict,
        text: str,
        *,
        from_user: JSONDict | None = None,
        reply_to: int | None = None,
        thread_id: int | None = None,
        entities: list[JSONDict] | None = None,
        chat_type: str = "private",
        extra: JSONDict | None = None,
    ) -> int:
        """Queue a ``message`` update with ``text``; returns its update_id.

        ``chat`` is a chat dict or id (unknown ids become chats of ``chat_type``).
        ``reply_to`` is a message id in that chat (e.g. a bot message, embedded with
        ``from`` = the bot).  ``entities=None`` auto-detects bot_command, mention,
        hashtag and url entities; pass ``[]`` for none.  ``extra`` is merged into the
        Message.
        """
        content: JSONDict = {"text": text}
        found = auto_entities(text) if entities is None else entities
        if found:
            content["entities"] = found
        return self._push_user_message("message", chat, content, from_user, reply_to, thread_id, chat_type, extra)

    def push_photo(
        self,
        chat: int | JSONDict,
        *,
        caption: str | None = None,
        from_user: JSONDict | None = None,
        reply_to: int | None = None,
        thread_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """Queue a photo message (three PhotoSize variants); returns its update_id."""
        n = next(self._ids)
        photo = [
            {
                "file_id": f"AgACAgFake{n}x{size}",
                "file_unique_id": f"AQADFake{n}x{size}",
                "width": size,
                "height": size * 3 // 4,
                "file_size": size * 100,
            }
            for size in (90, 320, 1280)
        ]
        content: JSONDict = {"photo": photo}
        if caption:
            content["caption"] = caption
            if found := auto_entities(caption):
                content["caption_entities"] = found
        return self._push_user_message("message", chat, content, from_user, reply_to, thread_id, chat_type, None)

    def push_sticker(
        self,
        chat: int | JSONDict,
        *,
        emoji: str = "👍",
        from_user: JSONDict | None = None,
        chat_type: str = "private",
    ) -> int:
        """Queue a sticker message; returns its update_id."""
        n = next(self._ids)
        sticker = {
            "file_id": f"CAACAgFake{n}",
            "file_unique_id": f"AgADFake{n}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "set_name": "FakeStickers",
            "file_size": 20000,
        }
        return self._push_user_message("message", chat, {"sticker": sticker}, from_user, None, None, chat_type, None)

    def push_callback_query(
        self,
        chat: int | JSONDict,
        message_id: int,
        data: str,
        from_user: JSONDict | None = None,
        *,
        check_button: bool = True,
    ) -> str:
        """Queue a button press on bot message ``message_id``; returns the query id.

        With ``check_button`` the message's current inline keyboard must contain a
        button with this ``callback_data`` (a real client can't send anything else).
        """
        with self._cond:
            chat_obj = self._chat_arg(chat, "private")
            message = self._messages.get(chat_obj["id"], {}).get(message_id)
            if message is None or message.get("from", {}).get("id") != self.bot_user["id"]:
                raise ValueError(f"no bot message {message_id} in chat {chat_obj['id']}")
            if check_button:
                rows = message.get("reply_markup", {}).get("inline_keyboard", [])
                if data not in [b.get("callback_data") for row in rows for b in row]:
                    raise ValueError(f"message {message_id} has no button with callback_data {data!r}")
            user = from_user or self._default_sender(chat_obj)
            query_id = str(next(self._query_ids))
            self._queries[query_id] = _QueryState("callback", user)
            query = {
                "id": query_id,
                "from": user,
                "message": _clone(message),
                "chat_instance": str(abs(chat_obj["id"]) * 7919),
                "data": data,
            }
            self._enqueue({"callback_query": query})
            return query_id

    def push_inline_query(
        self,
        query: str,
        from_user: JSONDict | None = None,
        *,
        offset: str = "",
        chat_type: str | None = "private",
    ) -> str:
        """Queue an ``inline_query``; returns its id (answer with answerInlineQuery)."""
        with self._cond:
            user = from_user or self.default_user
            query_id = str(next(self._query_ids))
            self._queries[query_id] = _QueryState("inline", user)
            inline: JSONDict = {"id": query_id, "from": user, "query": query, "offset": offset}
            if chat_type:
                inline["chat_type"] = chat_type
            self._enqueue({"inline_query": inline})
            return query_id

    def push_raw_update(self, update: JSONDict) -> int:
        """Queue any update dict (``update_id`` is assigned if missing); chats in it
        become known so the bot may answer them."""
        with self._cond:
            update = copy.deepcopy(update)
            kind = next((k for k in update if k != "update_id"), "")
            payload = update.get(kind)
            if not isinstance(payload, dict):
                raise ValueError(f"update has no payload object: {update!r}")
            if kind in ("callback_query", "inline_query"):
                state_kind = "callback" if kind == "callback_query" else "inline"
                self._queries[str(payload["id"])] = _QueryState(state_kind, payload.get("from", {}))
                if payload.get("inline_message_id"):
                    self._inline_messages.add(str(payload["inline_message_id"]))
            message = payload.get("message") if kind == "callback_query" else payload
            if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                self._register_chat(message["chat"])
                if "message_id" in message and kind != "callback_query":
                    self._store_message(message["chat"]["id"], _clone(message))
            return self._enqueue(update)

    # --------------------------------------------------------------- inspection

    def calls(self, method: str | None = None, chat: int | JSONDict | None = None) -> list[Call]:
        """Every request so far (failed ones too), optionally for one method and one ``chat_id``."""
        chat_id = None if chat is None else self._chat_id_of(chat)
        with self._cond:
            calls = [
                c
                for c in self._calls
                if (method is None or c.method.lower() == method.lower())
                and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]
            return copy.deepcopy(calls)

    def sent_messages(self, chat_id: int | JSONDict | None = None) -> list[JSONDict]:
        """Messages the bot successfully sent, oldest first.

        Each dict has ``chat_id, message_id, text`` (as sent, markup included),
        ``plain_text``, ``entities``, ``parse_mode``, ``reply_markup``,
        ``reply_parameters``, ``message_thread_id``, ``link_preview_options``,
        ``disable_notification``, ``params`` (everything sent), ``message`` (the
        Message returned) and ``received_at``.
        """
        with self._cond:
            return _clone(self._filter_chat(self._sent, chat_id))

    def edited_messages(self, chat_id: int | JSONDict | None = None) -> list[JSONDict]:
        """Successful editMessageText/editMessageReplyMarkup calls (same keys as sends)."""
        with self._cond:
            return _clone(self._filter_chat(self._edits, chat_id))

    def message(self, chat_id: int | JSONDict, message_id: int) -> JSONDict | None:
        """Current state of any message in a chat (bot's or user's), or None."""
        with self._cond:
            found = self._messages.get(self._chat_id_of(chat_id), {}).get(message_id)
            return _clone(found)

    def callback_answer(self, query_id: str) -> JSONDict | None:
        """The answerCallbackQuery params for this query, or None if unanswered."""
        with self._cond:
            state = self._queries.get(query_id)
            return _clone(state.answer) if state and state.answered else None

    def inline_answer(self, query_id: str) -> JSONDict | None:
        """The answerInlineQuery params for this query, or None if unanswered."""
        return self.callback_answer(query_id)

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """Commands currently set for ``scope`` (default scope) and language."""
        with self._cond:
            return _clone(self._commands.get((_scope_key(scope), language_code), []))

    def updates(self) -> list[UpdateRecord]:
        """Every pushed update with its timing (pushed/delivered/confirmed)."""
        with self._cond:
            return copy.deepcopy(self._updates)

    def update_record(self, update_id: int) -> UpdateRecord:
        with self._cond:
            return copy.deepcopy(self._update(update_id))

    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed by the bot."""
        with self._cond:
            return [_clone(r.update) for r in self._queue]

    def first_reply_after(self, update_id: int, chat_id: int | None = None) -> JSONDict | None:
        """First message the bot sent to the update's chat after it was pushed."""
        with self._cond:
            record = self._update(update_id)
            target = chat_id if chat_id is not None else record.chat_id
            for sent in self._sent:
                if sent["chat_id"] == target and sent["received_at"] >= record.pushed_at:
                    return _clone(sent)
            return None

    @property
    def polling(self) -> bool:
        """True while a getUpdates long poll is waiting for updates."""
        with self._cond:
            return self._pollers_waiting > 0

    # ------------------------------------------------------------------ waiting

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0, message: str | None = None) -> Any:
        """Block until ``predicate()`` is truthy and return its value.

        Re-evaluated on every state change (requests, pushes, confirmations).  On
        timeout raises AssertionError listing the recent calls.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                what = message or repr(predicate)
                for check in self._abort_checks:
                    reason = check()
                    if reason:
                        raise AssertionError(self._report(f"Gave up waiting for {what}: {reason}."))
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._report(f"Timed out after {timeout:g}s waiting for {what}."))
                self._cond.wait(remaining)

    def sent_count(self) -> int:
        """How many messages the bot has sent so far (cheap: no copies, for load drivers)."""
        with self._cond:
            return len(self._sent)

    def wait_for_sent_count(self, n: int, timeout: float = 10.0) -> None:
        """Wait until the bot has sent at least ``n`` messages in all (nothing is copied)."""
        self.wait_for(lambda: len(self._sent) >= n, timeout, f"{n} sent message(s)")

    def wait_for_messages(self, n: int, chat_id: int | JSONDict | None = None, timeout: float = 10.0) -> list[JSONDict]:
        """Wait until at least ``n`` messages were sent (to ``chat_id``); return them all."""
        where = "" if chat_id is None else f" to chat {self._chat_id_of(chat_id)}"
        self.wait_for(
            lambda: len(self._filter_chat(self._sent, chat_id)) >= n,
            timeout,
            f"{n} sent message(s){where}",
        )
        return self.sent_messages(chat_id)

    def wait_for_reply(self, update_id: int, chat_id: int | None = None, timeout: float = 10.0) -> JSONDict:
        """Wait for the first message sent to the update's chat after it was pushed."""
        return self.wait_for(
            lambda: self.first_reply_after(update_id, chat_id),
            timeout,
            f"a reply to update {update_id}",
        )

    def wait_until_confirmed(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until the bot confirmed ``update_id`` (getUpdates offset > update_id)."""
        self.wait_for(
            lambda: self.confirmed_offset > update_id,
            timeout,
            f"getUpdates to confirm update {update_id}",
        )

    def wait_until_polling(self, timeout: float = 10.0) -> None:
        """Wait until the bot sits in a getUpdates long poll (i.e. is ready)."""
        self.wait_for(lambda: self._pollers_waiting > 0, timeout, "a waiting getUpdates poll")

    def wait_for_call(self, method: str, timeout: float = 10.0, *, ok: bool = False) -> Call:
        """Wait for a (successful, with ``ok``) call of ``method``; return the first."""

        def found() -> Call | None:
            for call in self._calls:
                if call.method.lower() == method.lower() and (call.ok or not ok):
                    return copy.deepcopy(call)
            return None

        return self.wait_for(found, timeout, f"a{' successful' if ok else ''} {method} call")

    def _report(self, headline: str) -> str:
        """Failure text for ``wait_for``: state, recent calls and diagnostics."""
        lines = [headline]
        lines.append(
            f"confirmed_offset={self.confirmed_offset}, pending updates="
            f"{[r.update_id for r in self._queue]}, sent messages={len(self._sent)}"
        )
        recent = self._calls[-20:]
        lines.append(f"Last {len(recent)} of {len(self._calls)} calls:")
        lines.extend(f"  {call}" for call in recent)
        for provider in self._diagnostics:
            try:
                lines.append(provider())
            except Exception as exc:  # diagnostics must never hide the real failure
                lines.append(f"(diagnostics failed: {exc!r})")
        return "\n".join(lines)

    # ---------------------------------------------------------------- internals

    def _track_connection(self, conn: socket.socket, *, add: bool) -> None:
        with self._cond:
            (self._connections.add if add else self._connections.discard)(conn)

    def _register_chat(self, chat: JSONDict) -> JSONDict:
        with self._cond:
            known = self._chats.setdefault(chat["id"], dict(chat))
            self._messages.setdefault(chat["id"], {})
            return dict(known)

    def _chat_id_of(self, chat: int | JSONDict) -> int:
        return chat["id"] if isinstance(chat, dict) else int(chat)

    def _chat_arg(self, chat: int | JSONDict, chat_type: str) -> JSONDict:
        """Resolve a test-side chat argument, creating unknown chats."""
        if isinstance(chat, dict):
            return dict(self._chats.get(chat["id"]) or self._register_chat(chat))
        if chat in self._chats:
            return dict(self._chats[chat])
        if chat_type == "private":
            user = self._users.get(chat) or self.make_user(f"User{chat}", user_id=chat)
            return self.private_chat(user)
        return self._register_chat({"id": chat, "type": chat_type, "title": f"{chat_type.title()} {chat}"})

    def _default_sender(self, chat: JSONDict) -> JSONDict:
        if chat["type"] == "private":
            return self._users.get(chat["id"]) or self.make_user(chat["first_name"], user_id=chat["id"])
        return self.default_user

    def _filter_chat(self, records: list[JSONDict], chat_id: int | JSONDict | None) -> list[JSONDict]:
        if chat_id is None:
            return list(records)
        wanted = self._chat_id_of(chat_id)
        return [r for r in records if r["chat_id"] == wanted]

    def _alloc_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _store_message(self, chat_id: int, message: JSONDict) -> None:
        self._messages.setdefault(chat_id, {})[message["message_id"]] = message
        following = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = max(following, message["message_id"] + 1)

    def _embedded(self, chat_id: int, message_id: int) -> JSONDict | None:
        """A stored message as Telegram embeds it in ``reply_to_message``."""
        message = self._messages.get(chat_id, {}).get(message_id)
        if message is None:
            return None
        embedded = _clone(message)
        embedded.pop("reply_to_message", None)
        return embedded

    def _apply_thread(self, chat: JSONDict, message: JSONDict, thread_id: int | None) -> None:
        """Set thread fields; in forums a topic message implicitly replies to the topic."""
        if thread_id is None:
            return
        message["message_thread_id"] = thread_id
        if chat.get("is_forum"):
            message["is_topic_message"] = True
            topic = self._topics.get(chat["id"], {}).get(thread_id)
            if topic is not None and "reply_to_message" not in message:
                message["reply_to_message"] = _clone(topic)

    def _push_user_message(
        self,
        key: str,
        chat: int | JSONDict,
        content: JSONDict,
        from_user: JSONDict | None,
        reply_to: int | None,
        thread_id: int | None,
        chat_type: str,
        extra: JSONDict | None,
    ) -> int:
        with self._cond:
            chat_obj = self._chat_arg(chat, chat_type)
            chat_id = chat_obj["id"]
            if thread_id is not None and chat_obj.get("is_forum") and thread_id not in self._topics.get(chat_id, {}):
                raise ValueError(f"unknown topic {thread_id} in chat {chat_id}; use create_forum_topic()")
            message: JSONDict = {"message_id": self._alloc_message_id(chat_id)}
            sender = from_user or self._default_sender(chat_obj)
            self._users.setdefault(sender["id"], sender)
            message["from"] = sender
            message.update(chat=chat_obj, date=int(time.time()))
            if reply_to is not None:
                replied = self._embedded(chat_id, reply_to)
                if replied is None:
                    raise ValueError(f"no message {reply_to} in chat {chat_id} to reply to")
                message["reply_to_message"] = replied
            self._apply_thread(chat_obj, message, thread_id)
            message.update(content)
            message.update(extra or {})
            self._store_message(chat_id, message)
            return self._enqueue({key: _clone(message)})

    def _enqueue(self, update: JSONDict) -> int:
        with self._cond:
            if "update_id" not in update:
                update = {"update_id": next(self._update_ids), **update}
            kind = next((k for k in update if k != "update_id"), "")
            payload = update.get(kind)
            chat_id = None
            if isinstance(payload, dict):
                holder = payload.get("message", payload)
                if isinstance(holder, dict) and isinstance(holder.get("chat"), dict):
                    chat_id = holder["chat"].get("id")
                elif isinstance(payload.get("from"), dict):
                    chat_id = payload["from"].get("id")
            record = UpdateRecord(update["update_id"], update, kind, chat_id, time.monotonic())
            self._updates.append(record)
            self._updates_by_id[record.update_id] = record
            self._queue.append(record)
            self._cond.notify_all()
            return record.update_id

    def _update(self, update_id: int) -> UpdateRecord:
        record = self._updates_by_id.get(update_id)
        if record is None:
            raise KeyError(f"unknown update_id {update_id}")
        return record

    def _record(self, call: Call) -> None:
        with self._cond:
            call.finished_at = time.monotonic()
            self._calls.append(call)
            self._cond.notify_all()

    # --------------------------------------------------------------------- HTTP

    def _serve(self, handler: _Handler) -> None:
        """Handle one HTTP request end to end."""
        started = time.monotonic()
        split = urlsplit(handler.path)
        match = _PATH_RE.fullmatch(split.path)
        try:
            params = self._read_params(handler, split.query)
        except ApiError as exc:
            name = match.group(2) if match else split.path
            self._finish(
                handler, Call(name, {}, exc.status, exc.description, started_at=started), exc.status, exc.payload()
            )
            return
        if match is None:
            self._not_found(handler, split.path, params, started)
            return
        token, raw_method = match.groups()
        if token != self.token:
            error = ApiError(401, "Unauthorized")
            call = Call(raw_method, params, 401, error.description, started_at=started)
            self._finish(handler, call, 401, error.payload())
            return
        if raw_method.lower() == "getupdates":
            method, api_method = "getUpdates", None
            with self._cond:
                if self.first_get_updates_at is None:
                    self.first_get_updates_at = started
        elif raw_method.lower() in self._methods:
            method, api_method = self._methods[raw_method.lower()]
        else:
            self._not_found(handler, raw_method, params, started)
            return
        call = Call(method, params, None, started_at=started)
        fault = self._take_fault(method, params)
        if fault is not None and fault.delay:
            self._stopping.wait(fault.delay)
        if fault is not None and fault.status is not None and not fault.after_processing:
            self._inject(handler, call, fault)
            return
        try:
            if api_method is None:
                result = self._get_updates(params, lambda: _socket_alive(handler.connection))
            else:
                with self._cond:
                    result = api_method(params)
            status, payload = 200, {"ok": True, "result": result}
            call.result = _clone(result)
        except ApiError as exc:
            status, payload = exc.status, exc.payload()
            call.description = exc.description
        except _ClientGone:
            call.description = "client disconnected before the response"
            handler.close_connection = True
            self._record(call)
            return
        except Exception as exc:  # a bug in the fake: answer 500 and remember it
            with self._cond:
                self.internal_errors.append(f"{method}: {exc!r}\n{traceback.format_exc()}")
            status, payload = 500, ApiError(500, f"Internal Server Error: fake bug: {exc!r}").payload()
            call.description = payload["description"]
        if fault is not None and fault.status is not None:
            self._inject(handler, call, fault)
            return
        call.status = status
        if fault is not None and fault.truncate:
            self._truncate(handler, call, status, payload)
            return
        self._finish(handler, call, status, payload)

    def _not_found(self, handler: _Handler, name: str, params: JSONDict, started: float) -> None:
        error = ApiError(404, "Not Found")
        self._finish(handler, Call(name, params, 404, error.description, started_at=started), 404, error.payload())

    def _finish(self, handler: _Handler, call: Call, status: int, payload: JSONDict) -> None:
        self._record(call)
        body = _json_bytes(payload)
        self._write(handler, status, body, "application/json")

    def _write(self, handler: _Handler, status: int, body: bytes, content_type: str) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            handler.close_connection = True

    def _read_params(self, handler: _Handler, query: str) -> JSONDict:
        """Merge query-string and body parameters, decoding per Telegram field types."""
        raw: JSONDict = {}
        try:
            raw.update(parse_qsl(query, keep_blank_values=True, errors="strict"))
            body = self._read_body(handler)
            content_type = handler.headers.get_content_type()
            if body and content_type == "application/json":
                decoded = json.loads(body.decode("utf-8"))
                if not isinstance(decoded, dict):
                    raise ApiError(400, "Bad Request: JSON object expected")
                raw.update(decoded)
            elif body and content_type == "multipart/form-data":
                raw.update(_parse_multipart(handler.headers.get("Content-Type", ""), body))
            elif body:
                form = body.decode("latin-1")
                raw.update(parse_qsl(form, keep_blank_values=True, errors="strict"))
        except UnicodeDecodeError as exc:
            raise ApiError(400, "Bad Request: strings must be encoded in UTF-8") from exc
        except ValueError as exc:
            raise ApiError(400, "Bad Request: can't parse JSON object") from exc
        return _normalize_params(raw)

    def _read_body(self, handler: _Handler) -> bytes:
        if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    handler.rfile.readline()
                    return b"".join(chunks)
                chunks.append(handler.rfile.read(size))
                handler.rfile.readline()
        length = int(handler.headers.get("Content-Length") or 0)
        return handler.rfile.read(length) if length else b""
