"""The Telegram shell: thin handlers around the matcher and the renderers.

Each handler parses the update, calls the core and sends what ``render`` returns.
``build_application`` is the one factory; ``run`` adds settings, logging and polling.
Commands come from the table in ``bot.commands``, button data from ``bot.callbacks``;
what the handlers share is a typed ``BotState`` (``telegram_state``). Group addressing and
repeat links live in ``telegram_groups``; logging and live reload in ``telegram_ops``; flood
limits, retries and the stop in ``telegram_traffic``; the webhook's secret and path in ``telegram_webhook``.
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
    Bot,
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
    ChosenInlineResultHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import callbacks, commands, conversation, knowledge, render, telegram_webhook
from bot import telegram_conversation as talk
from bot.config import Settings
from bot.matcher import Match, Matcher
from bot.questionlog import Channel, QuestionLog, source_of
from bot.telegram_groups import (
    ADDRESSED,
    NEW_MESSAGE,
    point_to_earlier,
    question_text,
    repeat_key,
    replies_to_bot,
)
from bot.telegram_http import make_request
from bot.telegram_ops import configure_logging, reload_knowledge, watch_knowledge
from bot.telegram_state import CONTEXT_TYPES, App, BotState, Context
from bot.telegram_traffic import (
    ChatRateLimiter,
    SlotProcessor,
    first_sentence,
    install_stop_signals,
    no_apology,
    slot_released,
    tell_unsent,
)

log = logging.getLogger("bot")

INLINE_CACHE_SECONDS = 300
SEND_READ_TIMEOUT = 20.0  # a slow send is waited for rather than apologised for and then delivered anyway
# The update types the handlers below take; Telegram drops the rest before sending them.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY, Update.CHOSEN_INLINE_RESULT]

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


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


def _channel(message: Message) -> Channel:
    return "private" if message.chat.type == "private" else "group"


async def answer(context: Context, message: Message, question: str) -> None:
    """Read the question against the conversation it continues, log it (in the background,
    so no answer waits for the disk), reply, and remember the answer for the next follow-up."""
    state = context.bot_data
    chat_data = context.chat_data
    read = await talk.resolve(
        message, question, chat_data, state.users, state.sending, context.bot.id, kb=state.kb, matcher=state.matcher
    )
    match = read.match
    for asked in read.logged:
        state.question_log.record(asked, _channel(message))
    # What DEBUG shows of a question: its outcome, never who asked, where, or the words asked.
    log.debug(
        "%s question: %s %s (%.0f)",
        _channel(message),
        match.status,
        match.entry.id if match.entry else "-",
        match.score,
    )
    private = message.chat.type == Chat.PRIVATE
    reply = render.resolution_reply(state.kb, read, feedback=private)
    user_id = message.from_user.id if message.from_user else None
    talk.remember(message, chat_data, state.users, read.state, user_id)
    # A follow-up is answered in full even when it lands on an answer given here a minute ago:
    # a pointer back to the very message it replies to would answer nothing.
    if private:
        await send(message, reply)
        return
    sending = state.sending.start(message.chat.id)
    try:
        # a pointer to an earlier answer would answer one part of a message asked in parts
        if match.entry is None or match.status != "answered" or read.context is not None or read.split is not None:
            ids = [m.message_id for m in await send(message, reply)]
        else:
            answer_id = await _answer_in_group(state, message, match.entry, reply)
            ids = [answer_id] if answer_id else []
        talk.remember_sent(message, chat_data, read.state, ids)
    finally:
        state.sending.finish(message.chat.id, sending)


async def _answer_in_group(
    state: BotState, message: Message, entry: knowledge.Entry, reply: render.Reply
) -> int | None:
    """An entry answered in this group (and forum topic) a few minutes ago gets a short
    pointer to that answer instead of a second copy of it."""
    key = repeat_key(message, entry)
    earlier = state.repeats.earlier(key)
    if earlier is not None:
        # The earlier answer may still be on its way (perhaps waiting for the group's turn):
        # wait for its message id without holding an update slot.
        async with slot_released():
            answer_id = await asyncio.shield(earlier.message_id)
        if answer_id is not None:
            await point_to_earlier(message, entry, answer_id, earlier.at)
            return answer_id
    record = state.repeats.start(key)
    answer_id = None
    try:
        answer_id = (await send(message, reply))[0].message_id
    finally:
        state.repeats.finish(key, record, answer_id)
    return answer_id


# ---------------------------------------------------------------------------
# Command handlers


async def on_start(update: Update, context: Context) -> None:
    """/start, with an optional deep-link payload naming an entry."""
    kb = context.bot_data.kb
    payload = context.args[0] if context.args else ""
    entry = kb.get(payload.replace("_", "-")) or kb.get(payload)
    await send(message_of(update), render.entry_reply(kb, entry) if entry else render.start_reply(kb))


async def on_help(update: Update, context: Context) -> None:
    """/help: how to ask, in private and in groups, and every command."""
    await message_of(update).reply_html(render.help_reply(context.bot_data.kb, context.bot.username))


async def on_ask(update: Update, context: Context) -> None:
    """/ask <question> works in every chat."""
    question = " ".join(context.args or [])
    if not question.strip():
        await message_of(update).reply_html(render.ask_usage(context.bot_data.kb))
        return
    await answer(context, message_of(update), question)


async def on_topics(update: Update, context: Context) -> None:
    """/topics: the knowledge base's topics as buttons."""
    await send(message_of(update), render.topics_reply(context.bot_data.kb))


