"""The Telegram shell: thin handlers around the matcher and the renderers.

Each handler parses the update, calls the core and sends what ``render`` returns.
``build_application`` is the one factory; ``run`` adds settings, logging and polling.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
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
from bot.matcher import Matcher

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
INLINE_CACHE_SECONDS = 300
NETWORK_RETRIES = (0.2, 0.5, 1.0)  # waits between attempts after a 5xx or a refused connection


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
                log.warning("%s failed (%s); retrying in %.1fs", endpoint, exc.message, wait)
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover


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


async def send(message: Message, reply: render.Reply) -> Message:
    """Reply to a message (same chat, same forum topic, quoting it); buttons go on the last part."""
    sent = message
    for n, part in enumerate(reply.parts):
        last = n == len(reply.parts) - 1
        sent = await message.reply_html(part, do_quote=n == 0, reply_markup=keyboard(reply) if last else None)
    return sent


def answer_reply(context: ContextTypes.DEFAULT_TYPE, question: str) -> render.Reply:
    match = _matcher(context).match(question)
    return render.match_reply(match, _kb(context))


class _FromHuman(filters.MessageFilter):
    """Messages sent by a person (not by a bot, not on behalf of a channel)."""

    def filter(self, message: Message) -> bool:
        user = message.from_user
        return user is not None and not user.is_bot and message.sender_chat is None


class _AddressedToBot(filters.MessageFilter):
    """Group messages that mention the bot or reply to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
            return True
        return bool(_mentions(message, bot.username or "", bot.id))


def _mentions(message: Message, username: str, bot_id: int) -> list[MessageEntity]:
    found = []
    for entity, text in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            found.append(entity)
        elif entity.type == MessageEntity.MENTION and text[1:].casefold() == username.casefold():
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
    await send(update.effective_message, answer_reply(context, question))


async def on_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A question in a private chat, or a group message addressed to the bot."""
    question = question_text(update.effective_message)
    if not question:
        await send(update.effective_message, render.start_reply(_kb(context), context.bot.username))
        return
    await send(update.effective_message, answer_reply(context, question))


async def on_non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, stickers, voice... in a private chat: a hint."""
    await update.effective_message.reply_text(render.NON_TEXT_HINT, do_quote=True)


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown /command in a private chat."""
    await update.effective_message.reply_html("I don't know that command. Send /help to see what I can do.")


def _simple(build: Callable[[knowledge.KnowledgeBase], render.Reply]) -> Callable[..., Coroutine[Any, Any, None]]:
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await send(update.effective_message, build(_kb(context)))

    handler.__doc__ = f"Reply with {build.__name__}."
    return handler


async def on_read(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/read [n]: the article one paragraph at a time."""
    number = int(context.args[0]) if context.args and context.args[0].isdigit() else 1
    await send(update.effective_message, render.read_reply(_kb(context), number))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every inline button; unknown or stale data gets a polite note."""
    query = update.callback_query
    kb = _kb(context)
    verb, args = render.parse_callback(query.data)
    reply = render.button_reply(kb, verb, args)
    if reply is None:
        await query.answer(render.STALE_BUTTON, show_alert=True)
        return
    await query.answer()
    if query.message is None or not isinstance(query.message, Message):
        return
    if verb == render.READ:  # paging edits the same message
        await query.edit_message_text(reply.parts[0], reply_markup=keyboard(reply))
    else:
        await send(query.message, reply)


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot question in any chat: the best matching entries as shareable articles."""
    query = update.inline_query
    kb = _kb(context)
    text = query.query.strip()
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


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure and, where there is a chat, say sorry; the bot keeps running."""
    log.error("update failed: %s", context.error.__class__.__name__, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message and not isinstance(context.error, Forbidden):
        try:
            await update.effective_message.reply_text(render.ERROR_REPLY)
        except TelegramError:
            log.warning("could not send the error reply")


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    await app.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    log.info("ready as @%s with %d entries", app.bot.username, len(app.bot_data["kb"].entries))


# ---------------------------------------------------------------------------
# Factory


def build_application(
    settings: Settings,
    kb: knowledge.KnowledgeBase,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:  # type: ignore[type-arg]
    builder = (
        Application.builder()
        .token(settings.token or "")
        .base_url(f"{settings.api_url}/bot")
        .base_file_url(f"{settings.api_url}/file/bot")
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        # Telegram's 30 messages/s is for broadcasts; replies only keep the per-group limit,
        # and any 429 that still comes back is retried after its retry_after.
        .rate_limiter(RetryingRateLimiter(overall_max_rate=0, group_max_rate=20, group_time_period=60, max_retries=3))
        .concurrent_updates(16)
        .post_init(_post_init)
    )
    if request is not None:
        builder = builder.request(request)
    else:
        builder = builder.connection_pool_size(32)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    app = builder.build()
    app.bot_data["kb"] = kb
    app.bot_data["matcher"] = Matcher(kb)

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
    app = build_application(settings, kb)
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
        print("error: Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): check the token from @BotFather", file=sys.stderr)
        return 1
    except NetworkError as exc:
        print(f"error: cannot reach the Telegram Bot API at {settings.api_url}: {exc.message}", file=sys.stderr)
        return 1
    return 0
