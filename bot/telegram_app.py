"""The Telegram shell: thin handlers around the matcher and the renderers.

Each handler parses the update, calls the core and sends what ``render`` returns.
``build_application`` is the one factory; ``run`` adds settings, logging and polling.
Group addressing and repeat links live in ``telegram_groups``; retries, logging and live
reload in ``telegram_ops``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import signal
import sys
import time
from collections.abc import Callable, Coroutine
from functools import lru_cache
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    CallbackQuery,
    Chat,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
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
from bot.questionlog import Channel, QuestionLog
from bot.telegram_groups import (
    ADDRESSED,
    NEW_MESSAGE,
    REPEAT_WINDOW_SECONDS,
    GroupAnswer,
    forget_old,
    point_to_earlier,
    question_text,
    recent_answers,
    replies_to_bot,
    topic_of,
)
from bot.telegram_http import make_request
from bot.telegram_ops import (
    RetryingRateLimiter,
    configure_logging,
    first_sentence,
    reload_knowledge,
    watch_knowledge,
)

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


# ---------------------------------------------------------------------------
# Helpers the handlers share


def message_of(update: Update) -> Message:
    """The message a handler was registered for (its filters guarantee there is one)."""
    if update.effective_message is None:
        raise ValueError(f"update {update.update_id} carries no message")
    return update.effective_message


def callback_of(update: Update) -> CallbackQuery:
    if update.callback_query is None:
        raise ValueError(f"update {update.update_id} carries no callback query")
    return update.callback_query


def inline_query_of(update: Update) -> InlineQuery:
    if update.inline_query is None:
        raise ValueError(f"update {update.update_id} carries no inline query")
    return update.inline_query


def _kb(context: ContextTypes.DEFAULT_TYPE) -> knowledge.KnowledgeBase:
    return context.bot_data["kb"]  # type: ignore[no-any-return]


def _matcher(context: ContextTypes.DEFAULT_TYPE) -> Matcher:
    return context.bot_data["matcher"]  # type: ignore[no-any-return]


@lru_cache(maxsize=1024)
def keyboard(reply: render.Reply) -> InlineKeyboardMarkup | None:
    """PTB's markup for a reply's buttons; replies are immutable, so each is built once."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons]
    )


@lru_cache(maxsize=1024)
def keyboard_json(reply: render.Reply) -> str | None:
    """The markup as the Bot API takes it, serialised once per reply. Passed as a raw parameter,
    it spares PTB rebuilding the same dict and JSON on every send (about a tenth of an answer's CPU)."""
    markup = keyboard(reply)
    return None if markup is None else json.dumps(markup.to_dict())


async def send(message: Message, reply: render.Reply) -> list[Message]:
    """Reply to a message (same chat, same forum topic, quoting it); buttons go on the last part."""
    sent = []
    markup = keyboard_json(reply)
    for n, part in enumerate(reply.parts):
        buttons = {"reply_markup": markup} if markup and n == len(reply.parts) - 1 else None
        sent.append(await message.reply_html(part, do_quote=n == 0, api_kwargs=buttons))
    return sent


def _qlog(context: ContextTypes.DEFAULT_TYPE) -> QuestionLog:
    return context.bot_data["qlog"]  # type: ignore[no-any-return]


def _channel(message: Message) -> Channel:
    return "private" if message.chat.type == "private" else "group"


async def answer(context: ContextTypes.DEFAULT_TYPE, message: Message, question: str) -> None:
    """Match, log (committed in the background, so no answer waits for the disk), reply.

    In a group, an entry answered there a few minutes ago gets a short pointer to that
    answer instead of a second copy of it."""
    match = _matcher(context).match(question)
    _qlog(context).record_soon(match, _channel(message))
    private = message.chat.type == Chat.PRIVATE
    entry = match.entry if match.status == "answered" else None
    reply = render.match_reply(match, _kb(context), feedback=private)
    if private or entry is None:
        await send(message, reply)
        return
    key = (topic_of(message), entry.id)
    recent = recent_answers(context)
    earlier = recent.get(key)
    if earlier is not None and time.monotonic() - earlier.at < REPEAT_WINDOW_SECONDS:
        # The earlier answer may still be on its way: wait for its message id.
        answer_id = await asyncio.shield(earlier.message_id)
        if answer_id is not None:
            await point_to_earlier(message, entry, answer_id, earlier.at)
            return
    record = GroupAnswer(asyncio.get_running_loop().create_future(), time.monotonic())
    forget_old(recent, record.at)
    recent[key] = record  # before sending, so a repeat arriving meanwhile finds it
    answer_id = None
    try:
        answer_id = (await send(message, reply))[0].message_id
    finally:
        record.message_id.set_result(answer_id)
        if answer_id is None and recent.get(key) is record:
            del recent[key]