async def on_speakers(update: Update, context: Context) -> None:
    """/speakers: everyone quoted, as buttons."""
    await send(message_of(update), render.speakers_reply(context.bot_data.kb))


async def on_source(update: Update, context: Context) -> None:
    """/source: title, date and section of the article."""
    await send(message_of(update), render.source_reply(context.bot_data.kb))


async def on_read(update: Update, context: Context) -> None:
    """/read [n]: the article one paragraph at a time."""
    number = callbacks.parse_number(context.args[0]) if context.args else None
    await send(message_of(update), render.read_reply(context.bot_data.kb, number or 1))


def _quiet(context: Context, message: Message) -> bool:
    """Quiet mode is kept only for groups where it is on: read it without creating any state
    (``context.chat_data`` makes a dict for every chat it is asked about)."""
    return bool(context.application.chat_data.get(message.chat.id, {}).get(talk.QUIET))


async def on_quiet(update: Update, context: Context) -> None:
    """/quiet on|off (group admins): in quiet mode mentions are ignored, /ask and replies still work."""
    message = message_of(update)
    if message.chat.type == Chat.PRIVATE:
        await message.reply_html(render.QUIET_PRIVATE)
        return
    wanted = (context.args or [""])[0].casefold()
    if wanted not in ("on", "off"):
        await message.reply_html(render.quiet_status_html(_quiet(context, message)))
        return
    if not await _is_group_admin(context, message):
        await message.reply_html(render.QUIET_REFUSED)
        return
    if context.chat_data is not None:
        if wanted == "on":
            context.chat_data[talk.QUIET] = True
        else:
            context.chat_data.pop(talk.QUIET, None)  # off is the default: nothing to keep
    await message.reply_html(render.quiet_status_html(wanted == "on", changed=True))


async def _is_group_admin(context: Context, message: Message) -> bool:
    if message.from_user is None:
        return False
    member = await context.bot.get_chat_member(message.chat.id, message.from_user.id)
    return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


def _is_admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.bot_data.settings.admin_user_ids


async def on_reload(update: Update, context: Context) -> None:
    """/reload (admins): validate faq.json again and swap it in."""
    if not _is_admin(update, context):
        await message_of(update).reply_html(render.ADMINS_ONLY)
        return
    await message_of(update).reply_html(render.note_html(await reload_knowledge(context.application)))


async def on_stats(update: Update, context: Context) -> None:
    """/stats (admins): today's questions, answered share, top unanswered."""
    if not _is_admin(update, context):
        await message_of(update).reply_html(render.ADMINS_ONLY)
        return
    stats = await context.bot_data.question_log.stats_today(every_kb=(context.args or [""])[0].casefold() == "all")
    await send(message_of(update), render.stats_reply(stats))


