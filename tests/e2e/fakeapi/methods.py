"""The Bot API methods the bot uses: getMe, getUpdates, setWebhook/deleteWebhook, setMyCommands,
sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery, answerInlineQuery,
getChatMember. Anything else is 404 Not Found, as an unknown method is."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .html import EntityParseError, _check_entities, _strip_text, parse_html, utf16_len
from .rules import (
    _COMMAND_NAME_RE,
    _LANGUAGE_RE,
    ALL_UPDATE_TYPES,
    COMMAND_SCOPES,
    DEFAULT_UPDATE_TYPES,
    GET_UPDATES_CONFLICT,
    INLINE_RESULT_TYPES,
    MAX_CALLBACK_ANSWER_LENGTH,
    MAX_COMMANDS,
    MAX_INLINE_RESULT_ID_BYTES,
    MAX_INLINE_RESULTS,
    MAX_MESSAGE_LENGTH,
    NOT_MODIFIED,
    QUERY_INVALID,
    WEBHOOK_CONFLICT,
    ApiError,
    JSONDict,
    _check_reply_markup,
    _int_or_str,
    _int_param,
    _scope_key,
    _truthy,
)
from .state import UpdateRecord, _ClientGone, _clone, _QueryState


class BotApiMethods:
    """The Bot API methods the bot calls, validated as Telegram does, and their parameter helpers.
    A mixin of FakeTelegramServer: it reads and changes the server's chats, messages and updates."""

    def _target_chat(self, params: JSONDict) -> JSONDict:
        """The chat named by ``chat_id``; Telegram's errors when missing/unknown."""
        value = params.get("chat_id")
        if value is None or value == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat: JSONDict | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            chat = self._chats.get(value)
        elif isinstance(value, str) and value.startswith("@"):
            chat = next(
                (c for c in self._chats.values() if c.get("username", "").lower() == value[1:].lower()),
                None,
            )
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat["id"] in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _parse_text(self, text: Any, parse_mode: Any, entities: Any) -> tuple[str, list[JSONDict]]:
        """Validate message text like Telegram; returns (plain text, entities)."""
        if text is None or text == "":
            raise ApiError(400, "Bad Request: message text is empty")
        text = str(text)
        mode = str(parse_mode or "").lower()
        try:
            if entities is not None:
                plain, found = text, _check_entities(entities, text)
            elif mode == "html":
                plain, found = parse_html(text)
            elif mode == "":
                plain, found = text, []
            else:  # Telegram has MarkdownV2 and Markdown too; the bot sends HTML only, so they are refused here
                raise ApiError(400, "Bad Request: unsupported parse_mode")
        except EntityParseError as exc:
            raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from exc
        plain, found = _strip_text(plain, found)
        if not plain:
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(plain) > MAX_MESSAGE_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        return plain, found

    def _thread_param(self, chat: JSONDict, params: JSONDict) -> int | None:
        thread_id = _int_param(params, "message_thread_id")
        if thread_id is not None and chat.get("is_forum") and thread_id not in self._topics.get(chat["id"], {}):
            raise ApiError(400, "Bad Request: message thread not found")
        return thread_id

    def _reply_target(self, chat: JSONDict, params: JSONDict) -> tuple[JSONDict | None, JSONDict | None]:
        """Resolve reply_parameters (or legacy reply_to_message_id): (params, message)."""
        reply = params.get("reply_parameters")
        if reply is None and params.get("reply_to_message_id") is not None:
            reply = {"message_id": params["reply_to_message_id"]}
            if params.get("allow_sending_without_reply") is not None:
                reply["allow_sending_without_reply"] = params["allow_sending_without_reply"]
        if reply is None:
            return None, None
        if not isinstance(reply, dict):
            raise ApiError(400, "Bad Request: can't parse reply parameters JSON object")
        message_id = _int_param(reply, "message_id")
        if message_id is None:
            raise ApiError(400, "Bad Request: can't parse reply parameters JSON object")
        chat_id = chat["id"]
        if reply.get("chat_id") is not None:
            chat_id = self._target_chat({"chat_id": _int_or_str(reply["chat_id"])})["id"]
        replied = self._embedded(chat_id, message_id)
        if replied is None:
            if _truthy(reply.get("allow_sending_without_reply")):
                return reply, None
            raise ApiError(400, "Bad Request: message to be replied not found")
        quote = reply.get("quote")
        if quote is not None and str(quote) not in (replied.get("text") or replied.get("caption") or ""):
            raise ApiError(400, "Bad Request: quote not found")
        return reply, replied

    # ------------------------------------------------------------ API methods

    def _get_me(self, params: JSONDict) -> JSONDict:
        return dict(self._me)

    def _get_updates(self, params: JSONDict, alive: Callable[[], bool]) -> list[JSONDict]:
        """Long polling with Telegram's offset/limit/timeout/allowed_updates semantics."""
        offset = _int_param(params, "offset") or 0
        limit = _int_param(params, "limit") or 100
        limit = min(max(limit, 1), 100)
        timeout = max(_int_param(params, "timeout") or 0, 0)
        with self._cond:
            if self.webhook_url:
                raise ApiError(409, WEBHOOK_CONFLICT)
            allowed = params.get("allowed_updates")
            if allowed is not None:
                if not isinstance(allowed, list):
                    raise ApiError(400, "Bad Request: can't parse allowed updates JSON array")
                chosen = frozenset(str(a) for a in allowed) & ALL_UPDATE_TYPES
                self._allowed_updates = chosen or DEFAULT_UPDATE_TYPES
            self._confirm(offset)
            self._poll_generation += 1
            generation = self._poll_generation
            deadline = time.monotonic() + timeout
            self._pollers_waiting += 1
            self._cond.notify_all()
            try:
                while True:
                    if generation != self._poll_generation:
                        if not alive():
                            raise _ClientGone
                        raise ApiError(409, GET_UPDATES_CONFLICT)
                    ready = self._deliverable(limit)
                    if ready or self._stopping.is_set():
                        break
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
            finally:
                self._pollers_waiting -= 1
            if not alive():
                raise _ClientGone
            now = time.monotonic()
            for record in ready:
                if record.delivered_at is None:
                    record.delivered_at = now
            self._cond.notify_all()
            return [_clone(r.update) for r in ready]

    def _confirm(self, offset: int) -> None:
        """Forget updates below ``offset`` (or all but the last -offset ones)."""
        now = time.monotonic()
        if offset < 0:
            keep = self._queue[offset:]
            confirmed = self._queue[: len(self._queue) - len(keep)]
        else:
            confirmed = [r for r in self._queue if r.update_id < offset]
        for record in confirmed:
            record.confirmed_at = now
        self._queue = [r for r in self._queue if r.confirmed_at is None]
        if offset > self.confirmed_offset:
            self.confirmed_offset = offset
        elif confirmed:
            self.confirmed_offset = max(self.confirmed_offset, confirmed[-1].update_id + 1)

    def _deliverable(self, limit: int) -> list[UpdateRecord]:
        """Queued updates of allowed types (others are dropped, as Telegram does)."""
        for record in self._queue:
            if record.kind not in self._allowed_updates:
                record.dropped = True
        self._queue = [r for r in self._queue if not r.dropped]
        return self._queue[:limit]

    def _delete_webhook(self, params: JSONDict) -> bool:
        self.webhook_url = ""
        if _truthy(params.get("drop_pending_updates")):
            self._drop_pending()
        return True

    def _drop_pending(self) -> None:
        for record in self._queue:
            record.dropped = True
        self._queue = []
        self._cond.notify_all()

    def _set_webhook(self, params: JSONDict) -> bool:
        url = str(params.get("url") or "")
        if url and not url.lower().startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook_url = url
        if _truthy(params.get("drop_pending_updates")):
            self._drop_pending()
        self._cond.notify_all()
        return True

    def _commands_key(self, params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope")
        if scope is not None:
            if not isinstance(scope, dict) or scope.get("type") not in COMMAND_SCOPES:
                raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
            if scope["type"] in ("chat", "chat_administrators", "chat_member"):
                self._target_chat({"chat_id": _int_or_str(scope.get("chat_id"))})
        language = str(params.get("language_code") or "")
        if language and not _LANGUAGE_RE.fullmatch(language):
            raise ApiError(400, "Bad Request: invalid language code specified")
        return _scope_key(scope), language

    def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON array")
        if len(commands) > MAX_COMMANDS:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        cleaned = []
        for command in commands:
            if not isinstance(command, dict):
                raise ApiError(400, "Bad Request: can't parse BotCommand JSON object")
            name, description = command.get("command"), command.get("description")
            if not isinstance(name, str) or not _COMMAND_NAME_RE.fullmatch(name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self._commands_key(params)
        if cleaned:
            self._commands[key] = cleaned
        else:
            self._commands.pop(key, None)
        return True

    def _send_message(self, params: JSONDict) -> JSONDict:
        chat = self._target_chat(params)
        plain, entities = self._parse_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        markup = _check_reply_markup(params.get("reply_markup"))
        thread_id = self._thread_param(chat, params)
        reply_params, replied = self._reply_target(chat, params)
        message: JSONDict = {
            "message_id": self._alloc_message_id(chat["id"]),
            "from": dict(self.bot_user),
            "chat": dict(chat),
            "date": int(time.time()),
        }
        if replied is not None:
            message["reply_to_message"] = replied
        self._apply_thread(chat, message, thread_id)
        message["text"] = plain
        if entities:
            message["entities"] = entities
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._store_message(chat["id"], message)
        self._sent.append(
            {
                "chat_id": chat["id"],
                "message_id": message["message_id"],
                "text": str(params["text"]),
                "plain_text": plain,
                "entities": entities,
                "parse_mode": params.get("parse_mode"),
                "reply_markup": markup,
                "reply_parameters": reply_params,
                "message_thread_id": thread_id,
                "link_preview_options": params.get("link_preview_options"),
                "disable_notification": _truthy(params.get("disable_notification")),
                "params": _clone(params),
                "message": _clone(message),
                "received_at": time.monotonic(),
            }
        )
        return _clone(message)

    def _message_to_edit(self, params: JSONDict) -> tuple[JSONDict, JSONDict]:
        chat = self._target_chat(params)
        message_id = _int_param(params, "message_id")
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        message = self._messages.get(chat["id"], {}).get(message_id)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return chat, message

    def _inline_edit(self, params: JSONDict) -> bool:
        if str(params["inline_message_id"]) not in self._inline_messages:
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        return True

    def _edit_message_text(self, params: JSONDict) -> JSONDict | bool:
        plain, entities = self._parse_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        markup = _check_reply_markup(params.get("reply_markup"), inline_only=True)
        if params.get("inline_message_id") is not None:
            return self._inline_edit(params)
        chat, message = self._message_to_edit(params)
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        unchanged = (
            message["text"] == plain
            and message.get("entities", []) == entities
            and message.get("reply_markup") == markup
        )
        if unchanged:
            raise ApiError(400, NOT_MODIFIED)
        message["text"] = plain
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        self._set_markup(message, markup)
        self._record_edit("editMessageText", chat, message, params, plain, entities, markup)
        return _clone(message)

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict | bool:
        markup = _check_reply_markup(params.get("reply_markup"), inline_only=True)
        if params.get("inline_message_id") is not None:
            return self._inline_edit(params)
        chat, message = self._message_to_edit(params)
        if message.get("reply_markup") == markup:
            raise ApiError(400, NOT_MODIFIED)
        self._set_markup(message, markup)
        self._record_edit(
            "editMessageReplyMarkup",
            chat,
            message,
            params,
            message.get("text"),
            message.get("entities", []),
            markup,
        )
        return _clone(message)

    @staticmethod
    def _set_markup(message: JSONDict, markup: JSONDict | None) -> None:
        """Editing without reply_markup removes the keyboard, as on Telegram."""
        message["edit_date"] = int(time.time())
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup

    def _record_edit(
        self,
        method: str,
        chat: JSONDict,
        message: JSONDict,
        params: JSONDict,
        plain: str | None,
        entities: list[JSONDict],
        markup: JSONDict | None,
    ) -> None:
        self._edits.append(
            {
                "method": method,
                "chat_id": chat["id"],
                "message_id": message["message_id"],
                "text": params.get("text"),
                "plain_text": plain,
                "entities": entities,
                "parse_mode": params.get("parse_mode"),
                "reply_markup": markup,
                "params": _clone(params),
                "message": _clone(message),
                "received_at": time.monotonic(),
            }
        )

    def _get_chat_member(self, params: JSONDict) -> JSONDict:
        chat = self._target_chat(params)
        user_id = _int_param(params, "user_id")
        if user_id is None:
            raise ApiError(400, "Bad Request: user_id is empty")
        user = self.bot_user if user_id == self.bot_user["id"] else self._users.get(user_id)
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        status = self._member_status.get((chat["id"], user_id), "member")
        member: JSONDict = {"status": status, "user": dict(user)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                    "can_pin_messages": True,
                }
            )
        elif status == "kicked":
            member["until_date"] = 0
        return member

    def _query(self, params: JSONDict, key: str, kind: str) -> _QueryState:
        state = self._queries.get(str(params.get(key) or ""))
        if state is None or state.kind != kind or state.answered:
            raise ApiError(400, QUERY_INVALID)
        return state

    def _answer_callback_query(self, params: JSONDict) -> bool:
        state = self._query(params, "callback_query_id", "callback")
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        state.answered = True
        state.answer = _clone(params)
        return True

    def _answer_inline_query(self, params: JSONDict) -> bool:
        state = self._query(params, "inline_query_id", "inline")
        results = params.get("results")
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse inline query results JSON array")
        if len(results) > MAX_INLINE_RESULTS:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            self._check_inline_result(result, seen)
        next_offset = params.get("next_offset")
        if next_offset is not None and len(str(next_offset).encode()) > 64:
            raise ApiError(400, "Bad Request: NEXT_OFFSET_INVALID")
        state.answered = True
        state.answer = _clone(params)
        return True

    def _check_inline_result(self, result: Any, seen: set[str]) -> None:
        if not isinstance(result, dict) or result.get("type") not in INLINE_RESULT_TYPES:
            raise ApiError(400, "Bad Request: can't parse InlineQueryResult JSON object")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not result_id:
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        if len(result_id.encode("utf-8")) > MAX_INLINE_RESULT_ID_BYTES:
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        if result_id in seen:
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        seen.add(result_id)
        if result["type"] == "article":
            if not isinstance(result.get("title"), str) or not result["title"]:
                raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
            if not isinstance(result.get("input_message_content"), dict):
                raise ApiError(400, "Bad Request: can't parse InputMessageContent JSON object")
        content = result.get("input_message_content")
        if isinstance(content, dict) and "message_text" in content:
            self._parse_text(content.get("message_text"), content.get("parse_mode"), content.get("entities"))
        if result.get("reply_markup") is not None:
            _check_reply_markup(result["reply_markup"], inline_only=True)
