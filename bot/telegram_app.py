"""The Telegram shell: thin handlers around the matcher and the renderers.

Each handler parses the update, calls the core and sends what ``render`` returns.
``build_application`` is the one factory; ``run`` adds settings, logging and polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    Chat,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import knowledge, render
from bot.config import Settings
from bot.matcher import Matcher, lint
from bot.questionlog import Channel, QuestionLog

log = logging.getLogger("bot")

COMMANDS = (
    ("ask", "Ask a question about the article"),
    ("topics", "Browse questions by topic"),
    ("speakers", "Who is quoted, and what they said"),
    ("read", "Read the article paragraph by paragraph"),
    ("source", "Title, date and source of the article"),
    ("help", "How to ask, in private and in groups"),
    ("start", "What this bot is"),
)
ADMIN_COMMANDS = (("quiet", "on|off: in this group, answer only /ask and replies to me"),)
INLINE_CACHE_SECONDS = 300
RELOAD_POLL_SECONDS = 1.0  # how often faq.json's modification time is looked at
NETWORK_RETRIES = (0.2, 0.5, 1.0)  # waits between attempts after a 5xx or a refused connection
REPEAT_WINDOW_SECONDS = 300  # in a group, the same answer again within this time is a link to the first one


class RetryingRateLimiter(AIORateLimiter):
    """PTB's flood control (and its 429 retry_after handling), plus retries of requests the
    server never carried out: 5xx answers and failed connections. A time-out is not retried,
    since the message may already have been delivered and must not be sent twice."""

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):  # type: ignore[no-untyped-def]
        for wait in (*NETWORK_RETRIES, None):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except (BadRequest, TimedOut):
                raise
            except NetworkError as exc:
                if wait is None:
                    raise
                log.warning("%s failed (%s); retrying in %.1fs", endpoint, _first_sentence(exc.message), wait)
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover


def _first_sentence(text: str) -> str:
    """PTB appends the whole error page of a 5xx to the message; the status is enough for a log line."""
    return text.split(". Parsing the server response", 1)[0][:200]


class _DropRedundantTracebacks(logging.Filter):
    """PTB logs some failures as an ERROR with a traceback and then raises them anyway:
    a 5xx's HTML error page (the retry reports it in one line) and giving up at start-up
    (``run`` prints one line saying why). Those records are dropped."""

    PREFIXES = ("Can not load invalid JSON data",)
    SUFFIXES = ("Aborting.", "Aborting retry loop.")

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return not (message.startswith(self.PREFIXES) or message.endswith(self.SUFFIXES))


# ---------------------------------------------------------------------------
# Helpers the handlers share


def _kb(context: ContextTypes.DEFAULT_TYPE) -> knowledge.KnowledgeBase:
    return context.bot_data["kb"]  # type: ignore[no-any-return]


def _matcher(context: ContextTypes.DEFAULT_TYPE) -> Matcher:
    return context.bot_data["matcher"]  # type: ignore[no-any-return]


def keyboard(reply: render.Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons]
    )


async def send(message: Message, reply: render.Reply) -> list[Message]:
    """Reply to a message (same chat, same forum topic, quoting it); buttons go on the last part."""
    sent = []
    for n, part in enumerate(reply.parts):
        last = n == len(reply.parts) - 1
        sent.append(await message.reply_html(part, do_quote=n == 0, reply_markup=keyboard(reply) if last else None))
    return sent


def _qlog(context: ContextTypes.DEFAULT_TYPE) -> QuestionLog:
    return context.bot_data["qlog"]  # type: ignore[no-any-return]


def _channel(message: Message) -> Channel:
    return "private" if message.chat.type == "private" else "group"


async def answer(context: ContextTypes.DEFAULT_TYPE, message: Message, question: str) -> None:
    """Match, log (committed before anyone sees the answer), reply.

    In a group, an entry answered there a few minutes ago gets a short pointer to that
    answer instead of a second copy of it."""
    match = _matcher(context).match(question)
    await _qlog(context).arecord(match, _channel(message))
    private = message.chat.type == Chat.PRIVATE
    entry = match.entry if match.status == "answered" else None
    reply = render.match_reply(match, _kb(context), feedback=private)
    if private or entry is None:
        await send(message, reply)
        return
    key = (_thread(message), entry.id)
    recent = _recent_answers(context)
    earlier = recent.get(key)
    if earlier is not None and time.monotonic() - earlier.at < REPEAT_WINDOW_SECONDS:
        # The earlier answer may still be on its way: wait for its message id.
        answer_id = await asyncio.shield(earlier.message_id)
        if answer_id is not None:
            await _point_to_earlier(message, entry, answer_id, earlier.at)
            return
    record = _Answered(asyncio.get_running_loop().create_future(), time.monotonic())
    _forget_old(recent, record.at)
    recent[key] = record  # before sending, so a repeat arriving meanwhile finds it
    answer_id = None
    try:
        answer_id = (await send(message, reply))[0].message_id
    finally:
        record.message_id.set_result(answer_id)
        if answer_id is None and recent.get(key) is record:
            del recent[key]


@dataclass(slots=True)
class _Answered:
    """An answer given in a group: its message id (None if sending failed) and when."""

    message_id: asyncio.Future[int | None]
    at: float


def _thread(message: Message) -> int | None:
    return message.message_thread_id if message.is_topic_message else None


def _recent_answers(context: ContextTypes.DEFAULT_TYPE) -> dict[tuple[int | None, str], _Answered]:
    """(forum topic, entry id) -> the answer given there: per chat, in chat_data."""
    return context.chat_data.setdefault("answered", {})  # type: ignore[union-attr, no-any-return]


def _forget_old(recent: dict[tuple[int | None, str], _Answered], now: float) -> None:
    for key in [k for k, record in recent.items() if now - record.at >= REPEAT_WINDOW_SECONDS]:
        del recent[key]


def message_link(chat: Chat, message_id: int, thread_id: int | None = None) -> str | None:
    """A t.me link to a message, for supergroups (basic groups have no message links)."""
    if chat.type != Chat.SUPERGROUP or not str(chat.id).startswith("-100"):
        return None
    internal = str(chat.id).removeprefix("-100")
    return (
        f"https://t.me/c/{internal}/{thread_id}/{message_id}"
        if thread_id
        else f"https://t.me/c/{internal}/{message_id}"
    )


async def _point_to_earlier(message: Message, entry: knowledge.Entry, answer_id: int, answered_at: float) -> None:
    minutes = int((time.monotonic() - answered_at) // 60)
    link = message_link(message.chat, answer_id, _thread(message))
    text = render.repeat_html(entry, link, minutes)
    if link is not None:
        await message.reply_html(text, do_quote=True)
    else:  # no link to give: reply to the earlier answer itself
        await message.reply_html(text, reply_parameters=ReplyParameters(answer_id, allow_sending_without_reply=True))


class _FromHuman(filters.MessageFilter):
    """Messages sent by a person (not by a bot, not on behalf of a channel)."""

    def filter(self, message: Message) -> bool:
        user = message.from_user
        return user is not None and not user.is_bot and message.sender_chat is None


class _AddressedToBot(filters.MessageFilter):
    """Group messages that mention the bot or reply to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        return _replies_to_bot(message) or bool(_mentions(message, bot.username or "", bot.id))