#: The handler of each command in ``bot.commands.COMMANDS`` (a test checks they match).
COMMAND_HANDLERS: dict[str, Handler] = {
    "ask": on_ask,
    "topics": on_topics,
    "speakers": on_speakers,
    "read": on_read,
    "source": on_source,
    "help": on_help,
    "start": on_start,
    "quiet": on_quiet,
    "reload": on_reload,
    "stats": on_stats,
}


# ---------------------------------------------------------------------------
# Other messages


async def on_question(update: Update, context: Context) -> None:
    """A question in a private chat, or a group message addressed to the bot."""
    message = message_of(update)
    if _quiet(context, message) and not replies_to_bot(message):
        return  # quiet mode: only /ask and replies to the bot's messages
    question = question_text(message)
    if not question:
        await send(message, render.start_reply(context.bot_data.kb))
        return
    await answer(context, message, question)


async def on_non_text(update: Update, context: Context) -> None:
    """Photos, stickers, voice... in a private chat: a hint."""
    await message_of(update).reply_html(render.NON_TEXT_HINT)


async def on_unknown_command(update: Update, context: Context) -> None:
    """An unknown /command in a private chat."""
    await message_of(update).reply_html(render.UNKNOWN_COMMAND)


# ---------------------------------------------------------------------------
# Buttons: one handler per kind of callback data (bot.callbacks), then one for anything else


async def _button_reply(query: CallbackQuery, context: Context) -> render.Reply | None:
    """What the pressed button shows; stale or forged data gets a polite alert and None."""
    reply = render.button_reply(context.bot_data.kb, *callbacks.decode(query.data))
    if reply is None:
        await query.answer(render.STALE_BUTTON, show_alert=True)
    return reply


async def on_feedback(update: Update, context: Context) -> None:
    """👍 / 👎 under an answer: stored (once per user and message), thanked for, and the two
    buttons taken off the message."""
    query = callback_of(update)
    vote = render.parse_feedback(context.bot_data.kb, callbacks.decode(query.data)[1])
    if vote is None:
        await query.answer(render.STALE_BUTTON, show_alert=True)
        return
    if context.bot_data.votes.first(query):
        context.bot_data.question_log.feedback(*vote)
    await query.answer(render.FEEDBACK_THANKS)
    await _drop_vote_buttons(query)


async def _drop_vote_buttons(query: CallbackQuery) -> None:
    """Take 👍/👎 off the message once voted; the other buttons stay."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    keyboard_rows = message.reply_markup.inline_keyboard
    rows = [row for row in keyboard_rows if not any(callbacks.is_feedback(b.callback_data) for b in row)]
    if len(rows) == len(keyboard_rows):
        return
    with contextlib.suppress(BadRequest):  # already gone (a double tap) or the message was deleted
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)


async def on_page(update: Update, context: Context) -> None:
    """◀ ▶ in the reader: the same message shows the other paragraph."""
    query = callback_of(update)
    reply = await _button_reply(query, context)
    if reply is None:
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if query.message.from_user is None or query.message.from_user.id != context.bot.id:
        # A forged press on a message the bot did not send: it cannot be edited, so answer anew.
        log.warning("chat %s: a page button on a message the bot did not send", query.message.chat.id)
        await send(query.message, reply)
        return
    try:
        await query.edit_message_text(reply.parts[0], reply_markup=keyboard(reply))
    except BadRequest as exc:
        if "not modified" not in exc.message:  # a double tap asks for the page already shown
            raise


async def on_open(update: Update, context: Context) -> None:
    """An answer, a quote's context, a topic, a speaker or the reader: as a new message. A related
    question's answer continues the conversation it was offered under."""
    query = callback_of(update)
    reply = await _button_reply(query, context)
    if reply is None:
        return
    await query.answer()
    if isinstance(query.message, Message):
        verb, args = callbacks.decode(query.data)
        entry = context.bot_data.kb.get(args[0]) if verb == callbacks.ANSWER and args else None
        state = conversation.button_state(entry, context.bot_data.kb, time.time()) if entry else None
        talk.remember(query.message, context.chat_data, context.bot_data.users, state, query.from_user.id)
        sent = await send(query.message, reply)
        talk.remember_sent(query.message, context.chat_data, state, [m.message_id for m in sent])


