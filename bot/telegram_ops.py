"""Running the bot: logging that never shows the token, and live reload of faq.json (retries: telegram_traffic)."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
import time
from pathlib import Path

from bot import knowledge
from bot.config import Settings
from bot.matcher import Matcher, lint
from bot.questionlog import source_of
from bot.telegram_state import App

log = logging.getLogger("bot")

RELOAD_POLL_SECONDS = 1.0  # how often faq.json's modification time is looked at


class DropRedundantTracebacks(logging.Filter):
    """PTB logs some failures as an ERROR with a traceback and then raises them anyway:
    a 5xx's HTML error page (the retry reports it in one line) and giving up at start-up
    (``run`` prints one line saying why). Those records are dropped."""

    PREFIXES = ("Can not load invalid JSON data",)
    SUFFIXES = ("Aborting.", "Aborting retry loop.")

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return not (message.startswith(self.PREFIXES) or message.endswith(self.SUFFIXES))


async def reload_knowledge(app: App) -> str:
    """Validate the knowledge base exactly like `check`; swap it in only when it is clean."""
    path = app.bot_data.settings.faq_path
    started = time.perf_counter()
    try:
        kb, matcher, problems = await asyncio.to_thread(_validated, path)
    except Exception as exc:  # a bug or an exhausted machine, not a bad file: still one line, bot unchanged
        log.error("reload failed, keeping the previous knowledge base: %s: %s", exc.__class__.__name__, exc)
        return f"Reload failed: {exc.__class__.__name__}"
    if kb is None or matcher is None:
        log.error("reload refused, keeping the previous knowledge base: %s", knowledge.KnowledgeError(problems))
        return f"Reload refused: {knowledge.KnowledgeError(problems)}"
    app.bot_data.swap(kb, matcher)
    app.bot_data.question_log.source = source_of(kb)
    gc.freeze()  # the new index lives until the next reload: keep it out of full collections too
    log.info("reloaded %s in %.0f ms: %d entries", path, (time.perf_counter() - started) * 1000, len(kb.entries))
    return f"Reloaded {path.name}: {len(kb.entries)} entries."


def _validated(path: Path) -> tuple[knowledge.KnowledgeBase | None, Matcher | None, list[knowledge.Problem]]:
    """Read, validate and index a knowledge base off the event loop (the index is reused by lint)."""
    kb, problems = knowledge.read(path)
    if kb is None:
        return None, None, problems
    matcher = Matcher(kb)
    problems = lint(kb, matcher)
    return (kb, matcher, []) if not problems else (None, None, problems)


def _stamp(path: object) -> tuple[float, int] | None:
    try:
        stat = Path(str(path)).stat()
    except OSError:
        return None
    return stat.st_mtime, stat.st_size


async def watch_knowledge(app: App) -> None:
    """Reload when faq.json changes on disk (a half-written file is refused and retried on the next change)."""
    path = app.bot_data.settings.faq_path
    seen = _stamp(path)
    while True:
        await asyncio.sleep(RELOAD_POLL_SECONDS)
        try:
            stamp = _stamp(path)
            if stamp is not None and stamp != seen:
                seen = stamp
                await reload_knowledge(app)
        except Exception as exc:  # whatever happens, later edits are still picked up
            log.error("watching %s: %s: %s; still watching", path, exc.__class__.__name__, exc)


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
    # DEBUG is for the bot's own loggers only: python-telegram-bot logs every request and update
    # in full at DEBUG (names, user and chat ids, message texts), so libraries stay at INFO.
    level = logging.getLevelName(settings.log_level)
    logging.basicConfig(level=max(level, logging.INFO), handlers=[handler], force=True)
    logging.getLogger("bot").setLevel(level)
    # httpx logs every request URL at INFO, and the URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    for name in ("telegram.request.BaseRequest", "telegram.ext"):
        logging.getLogger(name).addFilter(DropRedundantTracebacks())