# ---------------------------------------------------------------------------
# Handlers


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, with an optional deep-link payload naming an entry."""
    message = message_of(update)
    kb = _kb(context)
    payload = context.args[0] if context.args else ""
    entry = kb.get(payload.replace("_", "-")) or kb.get(payload)
    reply = render.entry_reply(kb, entry) if entry else render.start_reply(kb, context.bot.username)
    await send(message, reply)


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: how to ask, in private and in groups."""
    await message_of(update).reply_html(render.help_reply(_kb(context), context.bot.username))


async def on_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask <question> works in every chat."""
    question = " ".join(context.args or [])
    if not question.strip():
        await message_of(update).reply_html(render.ask_usage(_kb(context)))
        return
    await answer(context, message_of(update), question)


async def on_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A question in a private chat, or a group message addressed to the bot."""
    message = message_of(update)
    if _quiet(context) and not replies_to_bot(message):
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
    message = message_of(update)
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
    await message_of(update).reply_html(render.NON_TEXT_HINT)


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown /command in a private chat."""
    await message_of(update).reply_html(render.UNKNOWN_COMMAND)


def _simple(build: Callable[[knowledge.KnowledgeBase], render.Reply]) -> Callable[..., Coroutine[Any, Any, None]]:
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await send(message_of(update), build(_kb(context)))

    handler.__doc__ = f"Reply with {build.__name__}."
    return handler


async def on_read(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/read [n]: the article one paragraph at a time."""
    number = render.parse_number(context.args[0]) if context.args else None
    await send(message_of(update), render.read_reply(_kb(context), number or 1))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every inline button; unknown or stale data gets a polite note."""
    query = callback_of(update)
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
    query = inline_query_of(update)
    kb = _kb(context)
    text = query.query.strip()
    if text:
        match, entries = _matcher(context).search(text)
        _qlog(context).record_soon(match, "inline")
    else:
        entries = kb.starter_entries()
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
        await message_of(update).reply_html(render.ADMINS_ONLY)
        return
    await message_of(update).reply_html(render.note_html(await reload_knowledge(context.application)))


async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats (admins): today's questions, answered share, top unanswered."""
    if not _is_admin(update, context):
        await message_of(update).reply_html(render.ADMINS_ONLY)
        return
    stats = await _qlog(context).astats_today()
    await message_of(update).reply_html(render.stats_html(stats))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure and, where there is a chat, say sorry; the bot keeps running."""
    if update is None and isinstance(context.error, NetworkError):  # getUpdates failed: PTB polls again
        log.warning("getting updates failed (%s); retrying", first_sentence(context.error.message))
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
    warm_up(app.bot_data["kb"], app.bot_data["matcher"])
    # The knowledge base, the matcher's tables and PTB live as long as the process: take them out
    # of the cycle collector's full passes, which otherwise stall a burst of answers for tens of ms.
    gc.collect()
    gc.freeze()
    log.info("ready as @%s with %d entries", app.bot.username, len(app.bot_data["kb"].entries))


def warm_up(kb: knowledge.KnowledgeBase, matcher: Matcher) -> None:
    """Answer every entry's own question once before polling, so the first burst after a start
    finds the interpreter's specialised code, the stem cache and the reply keyboards ready."""
    for entry in kb.entries:
        keyboard_json(render.match_reply(matcher.match(entry.question), kb, feedback=True))


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    watcher = app.bot_data.get("watcher")
    if watcher is not None:
        watcher.cancel()
    await app.bot_data["qlog"].aclose()


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
    app = (
        builder.request(request or make_request(pool_size=8))
        .get_updates_request(get_updates_request or make_request(pool_size=1))
        .build()
    )
    app.bot_data.update(kb=kb, matcher=Matcher(kb), settings=settings, qlog=question_log or QuestionLog.disabled())

    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    app.add_handlers(
        [
            CommandHandler("start", on_start, filters=NEW_MESSAGE),
            CommandHandler("help", on_help, filters=NEW_MESSAGE),
            CommandHandler("ask", on_ask, filters=NEW_MESSAGE),
            CommandHandler("topics", _simple(render.topics_reply), filters=NEW_MESSAGE),
            CommandHandler("speakers", _simple(render.speakers_reply), filters=NEW_MESSAGE),
            CommandHandler("source", _simple(render.source_reply), filters=NEW_MESSAGE),
            CommandHandler("read", on_read, filters=NEW_MESSAGE),
            CommandHandler("reload", on_reload, filters=NEW_MESSAGE),
            CommandHandler("stats", on_stats, filters=NEW_MESSAGE),
            CommandHandler("quiet", on_quiet, filters=NEW_MESSAGE),
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