def _replies_to_bot(message: Message) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == message.get_bot().id


def _mentions(message: Message, username: str, bot_id: int) -> list[MessageEntity]:
    found = []
    for entity, text in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if (entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id) or (
            entity.type == MessageEntity.MENTION and text[1:].casefold() == username.casefold()
        ):
            found.append(entity)
    return found


def question_text(message: Message) -> str:
    """The message text without the bot's @mention."""
    bot = message.get_bot()
    text = message.text or ""
    username = re.escape(bot.username or "")
    return re.sub(rf"@{username}\b", " ", text, flags=re.IGNORECASE).strip() if username else text


HUMAN = _FromHuman()
ADDRESSED = _AddressedToBot()
NEW_MESSAGE = filters.UpdateType.MESSAGE & HUMAN


# ---------------------------------------------------------------------------
# Handlers


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, with an optional deep-link payload naming an entry."""
    message = update.effective_message
    kb = _kb(context)
    payload = context.args[0] if context.args else ""
    entry = kb.get(payload.replace("_", "-")) or kb.get(payload)
    reply = render.entry_reply(kb, entry) if entry else render.start_reply(kb, context.bot.username)
    await send(message, reply)


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: how to ask, in private and in groups."""
    await update.effective_message.reply_html(render.help_reply(_kb(context), context.bot.username), do_quote=True)