async def on_stale_button(update: Update, context: Context) -> None:
    """Data no handler above takes (an older bot's, or forged)."""
    await callback_of(update).answer(render.STALE_BUTTON, show_alert=True)


# ---------------------------------------------------------------------------
# Inline mode and errors


async def on_inline(update: Update, context: Context) -> None:
    """@bot question in any chat: the best matching entries as shareable articles."""
    query = inline_query_of(update)
    state = context.bot_data
    text = query.query.strip()
    if text:
        match, entries = state.matcher.search(text)
        # Logged once the user stops typing (or picks a result), not once per keystroke.
        state.inline_queries.typed(query.from_user.id, match, _log_inline(state.question_log))
    else:
        entries = state.kb.starter_entries()
    results = [
        InlineQueryResultArticle(
            id=entry.id,
            title=entry.question,
            description=render.shorten(entry.answer, 120),
            input_message_content=InputTextMessageContent(
                render.entry_reply(state.kb, entry).parts[0], parse_mode=ParseMode.HTML
            ),
        )
        for entry in entries
    ]
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=False)


def _log_inline(question_log: QuestionLog) -> Callable[[Match], None]:
    return lambda match: question_log.record(match, "inline")


async def on_chosen_inline(update: Update, context: Context) -> None:
    """A result picked from inline mode (with inline feedback on in BotFather): the query is finished."""
    if update.chosen_inline_result is not None:
        context.bot_data.inline_queries.chosen(update.chosen_inline_result.from_user.id)


async def on_error(update: object, context: Context) -> None:
    """Log the failure and, where there is a chat, say sorry; the bot keeps running."""
    if update is None and isinstance(context.error, NetworkError):  # getUpdates failed: PTB polls again
        log.warning("getting updates failed (%s); retrying", first_sentence(context.error.message))
        return
    if isinstance(context.error, Forbidden):  # the user blocked the bot, or it left the group: nothing to fix
        log.info("not allowed to answer there: %s", context.error.message)
        return
    if no_apology(context.error):  # the answer may be there, was given up, or has nowhere to go
        await tell_unsent(update, context.error)
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


# ---------------------------------------------------------------------------
# Start and stop


def _keep(state: BotState, coroutine: Coroutine[Any, Any, object], name: str) -> None:
    """Run a background task the bot holds on to (the loop keeps only a weak reference) and
    whose failure is logged instead of lost."""
    task = asyncio.create_task(coroutine, name=name)
    state.tasks.add(task)

    def done(task: asyncio.Task[Any]) -> None:
        state.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s failed", name, exc_info=task.exception())

    task.add_done_callback(done)


async def set_command_menus(bot: Bot) -> None:
    """The menu every chat shows, and the one a group's administrators see (with /quiet)."""
    everyone = [BotCommand(c.name, c.description) for c in commands.menu("everyone")]
    await bot.set_my_commands(everyone)
    admins = [BotCommand(c.name, c.description) for c in commands.menu("group_admins")]
    await bot.set_my_commands(admins, scope=BotCommandScopeAllChatAdministrators())


async def _set_command_menus_or_warn(app: App) -> None:
    """The command menus are a convenience: a refusal (say, a 429 after a crash loop) is a warning."""
    try:
        await set_command_menus(app.bot)
    except TelegramError as exc:
        log.warning("could not set the command menus (%s); the commands still work", first_sentence(exc.message))


async def _post_init(app: App) -> None:
    install_stop_signals(app)
    state = app.bot_data
    _keep(state, _set_command_menus_or_warn(app), "setting the command menus")
    _keep(state, watch_knowledge(app), "watching faq.json")
    if isinstance(app.persistence, talk.ChatStore):
        _keep(state, talk.keep_saving(app.persistence, app.chat_data, app.drop_chat_data), "saving conversations")
    with contextlib.suppress(NotImplementedError, RuntimeError):  # no SIGHUP on some platforms
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, lambda: _keep(state, reload_knowledge(app), "reload on SIGHUP"))
    warm_up(state.kb, state.matcher)
    # The knowledge base, the matcher's tables and PTB live as long as the process: take them out
    # of the cycle collector's full passes, which otherwise stall a burst of answers for tens of ms.
    gc.collect()
    gc.freeze()
    log.info("ready as @%s with %d entries", app.bot.username, len(state.kb.entries))


def warm_up(kb: knowledge.KnowledgeBase, matcher: Matcher) -> None:
    """Answer every entry's own question once before polling, so the first burst after a start
    finds the interpreter's specialised code, the stem cache and the reply keyboards ready."""
    for entry in kb.entries:
        keyboard_json(render.match_reply(matcher.match(entry.question), kb, feedback=True))


async def _post_shutdown(app: App) -> None:
    for task in list(app.bot_data.tasks):
        task.cancel()
    app.bot_data.inline_queries.flush()
    await app.bot_data.question_log.aclose()


# ---------------------------------------------------------------------------
# Factory


def build_application(
    settings: Settings,
    kb: knowledge.KnowledgeBase,
    *,
    matcher: Matcher | None = None,
    question_log: QuestionLog | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> App:
    """The bot, ready for ``run_polling``/``run_webhook``, or for ``process_update`` in tests
    (which pass a recording request and a matcher already built for ``kb``)."""
    builder = (
        Application.builder()
        .token(settings.token or "")
        .base_url(f"{settings.api_url}/bot")
        .base_file_url(f"{settings.api_url}/file/bot")
        .context_types(CONTEXT_TYPES)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                do_quote=True,  # every reply quotes what it answers, in private chats too
                allow_sending_without_reply=True,  # the question may be deleted before the answer goes out
            )
        )
        # Telegram's 30 messages/s is for broadcasts; replies only keep the per-group limit,
        # and a 429 holds back only the chat it names. Eight updates run at once; one waiting
        # for its chat's turn gives its slot to another chat.
        .rate_limiter(ChatRateLimiter())
        .concurrent_updates(SlotProcessor(running=8))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.conversation_store is not None:  # conversations and /quiet survive a restart
        builder = builder.persistence(talk.ChatStore(settings.conversation_store))
    app = (
        builder.request(
            request or make_request(pool_size=8, read_timeout=SEND_READ_TIMEOUT, client=settings.telegram_http)
        )
        .get_updates_request(get_updates_request or make_request(pool_size=1, client=settings.telegram_http))
        .build()
    )
    app.bot_data.attach(settings, kb, matcher or Matcher(kb), question_log or QuestionLog.disabled())
    app.bot_data.question_log.source = source_of(kb)

    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    app.add_handlers([CommandHandler(c.name, COMMAND_HANDLERS[c.name], filters=NEW_MESSAGE) for c in commands.COMMANDS])
    app.add_handlers(
        [
            MessageHandler(NEW_MESSAGE & private & filters.TEXT & ~filters.COMMAND, on_question),
            MessageHandler(NEW_MESSAGE & groups & filters.TEXT & ~filters.COMMAND & ADDRESSED, on_question),
            MessageHandler(NEW_MESSAGE & private & filters.COMMAND, on_unknown_command),
            MessageHandler(NEW_MESSAGE & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_non_text),
            CallbackQueryHandler(on_feedback, pattern=callbacks.pattern(callbacks.FEEDBACK)),
            CallbackQueryHandler(on_page, pattern=callbacks.pattern(callbacks.READ)),
            CallbackQueryHandler(
                on_open,
                pattern=callbacks.pattern(
                    callbacks.ANSWER, callbacks.CONTEXT, callbacks.TOPIC, callbacks.SPEAKER, callbacks.OPEN_READER
                ),
            ),
            CallbackQueryHandler(on_stale_button),
            InlineQueryHandler(on_inline),
            ChosenInlineResultHandler(on_chosen_inline),
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
    for warning in settings.warnings:
        log.warning("%s", warning)
    kb = knowledge.load(settings.faq_path)
    app = build_application(
        settings,
        kb,
        question_log=QuestionLog(settings.question_log, settings.log_retention_days) if settings.question_log else None,
    )
    try:
        if settings.webhook_url:
            secret, generated = telegram_webhook.secret_for(settings)
            if generated:
                log.info("WEBHOOK_SECRET is unset: registering a random secret for this run with setWebhook")
            telegram_webhook.limit_bodies()
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=telegram_webhook.listen_path(settings.webhook_url),
                webhook_url=settings.webhook_url,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            app.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
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