async def on_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask <question> works in every chat."""
    question = " ".join(context.args or [])
    if not question.strip():
        await update.effective_message.reply_html(render.ASK_USAGE, do_quote=True)
        return
    await answer(context, update.effective_message, question)


async def on_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A question in a private chat, or a group message addressed to the bot."""
    message = update.effective_message
    if _quiet(context) and not _replies_to_bot(message):
        return  # quiet mode: only /ask and replies to the bot's messages
    question = question_text(message)
    if not question:
        await send(message, render.start_reply(_kb(context), context.bot.username))
        return
    await answer(context, message, question)


def _quiet(context: ContextTypes.DEFAULT_TYPE) -> bool:
    return bool(context.chat_data and context.chat_data.get("quiet"))


async def on_quiet(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/quiet on|off (group admins): in quiet mode mentions are ignored, /ask and replies still work."""
    message = update.effective_message
    if message.chat.type == Chat.PRIVATE:
        await message.reply_html(render.QUIET_PRIVATE)
        return
    wanted = (context.args or [""])[0].casefold()
    if wanted not in ("on", "off"):
        await message.reply_html(render.quiet_status_html(_quiet(context)))
        return
    if not await _is_group_admin(context, message):
        await message.reply_html(render.QUIET_REFUSED)
        return
    context.chat_data["quiet"] = wanted == "on"  # type: ignore[index]
    await message.reply_html(render.quiet_status_html(wanted == "on", changed=True))


async def _is_group_admin(context: ContextTypes.DEFAULT_TYPE, message: Message) -> bool:
    if message.from_user is None:
        return False
    member = await context.bot.get_chat_member(message.chat.id, message.from_user.id)
    return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def on_non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, stickers, voice... in a private chat: a hint."""
    await update.effective_message.reply_html(render.NON_TEXT_HINT)


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown /command in a private chat."""
    await update.effective_message.reply_html(render.UNKNOWN_COMMAND)


def _simple(build: Callable[[knowledge.KnowledgeBase], render.Reply]) -> Callable[..., Coroutine[Any, Any, None]]:
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await send(update.effective_message, build(_kb(context)))

    handler.__doc__ = f"Reply with {build.__name__}."
    return handler


async def on_read(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/read [n]: the article one paragraph at a time."""
    number = render.parse_number(context.args[0]) if context.args else None
    await send(update.effective_message, render.read_reply(_kb(context), number or 1))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every inline button; unknown or stale data gets a polite note."""
    query = update.callback_query
    kb = _kb(context)
    verb, args = render.parse_callback(query.data)
    if verb == render.FEEDBACK and (vote := render.parse_feedback(kb, args)) is not None:
        await _qlog(context).afeedback(*vote)
        await query.answer(render.FEEDBACK_THANKS)
        return
    reply = render.button_reply(kb, verb, args)
    if reply is None:
        await query.answer(render.STALE_BUTTON, show_alert=True)
        return
    await query.answer()
    if query.message is None or not isinstance(query.message, Message):
        return
    if verb != render.READ:
        await send(query.message, reply)
        return
    try:  # paging edits the same message
        await query.edit_message_text(reply.parts[0], reply_markup=keyboard(reply))
    except BadRequest as exc:
        if "not modified" not in exc.message:  # a double tap asks for the page already shown
            raise


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot question in any chat: the best matching entries as shareable articles."""
    query = update.inline_query
    kb = _kb(context)
    text = query.query.strip()
    if text:
        await _qlog(context).arecord(_matcher(context).match(text), "inline")
    entries = _matcher(context).rank(text) if text else [e for s in kb.starters if (e := kb.get(s))]
    results = [
        InlineQueryResultArticle(
            id=entry.id,
            title=entry.question,
            description=render.shorten(entry.answer, 120),
            input_message_content=InputTextMessageContent(
                render.entry_reply(kb, entry).parts[0], parse_mode=ParseMode.HTML
            ),
        )
        for entry in entries
    ]
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=False)


def _is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.bot_data["settings"].admin_user_ids


async def on_reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload (admins): validate faq.json again and swap it in."""
    if not _is_admin(update, context):
        await update.effective_message.reply_html(render.ADMINS_ONLY)
        return
    await update.effective_message.reply_html(render.note_html(await reload_knowledge(context.application)))


async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats (admins): today's questions, answered share, top unanswered."""
    if not _is_admin(update, context):
        await update.effective_message.reply_html(render.ADMINS_ONLY)
        return
    stats = await _qlog(context).astats_today()
    await update.effective_message.reply_html(render.stats_html(stats))


async def reload_knowledge(app: Application) -> str:  # type: ignore[type-arg]
    """Validate the knowledge base exactly like `check`; swap it in only when it is clean."""
    path = app.bot_data["settings"].faq_path
    kb, problems = await asyncio.to_thread(_validated, path)
    if kb is None:
        log.error("reload refused, keeping the previous knowledge base: %s", knowledge.KnowledgeError(problems))
        return f"Reload refused: {knowledge.KnowledgeError(problems)}"
    matcher = await asyncio.to_thread(Matcher, kb)
    # Both keys change between two awaits, so no handler ever sees a mixed pair.
    app.bot_data["kb"], app.bot_data["matcher"] = kb, matcher
    log.info("reloaded %s: %d entries", path, len(kb.entries))
    return f"Reloaded {path.name}: {len(kb.entries)} entries."


def _validated(path: object) -> tuple[knowledge.KnowledgeBase | None, list[knowledge.Problem]]:
    kb, problems = knowledge.read(path)  # type: ignore[arg-type]
    if kb is not None:
        problems = lint(kb)
    return (kb if not problems else None), problems


def _stamp(path: object) -> tuple[float, int] | None:
    try:
        stat = Path(str(path)).stat()
    except OSError:
        return None
    return stat.st_mtime, stat.st_size


async def watch_knowledge(app: Application) -> None:  # type: ignore[type-arg]
    """Reload when faq.json changes on disk (a half-written file is refused and retried on the next change)."""
    path = app.bot_data["settings"].faq_path
    seen = _stamp(path)
    while True:
        await asyncio.sleep(RELOAD_POLL_SECONDS)
        stamp = _stamp(path)
        if stamp is not None and stamp != seen:
            seen = stamp
            await reload_knowledge(app)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure and, where there is a chat, say sorry; the bot keeps running."""
    if update is None and isinstance(context.error, NetworkError):  # getUpdates failed: PTB polls again
        log.warning("getting updates failed (%s); retrying", _first_sentence(context.error.message))
        return
    if isinstance(context.error, Forbidden):  # the user blocked the bot, or it left the group: nothing to fix
        log.info("not allowed to answer there: %s", context.error.message)
        return
    log.error("update failed: %s", context.error.__class__.__name__, exc_info=context.error)
    if isinstance(update, Update) and update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # unless the button was answered already: stop its spinner
            await update.callback_query.answer(render.ERROR_REPLY)
        return
    if isinstance(update, Update) and update.effective_message:
        try:
            await update.effective_message.reply_html(render.ERROR_REPLY)
        except TelegramError:
            log.warning("could not send the error reply")


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    await app.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    admin_commands = [BotCommand(name, text) for name, text in COMMANDS + ADMIN_COMMANDS]
    await app.bot.set_my_commands(admin_commands, scope=BotCommandScopeAllChatAdministrators())
    app.bot_data["watcher"] = asyncio.create_task(watch_knowledge(app))
    with contextlib.suppress(NotImplementedError, RuntimeError):  # no SIGHUP on some platforms
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(reload_knowledge(app)))
    log.info("ready as @%s with %d entries", app.bot.username, len(app.bot_data["kb"].entries))


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    watcher = app.bot_data.get("watcher")
    if watcher is not None:
        watcher.cancel()
    await asyncio.to_thread(app.bot_data["qlog"].close)


# ---------------------------------------------------------------------------
# Factory


def build_application(
    settings: Settings,
    kb: knowledge.KnowledgeBase,
    *,
    question_log: QuestionLog | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:  # type: ignore[type-arg]
    builder = (
        Application.builder()
        .token(settings.token or "")
        .base_url(f"{settings.api_url}/bot")
        .base_file_url(f"{settings.api_url}/file/bot")
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                do_quote=True,  # every reply quotes what it answers, in private chats too
                allow_sending_without_reply=True,  # the question may be deleted before the answer goes out
            )
        )
        # Telegram's 30 messages/s is for broadcasts; replies only keep the per-group limit,
        # and any 429 that still comes back is retried after its retry_after.
        .rate_limiter(RetryingRateLimiter(overall_max_rate=0, group_max_rate=20, group_time_period=60, max_retries=3))
        .concurrent_updates(8)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    builder = builder.request(request) if request is not None else builder.connection_pool_size(8)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    app = builder.build()
    app.bot_data.update(kb=kb, matcher=Matcher(kb), settings=settings, qlog=question_log or QuestionLog.disabled())

    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    command = dict(filters=NEW_MESSAGE)
    app.add_handlers(
        [
            CommandHandler("start", on_start, **command),
            CommandHandler("help", on_help, **command),
            CommandHandler("ask", on_ask, **command),
            CommandHandler("topics", _simple(render.topics_reply), **command),
            CommandHandler("speakers", _simple(render.speakers_reply), **command),
            CommandHandler("source", _simple(render.source_reply), **command),
            CommandHandler("read", on_read, **command),
            CommandHandler("reload", on_reload, **command),
            CommandHandler("stats", on_stats, **command),
            CommandHandler("quiet", on_quiet, **command),
            MessageHandler(NEW_MESSAGE & private & filters.TEXT & ~filters.COMMAND, on_question),
            MessageHandler(NEW_MESSAGE & groups & filters.TEXT & ~filters.COMMAND & ADDRESSED, on_question),
            MessageHandler(NEW_MESSAGE & private & filters.COMMAND, on_unknown_command),
            MessageHandler(NEW_MESSAGE & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_non_text),
            CallbackQueryHandler(on_button),
            InlineQueryHandler(on_inline),
        ]
    )
    app.add_error_handler(on_error)
    return app


# ---------------------------------------------------------------------------
# Running


class _RedactToken(logging.Filter):
    """Belt and braces: whatever a library logs, the token is masked."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), None
        if record.exc_info and record.exc_info[1] is not None and self.token in str(record.exc_info[1]):
            record.exc_info, record.exc_text = None, None
            record.msg = f"{record.msg} (exception hidden: it contained the token)"
        return True


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if settings.token:
        handler.addFilter(_RedactToken(settings.token))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and the URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    for name in ("telegram.request.BaseRequest", "telegram.ext"):
        logging.getLogger(name).addFilter(_DropRedundantTracebacks())


MISSING_TOKEN = (
    "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram and put "
    "TELEGRAM_BOT_TOKEN=<token> in .env (see .env.example). "
    "To try the bot without Telegram: python -m bot chat"
)


def run(settings: Settings) -> int:
    if not settings.token:
        print(f"error: {MISSING_TOKEN}", file=sys.stderr)
        return 2
    configure_logging(settings)
    kb = knowledge.load(settings.faq_path)
    app = build_application(
        settings,
        kb,
        question_log=QuestionLog(settings.question_log, settings.log_retention_days) if settings.question_log else None,
    )
    try:
        if settings.webhook_url:
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=settings.webhook_url.rsplit("/", 1)[-1] if "/" in settings.webhook_url else "",
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    except InvalidToken:
        print(
            "error: Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): check the token from @BotFather",
            file=sys.stderr,
        )
        return 1
    except NetworkError as exc:
        print(f"error: cannot reach the Telegram Bot API at {settings.api_url}: {exc.message}", file=sys.stderr)
        return 1
    return 0
